"""HTTP with limits: conditional GET, a byte cap on decoded bodies, manual redirects, an SSRF guard.

Every fetch of a feed or an article page goes through ``Fetcher.get``. The ``httpx.Client`` is
passed in (tests give it a real local server; the daemon shares one across threads).

Limits, all from ``HttpConfig``:
- connect and read timeouts per request, plus a total deadline for the whole fetch
  (redirects and a slowly trickling body included);
- a cap on *decoded* bytes: the body is read raw in small chunks and decompressed here with a
  bounded output size, so a gzip bomb stops at the cap without ever inflating in memory;
- at most ``max_redirects`` redirects, followed by hand so every hop is checked (scheme,
  address, loops);
- hosts that resolve to private, loopback, link-local or reserved addresses are refused unless
  ``allow_private`` is set: checked before each request (a clear error) and again at connect
  time by ``GuardedTransport`` (so a DNS answer that changes in between gains nothing).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from monitor import intervals
from monitor.config import HttpConfig
from monitor.errors import (
    FetchBlocked,
    FetchError,
    FetchStatusError,
    FetchTimeout,
    FetchTLSError,
    FetchTooLarge,
    TooManyRedirects,
)

_REDIRECTS = {301, 302, 303, 307, 308}
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

Resolver = Callable[[str, int], list[str]]
SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched body (decoded) or a 304."""

    url: str  # the final URL after redirects
    status: int  # 200..299 or 304
    content: bytes
    headers: dict[str, str]  # lower-case names; Content-Encoding/Length removed (body is decoded)
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def make_client(cfg: HttpConfig, *, transport: httpx.BaseTransport | None = None,
                resolver: Resolver | None = None) -> httpx.Client:
    """The shared client: certificate checks on, no automatic redirects, pool sized for concurrency.

    Unless ``http.allow_private`` is set, connections go through ``GuardedTransport``.
    """
    limits = httpx.Limits(max_connections=cfg.concurrency * 2, max_keepalive_connections=cfg.concurrency)
    if transport is None and not cfg.allow_private:
        transport = GuardedTransport(limits, resolver=resolver)
    return httpx.Client(
        headers={"User-Agent": cfg.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(connect=cfg.connect_timeout, read=cfg.read_timeout,
                              write=cfg.read_timeout, pool=cfg.total_timeout),
        limits=limits,
        follow_redirects=False,
        verify=True,
        transport=transport,
    )


def default_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from None
    return [str(info[4][0]) for info in infos]


def is_public_address(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself and connects only to an address it has checked.

    ``Fetcher`` checks a URL's host before each request; this closes the gap between that
    check and the connection (a DNS answer that changes in between: "DNS rebinding").
    """

    def __init__(self, resolver: Resolver, allow: Callable[[str], bool]) -> None:
        self._resolve = resolver
        self._allow = allow

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[SocketOption] | None = None) -> httpcore.NetworkStream:
        addrs = [host] if _is_ip(host) else self._resolve(host, port)
        for addr in addrs:
            if not self._allow(addr):
                raise FetchBlocked(f"{host} resolves to the private or loopback address {addr} at connect time; "
                                   "set http.allow_private: true to allow it")
        if not addrs:
            raise FetchError(f"cannot resolve host {host!r}")
        return super().connect_tcp(addrs[0], port, timeout=timeout, local_address=local_address,
                                   socket_options=socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with a connection pool whose every TCP connect goes through the guard."""

    def __init__(self, limits: httpx.Limits, *, resolver: Resolver | None = None,
                 allow: Callable[[str], bool] = is_public_address) -> None:
        super().__init__(limits=limits)
        # Same pool as the base class builds, plus the guarded network backend; TLS still
        # verifies the certificate against the host name, not the address connected to.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(resolver or default_resolver, allow))


class HostLimiter:
    """At most ``per_host`` requests in flight per host name (thread-safe, owned by one Fetcher)."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._lock = threading.Lock()
        self._sems: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            sem = self._sems.get(host)
            if sem is None:
                sem = self._sems[host] = threading.BoundedSemaphore(self._per_host)
        with sem:
            yield


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    return intervals.parse_retry_after(value, now or dt.datetime.now(dt.UTC))


class _Decoder:
    """Content-Encoding decoding with a bounded output size per step."""

    def __init__(self, encoding: str, url: str) -> None:
        enc = encoding.strip().lower()
        self._z: zlib._Decompress | None
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}", url=url)
        self._first = enc == "deflate"
        self._url = url

    def feed(self, chunk: bytes, room: int) -> Iterator[bytes]:
        """Yield decoded pieces; never more than ``room + 1`` bytes in all, so the cap is seen."""
        if self._z is None:
            yield chunk[: room + 1]
            return
        if self._first:
            self._first = False
            # Some servers send raw deflate without the zlib header.
            if chunk and (chunk[0] & 0x0F) != 8:
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        data = chunk
        while data or self._z.unconsumed_tail:
            try:
                out = self._z.decompress(data or self._z.unconsumed_tail, room + 1)
            except zlib.error as exc:
                raise FetchError(f"corrupt gzip/deflate body: {exc}", url=self._url) from None
            data = b""
            if not out:  # zlib wants more input; unconsumed_tail is only left when output was capped
                break
            yield out
            room -= len(out)
            if room < 0:
                return


class Fetcher:
    """Fetches under the configured limits. Thread-safe; share one per process."""

    def __init__(self, client: httpx.Client, cfg: HttpConfig, *, resolver: Resolver | None = None) -> None:
        self.client = client
        self.cfg = cfg
        self.limiter = HostLimiter(cfg.per_host)
        self._resolve = resolver or default_resolver

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = FEED_ACCEPT, max_bytes: int | None = None) -> FetchResult:
        """GET ``url``; a 304 comes back as a result, every failure as a ``FetchError``."""
        cap = max_bytes or self.cfg.max_bytes
        deadline = time.monotonic() + self.cfg.total_timeout
        seen: set[str] = set()
        current = url
        for _hop in range(self.cfg.max_redirects + 1):
            if current in seen:
                raise TooManyRedirects(f"redirect loop back to {current}", url=url)
            seen.add(current)
            self._check_target(current)
            headers = {"Accept": accept}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            result, location = self._one(current, headers, cap, deadline)
            if result is not None:
                return result
            assert location is not None
            current = location
        raise TooManyRedirects(f"more than {self.cfg.max_redirects} redirects", url=url)

    def _check_target(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchBlocked(f"scheme {parts.scheme!r} is not allowed (only http and https)", url=url)
        host = parts.hostname
        if not host:
            raise FetchError("URL has no host", url=url)
        if self.cfg.allow_private:
            return
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addrs = [host] if _is_ip(host) else self._resolve(host, port)
        except FetchError as exc:
            raise FetchError(str(exc), url=url) from None
        for addr in addrs:
            if not is_public_address(addr):
                raise FetchBlocked(f"{host} resolves to the private or loopback address {addr}; "
                                   "set http.allow_private: true to allow it", url=url)

    def _one(self, url: str, headers: Mapping[str, str], cap: int,
             deadline: float) -> tuple[FetchResult | None, str | None]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeout(f"total deadline of {self.cfg.total_timeout:g}s exceeded", url=url)
        timeout = httpx.Timeout(connect=min(self.cfg.connect_timeout, remaining),
                                read=min(self.cfg.read_timeout, remaining),
                                write=min(self.cfg.read_timeout, remaining), pool=remaining)
        host = urlsplit(url).hostname or ""
        with self.limiter.slot(host):
            try:
                with self.client.stream("GET", url, headers=dict(headers), timeout=timeout) as resp:
                    return self._handle(url, resp, cap, deadline)
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"timed out ({type(exc).__name__})", url=url) from None
            except httpx.TransportError as exc:
                if _is_tls_error(exc):
                    raise FetchTLSError(f"TLS failure: {exc}", url=url) from None
                raise FetchError(f"connection failed: {exc or type(exc).__name__}", url=url) from None
            except ssl.SSLError as exc:
                raise FetchTLSError(f"TLS failure: {exc}", url=url) from None

    def _handle(self, url: str, resp: httpx.Response, cap: int,
                deadline: float) -> tuple[FetchResult | None, str | None]:
        status = resp.status_code
        if status in _REDIRECTS:
            loc = resp.headers.get("location")
            if not loc:
                raise FetchError(f"redirect {status} without a Location header", url=url)
            return None, urljoin(url, loc.strip())
        hdrs = {k.lower(): v for k, v in resp.headers.items()}
        if status == 304:
            return FetchResult(url, 304, b"", _clean(hdrs), hdrs.get("etag"), hdrs.get("last-modified")), None
        if not 200 <= status < 300:
            retry = parse_retry_after(hdrs.get("retry-after")) if status in (429, 503) else None
            raise FetchStatusError(f"HTTP {status}", url=url, status=status, retry_after=retry)
        declared = hdrs.get("content-length", "")
        encoding = hdrs.get("content-encoding", "")
        if declared.isdigit() and not encoding and int(declared) > cap:
            raise FetchTooLarge(f"Content-Length {declared} exceeds the cap of {cap} bytes", url=url)
        decoder = _Decoder(encoding, url)
        parts: list[bytes] = []
        total = 0
        # no chunk size: httpx would buffer up to it, hiding a trickle from the deadline check
        for raw in resp.iter_raw():
            if time.monotonic() > deadline:
                raise FetchTimeout(f"total deadline of {self.cfg.total_timeout:g}s exceeded while reading",
                                   url=url)
            for piece in decoder.feed(raw, cap - total):
                total += len(piece)
                if total > cap:
                    raise FetchTooLarge(f"body exceeds the cap of {cap} decoded bytes", url=url)
                parts.append(piece)
        body = b"".join(parts)
        return FetchResult(str(resp.url), status, body, _clean(hdrs), hdrs.get("etag"),
                           hdrs.get("last-modified")), None


def _clean(headers: dict[str, str]) -> dict[str, str]:
    # The body handed on is already decoded; a parser that saw these would try again.
    return {k: v for k, v in headers.items() if k not in ("content-encoding", "content-length",
                                                           "transfer-encoding")}


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_tls_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLError | ssl.CertificateError):
            return True
        text = str(cur)
        if "CERTIFICATE_VERIFY_FAILED" in text or "SSL:" in text or "TLSV1_ALERT" in text:
            return True
        cur = cur.__cause__ or cur.__context__
    return False
