"""Per-step quantiles of a sample spread over shards: the same bits as sorting it whole."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from realpolitik.engine import _summaries

pytest.importorskip("numba")

from realpolitik.engine._numba_merge import order_statistics  # noqa: E402

# few distinct values as often as many: ties, signed zeros and infinities included
_values = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.5]),
    st.floats(allow_nan=False, allow_infinity=True, width=64),
)


@st.composite
def _pieces(draw: st.DrawFn) -> list[np.ndarray]:
    rows = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 40), min_size=1, max_size=6))
    return [np.sort(draw(hnp.arrays(np.float64, (rows, n), elements=_values)), axis=1) for n in sizes]


@settings(max_examples=200, deadline=None)
@given(pieces=_pieces(), data=st.data())
def test_order_statistics_of_sorted_pieces_are_those_of_the_whole(pieces: list[np.ndarray], data: st.DataObject) -> None:
    whole = np.sort(np.concatenate(pieces, axis=1), axis=1)
    n = whole.shape[1]
    ranks = np.array(sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n))))
    assert order_statistics(pieces, ranks).tolist() == whole[:, ranks].tolist()


@settings(max_examples=200, deadline=None)
@given(pieces=_pieces())
def test_merged_quantiles_are_the_bits_of_the_sorted_sample(pieces: list[np.ndarray]) -> None:
    with np.errstate(invalid="ignore"):  # inf - inf, in both
        merged = _summaries._merged_quantiles(pieces)
        whole = _summaries.sample_quantiles(np.concatenate(pieces, axis=1))
    assert merged.tobytes() == whole.tobytes()


def test_ranks_are_checked() -> None:
    piece = np.array([[1.0, 2.0]])
    with pytest.raises(ValueError, match="ascending"):
        order_statistics([piece], np.array([1, 0]))
    with pytest.raises(ValueError, match="within"):
        order_statistics([piece], np.array([2]))
