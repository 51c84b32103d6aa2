"""PostgreSQL connections cut (``pg_terminate_backend``) during polling and during dispatch.

A killer thread terminates every other backend of the test database every few milliseconds
while the real ``Poller`` (feeds on a local HTTP server) or the real ``Dispatcher`` (Slack
stand-in) works. What a cut breaks is what the daemon's job boundary sees: a poll recorded as
failed, or a job that raised (the scheduler logs it and runs the job again on its next tick,
which the loops here do the same way). Then the cuts stop and the same engine, the same
poller and the same dispatcher carry on: every item ends up stored, every feed healthy, every
alert delivered exactly once. Nothing is restarted by hand.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from alerts.slack import SlackNotifier
from monitor.config import MonitorConfig
from monitor.delivery.dispatcher import Dispatcher
from monitor.fetch import Fetcher, make_client
from monitor.poll import Poller, PollReport
from monitor.store import feeds_repo, migrate
from monitor.store.engine import make_engine
from monitor.store.tables import ArticleRow, Feed
from tests.alerts.helpers import FakeClock, draft, insert, rows
from tests.support.feed_server import FeedServer, make_rss
from tests.support.slack_standin import TOKEN, SlackStandin

pytestmark = pytest.mark.postgres

FEEDS = 30
ITEMS = 5


class Killer:
    """Terminates the database's other backends in a loop, from its own connection."""

    def __init__(self, sqlalchemy_url: str, every: float = 0.01) -> None:
        self.dsn = sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.dbname = self.dsn.rsplit("/", 1)[1]
        self.every = every
        self.terminated = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-killer", daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self._stop.is_set():
                cur = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE datname = %s AND pid <> pg_backend_pid()", (self.dbname,))
                row = cur.fetchone()
                self.terminated += int(row[0]) if row else 0
                self._stop.wait(self.every)

    @contextmanager
    def running(self) -> Iterator[Killer]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join(5)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    e = make_engine(pg_url)
    migrate.upgrade(e)
    yield e
    e.dispose()


def feed_doc(f: int) -> bytes:
    return make_rss([{"guid": f"cut-{f}-{i}", "title": f"Meldung {f}-{i}",
                      "description": f"Bericht {i} aus Feed {f}: Die Regierung berät über den Haushalt.",
                      "pubDate": "Mon, 01 Sep 2025 10:00:00 +0200"} for i in range(ITEMS)])


def test_connections_cut_while_polling(pg_url: str, pg_engine: Engine) -> None:
    with FeedServer() as srv:
        urls = [srv.route(f"/f{f}.xml", body=feed_doc(f), etag=f'"e{f}"') for f in range(FEEDS)]
        cfg = MonitorConfig.model_validate({
            "database": {"url": pg_url}, "archive": {"enabled": False},
            "http": {"allow_private": True, "per_host": 8, "concurrency": 8, "total_timeout": 10},
            "feeds": [{"id": f"f{f:02d}", "url": u, "full_text": False} for f, u in enumerate(urls)]})
        with Session(pg_engine) as s, s.begin():
            feeds_repo.sync_feeds(s, cfg.feeds)
        client = make_client(cfg.http)
        poller = Poller(pg_engine, cfg, Fetcher(client, cfg.http))
        job_errors = 0
        during: list[PollReport] = []

        def tick() -> PollReport | None:
            nonlocal job_errors
            try:
                return poller.poll_many(cfg.feeds)
            except SQLAlchemyError:  # the daemon's tick job logs it; the next tick runs again
                job_errors += 1
                return None

        with Killer(pg_url).running() as killer:
            for _ in range(6):
                if (rep := tick()) is not None:
                    during.append(rep)
        assert killer.terminated > 0
        failed_polls = sum(r.errors for r in during)
        assert job_errors + failed_polls > 0  # the cuts did break work in progress
        # The cuts are over: the next tick, with the same engine and poller, repairs everything.
        after = tick()
        client.close()
    assert after is not None and after.errors == 0, after and [r.error for r in after.results if r.error]
    with Session(pg_engine) as s:
        stored = s.scalar(select(func.count()).select_from(ArticleRow))
        feeds = list(s.scalars(select(Feed)))
    assert stored == FEEDS * ITEMS
    assert all(f.consecutive_errors == 0 and f.baseline_done and f.etag for f in feeds)


def test_connections_cut_while_dispatching(pg_url: str, pg_engine: Engine) -> None:
    n = 60
    insert(pg_engine, [draft(i, kind=("control", "meeting")[i % 2], subject=f"cut-{i}") for i in range(n)])
    clock = FakeClock()
    with SlackStandin() as standin:
        standin.stamp = clock.monotonic
        cfg = MonitorConfig.model_validate({"slack": {
            "enabled": True, "base_url": standin.base_url, "default_channel": "#front", "timeout": 2,
            "lease_seconds": 10, "max_attempts": 50,
            "routes": [{"name": "diplo", "channel": "#diplomacy", "kinds": ["meeting"]}]}})
        bot = SlackNotifier(token=TOKEN, base_url=standin.base_url, timeout=2, sleep=clock.sleep)
        d = Dispatcher(pg_engine, bot, cfg, clock=clock, owner="cut-test")
        job_errors = 0

        def job() -> None:
            nonlocal job_errors
            try:
                d.run_once()
            except SQLAlchemyError:  # what the scheduler's job boundary logs before the next run
                job_errors += 1
            clock.advance(3)

        with Killer(pg_url, every=0.005).running() as killer:
            for _ in range(15):
                job()
        assert killer.terminated > 0
        for _ in range(100):
            if all(r.state == "sent" for r in rows(pg_engine).values()):
                break
            job()
        final = rows(pg_engine)
        assert all(r.state == "sent" for r in final.values()), {i: (r.state, r.last_error) for i, r in final.items()
                                                                if r.state != "sent"}
        counts = standin.by_key()
        assert len(counts) == n and set(counts.values()) == {1}, {k: c for k, c in counts.items() if c > 1}
