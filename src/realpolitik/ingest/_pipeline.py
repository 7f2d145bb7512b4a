"""Ingest into the store: read, extract with a scenario's vocabulary and patterns,
keep what observes an indicator, write each article in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from realpolitik.ingest._actors import ActorVocabulary, default_vocabulary
from realpolitik.ingest._dates import period_bounds
from realpolitik.ingest._events import OBSERVING_MODALITIES
from realpolitik.ingest._extract import ArticleResult, extract
from realpolitik.ingest._patterns import EventPattern
from realpolitik.ingest._read import Skipped, read_articles
from realpolitik.scenario import Scenario
from realpolitik.store import NewObservation, Store

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["IngestSummary", "ingest", "observations_of", "scenario_patterns", "scenario_vocabulary"]


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
    """The article's events that observe an indicator: asserted or reported, in the
    present, with the day they happened (the event's date when it is a day; a coarser
    date: the publication day if it falls in it, else the period's last day; none:
    the publication day), one row per indicator an event observes, ready for
    :meth:`Store.add <realpolitik.store.Store.add>`."""
    published = result.article.published
    out = []
    for n, e in enumerate(result.events):
        if e.modality not in OBSERVING_MODALITIES or not e.indicators:
            continue
        bounds = period_bounds(e.date)
        if bounds is None:
            if published is None:
                continue  # neither the event nor the article is dated: it cannot be placed
            happened, precision = published, "published"
        elif bounds[0] == bounds[1]:
            happened, precision = bounds[0], "day"
        elif published is not None and bounds[0] <= published <= bounds[1]:
            happened, precision = published, e.date_precision
        else:
            happened, precision = bounds[1], e.date_precision
        for indicator in e.indicators:
            out.append(NewObservation(event=n, indicator=indicator, happened=happened, happened_precision=precision))
    return out


@dataclass
class IngestSummary:
    """What an ingest did: counts by outcome, the skipped inputs, observations by indicator."""

    added: int = 0
    duplicate: int = 0
    new_version: int = 0
    events: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    observations: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicate": self.duplicate,
            "new_version": self.new_version,
            "events": self.events,
            "skipped": [{"path": s.path, "line": s.line, "reason": s.reason} for s in self.skipped],
            "observations": dict(sorted(self.observations.items())),
        }


def ingest(
    paths: Sequence[str | Path],
    *,
    store: Store,
    nlp: Language,
    scenario: Scenario | None = None,
    on_article: Callable[[ArticleResult, str], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    today: dt.date | None = None,
) -> IngestSummary:
    """Read ``paths`` (files or folders), extract and store every article.

    Args:
        scenario: whose actors, indicators and decision options to match (none: the
            built-in country vocabulary and no patterns).
        on_article: called after each article is stored, with its result and
            ``added``, ``duplicate`` or ``new_version``.
        on_skip: called for each input that could not be read.
        today: the date relative dates are read against when an article has none.

    Raises:
        KeyboardInterrupt: a Ctrl-C; every article already committed stays in the
            store, the one being written is rolled back (``store.written`` counts
            what this store committed).
        DataError: the store cannot be written (damaged, full disk); as above.
    """
    summary = IngestSummary()
    vocabulary = scenario_vocabulary(scenario) if scenario else default_vocabulary()
    patterns = scenario_patterns(scenario) if scenario else []

    for item in extract(read_articles(paths), nlp, vocabulary, patterns, today=today):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            if on_skip is not None:
                on_skip(item)
            continue
        found = observations_of(item)
        outcome = store.add(item, scenario=scenario.name if scenario else None, observations=found)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if outcome != "duplicate":
            summary.events += len(item.events)
            for o in found:
                summary.observations[o.indicator] = summary.observations.get(o.indicator, 0) + 1
        if on_article is not None:
            on_article(item, outcome)
    return summary
