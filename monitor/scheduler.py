"""The daemon's timetable: APScheduler 3 jobs with their misfire, coalescing and concurrency rules.

Jobs (each built in :mod:`monitor.daemon` from the real stages and handed in here as plain
callables, so this module knows nothing about polling or Slack):

- ``tick``: claim due feeds (leases, ``SKIP LOCKED`` on PostgreSQL) and poll them;
- ``dispatch``: drain the alert outbox;
- ``digest:<route>``: one cron job per digest route (``slack.routes[].cron``);
- ``housekeeping``: retention of old article versions (``scheduler.retention_days``);
- ``reload``: look for changed config and topic files.

Every job sets ``misfire_grace_time``, ``coalesce`` and ``max_instances`` explicitly: a tick
that is late because the previous one ran long runs once (coalesced), never twice at the same
time (max_instances=1: two concurrent ticks of one replica would only compete for the same
leases), and a tick missed by more than the grace time is dropped, since the next one does the
same work anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, and_, delete, func, select
from sqlalchemy.orm import aliased

from monitor import metrics
from monitor.config import SlackRoute
from monitor.errors import ConfigError
from monitor.store.tables import ArticleVersion

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 3600
# Rows deleted per transaction by housekeeping: long enough to be cheap, short enough not to
# hold locks that a concurrent poll waits for.
PRUNE_BATCH = 500


@dataclass(frozen=True, slots=True)
class JobSpec:
    """One scheduled job, with all three APScheduler policies spelled out."""

    id: str
    func: Callable[[], object]
    trigger: BaseTrigger
    misfire_grace_time: int
    coalesce: bool = True
    max_instances: int = 1
    first_run: dt.datetime | None = None  # None: at the trigger's first fire time


class Heartbeat:
    """When the last tick finished: ``/readyz`` turns unready when it is too old."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dt.datetime | None = None

    def beat(self, when: dt.datetime | None = None) -> None:
        with self._lock:
            self._last = when or dt.datetime.now(dt.UTC)
        metrics.LAST_TICK.set((self._last or dt.datetime.now(dt.UTC)).timestamp())

    @property
    def last(self) -> dt.datetime | None:
        with self._lock:
            return self._last

    def age(self, now: dt.datetime) -> float | None:
        last = self.last
        return None if last is None else (now - last).total_seconds()


def guarded(job_id: str, fn: Callable[[], object]) -> Callable[[], None]:
    """Run ``fn`` as a job: a failure is logged and counted, and the next run tries again.

    This is the isolation boundary of the scheduler: one failing job run (the database gone for
    a moment, a bug in one stage) must not stop the daemon or the other jobs, so any Exception
    is caught here, and only here.
    """

    def run() -> None:
        try:
            fn()
        except Exception:  # isolation boundary, see docstring
            metrics.TICK_ERRORS.labels(job=job_id.split(":", 1)[0]).inc()
            log.exception("job %s failed; it runs again at its next time", job_id)

    run.__name__ = f"job_{job_id}"
    return run


def interval_job(job_id: str, fn: Callable[[], object], seconds: float, *, grace: int,
                 first_run: dt.datetime | None = None) -> JobSpec:
    return JobSpec(id=job_id, func=fn, trigger=IntervalTrigger(seconds=seconds), misfire_grace_time=grace,
                   coalesce=True, max_instances=1, first_run=first_run)


def digest_jobs(routes: Sequence[SlackRoute], make: Callable[[SlackRoute], Callable[[], object]],
                *, grace: int, timezone: str = "UTC") -> list[JobSpec]:
    """One cron job per digest route. A route in digest mode without a valid cron is a config error."""
    specs: list[JobSpec] = []
    for i, route in enumerate(routes):
        if route.mode != "digest":
            continue
        if not route.cron:
            raise ConfigError("a digest route needs a cron schedule", field=f"slack.routes[{i}].cron",
                              fix="add e.g. cron: '0 8,17 * * *', or set mode: instant")
        try:
            trigger = CronTrigger.from_crontab(route.cron, timezone=timezone)
        except ValueError as exc:
            raise ConfigError(f"invalid cron {route.cron!r}: {exc}", field=f"slack.routes[{i}].cron",
                              fix="use five crontab fields: minute hour day month weekday") from None
        # A digest missed while the daemon was down is still worth sending once (coalesced),
        # within an hour; later than that the next scheduled digest carries the same alerts.
        specs.append(JobSpec(id=f"digest:{route.name}", func=make(route), trigger=trigger,
                             misfire_grace_time=max(grace, 3600), coalesce=True, max_instances=1))
    return specs


def build_scheduler(specs: Sequence[JobSpec], *, workers: int | None = None) -> BackgroundScheduler:
    """A BackgroundScheduler with the given jobs added (not started)."""
    sched = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=workers or max(4, len(specs)))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        timezone="UTC",
    )
    for spec in specs:
        add_job(sched, spec)
    return sched


def add_job(sched: BackgroundScheduler, spec: JobSpec) -> None:
    kwargs: dict[str, object] = {}
    if spec.first_run is not None:
        kwargs["next_run_time"] = spec.first_run
    sched.add_job(guarded(spec.id, spec.func), trigger=spec.trigger, id=spec.id, name=spec.id,
                  misfire_grace_time=spec.misfire_grace_time, coalesce=spec.coalesce,
                  max_instances=spec.max_instances, replace_existing=True, **kwargs)


def replace_jobs(sched: BackgroundScheduler, prefix: str, specs: Sequence[JobSpec]) -> None:
    """Swap every job whose id starts with ``prefix`` for ``specs`` (hot reload of digest routes)."""
    wanted = {s.id for s in specs}
    for job in sched.get_jobs():
        if job.id.startswith(prefix) and job.id not in wanted:
            job.remove()
    for spec in specs:
        add_job(sched, spec)


def prune_old_versions(engine: Engine, now: dt.datetime, retention_days: int) -> int:
    """Delete article versions fetched more than ``retention_days`` ago; return how many.

    The newest version of every article is kept whatever its age: it is the article's current
    text, which ``replay`` and the withdrawal check compare against.
    """
    cutoff = now - dt.timedelta(days=retention_days)
    newer = aliased(ArticleVersion)
    has_newer = select(newer.id).where(and_(newer.article_id == ArticleVersion.article_id,
                                            newer.version > ArticleVersion.version)).exists()
    total = 0
    while True:
        with engine.begin() as conn:
            ids = conn.execute(select(ArticleVersion.id)
                               .where(ArticleVersion.fetched_at < cutoff, has_newer)
                               .limit(PRUNE_BATCH)).scalars().all()
            if not ids:
                break
            conn.execute(delete(ArticleVersion).where(ArticleVersion.id.in_(ids)))
        total += len(ids)
    if total:
        log.info("housekeeping: removed %d article versions older than %d days", total, retention_days)
    return total


def count_versions(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ArticleVersion)).scalar() or 0)
