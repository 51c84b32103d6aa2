"""Text sketches per article: the independent-source key and the idempotency mark of the diff."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from monitor import syndication
from monitor.store.tables import ArticleSignature, TextProbe

# Agency copies appear within a day or two of each other.
WINDOW_DAYS = 3


def processed_version(session: Session, article_id: str) -> int | None:
    return session.scalar(select(ArticleSignature.version).where(ArticleSignature.article_id == article_id))


PROBES = 8  # smallest hashes indexed per text
MAX_CANDIDATES = 50


def _probes(sketch: syndication.Sketch) -> list[int]:
    return [h >> 1 for h in sketch.hashes[:PROBES]]  # >> 1: fits a signed 64-bit column


def assign_source(session: Session, article_id: str, date: dt.date, version: int,
                  sketch: syndication.Sketch) -> str:
    """The article's source key (an earlier copy's, or its own id); records the version done.

    Candidates are the texts near in date that share one of the smallest shingle hashes
    (an index lookup); each is then compared by its sketch.
    """
    row = session.get(ArticleSignature, article_id)
    if row is not None:
        # A new version keeps the item's source key: it is the same article.
        row.version = version
        row.sketch = json.dumps(list(sketch.hashes))
        row.shingle_count = sketch.size
        return row.source_key
    probes = _probes(sketch)
    key = article_id
    if probes:
        lo, hi = date - dt.timedelta(days=WINDOW_DAYS), date + dt.timedelta(days=WINDOW_DAYS)
        ids = select(TextProbe.article_id).where(TextProbe.probe.in_(probes)).distinct()
        cands = session.execute(
            select(ArticleSignature.source_key, ArticleSignature.sketch, ArticleSignature.shingle_count)
            .where(ArticleSignature.article_id.in_(ids), ArticleSignature.date >= lo,
                   ArticleSignature.date <= hi)
            .limit(MAX_CANDIDATES))
        candidates = ((k, syndication.Sketch(tuple(json.loads(sk)), n)) for k, sk, n in cands)
        key = syndication.source_key_for(article_id, sketch, candidates)
    session.add(ArticleSignature(article_id=article_id, date=date, source_key=key[:64],
                                 shingle_count=sketch.size, sketch=json.dumps(list(sketch.hashes)),
                                 version=version))
    if probes:
        session.execute(insert(TextProbe), [{"probe": p, "article_id": article_id} for p in dict.fromkeys(probes)])
    session.flush()
    return key
