"""The schema, as SQLAlchemy 2 typed ORM classes. Migrations in ``store/migrations`` follow it.

Times are timezone-aware UTC. JSON-ish values (claim values, alert payloads) are stored as
text holding JSON so the schema is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A DateTime that always comes back timezone-aware UTC (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


class Feed(Base):
    """A configured feed and its poll state."""

    __tablename__ = "feeds"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="de")
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    interval_s: Mapped[int] = mapped_column(Integer, default=300)
    next_poll_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    last_poll_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    consecutive_errors: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    baseline_done: Mapped[bool] = mapped_column(Boolean, default=False)
    empty_text_streak: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ArticleRow(Base):
    """An item: identity, metadata, and the hash of its newest version."""

    __tablename__ = "articles"

    # 16 hex from article.item_id for feed items; the file's stem (NNN_<16 hex>) for ingested files
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)  # running number in the archive
    feed_id: Mapped[str | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"), index=True)
    guid: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[dt.date] = mapped_column(Date, index=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    date_from_fetch: Mapped[bool] = mapped_column(Boolean, default=False)  # item had no date
    language: Mapped[str | None] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(64))
    # hash of the feed entry as published (title, summary, content, dates): an unchanged entry
    # is not fetched again, so its page is not re-extracted on every poll
    entry_hash: Mapped[str | None] = mapped_column(String(64))
    text_source: Mapped[str | None] = mapped_column(String(16))  # fulltext | feed | summary | file
    version: Mapped[int] = mapped_column(Integer, default=1)
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ArticleVersion(Base):
    """The normalized dated-article text of each version of an item."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)  # the whole dated-article file
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    extracted: Mapped[bool] = mapped_column(Boolean, default=False)  # claims done for this version


class ClaimRow(Base):
    """Every claim ever extracted, with the diff outcome it got."""

    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_key", "key"), Index("ix_claims_article", "article_id", "version"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    key: Mapped[str] = mapped_column(String(300))  # models.key_string
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    attribute: Mapped[str] = mapped_column(String(40))
    period: Mapped[str | None] = mapped_column(String(20))
    value_json: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(10))
    qualifier: Mapped[str | None] = mapped_column(String(10))
    as_of: Mapped[str | None] = mapped_column(String(10))
    modality: Mapped[str] = mapped_column(String(10))
    actor: Mapped[str | None] = mapped_column(String(50))
    attribution: Mapped[str | None] = mapped_column(String(50))
    date: Mapped[dt.date] = mapped_column(Date)
    sentence: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(100), default="")
    cues: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    topic: Mapped[str | None] = mapped_column(String(100))
    source_key: Mapped[str | None] = mapped_column(String(64))  # same agency text → same key
    source_name: Mapped[str | None] = mapped_column(String(200))  # outlet (feed name) of the article
    url: Mapped[str | None] = mapped_column(Text)  # link to the article
    outcome: Mapped[str] = mapped_column(String(20))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class BeliefRow(Base):
    """What the monitor believes now for one key."""

    __tablename__ = "beliefs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200), index=True)
    attribute: Mapped[str] = mapped_column(String(40))
    period: Mapped[str | None] = mapped_column(String(20))
    value_json: Mapped[str] = mapped_column(Text)
    modality: Mapped[str] = mapped_column(String(10))
    attribution: Mapped[str | None] = mapped_column(String(50))
    since: Mapped[dt.date] = mapped_column(Date)  # date of the claim that set the value
    claim_id: Mapped[int | None] = mapped_column(Integer)
    article_id: Mapped[str | None] = mapped_column(String(64))
    source_count: Mapped[int] = mapped_column(Integer, default=1)
    last_change_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_alert_id: Mapped[int | None] = mapped_column(Integer)
    topic: Mapped[str | None] = mapped_column(String(100))
    sources_json: Mapped[str] = mapped_column(Text, default="[]")  # source keys supporting the value
    sentence: Mapped[str | None] = mapped_column(Text)  # of the claim that set the value
    source_name: Mapped[str | None] = mapped_column(String(200))  # outlet of that claim's article
    url: Mapped[str | None] = mapped_column(Text)  # link to that article


class AlertRow(Base):
    """The outbox: every alert, written in the same transaction as the change it reports."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_state_next", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)  # crash-safe idempotency
    type: Mapped[str] = mapped_column(String(20))  # new | changed | contradicted | withdrawn | ops | corroboration
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    attribute: Mapped[str] = mapped_column(String(40))
    period: Mapped[str | None] = mapped_column(String(20))
    belief_key: Mapped[str] = mapped_column(String(300), index=True)
    old_json: Mapped[str | None] = mapped_column(Text)
    new_json: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date] = mapped_column(Date)
    article_id: Mapped[str] = mapped_column(String(64))
    sentence: Mapped[str] = mapped_column(Text)
    modality: Mapped[str] = mapped_column(String(10))
    attribution: Mapped[str | None] = mapped_column(String(50))
    severity: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[str] = mapped_column(Text, default="{}")  # JSON: everything the message shows
    parent_id: Mapped[int | None] = mapped_column(Integer)  # earlier alert of the same key
    # delivery state
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending|sending|sent|dead|skipped
    channel: Mapped[str | None] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(10), default="instant")  # instant | digest
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    slack_ts: Mapped[str | None] = mapped_column(String(40))
    slack_channel_id: Mapped[str | None] = mapped_column(String(40))
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ArticleSignature(Base):
    """A bottom-k shingle sketch of each article's text, to recognize syndicated agency copies.

    ``source_key`` is shared by near-identical texts (see ``monitor.syndication``): they count
    as one source when beliefs are corroborated.
    """

    __tablename__ = "article_signatures"

    article_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # Article.id (display id)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    source_key: Mapped[str] = mapped_column(String(64))
    shingle_count: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)  # newest version diffed: the idempotency mark
    sketch: Mapped[str] = mapped_column(Text)  # JSON list of the k smallest shingle hashes


class TextProbe(Base):
    """A few of each article's smallest shingle hashes: near-identical texts share some, so
    candidate copies are found by index lookups instead of comparing every recent article."""

    __tablename__ = "text_probes"

    probe: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # hash >> 1: fits a signed BIGINT
    article_id: Mapped[str] = mapped_column(String(64), primary_key=True)
