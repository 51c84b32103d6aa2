"""An outbox row as an ``alerts.Alert``. The payload's keys (written by ``monitor.diff``) are read
here and nowhere else, leniently: a missing or malformed key loses a detail, never the alert."""

from __future__ import annotations

import json
import logging
from typing import Any

from alerts.model import Alert, MessageRef, Side, Value
from monitor.store.tables import AlertRow

log = logging.getLogger("monitor.delivery")


def _json(text: str | None, what: str, alert_id: int) -> Any:
    if text is None or text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        log.warning("alert %d: %s is not JSON; shown as text", alert_id, what)
        return text


def _value(v: Any) -> Value | None:
    return v if isinstance(v, str | int | float) and not isinstance(v, bool) else (None if v is None else str(v))


def _str(v: Any) -> str | None:
    return None if v is None or v == "" else str(v)


def _source(p: dict[str, Any]) -> tuple[str | None, str | None]:
    src = p.get("source")
    if isinstance(src, dict):
        return _str(src.get("name")), _str(src.get("url"))
    return _str(src if src is not None else p.get("source_name")), _str(p.get("url"))


def _side(d: Any) -> Side | None:
    if not isinstance(d, dict):
        return None
    name, url = _source(d)
    return Side(value=_value(d.get("value")), date=_str(d.get("date")), source=name, url=url,
                attribution=_str(d.get("attribution")), sentence=_str(d.get("sentence")),
                modality=_str(d.get("modality")))


def payload_of(row: AlertRow) -> dict[str, Any]:
    p = _json(row.payload, "payload", row.id)
    return p if isinstance(p, dict) else {}


def to_alert(row: AlertRow, *, parent: MessageRef | None = None) -> Alert:
    p = payload_of(row)
    name, url = _source(p)
    cues = p.get("cues") or ()
    previous = _side(p.get("previous"))
    if row.type == "contradicted" and isinstance(p.get("conflict"), dict):
        previous = _side(p["conflict"].get("other")) or previous
    if row.type == "withdrawn":
        previous = _side(p.get("reverted_to"))  # what the belief falls back to
    count = p.get("source_count")
    return Alert(
        id=row.id, type=row.type, kind=row.kind, subject=row.subject, attribute=row.attribute,
        new=_value(_json(row.new_json, "new_json", row.id)), dedup_key=row.dedup_key,
        old=_value(_json(row.old_json, "old_json", row.id)), period=row.period, unit=_str(p.get("unit")),
        date=row.date.isoformat() if row.date else None, article_id=row.article_id or None,
        sentence=row.sentence or None, modality=row.modality or None, attribution=row.attribution,
        severity=row.severity or "medium", topic=row.topic or _str(p.get("topic")),
        subject_name=_str(p.get("subject_name")), source_name=name, url=url, rule=_str(p.get("rule")),
        cues=tuple(str(c) for c in cues) if isinstance(cues, list | tuple) else (str(cues),),
        source_count=int(count) if isinstance(count, int | float) and count > 0 else 1,
        previous=previous, parent=parent,
        text=_str(p.get("text")) or (row.sentence if row.type == "ops" else None),
    )
