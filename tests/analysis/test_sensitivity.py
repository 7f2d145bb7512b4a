"""Global sensitivity: Sobol' indices of the Ishigami function, Morris screening,
which parameters and questions are analysed, reproducibility and the exports; on a
random model, the noise kept out of the ranking (runs per point, common random
numbers, the Sobol' correction, the noise floor), and on the bundled scenario."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.analysis import what_if
from realpolitik.analysis.sensitivity import (
    AUTO_MAX_RUNS_PER_POINT,
    NOISE,
    PILOT_POINTS,
    PILOT_RUNS,
    MorrisIndices,
    SobolIndices,
    runs_per_point_needed,
    sensitivity,
    sobol_indices,
)
from realpolitik.cli import main
from realpolitik.engine import Intervention, numba_available
from realpolitik.errors import ScenarioError
from realpolitik.expr import FUNCTIONS
from realpolitik.scenario._reach import dependency_graph

# The Ishigami function with a = 7, b = 0.1 and x1, x2, x3 uniform on [-pi, pi]:
# V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8,
# V3 = 0, V13 = b^2 pi^8 (1/18 - 1/50) (Ishigami and Homma 1990; Sobol' and Levitan 1999).
A, B = 7.0, 0.1
_V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
_V2 = A**2 / 8
_V13 = B**2 * math.pi**8 * (1 / 18 - 1 / 50)
_V = _V1 + _V2 + _V13
S1 = {"x1": _V1 / _V, "x2": _V2 / _V, "x3": 0.0}  # 0.314, 0.442, 0
ST = {"x1": (_V1 + _V13) / _V, "x2": _V2 / _V, "x3": _V13 / _V}  # 0.558, 0.442, 0.244

#: Sobol' base sample: 8192 * (3 + 2) = 40,960 runs of one day take under a second;
#: at this size the bootstrap 95% half-widths are about 0.01-0.03.
N = 8192
TOLERANCE = 0.03


def _sin(x: str) -> str:
    """sin(x) in the expression language: the function when it has one, else its
    Taylor polynomial to x**25 / 25! (error below 1e-12 on [-pi, pi])."""
    if "sin" in FUNCTIONS:
        return f"sin({x})"
    terms = " ".join(f"{'-' if k % 2 else '+'} {x} ** {2 * k + 1} / {math.factorial(2 * k + 1)}" for k in range(13))
    return f"({terms})"


ISHIGAMI = f"""\
name: ishigami
clock: {{start: 2026-01-01, step_days: 1, horizon_days: 1}}
inventory: {{Q1: the Ishigami function}}
parameters:
  x1: {{prior: {{dist: uniform, low: {-math.pi!r}, high: {math.pi!r}}}}}
  x2: {{prior: {{dist: uniform, low: {-math.pi!r}, high: {math.pi!r}}}}}
  x3: {{prior: {{dist: uniform, low: {-math.pi!r}, high: {math.pi!r}}}}}
  scale: {{value: 1}}
  offset: {{prior: {{dist: fixed, value: 0}}}}
variables:
  y: {{initial: "scale * ({_sin('x1')} + 7 * {_sin('x2')} ** 2 + 0.1 * x3 ** 4 * {_sin('x1')}) + offset"}}
  flat: {{initial: 3}}
questions:
  ishigami:
    kind: quantiles
    text: The Ishigami function
    value: y
    at: 1
    cites: [Q1]
  constant:
    kind: quantiles
    text: A value no parameter moves
    value: flat
  y_positive:
    kind: probability
    text: Is y above 3.5?
    condition: y > 3.5
"""


@pytest.fixture(scope="module")
def ishigami(tmp_path_factory: pytest.TempPathFactory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("ishigami") / "ishigami.yaml"
    path.write_text(ISHIGAMI, encoding="utf-8")
    return realpolitik.load(path)


@pytest.fixture(scope="module")
def sobol(ishigami: realpolitik.Scenario):
    return sensitivity(ishigami, method="sobol", samples=N, seed=0)


def test_sobol_reproduces_the_ishigami_indices(sobol) -> None:
    q = sobol.question("ishigami")
    # A, B, three AB_i and the dummy's copy of A; the function is not random, so the
    # pilot asks for one run per point
    assert sobol.info.runs == N * 6
    assert (sobol.runs_per_point, sobol.auto, sobol.pilot_runs) == (1, True, PILOT_POINTS * PILOT_RUNS)
    for name in ("x1", "x2", "x3"):
        row = q.parameter(name)
        assert isinstance(row, SobolIndices)
        assert row.S1 == pytest.approx(S1[name], abs=TOLERANCE), name
        assert row.ST == pytest.approx(ST[name], abs=TOLERANCE), name
        # the bootstrap intervals are honest about that error
        assert abs(row.S1 - S1[name]) <= 2 * row.S1_conf, name
        assert abs(row.ST - ST[name]) <= 2 * row.ST_conf, name
    assert [r.name for r in q.parameters] == ["x1", "x2", "x3"]  # ranked by ST
    # nothing is random: the floor is 0 and every parameter that matters clears it
    assert q.noise_floor == 0.0 and q.noise == SobolIndices(NOISE, 0.0, 0.0, 0.0, 0.0)
    assert all(r.distinguishable for r in q.parameters)


def test_morris_ranks_x2_above_x3(ishigami: realpolitik.Scenario) -> None:
    result = sensitivity(ishigami, method="morris", samples=50, seed=0, questions=["ishigami"])
    rows = {r.name: r for r in result.question("ishigami").parameters}
    assert all(isinstance(r, MorrisIndices) for r in rows.values())
    assert rows["x2"].mu_star > rows["x3"].mu_star > 0
    assert result.info.runs == 50 * 5  # trajectories of 4 points, and the dummy's copy of the last
    mu = [r.mu_star for r in result.question("ishigami").parameters]
    assert mu == sorted(mu, reverse=True)


def test_fixed_parameters_are_left_out(sobol) -> None:
    assert sobol.parameters == ("x1", "x2", "x3")
    for q in sobol.questions:
        assert sorted(r.name for r in q.parameters) == ["x1", "x2", "x3"]


def test_an_outcome_without_variance_gets_nan_indices(sobol) -> None:
    rows = sobol.question("constant").parameters
    assert all(math.isnan(r.S1) and math.isnan(r.ST) for r in rows)
    assert json.loads(sobol.to_json())["questions"][1]["parameters"][0]["ST"] is None


def test_a_binary_outcome_is_analysed(sobol) -> None:
    rows = {r.name: r for r in sobol.question("y_positive").parameters}
    assert rows["x2"].ST > rows["x3"].ST
    assert all(0 <= r.ST_conf < 0.2 for r in rows.values())


def test_a_rare_outcome_that_never_varies_on_a_and_b_points_gets_nan() -> None:
    y = np.zeros(64 * 4)
    y[1] = 1.0  # only an AB point moves: no variance estimate to divide by
    rows = sobol_indices(y, ["a", "b"])
    assert all(math.isnan(r.ST) for r in rows)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [(None, ["ishigami", "constant", "y_positive"]), (["Q1"], ["ishigami"]), (["y_positive", "ishigami"], ["y_positive", "ishigami"])],
)
def test_questions_are_chosen_by_name_or_cited_id(ishigami, asked, expected) -> None:
    result = sensitivity(ishigami, method="morris", samples=4, seed=0, questions=asked)
    assert [q.id for q in result.questions] == expected


def test_a_bad_question_name_is_a_clear_error(ishigami: realpolitik.Scenario) -> None:
    with pytest.raises(ScenarioError) as err:
        sensitivity(ishigami, samples=8, questions=["ishigmai"])
    message = str(err.value)
    assert "--question" in message
    assert "no question 'ishigmai'" in message
    assert "did you mean 'ishigami'?" in message


def test_the_result_is_identical_for_the_same_seed(ishigami: realpolitik.Scenario) -> None:
    for method in ("sobol", "morris"):
        a = sensitivity(ishigami, method=method, samples=64, seed=3)
        b = sensitivity(ishigami, method=method, samples=64, seed=3)
        c = sensitivity(ishigami, method=method, samples=64, seed=4)
        assert a.to_json() == b.to_json()
        assert a.to_json() != c.to_json()


def test_seed_zero_is_reproducible_too(ishigami: realpolitik.Scenario) -> None:
    # SALib's Sobol' bootstrap takes a seed of 0 for "no seed"
    a = sensitivity(ishigami, samples=32, seed=0, questions=["ishigami"])
    b = sensitivity(ishigami, samples=32, seed=0, questions=["ishigami"])
    assert a == b


def test_runs_per_point_replicates_each_design_point(ishigami: realpolitik.Scenario) -> None:
    one = sensitivity(ishigami, samples=16, seed=1, questions=["ishigami"])  # auto: 1, the function is not random
    three = sensitivity(ishigami, samples=16, seed=1, questions=["ishigami"], runs_per_point=3)
    assert three.info.runs == 3 * one.info.runs
    # a deterministic outcome averages to itself
    for a, b in zip(one.question("ishigami").parameters, three.question("ishigami").parameters, strict=True):
        assert a.name == b.name
        assert (a.S1, a.ST, a.S1_conf, a.ST_conf) == pytest.approx((b.S1, b.ST, b.S1_conf, b.ST_conf), rel=1e-12)
    assert "--runs-per-point 3" in three.command


def test_exports(sobol, tmp_path: Path) -> None:
    data = sobol.to_dict()
    assert list(data) == ["method", "command", "runs", "seed", "samples", "runs_per_point", "pilot_runs", "questions"]
    assert data["method"] == "sobol" and data["samples"] == N and data["runs"] == 6 * N and data["seed"] == 0
    assert data["runs_per_point"] == 1 and data["pilot_runs"] == PILOT_POINTS * PILOT_RUNS
    q = data["questions"][0]
    assert list(q) == ["id", "cites", "text", "noise_floor", "noise_share", "noise", "parameters"]
    assert q["id"] == "ishigami" and q["cites"] == ["Q1"] and q["noise"]["name"] == NOISE
    assert list(q["parameters"][0]) == ["name", "S1", "S1_conf", "ST", "ST_conf", "distinguishable"]
    # the default (auto) runs per point is not in the command: the pilot picks the same again
    assert sobol.command == f"realpolitik sensitivity {sobol.info.scenario} --method sobol --samples {N} --seed 0"
    table = pq.read_table(sobol.write_parquet(tmp_path / "s.parquet"))
    assert table.num_rows == 3 * 3  # the dummy is not a parameter
    assert table.column_names == ["id", "cites", "parameter", "rank", "distinguishable", "S1", "S1_conf", "ST", "ST_conf", "noise_floor"]
    assert table.column("rank").to_pylist()[:3] == [1, 2, 3]
    assert table.schema.metadata[b"realpolitik.command"].decode() == sobol.command


def test_morris_exports(ishigami: realpolitik.Scenario) -> None:
    result = sensitivity(ishigami, method="morris", samples=8, seed=2, horizon=1, questions=["Q1"])
    assert list(result.to_dict()["questions"][0]["parameters"][0]) == ["name", "mu_star", "mu_star_conf", "sigma", "distinguishable"]
    assert result.command.endswith("--method morris --samples 8 --seed 2 --horizon 1 --question Q1")
    assert result.to_arrow().column_names == ["id", "cites", "parameter", "rank", "distinguishable", "mu_star", "mu_star_conf", "sigma", "noise_floor"]


def test_morris_keeps_unbounded_priors_finite(write_scenario) -> None:
    path = write_scenario(
        """\
name: tails
clock: {start: 2026-01-01, horizon_days: 1}
parameters:
  n: {prior: {dist: normal, mean: 0, sd: 1}}
  g: {prior: {dist: lognormal, median: 1, sigma: 1}}
variables:
  y: {initial: "n + g"}
questions:
  y: {kind: quantiles, text: y, value: y}
"""
    )
    result = sensitivity(realpolitik.load(path), method="morris", samples=10, seed=0)
    assert all(math.isfinite(r.mu_star) and r.mu_star > 0 for r in result.questions[0].parameters)


def test_bad_settings_and_no_uncertainty_are_refused(ishigami, write_scenario) -> None:
    with pytest.raises(ValueError, match="method"):
        sensitivity(ishigami, method="fast")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="samples"):
        sensitivity(ishigami, samples=1)
    with pytest.raises(ValueError, match="runs_per_point"):
        sensitivity(ishigami, samples=8, runs_per_point=0)
    certain = write_scenario(
        "name: certain\nclock: {start: 2026-01-01, horizon_days: 1}\nparameters:\n  k: {value: 1}\n"
        "variables:\n  y: {initial: k}\nquestions:\n  y: {kind: quantiles, text: y, value: y}\n"
    )
    with pytest.raises(ScenarioError, match="no uncertain parameter"):
        sensitivity(realpolitik.load(certain), samples=8)


# --- noise: a random model ----------------------------------------------------------
#
# ``rate`` is the daily hazard of ``hit``, so it moves the probability. ``switch`` picks
# which of two like events counts: it changes which runs come out yes, never how
# many, so it has no effect on the probability, yet a run's outcome depends on it.
# ``unread`` is read by nothing.
COIN = """\
name: coin
clock: {start: 2026-01-01, step_days: 1, horizon_days: 10}
parameters:
  rate: {prior: {dist: uniform, low: 0.0, high: 0.1}}
  switch: {prior: {dist: uniform, low: 0, high: 1}}
  unread: {prior: {dist: uniform, low: 0, high: 1}}
events:
  hit: {hazard: rate}
  left: {hazard: 0.05}
  right: {hazard: 0.05}
questions:
  hit_or_side:
    kind: probability
    text: Did the hit happen, or the event on the side the switch picks?
    condition: "hit > 0 or (switch < 0.5 and left > 0) or (switch >= 0.5 and right > 0)"
"""


@pytest.fixture(scope="module")
def coin(tmp_path_factory: pytest.TempPathFactory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("coin") / "coin.yaml"
    path.write_text(COIN, encoding="utf-8")
    return realpolitik.load(path)


@pytest.fixture(scope="module")
def coin_sobol(coin: realpolitik.Scenario):
    return sensitivity(coin, method="sobol", samples=256, seed=0, backend="numpy")


@pytest.fixture(scope="module")
def coin_morris(coin: realpolitik.Scenario):
    return sensitivity(coin, method="morris", samples=50, seed=0, backend="numpy")


def _index(row) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    return (row.ST, row.ST_conf) if isinstance(row, SobolIndices) else (row.mu_star, row.mu_star_conf)


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_a_parameter_nothing_reads_gets_exactly_zero_and_no_rank(method: str, coin_sobol, coin_morris) -> None:
    q = (coin_sobol if method == "sobol" else coin_morris).questions[0]
    unread = q.parameter("unread")
    # its points share their random numbers with the points they are compared with
    assert _index(unread) == (0.0, 0.0)
    assert not unread.distinguishable
    assert q.noise_floor > 0.0  # the runs are random: noise reaches some way
    # it is never ranked above a parameter that is distinguishable
    position = q.parameters.index(unread)
    assert all(not r.distinguishable for r in q.parameters[position:])
    assert q.ranked == (q.parameter("rate"),)
    assert q.indistinguishable[-1].name in ("unread", "switch")


def test_the_sobol_indices_are_corrected_for_the_noise_of_each_point(coin_sobol) -> None:
    q = coin_sobol.questions[0]
    assert coin_sobol.runs_per_point >= 2 and coin_sobol.auto
    # switch decides which runs come out yes but not how many: with the noise of the
    # paired differences taken off, its interval holds 0 (uncorrected it is ST
    # 0.13 +- 0.04 on these runs)
    switch = q.parameter("switch")
    assert isinstance(switch, SobolIndices)
    assert abs(switch.ST) <= switch.ST_conf and abs(switch.S1) <= switch.S1_conf
    assert not switch.distinguishable
    # the dummy's index, corrected too, holds 0 as well: where it falls is noise, and
    # its interval's half-width is the floor
    assert q.noise is not None and q.noise.name == NOISE
    assert abs(q.noise.ST) <= q.noise.ST_conf and q.noise_floor == q.noise.ST_conf
    # the probability is all rate's: its interval holds 1 and clears the floor
    rate = q.parameter("rate")
    assert rate.distinguishable and rate.ST - rate.ST_conf <= 1.0 <= rate.ST + rate.ST_conf
    assert 0.05 < q.noise_share < 0.9


def test_morris_ranks_only_what_clears_the_noise_of_a_dummy(coin_morris) -> None:
    q = coin_morris.questions[0]
    assert [r.name for r in q.ranked] == ["rate"]
    switch = q.parameter("switch")
    assert isinstance(switch, MorrisIndices) and switch.mu_star > 0  # mu* keeps some noise ...
    assert switch.mu_star + switch.mu_star_conf <= q.noise_floor  # ... below what noise alone reaches
    assert q.noise_floor == pytest.approx(q.noise.mu_star + q.noise.mu_star_conf)  # type: ignore[union-attr]


def test_with_one_run_per_point_noise_shows_as_an_index_and_nothing_is_ranked(coin: realpolitik.Scenario) -> None:
    result = sensitivity(coin, method="sobol", samples=256, seed=0, runs_per_point=1, backend="numpy")
    q = result.questions[0]
    assert not result.auto and result.pilot_runs == 0 and "--runs-per-point 1" in result.command
    # nothing can be taken off a single run: switch's flips read as influence ...
    assert q.parameter("switch").ST > 0.1  # type: ignore[union-attr]
    # ... and the floor, the top of the dummy's interval (about the noise share), says
    # so: no parameter is ranked
    assert q.noise_floor == pytest.approx(q.noise.ST + q.noise.ST_conf)  # type: ignore[union-attr]
    assert q.noise_floor > 0.5 and q.ranked == ()


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([np.tile(np.linspace(0, 1, 16)[:, None], (1, 4))], 1),  # no run is random
        ([np.full((16, 4), np.nan)], 1),  # beyond the horizon
        ([np.tile([[0.0, 1.0]], (16, 2))], AUTO_MAX_RUNS_PER_POINT),  # noise and no spread at all
        # probabilities 7/8 and 1/8 by turns: s2 = 0.125 (7/8 * 1/8 * 8/7), the means'
        # variance 0.15, of which 0.125 / 8 noise: r = 4 * 0.125 / 0.134 = 3.7
        ([np.tile([[1.0] * 7 + [0.0], [0.0] * 7 + [1.0]], (8, 1))], 4),
        ([np.ones((16, 4)), np.tile([[1.0] * 7 + [0.0], [0.0] * 7 + [1.0]], (8, 1))], 4),  # the largest of the questions
        ([np.tile([[1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]], (8, 1))], AUTO_MAX_RUNS_PER_POINT),  # 250, capped
    ],
)
def test_runs_per_point_needed(outcomes: list[np.ndarray], expected: int) -> None:
    assert runs_per_point_needed(outcomes) == expected


def test_runs_per_point_needed_refuses_a_pilot_without_replicates() -> None:
    with pytest.raises(ValueError, match="at least two runs"):
        runs_per_point_needed([np.ones(16)])


@settings(max_examples=4, deadline=None)
@given(method=st.sampled_from(["sobol", "morris"]), batch_size=st.integers(min_value=7, max_value=3000), seed=st.integers(0, 3))
def test_the_result_is_identical_for_any_batch_size(coin: realpolitik.Scenario, method: str, batch_size: int, seed: int) -> None:
    samples = 16 if method == "sobol" else 8
    default = sensitivity(coin, method=method, samples=samples, seed=seed, backend="numpy")
    split = sensitivity(coin, method=method, samples=samples, seed=seed, backend="numpy", batch_size=batch_size)
    assert split.to_dict() == default.to_dict()


def test_the_table_shows_what_cannot_be_told_from_noise(coin: realpolitik.Scenario, capsys) -> None:  # type: ignore[no-untyped-def]
    path = str(coin.path)
    code = main(["sensitivity", path, "--samples", "64", "--backend", "numpy", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    head, _, tail = out.partition("not distinguishable from noise")
    assert tail, out
    assert "│    1 │ rate" in head and "switch" in tail and "unread" in tail
    assert "2 parameters cannot be told apart from noise at this budget; raise --samples or --runs-per-point" in out
    assert "noise floor: ST " in out and "runs per design point (auto: from a pilot of 512 runs)" in out
    code = main(["sensitivity", path, "--samples", "8", "--runs-per-point", "2", "--json", "--no-progress"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["runs_per_point"] == 2 and data["command"].endswith("--runs-per-point 2")
    assert {"noise_floor", "noise_share", "noise"} <= set(data["questions"][0])
    assert main(["sensitivity", path, "--runs-per-point", "none"]) == 2
    assert "--runs-per-point must be a whole number of at least 1, or auto" in capsys.readouterr().err


# --- the bundled scenario -------------------------------------------------------------


def _reaches(scenario: realpolitik.Scenario, parameter: str, question: str) -> bool:
    """Whether a path leads from the parameter to the question in the scenario's graph."""
    graph = dependency_graph(scenario.spec, scenario.model)
    seen, todo = set(), [("parameter", parameter)]
    while todo:
        node = todo.pop()
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return ("question", question) in seen


@pytest.mark.slow
def test_on_the_bundled_scenario_only_what_reaches_a_question_is_ranked() -> None:
    scenario = realpolitik.load("default")
    q2, shortfall = "red_line_crossed", "ukraine_shortfall"
    # the premises: nothing leads from divert_cost to Q2 ...
    unreached = {q: [p.name for p in scenario.model.parameters if p.prior.dist != "fixed" and not _reaches(scenario, p.name, q)] for q in (q2, shortfall)}
    assert "divert_cost" in unreached[q2] and "red_line_cost" not in unreached[q2] and "divert_cost" not in unreached[shortfall]
    # ... so fixing it changes no run's answer, while red_line_cost, the log-odds
    # against a deliberate strike over the red line, drives it (paired what-ifs)
    assert what_if(scenario, Intervention.parse(set=["divert_cost=8"]), runs=500, seed=1).delta("Q2").delta.value == 0.0
    assert what_if(scenario, Intervention.parse(set=["red_line_cost=4"]), runs=500, seed=1).delta("Q2").delta.low > 0.05  # about 0.14 +- 0.015

    started = time.perf_counter()
    result = sensitivity(scenario, method="sobol", samples=64, seed=0, questions=["Q2", shortfall], backend="numba" if numba_available() else "numpy")
    took = time.perf_counter() - started
    for name in (q2, shortfall):
        q = result.question(name)
        # what is ranked reaches the question; what does not reach it gets exactly 0
        assert all(row.name not in unreached[name] for row in q.ranked)
        for unread in unreached[name]:  # divert_cost among them for Q2
            row = q.parameter(unread)
            assert (row.ST, row.ST_conf, row.distinguishable) == (0.0, 0.0, False), row
        assert q.noise_floor > 0.0
    # Q2 hangs on no parameter more than on noise at this budget (spiral_rate comes from a
    # class, tight); Ukraine's shortfall hangs on the cost of diverting interceptors
    ranked = result.question(shortfall).ranked
    assert ranked and ranked[0].name == "divert_cost"
    print(f"{result.runs_per_point} runs per point, {result.info.runs:,} runs in {took:.0f} s; floors {result.question(q2).noise_floor:.3f}, {result.question(shortfall).noise_floor:.3f}")
