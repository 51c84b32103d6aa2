"""Alembic: the migrated schema is exactly tables.py (drift fails CI), on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import Base
from tests.support import pg


def _drift(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()


def test_migrations_match_the_models_on_sqlite(sqlite_url: str) -> None:
    assert _drift(sqlite_url) == []


def test_migrations_match_the_models_on_postgresql() -> None:
    with pg.fresh_database("newswatch_migr") as url:
        assert _drift(url) == []
        engine = make_engine(url)
        assert migrate.current_revision(engine) == migrate.head_revision()
        engine.dispose()


def test_upgrade_is_idempotent_and_adopts_a_pre_migration_database(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)  # a database made before migrations existed
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert {t.name for t in Base.metadata.sorted_tables} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_monitor_db_upgrade_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    cmd = [sys.executable, "-m", "monitor.cli", "db", "upgrade", "--db", url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60)
    assert f"revision {migrate.head_revision()} (was empty)" in out.stdout
    again = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60)
    assert f"(was {migrate.head_revision()})" in again.stdout


def test_first_schema_without_version_table_is_upgraded(sqlite_url: str) -> None:
    from sqlalchemy import text

    engine = make_engine(sqlite_url)
    migrate.upgrade(engine, migrate.INITIAL_REVISION)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    assert _drift(sqlite_url) == []
