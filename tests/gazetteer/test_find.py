"""Finding place names: whole words, inflected forms, region phrases, lists, longest match."""

from __future__ import annotations

import pytest

from monitor.gazetteer import Gazetteer, Mention


def _ids(gaz: Gazetteer, text: str) -> list[str | None]:
    return [(p.id if p else None) for p in gaz.resolve_all(gaz.find(text))]


def _only(gaz: Gazetteer, text: str) -> Mention:
    mentions = gaz.find(text)
    assert len(mentions) == 1, mentions
    return mentions[0]


def test_offsets_and_surface_point_into_the_text(gaz: Gazetteer) -> None:
    text = "Russische Truppen rücken auf Pokrowsk und Myrnohrad vor."
    mentions = gaz.find(text)
    assert [m.surface for m in mentions] == ["Pokrowsk", "Myrnohrad"]
    for m in mentions:
        assert text[m.start:m.end] == m.surface


@pytest.mark.parametrize(("text", "surface", "base", "form", "ident"), [
    ("Die Einnahme Pokrowsks wäre ein Erfolg.", "Pokrowsks", "Pokrowsk", "genitive", "pokrovsk"),
    ("Die Einnahme Kupjansks meldete Moskau.", "Kupjansks", "Kupjansk", "genitive", "kupiansk"),
    ("Die Einnahme Awdijiwkas ist der größte Erfolg.", "Awdijiwkas", "Awdijiwka", "genitive", "avdiivka"),
    ("Moskau meldet Einnahme Bachmuts.", "Bachmuts", "Bachmut", "genitive", "bakhmut"),
    ("Kräfte von der Pokrowsker Richtung abziehen", "Pokrowsker", "Pokrowsk", "adjective", "pokrovsk"),
    ("Auch an der Kupjansker Front wächst der Druck.", "Kupjansker", "Kupjansk", "adjective", "kupiansk"),
    ("Kupiansk's defenders held out.", "Kupiansk's", "Kupiansk", "genitive", "kupiansk"),
    ("Pokrovsk’s outskirts", "Pokrovsk’s", "Pokrovsk", "genitive", "pokrovsk"),
    ("in Tschassiw Jar gekämpft", "Tschassiw Jar", "Tschassiw Jar", "base", "chasiv-yar"),
])
def test_inflected_forms(gaz: Gazetteer, text: str, surface: str, base: str, form: str,
                         ident: str) -> None:
    m = _only(gaz, text)
    assert (m.surface, m.base, m.form) == (surface, base, form)
    place = gaz.resolve(m)
    assert place is not None and place.id == ident


@pytest.mark.parametrize(("text", "surface", "ident"), [
    ("Im Gebiet Donezk stehen noch rund 30 Prozent unter ukrainischer Kontrolle.", "Gebiet Donezk",
     "donetsk-oblast"),
    ("im Norden des Gebiets Donezk", "Gebiets Donezk", "donetsk-oblast"),
    ("rund 70 Prozent des Gebiets Cherson", "Gebiets Cherson", "kherson-oblast"),
    ("im Gebiet Saporischschja", "Gebiet Saporischschja", "zaporizhzhia-oblast"),
    ("die Region Luhansk fast vollständig", "Region Luhansk", "luhansk-oblast"),
    ("in der Oblast Charkiw", "Oblast Charkiw", "kharkiv-oblast"),
    ("im Donezker Gebiet", "Donezker Gebiet", "donetsk-oblast"),
    ("a logistics hub in the Donetsk region", "Donetsk region", "donetsk-oblast"),
    ("fighting in Kharkiv Oblast", "Kharkiv Oblast", "kharkiv-oblast"),
    ("the Zaporizhzhia oblast", "Zaporizhzhia oblast", "zaporizhzhia-oblast"),
    ("des russischen Gebiets Kursk", "Gebiets Kursk", "kursk-oblast"),
    ("in der russischen Grenzregion Kursk", "Grenzregion Kursk", "kursk-oblast"),
    ("Russia's Belgorod region", "Belgorod region", "belgorod-oblast"),
    ("die Schwarzmeer-Halbinsel Krim", "Halbinsel Krim", "crimea"),
])
def test_region_phrases(gaz: Gazetteer, text: str, surface: str, ident: str) -> None:
    m = _only(gaz, text)
    assert m.surface == surface
    assert m.region_phrase
    place = gaz.resolve(m)
    assert place is not None and place.id == ident


def test_bare_oblast_name_is_the_city_first_with_the_oblast_as_candidate(gaz: Gazetteer) -> None:
    m = _only(gaz, "südwestlich von Donezk")
    assert not m.region_phrase
    assert [p.id for p in m.candidates][:2] == ["donetsk", "donetsk-oblast"]
    place = gaz.resolve(m)
    assert place is not None and place.id == "donetsk"


def test_a_name_that_is_only_a_region_resolves_to_it(gaz: Gazetteer) -> None:
    m = _only(gaz, "Angriffe auf der Krim")
    place = gaz.resolve(m)
    assert not m.region_phrase and place is not None and place.id == "crimea"


@pytest.mark.parametrize(("text", "expected"), [
    ("aus den Gebieten Luhansk, Donezk, Saporischschja und Cherson zurückziehen",
     ["luhansk-oblast", "donetsk-oblast", "zaporizhzhia-oblast", "kherson-oblast"]),
    ("Teile der Gebiete Sumy, Charkiw, Dnipropetrowsk und Mykolajiw",
     ["sumy-oblast", "kharkiv-oblast", "dnipropetrovsk-oblast", "mykolaiv-oblast"]),
    ("In den annektierten Regionen Saporischschja und Cherson",
     ["zaporizhzhia-oblast", "kherson-oblast"]),
    ("to annex the Donetsk, Luhansk, Zaporizhzhia and Kherson regions",
     ["donetsk-oblast", "luhansk-oblast", "zaporizhzhia-oblast", "kherson-oblast"]),
    ("the Donetsk and Luhansk oblasts", ["donetsk-oblast", "luhansk-oblast"]),
])
def test_lists_headed_by_a_plural_region_phrase_are_regions(gaz: Gazetteer, text: str,
                                                            expected: list[str]) -> None:
    mentions = gaz.find(text)
    assert all(m.region_phrase for m in mentions)
    assert _ids(gaz, text) == expected


def test_a_list_stops_at_a_name_that_is_no_region(gaz: Gazetteer) -> None:
    # "Pokrowsk" cannot be an oblast, and a town after the list stays a town.
    assert _ids(gaz, "die Gebiete Donezk und Luhansk sowie Pokrowsk und Donezk") == [
        "donetsk-oblast", "luhansk-oblast", "pokrovsk", "donetsk"]


@pytest.mark.parametrize("text", [
    "Die Slowjanskstraße ist gesperrt.",      # name inside a longer word
    "ZweiPokrowsk",                           # glued to a preceding word
    "Pokrowskeinheit",                        # glued to a following word
    "Pokrowskin Zentrum",                     # unknown ending
    "in pokrowsk",                            # place names are capitalized
    "the novoselivka road",
])
def test_no_match_inside_words_or_in_lowercase(gaz: Gazetteer, text: str) -> None:
    assert gaz.find(text) == []


@pytest.mark.parametrize("text", [
    "Wolodymyr Selenskyj traf Wladimir Putin nicht.",  # Volodymyr is also a town in Volyn
    "Ein Bar in New York.",                            # New York is also a village in Donetsk oblast
    "Die Nova Music und Mira trafen Trump am Oskil.",
    "Sie fuhren nach Kronau bei Heidelberg.",          # the German colony name of Vysokopillia
])
def test_common_words_people_and_foreign_towns_are_no_places(gaz: Gazetteer, text: str) -> None:
    assert gaz.find(text) == []


@pytest.mark.parametrize(("text", "surfaces"), [
    ("am früheren Kachowka-Stausee", []),
    ("am rechten Dnipro-Ufer", []),
    ("die Krim-Brücke und die Halbinsel Krim", ["Halbinsel Krim"]),
    ("die Schwarzmeer-Halbinsel Krim", ["Halbinsel Krim"]),
    ("in Kupjansk-Wuslowyj und Kupjansk", ["Kupjansk-Wuslowyj", "Kupjansk"]),
    ("im Gebiet Iwano-Frankiwsk", ["Gebiet Iwano-Frankiwsk"]),
])
def test_compounds_name_something_else_but_hyphenated_names_match(gaz: Gazetteer, text: str,
                                                                  surfaces: list[str]) -> None:
    assert [m.surface for m in gaz.find(text)] == surfaces


def test_longest_match_wins(gaz: Gazetteer) -> None:
    m = _only(gaz, "die Stadt Nowa Kachowka am Stausee")
    assert m.surface == "Nowa Kachowka"
    place = gaz.resolve(m)
    assert place is not None and place.id == "nova-kakhovka"


def test_cyrillic_names_match(gaz: Gazetteer) -> None:
    assert _ids(gaz, "Бої за Покровськ і Мирноград") == ["pokrovsk", "myrnohrad"]
    assert _ids(gaz, "Донецька область") == ["donetsk-oblast"]


def test_english_and_variant_spellings(gaz: Gazetteer) -> None:
    assert _ids(gaz, "Izyum, Izium, Kupyansk, Slovyansk, Kiev, Kyiv, Kiew, Odessa, Odesa") == [
        "izium", "izium", "kupiansk", "sloviansk", "kyiv", "kyiv", "kyiv", "odesa", "odesa"]


def test_empty_and_odd_text(gaz: Gazetteer) -> None:
    assert gaz.find("") == []
    assert gaz.find("\x00\ufffd 1.000 2.000 ") == []
    m = _only(gaz, "Kupjansk")  # at both ends of the text
    assert (m.start, m.end) == (0, 8)


def test_a_single_s_where_duden_doubles_it_is_found(gaz: Gazetteer) -> None:
    # Duden writes "Wessele" for Веселе; newsrooms often write "Wesele"
    ids = {p.id for m in gaz.find("In Wesele sollen russische Soldaten sein.") for p in m.candidates}
    assert "vesele-donetsk" in ids
