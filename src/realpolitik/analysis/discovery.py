"""Scenario discovery: which regions of the parameters lead to an outcome (PRIM, CART).

The ensemble is run with every uncertain parameter drawn from its prior; each run is
then a point in parameter space labelled by whether the outcome happened. PRIM
(Friedman and Fisher's Patient Rule Induction Method, as used in RAND's scenario
discovery) peels thin slices off a box around all the points, always the slice that
raises the share of runs with the outcome most, and reports boxes as readable rules;
a shallow classification tree gives a second view of the same data.

PRIM is written here rather than taken from a package: the standalone ``prim``
package is GPL-licensed and pulls in plotting libraries, and the EMA Workbench's is
part of a much larger framework.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.analysis.sensitivity import uncertain_parameters
from realpolitik.engine import Backend, RunInfo, run
from realpolitik.scenario import Question, Scenario

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Box", "Discovery", "PeelStep", "Rule", "classification_tree", "discover", "prim"]

#: Depth of the classification tree (deeper trees stop being readable).
TREE_DEPTH = 3

#: Share of the runs a tree leaf must hold at least.
_TREE_MIN_LEAF = 0.01


@dataclass(frozen=True)
class Rule:
    """One restricted parameter of a box: ``low < parameter < high``.

    Attributes:
        parameter: the parameter's name.
        low: the lower bound, or ``None`` when the box is open below.
        high: the upper bound, or ``None`` when the box is open above.
    """

    parameter: str
    low: float | None
    high: float | None

    @property
    def text(self) -> str:
        """The rule in words, e.g. ``a > 0.6`` or ``0.2 < b < 0.5``.

        Example:
            >>> Rule("a", 0.6, None).text, Rule("b", 0.2, 0.5).text
            ('a > 0.6', '0.2 < b < 0.5')
        """
        if self.low is not None and self.high is not None:
            return f"{_num(self.low)} < {self.parameter} < {_num(self.high)}"
        if self.low is not None:
            return f"{self.parameter} > {_num(self.low)}"
        if self.high is not None:
            return f"{self.parameter} < {_num(self.high)}"
        return f"any {self.parameter}"

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class PeelStep:
    """One box of PRIM's peeling trajectory.

    Attributes:
        coverage: share of all runs with the outcome that fall in the box.
        density: share of the box's runs that have the outcome.
        mass: share of all runs in the box.
        restricted: how many parameters the box restricts.
        peeled: where the last slice was taken off, e.g. ``iran_rationality, low
            end`` (``""`` for the starting box).
    """

    coverage: float
    density: float
    mass: float
    restricted: int
    peeled: str

    def to_dict(self) -> dict[str, Any]:
        return {"coverage": self.coverage, "density": self.density, "mass": self.mass, "restricted": self.restricted, "peeled": self.peeled}


@dataclass(frozen=True)
class Box:
    """A region of parameter space where the outcome is common.

    Attributes:
        rules: the restricted parameters only (a parameter whose bounds never
            narrowed, or whose restriction did not pay, is left out).
        coverage: share of all runs with the outcome that fall in the box.
        density: share of the box's runs that have the outcome.
        mass: share of all runs in the box.
        trajectory: the peeling trajectory the box was chosen from.
        chosen: the index in ``trajectory`` of the box chosen (before restrictions
            that did not pay were dropped and its bounds pasted outward).

    For the second and later boxes, density and mass count only the runs not in
    an earlier box (the covering approach); coverage is always of all runs with
    the outcome.
    """

    rules: tuple[Rule, ...]
    coverage: float
    density: float
    mass: float
    trajectory: tuple[PeelStep, ...] = ()
    chosen: int = 0

    @property
    def text(self) -> str:
        """The box as a rule with its density and coverage, in words.

        Example:
            >>> Box((Rule("a", 0.6, None), Rule("b", None, 0.3)), coverage=0.61, density=0.78, mass=0.1).text
            'a > 0.6 and b < 0.3: 78% of such runs have the outcome (density 0.78), covering 61% of all runs with it (coverage 0.61)'
        """
        where = " and ".join(r.text for r in self.rules) or "any parameters"
        return (
            f"{where}: {self.density:.0%} of such runs have the outcome (density {self.density:.2f}), "
            f"covering {self.coverage:.0%} of all runs with it (coverage {self.coverage:.2f})"
        )

    def rule(self, parameter: str) -> Rule | None:
        """The rule on a parameter, or ``None`` when the box does not restrict it."""
        for r in self.rules:
            if r.parameter == parameter:
                return r
        return None

    def contains(self, names: Sequence[str], x: np.ndarray) -> np.ndarray:
        """Which rows of ``x`` (columns named by ``names``) lie in the box."""
        inside = np.ones(len(x), dtype=bool)
        for r in self.rules:
            column = x[:, list(names).index(r.parameter)]
            if r.low is not None:
                inside &= column > r.low
            if r.high is not None:
                inside &= column < r.high
        return inside

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": [r.to_dict() for r in self.rules],
            "coverage": self.coverage,
            "density": self.density,
            "mass": self.mass,
            "text": self.text,
            "trajectory": [s.to_dict() for s in self.trajectory],
        }


@dataclass(frozen=True)
class Discovery(ResultOutput):
    """The result of :func:`discover`.

    Attributes:
        outcome: the outcome's condition, as given.
        by: the day by which the condition must have held.
        info: what reproduces the ensemble.
        base_rate: share of all runs with the outcome.
        boxes: PRIM's boxes, best first (none when no box reaches the threshold
            density, or the outcome never or always happens).
        tree: the classification tree as text (or why there is none).
        parameters: the uncertain parameters searched over.
        trajectory: PRIM's first peeling trajectory, kept also when no box on it
            reaches the threshold (it shows the best density there is).
        threshold, alpha, min_mass, max_boxes: the PRIM settings used.
        horizon: the horizon asked for, or ``None`` for the scenario's.
    """

    outcome: str
    by: int
    info: RunInfo
    base_rate: float
    boxes: tuple[Box, ...]
    tree: str
    parameters: tuple[str, ...]
    trajectory: tuple[PeelStep, ...] = ()
    threshold: float = 0.8
    alpha: float = 0.05
    min_mass: float = 0.05
    max_boxes: int = 3
    horizon: int | None = None

    @property
    def command(self) -> str:
        """The command line that reproduces the analysis."""
        parts = [f"realpolitik discover {shlex.quote(self.info.scenario)}", f"--outcome {shlex.quote(self.outcome)}"]
        if self.by != self.info.horizon_days:  # by default the outcome is asked by the horizon
            parts.append(f"--by {self.by}")
        parts += [f"--runs {self.info.runs}", f"--seed {self.info.seed}"]
        if self.horizon is not None:
            parts.append(f"--horizon {self.horizon}")
        defaults = {"threshold": 0.8, "alpha": 0.05, "min_mass": 0.05, "max_boxes": 3}
        for name, default in defaults.items():
            value = getattr(self, name)
            if value != default:
                parts.append(f"--{name.replace('_', '-')} {value:g}")
        parts.append(self.info.backend_option())
        return " ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``discover --json`` prints)."""
        return {
            "outcome": self.outcome,
            "by": self.by,
            "command": self.command,
            "runs": self.info.runs,
            "seed": self.info.seed,
            "base_rate": self.base_rate,
            "boxes": [b.to_dict() for b in self.boxes],
            "tree": self.tree,
            "trajectory": [s.to_dict() for s in self.trajectory],
        }

    @property
    def text(self) -> str:
        """The boxes in words, one a line, or why there is none."""
        if self.boxes:
            return "\n".join(b.text for b in self.boxes)
        if self.base_rate == 0.0:
            return f"no box: the outcome never happens in the {self.info.runs} runs"
        if self.base_rate == 1.0:
            return f"no box: the outcome happens in all {self.info.runs} runs"
        densest = max(self.trajectory, key=lambda s: (s.density, s.coverage), default=None)
        best = "" if densest is None else f"; the densest box found has density {densest.density:.2f} (coverage {densest.coverage:.2f})"
        return f"no box reaches density {self.threshold:g}{best}: a lower threshold finds boxes of lower density"


    def to_arrow(self) -> pa.Table:
        """One row per rule of each box (``box`` numbers them from 1), with the box's
        coverage, density, mass and text; the command, base rate and tree are in the
        schema metadata."""
        import pyarrow as pa

        rows: dict[str, list[Any]] = {k: [] for k in ("box", "parameter", "low", "high", "coverage", "density", "mass", "text")}
        for number, box in enumerate(self.boxes, start=1):
            for rule in box.rules or (Rule("", None, None),):
                for key, value in (
                    ("box", number),
                    ("parameter", rule.parameter),
                    ("low", rule.low),
                    ("high", rule.high),
                    ("coverage", box.coverage),
                    ("density", box.density),
                    ("mass", box.mass),
                    ("text", box.text),
                ):
                    rows[key].append(value)
        table = pa.table(
            {
                "box": pa.array(rows["box"], pa.int32()),
                "parameter": pa.array(rows["parameter"], pa.string()),
                "low": pa.array(rows["low"], pa.float64()),
                "high": pa.array(rows["high"], pa.float64()),
                "coverage": pa.array(rows["coverage"], pa.float64()),
                "density": pa.array(rows["density"], pa.float64()),
                "mass": pa.array(rows["mass"], pa.float64()),
                "text": pa.array(rows["text"], pa.string()),
            }
        )
        meta = {
            "realpolitik.command": self.command,
            "realpolitik.outcome": self.outcome,
            "realpolitik.by": str(self.by),
            "realpolitik.seed": str(self.info.seed),
            "realpolitik.runs": str(self.info.runs),
            "realpolitik.base_rate": repr(self.base_rate),
            "realpolitik.tree": self.tree,
            "realpolitik.sha256": self.info.sha256,
            "realpolitik.version": self.info.version,
        }
        return table.replace_schema_metadata(meta)



def discover(
    scenario: Scenario,
    outcome: str,
    *,
    by: int | None = None,
    runs: int = 10_000,
    seed: int = 0,
    horizon: int | None = None,
    threshold: float = 0.8,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    max_boxes: int = 3,
    progress: Callable[[int, int], None] | None = None,
    backend: str | Backend | None = None,
) -> Discovery:
    """Find the regions of the uncertain parameters where an outcome happens.

    The outcome is asked as a probability question (has ``outcome`` held at any step
    up to day ``by``?), the ensemble is run with the parameters drawn from their
    priors, and PRIM looks for boxes in which at least ``threshold`` of the runs
    have the outcome (see :func:`prim`); a classification tree of depth 3 is fitted
    to the same runs as a second view.

    Args:
        scenario: a loaded scenario.
        outcome: a condition in the expression language, e.g. ``hormuz == closed``.
        by: the day by which it must have held (default: the horizon).
        runs, seed, horizon: as for :func:`realpolitik.engine.run`.
        threshold: the least density a box must reach to be reported.
        alpha: the share of a box's runs peeled off at each step.
        min_mass: the least share of all runs a box may hold.
        max_boxes: how many boxes to look for (each in the runs outside the others).
        progress: called after every step of the ensemble with (done, total).
        backend: where the runs go (see :func:`realpolitik.engine.run`).

    Raises:
        ScenarioError: the outcome refers to something the scenario lacks or is not
            a valid condition (the problem names ``--outcome``), or the scenario has
            no uncertain parameter.
        ValueError: ``by`` beyond the horizon, or settings out of range.

    Example:
        >>> from realpolitik import load
        >>> d = discover(load("default"), "escalation >= red_line", by=20, runs=400, seed=1, horizon=30)
        >>> 0.0 <= d.base_rate <= 1.0, d.command
        (True, "realpolitik discover russia-iran-2026 --outcome 'escalation >= red_line' --by 20 --runs 400 --seed 1 --horizon 30")
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    if not 0.0 <= min_mass < 1.0:
        raise ValueError(f"min_mass must be in [0, 1), got {min_mass}")
    if max_boxes < 1:
        raise ValueError(f"max_boxes must be at least 1, got {max_boxes}")
    horizon_days = scenario.spec.clock.horizon_days if horizon is None else int(horizon)
    day = horizon_days if by is None else int(by)
    if not 0 <= day <= horizon_days:
        raise ValueError(f"by must be a day from 0 to the horizon ({horizon_days}), got {day}")
    uncertain = [p.name for p in uncertain_parameters(scenario)]
    name = _free_name(scenario)
    # by=None asks by the run's horizon, which may lie beyond the file's clock
    question = Question(kind="probability", text=f"Does {outcome} happen by day {day}?", condition=outcome, by=by)
    asked = scenario.with_questions({name: question}, origin="--outcome")
    results = run(asked, runs=runs, seed=seed, horizon=horizon, progress=progress, backend=backend)
    y = results.outcomes[name] > 0.5
    x = np.column_stack([results.parameters[p] for p in uncertain]).astype(np.float64)
    boxes, trajectory = _prim(x, y, uncertain, threshold=threshold, alpha=alpha, min_mass=min_mass, max_boxes=max_boxes)
    return Discovery(
        outcome=outcome,
        by=day,
        info=results.info,
        base_rate=float(y.mean()),
        boxes=boxes,
        tree=classification_tree(x, y, uncertain, seed=seed),
        parameters=tuple(uncertain),
        trajectory=trajectory,
        threshold=threshold,
        alpha=alpha,
        min_mass=min_mass,
        max_boxes=max_boxes,
        horizon=horizon,
    )


def prim(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    *,
    threshold: float = 0.8,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    max_boxes: int = 3,
) -> tuple[Box, ...]:
    """PRIM boxes of the points ``x`` (one column per name) where ``y`` holds.

    Peeling: starting from a box around all points, take off the slice of about
    ``alpha`` of the box's points at the low or high end of one parameter that
    raises the box's density most per point removed; stop when no slice raises it,
    the density is 1, or the box would hold less than ``min_mass`` of all points.
    From that trajectory the box with the largest coverage times density among those
    of density at least ``threshold`` is chosen. Then, for the same objective and
    under the same threshold, restrictions that do not pay are dropped and bounds
    are pasted outward (which also undoes the overshoot of the last, coarse peels).
    Further boxes are sought among the points outside the boxes found (covering),
    up to ``max_boxes``.

    Bounds lie halfway between the last point peeled off and the first one kept.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.uniform(size=(4000, 2))
        >>> [b.text.split(":")[0] for b in prim(x, x[:, 0] > 0.7, ["a", "b"])]
        ['a > 0.7']
    """
    return _prim(x, y, names, threshold=threshold, alpha=alpha, min_mass=min_mass, max_boxes=max_boxes)[0]


def classification_tree(x: np.ndarray, y: np.ndarray, names: Sequence[str], *, seed: int = 0) -> str:
    """A classification tree of depth 3 (scikit-learn's CART) as indented text.

    Each leaf shows the runs without and with the outcome (``weights``) and the
    majority (``class: yes`` when most have it).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.uniform(size=(500, 2))
        >>> print(classification_tree(x, x[:, 1] < 0.3, ["a", "b"]))
        |--- b <= 0.3
        |   |--- weights: [0, 142] class: yes
        |--- b >  0.3
        |   |--- weights: [358, 0] class: no
        <BLANKLINE>
    """
    from sklearn.tree import DecisionTreeClassifier, export_text

    hit = np.asarray(y, dtype=bool)
    n = len(hit)
    if n == 0:
        return "no tree: there are no runs"
    if not hit.any() or hit.all():
        return f"no tree: the outcome {'never' if not hit.any() else 'always'} happens in the {n} runs"
    tree = DecisionTreeClassifier(max_depth=TREE_DEPTH, min_samples_leaf=max(1, math.ceil(_TREE_MIN_LEAF * n)), random_state=seed % 2**32)
    tree.fit(np.asarray(x, dtype=np.float64), hit.astype(np.int64))
    text = str(export_text(tree, feature_names=list(names), class_names=["no", "yes"], show_weights=True, decimals=12))
    # Thresholds to 3 significant figures (a fixed number of decimals hides small
    # parameters: a daily rate of 0.0006 would print as 0.001); run counts as integers.
    text = re.sub(r"([<>]=?\s+)(-?\d+\.\d+)", lambda m: m.group(1) + f"{float(m.group(2)):.3g}", text)
    return re.sub(r"(\d+)\.0+\b", r"\1", text)


def _prim(
    x: np.ndarray, y: np.ndarray, names: Sequence[str], *, threshold: float, alpha: float, min_mass: float, max_boxes: int
) -> tuple[tuple[Box, ...], tuple[PeelStep, ...]]:
    """The boxes, and the peeling trajectory of the first search (also when no box
    on it reaches the threshold)."""
    x = np.asarray(x, dtype=np.float64)
    hit = np.asarray(y, dtype=bool)
    n = len(hit)
    total = int(hit.sum())
    if n == 0 or total == 0 or total == n:
        return (), ()
    pool = np.ones(n, dtype=bool)
    boxes: list[Box] = []
    first: tuple[PeelStep, ...] = ()
    for _ in range(max_boxes):
        if not hit[pool].any() or pool.sum() < max(1, min_mass * n):
            break
        box, inside, trajectory = _find_box(x, hit, pool, total, list(names), threshold=threshold, alpha=alpha, min_mass=min_mass)
        first = first or trajectory
        if box is None:
            break
        boxes.append(box)
        pool &= ~inside
    return tuple(boxes), first


def _find_box(
    x: np.ndarray,
    hit: np.ndarray,
    pool: np.ndarray,
    total: int,
    names: list[str],
    *,
    threshold: float,
    alpha: float,
    min_mass: float,
) -> tuple[Box | None, np.ndarray, tuple[PeelStep, ...]]:
    """Peel, choose, simplify and paste one box among the points in ``pool``: the
    box (``None`` when none on the trajectory reaches the threshold), which points
    it holds, and the peeling trajectory."""
    n, k = x.shape
    low = np.full(k, -np.inf)
    high = np.full(k, np.inf)
    inside = pool.copy()
    min_points = max(1, math.ceil(min_mass * n))
    bounds = [(low.copy(), high.copy())]
    trajectory = [_step(hit, inside, total, n, low, high, "")]
    while True:
        count = int(inside.sum())
        density = hit[inside].mean()
        if density >= 1.0:
            break
        best: tuple[float, int, int, float, np.ndarray] | None = None  # gain, column, side, bound, kept
        index = np.flatnonzero(inside)
        cut = max(1, int(alpha * count))
        for j in range(k):
            values = x[index, j]
            for side in (0, 1):
                peel = _peel(values, cut, side)
                if peel is None:
                    continue
                bound, kept = peel
                kept_count = int(kept.sum())
                if kept_count < min_points:
                    continue
                gain = (hit[index[kept]].mean() - density) / (count - kept_count)
                if best is None or gain > best[0]:
                    best = (gain, j, side, bound, kept)
        if best is None or best[0] <= 0.0:
            break
        _, j, side, bound, kept = best
        inside[index[~kept]] = False
        if side == 0:
            low[j] = bound
        else:
            high[j] = bound
        bounds.append((low.copy(), high.copy()))
        trajectory.append(_step(hit, inside, total, n, low, high, f"{names[j]}, {'low' if side == 0 else 'high'} end"))
    eligible = [i for i, s in enumerate(trajectory) if s.density >= threshold]
    if not eligible:
        return None, np.zeros(n, dtype=bool), tuple(trajectory)
    chosen = max(eligible, key=lambda i: (trajectory[i].coverage * trajectory[i].density, trajectory[i].coverage))
    low, high = (b.copy() for b in bounds[chosen])
    low, high = _drop_needless(x, hit, pool, low, high, total, threshold)
    low, high = _paste(x, hit, pool, low, high, total, threshold, alpha)
    inside = pool & _in_bounds(x, low, high)
    count = int(inside.sum())
    hits = int(hit[inside].sum())
    rules = tuple(
        Rule(names[j], None if np.isneginf(low[j]) else float(low[j]), None if np.isposinf(high[j]) else float(high[j]))
        for j in range(k)
        if np.isfinite(low[j]) or np.isfinite(high[j])
    )
    box = Box(rules, hits / total, hits / count, count / n, tuple(trajectory), chosen)
    return box, inside, tuple(trajectory)


def _peel(values: np.ndarray, cut: int, side: int) -> tuple[float, np.ndarray] | None:
    """The slice of about ``cut`` points at the low (side 0) or high (side 1) end:
    the bound halfway between the last point removed and the first kept, and which
    points are kept; ``None`` when all points share one value."""
    if side == 1:
        peel = _peel(-values, cut, 0)
        return None if peel is None else (-peel[0], peel[1])
    first_kept = np.partition(values, cut)[cut] if cut < len(values) else values.max()
    removed = values < first_kept
    if not removed.any():  # ties at the minimum: take all of them
        above = values[values > first_kept]
        if above.size == 0:
            return None
        first_kept = above.min()
        removed = values < first_kept
    bound = (values[removed].max() + first_kept) / 2.0
    return float(bound), values > bound


def _in_bounds(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return np.all((x > low) & (x < high), axis=1)


def _score(hits: int, count: int, total: int) -> float:
    """Coverage times density: what the box chosen from a trajectory maximises."""
    return hits * hits / (total * count) if count else 0.0


def _drop_needless(
    x: np.ndarray, hit: np.ndarray, pool: np.ndarray, low: np.ndarray, high: np.ndarray, total: int, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Drop restrictions whose removal raises coverage times density and keeps the
    density at the threshold (a parameter that does not matter), best first."""
    while True:
        inside = pool & _in_bounds(x, low, high)
        score = _score(int(hit[inside].sum()), int(inside.sum()), total)
        best: tuple[float, int] | None = None
        for j in np.flatnonzero(np.isfinite(low) | np.isfinite(high)):
            lo, hi = low.copy(), high.copy()
            lo[j], hi[j] = -np.inf, np.inf
            wider = pool & _in_bounds(x, lo, hi)
            hits, count = int(hit[wider].sum()), int(wider.sum())
            trial = _score(hits, count, total)
            if hits >= threshold * count and trial >= score and (best is None or trial > best[0]):
                best = (trial, int(j))
        if best is None:
            return low, high
        low[best[1]], high[best[1]] = -np.inf, np.inf


def _paste(
    x: np.ndarray, hit: np.ndarray, pool: np.ndarray, low: np.ndarray, high: np.ndarray, total: int, threshold: float, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """Move bounds outward while that raises coverage times density and keeps the
    density at the threshold: at each round, on the side where it helps most, take
    in the number of nearest outside points (up to ``alpha`` of the box) that helps
    most. This also undoes the overshoot of the last peels, which take whole
    slices of ``alpha``."""
    while True:
        inside = pool & _in_bounds(x, low, high)
        count = int(inside.sum())
        hits = int(hit[inside].sum())
        most = max(1, int(alpha * count))
        best: tuple[float, int, int, float] | None = None  # score, column, side, bound
        for j in np.flatnonzero(np.isfinite(low) | np.isfinite(high)):
            lo, hi = low.copy(), high.copy()
            lo[j], hi[j] = -np.inf, np.inf
            others = pool & _in_bounds(x, lo, hi)  # in the box but for this parameter
            column, labels = x[others, j], hit[others]
            for side, edge in ((0, low[j]), (1, high[j])):
                if not np.isfinite(edge):
                    continue
                outside = column <= edge if side == 0 else column >= edge
                order = np.argsort(-column[outside] if side == 0 else column[outside], kind="stable")
                values, added = column[outside][order], labels[outside][order]
                m = min(most, values.size)
                if m == 0:
                    continue
                counts = count + np.arange(1, m + 1)
                hit_counts = hits + np.cumsum(added[:m])
                after = values[1 : m + 1]  # the next point beyond each prefix, if any
                clean = np.ones(m, dtype=bool)  # a bound cannot split tied values
                clean[: after.size] = values[: after.size] != after
                scores = np.where(clean & (hit_counts >= threshold * counts), hit_counts * hit_counts / (total * counts), -1.0)
                take = int(np.argmax(scores)) + 1
                if scores[take - 1] <= _score(hits, count, total):
                    continue
                new = (-np.inf if side == 0 else np.inf) if take == values.size else float((values[take - 1] + values[take]) / 2.0)
                if best is None or scores[take - 1] > best[0]:
                    best = (float(scores[take - 1]), int(j), side, new)
        if best is None:
            return low, high
        _, column, side, new = best
        if side == 0:
            low[column] = new
        else:
            high[column] = new


def _step(hit: np.ndarray, inside: np.ndarray, total: int, n: int, low: np.ndarray, high: np.ndarray, peeled: str) -> PeelStep:
    count = int(inside.sum())
    hits = int(hit[inside].sum())
    restricted = int(np.count_nonzero(np.isfinite(low) | np.isfinite(high)))
    return PeelStep(hits / total, hits / count if count else math.nan, count / n, restricted, peeled)


def _free_name(scenario: Scenario) -> str:
    """A question name the scenario does not use yet."""
    taken = set(scenario.spec.questions)
    name, i = "outcome", 1
    while name in taken:
        i += 1
        name = f"outcome_{i}"
    return name


def _num(value: float) -> str:
    return f"{value:.3g}"
