"""The benchmark's new peers reproduce what they claim to (benchmarks/peers/).

* The hand-written Numba kernel draws the engine's random numbers, so for the same
  seed it must give the engine's runs: every run's outcomes, the answers with their
  checkpoints and quantiles, the per-step summaries and the kept paths; discrete ones
  exactly, continuous ones to :data:`ULPS` (the C library's ``exp`` and ``log``, which
  the kernel calls, and NumPy's own vectorised ones, which the engine's NumPy step
  calls on a processor with AVX-512, differ in the last bit of some values: 4.7% of
  ``exp``'s on the machine of 2026-12-02; on one without, they are the same bits).
* The EMA Workbench peer runs the plain loop's model on the plain loop's draws, so it
  must give the plain loop's answers exactly, and the engine's within Monte Carlo error.

The kernel's first call compiles it (tens of seconds without Numba's on-disk cache).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import realpolitik
from realpolitik.engine import stream_key, uniforms

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

pytest.importorskip("numba", reason="the Numba kernel needs numba (pip install 'realpolitik[fast]')")
from peers import numba_kernel  # noqa: E402
from peers._common import MODEL  # noqa: E402

RUNS, SEED, STEPS = 300, 11, 100


def _engine(runs: int, seed: int, steps: int) -> realpolitik.Results:
    """The engine on its NumPy step (the one the kernel follows bit for bit)."""
    return realpolitik.load(MODEL).run(runs=runs, seed=seed, horizon=steps, keep_trajectories=20, backend="numpy")


@pytest.fixture(scope="module")
def pair() -> tuple[realpolitik.Results, numba_kernel.KernelResults]:
    return _engine(RUNS, SEED, STEPS), numba_kernel.run(RUNS, SEED, STEPS, keep_trajectories=20)


#: How far apart the kernel's continuous values may be from the engine's, relative.
ULPS = 1e-12


def _close(actual: object, desired: object, what: str) -> None:
    """Equal discrete values, or continuous ones to :data:`ULPS` (NaN where NaN)."""
    a, d = np.asarray(actual), np.asarray(desired)
    if a.dtype.kind == "f" or d.dtype.kind == "f":
        np.testing.assert_allclose(a, d, rtol=ULPS, atol=1e-300, err_msg=what)
    else:
        np.testing.assert_array_equal(a, d, err_msg=what)


def _same(engine_estimate: object, kernel: dict[str, object]) -> None:
    for field in ("value", "se", "low", "high"):
        _close(kernel[field], getattr(engine_estimate, field), field)


def test_kernel_gives_the_engines_runs(pair) -> None:  # type: ignore[no-untyped-def]
    engine, kernel = pair
    for name, values in engine.parameters.items():
        np.testing.assert_array_equal(values, kernel.parameters[name], err_msg=name)
    for question, outcome in engine.outcomes.items():
        _close(kernel.outcomes[question], outcome, question)
    # the runs differ, so the outcomes are not all alike
    assert 0 < engine.outcomes["red_line_crossed"].sum() < RUNS
    assert np.unique(engine.outcomes["brent_at_horizon"]).size == RUNS


def test_kernel_answers_are_the_engines(pair) -> None:  # type: ignore[no-untyped-def]
    engine, kernel = pair
    for answer in engine.answers:
        mine = kernel.answers[answer.question]
        _same(answer.estimate, mine)
        assert set(answer.quantiles) == set(mine["quantiles"])  # type: ignore[arg-type]
        for q, estimate in answer.quantiles.items():
            _same(estimate, mine["quantiles"][q])  # type: ignore[index]
        assert [c.day for c in answer.checkpoints] == list(mine["checkpoints"])  # type: ignore[arg-type]
        for checkpoint in answer.checkpoints:
            theirs = mine["checkpoints"][checkpoint.day]  # type: ignore[index]
            _same(checkpoint.estimate, theirs)
            for q, estimate in checkpoint.quantiles.items():
                _same(estimate, theirs["quantiles"][q])


def test_kernel_keeps_the_engines_per_step_summaries(pair) -> None:  # type: ignore[no-untyped-def]
    engine, kernel = pair
    assert set(engine.steps) == set(kernel.steps)
    for key, values in engine.steps.items():
        assert len(values) == STEPS + 1
        if key[1] == "mean" or key[1].startswith("q"):  # sums in another order, values to the last bits
            np.testing.assert_allclose(kernel.steps[key], values, rtol=ULPS, atol=1e-300, err_msg=str(key))
        else:  # probabilities are counts: exact
            np.testing.assert_array_equal(kernel.steps[key], values, err_msg=str(key))
    assert set(engine.trajectories) == set(kernel.trajectories)
    for name, path in engine.trajectories.items():
        _close(kernel.trajectories[name], path, name)


def test_kernel_simulate_has_the_peers_shape(pair) -> None:  # type: ignore[no-untyped-def]
    engine, _ = pair
    answers = numba_kernel.simulate(RUNS, SEED, STEPS)
    assert list(answers) == [a.question for a in engine.answers]
    for a in engine.answers:
        assert set(answers[a.question]) == {"value", "se"}
        _close(answers[a.question]["value"], a.estimate.value, f"{a.question} value")
        _close(answers[a.question]["se"], a.estimate.se, f"{a.question} se")


def test_kernel_quantiles_can_follow_a_sample_of_the_first_runs() -> None:
    full = numba_kernel.run(200, 3, 5, keep_trajectories=0)
    head = numba_kernel.run(60, 3, 5, keep_trajectories=0)
    sampled = numba_kernel.run(200, 3, 5, keep_trajectories=0, quantile_runs=60)
    for key, values in head.steps.items():
        if key[1].startswith("q"):
            np.testing.assert_array_equal(sampled.steps[key], values, err_msg=str(key))
    assert sampled.steps[("brent", "mean")].tolist() == full.steps[("brent", "mean")].tolist()


@given(
    seed=st.integers(0, 2**63 - 1),
    stream=st.sampled_from(numba_kernel.STREAMS),
    step=st.integers(0, 10_000),
    runs=hnp.arrays(np.uint64, st.integers(1, 20), elements=st.integers(0, 2**40)),
)
def test_kernel_uniforms_are_the_engines(seed: int, stream: tuple[str, ...], step: int, runs: np.ndarray) -> None:
    seeded = numba_kernel._seeded_streams(seed)[numba_kernel.STREAMS.index(stream)]
    key = np.uint64(numba_kernel._counter_key(seeded, step))
    mine = np.array([numba_kernel._uniform(key, int(r)) for r in runs])
    np.testing.assert_array_equal(mine, uniforms(seed, stream_key(*stream), step, runs))


@given(
    values=st.lists(
        st.one_of(
            st.sampled_from([0.0, 1.0, -20.0, 100.0]),  # point masses at bounds, as clipping makes
            st.floats(-1e6, 1e6, allow_nan=False),
            # spreads of subnormal width (an infinite bucket scale) and overflowing ones
            st.sampled_from([5e-324, -5e-324, 1e-310, 2.2e-308, 1.7e308, -1.7e308]),
        ),
        min_size=1,
        max_size=400,
    )
)
def test_kernel_summary_quantiles_are_sorted_quantiles(values: list[float]) -> None:
    _check_quantiles(values)


@pytest.mark.parametrize("values", [[0.0, 5e-324], [0.0, 1e-310, 3.0], [-1.7e308, 1.7e308, 0.0], [2.2e-308, 0.0, 0.0, 5e-324]])
def test_kernel_summary_quantiles_survive_extreme_spreads(values: list[float]) -> None:
    """A spread of subnormal width once made the bucket scale infinite, an index the
    most negative integer and the test process die with a segmentation fault (exit 139,
    in about one full run in four, when Hypothesis drew such values)."""
    _check_quantiles(values)


def _check_quantiles(values: list[float]) -> None:
    a = np.array(values)
    m = len(a)
    lows = [math.floor(q * (m - 1)) for q in numba_kernel.SUMMARY_QUANTILES]
    ranks = np.unique([r for low in lows for r in (low, min(low + 1, m - 1))])
    out = np.empty(len(numba_kernel.SUMMARY_QUANTILES))
    work = (np.empty(numba_kernel.BUCKETS, np.int64), np.full(numba_kernel.BUCKETS, -1, np.int64), np.empty(m))
    numba_kernel._quantiles_of(a.copy(), ranks.astype(np.int64), out, work)
    expected = realpolitik.engine.sorted_quantiles(np.sort(a), numba_kernel.SUMMARY_QUANTILES)
    np.testing.assert_array_equal(out, expected)
    assert (work[1] == -1).all()  # the scratch slots are left clean for the next call


def test_kernel_results_do_not_depend_on_its_threads() -> None:
    if numba_kernel.threads() < 2:
        pytest.skip("one thread here: nothing to compare it with")
    one = numba_kernel.run(300, 4, 20, keep_trajectories=5, threads=1)
    many = numba_kernel.run(300, 4, 20, keep_trajectories=5)
    for question, outcome in one.outcomes.items():
        np.testing.assert_array_equal(outcome, many.outcomes[question], err_msg=question)
    for key, values in one.steps.items():
        np.testing.assert_array_equal(values, many.steps[key], err_msg=str(key))


def test_kernel_rejects_an_empty_ensemble() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        numba_kernel.run(0, 1, 10)


def test_ema_gives_the_plain_loops_answers_and_the_engines_within_error() -> None:
    pytest.importorskip("ema_workbench", reason="the EMA peer needs ema_workbench (pip install 'realpolitik[bench]')")
    from peers import ema_peer, plain_loop
    from peers._common import QUESTIONS

    runs, seed, steps = 250, 5, 60
    ema = ema_peer.simulate(runs, seed, steps)
    assert ema == plain_loop.simulate(runs, seed, steps)
    engine = {a.question: a.estimate for a in _engine(2_000, seed, steps).answers}
    for question, kind in QUESTIONS.items():
        mine, theirs = ema[question], engine[question]
        if kind == "probability":  # pooled two-proportion standard error
            pooled = (mine["value"] * runs + theirs.value * 2_000) / (runs + 2_000)
            se = math.sqrt(pooled * (1 - pooled) * (1 / runs + 1 / 2_000))
        else:
            se = math.hypot(mine["se"], theirs.se)
        assert abs(mine["value"] - theirs.value) <= 4 * se + 1e-12, question
