"""Polling: one feed from fetch to stored article versions, and many feeds at once.

``poll_feed`` is the isolation boundary of the poller: whatever goes wrong with one feed
(network, hostile bytes, a parser bug, a failing pipeline callback) is caught there, recorded
on the feed row with time and message, and scheduled for a retry with exponential backoff
(honoring Retry-After). One feed never stops the others.

Order of one successful poll: fetch (conditional) -> parse -> fetch pages of new or changed
entries -> one transaction: save items, run ``on_new_versions``, update the feed state ->
write the archive files. Validators (ETag/Last-Modified) are stored only in that same
transaction, so a poll whose items were not saved is never answered 304 next time.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitor import archive, intervals
from monitor.config import FeedConfig, MonitorConfig
from monitor.errors import ArchiveError, FetchError, FetchStatusError, FetchTLSError, MonitorError
from monitor.feeds import FeedEntry, ItemMemo, KnownEntry, ParsedFeed, parse_feed, parse_incremental
from monitor.fetch import PAGE_ACCEPT, Fetcher
from monitor.fulltext import PageText, extract_page
from monitor.normalize import entry_to_item
from monitor.parse_workers import ParseWorkers
from monitor.store import articles_repo, feeds_repo
from monitor.store.articles_repo import IncomingItem, SavedVersion

log = logging.getLogger(__name__)

OnNewVersions = Callable[[Session, list[SavedVersion], bool], None]
"""Called inside the poll's transaction with the new versions of one feed and whether the poll
is a baseline; what it writes commits (or rolls back) together with the articles."""

Outcome = Literal["ok", "not_modified", "error"]
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass(frozen=True, slots=True)
class FeedPollResult:
    feed_id: str
    outcome: Outcome
    new_items: int = 0
    new_versions: int = 0
    seen: int = 0
    baseline: bool = False
    error: str | None = None
    warnings: tuple[str, ...] = ()
    next_poll_at: dt.datetime | None = None
    seconds: float = 0.0
    deferred: int = 0  # entries left for the next poll


@dataclass(slots=True)
class PollReport:
    results: list[FeedPollResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome == outcome for r in self.results)

    @property
    def ok(self) -> int:
        return self.count("ok")

    @property
    def not_modified(self) -> int:
        return self.count("not_modified")

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def new_items(self) -> int:
        return sum(r.new_items for r in self.results)

    @property
    def new_versions(self) -> int:
        return sum(r.new_versions for r in self.results)

    def summary(self) -> dict[str, float | int]:
        return {"feeds": len(self.results), "ok": self.ok, "not_modified": self.not_modified,
                "errors": self.errors, "new_items": self.new_items, "new_versions": self.new_versions,
                "seconds": round(self.seconds, 3)}


class Poller:
    """Polls feeds into one database. Thread-safe: ``poll_many`` runs ``poll_feed`` in threads."""

    def __init__(self, engine: Engine, cfg: MonitorConfig, fetcher: Fetcher, *,
                 archive_dir: Path | None = None, on_new_versions: OnNewVersions | None = None,
                 clock: Callable[[], dt.datetime] | None = None,
                 parse_workers: ParseWorkers | None = None) -> None:
        self.engine = engine
        self.parse_workers = parse_workers
        self.cfg = cfg
        self.fetcher = fetcher
        self.archive_dir = archive_dir
        self.on_new_versions = on_new_versions
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._rng = random.Random()
        self._bounds = intervals.bounds_from(cfg.polling)
        # SQLite has one writer at a time; taking turns in-process avoids busy waits between threads.
        self._write_lock: AbstractContextManager[object] = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext())
        # Per feed: the item blocks its last good poll stored, so the next poll parses only the
        # new or changed ones (feeds.parse_incremental). In memory only: a restart parses whole
        # documents once, and the database stays the judge of what is stored.
        self._memos: dict[str, ItemMemo] = {}
        self._memo_lock = threading.Lock()

    # -- one feed -------------------------------------------------------------------------------

    def poll_feed(self, feed: FeedConfig, state: feeds_repo.FeedState | None = None,
                  unchanged: _NotModifiedBatch | None = None) -> FeedPollResult:
        """Poll one feed; never raises for anything that feed does (the isolation boundary).

        ``state`` saves a query when the caller loaded it in bulk; with ``unchanged``, a 304 is
        recorded in that batch (one transaction for all of them) instead of at once.
        """
        started = time.monotonic()
        now = self._clock()
        try:
            if state is None:
                with Session(self.engine) as s:
                    state = feeds_repo.get_state(s, feed.id)
            if state is None:
                with self._write_lock, Session(self.engine) as s, s.begin():
                    feeds_repo.sync_feeds(s, [feed])
                    state = feeds_repo.get_state(s, feed.id)
            assert state is not None
            result = self._poll(feed, state, now, unchanged)
        except FetchError as exc:
            result = self._failed(feed, now, exc)
        except MonitorError as exc:  # hostile or broken feed bytes, store refusals
            result = self._failed(feed, now, exc)
        except Exception as exc:  # isolation boundary: one feed's bug must not stop the others
            log.exception("poll of feed %s failed unexpectedly", feed.id)
            result = self._failed(feed, now, exc)
        return _with_time(result, time.monotonic() - started)

    def _poll(self, feed: FeedConfig, state: feeds_repo.FeedState, now: dt.datetime,
              unchanged: _NotModifiedBatch | None) -> FeedPollResult:
        res = self.fetcher.get(feed.url, etag=state.etag, last_modified=state.last_modified)
        max_age = intervals.parse_cache_control(res.headers.get("cache-control"))
        if res.not_modified:
            next_at = self._next_ok(feed, now, state.recent_item_times, intervals.Hints(max_age=max_age))
        if res.not_modified and unchanged is not None:
            unchanged.add(feeds_repo.NotModified(feed.id, now, next_at, res.etag, res.last_modified))
            return FeedPollResult(feed.id, "not_modified", next_poll_at=next_at)
        if res.not_modified:
            with self._write_lock, Session(self.engine) as s, s.begin():
                feeds_repo.record_success(s, feed.id, now, next_at, etag=res.etag,
                                          last_modified=res.last_modified, not_modified=True)
            return FeedPollResult(feed.id, "not_modified", next_poll_at=next_at)

        parse = self.parse_workers.parse if self.parse_workers is not None else parse_feed
        with self._memo_lock:
            memo = self._memos.get(feed.id)
        parsed = parse_incremental(res.content, res.headers, fetched_at=now, base_url=res.url,
                                   max_items=self.cfg.polling.max_items_per_feed, memo=memo, parse=parse)
        warnings = list(parsed.warnings)
        item_times = [e.published_at for e in parsed.entries if not (e.date_from_fetch or e.clamped)]
        item_times += [k.published_at for k in parsed.known if k.published_at is not None]
        next_at = self._next_ok(feed, now, item_times,
                                intervals.Hints(ttl_seconds=intervals.ttl_seconds(parsed.ttl_minutes),
                                                max_age=max_age))
        baseline = not state.baseline_done
        with Session(self.engine) as s:
            known = articles_repo.known_entries(s, [e.article_id for e in parsed.entries])
        fresh = [e for e in parsed.entries if e.article_id not in known or known[e.article_id][0] != e.entry_hash]
        same_ids = [e.article_id for e in parsed.entries if e.article_id in known
                    and known[e.article_id][0] == e.entry_hash]
        same_ids += [k.article_id for k in parsed.known]

        items: list[IncomingItem] = []
        pages_tried = pages_ok = deferred = 0
        # Pages are fetched one after the other; the budget keeps one poll well inside its lease.
        page_deadline = time.monotonic() + self.cfg.polling.lease_seconds / 2
        for entry in fresh:
            page: PageText | None = None
            if feed.full_text and entry.link:
                if pages_tried >= self.cfg.polling.max_pages_per_poll or time.monotonic() > page_deadline:
                    deferred += 1
                    continue
                pages_tried += 1
                page = self._page(entry, warnings)
                if page is not None and page.paragraphs:
                    pages_ok += 1
            item = entry_to_item(entry, feed, page, baseline=baseline)
            if item is None:
                warnings.append(f"entry {entry.article_id} has no text; skipped")
                continue
            previous = known.get(entry.article_id)
            if previous is not None and previous[1] == "fulltext" and item.text_source != "fulltext":
                # The page failed this time: keep the full version rather than store the teaser as
                # a new version (its missing sentences would read as withdrawn claims).
                warnings.append(f"entry {entry.article_id} changed but its page failed; kept the stored text")
                continue
            items.append(item)
        if deferred:
            warnings.append(f"{deferred} entries left for the next poll (page budget of this poll used up)")
            next_at = min(next_at, now + dt.timedelta(seconds=self.cfg.polling.min_interval))

        with self._write_lock, Session(self.engine) as s, s.begin():
            saved = articles_repo.save_items(s, items, now) if items else []
            articles_repo.touch_seen(s, same_ids, now)
            new_versions = [v for v in saved if v.is_new_version]
            if new_versions and self.on_new_versions is not None:
                self.on_new_versions(s, new_versions, baseline)
            # With entries left over, the validators are not stored (a 304 would hide them) and
            # a baseline stays a baseline until every entry of the first document is in.
            feeds_repo.record_success(s, feed.id, now, next_at, etag=res.etag, last_modified=res.last_modified,
                                      not_modified=False, complete=not deferred,
                                      empty_text=(pages_ok == 0) if pages_tried else None)

        self._remember(feed.id, parsed, stored={i.article_id for i in items} | set(same_ids))
        warnings.extend(self._archive(feed, new_versions, now))
        for w in warnings:
            log.info("feed %s: %s", feed.id, w)
        return FeedPollResult(feed.id, "ok", new_items=sum(v.is_new_item for v in new_versions),
                              new_versions=len(new_versions), seen=len(parsed.entries) + len(parsed.known),
                              baseline=baseline,
                              warnings=tuple(warnings), next_poll_at=next_at, deferred=deferred)

    def _remember(self, feed_id: str, parsed: ParsedFeed, stored: set[str]) -> None:
        """After the commit: the blocks of this document whose entries are now stored as parsed.

        Entries not stored (no text, page budget used up, page failed) are left out, so the next
        poll parses them again; a clamped date depends on the fetch time, so those too.
        """
        if parsed.context is None:
            with self._memo_lock:
                self._memos.pop(feed_id, None)
            return
        known: dict[int, KnownEntry] = {}
        for e in parsed.entries:
            d = parsed.digests.get(e.article_id)
            if d is not None and e.article_id in stored and not e.clamped:
                known[d] = KnownEntry(e.article_id, None if e.date_from_fetch else e.published_at)
        if parsed.known:
            with self._memo_lock:
                old = self._memos.get(feed_id)
            by_id = {k.article_id: k for k in parsed.known}
            if old is not None:
                known.update({d: k for d, k in old.known.items() if by_id.get(k.article_id) is k})
        with self._memo_lock:
            self._memos[feed_id] = ItemMemo(parsed.context, known)

    def _page(self, entry: FeedEntry, warnings: list[str]) -> PageText | None:
        assert entry.link is not None
        try:
            res = self.fetcher.get(entry.link, accept=PAGE_ACCEPT)
        except FetchError as exc:
            warnings.append(f"page of {entry.article_id} not fetched ({exc}); using the feed's text")
            return None
        if res.content_type not in _HTML_TYPES and "html" not in res.content_type:
            warnings.append(f"page of {entry.article_id} is {res.content_type}, not HTML; using the feed's text")
            return None
        # entry_to_item takes the title and date from the feed entry, never from the page
        page = extract_page(res.content, url=res.url, with_metadata=False)
        if not page.paragraphs:
            warnings.append(f"no main text found on the page of {entry.article_id}; using the feed's text")
        return page

    def _archive(self, feed: FeedConfig, versions: list[SavedVersion], now: dt.datetime) -> list[str]:
        if self.archive_dir is None or not versions:
            return []
        failures: list[str] = []
        for v in versions:
            try:
                archive.write_article(self.archive_dir, v.seq, v.article_id, v.text)
            except ArchiveError as exc:
                failures.append(str(exc))
        if failures:
            msg = f"archive: {len(failures)} of {len(versions)} files not written: {failures[0]}"
            log.warning("feed %s: %s", feed.id, msg)
            try:
                with self._write_lock, Session(self.engine) as s, s.begin():
                    feeds_repo.record_warning(s, feed.id, now, msg)
            except Exception:  # isolation boundary: the articles are stored; only the note is lost
                log.exception("feed %s: could not record the archive failure", feed.id)
            return [msg]
        return []

    # -- scheduling -----------------------------------------------------------------------------

    def _next_ok(self, feed: FeedConfig, now: dt.datetime, item_times: Sequence[dt.datetime],
                 hints: intervals.Hints) -> dt.datetime:
        """After a good poll: adapted to how often the feed publishes, honoring TTL and max-age."""
        return intervals.next_poll_at(now, configured=float(feed.interval), bounds=self._bounds, rng=self._rng,
                                      item_times=item_times, hints=hints)

    def backoff(self, feed: FeedConfig, errors: int, exc: BaseException | None) -> float:
        """Seconds until the next try after ``errors`` failures in a row (Retry-After honored)."""
        if isinstance(exc, FetchTLSError):
            return float(self.cfg.polling.backoff_max)  # a TLS failure will not fix itself in minutes
        retry_after = exc.retry_after if isinstance(exc, FetchStatusError) else None
        return intervals.next_interval(configured=float(feed.interval), bounds=self._bounds, rng=self._rng,
                                       hints=intervals.Hints(retry_after=retry_after),
                                       consecutive_errors=errors)

    def _failed(self, feed: FeedConfig, now: dt.datetime, exc: BaseException) -> FeedPollResult:
        message = f"{type(exc).__name__}: {exc}"
        log.warning("feed %s: %s", feed.id, message)
        next_at: dt.datetime | None = None
        try:
            with self._write_lock, Session(self.engine) as s, s.begin():
                state = feeds_repo.get_state(s, feed.id)
                errors = (state.consecutive_errors if state else 0) + 1
                next_at = now + dt.timedelta(seconds=self.backoff(feed, errors, exc))
                feeds_repo.record_error(s, feed.id, now, message, next_at)
        except Exception:  # isolation boundary: the database may be the thing that failed
            log.exception("feed %s: could not record the error", feed.id)
        return FeedPollResult(feed.id, "error", error=message, next_poll_at=next_at)

    # -- many feeds -----------------------------------------------------------------------------

    def poll_many(self, feeds: Sequence[FeedConfig],
                  progress: Callable[[FeedPollResult], None] | None = None) -> PollReport:
        """Poll feeds concurrently (``http.concurrency`` threads, ``http.per_host`` per host)."""
        started = time.monotonic()
        report = PollReport()
        if not feeds:
            return report
        workers = max(1, min(self.cfg.http.concurrency, len(feeds)))
        with Session(self.engine) as s:
            states = feeds_repo.get_states(s, [f.id for f in feeds])
        unchanged = _NotModifiedBatch()
        try:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poll") as pool:
                futures = [pool.submit(self.poll_feed, f, states.get(f.id), unchanged) for f in feeds]
                for fut in as_completed(futures):
                    r = fut.result()
                    report.results.append(r)
                    if progress is not None:
                        progress(r)
        finally:
            self._flush(unchanged)
        report.seconds = time.monotonic() - started
        return report


    def _flush(self, batch: _NotModifiedBatch) -> None:
        rows = batch.take()
        if not rows:
            return
        try:
            with self._write_lock, Session(self.engine) as s, s.begin():
                feeds_repo.record_not_modified(s, rows)
        except Exception:  # isolation boundary: the feeds are simply polled again when due
            log.exception("could not record %d not-modified polls", len(rows))


class _NotModifiedBatch:
    """304 answers of one ``poll_many``, written in one transaction at the end (most polls are 304s)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: list[feeds_repo.NotModified] = []

    def add(self, row: feeds_repo.NotModified) -> None:
        with self._lock:
            self._rows.append(row)

    def take(self) -> list[feeds_repo.NotModified]:
        with self._lock:
            rows, self._rows = self._rows, []
        return rows


def _with_time(r: FeedPollResult, seconds: float) -> FeedPollResult:
    return replace(r, seconds=seconds)


def archive_dir_of(cfg: MonitorConfig) -> Path | None:
    return Path(cfg.archive.dir) if cfg.archive.enabled else None


def sync_feeds(session: Session, feeds: Sequence[FeedConfig]) -> None:
    """Upsert the configured feeds (see ``feeds_repo.sync_feeds``)."""
    feeds_repo.sync_feeds(session, feeds)


def poll_feeds(engine: Engine, cfg: MonitorConfig, client: httpx.Client, feeds: Sequence[FeedConfig] | None = None,
               *, on_new_versions: OnNewVersions | None = None,
               progress: Callable[[FeedPollResult], None] | None = None,
               archive_dir: Path | None = None, parse_workers: ParseWorkers | None = None) -> PollReport:
    """Poll the given feeds (default: every enabled configured feed) once, whether due or not.

    ``parse_workers``: a long-lived pool to use; by default one is started for this call when
    ``polling.parse_processes`` asks for it.
    """
    chosen = [f for f in (feeds if feeds is not None else cfg.feeds) if f.enabled]
    with Session(engine) as s, s.begin():
        feeds_repo.sync_feeds(s, chosen)
    own: AbstractContextManager[ParseWorkers | None] = (
        nullcontext(parse_workers) if parse_workers is not None else parse_workers_for(cfg))
    with own as workers:
        poller = Poller(engine, cfg, Fetcher(client, cfg.http),
                        archive_dir=archive_dir if archive_dir is not None else archive_dir_of(cfg),
                        on_new_versions=on_new_versions, parse_workers=workers)
        return poller.poll_many(chosen, progress)


def parse_workers_for(cfg: MonitorConfig) -> AbstractContextManager[ParseWorkers | None]:
    """Parser worker processes as configured (``polling.parse_processes``), or None: parse in threads."""
    if cfg.polling.parse_processes <= 0:
        return nullcontext(None)
    return ParseWorkers(cfg.polling.parse_processes, memory_mb=cfg.polling.parse_memory_mb)


def poll_due_feeds(engine: Engine, cfg: MonitorConfig, client: httpx.Client, now: dt.datetime,
                   owner: str | None = None, *, on_new_versions: OnNewVersions | None = None,
                   limit: int | None = None, poller: Poller | None = None) -> PollReport:
    """Claim the enabled feeds that are due (with a lease for ``owner``) and poll them.

    For the daemon's tick. Feeds are synced by the caller (at start and on reload).
    """
    enabled = {f.id: f for f in cfg.feeds if f.enabled}
    who = owner or f"poller-{threading.get_ident()}"
    with Session(engine) as s, s.begin():
        ids = feeds_repo.claim_due_feeds(s, now, who, cfg.polling.lease_seconds,
                                         limit or max(1, cfg.http.concurrency * 4), list(enabled))
    feeds = [enabled[i] for i in ids]
    if poller is not None:
        return poller.poll_many(feeds)
    with parse_workers_for(cfg) as workers:
        return Poller(engine, cfg, Fetcher(client, cfg.http), archive_dir=archive_dir_of(cfg),
                      on_new_versions=on_new_versions, parse_workers=workers).poll_many(feeds)
