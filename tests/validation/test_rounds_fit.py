"""Fitting a parameter to the past rounds' recorded facts: on the toy world first
(where the answer is known: the toy's flare fires at a constant daily rate, and one
of its three rounds recorded a flare within 30 days), then the bundled fit of
``divert_cost`` (``benchmarks/results/reference-divert-cost.json``) reproduced on
``../shared/data``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import realpolitik
from realpolitik.errors import ScenarioError
from realpolitik.validation.backtest import Outcome, find_rounds
from realpolitik.validation.duration_fit import truncated_normal_matching
from realpolitik.validation.history import read_episodes
from realpolitik.validation.reference import file_facts, main
from realpolitik.validation.rounds_fit import ROUND_OUTCOMES, fit_parameter_to_rounds, outcome_probabilities, parse_outcome, rounds_fit_document
from tests.conftest import ROOT
from tests.validation.toy import OUTCOMES, World

DIVERT_JSON = ROOT / "benchmarks" / "results" / "reference-divert-cost.json"


@pytest.fixture(scope="module")
def toy_rounds(world: World) -> tuple:
    scenario = realpolitik.load(world.base)
    return tuple(find_rounds(scenario, read_episodes(world.episodes)))


def test_the_toy_rate_is_found_where_one_round_in_three_flared(toy_rounds: tuple) -> None:
    fit = fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=12, runs=3000, seed=0)
    assert [(o.round, o.happened) for o in fit.observations] == [("r1", True), ("r2", False), ("r3", False)]
    # each share is the chance of one flare in 30 days at the grid's rate, within Monte Carlo error
    for rate, shares in zip(fit.grid, fit.shares, strict=True):
        expected = 1 - math.exp(-30 * rate)
        assert all(abs(s - expected) < 4 * math.sqrt(expected * (1 - expected) / 3000) + 1e-3 for s in shares)
    # the likelihood is the rounds' Bernoulli probabilities of what they recorded
    for ll, shares in zip(fit.log_likelihood, fit.shares, strict=True):
        p = np.maximum([shares[0], 1 - shares[1], 1 - shares[2]], 0.5 / 3000)
        assert ll == pytest.approx(float(np.log(p).sum()), abs=1e-9)
    # one in three flared in 30 days: the rate's maximum likelihood is -log(2/3)/30 = 0.0135
    assert abs(fit.best - (-math.log(2 / 3) / 30)) <= 0.006
    assert sum(fit.posterior) == pytest.approx(1.0)
    assert 0.008 < fit.mean < 0.03 and fit.quantile(0.05) < fit.best < fit.quantile(0.95)


def test_more_flares_move_the_fit_up(toy_rounds: tuple) -> None:
    """Recording a flare where there was none can only raise the fitted rate."""
    one = fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=8, runs=1000, seed=1)
    flipped = tuple(type(r)(type(r.episode)(**{**r.episode.__dict__, "facts": {**r.episode.facts, "flared": True}}), r.scenario) for r in toy_rounds)
    three = fit_parameter_to_rounds(flipped, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=8, runs=1000, seed=1)
    assert three.mean > one.mean and three.best >= one.best


def test_unrecorded_outcomes_are_skipped_and_none_recorded_is_refused(toy_rounds: tuple) -> None:
    both = (*OUTCOMES, Outcome("russia_veto", "flared", 30))
    fit = fit_parameter_to_rounds(toy_rounds, "flare_rate", both, support=(0.0, 0.06), points=2, runs=50, seed=0)
    assert len(fit.observations) == 3 and fit.skipped == tuple(f"russia_veto: not recorded for {r}" for r in ("r1", "r2", "r3"))
    assert outcome_probabilities(toy_rounds[0], [Outcome("russia_veto", "flared")], {"flare_rate": 0.01}, runs=10, seed=0) == {}
    with pytest.raises(ValueError, match="no round records any of russia_veto"):
        fit_parameter_to_rounds(toy_rounds, "flare_rate", both[1:], support=(0.0, 0.06), points=2, runs=50, seed=0)
    with pytest.raises(ValueError, match="at least 2 grid values"):
        fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=1, runs=50, seed=0)
    with pytest.raises(ValueError, match="finite low < high"):
        fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.06, 0.0), points=2, runs=50, seed=0)
    with pytest.raises(ScenarioError, match="nope"):
        fit_parameter_to_rounds(toy_rounds, "nope", OUTCOMES, support=(0.0, 0.06), points=2, runs=50, seed=0)


def test_outcomes_from_the_command_line() -> None:
    assert parse_outcome("patriot_diversion") == ROUND_OUTCOMES["patriot_diversion"]
    assert parse_outcome(" flared = flared and price > 1 ") == Outcome("flared", "flared and price > 1", 30)
    for bad in ("nope", "=x", "x="):
        with pytest.raises(ValueError, match="--outcome"):
            parse_outcome(bad)


def test_the_document_and_the_command(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    doc = rounds_fit_document(realpolitik.load(world.base), world.episodes, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=3, runs=200, seed=0, command="the command")
    assert doc["command"] == "the command" and doc["scenario"]["name"] == "toy" and set(doc["rounds"]) == {"r1", "r2", "r3"}
    assert doc["data"]["episodes.yaml"]["sha256"] == file_facts(world.episodes)["sha256"] and len(doc["results"]["grid"]) == 3
    code = main(["rounds", "--scenario", str(world.base), "--parameter", "flare_rate", "--support", "0", "0.06", "--episodes", str(world.episodes), "--outcome", "flared=flared", "--points", "3", "--runs", "100", "--json"])
    out = capsys.readouterr()
    assert code == 0 and json.loads(out.out)["results"]["observations"][0] == {"round": "r1", "outcome": "flared", "happened": True}
    code = main(["rounds", "--scenario", str(world.base), "--parameter", "flare_rate", "--support", "0", "0.06", "--episodes", str(world.episodes), "--outcome", "flared=flared", "--points", "3", "--runs", "100"])
    text = capsys.readouterr().out
    assert code == 0 and "flare_rate fitted to 3 facts" in text and "r1 flared yes" in text and "log-likelihood" in text
    code = main(["rounds", "--scenario", str(world.base), "--parameter", "flare_rate", "--support", "0", "0.06", "--episodes", str(world.episodes), "--outcome", "nope"])
    err = capsys.readouterr().err
    assert code == 2 and "no outcome of that name" in err and "Traceback" not in err
    code = main(["rounds", "--scenario", str(world.base), "--parameter", "flare_rate", "--support", "0", "0.06", "--episodes", str(world.base.parent / "missing.yaml"), "--outcome", "flared=flared"])
    err = capsys.readouterr().err
    assert code == 2 and "missing.yaml" in err and "no such episodes file" in err
    code = main(["rounds", "--scenario", str(world.base), "--parameter", "flare_rat", "--support", "0", "0.06", "--episodes", str(world.episodes), "--outcome", "flared=flared"])
    err = capsys.readouterr().err
    assert code == 2 and "--parameter 'flare_rat': scenario" in err and "did you mean flare_rate?" in err and "Traceback" not in err
    code = main(["rounds", "--scenario", str(world.base), "--parameter", "flare_rate", "--support", "0", "0.06", "--episodes", str(world.episodes), "--outcome", "unheard=flared"])
    err = capsys.readouterr().err
    assert code == 2 and "no round records any of unheard (the rounds record: ceasefire_30d, flared," in err


@settings(max_examples=40, deadline=None)
@given(loc=st.floats(-3.0, 8.0), scale=st.floats(0.3, 6.0))
def test_a_cut_normal_is_recovered_from_its_mean_and_sd(loc: float, scale: float) -> None:
    """Whatever normal is cut to the support, its mean and sd once cut give back a
    normal with the same cut mean and sd (the summary a fit writes as a prior)."""
    low, high = 0.0, 10.0
    a, b = (low - loc) / scale, (high - loc) / scale
    mean, var = (float(x) for x in stats.truncnorm.stats(a, b, loc=loc, scale=scale, moments="mv"))
    got_loc, got_scale = truncated_normal_matching(mean, math.sqrt(var), (low, high))
    ga, gb = (low - got_loc) / got_scale, (high - got_loc) / got_scale
    m, v = (float(x) for x in stats.truncnorm.stats(ga, gb, loc=got_loc, scale=got_scale, moments="mv"))
    assert m == pytest.approx(mean, abs=2e-3 * math.sqrt(var)) and math.sqrt(v) == pytest.approx(math.sqrt(var), rel=2e-3)


def test_public_names_are_pinned() -> None:
    import realpolitik.validation.rounds_fit as module

    assert sorted(module.__all__) == sorted(["ROUND_OUTCOMES", "Observation", "RoundsFit", "fit_parameter_to_rounds", "outcome_probabilities", "parse_outcome", "render_rounds_text", "rounds_fit_document"])


# --------------------------------------------------------------------------- the bundled fit, on ../shared/data


def test_the_committed_divert_fit_is_reproduced_and_the_scenario_cites_it(shared_data: Path) -> None:
    """Three of its 40 grid values run again (each on the fit's seed, so each one
    reproduces alone), the episodes file is the one fitted, and the scenario's prior
    is the fit's."""
    doc = json.loads(DIVERT_JSON.read_text())
    r = doc["results"]
    assert doc["command"].startswith("python -m realpolitik.validation.reference rounds --scenario russia-iran-2026 --parameter divert_cost")
    episodes = shared_data / "episodes" / "episodes.yaml"
    assert file_facts(episodes)["sha256"] == doc["data"]["episodes.yaml"]["sha256"], "episodes.yaml has changed since the fit was written"
    scenario = realpolitik.load("russia-iran-2026")
    rounds = {x.episode.id: x for x in find_rounds(scenario, read_episodes(episodes))}
    outcomes = [Outcome(o["name"], o["condition"], o["by_day"]) for o in r["outcomes"]]
    for row in [r["grid"][i] for i in (0, 12, 39)]:
        shares = [outcome_probabilities(rounds[o["round"]], outcomes, {"divert_cost": row["value"]}, runs=r["runs_per_value"], seed=r["seed"])[o["outcome"]] for o in r["observations"]]
        assert [round(s, 4) for s in shares] == pytest.approx(row["shares"], abs=1e-4)
    spec = scenario.spec.parameters["divert_cost"]
    assert spec.basis == "data" and spec.data.file == "benchmarks/results/reference-divert-cost.json"
    written = r["prior"]
    assert (spec.prior.mean, spec.prior.sd, spec.prior.low, spec.prior.high) == (written["mean"], written["sd"], written["low"], written["high"])
