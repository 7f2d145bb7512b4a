"""Per-step summaries of the whole ensemble, streamed: memory grows with steps, not runs x steps.

Each step adds one row per statistic: mean and quantiles of every continuous
variable, the probability of every level, boolean and decision option, and for
every event the probability it has fired so far. A bounded sample of whole
trajectories (the first ``keep`` runs) is kept too.
"""

from __future__ import annotations

import numpy as np

from realpolitik.engine._questions import sorted_quantiles
from realpolitik.scenario import Model

__all__ = ["SUMMARY_QUANTILES", "StepSummaries"]

#: The quantiles kept for every continuous variable at every step.
SUMMARY_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


class StepSummaries:
    """Accumulates per-step statistics of the ensemble."""

    def __init__(self, model: Model, keep: int) -> None:
        self.model = model
        self.keep = keep
        self.continuous = [v.name for v in model.variables if v.kind == "continuous"]
        self.days: list[int] = []
        self.rows: dict[tuple[str, str], list[float]] = {}
        self.trajectories: dict[str, list[np.ndarray]] = {}
        self.tracked = [v.name for v in model.variables] + [d.name for d in model.decisions] + [e.name for e in model.events]

    def _add(self, name: str, stat: str, value: float) -> None:
        self.rows.setdefault((name, stat), []).append(float(value))

    def observe(self, day: int, state: dict[str, np.ndarray]) -> None:
        """Record the statistics of the full-ensemble ``state`` on ``day``."""
        self.days.append(day)
        if self.continuous:
            block = np.stack([state[n] for n in self.continuous])
            means = block.mean(axis=1)
            qs = sorted_quantiles(np.sort(block, axis=1), SUMMARY_QUANTILES)
            for i, name in enumerate(self.continuous):
                self._add(name, "mean", means[i])
                for j, q in enumerate(SUMMARY_QUANTILES):
                    self._add(name, f"q{round(q * 100):02d}", qs[j, i])
        for v in self.model.variables:
            if v.kind == "boolean":
                self._add(v.name, "p_true", state[v.name].mean())
            elif v.kind == "levels":
                counts = np.bincount(state[v.name], minlength=len(v.levels))
                for k, level in enumerate(v.levels):
                    self._add(v.name, f"p_{level}", counts[k] / len(state[v.name]))
        for d in self.model.decisions:
            counts = np.bincount(state[d.name], minlength=len(d.options))
            for k, option in enumerate(d.options):
                self._add(d.name, f"p_{option.name}", counts[k] / len(state[d.name]))
        for e in self.model.events:
            fired = state[e.name]
            self._add(e.name, "p_fired_by", np.count_nonzero(fired) / len(fired))
            self._add(e.name, "mean_count", fired.mean())
        if self.keep:
            for name in self.tracked:
                self.trajectories.setdefault(name, []).append(np.asarray(state[name][: self.keep], dtype=np.float64).copy())
