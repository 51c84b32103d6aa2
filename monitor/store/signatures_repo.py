"""Text sketches per article: the independent-source key and the idempotency mark of the diff."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor import syndication
from monitor.store.tables import ArticleSignature

# Agency copies appear within a day or two of each other.
WINDOW_DAYS = 3


def processed_version(session: Session, article_id: str) -> int | None:
    return session.scalar(select(ArticleSignature.version).where(ArticleSignature.article_id == article_id))


def assign_source(session: Session, article_id: str, date: dt.date, version: int,
                  sketch: syndication.Sketch) -> str:
    """The article's source key (an earlier copy's, or its own id); records the version done."""
    row = session.get(ArticleSignature, article_id)
    if row is not None:
        # A new version keeps the item's source key: it is the same article.
        row.version = version
        row.sketch = json.dumps(list(sketch.hashes))
        row.shingle_count = sketch.size
        return row.source_key
    lo, hi = date - dt.timedelta(days=WINDOW_DAYS), date + dt.timedelta(days=WINDOW_DAYS)
    cands = session.execute(
        select(ArticleSignature.source_key, ArticleSignature.sketch, ArticleSignature.shingle_count)
        .where(ArticleSignature.date >= lo, ArticleSignature.date <= hi))
    candidates = ((k, syndication.Sketch(tuple(json.loads(sk)), n)) for k, sk, n in cands)
    key = syndication.source_key_for(article_id, sketch, candidates)
    session.add(ArticleSignature(article_id=article_id, date=date, source_key=key[:64],
                                 shingle_count=sketch.size, sketch=json.dumps(list(sketch.hashes)),
                                 version=version))
    session.flush()
    return key
