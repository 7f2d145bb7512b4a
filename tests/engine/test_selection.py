"""Order statistics of a sample in sorted pieces, from sketches and windows: the
values a sort of the whole sample puts at those ranks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from realpolitik.engine import _selection as selection
from realpolitik.engine._shard import window_from_parquet, window_to_parquet

# few distinct values as often as many: ties, signed zeros and infinities included
VALUES = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.5]),
    st.floats(allow_nan=False, allow_infinity=True, width=64),
)


@st.composite
def sorted_pieces(draw: st.DrawFn, max_size: int = 40) -> list[np.ndarray]:
    """1 to 6 pieces of 1 to 3 rows, each sorted along its rows."""
    rows = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, max_size), min_size=1, max_size=6))
    return [np.sort(draw(hnp.arrays(np.float64, (rows, n), elements=VALUES)), axis=1) for n in sizes]


def _held(pieces: list[np.ndarray], steps: list[int]) -> list[selection.SortedPiece]:
    return [selection.SortedPiece(p, m) for p, m in zip(pieces, steps)]


@settings(max_examples=300, deadline=None)
@given(pieces=sorted_pieces(), data=st.data())
def test_order_statistics_are_those_of_the_sorted_whole(pieces: list[np.ndarray], data: st.DataObject) -> None:
    whole = np.sort(np.concatenate(pieces, axis=1), axis=1)
    n = whole.shape[1]
    ranks = sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n)))
    # any sketch step in any piece: the brackets hold whatever the steps
    steps = data.draw(st.lists(st.integers(1, 12), min_size=len(pieces), max_size=len(pieces)))
    found = selection.order_statistics(_held(pieces, steps), ranks)
    # compared as values (== holds for -0.0 and 0.0: which zero sits at a rank is not
    # defined by a sort either)
    assert found.tolist() == whole[:, ranks].tolist()


@settings(max_examples=200, deadline=None)
@given(pieces=sorted_pieces(max_size=200), data=st.data())
def test_brackets_hold_the_ranks_and_windows_count_what_lies_below(pieces: list[np.ndarray], data: st.DataObject) -> None:
    whole = np.sort(np.concatenate(pieces, axis=1), axis=1)
    n = whole.shape[1]
    first = data.draw(st.integers(0, n - 1))
    last = data.draw(st.integers(first, min(n - 1, first + 2)))
    held = _held(pieces, [selection.sketch_step(n)] * len(pieces))
    a, b = selection.brackets(held, [(first, last)])
    assert np.all(a[:, 0] <= whole[:, first]) and np.all(whole[:, last] <= b[:, 0])
    for piece, h in zip(pieces, held):
        w = selection.window(piece, a, b, h.step)
        assert w.below[:, 0].tolist() == [int(np.sum(row < x)) for row, x in zip(piece, a[:, 0])]
        # nothing where the bracket is one value: that value is the order statistic
        inside = [row[(row >= x) & (row <= y) & (x < y)] for row, x, y in zip(piece, a[:, 0], b[:, 0])]
        distinct = [np.unique(v, return_counts=True) for v in inside]
        assert w.lengths[:, 0].tolist() == [len(v) for v, _ in distinct]
        assert w.values.tolist() == np.concatenate([v for v, _ in distinct]).tolist()
        assert w.counts.tolist() == np.concatenate([c for _, c in distinct]).tolist()


def test_windows_are_small_for_a_sample_in_exchangeable_pieces() -> None:
    # the point of the two rounds: a few times the sketch step per row and group,
    # not the piece (10,000 values in 4 pieces, the engine's usual case)
    rng = np.random.default_rng(5)
    pieces = [np.sort(rng.normal(size=(50, 2500)), axis=1) for _ in range(4)]
    step = selection.sketch_step(10_000)
    held = _held(pieces, [step] * 4)
    groups = selection.rank_groups([499, 500, 4999, 5000, 9498, 9499])
    a, b = selection.brackets(held, groups)
    widest = max(int(selection.window(p, a, b).lengths.max()) for p in pieces)
    assert widest <= 6 * step < 2500 // 10
    assert held[0].sketch.shape[1] <= -(-2500 // step) + 1


@settings(max_examples=50, deadline=None)
@given(pieces=sorted_pieces())
def test_a_window_survives_parquet(pieces: list[np.ndarray]) -> None:
    piece = pieces[0]
    a, b = piece[:, :1].copy(), piece[:, -1:].copy()
    w = selection.window(piece, a, b)
    back = window_from_parquet(window_to_parquet(w))
    for part in ("below", "lengths", "values", "counts"):
        assert getattr(back, part).tobytes() == getattr(w, part).tobytes()


def test_ranks_are_checked() -> None:
    piece = [selection.SortedPiece(np.array([[1.0, 2.0]]), 1)]
    with pytest.raises(ValueError, match="ascending"):
        selection.order_statistics(piece, [1, 0])
    with pytest.raises(ValueError, match="within"):
        selection.order_statistics(piece, [2])
