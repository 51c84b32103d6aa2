"""``monitor db upgrade``: apply the schema migrations (they also run when a command starts).

Also the shared way my commands open the store: ``--db URL`` or the configured database.
"""

from __future__ import annotations

import argparse

from sqlalchemy import Engine

from monitor.config import load_config
from monitor.store import migrate
from monitor.store.engine import make_engine


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", default=None,
                   help="database URL (default: config database.url, env MONITOR_DATABASE__URL)")


def database_url(args: argparse.Namespace) -> str:
    if getattr(args, "db", None):
        return str(args.db)
    return load_config(args.config).config.database.url


def open_store(args: argparse.Namespace) -> Engine:
    """An engine on the chosen database, migrated to the newest schema."""
    engine = make_engine(database_url(args))
    migrate.upgrade(engine)
    return engine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("db", help="database maintenance")
    dsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dsub.add_parser("upgrade", help="apply schema migrations up to the newest")
    add_db_option(up)
    up.add_argument("--revision", default="head", help="target revision (default: head)")
    up.set_defaults(func=run_upgrade)
    cur = dsub.add_parser("current", help="print the database's schema revision")
    add_db_option(cur)
    cur.set_defaults(func=run_current)
    for q in (up, cur):
        q.add_argument("--config", metavar="FILE", default=None, help="monitor.yaml to use")
        q.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    p.set_defaults(func=None)


def run_upgrade(args: argparse.Namespace) -> int:
    engine = make_engine(database_url(args))
    before = migrate.current_revision(engine)
    migrate.upgrade(engine, args.revision)
    after = migrate.current_revision(engine)
    print(f"database at revision {after} (was {before or 'empty'})")
    engine.dispose()
    return 0


def run_current(args: argparse.Namespace) -> int:
    engine = make_engine(database_url(args))
    print(migrate.current_revision(engine) or "empty")
    engine.dispose()
    return 0
