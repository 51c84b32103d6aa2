"""agreement: placeholder"""

from __future__ import annotations

from monitor.extract.doc import Doc, Sent
from monitor.models import Claim


class AgreementExtractor:
    kind = "agreement"

    def extract(self, doc: Doc, sent: Sent) -> list[Claim]:
        return []
