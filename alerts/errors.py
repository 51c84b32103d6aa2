"""The alerts package's own error tree (``alerts`` never imports ``monitor``).

AlertsError                     base of every error raised on purpose by ``alerts``
├── NotifierConfigError         a notifier cannot be built: no token, bad URL, unknown name
└── DeliveryFailed              one message could not be delivered (``retry_after`` seconds or None)
    ├── TransientError          nothing was delivered; trying again later may work
    │   ├── RateLimited         429 from the service; ``retry_after`` from its Retry-After header
    │   └── ServerError         5xx, a connection refused or reset before the request was sent
    ├── PermanentError          nothing was delivered and repeating the same request will fail again
    │                           (invalid_blocks, channel_not_found, not_authed, invalid_auth, ...)
    └── AmbiguousError          the request may have been delivered: a timeout or a dropped
                                connection after the request was sent. Before sending again the
                                caller must look for the message (see ``Notifier.find_sent``).

The dispatcher maps them to outbox states: transient and ambiguous failures are retried with
backoff until the row's attempts run out (then ``dead``); a permanent one is dead at once, and
``monitor alerts retry`` puts dead rows back.
"""

from __future__ import annotations


class AlertsError(Exception):
    """Base of every error raised on purpose by the alerts package."""


class NotifierConfigError(AlertsError):
    """A notifier cannot be built from the settings it was given."""


class DeliveryFailed(AlertsError):
    """One message could not be delivered."""

    def __init__(self, message: str, *, code: str | None = None, retry_after: float | None = None) -> None:
        self.code = code
        self.retry_after = retry_after
        super().__init__(message)


class TransientError(DeliveryFailed):
    """Nothing was delivered; the same request may succeed later."""


class RateLimited(TransientError):
    """The service answered 429; wait ``retry_after`` seconds."""


class ServerError(TransientError):
    """A 5xx answer, or the connection failed before the request was sent."""


class PermanentError(DeliveryFailed):
    """Nothing was delivered and the same request will fail again."""


class AmbiguousError(DeliveryFailed):
    """The request may have been delivered (timeout after sending): look before sending again."""
