"""Feed parsing in worker processes: same results as in the polling threads, and a worker that
dies costs only the feed that killed it."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitor.errors import FeedEntityError, FeedError
from monitor.feeds import parse_feed
from monitor.parse_workers import ParseWorkers
from monitor.poll import poll_feeds
from monitor.store.tables import ArticleVersion
from tests.poll.conftest import make_config
from tests.support.feed_server import REALDATA, FeedServer, entity_bomb, make_rss
from tests.support.parse_crash import crash_on_marker

NOW = dt.datetime(2025, 8, 11, 12, 0, tzinfo=dt.UTC)


def test_workers_parse_like_the_threads() -> None:
    data = (REALDATA / "feeds" / "de_tagesschau_alle-meldungen_2024-12-21.xml").read_bytes()
    with ParseWorkers(1) as workers:
        there = workers.parse(data, {}, fetched_at=NOW)
        with pytest.raises(FeedEntityError):
            workers.parse(entity_bomb(), {}, fetched_at=NOW)
    here = parse_feed(data, {}, fetched_at=NOW)
    assert there == here and len(there.entries) == 40


def test_a_dying_worker_costs_only_its_own_feed() -> None:
    good = make_rss([{"guid": "g", "title": "gut"}])
    results: dict[str, object] = {}
    with ParseWorkers(2, target=crash_on_marker) as workers:
        def run(name: str, doc: bytes) -> None:
            try:
                results[name] = len(workers.parse(doc, {}, fetched_at=NOW).entries)
            except FeedError as exc:
                results[name] = exc

        threads = [threading.Thread(target=run, args=("bad", make_rss([{"guid": "x", "title": "CRASH"}])))]
        threads += [threading.Thread(target=run, args=(f"good{i}", good)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert isinstance(results["bad"], FeedError) and "died" in str(results["bad"])
        assert all(results[f"good{i}"] == 1 for i in range(4)), results
        assert len(workers.parse(good, {}, fetched_at=NOW).entries) == 1  # the pool was replaced


def test_poller_with_parse_processes(sqlite_engine: Engine, server: FeedServer, client: httpx.Client,
                                     tmp_path: Path) -> None:
    url = server.route("/ts.xml", file=REALDATA / "feeds" / "de_tagesschau_alle-meldungen_2024-12-21.xml")
    cfg = make_config(tmp_path, [{"id": "ts", "url": url, "full_text": False}])
    cfg = cfg.model_copy(update={"polling": cfg.polling.model_copy(update={"parse_processes": 1})})
    report = poll_feeds(sqlite_engine, cfg, client)
    assert report.ok == 1 and report.new_items == 40
    with Session(sqlite_engine) as s:
        texts = set(s.scalars(select(ArticleVersion.text)))
    data = (REALDATA / "feeds" / "de_tagesschau_alle-meldungen_2024-12-21.xml").read_bytes()
    titles = {e.title for e in parse_feed(data, {}, fetched_at=NOW).entries}
    assert all(any(t and t in x for x in texts) for t in titles)
