"""A small world written by hand for the validation tests: a scenario whose price
drifts by a parameter ``trend``, three variants starting on three "rounds", a
synthetic oil series in which the price rose 1% a day after each start, and the
episodes file recording them."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from realpolitik.validation import Outcome

#: The rounds: id -> first day (all Mondays).
STARTS = {"r1": dt.date(2024, 3, 4), "r2": dt.date(2024, 6, 3), "r3": dt.date(2024, 9, 2)}
#: The drift per calendar day that the synthetic record follows after each start.
TRUE_TREND = 0.01

BASE = """\
name: toy
clock: {start: 2024-01-01, horizon_days: 40}
parameters:
  trend: {prior: {dist: uniform, low: -0.02, high: 0.02}, cites: [M1]}
  noise: {value: 0.005}
  flare_rate: {prior: {dist: uniform, low: 0.001, high: 0.05}}
variables:
  price: {bounds: [1, 1000], initial: 100, cites: [V2]}
  flared: {type: boolean}
events:
  flare: {hazard: flare_rate, effects: {flared: true}}
mechanisms:
  walk: {target: price, update: "price * exp(trend + noise * normal())"}
"""

VARIANT = """\
extends: toy.yaml
name: toy-{id}
clock: {{start: {start}}}
variables:
  price: {{initial: {price}}}
"""

#: The toy's outcome: "flared" happened by day 30 in the runs where the event fired.
OUTCOMES = (Outcome("flared", "flared", 30),)


@dataclass(frozen=True)
class World:
    base: Path
    oil: Path
    episodes: Path


def _prices() -> dict[dt.date, float]:
    """Weekdays from 2023 on: 100 with a small wiggle, rising 1% a day for 40 days
    after each start."""
    out = {}
    day = dt.date(2023, 1, 2)
    while day <= dt.date(2024, 12, 31):
        if day.weekday() < 5:
            price = 100 * (1 + 0.01 * math.sin(day.toordinal()))
            for start in STARTS.values():
                if 0 <= (day - start).days <= 40:
                    price = 100 * math.exp(TRUE_TREND * (day - start).days)
            out[day] = round(price, 4)
        day += dt.timedelta(days=1)
    return out


def write_world(folder: Path) -> World:
    """Write the scenario, its variants, the oil series and the episodes to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "toy.yaml").write_text(BASE, encoding="utf-8")
    prices = _prices()
    for rid, start in STARTS.items():
        before = max(d for d in prices if d < start)
        (folder / f"toy-{rid}.yaml").write_text(VARIANT.format(id=rid, start=start.isoformat(), price=prices[before]), encoding="utf-8")
    oil = folder / "oil.csv"
    oil.write_text("Date,Price\n" + "".join(f"{d.isoformat()},{p}\n" for d, p in sorted(prices.items())), encoding="utf-8")
    episodes = folder / "episodes.yaml"
    lines = ["episodes:"]
    for i, (rid, start) in enumerate(STARTS.items()):
        lines += [
            f"  - id: {rid}",
            f"    start: {start.isoformat()}",
            f"    end: {(start + dt.timedelta(days=30)).isoformat()}",
            "    escalation_path:",
            f"      - {{date: {start.isoformat()}, level: 1}}",
            f"      - {{date: {(start + dt.timedelta(days=10 + 30 * i)).isoformat()}, level: 0}}",
            "    hormuz: open",
            f"    flared: {'true' if i == 0 else 'false'}",
        ]
    episodes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return World(folder / "toy.yaml", oil, episodes)


def log_returns_sd(prices: np.ndarray) -> float:
    return float(np.diff(np.log(prices)).std(ddof=1))
