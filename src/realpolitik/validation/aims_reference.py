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

The same dyads give a second reference class, :func:`regime_fall_class`: the states
whose regime an opponent fought to change, and how soon (if ever) that regime fell.
A target "fell" when its side lost the dispute (a victory for the other side or a
yield by its own, GML ``outcome``) and the leader it had on its first day in the
dispute was gone on its last (the Archigos leader IDs of ``gml_part``); that last day
dates the fall. A target that did not fall is censored at its last day: it surely
lasted that long under its regime.

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

from realpolitik.validation.reference import AS_OF, Duration, ReferenceClass, _day, _Table, file_facts

__all__ = [
    "REGIME", "REGIME_FALL_CLASSES", "AimEscalation", "DirectedDyad", "RegimeTarget", "aim_escalation", "aims_reference", "own_hostility", "pooled_bonus", "read_gml_dyads",
    "read_regime_targets", "regime_fall_class", "regime_fall_classes", "render_aims_text",
]  # fmt: skip

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


def own_hostility(dyads: Iterable[DirectedDyad]) -> dict[tuple[int, int], int]:
    """Each state's highest hostility level in each dispute, over its opponents:
    (dispute, state) -> hostlev.

    Example:
        >>> own_hostility([DirectedDyad(1, 630, 2, 1990, frozenset(), frozenset(), 3), DirectedDyad(1, 630, 666, 1990, frozenset(), frozenset(), 4)])
        {(1, 630): 4}
    """
    out: dict[tuple[int, int], int] = {}
    for d in dyads:
        out[(d.dispute, d.state)] = max(out.get((d.dispute, d.state), 0), d.hostility)
    return out


@dataclass(frozen=True)
class RegimeTarget:
    """A state whose regime an opponent fought to change, in one dispute.

    Attributes:
        dispute: the GML dispute number.
        state: its CoW code.
        challengers: the opponents that sought its regime's change and used force (hostlev 4+).
        start_year: the dispute's first year.
        hostility: the dispute's highest hostility level (5: war).
        fatality: the dispute's fatality level (``None``: missing).
        own_hostility: the state's own highest hostility level in the dispute.
        shortest, longest: its days in the dispute (first to last day, inclusive) when
            the days the data leave out are put as late/early as possible.
        fell: its side lost and its leader changed between its first and last day
            (a dispute still going when the data stop has no outcome: not fallen).
    """

    dispute: int
    state: int
    challengers: frozenset[int]
    start_year: int
    hostility: int
    fatality: int | None
    own_hostility: int
    shortest: int
    longest: int
    fell: bool


#: GML dispute outcomes won by side A (victory for A, yield by B) and by side B
_WON_BY_A, _WON_BY_B = frozenset({1, 4}), frozenset({2, 3})


def read_regime_targets(folder: str | Path, *, first_year: int = 1946) -> tuple[RegimeTarget, ...]:
    """The states whose regime an opponent sought to change by force, in GML disputes
    starting in ``first_year`` or later: from ``gml_dirdisp.csv`` (aims, hostility),
    ``gml_part.csv`` (days, side, leader IDs) and ``gml_mid_disps.csv`` (outcome,
    hostility, fatality). A participant row with a missing date is left out.

    Raises:
        DataError: a file is missing or too large, lacks a column, or a field is not
            what it should be (each with its file, line and column).
    """
    folder = Path(folder)
    dyads = read_gml_dyads(folder)
    own = own_hostility(dyads)
    challengers: dict[tuple[int, int], set[int]] = {}
    for d in dyads:
        if REGIME in d.own_aims and d.hostility >= 4:
            challengers.setdefault((d.dispute, d.opponent), set()).add(d.state)
    disps = _Table(folder / "gml_mid_disps.csv", ("dispnum", "styear", "outcome", "hostlev", "fatality"))
    disputes: dict[int, tuple[int, int, int | None, int | None]] = {}
    for line, row in disps.rows:
        number, year, hostility = (disps.integer(line, row, c) for c in ("dispnum", "styear", "hostlev"))
        outcome, fatality = disps.integer(line, row, "outcome", missing_ok=True), disps.integer(line, row, "fatality", missing_ok=True)
        if number is not None and year is not None and hostility is not None:
            disputes[number] = (year, hostility, None if fatality is None or fatality < 0 else fatality, outcome)
    disps.check()
    columns = ("dispnum", "ccode", "styear", "stmon", "stday", "endyear", "endmon", "endday", "sidea", "obsid_start", "obsid_end")
    parts = _Table(folder / "gml_part.csv", columns)
    out: list[RegimeTarget] = []
    for line, row in parts.rows:
        number, state = parts.integer(line, row, "dispnum"), parts.integer(line, row, "ccode")
        if number is None or state is None or (number, state) not in challengers or number not in disputes:
            continue
        year, hostility, fatality, outcome = disputes[number]
        if year < first_year or year > AS_OF.year:
            continue
        v = {c: parts.integer(line, row, c) for c in columns[2:9]}
        if any(x is None for x in v.values()):
            continue
        try:
            early = _day(v["styear"], v["stmon"], v["stday"], last=False), _day(v["endyear"], v["endmon"], v["endday"], last=False)  # type: ignore[arg-type]
            late = _day(v["styear"], v["stmon"], v["stday"], last=True), _day(v["endyear"], v["endmon"], v["endday"], last=True)  # type: ignore[arg-type]
        except ValueError as exc:
            parts.bad(line, "stmon", f"is not a valid date: {exc}")
            continue
        if late[1] < early[0]:
            parts.bad(line, "endyear", f"ends ({late[1]}) before it starts ({early[0]})")
            continue
        lost = outcome in (_WON_BY_B if v["sidea"] == 1 else _WON_BY_A)
        leader_changed = row["obsid_start"].strip() != row["obsid_end"].strip()
        out.append(RegimeTarget(
            number, state, frozenset(challengers[(number, state)]), year, hostility, fatality, own.get((number, state), 0),
            max(1, (early[1] - late[0]).days + 1), (late[1] - early[0]).days + 1, lost and leader_changed,
        ))  # fmt: skip
    parts.check()
    return tuple(sorted(out, key=lambda t: (t.dispute, t.state)))


def regime_fall_class(targets: Iterable[RegimeTarget], *, min_hostility: int = 5, min_fatality: int | None = None, name: str = "gml_regime_war", source: str = "") -> ReferenceClass:
    """How long a regime lasted once an opponent fought to change it, as durations: a
    target that fell lasted from its first to its last day in the dispute (an interval
    when the data leave days out); one that did not is censored at its shortest stay.
    Only targets that used force themselves (hostlev 4+), in disputes reaching
    ``min_hostility`` (and ``min_fatality``, when given).

    Example:
        >>> t = RegimeTarget(1, 700, frozenset({2}), 2001, 5, 6, 5, 60, 62, True)
        >>> d = regime_fall_class([t]).durations[0]
        >>> (d.lower, d.upper)
        (60, 62)
    """
    kept: list[Duration] = []
    dropped: dict[str, int] = {}
    for t in targets:
        reason = None
        if t.hostility < min_hostility:
            reason = f"hostility below {min_hostility}"
        elif min_fatality is not None and (t.fatality is None or t.fatality < min_fatality):
            reason = f"fatality level below {min_fatality} or missing"
        elif t.own_hostility < 4:
            reason = "the target did not use force"
        if reason is not None:
            dropped[reason] = dropped.get(reason, 0) + 1
            continue
        episode = f"gml:{t.dispute}:{t.state}"
        kept.append(Duration(episode, t.shortest, t.longest) if t.fell else Duration(episode, t.shortest, None))
    level = "war (hostlev 5)" if min_hostility >= 5 else f"hostlev {min_hostility}+"
    rule = (
        f"GML 2.2.1 disputes starting in 1946-{AS_OF.year} that reached {level}"
        + (f" with fatality level {min_fatality}+" if min_fatality is not None else "")
        + ": each state against which an opponent seeking its regime's change (revision type 3) used force, and which used force itself;"
        " it fell when its side lost (outcome) and its leader on its first day in the dispute was gone on its last (gml_part obsid),"
        " that last day dating the fall; otherwise censored at its last day"
    )
    return ReferenceClass(name, source, rule, tuple(kept), dropped)


#: the classes of :func:`regime_fall_classes`, by name
REGIME_FALL_CLASSES = ("gml_regime_war", "gml_regime_force")


def regime_fall_classes(conflict: str | Path) -> dict[str, ReferenceClass]:
    """How long regimes lasted once an opponent fought to change them, from the
    conflict folder: ``gml_regime_war`` (disputes reaching war) and
    ``gml_regime_force`` (uses of force with deaths), as duration classes a fit can
    score (see :func:`regime_fall_class`).

    Raises:
        DataError: a file is missing or lacks a column (``gml_part``'s leader IDs
            among them), or a field is not what it should be.
    """
    targets = read_regime_targets(conflict)
    source = "gml_dirdisp.csv (aims, hostility), gml_part.csv (days, sides, leader IDs), gml_mid_disps.csv (outcome)"
    classes = (regime_fall_class(targets, name=REGIME_FALL_CLASSES[0], source=source), regime_fall_class(targets, min_hostility=4, min_fatality=1, name=REGIME_FALL_CLASSES[1], source=source))
    return {c.name: c for c in classes}


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
