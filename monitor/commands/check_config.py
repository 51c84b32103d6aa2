"""``monitor check-config``: validate monitor.yaml and the topic files, print a summary."""

from __future__ import annotations

import argparse
import json

from monitor.config import load_config, summarize


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("check-config", help="validate the configuration and summarize it")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, required=args.config is not None)
    summary = summarize(cfg)
    try:
        from monitor.topics import load_topics
    except ImportError:
        pass
    else:
        topics = load_topics(cfg.topics_dir)
        summary["topics"] = len(topics.topics) if hasattr(topics, "topics") else len(topics)
    print(json.dumps(summary, indent=2))
    print("config OK")
    return 0
