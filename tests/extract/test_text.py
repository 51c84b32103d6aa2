"""Reading: sentences with spans, clauses, language, numbers, dates."""

from __future__ import annotations

import datetime as dt

from monitor.extract.dates import find_dates, find_past_times, weekday_date
from monitor.extract.numbers import find_quantities, parse_number
from monitor.extract.text import Lemmatizer, detect_language, split_clauses, split_sentences


def sentences(body: str) -> list[str]:
    return [body[s.start:s.end] for s in split_sentences(body)]


def test_sentences_survive_ordinals_and_abbreviations() -> None:
    body = ("Am 15. August trafen sich die Delegationen, z. B. in Genf. Laut Artikel Nr. 3 gilt das. "
            "Dr. Müller sagte, die USA hätten 1,2 Mio. Dollar zugesagt. Im Jahr 2024. Danach kam es anders.")
    assert sentences(body) == [
        "Am 15. August trafen sich die Delegationen, z. B. in Genf.",
        "Laut Artikel Nr. 3 gilt das.",
        "Dr. Müller sagte, die USA hätten 1,2 Mio. Dollar zugesagt.",
        "Im Jahr 2024.",
        "Danach kam es anders.",
    ]


def test_sentence_spans_point_into_the_body() -> None:
    body = "Titel ohne Punkt\n\nErster Satz. Zweiter Satz!\nDritte Zeile"
    spans = split_sentences(body)
    assert [body[s.start:s.end] for s in spans] == ["Titel ohne Punkt", "Erster Satz.", "Zweiter Satz!", "Dritte Zeile"]


def test_english_initials_and_us_do_not_split() -> None:
    assert sentences("The U.S. President met J. D. Vance. Then he left.") == [
        "The U.S. President met J. D. Vance.", "Then he left."]


def test_relative_clause_resumes_the_outer_clause() -> None:
    text = "Die Einnahme Pokrowsks, die Blogger vorhergesagt hatten, ist Moskau nicht gelungen."
    clauses = split_clauses(text, 0)
    outer = next(c for c in clauses if c.kind == "main")
    rel = next(c for c in clauses if c.kind == "rel")
    assert [text[a:b] for a, b in outer.parts] == ["Die Einnahme Pokrowsks", " ist Moskau nicht gelungen."]
    assert text[rel.parts[0][0]:rel.parts[0][1]].strip().startswith("die Blogger")


def test_not_only_but_also_stays_one_clause() -> None:
    text = "Die Truppen kontrollieren nicht nur Balaklija, sondern auch Isjum."
    assert len(split_clauses(text, 0)) == 1
    text2 = "Die Truppen kontrollieren Balaklija, aber Isjum ist umkämpft."
    assert len(split_clauses(text2, 0)) == 2


def test_language_detection() -> None:
    assert detect_language("Die russische Armee hat die Stadt erobert, teilte das Ministerium mit.") == "de"
    assert detect_language("Russian forces have captured the town, the ministry said on Sunday.") == "en"
    assert detect_language("Las fuerzas rusas tomaron la ciudad según el ministerio de defensa.") is None
    assert detect_language("1 2 3 4 5 6 7 8 9") is None


def test_lemmas_are_cached_per_language() -> None:
    lem = Lemmatizer()
    toks = lem.tokenize("Russland eroberte die Stadt", 10, "de")
    assert [t.lemma for t in toks][:2] == ["russland", "erobern"]
    assert toks[0].start == 10 and toks[0].end == 18


def test_numbers_in_german_and_english_notation() -> None:
    assert parse_number("4.000", "de") == 4000
    assert parse_number("0,66", "de") == 0.66
    assert parse_number("4,000", "en") == 4000
    assert parse_number("3,300", "en") == 3300
    assert parse_number("1.100", "de") == 1100
    assert parse_number("0.5", "en") == 0.5


def test_quantities_with_units_and_qualifiers() -> None:
    q = find_quantities("rund 4.000 Quadratkilometer, knapp 18 Prozent und mehr als 1.100 km²", 0, "de")
    assert [(x.value, x.unit, x.qualifier) for x in q] == [(4000, "km2", "about"), (18, "percent", "under"),
                                                         (1100, "km2", "over")]
    q = find_quantities("about 4,600 square kilometres, more than 75 percent, almost 20 per cent, gut 400", 0, "en")
    assert [(x.value, x.unit, x.qualifier) for x in q] == [(4600, "km2", "about"), (75, "percent", "over"),
                                                         (20, "percent", "under")]
    assert find_quantities("knapp 40 Kilometer und 1.200 Kriegsgefangene", 0, "de") == []


def test_weekdays_resolve_against_the_article_date() -> None:
    monday = dt.date(2025, 8, 11)
    assert weekday_date(monday, 4, past=False) == dt.date(2025, 8, 15)   # am Freitag
    assert weekday_date(dt.date(2025, 8, 16), 4, past=True) == dt.date(2025, 8, 15)
    assert weekday_date(dt.date(2023, 5, 21), 6, past=True) == dt.date(2023, 5, 21)  # Sonntag am Sonntag
    dates = find_dates("Sie treffen sich am Dienstag, nicht erst next week", 0, dt.date(2025, 2, 17), past=False)
    assert [d.date for d in dates] == [dt.date(2025, 2, 18)]
    last = find_dates("said last Thursday", 0, dt.date(2025, 11, 24), past=False)
    assert [d.date for d in last] == [dt.date(2025, 11, 20)]


def test_past_times_give_as_of() -> None:
    art = dt.date(2022, 9, 11)
    assert [p.value for p in find_past_times("die 2014 erst zurückerobert wurde", 0, art, False)] == ["2014"]
    assert [p.value for p in find_past_times("hatten Isjum Anfang April erobert", 0, art, True)] == ["2022-04"]
    assert find_past_times("hatten Isjum Anfang April erobert", 0, art, False) == []   # needs a past tense
    assert find_past_times("seit 2014 annektiert, seit dem Herbst umkämpft", 0, art, True) == []
    assert find_past_times("die 2014 annektierte Krim", 0, art, False) == []
    assert find_past_times("zum Jahrestag des Kriegsendes 1945", 0, art, False) == []


def test_a_relative_clause_ends_where_the_main_clause_resumes_with_a_capital() -> None:
    text = "Near Marinka, which Russia captured in December, Russian bloggers said the troops had withdrawn."
    rel = [c for c in split_clauses(text, 0) if c.kind == "rel"]
    assert [text[a:b] for a, b in rel[0].parts] == [" which Russia captured in December"]
    # a list inside the relative clause stays in it
    text = "Russia took three towns, which include Pokrovsk, Myrnohrad and Toretsk, this year."
    rel = [c for c in split_clauses(text, 0) if c.kind == "rel"]
    assert "Myrnohrad" in "".join(text[a:b] for a, b in rel[0].parts)


def test_an_english_date_before_a_capital_ends_the_sentence() -> None:
    text = "Moscow made the claim on Nov. 20. The military denied it. Die 3. Brigade hielt am 20. August stand."
    assert [text[s.start:s.end] for s in split_sentences(text)] == [
        "Moscow made the claim on Nov. 20.", "The military denied it.", "Die 3. Brigade hielt am 20. August stand."]
