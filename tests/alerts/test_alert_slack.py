"""SlackNotifier against the stand-in: Block Kit, escaping, limits after escaping, metadata,
unfurling, retries (429 with Retry-After, 500, timeouts after receipt), webhook, secrets."""

from __future__ import annotations

import io
import logging
import re

import pytest

from alerts import AmbiguousError, PermanentError, RateLimited, RetryPolicy
from alerts.base import NotifierSettings, default_registry
from alerts.console import ConsoleNotifier
from alerts.model import MessageRef
from alerts.slack import SlackNotifier, escape, safe_url
from tests.alerts.helpers import FakeClock, alert
from tests.support.slack_standin import TOKEN, SlackStandin

HOSTILE = "Angriff <!channel> <!here> <@U123> <https://evil.example|click> & mehr <!subteam^S1>"


def bot(standin: SlackStandin, clock: FakeClock | None = None, **kw: object) -> SlackNotifier:
    return SlackNotifier(token=TOKEN, base_url=standin.base_url, timeout=0.5,
                         sleep=(clock or FakeClock()).sleep, **kw)  # type: ignore[arg-type]


def test_message_is_block_kit_with_metadata_and_no_unfurl(standin: SlackStandin) -> None:
    d = bot(standin).send(alert(id=41), "#front")
    assert d.channel_id == "C0FRONT" and d.ts
    [m] = standin.messages
    assert [b["type"] for b in m.blocks][:3] == ["header", "section", "context"]
    assert m.blocks[0]["text"]["text"] == "🔴 HIGH · Changed · Kupjansk: threatened → contested"
    assert m.metadata == {"event_type": "newswatch_alert",
                          "event_payload": {"alert_id": 41, "alert_count": 1,
                                            "key": "alert:41:a1b2c3d4e5f60718:1:control|kupiansk|status|"}}
    assert m.unfurl_links is False and m.unfurl_media is False
    assert "<https://www.tagesschau.de/ausland/kupjansk.html|tagesschau>" in m.all_text()


def test_feed_text_cannot_mention_or_inject_links(standin: SlackStandin) -> None:
    a = alert(sentence=HOSTILE, subject_name="<!everyone> Kupjansk", source_name="<@U999|boss>",
              cues=("<!channel>",), rule="r", url="javascript:alert(1)")
    bot(standin).send(a, "C0FRONT")
    text = standin.messages[0].all_text()
    for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil.example|click>", "<!everyone>", "<@U999",
                "<!subteam"):
        assert raw not in text
    assert "&lt;!channel&gt;" in text and "&lt;https://evil.example|click&gt;" in text
    assert "&amp; mehr" in text
    assert "javascript:" not in text  # the unsafe source link is dropped, its label kept escaped
    assert "&lt;@U999|boss&gt;" in text
    # Every '<' left is a link we built, to an http(s) URL.
    for link in re.findall(r"<([^>]*)>", text):
        assert link.startswith(("http://", "https://")), link


def test_safe_url() -> None:
    assert safe_url("https://a.example/x?a=1&b=<2>|3") == "https://a.example/x?a=1&amp;b=%3C2%3E%7C3"
    for bad in ("javascript:alert(1)", "ftp://a.example/", "https:///nohost", "http://a b.example/", "",
                None, "data:text/html,x", "https://a.example/\nx"):
        assert safe_url(bad) is None
    assert escape("a&b<c>d") == "a&amp;b&lt;c&gt;d"


def test_limits_hold_after_escaping(standin: SlackStandin) -> None:
    # 3,000 '<' become 12,000 characters once escaped; the section must still fit, not be refused.
    a = alert(sentence="<" * 3000, subject_name="&" * 400, rule="r" * 4000)
    bot(standin).send(a, "C0FRONT")
    [m] = standin.messages
    header = m.blocks[0]["text"]["text"]
    assert len(header) <= 150 and header.endswith("…")
    assert "&amp;" in header and not re.search(r"&(?!amp;|lt;|gt;)", header)  # no entity cut in half
    for b in m.blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
    quote = m.blocks[1]["text"]["text"]
    assert quote.startswith("> &lt;") and quote.endswith("…") and len(quote) > 2900
    assert not re.search(r"&(?!amp;|lt;|gt;)", quote)


def test_stand_in_refuses_what_slack_refuses(standin: SlackStandin) -> None:
    n = bot(standin)
    with pytest.raises(PermanentError) as e:
        n.send(alert(), "#no-such-channel")
    assert e.value.code == "channel_not_found"
    bad = SlackNotifier(token="xoxb-wrong", base_url=standin.base_url, timeout=0.5)
    with pytest.raises(PermanentError) as e:
        bad.send(alert(), "C0FRONT")
    assert e.value.code == "invalid_auth"
    # Without our limits, the stand-in refuses a 51-block message as Slack does.
    raw = n._client
    assert raw is not None
    from slack_sdk.errors import SlackApiError
    with pytest.raises(SlackApiError) as api:
        raw.chat_postMessage(channel="C0FRONT", text="x", blocks=[{"type": "divider"}] * 51)
    assert api.value.response["error"] == "invalid_blocks"
    from slack_sdk import WebClient
    with pytest.raises(SlackApiError) as api:
        WebClient(base_url=standin.base_url).chat_postMessage(channel="C0FRONT", text="x")
    assert api.value.response["error"] == "not_authed"
    assert WebClient(token=TOKEN, base_url=standin.base_url).auth_test()["ok"] is True
    assert standin.messages == []


def test_digest_over_50_blocks_is_split_and_every_part_accepted(standin: SlackStandin) -> None:
    alerts = [alert(id=i, subject=f"town-{i}", subject_name=f"Town {i} <b>", type="new") for i in range(1, 131)]
    ds = bot(standin).send_digest(alerts, "C0DIGEST", title="morning")
    assert len(ds) == 3 == len(standin.messages)
    assert all(len(m.blocks) <= 50 for m in standin.messages)
    body = "\n".join(m.all_text() for m in standin.messages)
    for i in range(1, 131):
        assert f"*Town {i} &lt;b&gt;*" in body


def test_429_honours_retry_after_and_500_is_retried(standin: SlackStandin) -> None:
    clock = FakeClock()
    standin.retry_after = 7
    standin.fail("chat.postMessage", "429", "500")
    d = bot(standin, clock).send(alert(), "C0FRONT")
    assert d.ts and len(standin.messages) == 1
    assert clock.sleeps == [7.0, 2.0]  # Retry-After, then the policy's backoff for attempt 2
    assert standin.count("chat.postMessage", 429) == 1 and standin.count("chat.postMessage", 500) == 1


def test_long_retry_after_is_left_to_the_dispatcher(standin: SlackStandin) -> None:
    standin.retry_after = 600
    standin.fail("chat.postMessage", "429")
    with pytest.raises(RateLimited) as e:
        bot(standin).send(alert(), "C0FRONT")
    assert e.value.retry_after == 600.0 and standin.messages == []


@pytest.mark.parametrize("fault", ["slow", "drop"])
def test_ambiguous_failure_is_looked_up_not_posted_again(standin: SlackStandin, fault: str) -> None:
    standin.slow_seconds = 1.0  # longer than the client's 0.5 s timeout: Slack has the message
    standin.fail("chat.postMessage", fault)
    d = bot(standin).send(alert(id=9), "C0FRONT")
    assert d.found_existing is True
    assert len(standin.messages) == 1 and standin.by_key() == {"alert:9:" + str(alert().dedup_key): 1}
    assert standin.count("conversations.history") == 1


def test_ambiguous_thread_reply_is_looked_up_in_the_thread(standin: SlackStandin) -> None:
    n = bot(standin)
    parent = n.send(alert(id=1), "C0FRONT")
    standin.fail("chat.postMessage", "slow")
    ref = MessageRef(str(parent.ts), "C0FRONT")
    d = n.send(alert(id=2, type="corroboration", dedup_key="k2"), "C0FRONT", thread=ref)
    assert d.found_existing and len(standin.messages) == 2
    assert standin.messages[1].thread_ts == parent.ts
    assert standin.count("conversations.replies") == 1


def test_maybe_sent_from_an_earlier_run_is_found_by_name(standin: SlackStandin) -> None:
    n = bot(standin)
    n.send(alert(id=3), "#front")
    again = bot(standin).send(alert(id=3), "#front", maybe_sent=True)  # e.g. a replica took over
    assert again.found_existing and len(standin.messages) == 1
    assert standin.count("conversations.list") == 1


def test_update_edits_the_parent(standin: SlackStandin) -> None:
    n = bot(standin)
    d = n.send(alert(id=5, source_count=1), "C0FRONT")
    n.update(MessageRef(str(d.ts), "C0FRONT"), alert(id=5, source_count=4))
    [m] = standin.messages
    assert len(m.updates) == 1
    assert "4 independent sources support this" in m.all_text()


def test_webhook_posts_with_same_content_and_limits(standin: SlackStandin) -> None:
    clock = FakeClock()
    n = SlackNotifier(webhook_url=standin.webhook_url, timeout=0.5, sleep=clock.sleep)
    assert not n.supports_threads
    standin.fail("webhook", "429", "500")
    n.send(alert(sentence=HOSTILE), "ignored")
    [m] = standin.messages
    assert m.via == "webhook" and m.unfurl_links is False and "<!channel>" not in m.all_text()
    assert clock.sleeps == [1.0, 2.0]


def test_permanent_errors_are_not_retried(standin: SlackStandin) -> None:
    clock = FakeClock()
    with pytest.raises(PermanentError):
        bot(standin, clock).send(alert(), "C0NOPE")
    assert clock.sleeps == [] and standin.count("chat.postMessage") == 1


def test_retries_exhausted_after_ambiguous_stay_ambiguous(standin: SlackStandin) -> None:
    standin.slow_seconds = 1.0
    standin.fail("chat.postMessage", "slow")
    standin.fail("conversations.history", "500", "500", "500")
    with pytest.raises(AmbiguousError):
        bot(standin, retry=RetryPolicy(attempts=3)).send(alert(), "C0FRONT")
    assert len(standin.messages) == 1  # never posted a second time while it could not look


def test_token_never_logged_or_shown(standin: SlackStandin, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    standin.slow_seconds = 1.0
    standin.fail("chat.postMessage", "429", "slow")
    n = bot(standin)
    n.send(alert(), "C0FRONT")
    with pytest.raises(PermanentError) as e:
        n.send(alert(), "C0NOPE")
    hook = SlackNotifier(webhook_url=standin.webhook_url, timeout=0.5, sleep=FakeClock().sleep)
    standin.fail("webhook", "500")
    hook.send(alert(), "x")
    settings = NotifierSettings(token=TOKEN, webhook_url=standin.webhook_url)
    shown = caplog.text + repr(n) + repr(hook) + str(e.value) + repr(settings)
    assert caplog.records  # the retries were logged...
    assert TOKEN not in shown and "webhooksecret123" not in shown  # ...without the secrets


def test_registry_holds_builtins_and_plugins() -> None:
    reg = default_registry()
    assert reg.names() == ["console", "slack"]
    buf = io.StringIO()
    reg.register("mine", lambda s: ConsoleNotifier(stream=buf, language=s.language))
    n = reg.create("mine", NotifierSettings(language="de"))
    n.send(alert(), "x")
    assert "Geändert" in buf.getvalue()
    from alerts import NotifierConfigError
    with pytest.raises(NotifierConfigError):
        reg.register("slack", lambda s: n)
    with pytest.raises(NotifierConfigError):
        reg.create("nope", NotifierSettings())
    with pytest.raises(NotifierConfigError):
        reg.create("slack", NotifierSettings())  # neither token nor webhook


def test_alerts_package_never_imports_monitor() -> None:
    import ast
    from pathlib import Path

    import alerts

    for path in Path(alerts.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n == "monitor" or n.startswith("monitor.") for n in names), path
