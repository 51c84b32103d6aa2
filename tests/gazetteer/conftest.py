"""A gazetteer shared by the gazetteer tests (loading it takes a fraction of a second)."""

from __future__ import annotations

import pytest

from monitor.gazetteer import Gazetteer


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()
