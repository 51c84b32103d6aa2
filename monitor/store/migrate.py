"""Schema upgrade with Alembic, at start and by ``monitor db upgrade``.

Alembic is configured from code: the scripts live in ``monitor/store/migrations`` (shipped as
package data), so no alembic.ini is needed at run time. On PostgreSQL an advisory lock makes
concurrent starts of several replicas migrate one after the other.

To add a revision after changing ``tables.py`` (developers only)::

    python -m monitor.store.migrate revision "add feeds.foo"
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from monitor.errors import StoreError
from monitor.store.tables import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
INITIAL_REVISION = "0001"
# Any fixed number: the key of the PostgreSQL advisory lock held while migrating.
_PG_LOCK_KEY = 7_311_001


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def _quiet_alembic() -> None:
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # Alembic reports every connection at INFO; the commands print what matters.
        logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


def current_revision(engine: Engine) -> str | None:
    _quiet_alembic()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest), in one transaction."""
    _quiet_alembic()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        names = set(inspect(conn).get_table_names())
        if "alembic_version" not in names and "feeds" in names:
            # A database made before migrations existed (create_all): it has the current schema
            # or else the first one.
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            made_now = not compare_metadata(ctx, Base.metadata)
            command.stamp(alembic_config(conn), "head" if made_now else INITIAL_REVISION)
        command.upgrade(alembic_config(conn), revision)


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a revision from the difference between ``engine``'s schema and tables.py."""
    head = head_revision()
    # Numbered revisions (0001, 0002, ...) keep the history readable in a file listing.
    rev_id = f"{int(head) + 1:04d}" if head.isdigit() else None
    with engine.begin() as conn:
        command.revision(alembic_config(conn), message=message, autogenerate=True, rev_id=rev_id)


def _main(argv: list[str]) -> int:
    import tempfile

    from monitor.store.engine import make_engine

    if len(argv) != 2 or argv[0] != "revision":
        print("usage: python -m monitor.store.migrate revision MESSAGE", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/schema.db")
        upgrade(engine)
        revision(engine, argv[1])
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
