"""The outbox's delivery side: claim rows under a lease, record results, dead letters, ops alerts.

A row is claimed by a compare-and-set UPDATE whose WHERE repeats the "due" condition, so two
processes can never both win it; on PostgreSQL the candidate is first locked with
``SELECT ... FOR UPDATE SKIP LOCKED`` so replicas skip each other's rows instead of waiting. A
row whose lease ran out while ``sending`` (its replica died) is due again: the next claimer
looks for the message in Slack before posting (the notifier's ``maybe_sent``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.store.engine import is_sqlite
from monitor.store.tables import AlertRow

log = logging.getLogger("monitor.delivery")

STATES = ("pending", "sending", "sent", "dead", "skipped")


def _instant_due(now: dt.datetime) -> ColumnElement[bool]:
    pending = and_(AlertRow.state == "pending", AlertRow.mode == "instant", AlertRow.channel.is_not(None),
                   or_(AlertRow.next_attempt_at.is_(None), AlertRow.next_attempt_at <= now))
    return or_(pending, _expired(now))


def _expired(now: dt.datetime) -> ColumnElement[bool]:
    return and_(AlertRow.state == "sending", or_(AlertRow.lease_until.is_(None), AlertRow.lease_until < now))


def due_instant(session: Session, now: dt.datetime, limit: int) -> list[AlertRow]:
    """Rows an instant dispatch could take now, oldest first (not yet claimed)."""
    q = select(AlertRow).where(_instant_due(now)).order_by(AlertRow.id).limit(limit)
    return list(session.scalars(q))


def unrouted(session: Session, limit: int) -> list[AlertRow]:
    q = (select(AlertRow).where(AlertRow.state == "pending", AlertRow.channel.is_(None))
         .order_by(AlertRow.id).limit(limit))
    return list(session.scalars(q))


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row this process now holds; ``maybe_sent``: an earlier attempt may have been delivered."""

    row_id: int
    maybe_sent: bool


def claim(engine: Engine, alert_id: int, owner: str, now: dt.datetime, lease_seconds: float,
          *, digest_channel: str | None = None) -> Claimed | None:
    """Take one row (instant, or a digest row of ``digest_channel``) for ``lease_seconds``."""
    due = _instant_due(now) if digest_channel is None else _digest_due(digest_channel, now)
    with Session(engine) as s, s.begin():
        q = select(AlertRow.state, AlertRow.attempts, AlertRow.last_error).where(AlertRow.id == alert_id, due)
        if not is_sqlite(engine):
            q = q.with_for_update(skip_locked=True)
        found = s.execute(q).first()
        if found is None:
            return None
        state, attempts, last_error = found
        res = s.execute(update(AlertRow).where(AlertRow.id == alert_id, due).values(
            state="sending", lease_owner=owner, lease_until=now + dt.timedelta(seconds=lease_seconds)))
        if res.rowcount != 1:  # type: ignore[attr-defined]
            return None
    return Claimed(alert_id, maybe_sent=state == "sending" or attempts > 0 or last_error is not None)


def _digest_due(channel: str, now: dt.datetime) -> ColumnElement[bool]:
    pending = and_(AlertRow.state == "pending", AlertRow.mode == "digest", AlertRow.channel == channel)
    return or_(pending, and_(_expired(now), AlertRow.mode == "digest", AlertRow.channel == channel))


def due_digest(session: Session, channel: str, now: dt.datetime) -> list[AlertRow]:
    return list(session.scalars(select(AlertRow).where(_digest_due(channel, now)).order_by(AlertRow.id)))


def finish(engine: Engine, alert_id: int, owner: str, **values: object) -> bool:
    """Record the outcome of a claimed row and drop the lease; False if another replica took it."""
    with Session(engine) as s, s.begin():
        res = s.execute(update(AlertRow).where(AlertRow.id == alert_id, AlertRow.lease_owner == owner)
                        .values(lease_owner=None, lease_until=None, **values))
        ok = res.rowcount == 1  # type: ignore[attr-defined]
    if not ok:
        log.warning("alert %d: lease lost before the result was recorded (another replica took it over)",
                    alert_id)
    return ok


def sent_corroboration_count(engine: Engine, parent_id: int, *, exclude: int | None = None) -> int:
    """The highest source count among the parent's delivered corroborations (0 if none)."""
    with Session(engine) as s:
        payloads = s.scalars(select(AlertRow.payload).where(
            AlertRow.parent_id == parent_id, AlertRow.type == "corroboration", AlertRow.state == "sent",
            AlertRow.id != (exclude if exclude is not None else -1)))
        best = 0
        for text in payloads:
            try:
                n = json.loads(text or "{}").get("source_count")
            except (ValueError, AttributeError):
                continue
            if isinstance(n, int | float) and not isinstance(n, bool):
                best = max(best, int(n))
        return best


def release_owned(engine: Engine, owner: str) -> int:
    """Put rows this process still holds back to pending (clean shutdown)."""
    with Session(engine) as s, s.begin():
        res = s.execute(update(AlertRow).where(AlertRow.lease_owner == owner, AlertRow.state == "sending")
                        .values(state="pending", lease_owner=None, lease_until=None))
        return int(res.rowcount)  # type: ignore[attr-defined]


def defer(engine: Engine, alert_id: int, until: dt.datetime) -> None:
    """Wait for the parent alert: not an attempt, only a later due time."""
    with Session(engine) as s, s.begin():
        s.execute(update(AlertRow).where(AlertRow.id == alert_id, AlertRow.state == "pending")
                  .values(next_attempt_at=until))


def list_alerts(session: Session, *, failed: bool = False, states: Sequence[str] = (), limit: int = 200,
                ) -> list[AlertRow]:
    q = select(AlertRow)
    if failed:
        q = q.where(AlertRow.state == "dead")
    elif states:
        q = q.where(AlertRow.state.in_(list(states)))
    return list(session.scalars(q.order_by(AlertRow.id.desc()).limit(limit)))


def retry_dead(session: Session, ids: Sequence[int] = (), *, now: dt.datetime) -> int:
    """Dead rows back to pending with fresh attempts (the last error stays until one succeeds)."""
    q = update(AlertRow).where(AlertRow.state == "dead")
    if ids:
        q = q.where(AlertRow.id.in_(list(ids)))
    res = session.execute(q.values(state="pending", attempts=0, next_attempt_at=None, lease_owner=None,
                                   lease_until=None))
    return int(res.rowcount)  # type: ignore[attr-defined]


def counts(session: Session) -> dict[str, int]:
    return {str(k): int(v) for k, v in session.execute(
        select(AlertRow.state, func.count()).group_by(AlertRow.state)).all()}


def enqueue_ops_alert(session: Session, dedup_key: str, text: str, *, subject: str = "newswatch",
                      subject_name: str | None = None, severity: str = "high",
                      now: dt.datetime | None = None, details: dict[str, object] | None = None) -> int | None:
    """Queue a feed-health or config alert for the ops route, once per ``dedup_key``.

    Called in the caller's transaction (e.g. with the poll result that crossed the threshold).
    Returns the new alert's id, or None if an alert with this key exists already. Choose keys
    that say when to alert again, e.g. ``ops:feed-failing:<feed>:<first failure time>``.
    """
    if session.scalar(select(AlertRow.id).where(AlertRow.dedup_key == dedup_key)) is not None:
        return None
    when = now or dt.datetime.now(dt.UTC)
    payload: dict[str, object] = {"text": text, "subject_name": subject_name or subject}
    if details:
        payload["details"] = details
    row = AlertRow(dedup_key=dedup_key[:300], type="ops", kind="ops", subject=subject[:200], attribute="health",
                   period=None, belief_key=f"ops|{subject}"[:300], old_json=None,
                   new_json=json.dumps(text, ensure_ascii=False), date=when.date(), article_id="",
                   sentence=text, modality="asserted", attribution=None, severity=severity, topic=None,
                   payload=json.dumps(payload, ensure_ascii=False, default=str), parent_id=None,
                   state="pending", mode="instant", attempts=0, created_at=when)
    try:
        with session.begin_nested():  # a concurrent writer with the same key wins, quietly
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return int(row.id)
