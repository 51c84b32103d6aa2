"""Claim extraction speed: articles per second on one core, as a ratio to a plain
tokenize-and-lemmatize pass (simplemma over the same tokens) measured in the same run.

    .venv/bin/python bench/extract.py            # prints a table, writes bench/out/extract.json
    .venv/bin/python bench/extract.py --quick    # fewer rounds

Inputs, read in place: the two seeds and the dev articles (../shared), the real HTML pages of
../shared/realdata/html (main text by trafilatura, as the monitor would store it), and 10 KB
articles made by joining dev articles. A last row compares the full gazetteer (~5,500 places)
with one of the curated places only: one Aho-Corasick pass, so the cost must not grow with it.
Target: >= 100 articles/s for 10 KB articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

import simplemma  # noqa: E402

from monitor.article import read_file  # noqa: E402
from monitor.extract import Extractor  # noqa: E402
from monitor.extract.text import detect_language  # noqa: E402
from monitor.gazetteer import Gazetteer  # noqa: E402
from monitor.gazetteer.data import read_curated  # noqa: E402
from monitor.models import Article  # noqa: E402
from monitor.topics import load_topics  # noqa: E402

_TOKEN = re.compile(r"\w+(?:[-‐]\w+)*|[^\w\s]")


def baseline(articles: Sequence[Article]) -> int:
    """The plain pass: tokenize each body and lemmatize every word with simplemma."""
    n = 0
    for a in articles:
        lang = a.language or "de"
        for tok in _TOKEN.findall(a.body):
            simplemma.lemmatize(tok, lang=lang)
            n += 1
    return n


def timed(fn: Callable[[], object], rounds: int) -> float:
    """Best of ``rounds`` CPU times of this process: one core's work, whatever else the machine
    runs (wall time on a shared machine measures the neighbours)."""
    best = float("inf")
    for _ in range(rounds):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def interleaved(a: Callable[[], object], b: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Best-of-``rounds`` times of two functions run in turn, so both see the same machine load."""
    ta = tb = float("inf")
    for _ in range(rounds):
        ta = min(ta, timed(a, 1))
        tb = min(tb, timed(b, 1))
    return ta, tb


def load_sets() -> dict[str, list[Article]]:
    sets: dict[str, list[Article]] = {}
    seeds = [_article(p) for p in sorted((SHARED / "seeds").glob("*.txt"))]
    dev = [_article(p) for p in sorted((SHARED / "dev" / "articles").glob("*.txt"))]
    sets["seeds"] = seeds
    sets["dev articles"] = dev
    pages = _pages()
    if pages:
        sets["real pages (trafilatura text)"] = pages
    sets["10 KB articles"] = _joined(dev, 10_000, 40)
    return sets


def _article(path: Path) -> Article:
    d = read_file(path)
    return Article(id=path.stem, date=d.date, body=d.body, language=detect_language(d.body))


def _pages() -> list[Article]:
    try:
        import trafilatura
    except ImportError:
        return []
    out: list[Article] = []
    for p in sorted((SHARED / "realdata" / "html").glob("*/*.html")):
        text = trafilatura.extract(p.read_bytes().decode("utf-8", "replace")) or ""
        lang = detect_language(text)
        if text.strip() and lang:
            out.append(Article(id=p.stem[:16], date=dt.date(2025, 8, 16), body=text, language=lang))
    return out


def _joined(articles: Sequence[Article], size: int, count: int) -> list[Article]:
    out: list[Article] = []
    i = 0
    for k in range(count):
        parts: list[str] = []
        while sum(len(p) for p in parts) < size:
            parts.append(articles[i % len(articles)].body)
            i += 1
        body = "\n\n".join(parts)[:size]
        out.append(Article(id=f"joined{k}", date=articles[0].date, body=body, language=detect_language(body)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer rounds")
    args = ap.parse_args()
    rounds = 3 if args.quick else 9
    topics = load_topics(ROOT / "config" / "topics")
    t0 = time.perf_counter()
    ex = Extractor(topics)
    build_s = time.perf_counter() - t0
    rows = []
    for name, arts in load_sets().items():
        for a in arts:       # warm the lemma caches of both sides
            ex(a)
        baseline(arts)
        t_ex, t_base = interleaved(lambda arts=arts: [ex(a) for a in arts],
                                   lambda arts=arts: baseline(arts), rounds)
        claims = sum(len(ex(a)) for a in arts)
        kb = sum(len(a.body.encode("utf-8")) for a in arts) / len(arts) / 1024
        rows.append({"set": name, "articles": len(arts), "avg_kb": round(kb, 1), "claims": claims,
                     "articles_per_s": round(len(arts) / t_ex, 1),
                     "baseline_articles_per_s": round(len(arts) / t_base, 1),
                     "ratio_to_baseline": round(t_ex / t_base, 2)})
    # gazetteer size: full (bundled GeoNames + curated) vs curated only
    curated = [Article(id=a.id, date=a.date, body=a.body, language=a.language) for a in load_sets()["10 KB articles"]]
    places_file = ROOT / "config" / "topics" / "places.yaml"
    from monitor.gazetteer.gazetteer import _merge
    small_places = Gazetteer([_merge(None, c) for c in read_curated(places_file)])
    ex_small = Extractor(topics, gazetteer=small_places)
    for a in curated:
        ex_small(a)
    # the place-finding pass alone (what grows with the gazetteer, if anything did) ...
    f_full, f_small = interleaved(lambda: [ex.gazetteer.find(a.body) for a in curated],
                                  lambda: [small_places.find(a.body) for a in curated], rounds)
    # ... and whole extraction (the full gazetteer finds more towns, so it makes more claims)
    t_full, t_small = interleaved(lambda: [ex(a) for a in curated], lambda: [ex_small(a) for a in curated], rounds)
    gaz = {"full_places": len(ex.gazetteer), "curated_places": len(small_places),
           "find_pass_ratio": round(f_full / f_small, 2),
           "find_pass_ms_per_article": round(f_full / len(curated) * 1000, 3),
           "extraction_ratio": round(t_full / t_small, 2),
           "claims_full": sum(len(ex(a)) for a in curated), "claims_curated": sum(len(ex_small(a)) for a in curated)}
    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cores": os.cpu_count(), "single_process": True},
        "extractor_build_s": round(build_s, 3),
        "rows": rows,
        "gazetteer_size": gaz,
        "target": ">= 100 articles/s for 10 KB articles",
    }
    print(f"{'set':34} {'n':>4} {'KB':>6} {'claims':>6} {'art/s':>8} {'base art/s':>10} {'ratio':>6}")
    for r in rows:
        print(f"{r['set']:34} {r['articles']:>4} {r['avg_kb']:>6} {r['claims']:>6} {r['articles_per_s']:>8} "
              f"{r['baseline_articles_per_s']:>10} {r['ratio_to_baseline']:>6}")
    print(f"gazetteer: {gaz['full_places']} places vs {gaz['curated_places']} curated: find pass ratio "
          f"{gaz['find_pass_ratio']} ({gaz['find_pass_ms_per_article']} ms/article; 1.0 = no growth); "
          f"whole extraction {gaz['extraction_ratio']} ({gaz['claims_full']} vs {gaz['claims_curated']} claims)")
    print(f"extractor built in {build_s:.2f} s")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "extract.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
