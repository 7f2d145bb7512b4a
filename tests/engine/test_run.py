"""The engine: reproducibility, the laws of its random parts, bounds, memory."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.engine import run
from realpolitik.errors import SimulationError
from tests.scenario.minimal import MINIMAL


def _load(text: str) -> realpolitik.Scenario:
    """Load scenario text (for Hypothesis tests, which cannot use function-scoped fixtures)."""
    path = Path(tempfile.mkdtemp()) / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return realpolitik.load(path)


def _same(a: realpolitik.Results, b: realpolitik.Results) -> None:
    assert a.to_json() == b.to_json()
    assert a.steps.keys() == b.steps.keys()
    for key in a.steps:
        np.testing.assert_array_equal(a.steps[key], b.steps[key], err_msg=str(key))
    for key in a.trajectories:
        np.testing.assert_array_equal(a.trajectories[key], b.trajectories[key], err_msg=key)


@pytest.mark.slow
def test_bundled_scenario_is_identical_whatever_the_batch_size() -> None:
    scenario = realpolitik.load("default")
    small = [run(scenario, runs=40, seed=3, horizon=30, batch_size=b) for b in (1, 7, 40)]
    _same(small[0], small[1])
    _same(small[0], small[2])
    large = [run(scenario, runs=2500, seed=3, horizon=30, batch_size=b) for b in (1000, 2500)]
    _same(large[0], large[1])


@settings(max_examples=15, deadline=None)
@given(runs=st.integers(1, 60), batch=st.integers(1, 70), seed=st.integers(0, 2**63 - 1))
def test_answers_do_not_depend_on_batch_size(runs: int, batch: int, seed: int) -> None:
    scenario = _load(MINIMAL)
    _same(run(scenario, runs=runs, seed=seed, batch_size=batch), run(scenario, runs=runs, seed=seed, batch_size=runs))


def test_a_run_does_not_depend_on_the_other_runs(write_scenario) -> None:
    scenario = realpolitik.load(write_scenario(MINIMAL))
    ten = run(scenario, runs=10, seed=5, keep_trajectories=10)
    three = run(scenario, runs=3, seed=5, keep_trajectories=3)
    for name, paths in three.trajectories.items():
        np.testing.assert_array_equal(paths, ten.trajectories[name][:, :3])


def test_seed_changes_results_and_repeats_exactly(write_scenario) -> None:
    scenario = realpolitik.load(write_scenario(MINIMAL))
    a, b, c = (run(scenario, runs=500, seed=s) for s in (1, 1, 2))
    _same(a, b)
    assert a.answer("price_end").estimate.value != c.answer("price_end").estimate.value


def test_adding_an_element_leaves_the_other_streams_alone(write_scenario) -> None:
    base = realpolitik.load(write_scenario(MINIMAL))
    text = MINIMAL.replace("mechanisms:\n", "  other_shock:\n    hazard: 0.2\nmechanisms:\n")
    extended = realpolitik.load(write_scenario(text, "extended.yaml"))
    a, b = run(base, runs=300, seed=9), run(extended, runs=300, seed=9)
    np.testing.assert_array_equal(a.trajectories["shock"], b.trajectories["shock"])
    np.testing.assert_array_equal(a.trajectories["price"], b.trajectories["price"])


CONSTANT_HAZARD = """\
name: hazard
clock: {start: 2026-01-01, step_days: 1, horizon_days: 60}
events:
  strike: {hazard: 0.02, once: true}
  repeat: {hazard: 0.1}
questions:
  struck:
    kind: first_passage
    text: when?
    condition: strike > 0
    checkpoints: [10, 30]
"""


def test_event_probability_follows_the_hazard(write_scenario) -> None:
    r = run(realpolitik.load(write_scenario(CONSTANT_HAZARD)), runs=20_000, seed=11)
    a = r.answer("struck")
    for day, estimate in [(60, a.estimate)] + [(c.day, c.estimate) for c in a.checkpoints]:
        expected = 1 - math.exp(-0.02 * day)
        assert abs(estimate.value - expected) < 4 * estimate.se, (day, estimate, expected)
        assert estimate.low <= estimate.value <= estimate.high
    assert r.trajectories["strike"].max() == 1  # once
    counts = r.steps[("repeat", "mean_count")]
    expected_mean = 60 * (1 - math.exp(-0.1))
    assert abs(counts[-1] - expected_mean) < 0.1


def test_first_passage_days_are_within_the_horizon(write_scenario) -> None:
    r = run(realpolitik.load(write_scenario(CONSTANT_HAZARD)), runs=5000, seed=2)
    qs = r.answer("struck").quantiles
    assert 0 < qs[0.5].value <= 60
    assert qs[0.05].value <= qs[0.5].value <= qs[0.95].value


QUANTAL = """\
name: quantal
clock: {start: 2026-01-01, step_days: 1, horizon_days: 1}
parameters:
  lam: {value: 1.5}
variables:
  gain: {type: continuous, initial: 0}
actors:
  a:
    rationality: lam
    interests:
      wealth: {value: gain, weight: 2}
    decisions:
      pick:
        options:
          zero: {}
          one: {utility: 1}
          blocked: {when: "gain > 100", utility: 50}
          half: {effects: {gain: 0.25}}
questions:
  picked_one:
    kind: probability
    text: one?
    condition: pick == one
    at: 1
"""


def test_quantal_response_follows_the_logit(write_scenario) -> None:
    r = run(realpolitik.load(write_scenario(QUANTAL)), runs=40_000, seed=4)
    # utilities: zero 0, one 1, half 2 * 0.25 = 0.5 (interest foreseen), blocked infeasible
    weights = np.exp(1.5 * np.array([0.0, 1.0, 0.0, 0.5]))
    weights[2] = 0
    shares = weights / weights.sum()
    for k, option in enumerate(["zero", "one", "blocked", "half"]):
        got = r.steps[("pick", f"p_{option}")][-1]
        se = math.sqrt(shares[k] * (1 - shares[k]) / 40_000)
        assert abs(got - shares[k]) <= 4 * se + 1e-12, (option, got, shares[k])


@settings(max_examples=20, deadline=None)
@given(low=st.floats(-100, 100), width=st.floats(0.1, 100), drift=st.floats(-50, 50), noise=st.floats(0, 30))
def test_variables_stay_within_their_bounds(low: float, width: float, drift: float, noise: float) -> None:
    text = f"""\
name: bounds
clock: {{start: 2026-01-01, horizon_days: 20}}
variables:
  x: {{type: continuous, bounds: [{low!r}, {low + width!r}], initial: {low!r}}}
  rung: {{type: levels, levels: [a, b, c]}}
mechanisms:
  move: {{target: x, update: "x + {drift!r} + {noise!r} * normal()"}}
  climb: {{target: rung, update: "rung + {drift!r} * uniform()"}}
"""
    r = run(_load(text), runs=200, seed=1, keep_trajectories=200)
    x = r.trajectories["x"]
    assert x.min() >= low and x.max() <= low + width
    rung = r.trajectories["rung"]
    assert set(np.unique(rung)) <= {0.0, 1.0, 2.0}
    p = sum(r.steps[("rung", f"p_{lv}")] for lv in "abc")
    np.testing.assert_allclose(p, 1.0)


def test_memory_grows_with_steps_not_runs_times_steps(write_scenario) -> None:
    scenario = realpolitik.load(write_scenario(MINIMAL))
    r = run(scenario, runs=3000, seed=0, keep_trajectories=25)
    assert all(len(v) == 31 for v in r.steps.values())
    assert all(v.shape == (31, 25) for v in r.trajectories.values())


def test_questions_past_the_horizon_say_so(write_scenario) -> None:
    r = run(realpolitik.load(write_scenario(MINIMAL)), runs=100, seed=0, horizon=5)
    a = r.answer("shocked")
    assert a.day == 5 and a.status == "ok"  # 'by' defaults to the run's horizon
    assert [c.day for c in a.checkpoints] == []  # day 10 is past a 5-day horizon


def test_non_finite_values_stop_the_run_with_the_culprit(write_scenario) -> None:
    text = MINIMAL.replace('update: "price * (1 + 0.01 * ladder)"', 'update: "log(price - 200)"').replace("bounds: [0, 500], ", "")
    with pytest.raises(SimulationError, match="mechanism 'drift' gave nan at step 1 in run 0"):
        run(realpolitik.load(write_scenario(text)), runs=10, seed=0)


@pytest.mark.parametrize(("option", "value"), [("runs", 0), ("seed", -1), ("horizon", 0), ("batch_size", 0)])
def test_bad_run_options_are_refused(write_scenario, option: str, value: int) -> None:
    scenario = realpolitik.load(write_scenario(MINIMAL))
    kwargs = {"runs": 10, "seed": 0, option: value}
    with pytest.raises(ValueError, match=option.split("_")[0]):
        run(scenario, **kwargs)


def test_parameter_designs_replace_the_prior_and_are_checked(write_scenario) -> None:
    scenario = realpolitik.load(write_scenario(MINIMAL))
    design = {"rate": np.linspace(0.0, 1.0, 50)}
    r = run(scenario, runs=50, seed=0, parameters=design)
    np.testing.assert_array_equal(r.parameters["rate"], design["rate"])
    with pytest.raises(ValueError, match="not a finite number"):
        run(scenario, runs=2, seed=0, parameters={"rate": np.array([0.1, np.nan])})
    with pytest.raises(ValueError, match="values for 3 runs"):
        run(scenario, runs=3, seed=0, parameters={"rate": np.zeros(2)})
    with pytest.raises(realpolitik.ScenarioError, match="no parameter 'rat'"):
        run(scenario, runs=2, seed=0, parameters={"rat": np.zeros(2)})


def test_the_written_out_normal_quantile_is_scipys() -> None:
    from scipy import stats

    from realpolitik.engine import _questions

    assert _questions._Z == float(stats.norm.ppf(0.975))


def test_importing_and_checking_leave_scipy_out() -> None:
    """``import realpolitik``, the command line's start and checking a scenario stay
    free of SciPy (most of a second to import), which only the commands that sample
    need."""
    import subprocess
    import sys

    code = (
        "import sys, realpolitik, realpolitik.cli; realpolitik.check('default'); "
        "print('scipy.stats' in sys.modules, 'scipy.special' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["False", "False"]
