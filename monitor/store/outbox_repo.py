"""The alerts outbox, write side: alerts go in with the belief change, under a unique key."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from monitor.diff import AlertDraft
from monitor.store.tables import AlertRow

# What `monitor ingest --emit-alerts jsonl` prints (spec: "An alert"); corroborations and
# withdrawals go to Slack only.
SPEC_TYPES: tuple[str, ...] = ("new", "changed", "contradicted")


def _row(d: AlertDraft, now: dt.datetime) -> dict[str, object]:
    return {
        "dedup_key": d.dedup_key, "type": d.type, "kind": d.kind, "subject": d.subject,
        "attribute": d.attribute, "period": d.period, "belief_key": d.key,
        "old_json": None if d.old is None else json.dumps(d.old, ensure_ascii=False),
        "new_json": json.dumps(d.new, ensure_ascii=False), "date": dt.date.fromisoformat(d.date),
        "article_id": d.article, "sentence": d.sentence, "modality": d.modality,
        "attribution": d.attribution, "severity": d.severity, "topic": d.topic,
        "payload": json.dumps(d.payload, ensure_ascii=False, default=str), "parent_id": d.parent_id,
        "state": "pending", "mode": "instant", "attempts": 0, "created_at": now,
    }


def insert_alerts(session: Session, drafts: Sequence[AlertDraft], now: dt.datetime) -> dict[str, int]:
    """Write the drafts as pending alerts; returns belief key -> alert id.

    A dedup key already present (a re-run of committed work) is not written again: the
    unique index is the last guard, this check keeps the transaction from failing on it.
    """
    if not drafts:
        return {}
    keys = [d.dedup_key for d in drafts]
    known: dict[str, int] = {k: i for k, i in session.execute(
        select(AlertRow.dedup_key, AlertRow.id).where(AlertRow.dedup_key.in_(keys)))}
    fresh = [d for d in drafts if d.dedup_key not in known]
    out = {d.key: known[d.dedup_key] for d in drafts if d.dedup_key in known}
    if fresh:
        table = AlertRow.metadata.tables[AlertRow.__tablename__]
        res = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                              [_row(d, now) for d in fresh])
        for d, (alert_id,) in zip(fresh, res, strict=True):
            out[d.key] = alert_id
    return out


def spec_dict(row: AlertRow) -> dict[str, Any]:
    """The alert as the spec's JSON object, exactly its fields."""
    return {
        "type": row.type, "kind": row.kind, "subject": row.subject, "attribute": row.attribute,
        "period": row.period, "old": None if row.old_json is None else json.loads(row.old_json),
        "new": json.loads(row.new_json), "date": row.date.isoformat(), "article": row.article_id,
        "sentence": row.sentence, "modality": row.modality, "attribution": row.attribution,
        "severity": row.severity,
    }


def alerts_by_id(session: Session, ids: Collection[int], *, types: Collection[str] | None = None) -> list[AlertRow]:
    if not ids:
        return []
    out: list[AlertRow] = []
    id_list = sorted(ids)
    for i in range(0, len(id_list), 500):  # keep the IN list within driver limits
        q = select(AlertRow).where(AlertRow.id.in_(id_list[i:i + 500]))
        if types is not None:
            q = q.where(AlertRow.type.in_(list(types)))
        out.extend(session.scalars(q))
    return sorted(out, key=lambda r: r.id)


def all_alerts(session: Session, *, since: dt.date | None = None) -> list[AlertRow]:
    q = select(AlertRow)
    if since is not None:
        q = q.where(AlertRow.date >= since)
    return list(session.scalars(q.order_by(AlertRow.id)))
