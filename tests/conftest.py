"""Shared fixtures: database URLs for SQLite (a file per test) and the real PostgreSQL.

``db_url`` runs a test on both. The PostgreSQL database is created once per session and
emptied (every table truncated) before each test that uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.support import pg


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'monitor.db'}"


@pytest.fixture(scope="session")
def _pg_session_url() -> Iterator[str]:
    from monitor.store import migrate
    from monitor.store.engine import make_engine

    with pg.fresh_database() as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture
def pg_url(_pg_session_url: str) -> str:
    from monitor.store.engine import make_engine
    from monitor.store.tables import Base

    engine = make_engine(_pg_session_url)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return _pg_session_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on ``db_url`` (SQLite and the real PostgreSQL), schema by the migrations."""
    from monitor.store import migrate
    from monitor.store.engine import make_engine

    e = make_engine(db_url)
    migrate.upgrade(e)
    yield e
    e.dispose()
