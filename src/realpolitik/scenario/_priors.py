"""Priors: which fields each distribution takes, their checks, and the inverse CDF.

Parameters are drawn by pushing a uniform number through the prior's inverse CDF,
so a run's parameter values depend only on its uniform draw; the same map serves
global sensitivity analysis (which samples the unit cube) and calibration.
"""

from __future__ import annotations

import numpy as np

from realpolitik.scenario._schema import Prior

__all__ = ["PRIOR_FIELDS", "prior_problems", "prior_ppf", "prior_mean"]

#: distribution -> (required fields, optional fields)
PRIOR_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "normal": (("mean", "sd"), ("low", "high")),
    "lognormal": (("median", "sigma"), ()),
    "beta": (("a", "b"), ("low", "high")),
    "uniform": (("low", "high"), ()),
    "triangular": (("low", "mode", "high"), ()),
    "categorical": (("values",), ("weights",)),
    "fixed": (("value",), ()),
}


def prior_problems(prior: Prior) -> list[tuple[str, str]]:
    """Every problem with a prior's parameters, as (field, message) pairs."""
    required, optional = PRIOR_FIELDS[prior.dist]
    out: list[tuple[str, str]] = []
    given = {k for k in prior.model_fields_set if k != "dist" and getattr(prior, k) is not None}
    for name in required:
        if getattr(prior, name) is None:
            out.append((name, f"a {prior.dist} prior needs '{name}' (it takes {', '.join(required + optional)})"))
    for name in sorted(given - set(required) - set(optional)):
        out.append((name, f"'{name}' does not apply to a {prior.dist} prior (it takes {', '.join(required + optional)})"))
    if out:
        return out
    p = prior
    if p.dist == "normal":
        if p.sd <= 0:  # type: ignore[operator]
            out.append(("sd", f"sd must be positive, got {p.sd}"))
        if p.low is not None and p.high is not None and p.low >= p.high:
            out.append(("low", f"low ({p.low}) must be below high ({p.high})"))
    elif p.dist == "lognormal":
        if p.median <= 0:  # type: ignore[operator]
            out.append(("median", f"the median of a lognormal must be positive, got {p.median}"))
        if p.sigma <= 0:  # type: ignore[operator]
            out.append(("sigma", f"sigma must be positive, got {p.sigma}"))
    elif p.dist == "beta":
        for name in ("a", "b"):
            if getattr(p, name) <= 0:
                out.append((name, f"{name} must be positive, got {getattr(p, name)}"))
        if (p.low is None) != (p.high is None):
            out.append(("low" if p.low is None else "high", "give both low and high to rescale a beta prior, or neither"))
        elif p.low is not None and p.low >= p.high:  # type: ignore[operator]
            out.append(("low", f"low ({p.low}) must be below high ({p.high})"))
    elif p.dist == "uniform":
        if p.low >= p.high:  # type: ignore[operator]
            out.append(("low", f"low ({p.low}) must be below high ({p.high})"))
    elif p.dist == "triangular":
        if not p.low < p.high:  # type: ignore[operator]
            out.append(("low", f"low ({p.low}) must be below high ({p.high})"))
        elif not p.low <= p.mode <= p.high:  # type: ignore[operator]
            out.append(("mode", f"mode ({p.mode}) must lie between low ({p.low}) and high ({p.high})"))
    elif p.dist == "categorical":
        values = p.values or []
        if not values:
            out.append(("values", "a categorical prior needs at least one value"))
        if p.weights is not None:
            if len(p.weights) != len(values):
                out.append(("weights", f"{len(p.weights)} weights for {len(values)} values"))
            elif any(w < 0 for w in p.weights) or sum(p.weights) <= 0:
                out.append(("weights", "weights must be non-negative and not all zero"))
    for name in ("mean", "sd", "median", "sigma", "a", "b", "low", "high", "mode", "value"):
        v = getattr(p, name)
        if v is not None and not np.isfinite(v):
            out.append((name, f"{name} must be a finite number, got {v}"))
    return out


def prior_ppf(prior: Prior, u: np.ndarray) -> np.ndarray:
    """The prior's inverse CDF at uniform numbers ``u`` in (0, 1).

    Example:
        >>> prior_ppf(Prior(dist="uniform", low=2, high=4), np.array([0.25, 0.5])).tolist()
        [2.5, 3.0]
    """
    from scipy import stats  # here, not at import: SciPy's stats take most of a second to import

    p = prior
    if p.dist == "normal":
        lo = -np.inf if p.low is None else (p.low - p.mean) / p.sd
        hi = np.inf if p.high is None else (p.high - p.mean) / p.sd
        if p.low is None and p.high is None:
            return stats.norm.ppf(u, loc=p.mean, scale=p.sd)
        return stats.truncnorm.ppf(u, lo, hi, loc=p.mean, scale=p.sd)
    if p.dist == "lognormal":
        return p.median * np.exp(p.sigma * stats.norm.ppf(u))
    if p.dist == "beta":
        x = stats.beta.ppf(u, p.a, p.b)
        return x if p.low is None else p.low + (p.high - p.low) * x
    if p.dist == "uniform":
        return p.low + (p.high - p.low) * u
    if p.dist == "triangular":
        c = (p.mode - p.low) / (p.high - p.low)
        return stats.triang.ppf(u, c, loc=p.low, scale=p.high - p.low)
    if p.dist == "categorical":
        values = np.asarray(p.values, dtype=np.float64)
        weights = np.ones(len(values)) if p.weights is None else np.asarray(p.weights, dtype=np.float64)
        cum = np.cumsum(weights / weights.sum())
        cum[-1] = 1.0
        return values[np.searchsorted(cum, u, side="right").clip(max=len(values) - 1)]
    return np.full(np.shape(u), float(p.value), dtype=np.float64)


def prior_mean(prior: Prior) -> float:
    """The prior's mean, for documentation and tests."""
    grid = (np.arange(20000) + 0.5) / 20000
    return float(prior_ppf(prior, grid).mean())
