"""Calibration: fitted priors, ABC-SMC recovering a known trend, out-of-sample scores,
and the posterior file that a scenario names with ``priors:``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

import realpolitik
from realpolitik.scenario import prior_ppf
from realpolitik.scenario._schema import Prior
from realpolitik.validation import abc_smc, calibratable, calibrate, find_rounds, fitted_prior, read_episodes, read_oil
from tests.validation.toy import OUTCOMES, TRUE_TREND


@pytest.mark.parametrize(
    ("prior", "expected_dist"),
    [
        (Prior(dist="normal", mean=0, sd=2, low=-5), "normal"),
        (Prior(dist="lognormal", median=1, sigma=0.5), "lognormal"),
        (Prior(dist="uniform", low=0, high=10), "beta"),
        (Prior(dist="triangular", low=0, mode=2, high=10), "beta"),
        (Prior(dist="beta", a=2, b=2), "beta"),
    ],
)
def test_a_fitted_prior_matches_the_posteriors_moments(prior: Prior, expected_dist: str) -> None:
    u = np.random.default_rng(0).beta(3, 5, 40_000)  # a posterior narrower than the prior
    values = prior_ppf(prior, u)
    weights = np.full(len(values), 1 / len(values))
    fitted = fitted_prior(prior, values, weights)
    assert fitted.dist == expected_dist
    assert (fitted.low, fitted.high) == (prior.low, prior.high)
    again = prior_ppf(fitted, np.random.default_rng(1).random(40_000))
    assert again.mean() == pytest.approx(values.mean(), rel=0.03, abs=0.02)
    assert again.std() == pytest.approx(values.std(), rel=0.08)


def test_a_posterior_wider_than_a_uniform_keeps_the_prior() -> None:
    prior = Prior(dist="uniform", low=0, high=1)
    values = np.array([0.0, 0.0, 1.0, 1.0])
    assert fitted_prior(prior, values, np.full(4, 0.25)) == prior


@pytest.fixture(scope="module")
def toy(world):
    base = realpolitik.load(world.base)
    episodes = read_episodes(world.episodes)
    return base, episodes, read_oil(world.oil), find_rounds(base, episodes)


def test_only_shared_continuous_priors_are_calibratable(toy) -> None:
    base, _, _, rounds = toy
    assert calibratable(rounds, base) == ["trend", "flare_rate"]  # 'noise' is fixed


def test_abc_smc_recovers_the_trend(toy) -> None:
    base, _, oil, rounds = toy
    fit = abc_smc(rounds, oil, parameters=["trend"], base=base, particles=300, generations=5, seed=1, outcomes=OUTCOMES)
    (trend,) = fit.parameters
    post, prior = trend.posterior_summary, trend.prior_summary
    assert abs(post["mean"] - TRUE_TREND) < 0.003, post
    assert post["sd"] < prior["sd"] / 3
    assert fit.weights.sum() == pytest.approx(1)
    assert [g.index for g in fit.generations] == list(range(1, len(fit.generations) + 1))
    assert all(a.epsilon > b.epsilon for a, b in zip(fit.generations, fit.generations[1:]))
    assert fit.priors()["trend"].dist == "beta"


def test_abc_smc_is_reproducible_and_rejects_what_it_cannot_fit(toy) -> None:
    base, _, oil, rounds = toy
    options = {"parameters": ["trend"], "base": base, "particles": 40, "generations": 2, "outcomes": OUTCOMES}
    a = abc_smc(rounds[:1], oil, seed=3, **options)
    b = abc_smc(rounds[:1], oil, seed=3, **options)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.weights, b.weights)
    with pytest.raises(ValueError, match="cannot fit 'noise'"):
        abc_smc(rounds, oil, parameters=["noise"], base=base, particles=40, outcomes=OUTCOMES)


def test_calibration_helps_out_of_sample_and_writes_a_usable_posterior(toy, world, tmp_path: Path) -> None:
    base, episodes, oil, rounds = toy
    result = calibrate(
        base, rounds, oil, episodes=episodes, parameters=["trend"], particles=200, generations=4, runs=200, seed=0, outcomes=OUTCOMES,
        oil_path="oil.csv", episodes_path="ep.yaml",
    )
    assert [h.round for h in result.held_out] == ["r1", "r2", "r3"]
    assert [h.fitted_on for h in result.held_out] == [("r2", "r3"), ("r1", "r3"), ("r1", "r2")]
    for h in result.held_out:
        before = np.mean([s.model_crps for s in h.prior.oil])
        after = np.mean([s.model_crps for s in h.calibrated.oil])
        assert after < before / 2, h.round
    prior, fitted, baseline = result.change("crps_brent")
    assert fitted < prior and fitted < baseline
    data = json.loads(result.to_json())
    assert data["run"]["command"] == (
        "realpolitik calibrate toy --episodes ep.yaml --oil oil.csv --parameter trend --particles 200 --generations 4 --runs 200 --seed 0"
    ).replace("toy", str(world.base), 1)
    assert {r["metric"] for r in data["out_of_sample"]} >= {"crps_brent", "brier", "log"}

    posterior = result.write_posterior(tmp_path / "posterior.yaml", {"trend": "A drift."})
    written = yaml.safe_load(posterior.read_text(encoding="utf-8"))
    assert written["calibration"]["rounds"] == ["r1", "r2", "r3"]
    assert written["parameters"]["trend"]["rationale"].startswith("A drift. Calibrated by ABC-SMC on r1, r2, r3")
    child = tmp_path / "calibrated.yaml"
    child.write_text(f"extends: {world.base}\nname: toy-calibrated\npriors: posterior.yaml\n", encoding="utf-8")
    calibrated = realpolitik.load(child)
    assert calibrated.spec.parameters["trend"].prior == result.fit.priors()["trend"]
    assert realpolitik.load(child, priors=False).spec.parameters["trend"].prior == base.spec.parameters["trend"].prior

    particles = result.write_parquet(tmp_path / "particles.parquet")
    import pyarrow.parquet as pq

    assert pq.read_table(particles).column_names == ["trend", "weight"]
    assert result.to_markdown().startswith("## Calibration")


def test_calibration_needs_two_rounds(toy) -> None:
    base, _, oil, rounds = toy
    with pytest.raises(ValueError, match="at least two rounds"):
        calibrate(base, rounds[:1], oil, parameters=["trend"], particles=20, outcomes=OUTCOMES)
