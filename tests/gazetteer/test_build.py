"""The build script's choices: which alternate name is Ukrainian, which names are kept, which ids."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_gazetteer"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("geoname", "cyrillic", "from_russian", "expected"), [
    ("Pokrovsk", ["Красноармейск", "Красноармійськ", "Покровск", "Покровськ"], False, "Покровськ"),
    ("Myrnohrad", ["Димитров", "Мирноград", "Мірнаград"], False, "Мирноград"),  # not the Belarusian
    ("Kamyanske", ["Дніпродзержинськ", "Кам'янське", "Каменское"], False, "Кам'янське"),
    ("Mar'yinka", ["Марьинка", "Мар’інка", "Мар’їнка"], False, "Мар’їнка"),
    ("Dnipro", ["Днепр", "Днипро", "Дніпро", "Днїпро"], False, "Дніпро"),
    # Crimea: GeoNames romanized the Russian name
    ("Zarechnoye", ["Заречное", "Зарічне"], True, "Зарічне"),
    ("Kurman", ["Красногвардійське", "Курман"], True, "Курман"),  # the old name is no spelling of it
])
def test_pick_ukrainian(build: ModuleType, geoname: str, cyrillic: list[str], from_russian: bool,
                        expected: str) -> None:
    assert build.pick_ukrainian(geoname, cyrillic, from_russian) == expected


@pytest.mark.parametrize(("name", "town", "ok"), [
    ("Pokrowsk", False, True),
    ("Nova", False, False),        # a word
    ("Berg", False, False),        # a German noun
    ("Bar", False, False),         # too short
    ("Wolodymyr", False, False),   # a first name
    ("Jalta", True, True),         # a town's own name, listed in the lexicon as a proper name
    ("Jalta", False, False),
    ("Ihren", True, False),        # "ihren" is a word
    ("wu er zu fu", False, False),  # not capitalized
])
def test_latin_ok(build: ModuleType, name: str, town: bool, ok: bool) -> None:
    assert build.latin_ok(name, town) is ok


def _row(build: ModuleType, gid: int, base: str, oblast: str, pop: int) -> object:
    return build.Row(gid, base, oblast, pop, "", {base.capitalize()})


def test_assign_ids(build: ModuleType) -> None:
    rows = [
        _row(build, 1, "kamianske", "dnipropetrovsk-oblast", 226_000),   # always suffixed
        _row(build, 2, "kamianske", "zaporizhzhia-oblast", 2_000),
        _row(build, 3, "lyman", "donetsk-oblast", 20_000),               # dominates: bare
        _row(build, 4, "lyman", "kharkiv-oblast", 4_000),
        _row(build, 5, "stepove", "mykolaiv-oblast", 1_800),             # no dominant town
        _row(build, 6, "stepove", "odesa-oblast", 1_500),
        _row(build, 7, "stepove", "odesa-oblast", 900),                  # second in one oblast
        _row(build, 8, "opytne", "donetsk-oblast", 1_900),               # namesakes in one oblast
        _row(build, 9, "opytne", "donetsk-oblast", 700),
        _row(build, 10, "soledar", "donetsk-oblast", 10_000),
    ]
    build.assign_ids(rows)
    assert [r.id for r in rows] == [
        "kamianske-dnipropetrovsk", "kamianske-zaporizhzhia", "lyman", "lyman-kharkiv",
        "stepove-mykolaiv", "stepove-odesa", "stepove-odesa-2", "opytne", "opytne-2", "soledar"]


def test_shared_and_unrelated_alternates_are_dropped(build: ModuleType) -> None:
    city = build.Row(1, "myrnohrad", "donetsk-oblast", 46_000, "Мирноград", {"Myrnohrad"},
                     {"Hrodivka", "Mirnograd", "Dimitrov"})
    village = build.Row(2, "hrodivka", "donetsk-oblast", 2_300, "Гродівка", {"Hrodivka"}, {"Grodovka"})
    small = build.Row(3, "kurortne", "crimea", 900, "Курортне", {"Kurortne"}, {"Kurortnoye", "Dacia"})
    rows = [city, village, small]
    build.drop_shared_alternates(rows)
    build.drop_unrelated_alternates(rows)
    assert city.names == {"Myrnohrad", "Mirnograd", "Dimitrov"}   # a town keeps its old names
    assert village.names == {"Hrodivka", "Grodovka"}
    assert small.names == {"Kurortne", "Kurortnoye"}               # "Dacia" is no spelling of it
