"""``monitor ingest PATH... [--db URL] [--baseline] [--emit-alerts jsonl]``.

Dated-article files or folders into the store in date order (ties by file name): store,
extract, diff, alert, one transaction per article. ``--emit-alerts jsonl`` prints the alerts
this run raised, read back from the outbox, one JSON object a line with the spec's fields.

Exit status 1 when a path or file could not be read (fix the file and run again). An article
whose extraction failed is reported on stderr and left unstored, so the next run retries it;
the others go on, and the status stays 0 for them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from monitor import pipeline
from monitor.commands.db import add_db_option, open_store
from monitor.config import load_config
from monitor.store import outbox_repo


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ingest", help="store dated-article files, extract claims, diff, fill the outbox")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="dated-article files or folders")
    add_db_option(p)
    p.add_argument("--baseline", action="store_true", help="store claims and beliefs but raise no alert")
    p.add_argument("--emit-alerts", choices=["jsonl"], default=None,
                   help="print the alerts this run raised, one JSON object a line")
    p.add_argument("--topics", metavar="DIR", type=Path, default=None,
                   help="topic files to use (default: the config's topics folder)")
    p.set_defaults(func=run)


def _progress_printer(quiet: bool) -> pipeline.ProgressFn | None:
    if quiet:
        return None

    def show(i: int, n: int, name: str) -> None:
        step = max(1, n // 20)
        if n >= 20 and (i % step == 0 or i == n):
            print(f"ingest: {i}/{n} {name}", file=sys.stderr, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    stages = pipeline.load_stages(args.topics or cfg.topics_dir)
    engine = open_store(args)
    try:
        res = pipeline.ingest_articles(engine, args.paths, extractor=stages.extractor, policy=stages.policy,
                                       baseline=args.baseline, progress=_progress_printer(False))
        for err in [*res.errors, *res.extract_errors]:
            print(f"monitor ingest: error: {err}", file=sys.stderr)
        if args.emit_alerts == "jsonl":
            with Session(engine) as session:
                rows = outbox_repo.alerts_by_id(session, res.alert_ids, types=outbox_repo.SPEC_TYPES)
                for row in rows:
                    print(json.dumps(outbox_repo.spec_dict(row), ensure_ascii=False))
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(res.outcomes.items())) or "none"
        print(f"ingest: {res.files} files, {res.stored} new items or versions, {res.processed} diffed, "
              f"{res.claims} claims ({outcomes}), {len(res.alert_ids)} alerts"
              + (" (baseline)" if args.baseline else ""), file=sys.stderr)
    finally:
        engine.dispose()
    return 1 if res.errors else 0
