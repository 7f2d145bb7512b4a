"""Backends and shards: the same bits whatever the shards, the workers or the cluster."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.engine import Intervention, backend, numba_available, run
from realpolitik.engine._shard import Job, from_parquet, prepare, simulate, to_parquet
from realpolitik.engine._summaries import CHUNK, QUANTILE_SAMPLE
from realpolitik.errors import SimulationError
from tests.engine.test_run import _load, _same
from tests.scenario.minimal import MINIMAL


def _identical(a: realpolitik.Results, b: realpolitik.Results) -> None:
    """Every number of two results is the same, bit for bit."""
    _same(a, b)
    for name in a.outcomes:
        np.testing.assert_array_equal(a.outcomes[name], b.outcomes[name], err_msg=name)
    for name in a.parameters:
        np.testing.assert_array_equal(a.parameters[name], b.parameters[name], err_msg=name)


@settings(max_examples=12, deadline=None)
@given(runs=st.integers(CHUNK + 1, 3 * CHUNK), batch=st.integers(300, 3 * CHUNK), seed=st.integers(0, 2**63 - 1))
def test_shards_cutting_chunks_merge_to_the_same_bits(runs: int, batch: int, seed: int) -> None:
    # shard boundaries that are not multiples of CHUNK split a mean's chunk in two
    scenario = _load(MINIMAL)
    _identical(run(scenario, runs=runs, seed=seed, batch_size=batch), run(scenario, runs=runs, seed=seed, batch_size=runs))


NOISY = MINIMAL.replace('update: "price * (1 + 0.01 * ladder)"', 'update: "price * (1 + 0.01 * ladder + 0.05 * normal())"')
BROKEN = MINIMAL.replace('update: "price * (1 + 0.01 * ladder)"', 'update: "log(-1 - price)"')


def test_the_mean_is_of_every_run_and_quantiles_of_the_first_runs() -> None:
    assert NOISY != MINIMAL
    runs = QUANTILE_SAMPLE + 2 * CHUNK + 17
    results = run(_load(NOISY), runs=runs, seed=2, horizon=3, keep_trajectories=runs, batch_size=5000)
    price = results.trajectories["price"][-1]  # every run's price on the last day
    assert results.steps[("price", "mean")][-1] == pytest.approx(price.mean(), rel=1e-13)
    for q in (0.05, 0.5, 0.95):
        expected = np.quantile(price[:QUANTILE_SAMPLE], q)
        assert results.steps[("price", f"q{round(q * 100):02d}")][-1] == pytest.approx(expected, rel=1e-13)
    assert np.quantile(price, 0.5) != np.quantile(price[:QUANTILE_SAMPLE], 0.5)  # the probe can tell


@pytest.mark.parametrize(("lo", "hi"), [(0, 1100), (1000, 2100)], ids=["first shard: kept paths, tail", "inner shard: head cut mid-chunk"])
def test_a_shard_survives_parquet_bit_for_bit(lo: int, hi: int) -> None:
    scenario = realpolitik.load("default")
    job = Job(scenario, 3000, 4, 20, 1, 50, Intervention.parse(force=["interceptor_allocation=divert_to_middle_east@5"]))
    prepared = prepare(job)
    shard = simulate(prepared, lo, hi)
    piece = shard.summaries.piece()
    back = from_parquet(prepared.model, job, lo, hi, to_parquet(shard), ask=piece.request)
    for a, b in zip(shard.trackers, back.trackers):
        np.testing.assert_array_equal(a.first, b.first)
        assert a.values.keys() == b.values.keys()
        for d in a.values:
            np.testing.assert_array_equal(a.values[d], b.values[d])
            assert a.values[d].dtype == b.values[d].dtype
    for name in shard.parameters:
        np.testing.assert_array_equal(shard.parameters[name], back.parameters[name])
    for part in ("counts", "head", "sums", "tail", "quantiles"):
        for x, y in zip(getattr(shard.summaries, part), getattr(back.summaries, part), strict=True):
            np.testing.assert_array_equal(x, y)
    # the piece of the quantile sample stays behind: its sketch crosses, and the
    # windows asked for come from the piece itself
    held = back.summaries.piece()
    assert (held.size, held.step) == (piece.size, piece.step) == (hi - lo, piece.step)
    np.testing.assert_array_equal(held.sketch, piece.sketch)
    a, b = np.full((len(piece.sketch), 1), -np.inf), np.full((len(piece.sketch), 1), np.inf)
    whole = held.request(a, b)()
    assert np.repeat(whole.values, whole.counts).tolist() == piece.values.ravel().tolist()
    assert shard.summaries.trajectories.keys() == back.summaries.trajectories.keys()
    assert bool(shard.summaries.trajectories) == (lo < 50)  # only the first shard holds kept paths
    for name, paths in shard.summaries.trajectories.items():
        np.testing.assert_array_equal(np.stack(paths), np.stack(back.summaries.trajectories[name]))


@settings(max_examples=300, deadline=None)
@given(runs=st.integers(1, 3_000_000), workers=st.integers(1, 64), batch=st.integers(1, 200_000))
def test_ray_shards_cover_the_runs_evenly(runs: int, workers: int, batch: int) -> None:
    from realpolitik.engine._backends import RayBackend

    cluster = object.__new__(RayBackend)  # the bounds need no cluster
    cluster.workers = workers
    bounds = cluster.bounds(runs, batch)
    assert bounds[0][0] == 0 and bounds[-1][1] == runs
    assert all(hi > lo for lo, hi in bounds)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert len(bounds) == min(runs, max(workers, -(-runs // batch)))  # a shard per worker, or per batch
    sizes = [hi - lo for lo, hi in bounds]
    assert max(sizes) - min(sizes) <= 1  # equal, to a run
    assert max(sizes) <= max(batch, -(-runs // workers))  # --batch-size, unless there are runs for every worker only


def test_backend_options_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown backend"):
        backend("gpu")
    with pytest.raises(ValueError, match="ray backend"):
        backend("numpy", workers=2)


# --- Ray: a real local cluster of two workers -------------------------------------------


@pytest.fixture(scope="module")
def ray_two():
    pytest.importorskip("ray", reason="the ray backend needs Ray (pip install 'realpolitik[cluster]')")
    with backend("ray", workers=2) as b:
        b.stepper = "numpy"  # compare with the numpy backend bit for bit
        yield b


@pytest.mark.slow
def test_ray_gives_the_local_answers_bit_for_bit(ray_two) -> None:
    scenario = realpolitik.load("default")
    local = run(scenario, runs=3000, seed=7, horizon=45, backend="numpy")
    remote = run(scenario, runs=3000, seed=7, horizon=45, backend=ray_two)
    assert len(ray_two.bounds(3000, 65536)) > 1  # several shards, over both workers
    _identical(local, remote)


@pytest.mark.slow
def test_ray_runs_interventions_and_designs_like_local(ray_two) -> None:
    scenario = realpolitik.load("default")
    intervention = Intervention.parse(force=["interceptor_allocation=divert_to_middle_east@3"], force_events=["unsc_resolution_tabled@10"])
    name = scenario.model.parameters[0].name
    design = {name: np.linspace(0.1, 0.9, 2500)}
    options = dict(runs=2500, seed=11, horizon=20, intervention=intervention, parameters=design)
    _identical(run(scenario, backend="numpy", **options), run(scenario, backend=ray_two, **options))


@pytest.mark.slow
def test_ray_reraises_a_workers_simulation_error(ray_two) -> None:
    scenario = _load(BROKEN)
    with pytest.raises(SimulationError) as local:
        run(scenario, runs=2000, seed=0, horizon=5, backend="numpy")
    with pytest.raises(SimulationError) as remote:
        run(scenario, runs=2000, seed=0, horizon=5, backend=ray_two)
    assert str(remote.value) == str(local.value)


@pytest.mark.slow
def test_the_numba_backend_gives_the_numpy_answers() -> None:
    if not numba_available():
        pytest.skip("the numba backend needs Numba (pip install 'realpolitik[fast]')")
    scenario = realpolitik.load("default")
    intervention = Intervention.parse(force=["interceptor_allocation=divert_to_middle_east@3"])
    options = dict(runs=3000, seed=5, horizon=60, intervention=intervention, batch_size=2000)
    fast, plain = run(scenario, backend="numba", **options), run(scenario, backend="numpy", **options)
    for name, values in plain.outcomes.items():
        np.testing.assert_allclose(fast.outcomes[name], values, rtol=1e-9, atol=0, err_msg=name)
    for key, values in plain.steps.items():
        np.testing.assert_allclose(fast.steps[key], values, rtol=1e-9, atol=1e-12, err_msg=str(key))
    for name, paths in plain.trajectories.items():
        np.testing.assert_allclose(fast.trajectories[name], paths, rtol=1e-9, atol=0, err_msg=name)
    for a, b in zip(fast.answers, plain.answers):
        assert a.estimate.value == pytest.approx(b.estimate.value, rel=1e-9, abs=0)
    discrete = [d.name for d in scenario.model.decisions] + [e.name for e in scenario.model.events]
    for name in discrete:  # decisions and event counts: the same in every kept run
        np.testing.assert_array_equal(fast.trajectories[name], plain.trajectories[name], err_msg=name)


def test_auto_compiles_only_when_it_pays(monkeypatch, tmp_path) -> None:
    if not numba_available():
        pytest.skip("the numba backend needs Numba (pip install 'realpolitik[fast]')")
    from realpolitik.engine._backends import AUTO_COMPILE_RUN_STEPS, AUTO_RUN_STEPS, LocalBackend
    from realpolitik.engine._numba import CompiledStep
    from realpolitik.engine._step import Streams

    monkeypatch.setenv("REALPOLITIK_CACHE", str(tmp_path))  # an empty cache: nothing compiled yet
    scenario = _load(NOISY)
    auto = LocalBackend("auto")
    big = Job(scenario, AUTO_RUN_STEPS // 30 + 1, 0, 30, 1, 0)
    assert auto.step_used(Job(scenario, 100, 0, 30, 1, 0)) == "numpy"  # small: NumPy whatever is cached
    assert auto.step_used(big) == "numpy"  # worth it only once compiled
    assert auto.step_used(Job(scenario, -(-AUTO_COMPILE_RUN_STEPS // 30), 0, 30, 1, 0)) == "numba"  # worth compiling
    model = scenario.model
    CompiledStep.build(model, Streams.of(model), Intervention().compile(model))
    assert auto.step_used(big) == "numba"


def test_the_command_names_the_step_when_the_default_might_take_another() -> None:
    scenario = realpolitik.load("default")
    small = run(scenario, runs=200, seed=1, horizon=20, backend="numpy")
    assert small.info.step == "numpy" and "--backend" not in small.command  # auto takes NumPy here too
    assert small.info.to_dict()["step"] == "numpy"
    large = run(scenario, runs=30_000, seed=1, horizon=20, backend="numpy")  # 600,000 run-steps
    assert large.command.endswith("--backend numpy")
    if numba_available():
        fast = run(scenario, runs=200, seed=1, horizon=20, backend="numba")
        assert fast.info.step == "numba" and fast.command.endswith("--backend numba")


@pytest.mark.slow
def test_ray_goes_on_from_a_filtered_ensemble_like_local(ray_two) -> None:
    # the filter runs in this process; each worker takes its slice of the filtered state
    import datetime as dt

    from realpolitik.inference import Evidence, Observation, run_as_of

    scenario = realpolitik.load("default")
    start = scenario.spec.clock.start
    days = [start + dt.timedelta(days=d) for d in range(6)]
    evidence = Evidence(days[-1], (Observation("mfa_condemnation", days[2], 0.9, "a"),), frozenset(days))
    intervention = Intervention.parse(force=["interceptor_allocation=divert_to_middle_east@3"])
    options = dict(runs=2500, seed=3, horizon=20, intervention=intervention)
    _identical(run_as_of(scenario, evidence, backend="numpy", **options), run_as_of(scenario, evidence, backend=ray_two, **options))


@pytest.mark.slow
def test_the_compiled_step_filters_as_numpy_does() -> None:
    if not numba_available():
        pytest.skip("the numba backend needs Numba (pip install 'realpolitik[fast]')")
    import datetime as dt

    from realpolitik.inference import Evidence, Observation, condition

    scenario = realpolitik.load("default")
    start = scenario.spec.clock.start
    days = [start + dt.timedelta(days=d) for d in range(8)]
    evidence = Evidence(days[-1], (Observation("mfa_condemnation", days[3], 1.0, "a"),), frozenset(days))
    fast, plain = (condition(scenario, evidence, runs=2000, seed=4, backend=b) for b in ("numba", "numpy"))
    assert fast.stepper == "numba" and plain.stepper == "numpy"
    assert [d.resampled for d in fast.days] == [d.resampled for d in plain.days]
    for name, values in plain.origin.state.items():
        np.testing.assert_allclose(fast.origin.state[name], values, rtol=1e-9, atol=1e-12, err_msg=name)
