"""Logging set-up: JSON lines in a container (no TTY), readable lines on a terminal."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

_SECRET_KEYS = ("token", "authorization", "password", "secret")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for k, v in record.__dict__.items():
            if k.startswith("ctx_"):
                name = k[4:]
                out[name] = "[redacted]" if any(s in name.lower() for s in _SECRET_KEYS) else v
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class _Context(logging.Filter):
    """Adds fixed fields (``ctx_<name>``) to every record, e.g. the replica id of a daemon."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__()
        self.fields = fields

    def filter(self, record: logging.LogRecord) -> bool:
        for k, v in self.fields.items():
            setattr(record, f"ctx_{k}", v)
        return True


def setup_logging(*, verbose: bool = False, fmt: str = "auto", level: str = "INFO",
                  context: dict[str, str] | None = None) -> None:
    """Log to stderr: JSON lines when ``fmt`` is json, or auto and stderr is no terminal (a
    container, a pipe); readable lines otherwise. ``context`` fields go into every JSON line."""
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    if use_json:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    if context:
        handler.addFilter(_Context(context))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else getattr(logging, level, logging.INFO))
    for noisy in ("httpx", "httpcore", "trafilatura", "apscheduler", "htmldate", "courlan"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # "skipped: maximum number of running instances reached" is how max_instances=1 works (a tick
    # that runs longer than its period), not a problem; misfires still log from the executors.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
