"""`monitor alerts dispatch --once` killed with SIGKILL at random points, then run again after the
dead process's leases ran out: every alert reaches the Slack stand-in exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from monitor.store.tables import AlertRow
from tests.alerts.helpers import draft, insert, rows
from tests.support.slack_standin import TOKEN, SlackStandin

MONITOR = [sys.executable, "-m", "monitor.cli"]


def _dispatch(cfg: Path, db_url: str, standin: SlackStandin, *, quiet: bool = True) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "MONITOR_SLACK__BASE_URL": standin.base_url}
    out = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen([*MONITOR, "alerts", "dispatch", "--once", "--config", str(cfg), "--db", db_url],
                            env=env, stdout=out, stderr=out)


def test_sigkill_mid_dispatch_loses_nothing_and_duplicates_nothing(engine: Engine, db_url: str,
                                                                   tmp_path: Path) -> None:
    cfg = tmp_path / "monitor.yaml"
    cfg.write_text("slack:\n  enabled: true\n  default_channel: '#front'\n  per_channel_per_second: 10\n"
                   "  timeout: 5\n  routes:\n"
                   "    - {name: d, channel: '#diplomacy', kinds: [meeting]}\n"
                   "    - {name: g, channel: 'C0GENERAL', severities: [low]}\n")
    rng = random.Random(7)
    expected = interrupted = in_flight = 0
    with SlackStandin() as standin:
        standin.delay = 0.02
        for round_ in range(2):
            batch = [draft(100 * round_ + i, kind=("control", "meeting")[i % 2], severity=("high", "low")[i % 3 == 0])
                     for i in range(12)]
            insert(engine, batch)
            expected += len(batch)
            before = len(standin.messages)
            kill_after = rng.randint(1, 8)
            proc = _dispatch(cfg, db_url, standin)
            deadline = time.monotonic() + 30
            while proc.poll() is None and len(standin.messages) < before + kill_after:
                assert time.monotonic() < deadline, "dispatch made no progress"
                time.sleep(0.002)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            states = [r.state for r in rows(engine).values()]
            interrupted += states.count("pending") + states.count("sending")
            in_flight += states.count("sending")
            # The killed process's leases run out (as they would after slack.lease_seconds).
            with Session(engine) as s, s.begin():
                s.execute(update(AlertRow).where(AlertRow.state == "sending").values(lease_until=None))
            again = _dispatch(cfg, db_url, standin, quiet=False)
            out, err = again.communicate(timeout=60)
            assert again.returncode == 0, (out + err).decode()[-3000:]
            counts = standin.by_key()
            assert len(standin.messages) == expected and set(counts.values()) == {1}, counts
    assert all(r.state == "sent" for r in rows(engine).values())
    assert interrupted > 0  # the kills did land mid-run
    print(f"killed with {interrupted} alerts undelivered, {in_flight} of them in flight")
