"""Benchmark 4: latency from the poll that sees a new item to the Slack stand-in receiving its alert.

A real ``monitor run`` (subprocess, SQLite, the shipped topics) polls N feeds on a local server
and delivers to the Slack stand-in (``tests.support.slack_standin``) through slack-sdk. After
the baseline poll, every feed gets one new item (a front change in a different town per feed);
in a second round each town changes hands again. For each item: the time the feed server
received the first request after the item was published (the poll that sees it) and the time
the stand-in accepted the message. Both are ``time.monotonic()`` of this host (the server runs
in a child process; the clock is system-wide). Alerts share one channel, so the 1 message/s
rate limit is part of what is measured when several polls see items at the same moment.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_feeds import FeedFarm, feed_path
from tests.support.daemon_runner import Daemon, free_port, wait_until, write_config
from tests.support.slack_standin import TOKEN, SlackStandin

TOWNS = ["Kupjansk", "Pokrowsk", "Myrnohrad", "Siwersk", "Lyman", "Torezk", "Huljajpole", "Kostjantyniwka",
         "Tschassiw Jar", "Wuhledar", "Awdijiwka", "Bachmut", "Kurachowe", "Selydowe", "Welyka Nowosilka",
         "Orichiw"]
SENTENCES = [
    "Russische Truppen haben die Stadt {town} eingenommen, teilte das Verteidigungsministerium in Moskau mit.",
    "Ukrainische Truppen haben die Stadt {town} zurückerobert.",
]


def percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def run(n_feeds: int = 16, rounds: int = 2, interval: int = 30, timeout: float = 150) -> dict[str, Any]:
    n_feeds = min(n_feeds, len(TOWNS))
    samples: list[float] = []
    missing = 0
    with tempfile.TemporaryDirectory(prefix="newswatch-bench-lat-") as tmp, \
            FeedFarm(n_feeds, plain=True) as farm, SlackStandin() as slack:
        slack.stamp = time.monotonic
        port = free_port()
        cfg = write_config(
            Path(tmp) / "monitor.yaml", db_url=f"sqlite:///{tmp}/lat.db", port=port,
            feeds=[{"id": f"f{i:02d}", "url": u, "full_text": False, "interval": interval, "language": "de",
                    "name": f"Bench {i}"} for i, u in enumerate(farm.urls)],
            extra={"slack": {"enabled": True, "base_url": slack.base_url, "default_channel": "#front"},
                   "polling": {"jitter": 0.5, "min_interval": 10}, "logging": {"format": "json",
                                                                             "level": "WARNING"}})
        daemon = Daemon(cfg, port, replica="bench", env={"SLACK_BOT_TOKEN": TOKEN})
        try:
            daemon.wait_ready(60)
            wait_until(lambda: len({p for p, _t in farm.requests()}) >= n_feeds, 60, what="baseline polls")
            time.sleep(2)  # the baseline transaction commits after the fetch
            for r in range(rounds):
                released = time.monotonic()
                farm.publish({i: SENTENCES[r % 2].format(town=TOWNS[i]) for i in range(n_feeds)})
                version = r + 1
                marks = {i: f"/bench/{i}/{version}" for i in range(n_feeds)}
                found: dict[int, float] = {}
                deadline = time.monotonic() + timeout
                while len(found) < n_feeds and time.monotonic() < deadline and daemon.proc.poll() is None:
                    for m in list(slack.messages):
                        text = m.all_text()
                        for i, mark in marks.items():
                            if i not in found and mark in text and m.at is not None:
                                found[i] = m.at
                    time.sleep(0.05)
                reqs = farm.requests()
                for i in range(n_feeds):
                    seen = [t for p, t in reqs if p == feed_path(i) and t >= released]
                    if i not in found or not seen:
                        missing += 1
                        continue
                    samples.append(found[i] - min(seen))
        finally:
            daemon.stop(15)
        log_tail = "" if samples else daemon.log_path.read_text(errors="replace")[-3000:]
    out: dict[str, Any] = {
        "feeds": n_feeds, "rounds": rounds, "samples": len(samples), "missing": missing,
        "p50_s": round(percentile(samples, 0.5), 3) if samples else None,
        "p95_s": round(percentile(samples, 0.95), 3) if samples else None,
        "max_s": round(max(samples), 3) if samples else None,
        "mean_s": round(statistics.mean(samples), 3) if samples else None,
    }
    if log_tail:
        out["daemon_log_tail"] = log_tail
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
