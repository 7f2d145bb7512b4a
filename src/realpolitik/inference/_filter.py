"""Condition an ensemble on what was observed up to an as-of date: a particle filter
in the step loop.

The runs are simulated from the scenario's start, all together, one step at a time.
After each step, every observation about that step's state multiplies each run's
weight by its likelihood: a report of an indicator (or, on a day the news covered,
its absence) and a value of a price series. When the weights' effective sample size
falls below ``threshold`` times the runs, the runs are resampled (systematic
resampling) and their static parameters are moved by a Liu–West kernel (shrink
towards the mean and jitter, on an unconstrained scale), so that a long window of
observations does not collapse the ensemble onto a few parameter values. On the
as-of date the runs are resampled once more if their weights differ, so that the
ensemble going on from there is equally weighted and every estimator of the engine
applies unchanged.

Every random number comes from the counter-based streams, keyed by (seed, stream,
step, run slot): the filter's results do not depend on batch sizes or workers. After
a resampling, a run slot goes on with the numbers of its own index, so copies of
one run diverge.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from realpolitik.engine import Backend, Intervention, Origin, stream_key, uniforms
from realpolitik.errors import Problem, RealpolitikError, ScenarioError
from realpolitik.expr import Expression
from realpolitik.inference._evidence import Evidence
from realpolitik.inference._likelihood import Observation, ObservationDay, observation_days, report_loglik
from realpolitik.scenario import Scenario

__all__ = ["Conditioned", "FilterDay", "condition", "restrict", "observation_weights", "systematic_indices", "systematic_resample", "effective_sample_size", "check_threshold", "replicates", "SURPRISE", "LIU_WEST_DELTA"]

#: An observation the ensemble gave less than this probability (a report), or that
#: fell outside its central 1 - SURPRISE predictive interval (a price), is flagged.
SURPRISE = 0.01

#: The Liu–West discount factor: the kernel shrinks each parameter towards the
#: ensemble mean by ``a = (3 delta - 1) / (2 delta)`` and adds noise of variance
#: ``(1 - a^2)`` times the ensemble's, which keeps the mean and variance unchanged.
LIU_WEST_DELTA = 0.98

#: Below this share of the runs, the effective sample size earns a warning.
ESS_FLOOR = 0.05

#: A report is read as false when, after its day's news, fewer than this share of
#: the (weighted) runs hold its indicator's condition: the runs have explained it as
#: a false report rather than followed it, and a warning says so.
DISBELIEF = 0.5

#: When a day's observations leave an effective sample below BRANCH_FLOOR times the
#: runs, that day's step is run again from the day before with each run branched into
#: ``k`` copies (each with random numbers of its own), enough for an effective sample
#: of about BRANCH_TARGET times the runs but at most BRANCH_MAX copies; the copies are
#: weighted and resampled back to the runs. A branched step is a larger ensemble for
#: one step: unbiased, and more of the runs that can produce what was observed.
BRANCH_FLOOR = 0.05
BRANCH_TARGET = 0.2
BRANCH_MAX = 16

#: A day whose report the weighted runs read as false (under DISBELIEF of them hold
#: its condition after it) is run again with more copies: when no run holds the
#: condition, every run pays the same false-report likelihood, the weights stay even
#: and the effective sample gives no sign. Up to 4 * BRANCH_MAX copies, as long as
#: copies times runs stays within DOUBT_ROWS (never fewer than BRANCH_MAX).
DOUBT_ROWS = 2**18

#: The runs are split into independent filters of at least REPLICATE_RUNS runs each:
#: 8 of them, or 4, or (fewer runs) one. Each weighs, branches, resamples and moves
#: its own runs, so the spread between them measures the error of the answers. One
#: filter's runs soon descend from a few of its start's runs (path degeneracy), and no
#: estimate from within one filter can see how few. Fewer than 4 would give an error
#: on too few degrees of freedom; smaller filters lose rare paths the news needs.
REPLICATE_RUNS = 1000

#: With one filter, fewer start runs than this (Kish's size of the final runs'
#: ancestors) earn a warning that the errors of the answers are understated.
LINEAGE_FLOOR = 20

#: The most distinct observations whose share of each run's weight is kept (for
#: what moved an answer), and the most memory those shares may take (8 bytes a run
#: each); beyond either, reports are kept by day, and beyond that all together.
MAX_TRACKED = 512
MAX_TRACKED_BYTES = 256 * 2**20


def effective_sample_size(weights: np.ndarray) -> float:
    """``(sum w)^2 / sum w^2``: how many equally weighted runs the weights are worth.

    Example:
        >>> effective_sample_size(np.array([1.0, 1.0, 0.0, 0.0]))
        2.0
    """
    return float(weights.sum() ** 2 / np.dot(weights, weights))


def systematic_indices(weights: np.ndarray, u: float, count: int | None = None) -> np.ndarray:
    """``count`` (default: as many as there are weights) run indices drawn in
    proportion to ``weights`` by systematic resampling with the one uniform ``u`` in
    (0, 1): each run is copied ``floor(count w)`` or one more times.

    Example:
        >>> systematic_indices(np.array([0.0, 3.0, 1.0, 0.0]), 0.5).tolist()
        [1, 1, 1, 2]
        >>> systematic_indices(np.array([0.0, 3.0, 1.0, 0.0]), 0.5, count=2).tolist()
        [1, 2]
    """
    n = len(weights) if count is None else count
    positions = (u + np.arange(n)) / n
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    # (u + n - 1) / n can round up to 1.0, past every run: it falls to the last run
    # with weight, never to one without
    last = int(np.flatnonzero(weights > 0)[-1])
    return np.minimum(np.searchsorted(cumulative, positions, side="right"), last)


def systematic_resample(weights: np.ndarray, seed: int) -> np.ndarray:
    """:func:`systematic_indices` with the uniform drawn from ``seed``'s own stream."""
    u = float(uniforms(seed, stream_key("inference", "resample"), 0, np.zeros(1, dtype=np.uint64))[0])
    return systematic_indices(weights, u)


def replicates(runs: int) -> int:
    """How many independent filters ``runs`` runs are split into: 8, 4 or 1.

    Example:
        >>> replicates(3999), replicates(4000), replicates(7999), replicates(10_000)
        (1, 4, 4, 8)
    """
    fit = runs // REPLICATE_RUNS
    return 8 if fit >= 8 else 4 if fit >= 4 else 1


def check_threshold(threshold: float) -> float:
    """``threshold`` if it is a resampling threshold: a share of the runs above 0 (0
    would never resample) and at most 1.

    Raises:
        ValueError: it is not.

    Example:
        >>> check_threshold(0.5)
        0.5
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"give a share of the runs above 0 and at most 1 (e.g. 0.5), not {threshold:g}")
    return threshold


@dataclass(frozen=True)
class FilterDay:
    """What one day's observations did to the ensemble.

    Attributes:
        date: the day whose state was observed.
        observed: what was observed (report keys, silences counted, price values).
        loglik: the log of the observations' probability (density, for prices) under
            the ensemble's prediction before them (the prior predictive).
        ess: the effective sample size after weighting by them.
        resampled: whether the runs were resampled (and their parameters moved) after.
        surprises: the observations the model did not expect (under 1% probability).
        branched: how many copies of each run the day's step was run again with
            (1: not branched); ``ess`` is then that of the runs the resampled copies
            came from (copies of one run count once) and ``ess_first`` that of the
            first pass.
        ess_first: the effective sample size before branching.
    """

    date: dt.date
    observed: tuple[str, ...]
    loglik: float
    ess: float
    resampled: bool
    surprises: tuple[str, ...] = ()
    branched: int = 1
    ess_first: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "observed": list(self.observed),
            "loglik": self.loglik,
            "ess": self.ess,
            "resampled": self.resampled,
            "surprises": list(self.surprises),
            "branched": self.branched,
            "ess_first": self.ess if self.ess_first is None else self.ess_first,
        }


@dataclass(frozen=True)
class Conditioned:
    """An ensemble conditioned on the evidence up to its as-of date.

    Attributes:
        evidence: what it was conditioned on.
        origin: the runs' state on the as-of date, equally weighted (what
            :func:`realpolitik.engine.run` goes on from).
        runs, seed, threshold: how it was filtered.
        reports: the (indicator, day) reports used, combined per day.
        price_points: how many price values were used, per series.
        unused: reports not used, with the reason (before the start, no such day).
        days: the filter's diagnostics on each day with observations.
        shares: observation key -> each final run's log-likelihood of it, relative
            to not having it (a report: against no report that day; a series:
            against none of its values), carried along each run's ancestry; the
            weight ``exp(-share)`` takes it out again (what moved an answer).
        parameters: parameter -> (prior mean, posterior mean).
        warnings: what a user should know (an ensemble that collapsed, surprises).
        stepper: ``numpy`` or ``numba``: the step that ran the filter.
        replicates: how many independent filters the runs were split into (see
            :data:`REPLICATE_RUNS`); the answers' errors come from their spread.
        lineages: how many of the start's runs the final runs descend from, and how
            many equally shared ancestors that is worth (Kish's size of their counts).
    """

    evidence: Evidence
    origin: Origin
    runs: int
    seed: int
    threshold: float
    reports: tuple[ObservationDay, ...]
    price_points: dict[str, int]
    unused: tuple[tuple[Observation, str], ...]
    days: tuple[FilterDay, ...]
    shares: dict[str, np.ndarray] = field(repr=False)
    parameters: dict[str, tuple[float, float]]
    warnings: tuple[str, ...]
    stepper: str
    replicates: int = 1
    lineages: tuple[int, float] = (0, 0.0)

    @property
    def as_of(self) -> dt.date:
        return self.evidence.as_of

    @property
    def options(self) -> str:
        """Command-line options that reproduce the conditioning."""
        parts = [f"--as-of {self.as_of.isoformat()}", self.evidence.options]
        if self.threshold != 0.5:
            parts.append(f"--threshold {self.threshold:g}")
        return " ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` (``Results.conditioning``)."""
        return {
            "as_of": self.as_of.isoformat(),
            "observations": [
                {"indicator": o.indicator, "day": o.day, "confidence": o.confidence, "sources": list(o.labels)} for o in self.reports
            ],
            "prices": {s.name: {"points": self.price_points.get(s.name, 0), "source": s.source, "ignored_future": s.future} for s in self.evidence.prices},
            "covered_days": len(self.evidence.covered),
            "ignored_future": self.evidence.future,
            "unused": [{"indicator": o.indicator, "date": o.date.isoformat(), "source": o.label, "why": why} for o, why in self.unused],
            "threshold": self.threshold,
            "resamplings": sum(d.resampled for d in self.days),
            "days": [d.to_dict() for d in self.days],
            "parameters": {k: {"prior_mean": a, "posterior_mean": b} for k, (a, b) in self.parameters.items()},
            "warnings": list(self.warnings),
            "replicates": self.replicates,
            "lineages": {"distinct": self.lineages[0], "effective": self.lineages[1]},
            "options": self.options,
        }


@dataclass
class _Term:
    """One observation about one step's state."""

    key: str  # what it is shown as; shares are kept by ``share``
    share: str | None
    kind: str  # report, silence, price
    condition: Expression | None = None
    if_true: float = 0.0  # log-likelihoods where the condition holds / does not
    if_false: float = 0.0
    seen: tuple[float, float] | None = None  # report: log P(seen | c) - log P(none | c) for c true / false
    variable: str = ""
    value: float = 0.0
    error: str = "lognormal"
    sd: float = 1.0


def _terms(scenario: Scenario, evidence: Evidence, steps: int, runs: int) -> tuple[dict[int, list[_Term]], list[ObservationDay], dict[str, int], list[tuple[Observation, str]]]:
    """Every observation as terms, by the step whose state it is about."""
    clock = scenario.spec.clock
    start, step_days = clock.start, clock.step_days
    model = scenario.model
    indicators = {i.name: i for i in model.indicators}
    unknown = sorted({o.indicator for o in evidence.reports} - set(indicators))
    if unknown:
        known = ", ".join(sorted(indicators))
        raise ScenarioError(Problem(f"an observation names indicator {unknown[0]!r}, which scenario {scenario.name!r} does not have (indicators: {known})", scenario.label))
    series_vars = {v.observed_by[0]: v for v in model.variables if v.observed_by is not None}
    for s in evidence.prices:
        if s.name not in series_vars:
            names = ", ".join(sorted(series_vars)) or "none"
            raise ScenarioError(Problem(f"no variable of scenario {scenario.name!r} is observed by a series {s.name!r} (observed_by series: {names})", s.source or scenario.label))
    as_of_day = (evidence.as_of - start).days
    by_step: dict[int, list[_Term]] = {}

    def at(day: int) -> int | None:
        if day < 0:
            return None
        return min(day // step_days, steps)

    # reports, combined per (indicator, day); none after the as-of date
    unused: list[tuple[Observation, str]] = [(o, "after the as-of date") for o in evidence.reports if (o.date - start).days > as_of_day]
    reports, before = observation_days(scenario, [o for o in evidence.reports if (o.date - start).days <= as_of_day], as_of_day)
    unused += [(o, "before the scenario's start") for o in before]
    reported = {(r.indicator, r.day): r for r in reports}
    own = {(o.date - start).days for o in evidence.reports if o.covers_day}
    covered = {(d - start).days for d in evidence.covered if 0 <= (d - start).days <= as_of_day} | {r.day for r in reports if r.day in own}
    budget = max(2, min(MAX_TRACKED, MAX_TRACKED_BYTES // (8 * runs)))
    share_by_day = len(reports) > budget
    share_all = len({r.day for r in reports}) > budget
    for ind in model.indicators:
        none_t, none_f = report_loglik(ind.p_report, ind.false_rate, None)
        for day in sorted(covered | {r.day for r in reports if r.indicator == ind.name}):
            s = at(day - ind.delay_days)
            if s is None:
                continue
            r = reported.get((ind.name, day))
            date = (start + dt.timedelta(days=day)).isoformat()
            if r is None:
                if evidence.silent is not None and ind.name not in evidence.silent:
                    continue  # no source could have reported it: its absence says nothing
                by_step.setdefault(s, []).append(_Term(f"no {ind.name} on {date}", None, "silence", ind.observes, none_t, none_f))
                continue
            seen_t, seen_f = report_loglik(ind.p_report, ind.false_rate, r.confidence)
            key = f"{ind.name}@{date}"
            share = "reports" if share_all else f"reports@{date}" if share_by_day else key
            term = _Term(key, share, "report", ind.observes, seen_t, seen_f, (seen_t - none_t, seen_f - none_f))
            by_step.setdefault(s, []).append(term)
    # prices
    points: dict[str, int] = {}
    for series in evidence.prices:
        var = series_vars[series.name]
        _, error, sd = var.observed_by  # type: ignore[misc]
        for date, value in zip(series.dates, series.values):
            day = (date - start).days
            if day < 0 or day > as_of_day:
                continue
            s = at(day)
            if s is None or s * step_days != day:
                continue  # a value between steps observes no step's state
            points[series.name] = points.get(series.name, 0) + 1
            key = f"{series.name}={value:g} on {date.isoformat()}"
            by_step.setdefault(s, []).append(_Term(key, f"series:{series.name}", "price", variable=var.name, value=value, error=error, sd=sd))
    return by_step, reports, points, unused


def _disbelief(terms: list[_Term], env: dict[str, object], logw: np.ndarray, group: np.ndarray, count: int, date: dt.date) -> list[tuple[str, dt.date, float, int]]:
    """Each of the day's reports, as the runs read it after the day's news: its
    indicator, the date, the weighted share of the runs in which its condition holds,
    and in how many of the ``count`` replicate filters that share is below
    :data:`DISBELIEF`."""
    n = len(logw)
    w = np.exp(logw - logw.max())
    out = []
    for term in terms:
        if term.kind != "report":
            continue
        _, holds = _evaluate(term, env, n)
        held = w * holds  # type: ignore[operator]
        by_filter = np.bincount(group, weights=held, minlength=count) / np.maximum(np.bincount(group, weights=w, minlength=count), 1e-300)
        out.append((term.key.split("@")[0], date, float(held.sum() / w.sum()), int(np.count_nonzero(by_filter < DISBELIEF))))
    return out


def _disbelief_warnings(readings: list[tuple[str, dt.date, float, int]], count: int) -> list[str]:
    """A warning for each indicator whose latest report the runs read as false (see
    :func:`_disbelief`), by all the runs or by some of the replicate filters. An
    earlier report read as false that later news brought the runs round to is no
    warning: the runs may have taken a day or two to follow the news.

    Example:
        >>> d = [("hormuz", dt.date(2026, 3, 1), 0.04, 1), ("hormuz", dt.date(2026, 3, 2), 0.03, 1), ("strikes", dt.date(2026, 3, 1), 0.2, 1), ("strikes", dt.date(2026, 3, 2), 0.9, 0)]
        >>> print(_disbelief_warnings(d, 1)[0])
        the runs read the latest report of hormuz (2026-03-02) as false, and 1 earlier: its condition holds in 3% of the runs after that day's news, so answers that hang on it contradict what was reported (more --runs, or a scenario that allows it)
        >>> len(_disbelief_warnings(d, 1))
        1
    """
    by: dict[str, list[tuple[dt.date, float, int]]] = {}
    for name, date, share, doubting in readings:
        by.setdefault(name, []).append((date, share, doubting))
    out = []
    for name, rows in by.items():
        date, share, doubting = max(rows)
        earlier = sum(1 for d, s, _ in rows if d < date and s < DISBELIEF)
        also = f", and {earlier} earlier" if earlier else ""
        if share < DISBELIEF:
            out.append(
                f"the runs read the latest report of {name} ({date.isoformat()}) as false{also}: its condition holds in {share:.0%} of the runs after that "
                "day's news, so answers that hang on it contradict what was reported (more --runs, or a scenario that allows it)"
            )
        elif doubting and count > 1:
            out.append(
                f"{doubting} of the {count} independent filters read the latest report of {name} ({date.isoformat()}) as false: they pull the answers "
                "that hang on it away from what was reported (the filters' spread counts it in the errors; more --runs)"
            )
    return out


def _env(state: dict[str, np.ndarray], step: int, day: int, today: int) -> dict[str, object]:
    env: dict[str, object] = dict(state)
    env.update(step=float(step), day=float(day), today=float(today))
    return env


def _evaluate(term: _Term, env: dict[str, object], n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """The term's log-likelihood per run, and (a report or a silence) where its
    condition holds."""
    if term.kind == "price":
        x = np.asarray(env[term.variable], dtype=np.float64)
        if term.error == "lognormal":
            z = (math.log(term.value) - np.log(np.maximum(x, 1e-300))) / term.sd
            ll = -0.5 * z * z - math.log(term.sd * math.sqrt(2 * math.pi)) - math.log(term.value)
        else:
            z = (term.value - x) / term.sd
            ll = -0.5 * z * z - math.log(term.sd * math.sqrt(2 * math.pi))
        return np.broadcast_to(ll, (n,)).astype(np.float64), None
    holds = np.broadcast_to(np.asarray(term.condition.evaluate(env), dtype=bool), (n,))  # type: ignore[union-attr]
    return np.where(holds, term.if_true, term.if_false), holds


def _price_tail(term: _Term, env: dict[str, object], w: np.ndarray) -> float:
    """The predictive probability of a value at least as far out as the observed one
    (two-sided), under the mixture of the runs' error models."""
    from scipy.special import ndtr

    x = np.asarray(env[term.variable], dtype=np.float64)
    if term.error == "lognormal":
        z = (math.log(term.value) - np.log(np.maximum(x, 1e-300))) / term.sd
    else:
        z = (term.value - x) / term.sd
    below = float(np.dot(w, ndtr(z)))
    return 2 * min(below, 1 - below)


@dataclass(frozen=True)
class _Support:
    """How a parameter maps to an unconstrained scale for the Liu–West move."""

    low: float
    high: float

    def forward(self, x: np.ndarray) -> np.ndarray:
        if math.isfinite(self.low) and math.isfinite(self.high):
            u = np.clip((x - self.low) / (self.high - self.low), 1e-12, 1 - 1e-12)
            return np.log(u) - np.log1p(-u)
        if math.isfinite(self.low):
            return np.log(np.maximum(x - self.low, 1e-300))
        return x

    def backward(self, z: np.ndarray) -> np.ndarray:
        if math.isfinite(self.low) and math.isfinite(self.high):
            return self.low + (self.high - self.low) / (1 + np.exp(-z))
        if math.isfinite(self.low):
            return self.low + np.exp(z)
        return z


def _support(prior: Any) -> _Support | None:
    """The support of a prior, or None for one the move leaves alone (fixed, categorical)."""
    d = prior.dist
    if d == "normal":
        return _Support(-math.inf if prior.low is None else prior.low, math.inf if prior.high is None else prior.high)
    if d == "lognormal":
        return _Support(0.0, math.inf)
    if d == "beta":
        return _Support(0.0 if prior.low is None else prior.low, 1.0 if prior.high is None else prior.high)
    if d in ("uniform", "triangular"):
        return _Support(prior.low, prior.high)
    return None


def _move(state: dict[str, np.ndarray], scaled: dict[str, np.ndarray], supports: dict[str, _Support], seed: int, step: int, runs: np.ndarray, members: list[np.ndarray]) -> None:
    """The Liu–West kernel on each parameter, in place: on its unconstrained scale
    (``scaled``, kept beside the state so it is not computed again each time), and
    the parameter back from it; within each replicate filter (``members``: the run
    positions of each), so that the filters stay independent. A filter whose values
    of a parameter do not vary leaves them as they are."""
    from scipy.special import ndtri

    a = (3 * LIU_WEST_DELTA - 1) / (2 * LIU_WEST_DELTA)
    for name, support in supports.items():
        z = scaled[name]
        eps = ndtri(uniforms(seed, stream_key("inference", "move", name), step, runs))
        moved, changed = z.copy(), False
        for idx in members:
            zg = z[idx]
            n = len(zg)
            mean = float(zg.sum()) / n
            var = float(np.dot(zg - mean, zg - mean)) / n
            if not var > 0 or not math.isfinite(var):
                continue
            shifted = a * zg + ((1 - a) * mean)
            shifted += math.sqrt((1 - a * a) * var) * eps[idx]
            moved[idx] = shifted
            changed = True
        if changed:
            scaled[name] = moved
            state[name] = support.backward(moved)


def _stepper(backend: str | Backend | None, job: Any) -> str:
    """The step the filter runs with: the one the backend names (a cluster's filter
    runs in this process, with its workers' step), else as the local ``auto`` backend
    would choose it for this ensemble (:meth:`LocalBackend.step_used`)."""
    from realpolitik.engine._backends import LocalBackend, RayBackend, numba_available

    name = (backend or "auto") if backend is None or isinstance(backend, str) else getattr(backend, "stepper", "auto")
    if name == "numpy" or not numba_available():
        return "numpy"
    if name in ("numba", "ray") or isinstance(backend, RayBackend):  # a cluster's workers: "auto" is numba where installed
        return "numba"
    return LocalBackend("auto").step_used(job)


def condition(
    scenario: Scenario,
    evidence: Evidence,
    *,
    runs: int = 10_000,
    seed: int = 0,
    threshold: float = 0.5,
    backend: str | Backend | None = None,
    progress: Callable[[int, int], None] | None = None,
    split: int | None = None,
) -> Conditioned:
    """Filter the scenario's runs from its start to ``evidence.as_of``, conditioned on
    every observation dated on or before it.

    Args:
        evidence: the reports, covered days and price series (see :class:`Evidence`).
        threshold: resample when the effective sample size falls below this share of runs.
        backend: which step runs the filter (``numpy``, ``numba``, or as the ensemble's
            backend would choose); the filter itself runs in this process.
        progress: called with (steps done, steps) as the filter advances.
        split: how many independent filters the runs are split into (default: as
            :func:`replicates` chooses for the runs); 1 to compare with one filter.

    Raises:
        RealpolitikError: the as-of date is before the scenario's start or after the
            end of its clock.
        ScenarioError: an observation names an indicator, or a price series a
            variable, that the scenario does not have.

    Example:
        >>> from realpolitik.scenario import load
        >>> scenario = load("default")
        >>> c = condition(scenario, Evidence(dt.date(2026, 3, 10)), runs=100, seed=1)
        >>> c.origin.step, len(c.days)
        (10, 0)
    """
    from realpolitik.engine._shard import Job, prepare
    from realpolitik.engine._step import initial_state

    check_threshold(threshold)
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    clock = scenario.spec.clock
    as_of_day = (evidence.as_of - clock.start).days
    end = clock.start + dt.timedelta(days=clock.horizon_days)
    if as_of_day < 0:
        raise RealpolitikError(f"--as-of {evidence.as_of.isoformat()} is before the start of {scenario.name} ({clock.start.isoformat()}): give a date from {clock.start.isoformat()} to {end.isoformat()}")
    if as_of_day > clock.horizon_days:
        raise RealpolitikError(f"--as-of {evidence.as_of.isoformat()} is after the end of the clock of {scenario.name} ({end.isoformat()}): give a date from {clock.start.isoformat()} to {end.isoformat()}")
    steps = as_of_day // clock.step_days
    by_step, reports, points, unused = _terms(scenario, evidence, steps, runs)
    model = scenario.model
    job = Job(scenario, runs, seed, max(steps, 1), clock.step_days, 0)
    stepper = _stepper(backend, job)
    prepared = prepare(job, stepper)
    slots = np.arange(runs, dtype=np.uint64)
    start = clock.start.toordinal()
    with np.errstate(all="ignore"):
        state = initial_state(model, prepared.streams, seed, slots, start)
    supports = {p.name: s for p in model.parameters if (s := _support(p.prior)) is not None}
    scaled = {name: support.forward(state[name]) for name, support in supports.items()}
    prior_means = {p.name: float(state[p.name].mean()) for p in model.parameters}
    logw = np.zeros(runs)
    shares: dict[str, np.ndarray] = {}
    days: list[FilterDay] = []
    warnings: list[str] = list(evidence.notes)
    readings: list[tuple[str, dt.date, float, int]] = []
    resample_key = stream_key("inference", "resample")
    lineage = np.arange(runs, dtype=np.int64)
    count = replicates(runs) if split is None else split
    if not 1 <= count <= runs:
        raise ValueError(f"split the runs into 1 to {runs:,} filters, not {count}")
    group = (np.arange(runs, dtype=np.int64) * count) // runs
    members = [np.flatnonzero(group == g) for g in range(count)]
    sizes = np.array([len(m) for m in members], dtype=np.float64)
    borrowed: set[int] = set()

    def group_ess(w: np.ndarray) -> np.ndarray:
        """Each replicate filter's effective sample size (``w``: one weight per run,
        or per copy of a run on a branched day)."""
        if count == 1:
            return np.array([effective_sample_size(w)])
        g = np.tile(group, len(w) // runs)
        s1, s2 = np.bincount(g, weights=w, minlength=count), np.bincount(g, weights=w * w, minlength=count)
        return np.where(s2 > 0, s1 * s1 / np.where(s2 > 0, s2, 1.0), 0.0)

    def resample(counter: int) -> None:
        """Draw ``runs`` runs from the weighted ensemble (which a branched day makes
        larger), each replicate filter its own from its own, equally weighted after."""
        nonlocal logw, state, scaled, lineage
        w = np.exp(logw - logw.max())
        us = uniforms(seed, resample_key, counter, np.arange(count, dtype=np.uint64))
        if count == 1:
            chosen = systematic_indices(w, float(us[0]), count=runs)
        else:
            wide = np.tile(group, len(w) // runs)
            parts = []
            for g in range(count):
                idx = np.flatnonzero(wide == g)
                if not (w[idx] > 0).any():
                    # no run of this filter can produce what was observed: it goes on
                    # from the others' runs, and is no longer independent of them
                    borrowed.add(g)
                    idx = np.arange(len(w))
                parts.append(idx[systematic_indices(w[idx], float(us[g]), count=len(members[g]))])
            chosen = np.concatenate(parts)
        lineage = lineage[chosen]
        state = {name: values[chosen] for name, values in state.items()}
        for name in scaled:
            scaled[name] = scaled[name][chosen]
        for key in shares:
            shares[key] = shares[key][chosen]
        logw = np.zeros(runs)

    def branch(before_step: dict[str, np.ndarray], logw_before: np.ndarray, terms: list[_Term], step: int, day: int, copies: int) -> float:
        """Run the step again from ``before_step`` with ``copies`` copies of each run
        (copy ``c`` of run slot ``r`` draws the numbers of slot ``r + c * runs``; copy 0
        is the run itself), weigh the copies by the day's observations and resample
        ``runs`` of them (equal weights after). Returns the effective sample size of
        the runs the copies came from (each weighted by its copies' weights): copies
        share their run's history, so they count as one.

        Raises:
            RealpolitikError: no copy can produce what was observed.
        """
        nonlocal logw, state, scaled, lineage
        wide = np.concatenate([slots + np.uint64(c * runs) for c in range(copies)])
        lineage = np.tile(lineage, copies)
        state = {name: np.tile(values, copies) for name, values in before_step.items()}
        step_runs(state, step, day, wide)
        total, parts, _ = weigh(terms, _env(state, step, day, start + day), len(wide))
        logw = np.tile(logw_before, copies) + total
        if not np.isfinite(logw).any():
            raise RealpolitikError(f"on {(clock.start + dt.timedelta(days=day)).isoformat()} no run of {scenario.name} could produce what was observed")
        scaled = {name: np.tile(z, copies) for name, z in scaled.items()}
        for key in [*shares, *(k for k in parts if k not in shares)]:
            carried = np.tile(shares[key], copies) if key in shares else np.zeros(len(wide))
            shares[key] = carried + parts[key] if key in parts else carried
        w = np.exp(logw - logw.max())
        resample(step)
        # copies of one run share its history: counted once, as the run they came from
        return float(group_ess(w.reshape(copies, runs).sum(axis=0)).sum())

    def step_runs(at: dict[str, np.ndarray], step: int, day: int, slot: np.ndarray) -> None:
        prepared.step(at, seed=seed, step=step, day=day, step_days=clock.step_days, today=start + day, runs=slot)

    def weigh(terms: list[_Term], env: dict[str, object], n: int) -> tuple[np.ndarray, dict[str, np.ndarray], list[np.ndarray]]:
        """The terms' summed log-likelihood per run, each share key's part of it, and
        each term's own log-likelihood per run."""
        total = np.zeros(n)
        parts: dict[str, np.ndarray] = {}
        each = []
        for term in terms:
            ll, holds = _evaluate(term, env, n)
            each.append(ll)
            total += ll
            if term.kind == "silence":
                continue
            diff = np.where(holds, term.seen[0], term.seen[1]) if term.kind == "report" else ll  # type: ignore[index]
            key = term.share or term.key
            parts[key] = parts[key] + diff if key in parts else np.asarray(diff, dtype=np.float64)
        return total, parts, each

    with np.errstate(all="ignore"):
        for step in range(0, steps + 1):
            day = step * clock.step_days
            terms = by_step.get(step)
            before_step = {name: values.copy() for name, values in state.items()} if terms and step > 0 else None
            if step > 0:
                step_runs(state, step, day, slots)
                if progress is not None:
                    progress(step, steps)
            if not terms:
                continue
            env = _env(state, step, day, start + day)
            w_before = np.exp(logw - logw.max())
            w_before /= w_before.sum()
            total, parts, each = weigh(terms, env, runs)
            surprises = []
            observed = []
            silences = 0
            for term, ll in zip(terms, each, strict=True):
                if term.kind == "silence":
                    silences += 1
                    continue
                observed.append(term.key)
                if term.kind == "report":
                    p_seen = float(np.dot(w_before, np.exp(ll)))
                    if p_seen < SURPRISE:
                        surprises.append(f"{term.key} (the model gave it {p_seen:.2%})")
                else:
                    tail = _price_tail(term, env, w_before)
                    if tail < SURPRISE:
                        surprises.append(f"{term.key} (outside the model's {1 - SURPRISE:.0%} band; tail {tail:.2%})")
            if silences:
                observed.append(f"{silences} indicator(s) not reported on a covered day")
            top = float(np.max(total)) if np.isfinite(total).any() else 0.0
            loglik = float(math.log(max(np.dot(w_before, np.exp(total - top)), 1e-300)) + top)
            logw_before = logw
            logw = logw + total
            date = clock.start + dt.timedelta(days=day)
            finite = bool(np.isfinite(logw).any())
            each_ess = group_ess(np.exp(logw - logw.max())) if finite else np.zeros(count)
            ess = float(each_ess.sum())
            first, copies = ess, 1
            doubted = finite and before_step is not None and any(d for *_, d in _disbelief(terms, env, logw, group, count, date))
            if before_step is not None and ((each_ess < BRANCH_FLOOR * sizes).any() or doubted):
                copies = min(BRANCH_MAX, max(2, max(math.ceil(BRANCH_TARGET * size / max(e, 1.0)) for e, size in zip(each_ess, sizes, strict=True))))
                copies = max(copies, min(4 * BRANCH_MAX, max(BRANCH_MAX, DOUBT_ROWS // runs))) if doubted else copies
                ess = branch(before_step, logw_before, terms, step, day, copies)
            elif not finite:
                raise RealpolitikError(f"on {date.isoformat()} no run of {scenario.name} could produce what was observed")
            else:
                for key, diff in parts.items():
                    shares[key] = shares[key] + diff if key in shares else np.zeros(runs) + diff
            resampled = copies > 1 or bool((each_ess < threshold * sizes).any())
            if ess < ESS_FLOOR * runs:
                more = f" (after running the day again with {copies} copies of each run)" if copies > 1 else ""
                warnings.append(f"{date.isoformat()}: the effective sample size fell to {ess:,.0f} of {runs:,} runs{more}: the model found what was observed unlikely, and answers rest on few runs (more --runs, or a scenario that allows it)")
            for s in surprises:
                warnings.append(f"{date.isoformat()}: the model did not expect {s}")
            if copies == 1 and resampled:
                resample(step)
            if resampled:
                _move(state, scaled, supports, seed, step, slots, members)
            readings += _disbelief(terms, _env(state, step, day, start + day), logw, group, count, date)
            days.append(FilterDay(date, tuple(observed), loglik, ess, resampled, tuple(surprises), copies, first if copies > 1 else None))
        if logw.max() != logw.min():  # equal weights from the as-of date on
            resample(steps + 1 + 2**40)
    warnings += _disbelief_warnings(readings, count)
    posterior = {p.name: (prior_means[p.name], float(state[p.name].mean())) for p in model.parameters}
    origin = Origin(steps, state, lineage if count == 1 else group)
    descendants = np.bincount(lineage, minlength=runs).astype(np.float64)
    lineages = (int(np.count_nonzero(descendants)), effective_sample_size(descendants))
    if borrowed:
        warnings.append(
            f"{len(borrowed)} of the {count} independent filters could not produce what was observed and went on from the other filters' "
            "runs: the errors of the answers, taken from the filters' spread, are understated (more --runs)"
        )
    if count == 1 and days and lineages[1] < LINEAGE_FLOOR:
        warnings.append(
            f"the {runs:,} runs descend from about {lineages[1]:,.0f} of the start's runs ({lineages[0]:,} distinct): the errors of answers "
            f"that hang on the parameters or on the state at the as-of date are understated; with --runs {REPLICATE_RUNS * 4:,} or more the "
            "runs are split into independent filters whose spread gives the errors"
        )
    return Conditioned(
        evidence, origin, runs, seed, threshold, tuple(reports), points, tuple(unused), tuple(days), shares, posterior, tuple(warnings), stepper,
        count, lineages,
    )  # fmt: skip


def restrict(evidence: Evidence, before: dt.date) -> Evidence:
    """The evidence dated before ``before`` (same as-of date): what an answer "before
    the news since" rests on."""
    prices = tuple(
        type(s)(s.name, tuple(d for d in s.dates if d < before), tuple(v for d, v in zip(s.dates, s.values) if d < before), s.source, s.future)
        for s in evidence.prices
    )
    return Evidence(
        evidence.as_of,
        tuple(o for o in evidence.reports if o.date < before),
        frozenset(d for d in evidence.covered if d < before),
        prices,
        evidence.future,
        evidence.options,
        evidence.silent,
        evidence.notes,
    )


def observation_weights(conditioned: Conditioned, key: str) -> np.ndarray:
    """Weights of the final runs as if observation ``key`` had not been made (a
    report: that day counted as no report; a series: none of its values), by
    importance weighting of the conditioned runs."""
    d = -conditioned.shares[key]
    return np.exp(d - d.max())

