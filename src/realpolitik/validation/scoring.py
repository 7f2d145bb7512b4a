"""Proper scores of forecasts against what happened: CRPS, Brier, log score.

All scores are negatively oriented (lower is better) and pure functions of arrays.
The CRPS of an ensemble is that of its empirical distribution; the closed forms of
the normal and lognormal CRPS serve the random-walk baseline and the tests.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["crps_ensemble", "crps_normal", "crps_lognormal", "brier_score", "log_score", "DEFAULT_CLIP"]

#: Probabilities are clipped into [DEFAULT_CLIP, 1 - DEFAULT_CLIP] before the log
#: score, so that an ensemble in which no run saw an event scores -log(0.01) = 4.6
#: when it happens, not infinity.
DEFAULT_CLIP = 0.01


def crps_ensemble(samples: np.ndarray, observed: float) -> float:
    """The CRPS of an ensemble forecast: ``E|X - y| - E|X - X'| / 2`` over the
    ensemble's members, i.e. the CRPS of its empirical distribution.

    ``E|X - X'|`` is computed from the sorted members in O(n log n):
    ``2 / n**2 * sum_i (2 i - n - 1) x_(i)``.

    Raises:
        ValueError: no finite members.

    Example:
        >>> crps_ensemble(np.array([1.0]), 3.0)   # one member: the absolute error
        2.0
        >>> round(crps_ensemble(np.array([0.0, 2.0]), 1.0), 6)
        0.5
    """
    x = np.sort(np.asarray(samples, dtype=np.float64).ravel())
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        raise ValueError("the CRPS needs at least one finite ensemble member")
    spread = 2.0 / (n * n) * float(np.dot(2.0 * np.arange(1, n + 1) - n - 1, x))
    return float(np.mean(np.abs(x - observed)) - spread / 2.0)


def crps_normal(mean: float, sd: float, observed: float) -> float:
    """The CRPS of a normal forecast (Gneiting et al., 2005).

    Example:
        >>> round(crps_normal(0.0, 1.0, 0.0), 4)
        0.2337
    """
    z = (observed - mean) / sd
    return float(sd * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi)))


def crps_lognormal(mu: float, sigma: float, observed: float) -> float:
    """The CRPS of a lognormal forecast, ``log X ~ N(mu, sigma**2)`` (Baran and Lerch, 2015).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> sample = np.exp(rng.normal(np.log(80), 0.05, 200_000))
        >>> abs(crps_lognormal(np.log(80), 0.05, 85.0) - crps_ensemble(sample, 85.0)) < 0.01
        True
    """
    if observed <= 0:
        mean = math.exp(mu + sigma**2 / 2)
        return float(mean - observed - mean * (2 * stats.norm.cdf(sigma / math.sqrt(2)) - 1))
    z = (math.log(observed) - mu) / sigma
    mean = math.exp(mu + sigma**2 / 2)
    return float(
        observed * (2 * stats.norm.cdf(z) - 1)
        - 2 * mean * (stats.norm.cdf(z - sigma) + stats.norm.cdf(sigma / math.sqrt(2)) - 1)
    )


def brier_score(probability: float, happened: bool) -> float:
    """``(p - o)**2``: 0 for a certain, right forecast, 1 for a certain, wrong one.

    Example:
        >>> round(brier_score(0.8, True), 6), round(brier_score(0.8, False), 6)
        (0.04, 0.64)
    """
    return float((probability - float(happened)) ** 2)


def log_score(probability: float, happened: bool, clip: float = DEFAULT_CLIP) -> float:
    """``-log`` of the probability given to what happened, the probability first
    clipped into ``[clip, 1 - clip]``.

    Example:
        >>> round(log_score(0.5, True), 4)
        0.6931
        >>> round(log_score(0.0, True), 4)   # clipped to 0.01
        4.6052
    """
    if not 0 < clip < 0.5:
        raise ValueError(f"clip must be between 0 and 0.5, got {clip}")
    p = min(max(float(probability), clip), 1 - clip)
    return float(-math.log(p if happened else 1 - p))
