"""Feed leases as a tick uses them, on SQLite and PostgreSQL: a replica that lost its lease
while the feed waited for a worker does not fetch it; the new holder does."""

from __future__ import annotations

import datetime as dt
import threading

import httpx
from sqlalchemy.orm import Session

from monitor.config import FeedConfig, LoadedConfig, MonitorConfig
from monitor.daemon_stages import Stages
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import Feed
from tests.support.feed_server import FeedServer

NOW = dt.datetime(2025, 8, 16, 12, 0, tzinfo=dt.UTC)
RSS = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://x/</link>'
       b"<description>d</description></channel></rss>")


def config(url: str, feed_url: str) -> LoadedConfig:
    cfg = MonitorConfig(database={"url": url}, http={"allow_private": True},
                        polling={"lease_seconds": 60},
                        feeds=[FeedConfig.model_validate({"id": "f", "url": feed_url, "full_text": False})])
    return LoadedConfig(cfg, None)


def test_a_lost_lease_is_not_polled_and_the_new_holder_polls(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with FeedServer() as srv:
        loaded = config(db_url, srv.route("/f.xml", body=RSS))
        a, b = Stages(engine, owner="a"), Stages(engine, owner="b")
        a.sync_feeds(loaded)
        cfg = loaded.config
        assert a.claim(cfg, NOW, 10) == ["f"]
        assert b.claim(cfg, NOW + dt.timedelta(seconds=30), 10) == []  # held by a
        later = NOW + dt.timedelta(seconds=61)
        assert b.claim(cfg, later, 10) == ["f"]  # a's lease expired: taken over
        assert not a.renew("f", 60, later)
        with httpx.Client() as client:
            assert a._poll_one(a.poller(cfg, client, lambda: later), cfg.feeds[0], cfg, lambda: later) is None
            assert srv.requests_for("/f.xml") == []
            r = b._poll_one(b.poller(cfg, client, lambda: later), cfg.feeds[0], cfg, lambda: later)
        assert r is not None and r.outcome == "ok"
        assert len(srv.requests_for("/f.xml")) == 1
    with Session(engine) as s:
        row = s.get(Feed, "f")
        assert row is not None and row.lease_owner is None and row.last_ok_at is not None
    engine.dispose()


def test_a_tick_polls_every_due_feed_once_in_worker_sized_batches(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with FeedServer() as srv:
        feeds = [FeedConfig.model_validate({"id": f"f{i}", "url": srv.route(f"/{i}.xml", body=RSS),
                                            "full_text": False}) for i in range(7)]
        cfg = MonitorConfig(database={"url": db_url}, http={"allow_private": True, "concurrency": 3},
                            feeds=feeds)
        loaded = LoadedConfig(cfg, None)
        st = Stages(engine, owner="solo")
        st.sync_feeds(loaded)
        with httpx.Client() as client:
            report = st.poll(loaded, client, lambda: dt.datetime.now(dt.UTC), threading.Event())
            again = st.poll(loaded, client, lambda: dt.datetime.now(dt.UTC), threading.Event())
        assert sorted(r.feed_id for r in report.results) == sorted(f.id for f in feeds)
        assert again.results == []  # none due any more
        assert all(len(srv.requests_for(f"/{i}.xml")) == 1 for i in range(7))
    engine.dispose()


def test_a_feed_failing_polls_in_a_row_raises_one_ops_alert(db_url: str) -> None:
    from monitor.store.tables import AlertRow

    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with FeedServer() as srv:
        cfg = MonitorConfig(database={"url": db_url}, http={"allow_private": True},
                            slack={"ops_failing_polls": 2},
                            feeds=[FeedConfig.model_validate({"id": "down", "url": srv.route("/d.xml", status=500),
                                                              "full_text": False})])
        loaded = LoadedConfig(cfg, None)
        st = Stages(engine, owner="solo")
        st.sync_feeds(loaded)
        clock = [NOW]
        with httpx.Client() as client:
            for _ in range(4):  # each tick far enough apart that the backed-off feed is due again
                st.poll(loaded, client, lambda: clock[0], threading.Event())
                clock[0] += dt.timedelta(days=1)
        assert len(srv.requests_for("/d.xml")) == 4
    with Session(engine) as s:
        ops = [a for a in s.query(AlertRow).all() if a.type == "ops"]
    assert len(ops) == 1, [a.dedup_key for a in ops]  # one per failing streak, not one per poll
    assert "down" in ops[0].subject and "failed" in ops[0].payload
    engine.dispose()
