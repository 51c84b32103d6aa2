"""meeting: placeholder replaced below."""

from __future__ import annotations

from monitor.extract.doc import Doc, Sent
from monitor.models import Claim


class MeetingExtractor:
    kind = "meeting"

    def extract(self, doc: Doc, sent: Sent) -> list[Claim]:
        return []
