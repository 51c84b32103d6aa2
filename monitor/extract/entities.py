"""Entity mentions: Ukrainian places from the gazetteer, and the topics' people, countries, venues
and offices ("US-Präsident" is whoever held the office on the article's date).

Both finders are one Aho-Corasick pass over the text, whatever the number of names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import ahocorasick

from monitor.gazetteer import OBLAST, SETTLEMENT, Gazetteer
from monitor.gazetteer import Mention as GMention
from monitor.topics import Office, TopicSet

_APOS = "'’"


@dataclass(frozen=True, slots=True)
class Ref:
    """One mention of an entity in the body."""

    start: int
    end: int
    surface: str
    id: str
    type: str                  # place | oblast | region | country | person | venue
    form: str = "base"         # base | genitive | adjective
    region_phrase: bool = False
    oblast: str | None = None  # a place's oblast
    country: str | None = None  # a venue's or person's country
    candidates: tuple[str, ...] = ()  # other readings (ids), for disambiguation
    office: bool = False       # named by a title ("US-Präsident")


@dataclass(frozen=True, slots=True)
class _Name:
    key: str
    id: str
    type: str
    office: int = -1


class TopicEntityFinder:
    """People, countries and venues of the topic files (and offices)."""

    def __init__(self, topics: TopicSet, gazetteer: Gazetteer) -> None:
        self._auto = ahocorasick.Automaton()
        self._country: dict[str, str | None] = {}
        self._offices: list[Office] = topics.offices()
        seen: set[str] = set()
        ents = {e.id: e for e in topics.entities()}
        for e in ents.values():
            if e.type in ("place", "region") and gazetteer.get(e.id) is not None:
                continue   # a Ukrainian place: the gazetteer finds it
            typ = "venue" if e.type in ("place", "region") else e.type
            self._country[e.id] = _country_of(e.id, ents) if typ in ("venue", "person") else e.id
            for name in e.all_names():
                for key in {name, name.upper()} if typ == "venue" else {name}:
                    if key not in seen:
                        seen.add(key)
                        self._auto.add_word(key, _Name(key, e.id, typ))
        for i, office in enumerate(self._offices):
            for names in office.names.values():
                for name in names:
                    if name not in seen:
                        seen.add(name)
                        self._auto.add_word(name, _Name(name, "", "person", i))
        self._empty = not seen
        if not self._empty:
            self._auto.make_automaton()

    def find(self, text: str, offset: int, day: dt.date) -> list[Ref]:
        if self._empty:
            return []
        found: list[tuple[int, int, str, _Name]] = []
        n = len(text)
        for last, name in self._auto.iter(text):
            start = last - len(name.key) + 1
            end = last + 1
            if start > 0 and text[start - 1].isalnum():
                continue
            form = "base"
            if end < n and text[end].isalnum():
                if text[end] == "s" and (end + 1 == n or not text[end + 1].isalnum()):
                    end, form = end + 1, "genitive"
                else:
                    continue
            elif end + 1 < n and text[end] in _APOS and text[end + 1] == "s":
                end, form = end + 2, "genitive"
            elif end < n and text[end] == "-" and name.type != "person":
                continue   # a compound: "Kachowka-Stausee", "Washington-Besuch"
            found.append((start, end, form, name))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        refs: list[Ref] = []
        taken = -1
        for start, end, form, name in found:
            if start < taken:
                continue
            taken = end
            if name.office >= 0:
                holder = self._offices[name.office].holder_on(day)
                if holder is None:
                    continue
                refs.append(Ref(offset + start, offset + end, text[start:end], holder, "person", form,
                                country=self._country.get(holder), office=True))
            else:
                refs.append(Ref(offset + start, offset + end, text[start:end], name.id, name.type, form,
                                country=self._country.get(name.id)))
        return _drop_titles(refs, text, offset)


def _drop_titles(refs: list[Ref], text: str, offset: int) -> list[Ref]:
    """A title followed by a name ("US-Präsident Joe Biden") is that name, not the office holder."""
    out: list[Ref] = []
    for i, r in enumerate(refs):
        if r.office and i + 1 < len(refs) and refs[i + 1].type == "person":
            gap = text[r.end - offset: refs[i + 1].start - offset]
            # only names between: "US-Präsident Joe Biden", not "US-Präsident empfing den Kremlchef"
            if len(gap) <= 30 and all(w[:1].isupper() for w in gap.split()):
                continue
        out.append(r)
    return out


def _country_of(ident: str, ents: Mapping[str, object]) -> str | None:
    seen: set[str] = set()
    cur: str | None = ident
    while cur and cur not in seen:
        seen.add(cur)
        e = ents.get(cur)
        if e is None:
            return None
        if getattr(e, "type", None) == "country":
            return cur
        cur = getattr(e, "region", None)
    return None


def place_refs(gazetteer: Gazetteer, text: str, offset: int) -> list[Ref]:
    """Gazetteer mentions as refs; a name with several readings keeps them as candidates."""
    out: list[Ref] = []
    for m in gazetteer.find(text):
        out.append(_ref_of(m, offset))
    return out


def _ref_of(m: GMention, offset: int) -> Ref:
    cands = m.candidates
    first = cands[0] if cands else None
    if m.region_phrase or (first is not None and first.kind != SETTLEMENT):
        region = next((p for p in cands if p.kind != SETTLEMENT), first)
        assert region is not None
        typ = "oblast" if region.kind == OBLAST else "region"
        return Ref(offset + m.start, offset + m.end, m.surface, region.id, typ, m.form, m.region_phrase)
    assert first is not None
    return Ref(offset + m.start, offset + m.end, m.surface, first.id, "place", m.form, False,
               oblast=first.oblast, candidates=tuple(p.id for p in cands if p.kind == SETTLEMENT))


def resolve_place(gazetteer: Gazetteer, ref: Ref, context_oblasts: Sequence[str]) -> Ref:
    """Pick the settlement in an oblast named nearby ("Im Gebiet Saporischschja ... Kamjanske")."""
    if ref.type != "place" or len(ref.candidates) < 2:
        return ref
    for ob in context_oblasts:
        for cid in ref.candidates:
            p = gazetteer.get(cid)
            if p is not None and p.oblast == ob:
                return replace(ref, id=cid, oblast=ob)
    return ref
