"""The quality gate: the backtest's score ratios may not get worse than the pinned ones."""

from __future__ import annotations

import json
from pathlib import Path

import realpolitik
import realpolitik.report
from realpolitik.validation import backtest, find_rounds, read_episodes, read_oil

FLOORS = json.loads((Path(__file__).parent / "backtest-floors.json").read_text(encoding="utf-8"))


def test_backtest_scores_do_not_regress(shared_data: Path) -> None:
    base = realpolitik.load("default")
    episodes = read_episodes(shared_data / "episodes" / "episodes.yaml")
    result = backtest(base, find_rounds(base, episodes), read_oil(shared_data / "oil" / "brent-daily.csv"), episodes=episodes, runs=FLOORS["runs"], seed=FLOORS["seed"])
    for metric, pinned in FLOORS["ratios"].items():
        # answers are bit-reproducible; the tolerance only absorbs the rounding of the pinned figure
        assert result.ratio(metric) <= pinned + 5e-4, f"{metric}: {result.ratio(metric):.4f} is worse than the pinned {pinned} (tests/validation/backtest-floors.json)"


def test_the_kept_track_record_meets_the_targets() -> None:
    kept = json.loads(realpolitik.report.track_record_path(realpolitik.load("default")).read_text(encoding="utf-8"))  # type: ignore[union-attr]
    targets = FLOORS["track_record"]
    headline = {h["metric"]: h["ratio"] for h in kept["headline"]}
    assert headline["crps_brent"] <= targets["crps_brent"] and headline["brier"] <= targets["brier"], headline
    for r in kept["rounds"]:
        crps = sum(x["model_crps"] for x in r["oil"]) / sum(x["baseline_crps"] for x in r["oil"])
        brier = sum(x["model_brier"] for x in r["events"]) / sum(x["baseline_brier"] for x in r["events"])
        assert crps <= targets["round_crps_brent"][r["round"]], (r["round"], crps)
        assert brier <= targets["round_brier"][r["round"]], (r["round"], brier)
