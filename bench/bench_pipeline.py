"""Benchmark 1: the pipeline's cost per article after fetching, against trafilatura alone.

Pages: every real HTML page under ``../shared/realdata/html`` (read in place). Baseline:
``trafilatura.extract`` of each page with its defaults. Ours, per page, exactly what a poll does
after the fetch: ``fulltext.extract_page`` (trafilatura without its metadata pass: a poll takes
title and date from the feed entry; here they are read from each page once, untimed, standing in
for the entry) -> normalize into the
dated-article text -> ``articles_repo.save_items`` -> ``pipeline.process_article_version``
(claim extraction with the shipped topics, diff, claims, beliefs, outbox), one transaction per
article in a SQLite file. Ratio: our seconds / baseline seconds (target <= 1.3). The time of
each stage is reported so a miss can be placed.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import trafilatura
from sqlalchemy import update
from sqlalchemy.orm import Session

from monitor import article as fmt
from monitor import pipeline
from monitor.fulltext import extract_page
from monitor.models import Article, Claim
from monitor.normalize import page_to_article
from monitor.store import articles_repo, migrate
from monitor.store.engine import make_engine
from monitor.store.tables import ArticleVersion
from tests.support.feed_server import REALDATA

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ROOT / "config" / "topics"
DAY = dt.date(2025, 9, 1)


def pages() -> list[tuple[str, bytes]]:
    found = sorted(p for p in (REALDATA / "html").rglob("*.html") if p.is_file())
    if not found:
        raise SystemExit(f"no HTML pages under {REALDATA / 'html'}")
    return [(str(p.relative_to(REALDATA)), p.read_bytes()) for p in found]


def baseline(docs: list[tuple[str, bytes]]) -> float:
    t0 = time.perf_counter()
    for _name, raw in docs:
        trafilatura.extract(raw)
    return time.perf_counter() - t0


class _Timed:
    """The extractor with a stopwatch, so its share of the transaction can be told apart."""

    def __init__(self, extractor: pipeline.Extractor) -> None:
        self.extractor = extractor
        self.seconds = 0.0

    def __call__(self, article: Article) -> list[Claim]:
        t0 = time.perf_counter()
        try:
            return list(self.extractor(article))
        finally:
            self.seconds += time.perf_counter() - t0


class Ours:
    """The after-fetch path, with a stopwatch per stage."""

    def __init__(self, db_url: str) -> None:
        self.engine = make_engine(db_url)
        migrate.upgrade(self.engine)
        self.stages = pipeline.load_stages(TOPICS)
        self.times: dict[str, float] = defaultdict(float)
        self.claims = 0
        self.alerts = 0

    def entries(self, docs: list[tuple[str, bytes]]) -> None:
        """Title and date per page, as a feed entry would bring them (not timed)."""
        self.meta: dict[str, tuple[str | None, dt.date]] = {}
        for name, raw in docs:
            page = extract_page(raw, url=f"https://news.example/{name}")
            self.meta[name] = (page.title, page.date or DAY)

    def run(self, docs: list[tuple[str, bytes]], rep: int) -> float:
        t_all = time.perf_counter()
        for i, (name, raw) in enumerate(docs):
            title, day = self.meta[name]
            t0 = time.perf_counter()
            # as in Poller._page: the entry brings title and date, so no metadata pass
            page = extract_page(raw, url=f"https://news.example/{name}", with_metadata=False)
            t1 = time.perf_counter()
            text = page_to_article(page, fallback_date=day, title=title)
            t2 = time.perf_counter()
            self.times["trafilatura (extract_page)"] += t1 - t0
            self.times["normalize"] += t2 - t1
            if text is None:
                continue
            aid = fmt.item_id(f"bench:{rep}:{i}:{name}")
            item = articles_repo.IncomingItem(
                article_id=aid, feed_id=None, guid=aid, url=f"https://news.example/{name}", title=title,
                source="bench", published=day, published_at=None, date_from_fetch=False,
                language=None, text=text, text_source="fulltext")
            dated = fmt.parse(text)
            now = dt.datetime.now(dt.UTC)
            t3 = time.perf_counter()
            timed = _Timed(self.stages.extractor)

            with Session(self.engine) as s, s.begin():
                saved = articles_repo.save_items(s, [item], now)[0]
                art = Article(id=aid, date=dated.date, body=dated.body, title=title, source="bench")
                res = pipeline.process_article_version(s, art, version=saved.version, extractor=timed,
                                                       policy=self.stages.policy, now=now)
                s.execute(update(ArticleVersion).where(ArticleVersion.article_id == aid,
                                                       ArticleVersion.version == saved.version)
                          .values(extracted=True))
            t4 = time.perf_counter()
            claims_t = timed.seconds
            self.times["claim extraction"] += claims_t
            self.times["diff + store (incl. commit)"] += (t4 - t3) - claims_t
            self.claims += res.claims
            self.alerts += len(res.alert_ids)
        return time.perf_counter() - t_all


def run(reps: int = 3) -> dict[str, Any]:
    docs = pages()
    size = sum(len(raw) for _n, raw in docs)
    with tempfile.TemporaryDirectory(prefix="newswatch-bench-pipe-") as tmp:
        ours = Ours(f"sqlite:///{tmp}/pipe.db")
        ours.entries(docs)
        # warm-up: imports, lazy tables, the first-use costs of both sides
        baseline(docs[:3])
        ours.run(docs[:3], rep=-1)
        ours.times.clear()
        ours.claims = ours.alerts = 0
        base_runs, our_runs = [], []
        for r in range(reps):  # interleaved, so drift on a busy machine hits both sides alike
            base_runs.append(baseline(docs))
            our_runs.append(ours.run(docs, rep=r))
        ours.engine.dispose()
    b, o = statistics.median(base_runs), statistics.median(our_runs)
    n = len(docs)
    return {
        "pages": n, "html_bytes": size, "reps": reps,
        "trafilatura_ms_per_page": round(b / n * 1000, 2),
        "pipeline_ms_per_page": round(o / n * 1000, 2),
        "ratio": round(o / b, 3),
        "stages_ms_per_page": {k: round(v / (n * reps) * 1000, 2) for k, v in ours.times.items()},
        "claims_per_rep": ours.claims // reps, "alerts_total": ours.alerts,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
