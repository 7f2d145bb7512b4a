"""The quality gate: the backtest's score ratios may not get worse than the pinned ones."""

from __future__ import annotations

import json
from pathlib import Path

import realpolitik
from realpolitik.validation import backtest, find_rounds, read_episodes, read_oil

FLOORS = json.loads((Path(__file__).parent / "backtest-floors.json").read_text(encoding="utf-8"))


def test_backtest_scores_do_not_regress(shared_data: Path) -> None:
    base = realpolitik.load("default")
    episodes = read_episodes(shared_data / "episodes" / "episodes.yaml")
    result = backtest(base, find_rounds(base, episodes), read_oil(shared_data / "oil" / "brent-daily.csv"), episodes=episodes, runs=FLOORS["runs"], seed=FLOORS["seed"])
    for metric, pinned in FLOORS["ratios"].items():
        # answers are bit-reproducible; the tolerance only absorbs the rounding of the pinned figure
        assert result.ratio(metric) <= pinned + 5e-4, f"{metric}: {result.ratio(metric):.4f} is worse than the pinned {pinned} (tests/validation/backtest-floors.json)"
