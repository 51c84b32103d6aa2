"""Reading text: language, sentences with spans, clauses, tokens with lemmas.

Everything works on character offsets into the article body, so a claim can quote its sentence
exactly and give its span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import simplemma

# --- tokens ------------------------------------------------------------------------------------

# (?=\S): every token starts with a non-space, so a space fails on one test, not five
_TOKEN = re.compile(r"(?=\S)(?:(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)*|\w+(?:[-‐]\w+)*(?:['’]s\b)?|n't|[^\w\s])")


class Token(NamedTuple):
    """A word or sign with its lowercase form and lemma (a tuple: there are many of them)."""

    text: str
    lower: str
    lemma: str
    start: int   # offsets in the body
    end: int


_new_tuple = tuple.__new__


class Lemmatizer:
    """simplemma with a per-language cache: news repeats its words, so most lookups are hits."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], str] = {}
        # (lowercase, lemma) of each word as written, one table per language (keyed by the word
        # alone: no tuple to build per token)
        self._forms: dict[str, dict[str, tuple[str, str]]] = {}

    def lemma(self, word: str, lang: str) -> str:
        key = (lang, word)
        hit = self._cache.get(key)
        if hit is None:
            if not word[:1].isalpha() or len(self._cache) > 200_000:
                hit = word.lower()
            else:
                try:
                    hit = simplemma.lemmatize(word, lang=lang).lower()
                except (ValueError, KeyError):
                    hit = word.lower()
            if len(self._cache) <= 200_000:
                self._cache[key] = hit
        return hit

    def tokenize(self, text: str, offset: int, lang: str) -> list[Token]:
        out: list[Token] = []
        append = out.append
        forms = self._forms.get(lang)
        if forms is None:
            forms = self._forms[lang] = {}
        find = text.find
        pos = 0
        # findall and str.find instead of match objects: every non-space character starts a token,
        # so only spaces lie between two tokens and the next one is found where its text next occurs
        for w in _TOKEN.findall(text):
            f = forms.get(w)
            if f is None:
                f = (w.lower(), self.lemma(w, lang))
                if len(forms) < 200_000:
                    forms[w] = f
            pos = find(w, pos)
            end = pos + len(w)
            # tuple.__new__ skips the Python-level __new__ of a NamedTuple: a tenth of the time here
            append(_new_tuple(Token, (w, f[0], f[1], offset + pos, offset + end)))
            pos = end
        return out


# --- language ----------------------------------------------------------------------------------

_STOP = {
    "de": frozenset([
        "der", "die", "das", "und", "ist", "nicht", "mit", "von", "den", "dem", "des", "ein", "eine",
        "einer", "im", "am", "zum", "zur", "vom", "beim", "auf", "für", "sich", "zu", "auch", "hat",
        "wird", "sind", "wurde", "nach", "bei", "aus", "wie", "als", "noch", "über", "dass", "sie",
        "er", "es", "sagte", "seien", "sei", "werde", "weiter", "etwa", "derzeit", "laut",
        "bisher", "inzwischen", "russische", "russischen", "ukrainische", "ukrainischen", "truppen", "armee",
        "stadt"
    ]),
    "en": frozenset([
        "the", "and", "of", "to", "is", "that", "for", "on", "with", "as", "was", "were", "by", "at",
        "from", "it", "its", "has", "have", "said", "an", "be", "this", "which", "are", "not", "but",
        "after", "their", "they", "he", "says", "forces", "troops", "russian", "ukrainian", "city", "town",
        "village", "talks"
    ]),
}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str, sample: int = 6000) -> str | None:
    """'de', 'en' or None (another language or too little text): stopword shares of a sample."""
    words = [w.lower() for w in _WORD.findall(text[:sample])]
    if len(words) < 5:
        return None
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    other = max(n for k, n in counts.items() if k != lang)
    if best / len(words) >= 0.08 and best > other:
        return lang
    # A headline or a one-line item: function words of one language and none of the other.
    if len(words) < 40 and best >= 1 and other == 0:
        return lang
    return None


# --- sentences ---------------------------------------------------------------------------------

# Words before a dot that do not end a sentence (lowercase, without the dot).
_ABBREV = frozenset(["z", "b", "bzw", "ca", "dr", "nr", "mio", "mrd", "tsd", "etc", "usw", "vgl", "sog", "evtl", "ggf", "inkl", "jh", "st", "prof", "gen", "lt", "u", "a", "v", "o", "d", "h", "s", "bspw", "mr", "mrs", "ms", "jr", "sr", "st", "jan", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dez", "dec", "no", "vs", "gov", "sen", "rep", "co", "corp", "inc", "ltd", "col", "maj", "brig", "adm", "sgt", "kap", "abs", "art", "min", "max", "fig"])
_MONTHS = ("januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|"
           "jänner|january|february|march|may|june|july|october|december")
_AFTER_ORDINAL = re.compile(rf"\s*(?:{_MONTHS}|[a-zäöü])", re.IGNORECASE)
_EN_MONTH_BEFORE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.?\s+$|\b(?:January|February|March|April|May|"
                              r"June|July|August|September|October|November|December)\s+$")
_END = re.compile(r"[.!?]+[\"'”“»«)\]]*(?=\s+[\"'„“»«(\[]?[A-ZÄÖÜ0-9])")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def _is_abbrev(text: str, dot: int) -> bool:
    """Does the dot at ``dot`` end an abbreviation, an initial or an ordinal number?"""
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and (text[j - 1].isalnum()):
        j -= 1
    word = text[j:dot]
    if not word:
        return False
    if word.lower() in _ABBREV or (len(word) == 1 and word.isalpha()):
        return True
    if j > 0 and text[j - 1] == "." and len(word) <= 2:   # "U.S." , "z.B."
        return True
    if word.isdigit() and len(word) <= 2:                 # "15. August", "Nr. 3."
        if _EN_MONTH_BEFORE.search(text, 0, j) and re.match(r"\s+[A-Z]", text[dot + 1:]):
            return False   # "on Nov. 20. The Ukrainian military ...": an English date ends the sentence
        return bool(_AFTER_ORDINAL.match(text, dot + 1))
    return False


def split_sentences(body: str) -> list[Span]:
    """Sentence spans of a body: paragraphs and lines always end one; dots after abbreviations,
    initials and ordinals ("15. August", "z. B.", "Nr. 3") do not."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", body):
        lstart, text = line.start(), line.group()
        pos = 0
        for m in _END.finditer(text):
            if _is_abbrev(text, m.start()):
                continue
            end = m.end()
            _add(spans, text, lstart, pos, end)
            pos = end
        _add(spans, text, lstart, pos, len(text))
    return spans


def _add(spans: list[Span], text: str, base: int, a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append(Span(base + a, base + b))


# --- clauses -----------------------------------------------------------------------------------

_SUB = ("dass|weil|da|wenn|falls|ob|obwohl|obgleich|bevor|nachdem|während|um|sodass|damit|sofern|wie|"
        "solange|seit|seitdem|indem|andernfalls|that|because|although|though|after|before|while|if|"
        "unless|whether|since|so|saying|explaining|adding|as")
_REL = "der|die|das|dem|den|deren|dessen|denen|welche|welcher|which|who|whom|whose|where|wo|worauf|wobei"
_COORD = "aber|doch|jedoch|sondern|und|oder|denn|but|and|or|yet|while"
_REPORT = "sagte|sagten|hieß|teilte|teilten|betonte|erklärte|meldete|berichtete|so|said|says|according|officials"
# Every boundary starts with a space, a comma, a semicolon, a colon or a parenthesis: the
# lookahead lets the other positions (most of a sentence) fail on one test.
_BOUNDARY = re.compile(
    rf"(?=[\s;:(),])(?:(?P<hard>\s*[;:]\s+|\s+[–—-]\s+|\s*\(\s*|\s*\)\s*)"
    rf"|(?P<bare2>\s)(?P<coord2>(?:and|und|but|aber)(?=\s+(?:(?:also|later|then|auch|dann|später)\s+)?"
    rf"(?:would|will|has|have|had|is|was|were|could|can|met|visited|hosted|signed|"
    rf"hat|haben|ist|sind|wird|werden|würde|könnte|wäre|hatte|hatten|traf|besuchte|empfing|unterzeichnete)\b))"
    rf"|(?P<bare>\s)(?P<adv2>(?:since|because|although|whereas)(?=\s+(?:it|they|he|she|we|[A-Z](?!anuary|ebruary|arch|pril|ay\b|une|uly|ugust|eptember|ctober|ovember|ecember))))"
    rf"|(?P<comma>,)\s*(?:(?P<sub>(?:{_SUB})\b)|(?P<rel>(?:(?:in|an|auf|bei|von|mit|aus|zu|für|über|"
    rf"unter|nach|of|in|on|at|by|for|with|from|through|durch|none of|all of|some of)\s+)?(?:{_REL})\b)|"
    rf"(?P<coord>(?:{_COORD})\b)|(?P<report>(?:{_REPORT})\b)|(?P<appos>(?:a|an)\b|(?<=[A-Z]\w{1,30},)\s*the\b))?)",
    re.IGNORECASE)
# Subordinators of reasons and times: a hedge of the main clause does not reach into them
# ("would give Moscow its biggest prize since it took Avdiivka in February 2024").
_ADVERBIAL = frozenset(["weil", "da", "obwohl", "obgleich", "bevor", "nachdem", "während", "seit", "seitdem",
                        "because", "although", "though", "after", "before", "while", "since"])
_INITIAL_SUB = re.compile(r"^\s*[\"„“]?(sollte|sollten|wenn|falls|ob|nachdem|als|bevor|weil|obwohl|"
                          r"if|whether|when|after|before|because|although|unless|while|as)\b", re.IGNORECASE)
_COMMA_KINDS = frozenset(["sub", "rel", "coord", "report", "appos"])
_THE = re.compile(r"\s*the\s")
_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]*$")   # searched up to the comma (endpos), where $ matches
_NOT_ONLY = re.compile(r"\b(nicht nur|not only|not just)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Clause:
    id: int
    kind: str                       # main | sub | rel | coord | hard | report
    parts: tuple[tuple[int, int], ...]  # body offsets; a clause an inner one interrupts has two parts
    parent: int | None

    @property
    def start(self) -> int:
        return self.parts[0][0]

    def contains(self, pos: int) -> bool:
        for a, b in self.parts:  # noqa: SIM110 - a loop, not any(): called for every cue, token and name
            if a <= pos < b:
                return True
        return False


def _short_parenthesis(text: str, start: int, end: int) -> bool:
    """"Awdijiwka (Februar) und Wuhledar (Oktober)": a few words in brackets do not end a clause."""
    cut = text[start:end]
    if "(" in cut:
        close = text.find(")", end)
        return 0 <= close - end <= 25 and "(" not in text[end:close]
    if ")" in cut:
        open_ = text.rfind("(", 0, start)
        return 0 <= start - open_ <= 26 and ")" not in text[open_ + 1:start]
    return False


# After a relative clause and a comma, a capital that opens a stretch with a predicate of its own
# is the main clause going on ("Near Marinka, which Russia captured in December, Russian military
# bloggers said ..."), not the next item of a list ("which include Pokrovsk, Myrnohrad and ...").
_RESUMED = re.compile(r"\s*[A-Z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3}?\s+(?:said|says|say|reported|reports|claimed|claims|"
                      r"added|wrote|told|has|have|had|is|are|was|were|will|would|could|can|may|might)\b")


def split_clauses(text: str, offset: int) -> list[Clause]:
    """Clauses of one sentence. A relative clause or a leading condition ends at the next plain
    comma, after which the clause it interrupted goes on; "nicht nur ..., sondern auch" stays one."""
    cuts: list[tuple[int, int, str]] = []   # (cut start, next clause start, kind | 'plain')
    for m in _BOUNDARY.finditer(text):
        # The group a boundary closed last names its kind (no named group holds another; a comma
        # with nothing named after it is a plain one).
        name = m.lastgroup
        if name == "hard":
            if not _short_parenthesis(text, m.start(), m.end()):
                cuts.append((m.start(), m.end(), "hard"))
            continue
        if name == "adv2":
            cuts.append((m.start(), m.start("adv2"), "adv"))
            continue
        if name == "coord2":
            # "... since it took Avdiivka and would open the way ...": a second predicate
            cuts.append((m.start(), m.start("coord2"), "coord"))
            continue
        kind = name if name in _COMMA_KINDS else "plain"
        if kind == "plain" and _THE.match(text, m.end()) and _NAME_BEFORE.search(text, 0, m.start()):
            kind = "appos"   # "Kramatorsk and Sloviansk, the last major cities ...": about the names before
        if kind == "sub" and m.group("sub").lower() in _ADVERBIAL:
            kind = "adv"
        if kind == "coord" and m.group("coord").lower() in ("sondern", "but") and \
                _NOT_ONLY.search(text, max(0, m.start() - 120), m.start()):
            continue
        start = m.start()
        cuts.append((start, m.end("comma"), kind))
    clauses: list[Clause] = []
    stack: list[tuple[int, str, list[tuple[int, int]], int | None]] = []  # open clauses
    next_id = 0
    first_kind = "sub" if _INITIAL_SUB.match(text) else "main"
    cur_id, cur_kind, cur_parts, cur_start, cur_parent = next_id, first_kind, [], 0, None
    next_id += 1

    def close_part(end: int) -> None:
        if end > cur_start:
            cur_parts.append((offset + cur_start, offset + end))

    for cut_start, nxt, kind in cuts:
        if kind == "plain":
            # A lowercase word after the comma is the interrupted clause going on (German verbs,
            # English predicates); a capital is more often the next item of a list.
            rest = text[nxt:nxt + 2].lstrip()
            if cur_kind in ("rel", "sub", "appos", "adv") and (rest[:1].islower() or (
                    cur_kind == "rel" and _RESUMED.match(text, nxt))):
                close_part(cut_start)
                clauses.append(Clause(cur_id, cur_kind, tuple(cur_parts), cur_parent))
                if stack:
                    cur_id, cur_kind, cur_parts, cur_parent = stack.pop()
                    cur_start = nxt
                else:
                    cur_id, cur_kind, cur_parts, cur_start, cur_parent = next_id, "main", [], nxt, None
                    next_id += 1
            continue
        close_part(cut_start)
        if kind in ("rel", "appos") or (kind in ("sub", "adv") and cur_kind not in ("sub", "adv")):
            stack.append((cur_id, cur_kind, cur_parts, cur_parent))
            cur_parent = cur_id
            cur_id, cur_kind, cur_parts, cur_start = next_id, kind, [], nxt
        else:
            clauses.append(Clause(cur_id, cur_kind, tuple(cur_parts), cur_parent))
            while stack:   # a hard boundary or a new clause also ends any open relative clause
                sid, skind, sparts, sparent = stack.pop()
                if sparts:
                    clauses.append(Clause(sid, skind, tuple(sparts), sparent))
            cur_id, cur_kind, cur_parts, cur_start, cur_parent = next_id, kind, [], nxt, None
        next_id += 1
    close_part(len(text))
    clauses.append(Clause(cur_id, cur_kind, tuple(cur_parts), cur_parent))
    while stack:
        sid, skind, sparts, sparent = stack.pop()
        if sparts:
            clauses.append(Clause(sid, skind, tuple(sparts), sparent))
    clauses = [c for c in clauses if c.parts]
    clauses.sort(key=lambda c: c.start)
    return clauses
