"""A tiny extractor for store and pipeline tests: claims written as markers in the text.

A sentence like ``[control kupiansk status russia reported ukraine]`` is one claim: kind,
subject, attribute, value, then optionally modality and attribution (``-`` for none). Numbers
become numbers; ``period=2024`` and ``as_of=2022`` may follow. The real extractor is tested
on its own; this keeps belief tests independent of the language rules.
"""

from __future__ import annotations

import re

from monitor.models import Article, Claim, Value

_MARK = re.compile(r"\[([^\[\]]+)\]")


def _value(s: str) -> Value:
    try:
        return int(s)
    except ValueError:
        try:
            return float(s)
        except ValueError:
            return s


def extract_markers(article: Article) -> list[Claim]:
    out: list[Claim] = []
    for m in _MARK.finditer(article.body):
        parts = m.group(1).split()
        extra = dict(p.split("=", 1) for p in parts if "=" in p)
        pos = [p for p in parts if "=" not in p]
        kind, subject, attribute, value = pos[:4]
        modality = pos[4] if len(pos) > 4 else "asserted"
        attribution = pos[5] if len(pos) > 5 and pos[5] != "-" else None
        out.append(Claim(article=article.id, date=article.date.isoformat(), kind=kind, subject=subject,
                         subject_name=subject, attribute=attribute, value=_value(value),
                         sentence=m.group(0), span=(m.start(), m.end()), modality=modality,
                         attribution=attribution, period=extra.get("period"), as_of=extra.get("as_of"),
                         topic="war", rule="marker", cues=("[",)))
    return out
