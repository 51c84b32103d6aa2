"""The gazetteer's records: a place and a mention of one in a text."""

from __future__ import annotations

from dataclasses import dataclass

SETTLEMENT = "settlement"
OBLAST = "oblast"
PENINSULA = "peninsula"
REGION = "region"


@dataclass(frozen=True, slots=True)
class Place:
    """A place the gazetteer knows, with every surface name it is written as."""

    id: str                 # spec id: "pokrovsk", "kamianske-zaporizhzhia", "donetsk-oblast", "crimea"
    kind: str               # "settlement" | "oblast" | "peninsula" | "region"
    oblast: str | None      # id of its oblast ("donetsk-oblast"); None for oblasts and regions
    population: int
    name_uk: str            # Ukrainian name (Cyrillic) when known, else ""
    names: tuple[str, ...]  # all surface names: German, English, Ukrainian, Russian, variants


@dataclass(frozen=True, slots=True)
class Mention:
    """One place name found in a text."""

    start: int               # character offsets in the text given to ``Gazetteer.find``
    end: int
    surface: str             # the text matched, e.g. "Pokrowsks"
    base: str                # the name form it matched, e.g. "Pokrowsk"
    form: str                # "base" | "genitive" | "adjective"
    region_phrase: bool      # matched as "Gebiet Donezk", "Donetsk region", "Oblast Charkiw", ...
    candidates: tuple[Place, ...]  # every place with that name: settlements by population, then regions
