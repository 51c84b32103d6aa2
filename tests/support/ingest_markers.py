"""``python -m tests.support.ingest_markers --db URL PATH...``: ``monitor ingest`` with marker claims.

The same code path as the command (``pipeline.ingest_articles``: one transaction per article),
with the marker extractor, so crash tests can kill it without depending on language rules.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor import diff, pipeline
from monitor.store import migrate
from monitor.store.engine import make_engine
from tests.support.marker_extractor import extract_markers


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("paths", nargs="+", type=Path)
    args = ap.parse_args(argv)
    engine = make_engine(args.db)
    migrate.upgrade(engine)
    res = pipeline.ingest_articles(engine, args.paths, extractor=extract_markers, policy=diff.DefaultPolicy())
    print(f"processed {res.processed} alerts {len(res.alert_ids)}", file=sys.stderr)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
