"""Log lines: JSON in a container (no terminal), readable text on a terminal, as configured."""

from __future__ import annotations

import io
import json
import logging
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.logs import setup_logging


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture(autouse=True)
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def emit(monkeypatch: pytest.MonkeyPatch, *, tty: bool, fmt: str) -> str:
    stream = Stream(tty)
    monkeypatch.setattr(sys, "stderr", stream)
    setup_logging(fmt=fmt, context={"replica": "r7"})
    logging.getLogger("monitor.test").warning("feed %s failed", "tagesschau", extra={"ctx_feed": "tagesschau",
                                                                                      "ctx_token": "xoxb-1"})
    return stream.getvalue()


def test_auto_is_json_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    line = emit(monkeypatch, tty=False, fmt="auto").strip()
    doc = json.loads(line)
    assert doc["level"] == "warning" and doc["logger"] == "monitor.test" and doc["msg"] == "feed tagesschau failed"
    assert doc["replica"] == "r7" and doc["feed"] == "tagesschau"
    assert doc["token"] == "[redacted]"
    assert doc["ts"].endswith("Z")


def test_auto_is_text_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    out = emit(monkeypatch, tty=True, fmt="auto")
    assert "WARNING monitor.test: feed tagesschau failed" in out
    with pytest.raises(ValueError):
        json.loads(out)


def test_the_config_forces_either(monkeypatch: pytest.MonkeyPatch) -> None:
    assert json.loads(emit(monkeypatch, tty=True, fmt="json"))["msg"] == "feed tagesschau failed"
    assert "WARNING" in emit(monkeypatch, tty=False, fmt="text")


def test_auto_on_real_descriptors_pty_gives_text_pipe_gives_json(tmp_path: Path) -> None:
    code = ("import logging; from monitor.logs import setup_logging; setup_logging(); "
            "logging.getLogger('monitor.x').warning('hello from a terminal')")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=follower, stdout=follower,
                            env={**os.environ}, cwd=tmp_path)
    proc.wait(30)
    os.close(follower)
    out = os.read(leader, 4096).decode()
    os.close(leader)
    assert "WARNING monitor.x: hello from a terminal" in out
    piped = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert json.loads(piped.stderr)["msg"] == "hello from a terminal"
