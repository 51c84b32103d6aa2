"""Claims: every claim ever extracted, with its outcome; versions and withdrawals."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from monitor.diff import ClaimOutcome, HistoryItem, Source
from monitor.models import Claim, Value
from monitor.store.tables import ClaimRow


def _value_json(v: Value) -> str:
    return json.dumps(v, ensure_ascii=False)


def claim_rows(outcomes: Sequence[ClaimOutcome], source: Source, now: dt.datetime) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for o in outcomes:
        c = o.claim
        kind, subject, attribute, period = c.key
        rows.append({
            "article_id": source.article, "version": source.version, "key": o.key, "kind": kind,
            "subject": subject, "attribute": attribute, "period": c.period, "value_json": _value_json(c.value),
            "unit": c.unit, "qualifier": c.qualifier, "as_of": c.as_of, "modality": c.modality,
            "actor": c.actor, "attribution": c.attribution, "date": dt.date.fromisoformat(c.date),
            "sentence": c.sentence, "span_start": c.span[0], "span_end": c.span[1], "rule": c.rule,
            "cues": json.dumps(list(c.cues), ensure_ascii=False), "topic": c.topic,
            "source_key": source.source_key, "source_name": source.name, "url": source.url,
            "outcome": o.outcome, "withdrawn": False, "created_at": now,
        })
    return rows


def insert_claims(session: Session, outcomes: Sequence[ClaimOutcome], source: Source,
                  now: dt.datetime) -> list[int]:
    """Insert in one statement (executemany); the ids come back in the outcomes' order."""
    if not outcomes:
        return []
    # A Core insert on the table: the ORM's bulk layer costs more than the database here.
    table = ClaimRow.metadata.tables[ClaimRow.__tablename__]
    result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                             claim_rows(outcomes, source, now))
    return [r[0] for r in result]


def claim_from_row(row: ClaimRow, *, article: str | None = None) -> Claim:
    return Claim(
        article=article or row.article_id, date=row.date.isoformat(), kind=row.kind, subject=row.subject,
        subject_name="", attribute=row.attribute, value=json.loads(row.value_json), sentence=row.sentence,
        span=(row.span_start, row.span_end), modality=row.modality, unit=row.unit, qualifier=row.qualifier,
        period=row.period, as_of=row.as_of, actor=row.actor, attribution=row.attribution, rule=row.rule,
        cues=tuple(json.loads(row.cues or "[]")), topic=row.topic,
    )


def source_of(row: ClaimRow) -> Source:
    return Source(article=row.article_id, source_key=row.source_key or row.article_id, name=row.source_name,
                  url=row.url, version=row.version)


def live_claims(session: Session, article_id: str, before_version: int) -> list[ClaimRow]:
    """The not-withdrawn claims of the article's newest version before ``before_version``."""
    latest = session.scalar(
        select(ClaimRow.version).where(ClaimRow.article_id == article_id, ClaimRow.version < before_version)
        .order_by(ClaimRow.version.desc()).limit(1))
    if latest is None:
        return []
    return list(session.scalars(
        select(ClaimRow).where(ClaimRow.article_id == article_id, ClaimRow.version == latest,
                               ClaimRow.withdrawn.is_(False)).order_by(ClaimRow.id)))


def mark_withdrawn(session: Session, ids: Sequence[int]) -> None:
    if ids:
        session.execute(update(ClaimRow).where(ClaimRow.id.in_(list(ids))).values(withdrawn=True))


def history_for_key(session: Session, key: str) -> list[HistoryItem]:
    """The key's not-withdrawn claims that counted (asserted/reported), oldest first."""
    rows = session.scalars(
        select(ClaimRow).where(ClaimRow.key == key, ClaimRow.withdrawn.is_(False),
                               ClaimRow.modality.in_(("asserted", "reported")))
        .order_by(ClaimRow.id))
    return [HistoryItem(claim=claim_from_row(r), source=source_of(r), claim_id=r.id) for r in rows]


def claims_for_subject(session: Session, subject: str) -> list[ClaimRow]:
    return list(session.scalars(
        select(ClaimRow).where(ClaimRow.subject == subject).order_by(ClaimRow.date, ClaimRow.id)))
