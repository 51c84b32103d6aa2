"""meeting: participants, venue country, status, location and date."""

from __future__ import annotations

from tests.extract.conftest import Extract


def meet(cs: list) -> set[tuple]:
    return {(c.subject, c.attribute, c.value) for c in cs if c.kind == "meeting"}


def test_venue_country_location_and_date(extract: Extract) -> None:
    cs = extract("Hochrangige Vertreter der USA und Russlands wollen sich am Dienstag in der saudischen "
                 "Hauptstadt Riad treffen.", "2025-02-17")
    assert meet(cs) == {("russia+usa@saudi-arabia", "status", "planned"),
                        ("russia+usa@saudi-arabia", "location", "riyadh"),
                        ("russia+usa@saudi-arabia", "date", "2025-02-18")}


def test_held_meeting_on_a_past_weekday(extract: Extract) -> None:
    cs = extract("Präsident Wolodymyr Selenskyj traf am Sonntag im japanischen Hiroshima US-Präsident Joe Biden.",
                 "2023-05-21")
    assert meet(cs) == {("biden+zelensky@japan", "status", "held"),
                        ("biden+zelensky@japan", "location", "hiroshima"),
                        ("biden+zelensky@japan", "date", "2023-05-21")}


def test_office_titles_name_the_holder_of_the_day(extract: Extract) -> None:
    cs = extract("Der US-Präsident empfing den Kremlchef am Freitag in Anchorage.", "2025-08-16")
    assert ("putin+trump@usa", "status", "held") in meet(cs)
    cs = extract("Der US-Präsident empfing Selenskyj am Freitag in Washington.", "2023-06-10")
    assert ("biden+zelensky@usa", "status", "held") in meet(cs)


def test_the_meeting_refers_to_the_articles_meeting(extract: Extract) -> None:
    text = ("Trump empfängt Putin im Bundesstaat Alaska. Das Treffen soll in der Stadt Anchorage stattfinden - "
            "laut Medien auf einem Militärstützpunkt.")
    got = {(c.subject, c.attribute, c.value, c.modality) for c in extract(text, "2025-08-14") if c.kind == "meeting"}
    assert ("putin+trump@usa", "status", "planned", "asserted") in got
    assert ("putin+trump@usa", "location", "anchorage", "reported") in got


def test_a_phone_call_is_no_meeting(extract: Extract) -> None:
    cs = extract("A preparatory meeting between Marco Rubio and Sergey Lavrov has been put off after the two men "
                 "spoke by phone on Monday.", "2025-10-22")
    assert meet(cs) == {("russia+usa", "status", "postponed")}   # ministers meet for their countries
    cs = extract("Nach dem Telefonat mit Putin sagte Trump, er sei zufrieden.", "2025-08-19")
    assert meet(cs) == set()


def test_cancelled_beats_planned_and_indefinite_meetings_are_no_claims(extract: Extract) -> None:
    cs = extract("Trump said he had canceled a planned summit with Russian President Vladimir Putin in Budapest, "
                 "explaining that he did not want a wasted meeting.", "2025-10-22")
    assert meet(cs) == {("putin+trump@hungary", "status", "cancelled"), ("putin+trump@hungary", "location", "budapest")}


def test_proposals_and_a_three_way_meeting(extract: Extract) -> None:
    cs = extract("Trump said he would like to arrange a three-way meeting with Putin and Zelenskiy.", "2025-08-16")
    assert meet(cs) == {("putin+trump+zelensky", "status", "proposed")}
    cs = extract("Trump will, dass sich Putin und Selenskyj treffen.", "2025-08-14")
    assert meet(cs) == {("putin+zelensky", "status", "proposed")}


def test_negated_meeting_gives_no_location(extract: Extract) -> None:
    cs = extract("Ein Treffen zwischen Putin und Selenskyj wird es damit weder in Istanbul noch an einem anderen "
                 "Ort geben.", "2025-05-15")
    got = {(c.subject, c.attribute, c.value, c.modality) for c in cs if c.kind == "meeting"}
    assert got == {("putin+zelensky@turkey", "status", "planned", "negated")}


def test_delegations_as_participants(extract: Extract) -> None:
    cs = extract("U.S. Army Secretary Dan Driscoll is due to meet a Russian delegation in Abu Dhabi on Tuesday, "
                 "officials said.", "2025-11-24")
    assert meet(cs) == {("russia+usa@united-arab-emirates", "status", "planned"),
                        ("russia+usa@united-arab-emirates", "location", "abu-dhabi"),
                        ("russia+usa@united-arab-emirates", "date", "2025-11-25")}


def test_deadlines_are_no_meeting_dates(extract: Extract) -> None:
    cs = extract("Trump hat Moskau bis zum kommenden Freitag Zeit gegeben, einer Waffenruhe zuzustimmen.", "2025-08-01")
    assert meet(cs) == set()
