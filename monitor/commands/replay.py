"""``monitor replay [--since DATE] [--topics DIR]``: the dry run after editing a topic file.

Re-extracts the stored articles with the current (or given) topic files in a scratch SQLite
copy and lists the alerts that would be added or removed compared with what was raised.
The live database is only read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from monitor import pipeline
from monitor.commands.db import add_db_option, open_store
from monitor.config import load_config


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s!r} is no date; use YYYY-MM-DD") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("replay", help="re-extract stored articles with the topic files; show alert differences")
    p.add_argument("--since", type=_date, default=None, metavar="DATE",
                   help="compare alerts of articles dated on or after DATE (older ones only rebuild beliefs)")
    p.add_argument("--topics", type=Path, default=None, metavar="DIR",
                   help="topic files to try (default: the config's topics folder)")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    stages = pipeline.load_stages(args.topics or cfg.topics_dir)
    engine = open_store(args)

    def progress(i: int, n: int, name: str) -> None:
        if n >= 50 and (i % max(1, n // 10) == 0 or i == n):
            print(f"replay: {i}/{n}", file=sys.stderr, flush=True)

    try:
        res = pipeline.replay(engine, stages, since=args.since, progress=progress)
    finally:
        engine.dispose()
    if args.format == "jsonl":
        for change, items in (("added", res.added), ("removed", res.removed)):
            for a in items:
                print(json.dumps({"change": change, "type": a.type, "kind": a.kind, "subject": a.subject,
                                  "attribute": a.attribute, "period": a.period, "new": json.loads(a.new),
                                  "article": a.article}, ensure_ascii=False))
    else:
        for a in res.added:
            print(f"+ {a.describe()}")
        for a in res.removed:
            print(f"- {a.describe()}")
        print(f"replay: {res.versions} versions of {res.articles} articles; {len(res.added)} alerts added, "
              f"{len(res.removed)} removed, {res.unchanged} unchanged")
    return 0
