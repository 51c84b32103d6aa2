"""The typed records the kind extractors read: an article cut into sentences, each with its
tokens, clauses, cue hits, entity mentions and quantities."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from monitor.extract.dates import PastTime, find_past_times
from monitor.extract.entities import Ref
from monitor.extract.lexicon import Hit, longest
from monitor.extract.numbers import Quantity
from monitor.extract.text import Clause, Token, split_clauses
from monitor.models import Article, Claim, Value
from monitor.topics import TopicSet

PLACE_TYPES = ("place", "oblast", "region")
# Words before a country name that make it a location, not a doer ("in der Ukraine", "of Russia").
_PREPOSITIONS = frozenset(["in", "im", "der", "des", "von", "gegen", "für", "aus", "nach", "über", "zur", "zum", "vor", "unter", "mit", "zwischen", "of", "against", "for", "to", "into", "across", "from", "with", "between", "within", "inside", "throughout", "on", "at"])
_EN_PAST = frozenset(["took", "fell", "withdrew", "retook", "won", "lost", "left", "drove", "met", "was",
                      "were", "did", "overran", "broke", "began", "ended"])
_PAST_AUX = frozenset(["hatte", "hatten", "war", "waren", "wurde", "wurden", "had",
                       # German simple past of the war's verbs: "Russland eroberte Awdijiwka im Februar"
                       "eroberte", "eroberten", "fiel", "fielen", "nahm", "nahmen", "befreite", "befreiten",
                       "räumte", "räumten", "besetzte", "besetzten", "verlor", "zog", "zogen", "kesselte",
                       "kesselten", "überrannte", "überrannten", "hielt", "hielten", "kontrollierte", "kontrollierten"])


@functools.cache
def _section_of(group: str) -> str:
    """"control" of "control.capture" (cached: every sentence asks for the few group names)."""
    return group.split(".", 1)[0]


@dataclass
class Sent:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    tokens: list[Token]
    hits: list[Hit]
    refs: list[Ref]
    quantities: list[Quantity]
    _groups: dict[str, list[Hit]] = field(default_factory=dict, repr=False)
    _clauses: list[Clause] | None = field(default=None, repr=False)
    sections: frozenset[str] = field(default=frozenset(), repr=False)   # "control", "meeting", ...
    _sections_cache: dict[tuple[str, tuple[str, ...]], list[Hit]] = field(default_factory=dict, repr=False)
    _group_cache: dict[tuple[str, ...], list[Hit]] = field(default_factory=dict, repr=False)
    _past_cache: dict[int, bool] = field(default_factory=dict, repr=False)
    _clause_at: dict[int, Clause] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.hits:
            return   # most sentences of a long article: nothing to group
        groups = self._groups
        for h in self.hits:
            found = groups.get(h.group)
            if found is None:
                groups[h.group] = [h]
            else:
                found.append(h)
        self.sections = frozenset([_section_of(g) for g in groups])

    @property
    def clauses(self) -> list[Clause]:
        """Clauses, split on first use: most sentences never need them."""
        if self._clauses is None:
            self._clauses = split_clauses(self.text, self.start)
        return self._clauses

    # -- cues -------------------------------------------------------------------------------
    def group(self, *groups: str) -> list[Hit]:
        """Hits of some cue groups in text order (memoized: the kinds and modality ask often).
        The list is shared: read it, do not change it."""
        if len(groups) == 1:   # the common case: the group's own list, no copy to cache
            found = self._groups.get(groups[0])
            return found if found is not None else []
        hit = self._group_cache.get(groups)
        if hit is None:
            hit = []
            for g in groups:
                hit.extend(self._groups.get(g, ()))
            if len(groups) > 1:
                hit.sort(key=lambda h: h.first)
            self._group_cache[groups] = hit
        return hit

    def section(self, section: str, names: Sequence[str]) -> list[Hit]:
        """The longest non-overlapping hits of some groups of a section (memoized: kinds ask often)."""
        key = (section, tuple(names))
        hit = self._sections_cache.get(key)
        if hit is None:
            hit = longest(self.group(*(f"{section}.{n}" for n in names))) if section in self.sections else []
            self._sections_cache[key] = hit
        return hit

    def has(self, group: str, clause: Clause | None = None) -> bool:
        return any(clause is None or clause.contains(h.start) for h in self._groups.get(group, ()))

    def in_clause(self, group: str, clause: Clause) -> list[Hit]:
        return [h for h in self._groups.get(group, ()) if clause.contains(h.start)]

    # -- structure --------------------------------------------------------------------------
    def clause_of(self, pos: int) -> Clause:
        hit = self._clause_at.get(pos)
        if hit is None:
            hit = self._clause_at[pos] = self._find_clause(pos)
        return hit

    def _find_clause(self, pos: int) -> Clause:
        for c in self.clauses:
            if c.contains(pos):
                return c
        best = self.clauses[0]
        for c in self.clauses:
            if c.start <= pos:
                best = c
        return best

    def clause_text(self, clause: Clause, body: str) -> str:
        return " ".join(body[a:b] for a, b in clause.parts)

    def token_before(self, pos: int) -> Token | None:
        prev = None
        for t in self.tokens:
            if t.start >= pos:
                break
            prev = t
        return prev

    def refs_of(self, types: Sequence[str], clause: Clause | None = None) -> list[Ref]:
        return [r for r in self.refs if r.type in types and (clause is None or clause.contains(r.start))]

    def is_past_clause(self, clause: Clause) -> bool:
        """A pluperfect or (English) simple past: "hatten ... erobert", "withdrew ... in December"."""
        hit = self._past_cache.get(clause.id)
        if hit is None:
            hit = self._past_cache[clause.id] = self._is_past(clause)
        return hit

    def _is_past(self, clause: Clause) -> bool:
        return any((t.lower in _PAST_AUX or t.lower in _EN_PAST or (len(t.lower) > 5 and t.lower.endswith("ed")
                                                                   and t.text[:1].islower()
                                                                   and t.lower not in _ADJECTIVE_ED))
                   and clause.contains(t.start) for t in self.tokens)


# -ed words that are adjectives far more often than past verbs: "allied leaders", "a planned summit"
_ADJECTIVE_ED = frozenset(["allied", "united", "limited", "detailed", "advanced", "related", "supposed", "alleged",
                           "planned", "scheduled", "expected", "proposed", "so-called", "armed", "based", "long-awaited",
                           "self-proclaimed", "russian-backed", "moscow-backed", "kremlin-backed", "western-backed"])


@dataclass
class Doc:
    article: Article
    lang: str
    body: str
    sentences: list[Sent]
    topics: TopicSet
    # What earlier sentences established for later ones ("das Treffen" is the article's meeting).
    memory: dict[str, object] = field(default_factory=dict)
    _past_times: dict[tuple[int, int], list[PastTime]] = field(default_factory=dict, repr=False)

    @property
    def date(self) -> dt.date:
        return self.article.date

    def previous(self, sent: Sent, n: int = 2) -> list[Sent]:
        """Up to ``n`` sentences before ``sent``, nearest first."""
        i = sent.index
        return [self.sentences[j] for j in range(i - 1, max(-1, i - 1 - n), -1)]

    def past_times(self, sent: Sent, clause: Clause) -> list[PastTime]:
        """Past times of a clause (memoized: several claims of a clause ask)."""
        key = (sent.index, clause.id)
        hit = self._past_times.get(key)
        if hit is None:
            past = sent.is_past_clause(clause)
            hit = [pt for a, b in clause.parts for pt in find_past_times(self.body[a:b], a, self.date, past)]
            self._past_times[key] = hit
        return list(hit)

    def claim(self, sent: Sent, *, kind: str, subject: str, subject_name: str, attribute: str,
              value: Value, modality: str, rule: str, cues: Sequence[str], unit: str | None = None,
              qualifier: str | None = None, period: str | None = None, as_of: str | None = None,
              actor: str | None = None, attribution: str | None = None) -> Claim:
        return Claim(article=self.article.id, date=self.date.isoformat(), kind=kind, subject=subject,
                     subject_name=subject_name, attribute=attribute, value=value, sentence=sent.text,
                     span=(sent.start, sent.end), modality=modality, unit=unit, qualifier=qualifier,
                     period=period, as_of=as_of, actor=actor, attribution=attribution, rule=rule,
                     cues=tuple(dict.fromkeys(c for c in cues if c)),
                     topic=self.topics.topic_for_kind(kind))


def side_of_actor(sent: Sent, hit: Hit) -> str | None:
    """The side an actor hit stands for; country names after a preposition are no actors."""
    side = hit.name
    if hit.last - hit.first == 1 and side in ("russia", "ukraine"):
        before = sent.tokens[hit.first - 1].lower if hit.first > 0 else ""
        if before in _PREPOSITIONS:
            return None
    return side


# "Kiew/Moskau - ", "KYIV (Reuters) - ", "Moskau (dpa) – ": where a report was filed, not who acted
DATELINE = re.compile(r"^[\w/ .,]{2,40}?(?:\s*\([\w ./-]{1,20}\))? [-–—] ")


def dateline_end(sent: Sent) -> int:
    """Body offset where a sentence's dateline ends (its start when it has none)."""
    m = DATELINE.match(sent.text) if sent.index == 0 or sent.text[:1].isupper() else None
    return sent.start + m.end() if m else sent.start


def actors(sent: Sent) -> list[tuple[Hit, str]]:
    """Actor hits of the sentence with their side; "its troops" takes the side named before it."""
    out: list[tuple[Hit, str]] = []
    line = dateline_end(sent)
    for h in longest(sent.group("actor.russia", "actor.ukraine", "actor.self")):
        if h.end <= line:
            continue
        if h.name == "self":
            prev = [s for _, s in out]
            if prev:
                out.append((h, prev[-1]))   # "Russia's ministry said its forces": the nearest before
            continue
        side = side_of_actor(sent, h)
        if side:
            out.append((h, side))
    return out


def actor_for(sent: Sent, clause: Clause, cue: Hit) -> tuple[str | None, str]:
    """Who does what the cue says: a passive agent ("von den Ukrainern"), else the first actor
    before the cue in its clause (the subject), else the first after it (German inversion:
    "Wuhledar halten die Ukrainer"), else the first in the sentence."""
    # "drove Russian troops out of ... and recaptured Kherson": who was driven out is no doer
    driven = [(e.first, e.last) for e in sent.hits if "..+" in e.pattern and e is not cue]
    acts = [(h, s) for h, s in actors(sent) if not _of_a_noun(sent, h)
            and not any(a < h.first and h.last <= b for a, b in driven)]
    # "von den Russen gesäubert und befreit", "von den Besatzern befreit": cleared of them, not by them
    acts = [(h, s) for h, s in acts if not (_after_von(sent, h.first) and (
        any(t.lower == "gesäubert" for t in sent.tokens[h.last:h.last + 2])
        or ("besatzer" in h.text.lower() and any(t.lower == "befreit" for t in sent.tokens[h.last:h.last + 2]))))]
    within = [(h, s) for h, s in acts if cue.first <= h.first < cue.last]
    if within:
        return within[0][1], within[0][0].text   # "zog sich Russland ... aus": the cue names its doer
    if any(h.last == cue.first for h, _ in acts):
        # "the largest settlement Ukraine captured": the name right before the verb is its subject
        h, s = next((h, s) for h, s in acts if h.last == cue.first)
        return s, h.text
    # "Russian troops, which control the dam and Nova Kakhovka": a relative clause's doer is the
    # noun the pronoun stands for
    rel = next((i for i in range(cue.first - 1, 0, -1) if sent.tokens[i].lower in _RELATIVE
                and sent.tokens[i - 1].text == ","), None)
    if rel is not None and cue.first - rel <= 8:
        ante = [(h, s) for h, s in acts if h.last in (rel - 1, rel)]
        if ante:
            return ante[-1][1], ante[-1][0].text
    # German puts an agent before its participle: in "1100 km² zurückerobert, 86 Prozent des von den
    # Ukrainern eingenommenen Gebiets" the Ukrainians took the land, they did not win it back.
    inside = [(h, s) for h, s in acts if clause.contains(h.start)
              and not (h.first > cue.first and h.first > 0 and sent.tokens[h.first - 1].lower in ("von", "durch"))]
    for h, s in inside:
        before = sent.tokens[h.first - 1].lower if h.first > 0 else ""
        if before in ("von", "by", "durch"):
            return s, h.text
    before_cue = [(h, s) for h, s in inside if h.first < cue.first]
    # ", ehe die ukrainische Armee die Stadt zurückeroberte": a subordinate clause the splitter
    # left whole has its own subject
    starts = {h.first for h, _ in acts}
    bounds = [i for i in range(1, cue.first) if (sent.tokens[i].lower in _SUBORDINATORS
                                                  and (sent.tokens[i - 1].text == ","
                                                       # "... once Russian troops had pulled back": a
                                                       # subordinator right before its own subject
                                                       or (sent.tokens[i].lower in _BARE_SUBORDINATORS
                                                           and (i + 1 in starts or i + 2 in starts))))
              or sent.tokens[i].lower in ("that", "dass", "wonach")]
    if bounds and any(h.first > bounds[-1] for h, _ in before_cue):
        before_cue = [(h, s) for h, s in before_cue if h.first > bounds[-1]]
    if before_cue:
        # the clause's subject comes first: "Russia ... failed to push Ukrainian troops out but lost X"
        h, s = before_cue[0]
        return s, h.text
    after_cue = [(h, s) for h, s in inside if h.first >= cue.last]
    if after_cue:
        h, s = after_cue[0]
        return s, h.text
    # "Bachmut, das ... an Russland gefallen war, ist noch lange nicht zurückerobert": not the doer
    earlier = [(h, s) for h, s in acts if h.first < cue.first
               and sent.clause_of(h.start).kind not in ("rel", "appos")]
    if earlier:
        h, s = earlier[0]
        return s, h.text
    return None, ""


def _after_von(sent: Sent, first: int) -> bool:
    """"von den Besatzern", "von Russen": the word before (or before its article) is "von"."""
    before = [t.lower for t in sent.tokens[max(0, first - 2):first]]
    return bool(before) and (before[-1] == "von" or (len(before) == 2 and before[0] == "von"
                                                      and before[1] in ("den", "der", "dem", "die")))


# subordinators that are never prepositions ("after the fall of" is one)
_BARE_SUBORDINATORS = frozenset(["once", "nachdem", "because", "weil", "als", "when", "whereas", "obwohl", "although"])
_RELATIVE = frozenset(["which", "who", "die", "der", "welche", "welcher"])
_SUBORDINATORS = frozenset(["ehe", "bevor", "nachdem", "als", "weil", "während", "bis", "seitdem", "sobald",
                            "before", "after", "when", "while", "until", "since", "because", "once"])
# Nouns whose genitive/"of" names who did it: "Nach dem Abzug der russischen Truppen sind
# ukrainische Soldaten eingerückt": the Russians withdrew, the Ukrainians moved in.
_ACTION_NOUNS = frozenset(["abzug", "rückzug", "abzugs", "rückzugs", "vormarsch", "vormarschs", "vormarsches",
                           "angriff", "angriffe", "angriffen", "withdrawal", "retreat", "advance", "pullout",
                           "attacks", "attack", "offensive"])


def _of_a_noun(sent: Sent, h: Hit) -> bool:
    toks = sent.tokens[max(0, h.first - 2):h.first]
    words = [t.lower for t in toks]
    if not words or words[-1] not in ("der", "des", "of", "by"):
        return False
    return len(words) == 2 and words[0] in _ACTION_NOUNS


def war_context(doc: Doc, sent: Sent) -> bool:
    """The sentence, the two before it or the title speak of Russia and Ukraine."""
    for s in (sent, *doc.previous(sent, 2), doc.sentences[0]):
        if any(h.group.startswith("actor.") for h in s.hits):
            return True
        if any(r.type in ("place", "oblast", "region") or r.id in ("ukraine", "russia")
               or (r.type == "person" and r.country in ("ukraine", "russia")) for r in s.refs):
            return True
    return False


_NEGATORS = frozenset(["nicht", "kein", "keine", "keinen", "keiner", "keinem", "nie", "niemals", "not", "never", "no",
                       "n't"])


def cue_spans(sent: Sent, hit: Hit) -> tuple[tuple[int, int], ...]:
    """The spans of a cue's own words, for a modality check to skip: a negation a gap of the cue
    took in ("stimmte der Waffenruhe nicht zu", "sagte das Treffen nicht ab") still counts."""
    if "..." not in hit.pattern:
        return ((hit.start, hit.end),)
    return tuple((t.start, t.end) for t in sent.tokens[hit.first:hit.last] if t.lower not in _NEGATORS)


# What parts a sentence into stretches of text: a comma, a semicolon, a spaced dash.
STRETCH_BREAK = re.compile(r",|;|\s[–—-]\s")


def stretch_bounds(body: str, sent: Sent, start: int, end: int) -> tuple[int, int]:
    """Body offsets of the stretch of ``sent`` that holds ``start:end``."""
    before = [m.end() for m in STRETCH_BREAK.finditer(body, sent.start, start)]
    after = STRETCH_BREAK.search(body, end, sent.end)
    return (before[-1] if before else sent.start), (after.start() if after else sent.end)


def stretch_of(sent: Sent, pos: int) -> int:
    """Which stretch of ``sent`` the body offset ``pos`` lies in (0 for the first)."""
    return len(STRETCH_BREAK.findall(sent.text, 0, max(0, pos - sent.start)))


def add_once(out: list[Claim], index: dict[object, int], key: object, claim: Claim) -> None:
    """Each (kind, subject, attribute, value) once per sentence; where the sentence says it twice,
    once as a fact and once hedged or negated ("fordert Trump nicht mehr; Merz sprach sich für eine
    Feuerpause aus"), the fact stands, in the place of the first mention."""
    at = index.get(key)
    if at is None:
        index[key] = len(out)
        out.append(claim)
    elif claim.changes_state and not out[at].changes_state:
        out[at] = claim
