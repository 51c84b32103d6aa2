"""``monitor demo``: the whole pipeline offline in about a minute (see ``monitor.demo``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="see it work: a local news site, the real pipeline, alerts as in Slack",
                       description="Offline demo: serves example articles from a local HTTP server over a "
                                   "compressed timeline and runs the real polling, extraction, diff and "
                                   "alerting on them. Set SLACK_BOT_TOKEN and MONITOR_SLACK__DEFAULT_CHANNEL "
                                   "(and MONITOR_SLACK__BASE_URL for a stand-in) to also post to Slack.")
    p.add_argument("--step-seconds", type=float, default=4.0, metavar="S",
                   help="pause between timeline steps (default 4; 0 runs straight through)")
    p.add_argument("--workdir", type=Path, default=None, metavar="DIR",
                   help="keep the database and archive in DIR (default: a temporary folder)")
    p.add_argument("--examples", type=Path, default=None, metavar="DIR",
                   help="folder with demo.yaml and articles/ (default: the project's examples/)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from monitor.demo import run_demo
    from monitor.logs import setup_logging

    # The alerts are the show: routine log lines only with -v.
    setup_logging(verbose=args.verbose, fmt="text", level="WARNING")
    run_demo(sys.stdout, examples=args.examples, step_seconds=args.step_seconds, workdir=args.workdir)
    return 0
