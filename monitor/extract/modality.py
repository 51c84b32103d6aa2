"""Modality and attribution of a claim (spec: Modality).

- negated: a negation in the claim's clause ("nicht", "weder ... noch", "kaum", "failed to"), or a
  denial governing it ("deny that ..."); "nicht nur ... sondern auch" is no negation.
- hedged: a question, a condition ("Sollte ..., wäre ..."), a hedge ("könnte", "halten es für
  möglich", "expect") in the clause or in an earlier clause that governs it; for facts (not for
  meetings, whose plans are their status) also plans and vows.
- reported: an attribution anywhere in the sentence ("nach ukrainischen Angaben", "said"), or
  reported speech in the clause ("soll ... haben", "seien").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.extract.doc import Sent
from monitor.extract.lexicon import Hit, longest
from monitor.extract.text import Clause

_NO_LEAK = ("rel", "appos", "report")


@dataclass(frozen=True, slots=True)
class Modality:
    value: str
    attribution: str | None
    cues: tuple[str, ...]


def _governs(hit_clause: Clause, clause: Clause, hit: Hit, anchor: int) -> bool:
    """Does a hedge in ``hit_clause`` reach a claim in ``clause``?"""
    if hit_clause.id == clause.id:
        return True
    if hit_clause.kind in _NO_LEAK or clause.kind in ("adv", "rel", "appos"):
        return False   # a relative clause or apposition says what holds of its noun
    return hit.start < anchor and clause.kind not in ("hard", "coord", "report")


def assess(sent: Sent, anchor: int, *, plans: bool = True, own_side: str | None = None,
           skip: tuple[tuple[int, int], ...] = ()) -> Modality:
    """The modality of a claim whose cue starts at ``anchor``. ``skip`` are spans of the claim's own
    cue words (a status word like "geplant" is no hedge for the meeting it describes)."""
    clause = sent.clause_of(anchor)

    def ok(h: Hit) -> bool:
        return not any(a <= h.start < b for a, b in skip)

    def clause_of(h: Hit) -> Clause:
        return sent.clause_of(h.start)

    first = sent.clauses[0]
    # questions and conditions
    if sent.text.rstrip(" \"”“«»").endswith("?"):
        return Modality("hedged", None, ("?",))
    scenario = _SCENARIO.match(sent.text)
    if scenario is not None:
        return Modality("hedged", None, (scenario.group(1),))   # "Variante eins: Die Ukraine zieht ... ab"
    for h in sent.group("modality.question", "modality.condition"):
        hc = clause_of(h)
        if not ok(h):
            continue
        # "Sollte Pokrowsk fallen, wäre ...": a leading condition makes the whole sentence one (but
        # not a relative clause that tells history: "..., wäre es nach Awdijiwka, die Russland im
        # Februar eingenommen hatte, ...")
        if _since_between(sent, h, anchor):
            continue
        if hc.id == clause.id or (h.first == 0 and first.kind == "sub" and clause.kind not in ("rel", "appos")):
            return Modality("hedged", None, (h.text,))
    # "Should Pokrovsk fall, ...", "Were Russia to take X, ...": an inverted condition before the comma
    if sent.tokens and sent.tokens[0].lower in ("should", "were", "had") and "," in sent.text \
            and anchor < sent.start + sent.text.index(","):
        return Modality("hedged", None, (sent.tokens[0].text,))
    # negation
    exceptions = sent.group("modality.negation_exception")
    for h in sent.group("modality.negation"):
        if not ok(h) or any(e.first <= h.first < e.last for e in exceptions):
            continue
        if clause.contains(h.start) and _negates(sent, h, anchor):
            return Modality("negated", None, (h.text,))
    for h in sent.group("modality.deny"):
        hc = clause_of(h)
        if h.start < anchor and (hc.id == clause.id or clause.kind == "sub"):
            return Modality("negated", _denier(sent, h) or _attribution(sent, own_side), (h.text,))
        if h.start > anchor and _REPORTS_OF.search(sent.text[max(0, anchor - sent.start - 40):anchor - sent.start]):
            # "Berichte über eine Einkesselung ... wies Kiew zurück": the reports fronted, the denial after
            return Modality("negated", _denier(sent, h) or _attribution(sent, own_side), (h.text,))
    denied = _denied_report(sent, anchor)
    if denied is not None:
        return Modality("negated", _denier(sent, denied), (denied.text,))
    # hedges and plans
    groups = ["modality.hedge"] + (["modality.plan"] if plans else [])
    claims_words = sent.group("modality.report")
    for h in longest(sent.group(*groups)):
        if any(r.first <= h.first < r.last for r in claims_words):
            continue   # "Russland will Pokrowsk eingenommen haben": a claim, not a plan
        if h.text == "May" and h.first > 0:
            continue   # "May 17", "in late May": the month, not the modal
        if h.start > anchor and _relative_between(sent, anchor, h):
            continue   # "will host Putin for a summit that could decide the war": the summit's hedge
        if h.start < anchor and _since_between(sent, h, anchor):
            continue   # "would be the largest town to fall since Russian troops took Vuhledar": history
        if h.text.lower() in ("müssen", "musste", "mussten") and any(
                t.lower in ("hatte", "hatten", "hat", "haben") and clause.contains(t.start) for t in sent.tokens):
            continue   # "hatten Wuhledar räumen müssen": had to, and did
        if ok(h) and _governs(clause_of(h), clause, h, anchor):
            return Modality("hedged", None, (h.text,))
    if plans and _german_future(sent, clause, anchor):
        return Modality("hedged", None, ("werden",))
    # "soll so bald wie möglich unterzeichnet werden", "soll in den kommenden Tagen folgen": with
    # a time ahead, "soll" is a plan, not reported speech
    shall = [t for t in sent.tokens if t.lower in ("soll", "sollen", "solle") and clause.contains(t.start)]
    clause_toks = [t for t in sent.tokens if clause.contains(t.start) and t.text[:1].isalpha()]
    if shall and clause_toks and clause_toks[-1].lower == "werden" and clause_toks[-1].start > shall[0].start:
        # "Ganz Saporischschja soll erobert werden": to be done, an aim ("soll ... erobert haben"
        # and "soll ... erobert worden sein" stay reports)
        return Modality("hedged", None, (shall[0].text, "werden"))
    comma = sent.text.rfind(",", 0, anchor - sent.start)
    if comma >= 0 and _UNTIL.match(sent.text, comma + 1) and not sent.is_past_clause(clause):
        # "die Offensive fortzusetzen, bis das gesamte Gebiet ... unter russischer Kontrolle ist": a goal
        return Modality("hedged", None, (sent.text[comma + 1:].split()[0],))
    ahead = [h for h in sent.group("modality.future") if ok(h)]
    if plans and shall and ahead:
        return Modality("hedged", None, (shall[0].text, ahead[0].text))
    # "das Sagen haben" (to be in charge) is no reporting verb
    reports = [h for h in sent.group("modality.report") if h.text != "Sagen" and ok(h)]   # "sagte ... ab" is the cue itself
    for h in sent.group("modality.would"):
        if ok(h) and clause.contains(h.start) and not any(r.start < h.start for r in reports):
            return Modality("hedged", None, (h.text,))
    if reports:
        return Modality("reported", _attribution(sent, own_side, reports[0]), (reports[0].text,))
    source = _source_prefix(sent)
    if source is not None and not sent.clauses[0].contains(anchor):
        return Modality("reported", source.name if source.group.startswith("attribution.") else None,
                        (source.text + ":",))
    forms = [h for h in sent.in_clause("modality.reported_form", clause) if ok(h)]
    if forms or sent.group("modality.would"):
        # reported speech without a named source ("soll ... erobert haben"): nobody in particular
        own = own_side if "eigenen angaben" in sent.text.lower() else None
        return Modality("reported", own,
                        tuple(h.text for h in forms[:1]) or ("would",))
    return Modality("asserted", None, ())


# "..., bis das gesamte Gebiet ... unter russischer Kontrolle ist": "bis" as a conjunction (not
# "bis Ende Mai") opens the goal of the clause before
_UNTIL = re.compile(r"\s*(?:bis|until|till)\s+(?:das|die|der|den|dem|alle|ganz|the|all|it|they|russian|russische\w*|"
                    r"ukrainian|ukrainische\w*|moskau|moscow|kiew|kyiv)\b", re.IGNORECASE)
# a sentence that lays out one of several possible courses: "Variante eins: ...", "Scenario two: ..."
_SCENARIO = re.compile(r"\W*((?:Variante|Szenario|Option|Möglichkeit|Scenario|Option)\b)[^:.]{0,25}:", re.IGNORECASE)
_REPORTS_OF = re.compile(r"\b(?:Berichte|Meldungen|Angaben|Behauptungen|reports|claims)\s+(?:über|von|of|about)\s+"
                         r"(?:eine[nrm]?|die|den|das|der|an?|the)?\s*(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_COMPLEMENTIZERS = frozenset(["wonach", "dass", "that", "daß"])
_EN_RELATIVE = frozenset(["that", "which", "who", "whose", "where"])
_SINCE = frozenset(["since", "seit", "seitdem"])


def _since_between(sent: Sent, h: Hit, anchor: int) -> bool:
    """"since" between a hedge and the claim: the claim is the past the hedged one is measured by."""
    return any(t.lower in _SINCE and h.end <= t.start < anchor for t in sent.tokens)


def _relative_between(sent: Sent, anchor: int, h: Hit) -> bool:
    """An English relative pronoun after a noun between the claim's cue and a later hedge (English
    writes no comma before "that", so the clause splitter keeps it in the main clause)."""
    toks = [t for t in sent.tokens if anchor <= t.start < h.start]
    return any(t.lower in _EN_RELATIVE and i > 0 and toks[i - 1].text[:1].isalpha()
               and toks[i - 1].lower not in _SAYING for i, t in enumerate(toks))


# "said that Russia could ...": after these, "that" opens what was said, not a relative clause
_SAYING = frozenset(["said", "says", "say", "told", "added", "warned", "believe", "believes", "hope", "hopes",
                     "think", "thinks", "expect", "expects", "claimed", "insisted", "announced", "stated"])


def _denied_report(sent: Sent, anchor: int) -> Hit | None:
    """A denial of the report the claim stands in: "Berichte, wonach X eingekesselt sei, wies der
    Generalstab zurück", "denied Russian claims that their units had been surrounded". The claim
    must lie in the "wonach/dass/that" clause of a report noun, and the denying verb outside it."""
    nouns = [h for h in sent.group("modality.report_noun") if h.start < anchor]
    if not nouns:
        return None
    noun = nouns[-1]
    comp = next((t for t in sent.tokens[noun.last:noun.last + 6]
                 if t.lower in _COMPLEMENTIZERS and t.start < anchor), None)
    if comp is None and noun.last < len(sent.tokens) and sent.tokens[noun.last].text == "," \
            and sent.tokens[noun.last].start < anchor:
        comp = sent.tokens[noun.last]   # "Die Behauptung, Kupjansk sei eingenommen, sei eine Lüge"
    if comp is None:
        return None
    for h in sent.group("modality.deny_report"):
        if h.last <= noun.first and noun.first - h.last <= 4:
            return h   # "denied Russian claims that ..."
        copula = h.first > 0 and sent.tokens[h.first - 1].lower in ("is", "are", "was", "were", "sei", "seien", "sind", "ist")
        if h.start > anchor and ("," in sent.text[anchor - sent.start:h.start - sent.start] or copula) and noun.first <= 2:
            return h   # "Berichte, wonach ..., wies der Generalstab zurück", "claims that ... are false"
    return None


def _denier(sent: Sent, deny: Hit) -> str | None:
    """The side of who denies: the source named nearest the denying verb."""
    hits = longest(h for h in sent.hits if h.group.startswith(("attribution.", "actor."))
                   and h.name in ("russia", "ukraine", "usa"))
    if not hits:
        return None
    near = min(hits, key=lambda h: min(abs(h.first - deny.last), abs(deny.first - h.last)))
    return near.name if min(abs(near.first - deny.last), abs(deny.first - near.last)) <= 6 else None


_SOURCE_COLON = re.compile(r"\W*([^:;–—]{1,40}?)\s*:\s")


def _source_prefix(sent: Sent) -> Hit | None:
    """"Russland: Dorf im Gebiet Donezk eingenommen", "Kyiv: fighting goes on": a headline that
    names its source before a colon."""
    if ":" not in sent.text:
        return None   # most sentences: no need to run the regex
    m = _SOURCE_COLON.match(sent.text)
    if not m or len(m.group(1).split()) > 3:
        return None
    end = sent.start + m.end(1)
    hits = [h for h in sent.hits if h.start < end and h.group.startswith(("attribution.", "actor."))]
    if not hits:
        return None
    attr = [h for h in hits if h.group.startswith("attribution.")]
    return attr[0] if attr else hits[0]


_FUTURE = frozenset(["wird", "werden", "werde", "wirst"])


def _german_future(sent: Sent, clause: Clause, anchor: int) -> bool:
    """"Wir werden Pokrowsk befreien": werden with an infinitive is a plan. (With a participle it is
    the passive present, a fact: "In Bachmut wird gekämpft", "Die Stadt wird gehalten".)"""
    i = next((k for k, t in enumerate(sent.tokens) if t.start >= anchor), None)
    if i is None:
        return False
    tok = sent.tokens[i]
    if tok.lower != tok.lemma or not tok.lower.endswith(("en", "ern", "eln")) or _PARTICIPLE.match(tok.lower):
        return False
    nxt = sent.tokens[i + 1] if i + 1 < len(sent.tokens) else None
    if nxt is not None and nxt.text not in (".", ",", ";", ":", "!", "?", "–", "-"):
        return False   # the infinitive closes its clause: "Die Armee wird Pokrowsk befreien."
    return any(t.lower in _FUTURE and clause.contains(t.start) and t.start < anchor for t in sent.tokens)


_PARTICIPLE = re.compile(r"^(?:zurück|ein|auf|ab|an|aus|vor|mit|zu|weg|fest|frei|durch|los|heran|hinein)?ge\w+en$")


_CONJ = frozenset(["but", "and", "aber", "und", "sondern", "yet"])


def _negates(sent: Sent, neg: Hit, anchor: int) -> bool:
    """Does a negation in the claim's clause reach its cue? Before the cue, unless a "but"/"and"
    starts another predicate between them ("failed to push them out but also lost Sudzha"); after
    it, in German anywhere ("Eingeschlossen seien die Verteidiger aber nicht"), in English only
    right after it."""
    cue = next((i for i, t in enumerate(sent.tokens) if t.start >= anchor), len(sent.tokens))
    if neg.first < cue and neg.text.lower() in ("ohne", "without") and cue - neg.last > 2:
        return False   # "eine Waffenruhe ohne Abzug der Truppen abgelehnt": "ohne" governs its noun only
    if neg.first < cue:
        between = sent.tokens[neg.last:cue]
        if between and between[0].lower == "yet":
            between = between[1:]   # "not yet entered": the adverb, not the conjunction
        # "no exchange has yet been agreed": "yet" inside a verb group is the adverb too
        return not any(t.lower in _CONJ and not (t.lower == "yet" and k > 0 and between[k - 1].text != ",")
                       for k, t in enumerate(between))
    german = any(t.lower in ("nicht", "kein", "keine", "weder", "kaum", "ausgeblieben", "blieb", "blieben")
                 for t in sent.tokens[neg.first:neg.last])
    between = sent.tokens[cue:neg.first]
    if any(t.text in (",", ";") for t in between) and any(t.lower in _CONJ for t in between):
        return False   # "hatte ... vorgeschlagen, war aber nicht angereist": the next conjunct's own verb
    return german or neg.first - cue <= 2


def _attribution(sent: Sent, own_side: str | None, report: Hit | None = None) -> str | None:
    """Whose word it is: "nach eigenen Angaben" is the doer's own; else the source named nearest
    the reporting words ("Russland hat nach Berechnungen unabhängiger Analysten ..." is the
    analysts'), else the first source named."""
    low = sent.text.lower()
    if own_side and ("eigenen angaben" in low or "its own" in low):
        return own_side
    hits = longest(h for h in sent.hits if h.group.startswith("attribution."))
    if not hits:
        return None
    if report is not None:
        def distance(h: Hit) -> int:
            if h.first < report.last and report.first < h.last:
                return 0
            return min(abs(h.first - report.last), abs(report.first - h.last)) + (h.first < report.first)
        return min(hits, key=distance).name
    return hits[0].name
