"""SIGKILL at random points of ingest and of dispatch, 20 rounds each: nothing lost, no duplicates.

Each round forks a child that runs the real code path (``pipeline.ingest_articles`` with the
marker extractor; the real ``Dispatcher`` with slack-sdk against the Slack stand-in) and kills
it with SIGKILL after a random delay, so the kill lands anywhere: before a transaction, in the
middle of one, between the Slack post and the row being marked sent. A fork starts in
milliseconds, so 20 rounds stay fast; the child is a separate process with its own database
connections, as a restarted daemon would be. Afterwards the work is finished normally and
compared with an uninterrupted reference run (ingest) or with the outbox (dispatch).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from alerts.slack import SlackNotifier
from monitor import diff, pipeline
from monitor.config import MonitorConfig
from monitor.delivery.dispatcher import Dispatcher
from monitor.store import migrate
from monitor.store.engine import make_engine
from tests.alerts.helpers import FakeClock, draft, insert, rows
from tests.support.marker_extractor import extract_markers
from tests.support.slack_standin import TOKEN, SlackStandin

ROUNDS = 20
MAX_DUPLICATE_SHARE = 0.001
TOWNS = ["kupiansk", "pokrovsk", "myrnohrad", "siversk", "lyman", "toretsk", "huliaipole", "kostiantynivka",
         "chasiv-yar", "vuhledar"]
VALUES = ["threatened", "contested", "encircled", "russia", "ukraine"]


def in_child(work: Callable[[], None]) -> int:
    """Fork; the child runs ``work`` and exits without running any of the parent's cleanup."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process
        code = 0
        try:
            work()
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    return pid


def kill_after(pid: int, delay: float) -> bool:
    """SIGKILL ``pid`` after ``delay`` s unless it finished first; True if it was killed mid-work."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return True


# --- ingest ------------------------------------------------------------------------------------


def write_articles(folder: Path, n: int, seed: int) -> None:
    rnd = random.Random(seed)
    folder.mkdir()
    for i in range(n):
        day = 1 + i // 10
        marks = []
        for _ in range(rnd.randint(1, 4)):
            who = rnd.choice(["asserted -", "reported russia", "reported ukraine", "hedged -"])
            marks.append(f"Absatz {rnd.randint(0, 10**6)}. [control {rnd.choice(TOWNS)} status "
                         f"{rnd.choice(VALUES)} {who}]")
        body = f"Lagebericht {i} vom Tag {day}. " + " ".join(marks)
        (folder / f"{i:03d}_{i:016x}.txt").write_text(f" date 2025-08-{day:02d} {body}", encoding="utf-8")


def ingest(url: str, folder: Path) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        pipeline.ingest_articles(engine, [folder], extractor=extract_markers, policy=diff.DefaultPolicy())
    finally:
        engine.dispose()


def outbox(url: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text(
                "SELECT dedup_key, type, kind, subject, attribute, old_json, new_json, article_id, sentence "
                "FROM alerts ORDER BY dedup_key"))]
    finally:
        engine.dispose()


def test_sigkill_during_ingest_20_rounds(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, 200, seed=5)
    ref_url = f"sqlite:///{tmp_path / 'reference.db'}"
    t0 = time.monotonic()
    ingest(ref_url, folder)
    full_run = time.monotonic() - t0
    reference = outbox(ref_url)
    assert len(reference) > 60

    url = f"sqlite:///{tmp_path / 'killed.db'}"
    rnd = random.Random(20)
    interrupted = 0
    for _ in range(ROUNDS):
        pid = in_child(lambda: ingest(url, folder))
        if kill_after(pid, rnd.uniform(0.0, full_run / 8)) and len(outbox(url)) < len(reference):
            interrupted += 1
    # Later rounds have less left to do and may finish before their kill; what matters is that
    # several kills landed while the work was still unfinished.
    assert interrupted >= 3, interrupted
    ingest(url, folder)  # the restart finishes the job

    got = outbox(url)
    ref_keys = [r[0] for r in reference]
    got_keys = [r[0] for r in got]
    lost = set(ref_keys) - set(got_keys)
    duplicates = len(got_keys) - len(set(got_keys))
    assert not lost, sorted(lost)[:10]
    assert duplicates <= MAX_DUPLICATE_SHARE * len(ref_keys)
    assert got == reference  # same alerts, same contents, nothing extra


# --- dispatch ----------------------------------------------------------------------------------


def dispatch_config(standin: SlackStandin) -> MonitorConfig:
    return MonitorConfig.model_validate({"slack": {
        "enabled": True, "base_url": standin.base_url, "default_channel": "#front", "timeout": 2,
        "per_channel_per_second": 10, "lease_seconds": 10,
        "routes": [{"name": "diplo", "channel": "#diplomacy", "kinds": ["meeting"]},
                   {"name": "general", "channel": "#general", "kinds": ["territory"]},
                   {"name": "agreements", "channel": "C0DIGEST", "kinds": ["agreement"]}]}})


def dispatch_until_done(engine_url: str, standin_url: str, cfg: MonitorConfig, owner: str) -> None:
    engine = make_engine(engine_url)
    try:
        bot = SlackNotifier(token=TOKEN, base_url=standin_url, timeout=cfg.slack.timeout)
        d = Dispatcher(engine, bot, cfg, owner=owner)
        for _ in range(1000):
            rep = d.run_once()
            if rep.sent + rep.retried + rep.dead == 0:
                return
    finally:
        engine.dispose()


def test_sigkill_during_dispatch_20_rounds(engine: Engine, db_url: str) -> None:
    kinds = ("control", "meeting", "territory", "agreement")
    n = 400
    insert(engine, [draft(i, kind=kinds[i % 4], subject=f"kill-{i}") for i in range(n)])
    rnd = random.Random(7)
    with SlackStandin() as standin:
        cfg = dispatch_config(standin)
        killed = 0
        for r in range(ROUNDS):
            pid = in_child(functools.partial(dispatch_until_done, db_url, standin.base_url, cfg, f"replica-{r}"))
            killed += kill_after(pid, rnd.uniform(0.05, 0.5))
        assert killed >= ROUNDS // 4, killed
        mid = rows(engine)
        sent_mid = sum(r.state == "sent" for r in mid.values())
        assert 0 < sent_mid < n, sent_mid  # the rounds did part of the work
        # A survivor, once the dead rounds' leases (10 s) have run out: a clock 60 s ahead.
        clock = FakeClock(start=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60))
        bot = SlackNotifier(token=TOKEN, base_url=standin.base_url, timeout=2, sleep=clock.sleep)
        d = Dispatcher(engine, bot, cfg, clock=clock, owner="survivor")
        for _ in range(50):
            d.run_once()
            if all(r.state == "sent" for r in rows(engine).values()):
                break
            clock.advance(30)
        final = rows(engine)
        assert all(r.state == "sent" for r in final.values()), {i: r.state for i, r in final.items()
                                                                if r.state != "sent"}
        counts = standin.by_key()
        posted_ids = {int(k.split(":")[1]) for k in counts}
        assert posted_ids == set(final)  # no alert lost
        duplicates = sum(c - 1 for c in counts.values())
        assert duplicates <= MAX_DUPLICATE_SHARE * n, {k: c for k, c in counts.items() if c > 1}
        # every row points at its one message
        ts_by_id = {int((m.alert_key or "").split(":")[1]): m.ts for m in standin.messages}
        assert all(final[i].slack_ts == ts_by_id[i] for i in final)
