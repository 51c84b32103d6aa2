"""Modality, attribution and as_of (spec: Modality)."""

from __future__ import annotations

from tests.extract.conftest import Extract, find


def mods(cs: list, subject: str) -> set[tuple[str, str]]:
    return {(c.value, c.modality) for c in find(cs, "control", subject)}


def test_reported_by_attribution_and_reported_speech(extract: Extract) -> None:
    cs = extract("Die ukrainische Armee hat nach eigenen Angaben die Stadt Kupjansk zurückerobert.")
    c = find(cs, "control", "kupiansk")[0]
    assert (c.value, c.modality, c.attribution) == ("ukraine", "reported", "ukraine")
    cs = extract("In Bachmut werde weiter gekämpft, sagte die Vize-Ministerin.")
    assert mods(cs, "bakhmut") == {("contested", "reported")}
    cs = extract("Nach Kremlangaben hat die Armee Torezk eingenommen.")
    assert find(cs, "control", "toretsk")[0].attribution == "russia"


def test_hedges_conditions_questions_and_hopes(extract: Extract) -> None:
    assert mods(extract("Sollte Pokrowsk fallen, wäre die Versorgung unterbrochen."), "pokrovsk") == {("russia", "hedged")}
    assert mods(extract("Beobachter halten es für möglich, dass die Ukraine Lyman zurückerobert."), "lyman") == {
        ("ukraine", "hedged")}
    assert mods(extract("Ob die Armee auch Nowa Kachowka zurückerobern kann, gilt als offen."), "nova-kakhovka") == {
        ("ukraine", "hedged")}
    cs = extract("Viele Kriegsbefürworter hoffen auf Eroberungen der Großstädte Charkiw und Odessa.")
    assert mods(cs, "kharkiv") == {("russia", "hedged")} and mods(cs, "odesa") == {("russia", "hedged")}
    assert mods(extract("Zelenskyy has vowed to liberate all occupied territory, including Crimea."), "crimea") >= {
        ("ukraine", "hedged")}


def test_negations_and_their_exceptions(extract: Extract) -> None:
    cs = extract("Die Verteidiger von Bachmut seien weder eingekesselt noch abgeschnitten, hieß es.")
    assert mods(cs, "bakhmut") == {("encircled", "negated")}
    cs = extract("Die Einnahme Pokrowsks ist Moskau bisher nicht gelungen.")
    assert mods(cs, "pokrovsk") == {("russia", "negated")}
    cs = extract("Ukrainian officials deny that Pokrovsk has fallen.")
    assert mods(cs, "pokrovsk") == {("russia", "negated")}
    cs = extract("Inzwischen kontrollieren die ukrainischen Truppen nicht nur Balaklija, sondern auch die Stadt Isjum.")
    assert mods(cs, "balakliia") == {("ukraine", "asserted")} and mods(cs, "izium") == {("ukraine", "asserted")}
    cs = extract("Kyiv supports not only an unconditional ceasefire but also talks.")
    assert {(c.value, c.modality) for c in cs if c.kind == "agreement"} == {("proposed", "asserted")}


def test_history_gets_as_of(extract: Extract) -> None:
    cs = extract("Cherson war Anfang März 2022 in die Hände der russischen Armee gefallen.", "2022-11-11")
    assert {(c.value, c.as_of) for c in find(cs, "control", "kherson")} == {("russia", "2022-03")}
    cs = extract("Lyman had been seized by Russian forces in late May.", "2022-10-01")
    assert {(c.value, c.as_of) for c in find(cs, "control", "lyman")} == {("russia", "2022-05")}
    cs = extract("Russian forces captured the city of Avdiivka in February 2024 and Vuhledar in October 2024.",
                 "2025-10-22")
    assert {(c.subject, c.as_of) for c in cs if c.kind == "control"} == {("avdiivka", "2024-02"), ("vuhledar", "2024-10")}


def test_attribution_names_the_source_nearest_the_report(extract: Extract) -> None:
    cs = extract("Seit Jahresbeginn hat Russland nach Berechnungen unabhängiger Analysten rund 1.400 "
                 "Quadratkilometer erobert.", "2024-08-17")
    assert {c.attribution for c in cs} == {"analysts"}
    cs = extract("Vorstoß nach Russland: Ukraine meldet Kontrolle über Sudscha")
    assert {(c.subject, c.value, c.attribution) for c in cs} == {("sudzha", "ukraine", "ukraine")}
    cs = extract("Im Jahr 2024 soll Putins Armee etwa 4.000 Quadratkilometer erobert haben.", "2025-08-11")
    assert {(c.modality, c.attribution) for c in cs} == {("reported", None)}
    cs = extract("In den Regionen Saporischschja und Cherson sind mehr als 50 Prozent unter russischer Kontrolle, "
                 "jedoch hat Kiew weiter in den Gebietshauptstädten das Sagen.")
    assert {c.modality for c in cs} == {"asserted"}, "'das Sagen' is no reporting verb"


def test_plans_in_german_future_and_necessity_are_hedged_but_the_passive_is_fact(extract: Extract) -> None:
    assert mods(extract("Die ukrainische Armee wird Pokrowsk befreien, sagte der Kommandeur."), "pokrovsk") == {
        ("ukraine", "hedged")}
    assert mods(extract("Die Stadt Kupjansk wird von ukrainischen Truppen gehalten."), "kupiansk") == {
        ("ukraine", "asserted")}
    assert mods(extract("In Bachmut wird weiter gekämpft."), "bakhmut") == {("contested", "asserted")}
    assert mods(extract("Die Ukraine muss Pokrowsk möglicherweise aufgeben."), "pokrovsk") == {("russia", "hedged")}
    assert mods(extract("Ukraine must hold Pokrovsk at all costs, the commander said."), "pokrovsk") == {
        ("ukraine", "hedged")}


def test_a_relative_clause_keeps_its_own_modality(extract: Extract) -> None:
    cs = extract("Zelenskyy has vowed to liberate all occupied territory, including Crimea, which Russia seized "
                 "in 2014.")
    got = {(c.value, c.modality, c.as_of) for c in find(cs, "control", "crimea")}
    assert ("russia", "asserted", "2014") in got and ("ukraine", "hedged", None) in got


def test_a_fact_and_its_denial_in_one_sentence_keep_the_fact(extract: Extract) -> None:
    cs = extract("Eine Waffenruhe fordert Trump nicht mehr; Merz und Macron sprachen sich dagegen für eine "
                 "Feuerpause in der Ukraine aus.")
    assert {(c.subject, c.value, c.modality) for c in cs if c.kind == "agreement"} == {
        ("ceasefire", "proposed", "asserted")}


def test_a_headline_source_before_a_colon_makes_it_reported(extract: Extract) -> None:
    cs = extract("++ Russland: Dorf Andrijiwka im Gebiet Donezk eingenommen ++", lang="de")
    assert {(c.subject, c.value, c.modality, c.attribution) for c in cs} == {
        ("andriivka-donetsk", "russia", "reported", "russia")}
    cs = extract("Kiew: Kämpfe in Pokrowsk dauern an", lang="de")
    assert {(c.subject, c.value, c.modality) for c in cs} == {("pokrovsk", "contested", "reported")}
    cs = extract("Ukraine-Krieg: Kämpfe in Pokrowsk dauern an", lang="de")
    assert {(c.subject, c.value, c.modality) for c in cs} == {("pokrovsk", "contested", "asserted")}


def test_apparently_and_reports_that(extract: Extract) -> None:
    cs = extract("Russische Truppen haben offenbar das Dorf Stepnohirsk im Gebiet Saporischschja erobert.")
    assert {(c.value, c.modality) for c in cs} == {("russia", "hedged")}
    cs = extract("Russian forces appear to have captured the village of Stepnohirsk in the Zaporizhzhia region.")
    assert {(c.value, c.modality) for c in cs} == {("russia", "hedged")}
    cs = extract("Es gibt Berichte, wonach russische Truppen in Kupjansk eingedrungen sind.")
    assert {(c.value, c.modality) for c in cs} == {("contested", "reported")}


def test_history_inside_a_hedged_sentence_stays_a_fact(extract: Extract) -> None:
    cs = extract("Sollte sich der Verlust bestätigen, wäre es nach Awdijiwka und Wuhledar, die Russland im Februar "
                 "beziehungsweise Oktober 2024 eingenommen hatte, die nächste Stadt.", "2025-01-07")
    assert all(c.changes_state for c in cs if c.subject == "avdiivka")
    cs = extract("If confirmed, Selydove would be the largest town to fall since Russian troops took Vuhledar at the "
                 "start of October.", "2024-10-30")
    assert {(c.value, c.changes_state) for c in cs if c.subject == "vuhledar"} == {("russia", True)}


def test_a_demand_keeps_its_must_and_not_even_an_hour_is_no_negation(extract: Extract) -> None:
    cs = extract("Am Anfang müsse eine Waffenruhe stehen, forderte Bundeskanzler Merz nach dem Treffen mit Selenskyj.",
                 "2025-08-13")
    assert {(c.subject, c.value, c.changes_state) for c in cs if c.kind == "agreement"} == {
        ("ceasefire", "proposed", True)}
    cs = extract("Nach nicht einmal einer Stunde ist die dritte Runde direkter Verhandlungen zwischen Russland und der "
                 "Ukraine in Istanbul zu Ende gegangen.", "2025-07-24")
    assert {c.modality for c in cs if c.attribute == "status"} == {"asserted"}
