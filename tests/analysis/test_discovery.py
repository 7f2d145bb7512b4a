"""Scenario discovery: PRIM recovers a known box, CART agrees, errors and edge cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import realpolitik
from realpolitik.analysis.discovery import Box, Rule, classification_tree, discover, prim
from realpolitik.errors import ScenarioError

#: The outcome holds exactly when a > 0.6 and b < 0.3 (mass 0.12); c is irrelevant.
BOX = """\
name: known-box
clock: {start: 2026-01-01, step_days: 1, horizon_days: 2}
parameters:
  a: {prior: {dist: uniform, low: 0, high: 1}}
  b: {prior: {dist: uniform, low: 0, high: 1}}
  c: {prior: {dist: uniform, low: 0, high: 1}}
  k: {value: 3}
variables:
  inside: {type: boolean, initial: "a > 0.6 and b < 0.3"}
  level: {initial: 0}
mechanisms:
  rise:
    target: level
    update: "level + k * inside"
events:
  coin: {hazard: 0.7}  # fires on a day with chance 1 - exp(-0.7), about 0.5, whatever the parameters
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> realpolitik.Scenario:
    path = tmp_path_factory.mktemp("discovery") / "box.yaml"
    path.write_text(BOX, encoding="utf-8")
    return realpolitik.load(path)


@pytest.fixture(scope="module")
def found(scenario: realpolitik.Scenario):
    return discover(scenario, "level > 2", by=1, runs=4000, seed=0)


def test_prim_recovers_the_known_box(found) -> None:
    assert found.base_rate == pytest.approx(0.12, abs=0.02)
    box = found.boxes[0]
    a, b = box.rule("a"), box.rule("b")
    assert a is not None and a.low == pytest.approx(0.6, abs=0.05) and a.high is None
    assert b is not None and b.high == pytest.approx(0.3, abs=0.05) and b.low is None
    assert box.rule("c") is None
    assert box.density >= 0.9
    assert box.coverage >= 0.8
    assert box.mass == pytest.approx(0.12, abs=0.02)
    assert box.text.startswith("a > 0.6")
    assert " and b < 0.3" in box.text
    assert "of such runs have the outcome (density " in box.text and "(coverage " in box.text


def test_the_peeling_trajectory_is_kept(found) -> None:
    steps = found.boxes[0].trajectory
    assert steps[0].mass == 1.0 and steps[0].coverage == 1.0 and steps[0].density == pytest.approx(found.base_rate)
    assert steps[0].peeled == ""
    masses = [s.mass for s in steps]
    assert masses == sorted(masses, reverse=True)
    densities = [s.density for s in steps]
    assert densities == sorted(densities)
    assert {s.peeled for s in steps[1:]} <= {f"{p}, {end} end" for p in "abc" for end in ("low", "high")}
    assert steps[1].peeled in ("a, low end", "b, high end")
    assert 0 < found.boxes[0].chosen < len(steps)


def test_the_tree_splits_on_a_and_b(found) -> None:
    assert "b <= 0.3" in found.tree
    assert "a >  0.6" in found.tree
    assert "c <=" not in found.tree


def test_fixed_parameters_are_left_out(found) -> None:
    assert found.parameters == ("a", "b", "c")


def test_an_unknown_name_in_the_outcome_is_a_clear_error(scenario: realpolitik.Scenario) -> None:
    with pytest.raises(ScenarioError) as err:
        discover(scenario, "levle > 2", runs=10)
    message = str(err.value)
    assert message.startswith("--outcome")
    assert "unknown name 'levle'" in message
    assert "did you mean 'level'?" in message


def test_an_outcome_that_never_happens_gives_no_box(scenario: realpolitik.Scenario, tmp_path: Path) -> None:
    d = discover(scenario, "level > 100", runs=500, seed=1)
    assert d.base_rate == 0.0
    assert d.boxes == ()
    assert "never happens" in d.tree
    assert d.text == "no box: the outcome never happens in the 500 runs"
    assert json.loads(d.to_json())["boxes"] == []
    assert pq.read_table(d.write_parquet(tmp_path / "none.parquet")).num_rows == 0


def test_an_outcome_that_always_happens_gives_no_box(scenario: realpolitik.Scenario) -> None:
    d = discover(scenario, "level >= 0", runs=200, seed=1)
    assert d.base_rate == 1.0 and d.boxes == () and "always happens" in d.tree


def test_no_box_when_nothing_reaches_the_threshold_says_how_dense_it_gets(scenario: realpolitik.Scenario) -> None:
    d = discover(scenario, "coin > 0", by=1, runs=2000, seed=0, threshold=0.9)
    assert d.base_rate == pytest.approx(0.5, abs=0.05)
    assert d.boxes == ()
    assert d.text.startswith("no box reaches density 0.9; the densest box found has density ")
    assert d.trajectory and max(s.density for s in d.trajectory) < 0.9


def test_the_text_lists_the_boxes(found) -> None:
    assert found.text == found.boxes[0].text


def test_the_day_matters(scenario: realpolitik.Scenario) -> None:
    # the level first passes 2 on day 1: by day 0 it never has
    assert discover(scenario, "level > 2", by=0, runs=300).base_rate == 0.0
    with pytest.raises(ValueError, match="horizon"):
        discover(scenario, "level > 2", by=3, runs=10)


def test_the_result_is_identical_for_the_same_seed(scenario: realpolitik.Scenario) -> None:
    a = discover(scenario, "inside", runs=1000, seed=5)
    b = discover(scenario, "inside", runs=1000, seed=5)
    assert a.to_json() == b.to_json()


def test_exports(found, tmp_path: Path) -> None:
    data = found.to_dict()
    assert list(data) == ["outcome", "by", "command", "runs", "seed", "base_rate", "boxes", "tree", "trajectory"]
    assert data["trajectory"] == [s.to_dict() for s in found.boxes[0].trajectory]
    assert data["outcome"] == "level > 2" and data["by"] == 1 and data["runs"] == 4000 and data["seed"] == 0
    box = data["boxes"][0]
    assert {"rules", "coverage", "density", "mass", "text"} <= set(box)
    assert [r["parameter"] for r in box["rules"]] == ["a", "b"]
    assert box["rules"][0]["high"] is None
    assert json.loads(found.to_json()) == json.loads(json.dumps(data))
    assert found.command == f"realpolitik discover {found.info.scenario} --outcome 'level > 2' --by 1 --runs 4000 --seed 0"
    table = pq.read_table(found.write_parquet(tmp_path / "d.parquet"))
    assert table.column_names == ["box", "parameter", "low", "high", "coverage", "density", "mass", "text"]
    assert table.column("parameter").to_pylist()[:2] == ["a", "b"]
    assert table.schema.metadata[b"realpolitik.tree"].decode() == found.tree


def test_non_default_settings_are_in_the_command(scenario: realpolitik.Scenario) -> None:
    d = discover(scenario, "inside", runs=300, seed=2, horizon=1, threshold=0.9, alpha=0.1, max_boxes=1)
    assert d.command.endswith("--outcome inside --runs 300 --seed 2 --horizon 1 --threshold 0.9 --alpha 0.1 --max-boxes 1")


# PRIM itself, on arrays.


def test_covering_finds_two_separate_boxes() -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(size=(6000, 3))
    y = (x[:, 0] > 0.8) | (x[:, 1] > 0.85)
    boxes = prim(x, y, ["a", "b", "c"], threshold=0.9)
    assert len(boxes) >= 2
    found = sorted((b.rules[0].parameter, round(b.rules[0].low, 1)) for b in boxes[:2] if len(b.rules) == 1)
    assert found == [("a", 0.8), ("b", 0.8)] or found == [("a", 0.8), ("b", 0.9)]
    assert sum(b.coverage for b in boxes[:2]) == pytest.approx(1.0, abs=0.05)


def test_noisy_outcomes_still_give_the_box() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(size=(8000, 3))
    truth = (x[:, 0] > 0.6) & (x[:, 1] < 0.3)
    flip = rng.uniform(size=8000) < 0.05
    y = truth ^ flip
    box = prim(x, y, ["a", "b", "c"], threshold=0.8)[0]
    assert box.rule("a").low == pytest.approx(0.6, abs=0.05)  # type: ignore[union-attr]
    assert box.rule("b").high == pytest.approx(0.3, abs=0.05)  # type: ignore[union-attr]
    assert box.rule("c") is None
    # flipped labels outside the box are hits no box can cover without losing density
    best_coverage = y[truth].sum() / y.sum()
    assert box.density >= 0.9 and box.coverage >= best_coverage - 0.05


def test_a_two_sided_restriction_and_discrete_values() -> None:
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.uniform(size=5000), rng.integers(0, 5, size=5000).astype(float)])
    y = (0.3 < x[:, 0]) & (x[:, 0] < 0.6) & (x[:, 1] == 2)
    box = prim(x, y, ["u", "level"], threshold=0.9)[0]
    u, level = box.rule("u"), box.rule("level")
    assert u is not None and u.low == pytest.approx(0.3, abs=0.03) and u.high == pytest.approx(0.6, abs=0.03)
    assert level is not None and level.low == pytest.approx(1.5) and level.high == pytest.approx(2.5)
    assert "< u <" in box.text
    assert box.contains(["u", "level"], x).sum() == pytest.approx(box.mass * len(x))


def test_no_box_when_nothing_reaches_the_threshold() -> None:
    rng = np.random.default_rng(2)
    x = rng.uniform(size=(2000, 2))
    y = rng.uniform(size=2000) < 0.3  # unrelated to x
    assert prim(x, y, ["a", "b"], threshold=0.9) == ()


def test_box_and_rule_text() -> None:
    box = Box((Rule("iran_rationality", None, 1.2), Rule("fear_premium_per_level", 11.5, None)), coverage=0.61, density=0.78, mass=0.2)
    assert box.text == (
        "iran_rationality < 1.2 and fear_premium_per_level > 11.5: 78% of such runs have the outcome "
        "(density 0.78), covering 61% of all runs with it (coverage 0.61)"
    )


def test_classification_tree_without_both_classes() -> None:
    assert classification_tree(np.zeros((5, 1)), np.zeros(5, dtype=bool), ["a"]) == "no tree: the outcome never happens in the 5 runs"
