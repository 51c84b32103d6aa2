"""Outbox rows to notifiers: routing, per-channel rate limit, threads, retries, dead letters.

``dispatch_once`` is what the daemon runs every few seconds and ``monitor alerts dispatch
--once`` runs until nothing is due; ``send_digests`` is the job of a digest route's cron
trigger. The first notifier is the primary: its result (Slack ts and channel) is what the row
records. Further notifiers mirror the message (the console in the demo); their failures are
logged and change nothing.

Outcomes of one delivery attempt (see ``alerts.errors``):
- sent: state ``sent`` with ``slack_ts``/``slack_channel_id`` (a corroboration replies in the
  parent's thread, then the parent's source count is edited with chat.update);
- transient or ambiguous failure: ``attempts`` + 1 and ``next_attempt_at`` after a backoff
  (Retry-After when Slack gave one); ``dead`` once ``slack.max_attempts`` is reached;
- permanent failure (invalid_blocks, channel_not_found, ...): ``dead`` at once;
- a child (corroboration, later change of the same key) waits while its parent is still
  pending, so it can reply in its thread or link to it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alerts.base import Notifier, Throttle
from alerts.errors import AlertsError, DeliveryFailed, PermanentError
from alerts.model import Alert, Delivery, MessageRef
from monitor.config import MonitorConfig, SlackConfig, SlackRoute
from monitor.delivery import outbox
from monitor.delivery.convert import to_alert
from monitor.delivery.ratelimit import ChannelRateLimiter, Clock, SystemClock
from monitor.routing import AlertFacts, choose
from monitor.store.tables import AlertRow

log = logging.getLogger("monitor.delivery")

BATCH = 200
PARENT_WAIT = dt.timedelta(seconds=2)


@dataclass
class DispatchReport:
    routed: int = 0
    sent: int = 0
    threaded: int = 0
    updated: int = 0
    found_existing: int = 0
    retried: int = 0
    dead: int = 0
    skipped: int = 0
    deferred: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)

    def merge(self, other: DispatchReport) -> None:
        for name in ("routed", "sent", "threaded", "updated", "found_existing", "retried", "dead", "skipped",
                     "deferred", "digests"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def summary(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if isinstance(v, int)}


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _slack(config: MonitorConfig | SlackConfig) -> SlackConfig:
    return config.slack if isinstance(config, MonitorConfig) else config


class Dispatcher:
    """Holds what must outlive one run: the rate limiter, the owner id, the notifiers."""

    def __init__(self, engine: Engine, notifiers: Notifier | Sequence[Notifier],
                 config: MonitorConfig | SlackConfig, *, clock: Clock | None = None, owner: str | None = None,
                 limiter: ChannelRateLimiter | None = None, fallback_channel: str | None = None) -> None:
        self.engine = engine
        self.notifiers: list[Notifier] = [notifiers] if isinstance(notifiers, Notifier) else list(notifiers)
        if not self.notifiers:
            raise ValueError("dispatch needs at least one notifier")
        self.slack = _slack(config)
        self.clock = clock or SystemClock()
        self.owner = owner or default_owner()
        self.limiter = limiter or ChannelRateLimiter(self.slack.per_channel_per_second, self.clock)
        self.fallback_channel = fallback_channel

    @property
    def primary(self) -> Notifier:
        return self.notifiers[0]

    # -- routing -------------------------------------------------------------------------------

    def route_new(self, report: DispatchReport) -> None:
        """Give every unrouted pending row its channel and mode (once; later config changes don't move it)."""
        now = self.clock.now()
        with Session(self.engine) as s, s.begin():
            rows = outbox.unrouted(s, 1000)
            for row in rows:
                parent = s.get(AlertRow, row.parent_id) if row.parent_id else None
                if (row.type == "corroboration" and parent is not None and parent.mode == "instant"
                        and parent.channel and parent.state in ("pending", "sending", "sent")):
                    row.channel, row.mode = parent.channel, "instant"  # a reply in the parent's thread
                    report.routed += 1
                    continue
                target = choose(self.slack, AlertFacts(row.type, row.kind, row.subject, row.severity, row.topic),
                                fallback_channel=self.fallback_channel)
                if target is None:
                    row.state = "skipped"
                    row.last_error = "no route matches and slack.default_channel is not set"
                    report.skipped += 1
                    continue
                row.channel, row.mode = target.channel, target.mode
                if row.next_attempt_at is None:
                    row.next_attempt_at = now
                report.routed += 1

    # -- instant delivery ------------------------------------------------------------------------

    def run_once(self) -> DispatchReport:
        """Deliver every instant row due now (once each), honouring the per-channel rate."""
        report = DispatchReport()
        self.route_new(report)
        with Session(self.engine, expire_on_commit=False) as s:
            queue = outbox.due_instant(s, self.clock.now(), BATCH)
        while queue:
            # The oldest row of a channel with a free slot, else of the channel free soonest: each
            # channel keeps the outbox's order, and a busy channel does not hold up the others.
            waits: dict[str, float] = {}
            for r in queue:
                if self._bucket(r) not in waits:
                    waits[self._bucket(r)] = self.limiter.ready_in(self._bucket(r))
            soonest = min(waits.values())
            i = next(k for k, r in enumerate(queue) if waits[self._bucket(r)] <= soonest)
            if soonest > 0:
                self.clock.sleep(soonest)
            row = queue.pop(i)
            self._deliver_one(row.id, report)
        return report

    def _bucket(self, row: AlertRow) -> str:
        return row.channel or "?"

    def _parent_state(self, alert_id: int) -> tuple[AlertRow | None, AlertRow | None]:
        with Session(self.engine, expire_on_commit=False) as s:
            row = s.get(AlertRow, alert_id)
            parent = s.get(AlertRow, row.parent_id) if row is not None and row.parent_id else None
            return row, parent

    def _deliver_one(self, alert_id: int, report: DispatchReport) -> None:
        row, parent = self._parent_state(alert_id)
        if row is None or row.channel is None:
            return
        now = self.clock.now()
        if (parent is not None and parent.mode == "instant" and parent.state in ("pending", "sending")
                and row.state == "pending"):
            outbox.defer(self.engine, row.id, now + PARENT_WAIT)
            report.deferred += 1
            return
        claimed = outbox.claim(self.engine, row.id, self.owner, now, self.slack.lease_seconds)
        if claimed is None:
            return  # another replica has it
        ref = None
        if parent is not None and parent.state == "sent" and parent.slack_ts and parent.slack_channel_id:
            ref = MessageRef(parent.slack_ts, parent.slack_channel_id)
        # Reply and edit only under a message of the parent's own (a digest is shared by many).
        thread = ref if (row.type == "corroboration" and ref is not None and parent is not None
                         and parent.mode == "instant" and self.primary.supports_threads) else None
        if ref is not None and thread is None:
            ref = MessageRef(ref.ts, ref.channel_id, self._permalink(ref))
        alert = to_alert(row, parent=ref)
        channel = thread.channel_id if thread else row.channel
        bucket = row.channel

        def throttle(_channel: str) -> None:
            self.limiter.acquire(bucket)

        try:
            delivery = self.primary.send(alert, channel, thread=thread, maybe_sent=claimed.maybe_sent,
                                         throttle=throttle)
        except PermanentError as err:
            self._failed(row, err, report, permanent=True)
            return
        except DeliveryFailed as err:
            self._failed(row, err, report, permanent=False)
            return
        except Exception as err:  # isolation boundary: one alert's bug must not stop the others
            log.exception("alert %d: unexpected error while sending", row.id)
            self._failed(row, DeliveryFailed(f"{type(err).__name__}: {err}"), report, permanent=False)
            return
        self._sent(row, delivery, report)
        updated = None
        if thread is not None and parent is not None:
            report.threaded += 1
            updated = self._update_parent(parent, row.id, alert.source_count, thread, throttle, report)
        self._mirror(alert, row.channel, thread, updated)

    def _permalink(self, ref: MessageRef) -> str | None:
        return self.primary.permalink(ref)

    def _sent(self, row: AlertRow, d: Delivery, report: DispatchReport) -> None:
        now = self.clock.now()
        outbox.finish(self.engine, row.id, self.owner, state="sent", sent_at=now, slack_ts=d.ts,
                      slack_channel_id=d.channel_id, attempts=row.attempts + 1, next_attempt_at=None)
        report.sent += 1
        report.found_existing += int(d.found_existing)
        log.info("alert %d sent to %s%s", row.id, row.channel, " (found from an earlier attempt)"
                 if d.found_existing else "")

    def _failed(self, row: AlertRow, err: DeliveryFailed, report: DispatchReport, *, permanent: bool) -> None:
        attempts = row.attempts + 1
        text = f"{type(err).__name__}: {err}"[:1000]
        report.errors.append(f"alert {row.id}: {text}")
        if permanent or attempts >= self.slack.max_attempts:
            outbox.finish(self.engine, row.id, self.owner, state="dead", attempts=attempts, last_error=text)
            report.dead += 1
            log.error("alert %d dead after %d attempt(s): %s (see `monitor alerts --failed`)", row.id, attempts,
                      text)
            return
        delay = min(self.slack.backoff_max_seconds, self.slack.backoff_seconds * 2 ** (attempts - 1))
        if err.retry_after is not None:
            delay = max(delay, err.retry_after)
        outbox.finish(self.engine, row.id, self.owner, state="pending", attempts=attempts, last_error=text,
                      next_attempt_at=self.clock.now() + dt.timedelta(seconds=delay))
        report.retried += 1
        log.warning("alert %d: attempt %d failed (%s); next in %.0fs", row.id, attempts, text, delay)

    def _update_parent(self, parent: AlertRow, child_id: int, count: int, ref: MessageRef, throttle: Throttle,
                       report: DispatchReport) -> Alert | None:
        """Edit the parent's message to the new source count; the edited alert, or None."""
        base = to_alert(parent)
        # Corroborations may be delivered out of order (a retry): the parent shows the highest
        # count reached, and a late reply with a lower one leaves it alone.
        shown = max(base.source_count, outbox.sent_corroboration_count(self.engine, parent.id, exclude=child_id))
        if count <= shown:
            return None
        edited = base.with_source_count(count)
        try:
            self.primary.update(ref, edited, throttle=throttle)
        except DeliveryFailed as err:
            # The reply is posted and recorded; a stale count on the parent is not worth a duplicate.
            report.errors.append(f"alert {parent.id}: source count not updated: {err}")
            log.warning("alert %d: source count not updated: %s", parent.id, err)
            return None
        report.updated += 1
        return edited

    def _mirror(self, alert: Alert, channel: str, thread: MessageRef | None, edited_parent: Alert | None) -> None:
        for n in self.notifiers[1:]:
            try:
                n.send(alert, channel, thread=thread if n.supports_threads else None)
                if thread is not None and edited_parent is not None and n.supports_update:
                    n.update(thread, edited_parent)
            except AlertsError as err:
                log.warning("alert %d: mirror %s failed: %s", alert.id, n.name, err)

    # -- digests -------------------------------------------------------------------------------

    def send_digest(self, route: SlackRoute) -> DispatchReport:
        """Post the route's pending digest rows as one message grouped by subject."""
        report = DispatchReport()
        self.route_new(report)
        now = self.clock.now()
        with Session(self.engine, expire_on_commit=False) as s:
            rows = outbox.due_digest(s, route.channel, now)
        # Rows of a failed digest go again on their own: the same set makes the same key, so
        # an ambiguous earlier attempt is found instead of posted twice.
        retry = [r for r in rows if r.attempts > 0 or r.state == "sending"]
        rows = retry or rows
        claimed = [c for r in rows if (c := outbox.claim(self.engine, r.id, self.owner, now,
                                                          self.slack.lease_seconds,
                                                          digest_channel=route.channel)) is not None]
        if not claimed:
            return report
        ids = {c.row_id for c in claimed}
        held = [r for r in rows if r.id in ids]
        alerts = [to_alert(r) for r in held]

        def throttle(_channel: str) -> None:
            self.limiter.acquire(route.channel)

        try:
            deliveries = self.primary.send_digest(alerts, route.channel, title=route.name,
                                                  maybe_sent=any(c.maybe_sent for c in claimed),
                                                  throttle=throttle)
        except DeliveryFailed as err:
            for r in held:
                self._failed(r, err, report, permanent=isinstance(err, PermanentError))
            return report
        first = deliveries[0] if deliveries else Delivery(self.primary.name, route.channel)
        for r in held:
            self._sent(r, first, report)
        report.digests += 1
        for n in self.notifiers[1:]:
            try:
                n.send_digest(alerts, route.channel, title=route.name)
            except AlertsError as err:
                log.warning("digest %s: mirror %s failed: %s", route.name, n.name, err)
        return report


def dispatch_once(engine: Engine, notifiers: Notifier | Sequence[Notifier], config: MonitorConfig | SlackConfig,
                  *, clock: Clock | None = None, owner: str | None = None,
                  limiter: ChannelRateLimiter | None = None, fallback_channel: str | None = None) -> DispatchReport:
    """One pass over the outbox: route new rows, deliver the instant rows due now."""
    return Dispatcher(engine, notifiers, config, clock=clock, owner=owner, limiter=limiter,
                      fallback_channel=fallback_channel).run_once()


def send_digests(engine: Engine, notifiers: Notifier | Sequence[Notifier], config: MonitorConfig | SlackConfig,
                 route: SlackRoute, *, clock: Clock | None = None, owner: str | None = None,
                 limiter: ChannelRateLimiter | None = None) -> DispatchReport:
    """The cron job of a digest route: everything pending for it, as one digest."""
    return Dispatcher(engine, notifiers, config, clock=clock, owner=owner, limiter=limiter).send_digest(route)
