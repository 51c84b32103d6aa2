"""``monitor demo``: the whole service, offline, in about a minute.

A local HTTP server (127.0.0.1, a random port) serves RSS feeds and article pages built from
the project's example articles (``examples/articles``) and releases them step by step, as the
timeline in ``examples/demo.yaml`` says. The daemon's own stages poll those feeds (with
``allow_private`` for loopback) into a temporary SQLite database, extract claims, diff them
against beliefs and deliver the alerts: rendered in the terminal as Slack would show them, and
also to Slack (or a Slack stand-in) when ``SLACK_BOT_TOKEN`` and
``MONITOR_SLACK__DEFAULT_CHANNEL`` (and optionally ``MONITOR_SLACK__BASE_URL``) are set.

Time is compressed: each step advances a simulated clock by an hour, so every feed is due
again at the next step; between steps the demo pauses ``--step-seconds`` so a reader can
follow. A newcomer sees baselining, a front change, a summit outcome, a corroboration and a
contradiction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor import article as fmt
from monitor.config import (
    ArchiveConfig,
    DatabaseConfig,
    FeedConfig,
    HttpConfig,
    LoadedConfig,
    MonitorConfig,
    PollingConfig,
)
from monitor.daemon_stages import Stages
from monitor.errors import ConfigError
from monitor.store import migrate
from monitor.store.engine import make_engine
from monitor.store.tables import AlertRow, ArticleRow, BeliefRow

log = logging.getLogger(__name__)

BERLIN = ZoneInfo("Europe/Berlin")
STEP = dt.timedelta(hours=1)  # simulated time per step: more than any demo feed's interval
WIDTH = 96  # as the console rendering of alerts


def default_examples_dir() -> Path:
    """``examples/`` of the source tree (the demo runs from a clone)."""
    return Path(__file__).resolve().parents[1] / "examples"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One example article as the demo serves it."""

    slug: str
    feed: str
    date: dt.date
    title: str
    paragraphs: tuple[str, ...]
    order: int  # position in the timeline: later items get later publication times

    @property
    def published(self) -> dt.datetime:
        # Mid-morning Berlin time, a minute apart in timeline order: items of one day keep their order.
        local = dt.datetime.combine(self.date, dt.time(10, 0), BERLIN) + dt.timedelta(minutes=self.order)
        return local.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class DemoStep:
    title: str
    note: str
    release: tuple[DemoArticle, ...]
    expect: str = ""  # what the reader should see; shown after the step


@dataclass(frozen=True, slots=True)
class DemoFeed:
    id: str
    name: str
    language: str


@dataclass(frozen=True, slots=True)
class Timeline:
    feeds: tuple[DemoFeed, ...]
    steps: tuple[DemoStep, ...]


def load_timeline(examples: Path) -> Timeline:
    """Read ``demo.yaml`` and the article files it names; a wrong entry is a ConfigError."""
    path = examples / "demo.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("demo timeline not found", file=str(path),
                          fix="run from a clone of the project, or pass --examples DIR") from None
    feeds = tuple(DemoFeed(id=f["id"], name=f["name"], language=f["language"]) for f in doc["feeds"])
    known = {f.id for f in feeds}
    steps: list[DemoStep] = []
    order = 0
    for i, s in enumerate(doc["steps"]):
        items: list[DemoArticle] = []
        for feed_id, files in (s.get("release") or {}).items():
            if feed_id not in known:
                raise ConfigError(f"unknown feed {feed_id!r}", file=str(path), field=f"steps[{i}].release",
                                  fix=f"use one of {sorted(known)}")
            for name in files:
                dated = fmt.read_file(examples / "articles" / name)
                paras = dated.body.split("\n\n")
                items.append(DemoArticle(slug=Path(name).stem, feed=feed_id, date=dated.date, title=paras[0],
                                         paragraphs=tuple(paras[1:]), order=order))
                order += 1
        steps.append(DemoStep(title=s["title"], note=" ".join(str(s.get("note", "")).split()),
                              release=tuple(items), expect=" ".join(str(s.get("expect", "")).split())))
    return Timeline(feeds=feeds, steps=tuple(steps))


# --- the local news site ---------------------------------------------------------------------


class NewsSite:
    """Feeds and pages of the released articles, with ETag/304 like a real publisher."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._released: list[DemoArticle] = []
        self._lock = threading.Lock()
        self.requests: list[tuple[str, int]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-site", daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def feed_url(self, feed_id: str) -> str:
        return f"{self.base}/feeds/{feed_id}.xml"

    def release(self, items: tuple[DemoArticle, ...]) -> None:
        with self._lock:
            self._released.extend(items)

    def __enter__(self) -> NewsSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def rss(self, feed: DemoFeed) -> bytes:
        with self._lock:
            items = [a for a in self._released if a.feed == feed.id]
        parts = []
        for a in sorted(items, key=lambda a: a.published, reverse=True):
            link = f"{self.base}/articles/{a.slug}.html"
            body = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
            parts.append(
                f"<item><title>{html.escape(a.title)}</title><link>{link}</link>"
                f"<guid isPermaLink=\"false\">demo:{a.slug}</guid>"
                f"<pubDate>{format_datetime(a.published.astimezone(BERLIN))}</pubDate>"
                f"<description>{html.escape(body)}</description></item>")
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                f"<title>{html.escape(feed.name)}</title><link>{self.base}/</link>"
                f"<description>newswatch demo feed</description><language>{feed.language}</language>"
                f"<ttl>5</ttl>{''.join(parts)}</channel></rss>").encode()

    def page(self, slug: str) -> bytes | None:
        with self._lock:
            found = next((a for a in self._released if a.slug == slug), None)
        if found is None:
            return None
        feed = next(f for f in self.timeline.feeds if f.id == found.feed)
        paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in found.paragraphs)
        return (f'<!DOCTYPE html><html lang="{feed.language}"><head><meta charset="utf-8">'
                f"<title>{html.escape(found.title)} | {html.escape(feed.name)}</title></head><body>"
                f"<header><nav><a href=\"/\">{html.escape(feed.name)}</a></nav></header>"
                f"<main><article><h1>{html.escape(found.title)}</h1>"
                f"<p class=\"dateline\"><time datetime=\"{found.date.isoformat()}\">{found.date.isoformat()}</time></p>\n"
                f"{paras}</article></main><footer>newswatch demo</footer></body></html>").encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = self.path.split("?", 1)[0]
                body: bytes | None = None
                ctype = "text/plain"
                if path.startswith("/feeds/") and path.endswith(".xml"):
                    feed = next((f for f in site.timeline.feeds if f.id == path[7:-4]), None)
                    if feed is not None:
                        body, ctype = site.rss(feed), "application/rss+xml; charset=utf-8"
                elif path.startswith("/articles/") and path.endswith(".html"):
                    body, ctype = site.page(path[10:-5]), "text/html; charset=utf-8"
                if body is None:
                    self._answer(404, b"not found", "text/plain", None)
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._answer(304, b"", ctype, etag)
                    return
                self._answer(200, body, ctype, etag)

            def _answer(self, status: int, body: bytes, ctype: str, etag: str | None) -> None:
                with site._lock:
                    site.requests.append((self.path, status))
                self.send_response(status)
                if status != 304:
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

        return Handler


# --- running it ------------------------------------------------------------------------------


@dataclass(slots=True)
class StepResult:
    title: str
    polled: int = 0
    not_modified: int = 0
    new_items: int = 0
    baseline_feeds: int = 0
    alerts: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class DemoResult:
    steps: list[StepResult] = field(default_factory=list)
    db_url: str = ""
    workdir: Path | None = None


class _Clock:
    """The demo's compressed time: real time plus whole simulated hours per step."""

    def __init__(self) -> None:
        self._offset = dt.timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            return dt.datetime.now(dt.UTC) + self._offset

    def advance(self, by: dt.timedelta) -> None:
        with self._lock:
            self._offset += by


@contextmanager
def _workdir(path: Path | None) -> Iterator[Path]:
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="newswatch-demo-") as tmp:
        yield Path(tmp)


def demo_config(site: NewsSite, timeline: Timeline, work: Path, topics_dir: Path) -> LoadedConfig:
    """A config for the local site; Slack settings still come from the environment."""
    # Slack and logging settings come from the environment (MONITOR_SLACK__*); everything about
    # where data goes is the demo's own, whatever MONITOR_DATABASE__URL etc. say.
    cfg = MonitorConfig().model_copy(update={
        "database": DatabaseConfig.model_validate({"url": f"sqlite:///{work / 'demo.db'}"}),
        "archive": ArchiveConfig.model_validate({"enabled": True, "dir": str(work / "archive")}),
        "http": HttpConfig.model_validate({"allow_private": True, "concurrency": 4, "per_host": 4}),
        "polling": PollingConfig.model_validate({"min_interval": 60, "max_interval": 600, "jitter": 0.0}),
        "feeds": [FeedConfig.model_validate({"id": f.id, "url": site.feed_url(f.id), "name": f.name,
                                             "language": f.language, "interval": 300, "full_text": True})
                  for f in timeline.feeds],
        "topics_dir": str(topics_dir),
    })
    return LoadedConfig(cfg, None)


def run_demo(out: TextIO, *, examples: Path | None = None, step_seconds: float = 4.0,
             workdir: Path | None = None, topics_dir: Path | None = None) -> DemoResult:
    from monitor.topics import default_topics_dir

    timeline = load_timeline(examples or default_examples_dir())
    result = DemoResult()
    clock = _Clock()
    stopping = threading.Event()
    with _workdir(workdir) as work, NewsSite(timeline) as site:
        loaded = demo_config(site, timeline, work, topics_dir or default_topics_dir())
        result.db_url, result.workdir = loaded.config.database.url, work
        say(out, f"newswatch demo: {len(timeline.feeds)} feeds on a local news site at {site.base}, "
                 f"{sum(len(s.release) for s in timeline.steps)} articles over {len(timeline.steps)} steps")
        say(out, f"database {work / 'demo.db'} (temporary unless --workdir is given)")
        engine = make_engine(loaded.config.database.url)
        try:
            migrate.upgrade(engine)
            stages = Stages(engine, owner="demo", console_stream=out)
            stages.load_topics(loaded)
            stages.sync_feeds(loaded)
            stages.configure_delivery(loaded)
            client = stages.make_client(loaded)
            try:
                for n, step in enumerate(timeline.steps, 1):
                    if n > 1 and step_seconds > 0:
                        time.sleep(step_seconds)
                    clock.advance(STEP)
                    res = _step(out, n, len(timeline.steps), step, site, stages, loaded, client, clock,
                                stopping, engine)
                    result.steps.append(res)
            finally:
                client.close()
            _summary(out, engine, result)
        finally:
            engine.dispose()
    return result


def _step(out: TextIO, n: int, total: int, step: DemoStep, site: NewsSite, stages: Stages,
          loaded: LoadedConfig, client: Any, clock: _Clock, stopping: threading.Event,
          engine: Any) -> StepResult:
    say(out, "")
    say(out, f"━━ step {n}/{total}: {step.title}")
    if step.note:
        say(out, textwrap.fill(step.note, WIDTH, initial_indent="   ", subsequent_indent="   "))
    site.release(step.release)
    for a in step.release:
        name = next(f.name for f in site.timeline.feeds if f.id == a.feed)
        say(out, f"   + {name} publishes ({a.date.isoformat()}): {textwrap.shorten(a.title, 70, placeholder=' …')}")
    before = _alert_ids(engine)
    report = stages.poll(loaded, client, clock, stopping)
    res = StepResult(title=step.title, polled=len(report.results), not_modified=report.not_modified,
                     new_items=report.new_items, baseline_feeds=sum(r.baseline for r in report.results))
    errors = [r for r in report.results if r.outcome == "error"]
    say(out, f"   polled {res.polled} feeds: {res.not_modified} not modified (304), {res.new_items} new items"
             + (f", {res.baseline_feeds} first polls stored as baseline (no alerts)" if res.baseline_feeds else "")
             + (f", {len(errors)} errors" if errors else ""))
    for r in errors:
        say(out, f"   ! {r.feed_id}: {r.error}")
    stages.dispatch(loaded, clock())
    res.alerts = _new_alerts(engine, before)
    summary = ", ".join(f"{v} {k}" for k, v in sorted(res.alerts.items())) or "none"
    say(out, f"   alerts raised in this step: {summary}")
    if step.expect:
        say(out, textwrap.fill(step.expect, WIDTH, initial_indent="   → ", subsequent_indent="     "))
    return res


def _alert_ids(engine: Any) -> set[int]:
    with Session(engine) as s:
        return set(s.scalars(select(AlertRow.id)))


def _new_alerts(engine: Any, before: set[int]) -> dict[str, int]:
    with Session(engine) as s:
        rows = s.execute(select(AlertRow.id, AlertRow.type)).all()
    out: dict[str, int] = {}
    for i, t in rows:
        if i not in before:
            out[t] = out.get(t, 0) + 1
    return out


def _summary(out: TextIO, engine: Any, result: DemoResult) -> None:
    with Session(engine) as s:
        articles = s.scalar(select(func.count()).select_from(ArticleRow)) or 0
        beliefs = s.scalar(select(func.count()).select_from(BeliefRow)) or 0
        by_type = dict(s.execute(select(AlertRow.type, func.count()).group_by(AlertRow.type)).all())
    say(out, "")
    say(out, f"━━ done: {articles} articles stored, {beliefs} beliefs, alerts: "
             + (", ".join(f"{v} {k}" for k, v in sorted(by_type.items())) or "none"))
    say(out, f"   look closer: monitor beliefs --db {result.db_url}   (with --workdir to keep the database)")


def say(out: TextIO, line: str) -> None:
    out.write(line + "\n")
    out.flush()
