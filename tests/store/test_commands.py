"""``monitor beliefs``, ``monitor history`` and replay on a store filled through the pipeline."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor import diff, pipeline
from monitor.models import Article, Claim
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import AlertRow, BeliefRow, ClaimRow
from tests.support.marker_extractor import extract_markers


def _fill(url: str, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    files = {
        "a.txt": ("2025-08-01", "[control kupiansk status threatened] [meeting putin+trump@usa status planned]"),
        "b.txt": ("2025-08-05", "[control kupiansk status contested reported ukraine]"),
        "c.txt": ("2025-08-15", "[meeting putin+trump status held] [control kupiansk status russia hedged]"),
    }
    for name, (date, body) in files.items():
        (folder / name).write_text(f" date {date} {body}", encoding="utf-8")
    engine = make_engine(url)
    migrate.upgrade(engine)
    pipeline.ingest_articles(engine, [folder], extractor=extract_markers, policy=diff.DefaultPolicy())
    engine.dispose()


def monitor(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_beliefs_jsonl_and_table(db_url: str, tmp_path: Path) -> None:
    _fill(db_url, tmp_path / "arts")
    rows = [json.loads(x) for x in monitor("beliefs", "--db", db_url, "--format", "jsonl").splitlines()]
    by_subject = {r["subject"]: r for r in rows}
    assert by_subject["kupiansk"]["value"] == "contested" and by_subject["kupiansk"]["since"] == "2025-08-05"
    assert by_subject["kupiansk"]["source_count"] == 1 and by_subject["kupiansk"]["attribution"] == "ukraine"
    assert by_subject["putin+trump@usa"]["value"] == "held"
    assert "last_change" in by_subject["kupiansk"]
    only = monitor("beliefs", "--db", db_url, "--kind", "meeting")
    assert "putin+trump@usa" in only and "kupiansk" not in only and "1 beliefs" in only
    assert "kupiansk" in monitor("beliefs", "--db", db_url, "--subject", "kupiansk")
    assert "putin+trump@usa" in monitor("beliefs", "--db", db_url, "--subject", "putin+trump")


def test_history_shows_claims_and_changes(db_url: str, tmp_path: Path) -> None:
    _fill(db_url, tmp_path / "arts")
    events = [json.loads(x) for x in monitor("history", "kupiansk", "--db", db_url, "--format", "jsonl").splitlines()]
    assert [(e["event"], e.get("outcome") or e.get("type"), e.get("value") or e.get("new")) for e in events] == [
        ("claim", "new", "threatened"), ("alert", "new", "threatened"),
        ("claim", "changed", "contested"), ("alert", "changed", "contested"),
        ("claim", "ignored", "russia"),
    ]
    text = monitor("history", "putin+trump", "--db", db_url)
    assert "planned -> held" in text


def test_replay_shows_added_and_removed_and_leaves_live_state(sqlite_url: str, tmp_path: Path) -> None:
    _fill(sqlite_url, tmp_path / "arts")
    engine = make_engine(sqlite_url)

    def counts() -> tuple[int, int, int]:
        with Session(engine) as s:
            return tuple(s.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                         for t in (AlertRow, ClaimRow, BeliefRow))

    before = counts()
    same = pipeline.replay(engine, pipeline.Stages(extract_markers, diff.DefaultPolicy()))
    assert same.added == [] and same.removed == [] and same.unchanged == before[0] and same.versions == 3

    def no_meetings(article: Article) -> list[Claim]:
        return [c for c in extract_markers(article) if c.kind != "meeting"]

    edited = pipeline.replay(engine, pipeline.Stages(no_meetings, diff.DefaultPolicy()))
    assert [(a.type, a.subject) for a in edited.removed] == [("new", "putin+trump@usa"),
                                                           ("changed", "putin+trump@usa")]
    assert edited.added == []
    since = pipeline.replay(engine, pipeline.Stages(no_meetings, diff.DefaultPolicy()),
                            since=dt.date(2025, 8, 10))
    assert [(a.type, a.subject) for a in since.removed] == [("changed", "putin+trump@usa")]

    def trust_hedges(article: Article) -> list[Claim]:
        return [replace(c, modality="asserted") for c in extract_markers(article)]

    trusting = pipeline.replay(engine, pipeline.Stages(trust_hedges, diff.DefaultPolicy()))
    assert [(a.type, a.subject, a.new) for a in trusting.added] == [("changed", "kupiansk", '"russia"')]
    assert trusting.removed == []
    assert counts() == before
    engine.dispose()
