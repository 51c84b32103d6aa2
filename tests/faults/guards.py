"""Per-case bounds for the fault suite: peak Python memory (tracemalloc) and a time guard.

The time guard is generous on purpose (it stops a runaway case instead of hanging CI; it is
not a speed assertion). It uses SIGALRM, so it only works in the main thread, where pytest
runs tests.
"""

from __future__ import annotations

import signal
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

MB = 1024 * 1024
MEMORY_LIMIT = 50 * MB
GUARD_SECONDS = 5.0  # the issue asks for < 1 s a case; the guard only catches a hang


class CaseTimeout(BaseException):
    """Raised in the case when the guard fires (BaseException: no handler under test swallows it)."""


@dataclass
class Usage:
    peak_bytes: int = 0


@contextmanager
def bounded(seconds: float = GUARD_SECONDS) -> Iterator[Usage]:
    """Measure the block's peak traced memory; abort it with CaseTimeout after ``seconds``."""
    usage = Usage()

    def fire(_sig: int, _frame: FrameType | None) -> None:
        raise CaseTimeout(f"case still running after {seconds:g}s")

    started_here = not tracemalloc.is_tracing()
    if started_here:
        tracemalloc.start()
    tracemalloc.reset_peak()
    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield usage
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        usage.peak_bytes = tracemalloc.get_traced_memory()[1]
        if started_here:
            tracemalloc.stop()
