"""Feed bytes -> entries: refusal of entity declarations, feedparser, item identity, dates.

Pure functions over bytes and headers; the fetch happens elsewhere.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import feedparser

from monitor import article as fmt
from monitor.errors import FeedEntityError, FeedError

# Zone abbreviations feedparser does not know and silently reads as UTC.
ZONE_OFFSETS: dict[str, int] = {
    "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120, "WET": 0, "WEST": 60, "WEZ": 0, "WESZ": 60,
    "EET": 120, "EEST": 180, "OEZ": 120, "OESZ": 180, "BST": 60, "MSK": 180, "MSD": 240,
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420,
}
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "mär": 3, "mrz": 3, "apr": 4, "may": 5, "mai": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12, "dez": 12,
}
_RFC822ISH = re.compile(
    r"^(?:[A-Za-zäÄ]{2,9}\.?,?\s+)?(\d{1,2})\.?\s+([A-Za-zäÄ]{3,9})\.?\s+(\d{2,4})\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([+-]\d{2}:?\d{2})|([A-Za-z]{1,5}))?\s*$")
_TRACKING = re.compile(r"^(utm_[a-z]+|at_[a-z_]+|wt_mc|wt\.mc_id|ns_[a-z]+|cmp|xtor|ref|fbclid|gclid|"
                       r"icid|ocid|mc_cid|mc_eid|dicbo|seite)$", re.IGNORECASE)
_MAX_ENTITY_SCAN = 256_000


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, with identity and a UTC time already decided."""

    article_id: str
    guid: str | None
    link: str | None  # canonical link
    title: str | None
    summary: str | None  # HTML as in the feed
    content: str | None  # full content (content:encoded, atom:content) as HTML
    published_at: dt.datetime  # timezone-aware UTC
    date_from_fetch: bool  # the item had no usable date
    clamped: bool  # the item's date lay in the future and was clamped to the fetch time
    entry_hash: str  # changes when the entry as published changes

    def local_date(self, tz: str) -> dt.date:
        return self.published_at.astimezone(ZoneInfo(tz)).date()


@dataclass(frozen=True, slots=True)
class KnownEntry:
    """An item the last poll of this feed stored, found again byte for byte (not parsed again)."""

    article_id: str
    published_at: dt.datetime | None  # None: the item has no date of its own


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    language: str | None
    entries: list[FeedEntry]
    warnings: list[str] = field(default_factory=list)
    ttl_minutes: int | None = None
    # Filled by ``parse_incremental`` only: items known from the feed's ItemMemo, and for the
    # memo of the next poll the document's context and each parsed entry's item digest.
    known: list[KnownEntry] = field(default_factory=list)
    context: int | None = None
    digests: dict[str, int] = field(default_factory=dict)
    # for each entry, its position among the document's raw entries (before skips and duplicates)
    raw_index: list[int] = field(default_factory=list)
    raw_count: int = 0


def check_no_entities(content: bytes) -> None:
    """Raise FeedEntityError if the document's prolog declares entities.

    feedparser's fallback parser expands declared entities without limit (a 62 KB quadratic
    bomb becomes ~779 MB), so such feeds are refused before any parser sees them.
    """
    head = content[:_MAX_ENTITY_SCAN]
    for text in _decodings(head):
        low = text.lower()
        start = low.find("<!doctype")
        if start < 0:
            if "<!entity" in low[: _first_element(low, 0)]:
                raise FeedEntityError("the feed declares XML entities; refused (entity-expansion risk)")
            continue
        bracket = low.find("[", start)
        close = low.find(">", start)
        if 0 <= bracket < close or (bracket >= 0 and close < 0):
            end = low.find("]", bracket)
            prolog = low[start:] if end < 0 else low[start:end]
        else:
            prolog = low[start:close if close >= 0 else None]
        if "<!entity" in prolog:
            raise FeedEntityError("the feed declares XML entities in its DOCTYPE; refused "
                                  "(entity-expansion risk)")


def _first_element(low: str, start: int) -> int:
    m = re.compile(r"<[a-z_]").search(low, start)
    return m.start() if m else len(low)


def _decodings(head: bytes) -> list[str]:
    out = [head.decode("latin-1")]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:64]:
        for enc in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            try:
                out.append(head.decode(enc, errors="ignore"))
            except LookupError:  # pragma: no cover - all are standard codecs
                continue
    return out


def parse_date(raw: str | None, parsed: time.struct_time | None) -> dt.datetime | None:
    """A timezone-aware UTC time from a feed date, correcting zone names feedparser misreads."""
    if raw:
        own = _parse_rfc822ish(raw.strip())
        if own is not None:
            return own
    if parsed is not None:
        try:
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
        except (OverflowError, ValueError, OSError):
            return None
    return None


def _parse_rfc822ish(raw: str) -> dt.datetime | None:
    m = _RFC822ISH.match(raw)
    if not m:
        return None
    day, mon, year, hh, mm, ss, offset, zone = m.groups()
    month = _MONTHS.get(mon[:3].lower()) or _MONTHS.get(mon[:4].lower())
    if month is None:
        return None
    y = int(year)
    if y < 100:
        y += 2000 if y < 70 else 1900
    if offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        minutes = sign * (int(digits[:2]) * 60 + int(digits[2:]))
    elif zone:
        z = zone.upper()
        if z not in ZONE_OFFSETS:
            return None  # let feedparser decide
        minutes = ZONE_OFFSETS[z]
    else:
        minutes = 0
    try:
        local = dt.datetime(y, month, int(day), int(hh), int(mm), int(ss or 0),
                            tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    except ValueError:
        return None
    return local.astimezone(dt.UTC)


def canonical_link(link: str | None) -> str | None:
    """A stable form of an item link: trimmed, lower-case host, no fragment, no tracking params."""
    if not link:
        return None
    link = re.sub(r"\s+", "", link)
    try:
        parts = urlsplit(link)
    except ValueError:
        return link or None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return link or None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def identity(guid: str | None, link: str | None, title: str | None, summary: str | None) -> str:
    """The 16-hex item id: GUID, else canonical link, else a hash of title and summary."""
    if guid and guid.strip():
        return fmt.item_id(guid.strip())
    if link:
        return fmt.item_id(link)
    basis = f"{(title or '').strip()}\n{(summary or '').strip()}"
    return fmt.item_id("content:" + hashlib.sha256(basis.encode("utf-8")).hexdigest())


def parse_feed(content: bytes, headers: Mapping[str, str] | None = None, *, fetched_at: dt.datetime,
               base_url: str | None = None, max_items: int = 500) -> ParsedFeed:
    """Entries of a feed document. Raises FeedEntityError or FeedError; oddities become warnings."""
    if fetched_at.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    check_no_entities(content)
    hdrs = {k.lower(): v for k, v in (headers or {}).items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")}
    # No Content-Location: feedparser would resolve a GUID like "li.123" against the feed's URL,
    # and an item's identity must not change when the feed moves. Links are resolved below.
    hdrs.pop("content-location", None)
    # No sanitizing or URI rewriting inside HTML: the monitor never renders feed HTML, it turns
    # it into plain text (monitor.fulltext.html_to_paragraphs), and both passes cost more than
    # the parse itself.
    d: Any = feedparser.parse(content, response_headers=hdrs, sanitize_html=False,
                              resolve_relative_uris=False)
    warnings: list[str] = []
    version = d.get("version") or ""
    if not d.entries and not version:
        why = d.get("bozo_exception")
        raise FeedError(f"not a feed: {why}" if why else "not an RSS/Atom/RDF feed (no entries, no version)")
    if d.get("bozo"):
        warnings.append(f"feed is not well-formed: {d.get('bozo_exception')}")
    entries: list[FeedEntry] = []
    raw_index: list[int] = []
    seen: set[str] = set()
    for i, e in enumerate(d.entries[:max_items]):
        entry = _entry(e, fetched_at, warnings, base_url)
        if entry is None or entry.article_id in seen:
            continue
        seen.add(entry.article_id)
        entries.append(entry)
        raw_index.append(i)
    if len(d.entries) > max_items:
        warnings.append(f"feed has {len(d.entries)} entries; only the first {max_items} were read")
    feed = d.get("feed", {})
    ttl = feed.get("ttl")
    return ParsedFeed(title=feed.get("title"), language=(feed.get("language") or None),
                      entries=entries, warnings=warnings, raw_index=raw_index, raw_count=len(d.entries),
                      ttl_minutes=int(ttl) if isinstance(ttl, str) and ttl.strip().isdigit() else None)


def _entry(e: Any, fetched_at: dt.datetime, warnings: list[str], base_url: str | None) -> FeedEntry | None:
    guid = (_get(e, "id") or "").strip() or None
    raw_link = (_get(e, "link") or "").strip()
    link = canonical_link(urljoin(base_url, raw_link) if base_url and raw_link else raw_link)
    title = (_get(e, "title") or "").strip() or None
    summary = _get(e, "summary") or None
    content = None
    for c in _get(e, "content") or []:
        value = c.get("value") if isinstance(c, dict) else None
        if value and value.strip() and value != summary:
            content = value
            break
    if not (guid or link or title or summary or content):
        warnings.append("an entry without id, link, title or text was skipped")
        return None
    raw = _get(e, "published") or _get(e, "updated") or _get(e, "created")
    parsed = _get(e, "published_parsed") or _get(e, "updated_parsed") or _get(e, "created_parsed")
    when = parse_date(raw, parsed)
    date_from_fetch = when is None
    clamped = False
    if when is None:
        when = fetched_at.astimezone(dt.UTC)
    elif when > fetched_at:
        when = fetched_at.astimezone(dt.UTC)
        clamped = True
    h = hashlib.sha256("\x1f".join([guid or "", link or "", title or "", summary or "", content or "",
                                    raw or "", _get(e, "updated") or ""]).encode("utf-8")).hexdigest()
    return FeedEntry(article_id=identity(guid, link, title, summary), guid=guid, link=link, title=title,
                     summary=summary, content=content, published_at=when, date_from_fetch=date_from_fetch,
                     clamped=clamped, entry_hash=h)


def _get(e: Any, key: str) -> Any:
    # dict.get skips FeedParserDict's key aliases (and their deprecation warnings): we ask for
    # exactly the field we mean, e.g. "updated" only when the feed has one.
    return dict.get(e, key)


# -- incremental parsing ------------------------------------------------------------------------
#
# Most changed feeds differ from their last poll by one or two items. feedparser costs ~10 ms
# for a 40-item document, so the raw document is split into its item blocks with a byte scan,
# each block is hashed, and feedparser only sees the blocks the last poll did not store (inside
# the document's own header and tail, so namespaces, encoding and xml:base are the same).
# Anything the scan is not sure about (no plain item tags, tags not strictly alternating,
# anything but whitespace between items, a malformed reduced document, entries that do not map
# one to one onto blocks) falls back to parsing the whole document.

_OPEN = {b"item": re.compile(rb"<item[\s>]"), b"entry": re.compile(rb"<entry[\s>]")}
_CLOSE = {b"item": re.compile(rb"</item\s*>"), b"entry": re.compile(rb"</entry\s*>")}
# Between two items: whitespace and comments only (feedparser ignores both).
_GAP = re.compile(rb"(?:\s+|<!--(?:(?!-->).)*-->)*", re.DOTALL)
# Feed-level dates that change with every new item but do not change how items read.
_VOLATILE = re.compile(rb"<(lastBuildDate|pubDate|updated|dc:date)>[^<]{0,200}</\1>")


@dataclass(frozen=True, slots=True)
class ItemMemo:
    """What the last successful poll of a feed stored: block digest -> the entry it was."""

    context: int
    known: dict[int, KnownEntry]


@dataclass(frozen=True, slots=True)
class _Split:
    header: bytes
    blocks: list[bytes]
    tail: bytes
    context: int


ParseCall = Callable[..., ParsedFeed]


def _digest(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def split_items(content: bytes, headers: Mapping[str, str] | None = None,
                base_url: str | None = None) -> _Split | None:
    """Header, item blocks and tail of a document, or None when a byte scan cannot be sure."""
    tag = b"item" if b"<item" in content else b"entry" if b"<entry" in content else None
    if tag is None:
        return None
    opens = [m.start() for m in _OPEN[tag].finditer(content)]
    closes = [m.end() for m in _CLOSE[tag].finditer(content)]
    if not opens or len(opens) != len(closes):
        return None
    blocks: list[bytes] = []
    prev_end = opens[0]
    for start, end in zip(opens, closes, strict=True):
        if start >= end or not _GAP.fullmatch(content, prev_end, start):
            return None  # nested, out of order, or something between two items
        blocks.append(content[start:end])
        prev_end = end
    header, tail = content[:opens[0]], content[closes[-1]:]
    if _CLOSE[tag].search(header) or _OPEN[tag].search(tail):
        return None
    hdrs = headers or {}
    basis = b"\x1f".join([(base_url or "").encode(), _VOLATILE.sub(b"", header), tail,
                          str(hdrs.get("content-type", "")).encode(), str(hdrs.get("content-language", "")).encode()])
    return _Split(header, blocks, tail, _digest(basis))


def parse_incremental(content: bytes, headers: Mapping[str, str] | None = None, *, fetched_at: dt.datetime,
                      base_url: str | None = None, max_items: int = 500, memo: ItemMemo | None = None,
                      parse: ParseCall = parse_feed) -> ParsedFeed:
    """Like ``parse_feed``, but items the memo knows come back in ``known``, not parsed again.

    ``parse`` is ``parse_feed`` or a worker pool's ``parse``. The result's ``context`` and
    ``digests`` let the caller build the memo for the next poll from what it stored.
    """
    split = split_items(content, headers, base_url)
    if split is None:
        return parse(content, headers, fetched_at=fetched_at, base_url=base_url, max_items=max_items)
    check_no_entities(content)
    blocks = split.blocks[:max_items]
    digests = [_digest(b) for b in blocks]
    known = memo.known if memo is not None and memo.context == split.context else {}
    if known and any(d in known for d in digests):
        new = [(b, d) for b, d in zip(blocks, digests, strict=True) if d not in known]
        reduced = split.header + b"".join(b for b, _d in new) + split.tail
        try:
            part = parse(reduced, headers, fetched_at=fetched_at, base_url=base_url, max_items=max_items)
        except FeedError:
            part = None
        if part is not None and _aligned(part, len(new)):
            by_digest = {new[i][1]: e for i, e in zip(part.raw_index, part.entries, strict=True)}
            entries: list[FeedEntry] = []
            entry_digests: dict[str, int] = {}
            seen_known: list[KnownEntry] = []
            ids: set[str] = set()
            for d in digests:
                k = known.get(d)
                if k is None and d not in by_digest:
                    continue  # skipped, or a duplicate within the new blocks
                aid = k.article_id if k is not None else by_digest[d].article_id
                if aid in ids:
                    continue  # the same item twice: the first one counts, as in parse_feed
                ids.add(aid)
                if k is not None:
                    seen_known.append(k)
                else:
                    entries.append(by_digest[d])
                    entry_digests[aid] = d
            warnings = ([f"feed has {len(split.blocks)} entries; only the first {max_items} were read"]
                        if len(split.blocks) > max_items else [])
            return ParsedFeed(title=part.title, language=part.language, entries=entries, warnings=warnings,
                              ttl_minutes=part.ttl_minutes, known=seen_known, context=split.context,
                              digests=entry_digests)
    full = parse(content, headers, fetched_at=fetched_at, base_url=base_url, max_items=max_items)
    if not _aligned(full, len(blocks)):
        return full
    return replace(full, context=split.context,
                   digests={e.article_id: digests[i] for i, e in zip(full.raw_index, full.entries, strict=True)})


def _aligned(parsed: ParsedFeed, blocks: int) -> bool:
    """Whether feedparser saw exactly the blocks the scan found, each as one entry."""
    if parsed.raw_count != blocks or len(parsed.raw_index) != len(parsed.entries):
        return False
    # Repairs, or entries skipped for want of any content, make the parse the authority.
    return not any(w.startswith(("feed is not well-formed", "an entry without")) for w in parsed.warnings)
