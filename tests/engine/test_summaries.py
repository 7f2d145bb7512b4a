"""Per-step quantiles of a sample spread over shards: the same bits as sorting it whole."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.engine import _summaries
from realpolitik.engine._selection import SortedPiece

from tests.engine.test_selection import sorted_pieces


@settings(max_examples=200, deadline=None)
@given(pieces=sorted_pieces(), step=st.integers(1, 8))
def test_merged_quantiles_are_the_bits_of_the_sorted_sample(pieces: list[np.ndarray], step: int) -> None:
    with np.errstate(invalid="ignore"):  # inf - inf, in both
        merged = _summaries._merged_quantiles([SortedPiece(p, step) for p in pieces])
        whole = _summaries.sample_quantiles(np.concatenate(pieces, axis=1))
    assert merged.tobytes() == whole.tobytes()


def test_a_finished_shard_keeps_no_buffer_of_its_runs() -> None:
    """A shard's summaries stack each step's continuous values into one buffer of
    (variables x runs); an ensemble keeps every shard until the merge, so a finished
    shard must drop it (16 shards of a million runs kept 160 MB more)."""
    import realpolitik
    from realpolitik.engine._shard import Job, prepare, simulate

    scenario = realpolitik.load("default")
    runs = _summaries.QUANTILE_SAMPLE + 3000
    prepared = prepare(Job(scenario, runs, 1, 5, 1, 0))
    shard = simulate(prepared, runs - 2000, runs)  # none of the quantile sample (a piece is kept)
    assert shard.summaries.continuous  # the bundled scenario has continuous variables
    arrays = [v for v in vars(shard.summaries).values() if isinstance(v, np.ndarray)]
    assert all(a.size < 2000 * len(shard.summaries.continuous) for a in arrays)
