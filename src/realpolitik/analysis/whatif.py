"""What-if: a scenario with and without an intervention, on common random numbers."""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.inference import Evidence, condition
from realpolitik.engine import Backend, Estimate, Intervention, Results, RunInfo, run, use_backend
from realpolitik.engine import mean_estimate
from realpolitik.scenario import Scenario

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Delta", "Comparison", "what_if"]


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.question,
            "cites": list(self.cites),
            "kind": self.kind,
            "text": self.text,
            "unit": self.unit,
            "baseline": self.baseline.to_dict(),
            "intervention": self.intervention.to_dict(),
            "delta": self.delta.to_dict(),
            "independent_se": self.independent_se,
        }


@dataclass(frozen=True)
class Comparison(ResultOutput):
    """The result of :func:`what_if`."""

    info: RunInfo
    intervention: Intervention
    deltas: tuple[Delta, ...]
    #: what both arms were conditioned on (as-of answers), else None
    conditioning: dict[str, Any] | None = field(default=None, repr=False)

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
        for d in self.deltas:
            if d.question == question:
                return d
        matches = [d for d in self.deltas if question in d.cites]
        if len(matches) == 1:
            return matches[0]
        raise KeyError(f"no question {question!r} (questions: {', '.join(d.question for d in self.deltas)})")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``whatif --json`` prints)."""
        run_info = dict(self.info.to_dict(), command=self.command)
        out = {"run": run_info, "intervention": self.intervention.describe(), "questions": [d.to_dict() for d in self.deltas]}
        if self.conditioning is not None:
            out["conditioning"] = {k: v for k, v in self.conditioning.items() if k != "options"}
        return out


    def to_arrow(self) -> pa.Table:
        """One row per question and arm (``baseline``, ``intervention``, ``delta``)."""
        import pyarrow as pa

        rows: dict[str, list[Any]] = {k: [] for k in ("id", "cites", "arm", "value", "se", "low", "high")}
        for d in self.deltas:
            for arm, e in (("baseline", d.baseline), ("intervention", d.intervention), ("delta", d.delta)):
                rows["id"].append(d.question)
                rows["cites"].append(",".join(d.cites))
                rows["arm"].append(arm)
                for k, v in e.to_dict().items():
                    rows[k].append(v)
        table = pa.table(rows)
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
    with use_backend(backend) as chosen:
        base = run(scenario, progress=arm(0), backend=chosen, **options)
        changed = run(scenario, progress=arm(1), intervention=intervention, backend=chosen, **options)
    return Comparison(base.info, intervention, tuple(_delta(base, changed, a.question) for a in base.answers), base.conditioning)


def _delta(base: Results, changed: Results, question: str) -> Delta:
    a, b = base.answer(question), changed.answer(question)
    x, y = base.outcomes[question], changed.outcomes[question]
    n = len(x)
    if a.status != "ok":
        nan = Estimate(math.nan, math.nan, math.nan, math.nan)
        return Delta(a.question, a.kind, a.text, a.cites, a.unit, nan, nan, nan, math.nan)
    diff = mean_estimate(y - x)
    independent = math.sqrt((np.var(x, ddof=1) + np.var(y, ddof=1)) / n) if n > 1 else math.nan
    return Delta(a.question, a.kind, a.text, a.cites, a.unit, a.estimate, b.estimate, diff, independent)
