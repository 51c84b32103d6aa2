"""The scheduler's jobs and their policies, and housekeeping's retention, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor import metrics
from monitor.config import LoadedConfig, MonitorConfig, SlackRoute
from monitor.daemon import Daemon
from monitor.errors import ConfigError
from monitor.scheduler import build_scheduler, digest_jobs, interval_job, prune_old_versions
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import ArticleRow, ArticleVersion

NOW = dt.datetime(2025, 8, 16, 12, 0, tzinfo=dt.UTC)


def test_every_daemon_job_sets_misfire_coalesce_and_max_instances_explicitly() -> None:
    cfg = MonitorConfig(slack={"routes": [
        {"name": "morning", "channel": "#desk", "mode": "digest", "cron": "0 8 * * *"},
        {"name": "now", "channel": "#desk"}]})
    d = Daemon(LoadedConfig(cfg, None), owner="t")
    specs = d._jobs(cfg)
    assert {s.id for s in specs} == {"tick", "dispatch", "housekeeping", "digest:morning"}
    sched = build_scheduler(specs)
    jobs = {j.id: j for j in sched.get_jobs()}
    # Defaults of the scheduler differ from every job's own values: the job's are the ones in force.
    for spec in specs:
        job = jobs[spec.id]
        assert job.misfire_grace_time == spec.misfire_grace_time
        assert job.coalesce is True
        assert job.max_instances == 1
    assert jobs["tick"].misfire_grace_time == cfg.scheduler.misfire_grace_time
    assert jobs["digest:morning"].misfire_grace_time == 3600


def test_a_digest_route_without_a_valid_cron_is_a_config_error_naming_the_field() -> None:
    # The config model refuses these already; the scheduler does not rely on it (model_construct skips it).
    bad = [SlackRoute.model_construct(name="d", channel="#x", mode="digest", cron="every morning")]
    with pytest.raises(ConfigError, match=r"slack.routes\[0\].cron"):
        digest_jobs(bad, lambda r: (lambda: None), grace=30)
    with pytest.raises(ConfigError, match="needs a cron"):
        digest_jobs([SlackRoute.model_construct(name="d", channel="#x", mode="digest", cron=None)], lambda r: (lambda: None), grace=30)


def test_a_long_job_never_runs_twice_at_once_and_a_failing_one_keeps_its_schedule() -> None:
    running = 0
    peak = 0
    calls = 0
    lock = threading.Lock()

    def slow() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.35)
        with lock:
            running -= 1

    def boom() -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("database gone")

    before = metrics.sample("monitor_tick_errors_total", {"job": "boom"})
    sched = build_scheduler([interval_job("slow", slow, 0.1, grace=1), interval_job("boom", boom, 0.1, grace=1)])
    sched.start()
    time.sleep(1.2)
    sched.shutdown(wait=True)
    assert peak == 1
    assert calls >= 3  # failed, and ran again
    assert metrics.sample("monitor_tick_errors_total", {"job": "boom"}) - before == calls


def test_housekeeping_removes_old_versions_but_keeps_each_articles_newest(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    old, recent = NOW - dt.timedelta(days=100), NOW - dt.timedelta(days=5)
    with Session(engine) as s, s.begin():
        for aid, versions in (("a" * 16, [old, old, recent]), ("b" * 16, [old]), ("c" * 16, [old, old])):
            s.add(ArticleRow(id=aid, published=NOW.date(), content_hash="h", first_seen=old, last_seen=NOW,
                             version=len(versions)))
            s.flush()
            for n, when in enumerate(versions, 1):
                s.add(ArticleVersion(article_id=aid, version=n, text=f" date 2025-08-16 v{n}", content_hash=f"h{n}",
                                     fetched_at=when))
    removed = prune_old_versions(engine, NOW, retention_days=90)
    with Session(engine) as s:
        left = sorted(s.execute(select(ArticleVersion.article_id, ArticleVersion.version)).all())
    engine.dispose()
    assert removed == 3
    assert left == [("a" * 16, 3), ("b" * 16, 1), ("c" * 16, 2)]
