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
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from monitor.extract.doc import Doc, Sent
from monitor.extract.entities import Ref, TopicEntityFinder, place_refs, resolve_place
from monitor.extract.lexicon import CueIndex
from monitor.extract.numbers import find_quantities
from monitor.extract.registry import KindExtractor, KindRegistry, builtin_registry
from monitor.extract.text import Lemmatizer, detect_language, split_clauses, split_sentences
from monitor.gazetteer import SETTLEMENT, Gazetteer, Place
from monitor.models import Article, Claim
from monitor.topics import TopicSet, default_topics_dir, load_topics

__all__ = ["Extractor", "KindExtractor", "KindRegistry", "default_extractor", "extract_claims"]

log = logging.getLogger(__name__)

LANGS = ("de", "en")
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
                claims.extend(kind.extract(doc, sent))
        return claims

    # -- reading ------------------------------------------------------------------------------
    def read(self, article: Article, body: str, lang: str) -> Doc:
        cues = self._cues[lang]
        places = place_refs(self.gazetteer, body, 0)
        others = self._entities.find(body, 0, article.date)
        refs = _merge_refs(places, others)
        sentences: list[Sent] = []
        para = 0
        last_end = 0
        ri = 0
        for i, span in enumerate(split_sentences(body)):
            if "\n\n" in body[last_end:span.start]:
                para += 1
            last_end = span.end
            text = body[span.start:span.end]
            tokens = self._lemmas.tokenize(text, span.start, lang)
            hits = cues.match(tokens)
            while ri < len(refs) and refs[ri].start < span.start:
                ri += 1
            mine: list[Ref] = []
            j = ri
            while j < len(refs) and refs[j].start < span.end:
                if refs[j].end <= span.end:
                    mine.append(refs[j])
                j += 1
            actor_spans = [(h.start, h.end) for h in hits if h.group.startswith("actor.")]
            mine = [r for r in mine if not (r.type in ("place", "oblast") and not r.region_phrase
                                            and any(a <= r.start < b for a, b in actor_spans))]
            sentences.append(Sent(i, span.start, span.end, text, para, tokens,
                                  split_clauses(text, span.start), hits, mine,
                                  find_quantities(text, span.start, lang)))
        doc = Doc(article, lang, body, sentences, self.topics)
        _disambiguate(self.gazetteer, doc)
        return doc


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
    taken = [(r.start, r.end) for r in others]
    kept = [p for p in places if not any(a < p.end and p.start < b for a, b in taken)]
    return sorted([*kept, *others], key=lambda r: r.start)


def _disambiguate(gazetteer: Gazetteer, doc: Doc) -> None:
    """A settlement name used in several oblasts means the one in the oblast named nearest:
    first in the same sentence, then earlier in the paragraph, then earlier in the article."""
    for sent in doc.sentences:
        if not any(r.type == "place" and len(r.candidates) > 1 for r in sent.refs):
            continue
        earlier = [r.id for s in reversed(doc.sentences[:sent.index])
                   for r in reversed(s.refs) if r.type == "oblast"]
        new_refs: list[Ref] = []
        for r in sent.refs:
            if r.type == "place" and len(r.candidates) > 1:
                here = sorted((o for o in sent.refs if o.type == "oblast"), key=lambda o: abs(o.start - r.start))
                context = [o.id for o in here] + earlier
                r = resolve_place(gazetteer, r, context)
            new_refs.append(r)
        sent.refs = new_refs


@functools.lru_cache(maxsize=4)
def _cached(topics_dir: Path) -> Extractor:
    return Extractor(load_topics(topics_dir))


def default_extractor(topics_dir: Path | None = None) -> Extractor:
    """The extractor of a topics folder (default: the project's), built once per process."""
    return _cached(Path(topics_dir or default_topics_dir()).resolve())


def extract_claims(article: Article, topics: TopicSet | None = None) -> list[Claim]:
    """Claims of one article. With ``topics`` given, an extractor is built for them (build an
    ``Extractor`` once and call it when extracting many articles)."""
    ex = default_extractor() if topics is None else Extractor(topics)
    return ex(article)


def with_language(article: Article, lang: str | None) -> Article:
    return replace(article, language=lang)


def extract_many(extractor: Extractor, articles: Sequence[Article]) -> list[Claim]:
    out: list[Claim] = []
    for a in articles:
        out.extend(extractor(a))
    return out


__all__ += ["Doc", "Sent", "default_topics_dir", "extract_many", "with_language", "Path"]
