"""Property-based tests (hypothesis) of the three parsers hostile or careless input reaches first:
the dated-article format, the number parser of the extractor, and the config loader.

Each property says what must hold for *any* input: a clear error of the project's own kind
(naming file and line) or a result that round-trips; never another exception.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from monitor import article as fmt
from monitor.config import load_config
from monitor.errors import ArticleFormatError, ConfigError
from monitor.extract.numbers import find_quantities, parse_number

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_CONFIG = ROOT / "config" / "monitor.yaml"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


# --- the dated-article format ------------------------------------------------------------------


@FAST
@given(texts)
@example(" date 2025-02-30 Text")
@example(" date 2025-08-14 ")
@example(" date 2025-08-14")
@example("date 2025-08-14 Text")
def test_any_text_parses_and_renders_back_or_is_a_format_error(text: str) -> None:
    try:
        parsed = fmt.parse(text, file="x.txt")
    except ArticleFormatError as exc:
        assert exc.file == "x.txt" and exc.line == 1 and str(exc).startswith("x.txt:1: ")
        return
    assert fmt.render(parsed.date, parsed.body) == text


@FAST
@given(st.binary(max_size=400))
@example(b" date 2025-08-14 Kiew \xff\xfe")
@example(b" date 2025-08-14 eins\n\nzwei\n\xc3")
def test_any_bytes_in_a_file_are_read_or_rejected_with_file_and_line(tmp_path_factory: pytest.TempPathFactory,
                                                                     raw: bytes) -> None:
    path = tmp_path_factory.mktemp("art") / "000_0123456789abcdef.txt"
    path.write_bytes(raw)
    try:
        parsed = fmt.read_file(path)
    except ArticleFormatError as exc:
        assert exc.file == str(path) and exc.line is not None and exc.line >= 1
        assert exc.line <= raw.count(b"\n") + 1
        return
    assert fmt.render(parsed.date, parsed.body).encode("utf-8") == raw


@FAST
@given(dates, st.lists(texts, max_size=6), st.one_of(st.none(), texts))
def test_whatever_the_writer_produces_is_in_the_format_and_stable(date: dt.date, paragraphs: list[str],
                                                                 title: str | None) -> None:
    body = fmt.normalize_body(paragraphs, title=title)
    assume(body.strip())
    text = fmt.render(date, body)
    parsed = fmt.parse(text)
    assert parsed == fmt.DatedText(date, body)
    assert "\n\n\n" not in body and not body.endswith("\n") and not body.startswith("\n")
    assert all(p.strip() for p in body.split("\n\n"))
    # normalizing a normalized body changes nothing (a re-poll is not a new version)
    assert fmt.normalize_body(body.split("\n\n")) == body


# --- numbers in German and English notation ----------------------------------------------------


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@FAST
@given(st.integers(min_value=1000, max_value=10**12))
def test_thousands_separators_read_per_language(n: int) -> None:
    assert parse_number(_group(n, "."), "de") == n
    assert parse_number(_group(n, ","), "en") == n


@FAST
@given(st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=99))
def test_decimals_read_per_language(whole: int, frac: int) -> None:
    value = float(f"{whole}.{frac:02d}")
    assert parse_number(f"{whole},{frac:02d}", "de") == pytest.approx(value)
    assert parse_number(f"{whole}.{frac:02d}", "en") == pytest.approx(value)


@FAST
@given(st.text(alphabet="0123456789.,- +eE", max_size=20), st.sampled_from(["de", "en"]))
def test_number_parser_fails_only_with_value_error(s: str, lang: str) -> None:
    try:
        v = parse_number(s, lang)
    except ValueError:
        return
    assert isinstance(v, float)


words = st.sampled_from(["rund", "etwa", "über", "mehr als", "knapp", "fast", "about", "more than", "nearly",
                         "Prozent", "%", "percent", "Quadratkilometer", "km²", "square kilometres", "Millionen",
                         "million", "Tausend", "der", "Region", "Donezk", "von", "and", ",", ".", "-"])
numbers = st.one_of(st.integers(min_value=0, max_value=10**9).map(str),
                    st.integers(min_value=1000, max_value=10**9).map(lambda n: _group(n, ".")),
                    st.integers(min_value=1000, max_value=10**9).map(lambda n: _group(n, ",")),
                    st.floats(min_value=0, max_value=10**6, allow_nan=False).map(lambda f: f"{f:.2f}"),
                    st.floats(min_value=0, max_value=10**6, allow_nan=False).map(lambda f: f"{f:.2f}".replace(".", ",")))


@FAST
@given(st.lists(st.one_of(words, numbers, texts), max_size=25), st.sampled_from(["de", "en"]),
       st.integers(min_value=0, max_value=10_000))
def test_quantities_in_any_text_are_sane(parts: list[str], lang: str, offset: int) -> None:
    text = " ".join(parts)
    for q in find_quantities(text, offset, lang):
        assert offset <= q.start <= q.num_start < q.end <= offset + len(text)
        assert q.value >= 0
        assert q.unit in ("km2", "percent")
        assert q.unit != "percent" or q.value <= 100
        assert q.qualifier in (None, "about", "over", "under")


@FAST
@given(st.integers(min_value=1, max_value=99), st.sampled_from(["rund", "etwa", "über", "knapp", "fast"]))
def test_german_share_with_qualifier_is_found(pct: int, qual: str) -> None:
    [q] = find_quantities(f"Russland kontrolliert {qual} {pct} Prozent der Region.", 0, "de")
    assert (q.value, q.unit) == (pct, "percent") and q.qualifier is not None


# --- the config loader -------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**6, max_value=10**9),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30))
keys = st.one_of(st.sampled_from(["database", "url", "feeds", "id", "http", "slack", "routes", "channel",
                                  "interval", "language", "archive", "dir", "polling", "max_bytes", "server",
                                  "port", "topics_dir", "enabled", "mode", "cron", "logging", "level"]),
                 st.text(min_size=1, max_size=12))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(keys, inner, max_size=5)),
                         max_leaves=20)


def _check_load(path: Path, lines: int) -> None:
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(path) in str(exc)
        assert exc.line is None or 1 <= exc.line <= max(lines, 1)


@FAST
@given(documents)
def test_any_yaml_document_loads_or_is_a_config_error_naming_the_file(
        tmp_path_factory: pytest.TempPathFactory, doc: object) -> None:
    path = tmp_path_factory.mktemp("cfg") / "monitor.yaml"
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    _check_load(path, text.count("\n") + 1)


@FAST
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=4))
def test_edits_of_the_shipped_config_load_or_are_config_errors(tmp_path_factory: pytest.TempPathFactory,
                                                              seed: int, edits: int) -> None:
    rnd = random.Random(seed)
    lines = SHIPPED_CONFIG.read_text(encoding="utf-8").splitlines()
    for _ in range(edits):
        i = rnd.randrange(len(lines))
        action = rnd.choice(["delete", "duplicate", "value", "indent", "garbage"])
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "value" and ":" in lines[i]:
            head = lines[i].split(":", 1)[0]
            lines[i] = f"{head}: {rnd.choice(['-1', 'yes', '[]', '{}', 'ü', '99999999999', '', 'null', '0.5'])}"
        elif action == "indent":
            lines[i] = " " * rnd.randint(1, 3) + lines[i]
        else:
            lines.insert(i, rnd.choice(["::", "- - -", "key: [unclosed", "\t tab: 1", "&a b: *a", "? x"]))
    path = tmp_path_factory.mktemp("cfg") / "monitor.yaml"
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    _check_load(path, text.count("\n") + 1)
