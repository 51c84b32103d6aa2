"""Reading the gazetteer's sources: the bundled GeoNames data file and the curated places file."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from monitor import yamlsrc
from monitor.errors import ConfigError
from monitor.gazetteer.model import OBLAST, PENINSULA, REGION, SETTLEMENT, Place

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "gazetteer.tsv.gz"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PLACES_FILE = PROJECT_ROOT / "config" / "topics" / "places.yaml"

LANGS = ("de", "en", "uk", "ru")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Regions that are not oblasts; everything else of type "region" with an "-oblast" id is one.
_REGION_KINDS = {"crimea": PENINSULA}


def read_bundled(path: Path = DATA_FILE) -> Iterator[Place]:
    """The GeoNames settlements written by ``scripts/build_gazetteer.py``."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            ident, oblast, population, name_uk, _geonameid, names = line.rstrip("\n").split("\t")
            yield Place(ident, SETTLEMENT, oblast or None, int(population), name_uk,
                        tuple(names.split("|")) if names else ())


@dataclass(frozen=True, slots=True)
class Curated:
    """One entity of a topic file that the gazetteer uses (type place or region)."""

    id: str
    kind: str
    oblast: str | None
    names: dict[str, tuple[str, ...]]

    def all_names(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for lang in LANGS:
            for name in self.names.get(lang, ()):
                seen.setdefault(name, None)
        return tuple(seen)


def read_curated(path: Path) -> list[Curated]:
    """Places and regions of a topic file (``config/topics/places.yaml``); other types are skipped.

    Raises ConfigError naming file and line for anything the gazetteer cannot use.
    """
    data, lines = yamlsrc.load(path)
    if data is None:
        return []
    file = str(path)
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping with an 'entities' list", file=file, line=1,
                          fix="start the file with 'entities:'")
    entities = data.get("entities", [])
    if not isinstance(entities, list):
        raise ConfigError("must be a list", file=file, line=yamlsrc.line_for(lines, ("entities",)),
                          field="entities", fix="write one '- id: ...' item per entity")
    out: list[Curated] = []
    for i, ent in enumerate(entities):
        loc: tuple[str | int, ...] = ("entities", i)

        def fail(msg: str, key: str | None, fix: str, loc: tuple[str | int, ...] = loc,
                 i: int = i) -> ConfigError:
            where = (*loc, key) if key else loc
            field = f"entities[{i}]" + (f".{key}" if key else "")
            return ConfigError(msg, file=file, line=yamlsrc.line_for(lines, where), field=field, fix=fix)

        if not isinstance(ent, dict):
            raise fail("must be a mapping", None, "write 'id:', 'type:' and 'names:' keys")
        ident, kind, region, names = ent.get("id"), ent.get("type"), ent.get("region"), ent.get("names")
        if not isinstance(ident, str) or not _ID.match(ident):
            raise fail(f"id must be lowercase ASCII words joined by '-' (got {ident!r})", "id",
                       "use the 2010 romanization of the Ukrainian name, e.g. 'chasiv-yar'")
        if kind not in ("place", "region", "country", "person"):
            raise fail(f"type must be place, region, country or person (got {kind!r})", "type",
                       "set type: place (a town) or type: region (an oblast)")
        if kind not in ("place", "region"):
            continue
        if region is not None and (not isinstance(region, str) or not _ID.match(region)):
            raise fail(f"region must be a region id (got {region!r})", "region",
                       "write the oblast's id, e.g. 'donetsk-oblast'")
        if not isinstance(names, dict) or not names:
            raise fail("names must map languages to lists of names", "names",
                       "e.g. names: {de: [Kamjanske], en: [Kamianske]}")
        parsed: dict[str, tuple[str, ...]] = {}
        for lang, values in names.items():
            if lang not in LANGS:
                raise fail(f"unknown language {lang!r}", "names", f"use one of {', '.join(LANGS)}")
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise fail(f"names.{lang} must be a list of non-empty strings", "names",
                           f"e.g. {lang}: [Name1, Name2]")
            parsed[lang] = tuple(v.strip() for v in values)
        if kind == "place":
            place_kind = SETTLEMENT
        else:
            place_kind = _REGION_KINDS.get(ident, OBLAST if ident.endswith("-oblast") else REGION)
        out.append(Curated(ident, place_kind, region if kind == "place" else None, parsed))
    return out
