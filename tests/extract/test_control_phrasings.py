"""General control, territory and modality phrasings (our own sentences, one rule family each)."""

from __future__ import annotations

from tests.extract.conftest import Extract, find


def states(cs: list, subject: str, kind: str = "control") -> set[tuple[object, str]]:
    return {(c.value, c.modality) for c in find(cs, kind, subject)}


def test_an_almost_encircled_town_is_threatened(extract: Extract) -> None:
    assert states(extract("Die Verteidiger von Pokrowsk sind inzwischen fast eingekesselt."), "pokrovsk") == {
        ("threatened", "asserted")}
    assert states(extract("Kupiansk was close to being encircled, the governor said.", lang="en"), "kupiansk") == {
        ("threatened", "reported")}
    # "weitgehend" (largely) is still encircled
    assert states(extract("Die Stadt Lyman ist weitgehend eingeschlossen."), "lyman") == {("encircled", "asserted")}


def test_threat_phrases(extract: Extract) -> None:
    assert ("threatened", "asserted") in states(
        extract("Russische Einheiten stehen inzwischen unmittelbar vor Kostjantyniwka."), "kostiantynivka")
    assert ("threatened", "asserted") in states(
        extract("Russische Truppen nähern sich Siwersk von Süden."), "siversk")
    assert ("threatened", "asserted") in states(
        extract("Russian troops are approaching Lyman from the north.", lang="en"), "lyman")


def test_the_falling_town_is_the_one_its_condition_names(extract: Extract) -> None:
    cs = extract("Fällt Pokrowsk, könnten die Russen auch Myrnohrad ins Visier nehmen.")
    assert states(cs, "pokrovsk") == {("russia", "hedged")}
    assert states(cs, "myrnohrad") == {("threatened", "hedged")}


def test_denying_a_reports_clause_negates_it(extract: Extract) -> None:
    cs = extract("Meldungen, wonach die Verteidiger in Torezk eingekesselt seien, wies die ukrainische Armee zurück.")
    c = find(cs, "control", "toretsk")[0]
    assert (c.value, c.modality, c.attribution) == ("encircled", "negated", "ukraine")
    cs = extract("Kyiv denied Russian claims that its units in Kupiansk had been surrounded.", lang="en")
    assert states(cs, "kupiansk") == {("encircled", "negated")}


def test_attempts_threaten_and_aims_are_hedged(extract: Extract) -> None:
    # an assault under way threatens the place; nothing is taken
    assert states(extract("Russland versucht seit Monaten, Kurachowe einzunehmen.", lang="de"), "kurakhove") == {
        ("threatened", "asserted")}
    assert states(extract("Vuhledar, which Russian forces have been trying to capture since spring, is quiet.",
                          lang="en"), "vuhledar") == {("threatened", "asserted")}
    # a failed attempt took nothing and threatens nothing now
    assert ("russia", "asserted") not in states(extract("Russian forces failed to capture Vuhledar in 2023.",
                                                        lang="en"), "vuhledar")
    assert states(extract("Die Stadt Cherson zurückzuerobern bleibe das wichtigste Ziel, sagte der Sprecher."),
                  "kherson") == {("ukraine", "hedged")}


def test_shall_with_a_time_ahead_is_a_plan(extract: Extract) -> None:
    cs = extract("Die Einheiten sollen Lyman in den kommenden Tagen einnehmen.")
    assert states(cs, "lyman") == {("russia", "hedged")}
    cs = extract("Russische Einheiten sollen Lyman eingenommen haben.")
    assert states(cs, "lyman") == {("russia", "reported")}


def test_befreit_in_russian_words_means_russia_took_it(extract: Extract) -> None:
    cs = extract("Das Dorf Berdytschi sei „befreit“ worden, teilte das Verteidigungsministerium in Moskau mit.")
    assert states(cs, "berdychi") == {("russia", "reported")}
    cs = extract("Die ukrainische Armee hat das Dorf Robotyne befreit.")
    assert states(cs, "robotyne") == {("ukraine", "asserted")}


def test_actor_of_a_withdrawal_noun_is_not_the_doer(extract: Extract) -> None:
    cs = extract("Nach dem Rückzug der russischen Truppen sind ukrainische Einheiten in Snihuriwka eingerückt.")
    assert {v for v, _ in states(cs, "snihurivka")} == {"ukraine"}
    cs = extract("Im Sommer hatte Kiew Gebiete zurückerobert, im Herbst zog sich Russland aus Lyman zurück.")
    assert ("ukraine", "asserted") in states(cs, "lyman")


def test_an_active_capture_verb_takes_its_object(extract: Extract) -> None:
    cs = extract("Marinka has been a front-line town since 2014, when separatists seized Donetsk.", lang="en")
    assert not find(cs, "control", "marinka")


def test_bare_army_is_the_side_the_article_is_about(extract: Extract) -> None:
    text = ("Die ukrainische Armee meldet Erfolge im Süden.\n\n"
            "Bereits im Juni hatte die Armee das Dorf Robotyne eingenommen.")
    assert {v for v, _ in states(extract(text, "2023-08-30", lang="de"), "robotyne")} == {"ukraine"}


def test_past_relative_clauses_are_history(extract: Extract) -> None:
    cs = extract("The army left Vuhledar, a town that had held out for two years.", lang="en")
    assert ("ukraine", "asserted") not in states(cs, "vuhledar")
    # a past state with only its start ("war seit ...") has no date of its own: no claim
    cs = extract("Mariupol war seit Anfang März eingekesselt.", "2022-05-20", lang="de")
    assert not find(cs, "control", "mariupol")
    cs = extract("Die Ukrainer hielten Wuhledar bis zum Herbst.", "2024-12-02", lang="de")
    assert {(c.value, c.as_of) for c in find(cs, "control", "vuhledar")} == {("ukraine", "2024-10")}


def test_region_anaphora_and_fractions(extract: Extract) -> None:
    text = "Im Gebiet Saporischschja wird weiter gekämpft. Russland kontrolliert rund 70 Prozent des Gebiets."
    cs = extract(text, lang="de")
    assert [(c.subject, c.attribute, c.value) for c in cs if c.kind == "territory"] == [
        ("zaporizhzhia-oblast", "share_russia", 70)]
    cs = extract("Russia controls about two-thirds of the Zaporizhzhia region.", lang="en")
    assert [(c.subject, c.attribute, c.value) for c in cs if c.kind == "territory"] == [
        ("zaporizhzhia-oblast", "share_russia", 67)]
    # "nearly all of" a town is no control of it, a governor's title no place in the news
    cs = extract("Luhansk governor Serhiy Haidai said Russia holds nearly all of Sievierodonetsk.", lang="en")
    assert not find(cs, "control", "luhansk") and not find(cs, "control", "sievierodonetsk")


def test_russian_territory_and_regain(extract: Extract) -> None:
    cs = extract("Die ukrainischen Einheiten kontrollierten 1000 Quadratkilometer russischen Gebiets.")
    assert [(c.subject, c.attribute) for c in cs if c.kind == "territory"] == [("russia", "area_ukraine")]
    cs = extract("Russian troops had clawed back 800 square kilometres, Gerasimov said.", lang="en")
    assert [(c.subject, c.attribute) for c in cs if c.kind == "territory"] == [("russia", "gain_russia")]


def test_crimea_annexation_but_no_oblast_annexation(extract: Extract) -> None:
    cs = extract("Die Brücke verbindet Russland mit der 2014 annektierten Halbinsel Krim.")
    assert {v for v, _ in states(cs, "crimea")} == {"russia"}
    cs = extract("Russland hat die Gebiete Cherson und Saporischschja annektiert.")
    assert not [c for c in cs if c.kind == "control"]


def test_namesakes_follow_the_towns_nearby(extract: Extract) -> None:
    text = ("Ukrainische Truppen haben Klischtschijiwka bei Bachmut zurückerobert.\n\n"
            "Zwei Tage zuvor hatten sie bereits das Dorf Andrijiwka zurückerobert.")
    assert [c.subject for c in extract(text) if c.kind == "control" and "andriivka" in c.subject] == [
        "andriivka-donetsk"]


def test_an_achieved_infinitive_is_a_fact(extract: Extract) -> None:
    cs = extract("Den russischen Truppen ist es gelungen, das Dorf Berdytschi einzunehmen.", lang="de")
    assert states(cs, "berdychi") == {("russia", "asserted")}
    cs = extract("Russian forces failed to take the village of Berdychi.", lang="en")
    assert states(cs, "berdychi") == {("russia", "negated")}


def test_more_fighting_and_approach_phrases(extract: Extract) -> None:
    assert states(extract("Street fighting rages in Toretsk.", lang="en"), "toretsk") == {("contested", "asserted")}
    assert states(extract("Russian forces are edging closer to Kostiantynivka.", lang="en"),
                  "kostiantynivka") == {("threatened", "asserted")}
    assert states(extract("Russian forces overran the village of Berdychi.", lang="en"), "berdychi") == {
        ("russia", "asserted")}


def test_but_not_negates_only_its_own_conjunct(extract: Extract) -> None:
    cs = extract("Russische Truppen haben Robotyne erobert, Orichiw aber nicht.", lang="de")
    assert states(cs, "robotyne") == {("russia", "asserted")}


def test_lists_past_locators_and_both_towns(extract: Extract) -> None:
    text = ("Moskau meldete die Einnahme der Orte Berdytschi im Gebiet Donezk und Wowtschansk im Gebiet Charkiw.\n\n"
            "Die ukrainische Armee widersprach: In beiden Orten halten ukrainische Einheiten weiterhin Stellungen.")
    cs = extract(text, lang="de")
    assert states(cs, "berdychi") >= {("russia", "reported"), ("contested", "reported")}
    assert states(cs, "vovchansk") >= {("russia", "reported"), ("contested", "reported")}


def test_a_capture_noun_after_nach_is_a_past_fact(extract: Extract) -> None:
    cs = extract("Nach der Einnahme von Lyman rücken die russischen Truppen weiter vor.", lang="de")
    assert states(cs, "lyman") == {("russia", "asserted")}
    assert not find(extract("Vor der Einnahme von Lyman warnen Experten.", lang="de"), "control", "lyman")


def test_a_dated_past_event_months_ago_is_history(extract: Extract) -> None:
    cs = extract("Russian troops seized the island of Zmiinyi on Feb. 24, the first day of the invasion.",
                 "2022-06-30", lang="en")
    assert {(c.value, c.as_of) for c in find(cs, "control", "zmiinyi")} == {("russia", "2022-02")}
    cs = extract("Russian troops seized Berdychi on Monday.", "2024-05-01", lang="en")
    assert {(c.value, c.as_of) for c in find(cs, "control", "berdychi")} == {("russia", None)}


def test_sie_takes_the_side_the_sentence_before_named(extract: Extract) -> None:
    text = "Die ukrainische Armee griff im Gebiet Kursk erneut an. Dort hält sie seit Monaten die Kleinstadt Sudscha."
    assert {v for v, _ in states(extract(text, lang="de"), "sudzha")} == {"ukraine"}


def test_a_whole_oblast_as_object_even_when_hedged(extract: Extract) -> None:
    cs = extract("Sollte Siwersk fallen, hätte Russland das Gebiet Donezk praktisch vollständig erobert.", lang="de")
    assert ("russia", "hedged") in states(cs, "donetsk-oblast")
    # a region that only locates a town is no claim
    cs = extract("Russland könnte Siwersk im Gebiet Donezk vollständig erobern.", lang="de")
    assert not find(cs, "control", "donetsk-oblast")


def test_front_sectors_are_no_towns(extract: Extract) -> None:
    cs = extract("Kyiv says it repelled 30 attacks in the Kupiansk area, where Moscow massed troops.", lang="en")
    assert not find(cs, "control", "kupiansk")


def test_lookalikes_are_no_control(extract: Extract) -> None:
    assert not find(extract("In Charkiw fällt immer wieder der Strom aus.", lang="de"), "control", "kharkiv")
    assert not find(extract("Approaching Kharkiv by train, the delegation saw ruined villages.", lang="en"),
                    "control", "kharkiv")
    assert states(extract("Ukrainian troops are holding positions on the outskirts of Lyman.", lang="en"),
                  "lyman") == {("contested", "asserted")}


def test_a_fifth_of_the_country(extract: Extract) -> None:
    cs = extract("Russland kontrolliert etwa ein Fünftel des ukrainischen Staatsgebiets.", lang="de")
    assert [(c.subject, c.attribute, c.value, c.qualifier) for c in cs if c.kind == "territory"] == [
        ("ukraine", "share_russia", 20, "about")]


def test_a_region_right_after_the_cue_is_its_object(extract: Extract) -> None:
    cs = extract("Gerasimov said the last Ukrainian units had been driven out of the Kursk region.", lang="en")
    assert states(cs, "kursk-oblast") == {("russia", "reported")}
    # a locating region, or a counterfactual withdrawal, is no claim about the region
    assert not find(extract("Russia captured two villages in the Donetsk region.", lang="en"), "control",
                    "donetsk-oblast")
    assert not find(extract("Under the draft, Ukraine would have pulled its troops out of the Donetsk region.",
                            lang="en"), "control", "donetsk-oblast")


def test_reaching_a_town_only_as_a_prospect(extract: Extract) -> None:
    cs = extract("Ob die Ukrainer bis zur Kleinstadt Melitopol vorstoßen können, ist offen.", lang="de")
    assert states(cs, "melitopol") == {("ukraine", "hedged")}
    assert not find(extract("Die Ukrainer sind bis Melitopol vorgestoßen.", lang="de"), "control", "melitopol")


def test_targeting_a_towns_facility_and_taking_command_are_no_control(extract: Extract) -> None:
    assert not find(extract("Russland nimmt die Energieversorgung von Odessa ins Visier.", lang="de"),
                    "control", "odesa")
    assert not find(extract("Syrskyi took over command of the troops in Kharkiv.", lang="en"), "control", "kharkiv")


def test_more_negation_and_report_forms(extract: Extract) -> None:
    assert states(extract("Russia has yet to capture Kostiantynivka.", lang="en"), "kostiantynivka") == {
        ("russia", "negated")}
    assert states(extract("Die Stadt Lyman sei eingekesselt, heißt es in Moskau.", lang="de"), "lyman") == {
        ("encircled", "reported")}


def test_a_loss_noun_belongs_to_its_owner(extract: Extract) -> None:
    cs = extract("Kiew bestätigte den Verlust von Wuhledar.", lang="de")
    assert states(cs, "vuhledar") == {("russia", "reported")}
    cs = extract("Russia announced its withdrawal from Kherson.", lang="en")
    assert states(cs, "kherson") == {("ukraine", "reported")}
    cs = extract("After the loss of Avdiivka in February, Russian troops advanced further.", "2024-12-01", lang="en")
    assert {v for v, _ in states(cs, "avdiivka")} == {"russia"}
    assert not find(extract("The loss of life in Kharkiv was heavy.", lang="en"), "control", "kharkiv")


def test_near_taking_and_risk_of_encirclement_are_threats(extract: Extract) -> None:
    assert states(extract("Russia is close to seizing Pokrovsk.", lang="en"), "pokrovsk") == {("threatened", "asserted")}
    assert states(extract("Pokrovsk risks being encircled.", lang="en"), "pokrovsk") == {("threatened", "asserted")}
    assert states(extract("Russische Truppen stehen kurz vor der Stadt Pokrowsk.", lang="de"), "pokrovsk") == {
        ("threatened", "asserted")}


def test_most_of_a_town_is_contested_and_forced_retreats_are_facts(extract: Extract) -> None:
    assert states(extract("Die Russen kontrollieren inzwischen den Großteil von Pokrowsk.", lang="de"), "pokrovsk") == {
        ("contested", "asserted")}
    cs = extract("Ukraine's forces were forced to retreat from Avdiivka in February.", "2024-12-01", lang="en")
    assert {(c.value, c.modality) for c in find(cs, "control", "avdiivka")} == {("russia", "asserted")}


def test_locators_rivers_exceptions_and_region_parts(extract: Extract) -> None:
    cs = extract("Im Januar hatten die Russen die Kleinstadt Soledar bei Bachmut eingenommen.", "2023-05-01", lang="de")
    assert not find(cs, "control", "bakhmut") and find(cs, "control", "soledar")
    cs = extract("Umkämpft sind auch die Dörfer nördlich der Großstadt Charkiw.", lang="de")
    assert not find(cs, "control", "kharkiv")
    cs = extract("Ukrainian marines hold a foothold on the Russian-occupied eastern bank of the Dnipro.", lang="en")
    assert not find(cs, "control", "dnipro")
    cs = extract("Ukraine still controls large parts of those regions, including the city of Zaporizhzhia.", lang="en")
    assert states(cs, "zaporizhzhia") == {("ukraine", "asserted")}
    cs = extract("Since Russia pulled out of the grain deal, its forces have struck the port of Odesa.", lang="en")
    assert not find(cs, "control", "odesa")
    cs = extract("Mehr als die Hälfte der Kraftwerkskapazität ist zerstört oder besetzt.", lang="de")
    assert not [c for c in cs if c.kind == "territory"]


def test_where_a_place_lies_is_no_threat(extract: Extract) -> None:
    cs = extract("Russland meldet die Einnahme von Hryhoriwka im Gebiet Luhansk, das am westlichen Stadtrand liegt.",
                 lang="de")
    assert {v for v, _ in states(cs, "hryhorivka-luhansk")} == {"russia"}
    cs = extract("Guards reinforced the nuclear plant in Kurchatov, about 60 kilometers from the border.", lang="en")
    assert not find(cs, "control", "kurchatov")


def test_list_with_head_nouns_and_operating_troops(extract: Extract) -> None:
    cs = extract("Moskau meldete die Rückeroberung der Kleinstadt Sudscha und des Dorfes Korenewo.", lang="de")
    assert {c.subject for c in cs if c.kind == "control"} == {"sudzha", "korenevo"}
    cs = extract("Footage showed Ukrainian soldiers operating in the village of Malaya Loknya.", lang="en")
    assert states(cs, "malaya-loknya") == {("contested", "asserted")}


def test_including_lists_and_attempted_encirclement(extract: Extract) -> None:
    cs = extract("Moskau meldete die Einnahme von rund einem Dutzend Dörfern, darunter Striletscha und Pylna.", lang="de")
    assert {c.subject for c in cs if c.kind == "control"} == {"strilecha", "pylna"}
    cs = extract("Russian forces have been trying since October to encircle the town of Avdiivka.", lang="en")
    assert states(cs, "avdiivka") == {("threatened", "asserted")}


def test_a_claim_called_a_lie_is_negated(extract: Extract) -> None:
    cs = extract("Die Behauptung, Kupjansk sei eingenommen, sei eine Lüge, teilte die Armee mit.", lang="de")
    assert states(cs, "kupiansk") == {("russia", "negated")}
    cs = extract("Russian claims that Kupiansk has fallen are false, the Ukrainian army said.", lang="en")
    assert states(cs, "kupiansk") == {("russia", "negated")}
    cs = extract("Reports that Kupiansk has fallen were confirmed by the army.", lang="en")
    assert states(cs, "kupiansk") == {("russia", "reported")}


def test_a_source_city_does_not_block_the_carry_over(extract: Extract) -> None:
    text = "Eingenommen hat Russland Wuhledar nicht. Eingekesselt sind die Verteidiger auch nicht, hieß es aus Kiew."
    assert ("encircled", "negated") in states(extract(text, lang="de"), "vuhledar")


def test_past_times_in_words(extract: Extract) -> None:
    cs = extract("Russland hatte Cherson zu Beginn des Krieges erobert.", "2025-03-20", lang="de")
    assert {(c.value, c.as_of) for c in find(cs, "control", "kherson")} == {("russia", "2022")}
    cs = extract("Russia captured Avdiivka last year.", "2025-03-20", lang="en")
    assert {(c.value, c.as_of) for c in find(cs, "control", "avdiivka")} == {("russia", "2024")}
    cs = extract("Russland kontrolliert Cherson seit dem vergangenen Jahr.", "2025-03-20", lang="de")
    assert {(c.value, c.as_of) for c in find(cs, "control", "kherson")} == {("russia", None)}


def test_inverted_and_nominal_conditions(extract: Extract) -> None:
    cs = extract("Should Pokrovsk fall, Russia would threaten Kramatorsk.", lang="en")
    assert states(cs, "pokrovsk") == {("russia", "hedged")}
    cs = extract("Im Falle einer Einnahme von Pokrowsk wäre Kramatorsk bedroht.", lang="de")
    assert states(cs, "pokrovsk") == {("russia", "hedged")}


def test_encirclement_nouns(extract: Extract) -> None:
    text = "Die Ukraine hat Lyman aufgegeben. Eine Einkesselung der Verteidiger habe es aber nicht gegeben."
    assert ("encircled", "negated") in states(extract(text, lang="de"), "lyman")
    cs = extract("Kyiv pulled its troops back to prevent the encirclement of Lyman.", lang="en")
    assert ("encircled", "asserted") not in states(cs, "lyman")


def test_avoiding_encirclement_and_an_unnamed_outskirts(extract: Extract) -> None:
    cs = extract("Der Kommandeur ordnete den Rückzug aus Wuhledar an, um eine Einkesselung zu vermeiden.", lang="de")
    assert ("encircled", "asserted") not in states(cs, "vuhledar")
    text = "Donezk und Pokrowsk wurden beschossen. Die Truppen hätten sich an den nördlichen Stadtrand zurückgezogen."
    assert not [c for c in extract(text, lang="de") if c.kind == "control"]


def test_relative_pronoun_doer_and_attackers_held_outside(extract: Extract) -> None:
    cs = extract("Ukrainian forces shelled Russian troops, which control the nearby town of Nova Kakhovka.", lang="en")
    assert states(cs, "nova-kakhovka") == {("russia", "asserted")}
    cs = extract("Russian forces have been held at the outskirts of Kostiantynivka.", lang="en")
    assert states(cs, "kostiantynivka") == {("threatened", "asserted")}


def test_having_a_town_under_control(extract: Extract) -> None:
    assert states(extract("Die Russen haben Kupjansk inzwischen unter Kontrolle.", lang="de"), "kupiansk") == {
        ("russia", "asserted")}
    assert not [c for c in extract("Die Lage in Charkiw ist unter Kontrolle, sagte er.", lang="de")
                if c.kind == "control"]


def test_a_ground_assault_threatens_a_place_a_strike_from_afar_does_not(extract: Extract) -> None:
    cs = extract("Nach Angaben des Generalstabs griffen russische Truppen zuletzt bei Kurachowe und Selydowe an.")
    assert states(cs, "kurakhove") == {("threatened", "reported")}
    assert states(cs, "selydove") == {("threatened", "reported")}
    assert states(extract("Kupiansk has been under near-constant attack for weeks.", lang="en"), "kupiansk") == {
        ("threatened", "asserted")}
    assert not find(extract("Russland griff Charkiw in der Nacht mit Drohnen und Raketen an."), "control", "kharkiv")
    assert not find(extract("Russia launched a missile attack on Odesa.", lang="en"), "control", "odesa")
    # taken in the same sentence: the capture is the news, not the assault that led to it
    cs = extract("Russia said it had taken Toretsk, a town that has been under attack since last summer.", lang="en")
    assert states(cs, "toretsk") == {("russia", "reported")}


def test_towns_within_a_share_of_a_regions_area_are_held_whole(extract: Extract) -> None:
    cs = extract("Im Gebiet Donezk hält die Ukraine noch rund ein Viertel der Fläche, darunter Kramatorsk und Slowjansk.")
    assert states(cs, "kramatorsk") == {("ukraine", "asserted")}
    assert states(cs, "sloviansk") == {("ukraine", "asserted")}


def test_stragglers_and_clearing_operations_mean_the_fight_goes_on(extract: Extract) -> None:
    cs = extract("In Kupjansk durchkämmen ukrainische Einheiten die Straßen nach versprengten russischen Trupps.")
    assert states(cs, "kupiansk") == {("contested", "asserted")}
    cs = extract("Kyiv said only small groups of Russian soldiers remained in Kupiansk.", lang="en")
    assert states(cs, "kupiansk") == {("contested", "reported")}
    # "the ruins" are the town the sentence before named
    cs = extract("Russland meldete die Einnahme von Marjinka. Um die Ruinen werde aber weiter gekämpft.")
    assert ("contested", "reported") in states(cs, "marinka")


def test_aims_to_be_done_are_hedged(extract: Extract) -> None:
    assert states(extract("Putin: Ganz Pokrowsk soll erobert werden.", lang="de"), "pokrovsk") == {("russia", "hedged")}
    assert states(extract("Pokrowsk soll erobert worden sein.", lang="de"), "pokrovsk") == {("russia", "reported")}
    cs = extract("Putin wies die Armee an, die Offensive fortzusetzen, bis das gesamte Gebiet Saporischschja unter "
                 "russischer Kontrolle ist.")
    assert states(cs, "zaporizhzhia-oblast") == {("russia", "hedged")}


def test_a_cue_ending_in_its_preposition_takes_the_places_right_after(extract: Extract) -> None:
    cs = extract("Nach dem Rückzug aus Siwersk wächst der Druck auf Lyman.")
    assert states(cs, "siversk") == {("russia", "asserted")}
    assert not find(cs, "control", "lyman")


def test_a_distance_after_a_comma_locates_the_place_before(extract: Extract) -> None:
    cs = extract("Moscow said it had taken the border village of Basivka, a few kilometres from Sumy.", lang="en")
    assert not find(cs, "control", "sumy")
    cs = extract("Russian troops are now a few kilometres from Pokrovsk.", lang="en")
    assert states(cs, "pokrovsk") == {("threatened", "asserted")}


def test_a_border_names_the_oblast_next_door(extract: Extract) -> None:
    cs = extract("Im Gebiet Dnipropetrowsk meldete Moskau Erfolge. Das Ministerium erklärte das Dorf "
                 "Nowomykolajiwka nahe der Grenze zum Gebiet Donezk für eingenommen.")
    assert {c.subject for c in cs if c.kind == "control"} == {"novomykolaivka-dnipropetrovsk"}


def test_an_area_taken_near_a_town_and_casualties_are_no_control(extract: Extract) -> None:
    cs = extract("An der Südflanke von Bachmut sei ein weiterer Quadratkilometer befreit worden, sagte Maljar.", lang="de")
    assert not find(cs, "control", "bakhmut")
    cs = extract("Ukraine says it has retaken more than 8,000 square kilometres, including the town of Izium.", lang="en")
    assert states(cs, "izium") == {("ukraine", "reported")}
    cs = extract("Um Bachmut wurde monatelang gekämpft, nach US-Schätzungen verlor Russland dabei mehr als 20.000 Soldaten.",
                 lang="de")
    assert ("ukraine", "asserted") not in states(cs, "bakhmut")


def test_cleared_of_the_russians_is_no_russian_doer(extract: Extract) -> None:
    cs = extract("Die Ukraine hat Klischtschijiwka zurückerobert. Der Ort sei von den Russen gesäubert und befreit "
                 "worden, schrieb Syrskyj.", lang="de")
    assert {v for v, _ in states(cs, "klishchiivka")} == {"ukraine"}


def test_a_scenario_is_hedged(extract: Extract) -> None:
    cs = extract("Variante eins: Die Ukraine zieht ihre Truppen vollständig aus dem Gebiet Donezk ab.", lang="de")
    assert not {m for _, m in states(cs, "donetsk-oblast")} & {"asserted", "reported"}


def test_a_share_told_in_the_past_in_its_own_stretch_is_dated(extract: Extract) -> None:
    cs = extract("Dort kontrolliert Russland inzwischen rund 70 Prozent des Gebiets Donezk, Ende 2023 waren es noch "
                 "59 Prozent.", "2024-12-31", lang="de")
    assert {(c.value, c.as_of) for c in cs if c.kind == "territory"} == {(70, None), (59, "2023")}


def test_the_event_a_time_is_counted_from_is_history(extract: Extract) -> None:
    cs = extract("It was Moscow's biggest success since the fall of Bakhmut in May.", "2024-02-21", lang="en")
    assert {(c.value, c.as_of) for c in find(cs, "control", "bakhmut")} == {("russia", "2023-05")}
    # this year's month is the article's present
    cs = extract("Die Armee rückt nach der Einnahme von Lyssytschansk Anfang Juli weiter vor.", "2022-07-20", lang="de")
    assert {(c.value, c.as_of) for c in find(cs, "control", "lysychansk")} == {("russia", None)}


def test_an_attributive_participle_and_the_clause_verbs_negation(extract: Extract) -> None:
    cs = extract("Die Verteidiger der eingekesselten Hafenstadt Mariupol kapitulierten nicht.", "2022-04-20", lang="de")
    assert states(cs, "mariupol") == {("encircled", "asserted")}
    cs = extract("Von eingekesselten Verbänden könne weder bei Kupjansk noch bei Pokrowsk die Rede sein.", lang="de")
    assert states(cs, "pokrovsk") == {("encircled", "negated")}


def test_off_the_coast_locates_and_snake_island_is_known(extract: Extract) -> None:
    cs = extract("Off the coast of Odesa, Russia abandoned Snake Island at the end of June.", "2022-07-23", lang="en")
    assert {c.subject for c in cs if c.kind == "control"} == {"zmiinyi"}


def test_freed_of_the_occupiers_and_a_state_that_had_lasted_since(extract: Extract) -> None:
    cs = extract("Irpin und Butscha seien von den Besatzern befreit, schrieb Hanna Maljar.", "2022-04-03", lang="de")
    assert states(cs, "bucha") == {("ukraine", "reported")}
    cs = extract("Russian forces had occupied Snihurivka since the early weeks of the war.", "2022-11-10", lang="en")
    assert not find(cs, "control", "snihurivka")
    cs = extract("Das Verteidigungsministerium in Moskau hatte den Rückzug aus Isjum als Umgruppierung dargestellt.",
                 "2022-09-14", lang="de")
    assert {v for v, _ in states(cs, "izium")} == {"ukraine"}
    cs = extract("Valery Gerasimov told Putin that the village of Gornal, the last settlement held by Ukrainian units, "
                 "had been recaptured.", "2025-04-26", lang="en")
    assert states(cs, "gornal") == {("russia", "reported")}


def test_a_state_told_with_its_length_has_ended(extract: Extract) -> None:
    cs = extract("Die Kleinstadt Butscha war fast einen Monat lang von russischen Einheiten besetzt.", "2022-04-03",
                 lang="de")
    assert {(c.value, c.as_of) for c in find(cs, "control", "bucha")} == {("russia", "2022")}


def test_a_time_after_a_comma_dates_its_own_conjunct(extract: Extract) -> None:
    cs = extract("Balaklija, Isjum und Kupjansk wurden zurückerobert, Anfang Oktober auch der Eisenbahnknoten Lyman "
                 "im Norden des Gebiets Donezk.", "2022-12-31", lang="de")
    assert {(c.subject, c.as_of) for c in cs if c.kind == "control"} == {
        ("balakliia", None), ("izium", None), ("kupiansk", None), ("lyman", "2022-10")}


def test_edges_roads_and_russian_towns_won_back(extract: Extract) -> None:
    cs = extract("DeepState zeigt Kurachowe fast vollständig in russischer Hand, lediglich an ihrem westlichen Rand "
                 "sollen sich noch ukrainische Einheiten halten.", "2025-01-07", lang="de")
    assert "ukraine" not in {v for v, _ in states(cs, "kurakhove")}
    cs = extract("Welyka Nowosilka droht die Einkesselung, nachdem russische Einheiten mehrere Zufahrtsstraßen "
                 "abgeschnitten haben.", "2025-01-07", lang="de")
    assert "encircled" not in {v for v, _ in states(cs, "velyka-novosilka")}
    cs = extract("Das Verteidigungsministerium meldete die Rückeroberung der Kleinstadt Sudscha im Gebiet Kursk.",
                 "2025-03-14", lang="de")
    assert {v for v, _ in states(cs, "sudzha")} == {"russia"}


def test_a_subordinator_right_before_its_subject_opens_a_clause(extract: Extract) -> None:
    cs = extract("According to Putin, Ukraine threw the agreement away once Russian troops had pulled back from the "
                 "Kyiv region.", "2023-06-17", lang="en")
    assert {v for v, _ in states(cs, "kyiv-oblast")} == {"ukraine"}


def test_a_list_after_a_colon_names_the_villages_taken(extract: Extract) -> None:
    cs = extract("Maliar said Ukrainian forces recaptured seven villages covering about 90 square kilometres: "
                 "Makarivka, Neskuchne and Storozheve in the south of the Donetsk region.", "2023-06-17", lang="en")
    assert {c.subject for c in cs if c.kind == "control"} >= {"neskuchne", "storozheve"}
    assert all(c.value == "ukraine" for c in cs if c.kind == "control")


def test_fighting_there_is_in_the_region_or_the_town_it_locates(extract: Extract) -> None:
    cs = extract("MOSCOW/KYIV, April 26 – Russia's top general said his troops had driven the last Ukrainian units "
                 "out of the Kursk region, after Kyiv's incursion, but Ukraine said its soldiers were still fighting "
                 "there.", "2025-04-26", lang="en")
    assert ("contested", "reported") in states(cs, "kursk-oblast")
    assert not find(cs, "control", "kyiv")
    cs = extract("Moscow made a similar claim about Kupiansk in the Kharkiv region on Nov. 20. The Ukrainian "
                 "military says it is still fighting small groups of Russian infiltrators there.", "2025-12-02", lang="en")
    assert not find(cs, "control", "kharkiv-oblast")
    assert ("contested", "reported") in states(cs, "kupiansk")


def test_a_name_placed_by_a_region_once_keeps_that_reading(extract: Extract) -> None:
    text = ("Maliar said the villages Storozheve, Makarivka, Blahodatne and Neskuchne in the Donetsk region had been "
            "liberated. Video released by Ukrainian units showed soldiers raising the blue-and-yellow flag in "
            "Blahodatne and Makarivka.")
    cs = extract(text, "2023-06-12", lang="en")
    second = {c.subject for c in cs if c.kind == "control" and c.sentence.startswith("Video")}
    first = {c.subject for c in cs if c.kind == "control" and c.sentence.startswith("Maliar")}
    assert second and second <= first


def test_fronted_reports_denied_after_are_negated(extract: Extract) -> None:
    cs = extract("Berichte über eine Einkesselung der ukrainischen Truppen bei Sudscha wies Kiew zurück.", "2025-03-12",
                 lang="de")
    assert states(cs, "sudzha") == {("encircled", "negated")}


def test_a_tally_of_clashes_is_no_towns_state(extract: Extract) -> None:
    text = ("Russische Truppen greifen weiter bei Pokrowsk an. Die Zahl der Gefechte ist dort so hoch wie an keinem "
            "anderen Frontabschnitt.")
    cs = extract(text, "2025-05-28", lang="de")
    assert not [c for c in cs if c.sentence.startswith("Die Zahl")]


def test_a_locator_inside_a_cues_gap_still_locates_and_an_old_capture_allows_a_new_threat(extract: Extract) -> None:
    cs = extract("Seit Anfang Oktober greifen russische Einheiten die Industriestadt Awdijiwka nördlich von Donezk von "
                 "mehreren Seiten an.", "2024-01-03", lang="de")
    assert {c.subject for c in cs if c.kind == "control"} == {"avdiivka"}
    cs = extract("Im Gebiet Saporischschja greifen russische Truppen wieder das Dorf Robotyne an, das die ukrainische "
                 "Armee im August befreit hatte.", "2024-01-03", lang="de")
    assert ("threatened", "asserted") in states(cs, "robotyne")
