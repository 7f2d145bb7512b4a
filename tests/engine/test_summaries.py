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
