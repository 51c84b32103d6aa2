"""``monitor history SUBJECT``: the timeline of claims and changes for one subject.

A meeting's participants (``putin+trump``) also show its meetings with a venue
(``putin+trump@usa``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from monitor.commands.db import add_db_option, open_store
from monitor.store.tables import AlertRow, ClaimRow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("history", help="timeline of claims and belief changes for one subject")
    p.add_argument("subject", help="subject id, e.g. kupiansk, donetsk-oblast, putin+trump")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    add_db_option(p)
    p.set_defaults(func=run)


def _subject_filter(col: Any, subject: str) -> Any:
    return or_(col == subject, col.startswith(subject + "@", autoescape=True))


def timeline(session: Session, subject: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for c in session.scalars(select(ClaimRow).where(_subject_filter(ClaimRow.subject, subject))):
        events.append({
            "event": "claim", "date": c.date.isoformat(), "order": (c.id, 0), "subject": c.subject,
            "attribute": c.attribute, "period": c.period, "value": json.loads(c.value_json),
            "modality": c.modality, "attribution": c.attribution, "outcome": c.outcome,
            "withdrawn": c.withdrawn, "article": c.article_id, "version": c.version, "source": c.source_name,
            "sentence": c.sentence,
        })
    for a in session.scalars(select(AlertRow).where(_subject_filter(AlertRow.subject, subject))):
        events.append({
            "event": "alert", "date": a.date.isoformat(), "order": (0, a.id), "subject": a.subject,
            "attribute": a.attribute, "period": a.period, "type": a.type,
            "old": None if a.old_json is None else json.loads(a.old_json), "new": json.loads(a.new_json),
            "article": a.article_id, "severity": a.severity, "state": a.state,
        })
    # Claims before the alerts they caused: an alert's claims have smaller ids than later claims.
    events.sort(key=lambda e: (e["date"], e["article"], e["event"] != "claim", e["order"]))
    for e in events:
        del e["order"]
    return events


def run(args: argparse.Namespace) -> int:
    engine = open_store(args)
    try:
        with Session(engine) as s:
            events = timeline(s, args.subject)
    finally:
        engine.dispose()
    if args.format == "jsonl":
        for e in events:
            print(json.dumps(e, ensure_ascii=False))
        return 0
    if not events:
        print(f"no claims about {args.subject!r}")
        return 0
    for e in events:
        attr = e["attribute"] + (f"[{e['period']}]" if e["period"] else "")
        if e["event"] == "claim":
            flags = " (withdrawn)" if e["withdrawn"] else ""
            by = f" per {e['attribution']}" if e["attribution"] else ""
            print(f"{e['date']}  claim  {e['subject']}.{attr} = {e['value']}  {e['modality']}{by}"
                  f"  -> {e['outcome']}{flags}  [{e['article']} v{e['version']}]")
        else:
            print(f"{e['date']}  ALERT  {e['type']}: {e['subject']}.{attr} {e['old']} -> {e['new']}"
                  f"  ({e['severity']}, {e['state']})  [{e['article']}]")
    return 0
