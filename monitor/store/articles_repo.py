"""Articles and their versions: batched, idempotent saves and listings.

``save_items`` is the one way items enter the store, whether they come from a feed poll or
from ``monitor ingest``. It finds every known id of a batch with one query, inserts new rows
in bulk, and decides per item whether the text is a new version (its hash changed) or the
same content seen again (only ``last_seen`` moves).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor import article as fmt
from monitor.errors import ArticleFormatError, StoreError
from monitor.store.tables import ArticleRow, ArticleVersion

TextSource = str  # fulltext | feed | summary | file

_SAVE_ATTEMPTS = 4
# Any constant works: it only has to be the same in every replica.
_PG_SEQ_LOCK = 0x6E657773  # "news"


@dataclass(frozen=True, slots=True)
class IncomingItem:
    """One item as a poll or an ingest produced it, ready to store."""

    article_id: str
    feed_id: str | None
    guid: str | None
    url: str | None
    title: str | None
    source: str | None
    published: dt.date
    published_at: dt.datetime | None
    date_from_fetch: bool
    language: str | None
    text: str  # the whole dated-article text
    text_source: TextSource
    baseline: bool = False
    entry_hash: str | None = None  # hash of the feed entry, see ``known_entry_hashes``


@dataclass(frozen=True, slots=True)
class SavedVersion:
    """What ``save_items`` did with one item."""

    article_id: str
    version: int
    seq: int
    is_new_item: bool
    is_new_version: bool
    text: str
    baseline: bool
    # what a pipeline callback needs to build a models.Article without another query
    feed_id: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    language: str | None = None
    published: dt.date | None = None


def _saved(it: IncomingItem, version: int, seq: int, new_item: bool, new_version: bool, text_: str,
           published: dt.date) -> SavedVersion:
    return SavedVersion(it.article_id, version, seq, new_item, new_version, text_, it.baseline,
                        feed_id=it.feed_id, url=it.url, title=it.title, source=it.source,
                        language=it.language, published=published)


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article as ``monitor articles`` lists it."""

    id: str
    seq: int | None
    feed_id: str | None
    published: dt.date
    title: str | None
    url: str | None
    language: str | None
    version: int
    text_source: str | None
    baseline: bool
    date_from_fetch: bool
    first_seen: dt.datetime
    last_seen: dt.datetime


def content_hash(text_: str) -> str:
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class _Known:
    version: int
    seq: int | None
    content_hash: str
    published: dt.date


def save_items(session: Session, items: Sequence[IncomingItem], now: dt.datetime) -> list[SavedVersion]:
    """Store a batch of items; return one ``SavedVersion`` per distinct article id, in input order.

    Idempotent: the same text again gives ``is_new_version=False`` and only updates
    ``last_seen``. A changed text becomes version n+1. An item whose date came from the fetch
    time keeps the date it got when first seen, so a re-poll does not look like a change.
    The caller owns the transaction (commit or roll back). Concurrent writers (threads,
    processes, replicas) are serialized for the duration of the caller's transaction: SQLite's
    write lock, a PostgreSQL advisory lock.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not items:
        return []
    if session.get_bind().dialect.name == "sqlite":
        # pysqlite turns the outermost SAVEPOINT into its own transaction (its RELEASE would
        # commit behind the caller's back), so no savepoint here. Instead a no-op UPDATE takes
        # SQLite's write lock first: max(seq) and the known ids are then read by the only writer.
        session.execute(text("UPDATE articles SET seq = seq WHERE 1 = 0"))
        return _save_once(session, items, now)
    last_exc: IntegrityError | None = None
    for _ in range(_SAVE_ATTEMPTS):
        try:
            with session.begin_nested():
                # Replicas would otherwise pick the same max(seq)+1; the lock ends with the transaction.
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_SEQ_LOCK})
                return _save_once(session, items, now)
        except IntegrityError as exc:  # a writer outside save_items took the same id: re-read, retry
            last_exc = exc
    raise StoreError(f"could not save {len(items)} items after {_SAVE_ATTEMPTS} attempts: {last_exc}")


def _save_once(session: Session, items: Sequence[IncomingItem], now: dt.datetime) -> list[SavedVersion]:
    ids = list(dict.fromkeys(it.article_id for it in items))
    known = _load_known(session, ids)
    top = session.scalar(select(func.max(ArticleRow.seq)))
    next_seq = (top if top is not None else -1) + 1  # seq 0 is a real number, not 'none yet'

    new_rows: list[dict[str, object]] = []
    version_rows: list[dict[str, object]] = []
    touched: list[str] = []
    changed: dict[str, dict[str, object]] = {}
    results: dict[str, SavedVersion] = {}
    for it in items:
        k = known.get(it.article_id)
        body_text = it.text
        if k is not None and it.date_from_fetch and k.published != it.published:
            body_text = _redate(it.text, k.published)
        h = content_hash(body_text)
        if k is None:
            seq = next_seq
            next_seq += 1
            new_rows.append(_row(it, seq, h, now))
            version_rows.append(_version(it.article_id, 1, body_text, h, now))
            known[it.article_id] = _Known(1, seq, h, it.published)
            results[it.article_id] = _saved(it, 1, seq, True, True, body_text, it.published)
            continue
        if k.seq is None:  # rows from before archive numbers existed
            k.seq = next_seq
            next_seq += 1
            changed.setdefault(it.article_id, {})["seq"] = k.seq
        if h == k.content_hash:
            touched.append(it.article_id)
            if it.entry_hash:
                changed.setdefault(it.article_id, {})["entry_hash"] = it.entry_hash
            prev = results.get(it.article_id)
            if prev is None:
                results[it.article_id] = _saved(it, k.version, k.seq, False, False, body_text, k.published)
            continue
        k.version += 1
        k.content_hash = h
        version_rows.append(_version(it.article_id, k.version, body_text, h, now))
        upd = changed.setdefault(it.article_id, {})
        upd.update(version=k.version, content_hash=h, last_seen=now, title=it.title, url=it.url,
                   text_source=it.text_source, entry_hash=it.entry_hash)
        if not it.date_from_fetch:
            upd.update(published=it.published, published_at=it.published_at, date_from_fetch=False)
        prev = results.get(it.article_id)
        results[it.article_id] = _saved(it, k.version, k.seq, bool(prev and prev.is_new_item), True, body_text,
                                        k.published if it.date_from_fetch else it.published)

    if new_rows:
        session.execute(insert(ArticleRow), new_rows)
    if version_rows:
        session.execute(insert(ArticleVersion), version_rows)
    if touched:
        for chunk in _chunks(sorted(set(touched) - changed.keys()), 500):
            session.execute(update(ArticleRow).where(ArticleRow.id.in_(chunk)).values(last_seen=now))
    for aid, values in changed.items():
        values.setdefault("last_seen", now)
        session.execute(update(ArticleRow).where(ArticleRow.id == aid).values(**values))
    session.flush()
    return [results[i] for i in ids]


def _redate(text_: str, date: dt.date) -> str:
    try:
        parsed = fmt.parse(text_)
    except ArticleFormatError:
        return text_
    return fmt.render(date, parsed.body)


def _row(it: IncomingItem, seq: int, h: str, now: dt.datetime) -> dict[str, object]:
    return {
        "id": it.article_id, "seq": seq, "feed_id": it.feed_id, "guid": it.guid, "url": it.url,
        "title": it.title, "source": it.source, "published": it.published,
        "published_at": it.published_at, "date_from_fetch": it.date_from_fetch,
        "language": it.language, "content_hash": h, "entry_hash": it.entry_hash,
        "text_source": it.text_source, "version": 1, "baseline": it.baseline,
        "first_seen": now, "last_seen": now,
    }


def _version(article_id: str, version: int, text_: str, h: str, now: dt.datetime) -> dict[str, object]:
    return {"article_id": article_id, "version": version, "text": text_, "content_hash": h,
            "fetched_at": now, "extracted": False}


def _chunks(seq: Sequence[str], n: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _load_known(session: Session, ids: Sequence[str]) -> dict[str, _Known]:
    out: dict[str, _Known] = {}
    for chunk in _chunks(ids, 500):
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.version, ArticleRow.seq, ArticleRow.content_hash,
                   ArticleRow.published).where(ArticleRow.id.in_(chunk)))
        for r in rows:
            out[r.id] = _Known(r.version, r.seq, r.content_hash, r.published)
    return out


def known_entries(session: Session, ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """The stored feed-entry hash and text source of each known id (absent ids are new items)."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for chunk in _chunks(list(dict.fromkeys(ids)), 500):
        for r in session.execute(select(ArticleRow.id, ArticleRow.entry_hash, ArticleRow.text_source)
                                 .where(ArticleRow.id.in_(chunk))):
            out[r.id] = (r.entry_hash, r.text_source)
    return out


def known_entry_hashes(session: Session, ids: Sequence[str]) -> dict[str, str | None]:
    """The stored feed-entry hash of each known id (absent ids are new items)."""
    return {k: v[0] for k, v in known_entries(session, ids).items()}


def touch_seen(session: Session, ids: Sequence[str], now: dt.datetime) -> None:
    """Mark items seen again without new content (their feed entry did not change)."""
    for chunk in _chunks(sorted(set(ids)), 500):
        session.execute(update(ArticleRow).where(ArticleRow.id.in_(chunk)).values(last_seen=now))


def list_articles(session: Session, feed_id: str | None = None, since: dt.date | None = None,
                  limit: int | None = None) -> list[ArticleInfo]:
    """Articles newest first (by date, then archive number)."""
    q = select(ArticleRow)
    if feed_id is not None:
        q = q.where(ArticleRow.feed_id == feed_id)
    if since is not None:
        q = q.where(ArticleRow.published >= since)
    q = q.order_by(ArticleRow.published.desc(), ArticleRow.seq.desc())
    if limit is not None:
        q = q.limit(limit)
    return [ArticleInfo(id=r.id, seq=r.seq, feed_id=r.feed_id, published=r.published, title=r.title,
                        url=r.url, language=r.language, version=r.version, text_source=r.text_source,
                        baseline=r.baseline, date_from_fetch=r.date_from_fetch, first_seen=r.first_seen,
                        last_seen=r.last_seen)
            for r in session.scalars(q)]


def latest_text(session: Session, article_id: str) -> str | None:
    """The newest version's dated-article text, or None for an unknown id."""
    return session.scalar(select(ArticleVersion.text).where(ArticleVersion.article_id == article_id)
                          .order_by(ArticleVersion.version.desc()).limit(1))


__all__ = ["ArticleInfo", "IncomingItem", "SavedVersion", "content_hash", "known_entries", "known_entry_hashes",
           "latest_text", "list_articles", "save_items", "touch_seen"]
