"""Persistence: SQLAlchemy tables (``tables``), engine set-up (``engine``), and repository
functions per concern. Nothing outside this package writes SQL."""
