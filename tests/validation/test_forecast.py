"""Forecasts: quantiles of a variable, or probabilities by each day, from one ensemble."""

from __future__ import annotations

import json

import numpy as np
import pytest

import realpolitik
from realpolitik.validation import FORECAST_QUANTILES, forecast


@pytest.fixture(scope="module")
def scenario() -> realpolitik.Scenario:
    return realpolitik.load("default")


def test_quantiles_by_name_or_inventory_id(scenario) -> None:
    by_id = forecast(scenario, "V2", [30, 7], runs=300, seed=3)
    by_name = forecast(scenario, "brent", [7, 30], runs=300, seed=3)
    assert by_id.days == (7, 30) and by_id.element == "brent" and by_id.kind == "continuous"
    assert by_id.values == by_name.values
    for day in by_id.days:
        qs = list(by_id.values[day].values())
        assert list(by_id.values[day]) == [f"q{round(q * 100):02d}" for q in FORECAST_QUANTILES]
        assert qs == sorted(qs)


def test_quantiles_agree_with_the_engines_answer(scenario) -> None:
    # adding questions changes no element's random numbers: the same runs
    f = forecast(scenario, "V2", [30], runs=400, seed=5)
    answer = scenario.run(runs=400, seed=5, horizon=30).answer("brent_at_horizon")
    on_day_30 = next(c for c in answer.checkpoints if c.day == 30)
    assert f.values[30]["q50"] == pytest.approx(on_day_30.quantiles[0.5].value)
    assert f.values[30]["q05"] == pytest.approx(on_day_30.quantiles[0.05].value)


@pytest.mark.parametrize(
    ("variable", "kind", "keys"),
    [
        ("hormuz_closure", "event", ["p"]),
        ("talks_accepted", "boolean", ["p"]),
        ("escalation", "levels", ["p_at_least_military_sites", "p_at_least_tit_for_tat", "p_at_least_red_line"]),
        ("russia_posture", "decision", ["p_condemn_only", "p_host_talks", "p_veto_resolution", "p_help_rebuild", "p_restrain_iran", "p_direct_military_help"]),
    ],
)
def test_probabilities_by_each_day(scenario, variable: str, kind: str, keys: list[str]) -> None:
    f = forecast(scenario, variable, [7, 60], runs=300, seed=2)
    assert f.kind == kind
    for day in f.days:
        assert list(f.values[day]) == keys
        assert all(0 <= v <= 1 for v in f.values[day].values())
    for key in keys:  # "by the day" can only grow
        assert f.values[60][key] >= f.values[7][key]


def test_levels_are_nested(scenario) -> None:
    f = forecast(scenario, "escalation", [90], runs=300, seed=2)
    p = f.values[90]
    assert p["p_at_least_military_sites"] >= p["p_at_least_tit_for_tat"] >= p["p_at_least_red_line"]


def test_the_json_shape(scenario) -> None:
    data = json.loads(forecast(scenario, "V2", [7, 30], runs=100, seed=0).to_json())
    assert set(data) >= {"variable", "start", "days"}
    assert data["variable"] == "V2" and data["start"] == "2026-02-28"
    assert list(data["days"]) == ["7", "30"] and list(data["days"]["7"])[:2] == ["q05", "q10"] and "q95" in data["days"]["7"]
    assert data["run"]["command"] == "realpolitik forecast russia-iran-2026 --variable V2 --days 7,30 --runs 100 --seed 0"


def test_arrow_and_parquet(scenario, tmp_path) -> None:
    import pyarrow.parquet as pq

    f = forecast(scenario, "escalation", [7], runs=50, seed=0)
    path = f.write_parquet(tmp_path / "f.parquet")
    table = pq.read_table(path)
    assert table.column_names == ["variable", "day", "date", "stat", "value"]
    assert table.num_rows == 3
    assert table.schema.metadata[b"realpolitik.command"].decode() == f.command


@pytest.mark.parametrize(("variable", "days", "message"), [("brnt", [7], "did you mean 'brent'"), ("V2", [191], "day 191 is outside"), ("V2", [], "at least one day")])
def test_bad_requests_say_what_to_do(scenario, variable: str, days: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        forecast(scenario, variable, days, runs=10, seed=0)


def test_reproducible(scenario) -> None:
    a = forecast(scenario, "V2", [14], runs=200, seed=9).values
    b = forecast(scenario, "V2", [14], runs=200, seed=9).values
    c = forecast(scenario, "V2", [14], runs=200, seed=10).values
    assert a == b and a != c
    assert np.isfinite(list(a[14].values())).all()
