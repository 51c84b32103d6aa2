"""Entries and pages -> dated articles (../shared/spec/article-format.md).

Plain functions: which text an item gets (page, feed content, or summary), its date in the
feed's calendar, and the rendered dated-article text.
"""

from __future__ import annotations

import datetime as dt
import re

from monitor import article as fmt
from monitor.config import FeedConfig
from monitor.feeds import FeedEntry
from monitor.fulltext import PageText, html_to_paragraphs
from monitor.store.articles_repo import IncomingItem

# Link texts feeds append to a teaser ("... [mehr]") and outlet footers.
_TAIL = re.compile(r"\s*(\[(mehr|more|weiter|weiterlesen|read more)\]|…?\s*(mehr|weiterlesen|read more)\s*(»|›|>)?"
                   r"|Meldung bei www\.[\w.-]+ lesen)\s*$", re.IGNORECASE)


FULLTEXT_MIN_SHARE = 0.8


def _chars(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs)


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop teaser tails ("[mehr]") and empty leftovers; boilerplate lines go in ``normalize_body``."""
    out: list[str] = []
    for p in paragraphs:
        q = _TAIL.sub("", p).strip()
        if q:
            out.append(q)
    return out


def article_text(date: dt.date, title: str | None, paragraphs: list[str]) -> str | None:
    """The dated-article text, or None when nothing but whitespace is left."""
    body = fmt.normalize_body(clean_paragraphs(paragraphs), title=title)
    if not body.strip():
        return None
    return fmt.render(date, body)


def choose_text(entry: FeedEntry, page: PageText | None) -> tuple[list[str], str]:
    """The paragraphs for an item and where they came from: fulltext, feed (content) or summary."""
    feed_paras = clean_paragraphs(html_to_paragraphs(entry.content or ""))
    feed_text: tuple[list[str], str] = ((feed_paras, "feed") if feed_paras
                                        else (html_to_paragraphs(entry.summary or ""), "summary"))
    if page is not None:
        paras = clean_paragraphs([p for p in page.paragraphs if not fmt.is_boilerplate(p)])
        # A page that gives clearly less than the feed already has is a consent wall, a paywall
        # or a layout the extractor misreads: the feed's text is the better article then.
        if paras and _chars(paras) >= FULLTEXT_MIN_SHARE * _chars(feed_text[0]):
            return paras, "fulltext"
    return feed_text


def entry_to_item(entry: FeedEntry, feed: FeedConfig, page: PageText | None, *,
                  baseline: bool) -> IncomingItem | None:
    """An item ready to store, or None if the entry has no text at all (not even a title)."""
    paragraphs, source = choose_text(entry, page)
    date = entry.local_date(feed.timezone)
    text = article_text(date, _plain_title(entry.title), paragraphs)
    if text is None:
        return None
    return IncomingItem(
        article_id=entry.article_id, feed_id=feed.id, guid=entry.guid, url=entry.link,
        title=_plain_title(entry.title), source=feed.name or feed.id, published=date,
        published_at=None if entry.date_from_fetch else entry.published_at,
        date_from_fetch=entry.date_from_fetch, language=feed.language, text=text, text_source=source,
        baseline=baseline, entry_hash=entry.entry_hash,
    )


def page_to_article(page: PageText, *, fallback_date: dt.date, title: str | None = None) -> str | None:
    """A dated article from an extracted page (``monitor normalize page.html``)."""
    return article_text(page.date or fallback_date, title or page.title, page.paragraphs)


def _plain_title(title: str | None) -> str | None:
    # feedparser already turned the title into plain text; only whitespace is tidied here
    t = re.sub(r"\s+", " ", title or "").strip()
    return t or None
