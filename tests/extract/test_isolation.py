"""A rule that raises on one sentence costs that sentence's claims of its kind, nothing more."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from monitor.extract import Extractor
from monitor.extract.doc import Doc, Sent
from monitor.extract.registry import builtin_registry
from monitor.models import Article, Claim


class _Exploding:
    kind = "exploding"

    def extract(self, doc: Doc, sent: Sent) -> list[Claim]:
        raise IndexError("a rule tripped over this sentence")


def test_a_failing_kind_is_logged_and_the_other_kinds_still_yield(
        extractor: Extractor, caplog: pytest.LogCaptureFixture) -> None:
    registry = builtin_registry()
    registry.register(_Exploding())
    ex = Extractor(extractor.topics, extractor.gazetteer, registry=registry)
    article = Article(id="iso-1", date=dt.date(2024, 2, 18), language="de",
                      body="Russische Truppen haben die Stadt Awdijiwka erobert.")
    with caplog.at_level(logging.ERROR, logger="monitor.extract"):
        claims = ex(article)
    assert any(c.kind == "control" and c.subject == "avdiivka" and c.value == "russia" for c in claims)
    assert any("exploding rules failed on article iso-1" in r.getMessage() for r in caplog.records)
