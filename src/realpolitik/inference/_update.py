"""Update the answers with observations and rank what to watch (value of information).

Both rest on the particle filter of ``_filter``: the runs are filtered from the
scenario's start to the as-of date on every observation up to it, then run on from
there. ``update`` gives each answer before and after the observations (on the same
runs, seed and date) and which observations moved it most; ``watch`` ranks the
indicators not yet observed by how much a day of watching them would move the
answers of the filtered ensemble.
"""

from __future__ import annotations

import datetime as dt
import math
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.engine import Z95, Backend, Estimate, RunInfo
from realpolitik.inference._asof import conditioned_run, scenario_log
from realpolitik.inference._evidence import Evidence
from realpolitik.inference._filter import Conditioned, check_threshold, condition, effective_sample_size, observation_weights, restrict, systematic_resample
from realpolitik.inference._likelihood import Observation, ObservationDay, indicator_state_scores
from realpolitik.scenario import Scenario

__all__ = [
    "Mover", "QuestionUpdate", "UpdateResult", "Watch", "WatchResult", "update", "watch", "weighted_estimate",
    "effective_sample_size", "systematic_resample", "check_threshold",
]  # fmt: skip

_Z = 1.959963984540054


def weighted_estimate(values: np.ndarray, weights: np.ndarray, *, probability: bool) -> Estimate:
    """A weighted mean (or probability) with the delta-method standard error
    ``sqrt(sum w^2 (y - m)^2)`` for normalised weights, and a normal 95% interval.

    Example:
        >>> e = weighted_estimate(np.array([0.0, 1.0, 1.0, 0.0]), np.full(4, 0.25), probability=True)
        >>> round(e.value, 3), round(e.se, 3)
        (0.5, 0.25)
    """
    w = weights / weights.sum()
    ok = np.isfinite(values)
    if not ok.all():
        w = np.where(ok, w, 0.0)
        if w.sum() == 0:
            return Estimate(math.nan, math.nan, math.nan, math.nan)
        w = w / w.sum()
        values = np.where(ok, values, 0.0)
    mean = float(np.dot(w, values))
    se = float(math.sqrt(np.dot(w * w, (values - mean) ** 2)))
    low, high = mean - _Z * se, mean + _Z * se
    if probability:
        low, high = max(0.0, low), min(1.0, high)
    return Estimate(mean, se, low, high)








@dataclass(frozen=True)
class Mover:
    """How much one observed day moved an answer: after minus after-without-it."""

    key: str
    indicator: str
    date: dt.date
    labels: tuple[str, ...]
    delta: float


@dataclass(frozen=True)
class QuestionUpdate:
    question: str
    cites: tuple[str, ...]
    text: str
    kind: str
    unit: str | None
    before: Estimate
    after: Estimate
    movers: tuple[Mover, ...]

    @property
    def change(self) -> Estimate:
        """After minus before, with a standard error that adds the two answers'
        variances and a normal 95% interval. Both rest on the same seed, whose shared
        random numbers make their errors agree in part, so this error is an upper
        bound: a change it clears is not Monte Carlo noise.

        Example:
            >>> q = QuestionUpdate("q", (), "", "probability", None, Estimate(0.2, 0.03, 0.14, 0.26), Estimate(0.3, 0.04, 0.22, 0.38), ())
            >>> round(q.change.value, 3), round(q.change.se, 3), q.beyond_noise
            (0.1, 0.05, True)
        """
        delta = self.after.value - self.before.value
        se = math.sqrt(self.before.se**2 + self.after.se**2)
        return Estimate(delta, se, delta - Z95 * se, delta + Z95 * se)

    @property
    def beyond_noise(self) -> bool:
        """Whether the change's 95% interval leaves out 0."""
        change = self.change
        return bool(change.low > 0 or change.high < 0)

    def to_dict(self) -> dict[str, Any]:
        change = self.change
        return {
            "id": self.question,
            "cites": list(self.cites),
            "text": self.text,
            "kind": self.kind,
            "unit": self.unit,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "delta": change.value,
            "delta_se": change.se,
            "delta_low": change.low,
            "delta_high": change.high,
            "beyond_noise": self.beyond_noise,
            "movers": [
                {"observation": m.key, "indicator": m.indicator, "date": m.date.isoformat(), "sources": list(m.labels), "delta": m.delta}
                for m in self.movers
            ],
        }


@dataclass(frozen=True)
class UpdateResult(ResultOutput):
    """The answers before and after the observations, and how the ensemble took them.

    Attributes:
        since: observations before this date make the "before" answers (None: the prior).
        now, covered: the as-of date, and the first and last days the news covered.
        observed: the observed (indicator, day) pairs used; ``unused``: observations
            outside the scenario's days.
        ess: the lowest effective sample size after an observed day, of ``info.runs``;
            ``resampled``: whether it fell below ``threshold * runs`` on some day and
            the ensemble was resampled (and its parameters moved).
        parameters: parameter -> (prior mean, posterior mean) over the (resampled) runs.
        conditioned: the filtered ensemble "after" rests on, with its diagnostics.
    """

    info: RunInfo
    since: dt.date | None
    now: dt.date
    covered: tuple[dt.date, dt.date] | None
    observed: tuple[ObservationDay, ...]
    unused: tuple[Observation, ...]
    ess: float
    threshold: float
    resampled: bool
    questions: tuple[QuestionUpdate, ...]
    parameters: dict[str, tuple[float, float]]
    conditioned: Conditioned | None = field(default=None, repr=False)

    @property
    def command(self) -> str:
        """The command line that reproduces this update (``--as-of``, ``--db``, ``--prices`` included)."""
        since = f" --since {self.since.isoformat()}" if self.since else ""
        return f"realpolitik update --scenario {shlex.quote(self.info.scenario)} {self.info.options()}{since}"

    def to_dict(self) -> dict[str, Any]:
        start = self.info.start
        return {
            "run": self.info.to_dict(),
            "command": self.command,
            "since": self.since.isoformat() if self.since else None,
            "now": self.now.isoformat(),
            "covered": [d.isoformat() for d in self.covered] if self.covered else None,
            "observations": [
                {"indicator": o.indicator, "date": (start + dt.timedelta(days=o.day)).isoformat(), "confidence": o.confidence, "sources": list(o.labels)}
                for o in self.observed
            ],
            "unused": [{"indicator": o.indicator, "date": o.date.isoformat(), "source": o.label} for o in self.unused],
            "ess": self.ess,
            "ess_threshold": self.threshold * self.info.runs,
            "resampled": self.resampled,
            "conditioning": None if self.conditioned is None else {k: v for k, v in self.conditioned.to_dict().items() if k != "options"},
            "questions": [q.to_dict() for q in self.questions],
            "parameters": {k: {"prior_mean": a, "posterior_mean": b} for k, a, b in ((k, *v) for k, v in self.parameters.items())},
        }

    def to_arrow(self):  # type: ignore[no-untyped-def]
        import pyarrow as pa

        rows = [q.to_dict() for q in self.questions]
        table = pa.table(
            {
                "id": [r["id"] for r in rows],
                "before": [r["before"]["value"] for r in rows],
                "before_se": [r["before"]["se"] for r in rows],
                "after": [r["after"]["value"] for r in rows],
                "after_se": [r["after"]["se"] for r in rows],
                "delta": [r["delta"] for r in rows],
                "delta_se": [r["delta_se"] for r in rows],
                "beyond_noise": [r["beyond_noise"] for r in rows],
            }
        )
        return table.replace_schema_metadata({"realpolitik.command": self.command, "realpolitik.sha256": self.info.sha256})


def _evidence(
    scenario: Scenario,
    observations: Sequence[Observation] | Evidence,
    as_of: dt.date | None,
    covered_from: dt.date | None,
) -> Evidence:
    """Observations as evidence as of ``as_of`` (a sequence of reports covers the days
    from ``covered_from``, default its earliest report, to ``as_of``)."""
    if isinstance(observations, Evidence):
        if as_of is not None and as_of != observations.as_of:
            raise ValueError(f"the evidence is as of {observations.as_of}, not {as_of}")
        return observations
    if as_of is None:
        raise ValueError("give the date the answers are as of (as_of)")
    known = {i.name for i in scenario.model.indicators}
    for o in observations:
        if o.indicator not in known:
            raise ValueError(f"observation {o.label or o.indicator!r}: no indicator {o.indicator!r} in {scenario.name} ({', '.join(sorted(known))})")
    used = tuple(o for o in observations if o.date <= as_of)
    first = covered_from or min((o.date for o in used), default=None)
    covered: frozenset[dt.date] = frozenset()
    if first is not None:
        covered = frozenset(first + dt.timedelta(days=k) for k in range(max((as_of - first).days + 1, 0)))
    return Evidence(as_of, used, covered, (), len(observations) - len(used))


def scenario_baseline(scenario: Scenario, evidence: Evidence) -> tuple[Evidence, frozenset[str]]:
    """The part of ``evidence`` that is the scenario's own log (what the scenario
    already knew), and the keys of its observations (``indicator@date``, ``series:NAME``).

    "Before" in :func:`update` rests on it, so that an update shows what the news
    given to it changed, not what the scenario's log says.
    """
    _, series, _ = scenario_log(scenario)
    logged = {(x.name, x.source) for x in series}
    reports = tuple(o for o in evidence.reports if not o.covers_day)
    prices = tuple(x for x in evidence.prices if (x.name, x.source) in logged)
    keys = frozenset({f"{o.indicator}@{o.date.isoformat()}" for o in reports} | {f"series:{x.name}" for x in prices})
    return Evidence(evidence.as_of, reports, frozenset(), prices, evidence.future, evidence.options, evidence.silent, evidence.notes), keys


def update(
    scenario: Scenario,
    observations: Sequence[Observation] | Evidence,
    *,
    now: dt.date | None = None,
    covered_from: dt.date | None = None,
    since: dt.date | None = None,
    runs: int = 10_000,
    seed: int = 0,
    horizon: int | None = None,
    threshold: float = 0.5,
    movers: int = 3,
    progress: Callable[[int, int], None] | None = None,
    backend: str | Backend | None = None,
) -> UpdateResult:
    """The scenario's answers as of ``now``, before and after the observations.

    "After" filters the runs on every observation up to ``now`` (see
    :func:`realpolitik.inference.condition`); "before" on those dated before
    ``since`` (default: only the scenario's own log, see :func:`scenario_baseline`),
    on the same date, seed and runs. The log's observations are not listed among the
    observations or the movers: they are what the scenario knew already. Both run
    on from ``now`` for the horizon. What moved an answer most: each observation
    taken out again by importance weighting of the filtered runs (a report: that
    day counted as no report).

    Args:
        observations: an :class:`Evidence`, or reports of indicators (only asserted or
            reported present-time events: predictions, conditions and history are
            not observations), which cover the days from ``covered_from`` (default:
            the earliest report) to ``now``.
        now: the date the answers are as of (an Evidence's own date by default).
        since: "before" uses only observations dated before this.
        threshold: resample when the effective sample size falls below this share of runs.
        movers: how many observations to list per question, by how much each moved it.

    Raises:
        ValueError: an observation names an indicator the scenario does not have, or
            a bad ``threshold``.
        RealpolitikError: ``now`` is outside the scenario's clock.
    """
    check_threshold(threshold)
    evidence = _evidence(scenario, observations, now, covered_from)
    baseline, logged = scenario_baseline(scenario, evidence)
    before_evidence = restrict(evidence, since) if since is not None else baseline
    options: dict[str, Any] = {"horizon": horizon, "backend": backend}
    after_c = condition(scenario, evidence, runs=runs, seed=seed, threshold=threshold, backend=backend, progress=progress)
    after_r = conditioned_run(scenario, after_c, progress=progress, **options)
    before_c = condition(scenario, before_evidence, runs=runs, seed=seed, threshold=threshold, backend=backend)
    before_r = conditioned_run(scenario, before_c, **options)
    questions = []
    start = scenario.spec.clock.start
    reports = {f"{od.indicator}@{(start + dt.timedelta(days=od.day)).isoformat()}": od for od in after_c.reports}  # the filter's keys
    for a, b in zip(after_r.answers, before_r.answers):
        probability = a.kind != "quantiles"
        y = after_r.outcomes[a.question]
        after, before = a.estimate, b.estimate  # equally weighted runs: the engine's own estimates
        moved = []
        for key in after_c.shares:
            if key in logged:
                continue
            rest = weighted_estimate(y, observation_weights(after_c, key), probability=probability)
            od = reports.get(key)
            if od is not None:
                moved.append(Mover(key, od.indicator, start + dt.timedelta(days=od.day), od.labels, after.value - rest.value))
            else:
                moved.append(Mover(key, key.removeprefix("series:").removeprefix("reports@"), evidence.as_of, (key,), after.value - rest.value))  # a series, or reports grouped
        moved.sort(key=lambda m: -abs(m.delta) if math.isfinite(m.delta) else 0.0)
        questions.append(QuestionUpdate(a.question, a.cites, a.text, a.kind, a.unit, before, after, tuple(moved[:movers])))
    ess = min((d.ess for d in after_c.days), default=float(runs))
    resampled = any(d.resampled for d in after_c.days)
    covered = (min(evidence.covered), max(evidence.covered)) if evidence.covered else None
    return UpdateResult(
        after_r.info, since, evidence.as_of, covered, tuple(od for key, od in reports.items() if key not in logged), tuple(o for o, _ in after_c.unused), ess, threshold, resampled,
        tuple(questions), after_c.parameters, after_c,
    )


@dataclass(frozen=True)
class Watch:
    """One indicator not yet observed, and what a report of it (or its absence) would do.

    Attributes:
        p_report: the chance it is reported on the next day, under the current weights.
        shifts: question -> expected absolute change of the answer from watching it
            for a day: ``P(report) |A(report) - A| + P(none) |A(none) - A|``.
        if_reported: question -> the answer if it is reported.
    """

    indicator: str
    cites: tuple[str, ...]
    signals: str | None
    p_report: float
    shifts: dict[str, float]
    if_reported: dict[str, float]

    @property
    def value(self) -> float:
        """The largest expected shift over the questions (probabilities and values
        are on their own scales, so each question's shift is divided by its answer's
        standard deviation over the runs)."""
        return max(self.shifts.values(), default=0.0)


@dataclass(frozen=True)
class WatchResult(ResultOutput):
    info: RunInfo
    now: dt.date
    watches: tuple[Watch, ...]
    scaled: dict[str, float]  # question -> the spread its shifts are divided by

    @property
    def command(self) -> str:
        """The command line that reproduces this ranking from the same store (``--db``)."""
        return f"realpolitik watch --scenario {shlex.quote(self.info.scenario)} {self.info.options()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.info.to_dict(),
            "command": self.command,
            "now": self.now.isoformat(),
            "indicators": [
                {
                    "indicator": w.indicator,
                    "cites": list(w.cites),
                    "signals": w.signals,
                    "p_report": w.p_report,
                    "value": w.value,
                    "shifts": w.shifts,
                    "if_reported": w.if_reported,
                }
                for w in self.watches
            ],
        }

    def to_arrow(self):  # type: ignore[no-untyped-def]
        import pyarrow as pa

        rows = [(w.indicator, q, s) for w in self.watches for q, s in w.shifts.items()]
        table = pa.table({"indicator": [r[0] for r in rows], "question": [r[1] for r in rows], "shift": [r[2] for r in rows]})
        return table.replace_schema_metadata({"realpolitik.command": self.command, "realpolitik.sha256": self.info.sha256})


def watch(
    scenario: Scenario,
    observations: Sequence[Observation] | Evidence,
    *,
    now: dt.date | None = None,
    covered_from: dt.date | None = None,
    runs: int = 10_000,
    seed: int = 0,
    horizon: int | None = None,
    threshold: float = 0.5,
    progress: Callable[[int, int], None] | None = None,
    backend: str | Backend | None = None,
) -> WatchResult:
    """Rank the indicators not yet observed by how much watching them for a day from
    ``now`` would move each answer (expected absolute change; value of information),
    on the ensemble filtered on the observations up to ``now``.

    Raises:
        RealpolitikError: ``now`` is outside the scenario's clock.
    """
    check_threshold(threshold)
    evidence = _evidence(scenario, observations, now, covered_from)
    conditioned = condition(scenario, evidence, runs=runs, seed=seed, threshold=threshold, backend=backend, progress=progress)
    step_days = scenario.spec.clock.step_days
    horizon_days = scenario.spec.clock.horizon_days if horizon is None else horizon
    steps = horizon_days // step_days
    state = indicator_state_scores(scenario, min(1, steps * step_days), step_days=step_days, steps=steps)
    results = conditioned_run(scenario, conditioned, horizon=horizon, progress=progress, scores=state, backend=backend)
    by_name = {i.name: i for i in scenario.model.indicators}
    w = np.full(runs, 1.0 / runs)
    seen = {d.indicator for d in conditioned.reports}
    spreads = {}
    for a in results.answers:
        y = results.outcomes[a.question]
        spreads[a.question] = float(math.sqrt(max(np.dot(w, (y - np.dot(w, y)) ** 2), 1e-300)))
    watches = []
    for ind in scenario.model.indicators:
        if ind.name in seen:
            continue
        holds = results.scores[f"state/{ind.name}"] > 0.5
        p, f = by_name[ind.name].p_report, by_name[ind.name].false_rate
        chance = np.where(holds, p, f)
        p_rep = float(np.dot(w, chance))
        shifts, if_reported = {}, {}
        for a in results.answers:
            y = results.outcomes[a.question]
            current = float(np.dot(w, y))
            yes = float(np.dot(w * chance, y) / max(np.dot(w, chance), 1e-300))
            no = float(np.dot(w * (1 - chance), y) / max(np.dot(w, 1 - chance), 1e-300))
            shifts[a.question] = (p_rep * abs(yes - current) + (1 - p_rep) * abs(no - current)) / spreads[a.question]
            if_reported[a.question] = yes
        watches.append(Watch(ind.name, ind.cites, getattr(ind, "signals", None), p_rep, shifts, if_reported))
    watches.sort(key=lambda x: -x.value)
    return WatchResult(results.info, evidence.as_of, tuple(watches), spreads)
