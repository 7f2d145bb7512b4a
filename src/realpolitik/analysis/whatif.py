"""What-if: a scenario with and without an intervention, on common random numbers."""

from __future__ import annotations

import datetime as dt
import math
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.inference import Evidence, condition
from realpolitik.engine import Backend, Estimate, Intervention, OverTime, Results, RunInfo, Z95, run, use_backend
from realpolitik.engine import effective_over_lineages, mean_estimate, pick_question, sorted_quantiles
from realpolitik.scenario import Model, Scenario

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Delta", "CheckpointDelta", "PathDelta", "Comparison", "what_if", "PATH_RUNS", "PATH_QUANTILES"]

#: Both arms keep the whole paths of their first this many runs (the same runs: common
#: random numbers), from which the spread of the per-run changes of a path is estimated.
PATH_RUNS = 1_000

#: The quantiles of the per-run change of a continuous variable's path.
PATH_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class CheckpointDelta:
    """A question's answer in both arms at one of its checkpoints, and the paired difference."""

    day: int
    date: dt.date
    baseline: Estimate
    intervention: Estimate
    delta: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "date": self.date.isoformat(),
            "baseline": self.baseline.to_dict(),
            "intervention": self.intervention.to_dict(),
            "delta": self.delta.to_dict(),
        }


@dataclass(frozen=True)
class PathDelta:
    """One per-step statistic of an element in both arms, and its change on every step.

    The statistic is one the run summarises (``Results.steps``): ``mean`` of a
    continuous variable, ``p_<level>``/``p_<option>``/``p_true`` of a level, option or
    boolean, ``p_fired_by`` and ``mean_count`` of an event.

    Attributes:
        baseline, intervention: the statistic on each step, over all runs of each arm.
        delta: intervention minus baseline (exact: both arms ran the same runs).
        se, low, high: the delta's standard error and normal 95% interval, from the
            spread of the per-run paired changes among the first ``kept_runs`` runs
            (the sample standard deviation over the square root of all runs).
        delta_quantiles: for ``mean``: quantile -> the per-run change's quantile on
            each step, among the kept runs (empty for the other statistics).
    """

    element: str
    stat: str
    cites: tuple[str, ...]
    baseline: np.ndarray = field(repr=False)
    intervention: np.ndarray = field(repr=False)
    delta: np.ndarray = field(repr=False)
    se: np.ndarray = field(repr=False)
    low: np.ndarray = field(repr=False)
    high: np.ndarray = field(repr=False)
    delta_quantiles: dict[float, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def changed(self) -> bool:
        """Whether the path changes on some step by more than its interval allows
        (the 95% interval of the delta excludes 0)."""
        return bool(np.any((self.low > 0) | (self.high < 0)))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.element,
            "cites": list(self.cites),
            "stat": self.stat,
            "baseline": self.baseline.tolist(),
            "intervention": self.intervention.tolist(),
            "delta": self.delta.tolist(),
            "se": self.se.tolist(),
            "low": self.low.tolist(),
            "high": self.high.tolist(),
        }
        if self.delta_quantiles:
            out["delta_quantiles"] = {_qname(q): v.tolist() for q, v in self.delta_quantiles.items()}
        return out


@dataclass(frozen=True)
class Delta:
    """One question's answer in both arms and the paired difference.

    Attributes:
        baseline, intervention: each arm's estimate (probability, or mean value).
        delta: intervention minus baseline, its standard error from the per-run
            paired differences, and a normal 95% interval.
        independent_se: the standard error the difference would have if the arms
            had been run on independent random numbers (from the arms' variances),
            for comparison with ``delta.se``.
    """

    question: str
    kind: str
    text: str
    cites: tuple[str, ...]
    unit: str | None
    baseline: Estimate
    intervention: Estimate
    delta: Estimate
    independent_se: float
    #: the day the answers refer to (0 is the start)
    day: int = 0
    #: the same at each of the question's checkpoints
    checkpoints: tuple[CheckpointDelta, ...] = ()
    #: a probability question's answer over time in the baseline and the intervention
    #: (each :class:`~realpolitik.engine.OverTime`), else None
    over_time: tuple[OverTime, OverTime] | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        over_time = None
        if self.over_time is not None:
            base, changed = self.over_time
            over_time = {
                "days": list(base.days),
                "dates": [d.isoformat() for d in base.dates],
                "baseline": base.value.tolist(),
                "intervention": changed.value.tolist(),
                "delta": (changed.value - base.value).tolist(),
            }
        return {
            "id": self.question,
            "cites": list(self.cites),
            "kind": self.kind,
            "text": self.text,
            "unit": self.unit,
            "day": self.day,
            "baseline": self.baseline.to_dict(),
            "intervention": self.intervention.to_dict(),
            "delta": self.delta.to_dict(),
            "independent_se": self.independent_se,
            "checkpoints": [c.to_dict() for c in self.checkpoints],
            "over_time": over_time,
        }


@dataclass(frozen=True)
class Comparison(ResultOutput):
    """The result of :func:`what_if`."""

    info: RunInfo
    intervention: Intervention
    deltas: tuple[Delta, ...]
    #: what both arms were conditioned on (as-of answers), else None
    conditioning: dict[str, Any] | None = field(default=None, repr=False)
    #: the day of every recorded step (0 is the start: the as-of date for as-of answers)
    days: tuple[int, ...] = ()
    #: every summarised statistic's path in both arms and its change
    paths: tuple[PathDelta, ...] = field(default=(), repr=False)
    #: how many runs' whole paths the spread of the paths' changes comes from
    kept_runs: int = 0

    def dates(self) -> list[dt.date]:
        """The date of every recorded step."""
        return [self.info.start + dt.timedelta(days=d) for d in self.days]

    def path(self, element: str, stat: str | None = None) -> PathDelta:
        """The change of an element's path (by name or inventory ID): its ``mean``
        (continuous), or the statistic named (e.g. ``p_closed``), or its only one."""
        found = [p for p in self.paths if element in (p.element, *p.cites) and (stat is None or p.stat == stat)]
        if stat is None and len(found) > 1:
            found = [p for p in found if p.stat == "mean"] or found
        if len(found) == 1:
            return found[0]
        stats = ", ".join(f"{p.element}:{p.stat}" for p in self.paths if element in (p.element, *p.cites))
        if stats:
            raise KeyError(f"{element!r} has several paths: give stat= one of {stats}")
        raise KeyError(f"no path for {element!r}{f' with statistic {stat!r}' if stat else ''}")

    @property
    def command(self) -> str:
        """The command line that reproduces the comparison."""
        i = self.info
        flags = self.intervention.describe()
        return (
            f"realpolitik whatif {shlex.quote(i.scenario)}" + (f" {flags}" if flags else "") + f" {i.options()}"
        )

    def delta(self, question: str) -> Delta:
        """The difference for a question, by name or by an inventory ID it cites."""
        return pick_question(self.deltas, question)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``whatif --json`` prints)."""
        run_info = dict(self.info.to_dict(), command=self.command)
        out = {"run": run_info, "intervention": self.intervention.describe(), "questions": [d.to_dict() for d in self.deltas]}
        out["paths"] = {
            "days": list(self.days),
            "dates": [d.isoformat() for d in self.dates()],
            "kept_runs": self.kept_runs,
            "series": [p.to_dict() for p in self.paths],
        }
        if self.conditioning is not None:
            out["conditioning"] = {k: v for k, v in self.conditioning.items() if k != "options"}
        return out


    def to_arrow(self) -> pa.Table:
        """One long table: ``record`` is ``question`` (one row per question and arm:
        ``baseline``, ``intervention``, ``delta``, on the question's day), ``checkpoint``
        (the same on each checkpoint's day) or ``path`` (per step and statistic: the
        arms, the ``delta`` with its ``se``, ``low`` and ``high``, and for means the
        per-run change's quantiles as arms ``delta_q05`` ...)."""
        import pyarrow as pa

        columns = ("record", "id", "cites", "stat", "arm", "day", "value", "se", "low", "high")
        rows: dict[str, list[Any]] = {k: [] for k in columns}
        nan = math.nan

        def add(*values: Any) -> None:
            for k, v in zip(columns, values):
                rows[k].append(v)

        for d in self.deltas:
            cites = ",".join(d.cites)
            stat = "mean" if d.kind == "quantiles" else "probability"
            dated = [("question", d.day, (d.baseline, d.intervention, d.delta))]
            dated += [("checkpoint", c.day, (c.baseline, c.intervention, c.delta)) for c in d.checkpoints]
            for record, day, arms in dated:
                for arm, e in zip(("baseline", "intervention", "delta"), arms):
                    add(record, d.question, cites, stat, arm, day, e.value, e.se, e.low, e.high)
        for p in self.paths:
            cites = ",".join(p.cites)
            for i, day in enumerate(self.days):
                add("path", p.element, cites, p.stat, "baseline", day, float(p.baseline[i]), nan, nan, nan)
                add("path", p.element, cites, p.stat, "intervention", day, float(p.intervention[i]), nan, nan, nan)
                add("path", p.element, cites, p.stat, "delta", day, float(p.delta[i]), float(p.se[i]), float(p.low[i]), float(p.high[i]))
                for q, values in p.delta_quantiles.items():
                    add("path", p.element, cites, p.stat, f"delta_{_qname(q)}", day, float(values[i]), nan, nan, nan)
        table = pa.table(
            {
                "record": pa.array(rows["record"], pa.string()),
                "id": pa.array(rows["id"], pa.string()),
                "cites": pa.array(rows["cites"], pa.string()),
                "stat": pa.array(rows["stat"], pa.string()),
                "arm": pa.array(rows["arm"], pa.string()),
                "day": pa.array(rows["day"], pa.int32()),
                "date": pa.array([None if d is None else self.info.start + dt.timedelta(days=d) for d in rows["day"]], pa.date32()),
                **{k: pa.array(rows[k], pa.float64()) for k in ("value", "se", "low", "high")},
            }
        )
        meta = {"realpolitik.command": self.command, "realpolitik.sha256": self.info.sha256, "realpolitik.version": self.info.version}
        return table.replace_schema_metadata(meta)



def what_if(
    scenario: Scenario,
    intervention: Intervention,
    *,
    runs: int,
    seed: int,
    horizon: int | None = None,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    backend: str | Backend | None = None,
    evidence: Evidence | None = None,
    threshold: float = 0.5,
) -> Comparison:
    """Run a scenario with and without an intervention on the same random numbers.

    Both arms draw identical random streams per run (common random numbers), so the
    difference in each answer is the intervention's effect, not Monte Carlo noise;
    its standard error comes from the per-run differences.

    Args:
        backend: where the runs go (see :func:`realpolitik.engine.run`); both arms
            use the same one.
        evidence: what was observed by an as-of date: both arms go on from the
            ensemble filtered on it (see :func:`realpolitik.inference.condition`),
            and the intervention's days count from the as-of date.
        threshold: the filter's resampling threshold (a share of the runs).

    Raises:
        ScenarioError: the intervention names an element the scenario does not have.

    Example:
        >>> from realpolitik import load
        >>> cmp = what_if(load("default"), Intervention.parse(force=["interceptor_allocation=divert_to_middle_east"]),
        ...               runs=300, seed=1, horizon=60)
        >>> cmp.delta("Q5").delta.value > 0
        True
    """
    intervention.compile(scenario.model)  # fail before running anything
    options: dict[str, Any] = {"runs": runs, "seed": seed, "horizon": horizon}
    if batch_size is not None:
        options["batch_size"] = batch_size

    def arm(offset: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(offset * total + done, 2 * total)

    if evidence is not None:
        conditioned = condition(scenario, evidence, runs=runs, seed=seed, threshold=threshold, backend=backend)
        options.update(origin=conditioned.origin, conditioning=conditioned.to_dict())
    options["keep_trajectories"] = min(runs, PATH_RUNS)
    with use_backend(backend) as chosen:
        base = run(scenario, progress=arm(0), backend=chosen, **options)
        changed = run(scenario, progress=arm(1), intervention=intervention, backend=chosen, **options)
    deltas = tuple(_delta(base, changed, i) for i in range(len(base.answers)))
    kept = min(runs, PATH_RUNS)
    return Comparison(
        base.info, intervention, deltas, base.conditioning, days=base.days, paths=tuple(_paths(scenario.model, base, changed)), kept_runs=kept
    )


def _paired(x: np.ndarray, y: np.ndarray, effective: float | None = None, lineage: np.ndarray | None = None) -> tuple[Estimate, float]:
    """The paired difference ``y - x`` of per-run outcomes, and the standard error it
    would have on independent random numbers; both on ``effective`` runs when the runs
    (conditioned on observations) are worth fewer than their number. With ``lineage``
    (conditioned runs' clusters), the difference is worth what its own spread over
    the clusters says, at most ``effective``."""
    n = len(x)
    m = n if effective is None else min(max(effective, 1.0), n)
    independent = math.sqrt((np.var(x, ddof=1) + np.var(y, ddof=1)) / m) if n > 1 else math.nan
    worth = effective if lineage is None else effective_over_lineages(effective, n, y - x, lineage)
    return mean_estimate(y - x, worth), independent


def _delta(base: Results, changed: Results, i: int) -> Delta:
    a, b = base.answers[i], changed.answers[i]
    if a.status != "ok":
        nan = Estimate(math.nan, math.nan, math.nan, math.nan)
        return Delta(a.question, a.kind, a.text, a.cites, a.unit, nan, nan, nan, math.nan, a.day)
    diff, independent = _paired(base.outcomes[a.question], changed.outcomes[a.question], base.effective_runs, base.lineage)
    checkpoints = []
    for c, d in zip(a.checkpoints, b.checkpoints):
        x, y = base.checkpoint_outcomes[a.question][c.day], changed.checkpoint_outcomes[a.question][c.day]
        checkpoints.append(CheckpointDelta(c.day, c.date, c.estimate, d.estimate, _paired(x, y, base.effective_runs, base.lineage)[0]))
    over_time = None if a.over_time is None or b.over_time is None else (a.over_time, b.over_time)
    return Delta(a.question, a.kind, a.text, a.cites, a.unit, a.estimate, b.estimate, diff, independent, a.day, tuple(checkpoints), over_time)


def _statistics(model: Model) -> Iterator[tuple[str, str, Callable[[np.ndarray], np.ndarray]]]:
    """Each summarised (element, statistic) and the per-run value whose mean over the
    runs it is, from the element's kept path (values as the state holds them: a level
    or option by its index, an event by its count so far)."""
    for v in model.variables:
        if v.kind == "continuous":
            yield v.name, "mean", lambda x: x
        elif v.kind == "boolean":
            yield v.name, "p_true", lambda x: (x != 0).astype(np.float64)
        else:
            for k, level in enumerate(v.levels):
                yield v.name, f"p_{level}", lambda x, k=k: (x == k).astype(np.float64)
    for d in model.decisions:
        for k, option in enumerate(d.options):
            yield d.name, f"p_{option.name}", lambda x, k=k: (x == k).astype(np.float64)
    for e in model.events:
        yield e.name, "p_fired_by", lambda x: (x != 0).astype(np.float64)
        yield e.name, "mean_count", lambda x: x


def _paths(model: Model, base: Results, changed: Results) -> Iterator[PathDelta]:
    """Every summarised statistic's path in both arms, its change on each step and the
    change's paired interval from the kept runs (see :class:`PathDelta`); for runs
    conditioned on observations, on the runs' effective number (as the answers)."""
    runs = base.info.runs
    effective = base.effective_runs
    worth = runs if effective is None else max(effective, 1.0)
    cites: dict[str, list[str]] = {}
    for cid, name in base.aliases.items():
        cites.setdefault(name, []).append(cid)
    for name, stat, per_run in _statistics(model):
        if (name, stat) not in base.steps or name not in base.trajectories:
            continue
        x, y = base.steps[(name, stat)], changed.steps[(name, stat)]
        delta = y - x
        differences = per_run(changed.trajectories[name]) - per_run(base.trajectories[name])  # (steps, kept runs)
        kept = differences.shape[1]
        se = differences.std(axis=1, ddof=1) / math.sqrt(worth) if kept > 1 else np.full(len(delta), math.nan)
        quantiles = {}
        if stat == "mean" and kept:
            ordered = np.sort(differences, axis=1)
            quantiles = dict(zip(PATH_QUANTILES, sorted_quantiles(ordered, PATH_QUANTILES)))
        low, high = delta - Z95 * se, delta + Z95 * se
        if stat.startswith("p_"):  # a change of probability lies in [-1, 1]
            low, high = np.clip(low, -1.0, 1.0), np.clip(high, -1.0, 1.0)
        yield PathDelta(name, stat, tuple(sorted(cites.get(name, []))), x, y, delta, se, low, high, quantiles)


def _qname(q: float) -> str:
    return f"q{round(q * 100):02d}"
