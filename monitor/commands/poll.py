"""``monitor poll --once``: poll every enabled feed once, show progress, print a summary.

New article versions go through the same pipeline as in the daemon (claims, beliefs, alerts
into the outbox; ``monitor alerts dispatch --once`` delivers them); a feed's first successful
poll is a baseline. ``--no-pipeline`` only stores the articles.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading

from sqlalchemy import Engine

from monitor.config import LoadedConfig, load_config
from monitor.errors import ConfigError
from monitor.fetch import make_client
from monitor.poll import FeedPollResult, OnNewVersions, poll_feeds
from monitor.store import migrate
from monitor.store.engine import make_engine


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("poll", help="poll every enabled feed once and store new articles")
    p.add_argument("--once", action="store_true",
                   help="poll once and exit (the only mode; `monitor run` polls continuously)")
    p.add_argument("--feed", action="append", metavar="ID", help="poll only this feed (repeatable)")
    p.add_argument("--db", metavar="URL", default=None, help="database URL (default: config database.url)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="summary format")
    p.add_argument("--no-pipeline", action="store_true", help="store articles only; no claims or alerts")
    p.set_defaults(func=run)


def pipeline_callback(cfg: LoadedConfig, engine: Engine) -> OnNewVersions:
    """The daemon's own hook for new versions: extract, diff and outbox in the poll's transaction."""
    from monitor.daemon_stages import Stages

    stages = Stages(engine, owner=f"poll-once-{os.getpid()}")
    stages.load_topics(cfg)  # invalid topic files stop here, with file:line and the fix
    return stages.process_versions


class Progress:
    """One line per feed on stderr; a rewritten counter on a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self._lock = threading.Lock()
        self._tty = sys.stderr.isatty()

    def __call__(self, r: FeedPollResult) -> None:
        with self._lock:
            self.done += 1
            what = {"ok": f"ok +{r.new_items} new, {r.new_versions} versions",
                    "not_modified": "not modified", "error": f"error: {r.error}"}[r.outcome]
            if r.baseline and r.outcome == "ok":
                what += " (baseline)"
            line = f"[{self.done}/{self.total}] {r.feed_id}: {what}"
            if self._tty:
                sys.stderr.write("\r\x1b[2K" + line[:200] + ("\n" if r.outcome == "error" else ""))
            else:
                sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def finish(self) -> None:
        if self._tty and self.done:
            sys.stderr.write("\n")


def run(args: argparse.Namespace) -> int:
    loaded = load_config(args.config)
    cfg = loaded.config
    feeds = [f for f in cfg.feeds if f.enabled]
    if args.feed:
        known = {f.id for f in cfg.feeds}
        missing = [i for i in args.feed if i not in known]
        if missing:
            raise ConfigError(f"no feed with id {', '.join(missing)}", file=str(loaded.path or "(defaults)"),
                              fix="use an id listed under feeds:")
        feeds = [f for f in cfg.feeds if f.id in args.feed]
    if not feeds:
        print("no enabled feeds in the configuration; add some under feeds:", file=sys.stderr)
        return 1
    engine = make_engine(args.db or cfg.database.url, pool_size=cfg.database.pool_size)
    migrate.upgrade(engine)
    callback = None if args.no_pipeline else pipeline_callback(loaded, engine)
    progress = Progress(len(feeds))
    try:
        with make_client(cfg.http) as client:
            report = poll_feeds(engine, cfg, client, feeds, on_new_versions=callback, progress=progress)
    finally:
        progress.finish()
        engine.dispose()
    summary = report.summary()
    if args.format == "json":
        print(json.dumps(summary))
    else:
        print(f"polled {summary['feeds']} feeds in {summary['seconds']}s: {report.ok} ok, "
              f"{report.not_modified} not modified, {report.errors} errors; "
              f"{report.new_items} new items, {report.new_versions} new versions")
        for r in sorted(report.results, key=lambda r: r.feed_id):
            if r.outcome == "error":
                print(f"  {r.feed_id}: {r.error}")
    return 0 if report.errors < len(report.results) else 1
