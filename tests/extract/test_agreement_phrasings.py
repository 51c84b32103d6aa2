"""Agreements: general phrasings (our own sentences) for declared truces, breaches, attributive
participles, plans and generic breaches; each test names one rule family."""

from __future__ import annotations

from tests.extract.conftest import Extract

WAR = "Russland führt seit 2022 Krieg gegen die Ukraine. "
WAR_EN = "Russia's war against Ukraine goes on. "


def deals(cs: list) -> set[tuple]:
    return {(c.subject, c.value, c.modality) for c in cs if c.kind == "agreement"}


def test_declared_and_ordered_truces_are_proposals(extract: Extract) -> None:
    cs = extract(WAR + "Der Kreml hat für Weihnachten einseitig eine Feuerpause ausgerufen.", "2025-12-24")
    assert ("ceasefire", "proposed", "asserted") in deals(cs)
    cs = extract(WAR + "Putin ordnete eine Weihnachtsruhe von 36 Stunden an.", "2025-12-24")
    assert ("ceasefire", "proposed", "asserted") in deals(cs)


def test_violations_of_a_named_truce_are_breaches(extract: Extract) -> None:
    cs = extract(WAR + "Kiew meldete hunderte Verletzungen der Osterwaffenruhe.", "2025-04-21")
    assert any(s == "ceasefire" and v == "broken" and m in ("asserted", "reported") for s, v, m in deals(cs))


def test_generic_or_hypothetical_breaches_are_no_claims(extract: Extract) -> None:
    cs = extract(WAR_EN + "Kyiv doubts Moscow would respect any truce, since it had broken previous agreements.",
                 "2025-03-01")
    assert not any(v == "broken" for _, v, _ in deals(cs))


def test_an_attributive_participle_before_the_deal(extract: Extract) -> None:
    cs = extract(WAR + "Das im Januar vereinbarte Moratorium für Angriffe auf Energieanlagen lief aus, "
                 "verlängert wurde es nicht.", "2025-04-21")
    assert ("energy-ceasefire", "agreed", "asserted") in deals(cs)


def test_a_plan_is_proposed_and_no_breakthrough_is_no_deal(extract: Extract) -> None:
    cs = extract(WAR + "Die Unterhändler sprachen in Genf über den europäischen Friedensplan. Einen Durchbruch gab "
                 "es nicht.", "2025-11-24")
    assert ("peace-deal", "proposed", "asserted") in deals(cs)
    assert ("peace-deal", "agreed", "negated") in deals(cs)
    cs = extract(WAR + "Auf einen Gefangenenaustausch einigten sich die Delegationen nicht.", "2025-11-24")
    assert ("prisoner-exchange", "agreed", "negated") in deals(cs)


def test_about_to_reject_is_no_rejection_and_not_saying_no_is_a_negated_one(extract: Extract) -> None:
    cs = extract(WAR_EN + "Analysts say Moscow is likely to reject the truce, but the Kremlin has not said no.",
                 "2025-03-14")
    assert deals(cs) == {("ceasefire", "rejected", "negated")}


def test_conceivable_meetings_and_hoped_exchanges_are_hedged(extract: Extract) -> None:
    cs = extract(WAR + "Ein Treffen von Putin und Selenskyj sei vorstellbar, sobald ein Vertrag vorliege.", "2025-06-04")
    assert {(c.subject, c.value, c.modality) for c in cs if c.kind == "meeting"} == \
        {("putin+zelensky", "proposed", "hedged")}
    cs = extract(WAR_EN + "Moscow hopes to free them in a future prisoner exchange.", "2025-06-04")
    assert deals(cs) == {("prisoner-exchange", "proposed", "hedged")}


def test_a_proposal_noun_is_not_negated_by_the_rejection_and_no_deal_means_unsigned(extract: Extract) -> None:
    cs = extract(WAR + "Einen Waffenstillstand hatten die USA vorgeschlagen. Abgelehnt hat Moskau den Vorschlag "
                 "bisher nicht.", "2025-06-04")
    assert ("ceasefire", "proposed", "negated") not in deals(cs)
    cs = extract(WAR_EN + "Zelensky was due to sign the minerals deal. He left Washington without the minerals "
                 "deal on Friday.", "2025-03-01")
    assert ("minerals-deal", "signed", "negated") in deals(cs)


def test_specific_truces_and_whose_proposal(extract: Extract) -> None:
    cs = extract(WAR + "Kiew lehnte die Energie-Waffenruhe ab.", "2025-06-04")
    assert {s for s, _, _ in deals(cs)} == {"energy-ceasefire"}
    cs = extract(WAR_EN + "Kyiv accepted the U.S. proposal for a 30-day ceasefire.", "2025-06-04")
    assert {c.actor for c in cs if c.kind == "agreement" and c.value == "proposed"} == {"usa"}


def test_a_truce_that_did_not_hold_was_broken(extract: Extract) -> None:
    cs = extract(WAR + "Die Feuerpause hielt nicht lange.", "2025-06-04")
    assert deals(cs) == {("ceasefire", "broken", "asserted")}


def test_swaps_willingness_and_energy_strikes(extract: Extract) -> None:
    cs = extract(WAR + "Moskau und Kiew tauschten am Samstag je 300 Kriegsgefangene aus.", "2025-06-04")
    assert deals(cs) == {("prisoner-exchange", "agreed", "asserted")}
    cs = extract(WAR + "Kiew ist zu einer Feuerpause von 30 Tagen bereit.", "2025-06-04")
    assert deals(cs) == {("ceasefire", "proposed", "asserted")}
    cs = extract(WAR_EN + "Both sides agreed to a halt on attacks against energy facilities.", "2025-06-04")
    assert deals(cs) == {("energy-ceasefire", "agreed", "asserted")}


def test_a_determined_deal_noun_points_back_to_the_deal_just_named(extract: Extract) -> None:
    cs = extract(WAR_EN + "The signing of the minerals deal was postponed. Kyiv had agreed the text of the final "
                 "deal last week, officials said.", "2025-03-01")
    assert ("minerals-deal", "agreed", "reported") in deals(cs)


def test_a_document_word_points_to_the_deal_not_the_truce(extract: Extract) -> None:
    cs = extract("Das Rohstoffabkommen sollte am Freitag unterzeichnet werden. Eine Waffenruhe lehnt Moskau ab. "
                 "Auf den Text hatten sich Unterhändler beider Regierungen erst Mitte der Woche geeinigt.",
                 "2025-03-01")
    assert ("minerals-deal", "agreed") in {(c.subject, c.value) for c in cs if c.kind == "agreement"}
    assert ("ceasefire", "agreed") not in {(c.subject, c.value) for c in cs if c.kind == "agreement"}


def test_a_relative_das_is_no_anaphor_and_the_plan_is_the_peace_plan(extract: Extract) -> None:
    cs = extract("Beide Seiten tauschten erneut Gefangene aus. Am 2. Juni legte Moskau dann ein Memorandum vor, das "
                 "unter anderem den Abzug der ukrainischen Truppen verlangt.", "2025-07-24")
    assert {(c.subject, c.value) for c in cs if c.sentence.startswith("Am 2. Juni")} == set()
    cs = extract("Zelenskiy said Ukraine risked losing a key partner, but he did not reject the plan.", "2025-11-21")
    assert {(c.subject, c.value, c.modality) for c in cs if c.kind == "agreement"} == {
        ("peace-deal", "rejected", "negated")}


def test_villages_retaken_including_some_are_those_named(extract: Extract) -> None:
    cs = extract("Nördlich von Pokrowsk hat die ukrainische Armee nach eigenen Angaben einen russischen Einbruch bei "
                 "Dobropillja eingedämmt und mehrere Dörfer zurückgewonnen, darunter Kutscheriw Jar.", "2025-08-19")
    assert {c.subject for c in cs if c.kind == "control"} == {"kucheriv-yar"}


def test_would_not_agree_is_a_refusal(extract: Extract) -> None:
    cs = extract("Presidential adviser Mykhailo Podolyak told Reuters on Saturday that Kyiv would not agree to a "
                 "ceasefire.", "2022-11-12")
    assert {(c.subject, c.value, c.modality) for c in cs if c.kind == "agreement"} == {
        ("ceasefire", "rejected", "reported")}


def test_the_terms_of_a_signed_deal_are_no_new_proposal(extract: Extract) -> None:
    cs = extract("On Friday Zelenskiy signed bilateral security agreements with Olaf Scholz in Berlin, under which Germany "
                 "pledged long-term military support to Ukraine.", "2024-02-21", lang="en")
    assert {c.value for c in cs if c.subject == "security-guarantees"} == {"signed"}


def test_a_negation_inside_a_cues_gap_negates(extract: Extract) -> None:
    cs = extract("Russland stimmte der Waffenruhe in der Ukraine nicht zu.", "2025-03-20", lang="de")
    assert {(c.value, c.modality) for c in cs if c.kind == "agreement"} == {("agreed", "negated")}
    cs = extract("Trotz der Gespräche kam eine Waffenruhe zwischen Russland und der Ukraine nicht zustande.",
                 "2025-03-20", lang="de")
    assert ("ceasefire", "agreed", "negated") in {(c.subject, c.value, c.modality) for c in cs}


def test_numbered_plans_and_energy_bans(extract: Extract) -> None:
    cs = extract("Driscoll übergab Selenskyj einen 28-Punkte-Plan zur Beendigung des Krieges.", "2025-11-21", lang="de")
    assert ("peace-deal", "proposed") in {(c.subject, c.value) for c in cs}
    cs = extract("Die Ukraine und Russland wollen das vereinbarte Verbot von Angriffen auf Energieanlagen umsetzen.",
                 "2025-03-26", lang="de")
    assert {c.subject for c in cs if c.kind == "agreement"} == {"energy-ceasefire"}


def test_a_sides_consent_in_a_clause_yields_to_the_main_clauses_rejection(extract: Extract) -> None:
    cs = extract("Eine Feuerpause von 30 Tagen, wie sie Washington vorgeschlagen und der die Ukraine in Dschidda "
                 "zugestimmt hatte, lehnte Putin dagegen ab.", "2025-03-26", lang="de")
    assert {c.value for c in cs if c.subject == "ceasefire"} == {"proposed", "rejected"}
    # a deal both sides made stays agreed
    cs = extract("Eine Waffenruhe von 30 Tagen, wie sie die USA und die Ukraine in Dschidda vereinbart hatten, lehnte "
                 "Putin ab.", "2025-03-20", lang="de")
    assert "agreed" in {c.value for c in cs if c.subject == "ceasefire"}


def test_yet_inside_a_verb_group_and_a_deal_is_no_bare_truce(extract: Extract) -> None:
    cs = extract("Kyiv wants to swap the soldiers for Russian prisoners of war, but no exchange has yet been agreed.",
                 "2022-05-17", lang="en")
    assert ("agreed", "negated") in {(c.value, c.modality) for c in cs}
    text = ("Zelenskiy ruled out a ceasefire in Ukraine that would freeze the front line. Fighting went on as the "
            "deal was signed.")
    assert not [c for c in extract(text, "2022-07-22", lang="en") if c.value == "signed"]


def test_dismissing_and_ruling_out_reject_and_coming_to_terms_agrees(extract: Extract) -> None:
    cs = extract("Uschakow hatte den Vorschlag einer Waffenruhe in der Ukraine als bloße Atempause abgetan.",
                 "2025-03-14", lang="de")
    assert ("ceasefire", "rejected") in {(c.subject, c.value) for c in cs}
    cs = extract("Ein Einfrieren des Konflikts in der Ukraine schloss Selenskyj aus.", "2024-10-16", lang="de")
    assert ("ceasefire", "rejected") in {(c.subject, c.value) for c in cs}
    cs = extract("Die USA und die Ukraine kamen überein, ein Rohstoffabkommen möglichst rasch abzuschließen.",
                 "2025-03-14", lang="de")
    assert ("minerals-deal", "agreed") in {(c.subject, c.value) for c in cs}


def test_provided_that_is_a_condition(extract: Extract) -> None:
    cs = extract("Die Feuerpause in der Ukraine soll im gegenseitigen Einvernehmen verlängert werden können – "
                 "vorausgesetzt, Russland stimmt zu.", "2025-03-12", lang="de")
    assert not [c for c in cs if c.kind == "agreement" and c.modality in ("asserted", "reported") and c.value == "agreed"]
