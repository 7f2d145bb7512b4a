"""Benchmark realpolitik's engine against hand-written peers of the bundled scenario.

    .venv/bin/python benchmarks/bench_engine.py [--runs N] [--peer-runs N] [--seed S] [--repeat R]
        [--backends numpy,numba,ray] [--ray-scaling-runs N,N] [--cold-compile] [--quick]

In one process: times the engine (its default call, then each backend named in
``--backends`` that ``realpolitik.engine.run`` accepts) and the peers (``peers/``): a
plain per-run Python loop, a Mesa 3 model, the EMA Workbench running the plain loop's
model on two processes, and a hand-written Numba kernel (the CPU's speed limit for this
model, doing the engine's whole job, on all cores and on one). Each figure is the
median of ``--repeat`` timings taken in rounds (one of each implementation per round,
so all see the same spells of load on a shared machine), as run-steps per second, so
the slow peers may do fewer runs; a warm-up call before the clock takes first-call
costs (imports, Numba compilation) out. With Ray, it also compares 2 workers with 1
at larger ensembles (``--ray-scaling-runs``). It checks that all give the same nine answers within Monte Carlo error, that the kernel
reproduces the engine's answers for the same seed and that EMA reproduces the plain
loop's, then measures peak memory in a fresh subprocess per (implementation, runs,
steps). Prints tables and writes ``results/engine.json`` (``results/engine-quick.json``
with ``--quick``). Exits with status 1 if an answer disagrees.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import realpolitik
import realpolitik.engine
from realpolitik._atomic import atomic_path
from realpolitik.engine._summaries import QUANTILE_SAMPLE
from peers import mesa_model, plain_loop
from peers._common import MODEL, QUESTIONS

try:
    from peers import numba_kernel
except ImportError as exc:  # Numba is an optional extra
    numba_kernel = None  # type: ignore[assignment]
    _KERNEL_MISSING = f"the Numba kernel needs numba ({exc})"
try:
    from peers import ema_peer
except ImportError as exc:  # the EMA Workbench is in the bench extra
    ema_peer = None  # type: ignore[assignment]
    _EMA_MISSING = f"the EMA peer needs ema_workbench ({exc})"

HERE = Path(__file__).resolve().parent
STEPS = 180
#: Largest |z| for two estimates to count as agreeing.
Z_MAX = 4.0
#: Largest relative difference for the kernel to count as reproducing the engine: the
#: engine's compiled step may differ from its NumPy step in the last bits of
#: continuous values (its docs say within 1e-9).
KERNEL_RTOL = 1e-6

Answers = dict[str, dict[str, float]]
Simulate = Callable[[int, int, int], Answers]

#: Loaded once, like the peers' priors: timings are of the runs, not of parsing the file.
SCENARIO = realpolitik.load(MODEL)

# Measured in a fresh interpreter, which reports its own peak resident set size:
# VmHWM of /proc/self/status on Linux. Not ru_maxrss: Linux carries the forking
# parent's peak over exec into the child's ru_maxrss (and RUSAGE_CHILDREN is a
# maximum over all children so far), so it would show this process's size. Where
# there is no /proc (macOS), ru_maxrss is the fallback (in bytes there).
# runs = 0 measures the baseline: the interpreter, the imports and the loaded scenario.
_MEMORY_CHILD = """
import json, resource, sys, time
import realpolitik
runs, steps = int(sys.argv[1]), int(sys.argv[2])
scenario = realpolitik.load(sys.argv[3])
start = time.perf_counter()
if runs:
    scenario.run(runs=runs, seed=0, horizon=steps, keep_trajectories=50)
seconds = time.perf_counter() - start
try:
    with open("/proc/self/status") as f:
        peak_kib = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
except OSError:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"peak_kib": peak_kib, "seconds": seconds}))
"""

# The same for a peer: its module imported (and for the kernel the compiled code loaded
# by a tiny call) in both the baseline and the measured child, so the difference is the
# ensemble's. Pool workers (EMA) are children of the child: RUSAGE_CHILDREN gives the
# largest one's peak once they are joined, pages shared with the parent at fork included.
_PEER_MEMORY_CHILD = """
import importlib, json, resource, sys, time
sys.path.insert(0, sys.argv[1])
name, runs, steps, sample = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
peer = importlib.import_module("peers." + name)
options = {}
if name == "numba_kernel":
    peer.run(2, 0, 1, keep_trajectories=0)
    options = {"quantile_runs": sample or None}
start = time.perf_counter()
if runs:
    peer.simulate(runs, 0, steps, **options)
seconds = time.perf_counter() - start
try:
    with open("/proc/self/status") as f:
        peak_kib = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
except OSError:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"peak_kib": peak_kib, "workers_peak_kib": workers_kib, "seconds": seconds}))
"""

# The kernel compiled from scratch: a fresh interpreter with an empty Numba cache.
_COMPILE_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from peers import numba_kernel
start = time.perf_counter()
numba_kernel.run(2, 0, 1, keep_trajectories=0)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def _answers(results: realpolitik.Results) -> Answers:
    return {a.question: {"value": a.estimate.value, "se": a.estimate.se} for a in results.answers}


def run_engine(runs: int, seed: int, steps: int) -> Answers:
    """The engine as a user calls it: the default backend."""
    return _answers(SCENARIO.run(runs=runs, seed=seed, horizon=steps, keep_trajectories=50))


def engine_with(backend: object) -> Simulate:
    """The engine on ``backend`` (a name, or a backend object kept open across calls)."""

    def simulate(runs: int, seed: int, steps: int) -> Answers:
        options = {"horizon": steps, "keep_trajectories": 50, "backend": backend}
        return _answers(realpolitik.engine.run(SCENARIO, runs=runs, seed=seed, **options))

    return simulate


def default_backend() -> str:
    """What the engine's default call runs on, in its own words."""
    try:
        with realpolitik.engine.backend() as b:
            return str(b.describe())
    except Exception as exc:  # noqa: BLE001 - only a label
        return f"unknown ({exc})"


def warm_up(simulate: Simulate, seed: int, runs: int = 20) -> None:
    """A small call first: first-call costs (imports, caches, compiling) are not throughput."""
    simulate(runs, seed + 1, 5)


#: Ray's worker counts compared: a backend of each, alive at once on one cluster.
RAY_WORKERS = (1, 2)


@contextlib.contextmanager
def ray_backends(seed: int, sizes: Sequence[int]) -> Iterator[dict[int, Simulate]]:
    """The engine on a Ray backend of each of :data:`RAY_WORKERS` workers, all open at
    once on one local cluster (so their timings can take turns round by round, and see
    the same spells of load), each warmed with a call at every ensemble size of
    ``sizes``: every worker loads its compiled step and touches the memory its shards
    of that size reuse before the clock (a size's shards may hold pieces of the
    quantile sample that a larger size's do not). The cluster has a logical CPU for
    every worker of every backend (3 here, on a machine of 2 cores): a backend's
    workers wait, idle, while the other's run."""
    import ray

    ray.init(num_cpus=sum(RAY_WORKERS), include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        with contextlib.ExitStack() as stack:
            opened = {k: stack.enter_context(realpolitik.engine.backend("ray", workers=k)) for k in RAY_WORKERS}
            simulates = {k: engine_with(b) for k, b in opened.items()}
            for simulate in simulates.values():
                for n in sizes:
                    simulate(n, seed + 1, STEPS)
            yield simulates
    finally:
        ray.shutdown()


def timed_once(simulate: Simulate, runs: int, seed: int, steps: int) -> tuple[float, float, Answers]:
    """Wall-clock and CPU seconds (this process and its finished children) of one ensemble."""
    before, start = os.times(), time.perf_counter()
    answers = simulate(runs, seed, steps)
    seconds, after = time.perf_counter() - start, os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    return seconds, cpu, answers


def z_score(kind: str, a: dict[str, float], n_a: int, b: dict[str, float], n_b: int) -> float:
    """Standardised difference b - a.

    Probabilities use the pooled two-proportion standard error (the one valid when
    both are equal, and not zero when one side saw no hit); means combine the two
    standard errors.
    """
    diff = b["value"] - a["value"]
    if kind == "probability":
        pooled = (a["value"] * n_a + b["value"] * n_b) / (n_a + n_b)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    else:
        se = math.hypot(a["se"], b["se"])
    if se == 0:
        return 0.0 if diff == 0 else math.inf
    return diff / se


def max_relative_difference(a: Answers, b: Answers) -> float:
    """The largest |a - b| / |a| over the nine values and standard errors (0 if identical)."""
    worst = 0.0
    for q in QUESTIONS:
        for stat in ("value", "se"):
            x, y = a[q][stat], b[q][stat]
            if x != y:
                worst = max(worst, abs(x - y) / max(abs(x), 1e-300))
    return worst


def measure_memory(runs: int, steps: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(runs), str(steps), MODEL], capture_output=True, text=True, check=True
    )
    child = json.loads(out.stdout.strip().splitlines()[-1])
    return {"runs": runs, "steps": steps, "peak_mib": child["peak_kib"] / 1024, "seconds": child["seconds"]}


def measure_peer_memory(name: str, runs: int, steps: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _PEER_MEMORY_CHILD, str(HERE), name, str(runs), str(steps), str(QUANTILE_SAMPLE)],
        capture_output=True,
        text=True,
        check=True,
    )
    child = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "runs": runs,
        "steps": steps,
        "peak_mib": child["peak_kib"] / 1024,
        "workers_peak_mib": child["workers_peak_kib"] / 1024,
        "seconds": child["seconds"],
    }


def cpu_model() -> str:
    """The CPU's model name (platform.processor() is empty on many Linux systems)."""
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        return platform.processor()


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine() -> dict[str, object]:
    names = ("realpolitik", "numpy", "scipy", "mesa", "numba", "ema_workbench", "ray")
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": cpu_model(),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "versions": {name: v for name in names if (v := _version(name)) is not None},
    }


def kernel_compile(cold: bool) -> dict[str, object]:
    """The kernel's one-time cost: this process's first call (a compile, or a load from
    Numba's on-disk cache), and with ``cold`` a compile from scratch in a fresh process."""
    assert numba_kernel is not None
    start = time.perf_counter()
    numba_kernel.run(2, 0, 1, keep_trajectories=0)
    first = time.perf_counter() - start
    out: dict[str, object] = {"first_call_s": first, "from_cache": numba_kernel.loaded_from_cache()}
    how = "loaded from Numba's cache" if out["from_cache"] else "compiled (no cache yet)"
    print(f"numba kernel: first call {first:.1f} s ({how}); warmed up before timing, not in the figures")
    if cold:
        with tempfile.TemporaryDirectory() as cache:
            done = subprocess.run(
                [sys.executable, "-c", _COMPILE_CHILD, str(HERE)],
                capture_output=True,
                text=True,
                check=True,
                env=dict(os.environ, NUMBA_CACHE_DIR=cache),
            )
        out["cold_compile_s"] = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
        print(f"numba kernel: compile from scratch (fresh process, empty cache) {out['cold_compile_s']:.1f} s")
    return out


@dataclass
class Timing:
    """One implementation's timings and its last answers."""

    runs: int
    seconds: list[float]
    run_steps_per_s: float
    cores: str
    answers: Answers = field(repr=False)
    cpu_seconds: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if k != "answers"}


#: (name, runs, cores, simulate) of one implementation; for a Ray backend,
#: :func:`ray_backends` instead (which opens them all, once for every timing).
Entry = tuple[str, int, str, Callable[..., object]]


def implementations(runs: int, peer_runs: int, backends: list[str], skipped: dict[str, str]) -> list[Entry]:
    """Everything to time, in order; what cannot run here goes to ``skipped`` with the reason."""
    out: list[Entry] = [("realpolitik", runs, f"default: {default_backend()}", run_engine)]
    for name in backends:
        if name == "ray":  # timed by throughput on one cluster (ray_backends)
            out += [(f"realpolitik ray x{k}", runs, f"{k} Ray worker(s)", ray_backends) for k in RAY_WORKERS]
        else:
            out.append((f"realpolitik {name}", runs, f"backend {name}", engine_with(name)))
    out += [
        ("plain loop", peer_runs, "1 core", plain_loop.simulate),
        ("mesa", peer_runs, "1 core", mesa_model.simulate),
    ]
    if ema_peer is not None:
        out.append(("ema workbench", peer_runs, "2 processes", ema_peer.simulate))
    else:
        skipped["ema workbench"] = _EMA_MISSING
    if numba_kernel is not None:
        kernel = functools.partial(numba_kernel.simulate, quantile_runs=QUANTILE_SAMPLE)
        out.append(("numba kernel", runs, f"{numba_kernel.threads()} threads", kernel))
        if numba_kernel.threads() > 1:  # the limit per core, beside the single-core engine and peers
            one = functools.partial(numba_kernel.simulate, quantile_runs=QUANTILE_SAMPLE, threads=1)
            out.append(("numba kernel x1", runs, "1 thread", one))
    else:
        skipped["numba kernel"] = _KERNEL_MISSING
    return out


def throughput(
    runs: int, peer_runs: int, seed: int, repeat: int, backends: list[str]
) -> tuple[dict[str, Timing], dict[str, str]]:
    """Time every implementation that can run here; say why the others were skipped.

    The machine may be shared: the timings go in rounds, one of each implementation per
    round, so that every median samples the same spells of load. A Ray backend is timed
    on its own, opened once for its warm-up and all its rounds (Ray runs one cluster
    per process).
    """
    skipped: dict[str, str] = {}
    entries = implementations(runs, peer_runs, backends, skipped)
    local = [e for e in entries if not e[0].startswith("realpolitik ray")]
    clusters = [e for e in entries if e[0].startswith("realpolitik ray")]
    seconds: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    answers: dict[str, Answers] = {}

    def attempt(name: str, simulate: Simulate, n: int) -> bool:
        try:
            wall, used, answers[name] = timed_once(simulate, n, seed, STEPS)
        except Exception as exc:  # noqa: BLE001 - a backend that cannot run here is reported, not fatal
            skipped[name] = f"{type(exc).__name__}: {exc}".splitlines()[0]
            print(f"skipping {name}: {skipped[name]}")
            return False
        seconds.setdefault(name, []).append(wall)
        cpu.setdefault(name, []).append(used)
        return True

    print(f"warming up {len(local)} implementations ...", flush=True)
    for name, _, _, simulate in local:
        try:
            warm_up(simulate, seed)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001
            skipped[name] = f"{type(exc).__name__}: {exc}".splitlines()[0]
            print(f"skipping {name}: {skipped[name]}")
    for r in range(repeat):
        for name, n, _, simulate in local:
            if name not in skipped:
                print(f"round {r + 1}/{repeat}: {name} ({n} runs x {STEPS} steps) ...", flush=True)
                attempt(name, simulate, n)  # type: ignore[arg-type]
    if clusters:
        names = ", ".join(name for name, *_ in clusters)
        print(f"timing {names} ({runs} runs x {STEPS} steps, {repeat} rounds, one cluster) ...", flush=True)
        try:
            with ray_backends(seed, [runs]) as simulates:
                for _ in range(repeat):
                    for k, simulate in simulates.items():
                        attempt(f"realpolitik ray x{k}", simulate, runs)
        except Exception as exc:  # noqa: BLE001 - Ray missing or unable to start here
            for name, *_ in clusters:
                skipped[name] = f"{type(exc).__name__}: {exc}".splitlines()[0]
            print(f"skipping Ray: {skipped[clusters[0][0]]}")
    out = {
        name: Timing(n, seconds[name], n * STEPS / statistics.median(seconds[name]), cores, answers[name], cpu[name])
        for name, n, cores, _ in entries
        if name in seconds and name not in skipped
    }
    for name, why in skipped.items():
        if name not in out:
            print(f"skipped {name}: {why}")
    engine_rate = out["realpolitik"].run_steps_per_s
    heads = f"{'runs':>7} {'steps':>5} {'median s':>9} {'run-steps/s':>12} {'engine x':>9} {'cpu s':>7}"
    print(f"\n{'implementation':<22} {heads}  cores")
    for name, t in out.items():
        print(
            f"{name:<22} {t.runs:>7} {STEPS:>5} {statistics.median(t.seconds):>9.2f} "
            f"{t.run_steps_per_s:>12,.0f} {engine_rate / t.run_steps_per_s:>9.2f} "
            f"{statistics.median(t.cpu_seconds):>7.2f}  {t.cores}"
        )
    print("(engine x: the default engine's run-steps/s over the row's; cpu s: CPU seconds of the call,")
    print(" pool workers and Ray's own processes not included; every timing comes after a warm-up call")
    print(" that takes first-call costs, Numba's compilation included, out of the figures)")
    if "numba kernel" in out:
        limit = out["numba kernel"].run_steps_per_s
        per_core = out["numba kernel x1"].run_steps_per_s if "numba kernel x1" in out else None
        for name, t in out.items():
            if name.startswith("realpolitik"):
                core = "" if per_core is None else f", {t.run_steps_per_s / per_core:.3f} of its speed on one thread"
                print(f"engine/limit, {name}: {t.run_steps_per_s / limit:.3f} of the hand-written kernel's speed{core}")
        if "plain loop" in out:
            # what the targets ask of the engine, measured against the limit on this machine
            print(
                f"limit/plain loop: the hand-written kernel runs {limit / out['plain loop'].run_steps_per_s:.1f} times "
                "the plain loop (an engine at 50 times the plain loop would run "
                f"{50 * out['plain loop'].run_steps_per_s / limit:.2f} of the kernel's speed)"
            )
    return out, skipped


def ray_scaling(sizes: list[int], seed: int, repeat: int) -> dict[str, dict[str, object]]:
    """Ray with 1 and with 2 workers over ensembles of ``sizes`` runs: what a second
    worker buys as the work per job grows (a job has fixed costs, on the driver and
    per shard, that do not shrink with more workers). Both backends are open at once
    (:func:`ray_backends`, warmed at every size); within every round each size
    is timed on one backend, then the other."""
    seconds: dict[tuple[int, int], list[float]] = {}
    print(f"timing ray x1 and x2 over {', '.join(map(str, sizes))} runs, {repeat} rounds ...", flush=True)
    with ray_backends(seed, sizes) as simulates:
        for _ in range(repeat):
            for n in sizes:
                for workers, simulate in simulates.items():
                    seconds.setdefault((workers, n), []).append(timed_once(simulate, n, seed, STEPS)[0])
    out: dict[str, dict[str, object]] = {}
    print(f"\n{'Ray scaling':<14} {'x1 median s':>12} {'x2 median s':>12} {'x2 run-steps/s':>15} {'x2 / x1':>8}")
    for n in sizes:
        one, two = (statistics.median(seconds[(k, n)]) for k in (1, 2))
        out[str(n)] = {"x1_seconds": seconds[(1, n)], "x2_seconds": seconds[(2, n)], "x2_over_x1": one / two}
        print(f"{n:>8} runs {one:>12.2f} {two:>12.2f} {n * STEPS / two:>15,.0f} {one / two:>8.2f}")
    return out


def _difference(diff: float) -> str:
    return "identical" if diff == 0 else f"largest relative difference {diff:.2e}"


def agreement(timings: dict[str, Timing]) -> tuple[list[dict[str, object]], dict[str, object]]:
    """Compare the nine answers: z-scores of every peer against the engine, and the
    exact checks (kernel = engine, EMA = plain loop, each backend = the default call)."""
    engine, runs = timings["realpolitik"].answers, timings["realpolitik"].runs
    names = {"plain_loop": "plain loop", "mesa": "mesa", "ema": "ema workbench", "numba_kernel": "numba kernel"}
    peers = {key: timings[name] for key, name in names.items() if name in timings}
    short = {"plain_loop": "p", "mesa": "m", "ema": "x", "numba_kernel": "k"}
    # (z key, peer, compared with: None for the engine); the first results' key names kept
    pairs = [("plain_vs_engine" if key == "plain_loop" else f"{key}_vs_engine", key, None) for key in peers]
    if "mesa" in peers and "plain_loop" in peers:
        pairs.append(("mesa_vs_plain", "mesa", "plain_loop"))
    rows = []
    print(f"\nagreement: |z| <= {Z_MAX:g} (z = difference over the combined standard error)")
    heads = " ".join(f"{h:>18}" for h in ["engine", *(names[k] for k in peers)])
    z_heads = " ".join(f"{f'z {short[a]}-' + ('e' if b is None else short[b]):>7}" for _, a, b in pairs)
    print(f"{'answer':<22} {heads} {z_heads}")
    for q, kind in QUESTIONS.items():
        z = {}
        for key, a, b in pairs:
            base, n_base = (engine, runs) if b is None else (peers[b].answers, peers[b].runs)
            z[key] = z_score(kind, base[q], n_base, peers[a].answers[q], peers[a].runs)
        ok = all(abs(v) <= Z_MAX for v in z.values())
        theirs = {k: p.answers[q] for k, p in peers.items()}
        rows.append({"answer": q, "kind": kind, "engine": engine[q], **theirs, "z": z, "agree": ok})
        cells = " ".join(f"{a['value']:>9.4f} ±{a['se']:<7.4f}" for a in (engine[q], *theirs.values()))
        print(f"{q:<22} {cells} " + " ".join(f"{v:>+7.2f}" for v in z.values()) + f"  {'ok' if ok else 'DISAGREE'}")
    exact: dict[str, object] = {}
    if "numba kernel x1" in timings:  # threads change the schedule, never a bit of the answers
        exact["kernel_one_thread_identical"] = timings["numba kernel x1"].answers == peers["numba_kernel"].answers
    if "numba_kernel" in peers and peers["numba_kernel"].runs == runs:
        diff = max_relative_difference(engine, peers["numba_kernel"].answers)
        exact["kernel_vs_engine_max_rel_diff"] = diff
        exact["kernel_reproduces_engine"] = diff <= KERNEL_RTOL
        print(f"numba kernel vs engine, same seed and runs: {_difference(diff)}")
    if "ema" in peers and "plain_loop" in peers and peers["ema"].runs == peers["plain_loop"].runs:
        exact["ema_equals_plain_loop"] = peers["ema"].answers == peers["plain_loop"].answers
        same = "identical" if exact["ema_equals_plain_loop"] else "DIFFERENT"
        print(f"EMA vs plain loop, same seed and runs: {same}")
    for name, t in timings.items():
        if name.startswith("realpolitik ") and t.runs == runs:
            diff = max_relative_difference(engine, t.answers)
            exact[f"{name}_vs_default_max_rel_diff"] = diff
            print(f"{name} vs the default call: {_difference(diff)}")
    ok = all(r["agree"] for r in rows) and exact.get("kernel_reproduces_engine", True) is True
    for check in ("ema_equals_plain_loop", "kernel_one_thread_identical"):
        ok = ok and exact.get(check, True) is True
    print("all answers agree" if ok else "SOME ANSWERS DISAGREE")
    return rows, {**exact, "all_agree": ok}


def memory(memory_runs: tuple[int, int]) -> dict[str, object]:
    """The engine's peak memory at two ensemble sizes, each at STEPS and 2 * STEPS steps."""
    print("\nengine peak memory (a fresh process each; baseline = interpreter + imports + scenario)")
    baseline = measure_memory(0, 0)["peak_mib"]
    print(f"{'baseline':>8}: {baseline:8.1f} MiB")
    measured = []
    for n in memory_runs:
        for steps in (STEPS, 2 * STEPS):
            m = measure_memory(n, steps)
            measured.append(m)
            print(
                f"{n:>8} runs x {steps} steps: {m['peak_mib']:8.1f} MiB peak, {m['peak_mib'] - baseline:8.1f} MiB "
                f"above baseline, {m['seconds']:6.1f} s ({n * steps / m['seconds']:,.0f} run-steps/s)",
                flush=True,
            )
    peak = {(m["runs"], m["steps"]): m["peak_mib"] for m in measured}
    ratios = {}
    for n in memory_runs:
        long, short = peak[n, 2 * STEPS], peak[n, STEPS]
        above = (long - baseline) / (short - baseline)
        ratios[str(n)] = {"peak": long / short, "above_baseline": above}
        print(f"peak({2 * STEPS})/peak({STEPS}) at {n} runs: {long / short:.3f} ({above:.3f} above baseline)")
    small, large = memory_runs
    per_run_kib = (peak[large, STEPS] - peak[small, STEPS]) * 1024 / (large - small)
    print(f"memory per extra run at {STEPS} steps: {per_run_kib:.2f} KiB")
    return {"baseline_mib": baseline, "runs": measured, "ratio_long_over_short": ratios, "kib_per_run": per_run_kib}


def peer_memory(peer_runs: int, kernel_runs: tuple[int, ...]) -> dict[str, object]:
    """Each peer's peak memory in a fresh process: baseline (imports) and one ensemble."""
    print("\npeer peak memory (a fresh process each; baseline = interpreter + the peer's imports)")
    sizes = {"plain_loop": (peer_runs,), "mesa_model": (peer_runs,)}
    if ema_peer is not None:
        sizes["ema_peer"] = (peer_runs,)
    if numba_kernel is not None:
        sizes["numba_kernel"] = kernel_runs
    out: dict[str, object] = {}
    for name, runs in sizes.items():
        baseline = measure_peer_memory(name, 0, STEPS)["peak_mib"]
        rows = []
        for n in runs:
            m = measure_peer_memory(name, n, STEPS)
            rows.append(m)
            workers = f", largest worker {m['workers_peak_mib']:.1f} MiB" if name == "ema_peer" else ""
            print(
                f"{name:<13} {n:>7} runs x {STEPS} steps: {m['peak_mib']:8.1f} MiB peak, "
                f"{m['peak_mib'] - baseline:8.1f} MiB above baseline ({baseline:.1f}){workers}",
                flush=True,
            )
        out[name] = {"baseline_mib": baseline, "runs": rows}
    if ema_peer is not None:
        print("(EMA's work is in its pool workers; a worker's peak includes the pages it shares with its parent)")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="engine and kernel runs for timing and agreement (default 10000)")
    parser.add_argument("--peer-runs", type=int, help="runs of the plain loop, Mesa and EMA (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, help="timings per implementation, the median counts (default 3)")
    parser.add_argument(
        "--backends",
        help="engine backends to time besides the default call, comma-separated, from numpy, numba, ray "
        "(ray with 1 and 2 workers); default numpy,numba,ray (numpy,numba with --quick)",
    )
    parser.add_argument(
        "--cold-compile", action="store_true", help="time the kernel's compile from scratch (always in full runs)"
    )
    parser.add_argument(
        "--ray-scaling-runs",
        help="ensemble sizes at which to compare Ray with 1 and 2 workers, comma-separated "
        "(default 10000,20000,40000,100000 when ray is timed; none with --quick)",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    args = parser.parse_args()
    runs = args.runs or (2_000 if args.quick else 10_000)
    peer_runs = args.peer_runs or (200 if args.quick else 2_000)
    repeat = args.repeat or (1 if args.quick else 3)
    memory_runs = (1_000, 5_000) if args.quick else (10_000, 100_000)
    backends = [b for b in (args.backends or ("numpy,numba" if args.quick else "numpy,numba,ray")).split(",") if b]
    unknown = sorted(set(backends) - {"numpy", "numba", "ray"})
    if unknown:
        parser.error(f"--backends: unknown backend {', '.join(unknown)} (choose from numpy, numba, ray)")

    default_scaling = "" if args.quick or "ray" not in backends else "10000,20000,40000,100000"
    try:
        scaling_sizes = [int(n) for n in (args.ray_scaling_runs or default_scaling).split(",") if n]
    except ValueError:
        parser.error(f"--ray-scaling-runs: not a list of run counts: {args.ray_scaling_runs!r}")

    compile_info = kernel_compile(cold=args.cold_compile or not args.quick) if numba_kernel is not None else None
    timings, skipped = throughput(runs, peer_runs, args.seed, repeat, backends)
    scaling = ray_scaling(scaling_sizes, args.seed, repeat) if scaling_sizes and "realpolitik ray x1" in timings else {}
    rows, exact = agreement(timings)
    mem = memory(memory_runs)
    peers_mem = peer_memory(peer_runs, memory_runs)

    rate = {name: t.run_steps_per_s for name, t in timings.items()}
    ratios = {
        "engine_over_plain": rate["realpolitik"] / rate["plain loop"],
        "engine_over_mesa": rate["realpolitik"] / rate["mesa"],
    }
    if "ema workbench" in rate:
        ratios["engine_over_ema"] = rate["realpolitik"] / rate["ema workbench"]
    if "numba kernel" in rate:  # the engine's speed as a fraction of the kernel's
        for name in (n for n in rate if n.startswith("realpolitik")):
            label = "engine" if name == "realpolitik" else name.removeprefix("realpolitik ").replace(" ", "_")
            ratios[f"{label}_over_limit"] = rate[name] / rate["numba kernel"]
            if "numba kernel x1" in rate:
                ratios[f"{label}_over_limit_one_thread"] = rate[name] / rate["numba kernel x1"]
        ratios["limit_over_plain"] = rate["numba kernel"] / rate["plain loop"]
        if "numba kernel x1" in rate:  # what a second core gives the hand-written kernel
            ratios["limit_two_threads_over_one"] = rate["numba kernel"] / rate["numba kernel x1"]
    if "realpolitik ray x1" in rate and "realpolitik ray x2" in rate:
        ratios["ray_x2_over_x1"] = rate["realpolitik ray x2"] / rate["realpolitik ray x1"]
    if "limit_two_threads_over_one" in ratios:
        # what a second thread gives the hand-written model here, beside Ray's second worker
        gain = ratios["limit_two_threads_over_one"]
        ray = ""
        if "ray_x2_over_x1" in ratios:
            ray = f"; Ray's second worker {ratios['ray_x2_over_x1']:.2f}x ({ratios['ray_x2_over_x1'] / gain:.2f} of the kernel's gain)"
        print(f"\nsecond core: the hand-written kernel runs {gain:.2f}x as fast on 2 threads as on 1{ray}")
    all_agree = bool(exact.pop("all_agree"))
    report = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "quick": args.quick,
        "seed": args.seed,
        "repeat": repeat,
        "steps": STEPS,
        "default_backend": timings["realpolitik"].cores,
        "throughput": {name: t.to_dict() for name, t in timings.items()},
        "skipped": skipped,
        "ratios": ratios,
        "ray_scaling": scaling,
        "numba_compile": compile_info,
        "agreement": {
            "z_max": Z_MAX,
            "kernel_rtol": KERNEL_RTOL,
            "all_agree": all_agree,
            "answers": rows,
            "exact": exact,
        },
        "memory": mem,
        "peer_memory": peers_mem,
    }
    out = HERE / "results" / ("engine-quick.json" if args.quick else "engine.json")
    out.parent.mkdir(exist_ok=True)
    with atomic_path(out) as tmp:
        Path(tmp).write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(HERE.parent)}")
    return 0 if all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
