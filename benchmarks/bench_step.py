"""Time the step alone: NumPy's ``advance`` against the compiled (Numba) step.

    .venv/bin/python benchmarks/bench_step.py [--scenario default] [--runs 10000] [--steps 180]
        [--repeat 3] [--threads 1,2]

Both steps advance the same initial state of ``--runs`` runs through ``--steps`` steps
(the bundled scenario's horizon by default); the figure is the median of ``--repeat``
timings. The compiled step is timed with each thread count in ``--threads``. Before
that, in fresh subprocesses with an empty kernel cache: the first compile (generate,
write, compile the kernel) and then the cached load in a new process (the machine
code read back from the cache). It checks that both steps end in the same state
(discrete values exactly, continuous to 1e-9 relative) and exits with status 1 if not.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import realpolitik
from realpolitik.engine import Intervention
from realpolitik.engine._step import Streams, advance, initial_state

_BUILD = """
import os, sys, time
t0 = time.perf_counter()
import realpolitik
from realpolitik.engine import Intervention
from realpolitik.engine._step import Streams
scenario = realpolitik.load(sys.argv[1])
model = scenario.model
streams = Streams.of(model)
compiled = Intervention().compile(model)
t1 = time.perf_counter()
from realpolitik.engine._numba import CompiledStep
CompiledStep.build(model, streams, compiled)
print(time.perf_counter() - t1, t1 - t0)
"""


def _build_seconds(scenario: str, cache: str) -> tuple[float, float]:
    """(seconds to build the compiled step, seconds to import and load the scenario) in a new process."""
    out = subprocess.run(
        [sys.executable, "-c", _BUILD, scenario],
        env={**__import__("os").environ, "REALPOLITIK_CACHE": cache},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        first, _ = _build_seconds(args.scenario, cache)
        cached, startup = _build_seconds(args.scenario, cache)
    print(f"compiled step, first build (generate + compile): {first:6.2f} s")
    print(f"compiled step, cached load in a new process:      {cached:6.2f} s  (importing realpolitik and loading the scenario: {startup:.2f} s)")

    from realpolitik.engine._numba import CompiledStep

    scenario = realpolitik.load(args.scenario)
    model = scenario.model
    streams = Streams.of(model)
    compiled = Intervention().compile(model)
    clock = scenario.spec.clock
    steps = args.steps or clock.horizon_days // clock.step_days
    runs = np.arange(args.runs, dtype=np.uint64)
    start = initial_state(model, streams, 1, runs, clock.start.toordinal(), compiled)

    def steps_of(step_fn) -> tuple[float, dict[str, np.ndarray]]:  # type: ignore[no-untyped-def]
        state = {k: v.copy() for k, v in start.items()}
        t = time.perf_counter()
        with np.errstate(all="ignore"):
            for step in range(1, steps + 1):
                day = step * clock.step_days
                step_fn(state, seed=1, step=step, day=day, step_days=clock.step_days, today=clock.start.toordinal() + day, runs=runs)
        return time.perf_counter() - t, state

    def numpy_step(state, **kw) -> None:  # type: ignore[no-untyped-def]
        advance(model, streams, state, intervention=compiled, **kw)

    timings: dict[str, float] = {}
    finals: dict[str, dict[str, np.ndarray]] = {}
    candidates = {"numpy": numpy_step}
    for threads in (int(t) for t in args.threads.split(",")):
        candidates[f"numba, {threads} thread{'s' if threads > 1 else ''}"] = CompiledStep.build(model, streams, compiled, threads=threads).advance
    for name, fn in candidates.items():
        seconds = []
        for _ in range(args.repeat):
            s, finals[name] = steps_of(fn)
            seconds.append(s)
        timings[name] = statistics.median(seconds)

    print(f"\n{args.scenario}: {args.runs} runs x {steps} steps, the step only (median of {args.repeat})")
    base = timings["numpy"]
    for name, s in timings.items():
        print(f"  {name:18s} {s:8.3f} s  {args.runs * steps / s / 1e6:7.2f} M run-steps/s  {base / s:6.1f}x numpy")

    ok = True
    for name, state in finals.items():
        for k, expected in finals["numpy"].items():
            got = state[k]
            same = np.allclose(got, expected, rtol=1e-9, atol=1e-12) if expected.dtype == np.float64 else np.array_equal(got, expected)
            if not same:
                print(f"MISMATCH: {name} differs from numpy in {k}")
                ok = False
    print("final states agree" if ok else "final states DISAGREE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
