"""Feed parsing in worker processes (``polling.parse_processes``).

Two reasons to parse outside the polling threads: feedparser is pure Python, so with the GIL
the threads of a poll cycle cannot parse on more than one core; and a worker runs under an
address-space limit, so a document that still manages to blow up the parser (the entity check
runs first) kills a worker, not the service. A dead worker is replaced and that one feed gets
a FeedError; the other feeds do not notice.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import resource
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from monitor.errors import FeedError
from monitor.feeds import ParsedFeed, parse_feed

ParseFn = Callable[[bytes, Mapping[str, str], dt.datetime, str | None, int], ParsedFeed]


def _limit_memory(limit_bytes: int) -> None:
    if limit_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def _parse(content: bytes, headers: Mapping[str, str], fetched_at: dt.datetime, base_url: str | None,
           max_items: int) -> ParsedFeed:
    try:
        return parse_feed(content, headers, fetched_at=fetched_at, base_url=base_url, max_items=max_items)
    except MemoryError:
        raise FeedError("the feed needs more memory than a parser worker may use; refused") from None


class ParseWorkers:
    """A small process pool for ``parse_feed``; thread-safe; recreated after a worker dies."""

    def __init__(self, processes: int, *, memory_mb: int = 1024, target: ParseFn | None = None) -> None:
        self._target: ParseFn = target or _parse  # must be a module-level function (it is pickled)
        self._processes = max(1, processes)
        self._limit = memory_mb * 1024 * 1024
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self, processes: int) -> ProcessPoolExecutor:
        # forkserver: the polling process has threads, and fork() of a threaded process can copy
        # a held lock into the child. Workers fork from a server that has the parser imported
        # already, so a new pool starts in milliseconds, not a second.
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["monitor.parse_workers", self._target.__module__])
        return ProcessPoolExecutor(processes, mp_context=ctx, initializer=_limit_memory, initargs=(self._limit,))

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = self._new_pool(self._processes)
            return self._pool

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def parse(self, content: bytes, headers: Mapping[str, str] | None, *, fetched_at: dt.datetime,
              base_url: str | None = None, max_items: int = 500) -> ParsedFeed:
        args = (content, dict(headers or {}), fetched_at, base_url, max_items)
        pool = self._get()
        try:
            return pool.submit(self._target, *args).result()
        except (BrokenProcessPool, RuntimeError, OSError):
            # RuntimeError/OSError: another thread saw the pool break and shut it down between our
            # _get() and submit() ("cannot schedule new futures after shutdown", "handle is closed")
            self._discard(pool)
        # A worker that dies breaks every parse in flight in its pool, not only its own. Each of
        # them is retried alone, in a one-off worker: only the document that kills that one too
        # is refused, and it can no longer take other feeds down with it.
        alone = self._new_pool(1)
        try:
            return alone.submit(self._target, *args).result()
        except BrokenProcessPool:
            raise FeedError("the feed parser process died (memory limit or crash); the feed was refused") from None
        finally:
            alone.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ParseWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
