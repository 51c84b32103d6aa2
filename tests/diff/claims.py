"""Hand-made claims for diff and store tests."""

from __future__ import annotations

from typing import Any

from monitor.models import Claim


def claim(kind: str = "control", subject: str = "kupiansk", attribute: str = "status", value: Any = "russia",
          *, date: str = "2025-08-11", article: str = "a1", modality: str = "asserted",
          attribution: str | None = None, at: int = 0, **kw: Any) -> Claim:
    sentence = kw.pop("sentence", f"{subject} {attribute} {value}.")
    return Claim(article=article, date=date, kind=kind, subject=subject, subject_name=subject,
                 attribute=attribute, value=value, sentence=sentence, span=(at, at + len(sentence)),
                 modality=modality, attribution=attribution, **kw)
