"""Benchmark 5: peak resident memory of ``monitor run`` with N feeds and M stored claims.

A SQLite database is filled with M claims (with their beliefs and alerts) by the bulk loader of
``bench/diff.py``, then a real ``monitor run`` polls N feeds served from another process (real
RSS documents, see ``bench_feeds``): the baseline cycle of every feed, then 30% of the feeds get
a new item and every feed is polled again. The peak is the kernel's high-water mark of the
process (``VmHWM`` in ``/proc/<pid>/status``). For scale, the same daemon with one feed and an
empty database is measured in the same run.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench import diff as diff_bench
from bench.bench_feeds import FeedFarm
from monitor.store import migrate
from monitor.store.engine import make_engine
from tests.support.daemon_runner import Daemon, free_port, wait_until, write_config


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


def _daemon(tmp: Path, db_url: str, urls: list[str], name: str, concurrency: int = 16) -> Daemon:
    port = free_port()
    cfg = write_config(
        tmp / f"{name}.yaml", db_url=db_url, port=port,
        feeds=[{"id": f"f{i:04d}", "url": u, "full_text": False, "interval": 30, "language": "de"}
               for i, u in enumerate(urls)],
        extra={"http": {"concurrency": concurrency, "per_host": concurrency}, "polling": {"jitter": 0.2, "min_interval": 10},
               "logging": {"format": "json", "level": "WARNING"}})
    return Daemon(cfg, port, replica=name)


def idle_peak(tmp: Path, url: str, seconds: float = 8.0) -> float:
    d = _daemon(tmp, f"sqlite:///{tmp}/idle.db", [url], "idle")
    try:
        d.wait_ready(60)
        time.sleep(seconds)
        return vm_hwm_mb(d.proc.pid)
    finally:
        d.stop(15)


def run(n_feeds: int = 1000, claims: int = 1_000_000, timeout: float = 900, concurrency: int = 16) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="newswatch-bench-rss-") as tmpname, FeedFarm(n_feeds) as farm:
        tmp = Path(tmpname)
        db_url = f"sqlite:///{tmp}/rss.db"
        engine = make_engine(db_url)
        migrate.upgrade(engine)
        load_s = diff_bench.bulk_load(engine, claims, seed=1)
        engine.dispose()
        idle = idle_peak(tmp, farm.urls[0])
        farm.clear()
        d = _daemon(tmp, db_url, farm.urls, "rss", concurrency)
        samples: list[float] = []
        t0 = time.monotonic()
        try:
            d.wait_ready(120)

            def polled_all(since: float) -> bool:
                samples.append(vm_hwm_mb(d.proc.pid))
                if d.proc.poll() is not None:
                    raise RuntimeError(f"monitor run exited with {d.proc.returncode}")
                return len({p for p, t in farm.requests() if t >= since}) >= n_feeds

            wait_until(lambda: polled_all(0.0), timeout, step=1.0, what="the baseline cycle")
            baseline_s = time.monotonic() - t0
            time.sleep(5)
            changed_at = time.monotonic()
            farm.change(0.3)
            wait_until(lambda: polled_all(changed_at), timeout, step=1.0, what="the second cycle")
            time.sleep(5)
            peak = vm_hwm_mb(d.proc.pid)
        finally:
            d.stop(20)
    return {"feeds": n_feeds, "stored_claims": claims, "http_concurrency": concurrency, "bulk_load_s": round(load_s, 1),
            "baseline_cycle_s": round(baseline_s, 1), "peak_rss_mb": round(peak, 1),
            "idle_daemon_peak_rss_mb": round(idle, 1), "ratio_to_idle": round(peak / idle, 2)}


if __name__ == "__main__":
    import json
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    c = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    print(json.dumps(run(n, m, concurrency=c), indent=2))
