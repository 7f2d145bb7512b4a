"""Questions: streaming accumulators (O(runs) memory each) and their estimators.

Each accumulator sees the state at every step up to the last day it needs and keeps
one array of length ``runs`` (whether the condition has held, when it first held, or
the value on the day). Estimators turn those arrays into answers with Monte Carlo
standard errors and 95% intervals.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from realpolitik.scenario import QuestionModel

__all__ = [
    "Estimate",
    "Answer",
    "OverTime",
    "QuestionTracker",
    "proportion",
    "proportions",
    "mean_estimate",
    "sorted_quantiles",
    "quantile_positions",
    "interpolate_quantiles",
    "quantile_interval",
    "pick_question",
    "Z95",
]

_T = TypeVar("_T")

#: The standard normal's 0.975 quantile, ``scipy.stats.norm.ppf(0.975)`` (a test checks
#: it; written out, because importing SciPy's stats for it costs most of a second).
_Z = 1.959963984540054
#: The same, public: a normal 95% interval is value ± Z95 × se.
Z95 = _Z


@dataclass(frozen=True)
class Estimate:
    """A number with its Monte Carlo standard error and a 95% interval."""

    value: float
    se: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"value": self.value, "se": self.se, "low": self.low, "high": self.high}


def proportion(hits: int, n: int, effective: float | None = None) -> Estimate:
    """A probability from ``hits`` of ``n`` runs: standard error and Wilson interval
    (on ``effective`` runs where the runs are worth fewer, see :func:`proportions`).

    Example:
        >>> round(proportion(50, 100).se, 3)
        0.05
        >>> round(proportion(50, 100, effective=25).se, 3)
        0.1
    """
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan)
    p, se, low, high = proportions(np.array([hits]), n, effective)
    return Estimate(float(p[0]), float(se[0]), float(low[0]), float(high[0]))


def proportions(hits: np.ndarray, n: int, effective: float | np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`proportion` for an array of hit counts out of ``n`` runs each: the
    probabilities, their standard errors and Wilson intervals' ends, as arrays.

    ``effective``: how many independent runs the ``n`` are worth (runs conditioned on
    observations share ancestors: Kish's effective sample size), one number or one per
    count, which the error and the interval are computed on; the probability is
    still ``hits / n``.

    Example:
        >>> [round(float(x), 3) for x in proportions(np.array([0, 50]), 100)[1]]
        [0.0, 0.05]
    """
    p = np.asarray(hits, dtype=np.float64) / n
    m = float(n) if effective is None else np.clip(np.asarray(effective, dtype=np.float64), 1.0, float(n))
    se = np.sqrt(p * (1 - p) / m)
    centre = (p + _Z**2 / (2 * m)) / (1 + _Z**2 / m)
    half = _Z * np.sqrt(p * (1 - p) / m + _Z**2 / (4 * m * m)) / (1 + _Z**2 / m)
    # the interval holds p (rounding put the lower end at 4e-19 when p is 0)
    return p, se, np.clip(centre - half, 0.0, p), np.clip(centre + half, p, 1.0)


def mean_estimate(values: np.ndarray, effective: float | None = None) -> Estimate:
    """A mean with its standard error and a normal 95% interval (the error on
    ``effective`` runs where the runs are worth fewer, see :func:`proportions`).

    Example:
        >>> e, f = mean_estimate(np.arange(10.0)), mean_estimate(np.arange(10.0), effective=2.5)
        >>> round(f.se / e.se, 6)
        2.0
    """
    n = len(values)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan)
    mean = float(values.mean())
    se = float(values.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    if effective is not None and 0 < effective < n:
        se *= math.sqrt(n / max(effective, 1.0))
    return Estimate(mean, se, mean - _Z * se, mean + _Z * se)


def lineage_effective(values: np.ndarray, lineage: np.ndarray) -> float | None:
    """How many independent runs the mean of ``values`` is worth when runs of one
    lineage (``lineage``: each run's ancestor at the start, see
    :class:`realpolitik.engine.Origin`) are correlated: the runs times the ratio of the
    independent-runs variance of the mean to its variance over lineages (the
    between-lineage estimator of Chan and Lai 2013 and Lee and Whiteley 2018, with the
    usual ``C / (C - 1)`` for ``C`` lineages). None when the values do not vary.

    Example:
        >>> x = np.array([0.0, 1.0] * 50)
        >>> round(lineage_effective(x, np.arange(100)), 6)  # each run its own lineage
        99.0
        >>> lineage_effective(x, np.repeat(np.arange(50), 2))  # pairs that cancel: worth more, capped
        100.0
        >>> round(lineage_effective(np.repeat([0.0, 1.0], 50), np.repeat(np.arange(10), 10)), 1)  # ten copies of each
        9.0
    """
    n = len(values)
    if n < 2:
        return None
    dev = values - values.mean()
    within = float(np.dot(dev, dev)) / n
    if not within > 0:
        return None
    sums = np.bincount(lineage, weights=dev)
    lineages = int(np.count_nonzero(np.bincount(lineage)))
    if lineages < 2:
        return 1.0
    between = float(np.dot(sums, sums)) / (n * n) * lineages / (lineages - 1)
    if not between > 0:
        return float(n)
    return float(min(n, within / between))


def quantile_positions(n: int, qs: tuple[float, ...] | list[float]) -> list[tuple[int, int, float]]:
    """Where each quantile of ``n`` sorted values lies: the ranks of the two order
    statistics it interpolates between, and the weight of the second (NumPy's default
    "linear" method).

    Example:
        >>> quantile_positions(4, [0.5, 1.0])
        [(1, 2, 0.5), (3, 3, 0.0)]
    """
    out = []
    for q in qs:
        position = q * (n - 1)
        lo = int(math.floor(position))
        out.append((lo, min(lo + 1, n - 1), position - lo))
    return out


def interpolate_quantiles(order: Callable[[int], np.ndarray], n: int, qs: tuple[float, ...] | list[float]) -> np.ndarray:
    """Quantiles from ``order(rank)``, the order statistics at a rank (of ``n``
    values); shape ``(len(qs), ...)``."""
    out = []
    for lo, hi, t in quantile_positions(n, qs):
        a, b = order(lo), order(hi)
        out.append(a + (b - a) * t)
    return np.array(out)


def sorted_quantiles(ordered: np.ndarray, qs: tuple[float, ...] | list[float]) -> np.ndarray:
    """Quantiles of data sorted along its last axis, by linear interpolation between
    order statistics (NumPy's default "linear" method); shape ``(len(qs), ...)``.

    Sorting once and interpolating is faster than ``np.quantile``'s partition for the
    handful of quantiles asked for.

    Example:
        >>> sorted_quantiles(np.array([1.0, 2.0, 3.0, 4.0]), [0.5, 1.0]).tolist()
        [2.5, 4.0]
    """
    return interpolate_quantiles(lambda rank: ordered[..., rank], ordered.shape[-1], qs)


def quantile_interval(sorted_values: np.ndarray, q: float, effective: float | None = None) -> Estimate:
    """A quantile with a distribution-free 95% interval from order statistics.

    The interval's ends are the order statistics at ``n q -/+ z sqrt(n q (1-q))``; the
    standard error is the interval's half-width divided by z. With ``effective`` runs
    worth fewer than ``n`` (see :func:`proportions`), the ends are at
    ``n (q -/+ z sqrt(q (1-q) / effective))``.

    Example:
        >>> x = np.arange(1000.0)
        >>> quantile_interval(x, 0.5).low < 500 < quantile_interval(x, 0.5).high
        True
        >>> quantile_interval(x, 0.5, effective=100).low < quantile_interval(x, 0.5).low
        True
    """
    n = len(sorted_values)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan)
    value = float(sorted_quantiles(sorted_values, [q])[0])
    m = float(n) if effective is None else float(min(max(effective, 1.0), n))
    half = _Z * math.sqrt(q * (1 - q) / m) * n
    lo = int(max(0, math.floor(n * q - half)))
    hi = int(min(n - 1, math.ceil(n * q + half)))
    low, high = float(sorted_values[lo]), float(sorted_values[hi])
    return Estimate(value, (high - low) / (2 * _Z), low, high)


def pick_question(items: Sequence[_T], question: str, name: Callable[[_T], str] = lambda item: item.question) -> _T:  # type: ignore[attr-defined]
    """The item (an answer, a what-if's delta, ...) of a question, by the question's
    name or by an inventory ID that exactly one of them cites.

    Raises:
        KeyError: no such question, or an ID that several questions cite (the message
            names them).

    Example:
        >>> from types import SimpleNamespace as Q
        >>> items = [Q(question="brent", cites=("Q4",)), Q(question="windfall", cites=("Q4", "V3"))]
        >>> pick_question(items, "V3").question
        'windfall'
        >>> pick_question(items, "Q4")
        Traceback (most recent call last):
        KeyError: "'Q4' is cited by several questions (brent, windfall): ask for one by name"
    """
    for item in items:
        if name(item) == question:
            return item
    matches = [item for item in items if question in item.cites]  # type: ignore[attr-defined]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise KeyError(f"{question!r} is cited by several questions ({', '.join(name(m) for m in matches)}): ask for one by name")
    raise KeyError(f"no question {question!r} (questions: {', '.join(name(item) for item in items)})")


@dataclass(frozen=True)
class Checkpoint:
    """The answer at one further date."""

    day: int
    date: dt.date
    estimate: Estimate
    quantiles: dict[float, Estimate] = field(default_factory=dict)


@dataclass(frozen=True)
class OverTime:
    """A probability question's answer on every recorded day up to its date: the
    share of runs in which the condition has held by the day (``by`` questions and
    first passages) or holds on it (``at`` questions), with Wilson 95% intervals.

    Attributes:
        days, dates: the recorded steps' days (0 is the start) and dates.
        value, se, low, high: one value per day.
    """

    days: tuple[int, ...]
    dates: tuple[dt.date, ...]
    value: np.ndarray = field(repr=False)
    se: np.ndarray = field(repr=False)
    low: np.ndarray = field(repr=False)
    high: np.ndarray = field(repr=False)

    def at(self, day: int) -> Estimate:
        """The estimate on a recorded day."""
        i = self.days.index(day)
        return Estimate(float(self.value[i]), float(self.se[i]), float(self.low[i]), float(self.high[i]))

    def to_dict(self) -> dict[str, list[Any]]:
        return {
            "days": list(self.days),
            "dates": [d.isoformat() for d in self.dates],
            "value": self.value.tolist(),
            "low": self.low.tolist(),
            "high": self.high.tolist(),
        }


@dataclass(frozen=True)
class Answer:
    """The answer to one question.

    Attributes:
        question: the question's name.
        kind: ``probability``, ``quantiles`` or ``first_passage``.
        text: the question in words.
        cites: the inventory IDs the question cites (e.g. ``Q2``).
        day, date: the day and date the answer refers to (``by`` or ``at``).
        mode: ``by`` (at any step up to the date) or ``at`` (on the date).
        estimate: the probability (probability, first_passage: of happening by the
            date) or the mean (quantiles), with its error and interval.
        quantiles: quantiles of the value (quantiles) or of the day it first
            happens, among runs where it does (first_passage).
        checkpoints: the same at further dates.
        runs: how many runs the answer rests on.
        status: ``ok``, or ``beyond_horizon`` when the date is after the run's horizon.
        effective_runs: for runs conditioned on observations, how many independent
            runs they are worth (the filter's smallest effective sample size), which
            the errors and intervals are computed on; None: the runs themselves.
        over_time: a probability question's estimate on every recorded day up to its
            last date (None for quantity questions and beyond the horizon).
    """

    question: str
    kind: str
    text: str
    cites: tuple[str, ...]
    day: int
    date: dt.date
    mode: str
    estimate: Estimate
    quantiles: dict[float, Estimate]
    checkpoints: tuple[Checkpoint, ...]
    runs: int
    unit: str | None = None
    status: str = "ok"
    over_time: OverTime | None = field(default=None, repr=False)
    effective_runs: float | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """The question's name and the inventory IDs it cites."""
        return (self.question, *self.cites)

    def to_dict(self) -> dict[str, object]:
        """Plain data for ``--json``."""

        def qs(d: dict[float, Estimate]) -> dict[str, dict[str, float]]:
            return {f"q{round(q * 100):02d}": e.to_dict() for q, e in d.items()}

        return {
            "id": self.question,
            "cites": list(self.cites),
            "kind": self.kind,
            "text": self.text,
            "status": self.status,
            "mode": self.mode,
            "day": self.day,
            "date": self.date.isoformat(),
            "unit": self.unit,
            "runs": self.runs,
            "effective_runs": self.effective_runs,
            "estimate": self.estimate.to_dict(),
            "quantiles": qs(self.quantiles),
            "checkpoints": [
                {"day": c.day, "date": c.date.isoformat(), "estimate": c.estimate.to_dict(), "quantiles": qs(c.quantiles)}
                for c in self.checkpoints
            ],
            "over_time": None if self.over_time is None else self.over_time.to_dict(),
        }


class QuestionTracker:
    """Streams one question's state over the steps; O(runs) memory per date asked about."""

    def __init__(self, question: QuestionModel, runs: int, horizon_day: int) -> None:
        self.q = question
        self.n = runs
        self.horizon_day = horizon_day
        self.day = horizon_day if question.day is None else question.day
        self.beyond = self.day > horizon_day
        self.checkpoints = tuple(c for c in question.checkpoints if c <= horizon_day)
        self.last_day = min(max((self.day, *self.checkpoints)), horizon_day)
        # quantiles and probability-at keep the value on each asked-about day;
        # probability-by and first_passage keep the first day the condition held.
        self.values: dict[int, np.ndarray] = {}
        self.first = np.full(runs, np.inf)
        # an ``at`` probability question: on each step, how many runs hold it (the
        # answer over time; ``by`` ones read it off ``first``)
        self.held: dict[int, int] = {}

    @classmethod
    def concatenate(cls, parts: Sequence[QuestionTracker]) -> QuestionTracker:
        """One tracker for the runs of ``parts`` (shards of one ensemble, in run order)."""
        first = parts[0]
        out = cls(first.q, sum(p.n for p in parts), first.horizon_day)
        out.first = np.concatenate([p.first for p in parts])
        out.values = {d: np.concatenate([p.values[d] for p in parts]) for d in first.values}
        out.held = {d: sum(p.held[d] for p in parts) for d in first.held}
        return out

    @property
    def _on_the_day(self) -> bool:
        return self.q.kind == "quantiles" or self.q.mode == "at"

    def observe(self, day: int, next_day: int | None, env: dict[str, object], slice_: slice) -> None:
        """See the state of runs ``slice_`` on ``day``; ``next_day`` is the day of the next step."""
        if day > self.last_day:
            return
        q = self.q
        size = slice_.stop - slice_.start
        if self._on_the_day:
            wanted = self._wanted(day, next_day)
            counted = q.kind != "quantiles"
            if not wanted and not counted:
                return
            dtype = np.float64 if q.kind == "quantiles" else bool
            value = np.broadcast_to(np.asarray(q.expression.evaluate(env), dtype=dtype), (size,))
            if counted:
                self.held[day] = self.held.get(day, 0) + int(np.count_nonzero(value))
            for d in wanted:
                self.values.setdefault(d, np.empty(self.n, dtype=dtype))[slice_] = value
            return
        held = np.broadcast_to(np.asarray(q.expression.evaluate(env), dtype=bool), (size,))
        first = self.first[slice_]
        first[held & np.isinf(first)] = day

    def _wanted(self, day: int, next_day: int | None) -> list[int]:
        """The asked-about days that this step's state stands for (the last step on or before each)."""
        out = []
        for d in (self.day, *self.checkpoints):
            if day <= d and (next_day is None or next_day > d) and d not in out:
                out.append(d)
        return out

    def outcome(self, day: int | None = None) -> np.ndarray:
        """Each run's outcome on ``day`` (default: the question's day): 1.0 or 0.0 for
        whether the condition held (by or on the day), or the value on the day."""
        d = self.day if day is None else day
        if self.beyond:
            return np.full(self.n, np.nan)
        if self._on_the_day:
            return self.values[d].astype(np.float64)
        return (self.first <= d).astype(np.float64)

    def over_time(self, start: dt.date, days: Sequence[int], effective: float | None = None, lineage: np.ndarray | None = None) -> OverTime | None:
        """A probability question's estimate on each of ``days`` (the recorded steps)
        up to its last date; None for quantity questions and beyond the horizon.
        ``effective`` and ``lineage`` as for :meth:`answer` (each day's errors on the
        fewer of the two)."""
        if self.beyond or self.q.kind == "quantiles":
            return None
        shown = tuple(d for d in days if d <= self.last_day)
        if self._on_the_day:
            hits = np.array([self.held.get(d, 0) for d in shown], dtype=np.int64)
        else:
            hits = np.searchsorted(np.sort(self.first), np.array(shown, dtype=np.float64), side="right")
        worth: float | np.ndarray | None = effective
        if lineage is not None and not self._on_the_day:  # (a day's own outcomes are kept on its checkpoints only)
            each = (effective_over_lineages(effective, self.n, self.outcome(d), lineage) for d in shown)
            worth = np.array([self.n if e is None else e for e in each], dtype=np.float64)
        p, se, low, high = proportions(hits, self.n, worth)
        return OverTime(shown, tuple(start + dt.timedelta(days=d) for d in shown), p, se, low, high)

    def answer(self, start: dt.date, days: Sequence[int] = (), effective: float | None = None, lineage: np.ndarray | None = None) -> Answer:
        """Estimates from the accumulated arrays (and, given the recorded steps'
        ``days``, a probability question's answer over time); ``effective``: how many
        independent runs they are worth, when fewer than the runs (conditioned runs);
        ``lineage``: each run's ancestor at the start (conditioned runs), so that each
        estimate's error counts correlated runs once (:func:`lineage_effective`) where
        that leaves fewer. ``Answer.effective_runs`` is then the main estimate's."""
        q = self.q
        eff = effective if effective is not None and effective < self.n else None
        date = start + dt.timedelta(days=self.day)
        if self.beyond:
            nan = Estimate(math.nan, math.nan, math.nan, math.nan)
            return Answer(q.name, q.kind, q.text, q.cites, self.day, date, q.mode, nan, {}, (), self.n, q.unit, "beyond_horizon")

        def worth(values: np.ndarray) -> float | None:
            return eff if lineage is None else effective_over_lineages(eff, self.n, values, lineage)

        def one(d: int) -> tuple[Estimate, dict[float, Estimate], float | None]:
            values = self.outcome(d)
            if q.kind == "quantiles":
                ordered = np.sort(values)
                main = worth(values)
                quantiles = {}
                for p in q.quantiles:
                    point = quantile_interval(ordered, p).value
                    quantiles[p] = quantile_interval(ordered, p, worth((values <= point).astype(np.float64)))
                return mean_estimate(values, main), quantiles, main
            main = worth(values)
            estimate = proportion(int(np.count_nonzero(values)), self.n, main)
            if q.kind == "first_passage":
                times = np.sort(self.first[self.first <= d])
                # the passing runs are worth the same share of the effective runs
                share = None if main is None else main * len(times) / self.n
                return estimate, {p: quantile_interval(times, p, share) for p in q.quantiles}, main
            return estimate, {}, main

        estimate, quantiles, main = one(self.day)
        checkpoints = tuple(Checkpoint(d, start + dt.timedelta(days=d), *one(d)[:2]) for d in self.checkpoints)
        over_time = self.over_time(start, days, eff, lineage) if days else None
        return Answer(
            q.name, q.kind, q.text, q.cites, self.day, date, q.mode, estimate, quantiles, checkpoints, self.n, q.unit,
            over_time=over_time, effective_runs=main,
        )  # fmt: skip


def effective_over_lineages(effective: float | None, n: int, values: np.ndarray, lineage: np.ndarray) -> float | None:
    """The fewer of the filter's effective runs and the runs ``values``' mean is worth
    over lineages (:func:`lineage_effective`); None when that is all ``n`` runs.

    Example:
        >>> effective_over_lineages(500.0, 1000, np.repeat([0.0, 1.0], 500), np.repeat(np.arange(4), 250))
        3.0
    """
    counted = lineage_effective(values, lineage)
    candidates = [x for x in (effective, counted) if x is not None]
    fewest = min(candidates) if candidates else None
    return fewest if fewest is not None and fewest < n else None
