"""``monitor demo`` end to end (timeline without pauses): the five things a newcomer should see,
checked in the demo's own database and in what it printed; and the same alerts in a Slack
stand-in when one is configured through the environment."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.store.engine import make_engine
from monitor.store.tables import AlertRow, ArticleRow, BeliefRow
from tests.support.slack_standin import TOKEN, SlackStandin


def run_demo(workdir: Path, env: dict[str, str] | None = None) -> str:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("MONITOR_", "SLACK_"))}
    full.update(env or {})
    res = subprocess.run([sys.executable, "-m", "monitor.cli", "demo", "--step-seconds", "0",
                          "--workdir", str(workdir)], capture_output=True, text=True, timeout=180, env=full)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return res.stdout


def steps(output: str) -> dict[int, str]:
    """The printed text of each timeline step, by number."""
    parts = re.split(r"^━━ step (\d+)/\d+: ", output, flags=re.M)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict[str, Any]], Path]:
    work = tmp_path_factory.mktemp("demo")
    out = run_demo(work)
    engine = make_engine(f"sqlite:///{work / 'demo.db'}")
    with Session(engine) as s:
        alerts = [{"id": a.id, "type": a.type, "kind": a.kind, "subject": a.subject,
                   "old": json.loads(a.old_json) if a.old_json else None, "new": json.loads(a.new_json),
                   "state": a.state, "parent": a.parent_id}
                  for a in s.scalars(select(AlertRow).order_by(AlertRow.id))]
    engine.dispose()
    return out, alerts, work


def test_baseline_first_polls_store_everything_and_alert_nothing(
        demo: tuple[str, list[dict[str, Any]], Path]) -> None:
    out, alerts, work = demo
    first = steps(out)[1]
    assert "3 first polls stored as baseline" in first
    assert "alerts raised in this step: none" in first
    engine = make_engine(f"sqlite:///{work / 'demo.db'}")
    with Session(engine) as s:
        baseline_items = s.scalars(select(ArticleRow.id).where(ArticleRow.baseline.is_(True))).all()
        planned = s.scalars(select(BeliefRow).where(BeliefRow.kind == "meeting")).all()
    engine.dispose()
    assert len(baseline_items) == 4
    assert planned, "the baseline articles became beliefs"
    assert all(a["type"] != "ops" for a in alerts)


def test_front_change_threatened_contested_taken(demo: tuple[str, list[dict[str, Any]], Path]) -> None:
    _, alerts, _ = demo
    town = [(a["type"], a["old"], a["new"]) for a in alerts if a["subject"] == "vuhledar"]
    assert town == [("new", None, "threatened"), ("changed", "threatened", "contested"),
                    ("changed", "contested", "russia")]


def test_summit_outcome_planned_to_held_then_corroborated(demo: tuple[str, list[dict[str, Any]], Path]) -> None:
    out, alerts, _ = demo
    meeting = [a for a in alerts if a["kind"] == "meeting" and a["subject"].startswith("putin+trump")]
    changed = [a for a in meeting if a["type"] == "changed"]
    assert [(a["old"], a["new"]) for a in changed] == [("planned", "held")]
    corroborations = [a for a in meeting if a["type"] == "corroboration"]
    assert len(corroborations) == 1 and corroborations[0]["parent"] == changed[0]["id"]
    step6 = steps(out)[6]
    assert "reply in thread" in step6 and "2 independent sources" in step6


def test_contradiction_moscow_says_taken_kyiv_says_fighting(demo: tuple[str, list[dict[str, Any]], Path]) -> None:
    out, alerts, _ = demo
    town = [(a["type"], a["old"], a["new"]) for a in alerts if a["subject"] == "chasiv-yar"]
    assert town == [("changed", "contested", "russia"), ("contradicted", "russia", "contested")]
    assert "Contradiction" in steps(out)[8]


def test_every_alert_was_delivered_and_shown(demo: tuple[str, list[dict[str, Any]], Path]) -> None:
    out, alerts, _ = demo
    assert alerts and all(a["state"] == "sent" for a in alerts)
    assert out.count("[console] message") == sum(a["type"] != "corroboration" for a in alerts)


def test_with_slack_configured_the_demo_posts_there_too(tmp_path: Path) -> None:
    with SlackStandin() as slack:
        run_demo(tmp_path, env={"SLACK_BOT_TOKEN": TOKEN, "MONITOR_SLACK__BASE_URL": slack.base_url,
                                "MONITOR_SLACK__DEFAULT_CHANNEL": "C0FRONT"})
        top = slack.in_channel("C0FRONT")
        replies = [m for m in slack.in_channel("C0FRONT", top_level=False) if m.thread_ts]
        engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
        with Session(engine) as s:
            types = list(s.scalars(select(AlertRow.type)))
        engine.dispose()
        assert len(top) == sum(t != "corroboration" for t in types)
        assert len(replies) == types.count("corroboration") == 1
        assert all(n == 1 for n in slack.by_key().values())  # nothing posted twice
        assert TOKEN not in "".join(m.all_text() for m in slack.messages)
