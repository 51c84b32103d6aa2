"""Fixtures for the polling tests: a local feed server, a config that may reach it, an engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from monitor.config import MonitorConfig
from monitor.fetch import Fetcher, make_client
from monitor.store import migrate
from monitor.store.engine import make_engine
from tests.support.feed_server import FeedServer


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def make_config(tmp_path: Path, feeds: list[dict[str, Any]] | None = None, **http: Any) -> MonitorConfig:
    """Loopback allowed explicitly (the default refuses it), short timeouts, a temp archive."""
    http_cfg = {"allow_private": True, "connect_timeout": 2.0, "read_timeout": 1.0, "total_timeout": 4.0,
                "max_bytes": 1_000_000, "concurrency": 8, "per_host": 4, **http}
    return MonitorConfig.model_validate({
        "http": http_cfg,
        "archive": {"dir": str(tmp_path / "archive")},
        "polling": {"min_interval": 60, "max_interval": 3600, "jitter": 0.0, "backoff_max": 7200},
        "feeds": feeds or [],
    })


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    eng = make_engine(sqlite_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[httpx.Client]:
    with make_client(make_config(tmp_path).http) as c:
        yield c


def fetcher_for(client: httpx.Client, tmp_path: Path, **http: Any) -> Fetcher:
    return Fetcher(client, make_config(tmp_path, **http).http)
