"""The archive folder unwritable or full: the error is recorded, polling goes on, the database
keeps every item.

Unwritable: the archive folder lies under a regular file, so it can be neither created nor
written, even by root (tests here run as root, for whom permission bits mean nothing). Full: a
forked poller runs under a file-size limit (``RLIMIT_FSIZE``), so every archive write fails part
way with EFBIG, as a full disk fails with ENOSPC; its database is PostgreSQL, a separate
process the limit does not touch, so only the archive is "full".
"""

from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.config import MonitorConfig
from monitor.fetch import Fetcher, make_client
from monitor.poll import Poller
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import ArticleRow, ArticleVersion, Feed
from tests.support.feed_server import FeedServer, make_rss

ITEMS = 4
LONG = ("Die Außenminister der Europäischen Union beraten in Brüssel über weitere Hilfen. "
        "Nach Angaben von Diplomaten soll eine Einigung bis zum Abend stehen. ") * 4


def doc(feed: str, n: int = ITEMS, start: int = 0) -> bytes:
    return make_rss([{"guid": f"{feed}-{i}", "title": f"Meldung {feed} {i}", "description": f"{i}: {LONG}",
                      "pubDate": "Mon, 01 Sep 2025 10:00:00 +0200"} for i in range(start, start + n)])


def config(srv: FeedServer, db_url: str, archive: Path) -> MonitorConfig:
    for f in ("a", "b"):
        srv.route(f"/{f}.xml", body=doc(f), etag=f'"{f}1"')
    return MonitorConfig.model_validate({
        "database": {"url": db_url}, "archive": {"enabled": True, "dir": str(archive)},
        "http": {"allow_private": True},
        "feeds": [{"id": f, "url": srv.url(f"/{f}.xml"), "full_text": False} for f in ("a", "b")]})


def counts(db_url: str) -> tuple[int, int, dict[str, str | None]]:
    engine = make_engine(db_url)
    with Session(engine) as s:
        arts = s.scalar(select(func.count()).select_from(ArticleRow)) or 0
        versions = s.scalar(select(func.count()).select_from(ArticleVersion)) or 0
        notes = {r.id: r.last_error for r in s.scalars(select(Feed))}
    engine.dispose()
    return arts, versions, notes


def test_unwritable_archive_folder_is_recorded_and_polling_goes_on(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the archive's parent should be")
    archive = blocker / "archive"
    db_url = f"sqlite:///{tmp_path / 'm.db'}"
    with FeedServer() as srv:
        cfg = config(srv, db_url, archive)
        engine = make_engine(db_url)
        migrate.upgrade(engine)
        client = make_client(cfg.http)
        poller = Poller(engine, cfg, Fetcher(client, cfg.http), archive_dir=archive)
        report = poller.poll_many(cfg.feeds)
        assert report.ok == 2 and report.errors == 0 and report.new_items == 2 * ITEMS
        for r in report.results:
            assert any("archive" in w and "Not a directory" in w for w in r.warnings), r.warnings
        arts, versions, notes = counts(db_url)
        assert (arts, versions) == (2 * ITEMS, 2 * ITEMS)
        assert all(n and "archive" in n and str(archive) in n for n in notes.values()), notes
        with Session(engine) as s:
            assert all(f.consecutive_errors == 0 and f.baseline_done for f in s.scalars(select(Feed)))

        # The operator fixes the folder: polling carries on and new versions are archived again.
        good = tmp_path / "archive"
        srv.route("/a.xml", body=doc("a", ITEMS + 1), etag='"a2"')
        fixed = Poller(engine, cfg, Fetcher(client, cfg.http), archive_dir=good)
        again = fixed.poll_many(cfg.feeds)
        client.close()
        engine.dispose()
    assert again.errors == 0 and again.new_items == 1 and all(not r.warnings for r in again.results)
    assert len(list(good.glob("*.txt"))) == 1  # the one new version
    assert counts(db_url)[0] == 2 * ITEMS + 1


@pytest.mark.postgres
def test_full_archive_disk_is_recorded_and_nothing_is_lost(tmp_path: Path, pg_url: str) -> None:
    archive = tmp_path / "archive"
    engine = make_engine(pg_url)
    migrate.upgrade(engine)
    engine.dispose()
    with FeedServer() as srv:
        cfg = config(srv, pg_url, archive)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child: a poller on a "full disk"
            code = 1
            try:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
                resource.setrlimit(resource.RLIMIT_FSIZE, (200, resource.RLIM_INFINITY))
                e = make_engine(pg_url)
                client = make_client(cfg.http)
                rep = Poller(e, cfg, Fetcher(client, cfg.http), archive_dir=archive).poll_many(cfg.feeds)
                warned = all(any("File too large" in w for w in r.warnings) for r in rep.results)
                code = 0 if rep.ok == 2 and rep.errors == 0 and warned else 2
            finally:
                os._exit(code)
        _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    arts, versions, notes = counts(pg_url)
    assert (arts, versions) == (2 * ITEMS, 2 * ITEMS)
    assert all(n and "archive" in n and "File too large" in n for n in notes.values()), notes
    # no half-written file is left behind for a reader to pick up
    assert not archive.exists() or list(archive.iterdir()) == []
