"""Claims from text (spec: ../shared/spec/claims.md).

The pipeline, plain functions over typed records: language -> sentences (with spans) -> clauses,
tokens and lemmas -> cue hits (topic lexicons) and entity mentions (gazetteer + topic entities)
-> one extractor per kind (control, territory, meeting, agreement) -> claims, each with the rule
and cue words that produced it.

    ex = Extractor(load_topics(Path("config/topics")))
    claims = ex(article)          # or extract_claims(article, topics)
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import replace
from pathlib import Path

import ahocorasick

from monitor.extract.doc import Doc, Sent
from monitor.extract.entities import Ref, TopicEntityFinder, place_refs, resolve_place
from monitor.extract.lexicon import CueIndex
from monitor.extract.numbers import find_quantities
from monitor.extract.registry import KindExtractor, KindRegistry, builtin_registry
from monitor.extract.text import Lemmatizer, detect_language, split_sentences
from monitor.extract.unknown_places import guess_places
from monitor.gazetteer import SETTLEMENT, Gazetteer, Place
from monitor.models import Article, Claim
from monitor.topics import TopicSet, default_topics_dir, load_topics

__all__ = ["Doc", "Extractor", "KindExtractor", "KindRegistry", "Sent", "default_extractor", "extract_claims"]

log = logging.getLogger(__name__)

LANGS = ("de", "en")
# Numbers and fractions: a sentence without them has no quantities. The lookahead (the first
# letters of the words) lets most positions fail on one test instead of eleven alternatives.
_DIGIT = re.compile(r"(?=[\dvdhfzqt])(?:\d|viertel|drittel|hälfte|fünftel|zehntel|quarter|third|half|fifth|tenth)",
                    re.IGNORECASE)
_ANY_DIGIT = re.compile(r"\d")
_FRACTION_WORDS = ("viertel", "drittel", "hälfte", "fünftel", "zehntel", "quarter", "third", "half", "fifth", "tenth")
MAX_CHARS = 300_000   # longer bodies are read up to here: no article the monitor follows is longer


class Extractor:
    """Built once from the topics (lexicon indexes, entity automata), then called per article."""

    def __init__(self, topics: TopicSet, gazetteer: Gazetteer | None = None,
                 registry: KindRegistry | None = None) -> None:
        self.topics = topics
        if gazetteer is None:
            places = next((f for f in topics.files if f.name == "places.yaml"), None)
            gazetteer = Gazetteer.load(places_path=places)
            extra = _topic_places(topics, gazetteer)
            if extra:
                gazetteer = Gazetteer.load(extra=extra, places_path=places)
        self.gazetteer = gazetteer
        self.registry = registry or builtin_registry()
        self._cues = {lang: CueIndex.from_topics(topics, lang) for lang in LANGS}
        self._entities = TopicEntityFinder(topics, gazetteer)
        self._lemmas = Lemmatizer()
        self._anchors = {lang: _anchor_automaton(topics, lang) for lang in LANGS}

    def __call__(self, article: Article) -> list[Claim]:
        return self.extract(article)

    def extract(self, article: Article) -> list[Claim]:
        body = article.body or ""
        if not body.strip():
            log.info("extract: article %s has no text; no claims", article.id)
            return []
        if len(body) > MAX_CHARS:
            log.warning("extract: article %s has %d characters; only the first %d are read",
                        article.id, len(body), MAX_CHARS)
            body = body[:MAX_CHARS]
        lang = article.language if article.language in LANGS else detect_language(body)
        if lang not in LANGS:
            log.info("extract: article %s is not German or English (language %s); no claims",
                     article.id, article.language or "unknown")
            return []
        doc = self.read(article, body, lang)
        claims: list[Claim] = []
        for sent in doc.sentences:
            for kind in self.registry:
                # Isolation boundary: a rule that trips over one odd sentence must cost that
                # sentence's claims of that kind, not the article's (nor a whole ingest run).
                try:
                    claims.extend(kind.extract(doc, sent))
                except Exception:
                    log.exception("extract: %s rules failed on article %s, sentence at %d-%d; "
                                  "skipped", kind.kind, article.id, sent.start, sent.end)
        for kind in self.registry:
            # An optional article-level pass: facts one sentence cannot know (a meeting's venue
            # named only in a later sentence).
            finish = getattr(kind, "finish", None)
            if finish is not None:
                try:
                    claims = finish(doc, claims)
                except Exception:
                    log.exception("extract: %s article pass failed on article %s; skipped",
                                  kind.kind, article.id)
        return claims

    # -- reading ------------------------------------------------------------------------------
    def read(self, article: Article, body: str, lang: str) -> Doc:
        cues = self._cues[lang]
        places = place_refs(self.gazetteer, body, 0)
        others = self._entities.find(body, 0, article.date)
        refs = _merge_refs(places, others)
        guessed = guess_places(body, lang, refs)
        if guessed:
            refs = sorted([*refs, *guessed], key=lambda r: r.start)
        sentences: list[Sent] = []
        para = 0
        last_end = 0
        ri = 0
        anchors = _anchor_positions(self._anchors[lang], body)
        ai = 0
        follow = False   # the sentence after a meeting or a deal may refer back to it ("Sie", "das")
        for i, span in enumerate(split_sentences(body)):
            if "\n\n" in body[last_end:span.start]:
                para += 1
            last_end = span.end
            text = body[span.start:span.end]
            while ri < len(refs) and refs[ri].start < span.start:
                ri += 1
            mine: list[Ref] = []
            j = ri
            while j < len(refs) and refs[j].start < span.end:
                if refs[j].end <= span.end:
                    mine.append(refs[j])
                j += 1
            while ai < len(anchors) and anchors[ai] < span.start:
                ai += 1
            anchored = ai < len(anchors) and anchors[ai] < span.end
            quantities = find_quantities(text, span.start, lang) if _may_count(text) else []
            if not (mine or quantities or anchored or follow):
                # Nothing any kind could start from: skip tokens and cues (most sentences of a
                # long article about something else).
                sentences.append(Sent(i, span.start, span.end, text, para, [], [], [], []))
                continue
            follow = anchored
            tokens = self._lemmas.tokenize(text, span.start, lang)
            hits = cues.match(tokens, text, span.start)
            sentences.append(Sent(i, span.start, span.end, text, para, tokens, hits, mine, quantities))
        doc = Doc(article, lang, body, sentences, self.topics)
        _disambiguate(self.gazetteer, doc)
        return doc


def _may_count(text: str) -> bool:
    """``_DIGIT.search(text)``, answered without the case-insensitive scan where it can be: a
    caseless regex tests every letter, where a digit search and substrings of the lowercased text
    are a C loop each. The regex equates only "ı" and "İ" with "i" beyond what lower() does, so a
    text with either takes the regex."""
    if _ANY_DIGIT.search(text):
        return True
    if "ı" in text or "İ" in text:
        return _DIGIT.search(text) is not None
    low = text.lower()
    return any(w in low for w in _FRACTION_WORDS)


# Cue groups that can start a claim without a named place or a number: words that refer back
# to a place, and the words for meetings and deals.
_ANCHOR_GROUPS = ("control.anaphor", "control.there", "meeting.noun", "meeting.verb", "meeting.phone",
                  "agreement.ceasefire", "agreement.air-ceasefire", "agreement.energy-ceasefire",
                  "agreement.prisoner-exchange", "agreement.peace-deal", "agreement.minerals-deal",
                  "agreement.security-guarantees")


def _anchor_automaton(topics: TopicSet, lang: str) -> ahocorasick.Automaton | None:
    """Stems of the anchor cues (the first four letters of each pattern's longest word, so that
    "empfängt" is found by "empfangen"), in one automaton over the lowercased body."""
    auto = ahocorasick.Automaton()
    n = 0
    for group in _ANCHOR_GROUPS:
        section, name = group.split(".")
        for src in topics.cues(section, name, lang):
            words = [w.strip("=*") for w in src.lower().split() if w not in ("...", "..+")]
            if not words:
                continue
            word = max(words, key=len)
            stem = word if src.lower().startswith("=") and len(words) == 1 else word[:4]
            if len(stem) >= 2:
                auto.add_word(stem, len(stem))
                n += 1
    if not n:
        return None
    auto.make_automaton()
    return auto


def _anchor_positions(auto: ahocorasick.Automaton | None, body: str) -> list[int]:
    if auto is None:
        return []
    low = body.lower()
    out = []
    for end, size in auto.iter(low):
        start = end - size + 1
        if start == 0 or not low[start - 1].isalnum():
            out.append(start)
    out.sort()
    return out


def _topic_places(topics: TopicSet, gazetteer: Gazetteer) -> list[Place]:
    """Ukrainian towns an operator added to any topic file (a place whose region is an oblast the
    gazetteer knows) join the gazetteer, so they are found and disambiguated like the others."""
    out: list[Place] = []
    for e in topics.entities(("place",)):
        region = gazetteer.get(e.region) if e.region else None
        if region is None or region.kind == SETTLEMENT:
            continue
        old = gazetteer.get(e.id)
        names = tuple(dict.fromkeys([*(old.names if old else ()), *e.all_names()]))
        if old is not None and set(names) == set(old.names):
            continue
        out.append(Place(e.id, SETTLEMENT, e.region, old.population if old else 0,
                         old.name_uk if old else "", names))
    return out


def _merge_refs(places: list[Ref], others: list[Ref]) -> list[Ref]:
    """Topic entities win where they overlap a gazetteer name."""
    kept: list[Ref] = []
    taken = sorted((r.start, r.end) for r in others)
    j = 0
    for p in sorted(places, key=lambda r: r.start):
        while j < len(taken) and taken[j][1] <= p.start:
            j += 1
        if j < len(taken) and taken[j][0] < p.end:
            continue
        kept.append(p)
    return sorted([*kept, *others], key=lambda r: r.start)


def _disambiguate(gazetteer: Gazetteer, doc: Doc) -> None:
    """A settlement name used in several oblasts means the one in the oblast named nearest:
    first in the same sentence, then earlier in the paragraph, then earlier in the article."""
    seen_oblasts: list[str] = []   # oblasts named so far, in text order
    # Then the oblasts of the towns named without doubt: "Andrijiwka" near Bachmut and
    # Klischtschijiwka is the Donetsk one, as war reports name the villages of one front.
    seen_towns: list[str] = []
    # a name the article placed by a region once keeps that reading where no region is named
    # ("Storozheve, Makarivka ... in the Donetsk region" ... later "in Blahodatne and Makarivka")
    pinned: dict[str, tuple[str, str | None]] = {}
    for sent in doc.sentences:
        # "Kiew" is the government more often than a place on the front: no hint where a village lies
        sure = [r.oblast for r in sent.refs if r.type == "place" and len(r.candidates) == 1 and r.oblast
                and r.id != "kyiv"]
        if not any(r.type == "place" and len(r.candidates) > 1 for r in sent.refs) and \
                not any(r.type == "oblast" for r in sent.refs):
            seen_oblasts.extend(r.id for r in sent.refs if r.type == "oblast")
            seen_towns.extend(sure)
            continue
        earlier = seen_oblasts[::-1]
        earlier_towns = seen_towns[::-1]
        seen_oblasts.extend(r.id for r in sent.refs if r.type == "oblast")
        seen_towns.extend(sure)
        new_refs: list[Ref] = []
        for r in sent.refs:
            if r.type == "place" and len(r.candidates) == 1 and r.oblast:
                # "the villages of Zaporizke and Novoheorhiivka in the Dnipropetrovsk region": the only
                # Novoheorhiivka we know is in Odesa oblast, so this one is a namesake too small for us
                own = [o for o in sent.refs if o.type == "oblast" and 0 <= o.start - r.end <= 40
                       and _OWN_REGION_LIST.fullmatch(doc.body[r.end:o.start])]
                if own and own[0].id != r.oblast and own[0].id in _FRONT_OBLASTS:
                    r = replace(r, id=_namesake_id(gazetteer, r, own[0].id), oblast=own[0].id, candidates=())
                new_refs.append(r)
                continue
            if r.type == "place" and len(r.candidates) > 1:
                # "Nowomykolajiwka nahe der Grenze zum Gebiet Donezk": a border names the oblast next door
                across = {o.id for o in sent.refs if o.type == "oblast"
                          and _ACROSS_BORDER.search(doc.body[max(sent.start, o.start - 40):o.start])}
                if across and any((p := gazetteer.get(c)) is not None and p.oblast not in across for c in r.candidates):
                    r = replace(r, candidates=tuple(c for c in r.candidates
                                                    if (p := gazetteer.get(c)) is None or p.oblast not in across))
                    r = replace(r, id=r.candidates[0])
                # an oblast that places another town ("Lyman im Norden des Gebiets Donezk") is that town's
                here = sorted((o for o in sent.refs if o.type == "oblast" and o.id not in across
                               and not _placed_by_other(doc, sent, o, r)),
                              key=lambda o: abs(o.start - r.start))
                if len(r.candidates) == 1:
                    only = gazetteer.get(r.candidates[0])
                    new_refs.append(replace(r, oblast=only.oblast) if only is not None else r)
                    continue
                # "Kostjantyniwka im Gebiet Sumy – nicht zu verwechseln mit der Stadt im Gebiet Donezk":
                # the region phrase right after the name is the one that places it
                own = [o for o in here if 0 <= o.start - r.end <= 25
                       and _OWN_REGION_LIST.fullmatch(doc.body[r.end:o.start])]
                if own:
                    here = own[:1]
                elif not here and earlier and _THIS_REGION.search(sent.text):
                    # "die Einnahme des Dorfes Andrijiwka in diesem Gebiet": the oblast named last
                    here = [Ref(r.start, r.start, "", earlier[0], "oblast")]
                towns = sorted((o for o in sent.refs if o.type == "place" and len(o.candidates) == 1 and o.oblast
                                and o.id != "kyiv"),
                               key=lambda o: abs(o.start - r.start))
                # the towns listed with it ("Balaklija, Isjum und Kupjansk") before the oblasts of earlier
                # sentences
                listed = [str(o.oblast) for o in towns if o.oblast in _FRONT_OBLASTS and _LISTED_WITH.fullmatch(
                    doc.body[min(o.end, r.end):max(o.start, r.start)])]
                context = [o.id for o in here] + listed + earlier + [str(o.oblast) for o in towns] + earlier_towns
                if not here and _dominant(gazetteer, r) is not None and _VILLAGE_BEFORE.search(
                        doc.body[max(sent.start, r.start - 25):r.start]):
                    # "die Einnahme des Dorfes Riwne": a village, so not the city of 240,000
                    context = [c for c in context if c != _dominant(gazetteer, r)]
                    r = replace(r, candidates=tuple(c for c in r.candidates
                                                    if (p := gazetteer.get(c)) is None or p.population < 20_000))
                    if not r.candidates:
                        new_refs.append(r)
                        continue
                    r = replace(r, id=r.candidates[0])
                elif not here and _dominant(gazetteer, r) is not None:
                    # "Kostiantynivka" is the city of 67,000, not a village of the oblast named before
                    context = [str(_dominant(gazetteer, r))]
                if context and not here and _all_elsewhere(gazetteer, r, context):
                    # "die Einnahme von Bohdaniwka, einem Dorf östlich von Tschassiw Jar": every
                    # Bohdanivka we know lies far from the front the text is on; the village is one
                    # too small for the gazetteer, in the oblast the text is about
                    r = replace(r, id=_namesake_id(gazetteer, r, context[0]), oblast=context[0], candidates=())
                    new_refs.append(r)
                    continue
                r = resolve_place(gazetteer, r, context)
                if here and r.oblast not in {o.id for o in here}:
                    # "Ivanivka in the Kharkiv region" and no Ivanivka there that we know: a
                    # village too small for the gazetteer. Its name recurs, so its id takes the
                    # oblast named (the spec's rule for namesakes); naming another would be wrong.
                    r = replace(r, id=_namesake_id(gazetteer, r, here[0].id), oblast=here[0].id,
                                candidates=())
            new_refs.append(r)
        named_oblast = any(o.type == "oblast" for o in sent.refs)
        if len(new_refs) == len(sent.refs):
            for k, (old_ref, new_ref) in enumerate(zip(sent.refs, new_refs, strict=True)):
                if old_ref.type != "place":
                    continue
                if named_oblast and new_ref.id != old_ref.id:
                    pinned.setdefault(old_ref.id, (new_ref.id, new_ref.oblast))
                elif not named_oblast and old_ref.id in pinned:
                    pid, poblast = pinned[old_ref.id]
                    new_refs[k] = replace(new_ref, id=pid, oblast=poblast, candidates=())
        sent.refs = new_refs


_LISTED_WITH = re.compile(r"\s*(?:,|und|and|sowie)\s*", re.IGNORECASE)
_PLACING = re.compile(r"\s*,?\s*(?:im|in\s+der|in\s+the|in|des|der)?\s*(?:(?:äußersten\s+|far\s+)?(?:Norden|Süden|Osten|"
                      r"Westen|Nordosten|Nordwesten|Südosten|Südwesten|north|south|east|west|northeast|northwest|"
                      r"southeast|southwest)\s+(?:des|der|of\s+the|of)\s*)?(?:the\s+)?", re.IGNORECASE)


def _placed_by_other(doc: Doc, sent: Sent, oblast: Ref, ref: Ref) -> bool:
    before = [p for p in sent.refs if p.type == "place" and p.end <= oblast.start and p is not ref]
    if not before or before[-1].start <= ref.start or _PLACING.fullmatch(doc.body[before[-1].end:oblast.start]) is None:
        return False
    # "Datschne westlich von Kurachowe im Gebiet Donezk": a town that only locates ``ref`` shares its oblast
    return bool(re.search(r",|\bund\b|\band\b", doc.body[ref.end:before[-1].start]))


_ACROSS_BORDER = re.compile(r"(?:Grenze\s+(?:zum|zur|zu)|border\s+(?:with|of)|bordering)\s+(?:the\s+|dem\s+)?"
                            r"(?:Gebiet|Region|Oblast)?\s*$", re.IGNORECASE)
_VILLAGE_BEFORE = re.compile(r"\b(?:Dorf|Dorfes|Dörfer|Ortschaft|Siedlung|village|villages|settlement)\s+(?:of\s+)?$",
                             re.IGNORECASE)
# a region phrase after a name or a short list of names: "Zaporizke and Novoheorhiivka in the ... region"
_OWN_REGION_LIST = re.compile(r"(?:\s*(?:,|und|and)\s*[A-ZÄÖÜ][\w’'-]+)*\s*,?\s*(?:im|in\s+der|in\s+the|in|des|der)?\s*"
                              r"(?:(?:Norden|Süden|Osten|Westen|north|south|east|west)\s+(?:des|der|of\s+the|of)\s*)?",
                              re.IGNORECASE)
# oblasts where the war's villages lie: a namesake elsewhere is not inferred from a region phrase
_FRONT_OBLASTS = frozenset(["donetsk-oblast", "luhansk-oblast", "zaporizhzhia-oblast", "kherson-oblast", "kharkiv-oblast",
                            "sumy-oblast", "dnipropetrovsk-oblast", "mykolaiv-oblast", "chernihiv-oblast", "kyiv-oblast"])
_THIS_REGION = re.compile(r"\b(?:in\s+diesem\s+Gebiet|in\s+dieser\s+Region|im\s+selben\s+Gebiet|in\s+this\s+region|"
                          r"in\s+the\s+same\s+region)\b", re.IGNORECASE)


def _all_elsewhere(gazetteer: Gazetteer, ref: Ref, context: list[str]) -> bool:
    """Every reading of a village name lies outside the oblasts of the text, and none is a town."""
    places = [p for c in ref.candidates if (p := gazetteer.get(c)) is not None]
    return bool(places) and all(p.oblast not in context and p.population < 10_000 for p in places)


def _namesake_id(gazetteer: Gazetteer, ref: Ref, oblast: str) -> str:
    """The id of a namesake in ``oblast`` the gazetteer lacks: "yablunivka-donetsk"."""
    base = ref.id
    known = gazetteer.get(ref.id)
    if known is not None and known.oblast:
        base = re.sub(rf"-{re.escape(known.oblast.removesuffix('-oblast'))}(?:-\d+)?$", "", ref.id)
    return f"{base}-{oblast.removesuffix('-oblast')}"


def _dominant(gazetteer: Gazetteer, ref: Ref) -> str | None:
    """The oblast of a namesake that is a city (50,000+) five times the size of any other."""
    pops = sorted(((p.population, p.oblast) for c in ref.candidates if (p := gazetteer.get(c)) is not None),
                  reverse=True)
    if len(pops) >= 2 and pops[0][0] >= 50_000 and pops[0][0] >= 5 * pops[1][0]:
        return pops[0][1]
    return None


@functools.lru_cache(maxsize=4)
def _cached(topics_dir: Path) -> Extractor:
    return Extractor(load_topics(topics_dir))


def default_extractor(topics_dir: Path | None = None) -> Extractor:
    """The extractor of a topics folder (default: the project's), built once per process."""
    return _cached(Path(topics_dir or default_topics_dir()).resolve())


def extract_claims(article: Article, topics: TopicSet | None = None) -> list[Claim]:
    """Claims of one article, with the project's topics or the given ones (their extractor is
    built on the first call and kept with them)."""
    if topics is None:
        return default_extractor()(article)
    ex = topics.derived.get("extractor")
    if not isinstance(ex, Extractor):
        ex = Extractor(topics)
        topics.derived["extractor"] = ex
    return ex(article)
