"""Delivering the alerts outbox: the entry points other parts of the monitor call.

The work is in ``monitor.delivery``; this module names what the daemon and the CLI use:
``dispatch_once`` (every few seconds), ``send_digests`` (a digest route's cron job, with its
trigger from ``monitor.routing.cron_trigger``), ``enqueue_ops_alert`` (rejected reloads and
other ops messages), ``feed_health_alerts`` (after recording a poll's result) and
``build_notifiers`` (Slack from the config and ``$SLACK_BOT_TOKEN``).
"""

from __future__ import annotations

from monitor.delivery.dispatcher import Dispatcher, DispatchReport, dispatch_once, send_digests
from monitor.delivery.health import feed_health_alerts
from monitor.delivery.notifiers import Setup, build_notifiers
from monitor.delivery.outbox import enqueue_ops_alert, release_owned, retry_dead
from monitor.delivery.ratelimit import ChannelRateLimiter, Clock, SystemClock
from monitor.routing import check_startup, cron_trigger, digest_routes

__all__ = [
    "ChannelRateLimiter", "Clock", "DispatchReport", "Dispatcher", "Setup", "SystemClock", "build_notifiers",
    "check_startup", "cron_trigger", "digest_routes", "dispatch_once", "enqueue_ops_alert", "feed_health_alerts",
    "release_owned", "retry_dead", "send_digests",
]
