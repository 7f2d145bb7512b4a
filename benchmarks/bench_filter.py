"""What answering as of a date costs: the particle filter against a plain run of the
same runs and steps, and the filter's memory against the runs.

The bundled scenario, as of day ``--as-of-day`` (default 30) of its clock, conditioned
on evidence made from one hidden run of the scenario itself (every day covered; each
news indicator reported on the days its observation model draws, Brent observed on
weekdays through its declared lognormal error), then run on for the rest of the 180
days. The peer is the engine's plain run over the same 180 days (no evidence). Both
use the same step (``--backend``), and their timings are interleaved round by round
(the median of ``--repeat`` counts).

    .venv/bin/python benchmarks/bench_filter.py            # 10,000 runs: about a minute
    .venv/bin/python benchmarks/bench_filter.py --quick    # 2,000 runs

Writes ``results/filter.json`` (``filter-quick.json`` with ``--quick``, ``-numba``
with ``--backend numba``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

import realpolitik
from realpolitik.engine import run
from realpolitik.inference import Evidence, Observation, PriceSeries, condition, conditioned_run

HERE = Path(__file__).resolve().parent


def hidden_evidence(scenario, as_of_day: int, seed: int) -> Evidence:  # type: ignore[no-untyped-def]
    """Evidence drawn from one run of the scenario (run 0 of seed ``seed + 1000``)."""
    truth = run(scenario, runs=1, seed=seed + 1000, horizon=as_of_day, keep_trajectories=1)
    start = scenario.spec.clock.start
    rng = np.random.default_rng(seed)
    reports, closes, dates = [], [], []
    model = scenario.model
    for day in range(0, as_of_day + 1):
        date = start + dt.timedelta(days=day)
        env = {name: values[day, :1] for name, values in truth.trajectories.items()}
        env.update(step=float(day), day=float(day), today=float(date.toordinal()))
        for ind in model.indicators:
            if ind.event is None:
                continue
            holds = bool(np.asarray(ind.observes.evaluate(env)).reshape(-1)[0])
            if rng.random() < (ind.p_report if holds else ind.false_rate):
                reports.append(Observation(ind.name, date, 1.0, f"hidden run, {date}"))
        if date.weekday() < 5:
            brent = float(env["brent"][0])
            closes.append(brent * math.exp(0.02 * rng.standard_normal()))
            dates.append(date)
    end = start + dt.timedelta(days=as_of_day)
    covered = frozenset(start + dt.timedelta(days=d) for d in range(as_of_day + 1))
    silent = frozenset(i.name for i in model.indicators if i.event is not None)
    return Evidence(end, tuple(reports), covered, (PriceSeries("brent", tuple(dates), tuple(closes), "hidden run"),), 0, "", silent)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--as-of-day", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", default="numpy", choices=["numpy", "numba"])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    runs = 2_000 if args.quick else args.runs
    scenario = realpolitik.load("default")
    horizon = scenario.spec.clock.horizon_days
    evidence = hidden_evidence(scenario, args.as_of_day, args.seed)
    forward = horizon - args.as_of_day

    def plain() -> None:
        run(scenario, runs=runs, seed=args.seed, horizon=horizon, backend=args.backend)

    def filtered() -> None:
        c = condition(scenario, evidence, runs=runs, seed=args.seed, backend=args.backend)
        conditioned_run(scenario, c, horizon=forward, backend=args.backend)

    def filter_only() -> None:
        condition(scenario, evidence, runs=runs, seed=args.seed, backend=args.backend)

    def plain_to_as_of() -> None:
        run(scenario, runs=runs, seed=args.seed, horizon=args.as_of_day, backend=args.backend)

    plain(), filtered()  # warm (imports, a compiled step's load)
    times: dict[str, list[float]] = {"plain": [], "as_of": [], "filter_only": [], "plain_to_as_of": []}
    for _ in range(args.repeat):
        times["plain"].append(timed(plain))
        times["as_of"].append(timed(filtered))
        times["filter_only"].append(timed(filter_only))
        times["plain_to_as_of"].append(timed(plain_to_as_of))
    median = {k: statistics.median(v) for k, v in times.items()}
    c = condition(scenario, evidence, runs=runs, seed=args.seed, backend=args.backend)
    memory = {}
    for n in (runs // 2, runs, 2 * runs):
        tracemalloc.start()
        condition(scenario, evidence, runs=n, seed=args.seed, backend="numpy")
        memory[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    ratios = {
        "as_of_over_plain": median["as_of"] / median["plain"],
        "filter_over_plain_same_steps": median["filter_only"] / median["plain_to_as_of"],
        "memory_double_runs": memory[2 * runs] / memory[runs],
    }
    print(f"bundled scenario, {runs:,} runs, as of day {args.as_of_day} then {forward} days on; step {args.backend}; median of {args.repeat}")
    print(f"  evidence: {len(evidence.reports)} reports, {len(evidence.covered)} covered days, {len(evidence.prices[0].dates)} closes")
    print(f"  filter: {sum(d.resampled for d in c.days)} resamplings, lowest ESS {min(d.ess for d in c.days):,.0f}")
    for k, v in median.items():
        print(f"  {k:16s} {v:7.2f} s   (rounds: {', '.join(f'{t:.2f}' for t in times[k])})")
    print(f"  as-of answers / plain run of the same 180 days: {ratios['as_of_over_plain']:.2f}x (target <= 1.5)")
    print(f"  filter alone / plain run of the same {args.as_of_day} days: {ratios['filter_over_plain_same_steps']:.2f}x")
    for n, b in memory.items():
        print(f"  filter peak traced memory, {n:,} runs: {b / 2**20:7.1f} MiB ({b / n:,.0f} bytes per run)")
    print(f"  memory at twice the runs: {ratios['memory_double_runs']:.2f}x (O(runs): about 2)")
    record = {
        "date": dt.date.today().isoformat(),
        "platform": platform.platform(),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "runs": runs,
        "as_of_day": args.as_of_day,
        "backend": args.backend,
        "seconds": times,
        "median": median,
        "ratios": ratios,
        "memory_peak_bytes": {str(k): v for k, v in memory.items()},
        "evidence": {"reports": len(evidence.reports), "covered_days": len(evidence.covered), "closes": len(evidence.prices[0].dates)},
        "resamplings": sum(d.resampled for d in c.days),
        "command": "python benchmarks/bench_filter.py" + (" --quick" if args.quick else f" --runs {runs}") + f" --backend {args.backend}",
    }
    name = "filter" + ("-quick" if args.quick else "") + ("-numba" if args.backend == "numba" else "")
    target = HERE / "results" / f"{name}.json"
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, suffix=".tmp") as f:
        json.dump(record, f, indent=2)
    os.replace(f.name, target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
