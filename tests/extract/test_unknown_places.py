"""Villages too small for the gazetteer, named as villages, and phrases where one side drives the
other out of a place."""

from __future__ import annotations

import pytest

from monitor.extract.unknown_places import name_to_id
from tests.extract.conftest import Extract, find


@pytest.mark.parametrize(("name", "ident"), [
    ("Klischtschijiwka", "klishchiivka"),      # schtsch, ji after a vowel
    ("Kotljariwka", "kotliarivka"),            # j inside a word before a vowel
    ("Jabluniwka", "yablunivka"),              # word-initial J
    ("Staromajorske", "staromaiorske"),        # й
    ("Tschassiw Jar", "chasiv-yar"),           # tsch is not read again as ch; ss between vowels
    ("Pjatychatky", "piatykhatky"),            # ch -> kh
    ("Staromaiorske", "staromaiorske"),        # an English spelling stays as it is
    ("Novoekonomichne", "novoekonomichne"),
])
def test_spellings_map_back_to_the_2010_romanization(name: str, ident: str) -> None:
    assert name_to_id(name) == ident


def test_an_unknown_village_named_as_a_village_is_a_place_for_the_whole_article(extract: Extract) -> None:
    cs = extract("Die russische Armee hat nach eigenen Angaben das Dorf Kotljariwka eingenommen. "
                 "Kiew bestätigte den Verlust von Kotljariwka nicht.")
    assert {(c.subject, c.value) for c in find(cs, "control", "kotliarivka")} == {("kotliarivka", "russia")}
    cs = extract("Russische Truppen eroberten die Dörfer Nowoprokopiwka und Ternowe.")
    assert {c.subject for c in cs if c.kind == "control"} == {"novoprokopivka", "ternove"}
    cs = extract("Russian forces captured the villages of Kotliarivka and Novoprokopivka, Moscow said.")
    assert {c.subject for c in cs if c.kind == "control"} == {"kotliarivka", "novoprokopivka"}


def test_a_common_word_after_a_settlement_noun_is_no_village(extract: Extract) -> None:
    cs = extract("Im Dorf Gefechte zu führen sei gefährlich, sagte ein Soldat der ukrainischen Armee.")
    assert [c for c in cs if c.kind == "control"] == []


def test_the_side_that_drives_the_other_out_holds_the_place(extract: Extract) -> None:
    cs = extract("Kyiv's troops pushed Russian units out of Kupiansk, the General Staff said.")
    assert {(c.value, c.modality) for c in find(cs, "control", "kupiansk")} == {("ukraine", "reported")}
    cs = extract("Russian troops drove Ukrainian forces out of Siversk.")
    assert {c.value for c in find(cs, "control", "siversk")} == {"russia"}
    cs = extract("Ukrainische Einheiten drängten die Angreifer aus Kupjansk zurück.")
    assert {c.value for c in find(cs, "control", "kupiansk")} == {"ukraine"}
    cs = extract("Russische Truppen vertrieben die Ukrainer aus Siwersk.")
    assert {c.value for c in find(cs, "control", "siversk")} == {"russia"}


def test_being_driven_out_is_a_loss(extract: Extract) -> None:
    cs = extract("Die Russen wurden aus Kupjansk vertrieben.")
    assert {c.value for c in find(cs, "control", "kupiansk")} == {"ukraine"}


def test_failing_to_drive_out_of_a_region_says_nothing_about_a_town_named_later(extract: Extract) -> None:
    cs = extract("Russia failed to push Ukrainian troops out of the region and did not retake the town.")
    assert [c for c in cs if c.kind == "control" and c.value == "russia" and c.changes_state] == []


def test_villages_listed_after_a_colon_or_with_two_word_names(extract: Extract) -> None:
    cs = extract("Das Verteidigungsministerium in Moskau hat die Einnahme von fünf Dörfern im Grenzgebiet "
                 "verkündet: Striletscha, Pylna, Ohirzewe und Pleteniwka.")
    assert {c.subject for c in cs if c.kind == "control" and c.value == "russia"} == {
        "strilecha", "pylna", "ohirtseve", "pletenivka"}
    cs = extract("Russische Truppen eroberten die Dörfer Kutscheriw Jar und Nowoprokopiwka.")
    assert {c.subject for c in cs if c.kind == "control"} == {"kucheriv-yar", "novoprokopivka"}
