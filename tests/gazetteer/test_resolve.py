"""Disambiguation: the region named nearby picks among namesakes; ids of namesakes carry the oblast."""

from __future__ import annotations

import pytest

from monitor.gazetteer import Gazetteer


def _resolved(gaz: Gazetteer, text: str) -> dict[str, str | None]:
    mentions = gaz.find(text)
    return {m.surface: (p.id if p else None) for m, p in zip(mentions, gaz.resolve_all(mentions),
                                                              strict=True)}


@pytest.mark.parametrize(("text", "surface", "ident"), [
    ("Im Gebiet Saporischschja konnte die russische Seite Kamjanske erobern.", "Kamjanske",
     "kamianske-zaporizhzhia"),
    ("Die gleichnamige Großstadt Kamjanske im Gebiet Dnipropetrowsk wurde von Drohnen getroffen.",
     "Kamjanske", "kamianske-dnipropetrovsk"),
    ("Nordwestlich von Awdijiwka ist das Dorf Stepowe im Gebiet Donezk umkämpft.", "Stepowe",
     "stepove-donetsk"),
    ("Russia said its forces had captured the village of Novoselivka in the Kharkiv region.",
     "Novoselivka", "novoselivka-kharkiv"),
    ("In the Dnipropetrovsk region, Russian forces are advancing on the town of Pokrovske.",
     "Pokrovske", "pokrovske-dnipropetrovsk"),
])
def test_region_named_nearby_picks_the_namesake(gaz: Gazetteer, text: str, surface: str,
                                                ident: str) -> None:
    assert _resolved(gaz, text)[surface] == ident


def test_a_nearby_unambiguous_town_gives_the_region_too(gaz: Gazetteer) -> None:
    # No region named: Avdiivka (Donetsk oblast) nearby says which Stepowe.
    assert _resolved(gaz, "Stepowe, nordwestlich von Awdijiwka, ist umkämpft.")["Stepowe"] == "stepove-donetsk"


def test_resolve_prefers_the_context_oblasts_in_order(gaz: Gazetteer) -> None:
    m = gaz.find("Kamjanske")[0]
    first = gaz.resolve(m, ["zaporizhzhia-oblast", "dnipropetrovsk-oblast"])
    second = gaz.resolve(m, ["dnipropetrovsk-oblast", "zaporizhzhia-oblast"])
    assert first is not None and first.id == "kamianske-zaporizhzhia"
    assert second is not None and second.id == "kamianske-dnipropetrovsk"


def test_without_context_the_most_populous_namesake_wins(gaz: Gazetteer) -> None:
    m = gaz.find("Kamjanske")[0]
    populations = [p.population for p in m.candidates if p.kind == "settlement"]
    assert populations == sorted(populations, reverse=True)
    place = gaz.resolve(m)
    assert place is not None and place.id == "kamianske-dnipropetrovsk"
    assert place.population == populations[0]


def test_a_region_phrase_never_resolves_to_a_settlement(gaz: Gazetteer) -> None:
    m = gaz.find("im Gebiet Donezk")[0]
    place = gaz.resolve(m, ["donetsk-oblast"])
    assert place is not None and place.kind == "oblast"


@pytest.mark.parametrize(("ident", "oblast"), [
    ("kamianske-zaporizhzhia", "zaporizhzhia-oblast"),
    ("kamianske-dnipropetrovsk", "dnipropetrovsk-oblast"),
    ("stepove-donetsk", "donetsk-oblast"),
    ("stepove-zaporizhzhia", "zaporizhzhia-oblast"),
    ("novoselivka-kharkiv", "kharkiv-oblast"),
    ("pokrovske-dnipropetrovsk", "dnipropetrovsk-oblast"),
    # a town that dominates its namesakes keeps the bare id
    ("lyman", "donetsk-oblast"),
    ("kostiantynivka", "donetsk-oblast"),
    ("avdiivka", "donetsk-oblast"),
    ("balakliia", "kharkiv-oblast"),
    ("mykolaiv", "mykolaiv-oblast"),
    ("huliaipole", "zaporizhzhia-oblast"),
    ("sudzha", "kursk-oblast"),
    ("kyiv", "kyiv-oblast"),
    ("sevastopol", "crimea"),
])
def test_ids_of_namesakes(gaz: Gazetteer, ident: str, oblast: str) -> None:
    place = gaz.get(ident)
    assert place is not None and place.oblast == oblast


def test_no_bare_id_left_for_names_shared_without_a_dominant_town(gaz: Gazetteer) -> None:
    assert gaz.get("kamianske") is None
    assert gaz.get("stepove") is None
    assert gaz.get("novoselivka") is None


@pytest.mark.parametrize(("name", "ident"), [
    ("Donezk", "donetsk-oblast"), ("Donetsk", "donetsk-oblast"), ("Donezks", "donetsk-oblast"),
    ("Saporischschja", "zaporizhzhia-oblast"), ("Zaporizhzhia", "zaporizhzhia-oblast"),
    ("Cherson", "kherson-oblast"), ("Luhansk", "luhansk-oblast"), ("Dnipropetrowsk", "dnipropetrovsk-oblast"),
    ("Kursk", "kursk-oblast"), ("Brjansk", "bryansk-oblast"), ("Krim", "crimea"), ("Crimea", "crimea"),
])
def test_oblast_of_name(gaz: Gazetteer, name: str, ident: str) -> None:
    place = gaz.oblast_of_name(name)
    assert place is not None and place.id == ident


def test_oblast_of_name_knows_no_towns(gaz: Gazetteer) -> None:
    assert gaz.oblast_of_name("Pokrowsk") is None


@pytest.mark.parametrize(("region", "capital"), [
    ("zaporizhzhia-oblast", "zaporizhzhia"), ("kherson-oblast", "kherson"), ("donetsk-oblast", "donetsk"),
    ("dnipropetrovsk-oblast", "dnipro"), ("kirovohrad-oblast", "kropyvnytskyi"), ("crimea", "simferopol"),
    ("kursk-oblast", "kursk"),
])
def test_capital_of(gaz: Gazetteer, region: str, capital: str) -> None:
    place = gaz.capital_of(region)
    assert place is not None and place.id == capital


def test_a_region_in_the_same_sentence_beats_a_nearer_one_across_a_sentence_end(gaz: Gazetteer) -> None:
    text = ("Russland meldet die Einnahme von Stepowe. Im Gebiet Saporischschja blieb es ruhig, "
            "während die Kämpfe um das Dorf im Gebiet Donezk weitergingen und Stepowe fiel.")
    mentions = gaz.find(text)
    stepowe = [p.id for m, p in zip(mentions, gaz.resolve_all(mentions, text=text), strict=True)
               if p and m.base == "Stepowe"]
    # The first sentence names no region; the nearest is in the next sentence. The second Stepowe
    # shares its sentence with both regions, and Donezk is nearer.
    assert stepowe == ["stepove-zaporizhzhia", "stepove-donetsk"]


def test_adding_a_namesake_in_another_oblast_suffixes_the_bare_village(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from monitor.gazetteer.data import DEFAULT_PLACES_FILE

    bundled_only = tmp_path / "empty.yaml"
    bundled_only.write_text("entities: []\n", encoding="utf-8")
    assert Gazetteer.load(places_path=bundled_only).get("bilohorivka") is not None
    # The shipped file adds Bilohorivka in Donetsk oblast: GeoNames' Luhansk one gets its suffix.
    gaz = Gazetteer.load(places_path=DEFAULT_PLACES_FILE)
    assert gaz.get("bilohorivka") is None
    luhansk = gaz.get("bilohorivka-luhansk")
    assert luhansk is not None and luhansk.oblast == "luhansk-oblast"
    text = "Bei Bilohoriwka im Gebiet Luhansk wird gekämpft. Bilohoriwka nahe Siwersk ist umkämpft."
    mentions = gaz.find(text)
    assert [p.id for p in gaz.resolve_all(mentions, text=text) if p and p.id.startswith("bilo")] == [
        "bilohorivka-luhansk", "bilohorivka-donetsk"]


def test_a_dominant_town_keeps_its_bare_id_when_a_namesake_is_added(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "places.yaml"
    path.write_text("entities:\n  - id: lyman-kherson\n    type: place\n    region: kherson-oblast\n"
                    "    names: {de: [Lyman]}\n", encoding="utf-8")
    gaz = Gazetteer.load(places_path=path)
    lyman = gaz.get("lyman")
    assert lyman is not None and lyman.oblast == "donetsk-oblast"
    assert gaz.get("lyman-kherson") is not None
