"""``monitor run`` as a real process on SQLite: one daemon per file, signals, in-flight work."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.store.engine import make_engine
from monitor.store.tables import ArticleRow, Feed
from tests.support.daemon_runner import Daemon, free_port, wait_until, write_config
from tests.support.feed_server import FeedServer


def rss(srv: FeedServer, name: str, n: int = 2) -> bytes:
    items = "".join(
        f"<item><title>{name} item {k}</title><link>{srv.url(f'/{name}/{k}.html')}</link>"
        f"<guid>{name}-{k}</guid><pubDate>Sat, 16 Aug 2025 1{k}:00:00 +0200</pubDate>"
        f"<description>Meldung {k} aus dem Feed {name}.</description></item>" for k in range(n))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>'
            f"<link>{srv.url('/')}</link><description>d</description>{items}</channel></rss>").encode()


def feed(srv: FeedServer, name: str, **route: object) -> dict[str, object]:
    url = srv.route(f"/{name}.xml", body=rss(srv, name), **route)
    return {"id": name, "url": url, "interval": 30, "full_text": False}


def feed_row(db_url: str, feed_id: str) -> Feed:
    engine = make_engine(db_url)
    try:
        with Session(engine) as s:
            row = s.get(Feed, feed_id)
            assert row is not None
            s.expunge(row)
            return row
    finally:
        engine.dispose()


def test_second_daemon_on_the_same_sqlite_file_refuses_with_a_clear_message(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FeedServer() as srv:
        cfg = write_config(tmp_path / "monitor.yaml", db_url=db, feeds=[feed(srv, "a")], port=free_port())
        first = Daemon(cfg, _port(cfg), replica="first").wait_ready()
        try:
            second = subprocess.run([sys.executable, "-m", "monitor.cli", "run", "--config", str(cfg)],
                                    capture_output=True, text=True, timeout=30,
                                    env={"MONITOR_SERVER__PORT": str(free_port()), "PATH": "/usr/bin:/bin"})
            assert second.returncode == 1
            assert "another monitor daemon" in second.stderr
            assert f"pid {first.proc.pid}" in second.stderr
            assert "postgresql" in second.stderr.lower()  # says how to run several replicas
            assert first.ready()  # the first one is unaffected
        finally:
            first.kill()  # SIGKILL: the kernel drops the lock, no stale lock file blocks a restart
        again = Daemon(cfg, _port(cfg), replica="again").wait_ready()
        assert again.stop() == 0


def _port(cfg: Path) -> int:
    import yaml

    return int(yaml.safe_load(cfg.read_text())["server"]["port"])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_lets_the_in_flight_poll_finish_then_exits_0_with_leases_released(tmp_path: Path, sig: int) -> None:
    db = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FeedServer() as srv:
        cfg = write_config(tmp_path / "monitor.yaml", db_url=db, feeds=[feed(srv, "slow", delay=2.0)],
                           port=free_port())
        d = Daemon(cfg, _port(cfg))
        wait_until(lambda: bool(srv.requests_for("/slow.xml")), 30, what="the poll to start")
        d.signal(sig)
        rc = d.proc.wait(10)
        assert rc == 0, d.log()
    row = feed_row(db, "slow")
    assert row.last_ok_at is not None, "the in-flight poll was cut off instead of finished"
    assert row.lease_owner is None and row.lease_until is None
    engine = make_engine(db)
    with Session(engine) as s:
        assert len(s.scalars(select(ArticleRow.id).where(ArticleRow.feed_id == "slow")).all()) == 2
    engine.dispose()
    assert any(f"{signal.Signals(sig).name} received" in r.get("msg", "") for r in d.log_records())


def test_sigterm_with_work_that_hangs_still_exits_0_within_10s_and_gives_the_lease_back(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FeedServer() as srv:
        cfg = write_config(tmp_path / "monitor.yaml", db_url=db, feeds=[feed(srv, "stuck", delay=25.0)],
                           port=free_port(),
                           extra={"http": {"read_timeout": 60, "total_timeout": 90, "connect_timeout": 5}})
        d = Daemon(cfg, _port(cfg))
        wait_until(lambda: bool(srv.requests_for("/stuck.xml")), 30, what="the poll to start")
        assert feed_row(db, "stuck").lease_owner == "r1"
        d.signal(signal.SIGTERM)
        assert d.proc.wait(10) == 0, d.log()
    row = feed_row(db, "stuck")
    assert row.lease_owner is None and row.last_ok_at is None  # given back, not marked as polled


def test_a_second_signal_exits_at_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FeedServer() as srv:
        cfg = write_config(tmp_path / "monitor.yaml", db_url=db, feeds=[feed(srv, "stuck", delay=25.0)],
                           port=free_port(),
                           extra={"http": {"read_timeout": 60, "total_timeout": 90, "connect_timeout": 5}})
        d = Daemon(cfg, _port(cfg))
        wait_until(lambda: bool(srv.requests_for("/stuck.xml")), 30, what="the poll to start")
        d.signal(signal.SIGTERM)
        time.sleep(0.3)
        d.signal(signal.SIGTERM)
        rc = d.proc.wait(5)
        assert rc == 128 + signal.SIGTERM, d.log()
    # Exited without the orderly release: the lease stays until it expires.
    assert feed_row(db, "stuck").lease_owner == "r1"


def test_a_running_daemon_counts_polls_items_claims_and_extraction_time(tmp_path: Path) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    db = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FeedServer() as srv:
        text = ("<![CDATA[<p>Russische Truppen haben die Stadt Pokrowsk im Gebiet Donezk erobert.</p>]]>")
        body = rss(srv, "news").replace(b"Meldung 0 aus dem Feed news.", text.encode())
        url = srv.route("/news.xml", body=body)
        cfg = write_config(tmp_path / "monitor.yaml", db_url=db, port=free_port(),
                           feeds=[{"id": "news", "url": url, "interval": 30, "full_text": False}])
        d = Daemon(cfg, _port(cfg)).wait_ready()
        try:
            def values() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
                out = {}
                for fam in text_string_to_metric_families(d.get("/metrics")[1]):
                    for s in fam.samples:
                        out[(s.name, tuple(sorted(s.labels.items())))] = s.value
                return out
            wait_until(lambda: values().get(("monitor_polls_total", (("result", "ok"),)), 0) >= 1, 20,
                       what="a counted poll")
            v = values()
        finally:
            assert d.stop() == 0
    assert v[("monitor_items_new_total", ())] == 2
    assert v[("monitor_store_items", (("what", "items"),))] == 2
    assert v[("monitor_extraction_seconds_count", ())] == 2
    assert sum(n for (name, _), n in v.items() if name == "monitor_claims_total") >= 1
    assert v[("monitor_store_up", ())] == 1
    assert v[("monitor_feed_leases_total", (("outcome", "claimed"),))] == 1
