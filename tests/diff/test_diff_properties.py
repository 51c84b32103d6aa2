"""Properties of the pure diff over random claim streams (hypothesis)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import diff
from monitor.models import Claim
from tests.diff.claims import claim

POLICY = diff.DefaultPolicy()

one_claim = st.builds(
    lambda subject, value, modality, attribution, at: claim(
        subject=subject, value=value, modality=modality, attribution=attribution, at=at),
    st.sampled_from(["kupiansk", "pokrovsk", "lyman"]),
    st.sampled_from(["threatened", "contested", "russia", "ukraine"]),
    st.sampled_from(["asserted", "reported", "hedged", "negated"]),
    st.sampled_from([None, "ukraine", "russia"]),
    st.integers(0, 500),
)
articles = st.lists(st.tuples(st.integers(0, 5), st.lists(one_claim, max_size=6)), max_size=12)


def stream(arts: list[tuple[int, list[Claim]]]) -> list[tuple[diff.Source, list[Claim]]]:
    out = []
    day = dt.date(2025, 8, 1)
    for i, (day_step, claims) in enumerate(arts):
        day += dt.timedelta(days=day_step)  # articles arrive in date order, some on the same day
        aid = f"a{i}"
        out.append((diff.Source(aid, aid), [replace(c, article=aid, date=day.isoformat()) for c in claims]))
    return out


def run(seq: list[tuple[diff.Source, list[Claim]]], *, baseline: bool = False) -> tuple[
        dict[str, diff.BeliefState], list[diff.AlertDraft], list[diff.HistoryItem]]:
    beliefs: dict[str, diff.BeliefState] = {}
    alerts: list[diff.AlertDraft] = []
    history: list[diff.HistoryItem] = []
    for source, claims in seq:
        res = diff.diff_article(claims, beliefs, source, POLICY, baseline=baseline)
        for u in res.updates:
            beliefs[u.state.key] = u.state
        alerts.extend(res.alerts)
        history.extend(diff.HistoryItem(o.claim, source) for o in res.outcomes if o.claim.changes_state)
    return beliefs, alerts, history


@settings(max_examples=200, deadline=None)
@given(articles)
def test_at_most_one_alert_per_key_per_article_and_none_in_baselines(arts: list[tuple[int, list[Claim]]]) -> None:
    seq = stream(arts)
    _, alerts, _ = run(seq)
    assert max(Counter((a.article, a.key) for a in alerts).values(), default=0) <= 1
    assert len({a.dedup_key for a in alerts}) == len(alerts)
    _, quiet, _ = run(seq, baseline=True)
    assert quiet == []


@settings(max_examples=200, deadline=None)
@given(articles)
def test_folding_the_history_gives_the_current_belief(arts: list[tuple[int, list[Claim]]]) -> None:
    beliefs, _, history = run(stream(arts))
    for key, b in beliefs.items():
        folded = diff.fold_history([h for h in history if diff.claim_key(h.claim) == key], POLICY)
        assert folded is not None
        assert (folded.value, folded.since, folded.sources) == (b.value, b.since, b.sources)


@settings(max_examples=200, deadline=None)
@given(articles)
def test_hedged_and_negated_claims_never_change_a_belief(arts: list[tuple[int, list[Claim]]]) -> None:
    seq = stream(arts)
    beliefs, _, _ = run(seq)
    solid = [(s, [c for c in claims if c.changes_state]) for s, claims in seq]
    assert {k: b.value for k, b in run(solid)[0].items()} == {k: b.value for k, b in beliefs.items()}
