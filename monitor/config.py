"""Operator configuration: ``config/monitor.yaml`` and the topic files it points at.

Every model forbids unknown keys, and every error names the file, the line, the field and
the fix. Environment variables override the file in the pydantic-settings style:
``MONITOR_DATABASE__URL``, ``MONITOR_SLACK__BASE_URL``, ``MONITOR_SLACK__DEFAULT_CHANNEL``...
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from monitor import yamlsrc
from monitor.errors import ConfigError

DEFAULT_CONFIG = Path("config/monitor.yaml")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(Strict):
    url: str = Field("sqlite:///./data/monitor.db",
                     description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db")
    pool_size: int = Field(5, ge=1, le=100, description="connections per process (PostgreSQL)")


class ArchiveConfig(Strict):
    enabled: bool = Field(True, description="write each new article version as NNN_<id>.txt")
    dir: str = Field("./data/archive", description="folder for the dated-article files")


class HttpConfig(Strict):
    user_agent: str = Field("newswatch/0.1 (+https://github.com/newswatch/newswatch)",
                            description="User-Agent sent with every request")
    connect_timeout: float = Field(5.0, gt=0, le=120, description="seconds to connect")
    read_timeout: float = Field(10.0, gt=0, le=300, description="seconds between bytes")
    total_timeout: float = Field(30.0, gt=0, le=600, description="deadline for one whole fetch")
    max_bytes: int = Field(5_000_000, ge=1024, description="cap on decoded body bytes")
    max_redirects: int = Field(3, ge=0, le=10, description="redirects followed at most")
    allow_private: bool = Field(False, description="allow URLs that resolve to private/loopback addresses")
    concurrency: int = Field(16, ge=1, le=512, description="fetches in flight at once")
    per_host: int = Field(2, ge=1, le=64, description="fetches in flight per host")


class FeedConfig(Strict):
    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="stable id, lowercase")
    url: str = Field(..., description="RSS/Atom URL")
    name: str | None = Field(None, description="outlet name shown in alerts")
    language: Literal["de", "en"] = Field("de", description="language of the feed's articles")
    interval: int = Field(300, ge=30, le=86400, description="seconds between polls (adapted within bounds)")
    full_text: bool = Field(True, description="fetch each item's page and extract its main text")
    topics: list[str] = Field(default_factory=list, description="topic ids to watch; empty means all")
    enabled: bool = Field(True, description="poll this feed")
    timezone: str = Field("Europe/Berlin", description="calendar for the article date")

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not v.lower().startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}; use an IANA name such as Europe/Berlin") from None
        return v


class PollingConfig(Strict):
    min_interval: int = Field(60, ge=10, description="adaptive interval lower bound, seconds")
    max_interval: int = Field(3600, ge=60, description="adaptive interval upper bound, seconds")
    jitter: float = Field(0.1, ge=0, le=0.5, description="random share added to each interval")
    backoff_max: int = Field(6 * 3600, ge=60, description="longest wait after repeated errors, seconds")
    lease_seconds: int = Field(120, ge=10, description="how long a replica holds a claimed feed")
    max_items_per_feed: int = Field(200, ge=1, le=5000, description="entries read from one feed document at most")
    max_pages_per_poll: int = Field(30, ge=1, le=1000,
                                    description="article pages fetched in one poll of a feed; the rest wait")
    parse_processes: int = Field(0, ge=0, le=64,
                                 description="feed parser worker processes (0: parse in the polling threads)")
    parse_memory_mb: int = Field(1024, ge=128, description="address-space limit of each parser worker, MB")


class SlackRoute(Strict):
    name: str = Field(..., description="route name, shown in logs")
    channel: str = Field(..., description="channel id or #name")
    topics: list[str] = Field(default_factory=list, description="match these topics (empty: any)")
    kinds: list[str] = Field(default_factory=list, description="match these claim kinds (empty: any)")
    subjects: list[str] = Field(default_factory=list, description="match these subjects (empty: any)")
    severities: list[Literal["high", "medium", "low"]] = Field(default_factory=list,
                                                               description="match these severities")
    types: list[str] = Field(default_factory=list, description="alert types: new, changed, contradicted, ...")
    mode: Literal["instant", "digest"] = Field("instant", description="post at once or in a digest")
    cron: str | None = Field(None, description="crontab for digests, e.g. '0 8,17 * * *'")

    @field_validator("cron")
    @classmethod
    def _crontab(cls, v: str | None) -> str | None:
        if v is not None:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(v)
            except ValueError as exc:
                raise ValueError(f"not a crontab ({exc}); use five fields, e.g. '0 8,17 * * *'") from None
        return v

    @model_validator(mode="after")
    def _digest_needs_cron(self) -> SlackRoute:
        if self.mode == "digest" and not self.cron:
            raise ValueError("a digest route needs a cron schedule, e.g. cron: '0 8,17 * * *'")
        return self


class SlackConfig(Strict):
    enabled: bool = Field(False, description="deliver alerts to Slack")
    base_url: str = Field("https://slack.com/api/", description="Web API base URL (tests point it at a stand-in)")
    token_env: str = Field("SLACK_BOT_TOKEN", description="environment variable that holds the bot token")
    webhook_url_env: str | None = Field(None, description="environment variable holding an incoming-webhook URL")
    default_channel: str | None = Field(None, description="channel for alerts no route matches")
    ops_channel: str | None = Field(None, description="channel for feed-health and config alerts")
    language: Literal["en", "de"] = Field("en", description="language of the alert's own words")
    routes: list[SlackRoute] = Field(default_factory=list, description="routing rules, first match wins")
    max_attempts: int = Field(8, ge=1, le=100, description="delivery attempts before dead-lettering")
    per_channel_per_second: float = Field(1.0, gt=0, le=10, description="message rate per channel")
    timeout: float = Field(10.0, gt=0, le=120, description="seconds per Slack API call")
    lease_seconds: int = Field(300, ge=10, le=3600,
                               description="how long a replica holds an alert it is sending (then others take over)")
    backoff_seconds: float = Field(5.0, gt=0, le=3600, description="first retry delay after a failed delivery")
    backoff_max_seconds: float = Field(900.0, gt=0, le=86400, description="longest delay between delivery retries")
    digest_timezone: str = Field("UTC", description="time zone of the digest cron schedules")
    ops_failing_polls: int = Field(5, ge=1, le=1000, description="ops alert when a feed fails this many polls in a row")
    ops_empty_polls: int = Field(3, ge=1, le=1000,
                                 description="ops alert when a feed's extracted text is empty this many polls in a row")


class ServerConfig(Strict):
    host: str = Field("127.0.0.1", description="address of /healthz, /readyz, /metrics")
    port: int = Field(8080, ge=0, le=65535, description="port (0: no HTTP endpoint)")


class SchedulerConfig(Strict):
    tick_seconds: int = Field(5, ge=1, le=300, description="how often due feeds are claimed")
    dispatch_seconds: int = Field(2, ge=1, le=300, description="how often the outbox is drained")
    misfire_grace_time: int = Field(30, ge=1, description="seconds a late job may still run")
    retention_days: int = Field(90, ge=1, description="old article versions kept this many days")


class LoggingConfig(Strict):
    format: Literal["auto", "json", "text"] = Field("auto", description="json in a container, text on a terminal")
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="log level")


class MonitorConfig(BaseSettings):
    """The whole of monitor.yaml."""

    model_config = SettingsConfigDict(env_prefix="MONITOR_", env_nested_delimiter="__", extra="forbid",
                                      frozen=True)

    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    archive: ArchiveConfig = Field(default_factory=ArchiveConfig)
    http: HttpConfig = Field(default_factory=HttpConfig)
    polling: PollingConfig = Field(default_factory=PollingConfig)
    feeds: list[FeedConfig] = Field(default_factory=list)
    topics_dir: str = Field("topics", description="folder of topic files, relative to this file")
    slack: SlackConfig = Field(default_factory=SlackConfig)
    server: ServerConfig = Field(default_factory=ServerConfig)
    scheduler: SchedulerConfig = Field(default_factory=SchedulerConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment wins over the file, as operators expect from container settings.
        return (env_settings, init_settings)

    @field_validator("feeds")
    @classmethod
    def _unique_ids(cls, feeds: list[FeedConfig]) -> list[FeedConfig]:
        seen: set[str] = set()
        for f in feeds:
            if f.id in seen:
                raise ValueError(f"feed id {f.id!r} is used twice")
            seen.add(f.id)
        return feeds


class LoadedConfig:
    """A validated config plus where it came from."""

    def __init__(self, config: MonitorConfig, path: Path | None) -> None:
        self.config = config
        self.path = path

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @property
    def topics_dir(self) -> Path:
        p = Path(self.config.topics_dir)
        return p if p.is_absolute() else self.base_dir / p


_FIXES = {
    "extra_forbidden": "remove the key or check its spelling",
    "missing": "add the field",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use lowercase letters, digits, '-', '_' or '.'",
    "greater_than_equal": "raise the value",
    "less_than_equal": "lower the value",
    "greater_than": "raise the value",
    "less_than": "lower the value",
    "bool_parsing": "use true or false",
    "int_parsing": "use a whole number",
    "float_parsing": "use a number",
}


def validation_to_config_error(exc: ValidationError, file: str, lines: dict[yamlsrc.Loc, int]) -> ConfigError:
    """The first validation error as a ConfigError with file, line, field and fix."""
    errors = exc.errors()
    first = errors[0]
    loc = tuple(first["loc"])
    extra = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return ConfigError(first["msg"] + extra, file=file, line=yamlsrc.line_for(lines, loc),
                       field=yamlsrc.dotted(loc) or None, fix=_FIXES.get(first["type"], "correct the value"))


def resolve_path(explicit: str | Path | None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("MONITOR_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG


def load_config(path: str | Path | None = None, *, required: bool = False) -> LoadedConfig:
    """Load and validate monitor.yaml (``--config``, else ``MONITOR_CONFIG``, else the default)."""
    p = resolve_path(path)
    if not p.exists():
        if required or path is not None or os.environ.get("MONITOR_CONFIG"):
            raise ConfigError("file not found", file=str(p), fix="pass an existing file with --config")
        return LoadedConfig(MonitorConfig(), None)
    data, lines = yamlsrc.load(p)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a mapping of sections", file=str(p), line=1,
                          fix="start with keys such as 'database:' and 'feeds:'")
    try:
        cfg = MonitorConfig(**data)
    except ValidationError as exc:
        raise validation_to_config_error(exc, str(p), lines) from None
    return LoadedConfig(cfg, p)


def summarize(cfg: LoadedConfig) -> dict[str, Any]:
    c = cfg.config
    return {
        "config": str(cfg.path) if cfg.path else "(defaults)",
        "database": c.database.url.split("@")[-1] if "@" in c.database.url else c.database.url,
        "feeds": len(c.feeds),
        "feeds_enabled": sum(f.enabled for f in c.feeds),
        "topics_dir": str(cfg.topics_dir),
        "slack": "on" if c.slack.enabled else "off",
        "routes": len(c.slack.routes),
    }
