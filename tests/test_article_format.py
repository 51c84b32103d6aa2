"""The dated-article format: byte-exact round trip on the seeds, and properties of parse/render."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import article as fmt
from monitor.errors import ArticleFormatError
from monitor.normalize import article_text

SEEDS = sorted((Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds").resolve().glob("*.txt"))


def test_there_are_two_seeds() -> None:
    assert len(SEEDS) == 2


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_round_trip_is_byte_exact(path: Path) -> None:
    raw = path.read_bytes()
    parsed = fmt.read_file(path)
    assert fmt.render(parsed.date, parsed.body).encode("utf-8") == raw
    assert fmt.parse(fmt.render(parsed.date, parsed.body)) == parsed


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_file_name_gives_the_id(path: Path) -> None:
    parts = fmt.split_file_name(path.name)
    assert parts is not None and parts[1] == path.stem.split("_")[1]


def test_writer_drops_the_seeds_player_boilerplate() -> None:
    body = fmt.read_file(SEEDS[0]).body
    assert "Player wird geladen" in body  # the reader accepts it as it is
    rewritten = fmt.normalize_body(body.split("\n\n"))
    assert "Player wird geladen" not in rewritten
    assert "Putin macht den Rückzug der Ukraine" in rewritten


def test_title_is_the_first_paragraph_unless_the_body_starts_with_it() -> None:
    assert fmt.normalize_body(["Text."], title="Titel") == "Titel\n\nText."
    assert fmt.normalize_body(["Titel: und mehr"], title="Titel") == "Titel: und mehr"


@pytest.mark.parametrize("bad", ["date 2025-01-01 x", " date 2025-13-01 x", " date 2025-01-01 ", ""])
def test_bad_headers_raise_with_file_and_line(bad: str) -> None:
    with pytest.raises(ArticleFormatError, match="f.txt:1"):
        fmt.parse(bad, file="f.txt")


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))


@settings(max_examples=300, deadline=None)
@given(date=dates, body=st.text(min_size=1).filter(lambda s: s.strip() != ""))
def test_render_parse_render_is_identity_for_any_file(date: dt.date, body: str) -> None:
    text = fmt.render(date, body)
    parsed = fmt.parse(text)
    assert parsed == fmt.DatedText(date, body)
    assert fmt.render(parsed.date, parsed.body) == text


paragraph_text = st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80),
                          min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(date=dates, paragraphs=paragraph_text, title=st.none() | st.text(max_size=40))
def test_writer_output_follows_the_format_and_round_trips(date: dt.date, paragraphs: list[str],
                                                         title: str | None) -> None:
    text = article_text(date, title, paragraphs)
    if text is None:
        return  # nothing but whitespace or boilerplate: nothing to write
    parsed = fmt.parse(text)
    assert parsed.date == date
    assert fmt.render(parsed.date, parsed.body) == text
    body = parsed.body
    assert not body.endswith("\n") and "\n\n\n" not in body
    assert unicodedata.is_normalized("NFC", body)
    for para in body.split("\n\n"):
        assert para and all(line.strip() and line == line.strip() for line in para.split("\n"))
        assert not any(fmt.is_boilerplate(line) for line in para.split("\n"))
