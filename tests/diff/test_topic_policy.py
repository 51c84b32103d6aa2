"""Thresholds and severity for the diff come from the topic files an operator edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitor import diff
from monitor.pipeline import TopicPolicy
from monitor.topics import load_topics
from tests.diff.claims import claim

TOPIC = """\
id: front
watch: [donetsk-oblast]
thresholds:
  share_pp: 0.5
  area_rel: 0.02
  contradiction_window_hours: 24
severity:
  - severity: high
    kinds: [territory]
    types: [changed]
  - severity: low
    kinds: [territory]
"""


def test_thresholds_and_severity_per_topic(tmp_path: Path) -> None:
    (tmp_path / "front.yaml").write_text(TOPIC, encoding="utf-8")
    policy = TopicPolicy(load_topics(tmp_path))
    th = policy.thresholds("donetsk-oblast", "front")
    assert (th.share_pp, th.area_rel, th.contradiction_window_hours) == (0.5, 0.02, 24)
    share: dict[str, Any] = {"kind": "territory", "subject": "donetsk-oblast", "attribute": "share_ukraine"}
    old = claim(value=30, date="2025-08-01", article="a1", **share)
    b = diff.belief_from(old, diff.Source("a1", "a1"), ("a1",), None)
    moved = claim(value=30.8, date="2025-08-12", **share)
    res = diff.diff_article([moved], {b.key: b}, diff.Source("a2", "a2"), policy)
    assert [(a.type, a.severity) for a in res.alerts] == [("changed", "high")]  # 0.8 pp > 0.5 pp
    fresh = diff.diff_article([claim(value=12, **{**share, "subject": "donetsk-oblast", "attribute": "share_russia"})],
                              {}, diff.Source("a3", "a3"), policy)
    assert [(a.type, a.severity) for a in fresh.alerts] == [("new", "low")]
    # the 24 h window of this topic: two days later the other side is a change, not a contradiction
    ctl = diff.belief_from(claim(kind="territory", subject="donetsk-oblast", attribute="share_ukraine", value=30,
                                 date="2025-08-10", attribution="russia"), diff.Source("a1", "a1"), ("a1",), None)
    later = claim(kind="territory", subject="donetsk-oblast", attribute="share_ukraine", value=20,
                  date="2025-08-12", attribution="ukraine")
    assert diff.diff_article([later], {ctl.key: ctl}, diff.Source("a4", "a4"), policy).alerts[0].type == "changed"


def test_fields_a_topic_does_not_set_keep_the_spec_defaults(tmp_path: Path) -> None:
    (tmp_path / "front.yaml").write_text("id: front\nwatch: [kherson-oblast]\nthresholds:\n  share_pp: 3\n",
                                         encoding="utf-8")
    th = TopicPolicy(load_topics(tmp_path)).thresholds("kherson-oblast", None)
    assert (th.share_pp, th.area_rel, th.contradiction_window_hours) == (3, 0.05, 48.0)
    (tmp_path / "front.yaml").write_text("id: front\n", encoding="utf-8")
    assert TopicPolicy(load_topics(tmp_path)).thresholds("kherson-oblast", None) == diff.Thresholds()


VENUES = """\
id: diplomacy
entities:
  - {id: usa, type: country, names: {en: [USA]}}
  - {id: alaska, type: region, region: usa, names: {en: [Alaska]}}
  - {id: anchorage, type: place, region: alaska, names: {en: [Anchorage]}}
  - {id: elmendorf-richardson, type: place, region: anchorage, names: {en: [Elmendorf-Richardson]}}
  - {id: moscow, type: place, names: {en: [Moscow]}}
"""


def test_a_more_precise_venue_confirms_the_location(tmp_path: Path) -> None:
    (tmp_path / "diplomacy.yaml").write_text(VENUES, encoding="utf-8")
    policy = TopicPolicy(load_topics(tmp_path))
    loc: dict[str, Any] = {"kind": "meeting", "subject": "putin+trump@usa", "attribute": "location"}
    b = diff.belief_from(claim(value="anchorage", date="2025-08-14", **loc), diff.Source("a1", "a1"), ("a1",), 3)
    for value in ("elmendorf-richardson", "alaska"):
        res = diff.diff_article([claim(value=value, date="2025-08-16", **loc)], {b.key: b},
                                diff.Source("a2", "a2"), policy)
        assert res.outcomes[0].outcome == "confirmed", value
    moved = diff.diff_article([claim(value="moscow", date="2025-08-20", **loc)], {b.key: b},
                              diff.Source("a3", "a3"), policy)
    assert [a.type for a in moved.alerts] == ["changed"]
    assert not policy.within("anchorage", "moscow") and policy.within("elmendorf-richardson", "usa")
