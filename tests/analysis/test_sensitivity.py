"""Global sensitivity: Sobol' indices of the Ishigami function, Morris screening,
which parameters and questions are analysed, reproducibility and the exports."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import realpolitik
from realpolitik.analysis.sensitivity import MorrisIndices, SobolIndices, sensitivity, sobol_indices
from realpolitik.errors import ScenarioError
from realpolitik.expr import FUNCTIONS

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
    assert sobol.info.runs == N * 5
    for name in ("x1", "x2", "x3"):
        row = q.parameter(name)
        assert isinstance(row, SobolIndices)
        assert row.S1 == pytest.approx(S1[name], abs=TOLERANCE), name
        assert row.ST == pytest.approx(ST[name], abs=TOLERANCE), name
        # the bootstrap intervals are honest about that error
        assert abs(row.S1 - S1[name]) <= 2 * row.S1_conf, name
        assert abs(row.ST - ST[name]) <= 2 * row.ST_conf, name
    assert [r.name for r in q.parameters] == ["x1", "x2", "x3"]  # ranked by ST


def test_morris_ranks_x2_above_x3(ishigami: realpolitik.Scenario) -> None:
    result = sensitivity(ishigami, method="morris", samples=50, seed=0, questions=["ishigami"])
    rows = {r.name: r for r in result.question("ishigami").parameters}
    assert all(isinstance(r, MorrisIndices) for r in rows.values())
    assert rows["x2"].mu_star > rows["x3"].mu_star > 0
    assert result.info.runs == 50 * 4
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
    one = sensitivity(ishigami, samples=16, seed=1, questions=["ishigami"])
    three = sensitivity(ishigami, samples=16, seed=1, questions=["ishigami"], runs_per_point=3)
    assert three.info.runs == 3 * one.info.runs
    # a deterministic outcome averages to itself
    for a, b in zip(one.question("ishigami").parameters, three.question("ishigami").parameters, strict=True):
        assert a.name == b.name
        assert (a.S1, a.ST, a.S1_conf, a.ST_conf) == pytest.approx((b.S1, b.ST, b.S1_conf, b.ST_conf), rel=1e-12)
    assert "--runs-per-point 3" in three.command


def test_exports(sobol, tmp_path: Path) -> None:
    data = sobol.to_dict()
    assert list(data) == ["method", "command", "runs", "seed", "samples", "questions"]
    assert data["method"] == "sobol" and data["samples"] == N and data["runs"] == 5 * N and data["seed"] == 0
    q = data["questions"][0]
    assert list(q) == ["id", "cites", "text", "parameters"]
    assert q["id"] == "ishigami" and q["cites"] == ["Q1"]
    assert list(q["parameters"][0]) == ["name", "S1", "S1_conf", "ST", "ST_conf"]
    assert sobol.command == f"realpolitik sensitivity {sobol.info.scenario} --method sobol --samples {N} --seed 0"
    table = pq.read_table(sobol.write_parquet(tmp_path / "s.parquet"))
    assert table.num_rows == 3 * 3
    assert table.column_names == ["id", "cites", "parameter", "rank", "S1", "S1_conf", "ST", "ST_conf"]
    assert table.schema.metadata[b"realpolitik.command"].decode() == sobol.command


def test_morris_exports(ishigami: realpolitik.Scenario) -> None:
    result = sensitivity(ishigami, method="morris", samples=8, seed=2, horizon=1, questions=["Q1"])
    assert list(result.to_dict()["questions"][0]["parameters"][0]) == ["name", "mu_star", "mu_star_conf", "sigma"]
    assert result.command.endswith("--method morris --samples 8 --seed 2 --horizon 1 --question Q1")
    assert result.to_arrow().column_names == ["id", "cites", "parameter", "rank", "mu_star", "mu_star_conf", "sigma"]


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
    certain = write_scenario(
        "name: certain\nclock: {start: 2026-01-01, horizon_days: 1}\nparameters:\n  k: {value: 1}\n"
        "variables:\n  y: {initial: k}\nquestions:\n  y: {kind: quantiles, text: y, value: y}\n"
    )
    with pytest.raises(ScenarioError, match="no uncertain parameter"):
        sensitivity(realpolitik.load(certain), samples=8)
