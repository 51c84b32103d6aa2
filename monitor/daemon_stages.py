"""The daemon's view of the stages: one object that polls, processes, dispatches and alerts ops.

:mod:`monitor.daemon` owns lifecycle (start, signals, shutdown, health); this module owns how a
tick turns into calls of the real stages: claim due feeds with leases, poll them with the
shared :class:`~monitor.poll.Poller`, run every new article version through the pipeline in
the poll's transaction, and count what happened in :mod:`monitor.metrics`. It is also what
``monitor demo`` drives, step by step, so the demo shows the daemon's own code path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TextIO

import httpx
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from monitor import article as fmt
from monitor import metrics, pipeline
from monitor.config import FeedConfig, LoadedConfig, MonitorConfig, SlackRoute
from monitor.dispatch import (
    Clock,
    Dispatcher,
    DispatchReport,
    build_notifiers,
    enqueue_ops_alert,
    feed_health_alerts,
    release_owned,
)
from monitor.fetch import Fetcher, make_client
from monitor.models import Article, Claim
from monitor.poll import FeedPollResult, Poller, PollReport, archive_dir_of
from monitor.routing import slack_wanted
from monitor.store import feeds_repo
from monitor.store.articles_repo import SavedVersion
from monitor.store.tables import ArticleVersion, Feed

log = logging.getLogger(__name__)

Extractor = pipeline.Extractor
# Key of the PostgreSQL advisory lock that serializes feed syncs of concurrent replicas.
_SYNC_LOCK_KEY = 7_311_006


def timed(extractor: Extractor) -> Extractor:
    """The extractor, with each call's duration observed in the extraction histogram."""

    def run(article: Article) -> list[Claim]:
        t0 = time.perf_counter()
        try:
            return extractor(article)
        finally:
            metrics.EXTRACTION_SECONDS.observe(time.perf_counter() - t0)

    return run


def article_of(v: SavedVersion) -> Article:
    """The pipeline's Article for a freshly saved version (no query needed)."""
    dated = fmt.parse(v.text)
    return Article(id=v.article_id, date=dated.date, body=dated.body, title=v.title, url=v.url,
                   source=v.source or v.feed_id, language=v.language)


class Stages:
    """The real stages, bound to one engine and one replica id.

    ``console`` sends alerts to the terminal too (``monitor demo``; and ``monitor run`` when
    no Slack is configured, so alerts are seen rather than left in the outbox).
    """

    def __init__(self, engine: Engine, *, owner: str, console_stream: TextIO | None = None,
                 dispatch_clock: Clock | None = None) -> None:
        self.engine = engine
        self.owner = owner
        self._lock = threading.Lock()
        self._stages: pipeline.Stages | None = None
        self._dispatcher: Dispatcher | None = None
        self._console_stream = console_stream
        self._dispatch_clock = dispatch_clock

    # --- configuration ----------------------------------------------------------------------

    @staticmethod
    def topics_loader() -> Callable[[Path], object]:
        """Validates a topics folder and builds extractor and policy from it (ConfigError if invalid)."""
        return pipeline.load_stages

    def load_topics(self, loaded: LoadedConfig) -> pipeline.Stages:
        stages = pipeline.load_stages(loaded.topics_dir)
        self.set_topics(stages)
        return stages

    def set_topics(self, stages: object) -> None:
        if not isinstance(stages, pipeline.Stages):
            raise TypeError(f"expected pipeline.Stages, got {type(stages).__name__}")
        with self._lock:
            self._stages = stages

    @property
    def stages(self) -> pipeline.Stages:
        with self._lock:
            if self._stages is None:
                raise RuntimeError("topics not loaded")
            return self._stages

    def sync_feeds(self, loaded: LoadedConfig) -> None:
        """Configured feeds into the store. Replicas starting (or reloading) together take turns:
        the advisory lock lasts until the commit, so the next one sees the rows and inserts none."""
        with Session(self.engine) as s, s.begin():
            if self.engine.dialect.name == "postgresql":
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SYNC_LOCK_KEY})
            feeds_repo.sync_feeds(s, [f for f in loaded.config.feeds])

    def make_client(self, loaded: LoadedConfig) -> httpx.Client:
        return make_client(loaded.config.http)

    def configure_delivery(self, loaded: LoadedConfig) -> None:
        """(Re)build notifiers and dispatcher; a Slack route without a token fails here (ConfigError)."""
        cfg = loaded.config
        console = self._console_stream is not None or not slack_wanted(cfg.slack)
        setup = build_notifiers(cfg, console=console, stream=self._console_stream)
        dispatcher = Dispatcher(self.engine, setup.notifiers, cfg, owner=self.owner, clock=self._dispatch_clock,
                                fallback_channel=setup.fallback_channel)
        with self._lock:
            if self._dispatcher is not None:
                # Keep the rate limiter: a reload must not reset the per-channel pace.
                dispatcher.limiter = self._dispatcher.limiter
            self._dispatcher = dispatcher

    @property
    def dispatcher(self) -> Dispatcher:
        with self._lock:
            if self._dispatcher is None:
                raise RuntimeError("delivery not configured")
            return self._dispatcher

    # --- polling ----------------------------------------------------------------------------

    def process_versions(self, session: Session, versions: list[SavedVersion], baseline: bool) -> None:
        """The poller's hook: every new version through extract, diff and outbox, in the poll's
        transaction (a crash loses neither the article nor its alerts, and duplicates neither)."""
        stages = self.stages
        extractor = timed(stages.extractor)
        now = dt.datetime.now(dt.UTC)
        for v in versions:
            res = pipeline.process_article_version(session, article_of(v), version=v.version, baseline=baseline,
                                                   extractor=extractor, policy=stages.policy, now=now)
            session.execute(update(ArticleVersion)
                            .where(ArticleVersion.article_id == v.article_id, ArticleVersion.version == v.version)
                            .values(extracted=True))
            for outcome, n in res.outcomes.items():
                metrics.CLAIMS.labels(outcome=outcome).inc(n)

    def poller(self, cfg: MonitorConfig, client: httpx.Client,
               clock: Callable[[], dt.datetime]) -> Poller:
        return Poller(self.engine, cfg, Fetcher(client, cfg.http), archive_dir=archive_dir_of(cfg),
                      on_new_versions=self.process_versions, clock=clock)

    def claim(self, cfg: MonitorConfig, now: dt.datetime, limit: int) -> list[str]:
        """Lease up to ``limit`` due feeds to this replica; count claims and poll lag."""
        enabled = [f.id for f in cfg.feeds if f.enabled]
        with Session(self.engine) as s, s.begin():
            ids = feeds_repo.claim_due_feeds(s, now, self.owner, cfg.polling.lease_seconds, limit, enabled)
        if not ids:
            return []
        # The claim leaves next_poll_at alone: read it back to see how late each poll starts.
        with Session(self.engine) as s:
            rows = s.execute(select(Feed.id, Feed.next_poll_at).where(Feed.id.in_(ids))).all()
        for _fid, due in rows:
            if due is not None:
                metrics.POLL_LAG.observe(max(0.0, (now - due).total_seconds()))
        metrics.FEED_LEASES.labels(outcome="claimed").inc(len(ids))
        return ids

    def renew(self, feed_id: str, lease_seconds: int, now: dt.datetime) -> bool:
        """Extend this replica's lease on a feed right before polling it; False if it was lost.

        A claimed feed may wait for a free worker; if that wait outlasted the lease, another
        replica may have claimed the feed meanwhile. Checking (and extending) the lease in one
        UPDATE just before the fetch makes sure only the lease holder fetches.
        """
        with Session(self.engine) as s, s.begin():
            res = s.execute(update(Feed)
                            .where(Feed.id == feed_id, Feed.lease_owner == self.owner, Feed.lease_until > now)
                            .values(lease_until=now + dt.timedelta(seconds=lease_seconds)))
            return bool(getattr(res, "rowcount", 0))

    def _poll_one(self, poller: Poller, feed: FeedConfig, cfg: MonitorConfig,
                  clock: Callable[[], dt.datetime]) -> FeedPollResult | None:
        if not self.renew(feed.id, cfg.polling.lease_seconds, clock()):
            metrics.FEED_LEASES.labels(outcome="lost").inc()
            log.warning("feed %s: lease expired before its poll started; left to its new holder", feed.id)
            return None
        return poller.poll_feed(feed)

    def poll(self, loaded: LoadedConfig, client: httpx.Client, clock: Callable[[], dt.datetime],
             stopping: threading.Event) -> PollReport:
        """One tick: claim due feeds, as many as there are workers, poll them; again until none
        is due or we are stopping. Claiming no more than the workers can start keeps a lease
        from running out while its feed waits in a queue."""
        cfg = loaded.config
        by_id = {f.id: f for f in cfg.feeds if f.enabled}
        poller = self.poller(cfg, client, clock)
        total = PollReport()
        workers = max(1, cfg.http.concurrency)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poll") as pool:
            while not stopping.is_set():
                ids = self.claim(cfg, clock(), workers)
                if not ids:
                    break
                futures = [pool.submit(self._poll_one, poller, by_id[i], cfg, clock) for i in ids if i in by_id]
                batch = PollReport()
                for fut in as_completed(futures):
                    r = fut.result()
                    if r is not None:
                        batch.results.append(r)
                record(batch)
                self._feed_health(batch, cfg, clock())
                total.results.extend(batch.results)
                if len(ids) < workers:
                    break
        total.seconds = time.monotonic() - started
        return total

    def _feed_health(self, report: PollReport, cfg: MonitorConfig, now: dt.datetime) -> None:
        """Ops alerts for feeds that keep failing or whose text came back empty. The poll's own
        transaction has committed by now; the alerts' dedup keys (one per streak) make this
        safe to run again after a crash."""
        for r in report.results:
            with Session(self.engine) as s, s.begin():
                feed_health_alerts(s, r.feed_id, now, cfg.slack)

    # --- delivery ---------------------------------------------------------------------------

    def dispatch(self, loaded: LoadedConfig, now: dt.datetime) -> DispatchReport:
        report = self.dispatcher.run_once()
        record_delivery(report)
        return report

    def digest(self, loaded: LoadedConfig, route: SlackRoute, now: dt.datetime) -> DispatchReport:
        report = self.dispatcher.send_digest(route)
        record_delivery(report)
        return report

    def ops_alert(self, loaded: LoadedConfig, message: str, files: list[str], now: dt.datetime) -> None:
        """Queue an ops alert (once per distinct message: the same broken file is not re-alerted)."""
        key = "ops:config-rejected:" + hashlib.sha256(message.encode()).hexdigest()[:24]
        with Session(self.engine) as s, s.begin():
            enqueue_ops_alert(s, key, message, subject="config", subject_name="configuration",
                              now=now, details={"files": files})

    def release(self) -> int:
        """Outbox rows this replica holds go back to pending (clean shutdown)."""
        return release_owned(self.engine, self.owner)


def record_delivery(report: DispatchReport) -> None:
    for result, n in (("sent", report.sent + report.threaded), ("retry", report.retried),
                      ("dead", report.dead), ("found_existing", report.found_existing)):
        if n:
            metrics.ALERTS_DELIVERED.labels(result=result).inc(n)


def record(report: PollReport) -> None:
    """Count one batch of polls in the metrics."""
    for r in report.results:
        metrics.POLLS.labels(result=r.outcome).inc()
    metrics.ITEMS.inc(report.new_items)
    metrics.VERSIONS.inc(report.new_versions)
