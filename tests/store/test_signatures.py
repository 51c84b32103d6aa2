"""Syndicated copies are found among many recent articles through the probe index."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from monitor import syndication
from monitor.store import migrate, signatures_repo
from monitor.store.engine import make_engine


def report(i: int) -> str:
    return " ".join(f"Meldung {i}, Absatz {j}: Die Lage im Abschnitt {i * 7 + j} bleibt nach Angaben "
                    f"aus Kiew angespannt, sagte Sprecher {i}-{j}." for j in range(20))


def test_copy_found_among_many_and_window_respected(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    day = dt.date(2025, 8, 10)
    with Session(engine) as s, s.begin():
        for i in range(80):
            assert signatures_repo.assign_source(s, f"a{i}", day, 1, syndication.sketch(report(i))) == f"a{i}"
    with Session(engine) as s, s.begin():
        copy = "Berlin (dpa) - " + report(41) + " Weitere Einzelheiten folgen."
        assert signatures_repo.assign_source(s, "copy", day + dt.timedelta(days=1), 1,
                                             syndication.sketch(copy)) == "a41"
        # a copy of the copy keeps the agency text's key
        assert signatures_repo.assign_source(s, "copy2", day, 1, syndication.sketch(copy)) == "a41"
        # the same text weeks later is a new report, not a copy
        assert signatures_repo.assign_source(s, "late", day + dt.timedelta(days=30), 1,
                                             syndication.sketch(report(41))) == "late"
        # a processed article keeps its key and records the newest version diffed
        assert signatures_repo.assign_source(s, "a3", day, 2, syndication.sketch(report(3) + " Update.")) == "a3"
        assert signatures_repo.processed_version(s, "a3") == 2
    engine.dispose()
