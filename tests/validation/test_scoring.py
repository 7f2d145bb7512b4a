"""Proper scores: the ensemble CRPS against its definition and closed forms, Brier, log."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from realpolitik.validation.scoring import brier_score, crps_ensemble, crps_lognormal, crps_normal, log_score

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)


def _crps_by_definition(x: np.ndarray, y: float) -> float:
    """E|X - y| - E|X - X'| / 2 over all pairs, in O(n**2)."""
    return float(np.mean(np.abs(x - y)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :])))


@given(st.lists(finite, min_size=1, max_size=40), finite)
def test_crps_ensemble_equals_its_definition(members: list[float], observed: float) -> None:
    x = np.array(members)
    assert crps_ensemble(x, observed) == pytest.approx(_crps_by_definition(x, observed), rel=1e-9, abs=1e-9)


@given(st.lists(finite, min_size=1, max_size=40), finite)
def test_crps_ensemble_is_non_negative_and_order_free(members: list[float], observed: float) -> None:
    x = np.array(members)
    score = crps_ensemble(x, observed)
    assert score >= -1e-9
    assert crps_ensemble(x[::-1], observed) == pytest.approx(score, abs=1e-9)


def test_crps_ensemble_of_a_point_is_the_absolute_error() -> None:
    assert crps_ensemble(np.array([5.0, 5.0, 5.0]), 2.0) == 3.0
    assert crps_ensemble(np.array([5.0]), 5.0) == 0.0


def test_crps_ensemble_ignores_non_finite_members_and_needs_one() -> None:
    assert crps_ensemble(np.array([1.0, np.nan]), 3.0) == 2.0
    with pytest.raises(ValueError, match="at least one finite"):
        crps_ensemble(np.array([np.nan]), 1.0)


@pytest.mark.parametrize(("mean", "sd", "y"), [(0.0, 1.0, 0.0), (80.0, 5.0, 91.0), (-3.0, 0.2, -3.5)])
def test_crps_normal_matches_a_large_ensemble(mean: float, sd: float, y: float) -> None:
    sample = np.random.default_rng(1).normal(mean, sd, 200_000)
    assert crps_normal(mean, sd, y) == pytest.approx(crps_ensemble(sample, y), rel=0.01)


@pytest.mark.parametrize(("mu", "sigma", "y"), [(math.log(80), 0.05, 85.0), (math.log(70), 0.2, 60.0), (0.0, 0.5, 1.0)])
def test_crps_lognormal_matches_a_large_ensemble(mu: float, sigma: float, y: float) -> None:
    sample = np.exp(np.random.default_rng(2).normal(mu, sigma, 200_000))
    assert crps_lognormal(mu, sigma, y) == pytest.approx(crps_ensemble(sample, y), rel=0.01)


def test_a_sharper_right_forecast_scores_better() -> None:
    assert crps_lognormal(math.log(80), 0.02, 80.0) < crps_lognormal(math.log(80), 0.1, 80.0)


@pytest.mark.parametrize(("p", "happened", "brier", "log"), [(0.5, True, 0.25, math.log(2)), (0.9, False, 0.81, -math.log(0.1)), (0.0, False, 0.0, -math.log(0.99))])
def test_brier_and_log_scores(p: float, happened: bool, brier: float, log: float) -> None:
    assert brier_score(p, happened) == pytest.approx(brier)
    assert log_score(p, happened) == pytest.approx(log)


def test_log_score_clips_certain_forecasts() -> None:
    assert log_score(0.0, True) == pytest.approx(-math.log(0.01))
    assert log_score(1.0, False, clip=0.001) == pytest.approx(-math.log(0.001))
    with pytest.raises(ValueError, match="clip"):
        log_score(0.5, True, clip=0.0)
