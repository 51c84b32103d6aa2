"""Feeds and their poll state: sync from config, claim due feeds with leases, record outcomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, Text, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from monitor.config import FeedConfig
from monitor.store.tables import ArticleRow, Feed


@dataclass(frozen=True, slots=True)
class FeedState:
    """What a poll needs to know about a feed before it fetches."""

    id: str
    etag: str | None
    last_modified: str | None
    baseline_done: bool
    consecutive_errors: int
    empty_text_streak: int
    # publication times of the feed's newest stored items: how often it publishes
    recent_item_times: tuple[dt.datetime, ...] = ()


def sync_feeds(session: Session, feeds: Sequence[FeedConfig]) -> None:
    """Insert configured feeds that are new; update the ones whose settings changed.

    A changed URL drops the stored validators (ETag/Last-Modified belong to the old URL).
    Feeds no longer configured keep their rows: their articles still point at them.
    """
    by_id = {f.id: f for f in feeds}
    existing = {r.id: r for r in session.scalars(select(Feed).where(Feed.id.in_(list(by_id))))}
    for fid, f in by_id.items():
        row = existing.get(fid)
        if row is None:
            session.add(Feed(id=fid, url=f.url, name=f.name, language=f.language, interval_s=f.interval,
                             next_poll_at=None, consecutive_errors=0, baseline_done=False,
                             empty_text_streak=0))
            continue
        if row.url != f.url:
            row.url, row.etag, row.last_modified = f.url, None, None
        if row.name != f.name:
            row.name = f.name
        if row.language != f.language:
            row.language = f.language
        if row.interval_s != f.interval:
            row.interval_s = f.interval
    session.flush()


def get_state(session: Session, feed_id: str) -> FeedState | None:
    return get_states(session, [feed_id]).get(feed_id)


RECENT_ITEMS = 20


def recent_item_times(session: Session, feed_ids: Sequence[str],
                      per_feed: int = RECENT_ITEMS) -> dict[str, tuple[dt.datetime, ...]]:
    """The newest ``per_feed`` publication times of each feed's items, newest first (one query)."""
    if not feed_ids:
        return {}
    rn = func.row_number().over(partition_by=ArticleRow.feed_id,
                                order_by=ArticleRow.published_at.desc()).label("rn")
    inner = (select(ArticleRow.feed_id, ArticleRow.published_at, rn)
             .where(ArticleRow.feed_id.in_(list(feed_ids)), ArticleRow.published_at.is_not(None))
             .subquery())
    out: dict[str, list[dt.datetime]] = {}
    for fid, at in session.execute(select(inner.c.feed_id, inner.c.published_at).where(inner.c.rn <= per_feed)
                                   .order_by(inner.c.feed_id, inner.c.published_at.desc())):
        if at is not None:
            out.setdefault(fid, []).append(at if at.tzinfo else at.replace(tzinfo=dt.UTC))
    return {k: tuple(v) for k, v in out.items()}


def get_states(session: Session, feed_ids: Sequence[str]) -> dict[str, FeedState]:
    """The poll state of many feeds in one query (absent ids are not in the table yet)."""
    out: dict[str, FeedState] = {}
    ids = list(feed_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        times = recent_item_times(session, chunk)
        for row in session.scalars(select(Feed).where(Feed.id.in_(chunk))):
            out[row.id] = FeedState(row.id, row.etag, row.last_modified, bool(row.baseline_done),
                                    row.consecutive_errors or 0, row.empty_text_streak or 0,
                                    times.get(row.id, ()))
    return out


@dataclass(frozen=True, slots=True)
class NotModified:
    """A 304 answer to record."""

    feed_id: str
    at: dt.datetime
    next_poll_at: dt.datetime
    etag: str | None
    last_modified: str | None


def record_not_modified(session: Session, rows: Sequence[NotModified]) -> None:
    """Record many 304 answers at once: one executemany of one UPDATE, one transaction.

    Core, not ORM: an ORM UPDATE per row costs ~1 ms of statement building, which for the
    hundreds of 304s of one tick was most of the tick. A 304 without validators keeps the
    stored ones (COALESCE).
    """
    if not rows:
        return
    t = cast(Table, Feed.__table__)
    when = t.c.last_poll_at.type
    stmt = (update(t).where(t.c.id == bindparam("fid"))
            .values(last_poll_at=bindparam("at", type_=when), last_ok_at=bindparam("at", type_=when),
                    consecutive_errors=0, next_poll_at=bindparam("next_at", type_=when), lease_owner=None, lease_until=None,
                    etag=func.coalesce(bindparam("new_etag", type_=Text), t.c.etag),
                    last_modified=func.coalesce(bindparam("new_lm", type_=Text), t.c.last_modified)))
    session.connection().execute(stmt, [
        {"fid": r.feed_id, "at": r.at, "next_at": r.next_poll_at,
         "new_etag": r.etag or None, "new_lm": r.last_modified or None} for r in rows])


def claim_due_feeds(session: Session, now: dt.datetime, owner: str, lease_seconds: int, limit: int,
                    feed_ids: Sequence[str] | None = None) -> list[str]:
    """Lease up to ``limit`` due feeds to ``owner``; return their ids, most overdue first.

    Due: never polled or ``next_poll_at <= now``, and not leased by anyone else (or the lease
    expired, so the work of a killed replica is taken over). On PostgreSQL the rows are locked
    with ``FOR UPDATE SKIP LOCKED`` so replicas claiming at the same moment never get the same
    feed. The caller commits.
    """
    q = (select(Feed.id)
         .where(or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now))
         .where(or_(Feed.lease_until.is_(None), Feed.lease_until < now, Feed.lease_owner == owner))
         .order_by(Feed.next_poll_at.asc().nulls_first(), Feed.id)
         .limit(limit))
    if feed_ids is not None:
        if not feed_ids:
            return []
        q = q.where(Feed.id.in_(list(feed_ids)))
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    ids = list(session.scalars(q))
    if ids:
        until = now + dt.timedelta(seconds=lease_seconds)
        session.execute(update(Feed).where(Feed.id.in_(ids)).values(lease_owner=owner, lease_until=until))
    return ids


def release(session: Session, feed_ids: Sequence[str], owner: str) -> None:
    """Give up leases this owner still holds (e.g. at shutdown)."""
    if feed_ids:
        session.execute(update(Feed).where(Feed.id.in_(list(feed_ids)), Feed.lease_owner == owner)
                        .values(lease_owner=None, lease_until=None))


def record_success(session: Session, feed_id: str, now: dt.datetime, next_poll_at: dt.datetime, *,
                   etag: str | None, last_modified: str | None, not_modified: bool,
                   empty_text: bool | None = None, complete: bool = True) -> None:
    """A poll that got 200 or 304: reset errors, store validators, set the baseline flag.

    ``complete=False`` (entries were left for the next poll) keeps the old validators and the
    baseline flag, so the next poll gets the whole document again and is still a baseline.
    """
    values: dict[str, object] = dict(last_poll_at=now, last_ok_at=now, consecutive_errors=0,
                                     next_poll_at=next_poll_at, lease_owner=None, lease_until=None)
    if not not_modified:
        if complete:
            values.update(etag=etag, last_modified=last_modified, baseline_done=True)
    elif etag or last_modified:
        # A 304 may carry fresher validators; keep the ones we have otherwise.
        values.update({k: v for k, v in (("etag", etag), ("last_modified", last_modified)) if v})
    session.execute(update(Feed).where(Feed.id == feed_id).values(**values))
    if empty_text is not None:
        row = session.get(Feed, feed_id)
        if row is not None:
            row.empty_text_streak = (row.empty_text_streak or 0) + 1 if empty_text else 0


def record_error(session: Session, feed_id: str, now: dt.datetime, message: str,
                 next_poll_at: dt.datetime) -> int:
    """A failed poll: store time and message, count it, schedule the retry. Returns the count."""
    row = session.get(Feed, feed_id)
    if row is None:
        return 0
    row.consecutive_errors = (row.consecutive_errors or 0) + 1
    row.last_error = message[:2000]
    row.last_error_at = now
    row.last_poll_at = now
    row.next_poll_at = next_poll_at
    row.lease_owner = None
    row.lease_until = None
    return row.consecutive_errors


def record_warning(session: Session, feed_id: str, now: dt.datetime, message: str) -> None:
    """Something went wrong beside the poll (archive write): visible, but not a failed poll."""
    session.execute(update(Feed).where(Feed.id == feed_id)
                    .values(last_error=message[:2000], last_error_at=now))


def list_feeds(session: Session) -> list[Feed]:
    return list(session.scalars(select(Feed).order_by(Feed.id)))
