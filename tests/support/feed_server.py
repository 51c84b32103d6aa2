"""A real HTTP server on 127.0.0.1 for feed and page tests.

It serves files in place from ``../shared/realdata`` under ``/realdata/<path>`` (third-party
data is never copied into the project) and scripted answers registered with ``route``: any
status, headers, ETag/Last-Modified handling (conditional GET answered 304), a delay before
the answer, a slowly trickled body, gzip on the fly, a raw pre-compressed body (for bombs).
Every request is logged (path and headers) so tests can check what the client sent.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REALDATA = (REPO / ".." / "shared" / "realdata").resolve()


@dataclass(slots=True)
class Route:
    status: int = 200
    body: bytes | None = None
    file: Path | None = None  # read at request time, in place
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 when If-None-Match matches
    last_modified: str | None = None  # answer 304 when If-Modified-Since matches exactly
    delay: float = 0.0  # seconds before the status line
    trickle: tuple[int, float] | None = None  # (bytes per write, seconds between writes)
    gzip: bool = False  # compress the body on the fly
    raw_encoding: str | None = None  # body is already encoded this way (e.g. a gzip bomb)
    body_fn: Callable[[], bytes] | None = None  # computed per request


class _QuietServer(ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog of 5 drops connects of a concurrent poller
    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client hung up on purpose (timeouts, byte caps)
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Logged:
    path: str
    headers: dict[str, str]
    time: float


class FeedServer:
    """``with FeedServer() as srv: srv.route('/a.xml', body=...); srv.url('/a.xml')``"""

    def __init__(self, realdata: Path = REALDATA) -> None:
        self.realdata = realdata
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self.log: list[Logged] = []
        self.in_flight = 0
        self.max_in_flight = 0  # most requests answered at the same moment
        self._server = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="feed-server", daemon=True)

    # -- lifecycle
    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, **kw: object) -> str:
        with self._lock:
            self._routes[path] = Route(**kw)  # type: ignore[arg-type]
        return self.url(path)

    def realdata_url(self, relpath: str) -> str:
        return self.url("/realdata/" + relpath)

    def requests_for(self, path: str) -> list[Logged]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    def _lookup(self, path: str) -> Route | None:
        with self._lock:
            r = self._routes.get(path)
        if r is not None:
            return r
        if path.startswith("/realdata/"):
            p = (self.realdata / path[len("/realdata/"):]).resolve()
            if p.is_file() and self.realdata in p.parents:
                ctype = "text/html; charset=utf-8" if p.suffix == ".html" else "application/xml"
                return Route(file=p, content_type=ctype)
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in separate writes; without this, Nagle's algorithm and
                # delayed ACKs add ~40 ms to every keep-alive answer.
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.log.append(Logged(self.path, {k.lower(): v for k, v in self.headers.items()},
                                             time.monotonic()))
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._answer(path)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self, path: str) -> None:
                route = server._lookup(path)
                if route is None:
                    self._send(404, b"not found", "text/plain", {})
                    return
                if route.delay:
                    time.sleep(route.delay)
                hdrs = dict(route.headers)
                if route.etag:
                    hdrs["ETag"] = route.etag
                if route.last_modified:
                    hdrs["Last-Modified"] = route.last_modified
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if route.status == 200 and ((route.etag and inm == route.etag)
                                            or (route.last_modified and ims == route.last_modified and not
                                                route.etag)):
                    self._send(304, b"", None, hdrs)
                    return
                if route.body_fn is not None:
                    body = route.body_fn()
                elif route.file is not None:
                    body = route.file.read_bytes()
                else:
                    body = route.body or b""
                if route.gzip:
                    body = gzip.compress(body)
                    hdrs["Content-Encoding"] = "gzip"
                if route.raw_encoding:
                    hdrs["Content-Encoding"] = route.raw_encoding
                self._send(route.status, body, route.content_type, hdrs, route.trickle)

            def _send(self, status: int, body: bytes, ctype: str | None, hdrs: dict[str, str],
                      trickle: tuple[int, float] | None = None) -> None:
                try:
                    self.send_response(status)
                    if ctype and status != 304:
                        self.send_header("Content-Type", ctype)
                    for k, v in hdrs.items():
                        self.send_header(k, v)
                    if status != 304:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if status == 304:
                        return
                    if trickle:
                        step, pause = trickle
                        for i in range(0, len(body), step):
                            self.wfile.write(body[i:i + step])
                            self.wfile.flush()
                            time.sleep(pause)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeouts, caps): expected in these tests

        return Handler


def gzip_bomb(decoded_bytes: int, chunk: int = 1 << 20) -> bytes:
    """A gzip stream that inflates to ``decoded_bytes`` zeros (about 1000:1)."""
    import zlib

    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(chunk)
    parts = [z.compress(zeros) for _ in range(decoded_bytes // chunk)]
    parts.append(z.flush())
    return b"".join(parts)


def entity_bomb(levels: int = 10) -> bytes:
    """A billion-laughs feed: each entity is ten of the one before."""
    decls = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        decls.append(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">')
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(decls) + "\n]>\n"
            '<rss version="2.0"><channel><title>bomb</title><item><title>&lol'
            f'{levels - 1};</title><guid>b1</guid></item></channel></rss>').encode()


def iter_feed_files(folder: str = "feeds") -> Iterator[Path]:
    yield from sorted((REALDATA / folder).glob("*.xml"))


def make_rss(items: list[dict[str, str]], title: str = "Testfeed") -> bytes:
    """An RSS 2.0 document the tests write themselves (keys: guid, title, link, description, pubDate)."""
    from xml.sax.saxutils import escape

    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
           f"<title>{escape(title)}</title><link>http://example.invalid/</link>"]
    for it in items:
        out.append("<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in it.items()) + "</item>")
    out.append("</channel></rss>")
    return "".join(out).encode("utf-8")
