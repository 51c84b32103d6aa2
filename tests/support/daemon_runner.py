"""Run ``monitor run`` as a real subprocess for daemon tests: config file, free port, readiness
waits, signals, and its log captured to a file (so a failing test can show it).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
TOPICS = REPO / "config" / "topics"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(path: Path, *, db_url: str, feeds: list[dict[str, Any]], port: int,
                 topics_dir: Path = TOPICS, extra: dict[str, Any] | None = None) -> Path:
    cfg: dict[str, Any] = {
        "database": {"url": db_url},
        "archive": {"enabled": False, "dir": str(path.parent / "archive")},
        "http": {"allow_private": True, "connect_timeout": 2, "read_timeout": 3, "total_timeout": 5},
        "polling": {"min_interval": 10, "max_interval": 120, "lease_seconds": 10, "jitter": 0.0},
        "scheduler": {"tick_seconds": 1, "dispatch_seconds": 1, "misfire_grace_time": 5},
        "server": {"host": "127.0.0.1", "port": port},
        "logging": {"format": "json", "level": "INFO"},
        "topics_dir": str(topics_dir),
        "feeds": feeds,
    }
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(cfg.get(key), dict):
            cfg[key] = {**cfg[key], **value}
        else:
            cfg[key] = value
    path.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def wait_until(pred: Callable[[], bool], timeout: float, step: float = 0.1, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class Daemon:
    """One ``monitor run`` process."""

    def __init__(self, config: Path, port: int, *, replica: str = "r1", env: dict[str, str] | None = None,
                 log_path: Path | None = None) -> None:
        self.config, self.port, self.replica = config, port, replica
        self.log_path = log_path or config.with_name(f"{replica}.log")
        full_env = {**os.environ, "MONITOR_REPLICA_ID": replica, **(env or {})}
        full_env.pop("MONITOR_CONFIG", None)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in wait/kill)
        self.proc = subprocess.Popen([sys.executable, "-m", "monitor.cli", "run", "--config", str(config)],
                                     cwd=str(config.parent), env=full_env, stdout=self._log,
                                     stderr=subprocess.STDOUT)

    # --- HTTP -------------------------------------------------------------------------------

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except OSError:
            return 0, ""

    def ready(self) -> bool:
        return self.get("/readyz")[0] == 200

    def readiness(self) -> dict[str, Any]:
        status, body = self.get("/readyz")
        return json.loads(body) if body else {"status": status}

    def wait_ready(self, timeout: float = 30) -> Daemon:
        def ok() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"daemon {self.replica} exited with {self.proc.returncode}:\n{self.log()}")
            return self.ready()
        wait_until(ok, timeout, what=f"{self.replica} /readyz")
        return self

    # --- signals ----------------------------------------------------------------------------

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 10) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._log.close()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_records(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log().splitlines():
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    continue
        return out
