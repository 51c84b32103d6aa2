"""The notifiers the configuration asks for. The token is read from the environment here and
handed to the notifier; it is never stored in the config object, logged or printed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from alerts.base import Notifier, NotifierSettings, Registry, RetryPolicy, default_registry
from monitor.config import MonitorConfig
from monitor.delivery.ratelimit import Clock, SystemClock
from monitor.routing import check_startup, secrets, slack_wanted


@dataclass(frozen=True, slots=True)
class Setup:
    notifiers: list[Notifier]
    fallback_channel: str | None  # where alerts go when no route and no default channel exist


def build_notifiers(config: MonitorConfig, *, environ: Mapping[str, str] | None = None,
                    clock: Clock | None = None, console: bool = False, stream: TextIO | None = None,
                    registry: Registry | None = None) -> Setup:
    """Slack when configured (a startup error if it lacks a token), plus the console if asked.

    Raises ``ConfigError`` for a Slack route without a token, and when nothing would deliver.
    """
    env = os.environ if environ is None else environ
    slack = config.slack
    reg = registry or default_registry()
    sleep = (clock or SystemClock()).sleep
    out: list[Notifier] = []
    fallback: str | None = None
    if slack_wanted(slack, env):
        check_startup(slack, env)
        token, hook = secrets(slack, env)
        out.append(reg.create("slack", NotifierSettings(
            language=slack.language, token=token, webhook_url=None if token else hook, base_url=slack.base_url,
            timeout=slack.timeout, retry=RetryPolicy(), sleep=sleep)))
        if not token:
            fallback = "webhook"
    if console:
        out.append(reg.create("console", NotifierSettings(language=slack.language, sleep=sleep, stream=stream)))
        if len(out) == 1:
            fallback = "console"
    return Setup(out, fallback)
