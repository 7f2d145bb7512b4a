"""What-ifs over time: each answer's change at its checkpoints and every path's change
on every step, paired on common random numbers."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.analysis import what_if
from realpolitik.analysis.whatif import PATH_QUANTILES, PATH_RUNS
from realpolitik.cli import main
from realpolitik.engine import Intervention, run
from realpolitik.engine import Z95

DIVERT = Intervention.parse(force=["interceptor_allocation=divert_to_middle_east@10"])


@pytest.fixture(scope="module")
def scenario() -> realpolitik.Scenario:
    return realpolitik.load("default")


@pytest.fixture(scope="module")
def divert(scenario):  # type: ignore[no-untyped-def]
    return what_if(scenario, DIVERT, runs=600, seed=5, horizon=60)


def test_an_empty_intervention_changes_no_path_and_no_checkpoint(scenario) -> None:  # type: ignore[no-untyped-def]
    cmp = what_if(scenario, Intervention(), runs=300, seed=2, horizon=40)
    assert cmp.paths and not any(p.changed for p in cmp.paths)
    for p in cmp.paths:
        assert not p.delta.any() and not p.se.any()
    for d in cmp.deltas:
        for c in d.checkpoints:
            assert c.delta.value == 0.0 and c.baseline == c.intervention


def test_path_changes_are_the_arms_differences_and_the_runs_paired_changes(scenario, divert) -> None:  # type: ignore[no-untyped-def]
    base = run(scenario, runs=600, seed=5, horizon=60, keep_trajectories=600)
    changed = run(scenario, runs=600, seed=5, horizon=60, keep_trajectories=600, intervention=DIVERT)
    assert divert.kept_runs == 600 and divert.days == base.days
    shortfall = divert.path("ukraine_interceptor_shortfall")
    np.testing.assert_array_equal(shortfall.baseline, base.steps[("ukraine_interceptor_shortfall", "mean")])
    np.testing.assert_array_equal(shortfall.intervention, changed.steps[("ukraine_interceptor_shortfall", "mean")])
    per_run = changed.trajectories["ukraine_interceptor_shortfall"] - base.trajectories["ukraine_interceptor_shortfall"]
    # all runs kept: the exact change of the means is the mean of the runs' changes
    np.testing.assert_allclose(shortfall.delta, per_run.mean(axis=1), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(shortfall.se, per_run.std(axis=1, ddof=1) / np.sqrt(600))
    np.testing.assert_allclose(shortfall.high - shortfall.delta, Z95 * shortfall.se)
    for q in PATH_QUANTILES:
        np.testing.assert_allclose(shortfall.delta_quantiles[q], np.quantile(per_run, q, axis=1))
    # nothing changes before the option is forced on day 10, then the shortfall grows
    assert not shortfall.delta[:10].any() and shortfall.changed and shortfall.delta[-1] > 0


def test_a_forced_option_holds_in_every_run_from_its_day(divert) -> None:  # type: ignore[no-untyped-def]
    forced = divert.path("interceptor_allocation", "p_divert_to_middle_east")
    assert (forced.intervention[10:] == 1.0).all()
    np.testing.assert_allclose(forced.delta[10:], 1.0 - forced.baseline[10:])
    assert (forced.low >= -1).all() and (forced.high <= 1).all()
    with pytest.raises(KeyError, match="several paths"):
        divert.path("interceptor_allocation")


def test_checkpoint_deltas_are_paired_differences(scenario) -> None:  # type: ignore[no-untyped-def]
    cmp = what_if(scenario, DIVERT, runs=400, seed=9, horizon=90)
    q5 = cmp.delta("Q5")
    assert q5.checkpoints, "the bundled Q5 has checkpoints"
    base = run(scenario, runs=400, seed=9, horizon=90)
    changed = run(scenario, runs=400, seed=9, horizon=90, intervention=DIVERT)
    for c in q5.checkpoints:
        x = base.checkpoint_outcomes[q5.question][c.day]
        y = changed.checkpoint_outcomes[q5.question][c.day]
        assert c.delta.value == pytest.approx(float((y - x).mean()), rel=1e-12, abs=1e-12)
        assert c.baseline == next(k.estimate for k in base.answer("Q5").checkpoints if k.day == c.day)
    assert cmp.delta("Q5").checkpoints[-1].delta.low > 0


def test_probability_answers_over_time_in_both_arms(divert) -> None:  # type: ignore[no-untyped-def]
    for d in divert.deltas:
        if d.kind == "quantiles":
            assert d.over_time is None
            continue
        base, changed = d.over_time
        assert base.days == changed.days and base.days[-1] == d.day
        assert base.at(d.day) == d.baseline and changed.at(d.day) == d.intervention
        data = d.to_dict()["over_time"]
        np.testing.assert_allclose(data["delta"], changed.value - base.value)


def test_json_and_parquet_hold_every_path_on_every_day(divert, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(divert.to_json())
    assert data["paths"]["kept_runs"] == 600 and len(data["paths"]["days"]) == 61
    series = {(s["id"], s["stat"]): s for s in data["paths"]["series"]}
    assert len(series) == len(divert.paths)
    assert set(series[("brent", "mean")]["delta_quantiles"]) == {"q05", "q25", "q50", "q75", "q95"}
    assert "delta_quantiles" not in series[("hormuz", "p_open")]
    table = divert.write_parquet(tmp_path / "w.parquet")
    t = pq.read_table(table).to_pandas()
    path_rows = t[t.record == "path"]
    assert len(path_rows[(path_rows.id == "brent") & (path_rows.arm == "delta")]) == 61
    checkpoints = t[(t.record == "checkpoint") & (t.id == "ukraine_shortfall") & (t.arm == "delta")]
    assert sorted(checkpoints.day) == [c.day for c in divert.delta("Q5").checkpoints]


@settings(max_examples=4, deadline=None)
@given(batch=st.integers(50, 700))
def test_paths_do_not_depend_on_the_batch_size(scenario, divert, batch: int) -> None:  # type: ignore[no-untyped-def]
    again = what_if(scenario, DIVERT, runs=600, seed=5, horizon=60, batch_size=batch)
    assert again.to_json() == divert.to_json()


def test_the_paths_spread_comes_from_at_most_path_runs_runs(scenario) -> None:  # type: ignore[no-untyped-def]
    cmp = what_if(scenario, DIVERT, runs=PATH_RUNS + 200, seed=1, horizon=15)
    assert cmp.kept_runs == PATH_RUNS


def test_whatif_command_lists_the_changed_paths(capsys) -> None:  # type: ignore[no-untyped-def]
    # as of 2026-03-08 nearly every run diverts (the rounds' fit of divert_cost): keeping them changes the paths
    code = main(["whatif", "--force", "interceptor_allocation=keep_ukraine_share", "--runs", "300", "--horizon", "40", "--no-progress"])
    assert code == 0
    out = capsys.readouterr().out
    assert "paths that changed" in out and "ukraine_interceptor_shortfall: mean" in out
