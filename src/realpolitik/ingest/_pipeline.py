"""Ingest into the store: read, extract with a scenario's vocabulary and patterns,
keep what observes an indicator, write each article in one transaction.

An observation needs a day. An event with no date of its own takes the article's
publication day; in an article with no date either, it cannot be placed: it is not
stored as an observation, and the article says so (:attr:`IngestedArticle.unplaced`,
:attr:`IngestedArticle.warning`) rather than dropping it silently. ``assumed_date``
dates such articles instead, flagged: ``published_from`` is ``"assumed"`` and the
observations' ``happened_precision`` too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from realpolitik.ingest._actors import ActorVocabulary, default_vocabulary
from realpolitik.ingest._dates import period_bounds
from realpolitik.ingest._events import OBSERVING_MODALITIES
from realpolitik.ingest._extract import ArticleResult, extract
from realpolitik.ingest._patterns import EventPattern
from realpolitik.ingest._read import Article, Skipped, read_articles
from realpolitik.scenario import Scenario
from realpolitik.store import NewObservation, Store

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["IngestSummary", "IngestedArticle", "ingest", "observations_of", "scenario_patterns", "scenario_vocabulary"]

#: ``published_from`` of an article dated by ``assume_date``, and ``happened_precision``
#: of an observation placed on that day.
ASSUMED = "assumed"


def scenario_vocabulary(scenario: Scenario) -> ActorVocabulary:
    """The actors and parties of a scenario, by the names it gives them, over the
    built-in vocabulary of countries (whose forms they take over by name or code)."""
    mapping: dict[str, Any] = {}
    for key, who in [*scenario.spec.actors.items(), *scenario.spec.parties.items()]:
        if who.names or who.code:
            mapping[key] = {"names": list(who.names), **({"code": who.code} if who.code else {})}
    return ActorVocabulary.from_mapping(mapping, base=default_vocabulary())


def scenario_patterns(scenario: Scenario) -> list[EventPattern]:
    """The news events a scenario's indicators and decision options are declared as."""
    out = []
    for ind in scenario.model.indicators:
        if ind.event is not None:
            e = ind.event
            out.append(EventPattern(ind.name, frozenset(e.types), frozenset(e.sources), frozenset(e.targets), e.keywords, "indicator"))
    for d in scenario.model.decisions:
        for o in d.options:
            if o.event is not None:
                e = o.event
                name = f"{d.name}={o.name}"
                out.append(EventPattern(name, frozenset(e.types), frozenset(e.sources), frozenset(e.targets), e.keywords, "decision"))
    return out


def observations_of(result: ArticleResult) -> list[NewObservation]:
    """The article's events that observe an indicator: asserted, reported or claimed,
    in the present, with the day they happened (the event's date when it is a day; a
    coarser date: the publication day if it falls in it, else the period's last day;
    none: the publication day, ``happened_precision`` ``"published"``, or
    ``"assumed"`` when that day is an assumed one), one row per indicator an event
    observes, ready for :meth:`Store.add <realpolitik.store.Store.add>`.

    An undated event in an undated article has no day and is left out:
    :func:`ingest` counts these (:attr:`IngestedArticle.unplaced`).
    """
    return _placed(result)[0]


def _placed(result: ArticleResult) -> tuple[list[NewObservation], int]:
    """:func:`observations_of`, and how many indicator matches could not be placed."""
    published = result.article.published
    undated_precision = ASSUMED if result.article.published_from == ASSUMED else "published"
    out = []
    unplaced = 0
    for n, e in enumerate(result.events):
        if e.modality not in OBSERVING_MODALITIES or not e.indicators:
            continue
        bounds = period_bounds(e.date)
        if bounds is None:
            if published is None:
                unplaced += len(e.indicators)  # neither the event nor the article is dated
                continue
            happened, precision = published, undated_precision
        elif bounds[0] == bounds[1]:
            happened, precision = bounds[0], "day"
        elif published is not None and bounds[0] <= published <= bounds[1]:
            happened, precision = published, e.date_precision
        else:
            happened, precision = bounds[1], e.date_precision
        for indicator in e.indicators:
            out.append(NewObservation(event=n, indicator=indicator, happened=happened, happened_precision=precision))
    return out, unplaced


def _assume_date(article: Article, day: dt.date | None) -> Article:
    """``article`` dated ``day`` when it has no date of its own (``published_from``:
    ``"assumed"``); else ``article`` unchanged.

    Example:
        >>> a = _assume_date(Article.from_text("Russia condemned the strikes.", id="a"), dt.date(2026, 3, 10))
        >>> a.published, a.published_from
        (datetime.date(2026, 3, 10), 'assumed')
    """
    if day is None or article.published is not None:
        return article
    return replace(article, published=day, published_from=ASSUMED)


@dataclass(frozen=True)
class IngestedArticle:
    """One article as :func:`ingest` stored it.

    Attributes:
        result: what the article says.
        outcome: ``added``, ``duplicate`` (nothing written) or ``new_version``.
        observations: its observations of indicators (as stored, unless a duplicate).
        unplaced: how many indicator matches (an event observing an indicator, once
            per indicator) could not be placed on a day: an undated event in an
            article without a date; they are not stored as observations.
    """

    result: ArticleResult
    outcome: str
    observations: tuple[NewObservation, ...] = ()
    unplaced: int = 0

    @property
    def undated(self) -> bool:
        """Whether the article has no date of its own (none, or only an assumed one)."""
        article = self.result.article
        return article.published is None or article.published_from == ASSUMED

    @property
    def warning(self) -> str | None:
        """One line saying that observations could not be placed, naming the file; ``None`` if all were."""
        if not self.unplaced:
            return None
        a = self.result.article
        where = f"{a.path}:{a.line}" if a.path and a.line is not None else a.path or f"article {a.id}"
        n = self.unplaced
        return (
            f"{where}: undated (no date in its metadata or at the head of its text): {n} observation{'' if n == 1 else 's'} "
            "of indicators could not be placed and were not stored; give --assume-date YYYY-MM-DD to place them on that day"
        )

    def to_dict(self) -> dict[str, object]:
        """The JSON of ``realpolitik ingest --json`` for one article: its result, how it was stored, whether it is undated."""
        return {**self.result.to_dict(), "stored": self.outcome, "undated": self.undated, "unplaced": self.unplaced}


@dataclass
class IngestSummary:
    """What an ingest did: counts by outcome, the skipped inputs, observations by indicator,
    the undated articles and the indicator matches they left unplaced."""

    added: int = 0
    duplicate: int = 0
    new_version: int = 0
    events: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    observations: dict[str, int] = field(default_factory=dict)
    #: articles read without a date of their own (none, or only an assumed one)
    undated: int = 0
    #: indicator matches those articles could not place (see :attr:`IngestedArticle.unplaced`)
    unplaced: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicate": self.duplicate,
            "new_version": self.new_version,
            "events": self.events,
            "skipped": [{"path": s.path, "line": s.line, "reason": s.reason} for s in self.skipped],
            "observations": dict(sorted(self.observations.items())),
            "undated": self.undated,
            "unplaced": self.unplaced,
        }


def ingest(
    paths: Sequence[str | Path],
    *,
    store: Store,
    nlp: Language,
    scenario: Scenario | None = None,
    on_article: Callable[[IngestedArticle], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    today: dt.date | None = None,
    assumed_date: dt.date | None = None,
) -> IngestSummary:
    """Read ``paths`` (files or folders), extract and store every article.

    Args:
        scenario: whose actors, indicators and decision options to match (none: the
            built-in country vocabulary and no patterns).
        on_article: called after each article is stored (or found stored already),
            with what was stored and what could not be placed.
        on_skip: called for each input that could not be read.
        today: the date relative dates are read against when an article has none
            (its events' observations are placed by those dates; an undated event
            in it still is not).
        assumed_date: the publication day of every article without one (flagged
            ``"assumed"``): its relative dates are read against it and its undated
            events placed on it. An article stored before without a date, read
            again with one, becomes a new version.

    Raises:
        KeyboardInterrupt: a Ctrl-C; every article already committed stays in the
            store, the one being written is rolled back (``store.written`` counts
            what this store committed).
        DataError: the store cannot be written (damaged, full disk); as above.
    """
    summary = IngestSummary()
    vocabulary = scenario_vocabulary(scenario) if scenario else default_vocabulary()
    patterns = scenario_patterns(scenario) if scenario else []

    articles = (_assume_date(a, assumed_date) if isinstance(a, Article) else a for a in read_articles(paths))
    for item in extract(articles, nlp, vocabulary, patterns, today=today):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            if on_skip is not None:
                on_skip(item)
            continue
        found, unplaced = _placed(item)
        outcome = store.add(item, scenario=scenario.name if scenario else None, observations=found)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        stored = IngestedArticle(item, outcome, tuple(found), unplaced)
        summary.undated += stored.undated
        summary.unplaced += unplaced  # (a duplicate's too: they are still not placed in the store)
        if outcome != "duplicate":
            summary.events += len(item.events)
            for o in found:
                summary.observations[o.indicator] = summary.observations.get(o.indicator, 0) + 1
        if on_article is not None:
            on_article(stored)
    return summary
