"""Fitting a parameter to the past rounds' recorded facts: on the toy world first
(where the answer is known: the toy's flare fires at a constant daily rate, and one
of its three rounds recorded a flare within 30 days), then the bundled fits of
``divert_cost`` and ``spiral_rate`` (``benchmarks/results/reference-*.json``, the
second with a reference class beside the rounds) reproduced on ``../shared/data``."""

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
from realpolitik.validation.rounds_fit import (
    ROUND_OUTCOMES, ClassRecord, class_record, fit_parameter_to_rounds, outcome_probabilities, parse_class, parse_outcome, rounds_fit_document,
)  # fmt: skip
from tests.conftest import ROOT
from tests.validation.toy import OUTCOMES, World



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


def test_a_reference_class_adds_its_binomial_to_the_rounds(toy_rounds: tuple) -> None:
    """The class's k of n is scored against the model's share averaged over the rounds,
    on top of the rounds' own facts; a class that flared more often pulls the rate up,
    and a large one outweighs the three rounds."""
    alone = fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=8, runs=1000, seed=1)
    often = ClassRecord("often", "flared", 60, 100, "60 of 100 flared")
    seldom = ClassRecord("seldom", "flared", 2, 100, "2 of 100 flared")
    fits = {c.name: fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=8, runs=1000, seed=1, records=[c]) for c in (often, seldom)}
    for c, fit in ((often, fits["often"]), (seldom, fits["seldom"])):
        assert fit.shares == alone.shares  # the same runs: common random numbers
        for ll, ll0, shares, (q,) in zip(fit.log_likelihood, alone.log_likelihood, fit.shares, fit.record_shares, strict=True):
            assert q == pytest.approx(float(np.mean(shares)))
            floor = 0.5 / 1000
            assert ll - ll0 == pytest.approx(c.happened * math.log(max(q, floor)) + (c.n - c.happened) * math.log(max(1 - q, floor)), abs=1e-9)
    assert fits["seldom"].mean < alone.mean < fits["often"].mean
    assert fits["often"].sd < alone.sd and fits["seldom"].sd < alone.sd
    doc = fits["often"].to_dict()
    assert doc["classes"] == [
        {"name": "often", "outcome": "flared", "happened": 60, "n": 100, "rule": "60 of 100 flared", "rounds": [], "outcome_basis": "judgement: the class's outcome read as the rounds' flared, in every round's variant"},
    ] and "class_shares" in doc["grid"][0]  # fmt: skip
    with pytest.raises(ValueError, match="its outcome 'hormuz_closed' is not among the outcomes scored"):
        fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=2, runs=50, seed=0, records=[ClassRecord("x", "hormuz_closed", 1, 2, "")])
    unheard = (*OUTCOMES, Outcome("unheard", "flared", 30))
    with pytest.raises(ValueError, match="no round records 'unheard'"):
        fit_parameter_to_rounds(toy_rounds, "flare_rate", unheard, support=(0.0, 0.06), points=2, runs=50, seed=0, records=[ClassRecord("x", "unheard", 1, 2, "")])


def _write_conflict(folder: Path) -> Path:
    """Three disputes since 1946 between rivals (one a war), one between non-rivals,
    one unreciprocated, one before 1946; and two since 1979 in which Iran was struck
    first, of which it answered one with force (its own hostility 4)."""
    folder.mkdir()
    rows = [(1, 1950, 4, 1), (2, 1960, 5, 1), (3, 1970, 4, 1), (4, 1980, 5, 1), (5, 1990, 4, 0), (6, 1940, 5, 1), (7, 1985, 4, 1), (8, 2005, 4, 0)]
    (folder / "gml_mid_disps.csv").write_text(
        "dispnum,styear,fatality,mindur,maxdur,hostlev,recip\n" + "".join(f"{n},{y},1,5,9,{h},{r}\n" for n, y, h, r in rows)
    )
    sides = {1: (630, 645), 2: (645, 630), 3: (630, 645), 4: (2, 20), 5: (630, 645), 6: (630, 645), 7: (2, 630), 8: (696, 630)}
    (folder / "gml_part.csv").write_text(
        "dispnum,ccode,styear,stmon,stday,endyear,endmon,endday,sidea\n"
        + "".join(f"{n},{a},{y},1,1,{y},1,9,1\n{n},{b},{y},1,1,{y},1,9,0\n" for (n, y, _, _), (a, b) in zip(rows, sides.values(), strict=True))
    )
    dyads = [(7, 630, 2, 1985, 0, 1, 4), (7, 2, 630, 1985, 1, 0, 4), (8, 630, 696, 2005, 0, 1, 1), (8, 696, 630, 2005, 1, 0, 4)]
    (folder / "gml_dirdisp.csv").write_text(
        "dispnum,ccode1,ccode2,year,sidea1,sidea2,revstate1,revstate2,revtype11,revtype12,revtype21,revtype22,hostlev1,ongo2010\n"
        + "".join(f"{n},{a},{b},{y},{sa},{sb},0,0,0,0,0,0,{h},0\n" for n, a, b, y, sa, sb, h in dyads)
    )
    (folder / "tss_rivalries.csv").write_text("tssr_id,rivalry,ccode1,ccode2,start,end\n1,Iran-Iraq,630,645,1930,2003\n")
    return folder


def test_the_rivalry_class_is_counted_from_the_conflict_files(tmp_path: Path) -> None:
    record = class_record("rivalry_war", _write_conflict(tmp_path / "conflict"), "flared")
    assert (record.happened, record.n, record.outcome) == (1, 3, "flared") and len(record.files) == 4
    with pytest.raises(ValueError, match="no reference class 'nope'"):
        class_record("nope", tmp_path / "conflict", "flared")
    assert parse_class(" rivalry_war = flared ") == ("rivalry_war", "flared", ())
    assert parse_class("iran_answered=flared@r1, r2") == ("iran_answered", "flared", ("r1", "r2"))
    for bad in ("rivalry_war", "=flared", "nope=flared", "rivalry_war=flared@", "rivalry_war=flared@r1,"):
        with pytest.raises(ValueError, match="--class"):
            parse_class(bad)
    answered = class_record("iran_answered", tmp_path / "conflict", "flared", ["r1"])
    assert (answered.happened, answered.n, answered.rounds) == (1, 2, ("r1",)) and "in the r1 variant" in answered.to_dict()["outcome_basis"]


def test_a_class_stands_for_the_rounds_it_names(toy_rounds: tuple) -> None:
    """Named rounds: the class is scored against their variants' mean share only; a
    name no round records is refused."""
    fit = fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=3, runs=500, seed=1, records=[ClassRecord("c", "flared", 3, 10, "", (), ("r2", "r3"))])
    for shares, (q,) in zip(fit.shares, fit.record_shares, strict=True):
        assert q == pytest.approx((shares[1] + shares[2]) / 2)
    with pytest.raises(ValueError, match="no round 'r9' records 'flared'"):
        fit_parameter_to_rounds(toy_rounds, "flare_rate", OUTCOMES, support=(0.0, 0.06), points=2, runs=50, seed=0, records=[ClassRecord("c", "flared", 1, 2, "", (), ("r9",))])


def test_the_command_scores_a_class(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conflict = _write_conflict(tmp_path / "conflict")
    base = ["rounds", "--scenario", str(world.base), "--parameter", "flare_rate", "--support", "0", "0.06", "--episodes", str(world.episodes), "--outcome", "flared=flared", "--points", "3", "--runs", "100"]
    assert main([*base, "--class", "rivalry_war=flared", "--conflict", str(conflict), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"]["classes"][0]["happened"] == 1 and doc["data"]["tss_rivalries.csv"]["sha256"] == file_facts(conflict / "tss_rivalries.csv")["sha256"]
    assert "rivalry_war" in doc["what"]
    assert main([*base, "--class", "rivalry_war=flared", "--conflict", str(conflict)]) == 0
    assert "rivalry_war 1/3 = 0.333" in capsys.readouterr().out
    assert main([*base, "--class", "rivalry_war=flared"]) == 2
    err = capsys.readouterr().err
    assert "give --conflict" in err and "Traceback" not in err
    assert main([*base, "--class", "rivalry_war=flared", "--conflict", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "no such file" in err and "Traceback" not in err


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

    assert sorted(module.__all__) == sorted([
        "CLASS_RECORDS", "ROUND_OUTCOMES", "ClassRecord", "Observation", "RoundsFit", "class_record", "fit_parameter_to_rounds", "outcome_probabilities", "parse_class",
        "parse_outcome", "render_rounds_text", "rounds_fit_document",
    ])  # fmt: skip


# --------------------------------------------------------------------------- the bundled fit, on ../shared/data


@pytest.mark.parametrize(("name", "parameter"), [("reference-divert-cost.json", "divert_cost"), ("reference-spiral-rate.json", "spiral_rate")])
def test_a_committed_rounds_fit_is_reproduced_and_the_scenario_cites_it(shared_data: Path, name: str, parameter: str) -> None:
    """Three of its 40 grid values run again (each on the fit's seed, so each one
    reproduces alone), the data files are the ones fitted, a reference class counts
    as it did, and the scenario's prior is the fit's."""
    doc = json.loads((ROOT / "benchmarks" / "results" / name).read_text())
    r = doc["results"]
    assert doc["command"].startswith(f"python -m realpolitik.validation.reference rounds --scenario russia-iran-2026 --parameter {parameter}")
    episodes = shared_data / "episodes" / "episodes.yaml"
    assert file_facts(episodes)["sha256"] == doc["data"]["episodes.yaml"]["sha256"], "episodes.yaml has changed since the fit was written"
    records = [class_record(c["name"], shared_data / "conflict", c["outcome"], c["rounds"]) for c in r.get("classes", [])]
    assert [(c.happened, c.n) for c in records] == [(c["happened"], c["n"]) for c in r.get("classes", [])]
    scenario = realpolitik.load("russia-iran-2026")
    rounds = {x.episode.id: x for x in find_rounds(scenario, read_episodes(episodes))}
    outcomes = [Outcome(o["name"], o["condition"], o["by_day"]) for o in r["outcomes"]]
    for row in [r["grid"][i] for i in (0, 12, 39)]:
        by_round = {k: outcome_probabilities(x, outcomes, {parameter: row["value"]}, runs=r["runs_per_value"], seed=r["seed"]) for k, x in rounds.items()}
        shares = [by_round[o["round"]][o["outcome"]] for o in r["observations"]]
        assert [round(s, 4) for s in shares] == pytest.approx(row["shares"], abs=1e-4)
        for k, c in enumerate(records):
            shares = [v[c.outcome] for name, v in by_round.items() if c.outcome in v and (not c.rounds or name in c.rounds)]
            assert float(np.mean(shares)) == pytest.approx(row["class_shares"][k], abs=1e-4)
    spec = scenario.spec.parameters[parameter]
    assert spec.basis == "data" and spec.data.file == f"benchmarks/results/{name}"
    written = r["prior"]
    assert (spec.prior.mean, spec.prior.sd, spec.prior.low, spec.prior.high) == (written["mean"], written["sd"], written["low"], written["high"])
