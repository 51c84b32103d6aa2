"""Hot reload: notice edited config and topic files, validate them, hand a valid set over.

Watching is by polling modification times (``st_mtime_ns``, size and inode of monitor.yaml and
of every ``*.yaml`` in the topics folder): it works on every filesystem, including
the bind mounts and ConfigMaps of containers, where inotify often sees nothing.

A change is applied only when the whole new set validates: monitor.yaml *and* all topic files.
An invalid file keeps the running configuration; the error (file:line, field and fix, from
``ConfigError``) is logged and handed to ``on_reject`` (the daemon enqueues an ops alert). The
same broken state is reported once, not on every poll; the next edit is looked at again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from monitor import metrics
from monitor.config import LoadedConfig, load_config
from monitor.errors import ConfigError

log = logging.getLogger(__name__)

FileStamp = tuple[int, int, int]  # mtime_ns, size, inode
Snapshot = dict[str, FileStamp]
TopicsLoader = Callable[[Path], object]


def watched_files(config_path: Path, topics_dir: Path) -> list[Path]:
    files = [config_path]
    if topics_dir.is_dir():
        # The same files monitor.topics.load_topics reads.
        files += sorted(p for p in topics_dir.glob("*.yaml") if p.is_file())
    return files


def snapshot(config_path: Path, topics_dir: Path) -> Snapshot:
    """The stamps of every watched file; a file that vanished between listing and stat is left out."""
    out: Snapshot = {}
    for p in watched_files(config_path, topics_dir):
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        out[str(p)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return out


def changed_files(old: Snapshot, new: Snapshot) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


@dataclass(frozen=True, slots=True)
class Reloaded:
    """A new configuration that validated, and the files whose change triggered it."""

    loaded: LoadedConfig
    topics: object | None
    files: list[str] = field(default_factory=list)


class Reloader:
    """Call :meth:`poll` periodically; it returns a :class:`Reloaded` when a valid change landed."""

    def __init__(self, loaded: LoadedConfig, *, load_topics: TopicsLoader | None = None,
                 on_reject: Callable[[ConfigError, list[str]], None] | None = None) -> None:
        if loaded.path is None:
            raise ConfigError("hot reload needs a config file", fix="start with --config FILE")
        self._path = loaded.path
        self._topics_dir = loaded.topics_dir
        self._load_topics = load_topics
        self._on_reject = on_reject
        self._seen = snapshot(self._path, self._topics_dir)

    def poll(self) -> Reloaded | None:
        now = snapshot(self._path, self._topics_dir)
        files = changed_files(self._seen, now)
        if not files:
            return None
        self._seen = now
        try:
            loaded = load_config(self._path, required=True)
            topics = self._load_topics(loaded.topics_dir) if self._load_topics else None
        except ConfigError as exc:
            metrics.RELOADS.labels(result="rejected").inc()
            log.error("config change rejected, the running configuration stays in force: %s", exc)
            if self._on_reject:
                self._on_reject(exc, files)
            return None
        if loaded.topics_dir != self._topics_dir:
            # monitor.yaml now points at another topics folder: watch that one from here on.
            self._topics_dir = loaded.topics_dir
            self._seen = snapshot(self._path, self._topics_dir)
        metrics.RELOADS.labels(result="applied").inc()
        log.info("config change applied without restart (%s)", ", ".join(Path(f).name for f in files))
        return Reloaded(loaded=loaded, topics=topics, files=files)
