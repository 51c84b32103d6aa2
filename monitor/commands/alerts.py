"""``monitor alerts``: the outbox and its delivery.

- ``monitor alerts [--failed] [--state S] [--format table|jsonl]``: alerts, newest first; ``--failed``
  lists the dead letters with their last error.
- ``monitor alerts retry [--id N ...]``: dead letters back to pending.
- ``monitor alerts dispatch --once [--console]``: deliver every pending alert that is due, then
  exit (``monitor ingest`` only fills the outbox). ``--console`` also prints each message;
  without Slack configured it prints instead (a dry run that still marks the alerts sent).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from sqlalchemy.orm import Session

from monitor.config import load_config
from monitor.delivery import outbox
from monitor.delivery.convert import payload_of
from monitor.delivery.dispatcher import Dispatcher, DispatchReport
from monitor.delivery.notifiers import build_notifiers
from monitor.errors import ConfigError
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import AlertRow


def _common(p: argparse.ArgumentParser) -> None:
    # Also accepted after the action (``monitor alerts retry --config x``); SUPPRESS keeps the
    # value given before it.
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="monitor.yaml to use")
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="database URL (default: config)")
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="debug logging")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("alerts", help="list alerts and their delivery; retry dead letters; dispatch")
    p.add_argument("--failed", action="store_true", help="only dead letters (delivery gave up)")
    p.add_argument("--state", action="append", choices=outbox.STATES, help="only alerts in this state")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    p.add_argument("--limit", type=int, default=200, help="at most this many (newest first)")
    p.add_argument("--db", metavar="URL", default=None, help="database URL (default: config database.url)")
    p.set_defaults(func=run_list)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    r = actions.add_parser("retry", help="put dead letters back to pending")
    r.add_argument("--id", type=int, action="append", default=[], help="only this alert (repeatable)")
    _common(r)
    r.set_defaults(func=run_retry)
    d = actions.add_parser("dispatch", help="deliver pending alerts")
    d.add_argument("--once", action="store_true", required=True, help="deliver what is due, then exit")
    d.add_argument("--console", action="store_true", help="also print each message in the terminal")
    _common(d)
    d.set_defaults(func=run_dispatch)


def _engine(args: argparse.Namespace) -> Any:
    cfg = load_config(args.config).config
    engine = make_engine(getattr(args, "db", None) or cfg.database.url)
    migrate.upgrade(engine)
    return cfg, engine


def _row_dict(r: AlertRow) -> dict[str, Any]:
    p = payload_of(r)
    return {
        "id": r.id, "type": r.type, "kind": r.kind, "subject": r.subject, "attribute": r.attribute,
        "period": r.period, "old": None if r.old_json is None else json.loads(r.old_json),
        "new": json.loads(r.new_json) if r.new_json else None, "date": r.date.isoformat(),
        "severity": r.severity, "topic": r.topic, "state": r.state, "channel": r.channel, "mode": r.mode,
        "attempts": r.attempts, "last_error": r.last_error,
        "next_attempt_at": r.next_attempt_at.isoformat() if r.next_attempt_at else None,
        "sent_at": r.sent_at.isoformat() if r.sent_at else None, "slack_ts": r.slack_ts,
        "parent_id": r.parent_id, "source": (p.get("source") or {}).get("name")
        if isinstance(p.get("source"), dict) else p.get("source"),
    }


def run_list(args: argparse.Namespace) -> int:
    _cfg, engine = _engine(args)
    try:
        with Session(engine) as s:
            rows = outbox.list_alerts(s, failed=args.failed, states=args.state or (), limit=args.limit)
            counts = outbox.counts(s)
            items = [_row_dict(r) for r in rows]
    finally:
        engine.dispose()
    if args.format == "jsonl":
        for it in items:
            print(json.dumps(it, ensure_ascii=False))
        return 0
    print(f"{'id':>6}  {'state':8} {'att':>3}  {'type':13} {'sev':6} {'channel':16} what")
    for it in items:
        change = f"{it['subject']}.{it['attribute']}: {_v(it['old'])} -> {_v(it['new'])}" \
            if it["type"] != "ops" else f"{it['subject']}: {it['new']}"
        print(f"{it['id']:>6}  {it['state']:8} {it['attempts']:>3}  {it['type']:13} {it['severity']:6} "
              f"{(it['channel'] or '-')[:16]:16} {change[:70]}")
        if it["last_error"] and it["state"] in ("dead", "pending"):
            print(f"{'':>8}last error: {it['last_error'][:150]}")
    print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no alerts")
    if args.failed and items:
        print("retry with: monitor alerts retry  (or --id N)")
    return 0


def _v(v: object) -> str:
    return "-" if v is None else str(v)


def run_retry(args: argparse.Namespace) -> int:
    _cfg, engine = _engine(args)
    try:
        with Session(engine) as s, s.begin():
            n = outbox.retry_dead(s, args.id, now=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    print(f"{n} dead alert(s) back to pending; `monitor alerts dispatch --once` or the daemon delivers them")
    return 0


def run_dispatch(args: argparse.Namespace) -> int:
    cfg, engine = _engine(args)
    try:
        setup = build_notifiers(cfg, console=args.console, stream=sys.stdout)
        if not setup.notifiers:
            setup = build_notifiers(cfg, console=True, stream=sys.stdout)
            print("Slack is not configured (slack.enabled, routes, or $SLACK_BOT_TOKEN with a default channel): "
                  "printing instead", file=sys.stderr)
        if not setup.notifiers:
            raise ConfigError("nothing to deliver with", field="slack", fix="configure Slack or pass --console")
        dispatcher = Dispatcher(engine, setup.notifiers, cfg, fallback_channel=setup.fallback_channel)
        total = DispatchReport()
        # Until a pass finds nothing to do: rows that failed wait for their backoff (next run).
        while True:
            rep = dispatcher.run_once()
            total.merge(rep)
            if rep.sent == 0:
                break
        outbox_counts = _counts(engine)
    finally:
        engine.dispose()
    print(json.dumps({**total.summary(), "outbox": outbox_counts}))
    for e in total.errors[:20]:
        print(f"  {e}", file=sys.stderr)
    return 0 if total.dead == 0 else 1


def _counts(engine: Any) -> dict[str, int]:
    with Session(engine) as s:
        return outbox.counts(s)
