"""Benchmark realpolitik's vectorised engine against a plain Python loop and a Mesa model.

    .venv/bin/python benchmarks/bench_engine.py [--runs N] [--peer-runs N] [--seed S] [--repeat R] [--quick]

In one process: times the engine and the two peers (``peers/``) on the bundled
scenario (the median of ``--repeat`` timings, as run-steps per second, so the peers
may do fewer runs), checks that the three give the same nine answers within Monte
Carlo error, then measures the engine's peak memory in a fresh subprocess per
(runs, steps). Prints tables and writes ``results/engine.json``
(``results/engine-quick.json`` with ``--quick``). Exits with status 1 if an answer
disagrees.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import realpolitik
from peers import mesa_model, plain_loop
from peers._common import QUESTIONS

HERE = Path(__file__).resolve().parent
STEPS = 180
#: Largest |z| for two estimates to count as agreeing.
Z_MAX = 4.0

Answers = dict[str, dict[str, float]]

#: Loaded once, like the peers' priors: timings are of the runs, not of parsing the file.
SCENARIO = realpolitik.load("default")

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
scenario = realpolitik.load("default")
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


def run_engine(runs: int, seed: int, steps: int) -> Answers:
    results = SCENARIO.run(runs=runs, seed=seed, horizon=steps, keep_trajectories=50)
    return {a.question: {"value": a.estimate.value, "se": a.estimate.se} for a in results.answers}


def timed(
    simulate: Callable[[int, int, int], Answers], runs: int, seed: int, steps: int, repeat: int
) -> tuple[list[float], Answers]:
    """Wall-clock seconds of ``repeat`` identical ensembles (same seed, same answers)."""
    simulate(20, seed + 1, 5)  # warm-up: first-call costs (imports, caches) are not throughput
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        answers = simulate(runs, seed, steps)
        seconds.append(time.perf_counter() - start)
    return seconds, answers


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


def measure_memory(runs: int, steps: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(runs), str(steps)], capture_output=True, text=True, check=True
    )
    child = json.loads(out.stdout.strip().splitlines()[-1])
    return {"runs": runs, "steps": steps, "peak_mib": child["peak_kib"] / 1024, "seconds": child["seconds"]}


def cpu_model() -> str:
    """The CPU's model name (platform.processor() is empty on many Linux systems)."""
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        return platform.processor()


def machine() -> dict[str, object]:
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "versions": {name: version(name) for name in ("realpolitik", "numpy", "scipy", "mesa")},
    }


def throughput(runs: int, peer_runs: int, seed: int, repeat: int) -> dict[str, dict[str, object]]:
    """Time the three implementations; each entry has runs, seconds, run_steps_per_s and answers."""
    out: dict[str, dict[str, object]] = {}
    for name, simulate, n in (
        ("realpolitik", run_engine, runs),
        ("plain loop", plain_loop.simulate, peer_runs),
        ("mesa", mesa_model.simulate, peer_runs),
    ):
        print(f"timing {name} ({n} runs x {STEPS} steps, {repeat} times) ...", flush=True)
        seconds, answers = timed(simulate, n, seed, STEPS, repeat)
        rate = n * STEPS / statistics.median(seconds)
        out[name] = {"runs": n, "seconds": seconds, "run_steps_per_s": rate, "answers": answers}
    engine_rate = out["realpolitik"]["run_steps_per_s"]
    print(f"\n{'implementation':<14} {'runs':>7} {'steps':>5} {'median s':>9} {'run-steps/s':>12} {'engine x':>9}")
    for name, t in out.items():
        print(
            f"{name:<14} {t['runs']:>7} {STEPS:>5} {statistics.median(t['seconds']):>9.2f} "
            f"{t['run_steps_per_s']:>12,.0f} {engine_rate / t['run_steps_per_s']:>9.1f}"
        )
    return out


def agreement(timings: dict[str, dict[str, object]]) -> list[dict[str, object]]:
    """Compare the nine answers of the three implementations pairwise."""
    (engine, runs), (plain, peer_runs), (mesa, _) = (
        (timings[k]["answers"], timings[k]["runs"]) for k in ("realpolitik", "plain loop", "mesa")
    )
    rows = []
    print(f"\nagreement: |z| <= {Z_MAX:g} (z = difference over the combined standard error)")
    heads = ("engine", "plain loop", "mesa")
    print(f"{'answer':<22} " + " ".join(f"{h:>18}" for h in heads) + f" {'z p-e':>7} {'z m-e':>7} {'z m-p':>7}")
    for q, kind in QUESTIONS.items():
        z = {
            "plain_vs_engine": z_score(kind, engine[q], runs, plain[q], peer_runs),
            "mesa_vs_engine": z_score(kind, engine[q], runs, mesa[q], peer_runs),
            "mesa_vs_plain": z_score(kind, plain[q], peer_runs, mesa[q], peer_runs),
        }
        ok = all(abs(v) <= Z_MAX for v in z.values())
        rows.append({
            "answer": q,
            "kind": kind,
            "engine": engine[q],
            "plain_loop": plain[q],
            "mesa": mesa[q],
            "z": z,
            "agree": ok,
        })
        cells = " ".join(f"{a[q]['value']:>9.4f} ±{a[q]['se']:<7.4f}" for a in (engine, plain, mesa))
        zs = " ".join(f"{v:>+7.2f}" for v in z.values())
        print(f"{q:<22} {cells} {zs}  {'ok' if ok else 'DISAGREE'}")
    print("all answers agree" if all(r["agree"] for r in rows) else "SOME ANSWERS DISAGREE")
    return rows


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="engine runs for timing and agreement (default 10000)")
    parser.add_argument("--peer-runs", type=int, help="runs of each peer (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, help="timings per implementation, the median counts (default 3)")
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    args = parser.parse_args()
    runs = args.runs or (2_000 if args.quick else 10_000)
    peer_runs = args.peer_runs or (200 if args.quick else 2_000)
    repeat = args.repeat or (1 if args.quick else 3)
    memory_runs = (1_000, 5_000) if args.quick else (10_000, 100_000)

    timings = throughput(runs, peer_runs, args.seed, repeat)
    rows = agreement(timings)
    mem = memory(memory_runs)

    rate = {name: t["run_steps_per_s"] for name, t in timings.items()}
    report = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "quick": args.quick,
        "seed": args.seed,
        "repeat": repeat,
        "steps": STEPS,
        "throughput": {name: {k: v for k, v in t.items() if k != "answers"} for name, t in timings.items()},
        "ratios": {
            "engine_over_plain": rate["realpolitik"] / rate["plain loop"],
            "engine_over_mesa": rate["realpolitik"] / rate["mesa"],
        },
        "agreement": {"z_max": Z_MAX, "all_agree": all(r["agree"] for r in rows), "answers": rows},
        "memory": mem,
    }
    out = HERE / "results" / ("engine-quick.json" if args.quick else "engine.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(HERE.parent)}")
    return 0 if report["agreement"]["all_agree"] else 1


if __name__ == "__main__":
    sys.exit(main())
