"""Three ``monitor run`` replicas on the real PostgreSQL, 200 feeds on a local server, alerts to a
Slack stand-in; one replica SIGKILLed in the middle of its work.

What must hold (read from the servers' own logs, not from the monitor's word):
- no feed is fetched twice within its interval, except where the first fetch was cut off by the
  kill (its lease then expires and another replica polls the feed again);
- the killed replica's leased feeds are polled by another replica within the lease time;
- nothing is lost: every published item is stored, every alert is posted, none twice.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import AlertRow, ArticleRow, Feed
from tests.support import pg
from tests.support.daemon_runner import Daemon, free_port, wait_until, write_config
from tests.support.feed_server import FeedServer
from tests.support.slack_standin import TOKEN, SlackStandin

pytestmark = pytest.mark.postgres

FEEDS = 200
INTERVAL = 30  # seconds; the smallest a feed may have
LEASE = 10
FETCH_DELAY = 0.6  # per feed request, so a polling round lasts long enough to kill a replica in it
# Towns whose capture, reported by one feed each after its baseline, makes one alert each.
TOWNS = ["Pokrowsk", "Kupjansk", "Myrnohrad", "Kostjantyniwka", "Siwersk", "Torezk", "Wuhledar", "Lyman"]


def item(srv: FeedServer, feed: int, k: int, text: str, hour: int) -> str:
    link = srv.url(f"/a/{feed}/{k}.html")
    return (f"<item><title>Meldung {k} von Feed {feed}</title><link>{link}</link><guid>f{feed}-{k}</guid>"
            f"<pubDate>Sat, 16 Aug 2025 {hour:02d}:00:00 +0200</pubDate><description>{text}</description></item>")


def rss(items: list[str]) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            "<link>http://127.0.0.1/</link><description>d</description>" + "".join(items)
            + "</channel></rss>").encode()


def publish(srv: FeedServer, feed: int, items: list[str], version: int) -> str:
    return srv.route(f"/f/{feed}.xml", body=rss(items), etag=f'"{feed}-{version}"', delay=FETCH_DELAY)


@pytest.fixture
def pg_db() -> Iterator[str]:
    with pg.fresh_database("newswatch_replicas") as url:
        engine = make_engine(url)
        migrate.upgrade(engine)  # the replicas do it too; the test queries before they are up
        engine.dispose()
        yield url


def test_three_replicas_poll_each_feed_once_per_interval_and_send_each_alert_once(
        tmp_path: Path, pg_db: str) -> None:
    with FeedServer() as srv, SlackStandin() as slack:
        first_items = {i: [item(srv, i, 0, f"Lagebericht Nummer {i} ohne besondere Vorkommnisse.", 8)]
                       for i in range(FEEDS)}
        feeds = [{"id": f"feed-{i:03d}", "url": publish(srv, i, first_items[i], 0), "interval": INTERVAL,
                  "full_text": False} for i in range(FEEDS)]
        daemons: dict[str, Daemon] = {}
        for name in ("r1", "r2", "r3"):
            port = free_port()
            cfg = write_config(tmp_path / f"{name}.yaml", db_url=pg_db, feeds=feeds, port=port, extra={
                "polling": {"lease_seconds": LEASE, "min_interval": 10},
                "http": {"concurrency": 4, "per_host": 64},
                "slack": {"base_url": slack.base_url, "default_channel": "C0FRONT", "per_channel_per_second": 10},
            })
            daemons[name] = Daemon(cfg, port, replica=name, env={
                "SLACK_BOT_TOKEN": TOKEN, "MONITOR_HTTP__USER_AGENT": f"newswatch-test/{name}"})
        engine = make_engine(pg_db)
        try:
            # Kill r3 while it holds leases on feeds it has not finished.
            def r3_busy() -> bool:
                with Session(engine) as s:
                    return bool(s.scalar(select(func.count()).select_from(Feed).where(Feed.lease_owner == "r3")))
            wait_until(r3_busy, 60, 0.05, "r3 to hold leases")
            daemons["r3"].kill()
            killed_at = time.monotonic()
            with Session(engine) as s:
                orphaned = set(s.scalars(select(Feed.id).where(Feed.lease_owner == "r3")))
            assert orphaned, "r3 held no lease at the kill"

            def all_baselined() -> bool:
                with Session(engine) as s:
                    return s.scalar(select(func.count()).select_from(Feed)
                                    .where(Feed.baseline_done.is_(True))) == FEEDS
            wait_until(all_baselined, 60, 0.2, "every feed's first poll")

            # After the baselines: one new item per alerting feed, a capture claim each.
            for n, town in enumerate(TOWNS):
                publish(srv, n, first_items[n] + [item(srv, n, 1, f"Die russische Armee hat die Stadt {town} erobert.",
                                                       12)], 1)

            def all_sent() -> bool:
                with Session(engine) as s:
                    states = dict(s.execute(select(AlertRow.state, func.count()).group_by(AlertRow.state)).all())
                return states.get("sent", 0) >= len(TOWNS) and set(states) == {"sent"}
            wait_until(all_sent, 60, 0.2, "every alert to be sent")
            end = time.monotonic()
            with Session(engine) as s:
                stored = s.scalar(select(func.count()).select_from(ArticleRow))
                alert_keys = list(s.scalars(select(AlertRow.dedup_key)))
        finally:
            daemons["r3"].kill()
            codes = {n: d.stop(timeout=15) for n, d in daemons.items() if n != "r3"}
            engine.dispose()
        assert codes == {"r1": 0, "r2": 0}

        # --- the feed server's log -----------------------------------------------------------
        fetches: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for r in srv.log:
            if r.path.startswith("/f/") and r.time <= end:
                fetches[int(r.path[3:-4])].append((r.time, r.headers.get("user-agent", "").rsplit("/", 1)[-1]))
        assert set(fetches) == set(range(FEEDS)), "every feed was polled"
        cut_off = {int(fid.rsplit("-", 1)[1]) for fid in orphaned}
        for feed, hits in fetches.items():
            hits.sort()
            for (t1, who1), (t2, _who2) in zip(hits, hits[1:], strict=False):
                if who1 == "r3" and feed in cut_off and t1 <= killed_at:
                    continue  # r3's fetch never completed: the feed was not polled, it was retried
                assert t2 - t1 >= INTERVAL - 1, f"feed {feed} fetched twice within {t2 - t1:.1f}s ({hits})"
        for feed in cut_off:
            after = [t for t, who in fetches[feed] if t > killed_at and who != "r3"]
            assert after, f"feed {feed} leased by the killed replica was never taken over"
            assert after[0] - killed_at <= LEASE + 5, f"feed {feed} taken over only after {after[0] - killed_at:.1f}s"
        assert not [t for hits in fetches.values() for t, who in hits if who == "r3" and t > killed_at]

        # --- nothing lost, nothing twice ---------------------------------------------------
        assert stored == FEEDS + len(TOWNS)
        posted = slack.by_key()
        assert len(alert_keys) == len(TOWNS)
        assert all(n == 1 for n in posted.values()), f"an alert was posted twice: {posted}"
        assert len(slack.in_channel("C0FRONT")) == len(TOWNS)
