"""One poll cycle over many feeds on a local HTTP server: feeds/s, share answered 304, and the
speed-up against a plain sequential loop of ``httpx.get`` + ``feedparser.parse``.

    python bench/poll.py                        # 200 feeds, 30% changed, 50 ms server latency
    python bench/poll.py --feeds 1000 --changed 0.3 --latency 0.05
    python bench/poll.py --latency 0            # a server that answers instantly (CPU-bound)
    python bench/poll.py --parse-processes 1    # only this polling.parse_processes (default: 0 and 1)

Set-up: a real HTTP server on 127.0.0.1 serves N RSS feeds the benchmark writes itself (20
items each). Every feed answers conditional GETs with 304 while unchanged. A first cycle
stores every feed (the baseline poll); then ``--changed`` of the feeds get two new items and a
new ETag, and the measured cycle polls all N feeds with the real poller into a temporary
SQLite database (full text off: pages are not part of this figure), once with parsing in the
polling threads (``polling.parse_processes: 0``) and once with one parser worker process. The baseline is the loop
a newcomer would write, over the same N URLs in the same state: ``httpx.get`` then
``feedparser.parse``, one after the other, no storage. ``--latency`` adds a fixed delay to each
answer, standing in for the network (a real feed server is rarely < 50 ms away).

Results go to ``bench/out/poll.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
import httpx  # noqa: E402

from monitor.config import MonitorConfig  # noqa: E402
from monitor.fetch import make_client  # noqa: E402
from monitor.poll import parse_workers_for, poll_feeds  # noqa: E402
from monitor.store import migrate  # noqa: E402
from monitor.store.engine import make_engine  # noqa: E402
from tests.support.feed_server import FeedServer, make_rss  # noqa: E402

WORDS = ("Kyjiw", "Charkiw", "Waffenruhe", "Gipfel", "Verhandlungen", "Front", "Donezk", "Außenminister",
         "Sanktionen", "Luftangriff", "Brüssel", "Washington", "Moskau", "Genf", "Delegation")


def items_for(feed: int, start: int, count: int, rng: random.Random) -> list[dict[str, str]]:
    out = []
    for i in range(start, start + count):
        words = " ".join(rng.choice(WORDS) for _ in range(40))
        out.append({"guid": f"bench-{feed}-{i}", "title": f"Meldung {i} aus Feed {feed}",
                    "link": f"https://news.example/{feed}/{i}.html",
                    "description": f"Bericht {i}: {words}.",
                    "pubDate": "Mon, 11 Aug 2025 10:00:00 CEST"})
    return out


def run(n_feeds: int, changed_share: float, latency: float, concurrency: int, per_host: int,
        parse_processes: int = 0) -> dict[str, Any]:
    rng = random.Random(7)
    state: dict[int, dict[str, Any]] = {i: {"items": items_for(i, 0, 20, rng), "v": 1} for i in range(n_feeds)}
    with FeedServer() as srv, tempfile.TemporaryDirectory() as tmp:
        def publish(i: int) -> str:
            st = state[i]
            return srv.route(f"/feed/{i}.xml", body=make_rss(st["items"], title=f"Feed {i}"),
                             etag=f'"{i}-{st["v"]}"', delay=latency)

        urls = [publish(i) for i in range(n_feeds)]
        # Every feed is on 127.0.0.1 here; outlets in production are on different hosts, so the
        # per-host limit is raised to the concurrency to stand for N different hosts.
        cfg = MonitorConfig.model_validate({
            "database": {"url": f"sqlite:///{tmp}/bench.db"},
            "archive": {"enabled": False},
            "http": {"allow_private": True, "concurrency": concurrency, "per_host": per_host},
            "polling": {"parse_processes": parse_processes},
            "feeds": [{"id": f"f{i}", "url": u, "full_text": False} for i, u in enumerate(urls)],
        })
        engine = make_engine(cfg.database.url)
        migrate.upgrade(engine)
        # One pool for both cycles, as in the daemon (a `monitor poll --once` starts its own).
        with make_client(cfg.http) as client, parse_workers_for(cfg) as workers:
            t0 = time.perf_counter()
            first = poll_feeds(engine, cfg, client, parse_workers=workers)
            baseline_cycle = time.perf_counter() - t0
            changed = rng.sample(range(n_feeds), int(round(n_feeds * changed_share)))
            for i in changed:
                st = state[i]
                st["items"] = items_for(i, 100 + st["v"] * 2, 2, rng) + st["items"][:18]
                st["v"] += 1
                publish(i)
            t0 = time.perf_counter()
            cycle = poll_feeds(engine, cfg, client, parse_workers=workers)
            cycle_s = time.perf_counter() - t0

        # The plain sequential loop over the same URLs in the same state.
        t0 = time.perf_counter()
        parsed_entries = 0
        with httpx.Client(timeout=30) as plain:
            for u in urls:
                r = plain.get(u)
                parsed_entries += len(feedparser.parse(r.content).entries)
        sequential_s = time.perf_counter() - t0
        engine.dispose()

    assert first.ok == n_feeds, first.summary()
    assert cycle.errors == 0 and cycle.new_items == 2 * len(changed), cycle.summary()
    return {
        "feeds": n_feeds,
        "changed_share": changed_share,
        "latency_s": latency,
        "concurrency": concurrency,
        "per_host": per_host,
        "parse_processes": parse_processes,
        "first_cycle": {"seconds": round(baseline_cycle, 3), "feeds_per_s": round(n_feeds / baseline_cycle, 1),
                        "new_items": first.new_items},
        "cycle": {"seconds": round(cycle_s, 3), "feeds_per_s": round(n_feeds / cycle_s, 1),
                  "not_modified": cycle.not_modified, "ok": cycle.ok, "new_items": cycle.new_items,
                  "share_304": round(cycle.not_modified / n_feeds, 3)},
        "sequential_plain": {"seconds": round(sequential_s, 3), "feeds_per_s": round(n_feeds / sequential_s, 1),
                             "entries_parsed": parsed_entries},
        "speedup_vs_sequential": round(sequential_s / cycle_s, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--changed", type=float, default=0.3, help="share of feeds that change between cycles")
    ap.add_argument("--latency", type=float, default=0.05, help="seconds each answer is delayed")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--per-host", type=int, default=32)
    ap.add_argument("--parse-processes", type=int, default=None,
                    help="polling.parse_processes (default: measure 0 and 1)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "poll.json"))
    args = ap.parse_args()
    modes = [args.parse_processes] if args.parse_processes is not None else [0, 1]
    runs = [run(args.feeds, args.changed, args.latency, args.concurrency, args.per_host, n) for n in modes]
    result: dict[str, Any] = {"runs": runs, "best_speedup_vs_sequential": max(r["speedup_vs_sequential"] for r in runs)}
    result["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                         "platform": platform.platform(), "httpx": httpx.__version__,
                         "feedparser": feedparser.__version__}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
