from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.alerts.helpers import FakeClock
from tests.support.slack_standin import SlackStandin


@pytest.fixture
def standin() -> Iterator[SlackStandin]:
    with SlackStandin() as s:
        yield s


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
