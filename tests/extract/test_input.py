"""Bad and odd input: no exception, a clear log line, no invented claims; the CLI goes on past bad files."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from monitor.cli import main
from tests.extract.conftest import Extract

CLAIM = "Die russische Armee hat die Stadt Torezk erobert."
FILLER = "Das Wetter in Berlin war am Wochenende wechselhaft, und viele Menschen blieben zu Hause. "


def test_empty_text_gives_no_claims_and_says_so(extract: Extract, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="monitor.extract"):
        assert extract("") == []
        assert extract("   \n\n  ") == []
    assert "has no text" in caplog.text


def test_other_language_gives_no_claims_and_says_so(extract: Extract, caplog: pytest.LogCaptureFixture) -> None:
    text = ("Las fuerzas rusas han tomado la ciudad de Pokrovsk, según el ministerio de defensa de Rusia, "
            "mientras continúan los combates en la región de Donetsk.")
    with caplog.at_level(logging.INFO, logger="monitor.extract"):
        assert extract(text) == []
    assert "not German or English" in caplog.text


def test_a_table_of_numbers_invents_nothing(extract: Extract) -> None:
    rows = "\n".join(f"{i} | {i * 1.5:.1f} | {i * 1000:,} | {i % 100} Prozent | {i} km²" for i in range(1, 400))
    assert extract("Tabelle der Woche\n\n" + rows) == []


def test_a_one_megabyte_article_is_read_up_to_the_cap(extract: Extract, caplog: pytest.LogCaptureFixture) -> None:
    body = CLAIM + " " + FILLER * (1_000_000 // len(FILLER) + 1)
    assert len(body) > 1_000_000
    with caplog.at_level(logging.WARNING, logger="monitor.extract"):
        claims = extract(body)
    assert {(c.subject, c.value) for c in claims} == {("toretsk", "russia")}
    assert "only the first" in caplog.text


def test_odd_characters_do_not_break_reading(extract: Extract) -> None:
    text = "Pokrowsk\u00a0… „Kämpfe“ ­in der Stadt; 🇺🇦 — ‹Torezk› ... ... ?! (((Kupjansk)))"
    extract(text)   # no exception is the point; whatever it finds must carry a sentence from the text
    for c in extract(text):
        assert c.sentence in text


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_cli_prints_claims_and_goes_on_past_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    _write(folder / "001_good.txt", f" date 2025-08-01 {CLAIM}".encode())
    _write(folder / "002_bad_utf8.txt", b" date 2025-08-01 Die Stadt \xff\xfe wurde erobert.")
    _write(folder / "003_no_header.txt", b"Torezk ist gefallen.")
    _write(folder / "004_good.txt", b" date 2025-08-02 Russian forces captured the town of Toretsk, officials said.")
    rc = main(["extract", str(folder)])
    out, err = capsys.readouterr()
    assert rc == 1
    claims = [json.loads(line) for line in out.splitlines()]
    assert [(c["article"], c["subject"], c["value"]) for c in claims] == [
        ("001_good", "toretsk", "russia"), ("004_good", "toretsk", "russia")]
    assert "002_bad_utf8.txt" in err and "UTF-8" in err
    assert "003_no_header.txt" in err and "date header" in err
    first = claims[0]
    for field in ("article", "date", "kind", "subject", "subject_name", "attribute", "value", "unit", "qualifier",
                  "period", "as_of", "modality", "actor", "attribution", "sentence", "span", "rule", "cues"):
        assert field in first
    assert first["sentence"] == CLAIM and first["span"] == [0, len(CLAIM)]


def test_cli_all_good_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _write(tmp_path / "a.txt", f" date 2025-08-01 {CLAIM}".encode())
    assert main(["extract", str(f)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["article"] == "a"


def test_library_function_reuses_the_extractor_of_its_topics() -> None:
    import datetime as dt

    from monitor.extract import Extractor, extract_claims
    from monitor.models import Article
    from monitor.topics import load_topics
    from tests.extract.conftest import TOPICS

    topics = load_topics(TOPICS)
    article = Article(id="a", date=dt.date(2025, 8, 1), body=CLAIM)
    first = extract_claims(article, topics)
    built = topics.derived["extractor"]
    assert isinstance(built, Extractor)
    assert extract_claims(article, topics) == first and topics.derived["extractor"] is built
    assert [(c.subject, c.value) for c in first] == [("toretsk", "russia")]
