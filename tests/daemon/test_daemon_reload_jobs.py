"""A reload reshapes the running scheduler: digest routes come and go, periods change."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from monitor.config import load_config
from monitor.daemon import Daemon
from monitor.reload import Reloaded
from tests.support.daemon_runner import TOPICS
from tests.support.slack_standin import TOKEN, SlackStandin


def write(path: Path, slack: dict[str, object], **top: object) -> Path:
    doc = {"database": {"url": f"sqlite:///{path.parent / 'monitor.db'}"}, "topics_dir": str(TOPICS),
           "server": {"port": 0}, "archive": {"enabled": False},
           "slack": {"default_channel": "C0FRONT", **slack}, **top}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_digest_jobs_and_periods_follow_the_reloaded_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    with SlackStandin() as slack:
        cfg = write(tmp_path / "monitor.yaml", {"base_url": slack.base_url})
        d = Daemon(load_config(cfg), owner="t")
        d.start()
        try:
            sched = d._sched
            assert {j.id for j in sched.get_jobs()} == {"tick", "dispatch", "housekeeping", "reload"}
            morning = {"name": "morning", "channel": "C0DIGEST", "mode": "digest", "cron": "0 8 * * *"}
            write(cfg, {"base_url": slack.base_url, "routes": [morning], "digest_timezone": "Europe/Berlin"})
            d.apply(Reloaded(loaded=load_config(cfg), topics=None))
            job = sched.get_job("digest:morning")
            assert job is not None and str(job.trigger.timezone) == "Europe/Berlin"
            assert (job.misfire_grace_time, job.coalesce, job.max_instances) == (3600, True, 1)
            write(cfg, {"base_url": slack.base_url}, scheduler={"tick_seconds": 9})
            d.apply(Reloaded(loaded=load_config(cfg), topics=None))
            assert sched.get_job("digest:morning") is None
            assert sched.get_job("tick").trigger.interval.total_seconds() == 9
            assert d.runtime.generation == 2
        finally:
            assert d.shutdown() == 0
