"""The backtest with the round-fitted priors refitted without the round it scores.

Usage:
    .venv/bin/python benchmarks/backtest_loo.py [--runs 10000] [--seed 0] [--json]

Five priors of the bundled scenario are fitted on the three past Israel–Iran rounds'
prices and events that ``realpolitik backtest`` scores: the fear build-up
(``fear_half_life``, ``fear_uptake``, ``fear_jump`` and the red line's share of it,
``red_line_fear``: the ``rise`` fit of ``benchmarks/results/reference-oil.json``) and
``resolution_rate`` (Jeffreys' rate of resolutions blaming Iran over the rounds' days
of war). Scored on the same rounds, the plain backtest is in sample for them. Here
each round is scored with those refitted on the other two rounds only (the same fits,
the same widths of the priors). Without jun-2025 no round climbed to the red line, so
``red_line_fear`` then takes the judgement a forecaster had before it: a rung like
the others, give or take (uniform 0-2). Everything else is the scenario as written,
so the round-fitted calm rate (``round_end_rate``) stays in sample, as does
``spiral_rate``, whose fit rests on 413 disputes of a reference class beside the
rounds' three facts. Runs, seed, outcomes, base rates and baselines
are the plain backtest's. Results: ``results/backtest-loo.json`` with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

import realpolitik
import realpolitik.validation.oil_reference as oil_reference
from realpolitik.scenario import Prior
from realpolitik.validation.backtest import DEFAULT_OUTCOMES, base_rates, find_rounds, score_round
from realpolitik.validation.history import read_episodes, read_oil
from realpolitik.validation.reference import read_rounds

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data"
OIL = DATA / "oil" / "brent-daily.csv"
EPISODES = DATA / "episodes" / "episodes.yaml"
#: The widths (sigma of the log) the scenario gives these priors, kept when refitting.
SIGMAS = {"fear_half_life": 0.39, "fear_uptake": 0.4, "fear_jump": 0.13, "resolution_rate": 0.7}
#: ``red_line_fear`` when no round fitted climbed to the red line (judgement).
RED_LINE_UNSEEN = Prior(dist="uniform", low=0.0, high=2.0)


def held_out_priors(held: str, rise: dict[str, oil_reference.RiseSeries], days: dict[str, int]) -> dict[str, Prior]:
    """The round-fitted priors, fitted on every round but ``held`` (``red_line_fear``
    only when that leaves no round that climbed to the red line: otherwise its fit
    rests on the same round as the scenario's)."""
    fit = oil_reference.fit_fear_rise([s for k, s in rise.items() if k != held])
    amplitude = math.exp(float(np.mean(np.log(list(fit.amplitudes.values())))))
    unseen = {"red_line_fear": RED_LINE_UNSEEN} if fit.red_line_scale is None else {}
    return unseen | {
        "fear_half_life": Prior(dist="lognormal", median=round(fit.half_life, 3), sigma=SIGMAS["fear_half_life"]),
        "fear_uptake": Prior(dist="lognormal", median=round(fit.uptake, 3), sigma=SIGMAS["fear_uptake"]),
        "fear_jump": Prior(dist="lognormal", median=round(amplitude, 4), sigma=SIGMAS["fear_jump"]),
        "resolution_rate": Prior(dist="lognormal", median=round(0.5 / sum(v for k, v in days.items() if k != held), 5), sigma=SIGMAS["resolution_rate"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not OIL.is_file() or not EPISODES.is_file():
        print(f"error: {DATA} is absent (the shared data sit beside the project)", file=sys.stderr)
        return 1
    episodes, brent = read_episodes(EPISODES), read_oil(OIL)
    series, _ = oil_reference.read_brent(OIL)
    paths = [oil_reference.measure_episode(series, e) for e in oil_reference.OIL_EPISODES if e.rungs]
    rise = {p.episode.id: oil_reference.rise_series(p, window=oil_reference.RISE_WINDOW) for p in paths}
    days = {r.id: r.days for r in read_rounds(EPISODES)}
    scenario = realpolitik.load("default")
    names = [o.name for o in DEFAULT_OUTCOMES]
    rows, totals = [], np.zeros(4)
    for round_ in find_rounds(scenario, episodes):
        held = round_.episode.id
        priors = held_out_priors(held, rise, days)
        score = score_round(round_, brent, base_rate=base_rates(episodes, held, names), runs=args.runs, seed=args.seed, priors=priors)
        sums = np.array([
            sum(o.model_crps for o in score.oil), sum(o.baseline_crps for o in score.oil),
            sum(e.model_brier for e in score.events), sum(e.baseline_brier for e in score.events),
        ])  # fmt: skip
        totals += sums
        rows.append({
            "round": held,
            "priors": {k: v.model_dump(exclude_none=True) for k, v in priors.items()},
            "crps_brent": round(float(sums[0] / sums[1]), 4), "brier": round(float(sums[2] / sums[3]), 4),
            "crps_brent_by_day": {str(o.day): round(o.model_crps / o.baseline_crps, 4) for o in score.oil},
        })  # fmt: skip
    doc = {
        "command": f"python benchmarks/backtest_loo.py --runs {args.runs} --seed {args.seed}",
        "rounds": rows,
        "all": {"crps_brent": round(float(totals[0] / totals[1]), 4), "brier": round(float(totals[2] / totals[3]), 4)},
    }
    if args.json:
        print(json.dumps(doc, indent=1))
        return 0
    for r in rows:
        pri = ", ".join(f"{k} {v.get('median', v)}" for k, v in r["priors"].items())
        print(f"{r['round']:9} Brent CRPS {r['crps_brent']:.3f}  Brier {r['brier']:.3f}  (model / baseline; priors without it: {pri})")
    print(f"all       Brent CRPS {doc['all']['crps_brent']:.3f}  Brier {doc['all']['brier']:.3f}")
    print(f"reproduce: {doc['command']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
