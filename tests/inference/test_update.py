"""Likelihood weighting against Bayes' rule, resampling, and the value of watching."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.inference import Observation, effective_sample_size, systematic_resample, update, watch, weighted_estimate

LATENT = """\
name: latent
clock: {start: 2026-01-01, step_days: 1, horizon_days: 20}
parameters:
  u: {prior: {dist: uniform, low: 0, high: 1}}
  v: {prior: {dist: uniform, low: 0, high: 1}}
variables:
  secret: {type: boolean, initial: "u < 0.3"}
  noise: {type: boolean, initial: "v < 0.5"}
indicators:
  leak: {observes: secret, p_report: 0.6, false_rate: 0.05}
  chatter: {observes: noise, p_report: 0.6, false_rate: 0.05}
questions:
  is_secret: {kind: probability, text: "Is it secret?", condition: secret, at: 20}
"""
START = dt.date(2026, 1, 1)
RUNS = 20_000


@pytest.fixture(scope="module")
def latent(tmp_path_factory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("latent") / "latent.yaml"
    path.write_text(LATENT, encoding="utf-8")
    return realpolitik.load(path)


def _within(estimate, expected: float) -> None:
    assert abs(estimate.value - expected) < 4 * estimate.se + 1e-12, (estimate, expected)


def test_a_report_moves_the_answer_as_bayes_rule_says(latent) -> None:
    day5 = START + dt.timedelta(days=5)
    result = update(latent, [Observation("leak", day5, 1.0, "a")], now=day5, covered_from=day5, runs=RUNS, seed=1)
    q = result.questions[0]
    _within(q.before, 0.3)
    _within(q.after, 0.3 * 0.6 / (0.3 * 0.6 + 0.7 * 0.05))
    assert q.movers[0].key == "leak@2026-01-06" and q.movers[0].delta > 0.4


def test_silence_on_covered_days_is_evidence_too(latent) -> None:
    day5, day7 = START + dt.timedelta(days=5), START + dt.timedelta(days=7)
    # three days of news (5, 6, 7), "chatter" reported once, "leak" never
    result = update(latent, [Observation("chatter", day5, 1.0, "c")], now=day7, covered_from=day5, runs=RUNS, seed=2)
    silent = 0.3 * 0.4**3 / (0.3 * 0.4**3 + 0.7 * 0.95**3)
    _within(result.questions[0].after, silent)


def test_an_uncertain_extraction_counts_for_less(latent) -> None:
    day5 = START + dt.timedelta(days=5)
    answers = [
        update(latent, [Observation("leak", day5, k, "a")], now=day5, covered_from=day5, runs=RUNS, seed=3).questions[0].after.value
        for k in (0.0, 0.5, 1.0)
    ]
    silent = 0.3 * 0.4 / (0.3 * 0.4 + 0.7 * 0.95)
    assert answers[0] == pytest.approx(silent, abs=0.02)  # confidence 0: the same as no report
    assert answers[0] < answers[1] < answers[2]
    k = 0.5  # a mixture of a report and an extraction error
    lik_true, lik_false = k * 0.6 + (1 - k) * 0.4, k * 0.05 + (1 - k) * 0.95
    assert answers[1] == pytest.approx(0.3 * lik_true / (0.3 * lik_true + 0.7 * lik_false), abs=0.02)


def test_since_splits_before_and_after(latent) -> None:
    day3, day5 = START + dt.timedelta(days=3), START + dt.timedelta(days=5)
    obs = [Observation("leak", day3, 1.0, "old"), Observation("leak", day5, 1.0, "new")]
    result = update(latent, obs, now=day5, covered_from=day3, since=day5, runs=RUNS, seed=4)
    q = result.questions[0]
    one = 0.3 * 0.6 / (0.3 * 0.6 + 0.7 * 0.05)  # day 3 only (day 4 silent: x0.4 and x0.95)
    before = 0.3 * 0.6 * 0.4 / (0.3 * 0.6 * 0.4 + 0.7 * 0.05 * 0.95)
    assert before < one
    _within(q.before, before)
    assert q.after.value > q.before.value


def test_many_reports_collapse_the_weights_and_resample(latent) -> None:
    days = [START + dt.timedelta(days=d) for d in range(1, 15)]
    obs = [Observation("chatter", d, 1.0, f"c{d.day}") for d in days]
    # the posterior keeps the half of the runs where noise holds: the effective
    # sample size tends to 2,000 from above, and falls below 60% of the runs
    result = update(latent, obs, now=days[-1], runs=4000, seed=5, threshold=0.6)
    assert result.ess < 0.6 * 4000 and result.resampled
    prior, posterior = result.parameters["v"]
    assert prior == pytest.approx(0.5, abs=0.03) and posterior < 0.5  # noise needs v < 0.5


def test_unknown_indicator_is_named(latent) -> None:
    with pytest.raises(ValueError, match="no indicator 'leek'"):
        update(latent, [Observation("leek", START, 1.0, "x")], now=START, runs=100)


def test_watch_ranks_the_informative_indicator_first(latent) -> None:
    result = watch(latent, [], now=START + dt.timedelta(days=3), runs=4000, seed=6)
    assert [w.indicator for w in result.watches] == ["leak", "chatter"]
    leak = result.watches[0]
    assert leak.shifts["is_secret"] > 10 * result.watches[1].shifts["is_secret"]
    assert leak.p_report == pytest.approx(0.3 * 0.6 + 0.7 * 0.05, abs=0.02)
    assert leak.if_reported["is_secret"] == pytest.approx(0.8372, abs=0.03)


def test_the_update_repeats_exactly_and_depends_on_the_seed(latent) -> None:
    day5 = START + dt.timedelta(days=5)
    obs = [Observation("leak", day5, 0.9, "a")]
    first = update(latent, obs, now=day5, runs=3000, seed=9).to_dict()
    assert first == update(latent, obs, now=day5, runs=3000, seed=9).to_dict()
    assert first != update(latent, obs, now=day5, runs=3000, seed=10).to_dict()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=50), st.lists(st.floats(1e-6, 1e6), min_size=50, max_size=50))
def test_weighted_probability_stays_in_bounds(values: list[float], raw: list[float]) -> None:
    y = np.array([float(v > 0.5) for v in values])
    w = np.array(raw[: len(y)])
    e = weighted_estimate(y, w, probability=True)
    assert 0.0 <= e.low <= e.value <= e.high <= 1.0
    assert 1.0 <= effective_sample_size(w) <= len(y) + 1e-9


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1e3), min_size=2, max_size=200).filter(lambda w: sum(w) > 0), st.integers(0, 2**32))
def test_systematic_resampling_keeps_each_runs_share(raw: list[float], seed: int) -> None:
    w = np.array(raw)
    picks = np.bincount(systematic_resample(w, seed), minlength=len(w))
    expected = len(w) * w / w.sum()
    assert picks.sum() == len(w)
    assert (np.abs(picks - expected) < 1 + 1e-9).all()
