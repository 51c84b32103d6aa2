"""Time for the dispatcher, injectable so tests run on a fake clock, and a per-channel limit."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Wall time, timezone-aware UTC (for the outbox's schedule)."""
        ...

    def monotonic(self) -> float:
        """Seconds for intervals (the rate limit)."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ChannelRateLimiter:
    """At most ``rate`` messages per second per channel (a token bucket holding one token).

    Kept by the caller between dispatch runs so the limit holds across them within a process.
    Replicas each hold their own: Slack's 429 answers (honoured with Retry-After) cover the rest.
    """

    def __init__(self, rate: float, clock: Clock) -> None:
        self.interval = 1.0 / rate
        self._clock = clock
        self._next: dict[str, float] = {}
        # The daemon's dispatch and digest jobs may share one limiter from two threads.
        self._lock = threading.Lock()

    def ready_in(self, channel: str) -> float:
        """Seconds until ``channel`` may take a message (0: now)."""
        with self._lock:
            return max(0.0, self._next.get(channel, float("-inf")) - self._clock.monotonic())

    def acquire(self, channel: str) -> None:
        """Reserve the channel's next slot, then wait for it (outside the lock)."""
        with self._lock:
            now = self._clock.monotonic()
            slot = max(now, self._next.get(channel, float("-inf")))
            self._next[channel] = slot + self.interval
        if slot > now:
            self._clock.sleep(slot - now)
