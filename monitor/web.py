"""The operator endpoint: ``/healthz``, ``/readyz`` and ``/metrics`` on ``server.host:port``.

- ``/healthz``: 200 while the process serves HTTP at all (the container HEALTHCHECK; a wedged
  process stops answering and gets restarted).
- ``/readyz``: 200 only when every readiness check passes (database reachable, scheduler
  running, last tick recent), else 503; the body lists each check as JSON either way.
- ``/metrics``: Prometheus text format (``monitor.metrics.REGISTRY``).

A small ``ThreadingHTTPServer`` in a daemon thread: the endpoint must keep answering while the
scheduler's threads are busy, and it must not pull in a web framework.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST

from monitor import metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Check:
    """One readiness check's answer."""

    ok: bool
    detail: str = ""


ReadinessProbe = Callable[[], dict[str, Check]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            self._send(200, b"ok\n", "text/plain; charset=utf-8")
        elif path == "/readyz":
            checks = self.server.readiness()
            ready = all(c.ok for c in checks.values())
            body = json.dumps({"ready": ready,
                               "checks": {k: {"ok": c.ok, "detail": c.detail} for k, c in checks.items()}})
            self._send(200 if ready else 503, body.encode() + b"\n", "application/json")
        elif path == "/metrics":
            self._send(200, metrics.render(), CONTENT_TYPE_LATEST)
        else:
            self._send(404, b"not found\n", "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        # Probes hit these paths every few seconds: keep them out of the log.
        log.debug("http %s", format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], readiness: ReadinessProbe) -> None:
        self.readiness = readiness
        super().__init__(addr, _Handler)


class HealthServer:
    """Serves the three paths until :meth:`stop`."""

    def __init__(self, host: str, port: int, readiness: ReadinessProbe) -> None:
        self._server = _Server((host, port), readiness)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="monitor-http", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def start(self) -> HealthServer:
        self._thread.start()
        log.info("health endpoint on http://%s:%d (/healthz /readyz /metrics)", *self.address)
        return self

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() would wait forever for a loop never started
            self._server.shutdown()
        self._server.server_close()
