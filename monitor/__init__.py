"""newswatch: watches news feeds and tells editors when followed facts change."""

__version__ = "0.1.0"
