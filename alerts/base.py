"""The notifier interface and the base class that owns limits, truncation and retries.

A concrete notifier implements only how to write one inline piece of text (``format_inline``)
and how to send a fitted message (``_post``); optionally how to edit one (``_update``) and how
to find one it may already have sent (``_find``). Everything else is here, the same for all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TextIO, TypeVar, runtime_checkable

from alerts import words
from alerts.content import (
    Block,
    Context,
    Digest,
    Divider,
    Header,
    Inline,
    Link,
    Message,
    Section,
    Text,
    build_digest,
    build_message,
)
from alerts.errors import (
    AmbiguousError,
    DeliveryFailed,
    NotifierConfigError,
    PermanentError,
    RateLimited,
    TransientError,
)
from alerts.model import Alert, Delivery, MessageRef

log = logging.getLogger("alerts")

Throttle = Callable[[str], None]
"""Called with the channel before every message a notifier sends (the dispatcher's rate limit)."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Limits:
    """Block Kit's limits; measured on the rendered (escaped) text."""

    max_blocks: int = 50
    section_chars: int = 3000
    header_chars: int = 150
    fallback_chars: int = 3000


NO_LIMITS = Limits(max_blocks=10_000, section_chars=1_000_000, header_chars=1_000_000,
                   fallback_chars=1_000_000)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retries inside one delivery attempt. Longer waits are left to the dispatcher's schedule."""

    attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 60.0  # a longer Retry-After ends the call; the dispatcher reschedules

    def delay(self, attempt: int, err: DeliveryFailed) -> float:
        if err.retry_after is not None:
            return max(0.0, err.retry_after)
        return min(self.max_delay, self.base_delay * 2 ** (attempt - 1))


@dataclass(frozen=True, slots=True)
class Fitted:
    """One block rendered for the target and cut to its limit."""

    kind: Literal["header", "section", "context", "divider"]
    text: str


@dataclass(frozen=True, slots=True)
class Rendered:
    blocks: tuple[Fitted, ...]
    fallback: str
    alert_ids: tuple[int, ...]
    key: str


@runtime_checkable
class Notifier(Protocol):
    """Something that delivers alerts. Built-ins and plugins register in a ``Registry``."""

    name: str
    supports_threads: bool
    supports_update: bool

    def send(self, alert: Alert, channel: str, *, thread: MessageRef | None = None,
             maybe_sent: bool = False, throttle: Throttle | None = None) -> Delivery:
        """Deliver one alert. ``maybe_sent``: an earlier attempt may have arrived, look first."""
        ...

    def update(self, ref: MessageRef, alert: Alert, *, throttle: Throttle | None = None) -> None:
        """Replace an earlier message with a new rendering of ``alert`` (e.g. a new source count)."""
        ...

    def send_digest(self, alerts: Sequence[Alert], channel: str, *, title: str | None = None,
                    maybe_sent: bool = False, throttle: Throttle | None = None) -> list[Delivery]:
        """Deliver several alerts as one digest grouped by subject (split only at the block limit)."""
        ...

    def permalink(self, ref: MessageRef) -> str | None:
        """A link to an earlier message, for a later alert of the same key; None if there is none."""
        ...


def _no_throttle(channel: str) -> None:
    return None


class NotifierBase:
    """Limits, truncation and retries for every notifier; subclasses only send."""

    name = "base"
    supports_threads = False
    supports_update = False

    def __init__(self, *, language: str = "en", limits: Limits = NO_LIMITS,
                 retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.language = words.lang_of(language)
        self.limits = limits
        self.retry = retry or RetryPolicy()
        self._sleep = sleep

    # -- what a subclass provides ---------------------------------------------------------------

    def format_inline(self, part: Inline) -> str:
        raise NotImplementedError

    def _post(self, message: Rendered, channel: str, thread_ts: str | None) -> Delivery:
        raise NotImplementedError

    def _update(self, ref: MessageRef, message: Rendered) -> None:
        raise PermanentError(f"{self.name} cannot edit messages", code="not_supported")

    def _find(self, channel: str, key: str, thread_ts: str | None) -> Delivery | None:
        """The message carrying ``key`` if it was delivered; None if not, or if we cannot tell."""
        return None

    def permalink(self, ref: MessageRef) -> str | None:
        return None

    # -- fitting --------------------------------------------------------------------------------

    def render_parts(self, parts: Sequence[Inline], limit: int) -> str:
        """Render parts in order; the first one that does not fit is shortened, the rest dropped."""
        out: list[str] = []
        used = 0
        for part in parts:
            s = self.format_inline(part)
            if used + len(s) <= limit:
                out.append(s)
                used += len(s)
                continue
            out.append(self._shorten(part, limit - used))
            break
        return "".join(out)

    def _shorten(self, part: Inline, room: int) -> str:
        # Cut the raw text, then render, so an escape (&amp;) or a markup pair is never split.
        text = part if isinstance(part, Text) else Text(part.label)
        lo, hi, best = 0, len(text.text), ""
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.format_inline(Text(text.text[:mid].rstrip() + "…", text.style))
            if len(s) <= room:
                best, lo = s, mid + 1
            else:
                hi = mid - 1
        return best

    def _fit_block(self, block: Block) -> Fitted:
        lim = self.limits
        if isinstance(block, Header):
            return Fitted("header", self.render_parts(block.parts, lim.header_chars))
        if isinstance(block, Section):
            return Fitted("section", self.render_parts(block.parts, lim.section_chars))
        if isinstance(block, Context):
            return Fitted("context", self.render_parts(block.parts, lim.section_chars))
        assert isinstance(block, Divider)
        return Fitted("divider", "")

    def fit(self, message: Message) -> Rendered:
        """The message rendered for this target, within its block and character limits."""
        blocks = list(message.blocks)
        if len(blocks) > self.limits.max_blocks:
            hidden = len(blocks) - (self.limits.max_blocks - 1)
            blocks = blocks[: self.limits.max_blocks - 1]
            blocks.append(Context((Text(words.word("more_not_shown", self.language, n=hidden)),)))
        fitted = tuple(self._fit_block(b) for b in blocks)
        fallback = self.render_parts((Text(message.fallback),), self.limits.fallback_chars)
        return Rendered(fitted, fallback, message.alert_ids, message.key)

    def fit_digest(self, digest: Digest) -> list[Rendered]:
        """A digest in as few messages as the block limit allows; a subject's group stays together."""
        room = self.limits.max_blocks - 1  # the header repeats on every part
        chunks: list[list[Block]] = [[]]
        for group in digest.groups:
            if chunks[-1] and len(chunks[-1]) + len(group) > room:
                chunks.append([])
            for block in group:  # only a group larger than a whole message is split
                if len(chunks[-1]) >= room:
                    chunks.append([])
                chunks[-1].append(block)
        out: list[Rendered] = []
        for i, chunk in enumerate(chunks):
            header = digest.header
            if len(chunks) > 1:
                header = Header((*digest.header.parts, Text(f" ({i + 1}/{len(chunks)})")))
            msg = Message((header, *chunk), digest.fallback, digest.alert_ids, f"{digest.key}:{i}")
            out.append(self.fit(msg))
        return out

    # -- retries --------------------------------------------------------------------------------

    def _with_retries(self, op: Callable[[], T], *, find: Callable[[], T | None] | None,
                      maybe_sent: bool, what: str) -> T:
        """Run ``op`` with the retry policy. After an ambiguous failure look (``find``) before
        repeating, so a message that did arrive is not sent twice."""
        last: DeliveryFailed | None = None
        for attempt in range(1, self.retry.attempts + 1):
            try:
                if maybe_sent and find is not None:
                    found = self._look(find, what)
                    if found is not None:
                        log.info("%s: found from an earlier attempt, not sent again", what)
                        return found
                    maybe_sent = False  # looked and it is not there: sending is safe
                return op()
            except PermanentError:
                raise
            except AmbiguousError as err:
                maybe_sent, last = True, err
            except TransientError as err:
                last = err
            if attempt == self.retry.attempts:
                break
            wait = self.retry.delay(attempt, last)
            if isinstance(last, RateLimited) and wait > self.retry.max_retry_after:
                break  # the dispatcher waits this out without holding the lease
            log.warning("%s: %s (%s); retry %d/%d in %.1fs", what, type(last).__name__, last.code or last,
                        attempt, self.retry.attempts - 1, wait)
            self._sleep(wait)
        assert last is not None
        if maybe_sent and not isinstance(last, AmbiguousError):
            # The message may have arrived in an earlier round: the caller must look next time.
            raise AmbiguousError(str(last), code=last.code, retry_after=last.retry_after) from last
        raise last

    def _look(self, find: Callable[[], T | None], what: str) -> T | None:
        try:
            return find()
        except PermanentError as err:
            # Looking is impossible (e.g. the token lacks channels:history): sending again is the
            # lesser evil; a possible duplicate beats a lost alert.
            log.warning("%s: cannot look for an earlier attempt (%s); sending again", what, err.code or err)
            return None

    # -- the Notifier interface ------------------------------------------------------------------

    def send(self, alert: Alert, channel: str, *, thread: MessageRef | None = None,
             maybe_sent: bool = False, throttle: Throttle | None = None) -> Delivery:
        rendered = self.fit(build_message(alert, self.language))
        return self._deliver(rendered, channel, thread.ts if thread else None, maybe_sent,
                             throttle or _no_throttle, f"alert {alert.id}")

    def _deliver(self, rendered: Rendered, channel: str, thread_ts: str | None, maybe_sent: bool,
                 throttle: Throttle, what: str) -> Delivery:
        def op() -> Delivery:
            throttle(channel)
            return self._post(rendered, channel, thread_ts)

        def find() -> Delivery | None:
            return self._find(channel, rendered.key, thread_ts)

        return self._with_retries(op, find=find, maybe_sent=maybe_sent, what=what)

    def update(self, ref: MessageRef, alert: Alert, *, throttle: Throttle | None = None) -> None:
        rendered = self.fit(build_message(alert, self.language))
        thr = throttle or _no_throttle

        def op() -> None:
            thr(ref.channel_id)
            self._update(ref, rendered)

        # An edit is idempotent: repeating it after an ambiguous failure does no harm.
        self._with_retries(op, find=None, maybe_sent=False, what=f"update of alert {alert.id}")

    def send_digest(self, alerts: Sequence[Alert], channel: str, *, title: str | None = None,
                    maybe_sent: bool = False, throttle: Throttle | None = None) -> list[Delivery]:
        if not alerts:
            return []
        parts = self.fit_digest(build_digest(alerts, self.language, title))
        return [self._deliver(r, channel, None, maybe_sent, throttle or _no_throttle,
                              f"digest {r.key}") for r in parts]


# -- registry ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NotifierSettings:
    """Everything a factory may need; each notifier uses the fields that concern it."""

    language: str = "en"
    token: str | None = None
    webhook_url: str | None = None
    base_url: str | None = None
    timeout: float = 10.0
    retry: RetryPolicy | None = None
    sleep: Callable[[float], None] = time.sleep
    stream: TextIO | None = None  # where the console notifier writes; None means stdout

    def __repr__(self) -> str:  # never show the secrets
        return (f"NotifierSettings(language={self.language!r}, base_url={self.base_url!r}, "
                f"token={'set' if self.token else None}, webhook_url={'set' if self.webhook_url else None})")


Factory = Callable[[NotifierSettings], Notifier]


class Registry:
    """Named notifier factories. The built-ins register through the same ``register`` call."""

    def __init__(self) -> None:
        self._factories: dict[str, Factory] = {}

    def register(self, name: str, factory: Factory) -> None:
        if name in self._factories:
            raise NotifierConfigError(f"a notifier named {name!r} is already registered")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, name: str, settings: NotifierSettings) -> Notifier:
        try:
            factory = self._factories[name]
        except KeyError:
            raise NotifierConfigError(f"unknown notifier {name!r}; known: {', '.join(self.names())}") from None
        return factory(settings)


def default_registry() -> Registry:
    """A registry holding the built-in notifiers (a new one each call: no shared state)."""
    from alerts import console, slack

    reg = Registry()
    slack.register(reg)
    console.register(reg)
    return reg


__all__ = ["Limits", "Link", "Notifier", "NotifierBase", "NotifierSettings", "Registry", "RetryPolicy",
           "Rendered", "Fitted", "Throttle", "default_registry"]
