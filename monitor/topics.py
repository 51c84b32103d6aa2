"""Watch topics: the operator-edited files in ``config/topics/*.yaml``.

A topic file holds entities (places, regions, countries, people, each with names per language),
offices (titles such as "US-Präsident" and who held them when), the cue lexicons the extractor
reads per claim kind and language, thresholds for the differ, and severity rules for alerts.
Every model forbids unknown keys; errors name file, line, field and fix.

Cue patterns are short phrases: words separated by spaces, matched against a token's lowercase
form or its lemma ("erobern" matches "eroberte"); ``word*`` matches a prefix, ``=word`` only the
surface form, ``...`` a gap of up to twelve words inside the sentence, ``..+`` such a gap of at
least one word ("pushed ..+ out of": someone pushed someone else out, not "were pushed out of").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from monitor import yamlsrc
from monitor.config import validation_to_config_error
from monitor.errors import ConfigError

Lang = Literal["de", "en", "uk", "ru"]
LANGS: tuple[str, ...] = ("de", "en", "uk", "ru")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Which cue groups each section of ``cues`` may hold. ``*`` means any id (a side, a country, an
# attribution value). A name outside this table is an operator's typo and an error.
CUE_SCHEMA: dict[str, frozenset[str] | None] = {
    "actor": None,            # side words: actor.russia, actor.ukraine (who does what)
    "attribution": None,      # attribution.<value>: phrases that say whose word it is
    "participant": None,      # participant.<country>: delegations, negotiators of a country
    "control": frozenset({
        "capture", "recapture", "hold", "lose", "under_russia", "under_ukraine", "under_actor",
        "contested", "encircled", "threatened", "capture_noun", "recapture_noun", "noun_trigger",
        "partial", "whole", "locator", "anaphor", "there", "occupied", "ignore", "falls",
        "lose_noun",   # "the loss of Vuhledar", "nach dem Verlust von Awdijiwka"
    }),
    "territory": frozenset({
        "gain", "regain", "per-month", "per-week", "per-day", "this-year", "last-year", "year", "part_of_town",
    }),
    "meeting": frozenset({
        "noun", "verb", "phone", "proposed", "planned", "held", "cancelled", "postponed",
        "future", "past", "between", "anaphor", "definite", "generic", "such", "superseded", "at",
        "leader",   # names of heads of state/government: a meeting of officials only is one of countries
    }),
    "agreement": frozenset({
        "ceasefire", "air-ceasefire", "energy-ceasefire", "prisoner-exchange", "peace-deal",
        "minerals-deal", "security-guarantees", "anaphor",
        "proposed", "rejected", "agreed", "signed", "broken", "not_agreed",
    }),
    "modality": frozenset({
        "hedge", "negation", "negation_exception", "deny", "condition", "question", "report",
        "reported_form", "would", "plan",
        "deny_report", "report_noun",   # a denial of a report's "wonach/that" clause
        "future",                       # a future time: "soll ... so bald wie möglich" is a plan
    }),
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Entity(Strict):
    """Something claims are about or made by. ``region`` links a place to its oblast (or a venue
    abroad to its region/country, so a meeting's venue country can be found)."""

    id: str = Field(..., description="canonical id: lowercase ASCII words joined by '-'")
    type: Literal["place", "region", "country", "person"] = Field(..., description="what it is")
    region: str | None = Field(None, description="for places: the oblast (or country) id it lies in")
    names: dict[Lang, list[str]] = Field(..., description="names per language, as news writes them")

    @field_validator("id", "region")
    @classmethod
    def _id(cls, v: str | None) -> str | None:
        if v is not None and not _ID.match(v):
            raise ValueError(f"{v!r} is not an id: use lowercase ASCII words joined by '-'")
        return v

    @field_validator("names")
    @classmethod
    def _names(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for lang, names in v.items():
            if not all(isinstance(n, str) and n.strip() for n in names):
                raise ValueError(f"names.{lang} must be non-empty strings")
        return v

    def all_names(self) -> list[str]:
        out: dict[str, None] = {}
        for lang in LANGS:
            for n in self.names.get(lang, []):  # type: ignore[call-overload]
                out.setdefault(n.strip(), None)
        return list(out)


class Holder(Strict):
    id: str = Field(..., description="person id holding the office")
    since: dt.date = Field(..., alias="from", description="first day in office")
    until: dt.date | None = Field(None, description="last day in office (empty: still in office)")


class Office(Strict):
    """A title that names a person depending on the date: "US-Präsident" is Biden in 2023."""

    names: dict[Lang, list[str]] = Field(..., description="the title per language")
    holders: list[Holder] = Field(..., min_length=1, description="who held it, with dates")
    seats: list[str] = Field(default_factory=list,
                             description="place ids where the holder receives guests (white-house): "
                                         "a guest there meets the holder of the day")

    def holder_on(self, day: dt.date) -> str | None:
        for h in self.holders:
            if h.since <= day and (h.until is None or day <= h.until):
                return h.id
        return None


class Thresholds(Strict):
    share_pp: float = Field(2.0, ge=0, description="percentage points within which shares confirm")
    area_rel: float = Field(0.1, ge=0, le=1, description="relative difference within which areas confirm")
    contradiction_window_hours: int = Field(48, ge=0, description="hours in which the other side contradicts")


class SeverityRule(Strict):
    """First matching rule wins; an empty list matches anything."""

    severity: Literal["high", "medium", "low"] = Field(..., description="severity given")
    kinds: list[str] = Field(default_factory=list, description="claim kinds")
    attributes: list[str] = Field(default_factory=list, description="attributes (status, share_russia, ...)")
    values: list[str] = Field(default_factory=list, description="new values (russia, held, ...)")
    subjects: list[str] = Field(default_factory=list, description="subject ids")
    types: list[str] = Field(default_factory=list, description="alert types: new, changed, contradicted")
    note: str | None = Field(None, description="why, for operators")

    def matches(self, kind: str, subject: str, attribute: str, value: object, alert_type: str) -> bool:
        return ((not self.kinds or kind in self.kinds)
                and (not self.attributes or attribute in self.attributes)
                and (not self.values or str(value) in self.values)
                and (not self.subjects or subject in self.subjects
                     or any(subject.startswith(s + "@") for s in self.subjects))
                and (not self.types or alert_type in self.types))


CueLexicon = dict[str, dict[str, dict[Lang, list[str]]]]


class Topic(Strict):
    id: str = Field(..., description="topic id (default: the file name)")
    title: str | None = Field(None, description="shown to operators")
    entities: list[Entity] = Field(default_factory=list, description="places, regions, countries, people")
    offices: list[Office] = Field(default_factory=list, description="titles naming a person by date")
    cues: CueLexicon = Field(default_factory=dict, description="cue phrases per section, group, language")
    thresholds: Thresholds = Field(default_factory=Thresholds)
    severity: list[SeverityRule] = Field(default_factory=list, description="severity rules, first match wins")
    watch: list[str] = Field(default_factory=list, description="subject ids this topic follows closely")

    @field_validator("id")
    @classmethod
    def _topic_id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"{v!r} is not an id: use lowercase ASCII words joined by '-'")
        return v

    @model_validator(mode="after")
    def _cue_names(self) -> Topic:
        for section, groups in self.cues.items():
            if section not in CUE_SCHEMA:
                raise ValueError(f"unknown cue section {section!r}; use one of {', '.join(CUE_SCHEMA)}")
            allowed = CUE_SCHEMA[section]
            for name, langs in groups.items():
                if allowed is not None and name not in allowed:
                    raise ValueError(f"unknown cue group {section}.{name}; use one of {', '.join(sorted(allowed))}")
                if allowed is None and not _ID.match(name):
                    raise ValueError(f"cue group {section}.{name} must be an id")
                for lang, patterns in langs.items():
                    for p in patterns:
                        if not isinstance(p, str) or not p.strip() or p.strip() == "...":
                            raise ValueError(f"empty cue pattern in {section}.{name}.{lang}")
        return self


@dataclass
class TopicSet:
    """All topic files, merged for lookups. Entities with the same id across files merge names."""

    topics: list[Topic]
    files: list[Path] = field(default_factory=list)
    _entities: dict[str, Entity] = field(default_factory=dict, init=False, repr=False)
    # Objects built from these topics once (the extractor): derived, never edited by the loader.
    derived: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        merged: dict[str, Entity] = {}
        for t in self.topics:
            for e in t.entities:
                old = merged.get(e.id)
                if old is None:
                    merged[e.id] = e
                    continue
                names: dict[str, list[str]] = {k: list(v) for k, v in old.names.items()}
                for lang, ns in e.names.items():
                    names[lang] = list(dict.fromkeys([*names.get(lang, []), *ns]))
                merged[e.id] = Entity(id=e.id, type=old.type, region=old.region or e.region,
                                      names=names)
        self._entities = merged

    def __len__(self) -> int:
        return len(self.topics)

    # -- lookups ----------------------------------------------------------------------------
    def entity(self, ident: str) -> Entity | None:
        return self._entities.get(ident)

    def entities(self, types: Iterable[str] | None = None) -> list[Entity]:
        want = set(types) if types is not None else None
        return [e for e in self._entities.values() if want is None or e.type in want]

    def offices(self) -> list[Office]:
        return [o for t in self.topics for o in t.offices]

    def cues(self, section: str, name: str, lang: str) -> list[str]:
        out: list[str] = []
        for t in self.topics:
            out.extend(t.cues.get(section, {}).get(name, {}).get(lang, []))  # type: ignore[call-overload]
        return out

    def cue_groups(self, section: str) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.topics:
            for name in t.cues.get(section, {}):
                seen.setdefault(name, None)
        return list(seen)

    def topic_of(self, subject: str) -> Topic | None:
        base = subject.split("@")[0]
        for t in self.topics:
            if base in t.watch or any(e.id == base for e in t.entities):
                return t
        return None

    def thresholds_for(self, subject: str | None = None) -> Thresholds:
        t = self.topic_of(subject) if subject else None
        if t is not None:
            return t.thresholds
        return next((t.thresholds for t in self.topics if "thresholds" in t.model_fields_set), Thresholds())

    def severity_for(self, kind: str, subject: str, attribute: str, value: object,
                     alert_type: str = "new") -> str:
        for t in self.topics:
            for rule in t.severity:
                if rule.matches(kind, subject, attribute, value, alert_type):
                    return rule.severity
        return "low"

    def topic_for_kind(self, kind: str) -> str | None:
        """The topic whose cues cover a claim kind (for ``Claim.topic``)."""
        for t in self.topics:
            if kind in t.cues:
                return t.id
        return None


def load_topic_file(path: Path) -> Topic:
    data, lines = yamlsrc.load(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("a topic file must be a mapping", file=str(path), line=1,
                          fix="start with keys such as 'id:', 'entities:' and 'cues:'")
    data = {"id": path.stem.replace("_", "-"), **data}
    try:
        return Topic(**data)
    except ValidationError as exc:
        raise validation_to_config_error(exc, str(path), lines) from None


def load_topics(directory: Path) -> TopicSet:
    """Every ``*.yaml`` in the topics folder, in name order; the first error raises ConfigError."""
    d = Path(directory)
    if not d.is_dir():
        raise ConfigError("topics folder not found", file=str(d),
                          fix="set topics_dir in monitor.yaml to the folder of topic files")
    files = sorted(d.glob("*.yaml"))
    topics = [load_topic_file(p) for p in files]
    ids: dict[str, Path] = {}
    for t, p in zip(topics, files, strict=True):
        if t.id in ids:
            raise ConfigError(f"topic id {t.id!r} is also used by {ids[t.id]}", file=str(p), line=1,
                              field="id", fix="give each topic file its own id")
        ids[t.id] = p
    return TopicSet(topics=topics, files=files)


def default_topics_dir() -> Path:
    """``config/topics`` of the project (used when no monitor.yaml points elsewhere)."""
    return Path(__file__).resolve().parents[1] / "config" / "topics"
