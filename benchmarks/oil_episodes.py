"""The bundled scenario's oil mechanism on past supply shocks: does its 90% band from
an episode's first day cover the realised Brent close at +7 and +30 days, and is it
at least as wide as a random walk's?

Usage:
    .venv/bin/python benchmarks/oil_episodes.py [--runs 4000] [--seed 0] [--json]

Each episode is a variant of the bundled scenario (written to a temporary folder)
that keeps its oil mechanism and priors (fear jump and half-life, supply elasticity,
the pace at which a loss is priced, stock releases) and changes only what the episode
itself fixes, each said below: the start, the last close before it, the pre-episode
no-war price and volatility (../shared/data/oil/brent-daily.csv, as
``validation/oil_reference.py`` reads them), the supply lost (public figures, written
as judgement), and the Israel–Iran exchange switched off (these episodes are not it).
The three past Israel–Iran rounds are scored by ``realpolitik backtest`` with their own
variants; this script adds the supply shocks they lack. Nothing after an episode's
day +30 is read for the forecast; the realised closes are read only to score.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

import realpolitik
from realpolitik.validation.history import read_oil

HERE = Path(__file__).resolve().parent
OIL = HERE.parent.parent / "shared" / "data" / "oil" / "brent-daily.csv"
DAYS = (7, 30)
Z90 = 1.6448536269514722

#: Episode -> (first day, supply lost in mb/d, daily chance the loss is repaired
#: (share back each time 40%), where the numbers come from).
EPISODES: dict[str, tuple[dt.date, float, float, str]] = {
    "gulf-1990": (dt.date(1990, 8, 2), 4.3, 0.0, "Iraq's and Kuwait's exports, about 4.3 mb/d, lost to the embargo for months (judgement: public IEA/EIA figures)"),
    "abqaiq-2019": (dt.date(2019, 9, 14), 5.7, 0.3, "5.7 mb/d of Saudi output stopped; half back within two days, all by the end of September (judgement: Aramco's statements)"),
    "ukraine-2022": (dt.date(2022, 2, 24), 2.0, 0.0, "Russian exports shunned or sanctioned, about 2 mb/d lost for months (judgement: between the IEA's 3 mb/d fear of March 2022 and the 1 mb/d that was lost)"),
}

VARIANT = """\
extends: {parent}
name: oil-{name}
clock: {{start: {start}, horizon_days: 91, as_of: null}}
log: null
parameters:
  brent_no_war:
    prior: {{dist: normal, mean: {no_war:.2f}, sd: {no_war_sd:.2f}}}
    rationale: "Geometric mean of the 20 closes before the first day (brent-daily.csv); sd 4% for drift."
  brent_daily_volatility:
    prior: {{dist: lognormal, median: {sigma:.4f}, sigma: 0.2}}
    rationale: "sd of the 250 daily log returns before the first day (brent-daily.csv)."
variables:
  brent: {{initial: {close}, rationale: "The last EIA close before the first day."}}
  escalation: {{initial: military_sites, rationale: "One new rung of war: the fear premium's jump."}}
  regime_change_aim: {{initial: false}}
  iran_leadership: {{initial: supreme_leader}}
  retaliation_rounds: {{initial: 0}}
  gulf_energy_damage: {{initial: {loss}, rationale: "{why}"}}
events:
  gulf_repairs: {{hazard: "{repair}"}}
actors:
  israel:
    decisions:
      strike_policy:
        initial: pause
        options:
          strike_military: {{utility: "-20"}}
          strike_production: {{utility: "-20"}}
  united_states:
    decisions:
      us_strike_policy:
        initial: pause
        options: {{strike: {{utility: "-20"}}}}
  iran:
    decisions:
      iran_response:
        initial: absorb
        options: {{absorb: {{utility: "20"}}}}
"""


def _close_before(oil, day: dt.date) -> tuple[dt.date, float]:
    return oil.close_before(day)


def episode(name: str, runs: int, seed: int, folder: Path, parent: str) -> dict:
    start, loss, repair, why = EPISODES[name]
    oil = read_oil(OIL)
    before_date, close = _close_before(oil, start)
    sigma = oil.log_return_sd(start, 250)
    before = oil.prices[oil.dates < np.datetime64(start)][-20:]
    no_war = math.exp(float(np.mean(np.log(before))))
    path = folder / f"{name}.yaml"
    path.write_text(
        VARIANT.format(parent=parent, name=name, start=start.isoformat(), no_war=no_war, no_war_sd=0.04 * no_war, sigma=sigma, close=close, loss=loss, why=why, repair=repair),
        encoding="utf-8",
    )
    scenario = realpolitik.load(path)
    results = scenario.run(runs=runs, seed=seed, horizon=31, keep_trajectories=runs)
    brent = np.asarray(results.trajectories["brent"])
    out = {"episode": name, "start": start.isoformat(), "close_before": close, "loss_mbd": loss, "why": why, "days": []}
    for d in DAYS:
        realised_date, realised = oil.close_on_or_before(start + dt.timedelta(days=d))
        low, high = (float(v) for v in np.quantile(brent[d], [0.05, 0.95]))
        steps = max(int(np.count_nonzero((oil.dates > np.datetime64(before_date)) & (oil.dates <= np.datetime64(realised_date)))), 1)
        rw = (close * math.exp(-Z90 * sigma * math.sqrt(steps)), close * math.exp(Z90 * sigma * math.sqrt(steps)))
        out["days"].append({
            "day": d, "date": realised_date.isoformat(), "realised": realised, "band": [round(low, 2), round(high, 2)],
            "covered": low <= realised <= high, "random_walk_band": [round(rw[0], 2), round(rw[1], 2)],
            "random_walk_covered": rw[0] <= realised <= rw[1], "log_width_ratio": round(math.log(high / low) / math.log(rw[1] / rw[0]), 3),
        })
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not OIL.is_file():
        print(f"error: {OIL} is absent (the shared data sit beside the project)", file=sys.stderr)
        return 1
    parent = str(realpolitik.load("default").path)
    with tempfile.TemporaryDirectory() as tmp:
        rows = [episode(name, args.runs, args.seed, Path(tmp), parent) for name in EPISODES]
    if args.json:
        print(json.dumps({"command": f"python benchmarks/oil_episodes.py --runs {args.runs} --seed {args.seed}", "episodes": rows}, indent=1))
        return 0
    for r in rows:
        for d in r["days"]:
            print(
                f"{r['episode']:13} +{d['day']:<2} close {d['realised']:7.2f}  model 90% [{d['band'][0]:.2f}, {d['band'][1]:.2f}] "
                f"{'covers' if d['covered'] else 'MISSES'}  random walk [{d['random_walk_band'][0]:.2f}, {d['random_walk_band'][1]:.2f}] "
                f"{'covers' if d['random_walk_covered'] else 'misses'}  width x{d['log_width_ratio']:.2f}"
            )
    print(f"reproduce: python benchmarks/oil_episodes.py --runs {args.runs} --seed {args.seed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
