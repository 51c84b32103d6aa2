"""control: who holds a place, from the doer and the cue."""

from __future__ import annotations

from tests.extract.conftest import Extract, find, keys


def test_capture_by_the_russian_side(extract: Extract) -> None:
    cs = extract("Im südukrainischen Gebiet Saporischschja konnte die russische Seite Kamjanske erobern.")
    assert ("control", "kamianske-zaporizhzhia", "status", "russia", "asserted") in keys(cs)
    assert not find(cs, "control", "zaporizhzhia-oblast"), "a region named to place a town is no claim"


def test_passive_recapture_by_ukraine_is_history_with_a_year(extract: Extract) -> None:
    cs = extract("Im Gebiet Charkiw sind russische Soldaten wieder in der Stadt Kupjansk, die 2022 erst von "
                 "den Ukrainern zurückerobert wurde.", "2025-08-14")
    kup = {(c.value, c.as_of) for c in find(cs, "control", "kupiansk")}
    assert ("ukraine", "2022") in kup
    assert ("ukraine", None) not in kup
    assert ("contested", None) in kup


def test_english_capture_and_liberation(extract: Extract) -> None:
    cs = extract("Russia's General Staff said its troops had captured Kupiansk, a city Ukraine liberated in "
                 "September 2022.", "2025-11-24")
    got = {(c.value, c.as_of, c.changes_state) for c in find(cs, "control", "kupiansk")}
    assert ("russia", None, True) in got
    assert ("ukraine", "2022-09", True) in got
    assert ("ukraine", None, True) not in got


def test_moscow_controls_and_under_ukrainian_control(extract: Extract) -> None:
    cs = extract("Bisher kontrolliert Moskau die Halbinsel Krim komplett. Im Gebiet Donezk stehen noch rund "
                 "30 Prozent, darunter große Städte wie Slowjansk und Kramatorsk, unter ukrainischer Kontrolle.")
    k = keys(cs)
    assert ("control", "crimea", "status", "russia", "asserted") in k
    assert ("control", "sloviansk", "status", "ukraine", "asserted") in k
    assert ("control", "kramatorsk", "status", "ukraine", "asserted") in k
    assert not find(cs, "control", "donetsk-oblast"), "30 % of a region is no control of it"


def test_holding_a_part_of_a_town_is_fighting_over_it(extract: Extract) -> None:
    cs = extract("Den Teil von Kupjansk östlich des Flusses halten russische Einheiten weiterhin.")
    assert {c.value for c in find(cs, "control", "kupiansk")} == {"contested"}


def test_withdrawal_gives_the_town_to_the_other_side(extract: Extract) -> None:
    cs = extract("Nach monatelangen Kämpfen hat die ukrainische Armee die Stadt Awdijiwka aufgegeben.")
    assert {c.value for c in find(cs, "control", "avdiivka")} == {"russia"}
    cs = extract("Russia said it had withdrawn its troops from the town of Lyman.")
    assert {c.value for c in find(cs, "control", "lyman")} == {"ukraine"}


def test_encircled_threatened_and_contested(extract: Extract) -> None:
    cs = extract("Pokrowsk und dem benachbarten Myrnohrad droht die Einkesselung. In Bachmut wird gekämpft.")
    cs += extract("Thousands of soldiers were encircled in and around Lyman.")
    k = keys(cs)
    assert ("control", "pokrovsk", "status", "threatened", "asserted") in k
    assert ("control", "myrnohrad", "status", "threatened", "asserted") in k
    assert ("control", "bakhmut", "status", "contested", "asserted") in k
    assert ("control", "lyman", "status", "encircled", "asserted") in k
    assert not any(c.value == "encircled" for c in find(cs, "control", "pokrovsk"))


def test_avoiding_encirclement_and_cut_roads_are_threats(extract: Extract) -> None:
    cs = extract("Ukraine's army withdrew from Vuhledar to avoid being encircled. Russian troops are advancing "
                 "on Pokrovsk and have cut off one of the main roads to the city.")
    assert not any(c.value == "encircled" for c in cs)
    assert ("control", "pokrovsk", "status", "threatened", "asserted") in keys(cs)


def test_the_city_refers_back(extract: Extract) -> None:
    cs = extract("Russische Truppen sind in den Norden von Kupjansk eingesickert. Die Stadt war im September "
                 "2022 von der ukrainischen Armee befreit worden.", "2025-08-01")
    assert ("ukraine", "2022-09") in {(c.value, c.as_of) for c in find(cs, "control", "kupiansk")}


def test_a_locator_is_not_a_target(extract: Extract) -> None:
    cs = extract("Nordwestlich von Awdijiwka ist das Dorf Stepowe im Gebiet Donezk umkämpft.")
    assert ("control", "stepove-donetsk", "status", "contested", "asserted") in keys(cs)
    assert not find(cs, "control", "avdiivka")
    assert not find(cs, "control", "stepove-zaporizhzhia")


def test_oblast_only_with_the_whole_of_it(extract: Extract) -> None:
    cs = extract("Das Gebiet Luhansk halten die russischen Truppen fast vollständig. Russische Truppen halten "
                 "Teile des Gebiets Sumy.")
    assert ("control", "luhansk-oblast", "status", "russia", "asserted") in keys(cs)
    assert not find(cs, "control", "sumy-oblast")
    cs = extract("Putin annexed the Donetsk, Luhansk, Zaporizhzhia and Kherson regions, none of which "
                 "Russian forces fully control.")
    assert {c.modality for c in cs if c.kind == "control"} == {"negated"}
    assert {c.subject for c in cs if c.kind == "control"} == {"donetsk-oblast", "luhansk-oblast",
                                                               "zaporizhzhia-oblast", "kherson-oblast"}


def test_genitive_and_noun_captures_need_a_report(extract: Extract) -> None:
    cs = extract("Moskau meldet die Einnahme Bachmuts.")
    assert ("control", "bakhmut", "status", "russia", "reported") in keys(cs)
    cs = extract("Die Einnahme Kupjansks ist für Moskau ein schwerer Schlag.")
    assert not find(cs, "control", "kupiansk"), "a bare noun is no claim of who took the town"
    cs = extract("Die Einnahme Awdijiwkas ist der größte Erfolg seit dem Fall von Bachmut im Mai 2023.", "2024-02-18")
    assert {(c.subject, c.as_of) for c in cs if c.kind == "control"} == {("bakhmut", "2023-05")}


def test_occupied_means_russia_and_annexation_is_no_control(extract: Extract) -> None:
    cs = extract("Die Ukraine meldet einen Angriff auf ein Depot auf der besetzten Krim.")
    assert {c.value for c in find(cs, "control", "crimea")} == {"russia"}
    cs = extract("Kremlsprecher Peskow betonte, das Gebiet Cherson bleibe ein Teil Russlands.")
    assert not [c for c in cs if c.kind == "control"]


def test_cue_words_and_rule_travel_with_the_claim(extract: Extract) -> None:
    c = find(extract("Die russische Armee hat Torezk erobert."), "control", "toretsk")[0]
    assert c.rule == "control.capture.de"
    assert "erobert" in c.cues and "russische Armee" in c.cues
    assert c.sentence == "Die russische Armee hat Torezk erobert." and c.span == (0, len(c.sentence))
