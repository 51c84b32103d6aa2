"""Beliefs, claims and the outbox through ``monitor.pipeline`` on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitor import diff, pipeline
from monitor.models import Article, Claim
from monitor.store import beliefs_repo, outbox_repo
from monitor.store.tables import AlertRow, BeliefRow, ClaimRow
from tests.support.marker_extractor import extract_markers

POLICY = diff.DefaultPolicy()
NOW = dt.datetime(2025, 8, 20, 12, tzinfo=dt.UTC)


def write(folder: Path, name: str, date: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(f" date {date} {body}", encoding="utf-8")
    return p


def ingest(engine: Engine, *paths: Path, baseline: bool = False) -> pipeline.IngestResult:
    return pipeline.ingest_articles(engine, list(paths), extractor=extract_markers, policy=POLICY,
                                    baseline=baseline, now=lambda: NOW)


def alerts(engine: Engine, ids: list[int] | None = None) -> list[dict[str, Any]]:
    with Session(engine) as s:
        rows = outbox_repo.alerts_by_id(s, ids) if ids is not None else outbox_repo.all_alerts(s)
        return [{**outbox_repo.spec_dict(r), "dedup_key": r.dedup_key, "parent_id": r.parent_id,
                 "id": r.id, "state": r.state, "payload": json.loads(r.payload), "all_type": r.type}
                for r in rows]


def process(engine: Engine, art: Article, *, version: int = 1, baseline: bool = False) -> pipeline.ProcessResult:
    with Session(engine) as s, s.begin():
        return pipeline.process_article_version(s, art, version=version, baseline=baseline,
                                                extractor=extract_markers, policy=POLICY, now=NOW)


def art(aid: str, date: str, body: str, source: str = "Outlet") -> Article:
    return Article(id=aid, date=dt.date.fromisoformat(date), body=body, source=source,
                   url=f"https://news.example/{aid}")


def test_new_changed_confirmed_contradicted_end_to_end(engine: Engine, tmp_path: Path) -> None:
    d = tmp_path / "a"
    write(d, "b1.txt", "2025-08-01", "Lage. [control kupiansk status threatened]")
    ingest(engine, d / "b1.txt", baseline=True)
    write(d, "n1.txt", "2025-08-05", "Heute. [control kupiansk status contested reported ukraine]")
    write(d, "n2.txt", "2025-08-06", "Auch. [control kupiansk status russia reported russia]")
    write(d, "n3.txt", "2025-08-07", "Bestätigt. [control kupiansk status russia asserted russia]")
    write(d, "n4.txt", "2025-08-07", "Neu. [meeting putin+trump@usa status planned]")
    res = ingest(engine, d / "n1.txt", d / "n2.txt", d / "n3.txt", d / "n4.txt")
    got = alerts(engine, res.alert_ids)
    assert [(a["all_type"], a["old"], a["new"]) for a in got] == [
        ("changed", "threatened", "contested"),
        ("contradicted", "contested", "russia"),
        ("corroboration", "russia", "russia"),
        ("new", None, "planned"),
    ]
    assert got[1]["parent_id"] == got[0]["id"] and got[2]["parent_id"] == got[1]["id"]
    assert got[1]["payload"]["conflict"]["other"]["attribution"] == "ukraine"
    assert got[2]["payload"]["source_count"] == 2
    assert all(a["state"] == "pending" for a in got)
    with Session(engine) as s:
        b = beliefs_repo.load(s, ["control|kupiansk|status|"])["control|kupiansk|status|"]
        assert (b.value, b.source_count, b.since) == ("russia", 2, dt.date(2025, 8, 6))
        outcomes = [r for (r,) in s.execute(select(ClaimRow.outcome).order_by(ClaimRow.id))]
    assert outcomes == ["new", "changed", "contradicted", "confirmed", "new"]


def test_ingest_twice_raises_no_alert_the_second_time(engine: Engine, tmp_path: Path) -> None:
    write(tmp_path, "x1.txt", "2025-08-05", "[control pokrovsk status contested]")
    write(tmp_path, "x2.txt", "2025-08-09", "[control pokrovsk status russia]")
    first = ingest(engine, tmp_path)
    second = ingest(engine, tmp_path)
    assert len(first.alert_ids) == 2 and second.alert_ids == [] and second.processed == 0
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AlertRow)) == 2
        assert s.scalar(select(func.count()).select_from(ClaimRow)) == 2


def test_date_order_then_file_name(engine: Engine, tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "2025-08-05", "[control pokrovsk status russia]")
    write(tmp_path, "a.txt", "2025-08-05", "[control pokrovsk status contested]")
    write(tmp_path, "0.txt", "2025-08-09", "[control pokrovsk status ukraine]")
    got = alerts(engine, ingest(engine, tmp_path).alert_ids)
    assert [(a["article"], a["type"], a["new"]) for a in got] == [
        ("a", "new", "contested"), ("b", "changed", "russia"), ("0", "changed", "ukraine")]


def test_hedged_negated_and_old_as_of_are_stored_as_ignored(engine: Engine, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "2025-08-05", "[control lyman status ukraine]")
    write(tmp_path, "b.txt", "2025-08-06", "[control lyman status russia hedged] [control lyman status russia negated] "
                                           "[control lyman status russia asserted - as_of=2022]")
    res = ingest(engine, tmp_path)
    assert [a["type"] for a in alerts(engine, res.alert_ids)] == ["new"]
    assert res.outcomes == {"new": 1, "ignored": 3}
    with Session(engine) as s:
        assert s.scalar(select(BeliefRow.value_json)) == '"ukraine"'


def test_baseline_stores_beliefs_but_no_alerts(engine: Engine, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "2025-08-05", "[control lyman status ukraine]")
    res = ingest(engine, tmp_path, baseline=True)
    assert res.alert_ids == [] and res.claims == 1
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(BeliefRow)) == 1
        assert s.scalar(select(func.count()).select_from(AlertRow)) == 0


def test_meeting_without_venue_joins_the_current_meeting(engine: Engine) -> None:
    process(engine, art("m1", "2025-08-08", "[meeting putin+trump@usa status planned]"))
    r = process(engine, art("m2", "2025-08-15", "[meeting putin+trump status held]"))
    got = alerts(engine, r.alert_ids)
    assert [(a["subject"], a["old"], a["new"], a["type"]) for a in got] == [
        ("putin+trump@usa", "planned", "held", "changed")]
    with Session(engine) as s:
        assert [b.subject for b in beliefs_repo.list_beliefs(s, kind="meeting")] == ["putin+trump@usa"]


def test_syndicated_copies_count_as_one_source(engine: Engine) -> None:
    body = " ".join(f"Satz {i}: Die Agentur meldet Kämpfe am Abschnitt {i * 3} bei Dorf {i}." for i in range(40))
    process(engine, art("s1", "2025-08-10", body + " [control toretsk status russia]", "dpa via A"))
    r2 = process(engine, art("s2", "2025-08-10", "Vorspann. " + body + " [control toretsk status russia]", "dpa via B"))
    r3 = process(engine, art("s3", "2025-08-11", "Eigene Recherche ergibt: [control toretsk status russia]", "C"))
    assert r2.alert_ids == []  # a copy is no corroboration of itself
    assert [a["all_type"] for a in alerts(engine, r3.alert_ids)] == ["corroboration"]
    with Session(engine) as s:
        b = beliefs_repo.load(s, ["control|toretsk|status|"])["control|toretsk|status|"]
    assert b.source_count == 2 and set(b.sources) == {"s1", "s3"}


def test_withdrawn_claim_reverts_the_belief_with_an_alert(engine: Engine) -> None:
    process(engine, art("w0", "2025-08-01", "[control siversk status contested]"), baseline=True)
    r1 = process(engine, art("w1", "2025-08-05", "Eilmeldung [control siversk status russia]"))
    assert [a["type"] for a in alerts(engine, r1.alert_ids)] == ["changed"]
    r2 = process(engine, art("w1", "2025-08-05", "Korrigiert: keine Meldung mehr."), version=2)
    got = alerts(engine, r2.alert_ids)
    assert [(a["all_type"], a["old"], a["new"]) for a in got] == [("withdrawn", "russia", "contested")]
    assert got[0]["parent_id"] == r1.alert_ids[0]
    with Session(engine) as s:
        b = beliefs_repo.load(s, ["control|siversk|status|"])["control|siversk|status|"]
        assert b.value == "contested" and b.article == "w0"
        assert s.scalar(select(ClaimRow.withdrawn).where(ClaimRow.article_id == "w1")) is True


def test_withdrawn_only_claim_removes_the_belief(engine: Engine) -> None:
    process(engine, art("w1", "2025-08-05", "[agreement ceasefire status agreed]"))
    r2 = process(engine, art("w1", "2025-08-05", "Nichts mehr."), version=2)
    got = alerts(engine, r2.alert_ids)
    assert [(a["all_type"], a["old"], a["new"]) for a in got] == [("withdrawn", "agreed", None)]
    with Session(engine) as s:
        assert beliefs_repo.list_beliefs(s) == []


def test_withdrawal_with_other_support_keeps_the_belief_quietly(engine: Engine) -> None:
    process(engine, art("a", "2025-08-05", "[control siversk status russia]"))
    process(engine, art("b", "2025-08-06", "unabhängig [control siversk status russia]"))
    r = process(engine, art("a", "2025-08-05", "zurückgezogen"), version=2)
    assert r.alert_ids == [] and r.withdrawn == 1
    with Session(engine) as s:
        b = beliefs_repo.load(s, ["control|siversk|status|"])["control|siversk|status|"]
    assert b.value == "russia" and b.sources == ("b",)


def test_new_version_that_changes_a_value_alerts_once(engine: Engine) -> None:
    process(engine, art("v", "2025-08-05", "[control siversk status contested]"), baseline=True)
    r = process(engine, art("v", "2025-08-05", "Update [control siversk status russia]"), version=2)
    assert [(a["type"], a["old"], a["new"]) for a in alerts(engine, r.alert_ids)] == [
        ("changed", "contested", "russia")]
    again = process(engine, art("v", "2025-08-05", "Update [control siversk status russia]"), version=2)
    assert again.skipped and again.alert_ids == []


def test_dedup_key_is_unique_in_the_outbox(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    r = process(engine, art("u", "2025-08-05", "[control siversk status russia]"))
    with Session(engine) as s:
        row = s.get(AlertRow, r.alert_ids[0])
        assert row is not None
        s.expunge(row)
        from sqlalchemy.orm import make_transient
        make_transient(row)
        row.id = None  # type: ignore[assignment]
        s.add(row)
        with pytest.raises(IntegrityError):
            s.commit()


def test_meeting_without_venue_ignores_a_past_meeting(engine: Engine) -> None:
    process(engine, art("m1", "2025-05-15", "[meeting putin+zelensky@turkey status proposed]"))
    r = process(engine, art("m2", "2025-08-11", "[meeting putin+zelensky status proposed]"))
    assert [(a["type"], a["subject"]) for a in alerts(engine, r.alert_ids)] == [("new", "putin+zelensky")]


def test_one_article_failing_extraction_does_not_stop_the_others(engine: Engine, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "2025-08-05", "[control lyman status ukraine]")
    write(tmp_path, "b.txt", "2025-08-06", "BOOM [control siversk status russia]")
    write(tmp_path, "c.txt", "2025-08-07", "[control toretsk status russia]")

    def fragile(article: Article) -> list[Claim]:
        if "BOOM" in article.body:
            raise IndexError("extractor bug")
        return extract_markers(article)

    res = pipeline.ingest_articles(engine, [tmp_path], extractor=fragile, policy=POLICY, now=lambda: NOW)
    assert res.processed == 2 and len(res.extract_errors) == 1 and "b.txt" in res.extract_errors[0]
    assert "IndexError" in res.extract_errors[0]
    again = ingest(engine, tmp_path)  # fixed extractor: the failed article is taken up, nothing else
    assert again.processed == 1
    assert [a["article"] for a in alerts(engine, again.alert_ids)] == ["b"]
