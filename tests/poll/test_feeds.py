"""monitor.feeds: entity refusal, dates (CEST and friends), identity, real feeds from ../shared/realdata."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.errors import FeedEntityError, FeedError
from monitor.feeds import ZONE_OFFSETS, canonical_link, check_no_entities, identity, parse_date, parse_feed
from tests.support.feed_server import REALDATA, entity_bomb, iter_feed_files

NOW = dt.datetime(2025, 8, 11, 12, 0, tzinfo=dt.UTC)


def rss(*items: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
            + "".join(items) + "</channel></rss>").encode()


def item(guid: str | None = "g1", title: str = "Titel", date: str | None = None, link: str | None = None,
         desc: str = "Text") -> str:
    parts = [f"<title>{title}</title>", f"<description>{desc}</description>"]
    if guid:
        parts.append(f"<guid>{guid}</guid>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if link:
        parts.append(f"<link>{link}</link>")
    return "<item>" + "".join(parts) + "</item>"


@pytest.mark.parametrize(("raw", "utc_hour"), [
    ("Mon, 11 Aug 2025 10:00:00 CEST", 8),
    ("Mon, 11 Aug 2025 10:00:00 MESZ", 8),
    ("Mon, 10 Feb 2025 10:00:00 CET", 9),
    ("Mo, 10 Feb 2025 10:00:00 MEZ", 9),
    ("Mo, 11 Aug 2025 10:00:00 +0200", 8),
    ("Mon, 11 Aug 2025 10:00:00 GMT", 10),
    ("Mon, 11 Aug 2025 10:00:00 BST", 9),
])
def test_zone_names_feedparser_misreads_are_corrected(raw: str, utc_hour: int) -> None:
    got = parse_date(raw, None)
    assert got is not None and got.tzinfo is not None
    assert got.hour == utc_hour and got.utcoffset() == dt.timedelta(0)


def test_cest_in_a_feed_becomes_the_right_utc_time_and_berlin_date() -> None:
    # 00:30 CEST on the 12th is 22:30 UTC on the 11th; the article's date is Berlin's: the 12th.
    parsed = parse_feed(rss(item(date="Tue, 12 Aug 2025 00:30:00 CEST")),
                        fetched_at=NOW + dt.timedelta(days=2))
    e = parsed.entries[0]
    assert e.published_at == dt.datetime(2025, 8, 11, 22, 30, tzinfo=dt.UTC)
    assert e.local_date("Europe/Berlin") == dt.date(2025, 8, 12)
    assert e.local_date("UTC") == dt.date(2025, 8, 11)
    assert not e.date_from_fetch


def test_german_month_names() -> None:
    got = parse_date("Sa, 21 Dez 2024 10:00:00 MEZ", None)
    assert got == dt.datetime(2024, 12, 21, 9, 0, tzinfo=dt.UTC)
    assert parse_date("Mi, 05 Mär 2025 08:15:00 +0100", None) == dt.datetime(2025, 3, 5, 7, 15, tzinfo=dt.UTC)


def test_iso_dates_go_through_feedparser() -> None:
    st = time.strptime("2024-12-21 09:00:00", "%Y-%m-%d %H:%M:%S")
    assert parse_date("2024-12-21T10:00:00+01:00", st) == dt.datetime(2024, 12, 21, 9, 0, tzinfo=dt.UTC)


def test_item_without_date_gets_fetch_time_flagged() -> None:
    e = parse_feed(rss(item(date=None)), fetched_at=NOW).entries[0]
    assert e.published_at == NOW and e.date_from_fetch


def test_future_dates_are_clamped() -> None:
    e = parse_feed(rss(item(date="Mon, 11 Aug 2031 10:00:00 GMT")), fetched_at=NOW).entries[0]
    assert e.published_at == NOW and e.clamped and not e.date_from_fetch


def test_identity_guid_then_link_then_content_hash() -> None:
    a = parse_feed(rss(item(guid="http://x.example/a", link="https://x.example/other")), fetched_at=NOW).entries[0]
    b = parse_feed(rss(item(guid="https://x.example/a")), fetched_at=NOW).entries[0]
    assert a.article_id == b.article_id  # http -> https GUID is the same item
    c = parse_feed(rss(item(guid=None, link="https://x.example/p?utm_source=rss#top")), fetched_at=NOW).entries[0]
    d = parse_feed(rss(item(guid=None, link=" https://X.example/p ")), fetched_at=NOW).entries[0]
    assert c.article_id == d.article_id
    e1 = parse_feed(rss(item(guid=None, title="Nur Titel", desc="und Text")), fetched_at=NOW).entries[0]
    e2 = parse_feed(rss(item(guid=None, title="Nur Titel", desc="und Text")), fetched_at=NOW).entries[0]
    e3 = parse_feed(rss(item(guid=None, title="Nur Titel", desc="anderer Text")), fetched_at=NOW).entries[0]
    assert e1.article_id == e2.article_id != e3.article_id
    assert len(e1.article_id) == 16 and int(e1.article_id, 16) >= 0
    assert identity("g1", "https://x.example/1", None, None) == identity("g1", None, None, None)


def test_entry_hash_changes_with_content_only() -> None:
    a = parse_feed(rss(item(desc="eins")), fetched_at=NOW).entries[0]
    b = parse_feed(rss(item(desc="eins")), fetched_at=NOW + dt.timedelta(hours=1)).entries[0]
    c = parse_feed(rss(item(desc="zwei")), fetched_at=NOW).entries[0]
    assert a.article_id == c.article_id
    assert a.entry_hash == b.entry_hash != c.entry_hash


def test_canonical_link_drops_tracking_and_fragment() -> None:
    assert canonical_link("HTTPS://WWW.Example.com/a?b=1&utm_medium=rss&at_campaign=x#c") == \
        "https://www.example.com/a?b=1"
    assert canonical_link(None) is None


def test_entity_bomb_is_refused_before_parsing() -> None:
    bomb = entity_bomb(10)
    started = time.monotonic()
    with pytest.raises(FeedEntityError):
        parse_feed(bomb, fetched_at=NOW)
    assert time.monotonic() - started < 5  # generous: refusing must not expand anything


def test_entity_declarations_in_utf16_are_seen() -> None:
    with pytest.raises(FeedEntityError):
        check_no_entities(entity_bomb(3).decode().replace('encoding="utf-8"', "").encode("utf-16"))


def test_the_word_entity_inside_content_is_not_refused() -> None:
    doc = rss(item(desc="<![CDATA[Wie man <!ENTITY x> in XML schreibt]]>"))
    assert parse_feed(doc, fetched_at=NOW).entries


def test_quadratic_blowup_without_doctype_keyword_is_refused() -> None:
    doc = b'<?xml version="1.0"?><!ENTITY a "' + b"x" * 1000 + b'"><rss/>'
    with pytest.raises(FeedEntityError):
        check_no_entities(doc)


def test_not_a_feed_is_a_feed_error() -> None:
    with pytest.raises(FeedError):
        parse_feed(b"this is not xml at all {}", fetched_at=NOW)


def test_malformed_xml_still_yields_entries_with_a_warning() -> None:
    broken = rss(item(title="Kyjiw & Charkiw")).replace(b"</channel></rss>", b"")
    parsed = parse_feed(broken, fetched_at=NOW)
    assert parsed.warnings and "well-formed" in parsed.warnings[0]
    assert parsed.entries and parsed.entries[0].title == "Kyjiw & Charkiw"


@pytest.mark.parametrize("path", list(iter_feed_files()), ids=lambda p: p.name)
def test_every_real_feed_parses_with_stable_unique_ids(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    data = path.read_bytes()
    a = parse_feed(data, fetched_at=NOW)
    b = parse_feed(data, fetched_at=NOW + dt.timedelta(days=1))
    assert a.entries, path.name
    assert [e.article_id for e in a.entries] == [e.article_id for e in b.entries]
    assert len({e.article_id for e in a.entries}) == len(a.entries)
    for e in a.entries:
        assert e.published_at.tzinfo is not None and e.published_at <= NOW + dt.timedelta(days=1)


def test_feed_without_any_dates_is_flagged() -> None:
    data = (REALDATA / "feeds" / "de_heise_online_rss090_rdf.rdf").read_bytes()
    entries = parse_feed(data, fetched_at=NOW).entries
    assert entries and all(e.date_from_fetch and e.published_at == NOW for e in entries)


def test_latin1_feed_decodes_umlauts() -> None:
    data = (REALDATA / "feeds" / "de_n24_rss10_rdf_iso8859-1_2006-05-24.xml").read_bytes()
    titles = " ".join(e.title or "" for e in parse_feed(data, fetched_at=NOW).entries)
    assert any(ch in titles for ch in "äöüÄÖÜß")


def test_identity_does_not_depend_on_the_feed_url() -> None:
    doc = rss(item(guid="li.4711", link="/politik/artikel-1.html"))
    a = parse_feed(doc, fetched_at=NOW, base_url="https://old.example/rss").entries[0]
    b = parse_feed(doc, fetched_at=NOW, base_url="https://new.example/feed.xml").entries[0]
    assert a.guid == "li.4711" and a.article_id == b.article_id
    assert a.link == "https://old.example/politik/artikel-1.html"  # relative links still resolved


_EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DE_MONTHS = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]


@settings(max_examples=300, deadline=None)
@given(when=st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)),
       zone=st.sampled_from(sorted(ZONE_OFFSETS)), german=st.booleans())
def test_any_rfc822_date_with_a_zone_name_gives_the_right_instant(when: dt.datetime, zone: str,
                                                                  german: bool) -> None:
    local = when.replace(second=when.second, microsecond=0)
    month = (_DE_MONTHS if german else _EN_MONTHS)[local.month - 1]
    raw = f"{local.day:02d} {month} {local.year} {local:%H:%M:%S} {zone}"
    expected = (local.replace(tzinfo=dt.timezone(dt.timedelta(minutes=ZONE_OFFSETS[zone])))).astimezone(dt.UTC)
    assert parse_date(raw, None) == expected


@settings(max_examples=200, deadline=None)
@given(path=st.text(alphabet="abcxyz/-_.", max_size=20), query=st.dictionaries(
    st.sampled_from(["id", "utm_source", "page", "at_medium", "q"]), st.text(alphabet="abc12", max_size=5)))
def test_canonical_link_is_idempotent_and_drops_tracking(path: str, query: dict[str, str]) -> None:
    from urllib.parse import urlencode

    link = f"https://News.Example/{path}?{urlencode(query)}#frag"
    once = canonical_link(link)
    assert once is not None and canonical_link(once) == once
    assert "utm_" not in once and "at_medium" not in once and "#" not in once
