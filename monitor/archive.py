"""The archive folder: each new article version as ``NNN_<id>.txt``, written atomically.

A reader never sees a half-written file: the text goes to a temporary file in the same folder,
is flushed to disk, and is renamed over the final name. A newer version of an item replaces
its file (the name is stable per item; the database keeps every version).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from monitor import article as fmt
from monitor.errors import ArchiveError


def write_article(folder: Path, seq: int, article_id: str, text: str) -> Path:
    """Write one dated article; raise ArchiveError (with the path and the OS reason) on failure."""
    target = folder / fmt.file_name(seq, article_id)
    tmp_name: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{article_id}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}; check that the archive "
                           "folder exists, is writable and has free space") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return target
