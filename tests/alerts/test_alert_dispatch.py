"""The dispatcher on SQLite and the real PostgreSQL, delivering to the Slack stand-in."""

from __future__ import annotations

import datetime as dt
import io
import threading
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from alerts.console import ConsoleNotifier
from alerts.slack import SlackNotifier
from monitor.config import MonitorConfig, SlackRoute
from monitor.delivery.convert import to_alert
from monitor.delivery.dispatcher import Dispatcher, dispatch_once, send_digests
from monitor.delivery.outbox import enqueue_ops_alert, retry_dead
from monitor.routing import cron_trigger
from monitor.store.tables import AlertRow
from tests.alerts.helpers import T0, FakeClock, draft, insert, rows, run_cli
from tests.support.slack_standin import TOKEN, SlackStandin


def config(standin: SlackStandin, **slack: Any) -> MonitorConfig:
    base: dict[str, Any] = {"enabled": True, "base_url": standin.base_url, "default_channel": "#front",
                            "ops_channel": "#ops", "max_attempts": 50, "timeout": 0.3}
    base.update(slack)
    return MonitorConfig.model_validate({"slack": base})


def bot(standin: SlackStandin, clock: FakeClock) -> SlackNotifier:
    return SlackNotifier(token=TOKEN, base_url=standin.base_url, timeout=0.3, sleep=clock.sleep)


def drain(engine: Engine, standin: SlackStandin, cfg: MonitorConfig, clock: FakeClock, *, rounds: int = 60,
          notifier: SlackNotifier | None = None) -> None:
    """Run the dispatcher like the daemon does, a minute apart, until nothing is left to send."""
    d = Dispatcher(engine, notifier or bot(standin, clock), cfg, clock=clock)
    for _ in range(rounds):
        d.run_once()
        if all(r.state in ("sent", "dead", "skipped") for r in rows(engine).values()):
            return
        clock.advance(60)


def test_default_channel_takes_everything(engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    ids = insert(engine, [draft(i) for i in range(3)])
    rep = dispatch_once(engine, bot(standin, clock), config(standin), clock=clock)
    assert rep.sent == 3 and rep.routed == 3
    assert [m.channel for m in standin.messages] == ["C0FRONT"] * 3
    got = rows(engine)
    for i, m in zip(ids, standin.messages, strict=True):
        assert got[i].state == "sent" and got[i].slack_ts == m.ts and got[i].slack_channel_id == "C0FRONT"
        assert (m.metadata or {})["event_payload"]["alert_id"] == i
    assert dispatch_once(engine, bot(standin, clock), config(standin), clock=clock).sent == 0


def test_routes_first_match_wins_and_no_route_is_skipped(engine: Engine, standin: SlackStandin,
                                                         clock: FakeClock) -> None:
    cfg = config(standin, default_channel=None, routes=[
        {"name": "summits", "channel": "#diplomacy", "kinds": ["meeting"]},
        {"name": "high-front", "channel": "C0FRONT", "kinds": ["control"], "severities": ["high"]},
        {"name": "all-control", "channel": "#general", "kinds": ["control"]},
    ])
    ids = insert(engine, [draft(1, kind="meeting", subject="putin+trump@usa", new="held"),
                          draft(2, severity="high"), draft(3, severity="low"),
                          draft(4, kind="agreement", subject="ceasefire", new="agreed")])
    dispatch_once(engine, bot(standin, clock), cfg, clock=clock)
    got = rows(engine)
    assert [got[i].channel for i in ids[:3]] == ["#diplomacy", "C0FRONT", "#general"]
    assert got[ids[3]].state == "skipped" and "no route" in (got[ids[3]].last_error or "")
    assert sorted(m.channel for m in standin.messages) == ["C0DIPLO", "C0FRONT", "C0GENERAL"]


def test_rate_limit_one_per_second_per_channel(engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    standin.stamp = clock.monotonic
    cfg = config(standin, routes=[{"name": "diplo", "channel": "#diplomacy", "kinds": ["meeting"]}])
    insert(engine, [draft(i, kind="control" if i % 2 else "meeting") for i in range(8)])
    dispatch_once(engine, bot(standin, clock), cfg, clock=clock)
    for channel in ("C0FRONT", "C0DIPLO"):
        times = [m.at for m in standin.in_channel(channel)]
        assert len(times) == 4
        assert all(b - a >= 1.0 for a, b in zip(times, times[1:], strict=False)), times  # type: ignore[operator]
    # The two channels share the time: 8 messages in 3 s, not 7 s.
    assert max(m.at or 0 for m in standin.messages) == pytest.approx(3.0)


def test_storm_of_429_500_and_timeouts_delivers_each_alert_exactly_once(
        engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    standin.slow_seconds = 0.4
    standin.storm(seed=5, p429=0.3, p500=0.2, pslow=0.1, pdrop=0.05,
                  methods=("chat.postMessage", "chat.update", "conversations.history", "conversations.replies"))
    cfg = config(standin, routes=[{"name": "diplo", "channel": "#diplomacy", "kinds": ["meeting"]},
                                  {"name": "general", "channel": "C0GENERAL", "severities": ["low"]}])
    drafts = [draft(i, kind=("control", "meeting")[i % 2], severity=("high", "low", "medium")[i % 3])
              for i in range(30)]
    ids = insert(engine, drafts)
    # corroborations of the first five: thread replies and parent edits go through the storm too
    insert(engine, [draft(100 + k, type="corroboration", subject=drafts[k].subject, kind=drafts[k].kind,
                          parent_id=ids[k], source_count=2, source="ZDF") for k in range(5)])
    drain(engine, standin, cfg, clock)
    got = rows(engine)
    assert all(r.state == "sent" for r in got.values()), {i: (r.state, r.last_error) for i, r in got.items()}
    counts = standin.by_key()
    assert len(counts) == 35 and set(counts.values()) == {1}, counts
    assert standin.count("chat.postMessage", 429) > 0 and standin.count("chat.postMessage", 500) > 0
    assert sum(r.attempts > 1 for r in got.values()) > 0
    replies = [m for m in standin.messages if m.thread_ts]
    assert len(replies) == 5


def test_dead_letter_after_max_attempts_then_retry(engine: Engine, standin: SlackStandin, clock: FakeClock,
                                                   capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    cfg = config(standin, max_attempts=3)
    [aid] = insert(engine, [draft(1)])
    standin.fail("chat.postMessage", *["500"] * 9)  # 3 attempts x 3 tries inside each
    d = Dispatcher(engine, bot(standin, clock), cfg, clock=clock)
    reports = []
    for _ in range(5):
        reports.append(d.run_once())
        clock.advance(3600)
    assert [r.retried for r in reports[:2]] == [1, 1] and reports[2].dead == 1
    row = rows(engine)[aid]
    assert row.state == "dead" and row.attempts == 3 and "ServerError" in (row.last_error or "")
    assert standin.messages == []
    assert run_cli(["alerts", "--failed", "--format", "jsonl", "--db", db_url]) == 0
    listed = capsys.readouterr().out
    assert f'"id": {aid}' in listed and '"state": "dead"' in listed
    assert run_cli(["alerts", "retry", "--db", db_url]) == 0
    assert "1 dead alert(s) back to pending" in capsys.readouterr().out
    d.run_once()
    assert rows(engine)[aid].state == "sent" and len(standin.messages) == 1


def test_permanent_error_is_dead_at_once(engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    [aid] = insert(engine, [draft(1)])
    rep = dispatch_once(engine, bot(standin, clock), config(standin, default_channel="#gone"), clock=clock)
    assert rep.dead == 1 and "channel_not_found" in (rows(engine)[aid].last_error or "")


def test_corroboration_replies_in_thread_and_updates_parent_count(engine: Engine, standin: SlackStandin,
                                                                   clock: FakeClock) -> None:
    [parent] = insert(engine, [draft(1, source_count=1)])
    [child] = insert(engine, [draft(2, type="corroboration", subject="town-1", parent_id=parent,
                                    source_count=3, source="ZDF", url="https://www.zdf.de/k")])
    rep = dispatch_once(engine, bot(standin, clock), config(standin), clock=clock)
    assert rep.sent == 2 and rep.threaded == 1 and rep.updated == 1
    top, reply = standin.messages
    assert reply.thread_ts == top.ts and reply.channel == top.channel
    assert "*Corroborated by* <https://www.zdf.de/k|ZDF>" in reply.all_text()
    assert len(top.updates) == 1 and "3 independent sources support this" in top.all_text()
    assert "1 independent source" in str(top.updates[0]["blocks"])
    assert rows(engine)[child].slack_ts == reply.ts


def test_child_waits_for_its_parent_and_change_links_previous_message(
        engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    [parent] = insert(engine, [draft(1, new="threatened")])
    [corr, change] = insert(engine, [
        draft(2, type="corroboration", subject="town-1", parent_id=parent, source_count=2),
        draft(3, type="changed", subject="town-1", old="threatened", new="russia", parent_id=parent)])
    standin.fail("chat.postMessage", "500", "500", "500")  # the parent's first attempt fails
    d = Dispatcher(engine, bot(standin, clock), config(standin), clock=clock)
    rep = d.run_once()
    assert rep.retried == 1 and rep.deferred == 2 and standin.messages == []
    clock.advance(60)
    d.run_once()
    top, reply, changed = standin.messages
    assert reply.thread_ts == top.ts and changed.thread_ts is None
    link = f"https://standin.slack.example/archives/C0FRONT/p{top.ts.replace('.', '')}"
    assert f"Previous alert: <{link}|view message>" in changed.all_text()
    assert "threatened → held by Russia" in changed.blocks[0]["text"]["text"]


def test_digest_groups_by_subject_on_its_cron(engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    route = {"name": "summits", "channel": "#digest", "kinds": ["meeting", "agreement"], "mode": "digest",
             "cron": "0 8,17 * * *"}
    cfg = config(standin, routes=[route])
    ids = insert(engine, [
        draft(1, kind="meeting", subject="putin+trump@usa", new="planned"),
        draft(2, kind="agreement", subject="ceasefire", new="proposed"),
        draft(3, kind="meeting", subject="putin+trump@usa", attribute="location", new="anchorage"),
        draft(4, kind="control", subject="kupiansk"),
        draft(5, kind="agreement", subject="ceasefire", type="changed", old="proposed", new="rejected"),
    ])
    rep = dispatch_once(engine, bot(standin, clock), cfg, clock=clock)
    assert rep.sent == 1 and [m.channel for m in standin.messages] == ["C0FRONT"]
    assert {rows(engine)[i].state for i in ids if i != ids[3]} == {"pending"}
    r = SlackRoute.model_validate(route)
    trig = cron_trigger(r, cfg.slack.digest_timezone)
    assert trig.get_next_fire_time(None, T0) == T0.replace(hour=8, minute=0)
    rep = send_digests(engine, bot(standin, clock), cfg, r, clock=clock)
    assert rep.digests == 1 and rep.sent == 4
    digest = standin.in_channel("C0DIGEST")
    assert len(digest) == 1
    sections = [b["text"]["text"] for b in digest[0].blocks if b["type"] == "section"]
    assert len(sections) == 2  # one per subject
    assert sections[0].startswith("*Putin–Trump meeting in the USA*") and sections[0].count("\n") == 2
    assert sections[1].startswith("*Ceasefire*") and "proposed → rejected" in sections[1]
    assert "4 alerts on 2 subjects" in digest[0].blocks[0]["text"]["text"]
    assert send_digests(engine, bot(standin, clock), cfg, r, clock=clock).digests == 0


def test_ops_alerts_go_to_the_ops_channel_once(engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    with Session(engine) as s, s.begin():
        first = enqueue_ops_alert(s, "ops:feed-failing:tagesschau:1", "feed failing for 5 polls in a row: HTTP 503",
                                  subject="tagesschau", now=T0)
        again = enqueue_ops_alert(s, "ops:feed-failing:tagesschau:1", "feed failing for 6 polls", now=T0)
        empty = enqueue_ops_alert(s, "ops:empty-text:zdf:2025-08-12", "extraction suddenly empty for 10 items; "
                                  "the publisher may have changed its layout <!channel>", subject="zdf", now=T0)
    assert first is not None and again is None and empty is not None
    dispatch_once(engine, bot(standin, clock), config(standin), clock=clock)
    assert [m.channel for m in standin.messages] == ["C0OPS", "C0OPS"]
    assert standin.messages[0].blocks[0]["text"]["text"].startswith("⚙️ OPS · tagesschau: feed failing")
    assert "&lt;!channel&gt;" in standin.messages[1].all_text()


def test_expired_lease_is_taken_over_without_duplicate(engine: Engine, standin: SlackStandin,
                                                       clock: FakeClock) -> None:
    cfg = config(standin)
    a, b = insert(engine, [draft(1), draft(2)])
    dispatch_once(engine, bot(standin, clock), cfg, clock=clock)  # routes and sends both
    assert len(standin.messages) == 2
    # A replica claimed both, posted `a` and died before recording anything; `b` it never posted.
    del standin.messages[1]
    with Session(engine) as s, s.begin():
        s.execute(update(AlertRow).where(AlertRow.id.in_([a, b])).values(
            state="sending", lease_owner="dead-replica", lease_until=clock.now() + dt.timedelta(seconds=30),
            slack_ts=None, sent_at=None))
    d = Dispatcher(engine, bot(standin, clock), cfg, clock=clock, owner="survivor")
    assert d.run_once().sent == 0  # the lease still holds
    clock.advance(31)
    rep = d.run_once()
    assert rep.sent == 2 and rep.found_existing == 1
    assert set(standin.by_key().values()) == {1} and len(standin.messages) == 2
    assert rows(engine)[a].slack_ts is not None


def test_replicas_in_parallel_post_each_alert_once(engine: Engine, standin: SlackStandin) -> None:
    cfg = config(standin, routes=[{"name": "d", "channel": "#diplomacy", "kinds": ["meeting"]},
                                  {"name": "g", "channel": "#general", "severities": ["low"]}])
    insert(engine, [draft(i, kind=("control", "meeting")[i % 2], severity=("high", "low")[i % 3 == 0])
                    for i in range(40)])
    errors: list[BaseException] = []

    def replica(k: int) -> None:
        clock = FakeClock()
        try:
            d = Dispatcher(engine, bot(standin, clock), cfg, clock=clock, owner=f"replica-{k}")
            for _ in range(3):
                d.run_once()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=replica, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(standin.messages) == 40 and set(standin.by_key().values()) == {1}
    assert all(r.state == "sent" for r in rows(engine).values())


def test_console_mirror_and_row_conversion(engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    [aid] = insert(engine, [draft(1, old="threatened", new="contested", type="changed")])
    buf = io.StringIO()
    dispatch_once(engine, [bot(standin, clock), ConsoleNotifier(stream=buf)], config(standin), clock=clock)
    assert "Town-1: threatened → contested" in buf.getvalue() and len(standin.messages) == 1
    a = to_alert(rows(engine)[aid])
    assert a.previous is not None and a.previous.source == "Spiegel" and a.cues == ("Kämpfe",)
    assert a.source_name == "tagesschau" and a.url == "https://www.tagesschau.de/ausland/a.html"


def test_retry_dead_only_touches_dead_rows(engine: Engine) -> None:
    a, b = insert(engine, [draft(1), draft(2)])
    with Session(engine) as s, s.begin():
        s.execute(update(AlertRow).where(AlertRow.id == a).values(state="dead", attempts=8, last_error="x"))
        s.execute(update(AlertRow).where(AlertRow.id == b).values(state="sent"))
    with Session(engine) as s, s.begin():
        assert retry_dead(s, now=T0) == 1
    got = rows(engine)
    assert (got[a].state, got[a].attempts, got[b].state) == ("pending", 0, "sent")


def test_feed_health_alerts_once_per_streak(engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    from monitor.delivery.health import feed_health_alerts
    from monitor.store.tables import Feed

    cfg = config(standin, ops_failing_polls=3, ops_empty_polls=2)
    with Session(engine) as s, s.begin():
        s.add(Feed(id="zdf", url="https://www.zdf.de/rss", name="ZDF heute", consecutive_errors=0,
                   empty_text_streak=0))
    queued: list[int] = []
    for polls in range(1, 6):  # five failed polls: one alert, at the third
        with Session(engine) as s, s.begin():
            f = s.get(Feed, "zdf")
            assert f is not None
            f.consecutive_errors, f.last_error = polls, "FetchStatusError: HTTP 503 <!channel>"
            queued += feed_health_alerts(s, "zdf", clock.now(), cfg.slack)
    assert len(queued) == 1
    with Session(engine) as s, s.begin():  # recovery, then empty text twice: layout changed
        f = s.get(Feed, "zdf")
        assert f is not None
        f.consecutive_errors, f.last_ok_at = 0, clock.now()
        for streak in (1, 2, 3):
            f.empty_text_streak = streak
            queued += feed_health_alerts(s, "zdf", clock.now(), cfg.slack)
    assert len(queued) == 2
    dispatch_once(engine, bot(standin, clock), cfg, clock=clock)
    failing, empty = standin.messages
    assert failing.channel == empty.channel == "C0OPS"
    assert "Feed ZDF heute has failed 3 polls in a row" in failing.all_text()
    assert "&lt;!channel&gt;" in failing.all_text()
    assert "empty for 2 polls in a row" in empty.all_text()


def test_parent_count_never_goes_back_when_corroborations_arrive_out_of_order(
        engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    [parent] = insert(engine, [draft(1, source_count=1)])
    d = Dispatcher(engine, bot(standin, clock), config(standin), clock=clock)
    d.run_once()
    two, three = insert(engine, [draft(2, type="corroboration", subject="town-1", parent_id=parent, source_count=2),
                                 draft(3, type="corroboration", subject="town-1", parent_id=parent, source_count=3)])
    standin.fail("chat.postMessage", "500", "500", "500")  # the count-2 reply fails once and comes last
    d.run_once()
    clock.advance(60)
    d.run_once()
    top = standin.messages[0]
    assert [m.thread_ts for m in standin.messages[1:]] == [top.ts, top.ts]
    assert "3 independent sources support this" in top.all_text()
    assert len(top.updates) == 1  # the late count-2 reply did not edit it back
    assert rows(engine)[two].state == rows(engine)[three].state == "sent"


def test_corroboration_of_a_digest_alert_is_not_a_thread_under_the_digest(
        engine: Engine, standin: SlackStandin, clock: FakeClock) -> None:
    route = {"name": "summits", "channel": "#digest", "kinds": ["meeting"], "mode": "digest", "cron": "0 8 * * *"}
    cfg = config(standin, routes=[route])
    [parent] = insert(engine, [draft(1, kind="meeting", subject="putin+trump@usa", new="planned")])
    send_digests(engine, bot(standin, clock), cfg, SlackRoute.model_validate(route), clock=clock)
    insert(engine, [draft(2, kind="meeting", subject="putin+trump@usa", new="planned", type="corroboration",
                          parent_id=parent, source_count=2)])
    dispatch_once(engine, bot(standin, clock), cfg, clock=clock)
    send_digests(engine, bot(standin, clock), cfg, SlackRoute.model_validate(route), clock=clock)
    first, second = standin.messages
    assert second.thread_ts is None and first.updates == []
    assert "Corroborated" in second.all_text()


def test_a_busy_subject_is_split_into_sections_and_messages(standin: SlackStandin, clock: FakeClock) -> None:
    from tests.alerts.helpers import alert

    many = [alert(id=i, type="new", url=f"https://www.tagesschau.de/{'x' * 150}/{i}") for i in range(1, 501)]
    parts = bot(standin, clock).send_digest(many, "C0DIGEST", title="busy")
    assert len(parts) == len(standin.messages) >= 2
    body = "\n".join(m.all_text() for m in standin.messages)
    assert all(f"/{i}|tagesschau>" in body for i in range(1, 501))  # nothing cut off
    assert all(len(m.blocks) <= 50 for m in standin.messages)


class TickingClock(FakeClock):
    """Like wall time, every reading is a little later than the one before."""

    def monotonic(self) -> float:
        self.t += 1e-6
        return self.t


def test_each_channel_keeps_the_outbox_order(engine: Engine, standin: SlackStandin) -> None:
    clock = TickingClock()
    cfg = config(standin, routes=[{"name": "diplo", "channel": "#diplomacy", "kinds": ["meeting"]}])
    ids = insert(engine, [draft(i, kind=("control", "meeting")[i % 3 == 0]) for i in range(12)])
    dispatch_once(engine, bot(standin, clock), cfg, clock=clock)
    for channel in ("C0FRONT", "C0DIPLO"):
        sent = [(m.metadata or {})["event_payload"]["alert_id"] for m in standin.in_channel(channel)]
        assert sent == sorted(sent) and len(sent) == (8 if channel == "C0FRONT" else 4)
    assert len(standin.messages) == len(ids)


def test_withdrawn_row_shows_what_the_belief_falls_back_to(engine: Engine) -> None:
    reverted = {"value": "threatened", "date": "2024-09-24", "attribution": None,
                "sentence": "Wuhledar ist von einer Einkesselung bedroht.", "source": {"name": "dpa", "url": None}}
    [aid] = insert(engine, [draft(1, type="withdrawn", old="contested", new="threatened",
                                  payload={"withdrawn": {"value": "contested"}, "reverted_to": reverted})])
    a = to_alert(rows(engine)[aid])
    assert a.previous is not None and (a.previous.value, a.previous.source) == ("threatened", "dpa")
    buf = io.StringIO()
    ConsoleNotifier(stream=buf, width=200).send(a, "#front")
    assert "Withdrawn · Town-1: contested → threatened" in buf.getvalue()
    assert "Back to: threatened (since 2024-09-24, dpa)" in buf.getvalue()


def test_rate_limiter_reserves_distinct_slots_across_threads() -> None:
    from monitor.delivery.ratelimit import ChannelRateLimiter

    class StillClock(FakeClock):
        """Time stands still; sleeps are only recorded (thread-safe enough: list.append)."""

        def sleep(self, seconds: float) -> None:
            self.sleeps.append(seconds)

    clock = StillClock()
    limiter = ChannelRateLimiter(20.0, clock)  # one slot per 50 ms
    def take_three() -> None:
        for _ in range(3):
            limiter.acquire("C1")

    threads = [threading.Thread(target=take_three) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # nine acquisitions, nine different slots: 0 (no wait), 50 ms, 100 ms, ... 400 ms
    assert sorted(round(x, 3) for x in clock.sleeps) == [round(0.05 * k, 3) for k in range(1, 9)]
    limiter.acquire("C2")  # another channel is not held up
    assert len(clock.sleeps) == 8


def test_webhook_only_setup_delivers_everything_without_threads(engine: Engine, standin: SlackStandin,
                                                                clock: FakeClock) -> None:
    from monitor.delivery.notifiers import build_notifiers

    cfg = MonitorConfig.model_validate({"slack": {"enabled": True, "webhook_url_env": "NEWSROOM_HOOK"}})
    setup = build_notifiers(cfg, environ={"NEWSROOM_HOOK": standin.webhook_url}, clock=clock)
    assert setup.fallback_channel == "webhook" and not setup.notifiers[0].supports_threads
    [parent] = insert(engine, [draft(1)])
    insert(engine, [draft(2, type="corroboration", subject="town-1", parent_id=parent, source_count=2)])
    rep = Dispatcher(engine, setup.notifiers, cfg, clock=clock, fallback_channel=setup.fallback_channel).run_once()
    assert rep.sent == 2 and rep.threaded == 0
    assert [m.via for m in standin.messages] == ["webhook", "webhook"]
    assert "Corroborated" in standin.messages[1].all_text()
