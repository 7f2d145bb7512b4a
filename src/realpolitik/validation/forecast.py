"""Forecasts of one element at given days: the interface backtests score.

A forecast is a set of questions added to the scenario (one per day) and answered by
one ensemble run: quantiles of a continuous variable on each day, or for an event,
a boolean, a ladder of levels or a decision, the probability that it has happened
by each day.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.inference import Conditioned, Evidence, condition
from realpolitik.engine import Results, RunInfo, run
from realpolitik.engine import sorted_quantiles
from realpolitik.scenario import Question, Scenario

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Forecast", "forecast", "sample_outcomes", "FORECAST_QUANTILES", "quantile_key"]

#: The quantiles a forecast gives: 0.05, 0.10, ..., 0.95.
FORECAST_QUANTILES: tuple[float, ...] = tuple(round(0.05 * k, 2) for k in range(1, 20))


def quantile_key(q: float) -> str:
    """``0.05`` -> ``q05``, the name of a quantile in every output.

    Example:
        >>> [quantile_key(q) for q in (0.05, 0.5, 0.95)]
        ['q05', 'q50', 'q95']
    """
    return f"q{round(q * 100):02d}"


def sample_outcomes(
    scenario: Scenario,
    questions: Mapping[str, Question],
    *,
    runs: int,
    seed: int,
    horizon: int,
    parameters: Mapping[str, np.ndarray] | None = None,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    origin: str = "<validation question>",
    conditioned: Conditioned | None = None,
) -> tuple[Results, dict[str, np.ndarray]]:
    """Run the scenario with further questions and return each run's outcome on them.

    Args:
        conditioned: a filtered ensemble to go on from (answers as of its date; the
            questions' days count from it), instead of the scenario's start.

    Raises:
        ScenarioError: a question refers to something the scenario lacks.
    """
    asked = scenario.with_questions(dict(questions), origin=origin)
    options: dict[str, Any] = {"runs": runs, "seed": seed, "horizon": horizon, "parameters": parameters, "progress": progress}
    if batch_size is not None:
        options["batch_size"] = batch_size
    if conditioned is not None:
        options.update(origin=conditioned.origin, conditioning=conditioned.to_dict())
    results = run(asked, **options)
    return results, {name: results.outcomes[name] for name in questions}


@dataclass(frozen=True)
class _Element:
    name: str
    kind: str  # continuous, boolean, levels, event, decision, parameter
    unit: str | None
    options: tuple[str, ...] = ()


def _element(scenario: Scenario, variable: str) -> _Element:
    model = scenario.model
    name = model.aliases.get(variable, variable)
    for v in model.variables:
        if v.name == name:
            return _Element(name, v.kind, v.unit, v.levels)
    for e in model.events:
        if e.name == name:
            return _Element(name, "event", None)
    for d in model.decisions:
        if d.name == name:
            return _Element(name, "decision", None, tuple(o.name for o in d.options))
    for p in model.parameters:
        if p.name == name:
            return _Element(name, "parameter", scenario.spec.parameters[name].unit)
    known = [v.name for v in model.variables] + [e.name for e in model.events] + [d.name for d in model.decisions] + list(model.aliases)
    close = difflib.get_close_matches(variable, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else " (give a variable, event or decision by name or inventory ID)"
    raise ValueError(f"scenario {scenario.name!r} has no variable, event or decision {variable!r}{hint}")


def _conditions(element: _Element) -> dict[str, str]:
    """Probability keys -> the condition whose first occurrence by the day they measure."""
    if element.kind == "event":
        return {"p": f"{element.name} > 0"}
    if element.kind == "boolean":
        return {"p": element.name}
    if element.kind == "levels":
        return {f"p_at_least_{level}": f"{element.name} >= {level}" for level in element.options[1:]}
    return {f"p_{option}": f"{element.name} == {option}" for option in element.options}


@dataclass(frozen=True)
class Forecast(ResultOutput):
    """The result of :func:`forecast`.

    Attributes:
        info: what reproduces the run.
        variable: the element as asked for (a name or an inventory ID).
        element: its name in the scenario.
        kind: ``continuous`` or ``parameter`` (quantiles), ``event``, ``boolean``,
            ``levels`` or ``decision`` (probabilities by each day).
        unit: the unit of a continuous variable.
        days: the days after the start, in increasing order.
        values: day -> statistic -> value: ``q05`` ... ``q95`` for quantities; ``p``
            (event, boolean), ``p_at_least_<level>`` (levels) or ``p_<option>``
            (decision) for the probability that it has happened by the day.
    """

    info: RunInfo
    variable: str
    element: str
    kind: str
    unit: str | None
    days: tuple[int, ...]
    values: dict[int, dict[str, float]]
    #: what the runs were conditioned on (as-of forecasts), else None
    conditioning: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def command(self) -> str:
        """The command line that reproduces the forecast."""
        days = ",".join(str(d) for d in self.days)
        return (
            f"realpolitik forecast {shlex.quote(self.info.scenario)} --variable {shlex.quote(self.variable)} "
            f"--days {days} --runs {self.info.runs} --seed {self.info.seed}"
            + (f" {self.info.conditioning}" if self.info.conditioning else "")
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``forecast --json`` prints)."""
        return {
            "variable": self.variable,
            "element": self.element,
            "kind": self.kind,
            "unit": self.unit,
            "start": self.info.start.isoformat(),
            "days": {str(d): dict(self.values[d]) for d in self.days},
            "run": dict(self.info.to_dict(), command=self.command),
            "conditioning": None if self.conditioning is None else {k: v for k, v in self.conditioning.items() if k != "options"},
        }


    def to_arrow(self) -> pa.Table:
        """One row per day and statistic: ``variable``, ``day``, ``date``, ``stat``, ``value``."""
        import datetime as dt

        import pyarrow as pa

        rows: dict[str, list[Any]] = {k: [] for k in ("variable", "day", "date", "stat", "value")}
        for d in self.days:
            for stat, value in self.values[d].items():
                rows["variable"].append(self.element)
                rows["day"].append(d)
                rows["date"].append(self.info.start + dt.timedelta(days=d))
                rows["stat"].append(stat)
                rows["value"].append(value)
        table = pa.table(
            {
                "variable": pa.array(rows["variable"], pa.string()),
                "day": pa.array(rows["day"], pa.int32()),
                "date": pa.array(rows["date"], pa.date32()),
                "stat": pa.array(rows["stat"], pa.string()),
                "value": pa.array(rows["value"], pa.float64()),
            }
        )
        meta = {"realpolitik.command": self.command, "realpolitik.sha256": self.info.sha256, "realpolitik.version": self.info.version}
        return table.replace_schema_metadata(meta)



def forecast(
    scenario: Scenario,
    variable: str,
    days: Sequence[int],
    *,
    runs: int = 10_000,
    seed: int = 0,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    evidence: Evidence | None = None,
    threshold: float = 0.5,
) -> Forecast:
    """Forecast one element at the given days after the scenario's start (after the
    as-of date, with ``evidence``: the runs are filtered on what was observed by then).

    A continuous variable (or a parameter) gets the quantiles 0.05, 0.10, ..., 0.95 of
    its value on each day; an event, a boolean, a levels variable or a decision gets
    the probability that it has happened (fired, been true, reached each level, had
    each option chosen) on some day up to each day.

    Raises:
        ValueError: the element is unknown, or a day is negative or after the
            scenario's horizon.

    Example:
        >>> from realpolitik import load
        >>> f = forecast(load("default"), "V2", [7, 30], runs=400, seed=1)
        >>> f.values[7]["q05"] < f.values[7]["q50"] < f.values[7]["q95"]
        True
    """
    element = _element(scenario, variable)
    wanted = sorted(set(int(d) for d in days))
    if not wanted:
        raise ValueError("give at least one day")
    horizon = scenario.spec.clock.horizon_days
    for d in wanted:
        if not 0 <= d <= horizon:
            raise ValueError(f"day {d} is outside the scenario's clock (0 to {horizon} days; clock.horizon_days sets the end)")
    questions: dict[str, Question] = {}
    conditions = _conditions(element)
    for d in wanted:
        if element.kind in ("continuous", "parameter"):
            questions[f"forecast_day_{d}"] = Question(kind="quantiles", text=f"{element.name} on day {d}", value=element.name, at=d)
        else:
            for key, held in conditions.items():
                questions[f"forecast_day_{d}_{key}"] = Question(kind="probability", text=f"{key} by day {d}", condition=held, by=d)
    conditioned = None if evidence is None else condition(scenario, evidence, runs=runs, seed=seed, threshold=threshold, progress=progress)
    results, outcomes = sample_outcomes(
        scenario, questions, runs=runs, seed=seed, horizon=max(wanted[-1], 1), batch_size=batch_size, progress=progress, origin="<forecast>",
        conditioned=conditioned,
    )  # fmt: skip
    values: dict[int, dict[str, float]] = {}
    for d in wanted:
        if element.kind in ("continuous", "parameter"):
            ordered = np.sort(outcomes[f"forecast_day_{d}"])
            qs = sorted_quantiles(ordered, FORECAST_QUANTILES)
            values[d] = {quantile_key(q): float(v) for q, v in zip(FORECAST_QUANTILES, qs)}
        else:
            values[d] = {key: float(np.mean(outcomes[f"forecast_day_{d}_{key}"])) for key in conditions}
    info = results.info
    return Forecast(info, variable, element.name, element.kind, element.unit, tuple(wanted), values, results.conditioning)
