"""control: who holds a place (spec: russia, ukraine, contested, encircled, threatened).

A cue (a capture verb, "unter ukrainischer Kontrolle", "eingekesselt", ...) applies to the places
of its clause; a clause without one refers back ("die Stadt", "dort", a relative clause to the
place before it, a continuation to the place of the clause before). The doer decides the side
("die ukrainische Armee hat ... zurückerobert", passive "von den Ukrainern"). A region named only
to say where a town lies is no target, and an oblast is one only where the text says the whole of
it ("komplett", "fully").
"""

from __future__ import annotations

import re
from dataclasses import replace

from monitor.extract.dates import MONTHS, find_dates, find_past_times
from monitor.extract.doc import Doc, Sent, actor_for, actors, add_once, dateline_end, stretch_of
from monitor.extract.entities import Ref
from monitor.extract.lexicon import Hit
from monitor.extract.modality import assess
from monitor.extract.text import Clause
from monitor.models import Claim

VERB_GROUPS = ("capture", "falls", "recapture", "hold", "lose", "under_russia", "under_ukraine", "under_actor",
               "contested", "encircled", "threatened", "capture_noun", "recapture_noun", "lose_noun", "occupied", "ignore")
_TAKING = ("capture", "falls", "recapture", "lose", "capture_noun", "recapture_noun", "lose_noun", "hold")
_NOUNS = ("capture_noun", "recapture_noun", "lose_noun")
_FIXED = {"under_russia": "russia", "under_ukraine": "ukraine", "contested": "contested",
          "encircled": "encircled", "threatened": "threatened"}
_OTHER = {"russia": "ukraine", "ukraine": "russia"}
_ANNEXED_2014 = frozenset(["crimea", "sevastopol"])
_RIVER_TOWNS = frozenset(["dnipro"])
_PURPOSE_AVOID = re.compile(r"^[^,.;]{0,30}?\b(?:zu\s+vermeiden|zu\s+verhindern|zu\s+entgehen|zu\s+entkommen|vermeiden|verhindern|"
                            r"zu\s+bewahren|zu\s+schützen|bewahren|schützen)\b",
                            re.IGNORECASE)
_INCLUDING = re.compile(r"[^.;:]{0,80}?(?:dörfer\w*|orte\w*|ortschaften|siedlungen|städte\w*|villages|settlements|towns|"
                        r"localities)\b[^.;:]{0,60}?(?:,?\s+(?:darunter|including|among\s+them|unter\s+anderem)|:)\s+",
                        re.IGNORECASE)
_LIES = re.compile(r"\b(?:liegt|liegen|lag|lagen|lies|situated|sits)\b", re.IGNORECASE)
_REACH = re.compile(r"vorsto|vorzusto|durchbrech|open the (?:way|road)|break through", re.IGNORECASE)
_BORDER_CITIES = frozenset(["kursk", "belgorod", "bryansk"])
_RUSSIAN_OBLASTS = frozenset(["kursk-oblast", "belgorod-oblast", "bryansk-oblast"])
_COUNT_OF = re.compile(r"(?:\b(?:Zahl|Anzahl)\s+der|\bnumber\s+of|\b\d+)\s*$", re.IGNORECASE)
_ASSAULT = re.compile(r"griff|greif|attack|assault", re.IGNORECASE)
_STRIKES = re.compile(r"drohne|rakete|luft|bombe|marschflugk|beschuss|geschoss|artillerie|gleitbomb|kamikaze|"
                      r"nächtlich|nacht|drone|missile|air|bomb|shell|rocket|strike|ballistic|shahed|energie|energy|power|night",
                      re.IGNORECASE)


def _names_border_oblast(doc: Doc) -> bool:
    return any(r.id in ("kursk-oblast", "belgorod-oblast", "bryansk-oblast") for s in doc.sentences for r in s.refs)
_TEMPORAL_PREPS = frozenset(["nach", "seit", "after", "since", "following"])
_ARTICLES = frozenset(["der", "dem", "den", "the"])
_CIVILIANS = re.compile(r"\b(?:menschen|einwohner\w*|bewohner\w*|zivilist\w*|die\s+meisten|familien|flüchtling\w*|"
                        r"people|residents|civilians|inhabitants|families|most\s+of\s+them|evacuees)\b", re.IGNORECASE)
_DETERMINERS = frozenset(["the", "die", "der", "den", "des", "dem", "das", "an", "a", "von", "vom", "im", "in"])
# Words between "Einnahme" and a place that show the place is not what was taken ("Einnahme von
# Ort in Donezk": a village in the Donetsk region).
_NOT_OF = frozenset(["in", "im", "bei", "nahe", "near", "at", "an", "am", "um", "nördlich", "südlich", "östlich", "westlich", "north", "south", "east", "west"])
TARGET_TYPES = ("place", "oblast", "region")


class ControlExtractor:
    kind = "control"

    def extract(self, doc: Doc, sent: Sent) -> list[Claim]:
        out: list[Claim] = []
        if "control" not in sent.sections:
            return out
        found: list[tuple[Hit, Ref, str, str]] = []   # cue, place, value, actor words
        hits = sent.section("control", VERB_GROUPS)
        # "rücken nach der Einnahme von Lyssytschansk auf Siwersk vor": a capture named inside the
        # gap of a longer cue is a claim of its own, and its place is not the longer cue's
        nested = [n for n in sent.group("control.capture_noun", "control.recapture_noun", "control.lose_noun")
                  if n not in hits and any(h.first < n.first and n.last < h.last and "..." in h.pattern for h in hits)]
        nested_places = {r.start for n in nested for r in _noun_target(doc, sent, n)}
        for hit in [*hits, *nested]:
            if hit.name == "ignore":
                continue
            clause = sent.clause_of(hit.start)
            nominal = hit.name in _NOUNS
            targets = _noun_target(doc, sent, hit) if nominal else targets_for(doc, sent, clause, hit)
            if hit not in nested:
                targets = [r for r in targets if r.start not in nested_places]
            if not nominal and _PREP_END.search(hit.text) and hit.name in ("lose", "recapture", "capture"):
                targets = _object_list(sent, hit, targets)   # "Nach dem Rückzug aus Siwersk ... auf Lyman"
            if not targets:
                continue
            value, actor_words = _value(sent, clause, hit)
            if value in ("russia", "ukraine") and not actor_words and hit.name in (
                    "recapture", "recapture_noun") and _russian_source(doc, sent, hit):
                value = "russia"   # "Die Stadt sei „befreit“, erklärte Moskau": Russia's word for its capture
            if value == "ukraine" and not actor_words and hit.name in ("recapture", "recapture_noun") and targets \
                    and all(r.oblast in _RUSSIAN_OBLASTS or r.id in _RUSSIAN_OBLASTS for r in targets):
                value = "russia"   # "die Rückeroberung der Kleinstadt Sudscha": Russia winning back its own town
            if not actor_words and hit.name in ("hold", "under_actor") and sent.group("actor.self"):
                # "Dort hält sie seit August einen Brückenkopf": "sie" is the side the sentence before named
                value = _side_before(doc, sent)
            if not actor_words and hit.name in _TAKING and _BARE_ARMY.search(sent.clause_text(clause, doc.body)):
                # "hatte die Armee ... eingenommen": the army the article is about
                side = _source_side(sent) or _protagonist(doc)
                if side == "":
                    continue   # both sides lead the article: whose army is unclear
                if side is not None:
                    value = _OTHER[side] if hit.name == "lose" else (side if hit.name != "falls" else value)
            if value == "encircled" and _PURPOSE_AVOID.search(sent.text[hit.end - sent.start:hit.end - sent.start + 40]):
                value = "threatened"   # "um eine Einkesselung zu vermeiden", "to avoid encirclement"
            if value == "encircled" and _attempt(sent, hit):
                value = "threatened"   # "trying since October to encircle Avdiivka": the threat is real
            elif value is not None and hit.name in ("capture", "recapture") and _attempt(sent, hit) \
                    and not _FAILED.search(sent.text):
                # "Russische Einheiten versuchen seit Wochen, das Dorf einzunehmen": an assault under way
                # threatens the place (nothing is taken)
                value = "threatened"
            elif value is None or _attempt(sent, hit):
                continue
            if hit.name == "contested" and _COUNT_OF.search(sent.text[max(0, hit.start - sent.start - 25):hit.start - sent.start]):
                continue   # "Die Zahl der Gefechte ist dort so hoch wie ...", "120 clashes": a front's tally, no town's state
            if hit.name == "threatened" and _ASSAULT.search(hit.text) and \
                    _STRIKES.search(sent.clause_text(clause, doc.body)):
                continue   # "Drohnenangriffe auf Charkiw": a strike from afar is no assault on the town
            if hit.name == "threatened" and _ASSAULT.search(hit.text):
                fought = doc.memory.get("control.fought_in")
                targets = [r for r in targets if not (isinstance(fought, set) and r.id in fought)]
                if not targets:
                    continue   # "Russian troops have entered Vuhledar ... assault groups attacked the town": the same fight
            if hit.name == "threatened" and _DISTANCE.search(hit.text) and _apposed_locator(sent, hit):
                continue   # "the village of Basivka, a few kilometres from Sudzha": where Basivka lies
            if hit.name == "threatened" and (_unthreatening(sent, clause, hit)
                                             or _LIES.search(sent.clause_text(clause, doc.body))):
                continue   # "das am westlichen Stadtrand liegt", "located 10 km from": where it is, no threat
            area = _AREA_TAKEN.search(sent.text) if hit.name in ("capture", "recapture", "lose", "falls") else None
            if area is not None and clause.contains(sent.start + area.start()):
                # "bei Bachmut ein weiterer Quadratkilometer befreit": an area taken, the town only
                # locates it; "8,000 square kilometres, including Izium" names what was in it
                targets = [r for r in targets if _LISTED.search(doc.body[min(r.start, sent.start + area.end()):r.start])]
                if not targets:
                    continue
            if hit.name == "lose" and _LOSSES.match(sent.text, hit.end - sent.start):
                continue   # "verlor Russland dabei mehr als 20.000 Soldaten": casualties, not ground
            if hit.name == "lose" and not actor_words and _CIVILIANS.search(sent.clause_text(clause, doc.body)):
                continue   # "die meisten (Einwohner) haben den Ort längst verlassen": people fled
            if hit.text.lower() == "eingeschlossen" and _INCLUDED.search(sent.text[:hit.start - sent.start]) and \
                    re.match(r"\s*[.,;)–-]", sent.text[hit.end - sent.start:]) and \
                    not _PASSIVE_AUX.search(sent.clause_text(clause, doc.body)):
                continue   # "rund 18 Prozent, die Krim eingeschlossen": included, not encircled
            if hit.name == "occupied" and hit.text.lower().startswith(("annekt", "annex")):
                targets = [r for r in targets if r.id in _ANNEXED_2014]
            if any(r.id in _BORDER_CITIES for r in targets) and _names_border_oblast(doc):
                # "ihre Soldaten in Kursk": in news of the incursion the bare name is the region
                targets = [r for r in targets if r.id not in _BORDER_CITIES]
            for ref in targets:
                v = "contested" if value in ("russia", "ukraine") and _partial(doc, sent, clause, hit, ref) else value
                found.append((hit, ref, v, actor_words))
        taken = {(r.id, sent.clause_of(h.start).id) for h, r, v, _ in found if h.name in _TAKING}
        captured = {(r.id, sent.clause_of(h.start).id) for h, r, v, _ in found
                    if h.name in ("capture", "falls", "recapture", *_NOUNS) and v != "threatened"}
        given_up = {r.id for h, r, v, _ in found if h.name in ("lose", "lose_noun") and v == "russia"}
        # a capture told in a relative clause is history: "greifen ... Robotyne an, das die Armee im
        # August befreit hatte" is a new threat
        rel_ids = {c.id for c in sent.clauses if c.kind == "rel"}
        captured_now = {r for r, c in captured if c not in rel_ids}
        seen: dict[object, int] = {}
        for hit, ref, value, actor_words in found:
            clause = sent.clause_of(hit.start)
            if value == "contested" and hit.name == "contested" and (ref.id, clause.id) in taken:
                continue   # "nach monatelangen Kämpfen ... aufgegeben": the outcome, not the fight
            if hit.name in ("hold", "under_ukraine", "under_russia") and clause.kind in ("appos", "rel") and any(
                    r == ref.id and c != clause.id for r, c in captured):
                continue   # "Gornal, the final settlement held by Ukrainian units, had been recaptured": before
            if value == "threatened" and ((ref.id, clause.id) in captured
                                          or (_ASSAULT.search(hit.text) and ref.id in captured_now)):
                continue   # taken and moved on: the threat is to what lies beyond
            if value == "threatened" and hit.name == "encircled" and ref.id in given_up:
                continue   # "verließen Awdijiwka, um nicht eingeschlossen zu werden": the loss is the news
            # an attempt to encircle is a threat in fact: the "trying to" is no hedge of it
            attempt = value == "threatened" and hit.name in ("encircled", "capture", "recapture") and _attempt(sent, hit)
            # "um nicht eingeschlossen zu werden": the "nicht" belongs to the purpose, the threat stands
            skip = tuple((h.start, h.end) for h in sent.group("modality.negation")
                         if value == "threatened" and hit.name == "encircled" and h.end <= hit.start
                         and re.search(r"\bum\s+$", sent.text[:h.start - sent.start]))
            if _attributive_participle(sent, hit):
                # "Die Verteidiger der eingekesselten Stadt Mariupol kapitulierten nicht": the "nicht"
                # is the clause verb's; only one right before the participle negates it
                # ("weder ... noch", "keine Rede": a noun phrase's negation still reaches it)
                skip += tuple((h.start, h.end) for h in sent.group("modality.negation")
                              if h.text.lower() in ("nicht", "not", "nie", "never")
                              and not (h.last == hit.first or (h.last == hit.first - 1
                                                               and sent.tokens[h.last].lower in _ARTICLES_DE)))
            mod = assess(sent, hit.start, plans=not attempt, own_side=value if value in ("russia", "ukraine") else None,
                         skip=skip)
            if hit.name == "threatened" and re.search(r"ziel|target|objective", hit.text, re.IGNORECASE) \
                    and mod.value in ("asserted", "reported"):
                mod = replace(mod, value="hedged")   # "gilt als nächstes Ziel": a forecast of the next attack
            if _REACH.search(hit.text) and (mod.value != "hedged" or not actor_words):
                continue   # "ob die Ukrainer bis Tokmak vorstoßen können": reaching a town only as a prospect
            if mod.value in ("asserted", "reported") and _infinitive(sent, hit) and not attempt \
                    and not _SUCCEEDED.search(sent.text):
                # "Die Stadt zurückzugewinnen bleibe das Ziel", "erlaube es, ... einzukesseln": an aim
                mod = replace(mod, value="hedged", attribution=None)
            if hit.name in _NOUNS and not _noun_asserted(doc, sent, clause, mod.value,
                                                                                             hit, ref):
                continue
            whole_own = ref.type == "oblast" and _whole(sent, clause, ref) and not _locates_a_town(doc, sent, ref)
            # "... out of the Kursk region, but Ukraine said its soldiers were still fighting there": the
            # region the fighting is in
            fought_there = value == "contested" and ref.type == "oblast" and bool(sent.in_clause("control.there", clause)) \
                and not clause.contains(ref.start)
            if ref.type == "oblast" and not (value == "encircled" and mod.value == "negated") and not fought_there and (
                    (any(r.type == "place" and h is hit for h, r, _, _ in found) and not whole_own)
                                         or not (_whole(sent, clause, ref) or _object_of(doc, hit, ref) and ref.start >= hit.end)
                                         or value not in ("russia", "ukraine")
                                         or (mod.value == "hedged" and not (_object_of(doc, hit, ref)
                                                                            and _whole(sent, clause, ref)))):
                continue
            if _WAS_SINCE.search(sent.clause_text(clause, doc.body)) or _HAD_SINCE.match(
                    sent.text, clause.start - sent.start):
                continue   # "war seit dem Herbst umkämpft": a past state from a start, its end unknown
            as_of = (_as_of(doc, sent, clause, ref, hit) or _since_over(doc, sent, clause) or _calendar_as_of(doc, sent, clause)
                     or _phrase_as_of(doc, sent, clause) or _since_noun_as_of(doc, sent, hit, ref))
            if as_of is None and _ENDED_STATE.search(sent.clause_text(clause, doc.body)):
                as_of = str(doc.date.year)   # "war fast einen Monat lang besetzt": a state that has ended
            if as_of is None and clause.kind in ("rel", "appos") and _PAST_REL.search(sent.clause_text(clause, doc.body)) \
                    and not (hit.name in _NOUNS and sent.in_clause("control.noun_trigger", clause)):
                # "a town that had held out for two years", "die Russland erobern konnte": history
                # (but "dessen Einnahme Moskau gemeldet hatte" is a claim made, not history)
                continue
            cues = [hit.text, actor_words, *mod.cues]
            add_once(out, seen, (ref.id, value, as_of), doc.claim(
                sent, kind="control", subject=ref.id, subject_name=ref.surface, attribute="status", value=value,
                modality=mod.value, rule=f"control.{hit.name}.{doc.lang}", cues=cues, as_of=as_of,
                actor=value if hit.name in _TAKING and value in _OTHER else None, attribution=mod.attribution))
            if value == "contested" and as_of is None and mod.value in ("asserted", "reported"):
                fought = doc.memory.setdefault("control.fought_in", set())
                if isinstance(fought, set):
                    fought.add(ref.id)
        return out


def _locates_a_town(doc: Doc, sent: Sent, ref: Ref) -> bool:
    """"Pokrowsk im Gebiet Donezk": a region named right after a town only says where it is."""
    return any(r.type == "place" and 0 <= ref.start - r.end <= 12
               and re.fullmatch(r"\s*,?\s*(?:im|in\s+der|in\s+the|in)?\s*", doc.body[r.end:ref.start])
               for r in sent.refs)


def _object_of(doc: Doc, hit: Hit, ref: Ref) -> bool:
    """"hätte Russland das Gebiet Luhansk praktisch vollständig erobert": the oblast is the cue's own
    object (nothing but adverbs between them), so even a hedge speaks of the whole of it."""
    if ref.start >= hit.end:
        # "driven out of the Kursk region", "zog sich aus dem Gebiet Charkiw zurück"
        return bool(re.fullmatch(r"\s*(?:(?:the|das|dem|den)\s+)?(?:(?:gebiet|region|oblast)\s+)?", doc.body[hit.end:ref.start],
                                 re.IGNORECASE)) and ref.start - hit.end <= 20
    if ref.end > hit.start or hit.start - ref.end > 40:
        return False
    return bool(re.fullmatch(r"(?:\s+(?:praktisch|fast|nahezu|beinahe|vollständig|komplett|ganz|gänzlich|bereits|schon))*\s*",
                             doc.body[ref.end:hit.start], re.IGNORECASE))


_MOTION = re.compile(r"approach|näher|edg|inch|closing|pressing|advanc|vorrück|rück|push|bearing", re.IGNORECASE)


def _unthreatening(sent: Sent, clause: Clause, hit: Hit) -> bool:
    """"Ukrainian troops are holding positions on the outskirts of Lyman": the defenders' own
    positions threaten nobody; "Approaching Kharkiv by train, the delegation ...": a
    motion with no army in the sentence is no advance."""
    side, _ = actor_for(sent, clause, hit)
    if side == "ukraine" and re.search(r"outskirts|stadtrand|ortsrand", hit.text, re.IGNORECASE):
        return True
    return bool(_MOTION.search(hit.text)) and not actors(sent)


def _whole(sent: Sent, clause: Clause, ref: Ref) -> bool:
    """The text says a whole oblast: "komplett", "fully", "all of" - not "nearly all of", "eine ganze
    Reihe von Orten", nor a share ("three-quarters of the Donetsk region")."""
    near = [q for q in sent.quantities if 0 <= ref.start - q.end <= 30 or 0 <= q.start - ref.end <= 30]
    if any(q.unit == "percent" and q.value == 100 for q in near):
        return True   # "das Gebiet Luhansk sei zu 100 Prozent befreit"
    if any(0 <= ref.start - q.end <= 30 for q in near):
        return False
    for h in sent.in_clause("control.whole", clause):
        prev = sent.tokens[h.first - 1].lower if h.first > 0 else ""
        nxt = sent.tokens[h.last].lower if h.last < len(sent.tokens) else ""
        if prev in ("nearly", "almost", "virtually") or nxt in ("reihe", "menge", "serie", "zahl", "reihen"):
            continue
        # the word must stand by the region ("das gesamte Gebiet Luhansk", "Luhansk vollständig"),
        # with no share between ("das gesamte Gebiet Luhansk, ... drei Viertel der Gebiete ... Cherson")
        first, last = _list_span(sent, ref)
        lo, hi = (h.end, first) if h.end <= first else (last, h.start)
        if hi - lo > 40 or any(lo <= q.start < hi for q in sent.quantities):
            continue
        return True
    return False


def _list_span(sent: Sent, ref: Ref) -> tuple[int, int]:
    """Start and end of the list of regions ``ref`` stands in ("Donetsk, Luhansk and Kherson regions")."""
    regs = [r for r in sent.refs if r.type in ("oblast", "region")]
    i = next((k for k, r in enumerate(regs) if r is ref), -1)
    if i < 0:
        return ref.start, ref.end
    lo = hi = i
    while lo > 0 and _REGION_SEP.fullmatch(sent.text[regs[lo - 1].end - sent.start:regs[lo].start - sent.start]):
        lo -= 1
    while hi + 1 < len(regs) and _REGION_SEP.fullmatch(sent.text[regs[hi].end - sent.start:regs[hi + 1].start - sent.start]):
        hi += 1
    return regs[lo].start, regs[hi].end


_AREA_TAKEN = re.compile(r"quadratkilometer|\bkm²|\bkm2\b|square\s+(?:kilomet|mile)", re.IGNORECASE)
_LISTED = re.compile(r"\b(?:including|darunter|einschließlich|among\s+them|unter\s+anderem|such\s+as|wie)\b|:",
                     re.IGNORECASE)
_LOSSES = re.compile(r"(?:\s+\w+){0,3}?\s+(?:mehr\s+als\s+|über\s+|rund\s+|etwa\s+|more\s+than\s+|over\s+|about\s+)?"
                     r"[\d.,]+(?:\s+\w+)?\s+(?:Soldaten|Mann|Kämpfer|Panzer|soldiers|troops|men|fighters|tanks|"
                     r"Menschenleben|lives)\b", re.IGNORECASE)
_DISTANCE = re.compile(r"kilomet|meilen|miles", re.IGNORECASE)
_LOCATOR_GAP = re.compile(r"\s*,\s*(?:(?:a|just|only|some|about|around|roughly|rund|etwa|nur|knapp|ein|paar|wenige|"
                          r"einige|few|\d+|zwei|drei|vier|fünf|sechs|zehn|zwanzig|two|three|four|five|six|ten|twenty)\s+)*$",
                          re.IGNORECASE)


_ARTICLES_DE = frozenset(["der", "die", "das", "den", "dem", "des", "einer", "eines", "einem", "einen", "eine"])


def _attributive_participle(sent: Sent, hit: Hit) -> bool:
    """"der eingekesselten Stadt", "the besieged port city": a one-word participle before its noun."""
    if hit.last - hit.first != 1 or hit.last >= len(sent.tokens):
        return False
    word, nxt = sent.tokens[hit.first], sent.tokens[hit.last]
    german = word.lower.endswith(("ten", "te", "tes", "tem")) and nxt.text[:1].isupper()
    english = word.lower.endswith("ed") and hit.first > 0 and sent.tokens[hit.first - 1].lower in ("the", "a", "an")
    return german or english


def _apposed_locator(sent: Sent, hit: Hit) -> bool:
    """A distance set off by a comma right after a place says where that place lies."""
    before = [r for r in sent.refs if r.end <= hit.start and r.type in TARGET_TYPES]
    if not before or not _LOCATOR_GAP.fullmatch(sent.text[before[-1].end - sent.start:hit.start - sent.start]):
        return False
    # "stehen bei Selydowe, nur wenige Kilometer vor Pokrowsk": where the troops stand is no locator
    prev = sent.token_before(before[-1].start)
    return prev is None or prev.lower not in ("bei", "near", "nahe", "at", "outside", "vor", "in", "im")


_PREP_END = re.compile(r"\s(?:aus|from|of)$", re.IGNORECASE)


def _object_list(sent: Sent, hit: Hit, targets: list[Ref]) -> list[Ref]:
    """A cue that ends in its preposition ("Rückzug aus", "withdrawal from") takes the places right
    after it, and those listed with them, not places further on."""
    after = sorted((r for r in targets if r.start >= hit.end), key=lambda r: r.start)
    if not after or not re.fullmatch(r"[\s\w.-]{0,30}", sent.text[hit.end - sent.start:after[0].start - sent.start]):
        return targets
    out = [after[0]]
    for r in after[1:]:
        if not _REGION_SEP.fullmatch(sent.text[out[-1].end - sent.start:r.start - sent.start]):
            break
        out.append(r)
    return [r for r in targets if r.start < hit.end] + out


_REGION_SEP = re.compile(r"\s*(?:,|und|and|sowie|,\s*and)\s*")


def _value(sent: Sent, clause: Clause, hit: Hit) -> tuple[str | None, str]:
    if hit.name == "encircled" and _approximated(sent, hit):
        return "threatened", ""   # "nahezu eingeschlossen", "close to being encircled": not yet
    if hit.name in ("capture", "falls") and _NEAR_TAKING.search(sent.text[:hit.start - sent.start]):
        return "threatened", ""   # "Russia is close to seizing Pokrovsk": not yet taken
    if hit.name in _FIXED:
        return _FIXED[hit.name], ""
    side, words = actor_for(sent, clause, hit)
    if "..+" in hit.pattern:
        side, words = _expeller(sent, hit)
    if hit.name in _NOUNS and sent.group("modality.deny"):
        side, words = None, ""   # "Kiew dementiert die Einnahme von Pokrowsk": the denier did not take it
    if hit.name == "occupied":
        # "die besetzte Krim": occupied by Russia, unless the text names another occupier.
        passive = [t for t in sent.tokens if t.start >= hit.end and t.start - hit.end < 30 and t.lower in ("von", "by")]
        return (side if passive and side else "russia"), words
    if hit.name == "falls":
        # "Pokrovsk has not fallen, Ukraine's army chief said": "fall" does not name the doer
        after = [t.lower for t in sent.tokens[hit.last:hit.last + 3]]
        return ("ukraine" if "to" in after and any(t.startswith("ukrain") for t in after) else "russia"), ""
    if hit.name in ("capture", "capture_noun"):
        return side or "russia", words
    if hit.name in ("recapture", "recapture_noun"):
        return side or "ukraine", words
    if hit.name == "lose_noun":
        # only the noun's own owner loses: "Russia's withdrawal from", "its withdrawal" - not the
        # sentence's subject ("After the loss of Avdiivka, Russian troops advanced")
        own = [(h, s) for h, s in actors(sent) if 0 <= hit.first - h.last <= 1 or 0 <= h.first - hit.last <= 1]
        if own:
            return _OTHER[own[0][1]], own[0][0].text
        prev = sent.tokens[hit.first - 1].lower if hit.first > 0 else ""
        named = actors(sent)
        if prev in ("its", "their", "seinen", "seines", "ihren", "ihres", "den") and named and named[0][0].first < hit.first:
            return _OTHER[named[0][1]], named[0][0].text   # "Russia announced its withdrawal from Kherson"
        return "russia", ""
    if hit.name == "lose":
        return (_OTHER[side] if side else "russia"), words
    return side, words   # hold, under_actor: only with a known doer


# Words right before "eingekesselt"/"encircled" that say it has not happened yet.
_APPROX = frozenset(["nahezu", "fast", "beinahe", "almost", "nearly", "virtually", "beinah"])
_APPROX_PHRASES = ("kurz vor", "so gut wie", "close to being", "on the verge of being", "at risk of being",
                   "in danger of being", "drohen", "droht", "drohte", "drohe", "threatens to be", "risk being",
                   "risks being", "threatened with", "nahe daran", "risk of being", "danger of being")
# Before a capture verb: "close to seizing", "on the verge of taking", "kurz davor, ... einzunehmen"
_NEAR_TAKING = re.compile(r"\b(?:close\s+to|on\s+the\s+verge\s+of|on\s+the\s+brink\s+of|near(?:ing)?|poised\s+to|"
                          r"kurz\s+davor|nahe\s+daran|im\s+begriff)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _expeller(sent: Sent, hit: Hit) -> tuple[str | None, str]:
    """Who drove whom out ("Kyiv's troops pushed Russian units out of Kupiansk"): the actor before
    the verb; failing that, the other side of the one named inside the phrase (the driven out)."""
    acts = actors(sent)
    before = [(h, s) for h, s in acts if h.last <= hit.first]
    if before:
        return before[-1][1], before[-1][0].text
    inside = [(h, s) for h, s in acts if hit.first < h.first < hit.last]
    if inside:
        return _OTHER[inside[0][1]], inside[0][0].text
    after = [(h, s) for h, s in acts if h.first >= hit.last]   # "Vertrieben haben die Ukrainer ..."
    return (after[0][1], after[0][0].text) if after else (None, "")


def _approximated(sent: Sent, hit: Hit) -> bool:
    before = sent.tokens[max(0, hit.first - 4):hit.first]
    if any(t.lower in _APPROX for t in before[-2:]):
        return True
    text = " ".join(t.lower for t in before)
    if any(p in text for p in _APPROX_PHRASES):
        return True
    if hit.text[:1].isupper() and re.search(r"\bdroh\w*\b", sent.text[:hit.start - sent.start], re.IGNORECASE):
        return True   # "droht den Verteidigern von Welyka Nowosilka ... die Einkesselung": threatened
    # "um nicht eingeschlossen zu werden", "die Gefahr bestand, dass die Stadt eingeschlossen werde",
    # "the risk that the town could be cut off": an encirclement avoided or feared is a threat
    head = sent.text[:hit.start - sent.start]
    tail = sent.text[hit.end - sent.start:hit.end - sent.start + 12]
    return bool(_FEARED.search(head) or (re.search(r"\bum\s+(?:nicht\s+)?(?:\w+\s+){0,3}$", head, re.IGNORECASE)
                                         and re.match(r"\s+zu\s+werden\b", tail)))


_FEARED = re.compile(r"\b(?:Gefahr|Risiko|Befürchtung|risk|danger|fear)\w*\b[^.;]{0,25}\b(?:dass|that)\b[^.;]{0,60}$",
                     re.IGNORECASE)


# An attempt says nothing about the outcome: "versuchen, die Stadt einzuschließen", "in an attempt
# to regain territory", "trying to capture", "dabei gewesen, ... einzuschließen".
_FAILED = re.compile(r"\b(?:failed|fail|scheiterte\w*|gescheitert|vergeblich|in\s+vain|unsuccessful\w*|erfolglos)\b",
                     re.IGNORECASE)
_ATTEMPT = re.compile(r"\b(?:versuch\w*|dabei\s+gewesen|bemüh\w*|attempt\w*|trying|tried|try|tries|"
                      r"seeking|seek|seeks|sought|bid|efforts?|struggl\w*|push\s+to)\b", re.IGNORECASE)


def _attempt(sent: Sent, hit: Hit) -> bool:
    if hit.name not in _TAKING + ("encircled",):
        return False
    if not _infinitive(sent, hit) or sent.group("modality.hedge"):
        return False   # "Analysts expect Moscow to try to encircle X": a forecast, kept as hedged
    start = sent.tokens[max(0, hit.first - 12)].start - sent.start
    # German puts the attempt after the infinitive: "das russische Truppen zu erobern versuchen"
    return bool(_ATTEMPT.search(sent.text[start:hit.end - sent.start + 14]))


# "Es ist den Russen gelungen, die Stadt einzunehmen", "managed to capture": achieved, not aimed at
_SUCCEEDED = re.compile(r"\b(?:gelungen|gelang|gelingt|geschafft|schafften|schaffte|managed|succeeded|"
                        r"was\s+able|were\s+able|forced|gezwungen|mussten|musste|had\s+to)\b", re.IGNORECASE)
_ZU_INF = re.compile(r"^(?:ein|zurück|ab|aus|auf|an|vor|durch|um|weg|heran|frei)zu\w+(?:en|ern|eln)$")


def _infinitive(sent: Sent, hit: Hit) -> bool:
    """The cue is an infinitive with "zu"/"to": "einzukesseln", "zu erobern", "to capture"."""
    toks = sent.tokens[hit.first:hit.last]
    if any(_ZU_INF.match(t.lower) for t in toks):
        return True
    prev = sent.tokens[hit.first - 1].lower if hit.first > 0 else ""
    if prev == "zu" and toks and toks[0].lower.endswith(("en", "ern", "eln")):
        return True
    # English "to take": not after "fell/due/close/back" ("fell to Russia" is no infinitive)
    if toks and toks[0].lower == "to":
        return True   # the cue "to take"
    return bool(prev == "to" and toks and toks[0].lower == toks[0].lemma and hit.name != "falls")


_RUSSIAN_SOURCE = re.compile(r"moskau|moscow|kreml|kremlin|russisch\w* verteidigungsministerium|russia's defen[cs]e|"
                             r"russian defen[cs]e|gerassimow|gerasimov|schoigu|shoigu|beloussow|belousov|"
                             r"peskow|peskov|russische\w* angaben|russian officials|russische\w* armee|putin|kremlchef|"
                             r"lawrow|lavrov|sacharowa|zakharova|konaschenkow|konashenkov",
                             re.IGNORECASE)


def _russian_source(doc: Doc, sent: Sent, hit: Hit) -> bool:
    """"befreit"/"liberated" in Russia's words: in quotes, or said by a Russian source in this
    sentence, or in reported speech after one ("nach Angaben aus Moskau ... Die Stadt sei befreit")."""
    before = doc.body[max(sent.start, hit.start - 2):hit.start]
    if any(q in before for q in "„“\"«»‚'"):
        return True
    if _RUSSIAN_SOURCE.search(sent.text) and not re.search(r"ukrain", sent.text[:hit.start - sent.start], re.I):
        return True
    # "Gerasimov told Putin that the village ... had been recaptured": a Russian official's report
    speaker = next((r for r in sent.refs if r.type == "person"), None)
    if speaker is not None and speaker.country == "russia" and speaker.start < hit.start and any(
            speaker.end <= h.start <= speaker.end + 40 for h in sent.group("modality.report")):
        return True
    if sent.group("modality.reported_form") and not sent.group("attribution.ukraine"):
        return any(_RUSSIAN_SOURCE.search(p.text) for p in doc.previous(sent, 1))
    return False


def _calendar_as_of(doc: Doc, sent: Sent, clause: Clause) -> str | None:
    """"seized the island on Feb. 24" (four months before the article): a dated past event. A day
    within the last month is today's news, no history."""
    if not sent.is_past_clause(clause):
        return None
    for a, b in clause.parts:
        for d in find_dates(doc.body[a:b], a, doc.date, True):
            if d.prefix.strip().lower() in ("seit", "since", "bis", "until", "by", "ab", "vom"):
                continue
            if (doc.date - d.date).days > 31:
                return f"{d.date.year:04d}-{d.date.month:02d}"
    return None


# Past times said in words: "zu Beginn des Krieges", "in the first days of the invasion", "last year".
_WAR_START = re.compile(r"(?<!seit\s)(?<!since\s)\b(?:zu\s+beginn\s+des\s+(?:krieges|kriegs|angriffskrieges|einmarsches)|"
                        r"am\s+ersten\s+kriegstag|in\s+den\s+ersten\s+kriegs(?:tagen|wochen)|"
                        r"(?:in|during)\s+the\s+first\s+(?:days|weeks)\s+of\s+the\s+(?:full-scale\s+)?(?:war|invasion)|"
                        r"(?:at|on)\s+the\s+(?:start|outset|first\s+day)\s+of\s+the\s+(?:full-scale\s+)?(?:war|invasion)|"
                        r"early\s+in\s+the\s+(?:war|invasion))\b", re.IGNORECASE)
_LAST_YEAR = re.compile(r"(?<!seit\s)(?<!since\s)\b(?:im\s+vergangenen\s+jahr|im\s+letzten\s+jahr|vergangenes\s+jahr|"
                        r"im\s+vorjahr|last\s+year)\b", re.IGNORECASE)


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "einem": 1, "zwei": 2, "drei": 3,
                 "vier": 4, "fünf": 5}
_YEARS_AGO = re.compile(r"\b(?:(\w+)\s+years?\s+ago|vor\s+(\w+)\s+jahren?)\b", re.IGNORECASE)


def _phrase_as_of(doc: Doc, sent: Sent, clause: Clause) -> str | None:
    text = sent.clause_text(clause, doc.body)
    ago = _YEARS_AGO.search(text)
    if ago:
        word = (ago.group(1) or ago.group(2)).lower()
        n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if n:
            return str(doc.date.year - n)
    if _WAR_START.search(text) and doc.date.year > 2022:
        return "2022"
    if _LAST_YEAR.search(text) and (sent.is_past_clause(clause) or re.search(r"\b(?:hat|haben|has|have)\b", text)):
        return str(doc.date.year - 1)
    return None


_SINCE_OVER = re.compile(r"\b(?:war|waren|hielt|hielten|held|was|were)\b[^,;]*?\b(?:bis|until)\s+(?:zum\s+|zur\s+|dem\s+|the\s+)?",
                         re.IGNORECASE)
_ENDED_STATE = re.compile(r"\b(?:war|waren)\b[^,;]{0,40}?\b(?:(?:einen|zwei|drei|vier|fünf|sechs|mehrere|einige|fast\s+einen|"
                          r"rund\s+einen|knapp\s+einen)\s+(?:Monat|Monate|Woche|Wochen|Tag|Tage)\s+lang|wochenlang|monatelang|"
                          r"tagelang)\b|\b(?:was|were)\b[^,;]{0,40}?\bfor\s+(?:almost\s+|nearly\s+|about\s+)?(?:a|one|two|three|"
                          r"four|five|six|several)\s+(?:weeks?|months?|days?)\b", re.IGNORECASE)
_WAS_SINCE = re.compile(r"\b(?:war|waren)\s+(?:(?!und\b|and\b)[\w-]+\s+){0,3}?seit\b", re.IGNORECASE)
# "Russian forces had occupied Snihurivka since the early weeks": a state that has ended
_HAD_SINCE = re.compile(r"[^,;]*?\bhad\s+(?:occupied|held(?!\s+off)|controlled|been\s+holding|been\s+occupying)\b"
                        r"[^,;]{0,60}?\bsince\b|"
                        r"[^,;]*?\bhatten?\s+(?:(?!und\b)[\w-]+\s+){0,4}?seit\b[^,;]{0,60}?\b(?:besetzt|gehalten|kontrolliert)\b",
                        re.IGNORECASE)


def _since_over(doc: Doc, sent: Sent, clause: Clause) -> str | None:
    """"hielten Wuhledar bis zum Herbst", "held Vuhledar until October": a state that lasted
    until then and is over, dated by its end."""
    text = sent.clause_text(clause, doc.body)
    m = _SINCE_OVER.search(text)
    if not m:
        return None
    times = find_past_times(text[m.end():], 0, doc.date, True)
    if times and times[0].start <= 12:
        return times[0].value
    t = _BARE_TIME.match(text, m.end())
    if not t:
        return None
    word = t.group(1).lower()
    month = MONTHS.get(word) or _SEASON_MONTH.get(word)
    if not month:
        return None
    year = int(t.group(2)) if t.group(2) else (doc.date.year if month <= doc.date.month else doc.date.year - 1)
    return f"{year:04d}-{month:02d}"


_SEASON_MONTH = {"frühjahr": 4, "frühling": 4, "sommer": 7, "herbst": 10, "winter": 1, "spring": 4, "summer": 7,
                 "autumn": 10, "fall": 10}
_BARE_TIME = re.compile(r"(?:(?:anfang|mitte|ende|early|late|mid)\s+)?(\w+)(?:\s+((?:19|20)\d\d))?\b", re.IGNORECASE)


_SETTLEMENT_NOUN = (r"(?:town|towns|city|cities|village|villages|stadt|städte|dorf|dörfer|ort|orte|kleinstadt|"
                    r"ortschaft|ortschaften|settlement|settlements|halbinsel|peninsula|hafenstadt|port\s+city|"
                    r"region|gebiet)")
# Between a verb and its object: an article, then adjectives and a settlement noun ("the small town
# of"), or up to two inflected adjectives alone ("die strategisch wichtige")
_OBJECT_GAP = re.compile(rf"\s*(?:(?:the|die|das|den|der|dem)\s+)?(?:(?:[a-zäöüß-]+\s+){{0,2}}{_SETTLEMENT_NOUN}\s+(?:of\s+)?|"
                         r"(?:[a-zäöüß-]+(?:ing|ern|ed|ic|al|e|en|em|er)\s+){0,2})",
                         re.IGNORECASE)
_BARE_ARMY = re.compile(r"\b(?:die|der)\s+Armee\b(?!\s+(?:der|des|von)\b)|\bthe\s+army\b(?!\s+of\b)")
_PAST_REL = re.compile(r"\b(?:hatte|hatten|had|konnte|konnten|could)\b", re.IGNORECASE)


def _side_before(doc: Doc, sent: Sent) -> str | None:
    """The side the sentence before ends on: "Die ukrainische Armee startete neue Angriffe. Dort hält sie ..."."""
    for prev in doc.previous(sent, 1):
        named = [(h.first, s) for h, s in actors(prev)]
        named += [(10_000 + m.start(), "ukraine" if m.group(0).lower().startswith(("ukrain", "kiew", "kyiv"))
                   else "russia") for m in _SIDE_WORDS.finditer(prev.text)]
        if named:
            sides = {s for _, s in named}
            return sides.pop() if len(sides) == 1 else None
    return None


def _source_side(sent: Sent) -> str | None:
    """"Nach Kremlangaben hat die Armee ...": a side's own source speaks of its own army."""
    sides = {h.name for h in sent.hits if h.group in ("attribution.russia", "attribution.ukraine")}
    return sides.pop() if len(sides) == 1 else None


def _protagonist(doc: Doc) -> str | None:
    """The side of the army a report is about: the only side named in its title and lead."""
    sides = {s for sent in doc.sentences[:2] for _, s in actors(sent)}
    for sent in doc.sentences[:2]:   # a lead without control words has no cue hits: read its words
        for m in _SIDE_WORDS.finditer(sent.text):
            sides.add("ukraine" if m.group(0).lower().startswith(("ukrain", "kiew", "kyiv")) else "russia")
    return sides.pop() if len(sides) == 1 else ("" if sides else None)


_SIDE_WORDS = re.compile(r"\b(?:ukrainisch|russisch)\w*\s+(?:armee|truppen|streitkräfte|einheiten|soldaten|militär)\b|"
                         r"\b(?:ukrainian|russian)\s+(?:army|troops|forces|units|soldiers|military)\b|"
                         r"\b(?:kiew|kyiv|moskau|moscow)\b", re.IGNORECASE)


# "Teile des Gebiets", "parts of those regions", "einen Teil des ... eroberten Gebiets": a part of a
# region, not of the towns named with it
_REGION_PART = re.compile(r"\s*(?:of\s+)?(?:the\s+|those\s+|these\s+|des\s+|der\s+|von\s+)?(?:[\w-]+\s+){0,3}?"
                          r"(?:regions?|oblasts?|provinces?|territory|gebiets?|gebiete|region|regionen|territoriums|"
                          r"landes|country|front|fläche|gesamtfläche)\b", re.IGNORECASE)
_TOWN_PART = re.compile(r"\s*(?:of\s+the\s+(?:city|town|village)|der\s+stadt|des\s+ortes|des\s+dorfes|der\s+ortschaft)\b",
                        re.IGNORECASE)


def _partial(doc: Doc, sent: Sent, clause: Clause, hit: Hit, ref: Ref) -> bool:
    """"Den Teil von Kupjansk ... halten russische Einheiten", "einige Straßenzüge zurückgewonnen":
    holding a part of a town is fighting over it. The part is the cue's object (next to it, or
    between it and the place) or named just before the place; "Crimea and large parts of the
    Donetsk region" does not make Crimea a part."""
    # "auf neue Stellungen weiter westlich", "to new positions": where they went, not what they hold
    anaphors = sent.group("control.anaphor")
    parts = [h for h in sent.in_clause("control.partial", clause)
             if not (h.last < len(sent.tokens) and sent.tokens[h.last].start == ref.start)   # "der Vorort Irpin"
             if not (h.first > 0 and sent.tokens[h.first - 1].lower in ("neue", "neuen", "new", "vorbereitete"))
             and not any(a.first <= h.first < a.last and "rand" not in h.text.lower() for a in anaphors)
             and not _REGION_PART.match(sent.text, h.end - sent.start)]
    if any(_TOWN_PART.match(sent.text, h.end - sent.start) for h in parts) and ref.type != "oblast" and \
            not _VILLAGES_BEFORE.search(sent.text[max(0, ref.start - sent.start - 40):ref.start - sent.start]):
        return True   # "In Toretsk halten russische Truppen ... den größten Teil der Stadt"
    if ref.type == "place" and (_SHARE_OF.search(sent.text[:ref.start - sent.start])
                                or _SHARE_OF_TOWN.search(sent.clause_text(clause, doc.body))):
        return True   # "more than 70 percent of Pokrovsk", "die Hälfte der Häuser": a share of the town
    if not clause.contains(ref.start):
        return bool(parts)
    lo, hi = sorted((hit.start, ref.start))
    return any((h.end <= ref.start and ref.start - h.end <= 30) or lo <= h.start <= hi
               or abs(h.first - hit.first) <= 3 or 0 <= h.first - hit.last <= 8 for h in parts)


_SUBJECTLESS_COORD = re.compile(r"\s*(?:but|and|aber|und|yet)\s+(?:had|has|have|was|were|is|hat|hatte|ist|war|sei|habe)\b",
                                re.IGNORECASE)
_INCLUDING_AFTER = re.compile(r"\s*,?\s*(?:darunter|including|among\s+them|unter\s+anderem)\s+(?:(?:die|das|den|der|the)\s+)?"
                              r"(?:(?:Dörfer|Dorf|Orte|Ortschaften|Städte|villages?|towns?)\s+(?:of\s+)?)?", re.IGNORECASE)
_UNNAMED_PLACES = re.compile(r"\b(?:mehrere|einige|weitere|zwei|drei|vier|fünf|zahlreiche|several|some|two|three|four|"
                             r"five|more|other|further)\s+(?:\w+\s+)?(?:Dörfer|Orte|Ortschaften|Siedlungen|villages|"
                             r"settlements|towns)\b", re.IGNORECASE)
# "große Teile der Stadt sowie die nördlich gelegenen Dörfer Kindraschiwka und Radkiwka": the villages are whole
_VILLAGES_BEFORE = re.compile(r"\b(?:Dörfer|Dorf|Ortschaften|Ortschaft|villages|village)\s+(?:of\s+)?(?:[\w-]+\s+(?:und|and|,)\s+)?$",
                              re.IGNORECASE)
_SHARE_OF = re.compile(r"(?:\d+(?:[.,]\d+)?\s*(?:%|Prozent|percent|per\s+cent)|Hälfte|Drittel|Viertel|half|third|"
                       r"quarter)\s+(?:of|von|der|des)\s+(?:the\s+(?:town|city|village)\s+of\s+)?$", re.IGNORECASE)
_SHARE_OF_TOWN = re.compile(r"\b(?:\d+(?:[.,]\d+)?\s*(?:%|Prozent|percent|per\s+cent)|Hälfte|Drittel|Viertel|half|third)\s+"
                            r"(?:of\s+the|der|des)\s+(?:Häuser|Gebäude|Stadt|Ortes|Dorfes|houses|buildings|town|city|village)\b",
                            re.IGNORECASE)
_TITLE = re.compile(r"\s*(?:regional\s+)?(?:governor|mayor|gouverneur|bürgermeister|military\s+administration|"
                    r"militärverwaltung)\b", re.IGNORECASE)
_AREA = re.compile(r"\s*(?:area|sector|direction|axis|front\b(?!-line)|district)\b|-(?:front|abschnitt|richtung)", re.IGNORECASE)
_MOST_OF = re.compile(r"(?:nearly|almost|virtually)\s+all\s+(?:of\s+)?(?:the\s+)?$|"
                      r"(?:fast|nahezu|beinahe)\s+(?:ganz|das\s+gesamte|die\s+gesamte)\s+$",
                      re.IGNORECASE)


# a noun (not an auxiliary) right before "eingeschlossen" that ends its clause
_INCLUDED = re.compile(r"\b[A-ZÄÖÜ][\w-]+\s+$")
# "ist seit März von russischen Truppen eingeschlossen": a passive, so encircled after all
_PASSIVE_AUX = re.compile(r"\b(?:ist|sind|war|waren|wurde|wurden|sei|seien|worden|bleibt|bleiben|blieb)\b", re.IGNORECASE)
_FACILITY_BEFORE = re.compile(r"\b(?:Atomkraftwerk|Akw|Kernkraftwerk|Kraftwerk|Wasserkraftwerk|Staudamm|Flughafen|"
                              r"Stausee|Bahnhof|Stahlwerk|Werk)s?\s+$", re.IGNORECASE)
_FACILITY_AFTER = re.compile(r"[-\s]+(?:nuclear\s+(?:power\s+)?(?:plant|station)|power\s+plant|NPP|dam|airport|"
                             r"steel\s*works|Akw|Atomkraftwerk(?:s)?|Kraftwerk(?:s)?|Staudamm(?:s)?)\b", re.IGNORECASE)


def _facility(sent: Sent, ref: Ref) -> bool:
    rel = ref.start - sent.start
    return bool(_FACILITY_BEFORE.search(sent.text[max(0, rel - 30):rel])
                or _FACILITY_AFTER.match(sent.text, ref.end - sent.start))


def _usable(sent: Sent, ref: Ref) -> bool:
    if ref.type not in TARGET_TYPES or ref.form == "adjective":
        return False
    rel = ref.start - sent.start
    if _TITLE.match(sent.text, ref.end - sent.start):
        return False   # "Luhansk governor Serhiy Haidai": a title, not a place in the news
    if _AREA.match(sent.text, ref.end - sent.start):
        return False   # "in the Kupiansk area", "im Abschnitt Pokrowsk": a stretch of front, not the town
    if ref.id in _RIVER_TOWNS and re.search(r"\b(?:the|den|dem|des|am|ufer|bank|river|fluss)\s+$", sent.text[max(0, rel - 12):rel],
                                            re.IGNORECASE):
        return False   # "the eastern bank of the Dnipro", "über den Dnipro": the river
    if re.search(r"\b(?:except|außer|ausgenommen|mit\s+ausnahme\s+von)\s+(?:the\s+)?$", sent.text[max(0, rel - 25):rel],
                 re.IGNORECASE):
        return False   # "does not fully control any region except Luhansk": the exception says the opposite
    if _MOST_OF.search(sent.text[max(0, rel - 30):rel]):
        return False   # "nearly all of Luhansk": a share, not control of the whole
    if _facility(sent, ref):
        return False   # "das Atomkraftwerk Saporischschja", "the Zaporizhzhia nuclear plant": a plant, not the city
    return not (not ref.region_phrase and any(h.start <= ref.start < h.end
                                              for h in sent.group("actor.russia", "actor.ukraine")))


def _behind_locator(sent: Sent, ref: Ref, cue: Hit | None, fighting_is_place: bool = False) -> bool:
    """"nordwestlich von Awdijiwka", "near Pokrovsk": a place named to locate another. A locator
    word that is part of the cue itself ("advancing toward X") points at the target instead."""
    if any(r.end < ref.start and re.fullmatch(r"\s+(?:bei|beim|an\s+der|am)\s+", sent.text[r.end - sent.start:ref.start - sent.start])
           for r in sent.refs if r.type in ("place", "region")):
        return True   # "die Kleinstadt Soledar bei Bachmut": Bachmut only says where Soledar is
    fights = [c.last for c in sent.group("control.contested")] if fighting_is_place else []
    for h in sent.group("control.locator"):
        if cue is not None and cue.first <= h.first < cue.last and (
                "..." not in cue.pattern or h.text.lower().split()[-1] in cue.pattern):
            continue   # (a locator inside a cue's gap still locates: "greifen ... Awdijiwka nördlich von Donezk ... an")
        if h.first in fights:
            continue   # "fighting raged around Bakhmut": where the fighting is, not a landmark
        if h.first > 0 and sent.tokens[h.first - 1].lower in ("and", "und"):
            continue   # "in and around Lyman": the place itself
        if h.end <= ref.start and ((ref.start - h.end <= 24 and not any(
                h.end <= r.start < ref.start for r in sent.refs if r is not ref))
                or (ref.start - h.end <= 80 and _only_names_between(sent, h.end, ref))
                or (_NOUN_OF.fullmatch(sent.text[h.end - sent.start:ref.start - sent.start])
                    and not any(h.end <= r.start < ref.start for r in sent.refs))):
            return True
    return False


# "close to the Ukrainian-held town of Kurakhove": a locator, an article, up to three words and a
# settlement noun before the name
_NOUN_OF = re.compile(r"\s+(?:(?:the|a|die|das|der|dem|den)\s+)?(?:[\w-]+\s+){0,3}?(?:town|city|village|settlement|hub|"
                      r"stadt|kleinstadt|dorf|ortschaft|siedlung)\s+(?:of\s+)?", re.IGNORECASE)
_LIST_WORDS = re.compile(r"(?:\s|,|und|and|sowie|or|oder|the|der|die|das|den|dem|des|von|of|stadt|städte|städten|"
                         r"city|cities|town|towns|village|villages|dorf|dörfer|ort|orte)+", re.IGNORECASE)


def _only_names_between(sent: Sent, start: int, ref: Ref) -> bool:
    """Between a locator and a place only other names and list words: "toward Kramatorsk and
    Sloviansk" locates both."""
    pos = start
    for r in sorted((r for r in sent.refs if start <= r.start < ref.start), key=lambda r: r.start):
        gap = sent.text[pos - sent.start:r.start - sent.start]
        if gap and not _LIST_WORDS.fullmatch(gap):
            return False
        pos = r.end
    gap = sent.text[pos - sent.start:ref.start - sent.start]
    return not gap or bool(_LIST_WORDS.fullmatch(gap)) and len(gap) <= 24


def targets_for(doc: Doc, sent: Sent, clause: Clause, hit: Hit) -> list[Ref]:
    """The places a cue in ``clause`` speaks about."""
    if _attributive(hit):
        # "close to the Ukrainian-held town of Kurakhove", "west of Russian-held Donetsk": the
        # adjective speaks of the noun it stands before, and of nothing else in the sentence
        nxt = [r for r in sent.refs_of(TARGET_TYPES) if r.start >= hit.end and r.start - hit.end <= 30
               and _OBJECT_GAP.fullmatch(doc.body[hit.end:r.start])]
        return nxt[:1]
    refs = [r for r in sent.refs_of(TARGET_TYPES, clause) if _usable(sent, r) and not _behind_locator(sent, r, hit)]
    m = _INCLUDING.match(sent.text, hit.end - sent.start) if not refs else None
    if m is not None and ":" in m.group():
        # "recaptured seven villages covering about 90 square kilometres: Blahodatne, Makarivka, ...":
        # the list after the colon (a clause of its own) names what was taken
        first = next((r for r in sent.refs_of(("place",)) if r.start >= sent.start + m.end()
                      and _OBJECT_GAP.fullmatch(doc.body[sent.start + m.end():r.start])), None)
        if first is not None and _usable(sent, first):
            return _with_list(doc, sent, first)
    if doc.lang == "de" and hit.last - hit.first == 1 and _PARTICIPLE_END.search(hit.text):
        # "Marjinka verloren, Awdijiwka unter Druck": a headline participle speaks of the name
        # right before it (and those listed with it), not of the next fragment
        adjacent = [r for r in refs if r.end <= hit.start and re.fullmatch(r"\s*", doc.body[r.end:hit.start])]
        if adjacent and re.match(r"\s*[,;:–-]", doc.body[hit.end:hit.end + 3]) and \
                _FRAGMENT_START.fullmatch(re.split(r"[,;:–]", doc.body[sent.start:adjacent[0].start])[-1]):
            return [r for r in refs if r.end <= adjacent[0].end
                    and re.fullmatch(r"[\s\w,-]*", doc.body[r.end:adjacent[0].start])]
    if hit.name in ("capture", "recapture", "lose") and _UNNAMED_PLACES.search(
            sent.text[max(0, hit.start - sent.start - 40):hit.start - sent.start]):
        # "mehrere Dörfer zurückgewonnen, darunter Solotyj Kolodjas": the places named after
        # "darunter", or none (not "einen Einbruch bei Dobropillja eingedämmt" before it)
        m = _INCLUDING_AFTER.match(sent.text, hit.end - sent.start)
        if m is None:
            return []
        first = next((r for r in sent.refs_of(TARGET_TYPES) if r.start >= sent.start + m.end()), None)
        return _with_list(doc, sent, first) if first is not None and _usable(sent, first) else []
    if not refs and clause.kind == "coord" and _SUBJECTLESS_COORD.match(sent.text, clause.start - sent.start):
        # "the city was under bombardment but had not been cut off": the second predicate shares
        # the first one's subject
        shared = _earlier_clause_places(sent, clause, any_role=True)
        if shared:
            return shared[:1]
        anaphor = [a for a in sent.group("control.anaphor") if a.start < clause.start]
        if anaphor:
            prev = [r for r in _previous_places(doc, sent) if r.type != "oblast"]
            return [_salient(doc, sent, prev)] if prev else []
    if not refs and _UNNAMED_PLACES.search(sent.clause_text(clause, doc.body)):
        return []   # "mehrere Dörfer östlich davon gingen verloren": places the text does not name
    if not refs and any(_facility(sent, r) for r in sent.refs_of(TARGET_TYPES, clause)):
        return []   # "encircled near the Kursk nuclear power plant": named, but no town; no antecedent either
    if hit.name == "occupied" and hit.first > 0 and sent.tokens[hit.first - 1].lower in _DETERMINERS:
        # attributive "the occupied south", "die besetzte Krim": only the noun it stands before
        nxt = [r for r in refs if r.start >= hit.end and r.start - hit.end <= 24
               and _OBJECT_GAP.fullmatch(doc.body[hit.end:r.start])]
        return nxt[:1]
    if "visier" in hit.text.lower():
        # "Kramatorsk ins Visier nehmen" - not "die Energieversorgung von Odessa ins Visier"
        refs = [r for r in refs if r.end <= hit.start and _OBJECT_GAP.fullmatch(doc.body[r.end:hit.start])
                and not (r.start > sent.start and re.search(r"\b(?:von|of|der|des)\s+$", doc.body[max(sent.start, r.start - 6):r.start]))
                or r.end <= hit.start and re.fullmatch(r"\s*(?:und|and|,)\s*[\w-]+(?:\s+[\w-]+)?\s*", doc.body[r.end:hit.start])]
        return refs
    if hit.name == "falls" and clause.kind not in ("rel", "appos"):
        # "Fällt Tschassiw Jar, könnten die Russen Kramatorsk ... ins Visier nehmen": the condition
        # names the falling town; the main clause after the comma says what follows
        comma = sent.text.find(",", hit.end - sent.start)
        if comma >= 0 and hit.start - sent.start < comma:
            refs = [r for r in refs if r.start < sent.start + comma]
            if not refs and _pronoun_subject(sent, hit):
                prev = [r for r in _previous_places(doc, sent) if r.type != "oblast"]
                # "If it fell, Russian forces could push the front farther from Donetsk"
                return [_salient(doc, sent, prev)] if prev else []
            if not refs:
                return []
    last_word = sent.tokens[hit.last - 1].lower if hit.last > 0 else ""
    if (hit.name == "lose" and last_word in ("of", "from", "aus")) or (
            hit.name == "threatened" and last_word in ("of", "from", "to", "on", "toward", "towards")):
        # "Russia pulled out of the Black Sea grain deal ... in Odesa": the object is no place
        obj = [r for r in sent.refs_of(TARGET_TYPES) if r.start >= hit.end and _OBJECT_GAP.fullmatch(doc.body[hit.end:r.start])]
        if obj:
            return [r for r in refs if r.start >= obj[0].start] or [obj[0]]
        if not any(0 <= a.start - hit.end <= 2 for a in sent.group("control.anaphor")):
            return []
    if hit.name in ("capture", "recapture"):
        # "when separatists seized Donetsk": an active verb's object is what was taken
        obj = [r for r in sent.refs_of(TARGET_TYPES + ("country",)) if r.start >= hit.end
               and _OBJECT_GAP.fullmatch(doc.body[hit.end:r.start])]
        if obj:
            if obj[0].type not in TARGET_TYPES or not _usable(sent, obj[0]):
                return []
            # the object and the places listed with it ("Hirnyk and the villages of Bohoiavlenka
            # and Katerynivka"), not those named after it to locate them ("close to Kurakhove")
            listed = [r for r in _with_list(doc, sent, obj[0]) if r.type in TARGET_TYPES]
            return [r for r in listed if r is obj[0] or r in refs]
        if "..+" in hit.pattern:
            return []   # "failed to push Ukrainian troops out of the region": the place follows or none
    if clause.kind in ("rel", "appos") and not any(r.type != "oblast" for r in refs):
        named = _antecedents(doc, sent, clause)
        if named:
            return named   # "Kramatorsk and Sloviansk, the last cities ... still under Ukrainian control"
    both = [a for a in sent.in_clause("control.anaphor", clause)
            if any(w in a.text.lower() for w in ("beiden", "both")) and all(r.start > a.end for r in refs)]
    if both and (not refs or refs[0].start > hit.end):
        # "In beiden Städten halten ukrainische Einheiten Stellungen, im Norden von Pokrowsk ...":
        # the two towns of the sentence before
        prev = [r for r in _previous_places(doc, sent) if r.type != "oblast"]
        if len(prev) >= 2:
            return prev[-2:]
    if refs:
        return refs
    anaphors = [a for a in sent.in_clause("control.anaphor", clause) if not _names_a_place(doc, sent, a)
                and not _located_by(sent, a)]
    if anaphors or clause.kind in ("rel", "appos"):
        pos = anaphors[0].start if anaphors else clause.start
        before = [r for r in sent.refs_of(TARGET_TYPES) if r.start < pos and _usable(sent, r)
                  and not _behind_locator(sent, r, None)]
        if before:
            last = before[-1]
            if last.type == "oblast" and not anaphors:
                return [r for r in before if r.type == "oblast" and pos - r.start < 120]
            towns = [r for r in before if r.type != "oblast"]
            if towns:
                return [_salient(doc, sent, towns)]
        if anaphors:
            if "rand" in anaphors[0].text.lower() or "outskirts" in anaphors[0].text.lower():
                # "an den nördlichen Stadtrand": only the one town the sentence before named, else nothing
                near = [r for r in _previous_places(doc, sent, 1) if r.type != "oblast"]
                return near if len({r.id for r in near}) == 1 else []
            prev = [r for r in _previous_places(doc, sent) if r.type != "oblast"]
            if any(w in anaphors[0].text.lower() for w in ("beiden", "both")):
                return prev[-2:]   # "In beiden Städten halten ukrainische Einheiten Stellungen"
            return prev[-1:] if prev else []
    if sent.in_clause("control.there", clause):
        earlier = _earlier_clause_places(sent, clause, any_role=True)
        if earlier:
            return earlier
        for older in doc.previous(sent, 2):
            refs = [r for r in older.refs_of(TARGET_TYPES) if r.form != "adjective"]
            if refs:
                # the region named last: "In the Kursk region ... hold positions there" (unless it only
                # locates the town before it: "Kupiansk in the Kharkiv region")
                if refs[-1].type == "oblast" and not (len(refs) > 1 and _locates_a_town(doc, older, refs[-1])):
                    return [refs[-1]]
                return [r for r in refs if r.type != "oblast"][-2:]
        return []
    earlier = _earlier_clause_places(sent, clause)
    if earlier and hit.name not in ("hold",):
        return earlier
    sources = [h for h in sent.hits if h.group.startswith(("attribution.", "actor."))]
    if not any(_usable(sent, r) and not any(h.start <= r.start < h.end for h in sources)
               for r in sent.refs_of(TARGET_TYPES)) and (_pronoun_subject(sent, hit) or _CARRY.search(hit.text)):
        # ("nach Angaben aus Kiew" names a source, not a place of the news)
        # "eingekesselt sei sie aber nicht", "an encirclement did not appear imminent": a sentence
        # with no place speaks of the town the sentence before was about
        prev = [r for r in _previous_places(doc, sent, 3 if _pronoun_subject(sent, hit) else 2) if r.type != "oblast"]
        return [_salient(doc, sent, prev)] if prev else []
    return []


_CARRY = re.compile(r"kessel|einschließ|eingeschlossen|encircl|surround|straßenkämpf|häuserkampf|street fighting",
                    re.IGNORECASE)


_PRONOUNS = frozenset(["sie", "es", "it"])


_ATTRIBUTIVE = re.compile(r"^(?:[\w]+-(?:held|controlled|occupied)|"
                          r"(?:russisch|ukrainisch|prorussisch)\s+(?:besetzt|kontrolliert|gehalten)(?:e|en|er|es))$",
                          re.IGNORECASE)


# what may stand before a name that opens a headline fragment: nothing, or names joined by "und"
_FRAGMENT_START = re.compile(r"\s*(?:[A-ZÄÖÜ][\w-]*\s+(?:und|sowie)\s+)*")
_PARTICIPLE_END = re.compile(r"^(?:ge\w+[tn]|\w+(?:ert|iert)|verloren|zurückerobert|eingenommen|befreit)$", re.IGNORECASE)


def _attributive(hit: Hit) -> bool:
    """"Russian-held", "Kyiv-controlled", "russisch besetzten": an adjective before a noun."""
    return hit.name in ("under_russia", "under_ukraine") and _ATTRIBUTIVE.match(hit.text) is not None


def _pronoun_subject(sent: Sent, hit: Hit) -> bool:
    """A pronoun right next to the cue as its subject ("sei sie", "it fell", "ist sie ... gefallen")."""
    if hit.name not in ("encircled", "contested", "threatened", "falls", "hold", "under_russia", "under_ukraine"):
        return False
    near = sent.tokens[max(0, hit.first - 3):hit.last + 3]
    return any(t.lower in _PRONOUNS for t in near)


_DIRECTIONS = frozenset(["östlich", "westlich", "nördlich", "südlich", "nordöstlich", "nordwestlich", "südöstlich",
                         "südwestlich", "nahe", "bei", "hinter", "vor", "außerhalb", "east", "west", "north", "south",
                         "northeast", "northwest", "southeast", "southwest", "near", "outside", "behind", "beyond",
                         "richtung", "toward", "towards"])


def _located_by(sent: Sent, hit: Hit) -> bool:
    """"aus mehreren Dörfern östlich der Kleinstadt", "villages east of the town": the town only
    locates what the cue is about."""
    before = [t.lower for t in sent.tokens[max(0, hit.first - 2):hit.first]]
    return bool(before) and (before[-1] in _DIRECTIONS or (before[-1] in ("of", "von") and len(before) == 2
                                                           and before[0] in _DIRECTIONS))


def _names_a_place(doc: Doc, sent: Sent, hit: Hit) -> bool:
    """"the town of Dobropillia", "die Stadt Kupjansk": a title before a name, not a reference back."""
    m = re.match(r"\s*(?:of\s+|von\s+)?", doc.body[hit.end:hit.end + 12])
    at = hit.end + (m.end() if m else 0)
    return any(r.start == at and r.type in TARGET_TYPES for r in sent.refs)


def _salient(doc: Doc, sent: Sent, towns: list[Ref]) -> Ref:
    """Of several towns "die Stadt" may mean, the one the article is about (named most often so
    far, the title included); on a tie the nearest."""
    counts: dict[str, int] = {}
    for s in doc.sentences[:sent.index + 1]:
        for r in s.refs:
            counts[r.id] = counts.get(r.id, 0) + 1
    best = max(counts.get(t.id, 0) for t in towns)
    return [t for t in towns if counts.get(t.id, 0) == best][-1]


_REGION_LOCATOR = re.compile(r"\s+(?:in|im)\s+(?:the\s+|der\s+)?(?:Gebiet\s+|Region\s+|Oblast\s+)?[\w-]+"
                             r"(?:\s+(?:region|oblast|province))?[\s,]*", re.IGNORECASE)


def _antecedents(doc: Doc, sent: Sent, clause: Clause) -> list[Ref]:
    """The towns a relative clause or apposition follows: the name right before its comma, with
    the names listed with it."""
    before = [r for r in sent.refs_of(("place", "region")) if r.end <= clause.start and r.form != "adjective"]
    # "Kostiantynivka in the Donetsk region, which ...": the region only locates the town
    if not before or not (re.fullmatch(r"[\s,]*(?:selbst|itself|selber)?[\s,]*", doc.body[before[-1].end:clause.start])
                          or _REGION_LOCATOR.fullmatch(doc.body[before[-1].end:clause.start])):
        return []
    if len(before) >= 2 and _behind_locator(sent, before[-1], None) and \
            doc.body[before[-2].end:before[-1].start].count(",") == 0 and \
            any(before[-2].end <= h.start and h.end <= before[-1].start for h in sent.group("control.locator")):
        # "In der Siedlung Schewtschenkowe östlich von Charkiw, die ... befreit worden war": the
        # town the locator places, not the locating city
        return [before[-2]]
    out = [before[-1]]
    for r in reversed(before[:-1]):
        if re.fullmatch(r"\s*(?:,|und|and|sowie|or|oder|,\s*and)\s*", doc.body[r.end:out[-1].start]):
            out.append(r)
        else:
            break
    return out[::-1]


def _earlier_clause_places(sent: Sent, clause: Clause, any_role: bool = False) -> list[Ref]:
    for c in reversed([c for c in sent.clauses if c.start < clause.start]):
        # ("Kyiv's surprise incursion", "MOSCOW/KYIV, April 26 -": a government, a dateline)
        refs = [r for r in sent.refs_of(TARGET_TYPES if any_role else ("place", "region"), c)
                if (r.form != "adjective" and not r.surface.endswith(("'s", "’s")) and r.start >= dateline_end(sent)
                    if any_role else _usable(sent, r) and not _behind_locator(sent, r, None))]
        if refs:
            return refs
    return []


def _previous_places(doc: Doc, sent: Sent, n: int = 3) -> list[Ref]:
    for prev in doc.previous(sent, n):
        # "fighting raged around Bakhmut. The city ...": the place of a fight is what "the city" means
        cues = [h for h in prev.hits if h.group.startswith("control.") and h.name in VERB_GROUPS]
        refs = [r for r in prev.refs_of(("place", "region")) if _usable(prev, r)
                and (not _behind_locator(prev, r, None, fighting_is_place=True)
                     or any(not _behind_locator(prev, r, h) for h in cues))]
        if refs:
            return refs
    return []


def _noun_target(doc: Doc, sent: Sent, hit: Hit) -> list[Ref]:
    """"Einnahme Bachmuts", "Fall von Bachmut", "the capture of Kupiansk", "Einnahme der Stadt"."""
    for r in sent.refs_of(TARGET_TYPES):
        if hit.end <= r.start <= hit.end + 40 and _usable(sent, r) and not _behind_locator(sent, r, hit):
            between = doc.body[hit.end:r.start]
            words = set(between.lower().split())
            if not any(c in between for c in ",;:") and not words & _NOT_OF:
                return _with_list(doc, sent, r)
    if hit.first > 0 and sent.tokens[hit.first - 1].lower in ("dessen", "deren", "whose"):
        # "In Kupjansk selbst, dessen Einnahme Moskau gemeldet hatte": the town the clause hangs on
        clause = sent.clause_of(hit.start)
        named = _antecedents(doc, sent, clause)
        if named:
            return named
    m = _INCLUDING.match(sent.text, hit.end - sent.start)
    if m:
        # "die Einnahme von rund einem Dutzend Dörfern ..., darunter Striletscha und Pylna"
        first = next((r for r in sent.refs_of(("place", "region")) if r.start >= sent.start + m.end()
                      and _OBJECT_GAP.fullmatch(doc.body[sent.start + m.end():r.start])), None)
        if first is not None and _usable(sent, first):
            return _with_list(doc, sent, first)
    for a in sent.group("control.anaphor"):
        if hit.end <= a.start <= hit.end + 6:
            prev = [r for r in sent.refs_of(("place", "region")) if r.start < hit.start and _usable(sent, r)
                    and not _behind_locator(sent, r, None)]
            if prev:
                return [prev[-1]]
            prevs = _previous_places(doc, sent)
            return prevs[-1:] if prevs else []
    return []


def _with_list(doc: Doc, sent: Sent, first: Ref) -> list[Ref]:
    """"Eroberungen der Großstädte Charkiw und Odessa": the places listed with the first."""
    out = [first]
    places = [r for r in sent.refs_of(("place", "region")) if r.start > first.start]
    for r in places:
        # "Pokrowsk im Gebiet Donezk und Wowtschansk im Gebiet Charkiw": past each town's locator
        # ... and past a time or a region ("Avdiivka in February 2024 and Vuhledar in October 2024")
        if re.fullmatch(r"\s*(?:(?:im\s+Gebiet|in\s+der\s+Region|in\s+the|in\s+the\s+(?:south|north|east|west)\s+of\s+the)"
                        r"\s+[\w-]+(?:\s+region)?\s*)?"
                        r"(?:(?:in|im|am|Anfang|Ende|Mitte)\s+(?:[\w-]+\s+){0,3}?[\w-]+\s*)*"
                        r"(?:,|und|and|sowie|oder|or|,\s*and)\s*(?:(?:des|der|dem|den|the)\s+)?"
                        r"(?:(?:(?:small|nearby|neighbouring|neighboring|kleinen|benachbarten)\s+)?"
                        r"(?:dorfes|dorf|dörfer|dörfern|stadt|kleinstadt|ortschaft|ortschaften|ortes|orte|village|"
                        r"villages|town|towns|city|settlement|settlements)\s+(?:of\s+)?)?",
                        doc.body[out[-1].end:r.start], re.IGNORECASE):
            out.append(r)
        else:
            break
    return out


def _noun_asserted(doc: Doc, sent: Sent, clause: Clause, modality: str, hit: Hit, ref: Ref) -> bool:
    """A capture named as a noun is a claim when announced, achieved or dated ("Moskau meldet die
    Einnahme", "ist nicht gelungen", "seit dem Fall von Bachmut im Mai 2023"), or as speculation."""
    if modality in ("hedged", "negated"):
        return True
    if sent.group("control.noun_trigger"):
        return True
    before = [t.lower for t in sent.tokens[max(0, hit.first - 2):hit.first]]
    if before and before[0] in _TEMPORAL_PREPS and (len(before) == 1 or before[-1] in _ARTICLES):
        return True   # "nach der Einnahme von Lyssytschansk", "since the fall of Bakhmut": a known past event
    return any(hit.start - 40 <= t.start <= ref.end + 40 for t in doc.past_times(sent, clause))


_SINCE_BEFORE = re.compile(r"\b(?:since|seit|after|nach)\s+(?:the\s+|der\s+|dem\s+)?$", re.IGNORECASE)


def _since_noun_as_of(doc: Doc, sent: Sent, hit: Hit, ref: Ref) -> str | None:
    """"since the fall of Bakhmut in May", "seit der Einnahme Awdijiwkas im Februar": an event a
    time is counted from lies in the past, and so does the month its phrase names."""
    if hit.name not in _NOUNS or not _SINCE_BEFORE.search(sent.text[:hit.start - sent.start]):
        return None
    end = min(sent.end, ref.end + 30)
    # only a past year counts: "nach der Einnahme von Lyssytschansk Anfang Juli" is this year's news
    times = [t for t in find_past_times(doc.body[hit.start:end], hit.start, doc.date, True)
             if t.value[:4].isdigit() and int(t.value[:4]) < doc.date.year]
    return times[0].value if times else None


def _as_of(doc: Doc, sent: Sent, clause: Clause, ref: Ref, hit: Hit | None = None) -> str | None:
    times = doc.past_times(sent, clause)
    if hit is not None and len(times) > 0:
        # "Balaklija und Isjum wurden zurückerobert, Anfang Oktober auch Lyman": a time after a comma
        # dates only what its own stretch of text names
        own = {stretch_of(sent, hit.start), stretch_of(sent, ref.start)}
        if ref.start > hit.end or ref.end < hit.start:
            times = [t for t in times if stretch_of(sent, t.start) in own
                     or stretch_of(sent, t.start) < stretch_of(sent, hit.start)
                     or not any(stretch_of(sent, t.start) == stretch_of(sent, r.start)
                                for r in sent.refs if r.type in TARGET_TYPES)]
    if not times:
        return None
    best = min(times, key=lambda t: abs(t.start - ref.start))
    return best.value



