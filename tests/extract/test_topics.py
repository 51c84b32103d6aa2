"""Topic files: validation with file:line errors, merged lookups, and an operator's edit taking effect."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.extract import Extractor
from monitor.models import Article
from monitor.topics import Thresholds, load_topics
from tests.extract.conftest import TOPICS


def test_the_shipped_topics_load_and_cover_the_spec_ids() -> None:
    ts = load_topics(TOPICS)
    assert {t.id for t in ts.topics} >= {"war", "diplomacy", "modality", "places"}
    for ident in ("trump", "putin", "zelensky", "ukraine", "russia", "usa", "anchorage", "alaska", "istanbul",
                  "moscow", "turkey", "crimea", "donetsk-oblast"):
        assert ts.entity(ident) is not None, ident
    assert ts.cues("control", "capture", "de")
    assert ts.thresholds_for("pokrovsk") == Thresholds(share_pp=2.0, area_rel=0.1, contradiction_window_hours=48)
    assert ts.severity_for("control", "pokrovsk", "status", "russia", "changed") == "high"
    assert ts.severity_for("meeting", "putin+trump@usa", "status", "held", "new") == "high"


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "topics"
    shutil.copytree(TOPICS, d)
    return d


def test_unknown_key_names_file_line_and_fix(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    war = d / "war.yaml"
    lines = war.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("thresholds:"))
    lines.insert(at + 1, "  share_ppp: 3.0")
    war.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_topics(d)
    msg = str(err.value)
    assert f"war.yaml:{at + 2}:" in msg and "share_ppp" in msg and "fix:" in msg


def test_unknown_cue_group_is_an_error(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "extra.yaml").write_text("cues:\n  control:\n    captur:\n      de: [erobern]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_topics(d)
    assert "extra.yaml" in str(err.value) and "control.captur" in str(err.value)


def test_an_operator_adds_a_synonym_and_a_town_by_editing_a_file(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    article = Article(id="x", date=dt.date(2025, 8, 1), body="Die russische Armee hat Neustadtowe überrannt.")
    assert Extractor(load_topics(d))(article) == []
    (d / "local.yaml").write_text(
        "entities:\n"
        "  - id: neustadtove\n    type: place\n    region: donetsk-oblast\n"
        "    names: {de: [Neustadtowe], en: [Neustadtove]}\n"
        "cues:\n  control:\n    capture:\n      de: [überrennen, \"=überrannt\"]\n",
        encoding="utf-8")
    claims = Extractor(load_topics(d))(article)
    assert [(c.subject, c.value) for c in claims] == [("neustadtove", "russia")]


def test_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_topics(tmp_path / "nope")
