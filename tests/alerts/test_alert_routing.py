"""Routing as pure functions; Slack settings from the environment; startup errors; the CLI."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine

from monitor.config import MonitorConfig, SlackConfig, load_config
from monitor.delivery.notifiers import build_notifiers
from monitor.errors import ConfigError
from monitor.routing import AlertFacts, Target, check_startup, choose, slack_wanted
from tests.alerts.helpers import draft, insert, rows, run_cli
from tests.support.slack_standin import TOKEN, SlackStandin


def facts(**kw: str | None) -> AlertFacts:
    base: dict[str, str | None] = {"type": "changed", "kind": "control", "subject": "pokrovsk",
                                   "severity": "high", "topic": "ukraine-front"}
    base.update(kw)
    return AlertFacts(**base)  # type: ignore[arg-type]


SLACK = SlackConfig.model_validate({
    "enabled": True, "default_channel": "#all", "ops_channel": "#ops",
    "routes": [
        {"name": "summit", "channel": "#summit", "subjects": ["putin+trump*"], "types": ["new", "changed"]},
        {"name": "front-high", "channel": "#front", "kinds": ["control", "territory"], "severities": ["high"],
         "topics": ["ukraine-front"]},
        {"name": "digest", "channel": "#digest", "severities": ["low", "medium"], "mode": "digest",
         "cron": "0 8 * * *"},
    ]})


def test_first_matching_route_wins_with_every_matcher() -> None:
    assert choose(SLACK, facts()) == Target("#front", "instant", "front-high")
    assert choose(SLACK, facts(kind="meeting", subject="putin+trump@usa")) == Target("#summit", "instant", "summit")
    # type does not match the summit route: falls through to the severity rule (digest)
    assert choose(SLACK, facts(kind="meeting", subject="putin+trump@usa", type="contradicted",
                               severity="low")) == Target("#digest", "digest", "digest", "0 8 * * *")
    assert choose(SLACK, facts(topic="other")) == Target("#all", "instant", "default")  # topic mismatch
    assert choose(SLACK, facts(kind="agreement", severity="high")) == Target("#all", "instant", "default")
    assert choose(SLACK, facts(type="ops", kind="ops")) == Target("#ops", "instant", "ops")


def test_no_default_no_match_is_none_unless_a_fallback_exists() -> None:
    slack = SlackConfig.model_validate({"routes": [{"name": "m", "channel": "#m", "kinds": ["meeting"]}]})
    assert choose(slack, facts()) is None
    assert choose(slack, facts(), fallback_channel="webhook") == Target("webhook", "instant", "default")


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_SLACK__BASE_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setenv("MONITOR_SLACK__DEFAULT_CHANNEL", "#newsroom")
    cfg = MonitorConfig()
    assert cfg.slack.base_url == "http://127.0.0.1:9/api/" and cfg.slack.default_channel == "#newsroom"
    # a token and a default channel, no routes: Slack is on and everything goes to the default
    assert not slack_wanted(cfg.slack, {})
    assert slack_wanted(cfg.slack, {"SLACK_BOT_TOKEN": "xoxb-1"})
    assert choose(cfg.slack, facts(kind="meeting", severity="low")) == Target("#newsroom", "instant", "default")


def test_slack_route_without_token_is_a_clear_startup_error(tmp_path: Path) -> None:
    f = tmp_path / "monitor.yaml"
    f.write_text("slack:\n  routes:\n    - name: front\n      channel: '#front'\n")
    cfg = load_config(f).config
    with pytest.raises(ConfigError) as e:
        check_startup(cfg.slack, {})
    assert "SLACK_BOT_TOKEN is not set" in str(e.value) and "fix: export SLACK_BOT_TOKEN=" in str(e.value)
    with pytest.raises(ConfigError):
        build_notifiers(cfg, environ={})
    custom = SlackConfig.model_validate({"enabled": True, "token_env": "NEWSROOM_TOKEN", "default_channel": "#x"})
    with pytest.raises(ConfigError, match=r"\$NEWSROOM_TOKEN is not set"):
        check_startup(custom, {"SLACK_BOT_TOKEN": "xoxb-other"})
    check_startup(custom, {"NEWSROOM_TOKEN": "xoxb-1"})
    check_startup(SlackConfig(), {})  # Slack off: nothing to check


def test_digest_route_needs_a_valid_cron_with_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "monitor.yaml"
    f.write_text("slack:\n  routes:\n    - name: d\n      channel: '#d'\n      mode: digest\n"
                 "      cron: 'every morning'\n")
    with pytest.raises(ConfigError) as e:
        load_config(f)
    assert str(f) in str(e.value) and "slack.routes[0].cron" in str(e.value) and "not a crontab" in str(e.value)


def test_dispatch_command_with_env_settings_delivers_and_never_prints_the_token(
        engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    ids = insert(engine, [draft(i, sentence=f"Kämpfe in Stadt {i} <!here>") for i in range(3)])
    (tmp_path / "monitor.yaml").write_text("slack:\n  timeout: 2\n")
    with SlackStandin() as standin:
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("MONITOR_SLACK__BASE_URL", standin.base_url)
        monkeypatch.setenv("MONITOR_SLACK__DEFAULT_CHANNEL", "#front")
        rc = run_cli(["alerts", "dispatch", "--once", "--config", str(tmp_path / "monitor.yaml"), "--db", db_url,
                      "-v"])
        assert rc == 0
        assert len(standin.messages) == 3 and {m.channel for m in standin.messages} == {"C0FRONT"}
        assert all("<!here>" not in m.all_text() for m in standin.messages)
    out = capsys.readouterr()
    summary = json.loads(out.out.strip().splitlines()[-1])
    assert summary["sent"] == 3 and summary["outbox"] == {"sent": 3}
    assert all(r.state == "sent" for r in rows(engine).values()) and len(ids) == 3
    assert TOKEN not in out.out + out.err + caplog.text
    assert run_cli(["alerts", "--db", db_url, "--config", str(tmp_path / "monitor.yaml")]) == 0
    table = capsys.readouterr().out
    assert "sent: 3" in table and table.count(" sent ") == 3


def test_dispatch_command_without_token_fails_clearly(db_url: str, engine: Engine, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    f = tmp_path / "monitor.yaml"
    f.write_text("slack:\n  enabled: true\n  default_channel: '#front'\n")
    assert run_cli(["alerts", "dispatch", "--once", "--config", str(f), "--db", db_url]) == 1
    assert "SLACK_BOT_TOKEN is not set" in capsys.readouterr().err


def test_dispatch_command_without_slack_prints_to_console(db_url: str, engine: Engine, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    insert(engine, [draft(1, old="threatened", type="changed")])
    f = tmp_path / "monitor.yaml"
    f.write_text("slack:\n  enabled: false\n")
    assert run_cli(["alerts", "dispatch", "--once", "--config", str(f), "--db", db_url]) == 0
    assert "Town-1: threatened → contested" in capsys.readouterr().out
