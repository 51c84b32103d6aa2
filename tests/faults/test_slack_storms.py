"""Slack storms through the real dispatcher, slack-sdk and the Slack stand-in (SQLite and PostgreSQL).

Time is a fake clock shared by the dispatcher, the notifier's sleeps and the stand-in, so "429
for 30 seconds" is scripted in clock time and the test does not wait 30 s of real time. The
ambiguous cases (the request reached Slack, the answer did not reach us) are real: the stand-in
records the message and answers after the client's timeout, or drops the connection.
Every alert must arrive exactly once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from alerts.slack import SlackNotifier
from monitor.config import MonitorConfig
from monitor.delivery.dispatcher import Dispatcher, DispatchReport
from tests.alerts.helpers import FakeClock, draft, insert, rows
from tests.support.slack_standin import TOKEN, SlackStandin

API = ("chat.postMessage", "chat.update", "conversations.history", "conversations.replies", "auth.test")


class StormyStandin(SlackStandin):
    """The stand-in, answering 429 (with Retry-After) to every API call until the clock passes ``until``."""

    def __init__(self, clock: FakeClock, until: float, retry_after: int) -> None:
        super().__init__()
        self.clock = clock
        self.until = until
        self.retry_after = retry_after
        self.stamp = clock.monotonic

    def _next_fault(self, method: str) -> str | None:
        if method in API and self.clock.monotonic() < self.until:
            return "429"
        return super()._next_fault(method)


def config(standin: SlackStandin, **slack: Any) -> MonitorConfig:
    base: dict[str, Any] = {"enabled": True, "base_url": standin.base_url, "default_channel": "#front",
                            "timeout": 0.25,
                            "routes": [{"name": "diplo", "channel": "#diplomacy", "kinds": ["meeting"]}]}
    base.update(slack)
    return MonitorConfig.model_validate({"slack": base})


def drain(engine: Engine, standin: SlackStandin, cfg: MonitorConfig, clock: FakeClock,
          limit_s: float = 3600) -> DispatchReport:
    """Dispatch as the daemon does (every couple of seconds) until every row is final."""
    bot = SlackNotifier(token=TOKEN, base_url=standin.base_url, timeout=cfg.slack.timeout, sleep=clock.sleep)
    d = Dispatcher(engine, bot, cfg, clock=clock)
    total = DispatchReport()
    while clock.monotonic() < limit_s:
        total.merge(d.run_once())
        if all(r.state in ("sent", "dead", "skipped") for r in rows(engine).values()):
            break
        clock.advance(2)
    return total


def alerts_of(n: int) -> list[Any]:
    return [draft(i, kind=("control", "meeting")[i % 2], subject=f"storm-{i}") for i in range(n)]


def assert_each_once(engine: Engine, standin: SlackStandin, n: int) -> None:
    got = rows(engine)
    assert all(r.state == "sent" for r in got.values()), {i: (r.state, r.last_error) for i, r in got.items()}
    counts = standin.by_key()
    assert len(counts) == n and set(counts.values()) == {1}, counts


def test_429_for_30_seconds_every_alert_once_after_the_storm(engine: Engine) -> None:
    clock = FakeClock()
    with StormyStandin(clock, until=30.0, retry_after=7) as standin:
        insert(engine, alerts_of(16))
        report = drain(engine, standin, config(standin), clock)
        assert_each_once(engine, standin, 16)
        assert standin.count("chat.postMessage", 429) >= 2
        # nothing got through during the storm, and the Retry-After was honoured, not hammered
        assert min(m.at for m in standin.messages if m.at is not None) >= 30.0
        assert standin.count("chat.postMessage", 429) <= 16 * 6
        assert report.dead == 0 and report.retried > 0
        assert any(s >= 7 for s in clock.sleeps) or report.retried >= 16


def test_sustained_500s_every_alert_once(engine: Engine) -> None:
    clock = FakeClock()
    with SlackStandin() as standin:
        standin.stamp = clock.monotonic
        standin.storm(seed=11, p500=0.6, methods=API)
        insert(engine, alerts_of(24))
        report = drain(engine, standin, config(standin, max_attempts=40), clock)
        assert_each_once(engine, standin, 24)
        assert standin.count("chat.postMessage", 500) >= 10
        assert report.dead == 0


def test_timeouts_after_the_request_was_received_never_duplicate(engine: Engine) -> None:
    clock = FakeClock()
    with SlackStandin() as standin:
        standin.stamp = clock.monotonic
        standin.slow_seconds = 0.6  # longer than the client's 0.25 s timeout: Slack has the message
        standin.storm(seed=3, pslow=0.35, pdrop=0.25, methods=("chat.postMessage",))
        insert(engine, alerts_of(20))
        report = drain(engine, standin, config(standin, max_attempts=40), clock)
        assert_each_once(engine, standin, 20)
        # the ambiguous attempts happened, and were resolved by finding the message, not reposting it
        assert report.found_existing > 0
        assert standin.count("conversations.history") > 0


def test_mixed_storm_with_threads_and_updates_every_alert_once(engine: Engine) -> None:
    clock = FakeClock()
    with StormyStandin(clock, until=30.0, retry_after=5) as standin:
        standin.slow_seconds = 0.5
        standin.storm(seed=8, p429=0.15, p500=0.2, pslow=0.1, pdrop=0.1, methods=API)
        drafts = alerts_of(12)
        ids = insert(engine, drafts)
        insert(engine, [draft(200 + k, type="corroboration", subject=drafts[k].subject, kind=drafts[k].kind,
                              parent_id=ids[k], source_count=2, source="ZDF") for k in range(4)])
        drain(engine, standin, config(standin, max_attempts=60), clock)
        assert_each_once(engine, standin, 16)
        assert len([m for m in standin.messages if m.thread_ts]) == 4
