"""How much a war aimed at a regime itself lowers both sides' restraint: a reference
class from the GML dyadic dispute data.

The Gibler–Miller–Little MIDs code, for each state in a dispute, whether it sought to
revise the status quo and how (``revtype``: 1 territory, 2 policy, 3 regime or
government, 4 other). Over the directed dyads of disputes since 1946 whose two states
faced each other, this module compares how often a state reached the top of the
hostility ladder (war, ``hostlev`` 5; or any use of force, 4) when the aims at stake
were the other side's regime against when they were anything else, from both sides:

- *target*: the state whose regime the other side sought to change, against states
  facing an opponent with other aims;
- *challenger*: the state that sought the other's regime change, against states
  seeking something else.

A scenario writes "aiming at the regime" as a bonus to the daily log-odds of the most
escalatory options. For an option taken with a small daily hazard ``h``, adding ``b``
to its log-odds multiplies ``h`` by ``e^b``; over a dispute of the same length, the
share that ever took it is ``1 - e^(-h T)``. So the bonus is read as the log of the
ratio of cumulative hazards, ``log(log(1 - p_regime) / log(1 - p_other))``, with
``p = (k + 1/2) / (n + 1)``. Disputes over regimes last longer than others, so this
leans high as a daily figure. Intervals are percentile bootstraps over dyads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from realpolitik.validation.reference import _Table, file_facts

__all__ = ["REGIME", "AimEscalation", "DirectedDyad", "aim_escalation", "aims_reference", "pooled_bonus", "read_gml_dyads", "render_aims_text"]

#: the GML revision type "regime/government"
REGIME = 3
#: a directed dyad's hostility levels compared: any use of force, and war
THRESHOLDS = (4, 5)


@dataclass(frozen=True)
class DirectedDyad:
    """One state's part against one opponent in one dispute (its years merged).

    Attributes:
        dispute: the GML dispute number.
        state, opponent: CoW codes.
        first_year: the first year the pair appears.
        own_aims: the state's revision types (empty when it did not seek to revise).
        opponent_aims: the opponent's revision types.
        hostility: the state's highest hostility level over the pair's years (1-5).
    """

    dispute: int
    state: int
    opponent: int
    first_year: int
    own_aims: frozenset[int]
    opponent_aims: frozenset[int]
    hostility: int


@dataclass(frozen=True)
class AimEscalation:
    """How often one side reached a hostility level, with regime aims and without.

    Attributes:
        side: ``target`` or ``challenger``.
        threshold: the hostility level reached (4 use of force, 5 war).
        regime, regime_n: dyads with regime aims that reached it, and all of them.
        other, other_n: the same where the aims were other.
        log_ratio: the log ratio of cumulative hazards (see the module's docstring).
        interval_90: its 5th and 95th bootstrap percentiles.
    """

    side: str
    threshold: int
    regime: int
    regime_n: int
    other: int
    other_n: int
    log_ratio: float
    interval_90: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "threshold_hostlev": self.threshold,
            "regime_aims": {"reached": self.regime, "dyads": self.regime_n, "share": round(self.regime / self.regime_n, 4)},
            "other_aims": {"reached": self.other, "dyads": self.other_n, "share": round(self.other / self.other_n, 4)},
            "log_ratio": round(self.log_ratio, 4),
            "interval_90": [round(x, 4) for x in self.interval_90],
        }


def read_gml_dyads(folder: str | Path) -> tuple[DirectedDyad, ...]:
    """Read the directed dyads of ``gml_dirdisp.csv`` whose states were on opposite
    sides, their years merged (highest hostility; first year).

    Raises:
        DataError: the file is missing or too large, lacks a column, or a field is not
            a whole number (each with its file, line and column).
    """
    columns = ("dispnum", "ccode1", "ccode2", "year", "sidea1", "sidea2", "revstate1", "revstate2", "revtype11", "revtype12", "revtype21", "revtype22", "hostlev1")
    table = _Table(Path(folder) / "gml_dirdisp.csv", columns)
    merged: dict[tuple[int, int, int], DirectedDyad] = {}
    for line, row in table.rows:
        v = {c: table.integer(line, row, c) for c in columns}
        if any(x is None for x in v.values()):
            continue
        if v["sidea1"] == v["sidea2"]:
            continue
        # revtype<k><s>: the k-th revision type of state s
        own = frozenset(t for t in (v["revtype11"], v["revtype21"]) if t is not None and t > 0) if v["revstate1"] == 1 else frozenset()
        theirs = frozenset(t for t in (v["revtype12"], v["revtype22"]) if t is not None and t > 0) if v["revstate2"] == 1 else frozenset()
        key = (int(v["dispnum"]), int(v["ccode1"]), int(v["ccode2"]))  # type: ignore[arg-type]
        before = merged.get(key)
        hostility, year = int(v["hostlev1"]), int(v["year"])  # type: ignore[arg-type]
        if before is not None:
            hostility, year = max(hostility, before.hostility), min(year, before.first_year)
            own, theirs = own | before.own_aims, theirs | before.opponent_aims
        merged[key] = DirectedDyad(key[0], key[1], key[2], year, own, theirs, hostility)
    table.check()
    return tuple(merged.values())


def _log_ratio(regime: np.ndarray, other: np.ndarray) -> float:
    p = (regime.sum() + 0.5) / (len(regime) + 1)
    q = (other.sum() + 0.5) / (len(other) + 1)
    return float(math.log(math.log1p(-p) / math.log1p(-q)))


def aim_escalation(dyads: Iterable[DirectedDyad], *, first_year: int = 1946, replicates: int = 2000, seed: int = 0) -> tuple[AimEscalation, ...]:
    """Per side and threshold, how often the level was reached with regime aims and
    with other aims, and the log ratio of cumulative hazards with its bootstrap.

    Example:
        >>> aim = lambda i: frozenset({3 if i < 10 else 2})
        >>> d = [DirectedDyad(i, 1, 2, 1990, aim(i), aim(i), 5 if i < 5 or i == 10 else 3) for i in range(40)]
        >>> target_war = [e for e in aim_escalation(d, replicates=0) if (e.side, e.threshold) == ("target", 5)][0]
        >>> (target_war.regime, target_war.regime_n, target_war.other, target_war.other_n)
        (5, 10, 1, 30)
    """
    kept = [d for d in dyads if d.first_year >= first_year]
    rng = np.random.default_rng(seed)
    out = []
    for side in ("target", "challenger"):
        aims = [d.opponent_aims if side == "target" else d.own_aims for d in kept]
        regime = np.array([d.hostility for d, a in zip(kept, aims, strict=True) if REGIME in a])
        other = np.array([d.hostility for d, a in zip(kept, aims, strict=True) if a and REGIME not in a])
        if len(regime) == 0 or len(other) == 0:
            raise ValueError(f"no {side} dyads with regime aims, or none with other aims, since {first_year}")
        for threshold in THRESHOLDS:
            r, o = regime >= threshold, other >= threshold
            boots = [_log_ratio(rng.choice(r, len(r)), rng.choice(o, len(o))) for _ in range(replicates)]
            low, high = (float(x) for x in np.percentile(boots, [5, 95])) if boots else (math.nan, math.nan)
            out.append(AimEscalation(side, threshold, int(r.sum()), len(r), int(o.sum()), len(o), _log_ratio(r, o), (low, high)))
    return tuple(out)


def pooled_bonus(rows: Sequence[AimEscalation], threshold: int = 5) -> tuple[float, float]:
    """One bonus for both sides at a threshold, as a normal prior's (mean, sd): centred
    on the union of the two sides' 90% intervals, which its own 90% interval spans.

    Example:
        >>> rows = [AimEscalation("target", 5, 0, 1, 0, 1, 1.8, (1.5, 2.1)), AimEscalation("challenger", 5, 0, 1, 0, 1, 1.3, (1.0, 1.5))]
        >>> [round(x, 3) for x in pooled_bonus(rows)]
        [1.55, 0.334]
    """
    chosen = [r for r in rows if r.threshold == threshold]
    low, high = min(r.interval_90[0] for r in chosen), max(r.interval_90[1] for r in chosen)
    return (low + high) / 2, (high - low) / (2 * 1.6448536269514722)


def aims_reference(conflict: str | Path, *, replicates: int = 2000, seed: int = 0, command: str = "") -> dict[str, Any]:
    """The JSON document ``benchmarks/results/reference-aims.json`` holds.

    Raises:
        DataError: the dyad file cannot be read (every problem with file, line and field).
    """
    conflict = Path(conflict)
    rows = aim_escalation(read_gml_dyads(conflict), replicates=replicates, seed=seed)
    mean, sd = pooled_bonus(rows)
    return {
        "what": "how much aims at the other side's regime raise the hazard of reaching war (or force), from both sides: GML directed dyads since 1946",
        "command": command,
        "bootstrap": {"replicates": replicates, "seed": seed, "resampling": "dyads with replacement, within each group; 5th and 95th percentiles"},
        "data": {"gml_dirdisp.csv": file_facts(conflict / "gml_dirdisp.csv")},
        "results": {
            "rule": "directed dyads of GML 2.2.1 disputes whose first year is 1946 or later and whose two states were on opposite sides; a state's hostility is its highest over the pair's years; regime aims: revision type 3 among the revisionist's (revtype11/21 for the state, revtype12/22 for its opponent)",
            "rows": [r.to_dict() for r in rows],
            "pooled_war_bonus": {"mean": round(mean, 4), "sd": round(sd, 4), "rule": "centred on the union of both sides' 90% intervals at war (hostlev 5), which mean +- 1.645 sd spans"},
        },
    }


def render_aims_text(doc: dict[str, Any]) -> str:
    """The rows in a few lines."""
    lines = []
    for r in doc["results"]["rows"]:
        g, o = r["regime_aims"], r["other_aims"]
        lines.append(
            f"{r['side']:10} hostlev >= {r['threshold_hostlev']}: regime aims {g['reached']}/{g['dyads']} ({g['share']:.1%}), other {o['reached']}/{o['dyads']} ({o['share']:.1%}); "
            f"log ratio {r['log_ratio']:.2f} [{r['interval_90'][0]:.2f}, {r['interval_90'][1]:.2f}]"
        )
    p = doc["results"]["pooled_war_bonus"]
    lines.append(f"pooled bonus at war: normal mean {p['mean']}, sd {p['sd']}")
    return "\n".join(lines)
