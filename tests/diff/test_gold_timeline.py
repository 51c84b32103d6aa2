"""The diff rules against the spec's reference timeline: gold claims in, the scorer's alerts out.

``../shared/eval/score_alerts.py`` derives the expected alerts of the dev set from its gold
claims by the spec's diff rules. Feeding the same gold claims through the real pipeline
(store, diff, outbox) must reproduce them, whatever the extractor's quality. Read in place.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy.orm import Session

from monitor import pipeline
from monitor.models import Article, Claim
from monitor.store import migrate, outbox_repo
from monitor.store.engine import make_engine
from monitor.topics import default_topics_dir, load_topics

SHARED = Path(__file__).resolve().parents[3] / "shared"
DEV = SHARED / "dev"


def _scorer() -> ModuleType:
    sys.path.insert(0, str(SHARED / "eval"))
    spec = importlib.util.spec_from_file_location("score_alerts", SHARED / "eval" / "score_alerts.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _first(x: Any) -> Any:
    return x[0] if isinstance(x, list) else x


def gold_extractor(golds: dict[str, dict[str, Any]]) -> pipeline.Extractor:
    def extract(article: Article) -> list[Claim]:
        g = golds[article.id]
        return [Claim(article=article.id, date=g["date"], kind=it["kind"], subject=_first(it["subject"]),
                      subject_name="", attribute=it["attribute"], value=_first(it["value"]),
                      sentence=it.get("note", ""), span=(i, i + 1), modality=it.get("modality", "asserted"),
                      period=it.get("period"), as_of=it.get("as_of"), attribution=it.get("attribution"))
                for i, it in enumerate(g.get("required", [])) if "value" in it]
    return extract


@pytest.mark.parametrize("baseline_before", ["2024-01-01", "2022-10-01", "2025-08-01"])
def test_gold_claims_reproduce_the_reference_alerts(sqlite_url: str, baseline_before: str) -> None:
    scorer = _scorer()
    golds = {g["article"]: g for g in (json.loads(p.read_text(encoding="utf-8"))
                                       for p in (DEV / "gold").glob("*.json"))}
    arts = DEV / "articles"
    base = [arts / f"{a}.txt" for a, g in golds.items() if g["date"] < baseline_before]
    rest = [arts / f"{a}.txt" for a, g in golds.items() if g["date"] >= baseline_before]
    engine = make_engine(sqlite_url)
    migrate.upgrade(engine)
    policy = pipeline.TopicPolicy(load_topics(default_topics_dir()))
    extractor = gold_extractor(golds)
    pipeline.ingest_articles(engine, base, extractor=extractor, policy=policy, baseline=True)
    res = pipeline.ingest_articles(engine, rest, extractor=extractor, policy=policy)
    with Session(engine) as s:
        got = [outbox_repo.spec_dict(r) for r in outbox_repo.alerts_by_id(s, res.alert_ids,
                                                                          types=outbox_repo.SPEC_TYPES)]
    engine.dispose()
    expected = scorer.expected_alerts(DEV, baseline_before)
    assert len(expected) > 50
    p, r = scorer.score(expected, got, strict=False)
    assert (p, r) == (1.0, 1.0)
    assert all(set(a) == {"type", "kind", "subject", "attribute", "period", "old", "new", "date", "article",
                          "sentence", "modality", "attribution", "severity"} for a in got)
