"""Replicas on PostgreSQL diffing articles about the same keys at once take turns per key."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor import diff, pipeline
from monitor.models import Article
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import AlertRow, BeliefRow
from tests.support.marker_extractor import extract_markers


def test_concurrent_first_claims_make_one_belief_and_one_new_alert(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=10)
    migrate.upgrade(engine)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        art = Article(id=f"c{i}", date=dt.date(2025, 8, 10), body=f"Nr {i}. [control vovchansk status contested]",
                      source=f"outlet{i}")
        try:
            barrier.wait()
            with Session(engine) as s, s.begin():
                pipeline.process_article_version(s, art, extractor=extract_markers, policy=diff.DefaultPolicy())
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised by the test thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(BeliefRow)) == 1
        assert s.scalar(select(BeliefRow.source_count)) == 6
        types = sorted(s.scalars(select(AlertRow.type)))
    assert types == ["corroboration"] * 5 + ["new"]
    engine.dispose()
