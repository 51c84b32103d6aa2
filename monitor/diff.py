"""Claims x beliefs -> outcomes, belief updates and alert drafts (spec: claims.md, "Diffs").

Pure: no I/O, no clock, no database. The store loads the beliefs an article touches, calls
:func:`diff_article`, and writes what comes back in one transaction.

Outcomes, per claim, compared with the belief as it stood before the article:

- ``ignored``: hedged or negated, or ``as_of`` older than the belief, or a different value
  from a claim dated before the belief and outside the contradiction window;
- ``new``: no belief for the key yet;
- ``confirmed``: the same value (numbers within the topic's threshold);
- ``contradicted``: another value within the contradiction window of the belief, from
  another article whose attribution differs from the belief's;
- ``changed``: another value, dated on or after the belief.

Within one article the last claim in the text (that is not ignored) decides a key, and an
article raises at most one alert per key. Baselines update beliefs and raise nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from monitor.models import Claim, Value, key_string

ALERTING = ("new", "changed", "contradicted")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When two numbers count as the same value, and how long a contradiction window lasts."""

    share_pp: float = 1.0  # percentage points, for share_*
    area_rel: float = 0.05  # relative difference, for area_* and gain_*
    contradiction_window_hours: float = 48.0


class Policy(Protocol):
    """What the diff needs from the watch topics: thresholds and severity per topic."""

    def thresholds(self, subject: str, topic: str | None) -> Thresholds: ...

    def severity(self, claim: Claim, alert_type: str, old: Value | None) -> str: ...

    def within(self, inner: str, outer: str) -> bool:
        """True when place ``inner`` lies in place ``outer`` (Elmendorf-Richardson in Anchorage)."""
        ...


@dataclass(frozen=True, slots=True)
class DefaultPolicy:
    """Spec defaults for every topic; severity by kind and alert type."""

    defaults: Thresholds = Thresholds()

    def thresholds(self, subject: str, topic: str | None) -> Thresholds:
        return self.defaults

    def severity(self, claim: Claim, alert_type: str, old: Value | None) -> str:
        return default_severity(claim, alert_type, old)

    def within(self, inner: str, outer: str) -> bool:
        return False


def default_severity(claim: Claim, alert_type: str, old: Value | None) -> str:
    """A fallback when a topic has no rule: control changes and contradictions are high."""
    if alert_type == "contradicted":
        return "high"
    if claim.kind == "control" and claim.value in ("russia", "ukraine", "encircled") and alert_type == "changed":
        return "high"
    if claim.kind in ("control", "meeting", "agreement"):
        return "medium"
    return "low"


@dataclass(frozen=True, slots=True)
class Source:
    """Where an article came from, for the diff: its id, its independent-source key, its outlet."""

    article: str
    source_key: str
    name: str | None = None
    url: str | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class BeliefState:
    """What the monitor believes for one key, and where that came from."""

    key: str
    kind: str
    subject: str
    attribute: str
    period: str | None
    value: Value
    since: dt.date  # date of the claim that set the value
    modality: str
    attribution: str | None
    article: str
    sentence: str | None = None
    source_name: str | None = None
    url: str | None = None
    sources: tuple[str, ...] = ()  # independent source keys supporting the value
    claim_id: int | None = None
    last_alert_id: int | None = None
    topic: str | None = None

    @property
    def source_count(self) -> int:
        return max(1, len(self.sources))


@dataclass(frozen=True, slots=True)
class ClaimOutcome:
    """One claim (its subject resolved) and the outcome it got; ``decisive`` if it set the key."""

    claim: Claim
    key: str
    outcome: str
    decisive: bool = False


@dataclass(frozen=True, slots=True)
class BeliefUpdate:
    """The new state of a key; ``claim_index`` points into the outcomes (its claim id comes later)."""

    state: BeliefState
    claim_index: int | None
    changed_value: bool


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """An alert to write to the outbox; ``parent_id`` is the earlier alert of the same key."""

    type: str  # new | changed | contradicted | corroboration | withdrawn
    key: str
    kind: str
    subject: str
    attribute: str
    period: str | None
    old: Value | None
    new: Value | None
    date: str
    article: str
    sentence: str
    modality: str
    attribution: str | None
    severity: str
    topic: str | None
    dedup_key: str
    parent_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DiffResult:
    outcomes: list[ClaimOutcome]
    updates: list[BeliefUpdate]
    alerts: list[AlertDraft]


def claim_key(claim: Claim) -> str:
    return key_string(*claim.key)


def is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def same_value(attribute: str, a: Value, b: Value, th: Thresholds,
               within: Callable[[str, str], bool] | None = None) -> bool:
    """Equal values; numbers within the threshold (points for shares, relative otherwise).

    A meeting's location that names a place inside the other (the base in Anchorage, the
    White House in Washington) is the same venue told more or less precisely.
    """
    if is_number(a) and is_number(b):
        x, y = float(a), float(b)
        if attribute.startswith("share_"):
            return abs(x - y) <= th.share_pp + 1e-9
        return abs(x - y) <= th.area_rel * max(abs(x), abs(y)) + 1e-9
    sa, sb = str(a).strip().lower(), str(b).strip().lower()
    if sa == sb:
        return True
    return attribute == "location" and within is not None and (within(sa, sb) or within(sb, sa))


def as_of_start(as_of: str) -> dt.date | None:
    """The first day the ``as_of`` text can mean: ``2022`` -> 2022-01-01; None if unreadable."""
    s = as_of.strip()
    try:
        if len(s) == 4:
            return dt.date(int(s), 1, 1)
        if len(s) == 7:
            return dt.date(int(s[:4]), int(s[5:7]), 1)
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def predates(claim: Claim, belief: BeliefState) -> bool:
    """True when the claim places its fact before the belief was set.

    ``as_of`` is a past year ("2022 zurückerobert"); finer forms are read by their year, and
    a fact placed in the belief's own year counts as older: it cannot be told apart from
    what the belief already says.
    """
    if not claim.as_of:
        return False
    start = as_of_start(claim.as_of)
    return start is not None and start.year <= belief.since.year


def outcome_of(claim: Claim, belief: BeliefState | None, source: Source, th: Thresholds,
               within: Callable[[str, str], bool] | None = None) -> str:
    """The spec's table for one claim against the belief before its article."""
    if not claim.changes_state:
        return "ignored"
    if belief is None:
        return "new"
    if predates(claim, belief):
        return "ignored"
    if same_value(claim.attribute, claim.value, belief.value, th, within):
        return "confirmed"
    claim_date = dt.date.fromisoformat(claim.date)
    hours = abs((claim_date - belief.since).days) * 24.0
    if belief.article != source.article and hours <= th.contradiction_window_hours \
            and claim.attribution != belief.attribution:
        return "contradicted"
    if claim_date >= belief.since:
        return "changed"
    return "ignored"


def meeting_participants(subject: str) -> str:
    return subject.split("@", 1)[0]


def resolve_meetings(claims: Sequence[Claim], current_venue: Mapping[str, str]) -> list[Claim]:
    """Attach venue-less meeting claims to the current meeting of the same participants.

    The article's own venue for those participants wins (it is the meeting the article is
    about); else ``current_venue`` (participants -> the subject of the stored belief with a
    venue, e.g. ``putin+trump`` -> ``putin+trump@usa``).
    """
    in_article: dict[str, str] = {}
    for c in claims:
        if c.kind == "meeting" and "@" in c.subject:
            in_article[meeting_participants(c.subject)] = c.subject
    out: list[Claim] = []
    for c in claims:
        if c.kind == "meeting" and "@" not in c.subject:
            target = in_article.get(c.subject) or current_venue.get(c.subject)
            if target:
                c = replace(c, subject=target)
        out.append(c)
    return out


def venue_less_participants(claims: Iterable[Claim]) -> set[str]:
    return {c.subject for c in claims if c.kind == "meeting" and "@" not in c.subject}


def belief_from(claim: Claim, source: Source, sources: tuple[str, ...],
                last_alert_id: int | None) -> BeliefState:
    kind, subject, attribute, period = claim.key
    return BeliefState(
        key=claim_key(claim), kind=kind, subject=subject, attribute=attribute, period=period,
        value=claim.value, since=dt.date.fromisoformat(claim.date), modality=claim.modality,
        attribution=claim.attribution, article=source.article, sentence=claim.sentence,
        source_name=source.name, url=source.url, sources=sources, last_alert_id=last_alert_id,
        topic=claim.topic,
    )


def dedup_key(source: Source, key: str) -> str:
    """One alert per key per article version: the outbox's unique key."""
    return f"{source.article}:{source.version}:{key}"


def _payload(claim: Claim, source: Source, before: BeliefState | None, after: BeliefState,
             alert_type: str) -> dict[str, Any]:
    p: dict[str, Any] = {
        "source": {"name": source.name, "url": source.url, "article": source.article},
        "topic": claim.topic, "rule": claim.rule, "cues": list(claim.cues),
        "subject_name": claim.subject_name, "unit": claim.unit, "qualifier": claim.qualifier,
        "actor": claim.actor, "as_of": claim.as_of,
        "source_count": after.source_count,
    }
    if before is not None:
        p["previous"] = {
            "value": before.value, "date": before.since.isoformat(), "attribution": before.attribution,
            "sentence": before.sentence, "source": {"name": before.source_name, "url": before.url,
                                                    "article": before.article},
            "source_count": before.source_count,
        }
    if alert_type == "contradicted" and before is not None:
        p["conflict"] = {
            "this": {"value": claim.value, "attribution": claim.attribution, "sentence": claim.sentence,
                     "source": p["source"], "date": claim.date},
            "other": p["previous"],
        }
    return p


def _draft(alert_type: str, claim: Claim, source: Source, before: BeliefState | None,
           after: BeliefState, policy: Policy) -> AlertDraft:
    old = before.value if before is not None else None
    key = claim_key(claim)
    return AlertDraft(
        type=alert_type, key=key, kind=after.kind, subject=after.subject, attribute=after.attribute,
        period=after.period, old=old, new=claim.value, date=claim.date, article=source.article,
        sentence=claim.sentence, modality=claim.modality, attribution=claim.attribution,
        severity=policy.severity(claim, alert_type, old), topic=claim.topic,
        dedup_key=dedup_key(source, key),
        parent_id=before.last_alert_id if before is not None else None,
        payload=_payload(claim, source, before, after, alert_type),
    )


def diff_article(claims: Sequence[Claim], beliefs: Mapping[str, BeliefState], source: Source,
                 policy: Policy, *, baseline: bool = False,
                 current_venue: Mapping[str, str] | None = None) -> DiffResult:
    """Diff one article's claims (in text order) against the beliefs before it."""
    resolved = resolve_meetings(claims, current_venue or {})
    order = sorted(range(len(resolved)), key=lambda i: (resolved[i].span[0], i))
    outcomes: list[ClaimOutcome] = []
    last_for_key: dict[str, int] = {}
    for i in order:
        c = resolved[i]
        key = claim_key(c)
        o = outcome_of(c, beliefs.get(key), source, policy.thresholds(c.subject, c.topic), policy.within)
        outcomes.append(ClaimOutcome(claim=c, key=key, outcome=o))
        if o != "ignored":
            last_for_key[key] = len(outcomes) - 1

    updates: list[BeliefUpdate] = []
    alerts: list[AlertDraft] = []
    for key, idx in last_for_key.items():
        co = outcomes[idx]
        outcomes[idx] = replace(co, decisive=True)
        c, before = co.claim, beliefs.get(key)
        if co.outcome == "confirmed":
            assert before is not None
            if source.source_key in before.sources:
                continue  # the same (or syndicated) text again: no new support
            after = replace(before, sources=(*before.sources, source.source_key))
            updates.append(BeliefUpdate(after, None, changed_value=False))
            if before.last_alert_id is not None and not baseline:
                d = _draft("corroboration", c, source, before, after, policy)
                alerts.append(replace(d, old=before.value, parent_id=before.last_alert_id))
            continue
        after = belief_from(c, source, (source.source_key,),
                            before.last_alert_id if before is not None else None)
        updates.append(BeliefUpdate(after, idx, changed_value=True))
        if not baseline:
            alerts.append(_draft(co.outcome, c, source, before, after, policy))
    return DiffResult(outcomes=outcomes, updates=updates, alerts=alerts)


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """A stored, not withdrawn claim of one key, with its article's source and claim id."""

    claim: Claim
    source: Source
    claim_id: int | None = None


def fold_history(items: Sequence[HistoryItem], policy: Policy) -> BeliefState | None:
    """The belief a key would have from these claims alone (taken in the given order).

    Used when a claim is withdrawn: the belief is rebuilt from what still supports it.
    """
    state: BeliefState | None = None
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and items[j].source.article == items[i].source.article:
            j += 1
        group = items[i:j]
        beliefs = {state.key: state} if state is not None else {}
        res = diff_article([h.claim for h in group], beliefs, group[0].source, policy, baseline=True)
        for u in res.updates:
            if u.claim_index is not None:
                picked = res.outcomes[u.claim_index].claim
                cid = next((h.claim_id for h in group if h.claim is picked or h.claim == picked), None)
                state = replace(u.state, claim_id=cid,
                                last_alert_id=state.last_alert_id if state is not None else None)
            else:
                state = u.state
        i = j
    return state


def withdrawal_alert(before: BeliefState, after: BeliefState | None, withdrawn: Claim,
                     source: Source, policy: Policy) -> AlertDraft:
    """The alert for a belief that reverts because its only support was withdrawn."""
    payload: dict[str, Any] = {
        "source": {"name": source.name, "url": source.url, "article": source.article},
        "topic": withdrawn.topic, "rule": withdrawn.rule, "cues": list(withdrawn.cues),
        "withdrawn": {"value": withdrawn.value, "sentence": withdrawn.sentence, "date": withdrawn.date},
        "reverted_to": None if after is None else {
            "value": after.value, "date": after.since.isoformat(), "attribution": after.attribution,
            "sentence": after.sentence, "source": {"name": after.source_name, "url": after.url,
                                                   "article": after.article},
        },
        "source_count": after.source_count if after is not None else 0,
    }
    return AlertDraft(
        type="withdrawn", key=before.key, kind=before.kind, subject=before.subject,
        attribute=before.attribute, period=before.period, old=before.value,
        new=after.value if after is not None else None, date=withdrawn.date, article=source.article,
        sentence=withdrawn.sentence, modality=withdrawn.modality, attribution=withdrawn.attribution,
        severity=policy.severity(withdrawn, "withdrawn", before.value), topic=before.topic,
        dedup_key=dedup_key(source, before.key), parent_id=before.last_alert_id, payload=payload,
    )
