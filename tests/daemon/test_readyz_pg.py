"""``/readyz`` follows the database: unready while PostgreSQL refuses connections, ready again
when it accepts them, without a restart. The daemon gets a database of its own, which the test
blocks with ``ALLOW_CONNECTIONS false`` and ``pg_terminate_backend`` and then re-opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.support import pg
from tests.support.daemon_runner import Daemon, free_port, wait_until, write_config

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_db() -> Iterator[tuple[str, str]]:
    dsn = pg.create_database("newswatch_readyz")
    try:
        yield pg.sqlalchemy_url(dsn), dsn.rsplit("/", 1)[1]
    finally:
        with psycopg.connect(pg.ADMIN_DSN, autocommit=True) as conn:
            conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(dsn.rsplit("/", 1)[1])))
        pg.drop_database(dsn)


def block(name: str, allow: bool) -> None:
    with psycopg.connect(pg.ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
            sql.Identifier(name), sql.SQL("true" if allow else "false")))
        if not allow:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))


def test_readyz_turns_unready_without_the_database_and_ready_when_it_is_back(
        tmp_path: Path, own_db: tuple[str, str]) -> None:
    url, name = own_db
    port = free_port()
    cfg = write_config(tmp_path / "monitor.yaml", db_url=url, feeds=[], port=port)
    d = Daemon(cfg, port).wait_ready(60)
    try:
        block(name, allow=False)
        wait_until(lambda: d.get("/readyz")[0] == 503, 30, 0.2, "/readyz to turn unready")
        doc = d.readiness()
        assert doc["checks"]["database"]["ok"] is False
        assert doc["checks"]["scheduler"]["ok"] is True
        assert d.get("/healthz")[0] == 200  # alive: no restart wanted, only no traffic
        assert d.proc.poll() is None
        block(name, allow=True)
        wait_until(d.ready, 30, 0.2, "/readyz to be ready again")
        assert d.readiness()["checks"]["database"]["ok"] is True
    finally:
        assert d.stop() == 0
