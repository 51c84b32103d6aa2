"""The records the notifiers work on: plain data, no database, no ``monitor`` import.

The dispatcher converts outbox rows into ``Alert``; a notifier turns an ``Alert`` into a message.
Everything that came from a feed (sentence, names, URLs, cue words) is kept raw here and is
escaped by the notifier that renders it, because escaping depends on the target.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Value = str | int | float

ALERT_TYPES = ("new", "changed", "contradicted", "withdrawn", "corroboration", "ops")
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison: the belief before, or the other side of a contradiction."""

    value: Value | None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    attribution: str | None = None
    sentence: str | None = None
    modality: str | None = None


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where an earlier alert was posted, so a later one can link to it or reply in its thread."""

    ts: str
    channel_id: str
    permalink: str | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as a notifier sees it.

    ``type`` is one of ``ALERT_TYPES``. For ``ops`` alerts ``text`` holds the message and the
    claim fields are empty. ``previous`` is the belief before the change (for ``contradicted``
    the other side); ``parent`` the earlier message of the same key, if it was posted.
    """

    id: int
    type: str
    kind: str
    subject: str
    attribute: str
    new: Value | None
    dedup_key: str | None = None
    old: Value | None = None
    period: str | None = None
    unit: str | None = None
    date: str | None = None
    article_id: str | None = None
    sentence: str | None = None
    modality: str | None = None
    attribution: str | None = None
    severity: str = "medium"
    topic: str | None = None
    subject_name: str | None = None
    source_name: str | None = None
    url: str | None = None
    rule: str | None = None
    cues: tuple[str, ...] = ()
    source_count: int = 1
    previous: Side | None = None
    parent: MessageRef | None = None
    text: str | None = None

    def with_source_count(self, n: int) -> Alert:
        return replace(self, source_count=n)

    def with_parent(self, parent: MessageRef | None) -> Alert:
        return replace(self, parent=parent)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a notifier reports after sending: enough to thread, update or link later."""

    notifier: str
    channel: str
    channel_id: str | None = None
    ts: str | None = None
    found_existing: bool = False  # an ambiguous earlier attempt had in fact been delivered
