"""Benchmark 2: one poll cycle over N feeds (70% answer 304, 30% changed) against a plain loop.

Ours: ``monitor.poll.Poller.poll_many`` (conditional GET, byte caps, concurrency, parsing,
identity, batched saves into a SQLite file), after a warm-up cycle that stored every feed's
validators and items, as in a running daemon. Then 30% of the feeds get one new item under a
new ETag and the measured cycle runs. Baseline, on the same server state: a sequential loop
of ``httpx.get`` plus ``feedparser.parse`` over the same URLs (no validators, no storage).
Ratio: baseline seconds / our seconds (higher is better; target >= 20).
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import feedparser
import httpx

from bench.bench_feeds import FeedFarm
from monitor.config import MonitorConfig
from monitor.fetch import Fetcher, make_client
from monitor.poll import Poller
from monitor.store import feeds_repo, migrate
from monitor.store.engine import make_engine


def config(urls: list[str], db_url: str, *, concurrency: int, per_host: int) -> MonitorConfig:
    return MonitorConfig.model_validate(dict(
        database={"url": db_url}, archive={"enabled": False},
        http={"allow_private": True, "concurrency": concurrency, "per_host": per_host},
        feeds=[{"id": f"f{i:04d}", "url": u, "full_text": False, "language": "de"} for i, u in enumerate(urls)]))


def sequential(urls: list[str]) -> tuple[float, int]:
    """The plain loop: GET and parse every feed, one after the other."""
    entries = 0
    t0 = time.perf_counter()
    with httpx.Client(timeout=30) as client:
        for u in urls:
            r = client.get(u)
            entries += len(feedparser.parse(r.content).entries)
    return time.perf_counter() - t0, entries


def top_functions(prof: cProfile.Profile, n: int = 8) -> list[dict[str, Any]]:
    """The costliest functions by cumulative time, for the report's 'which stage costs what'."""
    st = pstats.Stats(prof)
    rows = []
    for (file, line, name), (_cc, _nc, tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        rows.append((ct, tt, f"{Path(file).name}:{line}:{name}"))
    rows.sort(reverse=True)
    wanted = ("parse_feed", "feedparser", "save_items", "get", "_poll", "poll_feed", "record_success",
              "known_entry_hashes", "_handle", "entry_to_item")
    out = [{"function": f, "cum_s": round(ct, 3), "own_s": round(tt, 3)} for ct, tt, f in rows
           if any(w in f for w in wanted)]
    return out[:n]


def run(n_feeds: int = 1000, changed: float = 0.3, concurrency: int = 32, per_host: int = 32,
        profile: bool = True, reps: int = 3) -> dict[str, Any]:
    with FeedFarm(n_feeds) as farm, tempfile.TemporaryDirectory(prefix="newswatch-bench-poll-") as tmp:
        db_url = f"sqlite:///{tmp}/poll.db"
        engine = make_engine(db_url)
        migrate.upgrade(engine)
        cfg = config(farm.urls, db_url, concurrency=concurrency, per_host=per_host)
        from sqlalchemy.orm import Session

        with Session(engine) as s, s.begin():
            feeds_repo.sync_feeds(s, cfg.feeds)
        client = make_client(cfg.http)
        poller = Poller(engine, cfg, Fetcher(client, cfg.http))
        t0 = time.perf_counter()
        warm = poller.poll_many(cfg.feeds)
        warm_s = time.perf_counter() - t0
        # Repetitions alternate ours and the baseline, each over a fresh change of 30% of the
        # feeds, so a burst of load from elsewhere on the machine hits both sides alike.
        ours_runs: list[float] = []
        base_runs: list[float] = []
        reports = []
        entries = 0
        for _ in range(reps):
            farm.change(changed)
            t0 = time.perf_counter()
            reports.append(poller.poll_many(cfg.feeds))
            ours_runs.append(time.perf_counter() - t0)
            base_s, entries = sequential(farm.urls)
            base_runs.append(base_s)
        ours_s, base_s = statistics.median(ours_runs), statistics.median(base_runs)
        report = reports[ours_runs.index(sorted(ours_runs)[len(ours_runs) // 2])]
        prof_rows: list[dict[str, Any]] = []
        if profile:
            # Where the cycle's time goes: one more changed cycle under the profiler (threads are
            # not profiled by cProfile, so this one runs the same feeds one by one).
            farm.change(changed)
            prof = cProfile.Profile()
            prof.enable()
            for f in cfg.feeds:
                poller.poll_feed(f)
            prof.disable()
            prof_rows = top_functions(prof)
        client.close()
        engine.dispose()
    summary = report.summary()
    return {
        "feeds": n_feeds, "changed_share": changed, "concurrency": concurrency, "per_host": per_host,
        "warmup_cycle_s": round(warm_s, 3), "warmup": warm.summary(),
        "ours_s": round(ours_s, 3), "ours": summary,
        "share_304": round(report.not_modified / max(1, len(report.results)), 3),
        "sequential_s": round(base_s, 3), "sequential_entries": entries, "reps": reps,
        "ours_reps_s": [round(x, 3) for x in ours_runs], "sequential_reps_s": [round(x, 3) for x in base_runs],
        "speedup": round(base_s / ours_s, 2) if ours_s else None,
        "profile_sequential_changed_cycle": prof_rows,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


if __name__ == "__main__":
    import json
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(json.dumps(run(n), indent=2))
