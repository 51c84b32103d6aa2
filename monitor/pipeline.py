"""The one place that wires the stages: article -> claims -> diff -> store + outbox.

``process_article_version`` is called for every new article version, by the poller (a feed's
first poll is a baseline) and by ``monitor ingest``. It runs inside the caller's transaction:
claims, belief changes, alerts and the "version done" mark commit together, so a crash can
neither lose an alert nor write it twice; a re-run of a committed version is a no-op.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from monitor import article as fmt
from monitor import diff, syndication
from monitor.errors import ArticleFormatError, ConfigError, ExtractError, StoreError
from monitor.models import Article, Claim, Value
from monitor.store import articles_repo, beliefs_repo, claims_repo, outbox_repo, signatures_repo
from monitor.store.tables import ArticleVersion
from monitor.topics import TopicSet, load_topics

log = logging.getLogger(__name__)


class Extractor(Protocol):
    """Claims from one article, in text order (see ``monitor.extract``)."""

    def __call__(self, article: Article) -> list[Claim]: ...


@dataclass(slots=True)
class ProcessResult:
    """What one article version did to the store."""

    skipped: bool = False  # already processed (a re-run)
    claims: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    alert_ids: list[int] = field(default_factory=list)
    withdrawn: int = 0


def _norm(v: Value) -> str:
    if diff.is_number(v):
        return repr(float(v))
    return str(v).strip().lower()


def apply_claims(session: Session, claims: Sequence[Claim], source: diff.Source, *, policy: diff.Policy,
                 baseline: bool, now: dt.datetime) -> ProcessResult:
    """Diff one article version's claims and write claims, beliefs and alerts (no commit)."""
    on = dt.date.fromisoformat(claims[0].date) if claims else dt.date.min
    venues = beliefs_repo.current_venues(session, diff.venue_less_participants(claims), on)
    resolved = diff.resolve_meetings(claims, venues)
    previous = claims_repo.live_claims(session, source.article, source.version) if source.version > 1 else []
    keys = {diff.claim_key(c) for c in resolved} | {r.key for r in previous}
    beliefs_repo.lock_keys(session, keys)
    beliefs = beliefs_repo.load(session, keys)
    result = diff.diff_article(resolved, beliefs, source, policy, baseline=baseline)

    claim_ids = claims_repo.insert_claims(session, result.outcomes, source, now)
    alert_ids = outbox_repo.insert_alerts(session, result.alerts, now)
    alerting = {a.key for a in result.alerts if a.type in diff.ALERTING}
    states: list[diff.BeliefState] = []
    for u in result.updates:
        s = u.state
        if u.claim_index is not None:
            s = replace(s, claim_id=claim_ids[u.claim_index])
        if s.key in alerting:
            s = replace(s, last_alert_id=alert_ids[s.key])
        states.append(s)
    beliefs_repo.save(session, states, beliefs.keys(), now,
                      changed_value={u.state.key for u in result.updates if u.changed_value})

    out = ProcessResult(claims=len(claim_ids), outcomes=Counter(o.outcome for o in result.outcomes),
                        alert_ids=sorted(alert_ids.values()))
    if previous:
        decided = {u.state.key for u in result.updates} | {o.key for o in result.outcomes if o.decisive}
        current = {(o.key, _norm(o.claim.value)) for o in result.outcomes}
        gone = [r for r in previous if (r.key, _norm(claims_repo.claim_from_row(r).value)) not in current]
        out.withdrawn = len(gone)
        _withdraw(session, gone, beliefs, decided, source, policy, baseline, now, out)
    return out


def _withdraw(session: Session, gone: Sequence[Any], beliefs: dict[str, diff.BeliefState], decided: set[str],
              source: diff.Source, policy: diff.Policy, baseline: bool, now: dt.datetime,
              out: ProcessResult) -> None:
    """Record claims missing from the new version; revert beliefs they alone supported."""
    claims_repo.mark_withdrawn(session, [r.id for r in gone])
    session.flush()
    drafts: list[diff.AlertDraft] = []
    reverted: list[diff.BeliefState] = []
    removed: list[str] = []
    for r in gone:
        key = r.key
        before = beliefs.get(key)
        if key in decided or before is None or not claims_repo.claim_from_row(r).changes_state:
            continue
        if before.article != source.article and source.source_key not in before.sources:
            continue  # the withdrawn claim did not support what is believed now
        decided.add(key)  # one alert per key
        after = diff.fold_history(claims_repo.history_for_key(session, key), policy)
        if after is not None:
            after = replace(after, last_alert_id=before.last_alert_id)
        if after is not None and diff.same_value(before.attribute, before.value, after.value,
                                                 policy.thresholds(before.subject, before.topic), policy.within):
            reverted.append(after)  # other sources still support it: only the count drops
            continue
        if after is None:
            removed.append(key)
        else:
            reverted.append(after)
        if not baseline:
            drafts.append(diff.withdrawal_alert(before, after, claims_repo.claim_from_row(r), source, policy))
    ids = outbox_repo.insert_alerts(session, drafts, now)
    out.alert_ids = sorted([*out.alert_ids, *ids.values()])
    reverted = [replace(s, last_alert_id=ids.get(s.key, s.last_alert_id)) for s in reverted]
    beliefs_repo.save(session, reverted, beliefs.keys(), now, changed_value={s.key for s in reverted})
    beliefs_repo.remove(session, removed)


def process_article_version(session: Session, article: Article, *, version: int = 1, baseline: bool = False,
                            extractor: Extractor, policy: diff.Policy,
                            now: dt.datetime | None = None) -> ProcessResult:
    """Extract, diff and store one article version inside the caller's transaction.

    ``article.id`` must be stable across the versions of an item (the spec's article id: the
    16-hex item id, or a file's stem). A version already processed is skipped.
    """
    now = now or dt.datetime.now(dt.UTC)
    done = signatures_repo.processed_version(session, article.id)
    if done is not None and done >= version:
        return ProcessResult(skipped=True)
    claims = extractor(article)
    source_key = signatures_repo.assign_source(session, article.id, article.date, version,
                                               syndication.sketch(article.body))
    source = diff.Source(article=article.id, source_key=source_key, name=article.source, url=article.url,
                         version=version)
    return apply_claims(session, claims, source, policy=policy, baseline=baseline, now=now)


# --- monitor ingest ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleFile:
    path: Path
    dated: fmt.DatedText

    @property
    def article_id(self) -> str:
        return fmt.id_from_path(self.path)


@dataclass(slots=True)
class IngestResult:
    files: int = 0
    stored: int = 0  # new items or versions
    processed: int = 0
    claims: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    alert_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files that could not be read
    extract_errors: list[str] = field(default_factory=list)  # stored nothing; retried next run


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Files named, and every ``*.txt`` in folders named; missing paths are reported."""
    files: list[Path] = []
    errors: list[str] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.glob("*.txt") if q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            errors.append(f"{p}: no such file or folder; check the path")
    return files, errors


def read_articles(paths: Iterable[Path]) -> tuple[list[ArticleFile], list[str]]:
    """Parse dated-article files, in date order (ties by file name); bad files are reported."""
    files, errors = collect_files(paths)
    out: list[ArticleFile] = []
    for f in files:
        try:
            out.append(ArticleFile(f, fmt.read_file(f)))
        except ArticleFormatError as exc:
            errors.append(str(exc))
        except OSError as exc:
            errors.append(f"{f}: cannot read: {exc.strerror}")
    out.sort(key=lambda a: (a.dated.date, a.path.name))
    return out, errors


def file_item_id(path: Path) -> str:
    """The store id of a file: its 16-hex part for an archive name, else a hash of its stem."""
    parts = fmt.split_file_name(path.name)
    return parts[1] if parts else fmt.item_id("file:" + path.stem)


ProgressFn = Callable[[int, int, str], None]


def ingest_articles(engine: Engine, paths: Sequence[Path], *, extractor: Extractor, policy: diff.Policy,
                    baseline: bool = False, progress: ProgressFn | None = None,
                    now: Callable[[], dt.datetime] | None = None) -> IngestResult:
    """Store, extract, diff and alert dated-article files; one transaction per article."""
    clock = now or (lambda: dt.datetime.now(dt.UTC))
    arts, errors = read_articles(paths)
    res = IngestResult(files=len(arts), errors=errors)
    for i, a in enumerate(arts, 1):
        if progress:
            progress(i, len(arts), a.path.name)
        t = clock()
        text = fmt.render(a.dated.date, a.dated.body)
        item = articles_repo.IncomingItem(
            article_id=file_item_id(a.path), feed_id=None, guid=a.article_id, url=None, title=None,
            source="file", published=a.dated.date, published_at=None, date_from_fetch=False, language=None,
            text=text, text_source="file", baseline=baseline)
        article = Article(id=a.article_id, date=a.dated.date, body=a.dated.body, source="file")
        try:
            with Session(engine) as session, session.begin():
                saved = articles_repo.save_items(session, [item], t)[0]
                res.stored += saved.is_new_version
                pr = process_article_version(session, article, version=saved.version, baseline=baseline,
                                             extractor=extractor, policy=policy, now=t)
                session.execute(update(ArticleVersion)
                                .where(ArticleVersion.article_id == saved.article_id,
                                       ArticleVersion.version == saved.version)
                                .values(extracted=True))
        except ExtractError as exc:
            res.extract_errors.append(f"{a.path}: extraction failed: {exc}")
            continue
        except (StoreError, SQLAlchemyError):
            raise  # the database is gone: stop, nothing half-written (the article rolled back)
        except Exception as exc:  # noqa: BLE001 - isolation boundary: one article's extraction bug
            # must not stop the files after it; the article rolled back and is retried next run.
            log.exception("ingest: %s could not be processed", a.path)
            res.extract_errors.append(f"{a.path}: extraction failed: {type(exc).__name__}: {exc}")
            continue
        if not pr.skipped:
            res.processed += 1
            res.claims += pr.claims
            res.outcomes.update(pr.outcomes)
            res.alert_ids.extend(pr.alert_ids)
    return res


# --- the extractor and the topic rules ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stages:
    """The configured stages: the claim extractor and the diff policy from the topic files."""

    extractor: Extractor
    policy: diff.Policy


class TopicPolicy:
    """Thresholds and severity from the watch topics (``monitor.topics``)."""

    def __init__(self, topics: TopicSet, defaults: diff.Thresholds | None = None) -> None:
        self._topics = topics
        self._defaults = defaults or diff.Thresholds()
        self._cache: dict[str, diff.Thresholds] = {}

    def thresholds(self, subject: str, topic: str | None) -> diff.Thresholds:
        """The topic file's thresholds; fields it does not set keep the spec's defaults."""
        if subject not in self._cache:
            th = self._topics.thresholds_for(subject)
            given = {f: getattr(th, f) for f in th.model_fields_set}
            self._cache[subject] = replace(self._defaults, **given)
        return self._cache[subject]

    def severity(self, claim: Claim, alert_type: str, old: Value | None) -> str:
        return self._topics.severity_for(claim.kind, claim.subject, claim.attribute, claim.value, alert_type)

    def within(self, inner: str, outer: str) -> bool:
        """Walk ``region`` links of the topic entities up from ``inner`` (a few steps at most)."""
        seen: set[str] = set()
        e = self._topics.entity(inner)
        while e is not None and e.region and e.region not in seen:
            if e.region == outer:
                return True
            seen.add(e.region)
            e = self._topics.entity(e.region)
        return False


def load_stages(topics_dir: str | Path) -> Stages:
    """The extractor and policy configured by the topic files in ``topics_dir``."""
    try:
        from monitor import extract
    except ImportError as exc:
        raise ConfigError(f"the claim extractor is not available ({exc})",
                          fix="install the complete package (pip install -e .)") from None
    ts = load_topics(Path(topics_dir))
    factory = getattr(extract, "Extractor", None)
    if factory is not None:
        extractor: Extractor = factory(ts)
    else:
        fn = extract.extract_claims

        def extractor(article: Article) -> list[Claim]:
            return list(fn(article, ts))

    return Stages(extractor=extractor, policy=TopicPolicy(ts))


# --- replay: what the current topics would have raised -------------------------------------------


def article_ref(row: Any) -> str:
    """The spec's article id of a stored item: a file's stem (kept as guid) or the 16-hex id."""
    return str(row.guid) if row.text_source == "file" and row.guid else str(row.id)


@dataclass(frozen=True, slots=True)
class AlertIdentity:
    """What makes two alerts "the same" when a replay is compared with what was raised."""

    type: str
    kind: str
    subject: str
    attribute: str
    period: str | None
    new: str
    article: str

    def describe(self) -> str:
        period = f" [{self.period}]" if self.period else ""
        return f"{self.type:13} {self.kind}:{self.subject}.{self.attribute}{period} -> {self.new} ({self.article})"


@dataclass(slots=True)
class ReplayResult:
    articles: int = 0
    versions: int = 0
    added: list[AlertIdentity] = field(default_factory=list)
    removed: list[AlertIdentity] = field(default_factory=list)
    unchanged: int = 0


def _identity(row: Any) -> AlertIdentity:
    return AlertIdentity(type=row.type, kind=row.kind, subject=row.subject, attribute=row.attribute,
                         period=row.period, new=row.new_json, article=row.article_id)


def replay(live: Engine, stages: Stages, *, since: dt.date | None = None,
           progress: ProgressFn | None = None) -> ReplayResult:
    """Re-run every stored article version through ``stages`` in a scratch SQLite database.

    Versions are taken in the order they were stored; articles dated before ``since`` only
    rebuild beliefs (as a baseline). The live database is only read.
    """
    import tempfile

    from sqlalchemy import func, select

    from monitor.store import migrate
    from monitor.store.engine import make_engine
    from monitor.store.tables import ArticleRow

    res = ReplayResult()
    with tempfile.TemporaryDirectory(prefix="newswatch-replay-") as tmp, Session(live) as s:
        raised = outbox_repo.all_alerts(s, since=since)
        live_ids = [_identity(r) for r in raised if r.type in (*outbox_repo.SPEC_TYPES, "withdrawn")]
        total = s.scalar(select(func.count()).select_from(ArticleVersion)) or 0
        res.articles = s.scalar(select(func.count()).select_from(ArticleRow)) or 0
        # Streamed: a large store is never held in memory at once.
        rows = s.execute(select(ArticleRow, ArticleVersion.version, ArticleVersion.text)
                         .join(ArticleVersion, ArticleVersion.article_id == ArticleRow.id)
                         .order_by(ArticleVersion.id).execution_options(yield_per=200))
        scratch = make_engine(f"sqlite:///{Path(tmp) / 'replay.db'}")
        try:
            migrate.upgrade(scratch)
            for i, (row, version, text) in enumerate(rows, 1):
                if progress:
                    progress(i, total, article_ref(row))
                try:
                    dated = fmt.parse(text)
                except ArticleFormatError as exc:
                    log.warning("replay: stored article %s v%s is not readable: %s", row.id, version, exc)
                    continue
                article = Article(id=article_ref(row), date=dated.date, body=dated.body, title=row.title,
                                  url=row.url, source=row.source, language=row.language)
                baseline = bool(row.baseline) or (since is not None and dated.date < since)
                with Session(scratch) as ss, ss.begin():
                    process_article_version(ss, article, version=version, baseline=baseline,
                                            extractor=stages.extractor, policy=stages.policy)
                res.versions += 1
            with Session(scratch) as ss:
                new_ids = [_identity(r) for r in outbox_repo.all_alerts(ss, since=since)
                           if r.type in (*outbox_repo.SPEC_TYPES, "withdrawn")]
        finally:
            scratch.dispose()
    remaining = Counter(live_ids)
    for a in new_ids:
        if remaining[a] > 0:
            remaining[a] -= 1
            res.unchanged += 1
        else:
            res.added.append(a)
    res.removed = [a for a, n in remaining.items() for _ in range(n)]
    return res
