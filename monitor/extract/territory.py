"""territory: how much of a region is held (share_*, area_*) or was taken (gain_*, with period).

A percentage needs a holding cue in its clause ("kontrolliert", "unter russischer Kontrolle");
an area a holding or taking cue; the side comes from the doer. The region is the one named with
the number ("des Gebiets Kursk", "Im Gebiet Donezk ... der Fläche", "there"), else Ukraine.
"""

from __future__ import annotations

import re

from monitor.extract.dates import find_past_times
from monitor.extract.doc import Doc, Sent, actor_for, stretch_bounds
from monitor.extract.entities import Ref
from monitor.extract.lexicon import Hit, longest
from monitor.extract.modality import assess
from monitor.extract.numbers import Quantity
from monitor.extract.text import Clause
from monitor.models import Claim

_HOLD = ("control.hold", "control.under_russia", "control.under_ukraine", "control.under_actor",
         "control.occupied")
_GAIN = ("territory.gain", "territory.regain")
_REGION_TYPES = ("oblast", "region")
_BARE_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]\d)")
_LIST_SEP = re.compile(r"^\s*(?:,|und|and|sowie|,\s*and)\s*$")


class TerritoryExtractor:
    kind = "territory"

    def extract(self, doc: Doc, sent: Sent) -> list[Claim]:
        out: list[Claim] = []
        for q in sent.quantities:
            clause = sent.clause_of(q.start)
            if q.unit == "percent":
                if _of_town(doc, sent, q):
                    continue
                cue = _nearest(sent.group(*_HOLD), clause, q)
                if cue is None:
                    continue
                side, actor_words = _side(sent, clause, cue)
                attribute = f"share_{side}" if side else None
                period = as_of = None
            else:
                cue = _nearest(longest(sent.group(*_GAIN, *_HOLD)), clause, q)
                if cue is None:
                    holds = sent.group(*_HOLD)
                    cue = min(holds, key=lambda h: abs(h.start - q.start)) if holds else None
                if cue is None:
                    continue
                side, actor_words = _side(sent, clause, cue)
                if cue.group in _GAIN:
                    attribute = f"gain_{side}" if side else None
                    period, as_of = _period(doc, sent, clause, q)
                else:
                    attribute = f"area_{side}" if side else None
                    period = as_of = None
            if attribute is None:
                continue
            gain = attribute.startswith("gain_")
            regions = _regions(doc, sent, clause, q, gain)
            if _OF_TAKEN_AREA.match(doc.body, q.end):
                continue   # "86 Prozent des zuvor von der Ukraine besetzten Gebiets": a share of what was taken
            if q.fraction and not _names_land(doc, sent, q):
                continue   # "die Hälfte der Kraftwerkskapazität": a fraction of something else
            if attribute == "gain_russia" and cue.group == "territory.regain" and regions == [("ukraine", "")]:
                regions = [_russian_region(doc)]   # Russia winning back land (Kursk): the land is Russia's
            if not gain:
                # "Im vergangenen August hatten sie dort mehr als 1.300 km² unter Kontrolle", "At its
                # peak, Kyiv said it controlled about 1,300 km²": what was held then, not now
                # only a clause told in the past ("Moscow now controls 19 percent, including Crimea,
                # which it annexed in 2014" holds now)
                times = [t for t in doc.past_times(sent, clause) if t.value[:4].isdigit()] \
                    if sent.is_past_clause(clause) and not _NOW.search(sent.clause_text(clause, doc.body)) else []
                if not times and _PEAK.search(sent.text):
                    times = find_past_times(sent.text, sent.start, doc.date, True)
                    if not times:
                        continue
                pluperfect = _PLUPERFECT.search(sent.clause_text(clause, doc.body))
                if not times and pluperfect and (m := _BEFORE_WAR.search(sent.text)):
                    # "Vor der Invasion hatten die Separatisten seit 2014 ein Drittel ... kontrolliert"
                    as_of = m.group(1) or "2022"
                elif times:
                    as_of = times[0].value[:4]
                elif (seg := _stretch(doc, sent, q)) and _PAST_VERB.search(seg[2]):
                    # "rund 70 Prozent, Ende 2023 waren es noch 59 Prozent": the number's own stretch
                    # of text is told in the past
                    past = [t for t in find_past_times(seg[2], seg[0], doc.date, True) if t.value[:4].isdigit()]
                    if past:
                        as_of = past[0].value[:4]
            mod = assess(sent, q.start, own_side=side)
            for ref in regions:
                out.append(doc.claim(sent, kind="territory", subject=ref[0], subject_name=ref[1],
                                     attribute=attribute, value=q.value, unit=q.unit,
                                     qualifier=q.qualifier, period=period, modality=mod.value,
                                     as_of=as_of,
                                     rule=f"territory.{cue.name}.{doc.lang}",
                                     cues=[cue.text, actor_words, *mod.cues],
                                     actor=side if gain else None, attribution=mod.attribution))
        return out


_NOW = re.compile(r"\b(?:now|currently|today|inzwischen|mittlerweile|derzeit|aktuell|nun|heute)\b", re.IGNORECASE)
_PEAK = re.compile(r"\b(?:at\s+(?:its|the|their|his)\s+(?:peak|height)|at\s+one\s+point|auf\s+dem\s+Höhepunkt|zeitweise|"
                   r"zwischenzeitlich|in\s+der\s+Spitze|zu\s+Spitzenzeiten)\b", re.IGNORECASE)


def _nearest(hits: list[Hit], clause: Clause, q: Quantity) -> Hit | None:
    inside = [h for h in hits if clause.contains(h.start)]
    return min(inside, key=lambda h: abs(h.start - q.start)) if inside else None


def _side(sent: Sent, clause: Clause, cue: Hit) -> tuple[str | None, str]:
    if cue.group == "control.under_russia":
        return "russia", ""
    if cue.group == "control.under_ukraine":
        return "ukraine", ""
    if cue.group == "control.occupied":
        side, words = actor_for(sent, clause, cue)
        return side or "russia", words
    side, words = actor_for(sent, clause, cue)
    if cue.group == "territory.gain":
        return side or "russia", words
    if cue.group == "territory.regain":
        if side is None and sent.group("attribution.russia") and not sent.group("attribution.ukraine"):
            return "russia", ""   # Gerasimov: "1100 km² zurückerobert" is Russia's regain
        return side or "ukraine", words
    return side, words


def _of_town(doc: Doc, sent: Sent, q: Quantity) -> bool:
    """"40 Prozent der Stadt" is a share of a town: no territory claim."""
    if any(h.start >= q.end and h.start - q.end <= 3 for h in sent.group("territory.part_of_town")):
        return True
    return any(r.type == "place" and 0 <= r.start - q.end <= 14 and re.fullmatch(
        r"\s*(?:%|Prozent|percent|per\s+cent)?\s*(?:der|des|von|of)\s+(?:the\s+(?:town|city)\s+of\s+|der\s+Stadt\s+)?",
        doc.body[q.end:r.start], re.IGNORECASE) for r in sent.refs)


_OF_TAKEN_AREA = re.compile(r"\s*(?:des|der|of\s+the)\s+(?:[\w-]+\s+){0,6}?(?:besetzten|eroberten|eingenommenen|"
                            r"kontrollierten|seized|captured|occupied|taken)\s+(?:Gebiets|Gebiete|Territoriums|Fläche|"
                            r"territory|land|area)\b|\s+of\s+the\s+(?:territory|land|area)\s+(?:it|they|Ukraine|Kyiv|"
                            r"Russia)\s+(?:had\s+)?(?:seized|captured|taken|occupied)", re.IGNORECASE)
_PLUPERFECT = re.compile(r"\b(?:hatte|hatten|had)\b", re.IGNORECASE)
# the time before the full invasion, or since a year: what was held then, not now
_BEFORE_WAR = re.compile(r"\b(?:vor\s+(?:der|dem)\s+(?:russischen\s+)?(?:Invasion|Einmarsch|Angriff|Krieg|Kriegsbeginn)|"
                         r"before\s+the\s+(?:full-scale\s+|russian\s+)?(?:invasion|war)|"
                         r"(?:seit|since)\s+((?:19|20)\d\d))", re.IGNORECASE)
_PAST_VERB = re.compile(r"\b(?:war|waren|hatte|hatten|was|were|had)\b", re.IGNORECASE)


def _stretch(doc: Doc, sent: Sent, q: Quantity) -> tuple[int, int, str]:
    """The stretch of text a number stands in: between commas, dashes or semicolons."""
    start, end = stretch_bounds(doc.body, sent, q.start, q.end)
    return start, end, doc.body[start:end]


def _period(doc: Doc, sent: Sent, clause: Clause, q: Quantity) -> tuple[str | None, str | None]:
    """The period of a gain: the time named nearest the number, first in its own stretch of text
    (between commas), then in its clause, then anywhere before it in the sentence. A rate
    ("im Monat") is itself; "this year", "seit Jahresbeginn", "for the year" are the article's
    year; a year ("2023", "im Jahr 2024", "across 2024") is that year; a single month ("im
    November", "in August", "this month") is a month's gain, ``per-month``."""
    # a stretch ends at a comma, a dash or a semicolon ("etwa 470 km² – mehr als in jedem anderen
    # Monat dieses Jahres": the year belongs to the comparison)
    seg_start, seg_end, _ = _stretch(doc, sent, q)
    marks = _time_marks(doc, sent)

    def dist(pos: int) -> int:
        return q.start - pos if pos < q.start else pos - q.end + 1

    for inside in (lambda p: seg_start <= p < seg_end, clause.contains, lambda p: p < q.start):
        near = [(dist(p), v, y) for p, v, y in marks if inside(p)]
        if near:
            _, period, year = min(near)
            return period, (year if year and int(year) < doc.date.year else None)
    return None, None


_MONTH_WORDS = re.compile(r"\b(?:(?:im|in|am|of|during|allein\s+im)\s+(?:(?:vergangenen|letzten|early|late|mid-?)\s+)?"
                          r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
                          r"January|February|March|May|June|July|October|December)(?:\s+((?:19|20)\d\d))?|"
                          r"this\s+month|last\s+month|in\s+diesem\s+Monat|im\s+vergangenen\s+Monat|im\s+letzten\s+Monat|"
                          r"im\s+laufenden\s+Monat|diesen\s+Monat)\b", re.IGNORECASE)
_FOR_YEAR = re.compile(r"\b(?:for\s+the\s+year|total\s+for\s+the\s+year|im\s+gesamten\s+Jahr|seit\s+Januar|"
                       r"since\s+January|im\s+Jahresverlauf)\b", re.IGNORECASE)


def _time_marks(doc: Doc, sent: Sent) -> list[tuple[int, str, str | None]]:
    """Times a gain can be counted over: (body offset, period, year it names)."""
    year = str(doc.date.year)
    marks: list[tuple[int, str, str | None]] = []
    for rate in ("per-month", "per-week", "per-day"):
        marks += [(h.start, rate, None) for h in sent.group(f"territory.{rate}")]
    marks += [(h.start, year, year) for h in sent.group("territory.this-year")]
    marks += [(h.start, str(doc.date.year - 1), str(doc.date.year - 1)) for h in sent.group("territory.last-year")]
    marks += [(m.start(), year, year) for m in _FOR_YEAR.finditer(doc.body, sent.start, sent.end)]
    # "seit Anfang Oktober", "since the start of October": a start, not a month's gain
    marks += [(m.start(), "per-month", m.group(1)) for m in _MONTH_WORDS.finditer(doc.body, sent.start, sent.end)
              if not re.search(r"\b(?:seit|since)\s+(?:[\w-]+\s+){0,3}$", doc.body[max(sent.start, m.start() - 30):m.start()],
                               re.IGNORECASE)]
    named = [p for p, v, _ in marks if not v[:1].isdigit()]
    for m in _BARE_YEAR.finditer(doc.body, sent.start, sent.end):
        before = doc.body[max(sent.start, m.start() - 12):m.start()].lower()
        after = doc.body[m.end():m.end() + 3]
        if any(0 < m.start() - p <= 30 for p in named):
            continue   # "im März 2022": the month's year
        if 2000 <= int(m.group(1)) <= doc.date.year and not re.search(r"(seit|since|bis|until|von|from)\s+\S*\s*$", before) \
                and not after.startswith(("-", "–")):
            marks.append((m.start(), m.group(1), m.group(1)))
    return marks


def _regions(doc: Doc, sent: Sent, clause: Clause, q: Quantity, gain: bool) -> list[tuple[str, str]]:
    regs = [r for r in sent.refs_of(_REGION_TYPES, clause) if r.type == "oblast" or r.region_phrase]
    after = [r for r in regs if q.end <= r.start <= q.end + 40
             and re.match(r"\s*(?:der|des|of|in|im|the|von)\b", doc.body[q.end:r.start], re.IGNORECASE)
             and not any(c in doc.body[q.end:r.start] for c in ",;:")]
    chosen: Ref | None = after[0] if after else None
    if chosen is None and _of_the_country(doc, sent, q):
        return [("ukraine", "")]   # "19% of Ukraine, including ... most of the Luhansk region"
    if chosen is None and _RUSSIAN_AFTER.match(doc.body, q.end):
        return [("russia", "")]    # "1150 Quadratkilometer russischen Gebiets"
    if chosen is None and _REGION_AFTER.match(doc.body, q.end):
        # "95 Prozent des Gebiets", "of the region": the oblast named before, or in an official's title
        anaphor = _oblast_before(doc, sent, q)
        return [anaphor] if anaphor else []
    if chosen is None and gain:
        # "Im Gebiet Cherson seien ... rund 500 Quadratkilometer zurückgewonnen worden": the region the
        # clause opens with
        fronted = [r for r in regs if r.start < q.start and clause.contains(r.start)
                   and re.search(r"\b(?:im|in)\s+(?:the\s+|dem\s+)?(?:[\w-]+\s+)?$",
                                 doc.body[max(sent.start, r.start - 20):r.start], re.IGNORECASE)]
        chosen = fronted[0] if fronted else None
    if chosen is None and not gain:
        before = [r for r in regs if r.start < q.start]
        chosen = before[-1] if before else None
        if chosen is None:
            earlier = [r for r in sent.refs_of(("oblast",)) if r.start < q.start]
            if earlier:
                chosen = earlier[-1]
        if chosen is None and sent.in_clause("control.there", clause):
            for prev in doc.previous(sent, 2):
                pr = prev.refs_of(_REGION_TYPES)
                if pr:
                    chosen = pr[-1]
                    break
    if chosen is None:
        return [("ukraine", "")]
    group = _list_of(doc, sent, chosen)
    return [(r.id, r.surface) for r in group]


_COUNTRY_AFTER = re.compile(r"\s*(?:of|der|des)\s+(?:the\s+)?(?:Ukraine|ukrainischen\s+(?:Staatsgebiet|Territorium|Fläche)\w*|"
                            r"Ukraine's\s+territory|the\s+country|des\s+Landes|Ukrainian\s+territory)",
                            re.IGNORECASE)


_RUSSIAN_AFTER = re.compile(r"\s*(?:of\s+)?(?:russischen\s+(?:Gebiets|Territoriums|Staatsgebiets|Bodens)|Russian\s+(?:territory|soil|land))",
                            re.IGNORECASE)
_REGION_AFTER = re.compile(r"\s*(?:des\s+(?:Gebiets|Gebietes|Oblasts|Verwaltungsgebiets)|der\s+(?:Region|Oblast|Provinz)|"
                           r"of\s+the\s+(?:region|province|oblast))\b(?!\s+(?:of\s+)?[A-ZÄÖÜ])", re.IGNORECASE)
_TITLE_AFTER = re.compile(r"\s*(?:regional\s+)?(?:governor|gouverneur|region|oblast)\b", re.IGNORECASE)


_BORDER_OBLASTS = ("kursk-oblast", "belgorod-oblast", "bryansk-oblast")


def _russian_region(doc: Doc) -> tuple[str, str]:
    """The Russian region an article about fighting on Russian soil names most (the Kursk region
    of Ukraine's incursion, its town Kursk included), else Russia."""
    counts: dict[str, int] = {}
    for s in doc.sentences:
        for r in s.refs:
            oblast = r.id if r.id in _BORDER_OBLASTS else r.oblast if r.oblast in _BORDER_OBLASTS else None
            if oblast:
                counts[oblast] = counts.get(oblast, 0) + 1
    if not counts:
        return ("russia", "")
    best = max(counts, key=lambda k: counts[k])
    return (best, "")


def _oblast_before(doc: Doc, sent: Sent, q: Quantity) -> tuple[str, str] | None:
    """The oblast "des Gebiets"/"of the region" refers back to: named last in this sentence or the
    three before it, as an oblast or in a title ("Luhansk governor", "Gouverneur des Gebiets
    Luhansk")."""
    for s in (sent, *doc.previous(sent, 3)):
        found: list[tuple[int, tuple[str, str]]] = []
        for r in s.refs:
            if s is sent and r.start >= q.start:
                continue
            if r.type == "oblast":
                found.append((r.start, (r.id, r.surface)))
            elif r.type == "place" and _TITLE_AFTER.match(doc.body, r.end) and r.oblast == f"{r.id}-oblast":
                found.append((r.start, (r.oblast, r.surface)))
        if found:
            return max(found)[1]
    return None


def _names_land(doc: Doc, sent: Sent, q: Quantity) -> bool:
    """A fraction is a share of land only when a region, the country or territory follows it."""
    if _of_the_country(doc, sent, q) or _RUSSIAN_AFTER.match(doc.body, q.end) or _REGION_AFTER.match(doc.body, q.end):
        return True
    return any(r.type in _REGION_TYPES and 0 <= r.start - q.end <= 30 for r in sent.refs) or bool(
        re.match(r"\s*(?:of|des|der)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:territory|territoriums|staatsgebiets|land|landes|gebiets|region|fläche|gesamtfläche)\b",
                 doc.body[q.end:q.end + 60], re.IGNORECASE))


def _of_the_country(doc: Doc, sent: Sent, q: Quantity) -> bool:
    return bool(_COUNTRY_AFTER.match(doc.body, q.end))


def _list_of(doc: Doc, sent: Sent, ref: Ref) -> list[Ref]:
    """"In den Regionen Saporischschja und Cherson": every region of the list."""
    regs = sent.refs_of(_REGION_TYPES)
    i = next((k for k, r in enumerate(regs) if r is ref), -1)
    if i < 0:
        return [ref]
    lo = hi = i
    while lo > 0 and _LIST_SEP.match(doc.body[regs[lo - 1].end:regs[lo].start]):
        lo -= 1
    while hi + 1 < len(regs) and _LIST_SEP.match(doc.body[regs[hi].end:regs[hi + 1].start]):
        hi += 1
    return regs[lo:hi + 1]
