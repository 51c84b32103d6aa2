"""The spec's diff table (claims.md, "Diffs") on hand-made claims and beliefs: pure, no store."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from monitor import diff
from monitor.models import Claim
from tests.diff.claims import claim

POLICY = diff.DefaultPolicy()


def src(article: str = "a2", key: str | None = None, version: int = 1) -> diff.Source:
    return diff.Source(article=article, source_key=key or article, name="Outlet", url="https://x.example/a",
                       version=version)


def belief(value: object = "contested", *, since: str = "2025-08-10", attribution: str | None = None,
           article: str = "a1", sources: tuple[str, ...] = ("a1",), last_alert_id: int | None = 7,
           c: Claim | None = None) -> diff.BeliefState:
    c = c or claim(value=value, date=since, article=article, attribution=attribution)
    b = diff.belief_from(c, diff.Source(article, sources[0]), sources, last_alert_id)
    return b


def run(claims: list[Claim], beliefs: dict[str, diff.BeliefState] | None = None, *, baseline: bool = False,
        source: diff.Source | None = None, venues: dict[str, str] | None = None) -> diff.DiffResult:
    return diff.diff_article(claims, beliefs or {}, source or src(), POLICY, baseline=baseline,
                             current_venue=venues)


def key_of(c: Claim) -> str:
    return diff.claim_key(c)


def test_new_when_no_belief_raises_alert_with_null_old() -> None:
    c = claim(date="2025-08-12", article="a2")
    res = run([c])
    assert [o.outcome for o in res.outcomes] == ["new"]
    [a] = res.alerts
    assert (a.type, a.old, a.new, a.article, a.dedup_key) == ("new", None, "russia", "a2", f"a2:1:{key_of(c)}")
    assert res.updates[0].state.value == "russia" and res.updates[0].state.sources == ("a2",)


def test_baseline_stores_belief_without_alert() -> None:
    res = run([claim()], baseline=True)
    assert res.alerts == [] and res.updates[0].state.value == "russia"


def test_confirmed_same_value_no_alert_but_corroboration_from_new_source() -> None:
    b = belief("russia")
    res = run([claim(value="russia", date="2025-08-12", article="a2")], {b.key: b})
    assert [o.outcome for o in res.outcomes] == ["confirmed"]
    assert [a.type for a in res.alerts] == ["corroboration"]
    assert res.alerts[0].parent_id == 7
    assert res.updates[0].state.sources == ("a1", "a2") and res.updates[0].state.source_count == 2
    assert res.updates[0].state.value == "russia" and res.updates[0].state.since == b.since


def test_confirmed_by_a_syndicated_copy_adds_no_source() -> None:
    b = belief("russia")
    res = run([claim(value="russia", article="a2")], {b.key: b}, source=src("a2", key="a1"))
    assert [o.outcome for o in res.outcomes] == ["confirmed"]
    assert res.alerts == [] and res.updates == []


def test_changed_after_the_window_and_progression() -> None:
    b = belief("threatened", since="2025-08-01")
    res = run([claim(value="russia", date="2025-08-12")], {b.key: b})
    assert [o.outcome for o in res.outcomes] == ["changed"]
    [a] = res.alerts
    assert (a.type, a.old, a.new, a.parent_id) == ("changed", "threatened", "russia", 7)
    assert a.payload["previous"]["value"] == "threatened" and a.payload["previous"]["date"] == "2025-08-01"


def test_contradicted_within_window_from_the_other_side() -> None:
    b = belief("russia", since="2025-08-10", attribution="russia")
    c = claim(value="contested", date="2025-08-11", attribution="ukraine", modality="reported")
    res = run([c], {b.key: b})
    [a] = res.alerts
    assert a.type == "contradicted" and a.old == "russia" and a.new == "contested"
    assert a.payload["conflict"]["other"]["attribution"] == "russia"
    assert a.payload["conflict"]["this"]["attribution"] == "ukraine"
    assert res.updates[0].state.value == "contested"  # the newest claim is believed


def test_same_side_within_window_is_a_change_not_a_contradiction() -> None:
    b = belief("contested", since="2025-08-10", attribution="ukraine")
    res = run([claim(value="russia", date="2025-08-11", attribution="ukraine")], {b.key: b})
    assert [a.type for a in res.alerts] == ["changed"]


def test_other_side_outside_window_is_a_change() -> None:
    b = belief("russia", since="2025-08-01", attribution="russia")
    res = run([claim(value="contested", date="2025-08-11", attribution="ukraine")], {b.key: b})
    assert [a.type for a in res.alerts] == ["changed"]


@pytest.mark.parametrize("modality", ["hedged", "negated"])
def test_hedged_and_negated_are_ignored_and_change_nothing(modality: str) -> None:
    b = belief("contested")
    res = run([claim(value="russia", modality=modality, date="2025-08-12")], {b.key: b})
    assert [o.outcome for o in res.outcomes] == ["ignored"]
    assert res.alerts == [] and res.updates == []
    assert [o.outcome for o in run([claim(modality=modality)]).outcomes] == ["ignored"]


def test_as_of_older_than_the_belief_is_ignored() -> None:
    b = belief("russia", since="2025-08-10")
    res = run([claim(value="ukraine", date="2025-08-12", as_of="2022")], {b.key: b})
    assert [o.outcome for o in res.outcomes] == ["ignored"] and res.alerts == []


def test_claim_dated_before_the_belief_outside_window_is_ignored() -> None:
    b = belief("russia", since="2025-08-10")
    res = run([claim(value="ukraine", date="2025-08-01")], {b.key: b})
    assert [o.outcome for o in res.outcomes] == ["ignored"]


def test_numbers_within_threshold_confirm_beyond_change() -> None:
    share: dict[str, Any] = {"kind": "territory", "subject": "donetsk-oblast", "attribute": "share_ukraine"}
    b = belief(c=claim(value=30, date="2025-08-01", article="a1", **share))
    near = run([claim(value=30.8, date="2025-08-12", **share)], {b.key: b})
    assert [o.outcome for o in near.outcomes] == ["confirmed"]
    far = run([claim(value=25, date="2025-08-12", **share)], {b.key: b})
    assert [(a.type, a.old, a.new) for a in far.alerts] == [("changed", 30, 25)]
    area: dict[str, Any] = {"kind": "territory", "subject": "ukraine", "attribute": "area_russia"}
    b2 = belief(c=claim(value=114000, date="2025-08-01", article="a1", **area))
    assert run([claim(value=116000, date="2025-08-12", **area)], {b2.key: b2}).outcomes[0].outcome == "confirmed"
    assert run([claim(value=130000, date="2025-08-12", **area)], {b2.key: b2}).outcomes[0].outcome == "changed"


def test_thresholds_come_from_the_policy_per_topic() -> None:
    class Tight(diff.DefaultPolicy):
        def thresholds(self, subject: str, topic: str | None) -> diff.Thresholds:
            return diff.Thresholds(share_pp=0.1) if topic == "front" else diff.Thresholds()

    share: dict[str, Any] = {"kind": "territory", "subject": "donetsk-oblast", "attribute": "share_ukraine"}
    b = belief(c=claim(value=30, date="2025-08-01", article="a1", **share))
    c = claim(value=30.5, date="2025-08-12", topic="front", **share)
    assert diff.diff_article([c], {b.key: b}, src(), Tight()).outcomes[0].outcome == "changed"
    assert diff.diff_article([c], {b.key: b}, src(), POLICY).outcomes[0].outcome == "confirmed"


def test_gain_keys_include_the_period() -> None:
    gain: dict[str, Any] = {"kind": "territory", "subject": "ukraine", "attribute": "gain_russia"}
    a = claim(value=4000, period="2024", **gain)
    b = claim(value=50, period="per-month", at=100, **gain)
    res = run([a, b])
    assert sorted(x.period or "" for x in res.alerts) == ["2024", "per-month"]
    assert [o.outcome for o in res.outcomes] == ["new", "new"]


def test_last_claim_in_text_decides_and_one_alert_per_key() -> None:
    b = belief("threatened", since="2025-08-01")
    first = claim(value="contested", at=10, date="2025-08-12")
    last = claim(value="russia", at=200, date="2025-08-12")
    res = run([last, first], {b.key: b})  # given out of order: the text position counts
    assert len(res.alerts) == 1 and res.alerts[0].new == "russia" and res.alerts[0].old == "threatened"
    assert [o.decisive for o in res.outcomes] == [False, True]
    assert res.updates[0].state.value == "russia"


def test_last_claim_confirming_means_no_alert_even_if_earlier_differs() -> None:
    b = belief("russia", since="2025-08-01")
    res = run([claim(value="contested", at=0, date="2025-08-12"), claim(value="russia", at=50, date="2025-08-12")],
              {b.key: b})
    assert [a.type for a in res.alerts] == ["corroboration"]


def test_meeting_without_venue_attaches_to_current_meeting() -> None:
    m: dict[str, Any] = {"kind": "meeting", "attribute": "status"}
    res = run([claim(subject="putin+trump", value="held", **m)], venues={"putin+trump": "putin+trump@usa"})
    assert res.alerts[0].subject == "putin+trump@usa"
    # the article's own venue wins over the stored one
    res2 = run([claim(subject="putin+trump@russia", value="planned", **m),
                claim(kind="meeting", subject="putin+trump", value="2025-08-15", at=40, attribute="date")],
               venues={"putin+trump": "putin+trump@usa"})
    assert {a.subject for a in res2.alerts} == {"putin+trump@russia"}
    # no venue anywhere: stays as it is
    assert run([claim(subject="putin+zelensky", value="proposed", **m)]).alerts[0].subject == "putin+zelensky"


def test_severity_comes_from_the_policy() -> None:
    class AllLow(diff.DefaultPolicy):
        def severity(self, claim: Claim, alert_type: str, old: object) -> str:
            return "low"

    res = diff.diff_article([claim()], {}, src(), AllLow())
    assert res.alerts[0].severity == "low"
    assert run([claim()]).alerts[0].severity in {"high", "medium", "low"}


def test_fold_history_rebuilds_belief_from_remaining_claims() -> None:
    h = [diff.HistoryItem(claim(value="threatened", date="2025-08-01", article="a1"), src("a1"), 1),
         diff.HistoryItem(claim(value="contested", date="2025-08-05", article="a2"), src("a2"), 2),
         diff.HistoryItem(claim(value="contested", date="2025-08-06", article="a3"), src("a3"), 3)]
    s = diff.fold_history(h, POLICY)
    assert s is not None and s.value == "contested" and s.sources == ("a2", "a3") and s.claim_id == 2
    assert s.since == dt.date(2025, 8, 5)
    assert diff.fold_history([], POLICY) is None


def test_withdrawal_alert_says_what_it_reverts_to() -> None:
    before = belief("russia", since="2025-08-12", article="a2", sources=("a2",))
    after = belief("contested", since="2025-08-10", article="a1")
    a = diff.withdrawal_alert(before, after, claim(value="russia", article="a2"), src("a2", version=2), POLICY)
    assert (a.type, a.old, a.new, a.dedup_key) == ("withdrawn", "russia", "contested", f"a2:2:{before.key}")
    assert a.payload["reverted_to"]["value"] == "contested"
    gone = diff.withdrawal_alert(before, None, claim(value="russia", article="a2"), src("a2", version=2), POLICY)
    assert gone.new is None and gone.payload["reverted_to"] is None


def test_as_of_is_read_by_its_year() -> None:
    b = belief("ukraine", since="2024-02-18")
    same_year = claim(value="russia", date="2025-10-22", as_of="2024-10")
    assert run([same_year], {b.key: b}).outcomes[0].outcome == "ignored"
    later_year = claim(value="russia", date="2025-10-22", as_of="2025")
    assert [a.type for a in run([later_year], {b.key: b}).alerts] == ["changed"]
