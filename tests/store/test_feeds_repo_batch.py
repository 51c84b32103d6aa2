"""feeds_repo.record_not_modified: many 304s in one statement, validators kept or refreshed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitor.config import FeedConfig
from monitor.store import feeds_repo
from monitor.store.tables import Feed

NOW = dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC)


def test_not_modified_batch_updates_each_feed_and_keeps_validators_it_did_not_get(engine: Engine) -> None:
    feeds = [FeedConfig(id=f"f{i}", url=f"https://feeds.example/{i}.xml") for i in range(3)]
    with Session(engine) as s, s.begin():
        feeds_repo.sync_feeds(s, feeds)
        for f in feeds:
            feeds_repo.record_success(s, f.id, NOW, NOW, etag=f'"old-{f.id}"', last_modified="Mon, 01 Sep 2025",
                                      not_modified=False)
        s.get_one(Feed, "f2").consecutive_errors = 3
    later = NOW + dt.timedelta(minutes=5)
    rows = [feeds_repo.NotModified("f0", later, later + dt.timedelta(minutes=10), None, None),
            feeds_repo.NotModified("f1", later, later + dt.timedelta(minutes=20), '"new-f1"', None),
            feeds_repo.NotModified("f2", later, later + dt.timedelta(minutes=30), None, "Tue, 02 Sep 2025")]
    with Session(engine) as s, s.begin():
        feeds_repo.record_not_modified(s, rows)
    with Session(engine) as s:
        got = {r.id: r for r in s.query(Feed).order_by(Feed.id)}
    assert [(got[i].etag, got[i].last_modified) for i in ("f0", "f1", "f2")] == [
        ('"old-f0"', "Mon, 01 Sep 2025"), ('"new-f1"', "Mon, 01 Sep 2025"), ('"old-f2"', "Tue, 02 Sep 2025")]
    assert [got[i].next_poll_at for i in ("f0", "f1", "f2")] == [r.next_poll_at for r in rows]
    assert all(got[i].last_poll_at == later and got[i].last_ok_at == later for i in got)
    assert got["f2"].consecutive_errors == 0
