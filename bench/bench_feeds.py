"""A thousand feeds on 127.0.0.1, served from another process, for the poll and memory benchmarks.

Every feed serves a real RSS file from ``../shared/realdata/feeds`` (read in place, cycled over
the feeds) with an ETag, so a conditional GET is answered 304. ``change(share)`` switches a
share of the feeds to a new version: the same real document with one new item of its own in
front, under a new ETag. The server runs in a child process so its request handling does not
compete with the client under test for one interpreter's GIL.

The server is ``tests.support.feed_server.FeedServer`` (the one the poll tests use), driven
over a pipe.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.feed_server import REALDATA, FeedServer  # noqa: E402


def rss_files() -> list[Path]:
    """Real RSS documents with plain ``<item>`` elements (a new item can be put in front)."""
    out = []
    for p in sorted((REALDATA / "feeds").glob("*")):
        if not p.is_file():
            continue
        raw = p.read_bytes()
        if b"<rss" in raw[:4096] and raw.count(b"<item>") >= 1:
            out.append(p)
    if not out:
        raise SystemExit(f"no RSS files found in {REALDATA / 'feeds'}")
    return out


def new_item(feed: int, n: int, text: str | None = None) -> bytes:
    """One RSS item of our own words; unique per feed and version."""
    body = text or f"Meldung {n} des Testfeeds {feed}: Die Bundesregierung berät am Montag über den Haushalt."
    return (f"<item><title>Neue Meldung {feed}-{n}</title><guid isPermaLink=\"false\">bench-{feed}-{n}</guid>"
            f"<link>http://example.invalid/bench/{feed}/{n}</link><description>{body}</description>"
            f"<pubDate>{min(n, 28):02d} Sep 2025 10:00:00 +0200</pubDate></item>").encode()


def with_item(doc: bytes, item: bytes) -> bytes:
    i = doc.index(b"<item>")
    return doc[:i] + item + doc[i:]


def feed_path(i: int) -> str:
    return f"/feeds/{i:04d}.xml"


PLAIN_DOC = (b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Testfeed</title>'
             b'<link>http://example.invalid/</link><item><title>Wetter</title><guid>plain-0</guid>'
             b'<description>Am Wochenende bleibt es in ganz Deutschland trocken und mild.</description>'
             b'<pubDate>Mon, 01 Sep 2025 08:00:00 +0200</pubDate></item></channel></rss>')


def _serve(n: int, conn: Connection, plain: bool) -> None:
    docs = [PLAIN_DOC] if plain else [f.read_bytes() for f in rss_files()]
    version = [0] * n
    with FeedServer() as srv:
        def publish(i: int, body: bytes) -> None:
            srv.route(feed_path(i), body=body, etag=f'"v{version[i]}-{i}"',
                      content_type="application/rss+xml; charset=utf-8")

        for i in range(n):
            publish(i, docs[i % len(docs)])
        conn.send(srv.port)
        while True:
            cmd, arg = conn.recv()
            if cmd == "stop":
                conn.send("ok")
                return
            if cmd == "change":  # arg: list of (feed index, item text or None)
                for i, text in arg:
                    version[i] += 1
                    publish(i, with_item(docs[i % len(docs)], new_item(i, version[i], text)))
                conn.send("ok")
            elif cmd == "requests":
                with srv._lock:
                    conn.send([(r.path, r.time) for r in srv.log if r.path.startswith("/feeds/")])
            elif cmd == "clear":
                with srv._lock:
                    srv.log.clear()
                conn.send("ok")


@dataclass
class FeedFarm:
    """``with FeedFarm(1000) as farm: farm.urls ...; farm.change(0.3)``"""

    n: int
    seed: int = 7
    plain: bool = False  # one small document of our own words instead of the real feeds

    def __enter__(self) -> FeedFarm:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(self.n, child, self.plain), daemon=True)
        self._proc.start()
        self.port: int = self._conn.recv()
        self._rng = random.Random(self.seed)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._conn.send(("stop", None))
            self._conn.recv()
        finally:
            self._proc.join(5)
            if self._proc.is_alive():
                self._proc.kill()

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.port}{feed_path(i)}" for i in range(self.n)]

    def _call(self, cmd: str, arg: Any = None) -> Any:
        self._conn.send((cmd, arg))
        return self._conn.recv()

    def change(self, share: float) -> list[int]:
        """Give ``share`` of the feeds (drawn at random) a new item; return their indexes."""
        chosen = sorted(self._rng.sample(range(self.n), round(self.n * share)))
        self._call("change", [(i, None) for i in chosen])
        return chosen

    def publish(self, items: dict[int, str]) -> None:
        """Give the named feeds a new item with the given text."""
        self._call("change", sorted(items.items()))

    def requests(self) -> list[tuple[str, float]]:
        """(path, server monotonic time) of every feed request so far (same clock as this host)."""
        return list(self._call("requests"))

    def clear(self) -> None:
        self._call("clear")
