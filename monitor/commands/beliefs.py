"""``monitor beliefs [--kind K] [--subject S] [--format table|jsonl]``: what the monitor believes now."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy.orm import Session

from monitor.commands.db import add_db_option, open_store
from monitor.store import beliefs_repo
from monitor.store.tables import BeliefRow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("beliefs", help="list current beliefs with since-when, source count and last change")
    p.add_argument("--kind", choices=["control", "territory", "meeting", "agreement"], default=None)
    p.add_argument("--subject", default=None, help="one subject id, e.g. kupiansk or putin+trump@usa")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    add_db_option(p)
    p.set_defaults(func=run)


def as_dict(b: BeliefRow) -> dict[str, Any]:
    return {
        "kind": b.kind, "subject": b.subject, "attribute": b.attribute, "period": b.period,
        "value": json.loads(b.value_json), "since": b.since.isoformat(), "modality": b.modality,
        "attribution": b.attribution, "source_count": b.source_count, "article": b.article_id,
        "source": b.source_name, "last_change": b.last_change_at.isoformat(timespec="seconds"),
        "topic": b.topic,
    }


def run(args: argparse.Namespace) -> int:
    engine = open_store(args)
    try:
        with Session(engine) as s:
            rows = [as_dict(b) for b in beliefs_repo.list_beliefs(s, kind=args.kind, subject=args.subject)]
    finally:
        engine.dispose()
    if args.format == "jsonl":
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    head = ("KIND", "SUBJECT", "ATTRIBUTE", "VALUE", "SINCE", "SOURCES", "BY", "LAST CHANGE")
    table = [head] + [(r["kind"], r["subject"], r["attribute"] + (f"[{r['period']}]" if r["period"] else ""),
                       str(r["value"]), r["since"], str(r["source_count"]), r["attribution"] or "-",
                       r["last_change"][:16].replace("T", " ")) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"{len(rows)} beliefs")
    return 0
