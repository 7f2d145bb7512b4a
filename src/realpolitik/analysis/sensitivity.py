"""Global sensitivity: which uncertain parameters move each answer (Sobol', Morris).

The design is laid out on the unit hypercube of the uncertain parameters (SALib's
Saltelli/Sobol' or Morris sampling) and pushed through each prior's inverse CDF, so
the indices describe the parameters as the scenario believes them to be distributed.
All design points are runs of one ensemble (``run(..., parameters=...)``); the other
random numbers of a run (events, choices, noise) are those of its own streams, so
they act as noise the indices are estimated through.
"""

from __future__ import annotations

import difflib
import math
import shlex
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Union

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.engine import Backend, RunInfo, pick_question, run, stream_key
from realpolitik.errors import Problem, ScenarioError
from realpolitik.scenario import QuestionModel, Scenario, prior_ppf
from realpolitik.scenario import ParameterModel

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "MORRIS_LEVELS",
    "MorrisIndices",
    "QuestionSensitivity",
    "SensitivityResult",
    "SobolIndices",
    "morris_indices",
    "select_questions",
    "sensitivity",
    "sobol_indices",
    "uncertain_parameters",
]

Method = Literal["sobol", "morris"]

#: Grid levels of the Morris design (the usual choice; delta = levels / (2 (levels - 1))).
MORRIS_LEVELS = 4

#: Quantile at which the Morris grid stops at an unbounded end of a prior.
_MORRIS_TRIM = 0.01

#: Bootstrap resamples behind each confidence interval.
_RESAMPLES = 200

#: Keeps inverse CDFs finite at the unit cube's edges (unbounded priors).
_EDGE = 2.0**-53


@dataclass(frozen=True)
class SobolIndices:
    """One parameter's Sobol' indices for one question.

    Attributes:
        name: the parameter.
        S1: first-order index, the share of the outcome's variance due to the
            parameter alone.
        S1_conf: half-width of the bootstrap 95% interval of ``S1``.
        ST: total-order index, the share due to the parameter with all its
            interactions (what would vanish if it were known).
        ST_conf: half-width of the bootstrap 95% interval of ``ST``.
    """

    name: str
    S1: float
    S1_conf: float
    ST: float
    ST_conf: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "S1": self.S1, "S1_conf": self.S1_conf, "ST": self.ST, "ST_conf": self.ST_conf}


@dataclass(frozen=True)
class MorrisIndices:
    """One parameter's Morris elementary-effect statistics for one question.

    The design's grid spans each prior's support (from its 1% to its 99% quantile
    at an unbounded end) and effects are per whole span, so they compare across
    parameters of any unit.

    Attributes:
        name: the parameter.
        mu_star: mean absolute elementary effect (overall influence).
        mu_star_conf: half-width of the bootstrap 95% interval of ``mu_star``.
        sigma: standard deviation of the elementary effects (interactions and
            non-linearity).
    """

    name: str
    mu_star: float
    mu_star_conf: float
    sigma: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "mu_star": self.mu_star, "mu_star_conf": self.mu_star_conf, "sigma": self.sigma}


Indices = Union[SobolIndices, MorrisIndices]


@dataclass(frozen=True)
class QuestionSensitivity:
    """One question's parameters, most influential first.

    Attributes:
        id: the question's name.
        cites: the inventory IDs it cites.
        text: the question in words.
        kind: ``probability``, ``quantiles`` or ``first_passage``.
        parameters: one row per uncertain parameter, ranked by ``ST`` (Sobol') or
            ``mu_star`` (Morris), descending; NaN rows (an outcome with no variance,
            or a date beyond the horizon) keep the scenario's order.
    """

    id: str
    cites: tuple[str, ...]
    text: str
    kind: str
    parameters: tuple[Indices, ...]

    def parameter(self, name: str) -> Indices:
        """The row of one parameter."""
        for row in self.parameters:
            if row.name == name:
                return row
        raise KeyError(f"no parameter {name!r} (parameters: {', '.join(r.name for r in self.parameters)})")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "cites": list(self.cites), "text": self.text, "parameters": [r.to_dict() for r in self.parameters]}


@dataclass(frozen=True)
class SensitivityResult(ResultOutput):
    """The result of :func:`sensitivity`.

    Attributes:
        method: ``sobol`` or ``morris``.
        info: what reproduces the ensemble the indices rest on (its ``runs`` is the
            total number of runs: design points times ``runs_per_point``).
        samples: the base sample size (Sobol') or number of trajectories (Morris).
        runs_per_point: runs per design point, averaged before the analysis.
        horizon: the horizon asked for, or ``None`` for the scenario's.
        asked: the question names or IDs asked for (empty: all of them).
        parameters: the uncertain parameters analysed, in the scenario's order.
        questions: one entry per question analysed.
    """

    method: str
    info: RunInfo
    samples: int
    runs_per_point: int
    horizon: int | None
    asked: tuple[str, ...]
    parameters: tuple[str, ...]
    questions: tuple[QuestionSensitivity, ...]

    @property
    def command(self) -> str:
        """The command line that reproduces the analysis."""
        parts = [f"realpolitik sensitivity {shlex.quote(self.info.scenario)}", f"--method {self.method}", f"--samples {self.samples}"]
        parts.append(f"--seed {self.info.seed}")
        if self.runs_per_point != 1:
            parts.append(f"--runs-per-point {self.runs_per_point}")
        if self.horizon is not None:
            parts.append(f"--horizon {self.horizon}")
        parts.extend(f"--question {shlex.quote(q)}" for q in self.asked)
        parts.append(self.info.backend_option())
        return " ".join(p for p in parts if p)

    def question(self, question: str) -> QuestionSensitivity:
        """The indices of a question, by name or by an inventory ID it cites."""
        return pick_question(self.questions, question, lambda q: q.id)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``sensitivity --json`` prints)."""
        return {
            "method": self.method,
            "command": self.command,
            "runs": self.info.runs,
            "seed": self.info.seed,
            "samples": self.samples,
            "questions": [q.to_dict() for q in self.questions],
        }


    def to_arrow(self) -> pa.Table:
        """One row per question and parameter, with its rank (1 = most influential).

        Columns: ``id``, ``cites``, ``parameter``, ``rank`` and the method's indices
        (``S1``, ``S1_conf``, ``ST``, ``ST_conf``, or ``mu_star``, ``mu_star_conf``,
        ``sigma``). The command, seed, runs and scenario hash are in the metadata.
        """
        import pyarrow as pa

        stats = ("S1", "S1_conf", "ST", "ST_conf") if self.method == "sobol" else ("mu_star", "mu_star_conf", "sigma")
        ids: list[str] = []
        cites: list[str] = []
        names: list[str] = []
        ranks: list[int] = []
        values: dict[str, list[float]] = {s: [] for s in stats}
        for q in self.questions:
            for rank, row in enumerate(q.parameters, start=1):
                ids.append(q.id)
                cites.append(",".join(q.cites))
                names.append(row.name)
                ranks.append(rank)
                for s in stats:
                    values[s].append(getattr(row, s))
        columns: dict[str, Any] = {
            "id": pa.array(ids, pa.string()),
            "cites": pa.array(cites, pa.string()),
            "parameter": pa.array(names, pa.string()),
            "rank": pa.array(ranks, pa.int32()),
        }
        columns.update({s: pa.array(v, pa.float64()) for s, v in values.items()})
        meta = {
            "realpolitik.command": self.command,
            "realpolitik.method": self.method,
            "realpolitik.seed": str(self.info.seed),
            "realpolitik.runs": str(self.info.runs),
            "realpolitik.samples": str(self.samples),
            "realpolitik.sha256": self.info.sha256,
            "realpolitik.version": self.info.version,
        }
        return pa.table(columns).replace_schema_metadata(meta)



def sensitivity(
    scenario: Scenario,
    *,
    method: Method = "sobol",
    questions: Sequence[str] | None = None,
    samples: int = 256,
    seed: int = 0,
    runs_per_point: int = 1,
    horizon: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    backend: str | Backend | None = None,
) -> SensitivityResult:
    """Rank the uncertain parameters by how much each moves each answer.

    Sobol' (the default) runs ``samples * (k + 2)`` design points for ``k`` uncertain
    parameters and gives first- and total-order variance shares with bootstrap
    intervals; Morris runs ``samples * (k + 1)`` points along one-at-a-time
    trajectories and gives a cheaper screening (``mu_star``, ``sigma``). Parameters
    with a fixed value are left out. Each point is run ``runs_per_point`` times (on
    different random streams) and the outcomes averaged, which reduces the noise the
    model's own randomness adds to the indices.

    Args:
        scenario: a loaded scenario.
        method: ``sobol`` or ``morris``.
        questions: question names or inventory IDs they cite (default: all).
        samples: Sobol' base sample size (a power of 2 keeps the sequence balanced)
            or the number of Morris trajectories.
        seed: seed of the design, the bootstrap and the ensemble's random streams;
            the result is identical for the same seed.
        runs_per_point: runs per design point.
        horizon: days to simulate (default: the scenario's).
        progress: called after every step of the ensemble with (done, total).
        backend: where the runs go (see :func:`realpolitik.engine.run`).

    Raises:
        ScenarioError: a question is not in the scenario, or the scenario has no
            uncertain parameter.
        ValueError: an unknown method, or ``samples``/``runs_per_point`` too small.

    Example:
        >>> from realpolitik import load
        >>> result = sensitivity(load("default"), method="morris", questions=["Q3"], samples=4, horizon=20)
        >>> result.command
        'realpolitik sensitivity russia-iran-2026 --method morris --samples 4 --seed 0 --horizon 20 --question Q3'
        >>> len(result.question("Q3").parameters) == len(result.parameters)
        True
    """
    if method not in ("sobol", "morris"):
        raise ValueError(f"method must be 'sobol' or 'morris', got {method!r}")
    if samples < 2:
        raise ValueError(f"samples must be at least 2, got {samples}")
    if runs_per_point < 1:
        raise ValueError(f"runs_per_point must be at least 1, got {runs_per_point}")
    if isinstance(questions, str):
        questions = [questions]
    chosen = select_questions(scenario, questions)
    uncertain = uncertain_parameters(scenario)
    names = tuple(p.name for p in uncertain)
    unit = _design(method, len(names), samples, seed)
    values = {}
    for j, p in enumerate(uncertain):
        quantiles = _morris_quantiles(p, unit[:, j]) if method == "morris" else unit[:, j]
        values[p.name] = np.repeat(_to_prior(p, quantiles), runs_per_point)
    points = unit.shape[0]
    results = run(scenario, runs=points * runs_per_point, seed=seed, horizon=horizon, parameters=values, progress=progress, backend=backend)
    analysed = []
    bootstrap_seed = _salib_seed(seed, "bootstrap")
    for q in chosen:
        outcome = results.outcomes[q.name].reshape(points, runs_per_point).mean(axis=1)
        if method == "sobol":
            rows: tuple[Indices, ...] = sobol_indices(outcome, names, seed=bootstrap_seed)
        else:
            rows = morris_indices(unit, outcome, names, seed=bootstrap_seed)
        analysed.append(QuestionSensitivity(q.name, q.cites, q.text, q.kind, rows))
    return SensitivityResult(
        method=method,
        info=results.info,
        samples=samples,
        runs_per_point=runs_per_point,
        horizon=horizon,
        asked=tuple(questions or ()),
        parameters=names,
        questions=tuple(analysed),
    )


def sobol_indices(outcome: np.ndarray, names: Sequence[str], *, seed: int = 1, resamples: int = _RESAMPLES) -> tuple[SobolIndices, ...]:
    """First- and total-order Sobol' indices from outcomes on a Saltelli design.

    ``outcome`` holds one value per design point in the order of SALib's
    ``sobol.sample(..., calc_second_order=False)``: blocks of ``len(names) + 2``
    points. An outcome with no variance over the design's A and B points (or with
    NaN in it) has no indices: its rows are NaN. Rows are ranked by ``ST``,
    descending.

    Example:
        >>> from SALib.sample import sobol
        >>> unit = sobol.sample({"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}, 256,
        ...                     calc_second_order=False, seed=1)
        >>> rows = sobol_indices(unit[:, 0] + 0.1 * unit[:, 1], ["a", "b"])
        >>> [r.name for r in rows], round(rows[0].ST, 1)
        (['a', 'b'], 1.0)
    """
    from SALib.analyze import sobol

    y = np.asarray(outcome, dtype=np.float64)
    block = len(names) + 2
    if y.size % block:
        raise ValueError(f"{y.size} outcomes do not make whole blocks of {block} (a Saltelli design for {len(names)} parameters)")
    # the estimators divide by the variance over the A and B points only; a rare
    # outcome that never varies there has no estimate (SALib would report zeros)
    if not _varies(y) or not _varies(np.r_[y[::block], y[block - 1 :: block]]):
        return tuple(SobolIndices(n, math.nan, math.nan, math.nan, math.nan) for n in names)
    problem = _problem(names)
    with warnings.catch_warnings():
        # a bootstrap resample of a rare binary outcome can be constant; SALib warns
        # and counts it as zero, which the interval then reflects
        warnings.simplefilter("ignore")
        si = sobol.analyze(problem, y, calc_second_order=False, num_resamples=resamples, conf_level=0.95, seed=seed or 1)
    rows = [
        SobolIndices(n, float(si["S1"][j]), float(si["S1_conf"][j]), float(si["ST"][j]), float(si["ST_conf"][j]))
        for j, n in enumerate(names)
    ]
    return _ranked(rows, lambda r: r.ST)


def morris_indices(
    unit: np.ndarray, outcome: np.ndarray, names: Sequence[str], *, seed: int = 1, resamples: int = _RESAMPLES
) -> tuple[MorrisIndices, ...]:
    """Morris statistics from outcomes on a Morris design on the unit cube.

    ``unit`` is the design as SALib's ``morris.sample`` laid it out on ``[0, 1]``
    (``MORRIS_LEVELS`` levels), one row per outcome. Effects are per unit of the cube
    (the whole span of a factor). Rows are ranked by ``mu_star``,
    descending; an outcome with no variance has NaN rows.

    Example:
        >>> from SALib.sample import morris
        >>> unit = morris.sample({"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}, 10, seed=1)
        >>> rows = morris_indices(unit, 3 * unit[:, 1] + unit[:, 0], ["a", "b"])
        >>> [(r.name, round(r.mu_star, 6)) for r in rows]
        [('b', 3.0), ('a', 1.0)]
    """
    from SALib.analyze import morris

    y = np.asarray(outcome, dtype=np.float64)
    if not _varies(y):
        return tuple(MorrisIndices(n, math.nan, math.nan, math.nan) for n in names)
    x = np.asarray(unit, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = morris.analyze(_problem(names), x, y, num_resamples=resamples, conf_level=0.95, num_levels=MORRIS_LEVELS, seed=seed)
    rows = [
        MorrisIndices(n, float(si["mu_star"][j]), float(si["mu_star_conf"][j]), float(si["sigma"][j]))
        for j, n in enumerate(names)
    ]
    return _ranked(rows, lambda r: r.mu_star)


def uncertain_parameters(scenario: Scenario) -> tuple[ParameterModel, ...]:
    """The scenario's parameters that have a prior (fixed values are not uncertain).

    Raises:
        ScenarioError: the scenario has none.

    Example:
        >>> from realpolitik import load
        >>> len(uncertain_parameters(load("default"))) > 10
        True
    """
    out = tuple(p for p in scenario.model.parameters if p.prior.dist != "fixed")
    if not out:
        message = "the scenario has no uncertain parameter (every one has a fixed value): nothing to analyse"
        raise ScenarioError(Problem(message, scenario.label, path="parameters"))
    return out


def select_questions(scenario: Scenario, asked: Sequence[str] | None) -> tuple[QuestionModel, ...]:
    """The questions named (by name or an inventory ID they cite), or all of them.

    Raises:
        ScenarioError: a name matches no question (with a did-you-mean), or an ID is
            cited by several; the problem names ``--question`` as where it came from.

    Example:
        >>> from realpolitik import load
        >>> [q.name for q in select_questions(load("default"), ["Q3", "russia_windfall"])]
        ['hormuz_disrupted', 'russia_windfall']
    """
    model_questions = scenario.model.questions
    if asked is None or len(asked) == 0:
        if not model_questions:
            raise ScenarioError(Problem("the scenario has no question to analyse", scenario.label, path="questions"))
        return model_questions
    if isinstance(asked, str):
        asked = [asked]
    chosen: list[QuestionModel] = []
    problems: list[Problem] = []
    names = [q.name for q in model_questions]
    for wanted in asked:
        exact = [q for q in model_questions if q.name == wanted] or [q for q in model_questions if wanted in q.cites]
        if len(exact) == 1:
            if all(q.name != exact[0].name for q in chosen):
                chosen.append(exact[0])
            continue
        if exact:
            which = ", ".join(q.name for q in exact)
            problems.append(Problem(f"{wanted!r} is cited by several questions ({which}); name one of them", "--question"))
            continue
        ids = sorted({c for q in model_questions for c in q.cites})
        close = difflib.get_close_matches(wanted, names + ids, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        problems.append(Problem(f"no question {wanted!r}; {hint}(questions: {', '.join(names) or 'none'})", "--question"))
    if problems:
        raise ScenarioError(problems)
    return tuple(chosen)


def _design(method: str, k: int, samples: int, seed: int) -> np.ndarray:
    """The design on the unit cube: one row per point, one column per parameter."""
    problem = _problem([f"x{j}" for j in range(k)])
    rng = np.random.default_rng(_salib_seed(seed, "design"))
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, samples, calc_second_order=False, seed=rng)
    from SALib.sample import morris

    return morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=rng)


def _to_prior(parameter: ParameterModel, quantiles: np.ndarray) -> np.ndarray:
    """Prior quantiles in [0, 1] as the parameter's values, through its inverse CDF
    (kept off 0 and 1, where an unbounded prior is infinite)."""
    u = np.clip(quantiles, _EDGE, 1.0 - _EDGE)
    return np.asarray(prior_ppf(parameter.prior, u), dtype=np.float64)


def _morris_quantiles(parameter: ParameterModel, unit: np.ndarray) -> np.ndarray:
    """Morris grid coordinates as prior quantiles: the grid spans the prior's support,
    trimmed to the 1% (99%) quantile at an end where the prior is unbounded."""
    with np.errstate(all="ignore"):
        ends = np.asarray(prior_ppf(parameter.prior, np.array([0.0, 1.0])), dtype=np.float64)
    low = 0.0 if np.isfinite(ends[0]) else _MORRIS_TRIM
    high = 1.0 if np.isfinite(ends[1]) else 1.0 - _MORRIS_TRIM
    return low + (high - low) * unit


def _problem(names: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _salib_seed(seed: int, purpose: str) -> int:
    """A seed for one of SALib's uses, derived from the analysis seed (never 0:
    SALib's Sobol' bootstrap treats a seed of 0 as no seed)."""
    return stream_key("sensitivity", purpose, seed) % (2**63 - 1) + 1


def _varies(y: np.ndarray) -> bool:
    return bool(y.size > 1 and np.isfinite(y).all() and np.ptp(y) > 0.0)


def _ranked(rows: list[Any], key: Callable[[Any], float]) -> tuple[Any, ...]:
    def order(item: tuple[int, Any]) -> tuple[int, float, int]:
        j, row = item
        value = key(row)
        return (1, 0.0, j) if math.isnan(value) else (0, -value, j)

    return tuple(row for _, row in sorted(enumerate(rows), key=order))
