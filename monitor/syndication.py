"""Recognize copies of the same agency text so that they count as one source.

Outlets republish dpa/AFP/Reuters texts with small edits (a headline, a sentence added or
cut). Two texts are copies when at least 85% of the shorter one's word 5-grams ("shingles")
also occur in the other. Storing every shingle of every article would be costly, so each
text keeps a bottom-k sketch (the k smallest 64-bit shingle hashes), from which the overlap
is estimated; texts shorter than k shingles are compared exactly. Pure functions.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE_WORDS = 5
SKETCH_SIZE = 128
COPY_OVERLAP = 0.85

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[str]:
    """The set of n-word shingles; a text shorter than n words is one shingle."""
    w = words(text)
    if len(w) < n:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def _hash(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass(frozen=True, slots=True)
class Sketch:
    """The k smallest shingle hashes (sorted) and the number of distinct shingles."""

    hashes: tuple[int, ...]
    size: int


def sketch(text: str, k: int = SKETCH_SIZE) -> Sketch:
    hs = {_hash(s) for s in shingles(text)}
    return Sketch(tuple(heapq.nsmallest(k, hs)), len(hs))


def overlap(a: set[str], b: set[str]) -> float:
    """Exact share of the smaller set's shingles found in the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def estimated_overlap(a: Sketch, b: Sketch, k: int = SKETCH_SIZE) -> float:
    """Overlap estimated from two bottom-k sketches (exact when both texts are short).

    Jaccard J is estimated on the k smallest hashes of the union; then
    |A ∩ B| = J (|A| + |B|) / (1 + J), divided by the smaller size.
    """
    if not a.size or not b.size:
        return 0.0
    sa, sb = set(a.hashes), set(b.hashes)
    if a.size <= k and b.size <= k:
        inter = len(sa & sb)
        return inter / min(a.size, b.size)
    union_k = heapq.nsmallest(k, sa | sb)
    both = sum(1 for h in union_k if h in sa and h in sb)
    j = both / len(union_k)
    inter_est = j * (a.size + b.size) / (1 + j)
    return min(1.0, inter_est / min(a.size, b.size))


def is_copy(a: Sketch, b: Sketch, threshold: float = COPY_OVERLAP) -> bool:
    return estimated_overlap(a, b) >= threshold


def source_key_for(own_id: str, own: Sketch, candidates: Iterable[tuple[str, Sketch]],
                   threshold: float = COPY_OVERLAP) -> str:
    """The source key of the best matching earlier text, or the article's own id.

    ``candidates`` are (source_key, sketch) of texts already stored (near in date).
    """
    best, best_score = own_id, threshold
    for key, sk in candidates:
        score = estimated_overlap(own, sk)
        if score >= best_score:
            best, best_score = key, score
    return best
