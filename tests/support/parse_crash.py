"""A feed parser that dies like a parser worker hitting its memory limit (for documents marked
CRASH). Module-level and light to import: worker processes import it by name."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from monitor.feeds import ParsedFeed, parse_feed


def crash_on_marker(content: bytes, headers: Mapping[str, str], fetched_at: dt.datetime, base_url: str | None,
                    max_items: int) -> ParsedFeed:
    if b"CRASH" in content:
        os._exit(1)
    return parse_feed(content, headers, fetched_at=fetched_at, base_url=base_url, max_items=max_items)
