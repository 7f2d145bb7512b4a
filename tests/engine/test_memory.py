"""Work arrays in reused memory maps: never shared while alive, reused once freed."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.engine import _memory


@pytest.fixture(autouse=True)
def _small_maps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Map arrays from 4 KiB up (so that small tests exercise the maps), with no spares left over."""
    monkeypatch.setattr(_memory, "MIN_MAPPED_BYTES", 4096)
    monkeypatch.setattr(_memory, "_spare", [])


def test_a_large_array_is_mapped_and_behaves_as_np_empty() -> None:
    a = _memory.work_array((3, 4, 100))
    assert a.shape == (3, 4, 100) and a.dtype == np.float64 and a.flags.c_contiguous and a.flags.writeable
    a[...] = np.arange(a.size).reshape(a.shape)[..., ::-1]
    a.sort(axis=2)
    assert (np.diff(a, axis=2) >= 0).all()
    small = _memory.work_array((2, 3))
    assert small.base is None  # below the threshold: an ordinary array


def test_a_freed_map_is_reused_only_once_every_view_is_gone() -> None:
    a = _memory.work_array((10, 1000))
    address = a.__array_interface__["data"][0]
    view = a.reshape(-1)[::7]
    del a
    gc.collect()
    assert _memory._spare == []  # the view keeps the memory in use
    del view
    gc.collect()
    assert len(_memory._spare) == 1
    b = _memory.work_array((9, 1000))  # fits in the freed map
    assert b.__array_interface__["data"][0] == address
    assert _memory._spare == []


def test_spares_are_bounded() -> None:
    arrays = [_memory.work_array((1000 + i,)) for i in range(5)]
    del arrays
    gc.collect()
    assert len(_memory._spare) == _memory.SPARE_MAPS
    assert sorted(len(m) for m in _memory._spare) == [8 * 1003, 8 * 1004]  # the largest kept


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(512, 4000)), min_size=1, max_size=25))
def test_live_arrays_never_share_memory_and_keep_their_values(ops: list[tuple[bool, int]]) -> None:
    """Any sequence of allocations and frees: the arrays alive at any time are disjoint
    and hold what was written into them."""
    _memory._spare.clear()
    live: list[tuple[np.ndarray, float]] = []
    for k, (free, size) in enumerate(ops):
        if free and live:
            live.pop(size % len(live))
            gc.collect()
        a = _memory.work_array((size,))
        a[...] = float(k)
        live.append((a, float(k)))
        for i, (x, _) in enumerate(live):
            for y, _ in live[i + 1 :]:
                assert not np.shares_memory(x, y)
        for x, value in live:
            assert (x == value).all()
