"""Helpers for the alert tests: a fake clock, outbox rows written the way the differ writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.model import Alert, Side
from monitor.diff import AlertDraft
from monitor.store import outbox_repo
from monitor.store.tables import AlertRow

T0 = dt.datetime(2025, 8, 12, 8, 0, tzinfo=dt.UTC)


class FakeClock:
    """Time that moves only when the code under test sleeps (or the test advances it)."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.start = start
        self.t = 0.0
        self.sleeps: list[float] = []

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.t)

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        self.t += seconds


def run_cli(argv: list[str]) -> int:
    """``monitor ...`` in this process, leaving the logging set-up as it found it."""
    import logging

    from monitor.cli import main

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        return main(argv)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def draft(n: int, *, type: str = "new", kind: str = "control", subject: str | None = None,
          attribute: str = "status", old: Any = None, new: Any = "contested", severity: str = "high",
          topic: str | None = "ukraine-front", parent_id: int | None = None, sentence: str | None = None,
          source: str = "tagesschau", url: str = "https://www.tagesschau.de/ausland/a.html",
          attribution: str | None = "ukraine", source_count: int = 1, payload: dict[str, Any] | None = None,
          date: str = "2025-08-12", period: str | None = None) -> AlertDraft:
    subject = subject or f"town-{n}"
    p: dict[str, Any] = {
        "source": {"name": source, "url": url, "article": f"art{n:04d}"}, "topic": topic,
        "rule": "control.contested.fighting", "cues": ["Kämpfe"], "subject_name": subject.capitalize(),
        "unit": None, "source_count": source_count,
    }
    if old is not None:
        p["previous"] = {"value": old, "date": "2025-08-10", "attribution": "russia",
                         "sentence": "Die Stadt gilt als bedroht.", "source": {"name": "Spiegel",
                                                                                "url": "https://www.spiegel.de/b"}}
    p.update(payload or {})
    key = f"{kind}|{subject}|{attribute}|{period or ''}"
    return AlertDraft(type=type, key=key, kind=kind, subject=subject, attribute=attribute, period=period,
                      old=old, new=new, date=date, article=f"art{n:04d}",
                      sentence=sentence or f"In der Stadt {subject} wird nach ukrainischen Angaben gekämpft.",
                      modality="reported", attribution=attribution, severity=severity, topic=topic,
                      dedup_key=f"art{n:04d}:1:{key}:{type}", parent_id=parent_id, payload=p)


def insert(engine: Engine, drafts: Sequence[AlertDraft], now: dt.datetime = T0) -> list[int]:
    """Write drafts through the differ's own outbox writer; ids in order."""
    with Session(engine) as s, s.begin():
        outbox_repo.insert_alerts(s, drafts, now)
        ids = [s.scalar(select(AlertRow.id).where(AlertRow.dedup_key == d.dedup_key)) for d in drafts]
    return [int(i) for i in ids if i is not None]


def rows(engine: Engine) -> dict[int, AlertRow]:
    with Session(engine, expire_on_commit=False) as s:
        return {r.id: r for r in s.scalars(select(AlertRow).order_by(AlertRow.id))}


def alert(**kw: Any) -> Alert:
    """A complete Alert for rendering tests (Kupjansk, threatened → contested)."""
    base: dict[str, Any] = dict(
        id=7, type="changed", kind="control", subject="kupiansk", attribute="status", new="contested",
        old="threatened", date="2025-08-12", article_id="a1b2c3d4e5f60718",
        sentence="Russische Truppen sind nach ukrainischen Angaben in Kupjansk eingedrungen.",
        modality="reported", attribution="ukraine", severity="high", topic="ukraine-front",
        subject_name="Kupjansk", source_name="tagesschau", url="https://www.tagesschau.de/ausland/kupjansk.html",
        rule="control.contested.eindringen", cues=("eingedrungen",), source_count=2,
        previous=Side("threatened", "2025-08-10", "Spiegel", "https://www.spiegel.de/x", "ukraine",
                      "Kupjansk ist von einer Einkesselung bedroht.", "asserted"),
        dedup_key="a1b2c3d4e5f60718:1:control|kupiansk|status|")
    base.update(kw)
    return Alert(**base)
