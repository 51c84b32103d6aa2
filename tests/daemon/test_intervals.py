"""The per-feed interval: adapts to publishing, clamped, honors TTL, max-age and Retry-After."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from monitor import intervals as iv

B = iv.Bounds(min_interval=60, max_interval=3600, jitter=0.0, backoff_max=6 * 3600)
NOW = dt.datetime(2025, 8, 16, 12, 0, tzinfo=dt.UTC)


def times(gap_s: float, n: int = 10) -> list[dt.datetime]:
    return [NOW - dt.timedelta(seconds=gap_s * k) for k in range(n)]


def interval(*, configured: float = 300, item_times: list[dt.datetime] | None = None,
             hints: iv.Hints | None = None, consecutive_errors: int = 0) -> float:
    return iv.next_interval(configured=configured, bounds=B, rng=random.Random(1), item_times=item_times or (),
                            hints=hints or iv.Hints(), consecutive_errors=consecutive_errors)


def test_busy_feed_is_polled_about_twice_per_publishing_gap() -> None:
    assert interval(item_times=times(600)) == 300
    assert interval(item_times=times(1200)) == 600


def test_quiet_feed_drifts_to_the_upper_bound_and_busy_one_to_the_lower() -> None:
    assert interval(item_times=times(86400)) == 3600
    assert interval(item_times=times(10)) == 60


def test_without_history_the_configured_interval_is_used_clamped() -> None:
    assert interval(configured=300) == 300
    assert interval(configured=30) == 60
    assert interval(configured=10_000) == 3600


def test_median_gap_ignores_one_long_silence_and_batches() -> None:
    ts = times(600, 9) + [NOW - dt.timedelta(days=2)]
    ts += [ts[0]]  # the same timestamp twice: one batch publish
    assert iv.publish_gap(ts) == 600


def test_ttl_and_max_age_raise_the_interval_but_not_past_max() -> None:
    assert interval(hints=iv.Hints(ttl_seconds=900)) == 900
    assert interval(hints=iv.Hints(max_age=1200)) == 1200
    assert interval(hints=iv.Hints(max_age=7 * 86400)) == 3600
    assert interval(hints=iv.Hints(ttl_seconds=10)) == 300  # a short TTL never speeds polling up


def test_retry_after_is_honored_beyond_max_interval_up_to_backoff_max() -> None:
    assert interval(hints=iv.Hints(retry_after=7200)) == 7200
    assert interval(hints=iv.Hints(retry_after=10 * 86400)) == 6 * 3600


def test_errors_back_off_exponentially_to_backoff_max() -> None:
    assert [interval(consecutive_errors=n) for n in (1, 2, 3)] == [600, 1200, 2400]
    assert interval(consecutive_errors=20) == 6 * 3600
    # Retry-After longer than the backoff wins
    assert interval(consecutive_errors=1, hints=iv.Hints(retry_after=5000)) == 5000


def test_jitter_only_adds_and_stays_within_its_share() -> None:
    b = iv.Bounds(min_interval=60, max_interval=3600, jitter=0.2)
    rng = random.Random(7)
    values = [iv.next_interval(configured=300, bounds=b, rng=rng) for _ in range(200)]
    assert min(values) >= 300 and max(values) <= 360
    assert len({round(v, 3) for v in values}) > 100  # spread, not one value


@given(gap=st.floats(min_value=1, max_value=10 * 86400), ttl=st.none() | st.floats(0, 86400),
       age=st.none() | st.floats(0, 86400), errors=st.integers(0, 40))
def test_result_always_within_bounds(gap: float, ttl: float | None, age: float | None, errors: int) -> None:
    v = interval(item_times=times(gap), hints=iv.Hints(ttl_seconds=ttl, max_age=age), consecutive_errors=errors)
    assert B.min_interval <= v <= max(B.max_interval, B.backoff_max)
    if errors == 0:
        assert v <= B.max_interval


def test_header_parsers() -> None:
    assert iv.parse_cache_control("public, max-age=600") == 600
    assert iv.parse_cache_control("max-age=600, s-maxage=900") == 900
    assert iv.parse_cache_control("no-cache") is None
    assert iv.parse_cache_control(None) is None
    assert iv.parse_retry_after("120", NOW) == 120
    assert iv.parse_retry_after("Sat, 16 Aug 2025 12:05:00 GMT", NOW) == 300
    assert iv.parse_retry_after("soon", NOW) is None
    assert iv.ttl_seconds("15") == 900
    assert iv.ttl_seconds("x") is None
    assert iv.ttl_seconds(0) is None


def test_next_poll_at_adds_the_interval_to_now() -> None:
    at = iv.next_poll_at(NOW, configured=300, bounds=B, rng=random.Random(0))
    assert at == NOW + dt.timedelta(seconds=300)
