"""meeting: a meeting of leaders or delegations; its status, location and date.

The subject is the participants' ids sorted and joined by '+', then '@' and the venue's country.
Participants come from "zwischen X und Y" / "between X and Y" / "mit X" after a meeting noun, or
from the people and delegations of the clause of a meeting verb ("traf", "met"); "das Treffen",
"the summit" mean the article's meeting, "ein solcher Gipfel" the one just named. A phone call is
no meeting. The status comes from the status words ("geplant", "abgesagt", "traf"), else from
tense ("at the talks ... had", "wird"); a date counts only where it fits the status.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from monitor.extract.dates import find_dates
from monitor.extract.doc import Doc, Sent, add_once, cue_spans, dateline_end, war_context
from monitor.extract.entities import Ref
from monitor.extract.lexicon import Hit, longest
from monitor.extract.modality import Modality, assess
from monitor.extract.text import Clause, Token
from monitor.models import Claim

STATUSES = ("cancelled", "postponed", "held", "planned", "proposed")
_PRONOUNS = frozenset(["er", "ihm", "ihn", "he", "him", "his", "who", "der"])
# Venues that also name a government ("Moskau lehnte ab"): a venue only after a preposition.
_CAPITALS = frozenset({"moscow", "washington", "kyiv", "kremlin", "white-house"})
_VENUE_PREPS = frozenset(["in", "im", "nach", "to", "at", "auf", "visited", "visiting", "besuchte", "besucht"])
# the head noun of "in der Hafenstadt Dschidda", "the Saudi city of Jeddah", "the capital Riyadh"
_CITY_HEAD = re.compile(r"(stadt|metropole|city|capital|town|resort|kurort|badeort|ferienort)$")
# words between a preposition and its place: "im japanischen Hiroshima", "in the Saudi city of Jeddah"
_ADJ = re.compile(r"^(der|den|dem|the|of|[\w-]+(isch|ische|ischen|ischer|an|ese|i|ish))$")
_NOT_VENUE_HEADS = frozenset(["war", "krieg", "kriegs", "krieges", "conflict", "konflikt", "konflikts", "fighting",
                              "kämpfe", "kämpfen", "frieden", "peace", "invasion", "offensive", "angriffskrieg",
                              # "Russian strikes in Kyiv", "Angriffe auf Kiew": where the war hits
                              "strike", "strikes", "attack", "attacks", "shelling", "explosions", "blasts", "killed",
                              "angriff", "angriffe", "angriffen", "luftangriffe", "drohnenangriffe", "beschuss",
                              "explosionen", "getötet", "based", "lebende", "lebender", "lebenden", "ansässige",
                              "ansässigen", "ansässiger"])
_PLUPERFECT = re.compile(r"\b(hatte|hatten|had)\b", re.IGNORECASE)
_SUBJECTLESS = frozenset(["after", "before", "while", "when", "following", "nachdem"])
_PLACE_PREPS = frozenset(["in", "im", "nach", "to", "at", "bei", "beim", "from", "aus", "von", "vom", "into"])
# "auf Einladung des türkischen Präsidenten": the one who invites hosts, and takes no part
_HOST_WORDS = frozenset(["einladung", "invitation", "gastgeber", "vermittlung", "mediation"])
_PRESENT_FORMS = frozenset(["empfängt", "trifft", "treffen", "meets", "hosts"])
_AUX_ALL = frozenset(["ist", "sind", "war", "waren", "hat", "haben", "hatte", "hatten", "wird", "werden", "soll",
                      "is", "are", "was", "were", "has", "have", "had", "will", "he", "she", "they", "er", "sie"])
_AUX = frozenset(["hat", "haben", "hatte", "hatten"])
_NOT_MEETING_NEG = frozenset(["durchbruch", "breakthrough", "date", "termin", "einigung", "agreement", "deal", "ergebnis"])


@dataclass(frozen=True)
class Meeting:
    participants: tuple[str, ...]
    country: str | None

    @property
    def subject(self) -> str:
        base = "+".join(sorted(self.participants))
        return f"{base}@{self.country}" if self.country else base


class MeetingExtractor:
    kind = "meeting"

    def extract(self, doc: Doc, sent: Sent) -> list[Claim]:
        out: list[Claim] = []
        _note_visit(doc, sent)
        _note_event(doc, sent)
        if "meeting" not in sent.sections:
            return out
        # "host talks between A and B", "ein Treffen ausrichten": the noun names the meeting
        cues = _cues_of(sent)
        if not cues:
            cue = _continuation(doc, sent)
            if cue is None:
                return out
            cues = [cue]
        done: dict[object, int] = {}
        last: Meeting | None = None
        for cue in cues:
            clause = sent.clause_of(cue.start)
            if sent.in_clause("meeting.superseded", clause):
                continue
            meeting = _resolve(doc, sent, clause, cue)
            if meeting is None or not _about_the_war(doc, sent, meeting):
                continue
            if meeting.country is None and last is not None and last.participants == meeting.participants \
                    and last.country and any(c.id == clause.id for c in [sent.clause_of(cues[0].start)]):
                meeting = last   # "met Putin in Moscow ... for talks that lasted": one meeting
            last = meeting
            doc.memory["meeting.current"] = (sent.index, meeting)
            if meeting.country:
                doc.memory[f"meeting.at.{meeting.country}"] = meeting
            # "ended their meeting ..., but described the talks on Friday as constructive": a second
            # cue for the same meeting shares the status found for the first
            base = "+".join(sorted(meeting.participants))
            earlier = next((c.value for c in out if c.subject.partition("@")[0] == base and c.attribute == "status"
                            and c.modality == "asserted"), None)
            for claim in _claims(doc, sent, clause, cue, meeting, str(earlier) if earlier is not None else None):
                if claim.attribute == "date" and any(c.subject == claim.subject and c.attribute == "date" for c in out):
                    continue   # one day per meeting and sentence: the first cue's
                add_once(out, done, (claim.subject, claim.attribute, str(claim.value)), claim)
                if claim.attribute == "date":
                    doc.memory[f"meeting.on.{claim.value}"] = meeting
        if last is not None:
            doc.memory["meeting.last"] = (sent.index, last)
        return out


    def finish(self, doc: Doc, claims: list[Claim]) -> list[Claim]:
        """Carry a meeting's venue country over to the article's claims about the same people
        that name no venue ("Putin empfing Witkoff ..." then "Das Treffen im Kreml ...").
        Only between present-day claims, and only when the article gives one venue for them:
        a history meeting (as_of) neither gives nor takes a venue."""
        held = {c.subject.partition("@")[0] for c in claims
                if c.kind == "meeting" and c.value == "held" and c.as_of is None}
        # "Putin hatte die Gespräche selbst vorgeschlagen": a proposal told in the pluperfect of a
        # meeting the article reports as held is its prehistory, not its news
        claims = [c for c in claims if not (c.kind == "meeting" and c.value == "proposed"
                                            and c.subject.partition("@")[0] in held and _PLUPERFECT.search(c.sentence))]
        # "Putin empfängt Witkoff" over a body that tells the meeting as held: the headline's
        # present is the news present, not a plan.
        claims = [c for c in claims if not (c.kind == "meeting" and c.value == "planned" and c.subject.partition("@")[0] in held
                                            and any(x.lower() in _PRESENT_FORMS for x in c.cues[:2]))]
        venues: dict[str, set[str]] = {}
        statuses: dict[str, set[str]] = {}   # the statuses told of the meeting at its venue
        for c in claims:
            if c.kind == "meeting" and "@" in c.subject and c.as_of is None:
                base, _, country = c.subject.partition("@")
                venues.setdefault(base, set()).add(country)
                if c.attribute == "status":
                    statuses.setdefault(base, set()).add(str(c.value))
        if not venues:
            return claims
        # the status of each venue-less sentence's meeting: a held meeting does not take the
        # venue of a planned one ("met last week ... a second summit is planned in Budapest")
        own = {(c.span, c.subject): str(c.value) for c in claims if c.kind == "meeting" and c.attribute == "status"}
        out: list[Claim] = []
        for c in claims:
            found = venues.get(c.subject)
            mine = own.get((c.span, c.subject))
            told = statuses.get(c.subject, set())
            if c.kind == "meeting" and c.as_of is None and found is not None and len(found) == 1 \
                    and (mine is None or not told or mine in told):
                c = replace(c, subject=f"{c.subject}@{next(iter(found))}")
            out.append(c)
        return out


def _venue_modifier(sent: Sent, cue: Hit) -> bool:
    """"the Alaska talks": a venue right before the meeting noun, with no people in the clause's
    "between/with" phrase."""
    if cue.first == 0:
        return False
    prev = sent.tokens[cue.first - 1]
    return any(r.type in ("venue", "region") and r.end == prev.end for r in sent.refs) and not any(
        r.type == "person" and 0 <= r.start - cue.end <= 30 for r in sent.refs)


def _venue_after(sent: Sent, cue: Hit) -> bool:
    """"the summit in the Hungarian capital": a definite meeting named by where it is held, with
    no people of its own."""
    if cue.first == 0 or sent.tokens[cue.first - 1].lower not in ("the", "der", "das", "den", "dem", "des"):
        return False
    if any(r.start >= cue.end and r.type == "person" and r.start - cue.end <= 60 for r in sent.refs):
        return False
    return any(r.type in ("venue", "region", "place") and r.start >= cue.end
               and _IN_VENUE.fullmatch(sent.text[cue.end - sent.start:r.start - sent.start]) for r in sent.refs)


_IN_VENUE = re.compile(r"\s+(?:in|im|at)\s+(?:the\s+|der\s+)?(?:[\w-]+\s+)?", re.IGNORECASE)


def _time_pp(sent: Sent, cue: Hit) -> list[Hit]:
    """"nach gut dreistündigen Gesprächen", "after nearly three hours of talks": the preposition
    that puts a meeting noun in a time phrase (only lowercase modifiers between)."""
    if cue.group != "meeting.noun":
        return []
    return [h for h in sent.group("meeting.at") if 0 <= cue.first - h.last <= 6
            and all(t.text[:1].islower() and t.lower not in _AUX_ALL for t in sent.tokens[h.last:cue.first])]


def _cues_of(sent: Sent) -> list[Hit]:
    found = [h for h in longest(sent.group("meeting.noun", "meeting.verb")) if not _arrival(sent, h)
             and not _event_frame(sent, h) and not _passive_by(sent, h)]
    nouns = [h for h in found if h.group == "meeting.noun"]
    return [h for h in found if not _near_phone(sent, h)
            and not (h.group == "meeting.verb" and any(0 <= n.first - h.last < 3 for n in nouns))]


def _passive_by(sent: Sent, h: Hit) -> bool:
    """"a meeting of the coalition hosted by Starmer": a participle naming the host of a meeting
    the sentence already names, no meeting of its own (and no status of one)."""
    return h.group in ("meeting.verb", "meeting.held") and h.text.lower().endswith("ed") and \
        h.last < len(sent.tokens) and sent.tokens[h.last].lower == "by"


def _event_frame(sent: Sent, h: Hit) -> bool:
    """"on the sidelines of the NATO summit", "am Rande des Nato-Gipfels": the summit frames the
    meeting told in the sentence; it is no meeting of that sentence's people itself."""
    if h.group != "meeting.noun":
        return False
    before = [t.lower for t in sent.tokens[max(0, h.first - 5):h.first]]
    if any(w in ("sidelines", "margins", "rande") for w in before):
        return True
    word = h.text.lower()
    if re.match(r"(?:nato|g7|g20|eu|un|uno|brics|sco|soz|oas|osze|osce|asean|apec)-", word):
        return True
    # "the SCO summit", "a summit of the Shanghai Cooperation Organisation", "der Gipfel der Brics-Staaten"
    if before and before[-1] in _BLOCS:
        return True
    return bool(_OF_BLOC.match(sent.text, h.end - sent.start))


_BLOCS = frozenset(["nato", "g7", "g20", "eu", "un", "brics", "sco", "soz", "osce", "osze", "asean", "apec", "arab",
                    "african", "commonwealth"])
_OF_BLOC = re.compile(r"\s+(?:of\s+the|of|des|der)\s+(?:[\w-]+\s+){0,3}?(?:organisation|organization|nato|eu|union|"
                      r"g7|g20|brics\S*|uno?|vereinten\s+nationen|united\s+nations|alliance|bündnis|staaten|"
                      r"group|gruppe|bloc|league|liga|commonwealth|council)\b", re.IGNORECASE)


def _arrival(sent: Sent, h: Hit) -> bool:
    """"Witkoff traf am Donnerstag in Moskau ein": "eintreffen" is arriving, not meeting."""
    if h.text.lower() not in ("traf", "trafen", "trifft", "treffen"):
        return False
    clause = sent.clause_of(h.start)
    return any(t.lower == "ein" and clause.contains(t.start) and t.start > h.end
               and (i + 1 == len(sent.tokens) or not sent.tokens[i + 1].text[:1].isalpha())
               for i, t in enumerate(sent.tokens))


def _between_windows(sent: Sent, but: Hit) -> list[tuple[int, int]]:
    """Spans of "a meeting between A and B" phrases of the sentence's other meeting nouns."""
    out = []
    for n in _cues_of(sent):
        if n.group != "meeting.noun" or n.start == but.start:
            continue
        nxt = next((k for k, t in enumerate(sent.tokens) if t.start >= n.end), None)
        if nxt is not None and any(h.first == nxt for h in sent.group("meeting.between")):
            out.append((n.end, _window_end(sent, n, n.end + 90)))
    return out


def _about_the_war(doc: Doc, sent: Sent, meeting: Meeting) -> bool:
    """A meeting of Russia's or Ukraine's people, or one named where the text speaks of the war
    (US-China trade talks are not followed)."""
    for p in meeting.participants:
        ent = doc.topics.entity(p)
        if p in ("russia", "ukraine") or (ent is not None and ent.region in ("russia", "ukraine")):
            return True
    return war_context(doc, sent)


def _near_phone(sent: Sent, hit: Hit) -> bool:
    return any(abs(p.first - hit.first) <= 3 or p.first <= hit.first < p.last for p in sent.group("meeting.phone"))


def _continuation(doc: Doc, sent: Sent) -> Hit | None:
    """"Sie waren für diesen Monat in Doha geplant.": a pronoun and a status word go on about the
    meeting of the sentence before."""
    last = doc.memory.get("meeting.last")
    if not (isinstance(last, tuple) and last[0] == sent.index - 1):
        return None
    ana = [h for h in sent.group("meeting.anaphor") if h.first == 0]
    status = sent.section("meeting", STATUSES)
    if ana and status:
        return ana[0]
    return None


def _participants_of(sent: Sent, lo: int, hi: int) -> list[Ref | Hit]:
    people: list[Ref | Hit] = [r for r in sent.refs if r.type in ("person", "country") and lo <= r.start < hi
                               and not _places_a_venue(sent, r) and not _destination(sent, r)
                               and not _qualifies_person(sent, r)
                               and not _after_preposition(sent, r.start) and not _possessive(sent, r)
                               and not _hosting(sent, r) and not _reporter(sent, r)]
    line = dateline_end(sent)
    for h in longest(h for h in sent.hits if h.group.startswith("participant.")):
        if h.end <= line:
            continue   # "Kiew/Moskau - ...": where the report was filed
        if _reporter(sent, h):
            continue   # "..., the Kremlin said": who tells of the meeting
        tok = sent.token_before(h.start)
        if tok is not None and (tok.lower in _PLACE_PREPS or tok.lower in ("visited", "visit", "visits", "besuchte",
                                                                              "besucht", "besuchen")):
            continue   # "reist nach Kiew", "talks in Moscow", "visited Kyiv": a place, not a party
        if lo <= h.start < hi and not _after_preposition(sent, h.start) and \
                not any(isinstance(p, Ref) and p.start < h.end and h.start < p.end for p in people):
            people.append(h)
    return people


def _dated_meeting(doc: Doc, sent: Sent, cue: Hit) -> Meeting | None:
    """"Monday's talks", "die Gespräche vom Montag": a day names the meeting held on it."""
    prev = sent.tokens[cue.first - 1] if cue.first > 0 else None
    if prev is not None and prev.lower.endswith(("'s", "’s")) and prev.lower[:-2] in _WEEKDAYS:
        text, at = prev.text[:-2], prev.start
    else:
        m = _OF_DAY.match(sent.text, cue.end - sent.start)
        if m is None:
            return None
        text, at = m.group(1), cue.end + m.start(1)
    dates = find_dates(text, at, doc.date, True)
    known = doc.memory.get(f"meeting.on.{dates[0].date.isoformat()}") if dates else None
    return known if isinstance(known, Meeting) else None


_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_OF_DAY = re.compile(r"\s+vom\s+((?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b)")


def _pair_before(sent: Sent, cue: Hit) -> list[Ref | Hit]:
    """Two people joined by a dash right before a meeting noun: "Trump–Putin summit"."""
    persons = [r for r in sent.refs if r.type == "person" and r.end <= cue.start]
    if len(persons) < 2:
        return []
    a, b = persons[-2], persons[-1]
    if sent.text[a.end - sent.start:b.start - sent.start] in ("-", "–", "‐", "/") and \
            sent.text[b.end - sent.start:cue.start - sent.start] in (" ", "-", "–", ""):
        return [a, b]
    return []


# what stands between two people met one after the other: a place or a time, then "and"
_ELLIPSIS = re.compile(r"^(?=[^,;]{0,120}$)(?=.*\b(?:in|im|at|am|on)\b).*\b(?:and|und)\b", re.IGNORECASE)
_JOINT_ADVERBS = frozenset(["also", "later", "then", "auch", "später", "dann", "anschließend", "afterwards"])


def _qualifies_person(sent: Sent, ref: Ref) -> bool:
    """"U.S. envoy Steve Witkoff", "der russische Präsident Putin": a country before a title and a
    name says whose the person is; the person is the participant."""
    if ref.type != "country":
        return False
    nxt = next((r for r in sent.refs if r.type == "person" and r.start >= ref.end), None)
    return nxt is not None and nxt.country == ref.id and bool(
        _TITLE_GAP.fullmatch(sent.text[ref.end - sent.start:nxt.start - sent.start]))


# lowercase title words (or a German compound title) between a country and a name
_TITLE_GAP = re.compile(r"(?:['’]s)?(?:\s*-?\s*(?:[a-zäöüß-]+|[A-ZÄÖÜ][a-zäöüß]+(?:gesandte[rn]?|minister|präsident(?:en)?|"
                        r"chef|kanzler|außenminister)|Vice|President|Secretary|Special|Envoy|Defence|Defense|Foreign|"
                        r"Minister|Prime|Chancellor|of|State)){0,4}\s*")


def _destination(sent: Sent, ref: Ref) -> bool:
    """"travel to China", "reist nach China": a country one goes to is where, not who."""
    tok = sent.token_before(ref.start)
    return ref.type == "country" and tok is not None and tok.lower in ("to", "nach", "into")


def _places_a_venue(sent: Sent, ref: Ref) -> bool:
    """"talks in Jeddah, Saudi Arabia": the country after a venue and a comma only says where it is."""
    return ref.type == "country" and any(v.type == "venue" and 0 <= ref.start - v.end <= 2
                                         and sent.text[v.end - sent.start:ref.start - sent.start].strip() == ","
                                         for v in sent.refs)


# a coordinated clause with no subject of its own: "... und will in Peking Xi treffen"
_SHARED_SUBJECT = re.compile(r"\s*(?:and|und|but|aber)\s+(?:will|would|is|was|has|had|wants|plans|wird|will|wollen|"
                             r"hat|hatte|ist|war|soll|sollte)\b", re.IGNORECASE)


# "werden von schweren Angriffen überschattet": a passive with its agent, no future
_PASSIVE_END = re.compile(r"\b(?:von|durch)\b[^.,;]*\b\w+(?:t|en)\s*[.!?]?\s*$")
_DURING_VISIT = re.compile(r"(?:bei|während|during)\s+(?:seinem|ihrem|seines|ihres|his|her)\b", re.IGNORECASE)
# simple past forms of meeting verbs: the meeting took place
_PAST_FORMS = frozenset(["traf", "trafen", "verhandelten", "verhandelte", "empfing", "besuchte", "berieten",
                         "spent", "met", "hosted", "visited", "sat", "talked", "discussed"])
_MODALS = frozenset(["would", "will", "could", "should", "might", "würde", "würden", "wird", "werden", "soll",
                     "sollen", "könnte", "könnten", "wollen", "wolle"])


def _host(doc: Doc, sent: Sent, clause: Clause, cue: Hit, ids: tuple[str, ...]) -> str | None:
    """"Macron war im Weißen Haus zu Gast", "Witkoff was received at the Kremlin": a guest at an
    office's seat meets whoever held the office that day (the topics' ``seats``)."""
    seats = {v.id for v in _venues(doc, sent, clause, cue) if v.type in ("venue", "place")}
    if not seats:
        return None
    for office in doc.topics.offices():
        if seats & set(office.seats):
            holder = office.holder_on(doc.date)
            if holder is not None and holder not in ids:
                return holder
    return None


_TRAVEL = re.compile(r"travel|reis|visit|besuch", re.IGNORECASE)
_VISIT = re.compile(r"visit|besuch", re.IGNORECASE)


def _reporter(sent: Sent, ref: Ref | Hit) -> bool:
    """", Trump said", "sagte Selenskyj": who tells of the meeting, not who meets, when the
    reporting words stand right by the name after a comma (or the name closes the sentence)."""
    if isinstance(ref, Ref) and ref.type != "person":
        return False
    for h in sent.group("modality.report"):
        if 0 <= h.start - ref.end <= 2 or 0 <= ref.start - h.end <= 2:
            before = re.sub(r"\s(?:the|der|die|das)$", "", sent.text[:min(h.start, ref.start) - sent.start].rstrip(),
                            flags=re.IGNORECASE)
            if before.endswith((",", "–", "-")):   # ", the Kremlin said"
                return True
    return False


def _hosting(sent: Sent, ref: Ref) -> bool:
    """"auf Einladung des türkischen Präsidenten Erdoğan": who invites hosts, and takes no part."""
    return any(t.lower in _HOST_WORDS and 0 <= ref.start - t.end <= 60 for t in sent.tokens)


def _possessive(sent: Sent, ref: Ref) -> bool:
    """"Trumps Schwiegersohn", "Trump's envoy", "Putins Berater": the person only qualifies
    someone else, who is the participant."""
    if ref.type != "person":
        return False
    nxt = next((t for t in sent.tokens if t.start >= ref.end), None)
    if nxt is None or any(h.start <= nxt.start < h.end for h in sent.group("meeting.noun")):
        return False   # "Trump's meeting with Putin": the owner of the meeting takes part
    if ref.surface.endswith(("'s", "’s")) or (nxt.text in ("'", "’", "'s", "’s") and nxt.start == ref.end):
        return True
    # German genitive before its head noun: "Trumps Schwiegersohn" (not "Trumps, der ...")
    return ref.surface.endswith("s") and nxt.text[:1].isupper() and nxt.text.isalpha() \
        and not any(r.start == nxt.start for r in sent.refs) and _genitive_form(ref.surface)


def _genitive_form(surface: str) -> bool:
    last = surface.split()[-1]
    return len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is", "os"))


def _after_preposition(sent: Sent, pos: int) -> bool:
    tok = sent.token_before(pos)
    prev = sent.token_before(tok.start) if tok is not None and tok.lower in ("der", "die", "den", "the") else None
    words = {t.lower for t in (tok, prev) if t is not None}
    return bool(words & {"gegen", "against", "in", "of", "für", "for", "über", "about", "on", "aus", "ohne",
                         "without"})


def _ids(people: list[Ref | Hit], leaders: frozenset[str] = frozenset()) -> tuple[str, ...]:
    persons = {p.id for p in people if isinstance(p, Ref) and p.type == "person"}
    countries = {p.id for p in people if isinstance(p, Ref) and p.type == "country"}
    countries |= {p.name for p in people if isinstance(p, Hit)}
    if len(persons) >= 2:
        if leaders and not persons & leaders:
            # Ministers, envoys, chiefs of staff: their talks are their countries' talks
            # ("Rubio und Jermak" -> ukraine+usa), the form every reader's key agrees on.
            of = {p.country for p in people if isinstance(p, Ref) and p.type == "person" and p.country}
            if len(of | countries) >= 2 and len(of) >= 1 and \
                    all(isinstance(p, Ref) and p.type == "person" and p.country for p in people if
                        isinstance(p, Ref) and p.type == "person"):
                return tuple(sorted(of | countries))
        return tuple(sorted(persons))
    if persons and countries:
        # One leader meets a delegation: name both by country.
        cs = set(countries)
        for p in people:
            if isinstance(p, Ref) and p.type == "person" and p.country:
                cs.add(p.country)
        return tuple(sorted(cs))
    if len(countries) >= 2:
        return tuple(sorted(countries))
    return tuple(sorted(persons | countries))


def _resolve(doc: Doc, sent: Sent, clause: Clause, cue: Hit) -> Meeting | None:
    lo, hi = _clause_bounds(clause)
    venue = _venue_country(doc, sent, clause, cue)
    event = _event_venue(doc, sent, clause)
    if venue is None and event is not None:
        venue = event[1]   # "am Rande der Konferenz": where the conference named before was held
    # "will er Biden treffen": a lowercase German "treffen" is the verb, not the noun
    is_noun = cue.group == "meeting.noun" and not (doc.lang == "de" and cue.text[:1].islower())
    definite = any(h.first <= cue.first < h.last for h in sent.group("meeting.definite"))
    such = any(h.first <= cue.first < h.last for h in sent.group("meeting.such")) or (
        # "The two men ... spoke face to face": the people of the meeting just named
        not is_noun and bool(sent.in_clause("meeting.such", clause)))
    generic = any(h.first <= cue.first < h.last for h in sent.group("meeting.generic"))
    if generic and cue.first >= 2 and sent.tokens[cue.first - 2].lower in ("bei", "at", "during", "in"):
        generic = False   # "bei einem Treffen am Dienstag in Kiew": a meeting that took place, not "a meeting"
    people: list[Ref | Hit] = []
    if such:
        # "Trump spoke with Putin by phone and announced that the two leaders would meet": the two
        # people the sentence named before
        named: list[str] = []
        for r in sent.refs:
            if r.type == "person" and r.start < cue.start and r.id not in named:
                named.append(r.id)
        if len(named) >= 2:
            return Meeting(tuple(sorted(named[-2:])), venue)
    dated = _dated_meeting(doc, sent, cue) if is_noun else None
    if dated is not None:
        return dated   # "Monday's talks": the meeting the article dated on that Monday
    pair = _pair_before(sent, cue) if is_noun else []
    if pair:
        # "a planned Trump–Putin summit", "das Trump-Putin-Treffen": the pair names the meeting
        return Meeting(_ids(pair, _leaders(doc)), venue)
    if is_noun and venue is not None and _venue_modifier(sent, cue):
        # "the Alaska talks", "der Alaska-Gipfel": the meeting held or planned at that venue
        known = doc.memory.get(f"meeting.at.{venue}")
        return known if isinstance(known, Meeting) else None
    if is_noun and venue is not None and _venue_after(sent, cue):
        main_m = doc.memory.get("meeting.main")
        # the article's meeting unless it is held elsewhere, else the one last named at that venue
        known = main_m if isinstance(main_m, Meeting) and main_m.country in (None, venue) else \
            doc.memory.get(f"meeting.at.{venue}")
        if isinstance(known, Meeting):
            return Meeting(known.participants, venue)
    if is_noun:
        window_end = _window_end(sent, cue, min(hi, cue.end + 90))
        start_tok = next((t for t in sent.tokens if t.start >= cue.end), None)
        start_tok = _past_venue(sent, start_tok)   # "talks in Brussels between A and B"
        opens = start_tok is not None and (
            any(h.first == sent.tokens.index(start_tok) for h in sent.group("meeting.between"))
            or any(r.start == start_tok.start and r.type == "person" for r in sent.refs))
        if opens:
            people = _participants_of(sent, cue.end, window_end)
            if not people and any(r.type == "venue" and cue.end <= r.start < window_end for r in sent.refs):
                # "nach dem Gipfel von Alaska": a meeting named by its venue, not by this clause's people
                return Meeting(referent_p.participants, venue) if (referent_p := _referent(doc, such)) else None
            if start_tok is not None and start_tok.lower in ("with", "mit"):   # "a meeting with Putin"
                # the other party is the clause's subject, before the noun or, in German V2 order,
                # after it ("Bei Gesprächen mit einer US-Delegation hatte Kiew ...")
                subj = _participants_of(sent, lo, cue.start)
                if not subj and (clause.kind in ("adv", "sub") or _SHARED_SUBJECT.match(sent.clause_text(clause, doc.body))):
                    # "Putin travels to China and will hold talks with Xi": the coordinated verb
                    # shares the subject of the clause before; "Trump urged ..., after a meeting with
                    # Zelenskiy": so does an adverbial clause
                    subj = _participants_of(sent, sent.start, lo)
                subj = subj or _participants_of(sent, window_end, hi)
                if not subj and len(people) == 1 and isinstance(people[0], Ref) and people[0].type == "person" \
                        and not any(t.lower in ("er", "sie", "he", "she") for t in sent.tokens):
                    # "Selenskyj wird in New York erwartet. ... ist auch ein Treffen mit Biden geplant": the
                    # person the sentence before was about
                    subj = next(([r] for prev in doc.previous(sent, 1) for r in prev.refs
                                 if r.type == "person" and r.id != people[0].id and not _possessive(prev, r)), [])
                people = subj[:1] + people
            if any(t.lower in _PRONOUNS for t in sent.tokens if cue.end <= t.start < window_end):
                people += _first_person(sent, exclude={p.id for p in people if isinstance(p, Ref)}, doc=doc)
    referent = _referent(doc, such)
    if is_noun and _indefinite(sent, cue):
        referent = None   # "a July 10 meeting": some other meeting, not the article's
    # "after three hours of talks": a retrospective time phrase speaks of a known meeting
    retro = any(h.text.lower() in ("nach", "after", "following") for h in _time_pp(sent, cue))
    definite = definite or (is_noun and (_definite(sent, cue) or retro))
    if is_noun and retro and venue is not None and not _ids(people)[1:] and any(
            h.group == "meeting.verb" and h.start != cue.start and (clause.contains(h.start) or h.start < cue.start)
            for h in _cues_of(sent)):
        # "Drei Tage nach dem Gipfel in Alaska hat Trump Selenskyj empfangen": the summit only dates
        # the meeting the verb tells of; it is the one held at that venue, if the article named it
        known = doc.memory.get(f"meeting.at.{venue}")
        return known if isinstance(known, Meeting) else None
    if (definite or such or cue.group == "meeting.anaphor") and referent is not None and len(_ids(people)) < 2:
        single = sum(clause.contains(h.start) for h in longest(sent.group("meeting.noun", "meeting.verb"))) == 1
        others = _ids(_participants_of(sent, lo, hi)) if cue.group != "meeting.anaphor" and single else ()
        if len(others) < 2 or set(others) & set(referent.participants):
            return Meeting(referent.participants, venue or referent.country)
        people = _participants_of(sent, lo, hi)
    if is_noun and not people:
        if generic:
            return None
        people = _participants_of(sent, lo, hi)
    elif not is_noun and cue.group != "meeting.anaphor":
        # "Trump spoke to Putin by phone and sent Rubio to meet Lavrov": the people of the call
        # before "and" take no part in the meeting after it
        phones = [p for p in sent.group("meeting.phone") if lo <= p.start < cue.start]
        if phones:
            joint = next((t for t in sent.tokens if phones[-1].end <= t.start < cue.start
                          and t.lower in ("and", "und", "but", "aber")), None)
            if joint is not None and not any(phones[-1].end <= o.start < joint.start for o in _cues_of(sent)):
                lo = joint.end
            else:
                phones = []
        windows = _between_windows(sent, cue)
        people = [p for p in _participants_of(sent, lo, hi) if not any(a <= p.start < b for a, b in windows)]
        # "met Zelenskiy in Kyiv last Wednesday and Putin in Moscow the following day", "will am Freitag
        # in Kiew mit Selenskyj zusammenkommen und am Samstag in St. Petersburg mit Putin": two meetings
        # of the subject, one after the other; the two it met did not meet each other
        persons = [p for p in people if isinstance(p, Ref) and p.type == "person"]
        objects = [p for p in persons if p.start > cue.end
                   or re.search(r"\bmit\s+(?:[\w-]+\s+){0,3}$", sent.text[max(0, p.start - sent.start - 40):p.start - sent.start])]
        if len(objects) >= 2 and _ELLIPSIS.search(sent.text[objects[0].end - sent.start:objects[1].start - sent.start]):
            subject_before: list[Ref | Hit] = []
            subject_before += [p for p in persons if p not in objects and p.start < objects[0].start][:1]
            if not subject_before:
                return None
            people = [*subject_before, objects[0]]
        conj = next((k for k in range(max(0, cue.first - 2), cue.first)
                     if sent.tokens[k].lower in ("and", "und", "but", "aber")
                     and all(t.lower in _JOINT_ADVERBS for t in sent.tokens[k + 1:cue.first])), None)
        if conj is not None and conj > 0 and not phones:
            # "presented his plan to Biden ... and also met Trump in New York": the second verb
            # shares the subject, not the first verb's object
            # the subject stands before the sentence's first meeting word ("he held talks with Modi ...
            # and also met Macron": not Modi), or is the pronoun's person
            first_cue = min((h.start for h in _cues_of(sent)), default=sent.tokens[conj].start)
            subject = _participants_of(sent, sent.start, min(first_cue, sent.tokens[conj].start))[:1]
            if sent.tokens[0].lower in ("he", "she", "er", "sie") and sent.tokens[0].text[:1].isupper():
                # "He presented it to Biden ... and met Trump": the pronoun is the subject, not Biden
                subject = _first_person(sent, exclude={p.id for p in people if isinstance(p, Ref)}
                                        | {p.id for p in subject if isinstance(p, Ref)}, doc=doc) or subject
            if not subject and any(t.lower in ("he", "she", "er", "sie") and t.start < first_cue for t in sent.tokens):
                subject = _first_person(sent, exclude={p.id for p in people if isinstance(p, Ref)}, doc=doc)
            after = [p for p in people if p.start >= cue.start]
            if subject and after:
                people = subject + after
                phones = [cue]   # the subject is known: no pronoun below brings in another person
        people = _without_speakers(sent, _apposed_subject(sent, clause) + people)
        before = sent.tokens[cue.first - 1].lower if cue.first > 0 else ""
        if not phones and (clause.kind in ("rel", "appos") or before in _SUBJECTLESS or
                           any(t.lower in _PRONOUNS and t.lower != "his"   # "sent his envoy to meet"
                               and (t.lower != "der" or (k > 0 and sent.tokens[k - 1].text == ","))  # not the article
                               for k, t in enumerate(sent.tokens) if clause.contains(t.start))
                           # "Er war nach Washington gereist und hatte dort Biden getroffen": the
                           # pronoun that opens the sentence is the subject of its coordinated verbs
                           or (sent.tokens[0].lower in ("er", "he") and sent.tokens[0].text[:1].isupper()
                               and len(_ids(people)) < 2)):
            # "..., after hosting Zelenskiy": the main clause's subject hosts
            people += _first_person(sent, exclude={p.id for p in people if isinstance(p, Ref)}, doc=doc)
    if not is_noun and len(_ids(people)) < 2 and cue.last < len(sent.tokens) and sent.tokens[cue.last].lower == "sie":
        # "Die US-Delegation hatte mit Kiew beraten. Am Montag verhandelte sie mit der russischen
        # Seite": "sie" is the party the sentence before opened with
        prev = doc.previous(sent, 1)
        party = next((h for p in prev for h in sorted(p.hits, key=lambda h: h.start)
                      if h.group.startswith("participant.")), None)
        if party is not None and party.name not in _ids(people):
            people = [party, *people]
    ids = _ids(people, _leaders(doc))
    alone = len(ids) == 1 and all(isinstance(p, Ref) and p.type == "person" for p in people)
    host = _host(doc, sent, clause, cue, ids) if alone else None
    if alone and host is None and _VISIT.match(cue.text):
        # "Modi visited Kyiv on Friday ... and told Zelenskiy": the one other person the sentence names
        visitors_met = {r.id for r in sent.refs if r.type == "person" and r.id not in ids and not _possessive(sent, r)
                        and not _reporter(sent, r)}
        host = next(iter(visitors_met)) if len(visitors_met) == 1 else None
    if host is not None:
        ids = tuple(sorted((*ids, host)))
    if len(ids) < 2:
        # "Putin is due to travel to China": a journey elsewhere is not the article's meeting
        goal = venue or next((r.id for r in sent.refs if _destination(sent, r)), None)
        elsewhere = _TRAVEL.match(cue.text) is not None and goal is not None and \
            (referent is None or referent.country != goal)
        # (a bare "traf" with nobody named is a hit: "traf eine Drohne einen Bus")
        struck = not ids and cue.text.lower() in ("traf", "trafen", "trifft", "treffen")
        if referent is not None and (not ids or set(ids) <= set(referent.participants)) and not generic \
                and (definite or not is_noun) and not elsewhere and not struck:
            return Meeting(referent.participants, venue or referent.country)
        visit = _visit(doc, sent)
        if len(ids) == 1 and visit is not None and visit.visitor != ids[0]:
            # "Scholz traf zu einem Besuch in Kiew ein. Bei einem Treffen mit Selenskyj ...": the
            # visitor meets the one named, where the visit took them
            return Meeting(tuple(sorted((ids[0], visit.visitor))), venue or visit.country)
        if len(ids) == 1 and not generic and referent is None:
            doc.memory.setdefault("meeting.pending_venue", venue)
        return None
    if venue is None and any(_TRAVEL.match(h.text) for h in _cues_of(sent)):
        # "Putin travels to China and will hold talks with Xi": where the journey goes
        venue = next((r.id for r in sent.refs if _destination(sent, r)), None)
    if venue is None and "meeting.main" not in doc.memory:
        pending = doc.memory.get("meeting.pending_venue")
        venue = pending if isinstance(pending, str) else None
    persons = [p for p in people if isinstance(p, Ref) and p.type == "person" and p.id in ids]
    if len(persons) == len(ids) and len({p.country for p in persons}) == 1 and persons[0].country:
        return None   # "Putin met his chief of staff Gerasimov": a meeting at home, not between sides
    meeting = Meeting(ids, venue)
    main = doc.memory.get("meeting.main")
    if not isinstance(main, Meeting) or main.participants == ids and venue and not main.country:
        doc.memory["meeting.main"] = meeting
    return meeting


@dataclass(frozen=True)
class _Visit:
    sentence: int
    visitor: str
    place: Ref
    country: str
    past: bool
    date: tuple[str, str] | None


_VISIT = re.compile(r"\b(?:traf|trafen|trifft)\b[^.;]*\bein\b|\bzu\s+(?:einem|seinem|ihrem)\s+(?:\w+\s+){0,2}Besuch\b|"
                    r"\b(?:reiste|reisten|reist|gereist|flog|flogen)\b|\bBesuch\s+in\b|\bbesucht\w*\b|"
                    r"\barriv(?:ed|es|ing)\s+in\b|\bvisit(?:ed|ing|s)?\b|\btravel(?:l?ed|s|ling)?\s+to\b|\btrip\s+to\b",
                    re.IGNORECASE)


_VISIT_PAST = re.compile(r"\b(?:traf|trafen|reiste|reisten|gereist|flog|flogen|eingetroffen|besuchte|besuchten|"
                         r"arrived|visited|travell?ed|made)\b", re.IGNORECASE)


def _note_visit(doc: Doc, sent: Sent) -> None:
    """Remember who went where ("Scholz traf zu einem Besuch in Kiew ein", "Blinken arrived in
    Kyiv"): a meeting in the next sentences that names one other person is with the visitor."""
    refs = sent.refs
    if not (any(r.type == "person" for r in refs) and any(r.type in ("venue", "place") for r in refs)) \
            or not _VISIT.search(sent.text):
        return
    people = [r for r in sent.refs if r.type == "person" and not _after_preposition(sent, r.start)]
    places = [r for r in sent.refs if r.type in ("venue", "place")
              and (tok := sent.token_before(r.start)) is not None and tok.lower in _VENUE_PREPS]
    if not people or not places:
        return
    place = places[0]
    country = "ukraine" if place.type == "place" else place.country
    if country is None:
        return
    past = bool(_VISIT_PAST.search(sent.text))
    dates = find_dates(sent.text, sent.start, doc.date, past)
    date = next(((d.date.isoformat(), doc.body[d.start:d.end]) for d in dates
                 if (d.date <= doc.date if past else d.date >= doc.date)), None)
    doc.memory["meeting.visit"] = _Visit(sent.index, people[0].id, place, country, past, date)


_EVENT = re.compile(r"konferenz|gipfel|summit|conference|forum|treffen der|meeting of", re.IGNORECASE)
_ON_THE_SIDELINES = re.compile(r"\b(?:am\s+Rande|on\s+the\s+(?:sidelines|margins)|at\s+the\s+(?:summit|conference)|"
                               r"bei\s+(?:der|dem)\s+(?:Konferenz|Gipfel))\b", re.IGNORECASE)


def _note_event(doc: Doc, sent: Sent) -> None:
    """Remember where a conference or summit took place ("die Friedenskonferenz auf dem
    Bürgenstock"): a meeting "am Rande der Konferenz" was held there."""
    if not any(r.type in ("venue", "place") for r in sent.refs) or not _EVENT.search(sent.text):
        return
    for r in sent.refs:
        tok = sent.token_before(r.start)
        if r.type not in ("venue", "place") or tok is None:
            continue
        prev = tok.lower
        if prev in ("dem", "der", "the"):
            t2 = sent.token_before(tok.start)
            prev = t2.lower if t2 is not None else prev
        country = "ukraine" if r.type == "place" else r.country
        if prev in _VENUE_PREPS and country:
            doc.memory["meeting.event"] = (r, country)
            return


def _event_venue(doc: Doc, sent: Sent, clause: Clause) -> tuple[Ref, str] | None:
    ev = doc.memory.get("meeting.event")
    if not isinstance(ev, tuple) or not _ON_THE_SIDELINES.search(
            sent.clause_text(clause, doc.body)):
        return None
    return ev


def _visit(doc: Doc, sent: Sent) -> _Visit | None:
    v = doc.memory.get("meeting.visit")
    return v if isinstance(v, _Visit) and 0 <= sent.index - v.sentence <= 2 else None


def _dated_in_past(doc: Doc, sent: Sent, cue: Hit) -> bool:
    """A meeting noun whose own phrase (up to its verb or a comma) gives a day before the
    article's: "the talks in Istanbul on 23 July", "die Gespräche in Genf am Montag"."""
    if cue.group != "meeting.noun":
        return False
    end = cue.end
    for t in sent.tokens[cue.last:]:
        if t.text in (",", ";", ":", "(", "-", "–") or t.lower in _AUX_ALL or t.text in _NP_STOP \
                or t.start - cue.end > 80:
            break
        end = t.end
    return any(d.date < doc.date and d.prefix not in ("bis", "by", "until", "ab", "seit")
               and not _other_event(doc, sent, d.start, d.end)
               for d in find_dates(doc.body[cue.end:end], cue.end, doc.date, True))


# where a meeting noun's own phrase ends: a modal, a conjunction, or a time preposition that
# brings in another event ("the second meeting after a first round on May 16")
_NP_STOP = frozenset(["could", "would", "might", "should", "may", "must", "can", "if", "that", "which", "who",
                      "after", "before", "since", "following", "könnte", "könnten", "sollte", "sollten",
                      "würde", "würden", "kann", "wenn", "falls", "dass", "nach", "vor", "seit", "than", "als"])


def _past_venue(sent: Sent, tok: Token | None) -> Token | None:
    """The word after "in Brüssel" / "in the Saudi city of Jeddah" when a "between" follows it,
    else ``tok``."""
    if tok is None or tok.lower not in _VENUE_PREPS:
        return tok
    venue = next((r for r in sent.refs if r.type in ("venue", "country", "place") and 0 < r.start - tok.start <= 40),
                 None)
    if venue is None:
        return tok
    nxt = next((t for t in sent.tokens if t.start >= venue.end), None)
    if nxt is not None and any(h.first == sent.tokens.index(nxt) for h in sent.group("meeting.between")) \
            and nxt.lower in ("between", "zwischen"):
        return nxt
    return tok


def _without_speakers(sent: Sent, people: list[Ref | Hit]) -> list[Ref | Hit]:
    """"Rutte said Putin and Trump met", "..., sagte Macron": who tells of the meeting takes no
    part in it (unless the rest is only one side: "Trump said he met Putin")."""
    speakers = [p for p in people if isinstance(p, Ref) and _speaker(sent, p)]
    if speakers and len(_ids([p for p in people if p not in speakers])) >= 2:
        return [p for p in people if p not in speakers]
    return people


def _speaker(sent: Sent, ref: Ref) -> bool:
    """The subject of a report verb: "Kallas said", "Macron sagte," or an inverted "..., sagte
    Macron." at the end of its clause."""
    toks = sent.tokens
    for h in sent.group("modality.report"):
        between = [t for t in toks if ref.end <= t.start < h.start]
        if h.start >= ref.end and len(between) <= 1 and all(t.text[:1].islower() for t in between):
            return True
        after = next((t for t in toks if t.start >= ref.end), None)
        if h.end <= ref.start and not [t for t in toks if h.end <= t.start < ref.start] \
                and (after is None or after.text in (".", ",", ";", ":")):
            return True
    return False


def _apposed_subject(sent: Sent, clause: Clause) -> list[Ref | Hit]:
    """"Steve Witkoff, Trump's envoy, and Jared Kushner met ...", "Rubio, der US-Außenminister,
    und Lawrow trafen sich": the clause splitter cuts the subject's first conjunct off at its
    apposition; the person opening the sentence is a participant too."""
    toks = [t for t in sent.tokens if t.start < clause.start]
    first = next((r for r in sent.refs if r.type == "person" and r.start == sent.start), None)
    opens = next((t for t in sent.tokens if t.start >= clause.start), None)
    if first is None or opens is None or opens.lower not in ("and", "und") or clause.kind not in ("coord",):
        return []
    rest = [t for t in toks if t.start >= first.end]
    if len(rest) < 3 or len(rest) > 10 or rest[0].text != "," or rest[-1].text != "," \
            or any(t.text in (",", ";", ":") for t in rest[1:-1]) \
            or any(h.start < clause.start for h in sent.group("meeting.noun", "meeting.verb", "meeting.phone")):
        return []
    return [first]


def _leaders(doc: Doc) -> frozenset[str]:
    """Ids of the people named in `meeting.leader` (heads of state or government)."""
    cached = doc.topics.derived.get("meeting.leaders")
    if isinstance(cached, frozenset):
        return cached
    names = {n.lower() for lang in ("de", "en") for n in doc.topics.cues("meeting", "leader", lang)}
    out = frozenset(e.id for e in doc.topics.entities(["person"])
                    if any(n.lower() in names for n in e.all_names()))
    doc.topics.derived["meeting.leaders"] = out
    return out


def _indefinite(sent: Sent, cue: Hit) -> bool:
    before = sent.tokens[max(0, cue.first - 4):cue.first]
    return any(t.lower in ("a", "an", "ein", "eine", "einem", "einen", "einer", "eines") for t in before)


_CONNECTORS = frozenset(["und", "and", "mit", "with", "between", "zwischen", "sowie", "as", "well", "in", "im", "of", "von", "dem", "den", "der", "des", "die", "the", "seinem", "ihrem", "his", "her", "their"])


def _window_end(sent: Sent, cue: Hit, limit: int) -> int:
    """Where the noun phrase after a meeting noun ends: at punctuation, or at the first plain
    lowercase word after a name ("zwischen Putin und Selenskyj vorzubereiten", "von Alaska hat")."""
    seen_name = False
    for t in sent.tokens[cue.last:]:
        if t.start >= limit or t.text in (",", ";", ":", ".", "(", ")", "-", "–"):
            return t.start
        if any(r.start == t.start for r in sent.refs):
            seen_name = True
        elif seen_name and t.text[:1].islower() and t.lower not in _CONNECTORS:
            return t.start
    return limit


def _definite(sent: Sent, cue: Hit) -> bool:
    """"the talks", "ihre Gespräche", "bei der dritten Verhandlungsrunde": a meeting already known."""
    for t in reversed(sent.tokens[max(0, cue.first - 4):cue.first]):
        if t.lower in ("a", "an", "ein", "eine", "einem", "einen", "einer", "eines"):
            return False
        if t.lower in ("the", "their", "der", "die", "das", "dem", "den", "des", "ihre", "ihrer", "ihrem",
                       "ihren", "beim", "vom", "zum"):
            return True
    return False


def _referent(doc: Doc, such: bool) -> Meeting | None:
    if such:
        # "such talks": the meeting just named, in this sentence or the one before
        last = doc.memory.get("meeting.current") or doc.memory.get("meeting.last")
        if isinstance(last, tuple) and isinstance(last[1], Meeting):
            return last[1]
    main = doc.memory.get("meeting.main")
    if isinstance(main, Meeting):
        return main
    last = doc.memory.get("meeting.last")
    if isinstance(last, tuple) and isinstance(last[1], Meeting):
        return last[1]
    return None


def _first_person(sent: Sent, exclude: set[str], doc: Doc | None = None) -> list[Ref | Hit]:
    # a subject pronoun stands for someone named before it ("he held talks with Modi ... and met
    # Macron": not Macron)
    # (English only: German names the subject after a leading clause, "Nachdem er ..., sagte Trump")
    subject_pronoun = next((t.start for t in sent.tokens if t.lower == "he"), None)
    for r in sent.refs:
        if subject_pronoun is not None and r.start > subject_pronoun:
            break
        if r.type == "person" and r.id not in exclude and not _possessive(sent, r) and not _hosting(sent, r):
            return [r]
    if doc is not None and any(t.lower in ("er", "he", "sie", "she") for t in sent.tokens):
        # "Selenskyj reist nach New York. Am Donnerstag will er Biden treffen.": the pronoun is
        # the person of the sentence before
        for prev in doc.previous(sent, 3):
            people = [r for r in prev.refs if r.type == "person" and r.id not in exclude]
            prev_pronoun = next((t for t in prev.tokens if t.lower in ("er", "he")), None)
            if prev_pronoun is not None and (not people or prev_pronoun.start < people[0].start):
                continue   # "On Friday he signed ... with Scholz. He met Harris": the same "he", further back
            if people:
                return [people[0]]
            break
    return []


def _clause_bounds(clause: Clause) -> tuple[int, int]:
    return clause.parts[0][0], clause.parts[-1][1]


def _venues(doc: Doc, sent: Sent, clause: Clause, cue: Hit | None = None) -> list[Ref]:
    """Venues of a meeting cue: those of its clause nearer to it than to another meeting cue;
    named places before countries ("in Alaska" before "in Ukraine")."""
    out: list[Ref] = []
    others = [h for h in longest(sent.group("meeting.noun", "meeting.verb"))
              if cue is not None and clause.contains(h.start) and (h.last <= cue.first or h.first >= cue.last)
              and not _event_frame(sent, h)]
    for r in sent.refs:
        if not clause.contains(r.start) or r.type not in ("venue", "country", "place"):
            continue
        tok = sent.token_before(r.start)
        prev = tok.lower if tok else ""
        if prev in ("der", "den", "dem", "the") and tok is not None:
            t2 = sent.token_before(tok.start)
            prev = t2.lower if t2 else prev
        nxt = next((t for t in sent.tokens if t.start >= r.end), None)
        modifier = nxt is not None and any(h.start == nxt.start for h in sent.group("meeting.noun"))
        if (r.type in ("country", "place") or r.id in _CAPITALS or _is_town(doc, r)) and prev not in _VENUE_PREPS \
                and not modifier and not _led_in(sent, r):
            # "in Kiew", "in Russland": a venue only after a preposition (or "Oval Office meeting",
            # "in der Hafenstadt Jeddah"); "Peking erklärte", "London and Paris support" are governments
            continue
        if any(p.first <= sent.tokens.index(tok) < p.last for p in sent.group("meeting.phone")) if tok else False:
            continue
        if tok is not None and prev in _VENUE_PREPS:
            head = sent.token_before(tok.start)
            if head is not None and head.lower in _NOT_VENUE_HEADS:
                continue   # "the war in Ukraine", "Krieg in der Ukraine": where the war is, not the talks
        if cue is not None and others:
            barrier = _finite_after(sent, min([cue, *others], key=lambda h: h.start))
            if barrier is not None and (r.start < barrier) != (cue.start < barrier):
                continue   # "Nach seinem Treffen ... im Weißen Haus hat Trump ein Treffen ...": the
                # venue before the finite verb is the first meeting's
            same_side = [o for o in others if barrier is None or (o.start < barrier) == (cue.start < barrier)]
            # "hosted Zelenskiy at the White House last Monday, three days after his summit ... in
            # Alaska": a comma parts a venue from one cue but not from the other
            own_side = "," not in _between(sent, r, cue)
            if own_side and all("," in _between(sent, r, o) for o in others):
                out.append(r)
                continue
            if not own_side and any("," not in _between(sent, r, o) for o in others):
                continue
            if any(abs(o.start - r.start) < abs(cue.start - r.start) for o in same_side):
                continue
        out.append(r)
    if not out and clause.kind == "rel" and _WHERE.match(doc.body, clause.start) and sent.clauses[0] is not clause:
        # "wird in Paris erwartet, wo er Macron trifft": where the main clause went
        out = [v for v in _venues(doc, sent, sent.clauses[0]) if v.type in ("venue", "place")]
    out.sort(key=lambda r: (r.type == "country", abs(r.start - cue.start) if cue else 0))
    return out


_SIDELINES = re.compile(r"(?:sidelines\s+of|am\s+Rande)\s+(?:the|der|des)\s+$", re.IGNORECASE)
_WHERE = re.compile(r"[\s,]*(?:wo|where)\b", re.IGNORECASE)
_FINITE = frozenset(["hat", "haben", "hatte", "hatten", "ist", "sind", "war", "waren", "wird", "werden", "will",
                     "soll", "sollen", "kann"])


def _finite_after(sent: Sent, cue: Hit) -> int | None:
    """Where the German finite verb closing the first field stands after a fronted meeting phrase
    ("Nach seinem Treffen mit ... im Weißen Haus | hat Trump ..."), if the sentence opens with it."""
    line = dateline_end(sent)
    first = next((k for k, t in enumerate(sent.tokens) if t.start >= line), 0)
    if cue.first - first > 3:
        return None
    return next((t.start for t in sent.tokens[cue.last:] if t.lower in _FINITE), None)


def _between(sent: Sent, ref: Ref, cue: Hit) -> str:
    lo, hi = (ref.end, cue.start) if ref.end <= cue.start else (cue.end, ref.start)
    return sent.text[max(0, lo - sent.start):max(0, hi - sent.start)]


def _led_in(sent: Sent, ref: Ref) -> bool:
    """A preposition leads to the place over adjectives and a city noun: "im japanischen
    Hiroshima", "in der Hafenstadt Dschidda", "in the Saudi city of Jeddah", "at the resort town
    of Sochi" (not "many of Moscow's demands"); "on the sidelines of the Munich Security
    Conference", "am Rande der Münchner Sicherheitskonferenz": the event's city."""
    if _SIDELINES.search(sent.text[max(0, ref.start - sent.start - 40):ref.start - sent.start]):
        return True
    before = [t for t in sent.tokens if t.end <= ref.start][-5:]
    for t in reversed(before):
        low = t.lower
        if low in _VENUE_PREPS:
            return True
        if not (_ADJ.match(low) or _CITY_HEAD.search(low)) or any(r.start <= t.start < r.end for r in sent.refs):
            return False
    return False


def _is_town(doc: Doc, ref: Ref) -> bool:
    """A city or town abroad (not a region, not a site such as a palace or a base): its name
    also stands for its government or is just where something else is."""
    ent = doc.topics.entity(ref.id)
    if ref.type != "venue" or ent is None or ent.type != "place" or ent.region is None:
        return False
    up = doc.topics.entity(ent.region)
    return up is not None and up.type in ("country", "region")


def _venue_country(doc: Doc, sent: Sent, clause: Clause, cue: Hit) -> str | None:
    vs = _venues(doc, sent, clause, cue)
    if not vs:
        return None
    v = vs[0]
    if v.type == "place":
        return "ukraine"   # a Ukrainian town
    return v.id if v.type == "country" else v.country


def _dateline(sent: Sent) -> Ref | None:
    """"ANCHORAGE, Alaska - ...": the place in capitals that opens the article's first sentence."""
    for r in sent.refs:
        if r.start == sent.start and r.type == "venue" and r.surface.isupper() and len(r.surface) > 3:
            return r
    return None


def _chain(doc: Doc, ident: str) -> list[str]:
    out, cur = [], doc.topics.entity(ident)
    while cur is not None and cur.region and cur.region not in out:
        out.append(cur.region)
        cur = doc.topics.entity(cur.region)
    return out


def _depth(doc: Doc, ident: str) -> int:
    d, cur, seen = 0, doc.topics.entity(ident), set()
    while cur is not None and cur.region and cur.id not in seen:
        seen.add(cur.id)
        d += 1
        cur = doc.topics.entity(cur.region)
    return d


def _status(doc: Doc, sent: Sent, clause: Clause, cue: Hit) -> tuple[str | None, list[Hit]]:
    if _DURING_VISIT.match(cue.text):
        # "bei seinem Besuch in Kiew am Dienstag schlug Orbán ... vor": the visit's day says whether
        # it took place; the clause's verb is about something else
        days = [d for a, b in clause.parts for d in find_dates(doc.body[a:b], a, doc.date, True)]
        if days:
            return ("held" if days[0].date <= doc.date else "planned"), []
    pre = [t.lower for t in sent.tokens[max(0, cue.first - 2):cue.first]]
    if cue.group == "meeting.noun" and any(w in ("vor", "before", "ahead") for w in pre):
        return None, []   # "kurz vor dem Treffen schlug Trump ... vor": the clause is about something else
    hits = [h for h in sent.section("meeting", STATUSES) if not _near_phone(sent, h) and not _passive_by(sent, h)]
    others = [o for o in _cues_of(sent) if o.start != cue.start]
    if others:
        # two meetings in one clause ("arranging a meeting between A and B, after hosting C"):
        # each takes the status words nearer to it
        def nearer(o: Hit, h: Hit) -> bool:
            # a tie goes to the cue before the status word (the subject in "Ein Gipfel ... hänge ab")
            return (abs(o.first - h.first), o.first > h.first) < (abs(cue.first - h.first), cue.first > h.first)

        def owns(o: Hit, h: Hit) -> bool:
            # another cue owns a status word of its own clause, unless this cue shares the clause
            # and is nearer
            here = sent.clause_of(h.start).id
            if sent.clause_of(o.start).id != here or cue.first <= h.first < cue.last:
                return False
            return sent.clause_of(cue.start).id != here or nearer(o, h)

        hits = [h for h in hits if not any(o.first <= h.first < o.last or owns(o, h) for o in others)]
    at_pp = _time_pp(sent, cue)
    if at_pp:
        # "Nach Gesprächen in Istanbul hat Moskau angekündigt, ...": a meeting in a time PP has
        # only the status words of its own phrase; the clause's verb is about something else.
        inside = [h for h in hits if at_pp[-1].first <= h.first <= cue.last]
        if not inside and at_pp[-1].text.lower() in ("nach", "after", "following") and \
                (sent.in_clause("meeting.past", clause) or sent.is_past_clause(clause)):
            return "held", []
    else:
        inside = [h for h in hits if clause.contains(h.start)]
        if not inside:
            inside = [h for h in hits if h.start < clause.start and sent.clause_of(h.start).kind != "rel"][-1:]
    if inside:
        best = min(inside, key=lambda h: STATUSES.index(h.name))
        return best.name, [best]
    if cue.group == "meeting.verb" and cue.text.lower().startswith(("getroffen", "empfangen", "verhandelt")) \
            and any(clause.contains(t.start) and t.lower in _AUX for t in sent.tokens):
        return "held", []
    at = any(0 <= cue.first - h.last <= 6 for h in sent.group("meeting.at"))
    past = sent.in_clause("meeting.past", clause) or sent.is_past_clause(clause)
    if at and past:
        return "held", []
    if past and _dated_in_past(doc, sent, cue):
        return "held", []   # "talks in Istanbul on 23 July had produced little": a past meeting's day
    if cue.group == "meeting.verb" and cue.text.split()[0].lower() in _PAST_FORMS and not (
            cue.last < len(sent.tokens) and sent.tokens[cue.last].lower in ("by", "von")) and not any(
            t.lower in _MODALS for t in sent.tokens if clause.contains(t.start)) and not (
            cue.first > 0 and sent.tokens[cue.first - 1].lower in ("to", "zu")) and not any(
            d.date > doc.date for a, b in clause.parts for d in find_dates(doc.body[a:b], a, doc.date, True)):
        return "held", []   # "Driscoll übergab Selenskyj am Donnerstag ...", "Witkoff spent three hours with Putin"
    if past and cue.group == "meeting.verb" and not _TRAVEL.match(cue.text) and not any(
            t.lower in _MODALS for t in sent.tokens if clause.contains(t.start)) and not (
            cue.first > 0 and sent.tokens[cue.first - 1].lower == "to") and any(
            d.date < doc.date for a, b in clause.parts for d in find_dates(doc.body[a:b], a, doc.date, True)):
        return "held", []   # "Macron war am Montag im Weißen Haus zu Gast": met on a day gone by
    future = [h for h in sent.in_clause("meeting.future", clause)
              if not (h.text.lower() in ("wird", "werden") and _PASSIVE_END.search(sent.clause_text(clause, doc.body)))]
    if future:
        # tense only: "könnte", "soll" keep their say in the modality ("werden ... überschattet"
        # is a passive, no future)
        return "planned", []
    return None, []


def _claims(doc: Doc, sent: Sent, clause: Clause, cue: Hit, meeting: Meeting,
            shared: str | None = None) -> list[Claim]:
    status, status_hits = _status(doc, sent, clause, cue)
    if status is None:
        status = shared
    visit = _visit(doc, sent)
    visited = visit is not None and visit.visitor in meeting.participants and visit.country == meeting.country \
        and _venue_country(doc, sent, clause, cue) is None
    if status is None and visited and visit is not None and visit.past:
        status = "held"   # the visit was told in the past: the meeting during it took place
    if status is None and cue.first >= 2 and sent.tokens[cue.first - 2].lower in (
            "bei", "at", "during", "nach", "after", "following") and any(
            # (a day without a year that only fits the year before is a coming one: "on Oct. 12")
            doc.date - dt.timedelta(days=180) < d.date < doc.date
            for d in find_dates(doc.body[clause.parts[0][0]:clause.parts[-1][1]], clause.parts[0][0], doc.date, True)):
        status = "held"   # "bei einem Treffen am Dienstag": a meeting on a day gone by
    skip = tuple(span for h in (*status_hits, cue) for span in cue_spans(sent, h))
    neg_skip = tuple((h.start, h.end) for h in sent.group("modality.negation")
                     if any(t.lower in _NOT_MEETING_NEG or any(a.first == k for a in sent.hits
                                                               if a.group.startswith("agreement."))
                            for k, t in enumerate(sent.tokens) if h.last <= k < h.last + 4
                            or (h.first - 5 <= k < h.first and t.lower in ("termin", "date", "einigung"))))
    # "Putin hatte die Gespräche vorgeschlagen, war aber nicht angereist": a "nicht" after the comma
    # and "aber" belongs to the next conjunct
    end = max(h.end for h in (*status_hits, cue))
    comma = next((k for k, t in enumerate(sent.tokens) if t.start >= end and t.text in (",", ";")), None)
    if comma is not None and any(t.lower in ("aber", "but", "jedoch", "doch", "yet")
                                 for t in sent.tokens[comma + 1:comma + 4]):
        neg_skip += tuple((h.start, h.end) for h in sent.group("modality.negation")
                          if h.start > sent.tokens[comma].start)
    mod = assess(sent, cue.start if cue.group != "meeting.anaphor" else (status_hits[0].start if status_hits else cue.start),
                 plans=False, skip=skip + neg_skip)
    if mod.value != "negated" and any(
            0 < h.first - n.last <= 2 and not any(a <= n.start < b for a, b in neg_skip)
            for h in status_hits for n in sent.group("modality.negation")):
        # "a summit ... had not been cancelled": the negation stands by the status word
        mod = Modality("negated", mod.attribution, mod.cues)
    if mod.value == "reported" and mod.cues and any(
            h.text.lower().startswith(mod.cues[0].lower() + " ") for h in status_hits):
        # "Trump sagte das Gipfeltreffen ab": "sagte" is the cancelling verb, not a report
        mod = Modality("asserted", None, ())
    elif mod.value == "reported" and len(mod.cues) == 1 and _attributive(sent, mod.cues[0]):
        # "A summit in Budapest, announced after a phone call, was called off": the participle
        # tells the meeting's history; nobody is quoted
        mod = Modality("asserted", None, ())
    as_of = None
    if status == "held":
        times = doc.past_times(sent, clause)
        as_of = times[0].value if times else None
    rule = f"meeting.{cue.group.split('.')[1]}.{doc.lang}"
    cues = [cue.text, *(h.text for h in status_hits), *mod.cues]
    name = sent.text[:0] or cue.text
    out: list[Claim] = []

    def add(attribute: str, value: str, extra: list[str]) -> None:
        out.append(doc.claim(sent, kind="meeting", subject=meeting.subject, subject_name=name,
                             attribute=attribute, value=value, modality=mod.value, rule=rule,
                             cues=[*cues, *extra], as_of=as_of, attribution=mod.attribution))

    date: tuple[str, str] | None = None
    if status in ("planned", "held", "postponed"):
        past = status == "held" or (status is None and sent.is_past_clause(clause))
        phones = sent.group("meeting.phone")
        dates = find_dates(doc.body[clause.parts[0][0]:clause.parts[-1][1]], clause.parts[0][0], doc.date, past)
        if not dates and ((clause.kind == "rel" and _WHERE.match(doc.body, clause.start))
                          or _SHARED_SUBJECT.match(sent.clause_text(clause, doc.body))):
            # "Am Mittwoch reiste Selenskyj nach Berlin, wo ihn Merz empfing": the day of the trip;
            # "reist am Donnerstag nach China und will in Peking Xi treffen": the day of the journey
            main = sent.clauses[0]
            dates = find_dates(doc.body[main.parts[0][0]:main.parts[-1][1]], main.parts[0][0], doc.date, past)
        for i, d in enumerate(dates):
            if d.prefix in ("bis", "by", "until", "ab", "seit") or any(0 <= d.start - p.end <= 25 for p in phones):
                continue
            if doc.body[max(0, d.start - 4):d.start].lower() in ("für ", "for ") and i + 1 < len(dates) and \
                    doc.body[d.end:d.end + 12].lstrip().lower().startswith(("geplant", "angesetzt", "planned", "scheduled")):
                continue   # "die für Donnerstag geplanten Gespräche finden nun am Freitag statt": the old date
            if (status == "held" and d.date > doc.date) or (status != "held" and d.date < doc.date):
                continue
            if _other_event(doc, sent, d.start, d.end):
                continue
            date = (d.date.isoformat(), doc.body[d.start:d.end])
            break
        if date is None and visited and visit is not None and visit.date is not None:
            date = visit.date
    if status == "planned" and date is None and any(
            t.lower in _INTENT and (k == 0 or sent.tokens[k - 1].lower in ("zu", "to"))
            for k, t in enumerate(sent.tokens) if t.start >= cue.start):
        # "hat angekündigt, sich rasch mit Putin treffen zu wollen": an intention with no date
        # is a proposal; a plan has a date or a schedule
        status = "proposed"
    if status is not None:
        if status == "proposed" and any(h.text.lower().split()[0] in _CONCEIVABLE for h in status_hits) \
                and mod.value in ("asserted", "reported"):
            # "ein Treffen sei denkbar", "a summit depends on ...": a possibility, not a proposal made
            mod = Modality("hedged", mod.attribution, mod.cues)
        add("status", status, [])
    if mod.value == "negated":
        return out
    found = _venues(doc, sent, clause, cue)
    venues = [v for v in found if v.type in ("venue", "place")]
    line = _dateline(sent)
    wider = [v.id for v in venues] or [v.id for v in found if v.type == "country"]
    if line is not None and line.id not in wider and any(w in _chain(doc, line.id) for w in wider):
        # "ANCHORAGE, Alaska - ... a military base in Alaska": the dateline is more precise
        venues = [line]
    if not venues and visited and visit is not None:
        venues = [visit.place]
    event = _event_venue(doc, sent, clause)
    if not venues and event is not None and meeting.country == event[1]:
        venues = [event[0]]
    if venues:
        best = max(venues, key=lambda v: _depth(doc, v.id))
        add("location", best.id, [best.surface])
    if date is not None:
        add("date", date[0], [date[1]])
    return out


# Words before a date that make it the date of another event ("nach seinem Amtsantritt am
# 20. Januar"), and a possessive after it ("Monday's talks": another meeting's day).
_CONCEIVABLE = frozenset(["denkbar", "vorstellbar", "hänge", "hängt", "conceivable", "depends", "depend"])
_EVENTS = frozenset(["amtsantritt", "amtseinführung", "vereidigung", "wahl", "inauguration", "election",
                     "swearing-in", "beerdigung", "funeral", "trauerfeier"])
_INTENT = frozenset(["wollen", "intend"])   # "treffen zu wollen", "announced ... to intend"


def _attributive(sent: Sent, cue: str) -> bool:
    """", announced after ...": an English participle set off by a comma before a preposition."""
    toks = sent.tokens
    return any(t.text == cue and t.lower.endswith("ed") and 0 < k < len(toks) - 1 and toks[k - 1].text == ","
               and toks[k + 1].lower in ("after", "in", "on", "for", "at", "last", "earlier")
               for k, t in enumerate(toks))


def _other_event(doc: Doc, sent: Sent, start: int, end: int) -> bool:
    if doc.body[end:end + 2] in ("'s", "’s"):
        return True
    before = [t for t in sent.tokens if t.end <= start][-4:]
    return any(t.lower in _EVENTS for t in before)
