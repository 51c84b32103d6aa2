"""feedparser's own test corpus through the feed-parsing function of the poller.

2,106 documents (well-formed, ill-formed, encodings, entities), read in place from
../shared/realdata/feedparser_tests. Every one must come back as entries or as a recorded
feed error (a ``MonitorError``), never as any other exception; each under 50 MB of peak Python
memory and under a generous time guard. Documents the corpus marks ``Expect: bozo`` must not
pass silently: a feed error or a warning the poller records.
"""

from __future__ import annotations

import datetime as dt
import re
import tracemalloc
from pathlib import Path

import pytest

from monitor.errors import MonitorError
from monitor.feeds import parse_feed
from tests.faults.guards import MB, MEMORY_LIMIT, CaseTimeout, bounded
from tests.support.feed_server import REALDATA

CORPUS = REALDATA / "feedparser_tests"
FOLDERS = ("wellformed", "illformed", "encoding", "entities")
FETCHED = dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC)
_HEADER = re.compile(rb"^Header:\s*([\w-]+):\s*(.+?)\s*$", re.MULTILINE)
_EXPECT = re.compile(rb"^Expect:\s*(.+?)\s*$", re.MULTILINE)


def corpus(folder: str) -> list[Path]:
    return sorted(p for p in (CORPUS / folder).rglob("*") if p.is_file())


def headers_of(raw: bytes) -> dict[str, str]:
    """The HTTP headers a corpus document says it was served with (its ``Header:`` lines)."""
    return {k.decode().lower(): v.decode("latin-1") for k, v in _HEADER.findall(raw[:2000])}


def expects_bozo(raw: bytes) -> bool:
    m = _EXPECT.search(raw[:2000])
    return m is not None and m.group(1).lstrip().startswith(b"bozo")


def test_the_corpus_is_all_there() -> None:
    counts = {f: len(corpus(f)) for f in FOLDERS}
    assert sum(counts.values()) == 2106, counts


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_document_parses_or_is_a_recorded_feed_error(folder: str) -> None:
    crashes: list[str] = []
    silent_bozo: list[str] = []
    heavy: list[str] = []
    outcomes = {"entries": 0, "warned": 0, "feed_error": 0}
    tracemalloc.start()
    try:
        for path in corpus(folder):
            raw = path.read_bytes()
            name = str(path.relative_to(CORPUS))
            try:
                with bounded() as usage:
                    try:
                        parsed = parse_feed(raw, headers_of(raw), fetched_at=FETCHED, base_url="http://127.0.0.1/")
                    except MonitorError:
                        outcomes["feed_error"] += 1
                        parsed = None
            except CaseTimeout as exc:
                crashes.append(f"{name}: {exc}")
                continue
            except Exception as exc:  # what the test is looking for: anything that is not a feed error
                crashes.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            if parsed is not None:
                outcomes["warned" if parsed.warnings else "entries"] += 1
                if expects_bozo(raw) and not parsed.warnings:
                    silent_bozo.append(name)
            if usage.peak_bytes > MEMORY_LIMIT:
                heavy.append(f"{name}: {usage.peak_bytes / MB:.1f} MB")
    finally:
        tracemalloc.stop()
    assert not crashes, crashes[:20]
    assert not heavy, heavy
    assert not silent_bozo, silent_bozo[:20]
    assert sum(outcomes.values()) == len(corpus(folder))
    if folder == "illformed":
        # the ill-formed corpus is mostly recorded as warnings or errors, not silently accepted
        assert outcomes["warned"] + outcomes["feed_error"] >= len(corpus(folder)) - 2, outcomes
