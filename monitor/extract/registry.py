"""The kind extractors: a Protocol, and a registry the four built-ins use too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from monitor.extract.doc import Doc, Sent
from monitor.models import Claim


class KindExtractor(Protocol):
    """Finds the claims of one kind in one sentence."""

    kind: str

    def extract(self, doc: Doc, sent: Sent) -> list[Claim]: ...


class KindRegistry:
    """Kind extractors by kind, in the order they run. Each ``Extractor`` owns its registry."""

    def __init__(self) -> None:
        self._kinds: dict[str, KindExtractor] = {}

    def register(self, extractor: KindExtractor) -> None:
        self._kinds[extractor.kind] = extractor

    def __iter__(self) -> Iterator[KindExtractor]:
        return iter(self._kinds.values())

    def kinds(self) -> list[str]:
        return list(self._kinds)


def builtin_registry() -> KindRegistry:
    from monitor.extract.agreement import AgreementExtractor
    from monitor.extract.control import ControlExtractor
    from monitor.extract.meeting import MeetingExtractor
    from monitor.extract.territory import TerritoryExtractor

    reg = KindRegistry()
    for ex in (ControlExtractor(), TerritoryExtractor(), MeetingExtractor(), AgreementExtractor()):
        reg.register(ex)
    return reg
