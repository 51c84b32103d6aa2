"""Cost of diff + store per claim with 10k, 100k and 1M claims already stored.

    python bench/diff.py                       # sizes 10000,100000,1000000 on sqlite and postgresql
    python bench/diff.py --sizes 10000,100000 --backends sqlite

For every backend and size: a fresh database (a temp SQLite file; a new PostgreSQL database
on 127.0.0.1:5432, dropped after), N pre-existing claims bulk-loaded (executemany on SQLite,
COPY on PostgreSQL) over N/20 belief keys with their beliefs and alerts, then a fixed batch of
articles goes through ``pipeline.apply_claims`` (diff, claims, beliefs, outbox), one
transaction per article as in production. The figure is the median time per claim over
several repetitions (and the best one: on a shared machine the least disturbed), plus the
client process's CPU time per claim, which other load on the machine hardly moves (on SQLite it
is all the work; on PostgreSQL the server's share is missing). The target is flat: the 1M
figure at most 1.2x the 10k figure.
Results go to ``bench/out/diff.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from monitor import diff, pipeline  # noqa: E402
from monitor.models import Claim  # noqa: E402
from monitor.store import migrate  # noqa: E402
from monitor.store.engine import make_engine  # noqa: E402
from tests.support import pg  # noqa: E402

VALUES = ["threatened", "contested", "encircled", "russia", "ukraine"]
CLAIMS_PER_KEY = 20
NOW = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)


def subject(i: int) -> str:
    return f"place-{i:07d}"


def key_of(i: int) -> str:
    return f"control|{subject(i)}|status|"


CLAIM_COLS = ("article_id", "version", "key", "kind", "subject", "attribute", "period", "value_json", "unit",
              "qualifier", "as_of", "modality", "actor", "attribution", "date", "sentence", "span_start",
              "span_end", "rule", "cues", "topic", "source_key", "source_name", "url", "outcome", "withdrawn",
              "created_at")
BELIEF_COLS = ("key", "kind", "subject", "attribute", "period", "value_json", "modality", "attribution", "since",
               "claim_id", "article_id", "source_count", "last_change_at", "last_alert_id", "topic",
               "sources_json", "sentence", "source_name", "url")
ALERT_COLS = ("dedup_key", "type", "kind", "subject", "attribute", "period", "belief_key", "old_json", "new_json",
              "date", "article_id", "sentence", "modality", "attribution", "severity", "topic", "payload",
              "parent_id", "state", "mode", "attempts", "created_at")


def preexisting(n: int, rnd: random.Random) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]],
                                                      list[tuple[Any, ...]]]:
    """N claims over N/20 keys, a belief per key (its last claim) and an alert per key."""
    keys = max(1, n // CLAIMS_PER_KEY)
    claims, beliefs, alerts = [], [], []
    day0 = dt.date(2024, 1, 1)
    for c in range(n):
        k = c % keys
        art = f"old-{c // 4:07d}"
        v = VALUES[rnd.randrange(len(VALUES))]
        date = day0 + dt.timedelta(days=c * 400 // n)
        sentence = f"Old report {c} about {subject(k)}."
        claims.append((art, 1, key_of(k), "control", subject(k), "status", None, json.dumps(v), None, None, None,
                       "asserted", None, None, date, sentence, 0, len(sentence), "bench", "[]", "war", art,
                       "Old", None, "confirmed", False, NOW))
    for k in range(keys):
        v = VALUES[k % len(VALUES)]
        beliefs.append((key_of(k), "control", subject(k), "status", None, json.dumps(v), "asserted", None,
                        dt.date(2025, 1, 31), None, f"old-{k:07d}", 1, NOW, k + 1, "war",
                        json.dumps([f"old-{k:07d}"]), "Old sentence.", "Old", None))
        alerts.append((f"old-{k:07d}:1:{key_of(k)}", "new", "control", subject(k), "status", None, key_of(k), None,
                       json.dumps(v), dt.date(2025, 1, 31), f"old-{k:07d}", "Old sentence.", "asserted", None,
                       "medium", "war", "{}", None, "sent", "instant", 1, NOW))
    return claims, beliefs, alerts


def bulk_load(engine: Engine, n: int, seed: int) -> float:
    claims, beliefs, alerts = preexisting(n, random.Random(seed))
    t0 = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for table, cols, rows in (("claims", CLAIM_COLS, claims), ("beliefs", BELIEF_COLS, beliefs),
                                  ("alerts", ALERT_COLS, alerts)):
            if engine.dialect.name == "postgresql":
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                marks = ", ".join("?" for _ in cols)
                cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                                [tuple(x.isoformat(sep=" ") if isinstance(x, dt.datetime) else x for x in r)
                                 for r in rows])
        raw.commit()
        if engine.dialect.name == "postgresql":
            drv: Any = raw.driver_connection
            drv.autocommit = True
            drv.execute("VACUUM ANALYZE")
            drv.execute("CHECKPOINT")  # the load's WAL is flushed now, not during the measurement
            drv.autocommit = False
        else:
            raw.cursor().execute("ANALYZE")
            raw.commit()
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    return time.perf_counter() - t0


def workload(n_existing: int, articles: int, per_article: int, seed: int, tag: str) -> list[list[Claim]]:
    """Articles whose claims hit existing keys (most) and new keys (some), with varied outcomes."""
    rnd = random.Random(seed)
    keys = max(1, n_existing // CLAIMS_PER_KEY)
    out = []
    for a in range(articles):
        art = f"{tag}-{a:06d}"
        claims = []
        for j in range(per_article):
            k = rnd.randrange(keys) if rnd.random() < 0.9 else keys + rnd.randrange(10**6)
            v = VALUES[rnd.randrange(len(VALUES))]
            sentence = f"Report {art} says {subject(k)} is {v}."
            claims.append(Claim(article=art, date="2025-08-20", kind="control", subject=subject(k),
                                subject_name=subject(k), attribute="status", value=v, sentence=sentence,
                                span=(j * 100, j * 100 + len(sentence)),
                                modality=rnd.choice(["asserted", "reported", "reported", "hedged"]),
                                attribution=rnd.choice([None, "ukraine", "russia"]), topic="war"))
        out.append(claims)
    return out


def measure(engine: Engine, batches: list[list[Claim]]) -> tuple[float, float]:
    """Wall time and this process's CPU time per claim (on SQLite the CPU time is all the work)."""
    policy = diff.DefaultPolicy()
    n = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    for claims in batches:
        source = diff.Source(article=claims[0].article, source_key=claims[0].article, name="Bench")
        with Session(engine) as s, s.begin():
            pipeline.apply_claims(s, claims, source, policy=policy, baseline=False, now=NOW)
        n += len(claims)
    return (time.perf_counter() - t0) / n, (time.process_time() - c0) / n


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "postgresql":
        with pg.fresh_database("newswatch_bench") as url:
            yield url
    else:
        with tempfile.TemporaryDirectory(prefix="newswatch-bench-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"


def _no_sync_commit(dbapi_conn: Any, _record: Any) -> None:
    with dbapi_conn.cursor() as cur:
        cur.execute("SET synchronous_commit TO off")
    dbapi_conn.commit()


def run_backend(backend: str, sizes: list[int], articles: int, per_article: int,
                reps: int, durable: bool = False) -> list[dict[str, Any]]:
    """One database per size, loaded first; then the repetitions go round the sizes in turn,
    so a change in machine load (other processes, checkpoints) hits every size alike."""
    with ExitStack() as stack:
        engines: dict[int, Engine] = {}
        loads: dict[int, float] = {}
        for n in sizes:
            url = stack.enter_context(database(backend))
            engine = make_engine(url)
            if backend == "postgresql" and not durable:
                event.listen(engine, "connect", _no_sync_commit)
            stack.callback(engine.dispose)
            migrate.upgrade(engine)
            loads[n] = bulk_load(engine, n, seed=n)
            measure(engine, workload(n, 20, per_article, seed=1, tag="warm"))
            engines[n] = engine
        times: dict[int, list[float]] = {n: [] for n in sizes}
        cpu: dict[int, list[float]] = {n: [] for n in sizes}
        for r in range(reps):
            for n in sizes:
                wall, used = measure(engines[n], workload(n, articles, per_article, seed=10 + r, tag=f"r{r}"))
                times[n].append(wall)
                cpu[n].append(used)
    rows = []
    for n in sizes:
        med = statistics.median(times[n])
        med_cpu = statistics.median(cpu[n])
        print(f"{backend:10} {n:>9} stored: {med * 1e6:8.1f} us/claim wall, {med_cpu * 1e6:7.1f} us/claim CPU "
              f"(wall reps {', '.join(f'{x * 1e6:.0f}' for x in times[n])}; bulk load {loads[n]:.1f}s)", flush=True)
        rows.append({"backend": backend, "stored_claims": n, "per_claim_us": round(med * 1e6, 2),
                     "best_us": round(min(times[n]) * 1e6, 2), "cpu_per_claim_us": round(med_cpu * 1e6, 2),
                     "reps_us": [round(x * 1e6, 2) for x in times[n]],
                     "cpu_reps_us": [round(x * 1e6, 2) for x in cpu[n]], "bulk_load_s": round(loads[n], 2),
                     "claims_measured": articles * per_article * reps})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000", help="stored claims, comma-separated")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--articles", type=int, default=300, help="articles per repetition")
    ap.add_argument("--claims-per-article", type=int, default=5)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--durable", action="store_true",
                    help="PostgreSQL: wait for the WAL flush at every commit (default: synchronous_commit "
                         "off, like SQLite's WAL with synchronous=NORMAL, so the figure is the diff and store "
                         "work rather than the disk's fsync latency, the same for every size)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "diff.json")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    ratios: dict[str, float] = {}
    best_ratios: dict[str, float] = {}
    cpu_ratios: dict[str, float] = {}
    for backend in args.backends.split(","):
        rows = run_backend(backend, sizes, args.articles, args.claims_per_article, args.reps, args.durable)
        results.extend(rows)
        if len(rows) > 1:
            ratios[backend] = round(rows[-1]["per_claim_us"] / rows[0]["per_claim_us"], 3)
            best_ratios[backend] = round(rows[-1]["best_us"] / rows[0]["best_us"], 3)
            cpu_ratios[backend] = round(rows[-1]["cpu_per_claim_us"] / rows[0]["cpu_per_claim_us"], 3)
            print(f"{backend}: {sizes[-1]}/{sizes[0]} per-claim ratio {ratios[backend]:.2f} wall (median), "
                  f"{best_ratios[backend]:.2f} wall (best rep), {cpu_ratios[backend]:.2f} client CPU "
                  f"(target <= 1.2)")
    out = {
        "benchmark": "diff_store_per_claim", "sizes": sizes, "results": results,
        f"ratio_{sizes[-1]}_vs_{sizes[0]}": ratios,
        f"ratio_{sizes[-1]}_vs_{sizes[0]}_best": best_ratios,
        f"ratio_{sizes[-1]}_vs_{sizes[0]}_cpu": cpu_ratios,
        "target_ratio": 1.2, "postgresql_synchronous_commit": "on" if args.durable else "off", "wall_s": round(time.perf_counter() - started, 1),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({out['wall_s']}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
