"""The gazetteer on real text: the dev set's places are found, and nothing absurd is.

Reads the shared dev articles, seeds and real feeds/pages in place (../shared).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import simplemma

from monitor.gazetteer import Gazetteer
from monitor.gazetteer.data import DEFAULT_PLACES_FILE, read_curated

SHARED = Path(__file__).resolve().parents[3] / "shared"
DEV = SHARED / "dev"
GOLD = sorted((DEV / "gold").glob("*.json"))


def _article(gold: dict[str, object]) -> str:
    return (DEV / "articles" / f"{gold['article']}.txt").read_text(encoding="utf-8")


def _subjects(claims: list[dict[str, object]]) -> set[str]:
    out: set[str] = set()
    for c in claims:
        s = c["subject"]
        out |= set(s) if isinstance(s, list) else {str(s)}
    return out


@pytest.mark.parametrize("gold_file", GOLD, ids=[p.stem for p in GOLD])
def test_every_required_place_of_the_dev_set_is_found_and_resolved(gaz: Gazetteer, gold_file: Path) -> None:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    text = _article(gold)
    resolved = {p.id for p in gaz.resolve_all(gaz.find(text)) if p}
    places = {s for s in _subjects(gold["required"]) if gaz.get(s) is not None and s != "ukraine"}
    assert places <= resolved, sorted(places - resolved)


def test_the_dev_sets_two_kamianskes_are_told_apart(gaz: Gazetteer) -> None:
    text = (DEV / "articles" / "207_0ded406e871893d4.txt").read_text(encoding="utf-8")
    mentions = gaz.find(text)
    ids = [p.id for m, p in zip(mentions, gaz.resolve_all(mentions), strict=True)
           if p and m.base == "Kamjanske"]
    assert ids == ["kamianske-zaporizhzhia", "kamianske-dnipropetrovsk"]


def _texts() -> list[tuple[str, str]]:
    files = [*sorted((SHARED / "seeds").glob("*.txt")), *sorted((DEV / "articles").glob("*.txt")),
             *sorted((SHARED / "realdata" / "feeds").glob("*")),
             *sorted((SHARED / "realdata" / "html").rglob("*.html"))]
    out = []
    for f in files:
        if f.is_file():
            raw = f.read_text(encoding="utf-8", errors="replace")
            raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
            out.append((f.name, html.unescape(re.sub(r"<[^>]+>", " ", raw))))
    return out


def test_no_common_word_matches_as_a_place_in_real_text(gaz: Gazetteer) -> None:
    curated = {n for c in read_curated(DEFAULT_PLACES_FILE) for n in c.all_names()}
    texts = _texts()
    assert len(texts) > 50
    bad = []
    for name, text in texts:
        for m in gaz.find(text):
            if m.base in curated or not m.base.isascii():
                continue
            if m.surface[:1].islower() or simplemma.is_known(m.base, lang=("de", "en")):
                bad.append((name, m.surface))
    assert bad == []
