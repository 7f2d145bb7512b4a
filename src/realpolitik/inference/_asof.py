"""Answers as of a date: gather what was observed by then, filter the ensemble up to
it, and run on from there.

Every command that answers questions goes through :func:`evidence_as_of` (reading
the news store and price files, cut at the date) and :func:`run_as_of` (the filter,
then the engine's run from the filtered state).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from realpolitik.engine import Backend, Results, run
from realpolitik.errors import DataError, Problem
from realpolitik.inference._evidence import Evidence, PriceSeries, news_evidence, parse_prices_option, read_prices
from realpolitik.inference._filter import Conditioned, condition
from realpolitik.inference._likelihood import Observation
from realpolitik.scenario import Scenario
from realpolitik.store import Store

__all__ = ["evidence_as_of", "run_as_of", "conditioned_run", "scenario_log"]


def evidence_as_of(
    scenario: Scenario,
    as_of: dt.date,
    *,
    db: str | Path | Store | None = None,
    prices: Mapping[str, str | Path] | Iterable[str] = (),
    reports: Sequence[Observation] = (),
    covered: Iterable[dt.date] = (),
) -> Evidence:
    """Everything observed up to ``as_of``: the news store's reports and covered days,
    price series and any reports given directly (which cover their own days).

    Args:
        db: a news store written by ``realpolitik ingest``: its path, or the store
            already open.
        prices: series name -> a ``Date,Price`` CSV, or ``NAME=CSV`` strings.
        reports: observations of indicators (e.g. a scenario's own log, or a test's).
        covered: further days the news covered.

    Raises:
        DataError: a missing or malformed store or price file (file, line, field).

    Example:
        >>> from realpolitik.scenario import load
        >>> e = evidence_as_of(load("default"), dt.date(2026, 3, 10))
        >>> e.as_of, len(e.reports), [(s.name, len(s.dates)) for s in e.prices]  # the scenario's own log
        (datetime.date(2026, 3, 10), 20, [('brent', 5)])
    """
    pairs = [parse_prices_option(p) for p in prices] if not isinstance(prices, Mapping) else [(k, Path(v)) for k, v in prices.items()]
    names = [n for n, _ in pairs]
    if len(set(names)) != len(names):
        raise DataError(Problem(f"--prices: the series {next(n for n in names if names.count(n) > 1)!r} is given twice"))
    series: list[PriceSeries] = [read_prices(path, name, as_of=as_of) for name, path in pairs]
    logged, logged_series, logged_days = scenario_log(scenario, exclude=names)
    reports = (*logged, *reports)
    series += logged_series
    given = tuple(o for o in reports if o.date <= as_of)
    kept = [PriceSeries(s.name, *_until(s, as_of), s.source, s.future) for s in series]
    future = len(reports) - len(given) + sum(s.future for s in series) + sum(len(s.dates) - len(k.dates) for s, k in zip(series, kept))
    series = kept
    days = set(covered) | {o.date for o in given if o.covers_day} | {d for d in logged_days if d <= as_of}
    options = [f"--prices {shlex.quote(f'{n}={p}')}" for n, p in pairs]
    notes: list[str] = []
    if db is not None:
        with Store(db, read_only=True) if not isinstance(db, Store) else contextlib.nullcontext(db) as store:
            stored, stored_days, after = news_evidence(store, scenario.name, (i.name for i in scenario.model.indicators), as_of=as_of)
            others = [] if stored else store.scenarios()
        if others:
            notes.append(
                f"the news store holds no observations of {scenario.name}'s indicators, only of {', '.join(others)}: "
                f"ingest the articles with --scenario naming this scenario's file to match its indicators"
            )
        given += stored
        days |= set(stored_days)
        future += after
        options.insert(0, f"--db {shlex.quote(str(db.path if isinstance(db, Store) else db))}")
    # the news reports the indicators with event terms; reports given here, their own
    silent = frozenset(i.name for i in scenario.model.indicators if i.event is not None) | {o.indicator for o in given}
    return Evidence(as_of, given, frozenset(d for d in days if d <= as_of), tuple(series), future, " ".join(options), silent, tuple(notes))


def scenario_log(scenario: Scenario, *, exclude: Iterable[str] = ()) -> tuple[tuple[Observation, ...], list[PriceSeries], frozenset[dt.date]]:
    """The scenario's own log (``log:`` in its file): its reports, its series (but
    those named in ``exclude``, given from a file instead) and the days it covers.

    Example:
        >>> from realpolitik.scenario import load
        >>> reports, series, covered = scenario_log(load("default"))
        >>> reports[0].indicator, reports[0].date.isoformat(), reports[0].covers_day, series[0].values[-1], covered
        ('tit_for_tat_round', '2026-03-01', False, 95.74, frozenset())
    """
    log = scenario.spec.log
    if log is None:
        return (), [], frozenset()
    reports = tuple(Observation(r.indicator, r.date, float(r.confidence), f"log: {r.source or 'scenario'} {r.locator or r.rationale or ''}".strip(), covers_day=False) for r in log.reports)
    skip = set(exclude)
    series = [
        PriceSeries(name, tuple(sorted(s.values)), tuple(float(s.values[d]) for d in sorted(s.values)), f"{scenario.label} log")
        for name, s in log.series.items()
        if name not in skip
    ]
    days: frozenset[dt.date] = frozenset()
    if log.covered is not None:
        first, last = log.covered
        days = frozenset(first + dt.timedelta(days=k) for k in range((last - first).days + 1))
    return reports, series, days


def _until(series: PriceSeries, as_of: dt.date) -> tuple[tuple[dt.date, ...], tuple[float, ...]]:
    """A series' dates and values up to ``as_of``."""
    keep = [i for i, d in enumerate(series.dates) if d <= as_of]
    return tuple(series.dates[i] for i in keep), tuple(series.values[i] for i in keep)


def conditioned_run(
    scenario: Scenario,
    conditioned: Conditioned,
    **options: Any,
) -> Results:
    """The engine's run from a conditioned ensemble (same runs and seed); ``options``
    as :func:`realpolitik.engine.run` takes them (horizon, intervention, backend...)."""
    return run(scenario, runs=conditioned.runs, seed=conditioned.seed, origin=conditioned.origin, conditioning=conditioned.to_dict(), **options)


def run_as_of(
    scenario: Scenario,
    evidence: Evidence,
    *,
    runs: int = 10_000,
    seed: int = 0,
    threshold: float = 0.5,
    backend: str | Backend | None = None,
    progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> Results:
    """The scenario's answers as of ``evidence.as_of``: the runs filtered from the
    scenario's start to that date on everything observed by then (see
    :func:`realpolitik.inference.condition`), then run on for the horizon (counted
    from the as-of date, as are the questions' days).

    ``Results.conditioning`` says which observations were used, how many were ignored
    as future, and the filter's diagnostics.

    Example:
        >>> from realpolitik.scenario import load
        >>> r = run_as_of(load("default"), Evidence(dt.date(2026, 3, 18)), runs=200, seed=1, horizon=30)
        >>> r.info.start.isoformat(), r.conditioning["as_of"]
        ('2026-03-18', '2026-03-18')
    """
    conditioned = condition(scenario, evidence, runs=runs, seed=seed, threshold=threshold, backend=backend, progress=progress)
    return conditioned_run(scenario, conditioned, backend=backend, progress=progress, **options)
