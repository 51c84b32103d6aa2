"""A Slack Web API stand-in: a real HTTP server on 127.0.0.1 for the delivery tests.

It implements chat.postMessage, chat.update, chat.getPermalink, conversations.history,
conversations.replies, conversations.list, auth.test and an incoming-webhook URL, and checks
requests as Slack does: the bearer token (``not_authed``, ``invalid_auth``), the channel
(``channel_not_found``; history needs an id, as in Slack), Block Kit limits (``invalid_blocks``:
50 blocks, header 150, section 3000 characters), metadata (``invalid_metadata_format``).

Faults are scripted per method: ``fail("chat.postMessage", "429", "500", "slow", "drop")``
queues answers for the next calls; ``storm(...)`` draws them at random from a seeded generator.
``slow`` and ``drop`` record the message first and then answer too late or not at all: the
ambiguous case a client must resolve without posting twice. ``messages`` is the log of every
message accepted, for exactly-once assertions.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "xoxb-standin-0123456789-SECRET"
WEBHOOK_PATH = "/services/T0STANDIN/B0STANDIN/webhooksecret123"


@dataclass
class Posted:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any] | None
    thread_ts: str | None
    unfurl_links: Any
    unfurl_media: Any
    via: str  # api | webhook
    updates: list[dict[str, Any]] = field(default_factory=list)
    at: float | None = None  # the test's clock when the message arrived (``SlackStandin.stamp``)

    @property
    def alert_key(self) -> str | None:
        return ((self.metadata or {}).get("event_payload") or {}).get("key")

    def all_text(self) -> str:
        out = [self.text]
        for b in self.blocks:
            t = b.get("text")
            if isinstance(t, dict):
                out.append(str(t.get("text", "")))
            for e in b.get("elements") or []:
                out.append(str(e.get("text", "")))
        return "\n".join(out)


def _block_errors(blocks: Any) -> list[str]:
    """What Slack would complain about in ``blocks`` (empty list: valid)."""
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    errs: list[str] = []
    if len(blocks) > 50:
        errs.append(f"must provide no more than 50 items [json-pointer:/blocks] ({len(blocks)})")
    for i, b in enumerate(blocks):
        kind = b.get("type") if isinstance(b, dict) else None
        if kind == "divider":
            continue
        if kind == "header":
            t = b.get("text") or {}
            if t.get("type") != "plain_text":
                errs.append(f"header text must be plain_text [json-pointer:/blocks/{i}/text]")
            elif not t.get("text") or len(t["text"]) > 150:
                errs.append(f"must be 1-150 characters [json-pointer:/blocks/{i}/text]")
        elif kind == "section":
            t = b.get("text") or {}
            if not isinstance(t, dict) or t.get("type") not in ("mrkdwn", "plain_text"):
                errs.append(f"invalid text object [json-pointer:/blocks/{i}/text]")
            elif not t.get("text") or len(t["text"]) > 3000:
                errs.append(f"must be 1-3000 characters [json-pointer:/blocks/{i}/text]")
        elif kind == "context":
            els = b.get("elements") or []
            if not els or len(els) > 10:
                errs.append(f"context needs 1-10 elements [json-pointer:/blocks/{i}/elements]")
            for e in els:
                if not e.get("text") or len(e["text"]) > 3000:
                    errs.append(f"must be 1-3000 characters [json-pointer:/blocks/{i}/elements]")
        else:
            errs.append(f"unsupported block type {kind!r} [json-pointer:/blocks/{i}]")
    return errs


class SlackStandin:
    """Start with ``with SlackStandin() as slack:``; point WebClient at ``slack.base_url``."""

    def __init__(self, *, token: str = TOKEN, channels: dict[str, str] | None = None) -> None:
        self.token = token
        self.channels = channels or {"C0FRONT": "front", "C0DIPLO": "diplomacy", "C0OPS": "ops",
                                     "C0DIGEST": "digest", "C0GENERAL": "general"}
        self.messages: list[Posted] = []
        self.requests: list[tuple[str, int]] = []  # (method, HTTP status) of every call
        self.raw_bodies: list[bytes] = []
        self._faults: dict[str, deque[str]] = {}
        self._storm: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._seq = 0
        self.slow_seconds = 1.0
        self.delay = 0.0  # seconds every API call takes before it is handled (a busy Slack)
        self.stamp: Callable[[], float] | None = None  # e.g. a fake clock's monotonic()
        self.retry_after = 1
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def __enter__(self) -> SlackStandin:
        handler = type("Handler", (_Handler,), {"standin": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}"

    # -- scripting ------------------------------------------------------------------------------

    def fail(self, method: str, *actions: str) -> None:
        """Queue answers for the next calls of ``method`` ("webhook" for the webhook URL)."""
        with self._lock:
            self._faults.setdefault(method, deque()).extend(actions)

    def storm(self, *, seed: int, p429: float = 0.0, p500: float = 0.0, pslow: float = 0.0,
              pdrop: float = 0.0, methods: tuple[str, ...] = ("chat.postMessage", "chat.update")) -> None:
        self._storm = {"rng": random.Random(seed), "p": (p429, p500, pslow, pdrop), "methods": methods}

    def calm(self) -> None:
        with self._lock:
            self._storm = None
            self._faults.clear()

    def _next_fault(self, method: str) -> str | None:
        with self._lock:
            q = self._faults.get(method)
            if q:
                return q.popleft()
            if self._storm and method in self._storm["methods"]:
                r = self._storm["rng"].random()
                acc = 0.0
                for name, p in zip(("429", "500", "slow", "drop"), self._storm["p"], strict=True):
                    acc += p
                    if r < acc:
                        return name
        return None

    # -- views for assertions -------------------------------------------------------------------

    def in_channel(self, channel_id: str, *, top_level: bool = True) -> list[Posted]:
        with self._lock:
            return [m for m in self.messages if m.channel == channel_id
                    and (not top_level or m.thread_ts is None)]

    def by_key(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self._lock:
            for m in self.messages:
                k = m.alert_key or ""
                counts[k] = counts.get(k, 0) + 1
        return counts

    def count(self, method: str, status: int | None = None) -> int:
        with self._lock:
            return sum(1 for m, s in self.requests if m == method and (status is None or s == status))

    # -- the API --------------------------------------------------------------------------------

    def _channel_id(self, ref: str, *, names: bool) -> str | None:
        if ref in self.channels:
            return ref
        if names:
            name = ref.lstrip("#")
            for cid, n in self.channels.items():
                if n == name:
                    return cid
        return None

    def _find(self, channel: str, ts: str) -> Posted | None:
        for m in self.messages:
            if m.channel == channel and m.ts == ts:
                return m
        return None

    def handle(self, method: str, args: dict[str, Any], auth: str | None) -> dict[str, Any]:
        if method == "api.test":
            return {"ok": True}
        if not auth:
            return {"ok": False, "error": "not_authed"}
        if auth != f"Bearer {self.token}":
            return {"ok": False, "error": "invalid_auth"}
        fn = getattr(self, "_m_" + method.replace(".", "_"), None)
        if fn is None:
            return {"ok": False, "error": "unknown_method"}
        with self._lock:
            return dict(fn(args))

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "team": "standin", "user": "newswatch", "bot_id": "B0STANDIN"}

    def _validate_message(self, args: dict[str, Any]) -> dict[str, Any] | None:
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
            args["blocks"] = blocks
        if blocks is not None:
            errs = _block_errors(blocks)
            if errs:
                return {"ok": False, "error": "invalid_blocks", "errors": errs,
                        "response_metadata": {"messages": [f"[ERROR] {e}" for e in errs]}}
        elif not args.get("text"):
            return {"ok": False, "error": "no_text"}
        meta = args.get("metadata")
        if isinstance(meta, str):
            meta = json.loads(meta)
            args["metadata"] = meta
        if meta is not None and (not isinstance(meta, dict) or not meta.get("event_type")
                                 or not isinstance(meta.get("event_payload"), dict)):
            return {"ok": False, "error": "invalid_metadata_format"}
        return None

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        cid = self._channel_id(str(args.get("channel", "")), names=True)
        if cid is None:
            return {"ok": False, "error": "channel_not_found"}
        bad = self._validate_message(args)
        if bad:
            return bad
        thread_ts = args.get("thread_ts")
        if thread_ts and self._find(cid, str(thread_ts)) is None:
            return {"ok": False, "error": "thread_not_found"}
        self._seq += 1
        ts = f"{1_700_000_000 + self._seq}.{self._seq:06d}"
        self.messages.append(Posted(cid, ts, str(args.get("text") or ""), list(args.get("blocks") or []),
                                    args.get("metadata"), str(thread_ts) if thread_ts else None,
                                    args.get("unfurl_links"), args.get("unfurl_media"), "api",
                                    at=self.stamp() if self.stamp else None))
        return {"ok": True, "channel": cid, "ts": ts, "message": {"ts": ts}}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        cid = self._channel_id(str(args.get("channel", "")), names=False)
        if cid is None:
            return {"ok": False, "error": "channel_not_found"}
        m = self._find(cid, str(args.get("ts")))
        if m is None:
            return {"ok": False, "error": "message_not_found"}
        bad = self._validate_message(args)
        if bad:
            return bad
        m.updates.append({"text": m.text, "blocks": m.blocks})
        m.text = str(args.get("text") or m.text)
        m.blocks = list(args.get("blocks") or m.blocks)
        if args.get("metadata"):
            m.metadata = args["metadata"]
        return {"ok": True, "channel": cid, "ts": m.ts}

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        cid = self._channel_id(str(args.get("channel", "")), names=False)
        m = self._find(cid, str(args.get("message_ts"))) if cid else None
        if m is None:
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": cid,
                "permalink": f"https://standin.slack.example/archives/{cid}/p{m.ts.replace('.', '')}"}

    def _page(self, items: list[Posted], args: dict[str, Any], meta: bool) -> dict[str, Any]:
        limit = int(args.get("limit") or 100)
        start = int(args.get("cursor") or 0)
        page = items[start:start + limit]
        out = []
        for m in page:
            d: dict[str, Any] = {"type": "message", "ts": m.ts, "text": m.text}
            if m.thread_ts:
                d["thread_ts"] = m.thread_ts
            if meta and m.metadata:
                d["metadata"] = m.metadata
            out.append(d)
        nxt = str(start + limit) if start + limit < len(items) else ""
        return {"ok": True, "messages": out, "has_more": bool(nxt), "response_metadata": {"next_cursor": nxt}}

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        cid = self._channel_id(str(args.get("channel", "")), names=False)
        if cid is None:
            return {"ok": False, "error": "channel_not_found"}
        items = [m for m in reversed(self.messages) if m.channel == cid and m.thread_ts is None]
        return self._page(items, args, str(args.get("include_all_metadata")).lower() in ("1", "true"))

    def _m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        cid = self._channel_id(str(args.get("channel", "")), names=False)
        if cid is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(args.get("ts"))
        parent = self._find(cid, ts)
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        items = [parent] + [m for m in self.messages if m.channel == cid and m.thread_ts == ts]
        return self._page(items, args, str(args.get("include_all_metadata")).lower() in ("1", "true"))

    def _m_conversations_list(self, args: dict[str, Any]) -> dict[str, Any]:
        chans = [{"id": cid, "name": n, "is_channel": True} for cid, n in self.channels.items()]
        return {"ok": True, "channels": chans, "response_metadata": {"next_cursor": ""}}

    def webhook(self, body: dict[str, Any]) -> tuple[int, str]:
        with self._lock:
            errs = _block_errors(body["blocks"]) if "blocks" in body else []
            if errs:
                return 400, "invalid_blocks"
            if not body.get("text") and not body.get("blocks"):
                return 400, "no_text"
            self._seq += 1
            ts = f"{1_700_000_000 + self._seq}.{self._seq:06d}"
            self.messages.append(Posted("webhook", ts, str(body.get("text") or ""),
                                        list(body.get("blocks") or []), body.get("metadata"), None,
                                        body.get("unfurl_links"), body.get("unfurl_media"), "webhook"))
        return 200, "ok"


class _Handler(BaseHTTPRequestHandler):
    standin: SlackStandin
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        self.do_POST()

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        # The client may have timed out and left: the ambiguous case, on purpose.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_POST(self) -> None:
        s = self.standin
        url = urllib.parse.urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with s._lock:
            s.raw_bodies.append(raw)
        is_webhook = url.path == WEBHOOK_PATH
        method = "webhook" if is_webhook else url.path.rsplit("/", 1)[-1]
        if not is_webhook and not url.path.startswith("/api/"):
            self._send(404, b"not found", "text/plain")
            return
        if s.delay:
            time.sleep(s.delay)
        fault = s._next_fault(method)
        if fault == "429":
            self._record(method, 429)
            body = b"rate limited" if is_webhook else b'{"ok": false, "error": "ratelimited"}'
            self._send(429, body, "application/json", {"Retry-After": str(s.retry_after)})
            return
        if fault == "500":
            self._record(method, 500)
            self._send(500, b"<html>Internal Server Error</html>", "text/html")
            return
        args: dict[str, Any] = dict(urllib.parse.parse_qsl(url.query))
        ctype = self.headers.get("Content-Type", "")
        if raw and "json" in ctype:
            args.update(json.loads(raw))
        elif raw:
            args.update(urllib.parse.parse_qsl(raw.decode()))
        if is_webhook:
            status, text = s.webhook(args)
            result: bytes = text.encode()
            rtype = "text/plain"
        else:
            status, rtype = 200, "application/json"
            result = json.dumps(s.handle(method, args, self.headers.get("Authorization"))).encode()
        self._record(method, status)
        if fault == "slow":
            time.sleep(s.slow_seconds)  # the message is recorded; the client gives up first
        if fault == "drop":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)
            return
        self._send(status, result, rtype)

    def _record(self, method: str, status: int) -> None:
        with self.standin._lock:
            self.standin.requests.append((method, status))
