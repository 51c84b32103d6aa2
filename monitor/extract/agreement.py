"""agreement: a deal or truce and where it stands (proposed, rejected, agreed, signed, broken).

A status word ("fordert", "lehnte ... ab", "vereinbarten", "unterzeichnet", "gebrochen") pairs
with the nearest deal named in its clause, and with the deals listed with it ("a prisoner exchange
and security guarantees"); "das", "es", "the deal" point back to the deal named just before.
An infinitive ("zu unterzeichnen", "to accept") is no act; "failed to agree" is a negated one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from monitor.extract.doc import Doc, Sent, actor_for, add_once, cue_spans, war_context
from monitor.extract.lexicon import Hit, longest
from monitor.extract.modality import assess
from monitor.models import Claim

TYPES = ("ceasefire", "air-ceasefire", "energy-ceasefire", "prisoner-exchange", "peace-deal",
         "minerals-deal", "security-guarantees")
STATUSES = ("proposed", "rejected", "agreed", "signed", "broken", "not_agreed")
_LIST = re.compile(r"^\s*(?:,|und|and|sowie|as well as|,\s*and)\s*(?:\w+\s+){0,3}$", re.IGNORECASE)


# a relative clause that tells what a deal holds: "..., under which Germany pledged ..."
_TERMS = re.compile(r",\s*(?:under\s+which|in\s+which|whereby|wherein|worin|wonach|in\s+dem|in\s+denen|"
                    r"mit\s+dem|mit\s+denen)\b[^,;]*$", re.IGNORECASE)


class AgreementExtractor:
    kind = "agreement"

    def extract(self, doc: Doc, sent: Sent) -> list[Claim]:
        if "agreement" not in sent.sections:
            return []
        # the specific truces first: "Energie-Waffenruhe" is an energy truce, not also a plain one
        types = sent.section("agreement", (*TYPES[1:], TYPES[0]))
        seen_types = doc.memory.setdefault("agreement.seen", {})
        if isinstance(seen_types, dict):
            for t in types:
                seen_types.setdefault(t.name, []).append((sent.index, t))
        if types and not war_context(doc, sent):
            return []   # a truce in another war (Gaza) is not one this topic follows
        statuses = sent.section("agreement", STATUSES)
        out: list[Claim] = []
        seen: dict[object, int] = {}
        for st in statuses:
            before = [t.lower for t in sent.tokens[max(0, st.first - 2):st.first]]
            if st.name in ("agreed", "signed") and before and (before[-1] in ("zu", "to") or before == ["to", "be"]):
                continue   # "zu unterzeichnen", "ready to be signed": not done
            if st.name == "rejected" and len(before) == 2 and before[-1] in ("to", "zu") and before[0] in _ABOUT_TO:
                continue   # "preparing to reject", "is likely to reject": no rejection yet
            clause = sent.clause_of(st.start)
            if st.name == "proposed" and _TERMS.search(sent.text[:st.start - sent.start]) and any(
                    o.name in ("signed", "agreed") and o.start < st.start for o in statuses):
                continue   # "signed security agreements, under which Germany pledged support": the terms
            targets = _targets(doc, sent, st, types)
            if not targets:
                continue
            value = "agreed" if st.name == "not_agreed" else st.name
            skip = tuple(span for h in (st, *targets) for span in cue_spans(sent, h))
            # "das im März vereinbarte Moratorium ist abgelaufen, verlängert wurde es nicht", "legte ein
            # Konzept vor, im Gegenzug würde ...": a negation or hedge after the comma that closes the
            # status and its deal speaks of the next conjunct (reports after it still count).
            end = max(st.end, *(t.end for t in targets))
            comma = next((tok.start for tok in sent.tokens if tok.start >= end and tok.text in (",", ";")), None)
            if comma is not None:
                skip += tuple((h.start, h.end) for h in sent.group("modality.negation", "modality.hedge",
                                                                   "modality.would") if h.start > comma)
            if st.name == "proposed" and st.text.lower() in _PROPOSAL_WORDS:
                # "Abgelehnt hat der Kreml den Vorschlag nicht": the proposal stands, the "nicht" is the
                # rejection's
                skip += tuple((h.start, h.end) for h in sent.group("modality.negation"))
            if st.name == "proposed":
                # "Am Anfang müsse eine Waffenruhe stehen, forderte Merz": the "must" is the demand itself
                skip += tuple((h.start, h.end) for h in sent.group("modality.hedge") if h.text.lower() in _DEMAND_MODALS)
            mod = assess(sent, st.start, plans=st.name in ("agreed", "signed", "broken"), skip=skip)
            modality = mod.value
            if st.text.lower().split()[0] in ("hopes", "hope", "hoped", "hofft", "hoffen", "hoffte") and \
                    modality in ("asserted", "reported"):
                modality = "hedged"   # "Kyiv hopes to bring them home in a future exchange": a wish
            if st.name == "broken" and (modality == "hedged" or _generic(sent, st, targets)):
                continue   # "how violations would be verified", "keep any ceasefire": no truce was broken
            if st.name == "not_agreed" and modality in ("asserted", "reported", "negated"):
                modality = "negated"
            if st.name == "agreed" and modality == "negated" and _REFUSAL.search(
                    sent.text[max(0, st.start - sent.start - 25):st.start - sent.start]):
                # "Kyiv would not agree to a ceasefire", "werde keiner Waffenruhe zustimmen": a refusal
                value, modality = "rejected", ("reported" if mod.attribution or sent.group("modality.report")
                                               else "asserted")
            side, _ = actor_for(sent, clause, st)
            if st.name == "proposed" and st.text.lower() in _PROPOSAL_WORDS:
                side = _owner(sent, st)   # "the U.S. proposal": whose proposal, not who answers it
            times = doc.past_times(sent, clause)
            as_of = times[0].value if times and value in ("agreed", "signed", "broken") else None
            for t in targets:
                add_once(out, seen, (t.name, value, as_of), doc.claim(
                    sent, kind="agreement", subject=t.name, subject_name=t.text, attribute="status", value=value,
                    modality=modality, rule=f"agreement.{st.name}.{doc.lang}", cues=[st.text, t.text, *mod.cues],
                    actor=side, as_of=as_of, attribution=mod.attribution))
        # "Eine Feuerpause, der die Ukraine zugestimmt hatte, lehnte er ab": what the main clause
        # says of a deal outweighs a side's consent told in a relative clause
        main_rejected = {t.name for st in statuses if st.name == "rejected" and sent.clause_of(st.start).kind == "main"
                         for t in _targets(doc, sent, st, types)}
        # (a side's consent only: "vereinbart hatten" tells of a deal both sides made)
        out = [c for c in out if not (c.value == "agreed" and c.subject in main_rejected and c.cues
                                      and _CONSENT.search(c.cues[0]) and _in_relative(sent, c.cues[0]))]
        if any(st.name == "not_agreed" for st in statuses) and _signing_context(doc):
            # "leaves White House without minerals deal" in an article about a signing: not signed
            out = [replace(c, value="signed") if c.value == "agreed" and c.modality == "negated"
                   and c.rule.startswith("agreement.not_agreed") and c.subject in _SIGNED_DEALS else c for c in out]
        paired = {c.subject for c in out}
        for t in types:
            # "Gespräche über den amerikanischen Friedensplan": a plan or draft is proposed by nature
            if t.name not in paired and any(w in t.text.lower() for w in _PROPOSAL_NOUNS):
                mod = assess(sent, t.start, plans=False, skip=((t.start, t.end),))
                if mod.value == "negated":
                    continue
                side = _owner(sent, t)
                add_once(out, seen, (t.name, "proposed", None), doc.claim(
                    sent, kind="agreement", subject=t.name, subject_name=t.text, attribute="status",
                    value="proposed", modality=mod.value, rule=f"agreement.plan.{doc.lang}",
                    cues=[t.text, *mod.cues], actor=side, attribution=mod.attribution))
                paired.add(t.name)
        if types:
            doc.memory["agreement.last"] = (sent.index, types[-1])
        return out


def _targets(doc: Doc, sent: Sent, st: Hit, types: list[Hit]) -> list[Hit]:
    clause = sent.clause_of(st.start)
    inside = [t for t in types if clause.contains(t.start)]
    if inside:
        nearest = min(inside, key=lambda t: abs(t.first - st.first))
        out = [nearest]
        for t in inside:   # deals listed with the nearest one
            if t is nearest:
                continue
            a, b = (nearest, t) if nearest.first < t.first else (t, nearest)
            if _LIST.match(doc.body[a.end:b.start]):
                out.append(t)
        return out
    anaphors = [h for h in sent.in_clause("agreement.anaphor", clause) if _pronoun(sent, h)]
    if (st.name == "not_agreed" and sent.is_past_clause(clause)) or anaphors:
        # "Einen Durchbruch gab es nicht.": no deal on what the sentences before were about
        typed = _typed_referent(doc, sent, anaphors)
        if typed is not None:
            return [typed]
        last = doc.memory.get("agreement.last")
        document = _DOCUMENT_WORDS.search(" ".join(h.text for h in anaphors))
        if isinstance(last, tuple) and sent.index - 2 <= last[0] < sent.index and not (
                document and isinstance(last[1], Hit) and not _DOCUMENT_WORDS.search(last[1].text)):
            # ("the deal was signed" after "ruled out a ceasefire": a deal is no bare truce)
            return [last[1]]
    if st.first + 1 < len(sent.tokens) and sent.tokens[st.first + 1].lower in _DETERMINERS:
        return []   # "..., and Kyiv rejected the idea of ceding the Donbas": its own object, no deal
    # "den Vorschlag ... - im Tausch für einen Waffenstillstand": a deal named across a dash or
    # in the main clause, not one in a clause of reasons ("weil es keine Sicherheitsgarantien enthalte").
    near = [t for t in types if sent.clause_of(t.start).kind in ("main", "hard")]
    if near:
        return [min(near, key=lambda t: abs(t.first - st.first))]
    return []


_DETERMINERS = frozenset(["the", "a", "an", "any", "this", "his", "her", "its", "their", "den", "die", "einen",
                          "eine", "seinen", "seine", "ihren", "ihre", "jeden", "jede", "jegliche"])
_REFUSAL = re.compile(r"\b(?:would|will|wird|werde|würde)\s+(?:\w+\s+)?(?:not|never|nicht|keiner|keinen|keine|nie)\b"
                      r"[^.;]{0,20}$|\bwon't\s+$", re.IGNORECASE)
_DEMAND_MODALS = frozenset(["muss", "müsse", "müssen", "müssten", "must", "should", "sollte", "sollten", "needs to",
                            "need to", "has to", "have to"])
_SIGNED_DEALS = frozenset(["minerals-deal", "peace-deal"])   # deals that are signed, unlike truces
_PROPOSAL_WORDS = frozenset(["vorschlag", "vorschlags", "proposal", "entwurf", "entwurfs", "draft", "offer", "angebot"])
_ABOUT_TO = frozenset(["preparing", "ready", "likely", "expected", "set", "going", "about", "threatening",
                       "threatened", "bereit", "droht", "drohte"])
_PROPOSAL_NOUNS = ("plan", "vorschlag", "proposal", "entwurf", "draft")
_GENERIC = frozenset(["any", "jede", "jeder", "jedes", "jeglicher", "jegliche", "künftige", "künftigen", "future",
                      "previous", "earlier", "past", "frühere", "früheren", "bisherige", "bisherigen", "possible",
                      "mögliche", "möglichen", "eventual", "eine", "a"])


_OWNERS = (("amerikanisch", "usa"), ("american", "usa"), ("us-", "usa"), ("u.s.", "usa"), ("russisch", "russia"),
           ("russian", "russia"), ("ukrainisch", "ukraine"), ("ukrainian", "ukraine"), ("trump", "usa"),
           ("putin", "russia"), ("selenskyj", "ukraine"), ("zelensk", "ukraine"))


_CONSENT = re.compile(r"stimm|akzeptier|angenommen|nahm|accept|agreed\s+to|backed|unterstütz", re.IGNORECASE)


def _in_relative(sent: Sent, cue_text: str) -> bool:
    """The cue words stand in a relative or subordinate clause."""
    at = sent.text.find(cue_text)
    return at >= 0 and sent.clause_of(sent.start + at).kind in ("rel", "sub")


def _signing_context(doc: Doc) -> bool:
    """Does the article speak of signing a deal anywhere ("was due to sign", "Unterzeichnung")?"""
    cached = doc.memory.get("agreement.signing")
    if isinstance(cached, bool):
        return cached
    found = any(s.group("agreement.signed") for s in doc.sentences) or bool(
        re.search(r"\b(sign|signing|signature|unterzeichn\w*|unterschrift)\b", doc.body, re.IGNORECASE))
    doc.memory["agreement.signing"] = found
    return found


def _owner(sent: Sent, t: Hit) -> str | None:
    """Whose plan: "den amerikanischen Friedensplan", "Trump's peace plan", "der US-Friedensplan"."""
    words = [tok.lower for tok in sent.tokens[max(0, t.first - 2):t.first]] + [t.text.lower()]
    for w in words:
        for prefix, side in _OWNERS:
            if w.startswith(prefix):
                return side
    return None


def _generic(sent: Sent, st: Hit, targets: list[Hit]) -> bool:
    """A breach of no particular truce: "any ceasefire", "had broken previous agreements",
    "eine Waffenruhe brechen"."""
    for t in targets:
        if 0 < t.first <= len(sent.tokens) and sent.tokens[t.first - 1].lower in _GENERIC:
            return True
    after = sent.tokens[st.last:st.last + 2]
    return any(tok.lower in _GENERIC and tok.lower not in ("a", "eine") for tok in after)


_DOCUMENT_WORDS = re.compile(r"abkommen|agreement|deal|text|dokument|document|vertrag|accord|pact", re.IGNORECASE)
_PLAN_WORDS = re.compile(r"\bplan\b", re.IGNORECASE)
_DOCUMENT_TYPES = ("minerals-deal", "peace-deal", "security-guarantees")


def _typed_referent(doc: Doc, sent: Sent, anaphors: list[Hit]) -> Hit | None:
    """"den Text", "the deal": a document, so the deal (not a truce) the article spoke of most in
    its last five sentences; "the plan", "den Plan": the peace plan."""
    seen = doc.memory.get("agreement.seen")
    if not anaphors or not isinstance(seen, dict):
        return None
    words = " ".join(h.text for h in anaphors)
    wanted: tuple[str, ...] = ()
    if _PLAN_WORDS.search(words):
        wanted = ("peace-deal",)
    elif _DOCUMENT_WORDS.search(words):
        wanted = _DOCUMENT_TYPES
    best: tuple[int, int, Hit] | None = None
    for name in wanted:
        recent = [(i, t) for i, t in seen.get(name, []) if sent.index - 5 <= i < sent.index]
        if recent and (best is None or (len(recent), recent[-1][0]) > best[:2]):
            best = (len(recent), recent[-1][0], recent[-1][1])
    if best is None and wanted == ("peace-deal",):
        # "he did not reject the plan": in this war's news a plan nobody named is the peace plan
        h = anaphors[0]
        return Hit("agreement.peace-deal", h.first, h.last, h.start, h.end, h.text, h.pattern)
    return best[2] if best else None


def _pronoun(sent: Sent, hit: Hit) -> bool:
    """"lehnte das ab" points back; "Das Ergebnis" is an article before a noun."""
    if hit.last - hit.first > 1 or hit.last >= len(sent.tokens):
        return True
    if hit.first > 0 and sent.tokens[hit.first - 1].text == ",":
        return False   # "ein Memorandum vor, das ... verlangt": a relative pronoun
    nxt = sent.tokens[hit.last].text
    return not nxt[:1].isupper()


__all__ = ["AgreementExtractor", "longest"]
