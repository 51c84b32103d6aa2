"""A fresh PostgreSQL database for a test session (127.0.0.1:5432, user postgres), dropped after.

The server must be running: PostgreSQL tests fail (never skip) when it is not, so a CI
without it is visibly broken rather than silently green.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

ADMIN_DSN = os.environ.get("NEWSWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def sqlalchemy_url(dsn: str) -> str:
    return dsn.replace("postgresql://", "postgresql+psycopg://", 1)


def create_database(prefix: str = "newswatch_test") -> str:
    """Create an empty database with a unique name; return its psycopg DSN."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return ADMIN_DSN.rsplit("/", 1)[0] + "/" + name


def drop_database(dsn: str) -> None:
    name = dsn.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def fresh_database(prefix: str = "newswatch_test") -> Iterator[str]:
    """A SQLAlchemy URL of a new empty database, dropped when the block ends."""
    dsn = create_database(prefix)
    try:
        yield sqlalchemy_url(dsn)
    finally:
        drop_database(dsn)
