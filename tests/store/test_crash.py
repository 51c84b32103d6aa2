"""SIGKILL in the middle of an ingest, then run again: every alert exactly once.

An uninterrupted run gives the reference outbox. Then a fresh database is ingested by a
subprocess killed at random moments, several rounds, and finally run to completion: its
outbox must equal the reference (same dedup keys and contents, none twice, none lost).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

from monitor.store.engine import make_engine
from tests.support import pg

SUBJECTS = ["kupiansk", "pokrovsk", "myrnohrad", "siversk", "lyman", "toretsk", "huliaipole", "kostiantynivka"]
VALUES = ["threatened", "contested", "encircled", "russia", "ukraine"]
ROOT = Path(__file__).resolve().parents[2]
N = 150  # articles per run


def make_articles(folder: Path, n: int = N, seed: int = 7) -> None:
    rnd = random.Random(seed)
    folder.mkdir()
    for i in range(n):
        day = 1 + i // 12
        marks = []
        for _ in range(rnd.randint(1, 4)):
            who = rnd.choice(["asserted -", "reported russia", "reported ukraine", "hedged -"])
            marks.append(f"Absatz {rnd.randint(0, 10**6)}. [control {rnd.choice(SUBJECTS)} status {rnd.choice(VALUES)} {who}]")
        body = f"Bericht {i} vom Tag {day}. " + " ".join(marks)
        (folder / f"{i:03d}_{i:016x}.txt").write_text(f" date 2025-08-{day:02d} {body}", encoding="utf-8")


def ingest_cmd(url: str, folder: Path) -> list[str]:
    return [sys.executable, "-m", "tests.support.ingest_markers", "--db", url, str(folder)]


def run_ingest(url: str, folder: Path) -> None:
    out = subprocess.run(ingest_cmd(url, folder), cwd=ROOT, capture_output=True, timeout=300)
    assert out.returncode == 0, out.stderr.decode()


def kill_mid_run(url: str, folder: Path, target: int) -> int:
    """Start an ingest and SIGKILL it once ``target`` articles are committed; return the count then."""
    proc = subprocess.Popen(ingest_cmd(url, folder), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if processed(url) >= target:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait(timeout=30)
    return processed(url)


def outbox(url: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    with engine.connect() as c:
        rows = c.execute(text("SELECT dedup_key, type, kind, subject, attribute, old_json, new_json, "
                              "article_id, sentence, severity, payload FROM alerts ORDER BY dedup_key")).all()
    engine.dispose()
    return [tuple(json.loads(v) if i == 10 else v for i, v in enumerate(r)) for r in rows]


def processed(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return int(c.execute(text("SELECT count(*) FROM article_signatures")).scalar() or 0)
    except (OperationalError, ProgrammingError):  # killed before the schema existed: nothing done yet
        return 0
    finally:
        engine.dispose()


def _kill_rounds(url: str, folder: Path, n: int, rounds: int, seed: int) -> list[int]:
    """Kill ``rounds`` runs, each at a random point of the work left; then finish the ingest.

    Returns how many articles were committed when each round died.
    """
    rnd = random.Random(seed)
    done = []
    for _ in range(rounds):
        now = processed(url)
        done.append(kill_mid_run(url, folder, now + rnd.randint(1, max(1, (n - now) // 3))))
    run_ingest(url, folder)
    assert processed(url) == n
    return done


def test_sigkill_during_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "arts"
    make_articles(folder)
    ref_url = f"sqlite:///{tmp_path / 'ref.db'}"
    run_ingest(ref_url, folder)
    reference = outbox(ref_url)
    assert len(reference) > 50
    killed_url = f"sqlite:///{tmp_path / 'killed.db'}"
    done = _kill_rounds(killed_url, folder, N, rounds=5, seed=1)
    assert sum(0 < d < N for d in done) >= 3, done  # the rounds really died mid-run
    got = outbox(killed_url)
    assert len({r[0] for r in got}) == len(got)
    assert got == reference


def test_sigkill_during_ingest_on_postgresql(tmp_path: Path) -> None:
    folder = tmp_path / "arts"
    make_articles(folder, seed=3)
    with pg.fresh_database("newswatch_crash_ref") as ref_url, pg.fresh_database("newswatch_crash") as url:
        run_ingest(ref_url, folder)
        reference = outbox(ref_url)
        done = _kill_rounds(url, folder, N, rounds=3, seed=2)
        assert sum(0 < d < N for d in done) >= 2, done
        got = outbox(url)
    assert len({r[0] for r in got}) == len(got)
    assert got == reference
