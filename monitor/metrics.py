"""Prometheus metrics of one monitor process.

The metric objects live on one registry of this module (``REGISTRY``, not prometheus-client's
default one, so importing a library that registers its own metrics changes nothing here). This
is the one deliberate piece of process-wide mutable state: a counter is by nature shared by all
code of the process that counts the same thing, and passing it through every call would buy
nothing. Code that wants to count imports the object and calls ``.inc()``/``.observe()``. Tests
that run in-process read deltas (see :func:`sample`), never absolute values.

Numbers that live in the database (alerts by state, outbox depth and age, claims by outcome,
stored items and versions, poll lag) are not counted in memory: :class:`StoreCollector` reads
them at scrape time, so every replica reports the same truth about the shared store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from monitor.store.tables import AlertRow, ArticleRow, ArticleVersion, ClaimRow, Feed

log = logging.getLogger(__name__)

# The *_created samples only double the exposition; nothing of ours reads them.
disable_created_metrics()
REGISTRY = CollectorRegistry(auto_describe=True)

POLLS = Counter("monitor_polls", "Feed polls by result (ok, not_modified, error)", ["result"],
                registry=REGISTRY)
ITEMS = Counter("monitor_items_new", "New items stored by this process", registry=REGISTRY)
VERSIONS = Counter("monitor_versions_new", "New article versions stored by this process (first ones included)",
                   registry=REGISTRY)
CLAIMS = Counter("monitor_claims", "Claims extracted by this process, by diff outcome", ["outcome"],
                 registry=REGISTRY)
ALERTS_DELIVERED = Counter("monitor_alert_deliveries", "Delivery attempts by result (sent, retry, dead)",
                           ["result"], registry=REGISTRY)
FEED_LEASES = Counter("monitor_feed_leases", "Feed leases of this process by outcome (claimed; lost: "
                      "expired before the poll started, left to the new holder)",
                      ["outcome"], registry=REGISTRY)
TICKS = Counter("monitor_ticks", "Scheduler ticks run", registry=REGISTRY)
TICK_ERRORS = Counter("monitor_tick_errors", "Scheduler jobs that failed, by job", ["job"], registry=REGISTRY)
LAST_TICK = Gauge("monitor_last_tick_timestamp_seconds", "Unix time of the last finished tick",
                  registry=REGISTRY)
POLL_LAG = Histogram("monitor_poll_lag_seconds", "How late a feed's poll started after it was due",
                     buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600), registry=REGISTRY)
EXTRACTION_SECONDS = Histogram("monitor_extraction_seconds", "Time to extract claims from one article",
                               buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
                               registry=REGISTRY)
RELOADS = Counter("monitor_config_reloads", "Hot reloads by result (applied, rejected)", ["result"],
                  registry=REGISTRY)


def not_modified_share() -> float:
    """Share of polls answered 304 so far in this process (0 before the first poll)."""
    # Read the counter's own samples: going through REGISTRY would call StoreCollector again.
    counts = {s.labels.get("result"): s.value for m in POLLS.collect() for s in m.samples
              if s.name == "monitor_polls_total"}
    total = sum(counts.values())
    return counts.get("not_modified", 0.0) / total if total else 0.0


def sample(name: str, labels: dict[str, str] | None = None) -> float:
    """The current value of one sample of ``REGISTRY`` (0 if absent)."""
    value = REGISTRY.get_sample_value(name, labels or {})
    return float(value) if value is not None else 0.0


class StoreCollector(Collector):
    """Gauges read from the database at scrape time.

    A scrape while the database is away must still answer (``/metrics`` is how an operator sees
    the outage): the store gauges are then left out and ``monitor_store_up`` is 0.
    """

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] | None = None) -> None:
        self._engine = engine
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def describe(self) -> list[Metric]:
        # Empty: registering must not query the database.
        return []

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("monitor_store_up", "1 if the database answered this scrape")
        try:
            families = list(self._read())
        except SQLAlchemyError as exc:
            log.warning("metrics: database unreachable: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _read(self) -> Iterator[Metric]:
        now = self._clock()
        with self._engine.connect() as conn:
            by_state = dict(conn.execute(select(AlertRow.state, func.count()).group_by(AlertRow.state)).all())
            oldest = conn.execute(select(func.min(AlertRow.created_at))
                                  .where(AlertRow.state.in_(("pending", "sending")))).scalar()
            by_outcome = dict(conn.execute(select(ClaimRow.outcome, func.count())
                                           .group_by(ClaimRow.outcome)).all())
            items = conn.execute(select(func.count()).select_from(ArticleRow)).scalar() or 0
            versions = conn.execute(select(func.count()).select_from(ArticleVersion)).scalar() or 0
            feeds_due = conn.execute(select(func.count(), func.min(Feed.next_poll_at))
                                     .where(Feed.next_poll_at <= now)).one()
        alerts = GaugeMetricFamily("monitor_alerts", "Alerts in the outbox by delivery state", labels=["state"])
        for state in sorted({"pending", "sending", "sent", "dead", "skipped", *by_state}):
            alerts.add_metric([state], float(by_state.get(state, 0)))
        yield alerts
        depth = GaugeMetricFamily("monitor_outbox_depth", "Alerts waiting for delivery (pending or sending)")
        depth.add_metric([], float(by_state.get("pending", 0) + by_state.get("sending", 0)))
        yield depth
        age = GaugeMetricFamily("monitor_outbox_oldest_age_seconds", "Age of the oldest undelivered alert")
        age.add_metric([], _age(now, oldest))
        yield age
        claims = GaugeMetricFamily("monitor_claims_stored", "Claims in the store by diff outcome",
                                   labels=["outcome"])
        for outcome, n in sorted(by_outcome.items()):
            claims.add_metric([str(outcome)], float(n))
        yield claims
        stored = GaugeMetricFamily("monitor_store_items", "Items and article versions in the store",
                                   labels=["what"])
        stored.add_metric(["items"], float(items))
        stored.add_metric(["versions"], float(versions))
        yield stored
        due = GaugeMetricFamily("monitor_feeds_overdue", "Feeds whose next poll time has passed")
        due.add_metric([], float(feeds_due[0] or 0))
        yield due
        lag = GaugeMetricFamily("monitor_poll_lag_max_seconds", "How long the most overdue feed has waited")
        lag.add_metric([], _age(now, feeds_due[1]))
        yield lag
        share = GaugeMetricFamily("monitor_polls_not_modified_ratio",
                                  "Share of this process's polls answered 304 Not Modified")
        share.add_metric([], not_modified_share())
        yield share


def _age(now: dt.datetime, then: dt.datetime | None) -> float:
    if then is None:
        return 0.0
    if then.tzinfo is None:  # SQLite aggregates bypass the UTC column type
        then = then.replace(tzinfo=dt.UTC)
    return max(0.0, (now - then).total_seconds())


def render() -> bytes:
    """The Prometheus text exposition of ``REGISTRY``."""
    return generate_latest(REGISTRY)
