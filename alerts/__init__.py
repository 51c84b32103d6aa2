"""Alert delivery, independent of the monitor: records, message content, notifiers.

``alerts`` never imports ``monitor``: the dispatcher in ``monitor.delivery`` converts outbox
rows into ``alerts.Alert`` and hands them to a ``Notifier`` from a ``Registry``.
"""

from alerts.base import (
    Limits,
    Notifier,
    NotifierBase,
    NotifierSettings,
    Registry,
    RetryPolicy,
    Throttle,
    default_registry,
)
from alerts.errors import (
    AlertsError,
    AmbiguousError,
    DeliveryFailed,
    NotifierConfigError,
    PermanentError,
    RateLimited,
    ServerError,
    TransientError,
)
from alerts.model import ALERT_TYPES, Alert, Delivery, MessageRef, Side

__all__ = [
    "ALERT_TYPES", "Alert", "AlertsError", "AmbiguousError", "Delivery", "DeliveryFailed", "Limits",
    "MessageRef", "Notifier", "NotifierBase", "NotifierConfigError", "NotifierSettings", "PermanentError",
    "RateLimited", "Registry", "RetryPolicy", "ServerError", "Side", "Throttle", "TransientError",
    "default_registry",
]
