"""Fixtures of the fault suite: the outbox database on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from monitor.store import migrate
from monitor.store.engine import make_engine


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    e = make_engine(db_url)
    migrate.upgrade(e)
    yield e
    e.dispose()
