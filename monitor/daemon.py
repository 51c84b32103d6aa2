"""``monitor run``: the long-running service, wired from the real stages.

Start-up, in order: logging per config; on SQLite the one-daemon lock; engine and migrations;
feeds from the config synced into the store; the HTTP client and the notifiers; the scheduler
(tick, dispatch, digests, housekeeping, reload); the health endpoint; signal handlers.

Shutdown (SIGTERM or SIGINT): no new job starts, in-flight jobs get up to
``SHUTDOWN_BUDGET`` seconds to finish, the leases this replica still holds are given back,
then the process exits 0, within 10 s of the signal. A second signal exits at once (code
128+signal); what was in flight is then taken over by another replica when its lease expires.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import httpx
from sqlalchemy import Engine, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from monitor import daemon_stages as stg
from monitor import metrics
from monitor.config import LoadedConfig, MonitorConfig, SlackRoute
from monitor.errors import ConfigError
from monitor.reload import Reloaded, Reloader
from monitor.scheduler import (
    HOUSEKEEPING_SECONDS,
    Heartbeat,
    JobSpec,
    build_scheduler,
    digest_jobs,
    interval_job,
    prune_old_versions,
    replace_jobs,
)
from monitor.sqlite_lock import DaemonLock, lock_for
from monitor.store import migrate
from monitor.store.engine import is_sqlite, make_engine
from monitor.store.tables import Feed
from monitor.web import Check, HealthServer

log = logging.getLogger(__name__)

# Seconds from the first signal until the process has exited: in-flight work gets this long,
# then leases are released (the limit is 10 s; the rest is margin for the release).
SHUTDOWN_BUDGET = 7.0
RELOAD_SECONDS = 2.0
PING_TIMEOUT = 3.0  # seconds /readyz waits for the database


def replica_id() -> str:
    """``MONITOR_REPLICA_ID``, else host:pid:random (unique even when pids repeat in containers)."""
    return os.environ.get("MONITOR_REPLICA_ID") or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(slots=True)
class Runtime:
    """The configuration in force; hot reload swaps ``loaded`` and ``topics`` as a whole."""

    loaded: LoadedConfig
    topics: Any = None
    generation: int = 0

    @property
    def config(self) -> MonitorConfig:
        return self.loaded.config


@dataclass(slots=True)
class _State:
    stopping: threading.Event = field(default_factory=threading.Event)
    signals: int = 0
    signal_at: float | None = None


class Daemon:
    """One replica. ``run()`` blocks until a signal (or :meth:`stop`) and returns the exit code."""

    def __init__(self, loaded: LoadedConfig, *, owner: str | None = None,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.runtime = Runtime(loaded=loaded)
        self.owner = owner or replica_id()
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.heartbeat = Heartbeat()
        self._state = _State()
        self._lock: DaemonLock | None = None
        self._engine: Engine | None = None
        self._client: httpx.Client | None = None
        self._stages: stg.Stages | None = None
        self._sched: Any = None
        self._web: HealthServer | None = None
        self._collector: metrics.StoreCollector | None = None
        self._reloader: Reloader | None = None
        self._ping_lock = threading.Lock()
        self._ping_future: Future[Check] | None = None

    # --- start ------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        assert self._engine is not None, "daemon not started"
        return self._engine

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self._cleanup(finished=True)
            raise

    def _start(self) -> None:
        cfg = self.runtime.config
        lock = lock_for(cfg.database.url)
        if lock is not None:
            self._lock = lock.acquire()
        self._engine = make_engine(cfg.database.url, pool_size=cfg.database.pool_size)
        migrate.upgrade(self._engine)
        self._stages = stg.Stages(self._engine, owner=self.owner)
        self.runtime.topics = self._stages.load_topics(self.runtime.loaded)
        self._stages.sync_feeds(self.runtime.loaded)
        self._client = self._stages.make_client(self.runtime.loaded)
        self._stages.configure_delivery(self.runtime.loaded)
        self._collector = metrics.StoreCollector(self._engine, self.clock)
        metrics.REGISTRY.register(self._collector)
        if self.runtime.loaded.path is not None:
            self._reloader = Reloader(self.runtime.loaded, load_topics=self._stages.topics_loader(),
                                      on_reject=self._reload_rejected)
        if cfg.server.port:
            # Bound before the scheduler starts: a taken port fails the start with nothing running.
            self._web = HealthServer(cfg.server.host, cfg.server.port, self.readiness)
        self._sched = build_scheduler(self._jobs(cfg))
        self._sched.start()
        if self._web is not None:
            self._web.start()
        log.info("monitor running as replica %s: %d feeds, database %s", self.owner,
                 sum(f.enabled for f in cfg.feeds), _safe_url(cfg.database.url))

    def _jobs(self, cfg: MonitorConfig) -> list[JobSpec]:
        grace = cfg.scheduler.misfire_grace_time
        now = self.clock()
        jobs = [
            interval_job("tick", self.tick, cfg.scheduler.tick_seconds, grace=grace, first_run=now),
            interval_job("dispatch", self.dispatch, cfg.scheduler.dispatch_seconds, grace=grace, first_run=now),
            interval_job("housekeeping", self.housekeeping, HOUSEKEEPING_SECONDS, grace=HOUSEKEEPING_SECONDS,
                         first_run=now + dt.timedelta(seconds=30)),
        ]
        if self._reloader is not None:
            jobs.append(interval_job("reload", self.check_reload, RELOAD_SECONDS, grace=grace))
        jobs += digest_jobs(cfg.slack.routes, self._digest_job, grace=grace, timezone=cfg.slack.digest_timezone)
        return jobs

    # --- jobs -------------------------------------------------------------------------------

    def tick(self) -> None:
        """Claim due feeds (leases) and poll them, until none is due or we are stopping."""
        if self._state.stopping.is_set():
            return
        assert self._stages is not None and self._client is not None
        self._stages.poll(self.runtime.loaded, self._client, self.clock, self._state.stopping)
        metrics.TICKS.inc()
        self.heartbeat.beat(self.clock())

    def dispatch(self) -> None:
        if self._state.stopping.is_set():
            return
        assert self._stages is not None
        self._stages.dispatch(self.runtime.loaded, self.clock())

    def _digest_job(self, route: SlackRoute) -> Callable[[], None]:
        def run() -> None:
            if not self._state.stopping.is_set() and self._stages is not None:
                self._stages.digest(self.runtime.loaded, route, self.clock())
        return run

    def housekeeping(self) -> None:
        prune_old_versions(self.engine, self.clock(), self.runtime.config.scheduler.retention_days)

    def check_reload(self) -> None:
        if self._reloader is None or self._state.stopping.is_set():
            return
        change = self._reloader.poll()
        if change is not None:
            self.apply(change)

    def apply(self, change: Reloaded) -> None:
        """Make a validated configuration the running one."""
        assert self._stages is not None
        old = self.runtime.config
        self._stages.sync_feeds(change.loaded)
        self._stages.configure_delivery(change.loaded)
        self.runtime = Runtime(loaded=change.loaded, topics=change.topics if change.topics is not None
                               else self.runtime.topics, generation=self.runtime.generation + 1)
        self._stages.set_topics(self.runtime.topics)
        new = self.runtime.config
        if self._sched is not None:
            if (new.slack.routes, new.slack.digest_timezone) != (old.slack.routes, old.slack.digest_timezone):
                replace_jobs(self._sched, "digest:", digest_jobs(new.slack.routes, self._digest_job,
                                                                 grace=new.scheduler.misfire_grace_time,
                                                                 timezone=new.slack.digest_timezone))
            if new.scheduler.tick_seconds != old.scheduler.tick_seconds:
                self._sched.reschedule_job("tick", trigger="interval", seconds=new.scheduler.tick_seconds)
            if new.scheduler.dispatch_seconds != old.scheduler.dispatch_seconds:
                self._sched.reschedule_job("dispatch", trigger="interval", seconds=new.scheduler.dispatch_seconds)
        later = [name for name in ("database", "server", "logging") if getattr(new, name) != getattr(old, name)]
        if (new.http.user_agent, new.http.connect_timeout, new.http.read_timeout, new.http.concurrency) != (
                old.http.user_agent, old.http.connect_timeout, old.http.read_timeout, old.http.concurrency):
            later.append("http client (user_agent, timeouts, concurrency)")
        if later:
            log.warning("%s: applied at the next start; everything else is in force now", ", ".join(later))

    def _reload_rejected(self, exc: ConfigError, files: list[str]) -> None:
        if self._stages is not None:
            self._stages.ops_alert(self.runtime.loaded, f"config reload rejected: {exc}", files, self.clock())

    # --- health -----------------------------------------------------------------------------

    def readiness(self) -> dict[str, Check]:
        checks: dict[str, Check] = {"database": self._database_check()}
        running = self._sched is not None and self._sched.running and not self._state.stopping.is_set()
        checks["scheduler"] = Check(running, "running" if running else "stopped")
        cfg = self.runtime.config
        # A tick may run as long as one fetch's deadline on top of its period; more than three
        # periods of that without a finished tick means the scheduler is stuck.
        allowed = 3 * (cfg.scheduler.tick_seconds + cfg.http.total_timeout)
        age = self.heartbeat.age(self.clock())
        if age is None:
            checks["tick"] = Check(False, "no tick finished yet")
        else:
            checks["tick"] = Check(age <= allowed, f"last tick {age:.1f}s ago (allowed {allowed:.0f}s)")
        return checks

    def _ping(self) -> Check:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return Check(True, "reachable")
        except SQLAlchemyError as exc:
            return Check(False, f"unreachable: {type(exc).__name__}")

    def _database_check(self) -> Check:
        """The ping, bounded: an unreachable host can hang a connect for minutes, and a probe that
        does not answer is worse than one that says no. A ping still hanging from an earlier
        probe is not started again."""
        with self._ping_lock:
            if self._ping_future is None or self._ping_future.done():
                fut: Future[Check] = Future()

                def ping() -> None:
                    try:
                        fut.set_result(self._ping())
                    except BaseException as exc:  # handed to the probe below, never lost
                        fut.set_exception(exc)

                # A daemon thread, so a ping hanging on a dead host never delays the exit.
                threading.Thread(target=ping, name="readyz-ping", daemon=True).start()
                self._ping_future = fut
            future = self._ping_future
        try:
            return future.result(timeout=PING_TIMEOUT)
        except FutureTimeout:
            return Check(False, f"no answer within {PING_TIMEOUT:.0f}s")
        except Exception as exc:  # isolation boundary: a probe answers "not ready", it does not crash
            return Check(False, f"check failed: {type(exc).__name__}")

    # --- run and stop -----------------------------------------------------------------------

    def install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._state.signals += 1
        if self._state.signals > 1:
            # Second signal: the operator wants out now. Leases expire on their own.
            os.write(2, f"monitor: second signal ({signal.Signals(signum).name}), exiting at once\n".encode())
            os._exit(128 + signum)
        self._state.signal_at = time.monotonic()
        log.info("%s received: finishing in-flight work (again to exit at once)", signal.Signals(signum).name)
        self._state.stopping.set()

    def stop(self) -> None:
        """Ask :meth:`run` to shut down (as a first signal does)."""
        if self._state.signal_at is None:
            self._state.signal_at = time.monotonic()
        self._state.stopping.set()

    def run(self) -> int:
        self.start()
        while not self._state.stopping.wait(0.5):
            pass
        return self.shutdown()

    def shutdown(self) -> int:
        started = self._state.signal_at or time.monotonic()
        self._state.stopping.set()
        finished = True
        if self._sched is not None:
            self._sched.pause()
            closer = threading.Thread(target=self._sched.shutdown, kwargs={"wait": True}, daemon=True)
            closer.start()
            closer.join(max(0.5, SHUTDOWN_BUDGET - (time.monotonic() - started)))
            finished = not closer.is_alive()
            if not finished:
                log.warning("in-flight work did not finish within %.0fs; leaving it to the lease expiry",
                            SHUTDOWN_BUDGET)
        released = self.release_leases(outbox=finished)
        log.info("released %d leases; stopped after %.1fs", released, time.monotonic() - started)
        self._cleanup(finished=finished)
        if not finished:
            # Executor threads are non-daemon: the interpreter would wait for them at exit.
            logging.shutdown()
            os._exit(0)
        return 0

    def _cleanup(self, *, finished: bool) -> None:
        if self._sched is not None and self._sched.running and finished:
            self._sched.shutdown(wait=False)
        if self._web is not None:
            self._web.stop()
            self._web = None
        if self._collector is not None:
            metrics.REGISTRY.unregister(self._collector)
            self._collector = None
        if finished:
            if self._client is not None:
                self._client.close()
            if self._engine is not None:
                self._engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def release_leases(self, *, outbox: bool = True) -> int:
        """Give back every feed and outbox lease this replica holds. Best effort: the database
        may be the reason we stop, and an unreleased lease expires by itself.

        Outbox rows are kept when a delivery may still be in flight (``outbox=False``): their
        lease then expires with the row still marked as sending, and whoever takes it over
        looks in Slack for the message before posting, instead of posting it a second time. A
        feed poll cut off is harmless to repeat (the pipeline is idempotent)."""
        if self._engine is None:
            return 0
        try:
            with Session(self._engine) as s, s.begin():
                if not is_sqlite(self._engine):
                    # A poll thread we gave up on may still hold a row lock; do not wait for it.
                    s.execute(text("SET LOCAL lock_timeout = '2s'"))
                res = s.execute(update(Feed).where(Feed.lease_owner == self.owner)
                                .values(lease_owner=None, lease_until=None))
                n = int(getattr(res, "rowcount", 0) or 0)
            return n + (self._stages.release() if self._stages is not None and outbox else 0)
        except SQLAlchemyError as exc:
            log.warning("could not release leases (they expire by themselves): %s", type(exc).__name__)
            return 0


def _safe_url(url: str) -> str:
    """The database URL without its password, for the log."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.rsplit('@', 1)[1]}"
