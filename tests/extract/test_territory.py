"""territory: shares, areas and gains of a region, with side, period and qualifier."""

from __future__ import annotations

from tests.extract.conftest import Extract


def terr(cs: list) -> set[tuple]:
    return {(c.subject, c.attribute, c.value, c.qualifier, c.period, c.modality) for c in cs if c.kind == "territory"}


def test_gain_with_year_and_rate(extract: Extract) -> None:
    cs = extract("Im Jahr 2024 soll Putins Armee etwa 4.000 Quadratkilometer erobert haben – das sind ungefähr "
                 "0,66 Prozent des Staatsgebietes. In diesem Jahr sollen monatlich etwa 50 Quadratkilometer "
                 "hinzukommen.", "2025-08-11")
    assert terr(cs) == {("ukraine", "gain_russia", 4000, "about", "2024", "reported"),
                        ("ukraine", "gain_russia", 50, "about", "per-month", "reported")}


def test_year_and_monthly_rate_in_one_sentence(extract: Extract) -> None:
    cs = extract("Seit Jahresbeginn hat Russland rund 3.000 Quadratkilometer erobert, im Schnitt gut 400 "
                 "Quadratkilometer im Monat.", "2025-08-01")
    assert terr(cs) == {("ukraine", "gain_russia", 3000, "about", "2025", "asserted"),
                        ("ukraine", "gain_russia", 400, "over", "per-month", "asserted")}


def test_shares_of_regions_with_the_holder(extract: Extract) -> None:
    cs = extract("Russland kontrolliert noch rund 70 Prozent des Gebiets Cherson. In den Regionen Saporischschja "
                 "und Cherson sind jeweils mehr als 50 Prozent unter russischer Kontrolle.")
    got = terr(cs)
    assert ("kherson-oblast", "share_russia", 70, "about", None, "asserted") in got
    assert ("zaporizhzhia-oblast", "share_russia", 50, "over", None, "asserted") in got
    assert ("kherson-oblast", "share_russia", 50, "over", None, "asserted") in got


def test_english_area_there_and_share(extract: Extract) -> None:
    cs = extract("Russian forces now control more than 75 percent of the Donetsk region. Ukraine still holds "
                 "roughly 6,000 square kilometres there. Russia now controls about 19% of Ukraine.")
    got = terr(cs)
    assert ("donetsk-oblast", "share_russia", 75, "over", None, "asserted") in got
    assert ("donetsk-oblast", "area_ukraine", 6000, "about", None, "asserted") in got
    assert ("ukraine", "share_russia", 19, "about", None, "asserted") in got


def test_regained_area_is_ukraines_gain(extract: Extract) -> None:
    cs = extract("Ukrainian officials say their forces have retaken more than 8,000 square kilometers.")
    assert {a for _, a, *_ in terr(cs)} == {"gain_ukraine"}
    cs = extract("This autumn they have advanced by about 15 square kilometers a day, according to analysts.")
    assert terr(cs) == {("ukraine", "gain_russia", 15, "about", "per-day", "reported")}


def test_numbers_without_a_holding_or_taking_word_are_no_claims(extract: Extract) -> None:
    cs = extract("Allerdings sind das zusammengerechnet unter 2.000 Quadratkilometer. 40 Prozent der Stadt "
                 "wurden zerstört. Die Front ist knapp 40 Kilometer entfernt.")
    assert terr(cs) == set()


def test_a_gains_period_is_the_time_named_nearest_its_number(extract: Extract) -> None:
    cs = extract("Since January 1 Russia has captured more than 2,660 square kilometres, against just 584 "
                 "square kilometres in the whole of 2023.", "2024-10-30")
    got = {(c.value, c.period, c.as_of) for c in cs if c.attribute == "gain_russia"}
    assert got == {(2660, "2024", None), (584, "2023", "2023")}
    cs = extract("Russia took 477 square kilometres in August, its largest monthly gain since October 2022, "
                 "bringing its total for the year to about 1,730 square kilometres, AFP said.", "2024-09-14")
    assert {(c.value, c.period) for c in cs if c.attribute == "gain_russia"} == {(477, "per-month"), (1730, "2024")}
    cs = extract("Allein im März 2022 eroberten russische Truppen mehr als 45.000 Quadratkilometer.", "2025-01-07")
    assert {(c.value, c.period, c.as_of) for c in cs if c.attribute == "gain_russia"} == {(45000, "per-month", "2022")}


def test_an_area_held_at_a_past_peak_is_history(extract: Extract) -> None:
    cs = extract("At the height of the incursion last summer, Kyiv said it held around 1,300 square kilometres of "
                 "the Kursk region.", "2025-03-14")
    assert {(c.subject, c.attribute, c.value, c.as_of) for c in cs if c.kind == "territory"} == {
        ("kursk-oblast", "area_ukraine", 1300, "2024")}
    cs = extract("At its peak, Ukraine said it controlled about 1,300 square kilometres of the Kursk region.",
                 "2025-03-14")
    assert [c for c in cs if c.kind == "territory" and c.as_of is None] == []


def test_a_share_held_now_is_not_dated_by_a_relative_clause(extract: Extract) -> None:
    cs = extract("Moscow now controls about 19 percent of Ukraine, including Crimea which it annexed in 2014.",
                 "2025-10-30")
    assert {(c.attribute, c.value, c.as_of) for c in cs if c.kind == "territory"} == {("share_russia", 19, None)}


def test_a_share_held_before_the_invasion_is_dated(extract: Extract) -> None:
    cs = extract("Vor der Invasion hatten die prorussischen Separatisten seit 2014 etwa ein Drittel des Gebiets Luhansk "
                 "kontrolliert.", "2022-07-03", lang="de")
    assert [(c.value, c.as_of) for c in cs if c.kind == "territory"] == [(33, "2022")]


def test_fronted_regions_areas_regained_and_shares_of_the_area(extract: Extract) -> None:
    cs = extract("Im Gebiet Cherson seien seit Beginn der Offensive rund 500 Quadratkilometer zurückgewonnen worden, "
                 "teilte das Kommando mit.", "2022-09-14", lang="de")
    assert [(c.subject, c.attribute, c.value) for c in cs if c.kind == "territory"] == [
        ("kherson-oblast", "gain_ukraine", 500)]
    cs = extract("Allein im Gebiet Charkiw holte sich die Armee mehr als 8.000 Quadratkilometer zurück.", "2022-09-14",
                 lang="de")
    assert [(c.subject, c.attribute) for c in cs if c.kind == "territory"] == [("kharkiv-oblast", "gain_ukraine")]
    cs = extract("Since the start of October, Ukrainian forces had recovered about 1,381 square kilometres, he said.",
                 "2022-11-10", lang="en")
    assert [(c.attribute, c.value, c.period) for c in cs if c.kind == "territory"] == [("gain_ukraine", 1381, None)]
    cs = extract("Im Nachbargebiet Donezk steht etwa die Hälfte der Fläche unter russischer Kontrolle.", "2022-07-03",
                 lang="de")
    assert [(c.subject, c.attribute, c.value) for c in cs if c.kind == "territory"] == [
        ("donetsk-oblast", "share_russia", 50)]


def test_a_share_of_the_area_taken_is_no_share_of_the_region(extract: Extract) -> None:
    cs = extract("Gerassimow meldete, 86 Prozent des zuvor von der Ukraine besetzten Gebiets Kursk seien wieder unter "
                 "russischer Kontrolle.", "2025-03-14", lang="de")
    assert not [c for c in cs if c.kind == "territory"]


def test_an_area_held_at_their_peak_is_dated(extract: Extract) -> None:
    cs = extract("Ukrainian forces crossed the border on Aug. 6 last year and at their peak claimed control of about "
                 "1,300 square kilometres of the Kursk region.", "2025-03-12", lang="en")
    assert all(c.as_of for c in cs if c.kind == "territory")
