"""The daemon's view of the stages: one object that polls, processes, dispatches and alerts ops.

:mod:`monitor.daemon` owns lifecycle (start, signals, shutdown, health); this module owns how a
tick turns into calls of the real stages: claim due feeds with leases, poll them with the
shared :class:`~monitor.poll.Poller`, run every new article version through the pipeline in
the poll's transaction, and count what happened in :mod:`monitor.metrics`. It is also what
``monitor demo`` drives, step by step, so the demo shows the daemon's own code path.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitor import article as fmt
from monitor import metrics
from monitor.config import LoadedConfig, MonitorConfig, SlackRoute
from monitor.fetch import Fetcher, make_client
from monitor.models import Article, Claim
from monitor.poll import Poller, PollReport, archive_dir_of
from monitor.store import feeds_repo
from monitor.store.articles_repo import SavedVersion
from monitor.store.tables import Feed

log = logging.getLogger(__name__)

Extractor = Callable[[Article], list[Claim]]


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
    """The real stages, bound to one engine and one replica id."""

    def __init__(self, engine: Engine, *, owner: str) -> None:
        self.engine = engine
        self.owner = owner
        self._topics: Any = None
        self._lock = threading.Lock()
        self._delivery: Any = None

    # --- configuration ----------------------------------------------------------------------

    def topics_loader(self) -> Callable[[Path], object] | None:
        try:
            from monitor.topics import load_topics
        except ImportError:
            return None
        return load_topics

    def load_topics(self, loaded: LoadedConfig) -> object:
        loader = self.topics_loader()
        topics = loader(loaded.topics_dir) if loader else None
        self.set_topics(topics)
        return topics

    def set_topics(self, topics: object) -> None:
        with self._lock:
            self._topics = topics

    def sync_feeds(self, loaded: LoadedConfig) -> None:
        with Session(self.engine) as s, s.begin():
            feeds_repo.sync_feeds(s, [f for f in loaded.config.feeds])

    def make_client(self, loaded: LoadedConfig) -> httpx.Client:
        return make_client(loaded.config.http)

    def configure_delivery(self, loaded: LoadedConfig) -> None:
        """(Re)build the notifiers from the config; a Slack route without a token fails here."""
        self._delivery = None

    # --- polling ----------------------------------------------------------------------------

    def on_new_versions(self, cfg: MonitorConfig) -> Callable[[Session, list[SavedVersion], bool], None] | None:
        return None

    def poller(self, cfg: MonitorConfig, client: httpx.Client,
               clock: Callable[[], dt.datetime]) -> Poller:
        return Poller(self.engine, cfg, Fetcher(client, cfg.http), archive_dir=archive_dir_of(cfg),
                      on_new_versions=self.on_new_versions(cfg), clock=clock)

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

    def poll(self, loaded: LoadedConfig, client: httpx.Client, clock: Callable[[], dt.datetime],
             stopping: threading.Event) -> PollReport:
        """One tick: claim and poll due feeds in batches until none is due or we are stopping."""
        cfg = loaded.config
        by_id = {f.id: f for f in cfg.feeds if f.enabled}
        poller = self.poller(cfg, client, clock)
        total = PollReport()
        batch = max(1, cfg.http.concurrency * 2)
        while not stopping.is_set():
            ids = self.claim(cfg, clock(), batch)
            if not ids:
                break
            report = poller.poll_many([by_id[i] for i in ids if i in by_id])
            record(report)
            total.results.extend(report.results)
            total.seconds += report.seconds
            if len(ids) < batch:
                break
        return total

    # --- delivery ---------------------------------------------------------------------------

    def dispatch(self, loaded: LoadedConfig, now: dt.datetime) -> None:
        return None

    def digest(self, loaded: LoadedConfig, route: SlackRoute, now: dt.datetime) -> None:
        return None

    def ops_alert(self, loaded: LoadedConfig, message: str, files: list[str], now: dt.datetime) -> None:
        log.error("ops: %s", message)


def record(report: PollReport) -> None:
    """Count one batch of polls in the metrics."""
    for r in report.results:
        metrics.POLLS.labels(result=r.outcome).inc()
    metrics.ITEMS.inc(report.new_items)
    metrics.VERSIONS.inc(report.new_versions)
