"""The ``monitor`` command. Each subcommand lives in ``monitor/commands/<name>.py`` and registers
itself through ``register(subparsers)``; this module only wires them and maps errors to exit codes.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from monitor.errors import MonitorError

# Modules under monitor.commands; each defines register(subparsers). Order is the help order.
COMMAND_MODULES: tuple[str, ...] = (
    "demo", "run", "poll", "ingest", "extract", "normalize", "articles", "beliefs", "history",
    "replay", "alerts", "check_config", "db",
)

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", default=None,
                   help="monitor.yaml to use (default: $MONITOR_CONFIG or config/monitor.yaml)")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="monitor", description="newswatch: news feeds to Slack alerts")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"monitor.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"monitor.commands.{name}":
                continue  # not built yet
            raise
        mod.register(sub)
    for action in sub.choices.values():
        if not any(a.dest == "config" for a in action._actions):
            add_common(action)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from monitor.logs import setup_logging

    setup_logging(verbose=getattr(args, "verbose", False))
    try:
        rc = args.func(args)
    except MonitorError as exc:
        print(f"monitor {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `monitor extract ... | head` closes stdout early: not an error.
        sys.stderr.close()
        return EXIT_OK
    return int(rc or 0)


if __name__ == "__main__":
    logging.captureWarnings(True)
    sys.exit(main())
