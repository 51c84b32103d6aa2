"""The monitor's error tree. Every error the service raises on purpose is one of these.

MonitorError                      base; ``str(err)`` is a message an operator can act on
├── ConfigError                   a config or topic file is invalid (carries file, line, field, fix)
├── ArticleFormatError            a dated-article file does not follow the format (file, line)
├── FetchError                    one HTTP fetch failed; per feed or page, never fatal for others
│   ├── FetchTimeout              connect/read timeout or total deadline exceeded
│   ├── FetchTooLarge             the decoded body passed the configured byte cap
│   ├── FetchStatusError          non-2xx/304 answer (``status``, ``retry_after`` seconds or None)
│   ├── FetchBlocked              the URL resolves to a private/loopback address that is not allowed
│   ├── FetchTLSError             certificate or TLS failure (final: not retried soon)
│   └── TooManyRedirects          more redirects than allowed, or a loop
├── FeedError                     feed bytes could not be turned into entries
│   └── FeedEntityError           the feed declares XML entities (refused before parsing)
├── ExtractError                  claim extraction could not run on an input (bad encoding, ...)
├── StoreError                    the database refused or is unreachable
│   └── AlreadyRunning            another daemon holds the SQLite database
├── ArchiveError                  an article file could not be written to the archive folder
└── DeliveryError                 an alert could not be delivered (see ``alerts.errors``)
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base of every error raised on purpose by the monitor."""


class ConfigError(MonitorError):
    """A configuration or topic file is invalid.

    The message names the file, the line, the field and the fix, e.g.
    ``config/monitor.yaml:12: feeds[2].interval: must be >= 30 seconds (got 5); fix: raise it``.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None, fix: str | None = None) -> None:
        self.file, self.line, self.field, self.fix = file, line, field, fix
        where = ""
        if file:
            where = f"{file}:{line}: " if line else f"{file}: "
        what = f"{field}: " if field else ""
        tail = f"; fix: {fix}" if fix else ""
        super().__init__(f"{where}{what}{message}{tail}")


class ArticleFormatError(MonitorError):
    """A dated-article file does not follow ../shared/spec/article-format.md."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file, self.line = file, line
        where = f"{file}:{line or 1}: " if file else ""
        super().__init__(f"{where}{message}")


class FetchError(MonitorError):
    """One HTTP fetch failed."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url = url
        super().__init__(f"{url}: {message}" if url else message)


class FetchTimeout(FetchError):
    """Connect/read timeout or the total deadline was exceeded."""


class FetchTooLarge(FetchError):
    """The decoded body passed the configured byte cap."""


class FetchStatusError(FetchError):
    """The server answered with a status that is not 2xx or 304."""

    def __init__(self, message: str, *, url: str | None = None, status: int = 0,
                 retry_after: float | None = None) -> None:
        self.status, self.retry_after = status, retry_after
        super().__init__(message, url=url)


class FetchBlocked(FetchError):
    """The URL resolves to a private or loopback address that the config does not allow."""


class FetchTLSError(FetchError):
    """Certificate or TLS failure; final for this attempt."""


class TooManyRedirects(FetchError):
    """More redirects than allowed, or a redirect loop."""


class FeedError(MonitorError):
    """Feed bytes could not be turned into entries."""


class FeedEntityError(FeedError):
    """The feed declares XML entities; refused before parsing (entity-expansion bombs)."""


class ExtractError(MonitorError):
    """Claim extraction could not run on an input."""


class StoreError(MonitorError):
    """The database refused a write or is unreachable."""


class AlreadyRunning(StoreError):
    """Another daemon already runs on this SQLite database."""


class ArchiveError(MonitorError):
    """An article file could not be written to the archive folder (the database still has it)."""


class DeliveryError(MonitorError):
    """An alert could not be delivered."""
