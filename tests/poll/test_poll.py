"""The poller end to end: local HTTP server -> feeds -> real SQLite and PostgreSQL -> archive."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitor import article as fmt
from monitor.poll import poll_due_feeds, poll_feeds
from monitor.store import articles_repo, feeds_repo
from monitor.store.articles_repo import SavedVersion
from monitor.store.tables import ArticleRow, ArticleVersion, Feed
from tests.poll.conftest import make_config
from tests.support.feed_server import REALDATA, FeedServer, entity_bomb, gzip_bomb, make_rss

TAGESSCHAU = "feeds/de_tagesschau_alle-meldungen_2024-12-21.xml"


def feed(fid: str, url: str, **kw: Any) -> dict[str, Any]:
    return {"id": fid, "url": url, "full_text": False, "interval": 60, **kw}


def feed_row(engine: Engine, fid: str) -> Feed:
    with Session(engine) as s:
        row = s.get(Feed, fid)
        assert row is not None
        s.expunge(row)
        return row


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


class Recorder:
    """An ``on_new_versions`` callback that remembers what it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[SavedVersion], bool]] = []

    def __call__(self, session: Session, versions: list[SavedVersion], baseline: bool) -> None:
        assert session.in_transaction()
        self.calls.append((versions, baseline))


def test_real_feed_is_stored_then_answered_304(engine: Engine, server: FeedServer, client: httpx.Client,
                                               tmp_path: Path) -> None:
    url = server.route("/ts.xml", file=REALDATA / TAGESSCHAU, etag='"v1"')
    cfg = make_config(tmp_path, [feed("ts", url)])
    rec = Recorder()
    first = poll_feeds(engine, cfg, client, on_new_versions=rec)
    assert (first.ok, first.errors, first.new_items, first.new_versions) == (1, 0, 40, 40)
    assert first.results[0].baseline
    assert count(engine, ArticleRow) == 40
    assert [b for _, b in rec.calls] == [True] and len(rec.calls[0][0]) == 40

    with Session(engine) as s:
        texts = [v for v in s.scalars(select(ArticleVersion.text))]
        rows = list(s.scalars(select(ArticleRow)))
    for t in texts:
        d = fmt.parse(t)
        assert fmt.render(d.date, d.body) == t and "<" not in d.body.split("\n\n")[0]
    assert all(r.published == dt.date(2024, 12, 21) or r.published == dt.date(2024, 12, 20) for r in rows)
    assert {r.text_source for r in rows} == {"feed"}
    files = sorted((tmp_path / "archive").iterdir())
    assert len(files) == 40 and all(fmt.split_file_name(f.name) for f in files)
    assert {f.read_text("utf-8") for f in files} == set(texts)
    assert feed_row(engine, "ts").baseline_done and feed_row(engine, "ts").etag == '"v1"'

    second = poll_feeds(engine, cfg, client, on_new_versions=rec)
    assert (second.not_modified, second.new_items, second.new_versions) == (1, 0, 0)
    assert server.requests_for("/ts.xml")[-1].headers["if-none-match"] == '"v1"'
    assert count(engine, ArticleRow) == 40 and len(rec.calls) == 1


def test_same_items_without_validators_are_not_duplicated(engine: Engine, server: FeedServer,
                                                          client: httpx.Client, tmp_path: Path) -> None:
    url = server.route("/ts.xml", file=REALDATA / TAGESSCHAU)  # no ETag, no Last-Modified
    cfg = make_config(tmp_path, [feed("ts", url)])
    poll_feeds(engine, cfg, client)
    again = poll_feeds(engine, cfg, client)
    assert (again.ok, again.new_items, again.new_versions) == (1, 0, 0)
    assert count(engine, ArticleRow) == 40 and count(engine, ArticleVersion) == 40


def test_changed_item_becomes_a_new_version(engine: Engine, server: FeedServer, client: httpx.Client,
                                            tmp_path: Path) -> None:
    items = [{"guid": f"id-{i}", "title": f"Meldung {i}", "description": f"Text {i}",
              "pubDate": "Mon, 11 Aug 2025 10:00:00 CEST"} for i in range(3)]
    state: dict[str, Any] = {"items": items}
    url = server.route("/f.xml", body_fn=lambda: make_rss(state["items"]))
    cfg = make_config(tmp_path, [feed("f", url)])
    rec = Recorder()
    poll_feeds(engine, cfg, client, on_new_versions=rec)
    changed = [dict(it) for it in items]
    changed[1]["description"] = "Text 1, aktualisiert: Pokrowsk eingenommen"
    state["items"] = changed
    report = poll_feeds(engine, cfg, client, on_new_versions=rec)
    assert (report.new_items, report.new_versions) == (0, 1)
    versions, baseline = rec.calls[-1]
    assert not baseline and len(versions) == 1 and versions[0].version == 2 and not versions[0].is_new_item
    assert "aktualisiert" in versions[0].text
    aid = versions[0].article_id
    with Session(engine) as s:
        assert s.scalar(select(func.count()).where(ArticleVersion.article_id == aid)) == 2
        row = s.get(ArticleRow, aid)
        assert row is not None and row.version == 2 and row.published == dt.date(2025, 8, 11)
    archived = [f for f in (tmp_path / "archive").iterdir() if aid in f.name]
    assert len(archived) == 1 and "aktualisiert" in archived[0].read_text("utf-8")


def test_every_failure_is_recorded_and_none_stops_the_others(engine: Engine, server: FeedServer,
                                                             client: httpx.Client, tmp_path: Path) -> None:
    good = server.route("/good.xml", file=REALDATA / "feeds" / "de_spiegel_schlagzeilen_2024-12-21.xml")
    server.route("/loop1", status=302, headers={"Location": "/loop2"})
    server.route("/loop2", status=302, headers={"Location": "/loop1"})
    bad = {
        "notfound": server.url("/missing.xml"),
        "servererror": server.route("/500", status=500, body=b"boom"),
        "ratelimited": server.route("/429", status=429, headers={"Retry-After": "600"}),
        "unavailable": server.route("/503", status=503, headers={"Retry-After": "900"}),
        "slow": server.route("/slow", body=make_rss([]), delay=2.0),
        "oversized": server.route("/big", body=b"<rss>" + b"x" * 2_000_000 + b"</rss>"),
        "gzipbomb": server.route("/bomb", body=gzip_bomb(64 << 20), raw_encoding="gzip"),
        "redirectloop": server.url("/loop1"),
        "entitybomb": server.route("/entities", body=entity_bomb(10)),
        "notafeed": server.route("/garbage", body=b"\x00\x01 definitely { not xml"),
    }
    cfg = make_config(tmp_path, [feed("good", good)] + [feed(k, v) for k, v in bad.items()],
                      read_timeout=0.5)
    before = dt.datetime.now(dt.UTC)
    report = poll_feeds(engine, cfg, client)
    by_id = {r.feed_id: r for r in report.results}
    assert by_id["good"].outcome == "ok" and by_id["good"].new_items == 30
    assert report.errors == len(bad)
    expect = {"notfound": "HTTP 404", "servererror": "HTTP 500", "ratelimited": "HTTP 429",
              "unavailable": "HTTP 503", "slow": "FetchTimeout", "oversized": "FetchTooLarge",
              "gzipbomb": "FetchTooLarge", "redirectloop": "TooManyRedirects",
              "entitybomb": "FeedEntityError", "notafeed": "FeedError"}
    for fid, needle in expect.items():
        row = feed_row(engine, fid)
        assert row.last_error and needle in row.last_error, (fid, row.last_error)
        assert row.consecutive_errors == 1 and row.last_error_at is not None and row.next_poll_at is not None
        assert not row.baseline_done
    # exponential backoff from the 60 s interval, Retry-After honored where given
    assert feed_row(engine, "ratelimited").next_poll_at >= before + dt.timedelta(seconds=600)  # type: ignore[operator]
    assert feed_row(engine, "unavailable").next_poll_at >= before + dt.timedelta(seconds=900)  # type: ignore[operator]
    nf = feed_row(engine, "notfound").next_poll_at
    assert nf is not None and before + dt.timedelta(seconds=59) <= nf <= before + dt.timedelta(seconds=130)

    second = poll_feeds(engine, cfg, client, feeds=[f for f in cfg.feeds if f.id == "notfound"])
    assert second.errors == 1
    row = feed_row(engine, "notfound")
    assert row.consecutive_errors == 2 and row.next_poll_at is not None
    assert row.next_poll_at - row.last_error_at >= dt.timedelta(seconds=119)  # type: ignore[operator]

    assert feed_row(engine, "good").consecutive_errors == 0 and feed_row(engine, "good").last_error is None


def _evaldata() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REALDATA / "html" / "trafilatura" / "_evaldata_subset.json").read_text())
    return {v["file"]: v for v in data.values()}


def test_full_text_from_real_pages_with_fallback_to_the_feed(engine: Engine, server: FeedServer,
                                                             client: httpx.Client, tmp_path: Path) -> None:
    truth = _evaldata()
    pages = ["tagesschau.de.rheinmetall.html", "www1.wdr.de-Correctiv-Recherche.html"]
    items = [{"guid": f"p{i}", "title": truth[p]["title"], "description": "Kurzfassung aus dem Feed.",
              "link": server.realdata_url(f"html/trafilatura/{p}"),
              "pubDate": "Tue, 07 Nov 2023 10:00:00 +0100"} for i, p in enumerate(pages)]
    items.append({"guid": "gone", "title": "Seite fehlt", "description": "Nur der Teaser <b>hier</b>.",
                  "link": server.url("/no-such-page.html"), "pubDate": "Tue, 07 Nov 2023 10:00:00 +0100"})
    url = server.route("/ft.xml", body=make_rss(items))
    cfg = make_config(tmp_path, [feed("ft", url, full_text=True)], max_bytes=2_000_000)
    report = poll_feeds(engine, cfg, client)
    assert report.ok == 1 and report.new_items == 3
    assert any("no-such-page" in w or "gone" in w for w in report.results[0].warnings)
    with Session(engine) as s:
        rows = {r.guid: r for r in s.scalars(select(ArticleRow))}
        texts = {g: articles_repo.latest_text(s, r.id) or "" for g, r in rows.items()}
    for i, p in enumerate(pages):
        assert rows[f"p{i}"].text_source == "fulltext"
        body = fmt.parse(texts[f"p{i}"]).body
        assert body.startswith(truth[p]["title"])  # title first
        for snippet in truth[p]["with"]:
            assert snippet in body, (p, snippet)
        for snippet in truth[p].get("without", []):
            assert snippet not in body, (p, snippet)
    assert rows["gone"].text_source == "summary"
    assert fmt.parse(texts["gone"]).body == "Seite fehlt\n\nNur der Teaser hier."
    assert feed_row(engine, "ft").empty_text_streak == 0


def test_archive_write_failure_is_recorded_and_nothing_is_lost(engine: Engine, server: FeedServer,
                                                               client: httpx.Client, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the archive folder should be")
    url = server.route("/ts.xml", file=REALDATA / TAGESSCHAU)
    cfg = make_config(tmp_path, [feed("ts", url)])
    report = poll_feeds(engine, cfg, client, archive_dir=blocker / "archive")
    assert report.ok == 1 and report.new_items == 40
    assert any("archive" in w for w in report.results[0].warnings)
    assert count(engine, ArticleVersion) == 40
    row = feed_row(engine, "ts")
    assert row.last_error and "archive" in row.last_error and row.consecutive_errors == 0


def test_failing_pipeline_callback_rolls_back_and_retries_next_poll(engine: Engine, server: FeedServer,
                                                                   client: httpx.Client, tmp_path: Path) -> None:
    url = server.route("/ts.xml", file=REALDATA / TAGESSCHAU, etag='"v1"')
    cfg = make_config(tmp_path, [feed("ts", url)])

    def broken(session: Session, versions: list[SavedVersion], baseline: bool) -> None:
        raise RuntimeError("extractor crashed")

    report = poll_feeds(engine, cfg, client, on_new_versions=broken)
    assert report.errors == 1 and "extractor crashed" in (report.results[0].error or "")
    row = feed_row(engine, "ts")
    assert row.etag is None and not row.baseline_done  # a 304 next time would lose the items
    assert count(engine, ArticleRow) == 0
    rec = Recorder()
    again = poll_feeds(engine, cfg, client, on_new_versions=rec)
    assert again.ok == 1 and again.new_items == 40 and rec.calls[0][1] is True


def test_claim_due_feeds_with_leases(engine: Engine, tmp_path: Path) -> None:
    cfg = make_config(tmp_path, [feed(f"f{i}", f"http://127.0.0.1:9/{i}") for i in range(6)])
    now = dt.datetime(2025, 8, 11, 12, 0, tzinfo=dt.UTC)
    with Session(engine) as s, s.begin():
        feeds_repo.sync_feeds(s, cfg.feeds)
        s.get(Feed, "f5").next_poll_at = now + dt.timedelta(hours=1)  # type: ignore[union-attr]
    with Session(engine) as a, Session(engine) as b:
        with a.begin():
            got_a = feeds_repo.claim_due_feeds(a, now, "a", 120, 3)
        with b.begin():
            got_b = feeds_repo.claim_due_feeds(b, now, "b", 120, 10)
    assert len(got_a) == 3 and set(got_a).isdisjoint(got_b) and set(got_a) | set(got_b) == {f"f{i}" for i in range(5)}
    with Session(engine) as c, c.begin():
        assert feeds_repo.claim_due_feeds(c, now + dt.timedelta(seconds=60), "c", 120, 10) == []
        # a's lease expires (a replica was killed): c takes its feeds over
        assert sorted(feeds_repo.claim_due_feeds(c, now + dt.timedelta(seconds=121), "c", 120, 10)) == \
            sorted(got_a + got_b)


@pytest.mark.postgres
def test_concurrent_claims_skip_locked_rows_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    from monitor.store import migrate
    from monitor.store.engine import make_engine

    eng = make_engine(pg_url)
    migrate.upgrade(eng)
    cfg = make_config(tmp_path, [feed(f"f{i}", f"http://127.0.0.1:9/{i}") for i in range(4)])
    now = dt.datetime(2025, 8, 11, 12, 0, tzinfo=dt.UTC)
    with Session(eng) as s, s.begin():
        feeds_repo.sync_feeds(s, cfg.feeds)
    a, b = Session(eng), Session(eng)
    try:
        a.begin()
        got_a = feeds_repo.claim_due_feeds(a, now, "a", 120, 2)  # rows locked, not committed yet
        b.begin()
        got_b = feeds_repo.claim_due_feeds(b, now, "b", 120, 10)  # must not wait, must not overlap
        assert len(got_a) == 2 and len(got_b) == 2 and set(got_a).isdisjoint(got_b)
        a.commit()
        b.commit()
    finally:
        a.close()
        b.close()
        eng.dispose()


def test_poll_due_feeds_polls_only_due_feeds(engine: Engine, server: FeedServer, client: httpx.Client,
                                             tmp_path: Path) -> None:
    u1 = server.route("/a.xml", body=make_rss([{"guid": "a1", "title": "A"}]))
    u2 = server.route("/b.xml", body=make_rss([{"guid": "b1", "title": "B"}]))
    cfg = make_config(tmp_path, [feed("a", u1), feed("b", u2), feed("off", u2, enabled=False)])
    now = dt.datetime.now(dt.UTC)
    with Session(engine) as s, s.begin():
        feeds_repo.sync_feeds(s, cfg.feeds)
        s.get(Feed, "b").next_poll_at = now + dt.timedelta(hours=1)  # type: ignore[union-attr]
    report = poll_due_feeds(engine, cfg, client, now, owner="test")
    assert [r.feed_id for r in report.results] == ["a"]
    row = feed_row(engine, "a")
    assert row.lease_owner is None and row.next_poll_at is not None and row.next_poll_at > now
    assert poll_due_feeds(engine, cfg, client, now, owner="test").results == []


@pytest.mark.parametrize(("per_host", "expect_max"), [(1, 1), (3, 3)])
def test_feeds_poll_concurrently_within_the_per_host_limit(sqlite_engine: Engine, server: FeedServer,
                                                           client: httpx.Client, tmp_path: Path,
                                                           per_host: int, expect_max: int) -> None:
    urls = [server.route(f"/s{i}.xml", body=make_rss([{"guid": f"s{i}", "title": f"T{i}"}]), delay=0.25)
            for i in range(6)]
    cfg = make_config(tmp_path, [feed(f"s{i}", u) for i, u in enumerate(urls)], concurrency=6,
                      per_host=per_host)
    report = poll_feeds(sqlite_engine, cfg, client)
    assert report.ok == 6
    assert server.max_in_flight == expect_max  # all six feeds are on one host: 127.0.0.1


def test_next_poll_adapts_to_publishing_rate_and_honors_max_age(engine: Engine, server: FeedServer,
                                                                 client: httpx.Client, tmp_path: Path) -> None:
    # Items ten minutes apart: polled twice per gap (300 s) although the configured interval is 3000 s;
    # a 304 later keeps the pace, from the stored item times.
    base = dt.datetime(2025, 8, 11, 8, 0, tzinfo=dt.UTC)
    items = [{"guid": f"r{i}", "title": f"R{i}",
              "pubDate": (base + dt.timedelta(minutes=10 * i)).strftime("%a, %d %b %Y %H:%M:%S GMT")}
             for i in range(6)]
    busy = server.route("/busy.xml", body=make_rss(items), etag='"b"')
    cached = server.route("/cached.xml", body=make_rss(items[:1]), headers={"Cache-Control": "max-age=1800"})
    cfg = make_config(tmp_path, [feed("busy", busy, interval=3000), feed("cached", cached, interval=60)])
    for expected_outcome in ("ok", "not_modified"):
        report = poll_feeds(engine, cfg, client)
        r = {x.feed_id: x for x in report.results}
        assert r["busy"].outcome == expected_outcome
        row = feed_row(engine, "busy")
        assert row.next_poll_at is not None and row.last_poll_at is not None
        assert row.next_poll_at - row.last_poll_at == dt.timedelta(seconds=300)
        c = feed_row(engine, "cached")
        assert c.next_poll_at - c.last_poll_at == dt.timedelta(seconds=1800)  # type: ignore[operator]


def test_two_pollers_on_one_database_at_once_store_each_item_once(db_url: str, server: FeedServer,
                                                                  client: httpx.Client, tmp_path: Path) -> None:
    # Two engines stand for two processes (or replicas) that poll the same feed at the same moment.
    import threading

    from monitor.store import migrate
    from monitor.store.engine import make_engine

    url = server.route("/ts.xml", file=REALDATA / TAGESSCHAU, delay=0.2)
    cfg = make_config(tmp_path, [feed("ts", url)])
    engines = [make_engine(db_url), make_engine(db_url)]
    migrate.upgrade(engines[0])
    with Session(engines[0]) as s, s.begin():
        feeds_repo.sync_feeds(s, cfg.feeds)
    reports: list[Any] = []
    barrier = threading.Barrier(2)

    def run(engine: Engine) -> None:
        barrier.wait()
        reports.append(poll_feeds(engine, cfg, client))

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert [r.errors for r in reports] == [0, 0]
        assert sum(r.new_items for r in reports) == 40  # each item reported new exactly once
        assert count(engines[0], ArticleRow) == 40 and count(engines[0], ArticleVersion) == 40
        with Session(engines[0]) as s:
            seqs = [q for q in s.scalars(select(ArticleRow.seq)) if q is not None]
        assert sorted(seqs) == list(range(40))  # archive numbers unique and dense
    finally:
        for e in engines:
            e.dispose()


def test_page_budget_leaves_entries_for_the_next_poll_and_the_baseline_continues(
        engine: Engine, server: FeedServer, client: httpx.Client, tmp_path: Path) -> None:
    page = server.realdata_url("html/trafilatura/tagesschau.de.rheinmetall.html")
    items = [{"guid": f"b{i}", "title": f"Meldung {i}", "description": "Teaser.", "link": f"{page}?n={i}"}
             for i in range(5)]
    url = server.route("/budget.xml", body=make_rss(items), etag='"b1"')
    cfg = make_config(tmp_path, [feed("budget", url, full_text=True)], max_bytes=2_000_000)
    cfg = cfg.model_copy(update={"polling": cfg.polling.model_copy(update={"max_pages_per_poll": 2})})
    rec = Recorder()
    stored = []
    for _ in range(3):
        report = poll_feeds(engine, cfg, client, on_new_versions=rec)
        stored.append(report.new_items)
    assert stored == [2, 2, 1]
    assert [b for _, b in rec.calls] == [True, True, True]  # the first document is one baseline
    assert all(r.headers.get("if-none-match") is None for r in server.requests_for("/budget.xml"))
    row = feed_row(engine, "budget")
    assert row.baseline_done and row.etag == '"b1"'
    assert poll_feeds(engine, cfg, client).not_modified == 1  # complete now: validators in use


def test_a_failed_page_never_replaces_a_full_text_version(engine: Engine, server: FeedServer,
                                                          client: httpx.Client, tmp_path: Path) -> None:
    page = "/realdata/html/trafilatura/tagesschau.de.rheinmetall.html"
    state: dict[str, Any] = {"desc": "Teaser eins."}
    url = server.route("/f.xml", body_fn=lambda: make_rss([{"guid": "x", "title": "Rheinmetall",
                                                             "description": state["desc"],
                                                             "link": server.url(page)}]))
    cfg = make_config(tmp_path, [feed("f", url, full_text=True)], max_bytes=2_000_000)
    assert poll_feeds(engine, cfg, client).new_items == 1
    server.route(page, status=503)  # the page goes away; the feed entry changes
    state["desc"] = "Teaser zwei."
    report = poll_feeds(engine, cfg, client)
    assert report.ok == 1 and report.new_versions == 0
    with Session(engine) as s:
        row = s.scalars(select(ArticleRow)).one()
        assert row.text_source == "fulltext" and row.version == 1


def test_sync_feeds_adds_updates_and_drops_validators_of_a_moved_feed(engine: Engine, tmp_path: Path) -> None:
    cfg = make_config(tmp_path, [feed("a", "https://a.example/rss", name="A"), feed("b", "https://b.example/rss")])
    with Session(engine) as s, s.begin():
        feeds_repo.sync_feeds(s, cfg.feeds)
        row = s.get(Feed, "a")
        assert row is not None
        row.etag, row.last_modified, row.baseline_done = '"x"', "Mon, 11 Aug 2025 10:00:00 GMT", True
    moved = make_config(tmp_path, [feed("a", "https://a.example/new-rss", name="A2", interval=600),
                                   feed("b", "https://b.example/rss")])
    with Session(engine) as s, s.begin():
        feeds_repo.sync_feeds(s, moved.feeds)
    a = feed_row(engine, "a")
    assert (a.url, a.name, a.interval_s, a.etag, a.last_modified) == ("https://a.example/new-rss", "A2", 600,
                                                                       None, None)
    assert a.baseline_done  # the feed's items are known; a new URL is no reason to re-baseline
    assert count(engine, Feed) == 2
