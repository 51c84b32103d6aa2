"""monitor.fetch against a real HTTP server on 127.0.0.1: every limit and every failure class."""

from __future__ import annotations

import gzip
import ssl
import subprocess
import threading
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest

from monitor.errors import (
    FetchBlocked,
    FetchStatusError,
    FetchTimeout,
    FetchTLSError,
    FetchTooLarge,
    TooManyRedirects,
)
from monitor.fetch import Fetcher, GuardedTransport, is_public_address, make_client, parse_retry_after
from tests.poll.conftest import fetcher_for
from tests.support.feed_server import FeedServer, gzip_bomb

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def test_200_returns_body_headers_and_sends_user_agent(server: FeedServer, client: httpx.Client,
                                                        tmp_path: Path) -> None:
    url = server.route("/a.xml", body=FEED, etag='"e1"', last_modified="Sat, 21 Dec 2024 10:00:00 GMT")
    res = fetcher_for(client, tmp_path).get(url)
    assert res.status == 200 and res.content == FEED
    assert res.etag == '"e1"' and res.last_modified == "Sat, 21 Dec 2024 10:00:00 GMT"
    sent = server.requests_for("/a.xml")[0].headers
    assert sent["user-agent"].startswith("newswatch/")


def test_conditional_get_sends_validators_and_gets_304(server: FeedServer, client: httpx.Client,
                                                        tmp_path: Path) -> None:
    url = server.route("/a.xml", body=FEED, etag='"e1"')
    f = fetcher_for(client, tmp_path)
    res = f.get(url, etag='"e1"', last_modified="Sat, 21 Dec 2024 10:00:00 GMT")
    assert res.not_modified and res.content == b""
    sent = server.requests_for("/a.xml")[0].headers
    assert sent["if-none-match"] == '"e1"'
    assert sent["if-modified-since"] == "Sat, 21 Dec 2024 10:00:00 GMT"
    assert f.get(url, etag='"old"').status == 200


@pytest.mark.parametrize("status", [404, 500, 403])
def test_error_statuses_raise_status_error(server: FeedServer, client: httpx.Client, tmp_path: Path,
                                           status: int) -> None:
    url = server.route("/x", status=status, body=b"no")
    with pytest.raises(FetchStatusError) as ei:
        fetcher_for(client, tmp_path).get(url)
    assert ei.value.status == status and ei.value.retry_after is None


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_read_on_429_and_503(server: FeedServer, client: httpx.Client, tmp_path: Path,
                                            status: int) -> None:
    url = server.route("/x", status=status, headers={"Retry-After": "120"})
    with pytest.raises(FetchStatusError) as ei:
        fetcher_for(client, tmp_path).get(url)
    assert ei.value.status == status and ei.value.retry_after == 120.0


def test_retry_after_http_date() -> None:
    import datetime as dt

    now = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 12:05:00 GMT", now) == 300.0
    assert parse_retry_after("soon", now) is None


def test_server_too_slow_is_a_timeout(server: FeedServer, client: httpx.Client, tmp_path: Path) -> None:
    url = server.route("/slow", body=FEED, delay=1.5)
    with pytest.raises(FetchTimeout):
        fetcher_for(client, tmp_path, read_timeout=0.3).get(url)


def test_trickling_body_hits_the_total_deadline(server: FeedServer, client: httpx.Client, tmp_path: Path) -> None:
    # Each byte arrives well within the read timeout, but the whole body would take ~4 s.
    url = server.route("/trickle", body=b"x" * 40, trickle=(1, 0.1))
    with pytest.raises(FetchTimeout, match="deadline"):
        fetcher_for(client, tmp_path, read_timeout=1.0, total_timeout=0.8).get(url)


def test_oversized_declared_body_is_refused(server: FeedServer, client: httpx.Client, tmp_path: Path) -> None:
    url = server.route("/big", body=b"x" * 5000)
    with pytest.raises(FetchTooLarge):
        fetcher_for(client, tmp_path, max_bytes=4096).get(url)


def test_oversized_gzip_body_counts_decoded_bytes(server: FeedServer, client: httpx.Client,
                                                  tmp_path: Path) -> None:
    # 3 KB on the wire, 200 KB decoded: the cap is on what the parser would see.
    url = server.route("/gz", body=b"<rss>" + b" " * 200_000 + b"</rss>", gzip=True)
    with pytest.raises(FetchTooLarge):
        fetcher_for(client, tmp_path, max_bytes=100_000).get(url)
    assert fetcher_for(client, tmp_path, max_bytes=300_000).get(url).content.startswith(b"<rss>")


def test_gzip_bomb_stops_at_the_cap_in_little_memory(server: FeedServer, client: httpx.Client,
                                                     tmp_path: Path) -> None:
    bomb = gzip_bomb(256 << 20)  # ~260 KB compressed, 256 MiB decoded
    assert len(bomb) < 1_000_000
    url = server.route("/bomb", body=bomb, raw_encoding="gzip")
    tracemalloc.start()
    try:
        with pytest.raises(FetchTooLarge):
            fetcher_for(client, tmp_path, max_bytes=5_000_000).get(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000, f"peak {peak} bytes"


def test_deflate_and_gzip_decode(server: FeedServer, client: httpx.Client, tmp_path: Path) -> None:
    url = server.route("/gz", body=gzip.compress(FEED), raw_encoding="gzip")
    assert fetcher_for(client, tmp_path).get(url).content == FEED


def test_redirects_followed_up_to_the_limit(server: FeedServer, client: httpx.Client, tmp_path: Path) -> None:
    server.route("/r1", status=302, headers={"Location": "/r2"})
    server.route("/r2", status=301, headers={"Location": server.url("/r3")})
    server.route("/r3", status=307, headers={"Location": "/final"})
    server.route("/final", body=FEED)
    res = fetcher_for(client, tmp_path).get(server.url("/r1"))
    assert res.content == FEED and res.url.endswith("/final")
    server.route("/r0", status=302, headers={"Location": "/r1"})  # four hops
    with pytest.raises(TooManyRedirects):
        fetcher_for(client, tmp_path).get(server.url("/r0"))


def test_redirect_loop_is_refused(server: FeedServer, client: httpx.Client, tmp_path: Path) -> None:
    server.route("/loop1", status=302, headers={"Location": "/loop2"})
    server.route("/loop2", status=302, headers={"Location": "/loop1"})
    with pytest.raises(TooManyRedirects, match="loop"):
        fetcher_for(client, tmp_path).get(server.url("/loop1"))
    assert len(server.requests_for("/loop1")) == 1


def test_loopback_refused_unless_allowed(server: FeedServer, client: httpx.Client, tmp_path: Path) -> None:
    url = server.route("/a.xml", body=FEED)
    strict = fetcher_for(client, tmp_path, allow_private=False)
    with pytest.raises(FetchBlocked, match="allow_private"):
        strict.get(url)
    with pytest.raises(FetchBlocked):
        strict.get(f"http://localhost:{server.port}/a.xml")
    assert server.requests_for("/a.xml") == []  # refused before connecting
    assert fetcher_for(client, tmp_path, allow_private=True).get(url).content == FEED


def test_redirect_to_a_private_address_is_checked_per_hop(server: FeedServer, client: httpx.Client,
                                                          tmp_path: Path) -> None:
    # The injected resolver says the first host is public; the redirect target is loopback.
    server.route("/go", status=302, headers={"Location": f"http://127.0.0.1:{server.port}/inner"})
    server.route("/inner", body=FEED)
    cfg_fetcher = fetcher_for(client, tmp_path, allow_private=False)
    public = Fetcher(client, cfg_fetcher.cfg, resolver=lambda host, port: ["93.184.216.34"])
    with pytest.raises(FetchBlocked, match="127.0.0.1"):
        public.get(f"http://localhost:{server.port}/go")
    assert len(server.requests_for("/go")) == 1  # the first hop passed the (injected) check
    assert server.requests_for("/inner") == []


def test_non_http_schemes_are_refused(client: httpx.Client, tmp_path: Path) -> None:
    with pytest.raises(FetchBlocked):
        fetcher_for(client, tmp_path).get("file:///etc/passwd")


def test_public_address_classification() -> None:
    assert is_public_address("93.184.216.34")
    for private in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1",
                    "0.0.0.0", "fc00::1"):
        assert not is_public_address(private), private


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server with a self-signed certificate (not trusted by the client)."""
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True)

    class H(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()
            self.wfile.write(FEED)

        def log_message(self, *a: object) -> None:
            return

    class QuietServer(HTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            return  # the refused handshake is the point of the test

    httpd = QuietServer(("127.0.0.1", 0), H)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/feed.xml"
    httpd.shutdown()
    httpd.server_close()


def test_tls_failure_is_final(tls_server: str, client: httpx.Client, tmp_path: Path) -> None:
    with pytest.raises(FetchTLSError):
        fetcher_for(client, tmp_path).get(tls_server)


def test_connect_time_guard_blocks_a_host_that_now_resolves_to_loopback(server: FeedServer, tmp_path: Path) -> None:
    # DNS rebinding: the pre-request check saw a public address (injected resolver), the
    # connection would go to 127.0.0.1. The client of the default config refuses at connect time.
    url = server.route("/a.xml", body=FEED)
    cfg = fetcher_for(httpx.Client(), tmp_path, allow_private=False).cfg
    with make_client(cfg) as guarded:
        fetcher = Fetcher(guarded, cfg, resolver=lambda host, port: ["93.184.216.34"])
        with pytest.raises(FetchBlocked, match="connect time"):
            fetcher.get(f"http://localhost:{server.port}/a.xml")
    assert server.requests_for("/a.xml") == []
    assert url


def test_guarded_transport_connects_to_the_address_it_checked(server: FeedServer, tmp_path: Path) -> None:
    server.route("/a.xml", body=FEED)
    cfg = fetcher_for(httpx.Client(), tmp_path, allow_private=True).cfg
    seen: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        seen.append(host)
        return ["127.0.0.1"]

    transport = GuardedTransport(httpx.Limits(max_connections=4), resolver=resolve,
                                 allow=lambda addr: addr == "127.0.0.1")
    with make_client(cfg, transport=transport) as client:
        res = Fetcher(client, cfg).get(f"http://feeds.example.invalid:{server.port}/a.xml")
    assert res.content == FEED and seen == ["feeds.example.invalid"]
    assert server.requests_for("/a.xml")[0].headers["host"] == f"feeds.example.invalid:{server.port}"
    strict = GuardedTransport(httpx.Limits(max_connections=4), resolver=resolve, allow=lambda addr: False)
    with make_client(cfg, transport=strict) as client, pytest.raises(FetchBlocked):
        Fetcher(client, cfg).get(f"http://feeds.example.invalid:{server.port}/a.xml")
