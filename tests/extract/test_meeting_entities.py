"""Meetings: the people and venues the topic files know (our own sentences). Leaders keep their
names, officials meet for their countries, titles name whoever held the office on the day, and a
city is a venue only where the text puts the meeting there."""

from __future__ import annotations

from tests.extract.conftest import Extract


def meet(cs: list) -> set[tuple]:
    return {(c.subject, c.attribute, c.value) for c in cs if c.kind == "meeting"}


def subjects(cs: list) -> set[str]:
    return {c.subject for c in cs if c.kind == "meeting"}


def test_leaders_of_many_countries_keep_their_names(extract: Extract) -> None:
    cs = extract("Narendra Modi traf Wladimir Putin am Dienstag in Moskau.", "2024-07-10", lang="de")
    assert ("modi+putin@russia", "status", "held") in meet(cs)
    cs = extract("Xi Jinping and Vladimir Putin met in Beijing on Thursday to discuss the war in Ukraine.",
                 "2024-05-17", lang="en")
    assert ("putin+xi@china", "location", "beijing") in meet(cs)
    cs = extract("Ramaphosa und Lula wollen am Freitag in Brasília über den Krieg in der Ukraine beraten und "
                 "sich dort treffen.", "2025-05-05", lang="de")
    assert {"lula+ramaphosa@brazil"} <= subjects(cs)


def test_a_leader_with_an_official_keeps_both_names(extract: Extract) -> None:
    cs = extract("Kamala Harris met Zelensky in Munich on Saturday on the sidelines of the security conference.",
                 "2024-02-18", lang="en")
    assert {("harris+zelensky@germany", "status", "held"), ("harris+zelensky@germany", "location", "munich")} \
        <= meet(cs)
    cs = extract("Blinken traf Selenskyj am Mittwoch überraschend in Kiew.", "2024-05-16", lang="de")
    assert ("blinken+zelensky@ukraine", "location", "kyiv") in meet(cs)


def test_ministers_and_envoys_meet_for_their_countries(extract: Extract) -> None:
    cs = extract("Umerov and Witkoff held talks in Miami on Saturday.", "2025-12-01", lang="en")
    assert {("ukraine+usa@usa", "status", "held"), ("ukraine+usa@usa", "location", "miami")} <= meet(cs)
    cs = extract("Außenminister Sybiha traf seinen Amtskollegen Wadephul am Montag in Berlin.", "2025-06-03",
                 lang="de")
    assert ("germany+ukraine@germany", "status", "held") in meet(cs)
    cs = extract("Lavrov and Fidan met in Antalya on Friday.", "2025-04-12", lang="en")
    assert ("russia+turkey@turkey", "location", "antalya") in meet(cs)


def test_a_title_names_the_holder_on_the_day(extract: Extract) -> None:
    cs = extract("Der Bundeskanzler empfing Selenskyj am Montag im Kanzleramt.", "2024-06-10", lang="de")
    assert {("scholz+zelensky@germany", "status", "held"),
            ("scholz+zelensky@germany", "location", "german-chancellery")} <= meet(cs)
    cs = extract("Der Bundeskanzler empfing Selenskyj am Montag im Kanzleramt.", "2025-06-10", lang="de")
    assert ("merz+zelensky@germany", "status", "held") in meet(cs)
    text = "The NATO Secretary General met Zelensky in Kyiv on Tuesday."
    assert ("stoltenberg+zelensky@ukraine", "status", "held") in meet(extract(text, "2024-04-30", lang="en"))
    assert ("rutte+zelensky@ukraine", "status", "held") in meet(extract(text, "2024-11-05", lang="en"))


def test_german_and_english_city_names(extract: Extract) -> None:
    for text, venue, country in [
        ("Putin und Trump trafen sich am Freitag in Peking.", "beijing", "china"),
        ("Putin und Trump trafen sich am Freitag in Sotschi.", "sochi", "russia"),
        ("Putin und Trump trafen sich am Freitag in Sankt Petersburg.", "saint-petersburg", "russia"),
        ("Putin und Trump trafen sich am Freitag in Wien.", "vienna", "austria"),
        ("Putin und Trump trafen sich am Freitag in Kasan.", "kazan", "russia"),
        ("Putin und Trump trafen sich am Freitag auf dem Bürgenstock.", "burgenstock", "switzerland"),
    ]:
        cs = extract(text, "2025-08-20", lang="de")
        assert (f"putin+trump@{country}", "location", venue) in meet(cs), text
    cs = extract("Zelensky met Trump at Mar-a-Lago in Florida on Sunday.", "2025-12-29", lang="en")
    assert ("trump+zelensky@usa", "location", "mar-a-lago") in meet(cs)


def test_a_city_before_an_adjective_or_city_noun_is_a_venue(extract: Extract) -> None:
    cs = extract("Die Delegationen Russlands und der USA trafen sich am Dienstag in der saudischen Hauptstadt Riad.",
                 "2025-02-19", lang="de")
    assert ("russia+usa@saudi-arabia", "location", "riyadh") in meet(cs)
    cs = extract("Russian and Ukrainian negotiators met on Monday in the Turkish city of Istanbul.", "2025-06-03",
                 lang="en")
    assert ("russia+ukraine@turkey", "location", "istanbul") in meet(cs)


def test_a_capital_that_speaks_for_its_government_is_no_venue(extract: Extract) -> None:
    cs = extract("Peking erklärte am Montag, Gespräche zwischen Russland und der Ukraine sollten bald stattfinden.",
                 "2025-06-02", lang="de")
    assert subjects(cs) and all("@" not in s for s in subjects(cs))
    cs = extract("London and Paris support talks between Russia and Ukraine next week.", "2025-06-02", lang="en")
    assert subjects(cs) and all("@" not in s for s in subjects(cs))
    cs = extract("Berlin welcomed the talks between Putin and Trump on Friday.", "2025-08-16", lang="en")
    assert all("@germany" not in s for s in subjects(cs))
    cs = extract("Trump met Putin on Friday, many of Moscow's demands unresolved.", "2025-08-16", lang="en")
    assert all(not s.endswith("@russia") for s in subjects(cs))


def test_a_city_where_the_war_is_or_someone_lives_is_no_venue(extract: Extract) -> None:
    cs = extract("Putin and Trump met on Friday while Russian strikes in Kyiv killed five.", "2025-08-16", lang="en")
    assert ("putin+trump", "status", "held") in meet(cs)
    assert all("@" not in s for s in subjects(cs))
    cs = extract("Putin und Trump trafen sich am Freitag, während russische Angriffe auf Kiew weitergingen.",
                 "2025-08-16", lang="de")
    assert ("putin+trump", "status", "held") in meet(cs)
    assert all("@" not in s for s in subjects(cs))
    cs = extract("Putin and Trump met on Friday as fighting raged near Kharkiv.", "2025-08-16", lang="en")
    assert all("@" not in s for s in subjects(cs))
    cs = extract("A Kyiv-based analyst said Putin and Trump met on Friday.", "2025-08-16", lang="en")
    assert all("@" not in s for s in subjects(cs))


def test_a_phone_call_with_a_new_leader_is_no_meeting(extract: Extract) -> None:
    cs = extract("Modi telefonierte am Montag mit Putin über den Krieg in der Ukraine.", "2025-08-18", lang="de")
    assert meet(cs) == set()


def test_the_first_conjunct_before_an_apposition_takes_part(extract: Extract) -> None:
    cs = extract("Jared Kushner, the president's son-in-law, and Steve Witkoff met Zelensky in Berlin on Sunday.",
                 "2025-12-15", lang="en")
    assert ("kushner+witkoff+zelensky@germany", "status", "held") in meet(cs)
    # a clause of its own before "and" keeps its people out
    cs = extract("Trump spoke with Putin on Monday, and Rubio met Lavrov in Riyadh on Tuesday.", "2025-12-15",
                 lang="en")
    assert ("russia+usa@saudi-arabia", "status", "held") in meet(cs)


def test_called_off_after_a_phone_call_and_an_attributive_participle(extract: Extract) -> None:
    cs = extract("A meeting between Putin and Trump in Vienna, planned after a phone call in May, was called off "
                 "last week.", "2025-06-20", lang="en")
    assert ("putin+trump@austria", "status", "cancelled") in meet(cs)
    cs = extract("A summit between Putin and Trump in Vienna, announced after a phone call in May, was called off "
                 "last week.", "2025-06-20", lang="en")
    assert {(c.subject, c.value, c.modality) for c in cs if c.attribute == "status"} == {
        ("putin+trump@austria", "cancelled", "asserted")}


def test_a_meeting_dated_in_the_past_by_its_own_phrase_was_held(extract: Extract) -> None:
    cs = extract("The talks between Russia and Ukraine in Ankara on 4 May had brought only a prisoner swap.",
                 "2025-06-20", lang="en")
    assert {("russia+ukraine@turkey", "status", "held"), ("russia+ukraine@turkey", "date", "2025-05-04")} \
        <= meet(cs)
    # a date of another event after the meeting noun is not its day
    cs = extract("It was the third meeting of its kind after a first round on 4 May in Ankara.", "2025-06-20",
                 lang="en")
    assert all(c.attribute != "date" for c in cs if c.kind == "meeting")
    cs = extract("Trump said a meeting with Putin and Zelensky could follow if Monday's talks went well.",
                 "2025-08-19", lang="en")
    assert all(c.value != "held" for c in cs if c.kind == "meeting")


def test_who_tells_of_a_meeting_takes_no_part(extract: Extract) -> None:
    cs = extract("Stoltenberg said Putin and Lukashenko met in Minsk on Friday.", "2024-02-12", lang="en")
    assert ("lukashenko+putin@belarus", "status", "held") in meet(cs)
    cs = extract("Putin und Lukaschenko trafen sich am Freitag in Minsk, sagte Baerbock.", "2024-02-12", lang="de")
    assert ("lukashenko+putin@belarus", "status", "held") in meet(cs)
    # the speaker stays when the rest is only one side
    cs = extract("Orban said he met Putin in Moscow on Friday.", "2024-07-08", lang="en")
    assert ("orban+putin@russia", "status", "held") in meet(cs)


def test_between_after_the_venue_names_the_participants(extract: Extract) -> None:
    cs = extract("Barrot said talks in Geneva between Rubio and Sybiha were planned for Tuesday.", "2025-08-18",
                 lang="en")
    assert {("ukraine+usa@switzerland", "status", "planned"), ("ukraine+usa@switzerland", "location", "geneva")} \
        <= meet(cs)
    cs = extract("Gespräche in Wien zwischen Russland und der Ukraine sind für Dienstag geplant.", "2025-08-18",
                 lang="de")
    assert ("russia+ukraine@austria", "status", "planned") in meet(cs)
