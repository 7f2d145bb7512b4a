"""The compiled (Numba) step gives the NumPy step's answers, step by step, for any scenario."""

from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realpolitik
from realpolitik.engine import Intervention
from realpolitik.engine._step import Streams, advance, initial_state
from realpolitik.errors import SimulationError
from tests.engine.strategies import scenario_texts

pytest.importorskip("numba")

from realpolitik.engine import _numba  # noqa: E402
from realpolitik.engine._numba import CompiledStep  # noqa: E402

BUNDLED = ["default", "russia-iran-2024-04", "russia-iran-2024-10", "russia-iran-2025-06"]


@pytest.fixture(scope="module", autouse=True)
def kernel_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Kernels are cached under .pytest_cache (when there is one), so a second test
    session loads them instead of compiling them again."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("realpolitik-kernels") if cache is not None else tmp_path_factory.mktemp("kernels")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REALPOLITIK_CACHE", str(folder))
        yield folder


def _load(text: str) -> realpolitik.Scenario:
    path = Path(tempfile.mkdtemp()) / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return realpolitik.load(path)


def _assert_same(a: dict[str, np.ndarray], b: dict[str, np.ndarray], step: int) -> None:
    assert a.keys() == b.keys()
    for name in a:
        x, y = a[name], b[name]
        assert x.dtype == y.dtype, (name, step)
        if x.dtype == np.float64:
            # exp, log and pow may differ by an ulp between NumPy and LLVM; nothing else.
            np.testing.assert_allclose(y, x, rtol=1e-9, atol=1e-12, err_msg=f"{name} at step {step}")
        else:
            np.testing.assert_array_equal(y, x, err_msg=f"{name} at step {step}")


def _step_both(
    scenario: realpolitik.Scenario,
    *,
    runs: int | np.ndarray,
    seed: int,
    intervention: Intervention | None = None,
    threads: int | None = None,
) -> tuple[str | None, str | None]:
    """Step NumPy and the kernel side by side from one initial state; compare after every step.

    Returns the two error messages (both ``None`` when the whole horizon ran).
    """
    model = scenario.model
    streams = Streams.of(model)
    compiled_intervention = (intervention or Intervention()).compile(model)
    clock = scenario.spec.clock
    ids = np.arange(runs, dtype=np.uint64) if isinstance(runs, int) else runs
    try:
        expected = initial_state(model, streams, seed, ids, clock.start.toordinal(), compiled_intervention)
    except SimulationError as exc:  # the initial state is NumPy's for both backends
        return str(exc), str(exc)
    actual = {k: v.copy() for k, v in expected.items()}
    step_fn = CompiledStep.build(model, streams, compiled_intervention, threads=threads)
    with np.errstate(all="ignore"):
        for step in range(1, clock.horizon_days // clock.step_days + 1):
            day = step * clock.step_days
            kw = dict(seed=seed, step=step, day=day, step_days=clock.step_days, today=clock.start.toordinal() + day, runs=ids)
            errors: list[str | None] = [None, None]
            try:
                advance(model, streams, expected, intervention=compiled_intervention, **kw)
            except SimulationError as exc:
                errors[0] = str(exc)
            try:
                step_fn.advance(actual, **kw)
            except SimulationError as exc:
                errors[1] = str(exc)
            if errors != [None, None]:
                return errors[0], errors[1]
            _assert_same(expected, actual, step)
    return None, None


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenarios_step_alike(name: str) -> None:
    assert _step_both(realpolitik.load(name), runs=1000, seed=7) == (None, None)


def test_interventions_step_alike() -> None:
    intervention = Intervention.parse(
        set=["iran_rationality=2"],
        force=["interceptor_allocation=divert_to_middle_east@10", "russia_posture=host_talks@3"],
        force_events=["hormuz_closure@5", "hormuz_closure@40", "iran_state_collapse@60"],
    )
    assert _step_both(realpolitik.load("default"), runs=400, seed=3, intervention=intervention) == (None, None)


def test_a_run_does_not_depend_on_threads_or_slices() -> None:
    scenario = realpolitik.load("default")
    model = scenario.model
    streams = Streams.of(model)
    ci = Intervention().compile(model)
    ids = np.arange(5000, dtype=np.uint64)
    start = initial_state(model, streams, 11, ids, scenario.spec.clock.start.toordinal(), ci)
    results = []
    for threads, slices in ((1, [slice(0, 5000)]), (2, [slice(0, 5000)]), (2, [slice(0, 1234), slice(1234, 5000)])):
        state = {k: v.copy() for k, v in start.items()}
        step_fn = CompiledStep.build(model, streams, ci, threads=threads)
        for step in range(1, 6):
            for s in slices:
                part = {k: v[s] for k, v in state.items()}
                step_fn.advance(part, seed=11, step=step, day=step, step_days=1, today=700_000 + step, runs=ids[s])
                for k in part:
                    state[k][s] = part[k]
        results.append(state)
    for other in results[1:]:
        for k in start:
            np.testing.assert_array_equal(other[k], results[0][k], err_msg=k)


@settings(max_examples=6, deadline=None)
@given(text=scenario_texts(), runs=st.integers(1, 40), seed=st.integers(0, 2**63 - 1))
def test_random_scenarios_step_alike(text: str, runs: int, seed: int) -> None:
    scenario = _load(text)
    numpy_error, numba_error = _step_both(scenario, runs=runs, seed=seed)
    assert numba_error == numpy_error


NON_FINITE = """\
name: blowup
clock: {{start: 2026-01-01, step_days: 1, horizon_days: 20}}
parameters:
  rate: {{prior: {{dist: uniform, low: 0.5, high: 1.5}}}}
variables:
  x: {{type: continuous, initial: 3}}
  y: {{type: continuous, initial: 1}}
actors:
  a:
    decisions:
      act:
        options:
          stay: {{}}
          go: {{utility: "{utility}", effects: {{y: "{effect}"}}}}
events:
  shock: {{hazard: "{hazard}"}}
mechanisms:
  fall: {{target: x, update: "x - rate"}}
  grow: {{target: y, update: "{update}"}}
"""


@pytest.mark.parametrize(
    ("element", "fields"),
    [
        ("mechanism 'grow'", dict(utility="-1", effect="y", hazard="0.1", update="log(x) + y")),
        ("effect on 'y' of option 'go'", dict(utility="0", effect="1 / max(x, 0)", hazard="0.1", update="y")),
        ("the hazard of event 'shock'", dict(utility="-1", effect="y", hazard="sqrt(x)", update="y")),
        ("the utility of option 'go'", dict(utility="log(x)", effect="y", hazard="0.1", update="y")),
    ],
)
def test_a_non_finite_value_raises_the_numpy_error(element: str, fields: dict[str, str]) -> None:
    numpy_error, numba_error = _step_both(_load(NON_FINITE.format(**fields)), runs=50, seed=4)
    assert numpy_error is not None and element in numpy_error
    assert numba_error == numpy_error


def test_a_bad_value_numpy_never_computes_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # No run ever chooses 'go' (utility -1000), so NumPy never evaluates its effect; the
    # kernel does, sees -inf, and must still give NumPy's answer: no error, same state.
    retaken = []

    def numpy_again(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        retaken.append(kwargs["step"])
        advance(*args, **kwargs)

    monkeypatch.setattr(_numba, "numpy_advance", numpy_again)
    fields = dict(utility="-1000", effect="log(0)", hazard="0.1", update="y + 1")
    assert _step_both(_load(NON_FINITE.format(**fields)), runs=30, seed=2) == (None, None)
    assert retaken == list(range(1, 21))


def test_the_generated_source_holds_no_scenario_text() -> None:
    text = NON_FINITE.format(utility="-1", effect="y", hazard="0.1", update="y + 1")
    text = re.sub(r"\b(blowup|rate|grow|fall|shock|stay|act|a|go|x|y)\b", r"zq\1", text)
    scenario = _load(text)
    step_fn = CompiledStep.build(scenario.model, Streams.of(scenario.model), Intervention().compile(scenario.model))
    assert "zq" not in step_fn.path.read_text(encoding="utf-8")


def test_the_kernel_is_written_once_and_its_machine_code_kept(kernel_cache: Path) -> None:
    scenario = _load(NON_FINITE.format(utility="-1", effect="y", hazard="0.2", update="y * 0.5"))
    model = scenario.model
    first = CompiledStep.build(model, Streams.of(model), Intervention().compile(model))
    second = CompiledStep.build(model, Streams.of(model), Intervention().compile(model))
    assert first.path == second.path and first.path.parent == kernel_cache / "numba"
    assert second.kernel is first.kernel
    assert list((first.path.parent / "__pycache__").glob(first.path.stem + "*.nbi"))


def test_an_unwritable_cache_still_compiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REALPOLITIK_CACHE", str(blocker))
    scenario = _load(NON_FINITE.format(utility="-1", effect="y", hazard="0.3", update="y * 0.25"))
    assert _step_both(scenario, runs=20, seed=1) == (None, None)


def test_available() -> None:
    assert _numba.available()


def test_ndtri_matches_scipy() -> None:
    from numba import njit
    from scipy.special import ndtri

    from realpolitik.engine._numba_math import ndtri as compiled_ndtri

    @njit
    def many(u: np.ndarray) -> np.ndarray:
        out = np.empty_like(u)
        for i in range(u.shape[0]):
            out[i] = compiled_ndtri(u[i])
        return out

    rng = np.random.default_rng(0)
    tail = (np.arange(1, 2000) + 0.5) * 2.0**-53
    u = np.concatenate([rng.random(100_000), tail, 1 - tail, rng.random(1000) * 1e-8, [0.5 - 2.0**-54, 0.5 + 2.0**-53]])
    expected, actual = ndtri(u), many(u)
    np.testing.assert_allclose(actual, expected, rtol=2e-15, atol=1e-15)


def test_remainder_and_floor_divide_match_numpy() -> None:
    from numba import njit

    from realpolitik.engine._numba_math import floor_divide, remainder

    @njit(error_model="numpy")
    def both(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, f = np.empty_like(a), np.empty_like(a)
        for i in range(a.shape[0]):
            r[i] = remainder(a[i], b[i])
            f[i] = floor_divide(a[i], b[i])
        return r, f

    special = [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 3.0, -7.0, 0.1, 1e-300, 1e300, math.inf, -math.inf, math.nan, 7.5, 1e16]
    a, b = (np.array(x) for x in zip(*[(x, y) for x in special for y in special]))
    with np.errstate(all="ignore"):
        expected = (np.remainder(a, b), np.floor_divide(a, b))
    for e, g in zip(expected, both(a, b)):
        np.testing.assert_array_equal(g, e)
        assert (np.signbit(g) == np.signbit(e))[~np.isnan(e)].all()


def _same_shard(a, b) -> None:
    for x, y in zip(a.trackers, b.trackers):
        np.testing.assert_array_equal(x.first, y.first)
        assert x.values.keys() == y.values.keys()
        for d in x.values:
            np.testing.assert_array_equal(x.values[d], y.values[d])
    for part in ("counts", "head", "sums", "tail", "quantiles"):
        np.testing.assert_array_equal(np.stack(getattr(a.summaries, part)), np.stack(getattr(b.summaries, part)), err_msg=part)
    for name, paths in a.summaries.trajectories.items():
        np.testing.assert_array_equal(np.stack(paths), np.stack(b.summaries.trajectories[name]), err_msg=name)


def test_summarising_a_step_while_the_next_is_computed_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from realpolitik.engine._shard import Job, prepare, simulate

    job = Job(realpolitik.load("default"), runs=6000, seed=3, steps=12, step_days=2, keep=20)
    shards = []
    for threads in ("1", "3"):  # one thread: each step, then its summary; three: both at once, runs in 8 slices
        monkeypatch.setenv("REALPOLITIK_THREADS", threads)
        prepared = prepare(job, "numba")
        assert prepared.step.__self__.threads == int(threads)
        shards.append(simulate(prepared, 0, job.runs))
    _same_shard(*shards)


def test_an_interrupted_shard_leaves_the_step_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    from realpolitik.engine import _summaries
    from realpolitik.engine._shard import Job, prepare, simulate

    monkeypatch.setenv("REALPOLITIK_THREADS", "2")
    job = Job(realpolitik.load("default"), runs=5000, seed=4, steps=10, step_days=1, keep=5)
    prepared = prepare(job, "numba")
    observe = _summaries.ShardSummaries.observe
    calls = []

    def interrupted(self, state, defer=None):  # Ctrl-C while the fifth step is being computed
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        observe(self, state, defer)

    monkeypatch.setattr(_summaries.ShardSummaries, "observe", interrupted)
    with pytest.raises(KeyboardInterrupt):
        simulate(prepared, 0, job.runs)
    monkeypatch.setattr(_summaries.ShardSummaries, "observe", observe)
    _same_shard(simulate(prepared, 0, job.runs), simulate(prepare(job, "numba"), 0, job.runs))
