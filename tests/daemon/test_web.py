"""/healthz, /readyz and /metrics over real HTTP; store gauges read from a real database."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from monitor import metrics
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import AlertRow, Feed
from monitor.web import Check, HealthServer

NOW = dt.datetime(2025, 8, 16, 12, 0, tzinfo=dt.UTC)


def get(port: int, path: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


@pytest.fixture
def server() -> Iterator[tuple[HealthServer, dict[str, Check]]]:
    checks = {"database": Check(True, "reachable"), "tick": Check(True, "1s ago")}
    srv = HealthServer("127.0.0.1", 0, lambda: dict(checks)).start()
    yield srv, checks
    srv.stop()


def test_healthz_answers_and_readyz_reflects_every_check(server: tuple[HealthServer, dict[str, Check]]) -> None:
    srv, checks = server
    port = srv.address[1]
    assert get(port, "/healthz")[0] == 200
    status, ctype, body = get(port, "/readyz")
    assert status == 200 and ctype == "application/json"
    assert json.loads(body)["checks"]["database"] == {"ok": True, "detail": "reachable"}
    checks["database"] = Check(False, "unreachable: OperationalError")
    status, _, body = get(port, "/readyz")
    assert status == 503
    doc = json.loads(body)
    assert doc["ready"] is False and doc["checks"]["tick"]["ok"] is True
    assert get(port, "/healthz")[0] == 200  # alive even when not ready
    assert get(port, "/nope")[0] == 404


def _values(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_metrics_expose_counters_and_the_stores_gauges(db_url: str,
                                                        server: tuple[HealthServer, dict[str, Check]]) -> None:
    srv, _ = server
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with Session(engine) as s, s.begin():
        s.add(Feed(id="f1", url="http://x/f1", next_poll_at=NOW - dt.timedelta(seconds=90)))
        s.add(Feed(id="f2", url="http://x/f2", next_poll_at=NOW + dt.timedelta(seconds=90)))
        for i, (state, age) in enumerate([("pending", 300), ("pending", 60), ("sent", 900), ("dead", 1000)]):
            s.add(AlertRow(dedup_key=f"k{i}", type="changed", kind="control", subject="pokrovsk",
                           attribute="status", belief_key="control|pokrovsk|status|", new_json='"russia"',
                           date=NOW.date(), article_id="a" * 16, sentence="s", modality="asserted",
                           severity="high", state=state, created_at=NOW - dt.timedelta(seconds=age)))
    collector = metrics.StoreCollector(engine, clock=lambda: NOW)
    metrics.REGISTRY.register(collector)
    try:
        metrics.POLLS.labels(result="not_modified").inc()
        metrics.EXTRACTION_SECONDS.observe(0.004)
        status, ctype, body = get(srv.address[1], "/metrics")
    finally:
        metrics.REGISTRY.unregister(collector)
        engine.dispose()
    assert status == 200 and ctype.startswith("text/plain")
    v = _values(body)
    assert v[("monitor_store_up", ())] == 1
    assert v[("monitor_alerts", (("state", "pending"),))] == 2
    assert v[("monitor_alerts", (("state", "dead"),))] == 1
    assert v[("monitor_outbox_depth", ())] == 2
    assert v[("monitor_outbox_oldest_age_seconds", ())] == 300
    assert v[("monitor_feeds_overdue", ())] == 1
    assert v[("monitor_poll_lag_max_seconds", ())] == 90
    assert v[("monitor_polls_total", (("result", "not_modified"),))] >= 1
    assert 0 < v[("monitor_polls_not_modified_ratio", ())] <= 1
    assert v[("monitor_extraction_seconds_count", ())] >= 1
    for name in ("monitor_items_new_total", "monitor_versions_new_total", "monitor_poll_lag_seconds_count"):
        assert (name, ()) in v, name


@pytest.mark.postgres
def test_metrics_still_answer_when_the_database_is_gone(server: tuple[HealthServer, dict[str, Check]]) -> None:
    srv, _ = server
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/newswatch_no_such_db")
    collector = metrics.StoreCollector(engine)
    metrics.REGISTRY.register(collector)
    try:
        status, _, body = get(srv.address[1], "/metrics")
    finally:
        metrics.REGISTRY.unregister(collector)
        engine.dispose()
    assert status == 200
    v = _values(body)
    assert v[("monitor_store_up", ())] == 0
    assert ("monitor_outbox_depth", ()) not in v
