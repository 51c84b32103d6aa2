"""Dates in a sentence: weekdays and calendar dates resolved against the article's date, and the
past time a clause places a fact in (``as_of``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEEKDAYS = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5,
    "sonntag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10,
    "december": 12, "jan": 1, "feb": 2, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_SEASONS = {"frühjahr": 4, "frühling": 4, "sommer": 7, "herbst": 10, "winter": 1,
            "spring": 4, "summer": 7, "autumn": 10, "fall": 10}
_WD = "|".join(_WEEKDAYS)
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
# Lookaheads of the first letters a match can start with (see AS_OF below).
_WEEKDAY_FIRST = "".join(sorted({w[0] for w in (*_WEEKDAYS, "am", "on", "auf", "bis", "by", "until", "ab", "vom", "seit",
                                                "next", "last", "this", "coming", "kommenden", "vergangenen",
                                                "letzten", "nächsten", "diesen")}))
_MON_FIRST = "".join(sorted({m[0] for m in MONTHS}))
WEEKDAY = re.compile(
    rf"(?=[{_WEEKDAY_FIRST}])\b(?P<pre>(?:am|on|auf|bis|by|until|ab|vom|seit|next|last|this|coming|kommenden?|vergangenen?|"
    rf"letzten?|nächsten?|diesen?)\s+)?(?:(?:kommenden?|vergangenen?|letzten?|nächsten?)\s+)?"
    rf"(?P<wd>{_WD})(?:abend|morgen|nachmittag|vormittag)?\b", re.IGNORECASE)
CALENDAR = re.compile(
    rf"(?=[\d{_MON_FIRST}])\b(?:(?P<d1>\d{{1,2}})\.\s*(?P<m1>{_MON})|(?P<m2>{_MON})\.?\s+(?P<d2>\d{{1,2}})(?!\d)|"
    rf"(?P<d3>\d{{1,2}})\s+(?P<m3>{_MON}))(?:\.?,?\s+(?P<y>(?:19|20)\d\d))?\b", re.IGNORECASE)
# A past time: "im Juli 2014", "Anfang März 2022", "in February 2024", "2022", "in late May",
# "im Frühjahr". The year is optional only with a month or season.
# The first letters of the words a past time can start with (the prefixes, months, seasons) and of
# a year: the lookahead lets every other position fail on one test. Keep it in step with AS_OF.
_AS_OF_FIRST = "".join(sorted({"1", "2", *(w[0] for w in (*MONTHS, *_SEASONS, "im", "in", "ende", "anfang", "mitte",
                                                         "early", "late", "mid", "the", "seit", "since", "bis",
                                                         "until", "of"))}))
AS_OF = re.compile(
    rf"(?=[{_AS_OF_FIRST}])(?:(?:\b(?:im\s+|in\s+|ende\s+|anfang\s+|mitte\s+|early\s+|late\s+|mid-?\s*|the\s+|in\s+the\s+)*"
    rf"(?P<mon>{_MON}|{'|'.join(_SEASONS)})\b(?:\s+(?P<y1>(?:19|20)\d\d))?)"
    rf"|(?P<pre>\b(?:im\s+jahr\s+|in\s+|im\s+|seit\s+|since\s+|bis\s+|until\s+|of\s+)?)(?P<y2>\b(?:19|20)\d\d\b))",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateRef:
    start: int
    end: int
    date: dt.date
    prefix: str      # the preposition before it ("bis", "by" mark deadlines)


def weekday_date(article: dt.date, weekday: int, past: bool) -> dt.date:
    """The weekday nearest the article's date in the direction the text speaks of (same day: 0)."""
    if past:
        return article - dt.timedelta(days=(article.weekday() - weekday) % 7)
    return article + dt.timedelta(days=(weekday - article.weekday()) % 7)


def find_dates(text: str, offset: int, article: dt.date, past: bool) -> list[DateRef]:
    out: list[DateRef] = []
    for m in CALENDAR.finditer(text):
        day = int(m.group("d1") or m.group("d2") or m.group("d3"))
        mon = MONTHS[(m.group("m1") or m.group("m2") or m.group("m3")).lower()]
        year = int(m.group("y")) if m.group("y") else article.year
        try:
            out.append(DateRef(offset + m.start(), offset + m.end(), dt.date(year, mon, day), ""))
        except ValueError:
            continue
    for m in WEEKDAY.finditer(text):
        pre = (m.group("pre") or "").strip().lower()
        text_l = m.group().lower()
        direction_past = past
        if any(w in text_l for w in ("last", "vergangen", "letzt")):
            direction_past = True
        elif any(w in text_l for w in ("next", "coming", "kommend", "nächst")):
            direction_past = False
        d = weekday_date(article, _WEEKDAYS[m.group("wd").lower()], direction_past)
        if any(w in text_l for w in ("next", "nächst")) and d == article:
            d += dt.timedelta(days=7)
        if direction_past and any(w in text_l for w in ("last", "vergangen", "letzt")) and d == article:
            d -= dt.timedelta(days=7)
        out.append(DateRef(offset + m.start(), offset + m.end(), d, pre))
    return out


@dataclass(frozen=True, slots=True)
class PastTime:
    start: int
    end: int
    value: str        # "2022" or "2022-04"


def find_past_times(text: str, offset: int, article: dt.date, pluperfect: bool) -> list[PastTime]:
    """Explicit past times. A month or season without a year counts only in a pluperfect or
    past-tense clause (``pluperfect``), and then means the article's year (or the year before when
    the month lies after the article's)."""
    out: list[PastTime] = []
    for m in AS_OF.finditer(text):
        if m.group("y2"):
            pre = (m.group("pre") or "").strip().lower()
            year = int(m.group("y2"))
            if pre in ("seit", "since", "bis", "until", "of") or year > article.year or year < 2000:
                continue
            after = text[m.end():m.end() + 12].lower().lstrip()
            if after.startswith(("annekt", "annex")):
                continue   # "die 2014 annektierte Krim": the year of the annexation
            out.append(PastTime(offset + m.start("y2"), offset + m.end(), str(year)))
            continue
        if re.search(r"(?:seit|since|bis|until)\s+(?:dem\s+|the\s+)?$", text[max(0, m.start() - 12):m.start()],
                     re.IGNORECASE):
            continue   # "seit dem Herbst", "since March 2022": a start, not the time of the fact
        mon_s = m.group("mon").lower()
        mon = MONTHS.get(mon_s) or _SEASONS.get(mon_s, 0)
        if not m.group("y1") and not re.search(r"\b(?:im|in|the|anfang|mitte|ende|early|late|mid|last|this|"
                                               r"vergangenen|letzten|diesem|(?:days|weeks|end|start|beginning|middle)\s+of)\W*$",
                                               text[max(0, m.start() - 14):m.start()] + m.group()[:0], re.IGNORECASE) \
                and not re.match(r"(?i)(?:im|in|anfang|mitte|ende|early|late|mid)\b", m.group()):
            continue   # "The fall of Pokrovsk", "Mai" as a name: a month needs its preposition
        if mon_s == "may" and not m.group("y1") and not re.search(r"(?:in|late|early|mid)\s+may$",
                                                                  m.group().lower()):
            continue   # the modal verb
        if m.group("y1"):
            year = int(m.group("y1"))
            if year > article.year:
                continue
            out.append(PastTime(offset + m.start(), offset + m.end(), f"{year}-{mon:02d}"))
        elif pluperfect:
            year = article.year if mon <= article.month else article.year - 1
            out.append(PastTime(offset + m.start(), offset + m.end(), f"{year}-{mon:02d}"))
    return out
