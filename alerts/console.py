"""The same messages for a terminal: the demo and dry runs show what Slack would get."""

from __future__ import annotations

import sys
import textwrap
from typing import Any, TextIO

from alerts.base import NO_LIMITS, NotifierBase, NotifierSettings, Registry, Rendered
from alerts.content import Inline, Link, Text
from alerts.model import Delivery, MessageRef

WIDTH = 96


def _plain(part: Inline) -> str:
    if isinstance(part, Link):
        return f"{part.label} <{part.url}>" if part.url else part.label
    assert isinstance(part, Text)
    if part.style == "quote":
        return "“" + " ".join(part.text.split()) + "”"
    if part.style == "code":
        return f"[{part.text}]"
    return part.text


class ConsoleNotifier(NotifierBase):
    """Writes each message as a framed block of text. Threads and edits are shown as such."""

    name = "console"
    supports_threads = True
    supports_update = True

    def __init__(self, *, stream: TextIO | None = None, width: int = WIDTH, **base: Any) -> None:
        super().__init__(limits=NO_LIMITS, **base)
        self._stream = stream
        self._width = width
        self._count = 0

    def format_inline(self, part: Inline) -> str:
        return _plain(part)

    def render(self, message: Rendered, *, indent: str = "") -> str:
        """The message as terminal lines (no colours: it also goes to files and pipes)."""
        rule = indent + "─" * (self._width - len(indent))
        lines = [rule]
        for b in message.blocks:
            if b.kind == "divider":
                lines.append(indent + "  " + "┄" * (self._width - len(indent) - 4))
                continue
            if b.kind == "header":
                lines.append(indent + b.text)
                lines.append(rule)
                continue
            first = indent + ("  " if b.kind == "section" else "  · ")
            rest = indent + ("  " if b.kind == "section" else "    ")
            for para in b.text.split("\n"):
                wrapped = textwrap.wrap(para, self._width - len(first), break_long_words=False,
                                        break_on_hyphens=False) or [""]
                lines.extend((first if i == 0 else rest) + w for i, w in enumerate(wrapped))
        lines.append(rule)
        return "\n".join(lines) + "\n"

    def _out(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stdout

    def _post(self, message: Rendered, channel: str, thread_ts: str | None) -> Delivery:
        self._count += 1
        ts = f"console.{self._count}"
        out = self._out()
        if thread_ts:
            out.write(f"   ↳ reply in thread {thread_ts} ({channel})\n")
            out.write(self.render(message, indent="   "))
        else:
            out.write(f"[{channel}] message {ts}\n")
            out.write(self.render(message))
        out.flush()
        return Delivery(self.name, channel, channel_id=channel, ts=ts)

    def _update(self, ref: MessageRef, message: Rendered) -> None:
        sections = [b.text for b in message.blocks if b.kind == "section"]
        last = sections[-1].rsplit("\n", 1)[-1] if sections else ""
        out = self._out()
        out.write(f"   ✎ message {ref.ts} updated: {last}\n")
        out.flush()


def _factory(settings: NotifierSettings) -> ConsoleNotifier:
    return ConsoleNotifier(stream=settings.stream, language=settings.language, retry=settings.retry,
                           sleep=settings.sleep)


def register(registry: Registry) -> None:
    registry.register("console", _factory)
