"""Slack delivery through slack-sdk: a bot token (Web API) or an incoming webhook.

Every feed-derived string is escaped (``&``, ``<``, ``>``) so article text can neither mention
(``<!channel>``, ``<@U123>``) nor smuggle links (``<https://evil.example|click>``); links we
build ourselves accept only http(s) URLs. Unfurling is off. The token never reaches a log: the
SDK's own logger is silenced (the webhook client logs its secret URL at debug level) and our
log lines name only channels and alert ids.

With a bot token each message carries its key in Slack message metadata, so after an
ambiguous failure ``_find`` can look in conversations.history (or the thread's replies) before
posting again. An incoming webhook cannot be searched: there a timeout after sending is
retried, which may duplicate the message (documented in the README's Slack section).
"""

from __future__ import annotations

import http.client
import logging
import socket
import urllib.error
import urllib.parse
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.metadata import Metadata
from slack_sdk.webhook import WebhookClient

from alerts.base import Limits, NotifierBase, NotifierSettings, Registry, Rendered
from alerts.content import Inline, Link, Text
from alerts.errors import (
    AmbiguousError,
    NotifierConfigError,
    PermanentError,
    RateLimited,
    ServerError,
)
from alerts.model import Delivery, MessageRef

log = logging.getLogger("alerts.slack")

EVENT_TYPE = "newswatch_alert"
SLACK_LIMITS = Limits(max_blocks=50, section_chars=3000, header_chars=150, fallback_chars=3000)
_TRANSIENT_CODES = {"internal_error", "fatal_error", "service_unavailable", "ratelimited"}
_HISTORY_PAGES = 10  # how far back an ambiguous send is looked for (x 200 messages)


def _quiet_logger() -> logging.Logger:
    # Not attached to the logging tree: the SDK's debug lines include the webhook URL (a secret).
    return logging.Logger("alerts.slack.sdk", level=logging.CRITICAL + 1)


def escape(text: str) -> str:
    """Slack's three control characters as entities; nothing else is needed in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL ready to sit inside ``<url|label>``, or None if it is not one."""
    if not url:
        return None
    url = url.strip()
    if any(ord(c) < 0x20 or c.isspace() for c in url):
        return None
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    # Percent-encode what would end the link or open markup (| < > " and non-ASCII), keep the rest.
    quoted = urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~")
    return escape(quoted)


def _mrkdwn(part: Inline) -> str:
    if isinstance(part, Link):
        u = safe_url(part.url)
        return f"<{u}|{escape(part.label)}>" if u else escape(part.label)
    assert isinstance(part, Text)
    t = part.text
    if part.style == "plain":
        return escape(t)
    if not t.strip():
        return ""
    if part.style == "bold":
        return f"*{escape(t.strip())}*"
    if part.style == "italic":
        return f"_{escape(t.strip())}_"
    if part.style == "code":
        return f"`{escape(t.replace('`', chr(39)))}`"
    return "> " + escape(" ".join(t.split()))  # quote: one line, so one '>' covers it


def to_blocks(message: Rendered) -> list[Block]:
    """slack-sdk Block Kit models for a fitted message (empty texts are left out: Slack refuses them)."""
    blocks: list[Block] = []
    for b in message.blocks:
        if b.kind == "divider":
            blocks.append(DividerBlock())
        elif not b.text.strip():
            continue
        elif b.kind == "header":
            blocks.append(HeaderBlock(text=PlainTextObject(text=b.text, emoji=True)))
        elif b.kind == "section":
            blocks.append(SectionBlock(text=MarkdownTextObject(text=b.text)))
        else:
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=b.text)]))
    return blocks


def metadata(message: Rendered) -> Metadata:
    return Metadata(event_type=EVENT_TYPE, event_payload={
        "alert_id": message.alert_ids[0] if message.alert_ids else 0,
        "alert_count": len(message.alert_ids), "key": message.key})


def _classify(exc: BaseException) -> Exception:
    """An SDK or socket failure as one of our errors (see alerts.errors)."""
    if isinstance(exc, SlackApiError):
        resp = exc.response
        status = getattr(resp, "status_code", 200)
        code = str(resp.get("error") or f"http_{status}") if hasattr(resp, "get") else f"http_{status}"
        headers = {k.lower(): v for k, v in (getattr(resp, "headers", None) or {}).items()}
        if status == 429 or code == "ratelimited":
            ra = headers.get("retry-after")
            try:
                retry_after = float(ra[0] if isinstance(ra, list) else ra) if ra is not None else None
            except ValueError:
                retry_after = None
            return RateLimited(f"rate limited by Slack ({code})", code=code, retry_after=retry_after)
        if status >= 500 or code in _TRANSIENT_CODES:
            return ServerError(f"Slack answered {status} ({code})", code=code)
        return PermanentError(f"Slack refused the request: {code}", code=code)
    if isinstance(exc, urllib.error.URLError):
        # urllib wraps errors raised while connecting and sending: nothing was received by Slack.
        return ServerError(f"could not reach Slack: {type(exc.reason).__name__}", code="connect_error")
    if isinstance(exc, TimeoutError | socket.timeout):
        return AmbiguousError("timed out waiting for Slack's answer", code="timeout")
    if isinstance(exc, http.client.HTTPException | ConnectionError | OSError):
        return AmbiguousError(f"connection lost after sending: {type(exc).__name__}", code="connection_lost")
    raise exc


class SlackNotifier(NotifierBase):
    """Posts Block Kit messages with a bot token (threads, edits, lookups) or a webhook."""

    name = "slack"

    def __init__(self, *, token: str | None = None, webhook_url: str | None = None,
                 base_url: str | None = None, timeout: float = 10.0, **base: Any) -> None:
        super().__init__(limits=SLACK_LIMITS, **base)
        if not token and not webhook_url:
            raise NotifierConfigError("Slack needs a bot token or an incoming-webhook URL")
        self._client: WebClient | None = None
        self._webhook: WebhookClient | None = None
        if token:
            kwargs: dict[str, Any] = {}
            if base_url:
                kwargs["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
            # retry_handlers=[]: the SDK would repeat a timed-out POST on its own and duplicate it.
            self._client = WebClient(token=token, retry_handlers=[], logger=_quiet_logger(), **kwargs)
            self._client.timeout = timeout  # type: ignore[assignment]  # typed int; urllib takes float seconds
        else:
            assert webhook_url is not None
            self._webhook = WebhookClient(webhook_url, retry_handlers=[], logger=_quiet_logger())
            self._webhook.timeout = timeout  # type: ignore[assignment]  # as above
        self.supports_threads = self.supports_update = self._client is not None
        self._channel_ids: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"SlackNotifier(mode={'bot' if self._client else 'webhook'})"

    def format_inline(self, part: Inline) -> str:
        return _mrkdwn(part)

    def _api(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except (SlackApiError, OSError, http.client.HTTPException) as exc:
            raise _classify(exc) from None

    def _post(self, message: Rendered, channel: str, thread_ts: str | None) -> Delivery:
        blocks = to_blocks(message)
        if self._client is None:
            return self._post_webhook(message, blocks)
        resp = self._api(self._client.chat_postMessage, channel=channel, text=message.fallback,
                         blocks=blocks, metadata=metadata(message), thread_ts=thread_ts,
                         unfurl_links=False, unfurl_media=False)
        channel_id = str(resp.get("channel") or channel)
        self._channel_ids[channel] = channel_id  # '#name' -> id, for a later history lookup
        return Delivery(self.name, channel, channel_id=channel_id, ts=str(resp.get("ts")))

    def _post_webhook(self, message: Rendered, blocks: list[Block]) -> Delivery:
        assert self._webhook is not None
        try:
            resp = self._webhook.send(text=message.fallback, blocks=blocks, unfurl_links=False,
                                      unfurl_media=False, metadata=metadata(message).to_dict())
        except (OSError, http.client.HTTPException) as exc:
            raise _classify(exc) from None
        if resp.status_code == 200:
            return Delivery(self.name, "webhook")
        body = (resp.body or "").strip()[:100]
        if resp.status_code == 429:
            ra = {k.lower(): v for k, v in (resp.headers or {}).items()}.get("retry-after")
            ra_s = ra[0] if isinstance(ra, list) else ra
            raise RateLimited("rate limited by Slack (webhook)", code="ratelimited",
                              retry_after=float(ra_s) if ra_s else None)
        if resp.status_code >= 500:
            raise ServerError(f"webhook answered {resp.status_code}", code=body or f"http_{resp.status_code}")
        raise PermanentError(f"webhook refused the message: {body or resp.status_code}", code=body or None)

    def _update(self, ref: MessageRef, message: Rendered) -> None:
        if self._client is None:
            raise PermanentError("an incoming webhook cannot edit messages", code="not_supported")
        self._api(self._client.chat_update, channel=ref.channel_id, ts=ref.ts, text=message.fallback,
                  blocks=to_blocks(message), metadata=metadata(message))

    def permalink(self, ref: MessageRef) -> str | None:
        """The message's permalink, or None when Slack cannot give one now (not worth failing for)."""
        if self._client is None:
            return None
        try:
            resp = self._api(self._client.chat_getPermalink, channel=ref.channel_id, message_ts=ref.ts)
        except (PermanentError, ServerError, AmbiguousError) as err:
            log.warning("no permalink for %s/%s: %s", ref.channel_id, ref.ts, err.code)
            return None
        link = resp.get("permalink")
        return str(link) if link else None

    def _resolve(self, channel: str) -> str:
        """A channel id for history lookups (conversations.history does not take '#name')."""
        if channel in self._channel_ids:
            return self._channel_ids[channel]
        if not channel.startswith("#"):
            return channel
        assert self._client is not None
        want, cursor = channel[1:], None
        for _ in range(_HISTORY_PAGES):
            resp = self._api(self._client.conversations_list, limit=200, cursor=cursor,
                             exclude_archived=True)
            for ch in resp.get("channels") or []:
                if ch.get("name") == want:
                    self._channel_ids[channel] = str(ch["id"])
                    return str(ch["id"])
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        raise PermanentError(f"channel {channel} not found", code="channel_not_found")

    def _find(self, channel: str, key: str, thread_ts: str | None) -> Delivery | None:
        if self._client is None:
            return None
        channel_id = self._resolve(channel)
        cursor = None
        for _ in range(_HISTORY_PAGES):
            if thread_ts:
                resp = self._api(self._client.conversations_replies, channel=channel_id, ts=thread_ts,
                                 include_all_metadata=True, limit=200, cursor=cursor)
            else:
                resp = self._api(self._client.conversations_history, channel=channel_id,
                                 include_all_metadata=True, limit=200, cursor=cursor)
            for m in resp.get("messages") or []:
                meta = m.get("metadata") or {}
                if meta.get("event_type") == EVENT_TYPE and (meta.get("event_payload") or {}).get("key") == key:
                    return Delivery(self.name, channel, channel_id=channel_id, ts=str(m.get("ts")),
                                    found_existing=True)
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None


def _factory(settings: NotifierSettings) -> SlackNotifier:
    return SlackNotifier(token=settings.token, webhook_url=settings.webhook_url, base_url=settings.base_url,
                         timeout=settings.timeout, language=settings.language, retry=settings.retry,
                         sleep=settings.sleep)


def register(registry: Registry) -> None:
    registry.register("slack", _factory)
