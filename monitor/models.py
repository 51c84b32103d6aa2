"""Typed records that flow between the stages. Plain data: no I/O, no database handles."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["control", "territory", "meeting", "agreement"]
Modality = Literal["asserted", "reported", "hedged", "negated"]
Outcome = Literal["new", "confirmed", "changed", "contradicted", "ignored"]
AlertType = Literal["new", "changed", "contradicted", "withdrawn"]
Severity = Literal["high", "medium", "low"]
Value = str | int | float

STATE_CHANGING: frozenset[str] = frozenset({"asserted", "reported"})


@dataclass(frozen=True, slots=True)
class Article:
    """One normalized article: the dated-article text plus what the monitor knows about it.

    ``body`` is the text after the date header: paragraphs joined by a blank line, no
    trailing newline (see ../shared/spec/article-format.md).
    """

    id: str
    date: dt.date
    body: str
    title: str | None = None
    url: str | None = None
    source: str | None = None  # feed id or outlet name; "file" for files read from disk
    language: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n")


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement of fact from one sentence, as ../shared/spec/claims.md defines it.

    ``rule`` and ``cues`` say why the extractor produced it; ``topic`` which watch topic it
    belongs to. Both are extra to the spec's fields and travel to the alert.
    """

    article: str
    date: str
    kind: str
    subject: str
    subject_name: str
    attribute: str
    value: Value
    sentence: str
    span: tuple[int, int]
    modality: str = "asserted"
    unit: str | None = None
    qualifier: str | None = None
    period: str | None = None
    as_of: str | None = None
    actor: str | None = None
    attribution: str | None = None
    rule: str = ""
    cues: tuple[str, ...] = ()
    topic: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        """The belief key: kind, subject, attribute, plus period for gains."""
        period = self.period if self.attribute.startswith("gain_") else None
        return (self.kind, self.subject, self.attribute, period)

    @property
    def changes_state(self) -> bool:
        return self.modality in STATE_CHANGING

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        d["cues"] = list(self.cues)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        known = {f for f in cls.__dataclass_fields__}
        data = {k: v for k, v in d.items() if k in known}
        data["span"] = tuple(data.get("span") or (0, 0))
        data["cues"] = tuple(data.get("cues") or ())
        return cls(**data)


def key_string(kind: str, subject: str, attribute: str, period: str | None) -> str:
    """A belief key as one string, used as a unique index in the store."""
    return f"{kind}|{subject}|{attribute}|{period or ''}"


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """An alert as ``monitor ingest --emit-alerts jsonl`` prints it (spec: 'An alert').

    ``extra`` carries what the Slack message shows beyond the spec's fields: source name and
    link, topic, rule and cues, the previous belief's date and source, source count.
    """

    type: str
    kind: str
    subject: str
    attribute: str
    period: str | None
    old: Value | None
    new: Value
    date: str
    article: str
    sentence: str
    modality: str
    attribution: str | None
    severity: str
    extra: dict[str, Any] = field(default_factory=dict)

    def spec_dict(self) -> dict[str, Any]:
        return {
            "type": self.type, "kind": self.kind, "subject": self.subject,
            "attribute": self.attribute, "period": self.period, "old": self.old,
            "new": self.new, "date": self.date, "article": self.article,
            "sentence": self.sentence, "modality": self.modality,
            "attribution": self.attribution, "severity": self.severity,
        }
