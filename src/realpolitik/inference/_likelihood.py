"""Observation models of indicators: what one report, or its absence, tells about a
run's state.

An indicator observes a condition on the state (``observes``). Its observation model
(``p_report``, ``false_rate``, ``delay_days``) says: on a day when the condition
held ``delay_days`` earlier, the indicator is reported with probability
``p_report``; on a day when it did not, with probability ``false_rate``.

Observations are (indicator, day) pairs with the extraction's confidence ``k``: with
probability ``k`` the report is real, else it is an extraction error and the day
counts as a day without a report. :func:`report_loglik` gives both log-likelihoods;
the particle filter (``_filter``) applies them day by day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from realpolitik.engine import Score
from realpolitik.scenario import Scenario

__all__ = ["Observation", "ObservationDay", "observation_days", "report_loglik", "indicator_state_scores", "EPS"]

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
        covers_day: the report's day counts as covered by its source, so that the
            news indicators not reported that day count as not seen (``False`` for a
            scenario log's entries: a curated log is not all the news of its days).
    """

    indicator: str
    date: dt.date
    confidence: float = 1.0
    label: str = ""
    covers_day: bool = True


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


def report_loglik(p_report: float, false_rate: float, confidence: float | None) -> tuple[float, float]:
    """The log-likelihoods of what a covered day shows about an indicator, where its
    condition held and where it did not: a report of ``confidence`` ``k`` (``k P(report)
    + (1 - k) P(no report)``), or, with ``confidence`` None, no report.

    Example:
        >>> [round(x, 3) for x in report_loglik(0.6, 0.05, None)]
        [-0.916, -0.051]
        >>> [round(x, 3) for x in report_loglik(0.6, 0.05, 1.0)]
        [-0.511, -2.996]
    """
    p, f = _clamp(p_report), _clamp(false_rate)
    if confidence is None:
        return math.log1p(-p), math.log1p(-f)
    k = confidence
    return math.log(k * p + (1 - k) * (1 - p)), math.log(k * f + (1 - k) * (1 - f))


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
