"""The compiled step's own exp (``_numba_codegen.emit_exp``): within an ulp of libm's,
the same in a SIMD lane as alone, and exact at the edges (overflow, underflow, NaN)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from numba import njit  # noqa: E402

from realpolitik.engine._numba_codegen import exp1, exp4  # noqa: E402

#: The largest x whose exp is finite, and the smallest whose exp is not 0.
LARGEST = 709.782712893384
SMALLEST = -745.1332191019411


@njit(cache=False)
def _alone(xs: np.ndarray) -> np.ndarray:
    out = np.empty_like(xs)
    for i in range(len(xs)):
        out[i] = exp1(xs[i])
    return out


@njit(cache=False)
def _in_lanes(xs: np.ndarray) -> np.ndarray:
    out = np.empty_like(xs)
    for i in range(0, len(xs), 4):
        out[i], out[i + 1], out[i + 2], out[i + 3] = exp4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3])
    return out


def _libm(x: float) -> float:
    if math.isnan(x):
        return x
    return math.inf if x > LARGEST else math.exp(x)


def _ulps(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    return np.abs(got - want) / np.spacing(want)


def _both(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xs = np.ascontiguousarray(xs, dtype=np.float64)
    padded = np.concatenate([xs, np.zeros(-len(xs) % 4)])
    return _alone(xs), _in_lanes(padded)[: len(xs)]


def test_within_an_ulp_of_libm_over_the_whole_range() -> None:
    rng = np.random.default_rng(20261203)
    xs = np.concatenate([rng.uniform(SMALLEST, LARGEST, 200_000), rng.uniform(-1.0, 1.0, 100_000), rng.uniform(-1e-9, 1e-9, 1000)])
    want = np.array([_libm(x) for x in xs])
    alone, lanes = _both(xs)
    assert alone.tobytes() == lanes.tobytes()  # a lane computes what the scalar code does
    normal = want >= np.finfo(np.float64).tiny
    assert _ulps(alone[normal], want[normal]).max() <= 1.0
    # results rounded to a subnormal keep their absolute error under an ulp of the smallest normal
    assert np.all(np.abs(alone[~normal] - want[~normal]) <= np.spacing(np.finfo(np.float64).tiny))


def test_the_edges_are_exact() -> None:
    tiny = 5e-324
    xs = np.array([0.0, -0.0, 1.0, LARGEST, np.nextafter(LARGEST, np.inf), 710.0, 1e308, np.inf, SMALLEST, -745.2, -1e308, -np.inf, np.nan])
    alone, lanes = _both(xs)
    assert alone.tobytes() == lanes.tobytes()
    assert alone[0] == 1.0 and alone[1] == 1.0
    assert abs(alone[2] - math.e) <= np.spacing(math.e)  # (one ulp above libm's, which is correctly rounded)
    assert math.isfinite(alone[3]) and abs(alone[3] - math.exp(LARGEST)) <= np.spacing(math.exp(LARGEST))
    assert alone[4] == alone[5] == alone[6] == alone[7] == math.inf
    assert alone[8] == tiny
    assert alone[9] == alone[10] == alone[11] == 0.0
    assert math.isnan(alone[12])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=9))
def test_any_double_gives_libm_within_an_ulp_or_the_same_edge(values: list[float]) -> None:
    xs = np.array(values, dtype=np.float64)
    alone, lanes = _both(xs)
    assert alone.tobytes() == lanes.tobytes()
    for x, got in zip(values, alone.tolist()):
        want = _libm(x)
        if math.isnan(want):
            assert math.isnan(got)
        elif want == 0.0 or math.isinf(want) or want < np.finfo(np.float64).tiny:
            assert abs(got - want) <= 5e-324 or got == want, (x, got, want)
        else:
            assert abs(got - want) <= np.spacing(want), (x, got, want)
