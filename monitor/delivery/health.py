"""Feed-health alerts for the ops route, decided from a feed's stored poll state.

Call ``feed_health_alerts`` in the transaction that recorded a poll's result (after
``feeds_repo.record_error`` or ``record_success``): it queues at most one alert per streak, so
a feed failing for a day raises one alert, and a new streak after a recovery raises a new one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from monitor.config import SlackConfig
from monitor.delivery.outbox import enqueue_ops_alert
from monitor.store.tables import Feed


def feed_health_alerts(session: Session, feed_id: str, now: dt.datetime, slack: SlackConfig) -> list[int]:
    """Queue ops alerts for a feed failing ``ops_failing_polls`` polls in a row, or whose
    extraction came back empty ``ops_empty_polls`` times in a row (the publisher changed its
    layout). Returns the ids of the alerts queued now."""
    session.flush()
    feed = session.get(Feed, feed_id)
    if feed is None:
        return []
    out: list[int] = []
    name = feed.name or feed.id
    errors = feed.consecutive_errors or 0
    if errors >= slack.ops_failing_polls:
        # One per streak: the streak is named by the last success before it.
        since = feed.last_ok_at.isoformat() if feed.last_ok_at else "never"
        text = (f"Feed {name} has failed {errors} polls in a row (last OK: {since}). "
                f"Last error: {feed.last_error or 'unknown'}")
        new = enqueue_ops_alert(session, f"ops:feed-failing:{feed.id}:{since}", text, subject=feed.id,
                                subject_name=name, now=now, details={"feed": feed.id, "url": feed.url})
        if new is not None:
            out.append(new)
    if (feed.empty_text_streak or 0) == slack.ops_empty_polls:
        text = (f"Feed {name}: the extracted text was empty for {slack.ops_empty_polls} polls in a row; "
                "the publisher may have changed its page layout (check `monitor normalize <article URL>`).")
        new = enqueue_ops_alert(session, f"ops:feed-empty:{feed.id}:{now.isoformat()}", text, subject=feed.id,
                                subject_name=name, severity="medium", now=now,
                                details={"feed": feed.id, "url": feed.url})
        if new is not None:
            out.append(new)
    return out
