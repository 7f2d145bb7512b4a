"""Observation models of indicators, as per-run log-likelihood scores the engine sums.

An indicator observes a condition on the state (``observes``). Its observation model
(``p_report``, ``false_rate``, ``delay_days``) says: on a day when the condition
held ``delay_days`` earlier, the indicator is reported with probability
``p_report``; on a day when it did not, with probability ``false_rate``.

Observations are (indicator, day) pairs with the extraction's confidence ``k``: with
probability ``k`` the report is real, else it is an extraction error and the day
counts as a day without a report. Over the days the news covers (from the first
article to ``now``) each run's log-likelihood is

    sum over covered days d of log P(report seen or not on d | condition at d - delay)

which the engine accumulates as one :class:`~realpolitik.engine.Score` per indicator
for the days without a report (the baseline) and one per observed day (the
difference an observation makes to that baseline), so that any one observation can
be left out afterwards (what moved the answer most).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from realpolitik.engine import Score
from realpolitik.scenario import Scenario

__all__ = ["Observation", "ObservationDay", "observation_days", "indicator_scores", "baseline_scores", "observation_scores", "indicator_state_scores", "EPS"]

#: Probabilities are kept within [EPS, 1 - EPS] so that no run's likelihood is exactly zero.
EPS = 1e-9


@dataclass(frozen=True)
class Observation:
    """One report of an indicator, as extracted from the news.

    Attributes:
        indicator: the indicator's name in the scenario.
        date: the day the report is about (the event's date), else the day it was reported.
        confidence: the extraction's confidence that this is a real report, in (0, 1].
        label: where it comes from (article and event id, a few words), for display.
    """

    indicator: str
    date: dt.date
    confidence: float = 1.0
    label: str = ""


@dataclass(frozen=True)
class ObservationDay:
    """All reports of one indicator on one day, combined: the day counts as reported
    with probability ``1 - prod(1 - confidence)``."""

    indicator: str
    day: int
    confidence: float
    labels: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.indicator}@{self.day}"


def observation_days(scenario: Scenario, observations: Iterable[Observation], horizon_day: int) -> tuple[list[ObservationDay], list[Observation]]:
    """Observations grouped by (indicator, scenario day); also those outside the
    scenario's days (before its start or after the horizon), which are not used."""
    start = scenario.spec.clock.start
    grouped: dict[tuple[str, int], list[Observation]] = {}
    outside: list[Observation] = []
    for o in observations:
        day = (o.date - start).days
        if not 0 <= day <= horizon_day:
            outside.append(o)
            continue
        grouped.setdefault((o.indicator, day), []).append(o)
    days = []
    for (name, day), group in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        miss = math.prod(1.0 - min(max(o.confidence, 0.0), 1.0) for o in group)
        days.append(ObservationDay(name, day, 1.0 - miss, tuple(o.label for o in group)))
    return days, outside


def _clamp(p: float) -> float:
    return min(max(p, EPS), 1.0 - EPS)


def indicator_scores(
    scenario: Scenario,
    days: Sequence[ObservationDay],
    *,
    covered: tuple[int, int],
    step_days: int,
    steps: int,
) -> tuple[list[Score], dict[str, Score]]:
    """The scores whose sum is each run's log-likelihood of the news.

    Args:
        days: the observed (indicator, day) pairs.
        covered: the first and last scenario day the news covers (inclusive).
        step_days, steps: the run's clock (scores are per step; a report on day ``d``
            is about the state at the last step on or before ``d - delay``).

    Returns:
        the baseline scores (:func:`baseline_scores`) and the observed days' scores
        (:func:`observation_scores`).
    """
    clock = {"covered": covered, "step_days": step_days, "steps": steps}
    return baseline_scores(scenario, **clock), observation_scores(scenario, days, **clock)


def baseline_scores(scenario: Scenario, *, covered: tuple[int, int], step_days: int, steps: int) -> list[Score]:
    """One score per indicator: the log-likelihood of no report on any covered day."""
    first, last = covered
    baseline: list[Score] = []
    for ind in scenario.model.indicators:
        p, f = _clamp(ind.p_report), _clamp(ind.false_rate)
        if_true, if_false = np.zeros(steps + 1), np.zeros(steps + 1)
        for day in range(max(first, 0), last + 1):
            s = _step_of(day - ind.delay_days, step_days, steps)
            if s is not None:
                if_true[s] += math.log1p(-p)
                if_false[s] += math.log1p(-f)
        baseline.append(Score(f"indicator/{ind.name}", ind.observes, if_true, if_false))
    return baseline


def observation_scores(
    scenario: Scenario, days: Sequence[ObservationDay], *, covered: tuple[int, int], step_days: int, steps: int
) -> dict[str, Score]:
    """One score per observed day, keyed by :attr:`ObservationDay.key`: the difference
    its report makes to the baseline (so that it can be left out afterwards)."""
    by_name = {i.name: i for i in scenario.model.indicators}
    first, last = covered
    observed: dict[str, Score] = {}
    for od in days:
        ind = by_name[od.indicator]
        p, f, k = _clamp(ind.p_report), _clamp(ind.false_rate), od.confidence
        s = _step_of(od.day - ind.delay_days, step_days, steps)
        if_true, if_false = np.zeros(steps + 1), np.zeros(steps + 1)
        if s is not None and first <= od.day <= last:
            # log of P(seen | c) / P(not reported | c), with P(seen | c) = k P(report | c) + (1 - k) P(no report | c)
            if_true[s] = math.log(k * p + (1 - k) * (1 - p)) - math.log1p(-p)
            if_false[s] = math.log(k * f + (1 - k) * (1 - f)) - math.log1p(-f)
        observed[od.key] = Score(f"observation/{od.key}", ind.observes, if_true, if_false)
    return observed


def indicator_state_scores(scenario: Scenario, day: int, *, step_days: int, steps: int) -> list[Score]:
    """One score per indicator: 1 where its condition holds on ``day`` (the runs' state
    an analyst would see reported next), else 0."""
    s = _step_of(day, step_days, steps)
    out = []
    for ind in scenario.model.indicators:
        if_true = np.zeros(steps + 1)
        if s is not None:
            if_true[s] = 1.0
        out.append(Score(f"state/{ind.name}", ind.observes, if_true, np.zeros(steps + 1)))
    return out


def _step_of(day: int, step_days: int, steps: int) -> int | None:
    """The last step on or before ``day``, or None before the start."""
    if day < 0:
        return None
    return min(day // step_days, steps)
