"""Quality floors: the scorer's metrics on the shared dev gold set and on our own goldset.

The extractor runs in-process; scoring reuses ``score_article`` of ../shared/eval/score_claims.py,
so these numbers are the ones the evaluation prints. A drop below a floor fails CI.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from monitor.article import read_file
from monitor.extract import Extractor
from monitor.models import Article

ROOT = Path(__file__).resolve().parents[2]
SCORER = ROOT.parent / "shared" / "eval" / "score_claims.py"
DEV = ROOT.parent / "shared" / "dev"
GOLDSET = ROOT / "tests" / "fixtures" / "goldset"
HELDOUT = ROOT / "tests" / "fixtures" / "heldout"
# Pinned on 2026-11-22 at the scores reached then minus 0.03: F1 0.965 (P 0.978, R 0.952),
# modality 0.976, forbidden 0.
HELDOUT_F1_FLOOR = 0.935
HELDOUT_P_FLOOR = 0.948
HELDOUT_MODALITY_FLOOR = 0.945
HELDOUT_FORBIDDEN = 0
HELDOUT2 = ROOT / "tests" / "fixtures" / "heldout2"
# Pinned on 2026-11-22 (session 2) at F1 0.77 (P 0.89, R 0.68), modality 0.96, 3 forbidden, minus
# 0.03; forbidden may only go down (the three left are named in the closing note of issue 3).
HELDOUT2_F1_FLOOR = 0.74
HELDOUT2_P_FLOOR = 0.86
HELDOUT2_MODALITY_FLOOR = 0.93
HELDOUT2_FORBIDDEN_MAX = 3
HELDOUT3 = ROOT / "tests" / "fixtures" / "heldout3"
# Pinned on 2026-11-22 (session 3) at F1 0.75 (P 0.86, R 0.66), modality 0.95, 4 forbidden, minus
# 0.03; forbidden may only go down (the four left are named in its README).
HELDOUT3_F1_FLOOR = 0.72
HELDOUT3_P_FLOOR = 0.83
HELDOUT3_MODALITY_FLOOR = 0.91
HELDOUT3_FORBIDDEN_MAX = 4


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_claims", SCORER)
    assert spec is not None and spec.loader is not None, f"scorer missing at {SCORER}"
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score(extractor: Extractor, goldset: Path) -> dict[str, Any]:
    """The scorer's summary: P, R, F1, modality agreement, forbidden hits."""
    sc = _scorer()
    tot = dict(tp=0, fp=0, req=0, hit=0, modality_ok=0, modality_n=0, forbidden=0)
    for gold_file in sorted((goldset / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        path = goldset / "articles" / f"{gold['article']}.txt"
        dated = read_file(path)
        claims = extractor(Article(id=path.stem, date=dated.date, body=dated.body, source="file"))
        r = sc.score_article(gold, [c.to_dict() for c in claims])
        for k in ("tp", "fp", "req", "hit", "modality_ok", "modality_n"):
            tot[k] += r[k]
        tot["forbidden"] += len(r["forbidden"])
    p = tot["tp"] / (tot["tp"] + tot["fp"]) if tot["tp"] + tot["fp"] else 0.0
    rec = tot["hit"] / tot["req"] if tot["req"] else 0.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    mod = tot["modality_ok"] / tot["modality_n"] if tot["modality_n"] else 0.0
    return dict(p=p, r=rec, f1=f1, modality=mod, forbidden=tot["forbidden"], articles=len(list((goldset / "gold").glob("*.json"))))


def test_dev_set_meets_the_floors(extractor: Extractor) -> None:
    assert DEV.is_dir(), f"the shared dev set is expected at {DEV}"
    s = score(extractor, DEV)
    assert s["articles"] >= 14
    assert s["forbidden"] == 0, s
    assert s["f1"] >= 0.95, s
    assert s["modality"] >= 0.95, s


def test_own_goldset_meets_the_floors(extractor: Extractor) -> None:
    s = score(extractor, GOLDSET)
    assert s["articles"] >= 14
    assert s["forbidden"] == 0, s
    # measured F1 1.00, modality 1.00 when pinned; the margin allows a claim or two of drift, not a regression
    assert s["f1"] >= 0.95, s
    assert s["modality"] >= 0.95, s


def test_heldout_set_meets_the_floors(extractor: Extractor) -> None:
    """Independent golds by other reviewers (tests/fixtures/heldout/README.md): the generalization
    check. Floors are the scores reached when pinned minus 0.03."""
    s = score(extractor, HELDOUT)
    assert s["articles"] >= 30
    assert s["forbidden"] == HELDOUT_FORBIDDEN, s
    assert s["f1"] >= HELDOUT_F1_FLOOR, s
    assert s["modality"] >= HELDOUT_MODALITY_FLOOR, s
    assert s["p"] >= HELDOUT_P_FLOOR, s


@pytest.mark.parametrize(("goldset", "articles", "f1", "p", "modality", "forbidden"), [
    # 60 articles by six reviewers (tests/fixtures/heldout2/README.md), blind F1 0.57-0.66 on arrival
    (HELDOUT2, 60, HELDOUT2_F1_FLOOR, HELDOUT2_P_FLOOR, HELDOUT2_MODALITY_FLOOR, HELDOUT2_FORBIDDEN_MAX),
    # 52 articles by seven more reviewers (tests/fixtures/heldout3/README.md), blind F1 0.63-0.77
    (HELDOUT3, 52, HELDOUT3_F1_FLOOR, HELDOUT3_P_FLOOR, HELDOUT3_MODALITY_FLOOR, HELDOUT3_FORBIDDEN_MAX),
], ids=["heldout2", "heldout3"])
def test_later_heldout_sets_meet_their_floors(extractor: Extractor, goldset: Path, articles: int, f1: float,
                                              p: float, modality: float, forbidden: int) -> None:
    """Sets scored blind when they arrived; the rules written from their misses must not regress."""
    s = score(extractor, goldset)
    assert s["articles"] >= articles
    assert s["forbidden"] <= forbidden, s
    assert s["f1"] >= f1, s
    assert s["modality"] >= modality, s
    assert s["p"] >= p, s


@pytest.mark.parametrize("goldset", [DEV, GOLDSET, HELDOUT, HELDOUT2, HELDOUT3],
                         ids=["dev", "goldset", "heldout", "heldout2", "heldout3"])
def test_every_gold_file_has_its_article(goldset: Path) -> None:
    for gold_file in (goldset / "gold").glob("*.json"):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        assert (goldset / "articles" / f"{gold['article']}.txt").exists(), gold_file
