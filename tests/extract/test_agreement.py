"""agreement: deal types, statuses, anaphora, infinitives and failures."""

from __future__ import annotations

from tests.extract.conftest import Extract


def agr(cs: list) -> set[tuple]:
    return {(c.subject, c.value, c.modality) for c in cs if c.kind == "agreement"}


def test_proposed_and_rejected_in_one_sentence(extract: Extract) -> None:
    cs = extract("Einen von der Ukraine und Trump geforderten Waffenstillstand lehnt Putin kategorisch ab.")
    assert agr(cs) == {("ceasefire", "proposed", "asserted"), ("ceasefire", "rejected", "asserted")}


def test_types_from_their_words(extract: Extract) -> None:
    cs = extract("Russland und die Ukraine verhandeln. "
                 "Unter Vermittlung der Türkei vereinbarten die Kriegsparteien den Austausch von Kriegsgefangenen. "
                 "Die im März vereinbarte Waffenruhe für Angriffe auf Energieanlagen hielt nur kurz. "
                 "Er dürfte eine Waffenruhe für Luftangriffe anbieten.")
    got = agr(cs)
    assert ("prisoner-exchange", "agreed", "asserted") in got
    assert ("energy-ceasefire", "agreed", "asserted") in got
    assert ("energy-ceasefire", "broken", "asserted") in got
    assert ("air-ceasefire", "proposed", "hedged") in got


def test_nicht_nur_is_no_negation(extract: Extract) -> None:
    cs = extract("Die ukrainische Regierung unterzeichnete nicht nur ein Abkommen, durch das sich die USA die "
                 "Kontrolle über Rohstoffe sichern.")
    assert agr(cs) == {("minerals-deal", "signed", "asserted")}
    assert not [c for c in cs if c.kind == "control"]


def test_an_infinitive_is_no_act_and_das_points_back(extract: Extract) -> None:
    cs = extract("Für Unmut in Kiew sorgt ein Entwurf Washingtons für ein Rohstoffabkommen. Die USA verlangen darin Zugriff "
                 "auf Bodenschätze. Selenskyj lehnte es ab, das Papier in dieser Form zu unterzeichnen, weil es "
                 "keine Sicherheitsgarantien enthalte.")
    assert agr(cs) == {("minerals-deal", "proposed", "asserted"), ("minerals-deal", "rejected", "asserted")}


def test_failed_to_agree_is_negated(extract: Extract) -> None:
    cs = extract("Trump and Putin failed to agree on a ceasefire at their summit in Alaska on Friday.")
    assert ("ceasefire", "agreed", "negated") in agr(cs)
    assert ("ceasefire", "agreed", "asserted") not in agr(cs)


def test_lists_of_deals_share_the_status(extract: Extract) -> None:
    cs = extract("Russia attacked Ukraine again. The plan provided for an all-for-all prisoner exchange and "
                 "security guarantees for Ukraine.")
    assert agr(cs) == {("prisoner-exchange", "proposed", "asserted"), ("security-guarantees", "proposed", "asserted")}


def test_truces_of_other_wars_are_not_followed(extract: Extract) -> None:
    cs = extract("The Security Council voted on a resolution calling for a ceasefire in Gaza.")
    assert agr(cs) == set()
