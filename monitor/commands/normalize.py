"""``monitor normalize PATH|URL``: print what the monitor would store, as dated articles.

- a dated-article file comes back unchanged, byte for byte;
- an HTML page (file or URL) is extracted with trafilatura;
- a feed (file or URL) gives one dated article per item (``--full-text`` fetches each page).

One article is written exactly as its file would be (no trailing newline), so
``monitor normalize page.html > 000_x.txt`` makes a valid file. Several articles are printed
each under a ``--- NNN_<id>.txt ---`` line, or written to ``--out DIR``, or as JSON lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from monitor import article as fmt
from monitor.archive import write_article
from monitor.config import FeedConfig, MonitorConfig, load_config
from monitor.errors import ArticleFormatError, FeedError, FetchError, MonitorError
from monitor.feeds import parse_feed
from monitor.fetch import PAGE_ACCEPT, Fetcher, make_client
from monitor.fulltext import PageText, extract_page
from monitor.normalize import entry_to_item, page_to_article


@dataclass(frozen=True, slots=True)
class Normalized:
    article_id: str
    text: str
    url: str | None = None
    title: str | None = None
    text_source: str = "file"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("normalize", help="print a file, page or feed as dated article(s)")
    p.add_argument("source", metavar="PATH|URL", help="a dated-article file, an HTML page or a feed")
    p.add_argument("--full-text", action="store_true", help="for a feed: fetch each item's page")
    p.add_argument("--language", choices=["de", "en"], default=None, help="language of a feed's items")
    p.add_argument("--timezone", default="Europe/Berlin", help="calendar for the article date")
    p.add_argument("--date", default=None, help="date for a page that states none (default: today)")
    p.add_argument("--out", metavar="DIR", default=None, help="write NNN_<id>.txt files here instead")
    p.add_argument("--format", choices=["text", "jsonl"], default="text")
    p.set_defaults(func=run)


def _is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def _looks_like_html(data: bytes, content_type: str = "") -> bool:
    if "html" in content_type:
        return True
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:2048]


def normalize_bytes(data: bytes, *, source: str, cfg: MonitorConfig, fetcher: Fetcher | None,
                    content_type: str = "", full_text: bool = False, language: str | None = None,
                    timezone: str = "Europe/Berlin", fallback_date: dt.date | None = None,
                    now: dt.datetime | None = None) -> list[Normalized] | bytes:
    """Raw bytes back for a dated-article file, else the normalized articles."""
    now = now or dt.datetime.now(dt.UTC)
    if data.startswith(b" date "):
        try:
            fmt.parse(data.decode("utf-8"), file=source)
        except UnicodeDecodeError:
            raise ArticleFormatError("not valid UTF-8; re-save the file as UTF-8", file=source) from None
        return data
    if _looks_like_html(data, content_type):
        extracted = extract_page(data, url=source if _is_url(source) else None)
        text = page_to_article(extracted, fallback_date=fallback_date or now.date())
        if text is None:
            raise MonitorError(f"{source}: no main text found on the page")
        return [Normalized(fmt.item_id(source), text, url=source, title=extracted.title, text_source="fulltext")]
    try:
        parsed = parse_feed(data, {"content-type": content_type} if content_type else None, fetched_at=now,
                            base_url=source if _is_url(source) else None,
                            max_items=cfg.polling.max_items_per_feed)
    except FeedError as exc:
        raise FeedError(f"{source}: neither a dated article, an HTML page nor a feed ({exc})") from None
    lang = language or ((parsed.language or "de")[:2].lower() if (parsed.language or "")[:2].lower()
                        in ("de", "en") else "de")
    feed = FeedConfig.model_validate({"id": "normalize", "url": source if _is_url(source) else "http://localhost/feed",
                                      "language": lang, "full_text": full_text, "timezone": timezone})
    out: list[Normalized] = []
    for entry in parsed.entries:
        page: PageText | None = None
        if full_text and entry.link and fetcher is not None:
            try:
                res = fetcher.get(entry.link, accept=PAGE_ACCEPT)
                page = extract_page(res.content, url=res.url)
            except FetchError as exc:
                print(f"warning: {exc}; using the feed's text", file=sys.stderr)
        item = entry_to_item(entry, feed, page, baseline=False)
        if item is not None:
            out.append(Normalized(item.article_id, item.text, url=item.url, title=item.title,
                                  text_source=item.text_source))
    return out


def run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config).config
    fallback = dt.date.fromisoformat(args.date) if args.date else None
    with make_client(cfg.http) as client:
        fetcher = Fetcher(client, cfg.http)
        content_type = ""
        if _is_url(args.source):
            res = fetcher.get(args.source, accept=PAGE_ACCEPT + ", application/rss+xml, application/atom+xml")
            data, content_type = res.content, res.content_type
        else:
            path = Path(args.source)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise MonitorError(f"{path}: cannot read ({exc.strerror}); check the path") from None
        result = normalize_bytes(data, source=args.source, cfg=cfg, fetcher=fetcher, content_type=content_type,
                                 full_text=args.full_text, language=args.language, timezone=args.timezone,
                                 fallback_date=fallback)
    if isinstance(result, bytes):
        if args.out:
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            (out / Path(args.source).name).write_bytes(result)
        else:
            sys.stdout.buffer.write(result)
            sys.stdout.flush()
        return 0
    if not result:
        print(f"{args.source}: no items", file=sys.stderr)
        return 1
    if args.out:
        for i, n in enumerate(result):
            write_article(Path(args.out), i, n.article_id, n.text)
        print(f"wrote {len(result)} articles to {args.out}", file=sys.stderr)
    elif args.format == "jsonl":
        for i, n in enumerate(result):
            print(json.dumps({"file": fmt.file_name(i, n.article_id), "id": n.article_id, "url": n.url,
                              "title": n.title, "text_source": n.text_source, "text": n.text},
                             ensure_ascii=False))
    elif len(result) == 1:
        sys.stdout.write(result[0].text)
        sys.stdout.flush()
    else:
        for i, n in enumerate(result):
            sys.stdout.write(f"--- {fmt.file_name(i, n.article_id)} ---\n{n.text}\n\n")
        sys.stdout.flush()
    return 0
