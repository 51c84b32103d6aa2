"""Which channel an alert goes to, and how: pure functions over the Slack config.

Order: ops alerts go to ``slack.ops_channel`` when one is set; then the routes in config order,
first match wins (an empty matcher list matches anything; subjects accept shell patterns such
as ``putin+trump*``); then ``slack.default_channel``. No match and no default: the alert is not
delivered (state ``skipped``), and ``monitor alerts`` shows why.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from apscheduler.triggers.cron import CronTrigger

from monitor.config import SlackConfig, SlackRoute
from monitor.errors import ConfigError

Mode = Literal["instant", "digest"]


@dataclass(frozen=True, slots=True)
class AlertFacts:
    """What routing looks at."""

    type: str
    kind: str
    subject: str
    severity: str
    topic: str | None


@dataclass(frozen=True, slots=True)
class Target:
    channel: str
    mode: Mode
    route: str  # the route's name, "ops" or "default"
    cron: str | None = None


def matches(route: SlackRoute, a: AlertFacts) -> bool:
    if route.types and a.type not in route.types:
        return False
    if route.kinds and a.kind not in route.kinds:
        return False
    if route.severities and a.severity not in route.severities:
        return False
    if route.topics and (a.topic or "") not in route.topics:
        return False
    return not route.subjects or any(fnmatch.fnmatchcase(a.subject, p) for p in route.subjects)


def choose(slack: SlackConfig, a: AlertFacts, *, fallback_channel: str | None = None) -> Target | None:
    """The target for one alert, or None when nothing takes it.

    ``fallback_channel`` stands in for a missing default channel when the notifier has only one
    place to post to anyway (an incoming webhook, the console).
    """
    if a.type == "ops" and slack.ops_channel:
        return Target(slack.ops_channel, "instant", "ops")
    for route in slack.routes:
        if matches(route, a):
            return Target(route.channel, route.mode, route.name, route.cron)
    if slack.default_channel:
        return Target(slack.default_channel, "instant", "default")
    if fallback_channel:
        return Target(fallback_channel, "instant", "default")
    return None


def digest_routes(slack: SlackConfig) -> list[SlackRoute]:
    return [r for r in slack.routes if r.mode == "digest"]


def cron_trigger(route: SlackRoute, timezone: str = "UTC") -> CronTrigger:
    """The APScheduler trigger of a digest route (the config already checked the crontab)."""
    if not route.cron:
        raise ConfigError("a digest route needs a cron schedule", field=f"slack.routes[{route.name}].cron",
                          fix="add cron: '0 8,17 * * *' or set mode: instant")
    return CronTrigger.from_crontab(route.cron, timezone=timezone)


def slack_wanted(slack: SlackConfig, environ: Mapping[str, str] | None = None) -> bool:
    """Slack delivery is on when enabled, when routes exist, or with a token and a default channel."""
    env = os.environ if environ is None else environ
    return slack.enabled or bool(slack.routes) or bool(env.get(slack.token_env) and slack.default_channel)


def secrets(slack: SlackConfig, environ: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """(bot token, webhook URL) from the environment; never put either in a message or a log."""
    env = os.environ if environ is None else environ
    token = (env.get(slack.token_env) or "").strip() or None
    hook = (env.get(slack.webhook_url_env) or "").strip() or None if slack.webhook_url_env else None
    return token, hook


def check_startup(slack: SlackConfig, environ: Mapping[str, str] | None = None) -> None:
    """Refuse to start with a Slack route but nothing to post with: a clear error, not lost alerts."""
    if not slack_wanted(slack, environ):
        return
    token, hook = secrets(slack, environ)
    if not token and not hook:
        how = f"export {slack.token_env}=xoxb-..."
        if slack.webhook_url_env:
            how += f" (or {slack.webhook_url_env}=https://hooks.slack.com/...)"
        raise ConfigError(f"Slack delivery is configured but ${slack.token_env} is not set", field="slack",
                          fix=f"{how}, or set slack.enabled: false and remove slack.routes")
    if not token and hook and _needs_channels(slack.routes, slack):
        raise ConfigError("an incoming webhook posts to one fixed channel; routes to other channels need a "
                          "bot token", field="slack.routes", fix=f"export {slack.token_env}=xoxb-...")
    if not (slack.default_channel or slack.routes or slack.ops_channel or hook):
        raise ConfigError("Slack delivery is on but no channel is configured", field="slack.default_channel",
                          fix="set slack.default_channel (or MONITOR_SLACK__DEFAULT_CHANNEL) or add routes")


def _needs_channels(routes: Sequence[SlackRoute], slack: SlackConfig) -> bool:
    chans = {r.channel for r in routes} | {c for c in (slack.default_channel, slack.ops_channel) if c}
    return len(chans) > 1
