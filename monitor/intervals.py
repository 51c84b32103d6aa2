"""When to poll a feed next: pure functions, no I/O, no clock (``now`` and the random source are
passed in, so tests and replicas agree on the arithmetic).

The interval adapts to how often the feed publishes: a feed that published every ten minutes
lately is polled about twice per gap; a feed that publishes once a day drifts towards the upper
bound. The result is clamped to ``polling.min_interval`` .. ``polling.max_interval``, then the
publisher's own wishes are honored as lower bounds: the RSS ``<ttl>`` (minutes), the
``Cache-Control: max-age`` of the answer, and ``Retry-After`` after a 429/503. Retry-After may
push past ``max_interval`` (up to ``backoff_max``): the server said so explicitly. Jitter is
only ever added, never subtracted, so the honored lower bounds stay honored, and it spreads the
polls of many feeds (and of several replicas) over time instead of bunching them.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.config import PollingConfig

# Poll about this many times per observed publishing gap: often enough to see an item soon after
# it appears, rarely enough not to hammer a quiet feed.
POLLS_PER_GAP = 2.0
# Items considered for the publishing rate: recent behaviour matters, old history does not.
RATE_WINDOW = 20


@dataclass(frozen=True, slots=True)
class Bounds:
    """The operator's limits (``polling`` section)."""

    min_interval: float
    max_interval: float
    jitter: float = 0.1
    backoff_max: float = 6 * 3600.0


@dataclass(frozen=True, slots=True)
class Hints:
    """What the publisher said about polling, from the last answer."""

    ttl_seconds: float | None = None  # RSS <ttl>, already in seconds
    max_age: float | None = None  # Cache-Control max-age
    retry_after: float | None = None  # Retry-After, in seconds from the answer


def publish_gap(item_times: Sequence[dt.datetime], *, window: int = RATE_WINDOW) -> float | None:
    """The typical gap in seconds between the feed's recent items (median), or None.

    The median, not the mean: one overnight silence should not slow a busy feed down. Items
    with the same timestamp (a batch publish) count as one.
    """
    times = sorted({t.astimezone(dt.UTC) for t in item_times}, reverse=True)[:window]
    if len(times) < 2:
        return None
    gaps = [(a - b).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    gaps = [g for g in gaps if g > 0]
    return float(statistics.median(gaps)) if gaps else None


def adaptive_interval(configured: float, gap: float | None, bounds: Bounds) -> float:
    """The interval before hints and jitter: half the publishing gap, else the configured one."""
    base = gap / POLLS_PER_GAP if gap else configured
    return clamp(base, bounds)


def clamp(seconds: float, bounds: Bounds) -> float:
    lo, hi = bounds.min_interval, max(bounds.min_interval, bounds.max_interval)
    return min(max(seconds, lo), hi)


def honor_hints(seconds: float, hints: Hints, bounds: Bounds) -> float:
    """Raise ``seconds`` to what the publisher asked for.

    TTL and max-age are capped at ``max_interval`` (a feed that says "cache me for a week" is
    still checked within the operator's bound); Retry-After is capped at ``backoff_max`` only.
    """
    hi = max(bounds.min_interval, bounds.max_interval)
    for wish in (hints.ttl_seconds, hints.max_age):
        if wish is not None and wish > 0:
            seconds = max(seconds, min(wish, hi))
    if hints.retry_after is not None and hints.retry_after > 0:
        seconds = max(seconds, min(hints.retry_after, bounds.backoff_max))
    return seconds


def with_jitter(seconds: float, jitter: float, rng: random.Random) -> float:
    """Add up to ``jitter`` (a share) on top; never less than ``seconds``."""
    return seconds * (1.0 + rng.uniform(0.0, max(0.0, jitter)))


def error_backoff(configured: float, consecutive_errors: int, bounds: Bounds) -> float:
    """Exponential backoff after failed polls: the interval doubled per error, up to backoff_max."""
    if consecutive_errors <= 0:
        return clamp(configured, bounds)
    base = clamp(configured, bounds)
    return float(min(base * (2 ** min(consecutive_errors, 30)), bounds.backoff_max))


def next_interval(*, configured: float, bounds: Bounds, rng: random.Random,
                  item_times: Sequence[dt.datetime] = (), hints: Hints = Hints(),
                  consecutive_errors: int = 0) -> float:
    """Seconds until the next poll of one feed, all rules applied."""
    if consecutive_errors > 0:
        seconds = error_backoff(configured, consecutive_errors, bounds)
    else:
        seconds = adaptive_interval(configured, publish_gap(item_times), bounds)
    seconds = honor_hints(seconds, hints, bounds)
    return with_jitter(seconds, bounds.jitter, rng)


def next_poll_at(now: dt.datetime, *, configured: float, bounds: Bounds, rng: random.Random,
                 item_times: Sequence[dt.datetime] = (), hints: Hints = Hints(),
                 consecutive_errors: int = 0) -> dt.datetime:
    """``now`` plus :func:`next_interval`."""
    return now + dt.timedelta(seconds=next_interval(
        configured=configured, bounds=bounds, rng=rng, item_times=item_times, hints=hints,
        consecutive_errors=consecutive_errors))


def bounds_from(polling: PollingConfig) -> Bounds:
    """Bounds from the ``polling`` section of the config."""
    return Bounds(min_interval=float(polling.min_interval), max_interval=float(polling.max_interval),
                  jitter=float(polling.jitter), backoff_max=float(polling.backoff_max))


_MAX_AGE = re.compile(r"(?:^|[,\s])(s-maxage|max-age)\s*=\s*\"?(\d+)\"?", re.I)


def parse_cache_control(value: str | None) -> float | None:
    """``max-age`` (or ``s-maxage``, which wins for shared caches like us) in seconds.

    ``no-cache``/``no-store`` say nothing about polling frequency and give None.
    """
    if not value:
        return None
    found = {m.group(1).lower(): int(m.group(2)) for m in _MAX_AGE.finditer(value)}
    if "s-maxage" in found:
        return float(found["s-maxage"])
    if "max-age" in found:
        return float(found["max-age"])
    return None


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Retry-After as seconds from ``now``: delta-seconds or an HTTP date; None if unreadable."""
    if not value:
        return None
    v = value.strip()
    if v.isdigit():
        return float(v)
    try:
        when = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def ttl_seconds(ttl_minutes: str | int | None) -> float | None:
    """The RSS ``<ttl>`` element (minutes) in seconds; None if absent or not a number."""
    if ttl_minutes is None:
        return None
    try:
        minutes = int(str(ttl_minutes).strip())
    except ValueError:
        return None
    return float(minutes * 60) if minutes > 0 else None
