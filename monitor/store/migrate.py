"""Schema upgrade at start and by ``monitor db upgrade``.

Placeholder until the Alembic migrations land: creates missing tables from the ORM metadata.
"""

from __future__ import annotations

from sqlalchemy import Engine

from monitor.store.tables import Base


def upgrade(engine: Engine) -> None:
    Base.metadata.create_all(engine)
