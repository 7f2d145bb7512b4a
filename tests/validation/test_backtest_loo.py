"""The backtest with the round-fitted priors refitted without the round it scores
(benchmarks/backtest_loo.py): out of sample for them, the model still meets the
issue's targets in each round (Brent CRPS at most 0.9 of the random walk's, event
Brier no worse than the base rates)."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import backtest_loo  # noqa: E402


@pytest.fixture(scope="module")
def scored() -> dict:
    if not backtest_loo.OIL.is_file() or not backtest_loo.EPISODES.is_file():
        pytest.skip("../shared/data is absent (a fresh clone has no shared data)")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert backtest_loo.main(["--runs", "2000", "--seed", "0", "--json"]) == 0
    return json.loads(out.getvalue())


def test_each_round_meets_the_targets_with_priors_fitted_without_it(scored: dict) -> None:
    assert [r["round"] for r in scored["rounds"]] == ["apr-2024", "oct-2024", "jun-2025"]
    for r in scored["rounds"]:
        assert r["crps_brent"] <= 0.9 and r["brier"] <= 1.0, r
    assert scored["all"]["crps_brent"] <= 0.9 and scored["all"]["brier"] <= 1.0


def test_the_refitted_priors_differ_by_the_round_left_out(scored: dict) -> None:
    rates = {r["round"]: r["priors"]["resolution_rate"]["median"] for r in scored["rounds"]}
    assert rates == {"apr-2024": round(0.5 / 38, 5), "oct-2024": round(0.5 / 32, 5), "jun-2025": round(0.5 / 48, 5)}  # the other two rounds' days
    half_lives = {r["priors"]["fear_half_life"]["median"] for r in scored["rounds"]}
    assert len(half_lives) == 3
    # only jun-2025 climbed to the red line: without it, the red line's fear is the judgement a forecaster had before
    assert {r["round"]: r["priors"].get("red_line_fear") for r in scored["rounds"]} == {
        "apr-2024": None, "oct-2024": None, "jun-2025": {"dist": "uniform", "low": 0.0, "high": 2.0},
    }  # fmt: skip
