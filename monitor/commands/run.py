"""``monitor run``: the daemon (scheduler, replicas, health endpoint, hot reload)."""

from __future__ import annotations

import argparse

from monitor.config import load_config
from monitor.logs import setup_logging


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the monitor: poll feeds, extract, diff, alert (until SIGTERM)",
                       description="Run the service. Several replicas may share one PostgreSQL "
                                   "database; on SQLite only one daemon runs per database file.")
    p.add_argument("--replica-id", default=None,
                   help="name of this replica in leases and logs (default: $MONITOR_REPLICA_ID or host:pid)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from monitor.daemon import Daemon, replica_id

    loaded = load_config(args.config, required=args.config is not None)
    log_cfg = loaded.config.logging
    owner = args.replica_id or replica_id()
    setup_logging(verbose=args.verbose, fmt=log_cfg.format, level=log_cfg.level, context={"replica": owner})
    daemon = Daemon(loaded, owner=owner)
    daemon.install_signals()
    return daemon.run()
