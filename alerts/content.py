"""What a message says, independent of where it goes: blocks of styled text and links.

``build_message`` turns an ``Alert`` into a ``Message``; ``build_digest`` groups alerts by
subject. Notifiers render these (Slack as Block Kit mrkdwn with escaping, the console as plain
lines); the base class fits them into the target's limits first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from alerts import words
from alerts.model import Alert, Side

Style = Literal["plain", "bold", "code", "quote", "italic"]


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    style: Style = "plain"


@dataclass(frozen=True, slots=True)
class Link:
    """A link we build ourselves; the URL came from a feed and is checked before rendering."""

    url: str | None
    label: str


Inline = Text | Link


@dataclass(frozen=True, slots=True)
class Header:
    parts: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Section:
    parts: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Context:
    parts: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Divider:
    pass


Block = Header | Section | Context | Divider


@dataclass(frozen=True, slots=True)
class Message:
    blocks: tuple[Block, ...]
    fallback: str  # the notification text: plain words, escaped like everything else
    alert_ids: tuple[int, ...]
    key: str  # what the message's metadata carries so it can be found again


_EMOJI = {"high": "🔴", "medium": "🟠", "low": "🟡"}
SEP = " · "


def _val(a: Alert, v: object, language: str) -> str:
    return words.value(a.kind, a.attribute, v if isinstance(v, str | int | float) else None, a.unit, language)


def change_words(a: Alert, language: str) -> str:
    """'Kupjansk: threatened → contested', 'Donetsk oblast, held by Ukraine: 30% → 25%'."""
    if a.type == "ops":
        # The first clause says what is wrong; the section below has the whole text.
        text = " ".join((a.text or "").split())
        first = re.split(r"(?<=[.;])\s|\s\(", text, maxsplit=1)[0].rstrip(".;") if text else ""
        name = a.subject_name or a.subject
        if not first:
            return name
        return first if name in first else f"{name}: {first}"
    label = words.key_label(a.kind, a.subject, a.subject_name, a.attribute, a.period, language)
    new = words.value(a.kind, a.attribute, a.new, a.unit, language)
    old = words.value(a.kind, a.attribute, a.old, a.unit, language)
    if a.type in ("changed", "withdrawn"):
        return f"{label}: {old} → {new}"
    if a.type == "contradicted":
        return f"{label}: {old} ↔ {new}"
    return f"{label}: {new}"


def header_text(a: Alert, language: str) -> str:
    if a.type == "ops":
        return f"⚙️ {words.word('type.ops', language).upper()}{SEP}{change_words(a, language)}"
    sev = words.word(f"sev.{a.severity}", language) if a.severity in _EMOJI else a.severity.upper()
    return (f"{_EMOJI.get(a.severity, '⚪')} {sev}{SEP}{words.word(f'type.{a.type}', language)}{SEP}"
            f"{change_words(a, language)}")


def _source_line(source: str | None, url: str | None, date: str | None, attribution: str | None,
                 modality: str | None, language: str) -> tuple[Inline, ...]:
    parts: list[Inline] = [Link(url, source or words.word("unknown_source", language))]
    for extra in (date, words.attribution(attribution, language), words.modality(modality, language)):
        if extra:
            parts.append(Text(SEP + extra))
    return tuple(parts)


def _quote(sentence: str | None) -> Section | None:
    if not sentence or not sentence.strip():
        return None
    return Section((Text(" ".join(sentence.split()), "quote"),))


def _why(a: Alert, language: str) -> Section:
    parts: list[Inline] = []
    if a.topic or a.rule or a.cues:
        parts.append(Text(words.word("why", language) + ":", "bold"))
    if a.topic:
        parts += [Text(f" {words.word('topic', language)} "), Text(a.topic, "code")]
    if a.rule:
        parts += [Text(f"{SEP if a.topic else ' '}{words.word('rule', language)} "), Text(a.rule, "code")]
    if a.cues:
        parts.append(Text(f"{SEP}{words.word('cues', language)}: "))
        for i, cue in enumerate(a.cues):
            parts.append(Text(("" if i == 0 else ", ") + f"„{cue}“"))
    prev = a.previous
    if prev is not None and a.type not in ("contradicted", "corroboration"):
        label = "reverts_to" if a.type == "withdrawn" else "before"
        parts += [Text("\n" if parts else ""), Text(words.word(label, language) + ":", "bold"),
                  Text(" " + _val(a, prev.value, language))]
        tail = [x for x in (prev.date and f"{words.word('since', language)} {prev.date}", prev.source) if x]
        if tail:
            parts.append(Text(" (" + ", ".join(tail) + ")"))
    n = a.source_count
    parts += [Text("\n" if parts else ""), Text(words.word("sources_one" if n == 1 else "sources_many", language, n=n))]
    return Section(tuple(parts))


def _side(title: str, value: str, side: Side, language: str) -> list[Block]:
    head: list[Inline] = [Text(title + ":", "bold"), Text(" " + value)]
    att = words.attribution(side.attribution, language)
    if att:
        head.append(Text(SEP + att))
    out: list[Block] = [Section(tuple(head))]
    q = _quote(side.sentence)
    if q:
        out.append(q)
    out.append(Context(_source_line(side.source, side.url, side.date, None, side.modality, language)))
    return out


def _footer(a: Alert, language: str) -> Context:
    parts: list[Inline] = []
    if a.parent is not None and a.parent.permalink and a.type != "corroboration":
        parts += [Text(words.word("previous_alert", language) + ": "),
                  Link(a.parent.permalink, words.word("view", language)), Text(SEP)]
    key = "/".join(x for x in (a.kind, a.subject, a.attribute, a.period) if x)
    parts.append(Text(f"newswatch{SEP}{words.word('alert', language)} #{a.id}{SEP}{key}"))
    return Context(tuple(parts))


def message_key(a: Alert) -> str:
    return f"alert:{a.id}:{a.dedup_key or ''}"


def build_message(a: Alert, language: str) -> Message:
    """The full message for one alert, in the alert's own words in ``language``."""
    lang = words.lang_of(language)
    blocks: list[Block] = [Header((Text(header_text(a, lang)),))]
    if a.type == "ops":
        blocks.append(Section((Text(a.text or ""),)))
        blocks.append(_footer(a, lang))
        return Message(tuple(blocks), header_text(a, lang), (a.id,), message_key(a))
    if a.type == "contradicted" and a.previous is not None:
        now = Side(a.new, a.date, a.source_name, a.url, a.attribution, a.sentence, a.modality)
        blocks += _side(words.word("now_claims", lang), _val(a, a.new, lang), now, lang)
        blocks.append(Divider())
        blocks += _side(words.word("belief_was", lang), _val(a, a.previous.value, lang), a.previous, lang)
    else:
        if a.type == "corroboration":
            blocks.append(Section((Text(words.word("corroborated_by", lang), "bold"), Text(" "),
                                   Link(a.url, a.source_name or words.word("unknown_source", lang)))))
        q = _quote(a.sentence)
        if q:
            blocks.append(q)
        blocks.append(Context(_source_line(a.source_name, a.url, a.date, a.attribution, a.modality, lang)))
        if a.type == "withdrawn":
            blocks.append(Section((Text(words.word("withdrawn_note", lang), "italic"),)))
    blocks.append(_why(a, lang))
    blocks.append(_footer(a, lang))
    return Message(tuple(blocks), header_text(a, lang), (a.id,), message_key(a))


@dataclass(frozen=True, slots=True)
class Digest:
    """A digest: a header, then one group of blocks per subject (a group is never split)."""

    header: Header
    groups: tuple[tuple[Block, ...], ...]
    fallback: str
    alert_ids: tuple[int, ...]
    key: str


def build_digest(alerts: Sequence[Alert], language: str, title: str | None = None) -> Digest:
    """Alerts grouped by subject, in order of first appearance; one line per alert."""
    lang = words.lang_of(language)
    by_subject: dict[tuple[str, str], list[Alert]] = {}
    for a in alerts:
        by_subject.setdefault((a.kind, a.subject), []).append(a)
    head = f"🗞️ {words.word('digest', lang)}"
    if title:
        head += f"{SEP}{title}"
    head += f"{SEP}{words.word('digest_count', lang, n=len(alerts), s=len(by_subject))}"
    groups: list[tuple[Block, ...]] = []
    for (kind, subject_id), items in by_subject.items():
        name = words.subject(kind, subject_id, items[0].subject_name, lang)
        sections: list[Block] = []
        # A few lines per section, so a busy subject never meets the 3,000-character cut.
        for start in range(0, len(items), DIGEST_LINES):
            sections.append(_digest_section(name, items[start:start + DIGEST_LINES], lang))
        groups.append(tuple(sections))
    ids = tuple(a.id for a in alerts)
    key = f"digest:{title or ''}:{ids[0] if ids else 0}-{ids[-1] if ids else 0}:{len(ids)}"
    return Digest(Header((Text(head),)), tuple(groups), head, ids, key)


DIGEST_LINES = 8


def _digest_section(name: str, items: Sequence[Alert], lang: str) -> Section:
    parts: list[Inline] = [Text(name, "bold")]
    for a in items:
        sev = words.word(f"sev.{a.severity}", lang) if a.severity in _EMOJI else a.severity
        parts += [Text(f"\n{_EMOJI.get(a.severity, '•')} {sev}{SEP}{words.word(f'type.{a.type}', lang)}: "
                       f"{change_words(a, lang)}{SEP}"),
                  Link(a.url, a.source_name or words.word("unknown_source", lang))]
        if a.date:
            parts.append(Text(f", {a.date}"))
        att = words.attribution(a.attribution, lang)
        if att:
            parts.append(Text(f", {att}"))
    return Section(tuple(parts))
