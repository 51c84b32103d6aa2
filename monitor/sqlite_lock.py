"""One daemon per SQLite file: an OS file lock next to the database.

SQLite has no row leases that several processes could share safely (no ``SKIP LOCKED``), so a
second ``monitor run`` on the same file would poll every feed twice and may send alerts twice.
The lock is ``flock`` on ``<db>.daemon.lock``: the kernel drops it when the process dies, even
by SIGKILL, so a crashed daemon never leaves a stale lock behind. The file records the holder's
pid for the error message; its content is informational only.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from sqlalchemy.engine import make_url

from monitor.errors import AlreadyRunning


def lock_path_for(url: str) -> Path | None:
    """The lock file for a SQLite URL; None for other databases and in-memory SQLite."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    db = Path(u.database).resolve()
    return db.with_name(db.name + ".daemon.lock")


class DaemonLock:
    """Holds the lock from :meth:`acquire` until :meth:`release` (or process exit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> DaemonLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (pid {holder})" if holder else ""
            db = self.path.name.removesuffix(".daemon.lock")
            raise AlreadyRunning(
                f"another monitor daemon{who} already runs on the SQLite database {db} "
                f"(lock file {self.path}); stop it first, or use PostgreSQL "
                "(database.url: postgresql+psycopg://...) to run several replicas") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DaemonLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        raw = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(raw) if raw.isdigit() else None


def lock_for(url: str) -> DaemonLock | None:
    """A (not yet acquired) lock for a SQLite URL, None where no lock is needed."""
    p = lock_path_for(url)
    return DaemonLock(p) if p else None
