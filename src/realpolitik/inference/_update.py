"""Update the answers with observations (likelihood weighting, resampling) and rank
what to watch (value of information).

One ensemble is run with every indicator's log-likelihood scores accumulated per
run; the weights are ``exp(log-likelihood)``, normalised. Answers after the news are
weighted estimates; their standard errors come from the weights (they grow as the
effective sample size falls). When the effective sample size falls below
``threshold`` times the runs, the ensemble is resampled (systematic resampling,
seeded) and the resampled runs are the posterior ensemble (its parameters are
reported); the resampled paths are not re-simulated.
"""

from __future__ import annotations

import datetime as dt
import shlex
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.engine import Backend, Estimate, RunInfo, Score, run, stream_key, uniforms
from realpolitik.inference._likelihood import (
    Observation,
    ObservationDay,
    baseline_scores,
    indicator_scores,
    observation_scores,
    indicator_state_scores,
    observation_days,
)
from realpolitik.scenario import Scenario

__all__ = ["Mover", "QuestionUpdate", "UpdateResult", "Watch", "WatchResult", "update", "watch", "weighted_estimate", "effective_sample_size", "systematic_resample"]

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


def effective_sample_size(weights: np.ndarray) -> float:
    """``(sum w)^2 / sum w^2``: how many equally weighted runs the weights are worth."""
    return float(weights.sum() ** 2 / np.dot(weights, weights))


def _weights(loglik: np.ndarray) -> np.ndarray:
    return np.exp(loglik - loglik.max())


def systematic_resample(weights: np.ndarray, seed: int) -> np.ndarray:
    """Run indices drawn in proportion to ``weights`` by systematic resampling (one
    uniform from the seed's own stream)."""
    n = len(weights)
    u = float(uniforms(seed, stream_key("inference", "resample"), 0, np.zeros(1, dtype=np.uint64))[0])
    positions = (u + np.arange(n)) / n
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, positions, side="right").clip(0, n - 1)


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.question,
            "cites": list(self.cites),
            "text": self.text,
            "kind": self.kind,
            "unit": self.unit,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "delta": self.after.value - self.before.value,
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
        now, covered: the day the news runs to, and the first and last dates it covers.
        observed: the observed (indicator, day) pairs used; ``unused``: observations
            outside the scenario's days.
        ess: effective sample size after the news, of ``info.runs``; ``resampled``:
            whether it fell below ``threshold * runs`` and the ensemble was resampled.
        parameters: parameter -> (prior mean, posterior mean) over the (resampled) runs.
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

    @property
    def command(self) -> str:
        """The command line that reproduces this update from the same store (``--db``)."""
        since = f" --since {self.since.isoformat()}" if self.since else ""
        return (
            f"realpolitik update --scenario {shlex.quote(self.info.scenario)} {self.info.options()} "
            f"--threshold {self.threshold} --now {self.now.isoformat()}{since}"
        )

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
            }
        )
        return table.replace_schema_metadata({"realpolitik.command": self.command, "realpolitik.sha256": self.info.sha256})


def _clock(scenario: Scenario, horizon: int | None) -> tuple[int, int]:
    clock = scenario.spec.clock
    horizon_days = clock.horizon_days if horizon is None else horizon
    return clock.step_days, horizon_days // clock.step_days


def _day(scenario: Scenario, date: dt.date) -> int:
    return (date - scenario.spec.clock.start).days


def check_threshold(threshold: float) -> float:
    """``threshold`` if it is a resampling threshold :func:`update` takes: a share of
    the runs above 0 (0 would never resample) and at most 1.

    Raises:
        ValueError: it is not.

    Example:
        >>> check_threshold(0.5)
        0.5
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"give a share of the runs above 0 and at most 1 (e.g. 0.5), not {threshold:g}")
    return threshold


def update(
    scenario: Scenario,
    observations: Sequence[Observation],
    *,
    now: dt.date,
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
    """The scenario's answers before and after the observations.

    Args:
        observations: reports of indicators (only asserted or reported present-time
            events should be passed: predictions, conditions and history are not
            observations).
        now: the last day the news covers.
        covered_from: the first day the news covers (default: the earliest
            observation); days without a report in between count as such.
        since: "before" uses only observations dated before this (default: none,
            the prior answers).
        threshold: resample when the effective sample size falls below this share of runs.
        movers: how many observations to list per question, by how much each moved it.

    Raises:
        ValueError: an observation names an indicator the scenario does not have, or
            a bad ``threshold``.
    """
    check_threshold(threshold)
    known = {i.name for i in scenario.model.indicators}
    for o in observations:
        if o.indicator not in known:
            raise ValueError(f"observation {o.label or o.indicator!r}: no indicator {o.indicator!r} in {scenario.name} ({', '.join(sorted(known))})")
    step_days, steps = _clock(scenario, horizon)
    horizon_day = steps * step_days
    now_day = min(_day(scenario, now), horizon_day)
    days, unused = observation_days(scenario, [o for o in observations if o.date <= now], horizon_day)
    first = _day(scenario, covered_from) if covered_from else (min(d.day for d in days) if days else None)
    windows = {"after": (first, now_day)}
    if since is not None:
        windows["before"] = (first, min(_day(scenario, since) - 1, horizon_day))
    scores: list[Score] = []
    baselines: dict[str, list[Score]] = {}
    for label, (lo, hi) in windows.items():
        baselines[label] = []
        if lo is not None and hi >= max(lo, 0):
            base = baseline_scores(scenario, covered=(lo, hi), step_days=step_days, steps=steps)
            baselines[label] = [Score(f"{label}/{s.name}", s.condition, s.if_true, s.if_false) for s in base]
            scores += baselines[label]
    observed: dict[str, Score] = {}
    if days and first is not None:
        observed = observation_scores(scenario, days, covered=(first, now_day), step_days=step_days, steps=steps)
    scores += list(observed.values())
    results = run(scenario, runs=runs, seed=seed, horizon=horizon, progress=progress, scores=scores, backend=backend)
    obs_ll = {key: results.scores[s.name] for key, s in observed.items()}

    def loglik(label: str, use: Callable[[ObservationDay], bool]) -> np.ndarray:
        total = np.zeros(runs)
        for s in baselines.get(label, []):
            total += results.scores[s.name]
        for od in days:
            if use(od):
                total += obs_ll[od.key]
        return total

    after_ll = loglik("after", lambda od: True)
    if since is None:
        before_ll = np.zeros(runs)
    else:
        since_day = _day(scenario, since)
        before_ll = loglik("before", lambda od: od.day < since_day)
    w_after, w_before = _weights(after_ll), _weights(before_ll)
    ess = effective_sample_size(w_after)
    resampled = ess < threshold * runs
    chosen = systematic_resample(w_after, seed) if resampled else None

    questions = []
    start = scenario.spec.clock.start
    without = {od.key: _weights(after_ll - obs_ll[od.key]) for od in days}  # leave one observed day out
    for a in results.answers:
        y = results.outcomes[a.question]
        probability = a.kind != "quantiles"
        before = weighted_estimate(y, w_before, probability=probability)
        after = weighted_estimate(y, w_after, probability=probability)
        moved = []
        for od in days:
            rest = weighted_estimate(y, without[od.key], probability=probability)
            moved.append(Mover(od.key, od.indicator, start + dt.timedelta(days=od.day), od.labels, after.value - rest.value))
        moved.sort(key=lambda m: -abs(m.delta))
        questions.append(QuestionUpdate(a.question, a.cites, a.text, a.kind, a.unit, before, after, tuple(moved[:movers])))
    parameters = {}
    for name, values in results.parameters.items():
        posterior = float(values[chosen].mean()) if chosen is not None else float(np.dot(w_after, values) / w_after.sum())
        parameters[name] = (float(values.mean()), posterior)
    covered = None if first is None else (start + dt.timedelta(days=first), start + dt.timedelta(days=now_day))
    return UpdateResult(
        results.info, since, now, covered, tuple(days), tuple(unused), ess, threshold, resampled, tuple(questions), parameters
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
        return f"realpolitik watch --scenario {shlex.quote(self.info.scenario)} {self.info.options()} --now {self.now.isoformat()}"

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
    observations: Sequence[Observation],
    *,
    now: dt.date,
    covered_from: dt.date | None = None,
    runs: int = 10_000,
    seed: int = 0,
    horizon: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    backend: str | Backend | None = None,
) -> WatchResult:
    """Rank the indicators not yet observed by how much watching them for a day
    would move each answer (expected absolute change; value of information)."""
    step_days, steps = _clock(scenario, horizon)
    horizon_day = steps * step_days
    now_day = min(max(_day(scenario, now), 0), horizon_day)
    days, _ = observation_days(scenario, [o for o in observations if o.date <= now], horizon_day)
    first = _day(scenario, covered_from) if covered_from else (min(d.day for d in days) if days else None)
    scores: list[Score] = []
    if first is not None:
        base, observed = indicator_scores(scenario, days, covered=(first, now_day), step_days=step_days, steps=steps)
        scores = base + list(observed.values())
    by_name = {i.name: i for i in scenario.model.indicators}
    state = indicator_state_scores(scenario, min(now_day + 1, horizon_day), step_days=step_days, steps=steps)
    results = run(scenario, runs=runs, seed=seed, horizon=horizon, progress=progress, scores=scores + state, backend=backend)
    loglik = np.zeros(runs)
    for s in scores:
        loglik += results.scores[s.name]
    w = _weights(loglik)
    w /= w.sum()
    seen = {d.indicator for d in days}
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
    return WatchResult(results.info, now, tuple(watches), spreads)
