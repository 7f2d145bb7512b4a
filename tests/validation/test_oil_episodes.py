"""The bundled scenario's oil mechanism on the supply shocks of 1990, 2019 and 2022
(benchmarks/oil_episodes.py): from each first day its 90% band covers the realised
close at +7 and +30 days, and is never narrower than a random walk's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import realpolitik

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import oil_episodes  # noqa: E402


@pytest.mark.parametrize("name", sorted(oil_episodes.EPISODES))
def test_the_band_from_the_first_day_covers_the_close_and_is_no_narrower_than_a_random_walk(name: str, tmp_path: Path) -> None:
    if not oil_episodes.OIL.is_file():
        pytest.skip("../shared/data/oil is absent (a fresh clone has no shared data)")
    row = oil_episodes.episode(name, 1000, 0, tmp_path, str(realpolitik.load("default").path))
    for day in row["days"]:
        assert day["covered"], (name, day)
        assert day["log_width_ratio"] >= 1.0, (name, day)
