"""Run every benchmark and write ``bench/results.json`` and ``bench/results.md``.

    python bench/run_all.py                 # the full run (takes a while: 1M claims twice)
    python bench/run_all.py --quick         # small sizes: a smoke test in a few minutes
    python bench/run_all.py --only poll,latency --sizes 10000,100000

Each figure is a ratio to a baseline measured in the same run on the same machine (or, for
latency and memory, an absolute figure with its in-run reference beside it):

1. ``pipeline_vs_trafilatura``: cost per article after fetching (extract page, normalize,
   claims, diff, store) / trafilatura's extraction alone, same real pages. Target <= 1.3.
2. ``poll_speedup_vs_sequential``: a plain sequential httpx.get + feedparser.parse loop /
   one poll cycle of ours, 1,000 feeds (70% 304, 30% changed). Target >= 20.
3. ``diff_1m_vs_10k``: diff-and-store cost per claim at 1M stored claims / at 10k, on SQLite
   and PostgreSQL (``bench/diff.py``). Target <= 1.2.
4. ``alert_latency_p95_s``: poll that sees an item -> Slack stand-in has the alert. Target <= 2.
5. ``peak_rss_mb``: ``monitor run`` with 1,000 feeds and 1M stored claims. Target <= 300.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS: dict[str, tuple[str, float]] = {
    "pipeline_vs_trafilatura": ("<=", 1.3),
    "poll_speedup_vs_sequential": (">=", 20.0),
    "diff_1m_vs_10k": ("<=", 1.2),
    "alert_latency_p95_s": ("<=", 2.0),
    "peak_rss_mb": ("<=", 300.0),
}
ALL = ("pipeline", "poll", "diff", "latency", "rss")


def machine() -> dict[str, Any]:
    mem_kb = 0
    cpu = platform.processor()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for dist in ("newswatch", "feedparser", "trafilatura", "httpx", "SQLAlchemy", "psycopg", "slack_sdk",
                 "APScheduler", "simplemma", "pyahocorasick"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    versions["python"] = platform.python_version()
    versions["sqlite"] = sqlite3.sqlite_version
    try:
        import psycopg

        from tests.support.pg import ADMIN_DSN

        with psycopg.connect(ADMIN_DSN, connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            versions["postgresql"] = row[0] if row else None
    except Exception as exc:  # report what is there; the diff benchmark will say why PG failed
        versions["postgresql"] = f"unavailable: {exc}"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {"cores": os.cpu_count(), "memory_mb": mem_kb // 1024, "cpu": cpu, "platform": platform.platform(),
            "versions": versions, "git_commit": commit.stdout.strip() or None}


def met(key: str, value: float | None) -> bool | None:
    if value is None:
        return None
    op, target = TARGETS[key]
    return value <= target if op == "<=" else value >= target


def _timed(name: str, fn: Callable[[], dict[str, Any]], details: dict[str, Any], errors: dict[str, str]) -> None:
    print(f"== {name} ...", flush=True)
    t0 = time.perf_counter()
    try:
        details[name] = fn()
        details[name]["wall_s"] = round(time.perf_counter() - t0, 1)
        print(f"   {name}: {json.dumps(details[name])[:600]}", flush=True)
    except Exception:  # one benchmark failing must not lose the others' figures
        errors[name] = traceback.format_exc()
        print(f"   {name} FAILED:\n{errors[name]}", flush=True)


def run(only: tuple[str, ...], quick: bool, sizes: list[int] | None, feeds: int) -> dict[str, Any]:
    from bench import bench_latency, bench_pipeline, bench_poll, bench_rss
    from bench import diff as diff_bench

    sizes = sizes or ([1_000, 5_000, 20_000] if quick else [10_000, 100_000, 1_000_000])
    n_feeds = feeds if feeds else (200 if quick else 1000)
    details: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "pipeline" in only:
        _timed("pipeline", lambda: bench_pipeline.run(reps=1 if quick else 3), details, errors)
    if "poll" in only:
        _timed("poll", lambda: bench_poll.run(n_feeds, reps=1 if quick else 3), details, errors)
    if "diff" in only:
        def diff_all() -> dict[str, Any]:
            # bench/diff.py (the belief store's own benchmark) through its command line, the
            # interface it documents; its JSON is read back.
            import tempfile

            out: dict[str, Any] = {"sizes": sizes}
            with tempfile.TemporaryDirectory(prefix="newswatch-bench-diff-") as tmp:
                target = Path(tmp) / "diff.json"
                argv = ["--sizes", ",".join(map(str, sizes)), "--backends", "sqlite,postgresql",
                        "--out", str(target)]
                if quick:
                    argv += ["--articles", "100", "--reps", "3"]
                code = diff_bench.main(argv)
                if code:
                    raise RuntimeError(f"bench/diff.py exited with {code}")
                raw = json.loads(target.read_text(encoding="utf-8"))
            for backend in ("sqlite", "postgresql"):
                rows = sorted((x for x in raw["results"] if x["backend"] == backend),
                              key=lambda x: x["stored_claims"])
                out[backend] = {"rows": rows, "ratio": round(rows[-1]["per_claim_us"] / rows[0]["per_claim_us"], 3)}
            for k, v in raw.items():
                if k not in ("results", "sizes", "machine"):
                    out[k] = v
            return out
        _timed("diff", diff_all, details, errors)
    if "latency" in only:
        def latency() -> dict[str, Any]:
            per_town = bench_latency.run(8 if quick else 16, 1 if quick else 2, channel_per_town=True)
            per_town["one_channel"] = bench_latency.run(8 if quick else 16, 1 if quick else 2,
                                                        channel_per_town=False)
            return per_town
        _timed("latency", latency, details, errors)
    if "rss" in only:
        _timed("rss", lambda: bench_rss.run(n_feeds, sizes[-1]), details, errors)

    d = details
    results: dict[str, Any] = {
        "pipeline_vs_trafilatura": d.get("pipeline", {}).get("ratio"),
        "poll_speedup_vs_sequential": d.get("poll", {}).get("speedup"),
        "diff_1m_vs_10k": ({"sqlite": d["diff"]["sqlite"]["ratio"], "postgresql": d["diff"]["postgresql"]["ratio"]}
                           if "diff" in d else None),
        "alert_latency_p95_s": d.get("latency", {}).get("p95_s"),
        "peak_rss_mb": d.get("rss", {}).get("peak_rss_mb"),
        "machine": machine(),
    }
    results["targets"] = {k: f"{op} {t:g}" for k, (op, t) in TARGETS.items()}
    verdict: dict[str, Any] = {}
    for key in TARGETS:
        v = results[key]
        if isinstance(v, dict):
            verdict[key] = {b: met(key, x) for b, x in v.items()}
        else:
            verdict[key] = met(key, v)
    results["met"] = verdict
    results["mode"] = "quick" if quick else "full"
    results["parameters"] = {"feeds": n_feeds, "diff_sizes": sizes}
    results["measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results["details"] = details
    if errors:
        results["errors"] = errors
    return results


def _fmt(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def markdown(r: dict[str, Any]) -> str:
    d = r["details"]
    m = r["machine"]
    sizes = r["parameters"]["diff_sizes"]
    big, small = f"{sizes[-1]:,}", f"{sizes[0]:,}"

    def mark(ok: Any) -> str:
        return {True: "met", False: "**missed**", None: "n/a"}.get(ok, str(ok))

    lines = [
        f"# Benchmark results ({r['mode']} run, {r['measured_at']})",
        "",
        f"Machine: {m['cores']} cores, {m['memory_mb']:,} MB, {m['cpu']}; Python {m['versions']['python']}, "
        f"SQLite {m['versions']['sqlite']}, PostgreSQL {m['versions'].get('postgresql')}; commit {m['git_commit']}.",
        "Reproduce: `python bench/run_all.py` (full) or `python bench/run_all.py --quick`.",
        "",
        "| # | figure | measured | baseline (same run) | target | status |",
        "|---|---|---|---|---|---|",
    ]
    p = d.get("pipeline", {})
    lines.append(f"| 1 | pipeline cost per article / trafilatura alone | {_fmt(r['pipeline_vs_trafilatura'])}x "
                 f"({_fmt(p.get('pipeline_ms_per_page'))} ms/page) | trafilatura.extract "
                 f"{_fmt(p.get('trafilatura_ms_per_page'))} ms/page, {p.get('pages', '?')} real pages | <= 1.3x | "
                 f"{mark(r['met']['pipeline_vs_trafilatura'])} |")
    q = d.get("poll", {})
    lines.append(f"| 2 | poll cycle speed-up, {q.get('feeds', '?')} feeds ({_fmt(q.get('share_304'))} answered 304) | "
                 f"{_fmt(r['poll_speedup_vs_sequential'])}x ({_fmt(q.get('ours_s'))} s) | sequential httpx.get + "
                 f"feedparser.parse {_fmt(q.get('sequential_s'))} s | >= 20x | "
                 f"{mark(r['met']['poll_speedup_vs_sequential'])} |")
    df = d.get("diff", {})
    for backend in ("sqlite", "postgresql"):
        rows = df.get(backend, {}).get("rows", [])
        per = ", ".join(f"{x['stored_claims']:,}: {x['per_claim_us']:g} µs" for x in rows)
        ratio = (r["diff_1m_vs_10k"] or {}).get(backend)
        ok = (r["met"]["diff_1m_vs_10k"] or {}).get(backend) if isinstance(r["met"]["diff_1m_vs_10k"], dict) else None
        lines.append(f"| 3 | diff + store per claim, {big} vs {small} stored ({backend}) | {_fmt(ratio)}x | "
                     f"{per} | <= 1.2x | {mark(ok)} |")
    la = d.get("latency", {})
    one = la.get("one_channel", {})
    lines.append(f"| 4 | alert latency p95, poll -> Slack stand-in (a channel per town) | "
                 f"{_fmt(r['alert_latency_p95_s'])} s | p50 {_fmt(la.get('p50_s'))} s, max {_fmt(la.get('max_s'))} s, "
                 f"{la.get('samples', 0)} alerts ({la.get('missing', 0)} missing); all in one channel (1 msg/s): "
                 f"p95 {_fmt(one.get('p95_s'))} s, p50 {_fmt(one.get('p50_s'))} s | <= 2 s | "
                 f"{mark(r['met']['alert_latency_p95_s'])} |")
    rs = d.get("rss", {})
    lines.append(f"| 5 | peak RSS of `monitor run`, {rs.get('feeds', '?')} feeds, {rs.get('stored_claims', 0):,} "
                 f"claims | {_fmt(r['peak_rss_mb'])} MB | idle daemon (1 feed, empty db) "
                 f"{_fmt(rs.get('idle_daemon_peak_rss_mb'))} MB | <= 300 MB | {mark(r['met']['peak_rss_mb'])} |")
    if p.get("stages_ms_per_page"):
        lines += ["", "Pipeline stages (ms per page): " + ", ".join(f"{k} {v:g}" for k, v in
                                                                   p["stages_ms_per_page"].items())]
    if q.get("profile_sequential_changed_cycle"):
        lines += ["", "Poll cycle profile (one changed cycle run feed by feed, cumulative s): " + ", ".join(
            f"`{x['function']}` {x['cum_s']:g}" for x in q["profile_sequential_changed_cycle"])]
    if r.get("errors"):
        lines += ["", "Failed benchmarks: " + ", ".join(sorted(r["errors"])) + " (tracebacks in results.json)"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    ap.add_argument("--sizes", help="stored-claim sizes for the diff benchmark, e.g. 10000,100000,1000000")
    ap.add_argument("--feeds", type=int, default=0, help="feeds for the poll and memory benchmarks")
    ap.add_argument("--only", default=",".join(ALL), help=f"comma-separated subset of {','.join(ALL)}")
    ap.add_argument("--out", type=Path, default=ROOT / "bench", help="folder for results.json and results.md")
    args = ap.parse_args(argv)
    only = tuple(x.strip() for x in args.only.split(",") if x.strip())
    unknown = set(only) - set(ALL)
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(sorted(unknown))}; choose from {', '.join(ALL)}")
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else None
    results = run(only, args.quick, sizes, args.feeds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 1 if results.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
