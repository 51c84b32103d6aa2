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
SUBJECTS = ["kupiansk", "pokrovsk", "myrnohrad", "siversk", "lyman", "toretsk", "huliaipole", "kostiantynivka",
            "chasiv-yar", "vuhledar", "avdiivka", "bakhmut", "kurakhove", "selydove", "velyka-novosilka", "orikhiv"]
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


def run(n_feeds: int = 16, rounds: int = 2, interval: int = 30, timeout: float = 150,
        channel_per_town: bool = True) -> dict[str, Any]:
    """``channel_per_town``: each town's alerts go to its own channel (a route per subject), so the
    figure is the pipeline's latency; with one shared channel, alerts seen in the same moment
    queue behind Slack's 1 message/s per channel limit and that wait is measured too."""
    n_feeds = min(n_feeds, len(TOWNS))
    channels = {f"C0TOWN{i:02d}": f"town{i:02d}" for i in range(n_feeds)}
    routes = ([{"name": f"town{i:02d}", "channel": f"#town{i:02d}", "subjects": [SUBJECTS[i]]}
               for i in range(n_feeds)] if channel_per_town else [])
    samples: list[float] = []
    missing = 0
    missing_by_round: list[int] = []
    alert_types: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="newswatch-bench-lat-") as tmp, \
            FeedFarm(n_feeds, plain=True) as farm, \
            SlackStandin(channels={"C0FRONT": "front", **channels}) as slack:
        slack.stamp = time.monotonic
        port = free_port()
        cfg = write_config(
            Path(tmp) / "monitor.yaml", db_url=f"sqlite:///{tmp}/lat.db", port=port,
            feeds=[{"id": f"f{i:02d}", "url": u, "full_text": False, "interval": interval, "language": "de",
                    "name": f"Bench {i}"} for i, u in enumerate(farm.urls)],
            extra={"slack": {"enabled": True, "base_url": slack.base_url, "default_channel": "#front",
                             "routes": routes},
                   # the adaptive interval would stretch towards max_interval for these day-apart items
                   "polling": {"jitter": 0.5, "min_interval": 10, "max_interval": 60},
                   "logging": {"format": "json", "level": "WARNING"}})
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
                missing_by_round.append(0)
                for i in range(n_feeds):
                    seen = [t for p, t in reqs if p == feed_path(i) and t >= released]
                    if i not in found or not seen:
                        missing += 1
                        missing_by_round[-1] += 1
                        continue
                    samples.append(found[i] - min(seen))
            for m in slack.messages:
                head = m.blocks[0]["text"]["text"] if m.blocks and isinstance(m.blocks[0].get("text"), dict) else ""
                kind = head.split("·")[1].strip() if head.count("·") >= 2 else "?"
                alert_types[kind] = alert_types.get(kind, 0) + 1
        finally:
            daemon.stop(15)
        log_tail = "" if samples else daemon.log_path.read_text(errors="replace")[-3000:]
    out: dict[str, Any] = {
        "channel_per_town": channel_per_town, "feeds": n_feeds, "rounds": rounds, "samples": len(samples), "missing": missing,
        "missing_by_round": missing_by_round, "alert_types": alert_types,
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
