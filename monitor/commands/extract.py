"""``monitor extract PATH...``: claims of dated-article files, one JSON object a line.

A folder means every ``*.txt`` in it, sorted. A file that cannot be read is reported on stderr
with its name and the reason; the others are still read, and the exit status is 1 at the end.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from monitor.article import id_from_path, read_file
from monitor.config import load_config
from monitor.errors import ArticleFormatError
from monitor.models import Article
from monitor.topics import default_topics_dir

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("extract", help="print the claims of dated-article files as JSON lines")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="dated-article files or folders")
    p.add_argument("--topics", metavar="DIR", type=Path, default=None,
                   help="topic files to use (default: the config's topics folder)")
    p.set_defaults(func=run)


def expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    return out


def topics_dir(args: argparse.Namespace) -> Path:
    if args.topics:
        return Path(args.topics)
    cfg = load_config(args.config)
    return cfg.topics_dir if cfg.path is not None else default_topics_dir()


def run(args: argparse.Namespace) -> int:
    from monitor.extract import default_extractor

    extractor = default_extractor(topics_dir(args))
    failed = 0
    out = sys.stdout
    for path in expand(args.paths):
        try:
            dated = read_file(path)
        except ArticleFormatError as exc:
            print(f"monitor extract: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        except OSError as exc:
            print(f"monitor extract: error: {path}: cannot read ({exc.strerror or exc})", file=sys.stderr)
            failed += 1
            continue
        article = Article(id=id_from_path(path), date=dated.date, body=dated.body, source="file")
        for claim in extractor(article):
            out.write(claim.to_json() + "\n")
        out.flush()
    if failed:
        log.error("extract: %d file(s) could not be read", failed)
    return 1 if failed else 0
