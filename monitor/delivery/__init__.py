"""Delivery of the alerts outbox: rows to ``alerts.Alert``, leases, routing, rate limits, retries.

- ``convert``: an outbox row as an ``alerts.Alert`` (the payload's keys are read here only).
- ``outbox``: claiming rows with leases, recording results, dead letters, ops alerts.
- ``ratelimit``: the clock and the per-channel token bucket.
- ``dispatcher``: ``dispatch_once`` and ``send_digests``, what the daemon and the CLI call.
- ``notifiers``: the notifiers the config asks for (token from the environment).
"""
