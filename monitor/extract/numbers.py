"""Quantities in German and English notation: "rund 4.000 Quadratkilometer", "0,66 Prozent",
"more than 4,000 square kilometres", "about 19%"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUAL = {
    "about": ("rund", "etwa", "ungefähr", "ca.", "circa", "annähernd", "schätzungsweise", "about",
              "around", "roughly", "some", "approximately", "an estimated", "an average of about",
              "im schnitt etwa", "durchschnittlich"),
    "over": ("über", "mehr als", "gut", "knapp über", "more than", "over", "upwards of", "just over",
             "in excess of", "at least", "mindestens"),
    "under": ("knapp unter", "knapp", "fast", "unter", "weniger als", "nahezu", "beinahe", "almost",
              "nearly", "under", "less than", "just under", "up to", "bis zu", "fewer than"),
}
_QUAL_WORD = {w: q for q, words in _QUAL.items() for w in words}
_QUAL_RE = "|".join(sorted((re.escape(w) for w in _QUAL_WORD), key=len, reverse=True))
_UNIT_KM2 = (r"Quadratkilometer[n]?|Quadratkilometern|km²|km2|qkm|Quadrat-Kilometer|square\s+kilomet(?:er|re)s?|"
             r"sq\.?\s*km|square\s+km")
_UNIT_PCT = r"Prozent|%|percent|per\s+cent|pct"
# A quantity starts with a digit or a qualifier word. The lookahead of those first characters
# spares most positions the fifty qualifier alternatives (it matches nothing the rest would not).
_QUAL_FIRST = "".join(sorted({re.escape(w[0]) for w in _QUAL_WORD}))
QUANTITY = re.compile(
    rf"(?=[\d{_QUAL_FIRST}])(?:\b(?P<qual>{_QUAL_RE})\s+)?(?P<num>\d{{1,3}}(?:[.,]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    rf"(?:\s*(?P<mult>Millionen|Million|Mio\.|million|Tausend|thousand))?"
    rf"\s*(?P<unit>{_UNIT_KM2}|{_UNIT_PCT})(?![\w])",
    re.IGNORECASE)
# Every quantity names its unit: a sentence without one ("in 2024", "3 Tote") skips QUANTITY.
_ANY_UNIT = re.compile(rf"(?=[qksp%])(?:{_UNIT_KM2}|{_UNIT_PCT})", re.IGNORECASE)


_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_SEPS = re.compile(r"[.,]")


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int          # body offsets of the whole match
    end: int
    num_start: int
    value: float
    unit: str           # km2 | percent
    qualifier: str | None
    fraction: bool = False   # said as a fraction ("drei Viertel"): a share only of a named region or country


def parse_number(s: str, lang: str) -> float:
    """'4.000' (de) and '4,000' (en) are 4000; '0,66' (de) and '0.66' (en) are 0.66."""
    thousands, decimal = (".", ",") if lang == "de" else (",", ".")
    if _GROUPED.fullmatch(s):
        seps = set(_SEPS.findall(s))
        if len(seps) == 1 and (thousands in seps or s.count(decimal) > 1):
            return float(re.sub(r"[.,]", "", s))
    return float(s.replace(thousands, "").replace(decimal, "."))


# Shares said as fractions: "three-quarters of the Donetsk region", "zwei Drittel des Gebiets".
_FRACTIONS = {"three-quarters": 75, "three quarters": 75, "drei viertel": 75, "dreiviertel": 75,
              "two-thirds": 67, "two thirds": 67, "zwei drittel": 67, "half": 50, "die hälfte": 50,
              "a third": 33, "one third": 33, "one-third": 33, "ein drittel": 33, "a quarter": 25,
              "one quarter": 25, "ein viertel": 25, "one-quarter": 25, "a fifth": 20, "one fifth": 20,
              "one-fifth": 20, "ein fünftel": 20, "a tenth": 10, "ein zehntel": 10, "four-fifths": 80,
              "vier fünftel": 80}
FRACTION = re.compile(
    rf"(?:\b(?P<qual>{_QUAL_RE})\s+)?\b(?P<frac>{'|'.join(sorted(map(re.escape, _FRACTIONS), key=len, reverse=True))})"
    r"(?=\s+(?:of|des|der)\b)", re.IGNORECASE)
# The words every fraction above contains: most sentences have none and skip FRACTION.
_FRACTION_WORD = re.compile(r"(?=[vdhfzqt])(?:viertel|drittel|hälfte|fünftel|zehntel|quarter|third|half|fifth|tenth)",
                            re.IGNORECASE)


def find_quantities(text: str, offset: int, lang: str) -> list[Quantity]:
    out: list[Quantity] = []
    for m in FRACTION.finditer(text) if _FRACTION_WORD.search(text) else ():
        qual = m.group("qual")
        out.append(Quantity(offset + m.start(), offset + m.end(), offset + m.start("frac"),
                            _FRACTIONS[m.group("frac").lower()], "percent",
                            _QUAL_WORD.get(qual.lower()) if qual else None, fraction=True))
    for m in QUANTITY.finditer(text) if _ANY_UNIT.search(text) else ():
        try:
            value = parse_number(m.group("num"), lang)
        except ValueError:
            continue
        mult = (m.group("mult") or "").lower()
        if mult.startswith(("mio", "million")):
            value *= 1_000_000
        elif mult in ("tausend", "thousand"):
            value *= 1000
        unit_raw = m.group("unit").lower()
        unit = "percent" if re.match(_UNIT_PCT, unit_raw, re.IGNORECASE) else "km2"
        if unit == "percent" and value > 100:
            continue
        qual = m.group("qual")
        out.append(Quantity(offset + m.start(), offset + m.end(), offset + m.start("num"),
                            int(value) if value.is_integer() else value, unit,
                            _QUAL_WORD.get(qual.lower()) if qual else None))
    return out
