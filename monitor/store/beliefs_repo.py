"""Beliefs: what the monitor believes now, one row per key (a unique index: constant lookup)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, text, update
from sqlalchemy.orm import Session

from monitor.diff import BeliefState
from monitor.store.tables import BeliefRow

# A venue-less meeting claim joins a meeting with a venue only if that one was in the news
# within this many days; an older one is a past meeting.
CURRENT_MEETING_DAYS = 30


def state_from_row(row: BeliefRow) -> BeliefState:
    return BeliefState(
        key=row.key, kind=row.kind, subject=row.subject, attribute=row.attribute, period=row.period,
        value=json.loads(row.value_json), since=row.since, modality=row.modality, attribution=row.attribution,
        article=row.article_id or "", sentence=row.sentence, source_name=row.source_name, url=row.url,
        sources=tuple(json.loads(row.sources_json or "[]")), claim_id=row.claim_id,
        last_alert_id=row.last_alert_id, topic=row.topic,
    )


def lock_keys(session: Session, keys: Collection[str]) -> None:
    """On PostgreSQL, hold a transaction lock per belief key, taken in a fixed order.

    Replicas diffing articles about the same key then take turns: each sees the belief the
    other committed, and two first claims cannot both insert the key. SQLite has one writer
    at a time already.
    """
    if not keys or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT count(pg_advisory_xact_lock(h)) FROM "
             "(SELECT DISTINCT hashtextextended(k, 7311) AS h FROM unnest(CAST(:keys AS text[])) AS k "
             "ORDER BY 1) AS s"),
        {"keys": sorted(keys)})


def load(session: Session, keys: Collection[str]) -> dict[str, BeliefState]:
    if not keys:
        return {}
    rows = session.scalars(select(BeliefRow).where(BeliefRow.key.in_(list(keys))))
    return {r.key: state_from_row(r) for r in rows}


def current_venues(session: Session, participants: Collection[str], on: dt.date,
                   max_age_days: int = CURRENT_MEETING_DAYS) -> dict[str, str]:
    """For each participants id (``putin+trump``), the subject of its current meeting with a venue.

    Current: the venue meeting whose belief was set most recently, no more than
    ``max_age_days`` before ``on`` (an older one is a past meeting, not the one in the news).
    """
    out: dict[str, str] = {}
    if not participants:
        return out
    oldest = on - dt.timedelta(days=max_age_days)
    for p in participants:
        subject = session.scalar(
            select(BeliefRow.subject)
            .where(BeliefRow.kind == "meeting", BeliefRow.subject.startswith(p + "@", autoescape=True),
                   BeliefRow.since >= oldest)
            .order_by(BeliefRow.since.desc(), BeliefRow.last_change_at.desc(), BeliefRow.id.desc()).limit(1))
        if subject:
            out[p] = subject
    return out


def _row(s: BeliefState, now: dt.datetime) -> dict[str, object]:
    return {
        "key": s.key, "kind": s.kind, "subject": s.subject, "attribute": s.attribute, "period": s.period,
        "value_json": json.dumps(s.value, ensure_ascii=False), "modality": s.modality,
        "attribution": s.attribution, "since": s.since, "claim_id": s.claim_id, "article_id": s.article,
        "source_count": s.source_count, "last_change_at": now, "last_alert_id": s.last_alert_id,
        "topic": s.topic, "sources_json": json.dumps(list(s.sources)), "sentence": s.sentence,
        "source_name": s.source_name, "url": s.url,
    }


def save(session: Session, states: Iterable[BeliefState], existing: Collection[str],
         now: dt.datetime, *, changed_value: Collection[str] = ()) -> None:
    """Insert new keys and update known ones, each group in one executemany.

    ``last_change_at`` moves only for keys whose value changed (a corroboration is no change).
    """
    new_rows, upd_rows = [], []
    for s in states:
        row = _row(s, now)
        if s.key in existing:
            row["b_key"] = row.pop("key")
            if s.key not in changed_value:
                row.pop("last_change_at")
                upd_rows.append(row)
            else:
                upd_rows.append(row)
        else:
            new_rows.append(row)
    if new_rows:
        session.execute(insert(BeliefRow.metadata.tables[BeliefRow.__tablename__]), new_rows)
    # executemany needs one statement shape per group
    by_shape: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for r in upd_rows:
        by_shape.setdefault(tuple(sorted(r)), []).append(r)
    for shape, rows in by_shape.items():
        cols: dict[str, Any] = {c: bindparam(c) for c in shape if c != "b_key"}
        stmt = update(BeliefRow).where(BeliefRow.key == bindparam("b_key")).values(cols)
        session.connection().execute(stmt, rows)


def remove(session: Session, keys: Collection[str]) -> None:
    if keys:
        session.execute(delete(BeliefRow).where(BeliefRow.key.in_(list(keys))))


def list_beliefs(session: Session, *, kind: str | None = None, subject: str | None = None) -> list[BeliefRow]:
    q = select(BeliefRow)
    if kind:
        q = q.where(BeliefRow.kind == kind)
    if subject:
        # a meeting's participants also match its meetings with a venue (putin+trump@usa)
        q = q.where(or_(BeliefRow.subject == subject, BeliefRow.subject.startswith(subject + "@", autoescape=True)))
    return list(session.scalars(q.order_by(BeliefRow.kind, BeliefRow.subject, BeliefRow.attribute,
                                           BeliefRow.period)))
