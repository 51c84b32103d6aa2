from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from monitor.store import migrate
from monitor.store.engine import make_engine
from tests.alerts.helpers import FakeClock
from tests.support.slack_standin import SlackStandin


@pytest.fixture
def standin() -> Iterator[SlackStandin]:
    with SlackStandin() as s:
        yield s


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The outbox on SQLite and on the real PostgreSQL (schema by the project's migrations)."""
    e = make_engine(db_url)
    migrate.upgrade(e)
    yield e
    e.dispose()
