"""Crafted bombs and broken documents through the real poll path.

A real HTTP server on 127.0.0.1 serves them; the real ``Poller`` fetches, parses and stores
into a SQLite file. Each hostile feed must end as a recorded feed error (time and message on
its row, a retry scheduled), under 50 MB of peak Python memory and a generous time guard, and
a good feed polled beside them is stored in full.
"""

from __future__ import annotations

import datetime as dt
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.config import MonitorConfig
from monitor.fetch import Fetcher, make_client
from monitor.poll import Poller
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import ArticleRow, Feed
from tests.faults.guards import MB, MEMORY_LIMIT, bounded
from tests.support.feed_server import FeedServer, entity_bomb, gzip_bomb, make_rss

GOOD = "feeds/de_tagesschau_alle-meldungen_2024-12-21.xml"


def quadratic_bomb(size: int = 60_000, refs: int = 4_000) -> bytes:
    """One big entity referenced thousands of times (no nesting: slips past naive depth checks)."""
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + "a" * size + '">]>\n'
            '<rss version="2.0"><channel><title>q</title><item><guid>q1</guid><title>'
            + "&a;" * refs + "</title></item></channel></rss>").encode()


def external_entity() -> bytes:
    return (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            b'<rss version="2.0"><channel><title>x</title><item><guid>x1</guid><title>&xxe;</title>'
            b"</item></channel></rss>")


def deflate_bomb(decoded: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join([z.compress(zeros) for _ in range(decoded >> 20)] + [z.flush()])


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def hostile_routes(srv: FeedServer) -> dict[str, str]:
    """feed id -> URL of a document that must become a feed error."""
    bomb = entity_bomb(10)
    return {
        "billion-laughs": srv.route("/laughs.xml", body=bomb),
        "billion-laughs-utf16": srv.route("/laughs16.xml", body=bomb.decode().replace(
            'version="1.0"?>', 'version="1.0" encoding="utf-16"?>').encode("utf-16")),
        "quadratic": srv.route("/quadratic.xml", body=quadratic_bomb()),
        "external-entity": srv.route("/xxe.xml", body=external_entity()),
        "gzip-bomb": srv.route("/gzip.xml", body=gzip_bomb(256 * MB), raw_encoding="gzip"),
        "deflate-bomb": srv.route("/deflate.xml", body=deflate_bomb(64 * MB), raw_encoding="deflate"),
        "not-a-feed": srv.route("/html.xml", body=b"<html><body><p>Hallo</p></body></html>",
                                content_type="text/html"),
        "empty": srv.route("/empty.xml", body=b""),
        "binary": srv.route("/binary.xml", body=bytes(range(256)) * 64),
        "truncated-gzip": srv.route("/trunc.xml", body=gzip_bomb(4 * MB)[:500], raw_encoding="gzip"),
    }


def config(feeds: dict[str, str], tmp_path: Path, full_text: frozenset[str] = frozenset()) -> MonitorConfig:
    return MonitorConfig.model_validate(dict(
        database={"url": f"sqlite:///{tmp_path / 'm.db'}"}, archive={"enabled": False},
        http={"allow_private": True, "connect_timeout": 2, "read_timeout": 2, "total_timeout": 4},
        feeds=[{"id": fid, "url": url, "full_text": fid in full_text} for fid, url in feeds.items()]))


def test_bombs_and_garbage_are_feed_errors_within_bounds(server: FeedServer, tmp_path: Path) -> None:
    hostile = hostile_routes(server)
    feeds = {**hostile, "good": server.realdata_url(GOOD)}
    cfg = config(feeds, tmp_path)
    engine = make_engine(cfg.database.url)
    migrate.upgrade(engine)
    client = make_client(cfg.http)
    poller = Poller(engine, cfg, Fetcher(client, cfg.http))
    results, peaks = {}, {}
    tracemalloc.start()
    try:
        for feed in cfg.feeds:
            with bounded() as usage:
                results[feed.id] = poller.poll_feed(feed)
            peaks[feed.id] = usage.peak_bytes
    finally:
        tracemalloc.stop()
        client.close()
    assert {fid: r.outcome for fid, r in results.items() if fid != "good"} == dict.fromkeys(hostile, "error")
    assert results["good"].outcome == "ok" and results["good"].new_items == 40
    assert all(p < MEMORY_LIMIT for p in peaks.values()), {k: f"{v / MB:.1f} MB" for k, v in peaks.items()}
    assert "entit" in (results["billion-laughs"].error or "").lower()
    assert "entit" in (results["billion-laughs-utf16"].error or "").lower()
    assert "cap" in (results["gzip-bomb"].error or "") and "cap" in (results["deflate-bomb"].error or "")
    with Session(engine) as s:
        rows = {r.id: r for r in s.scalars(select(Feed))}
        stored = s.scalar(select(func.count()).select_from(ArticleRow))
    for fid in hostile:
        row = rows[fid]
        assert row.consecutive_errors == 1 and row.last_error and row.last_error_at is not None, fid
        assert row.next_poll_at is not None and row.next_poll_at > row.last_error_at, fid
    assert rows["good"].consecutive_errors == 0 and rows["good"].last_error is None
    assert stored == 40  # nothing from the hostile feeds, everything from the good one
    engine.dispose()


def test_a_bomb_on_the_article_page_falls_back_to_the_feed_text(server: FeedServer, tmp_path: Path) -> None:
    page = server.route("/page.html", body=gzip_bomb(256 * MB), raw_encoding="gzip", content_type="text/html")
    feed = server.route("/withpage.xml", body=make_rss([{
        "guid": "p1", "title": "Gipfel in Genf", "link": page,
        "description": "Die Außenminister treffen sich am Montag in Genf.",
        "pubDate": "Mon, 01 Sep 2025 10:00:00 +0200"}]))
    cfg = config({"withpage": feed}, tmp_path, full_text=frozenset({"withpage"}))
    engine = make_engine(cfg.database.url)
    migrate.upgrade(engine)
    client = make_client(cfg.http)
    tracemalloc.start()
    try:
        with bounded() as usage:
            res = Poller(engine, cfg, Fetcher(client, cfg.http)).poll_feed(cfg.feeds[0])
    finally:
        tracemalloc.stop()
        client.close()
    assert res.outcome == "ok" and res.new_items == 1
    assert any("not fetched" in w and "cap" in w for w in res.warnings), res.warnings
    assert usage.peak_bytes < MEMORY_LIMIT
    with Session(engine) as s:
        row = s.scalars(select(ArticleRow)).one()
    assert row.text_source == "summary" and row.title == "Gipfel in Genf"
    engine.dispose()


def test_one_hostile_feed_never_stops_the_others_when_polled_together(server: FeedServer,
                                                                       tmp_path: Path) -> None:
    hostile = hostile_routes(server)
    feeds = {**hostile, "good": server.realdata_url(GOOD),
             "good2": server.realdata_url("feeds/de_spiegel_schlagzeilen_2024-12-21.xml")}
    cfg = config(feeds, tmp_path)
    engine = make_engine(cfg.database.url)
    migrate.upgrade(engine)
    client = make_client(cfg.http)
    started = dt.datetime.now(dt.UTC)
    with bounded(20):
        report = Poller(engine, cfg, Fetcher(client, cfg.http)).poll_many(cfg.feeds)
    client.close()
    by_id = {r.feed_id: r for r in report.results}
    assert report.errors == len(hostile) and report.ok == 2
    assert by_id["good"].new_items == 40 and by_id["good2"].new_items == 30
    with Session(engine) as s:
        errors = {r.id: r.last_error_at for r in s.scalars(select(Feed)) if r.last_error}
    assert set(errors) == set(hostile) and all(t is not None and t >= started for t in errors.values())
    engine.dispose()
