"""``monitor ingest`` as operators and the evaluation run it: real extractor, real topic files."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from monitor.store import outbox_repo
from monitor.store.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "articles"
SPEC_FIELDS = {"type", "kind", "subject", "attribute", "period", "old", "new", "date", "article", "sentence",
               "modality", "attribution", "severity"}


def monitor(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    if check:
        assert out.returncode == 0, out.stderr
    return out


def test_ingest_emits_spec_alerts_once(db_url: str, tmp_path: Path) -> None:
    files = sorted(EXAMPLES.glob("*.txt"))
    base, rest = files[:2], files[2:]
    assert len(rest) >= 5
    monitor("ingest", "--db", db_url, "--baseline", *map(str, base))
    out = monitor("ingest", "--db", db_url, "--emit-alerts", "jsonl", *map(str, rest))
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert lines, out.stderr
    assert all(set(a) == SPEC_FIELDS for a in lines)
    assert {a["type"] for a in lines} <= {"new", "changed", "contradicted"}
    assert {a["article"] for a in lines} <= {p.stem for p in rest}
    engine = make_engine(db_url)
    with Session(engine) as s:
        stored = [outbox_repo.spec_dict(r) for r in outbox_repo.all_alerts(s) if r.type in outbox_repo.SPEC_TYPES]
    engine.dispose()
    assert stored == lines  # printed from the outbox: nothing printed that is not stored, and vice versa
    again = monitor("ingest", "--db", db_url, "--emit-alerts", "jsonl", str(EXAMPLES))
    assert again.stdout == ""


def test_bad_file_is_named_and_the_others_are_ingested(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(EXAMPLES.glob("*.txt"))[:3]:
        shutil.copy(p, folder / p.name)
    (folder / "broken.txt").write_text("no date header here", encoding="utf-8")
    out = monitor("ingest", "--db", sqlite_url, str(folder), check=False)
    assert out.returncode == 1
    assert "broken.txt:1" in out.stderr and "date" in out.stderr
    assert "3 files" in out.stderr
    engine = make_engine(sqlite_url)
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM articles")).scalar() == 3
    engine.dispose()


def test_monitor_ingest_killed_and_rerun_raises_every_alert_once(tmp_path: Path) -> None:
    files = [str(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    ref = f"sqlite:///{tmp_path / 'ref.db'}"
    t0 = time.monotonic()
    monitor("ingest", "--db", ref, *files)
    full_run = time.monotonic() - t0  # start-up included, as in the killed runs
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    engine = make_engine(url)
    rnd = random.Random(5)
    deaths = 0
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "monitor.cli", "ingest", "--db", url, *files], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Kill somewhere between start-up and the end of a full run; the first round has the whole
        # job to do, so it dies mid-way whatever the machine's speed.
        time.sleep(rnd.uniform(0.3, 0.8) * full_run)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            deaths += 1
        proc.wait(timeout=60)
    monitor("ingest", "--db", url, *files)
    assert deaths >= 1

    def box(u: str) -> list[tuple[object, ...]]:
        e = make_engine(u)
        with e.connect() as c:
            rows = c.execute(text("SELECT dedup_key, type, old_json, new_json, article_id FROM alerts "
                                  "ORDER BY dedup_key")).all()
        e.dispose()
        return [tuple(r) for r in rows]

    engine.dispose()
    assert box(url) == box(ref) and box(ref)


def test_replay_with_unchanged_topics_changes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    files = sorted(EXAMPLES.glob("*.txt"))
    monitor("ingest", "--db", sqlite_url, "--baseline", *map(str, files[:2]))
    monitor("ingest", "--db", sqlite_url, *map(str, files[2:]))
    engine = make_engine(sqlite_url)
    with engine.connect() as c:
        raised = c.execute(text("SELECT count(*) FROM alerts WHERE type IN ('new', 'changed', 'contradicted')")).scalar()
    engine.dispose()
    assert raised
    out = monitor("replay", "--db", sqlite_url)
    assert f"0 alerts added, 0 removed, {raised} unchanged" in out.stdout
    # an operator's edited topics (here: no topic files at all) shows the alerts that would go
    empty = tmp_path / "topics"
    empty.mkdir()
    shutil.copy(ROOT / "config" / "topics" / "places.yaml", empty / "places.yaml")
    edited = monitor("replay", "--db", sqlite_url, "--topics", str(empty), "--format", "jsonl")
    changes = [json.loads(x) for x in edited.stdout.splitlines()]
    assert changes and {c["change"] for c in changes} == {"removed"}


def test_without_db_the_configured_database_is_used(tmp_path: Path) -> None:
    db = tmp_path / "configured.db"
    env = {**os.environ, "MONITOR_DATABASE__URL": f"sqlite:///{db}"}
    out = subprocess.run([sys.executable, "-m", "monitor.cli", "ingest", str(sorted(EXAMPLES.glob("*.txt"))[0])],
                         capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM articles")).scalar() == 1
        assert c.execute(text("SELECT count(*) FROM claims")).scalar()
    engine.dispose()
