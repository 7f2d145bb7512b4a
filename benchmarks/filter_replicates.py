"""One filter against independent replicate filters, on the bundled scenario as of its
date: how far each answer lies from a large single filter, how far it spreads over
seeds, and how large an error it states.

Usage:
    .venv/bin/python benchmarks/filter_replicates.py [--runs 10000] [--seeds 8] [--reference-runs 80000] [--json]

The reference is one filter of ``--reference-runs`` runs (seed 100); each arm runs
``--seeds`` seeds of ``--runs`` runs, one with a single filter (``condition(split=1)``)
and one as shipped (8 filters from 8,000 runs). Results: ``results/filter-replicates.json``
with ``--json``. About a minute and a half on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import realpolitik
from realpolitik.inference import condition, conditioned_run, evidence_as_of

HERE = Path(__file__).resolve().parent
ANSWERS = ("ceasefire_by@90", "talks_accepted_by", "hormuz_disrupted", "brent_at_horizon@30", "russia_windfall", "ukraine_shortfall", "iran_collapse")


def estimates(results: realpolitik.Results) -> dict[str, tuple[float, float]]:
    out = {}
    for a in results.answers:
        out[a.question] = (a.estimate.value, a.estimate.se)
        for c in a.checkpoints:
            out[f"{a.question}@{c.day}"] = (c.estimate.value, c.estimate.se)
    return out


def arm(scenario: realpolitik.Scenario, split: int | None, runs: int, seeds: range) -> list[dict[str, tuple[float, float]]]:
    """Each seed's answers as of the scenario's date, its runs split into ``split``
    filters (None: as shipped)."""
    evidence = evidence_as_of(scenario, scenario.spec.clock.as_of)
    return [estimates(conditioned_run(scenario, condition(scenario, evidence, runs=runs, seed=seed, split=split))) for seed in seeds]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--reference-runs", type=int, default=80_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    scenario = realpolitik.load("russia-iran-2026")
    reference = {k: v for k, (v, _) in arm(scenario, 1, args.reference_runs, range(100, 101))[0].items()} if args.reference_runs else {}
    rows = []
    for name, split in (("one filter", 1), ("replicates", None)):
        results = arm(scenario, split, args.runs, range(args.seeds))
        for key in ANSWERS:
            values = np.array([r[key][0] for r in results])
            errors = np.array([r[key][1] for r in results])
            rows.append({
                "arm": name, "answer": key, "reference": reference.get(key), "mean": float(values.mean()),
                "rmse": float(np.sqrt(np.mean((values - reference[key]) ** 2))) if key in reference else None,
                "spread": float(values.std(ddof=1)), "stated_error": float(np.sqrt(np.mean(errors**2))),
            })  # fmt: skip
    doc = {"command": "python benchmarks/filter_replicates.py " + " ".join(argv if argv is not None else sys.argv[1:]), "runs": args.runs, "seeds": args.seeds, "reference_runs": args.reference_runs, "rows": rows}
    if args.json:
        out = HERE / "results" / "filter-replicates.json"
        out.write_text(json.dumps(doc, indent=1) + "\n")
    for r in rows:
        rmse = "" if r["rmse"] is None else f"rmse {r['rmse']:8.3f} "
        print(f"{r['arm']:11} {r['answer']:22} {rmse}spread {r['spread']:8.3f} stated {r['stated_error']:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
