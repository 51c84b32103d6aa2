"""Page -> main text: trafilatura on HTML we fetched ourselves, and feed HTML -> paragraphs.

trafilatura never fetches here (its own downloader has an insecure-TLS fallback); it only
sees bytes that ``monitor.fetch`` got under the configured limits.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import trafilatura

log = logging.getLogger(__name__)

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "section", "article", "header", "footer", "table", "tr", "pre", "figure", "figcaption",
          "dd", "dt", "hr"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "svg", "object", "video", "audio", "form"}
# trafilatura on a huge page costs seconds; pages past this size are cut (the article is near the top)
_MAX_HTML_CHARS = 3_000_000
# Less than this is what trafilatura finds on a page without an article (navigation, a button).
MIN_TEXT_CHARS = 40


@dataclass(frozen=True, slots=True)
class PageText:
    """What trafilatura found on a page."""

    paragraphs: list[str]
    title: str | None
    date: dt.date | None


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._buf: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buf)).strip()
        self._buf = []
        if text:
            self.paragraphs.append(text)

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_paragraphs(fragment: str) -> list[str]:
    """Paragraphs of an HTML fragment (feed summary or content): block elements split, tags dropped.

    A fragment that holds no markup may still carry escaped entities (``&amp;``): those are
    decoded too, so the output is plain text.
    """
    if not fragment or not fragment.strip():
        return []
    if "<" not in fragment:
        text = html.unescape(fragment)
        return [p for p in (re.sub(r"[ \t\r\f\v]+", " ", x).strip() for x in re.split(r"\n\s*\n", text)) if p]
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    return parser.paragraphs


def extract_page(page: bytes | str, url: str | None = None, *, with_metadata: bool = True) -> PageText:
    """Main text of an article page, one paragraph per line of trafilatura's output.

    ``with_metadata=False`` skips trafilatura's metadata pass (htmldate's date search, title,
    site name: about a third of the call); the title and date are then None. The poll path
    uses it: a feed entry always brings its own title and date (``normalize.entry_to_item``
    takes only the page's paragraphs).
    """
    if isinstance(page, bytes):
        page = _decode_html(page)
    if len(page) > _MAX_HTML_CHARS:
        page = page[:_MAX_HTML_CHARS]
    doc = trafilatura.bare_extraction(page, url=url, include_comments=False, include_tables=False,
                                      include_images=False, favor_precision=True, with_metadata=with_metadata,
                                      deduplicate=False)
    if doc is None:
        return PageText([], None, None)
    data = doc if isinstance(doc, dict) else doc.as_dict()
    text = data.get("text") or ""
    paragraphs = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if sum(len(p) for p in paragraphs) < MIN_TEXT_CHARS:
        paragraphs = []  # a menu or a cookie line, not an article
    date: dt.date | None = None
    raw_date = data.get("date")
    if isinstance(raw_date, str):
        try:
            date = dt.date.fromisoformat(raw_date[:10])
        except ValueError:
            date = None
    title = data.get("title")
    return PageText(paragraphs, title.strip() if isinstance(title, str) and title.strip() else None, date)


def _decode_html(raw: bytes) -> str:
    head = raw[:4096].decode("ascii", errors="ignore").lower()
    m = re.search(r"charset=[\"']?([a-z0-9_-]+)", head)
    for enc in ([m.group(1)] if m else []) + ["utf-8", "cp1252"]:
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")
