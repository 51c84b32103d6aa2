"""Fixtures for the extractor tests: one extractor built from the project's topic files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.extract import Extractor
from monitor.models import Article, Claim
from monitor.topics import load_topics

ROOT = Path(__file__).resolve().parents[2]
TOPICS = ROOT / "config" / "topics"

Extract = Callable[..., list[Claim]]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(load_topics(TOPICS))


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Extract:
    """claims of a text: extract("...", "2025-08-16", lang="de")."""

    def run(text: str, date: str = "2025-08-16", lang: str | None = None) -> list[Claim]:
        return extractor(Article(id="t", date=dt.date.fromisoformat(date), body=text, language=lang))

    return run


def keys(claims: list[Claim]) -> set[tuple[str, str, str, object, str]]:
    """(kind, subject, attribute, value, modality) of each claim."""
    return {(c.kind, c.subject, c.attribute, c.value, c.modality) for c in claims}


def find(claims: list[Claim], kind: str, subject: str, attribute: str = "status") -> list[Claim]:
    return [c for c in claims if c.kind == kind and c.subject == subject and c.attribute == attribute]
