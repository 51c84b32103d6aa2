"""Incremental feed parsing (``feeds.parse_incremental``) gives what a full parse gives.

Guard: every real feed under ../shared/realdata/feeds and every document of feedparser's test
corpus, read in place. For each one the memo of a poll that stored the document without its
first item is built, then the whole document is parsed incrementally: the entries parsed plus
the entries taken from the memo must be exactly the entries of a full ``parse_feed`` (ids,
hashes, dates, texts), in the same order, and only the new block may reach feedparser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitor.errors import MonitorError
from monitor.feeds import (
    FeedEntry,
    ItemMemo,
    KnownEntry,
    ParsedFeed,
    parse_feed,
    parse_incremental,
    split_items,
)
from monitor.fetch import Fetcher
from monitor.poll import Poller
from monitor.store.tables import ArticleRow
from tests.poll.conftest import make_config
from tests.support.feed_server import REALDATA, FeedServer, make_rss

FETCHED = dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC)
BASE = "https://feeds.example/feed.xml"


def documents() -> list[Path]:
    feeds = sorted(p for p in (REALDATA / "feeds").glob("*") if p.is_file())
    corpus = sorted(p for p in (REALDATA / "feedparser_tests").rglob("*") if p.is_file())
    return feeds + corpus


class Counting:
    """parse_feed, recording the size of every document it is given."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def __call__(self, content: bytes, headers: Mapping[str, str] | None = None, **kw: Any) -> ParsedFeed:
        self.sizes.append(len(content))
        return parse_feed(content, headers, **kw)


def memo_of(parsed: ParsedFeed) -> ItemMemo | None:
    """The memo a poll builds after storing every entry of ``parsed``."""
    if parsed.context is None:
        return None
    known = {parsed.digests[e.article_id]: KnownEntry(e.article_id, None if e.date_from_fetch else e.published_at)
             for e in parsed.entries if not e.clamped}
    return ItemMemo(parsed.context, known)


def compare(name: str, full: ParsedFeed, inc: ParsedFeed) -> list[str]:
    """Differences between an incremental and a full parse of the same document."""
    by_id: dict[str, FeedEntry] = {e.article_id: e for e in full.entries}
    got_ids = [e.article_id for e in inc.entries] + [k.article_id for k in inc.known]
    if sorted(got_ids) != sorted(by_id) or len(got_ids) != len(set(got_ids)):
        return [f"{name}: ids differ"]
    out = []
    if any(e != by_id[e.article_id] for e in inc.entries):
        out.append(f"{name}: a parsed entry differs")
    if any(k.published_at != (None if by_id[k.article_id].date_from_fetch else by_id[k.article_id].published_at)
           for k in inc.known):
        out.append(f"{name}: date of a known entry differs")
    if (inc.title, inc.ttl_minutes) != (full.title, full.ttl_minutes):
        out.append(f"{name}: feed title or ttl differs")
    return out


def test_incremental_equals_full_parse_on_real_feeds_and_the_corpus() -> None:
    checked = reduced = 0
    mismatches: list[str] = []
    for path in documents():
        raw = path.read_bytes()
        split = split_items(raw, None, BASE)
        if split is None:
            continue
        try:
            full = parse_feed(raw, fetched_at=FETCHED, base_url=BASE)
        except MonitorError:
            continue
        name = str(path.relative_to(REALDATA))
        # earlier polls: the same document, and (with two items or more) the one without its first item
        earlier = [raw] + ([split.header + b"".join(split.blocks[1:]) + split.tail] if len(split.blocks) > 1 else [])
        for before in earlier:
            try:
                memo = memo_of(parse_incremental(before, fetched_at=FETCHED, base_url=BASE))
            except MonitorError:
                continue
            counting = Counting()
            inc = parse_incremental(raw, fetched_at=FETCHED, base_url=BASE, memo=memo, parse=counting)
            checked += 1
            mismatches += compare(name, full, inc)
            if inc.known:
                reduced += 1
                assert counting.sizes and max(counting.sizes) < len(raw), name
    assert not mismatches, mismatches[:20]
    # the real feeds and a good share of the corpus take the reduced path
    assert checked > 500 and reduced > 300, (checked, reduced)


def test_unchanged_items_are_not_parsed_again() -> None:
    items = [{"guid": f"g{i}", "title": f"Meldung {i}", "link": f"https://news.example/{i}",
              "description": f"Text {i} über Charkiw.", "pubDate": "Mon, 01 Sep 2025 08:00:00 +0200"}
             for i in range(10)]
    old = make_rss(items[1:])
    new = make_rss(items)
    first = parse_incremental(old, fetched_at=FETCHED, base_url=BASE)
    counting = Counting()
    second = parse_incremental(new, fetched_at=FETCHED, base_url=BASE, memo=memo_of(first), parse=counting)
    assert [e.guid for e in second.entries] == ["g0"]
    assert len(second.known) == 9
    assert len(counting.sizes) == 1 and counting.sizes[0] < len(new) / 3


def test_a_changed_item_is_parsed_again_and_a_changed_header_parses_all() -> None:
    items = [{"guid": f"g{i}", "title": f"Meldung {i}", "link": f"https://news.example/{i}",
              "description": f"Text {i}.", "pubDate": "Mon, 01 Sep 2025 08:00:00 +0200"} for i in range(5)]
    memo = memo_of(parse_incremental(make_rss(items), fetched_at=FETCHED, base_url=BASE))
    edited = [dict(it) for it in items]
    edited[3]["description"] = "Text 3, korrigiert."
    again = parse_incremental(make_rss(edited), fetched_at=FETCHED, base_url=BASE, memo=memo)
    assert [e.guid for e in again.entries] == ["g3"] and len(again.known) == 4
    # another feed title may mean another context: nothing is taken from the memo
    other = parse_incremental(make_rss(edited, title="Anderer Feed"), fetched_at=FETCHED, base_url=BASE, memo=memo)
    assert len(other.entries) == 5 and not other.known


def test_poller_stores_the_same_with_the_memo(sqlite_engine: Engine, tmp_path: Path) -> None:
    items = [{"guid": f"g{i}", "title": f"Meldung {i}", "link": f"https://news.example/{i}",
              "description": f"Bericht {i} aus Charkiw.", "pubDate": "Mon, 01 Sep 2025 08:00:00 +0200"}
             for i in range(8)]
    with FeedServer() as srv:
        url = srv.route("/f.xml", body=make_rss(items[2:]), etag='"1"')
        cfg = make_config(tmp_path, [{"id": "f", "url": url, "full_text": False}])
        from monitor.fetch import make_client

        with make_client(cfg.http) as client:
            poller = Poller(sqlite_engine, cfg, Fetcher(client, cfg.http))
            r1 = poller.poll_feed(cfg.feeds[0])
            srv.route("/f.xml", body=make_rss(items), etag='"2"')
            r2 = poller.poll_feed(cfg.feeds[0])
            edited = [dict(it) for it in items]
            edited[5]["description"] = "Bericht 5, korrigiert."
            srv.route("/f.xml", body=make_rss(edited), etag='"3"')
            r3 = poller.poll_feed(cfg.feeds[0])
    assert (r1.outcome, r1.new_items, r1.seen) == ("ok", 6, 6)
    assert (r2.outcome, r2.new_items, r2.new_versions, r2.seen) == ("ok", 2, 2, 8)
    assert (r3.outcome, r3.new_items, r3.new_versions, r3.seen) == ("ok", 0, 1, 8)
    with Session(sqlite_engine) as s:
        assert len(list(s.scalars(select(ArticleRow.id)))) == 8


@pytest.mark.parametrize("doc", [b"<rss><channel><item><title>a</title></item><link>x</link><item><title>b</title></item>"
                                 b"</channel></rss>",
                                 b"<rss><channel><item><description><![CDATA[<item>]]></description></item>"
                                 b"</channel></rss>"])
def test_documents_the_scan_is_unsure_about_are_not_split(doc: bytes) -> None:
    assert split_items(doc) is None
