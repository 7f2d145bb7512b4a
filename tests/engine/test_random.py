"""Counter-based random streams: a pure function of (seed, stream, counter, run)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from realpolitik.engine import stream_key, uniforms

#: uniforms(seed=1, stream_key("event", "strike"), counter=3, runs 0..2), as first released.
PINNED = [0.8049706085626589, 0.4997330188559465, 0.34601263136121824]


@given(seed=st.integers(0, 2**64 - 1), stream=st.integers(0, 2**64 - 1), counter=st.integers(0, 2**40), lo=st.integers(0, 10**9), n=st.integers(1, 200))
def test_draws_depend_only_on_their_run_index(seed: int, stream: int, counter: int, lo: int, n: int) -> None:
    runs = np.arange(lo, lo + n, dtype=np.uint64)
    whole = uniforms(seed, stream, counter, runs)
    assert ((whole > 0) & (whole < 1)).all()
    for cut in (1, n // 2):
        np.testing.assert_array_equal(np.concatenate([uniforms(seed, stream, counter, runs[:cut]), uniforms(seed, stream, counter, runs[cut:])]), whole)


def test_draws_are_pinned() -> None:
    # The generator's output for a fixed key: a change here breaks reproducibility.
    u = uniforms(1, stream_key("event", "strike"), 3, np.arange(3, dtype=np.uint64))
    assert u.tolist() == PINNED


def test_draws_are_uniform_and_streams_independent() -> None:
    runs = np.arange(200_000, dtype=np.uint64)
    a = uniforms(1, stream_key("a"), 0, runs)
    b = uniforms(1, stream_key("b"), 0, runs)
    c = uniforms(1, stream_key("a"), 1, runs)
    assert stats.kstest(a, "uniform").pvalue > 1e-4
    for other in (b, c, uniforms(2, stream_key("a"), 0, runs)):
        assert abs(np.corrcoef(a, other)[0, 1]) < 0.01
    assert abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < 0.01


def test_stream_keys_are_stable() -> None:
    # A key is a hash of the element's name: the same on every machine and run, so
    # results are reproducible across machines. Pinned: changing the hash changes every answer.
    assert stream_key("event", "strike") == 13250761256669031181
    assert stream_key("event", "strike") != stream_key("event", "strikes")
    assert 0 <= stream_key("x") < 2**64
