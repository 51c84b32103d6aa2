"""``monitor articles [--feed ID] [--since DATE] [--format table|jsonl]``: what the store holds."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from sqlalchemy.orm import Session

from monitor.config import load_config
from monitor.store import articles_repo, migrate
from monitor.store.engine import make_engine


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("articles", help="list stored articles, newest first")
    p.add_argument("--feed", metavar="ID", help="only articles of this feed")
    p.add_argument("--since", metavar="DATE", type=_date, help="only articles dated on or after YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=None, help="at most this many")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    p.add_argument("--db", metavar="URL", default=None, help="database URL (default: config database.url)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config).config
    engine = make_engine(args.db or cfg.database.url)
    migrate.upgrade(engine)
    try:
        with Session(engine) as s:
            rows = articles_repo.list_articles(s, feed_id=args.feed, since=args.since, limit=args.limit)
    finally:
        engine.dispose()
    if args.format == "jsonl":
        for r in rows:
            print(json.dumps({
                "id": r.id, "seq": r.seq, "feed": r.feed_id, "date": r.published.isoformat(), "title": r.title,
                "url": r.url, "language": r.language, "version": r.version, "text_source": r.text_source,
                "baseline": r.baseline, "date_from_fetch": r.date_from_fetch,
                "first_seen": r.first_seen.isoformat(), "last_seen": r.last_seen.isoformat(),
            }, ensure_ascii=False))
        return 0
    print(f"{'date':10}  {'id':16}  {'feed':16}  {'v':>2}  {'text':8}  title")
    for r in rows:
        flags = "*" if r.date_from_fetch else " "
        title = (r.title or "").replace("\n", " ")
        print(f"{r.published.isoformat()}{flags} {r.id[:16]:16}  {(r.feed_id or '-')[:16]:16}  {r.version:>2}  "
              f"{(r.text_source or '-'):8}  {title[:80]}")
    print(f"{len(rows)} articles" + ("  (* date taken from the fetch time)" if any(r.date_from_fetch for r in rows)
                                      else ""))
    return 0
