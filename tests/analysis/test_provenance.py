"""The share of an answer's variance that rests on judgement: the estimator's laws
and the shares of small scenarios whose answers depend on one known parameter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.stats import rankdata

import realpolitik
from realpolitik.analysis.provenance import (
    CONSTANT,
    NOTHING_EXPLAINS,
    GROUPED_METHOD,
    correlation_limit,
    first_order_indices,
    index_floor,
    judgement_shares,
    parameter_bins,
    rank_correlation,
)

#: The answer reads ``READ`` (a parameter's name): nothing else varies but the run's own noise.
SCENARIO = """\
name: provenance
clock: {start: 2026-01-01, step_days: 1, horizon_days: 10}
sources:
  S1: {title: A note on the crisis}
parameters:
  guess: {prior: {dist: uniform, low: 0, high: 1}, basis: judgement, rationale: "No source gives a number."}
  measured:
    prior: {dist: uniform, low: 0, high: 1}
    basis: data
    data: {file: data/measured.csv, fit: "uniform over the observed range"}
  quoted: {prior: {dist: uniform, low: 0, high: 1}, basis: passage, source: S1, locator: between zero and one}
  unread: {prior: {dist: normal, mean: 0, sd: 1}}
  fixed_one: {value: 1}
variables:
  level: {initial: READ}
  noise: {initial: 0}
mechanisms:
  jitter: {target: noise, update: "0.2 * normal()"}
questions:
  amount:
    kind: quantiles
    text: How high is the level, give or take the noise?
    value: level + noise
    checkpoints: [5]
  high:
    kind: probability
    text: Is the level high?
    condition: level + noise > 0.5
    checkpoints: [5]
  never:
    kind: probability
    text: Does the impossible happen?
    condition: level > 5
"""


def _scenario(tmp_path: Path, read: str) -> realpolitik.Scenario:
    path = tmp_path / f"reads-{read}.yaml"
    path.write_text(SCENARIO.replace("READ", read), encoding="utf-8")
    return realpolitik.load(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("provenance")


@pytest.mark.parametrize(("read", "share", "basis"), [("guess", 1.0, "judgement"), ("measured", 0.0, "data"), ("quoted", 0.0, "passage")])
def test_an_answer_that_reads_one_parameter_rests_on_its_basis(folder: Path, read: str, share: float, basis: str) -> None:
    scenario = _scenario(folder, read)
    shares = judgement_shares(scenario, scenario.run(runs=3000, seed=3))
    for question in ("amount", "high"):
        for day in (10, 5):
            s = shares.get(question, day)
            assert s.share == pytest.approx(share, abs=0.02), (question, day)
            assert s.top[0].parameter == read and s.top[0].basis == basis
            assert s.by_basis[basis] > 0.5 and s.explained > 0.5
    assert shares.bases == {"guess": "judgement", "measured": "data", "quoted": "passage", "unread": "judgement", "fixed_one": "judgement"}


def test_a_parameter_nothing_reads_has_an_index_within_noise_and_is_not_listed(folder: Path) -> None:
    scenario = _scenario(folder, "guess")
    results = scenario.run(runs=3000, seed=5)
    names = ("guess", "measured", "quoted", "unread")
    binned = parameter_bins(np.column_stack([results.parameters[n] for n in names]), names)
    index = first_order_indices(binned, results.outcomes["amount"])
    floor = float(index_floor(binned.bins, 3000))
    assert index[0] > 0.5
    assert all(abs(i) < 3 * floor for i in index[1:]), index
    listed = {p.parameter for p in judgement_shares(scenario, results).get("amount").top}
    assert listed == {"guess"}


def test_an_answer_that_never_varies_or_that_no_parameter_moves_has_no_share(folder: Path) -> None:
    scenario = _scenario(folder, "guess")
    shares = judgement_shares(scenario, scenario.run(runs=500, seed=1))
    assert (shares.get("never").share, shares.get("never").reason) == (None, CONSTANT)
    coin = _scenario(folder, "0.5")  # the level is fixed; only the run's own noise moves the answer
    shares = judgement_shares(coin, coin.run(runs=3000, seed=1))
    assert (shares.get("high").share, shares.get("high").reason) == (None, NOTHING_EXPLAINS)


def test_correlated_draws_give_no_share_and_say_why(folder: Path) -> None:
    scenario = _scenario(folder, "guess")
    draws = np.random.default_rng(0).random(2000)
    results = scenario.run(runs=2000, seed=1, parameters={"guess": draws, "measured": draws})
    shares = judgement_shares(scenario, results)
    assert shares.correlation > correlation_limit(2000)
    assert shares.dependent is not None and "guess and measured" in shares.dependent
    assert all(s.share is None for s in shares.answers)


@pytest.mark.parametrize(("read", "share"), [("guess", 1.0), ("measured", 0.0)])
def test_draws_correlated_within_what_bases_share_out_are_fitted_jointly(folder: Path, read: str, share: float) -> None:
    # guess and unread (both judgement) move together, measured follows them loosely:
    # the additive model still gives the answer to the basis of what it reads
    scenario = _scenario(folder, read)
    rng = np.random.default_rng(0)
    guess = rng.random(3000)
    unread = guess + 0.3 * rng.standard_normal(3000)
    measured = np.clip(0.5 * guess + 0.5 * rng.random(3000), 0, 1)
    results = scenario.run(runs=3000, seed=3, parameters={"guess": guess, "unread": unread, "measured": measured})
    shares = judgement_shares(scenario, results)
    assert shares.correlation > correlation_limit(3000) and shares.dependent is None
    for question in ("amount", "high"):
        s = shares.get(question)
        assert s.method == GROUPED_METHOD and s.share is not None and abs(s.share - share) < 0.1, (question, s)


def test_conditioned_runs_with_few_effective_runs_give_no_share_and_say_why() -> None:
    # the bundled scenario's log leaves a few hundred effective runs of 2000: too few
    # for a model of its 59 parameters, so no number that would be noise
    scenario = realpolitik.load("default")
    results = scenario.run(runs=2000, seed=1, as_of=scenario.spec.clock.as_of, horizon=30)
    shares = judgement_shares(scenario, results)
    assert shares.dependent is not None and "effective runs" in shares.dependent and "--as-of start" in shares.dependent
    assert all(s.share is None for s in shares.answers)


@settings(max_examples=8, deadline=None)
@given(batch=st.integers(1, 700))
def test_the_shares_are_bit_identical_for_any_batch_size(folder: Path, batch: int) -> None:
    scenario = _scenario(folder, "guess")
    once = judgement_shares(scenario, scenario.run(runs=700, seed=2))
    assert judgement_shares(scenario, scenario.run(runs=700, seed=2, batch_size=batch)) == once


def test_the_json_of_a_run_carries_each_answers_and_checkpoints_share(folder: Path) -> None:
    scenario = _scenario(folder, "measured")
    results = scenario.run(runs=500, seed=0)
    data = judgement_shares(scenario, results).annotated(results.to_dict())
    amount = next(a for a in data["answers"] if a["id"] == "amount")
    assert set(amount["judgement_share"]) >= {"share", "top", "method"}
    assert amount["judgement_share"]["top"][0] == {"parameter": "measured", "index": pytest.approx(0.7, abs=0.3), "basis": "data"}
    assert [c["judgement_share"]["share"] for c in amount["checkpoints"]] == [pytest.approx(0.0, abs=0.05)]


_DRAWS = hnp.arrays(np.float64, st.tuples(st.integers(20, 200), st.integers(1, 4)), elements=st.floats(-1e6, 1e6))


@settings(max_examples=60, deadline=None)
@given(draws=_DRAWS, seed=st.integers(0, 2**32 - 1), scale=st.floats(0.01, 100), shift=st.floats(-100, 100))
def test_the_indices_depend_on_the_ranks_of_the_draws_and_not_on_the_outcomes_units(draws: np.ndarray, seed: int, scale: float, shift: float) -> None:
    y = np.random.default_rng(seed).standard_normal(len(draws)) + np.round(draws[:, 0] / 1e5)
    index = first_order_indices(parameter_bins(draws), y)
    assert np.all(index <= 1.0 + 1e-9)
    monotone = rankdata(draws, method="min", axis=0)  # the draws' ranks (ties share one): the same bins
    assert np.allclose(first_order_indices(parameter_bins(monotone), y), index, atol=1e-9)
    assert np.allclose(first_order_indices(parameter_bins(draws), scale * y + shift), index, atol=1e-6)
    r, _, _ = rank_correlation(parameter_bins(draws))
    assert 0.0 <= r <= 1.0 + 1e-9
