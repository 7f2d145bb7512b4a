"""Backtests: rounds paired with their variants, scores against the record and the baselines."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest

import realpolitik
from realpolitik.errors import ScenarioError
from realpolitik.scenario._schema import Prior
from realpolitik.validation import backtest, base_rates, crps_lognormal, find_rounds, read_episodes, read_oil
from realpolitik.validation.history import trading_days
from tests.validation.toy import OUTCOMES, STARTS, TRUE_TREND


@pytest.fixture(scope="module")
def toy(world):
    base = realpolitik.load(world.base)
    episodes = read_episodes(world.episodes)
    return base, episodes, read_oil(world.oil), find_rounds(base, episodes)


def test_each_round_gets_the_variant_that_starts_on_its_day(toy, world) -> None:
    base, episodes, _, rounds = toy
    assert [(r.episode.id, r.scenario.name) for r in rounds] == [("r1", "toy-r1"), ("r2", "toy-r2"), ("r3", "toy-r3")]
    explicit = find_rounds(base, episodes, {"r2": realpolitik.load(world.base.parent / "toy-r3.yaml")})
    assert explicit[1].scenario.name == "toy-r3"
    with pytest.raises(ValueError, match="--round names no episode 'r9'"):
        find_rounds(base, episodes, {"r9": base})


def test_a_round_without_a_variant_says_how_to_write_one(toy, world, tmp_path: Path) -> None:
    _, episodes, _, _ = toy
    lonely = tmp_path / "toy.yaml"
    lonely.write_text(world.base.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"no variant of .* starts on the first day of r1 \(starts 2024-03-04\).*extends: "):
        find_rounds(realpolitik.load(lonely), episodes)


def test_oil_scores_follow_the_record_and_the_random_walk(toy) -> None:
    base, episodes, oil, rounds = toy
    bt = backtest(base, rounds, oil, episodes=episodes, runs=200, seed=1, outcomes=OUTCOMES)
    r1 = bt.rounds[0]
    start = STARTS["r1"]
    before_date, before = oil.close_before(start)
    sigma = oil.log_return_sd(start)
    assert (r1.brent_start, r1.volatility) == (before, sigma)
    assert [s.day for s in r1.oil] == [1, 7, 14, 30]
    for s in r1.oil:
        date, price = oil.close_on_or_before(start + dt.timedelta(days=s.day))
        assert (s.observed_date, s.observed) == (date, price)
        spread = sigma * math.sqrt(trading_days(before_date, date))
        assert s.baseline_crps == pytest.approx(crps_lognormal(math.log(before), spread, price))
        assert s.baseline[1] == pytest.approx(before)
        assert s.model[0] <= s.model[1] <= s.model[2]
    crps = [s.model_crps for r in bt.rounds for s in r.oil]
    base_crps = [s.baseline_crps for r in bt.rounds for s in r.oil]
    assert bt.ratio("crps_brent") == pytest.approx(np.mean(crps) / np.mean(base_crps))


def test_knowing_the_trend_beats_the_random_walk_and_the_wrong_trend_loses(toy) -> None:
    base, episodes, oil, rounds = toy
    options = {"episodes": episodes, "runs": 200, "seed": 1, "outcomes": OUTCOMES}
    right = backtest(base, rounds, oil, priors={"trend": Prior(dist="fixed", value=TRUE_TREND)}, **options)
    wrong = backtest(base, rounds, oil, priors={"trend": Prior(dist="fixed", value=-TRUE_TREND)}, **options)
    assert right.ratio("crps_brent") < 0.5 < 1.5 < wrong.ratio("crps_brent")


def test_event_scores_and_leave_one_out_base_rates(toy) -> None:
    base, episodes, oil, rounds = toy
    assert base_rates(episodes, "r1", ["flared", "ceasefire_30d"]) == {"flared": 0.25, "ceasefire_30d": 0.25}
    assert base_rates(episodes, "r2", ["flared"]) == {"flared": 0.5}
    bt = backtest(base, rounds, oil, episodes=episodes, runs=300, seed=2, outcomes=OUTCOMES)
    for r, happened in zip(bt.rounds, (True, False, False)):
        (e,) = r.events
        assert e.happened is happened
        assert 0 < e.model_p < 1
        assert e.model_brier == pytest.approx((e.model_p - happened) ** 2)
        assert e.baseline_log == pytest.approx(-math.log(e.baseline_p if happened else 1 - e.baseline_p))


def test_outputs(toy, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    base, episodes, oil, rounds = toy
    bt = backtest(base, rounds[:2], oil, episodes=episodes, runs=50, seed=0, outcomes=OUTCOMES, oil_path="oil.csv", episodes_path="ep.yaml")
    data = json.loads(bt.to_json())
    assert data["run"]["command"].startswith("realpolitik backtest") and "--oil oil.csv --episodes ep.yaml --runs 50 --seed 0" in data["run"]["command"]
    assert [h["metric"] for h in data["headline"]] == ["crps_brent", "crps_brent_day_1", "crps_brent_day_7", "crps_brent_day_14", "crps_brent_day_30", "brier", "log"]
    assert [r["round"] for r in data["rounds"]] == ["r1", "r2"]
    table = pq.read_table(bt.write_parquet(tmp_path / "bt.parquet"))
    assert table.num_rows == 2 * 4 + 2 * 3 + 7
    section = bt.to_markdown()
    assert section.startswith("## Backtest") and "| r2 | 30 |" in section and bt.command in section


def test_a_day_after_the_record_is_skipped_with_its_reason(toy) -> None:
    base, episodes, oil, rounds = toy
    bt = backtest(base, rounds[:1], oil, episodes=episodes, runs=20, seed=0, outcomes=OUTCOMES, days=(1, 45))
    assert [s.day for s in bt.rounds[0].oil] == [1]
    assert bt.rounds[0].skipped == ("Brent on day 45: after the variant's horizon (40 days)",)


# ----------------------------------------------------------------- shared data


@pytest.fixture(scope="module")
def shared(shared_data: Path):
    base = realpolitik.load("default")
    episodes = read_episodes(shared_data / "episodes" / "episodes.yaml")
    return base, episodes, read_oil(shared_data / "oil" / "brent-daily.csv"), find_rounds(base, episodes)


#: Episode escalation (0 calm .. 4 civilian or nuclear) -> the model's ladder.
LADDER = {0: "calm", 1: "military_sites", 2: "tit_for_tat", 3: "tit_for_tat", 4: "red_line"}


def test_the_bundled_variants_start_where_each_round_started(shared) -> None:
    base, _, oil, rounds = shared
    assert [r.scenario.label for r in rounds] == ["russia-iran-2024-04", "russia-iran-2024-10", "russia-iran-2025-06"]
    for r in rounds:
        s = r.scenario
        assert s.spec.extends == base.label
        assert s.spec.clock.start == r.episode.start
        assert s.model.variable("V2").initial.constant == pytest.approx(oil.close_before(r.episode.start)[1])
        level = LADDER[r.episode.level_on(r.episode.start)]
        assert s.model.variable("escalation").initial.constant == s.model.level_codes[level]


def test_the_bundled_variants_check_clean(shared, shared_sources: Path) -> None:
    for r in shared[3]:
        report = realpolitik.check(r.scenario.path, sources=shared_sources)
        assert report.ok, [str(p) for p in report.problems]
        assert all(c.found for c in report.locators)
        assert not report.missing


def test_backtest_on_the_shared_record(shared) -> None:
    base, episodes, oil, rounds = shared
    bt = backtest(base, rounds, oil, episodes=episodes, runs=200, seed=0)
    assert len(bt.rounds) == 3
    for r in bt.rounds:
        assert [s.day for s in r.oil] == [1, 7, 14, 30]
        assert [e.outcome for e in r.events] == ["russia_veto", "russia_military_help", "hormuz_closed", "talks_hosted_by_russia", "ceasefire_30d"]
        assert all(np.isfinite([s.model_crps, s.baseline_crps]).all() for s in r.oil)
    assert all(math.isfinite(h.ratio) for h in bt.headline)
