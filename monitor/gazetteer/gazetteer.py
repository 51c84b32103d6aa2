"""Finding Ukrainian place names in German and English text, and picking the place meant.

All names go into one Aho-Corasick automaton (pyahocorasick), so ``find`` is one pass over the
text whatever the gazetteer's size. Inflection is checked at the match's end instead of being
stored: a name followed by "s", "er", "'s" is the genitive ("Pokrowsks", "Kupiansk's") or the
German adjective ("Pokrowsker Richtung").
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import ahocorasick

from monitor.gazetteer.data import DEFAULT_PLACES_FILE, Curated, read_bundled, read_curated
from monitor.gazetteer.model import OBLAST, SETTLEMENT, Mention, Place

log = logging.getLogger(__name__)

# Ways news writes "the X oblast". {} is the region's short name ("Donezk", "Kharkiv").
REGION_TEMPLATES_DE = ("Gebiet {}", "Gebiets {}", "Region {}", "Oblast {}",
                       "Verwaltungsgebiet {}", "Verwaltungsgebiets {}", "{}-Region", "Provinz {}",
                       "Grenzregion {}", "Grenzgebiet {}", "Grenzgebiets {}", "Nachbargebiet {}", "Nachbargebiets {}",
                       "Nachbarregion {}")
REGION_TEMPLATES_EN = ("{} region", "{} Region", "{} oblast", "{} Oblast", "{} province",
                       "{} Province", "region of {}", "Region of {}", "oblast of {}", "neighbouring {} region",
                       "neighboring {} region")
# Plural phrases head a list: "Gebiete Luhansk, Donezk und Cherson" (the list follows),
# "the Donetsk, Luhansk and Kherson regions" (the list precedes).
REGION_TEMPLATES_PLURAL_BEFORE = ("Gebiete {}", "Gebieten {}", "Regionen {}", "Oblasten {}",
                                  "Provinzen {}", "regions of {}", "oblasts of {}")
REGION_TEMPLATES_PLURAL_AFTER = ("{} regions", "{} Regions", "{} oblasts", "{} Oblasts",
                                 "{} provinces")
# What separates the members of such a list.
_LIST_SEPARATOR = re.compile(r"^(?:\s*,\s*(?:(?:und|sowie|oder|and|or)\s+)?|\s+(?:und|sowie|oder|and|or)\s+)$")
# A German adjective of the short name: "Donezker Gebiet" (only for names ending in a consonant).
REGION_TEMPLATES_DE_ADJ = ("{}er Gebiet", "{}er Gebiets", "{}er Region", "{}er Oblast")
# A curated name containing one of these is itself an explicit region phrase.
REGION_WORDS = ("Gebiet", "Region", "region", "Oblast", "oblast", "Halbinsel", "Peninsula", "peninsula",
                "Republik", "Republic", "область", "Province", "province")
_APOSTROPHES = "'’"
# A sentence end between a mention and a hint (a crude one: ranking only, nothing is dropped).
_SENTENCE_END = re.compile(r"[.!?]\s+[A-ZÄÖÜ\"„“]|\n")
# Where the administrative centre is neither named like the region nor its largest town
# (Sevastopol is larger than Simferopol).
CAPITAL_OVERRIDES = {"crimea": "simferopol"}


# What one automaton key stands for: (key, base, region_phrase, candidate ids, plural), where
# base is the name form ("Donezk" for the key "Gebiet Donezk"), the candidates are in _order and
# plural is "before"/"after" for a plural region phrase heading a list, else "". A plain tuple of
# strings, not a record of Places: the collector untracks such tuples, so the tens of thousands of
# keys are not walked again by every full collection while articles are read.
_Entry = tuple[str, str, bool, tuple[str, ...], str]


def _order(places: Iterable[Place]) -> tuple[Place, ...]:
    """Settlements by population (largest first), then regions: a bare "Donezk" is the city first."""
    return tuple(sorted(places, key=lambda p: (p.kind != SETTLEMENT, -p.population, p.id)))


def _ids(places: tuple[Place, ...]) -> tuple[str, ...]:
    return tuple(p.id for p in places)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


class Gazetteer:
    """Places of Ukraine (and the Russian border oblasts) and every name they are written as."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._places: dict[str, Place] = {p.id: p for p in places}
        plain: dict[str, set[str]] = {}       # name -> ids, bare names
        phrases: dict[str, tuple[str, set[str]]] = {}  # key -> (base name, ids), region phrases
        plural: dict[str, str] = {}  # phrase key -> where its list is ("before"/"after")
        self._region_names: dict[str, Place] = {}
        for place in self._places.values():
            for name in place.names:
                if place.kind != SETTLEMENT and any(w in name for w in REGION_WORDS):
                    phrases.setdefault(name, (name, set()))[1].add(place.id)
                    continue
                plain.setdefault(name, set()).add(place.id)
                single = _single_s(name) if place.kind == SETTLEMENT else None
                if single is not None and single not in place.names:
                    # Duden doubles an s between vowels ("Wessele"); newsrooms often do not ("Wesele")
                    plain.setdefault(single, set()).add(place.id)
                if place.kind == OBLAST:
                    self._region_names.setdefault(name, place)
                    # Templates are German/English: only for Latin-script names.
                    for key, where in self._region_keys(name) if name[:1].isascii() else ():
                        phrases.setdefault(key, (name, set()))[1].add(place.id)
                        if where:
                            plural[key] = where
                elif place.kind != SETTLEMENT:
                    self._region_names.setdefault(name, place)
        self._automaton = ahocorasick.Automaton()
        for name, ids in plain.items():
            if name in phrases:
                continue
            entry: _Entry = (name, name, False, _ids(_order(self._places[i] for i in ids)), "")
            self._automaton.add_word(name, entry)
        for key, (base, ids) in phrases.items():
            regions = [self._places[i] for i in ids]
            self._automaton.add_word(key, (key, base, True, _ids(_order(regions)), plural.get(key, "")))
        self._automaton.make_automaton()
        # the Places of the candidate ids found so far (the automaton holds ids only, see _Entry)
        self._candidates: dict[tuple[str, ...], tuple[Place, ...]] = {}
        self._capitals = self._find_capitals()

    def _find_capitals(self) -> dict[str, Place]:
        """Each region's administrative centre: the town named like it, else its largest."""
        best: dict[str, Place] = {}
        for p in self._places.values():
            if p.kind != SETTLEMENT or not p.oblast:
                continue
            cur = best.get(p.oblast)
            named = p.id == p.oblast.removesuffix("-oblast")
            if cur is None or (named, p.population) > (cur.id == p.oblast.removesuffix("-oblast"),
                                                        cur.population):
                best[p.oblast] = p
        for region, town in CAPITAL_OVERRIDES.items():
            if town in self._places:
                best[region] = self._places[town]
        return best

    @staticmethod
    def _region_keys(name: str) -> list[tuple[str, str]]:
        """Region phrases of an oblast's short name, each with where its list is, if plural."""
        keys = [(t.format(name), "") for t in (*REGION_TEMPLATES_DE, *REGION_TEMPLATES_EN)]
        keys += [(t.format(name), "before") for t in REGION_TEMPLATES_PLURAL_BEFORE]
        keys += [(t.format(name), "after") for t in REGION_TEMPLATES_PLURAL_AFTER]
        if name[-1:].isalpha() and name[-1] not in "aeiouyAEIOUY":
            keys += [(t.format(name), "") for t in REGION_TEMPLATES_DE_ADJ]
        return keys

    # -- construction -------------------------------------------------------------------

    @classmethod
    def load(cls, extra: Iterable[Place] = (), places_path: Path | None = None) -> Gazetteer:
        """Bundled GeoNames data + the curated places file + ``extra`` (extra wins on the same id).

        ``places_path`` defaults to ``config/topics/places.yaml`` of the project; when that default
        is absent (an installed package without the config folder) only the bundled data is used.
        """
        places: dict[str, Place] = {p.id: p for p in read_bundled()}
        path = places_path if places_path is not None else DEFAULT_PLACES_FILE
        if places_path is not None or path.exists():
            for cur in read_curated(path):
                _suffix_bare_namesake(places, cur)
                places[cur.id] = _merge(places.get(cur.id), cur)
        else:
            log.warning("gazetteer: no curated places file at %s; oblasts and curated towns are missing",
                        path)
        for place in extra:
            places[place.id] = place
        return cls(places.values())

    # -- queries -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._places)

    def places(self) -> Iterable[Place]:
        return self._places.values()

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def capital_of(self, region_id: str) -> Place | None:
        """The region's administrative centre ("die Gebietshauptstadt"): kharkiv-oblast -> kharkiv."""
        return self._capitals.get(region_id)

    def oblast_of_name(self, name: str) -> Place | None:
        """The region a short name stands for: "Donezk", "Donetsk", "Saporischschja" -> the oblast.

        Also accepts the genitive ("Donezks") and "Krim"/"Crimea" for Crimea.
        """
        place = self._region_names.get(name)
        if place is None and name.endswith(("s", "'s", "’s")):
            place = self._region_names.get(name.removesuffix("s").rstrip(_APOSTROPHES))
        return place

    def find(self, text: str) -> list[Mention]:
        """Place names in ``text``: whole words, longest match wins, no overlaps, in text order."""
        found: list[tuple[int, int, str, _Entry]] = []
        n = len(text)
        for last, entry in self._automaton.iter(text):
            start = last - len(entry[0]) + 1
            if start > 0 and _is_word_char(text[start - 1]):
                continue
            end = last + 1
            form = "base"
            if end < n and _is_word_char(text[end]):
                if text[end] == "s" and (end + 1 == n or not _is_word_char(text[end + 1])):
                    end, form = end + 1, "genitive"
                elif text.startswith("er", end) and (end + 2 == n or not _is_word_char(text[end + 2])):
                    end, form = end + 2, "adjective"
                else:
                    continue
            elif (end + 1 < n and text[end] in _APOSTROPHES and text[end + 1] == "s"
                  and (end + 2 == n or not _is_word_char(text[end + 2]))):
                end, form = end + 2, "genitive"
            elif end + 1 < n and text[end] == "-" and text[end + 1].isalpha():
                # A compound names something else: "Kachowka-Stausee", "Dnipro-Ufer",
                # "Krim-Brücke". Hyphenated place names ("Kupjansk-Wuslowyj") are keys of their own.
                continue
            found.append((start, end, form, entry))
        # Longest first; of equal spans the stored form wins ("Kherson regions" over the
        # genitive of "Kherson region").
        found.sort(key=lambda m: (m[0], -(m[1] - m[0]), m[2] != "base"))
        mentions: list[Mention] = []
        plurals: list[tuple[int, str]] = []  # index in mentions, where its list is
        taken_until = -1
        for start, end, form, (_, base, region_phrase, ids, plural) in found:
            if start < taken_until:
                continue
            taken_until = end
            if plural:
                plurals.append((len(mentions), plural))
            candidates = self._candidates.get(ids)
            if candidates is None:
                candidates = self._candidates[ids] = tuple(self._places[i] for i in ids)
            mentions.append(Mention(start, end, text[start:end], base, form, region_phrase, candidates))
        for index, where in plurals:
            self._expand_list(text, mentions, index, 1 if where == "before" else -1)
        return mentions

    @staticmethod
    def _expand_list(text: str, mentions: list[Mention], index: int, step: int) -> None:
        """Turn the members of a region list into region phrases.

        "Gebiete Luhansk, Donezk und Cherson": after the plural phrase, each name joined by a comma,
        "und", "and", ... that can be an oblast becomes one ("Donezk" is then the oblast, not the
        city). ``step`` is 1 when the list follows the phrase, -1 when it precedes it.
        """
        i = index + step
        while 0 <= i < len(mentions):
            left, right = (mentions[i - 1], mentions[i]) if step == 1 else (mentions[i], mentions[i + 1])
            regions = tuple(p for p in mentions[i].candidates if p.kind != SETTLEMENT)
            if not regions or mentions[i].region_phrase or not _LIST_SEPARATOR.match(
                    text[left.end:right.start]):
                return
            m = mentions[i]
            mentions[i] = Mention(m.start, m.end, m.surface, m.base, m.form, True, regions)
            i += step

    def resolve(self, mention: Mention, context_oblasts: Sequence[str] = ()) -> Place | None:
        """The place a mention means.

        A region phrase means its region. Otherwise a settlement in one of ``context_oblasts``
        (regions named nearby, most relevant first) wins; else the most populous settlement; a name
        that is only a region ("Krim") means that region.
        """
        cands = mention.candidates
        if mention.region_phrase:
            return next((p for p in cands if p.kind != SETTLEMENT), cands[0] if cands else None)
        settlements = [p for p in cands if p.kind == SETTLEMENT]
        if not settlements:
            return cands[0] if cands else None
        for oblast in context_oblasts:
            for place in settlements:
                if place.oblast == oblast:
                    return place
        return settlements[0]

    def resolve_all(self, mentions: Sequence[Mention], window: int = 300,
                    text: str = "") -> list[Place | None]:
        """Resolve each of ``find``'s mentions with the regions named near it as context.

        Context within ``window`` characters: regions named ("Stepowe im Gebiet Donezk"), then
        the oblasts of unambiguous towns ("Stepowe, nordwestlich von Awdijiwka": only one
        Awdijiwka is a town of note), each nearest first. With ``text`` (the text given to
        ``find``), any hint in the mention's sentence ranks before those across a sentence end.
        """
        regions: list[tuple[int, int, str]] = []
        towns: list[tuple[int, int, str]] = []
        for m in mentions:
            settlements = [p for p in m.candidates if p.kind == SETTLEMENT]
            if m.region_phrase or not settlements:
                place = self.resolve(m)
                if place is not None:
                    regions.append((m.start, m.end, place.id))
            else:
                town = _dominant(settlements)
                if town is not None and town.oblast:
                    towns.append((m.start, m.end, town.oblast))
        hints = [(start, end, ident, 0) for start, end, ident in regions]
        hints += [(start, end, ident, 1) for start, end, ident in towns]
        out: list[Place | None] = []
        for m in mentions:
            ranked = []
            for start, end, ident, rank in hints:
                if start == m.start:
                    continue
                lo, hi = (m.end, start) if start >= m.end else (end, m.start)
                if hi - lo > window:
                    continue
                # hi + 1: the capital that opens the next sentence may be the name itself
                crosses = bool(text) and _SENTENCE_END.search(text, lo, hi + 1) is not None
                ranked.append((crosses, rank, hi - lo, ident))
            out.append(self.resolve(m, [ident for *_, ident in sorted(ranked)]))
        return out


_SS = re.compile(r"(?<=[aeiouyäöü])ss(?=[aeiouyäöüj])")


def _single_s(name: str) -> str | None:
    """"Wessele" -> "Wesele", for German spellings (w, j or sch in them) only."""
    if not _SS.search(name) or not re.search(r"w|j|sch", name, re.IGNORECASE):
        return None
    return _SS.sub("s", name)


def _dominant(settlements: Sequence[Place]) -> Place | None:
    """The town a name means without further context: the only one, or one far larger than the rest.

    The same rule as the build script's bare ids (10,000+ inhabitants, 3x the next namesake).
    """
    if len(settlements) == 1:
        return settlements[0]
    top, second = settlements[0], settlements[1]
    if top.population >= 10_000 and top.population >= 3 * second.population:
        return top
    return None


def _suffix_bare_namesake(places: dict[str, Place], cur: Curated) -> None:
    """Keep the id rule when a curated town has a namesake in another oblast.

    GeoNames may know only one Bilohorivka (Luhansk oblast, id "bilohorivka"); an operator who adds
    "bilohorivka-donetsk" makes the name recur in two oblasts, so the other becomes
    "bilohorivka-luhansk", unless it is a town that dominates its namesakes (10,000+ people).
    """
    if cur.kind != SETTLEMENT or not cur.oblast:
        return
    suffix = "-" + cur.oblast.removesuffix("-oblast")
    if not cur.id.endswith(suffix):
        return
    base = cur.id.removesuffix(suffix)
    bare = places.get(base)
    if bare is None or bare.kind != SETTLEMENT or bare.oblast in (None, cur.oblast):
        return
    if bare.population >= 10_000:
        return
    new_id = f"{base}-{bare.oblast.removesuffix('-oblast')}"
    if new_id in places:
        return
    del places[base]
    places[new_id] = Place(new_id, bare.kind, bare.oblast, bare.population, bare.name_uk, bare.names)


def _merge(old: Place | None, cur: Curated) -> Place:
    """A curated entry over the GeoNames one: names added, region and kind from the curated file."""
    curated_names = cur.all_names()
    uk = cur.names.get("uk", ())
    if old is None:
        return Place(cur.id, cur.kind, cur.oblast, 0, uk[0] if uk else "", curated_names)
    names = tuple(dict.fromkeys((*old.names, *curated_names)))
    return Place(cur.id, cur.kind, cur.oblast or old.oblast, old.population,
                 old.name_uk or (uk[0] if uk else ""), names)


@functools.lru_cache(maxsize=4)
def default_gazetteer(places_path: Path | None = None) -> Gazetteer:
    """The gazetteer of the bundled data and the curated file, built once per process and path."""
    return Gazetteer.load(places_path=places_path)
