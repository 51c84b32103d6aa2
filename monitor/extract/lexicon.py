"""Cue patterns from the topic files, compiled into an index and matched against tokens.

A pattern is a list of words (see monitor.topics). The index is keyed by the first word, so the
cost of matching a sentence grows with its length, not with the number of patterns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from monitor.extract.text import Token
from monitor.topics import TopicSet

GAP = 12  # words a "..." may skip
_new_tuple = tuple.__new__   # builds a NamedTuple without its Python-level __new__


@dataclass(frozen=True, slots=True)
class Word:
    kind: str   # word | exact | prefix | suffix | gap (text "+": at least one word)
    text: str

    def matches(self, tok: Token) -> bool:
        if self.kind == "word":
            return tok.lower == self.text or tok.lemma == self.text
        if self.kind == "exact":
            return tok.lower == self.text
        if self.kind == "prefix":
            return tok.lower.startswith(self.text) or tok.lemma.startswith(self.text)
        if self.kind == "suffix":
            return tok.lower.endswith(self.text)
        return False


@dataclass(frozen=True, slots=True)
class Pattern:
    group: str            # "control.capture"
    words: tuple[Word, ...]
    source: str           # the pattern as written, for ``cues``

    @property
    def size(self) -> int:
        return sum(w.kind != "gap" for w in self.words)


class Hit(NamedTuple):
    """A cue pattern found in a sentence (a tuple: a long article has thousands)."""

    group: str
    first: int            # token indices, end exclusive
    last: int
    start: int            # body offsets
    end: int
    text: str             # the matched words as written in the text
    pattern: str

    @property
    def name(self) -> str:
        return self.group.split(".", 1)[1]


def _split_words(source: str) -> list[str]:
    # Tokens as the tokenizer sees them: "will , dass" keeps its comma as a word.
    return [w for w in source.lower().replace(",", " , ").split() if w]


def compile_pattern(group: str, source: str) -> Pattern:
    words: list[Word] = []
    for w in _split_words(source):
        if w == "...":
            words.append(Word("gap", ""))
        elif w == "..+":
            words.append(Word("gap", "+"))   # at least one word: "pushed ..+ out of" is active
        elif w.startswith("=") and len(w) > 1:
            words.append(Word("exact", w[1:]))
        elif w.endswith("*") and len(w) > 1:
            words.append(Word("prefix", w[:-1]))
        elif w.startswith("*") and len(w) > 1:
            words.append(Word("suffix", w[1:]))
        else:
            words.append(Word("word", w))
    return Pattern(group, tuple(words), source)


class CueIndex:
    """All cue patterns of one language, indexed by their first word.

    A first word given as a prefix ("russisch*") or suffix ("*-point") is indexed by that
    prefix/suffix; a token looks up each distinct prefix/suffix length once, so the cost per
    token does not grow with the number of patterns.
    """

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self._by_first: dict[str, list[Pattern]] = defaultdict(list)
        self._by_prefix: dict[str, list[Pattern]] = defaultdict(list)
        self._by_suffix: dict[str, list[Pattern]] = defaultdict(list)
        for p in patterns:
            if not p.words or p.words[0].kind == "gap":
                continue
            first = p.words[0]
            if first.kind in ("word", "exact"):
                self._by_first[first.text].append(p)
            elif first.kind == "prefix":
                self._by_prefix[first.text].append(p)
            else:
                self._by_suffix[first.text].append(p)
        self._prefix_lengths = sorted({len(k) for k in self._by_prefix})
        self._suffix_lengths = sorted({len(k) for k in self._by_suffix})
        # Candidates per (form, lemma): news repeats its words, so most tokens are a dict hit.
        self._cache: dict[tuple[str, str], _Candidates] = {}

    def _entry(self, tok: Token) -> _Candidates:
        """The patterns a token can start (none, for most tokens), memoized."""
        key = (tok.lower, tok.lemma)
        hit = self._cache.get(key)
        if hit is None:
            patterns = tuple(dict.fromkeys(self._lookup(tok)))
            hit = _Candidates(patterns) if patterns else _NO_CANDIDATES
            if len(self._cache) < 100_000:
                self._cache[key] = hit
        return hit

    def _lookup(self, tok: Token) -> list[Pattern]:
        out = list(self._by_first.get(tok.lower, ()))
        if tok.lemma != tok.lower:
            out += [p for p in self._by_first.get(tok.lemma, ()) if p.words[0].kind == "word"]
        for form in {tok.lower, tok.lemma}:
            for n in self._prefix_lengths:
                if n > len(form):
                    break
                out += self._by_prefix.get(form[:n], ())
        for n in self._suffix_lengths:
            if n <= len(tok.lower):
                out += self._by_suffix.get(tok.lower[-n:], ())
        return out

    @classmethod
    def from_topics(cls, topics: TopicSet, lang: str) -> CueIndex:
        pats: list[Pattern] = []
        for t in topics.topics:
            for section, groups in t.cues.items():
                for name, langs in groups.items():
                    for src in langs.get(lang, []):  # type: ignore[call-overload]
                        pats.append(compile_pattern(f"{section}.{name}", src))
        return cls(pats)

    def match(self, tokens: Sequence[Token], text: str | None = None, offset: int = 0) -> list[Hit]:
        """Every pattern found in a sentence's tokens. With the sentence ``text`` (and its body
        ``offset``) a hit quotes the text as written; else the tokens joined by spaces."""
        hits: list[Hit] = []
        n = len(tokens)
        cache = self._cache
        for i, tok in enumerate(tokens):
            found = cache.get((tok.lower, tok.lemma))
            if found is None:
                found = self._entry(tok)
            if not found.patterns:
                continue
            # _lookup found each candidate by its first word, so that word matches already; the
            # next token picks the patterns whose second word it is (a dict lookup instead of a
            # test per pattern: "die" starts some forty). Candidate order is kept, as hits of the
            # same words and group are deduplicated first come, first kept.
            todo: Sequence[_Entry] = found.free
            if i + 1 < n and found.by_second:
                t1 = tokens[i + 1]
                more = found.by_second.get(t1.lower, ())
                if t1.lemma != t1.lower:
                    more += found.by_second_lemma.get(t1.lemma, ())
                if more:   # back in candidate order (positions are unique: tuples never tie)
                    todo = sorted(found.free + more) if found.free or len(more) > 1 else more
            # The same words of the same group count once, first come (two patterns of a group can
            # match them); only hits starting at this token can repeat each other.
            seen: set[tuple[str, int]] | None = None
            for _, p, j, done in todo:
                # most patterns are one or two words, matched in full by now: no call to finish them
                end = i + j if done else _match_rest(p.words, j, tokens, i + j, n)
                if end < 0:
                    continue
                if len(todo) > 1:
                    key = (p.group, end)
                    if seen is None:
                        seen = {key}
                    elif key in seen:
                        continue
                    else:
                        seen.add(key)
                stop = tokens[end - 1].end
                quote = text[tok.start - offset:stop - offset] if text is not None else \
                    " ".join(t.text for t in tokens[i:end])
                hits.append(_new_tuple(Hit, (p.group, i, end, tok.start, stop, quote, p.source)))
        return hits


# (position in the candidates, pattern, index of the next word to match, pattern matched in full)
_Entry = tuple[int, Pattern, int, bool]
# a gap does not reach across these
_GAP_STOPS = frozenset([";", ":", "."])


class _Candidates:
    """The patterns one token can start, sorted for matching: those whose second word is a plain
    word ("die Stadt") by that word, so only the next token's form and lemma are looked up; the
    others (one word, or a prefix, suffix or gap second) are always tried. Each entry is
    (position in ``patterns``, pattern, index of the first word still to match, whether that
    index is the pattern's end)."""

    __slots__ = ("by_second", "by_second_lemma", "free", "patterns")

    def __init__(self, patterns: tuple[Pattern, ...]) -> None:
        self.patterns = patterns
        free: list[_Entry] = []
        by_second: dict[str, tuple[_Entry, ...]] = {}
        by_second_lemma: dict[str, tuple[_Entry, ...]] = {}
        for pos, p in enumerate(patterns):
            w1 = p.words[1] if len(p.words) > 1 else None
            if w1 is None or w1.kind not in ("word", "exact"):
                free.append((pos, p, 1, len(p.words) == 1))
                continue
            entry = ((pos, p, 2, len(p.words) == 2),)
            by_second[w1.text] = by_second.get(w1.text, ()) + entry
            if w1.kind == "word":   # "=word" wants the form as written, not the lemma
                by_second_lemma[w1.text] = by_second_lemma.get(w1.text, ()) + entry
        self.free = tuple(free)
        self.by_second = by_second
        self.by_second_lemma = by_second_lemma


_NO_CANDIDATES = _Candidates(())


def _match_rest(words: Sequence[Word], j: int, tokens: Sequence[Token], i: int, n: int) -> int:
    """The token index after ``words[j:]`` matched from token ``i`` on, or -1."""
    m = len(words)
    while j < m:
        w = words[j]
        if w.kind == "gap":
            nxt = words[j + 1] if j + 1 < m else None
            # the word after the gap tested here first, inline (a gap tries up to a dozen places and
            # most fail it): Word.matches spelled out per kind
            kind = nxt.kind if nxt is not None else "gap"
            text = nxt.text if nxt is not None else ""
            for k in range(i + (w.text == "+"), min(i + GAP + 1, n)):
                if k > i and (tokens[k - 1].text in _GAP_STOPS or (
                        tokens[k - 1].lower in ("dass", "that") and k >= 2 and tokens[k - 2].text == ",")):
                    break   # a gap stays in its clause: "Trump will, dass sich A und B treffen"
                if kind != "gap":
                    tok = tokens[k]
                    if kind == "word":
                        if tok.lower != text and tok.lemma != text:
                            continue
                    elif kind == "exact":
                        if tok.lower != text:
                            continue
                    elif kind == "prefix":
                        if not (tok.lower.startswith(text) or tok.lemma.startswith(text)):
                            continue
                    elif kind == "suffix":
                        if not tok.lower.endswith(text):
                            continue
                    else:
                        continue
                end = _match_rest(words, j + 1, tokens, k, n)
                if end >= 0:
                    return end
            return -1
        if i >= n or not w.matches(tokens[i]):
            return -1
        i += 1
        j += 1
    return i


def longest(hits: Iterable[Hit]) -> list[Hit]:
    """Of overlapping hits keep the longest (more words first, then earlier): "fall of" over "fall"."""
    ordered = sorted(hits, key=lambda h: (-(h.last - h.first), h.first))
    if len(ordered) < 2:
        return ordered   # nothing can overlap (the common case)
    taken: list[tuple[int, int]] = []
    out: list[Hit] = []
    for h in ordered:
        if any(h.first < b and a < h.last for a, b in taken):
            continue
        taken.append((h.first, h.last))
        out.append(h)
    out.sort(key=lambda h: h.first)
    return out
