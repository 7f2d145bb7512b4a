"""What both peers share: the scenario's priors, the quantal-response choice and the estimators.

Only the priors are read from the scenario file; the dynamics are transcribed by hand
in each peer.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np

from realpolitik.scenario import load, prior_ppf

__all__ = ["MODEL", "PARAMETERS", "PRIORS", "draw_parameters", "quantal_choice", "proportion", "mean", "QUESTIONS"]

#: The model the peers transcribe and the benchmarks run on the engine: the bundled
#: scenario as it was before its rebuild (issue 18), frozen beside the peers.
MODEL = str(Path(__file__).with_name("reference-model.yaml"))

_PRIORS = {name: p.prior for name, p in load(MODEL).spec.parameters.items()}

#: The scenario's parameter names, in declaration order.
PARAMETERS: tuple[str, ...] = tuple(_PRIORS)

#: Each parameter's prior as the scenario adopts it (calibrated priors included).
PRIORS = MappingProxyType(_PRIORS)

#: The questions of the scenario, in its order, with the kind of estimate each one is.
QUESTIONS: dict[str, str] = {
    "talks_accepted_by": "probability",
    "red_line_crossed": "probability",
    "hormuz_disrupted": "probability",
    "brent_at_horizon": "mean",
    "russia_windfall": "mean",
    "ukraine_shortfall": "mean",
    "russian_military_help": "probability",
    "iran_collapse": "probability",
    "moscow_prestige": "mean",
}


def draw_parameters(uniforms: np.ndarray) -> list[dict[str, float]]:
    """Every run's parameters from one uniform per run (row) and parameter (column).

    The uniforms go through the priors' inverse CDFs one column at a time: scipy's
    per-call overhead would otherwise cost more than a short run itself.
    """
    columns = [prior_ppf(_PRIORS[name], uniforms[:, j]).tolist() for j, name in enumerate(PARAMETERS)]
    return [dict(zip(PARAMETERS, row)) for row in zip(*columns)]


def quantal_choice(rng: random.Random, rationality: float, utilities: Sequence[float]) -> int:
    """An option index with probability proportional to exp(rationality * utility).

    Infeasible options have utility -inf (weight 0).
    """
    best = max(utilities)
    weights = [math.exp(rationality * (u - best)) for u in utilities]
    x = rng.random() * sum(weights)
    for k, w in enumerate(weights):
        if x < w:
            return k
        x -= w
    # Rounding can leave x just above the last weight: take the last feasible option.
    return max(k for k, w in enumerate(weights) if w > 0)


def proportion(hits: int, n: int) -> dict[str, float]:
    """A probability and its standard error sqrt(p(1-p)/n)."""
    p = hits / n
    return {"value": p, "se": math.sqrt(p * (1 - p) / n)}


def mean(values: Sequence[float]) -> dict[str, float]:
    """A mean and its standard error (sample sd / sqrt(n))."""
    arr = np.asarray(values, dtype=np.float64)
    se = float(arr.std(ddof=1) / math.sqrt(len(arr))) if len(arr) > 1 else math.nan
    return {"value": float(arr.mean()), "se": se}
