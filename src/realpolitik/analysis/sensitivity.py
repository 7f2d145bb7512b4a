"""Global sensitivity: which uncertain parameters move each answer (Sobol', Morris).

The design is laid out on the unit hypercube of the uncertain parameters (SALib's
Saltelli/Sobol' or Morris sampling) and pushed through each prior's inverse CDF, so
the indices describe the parameters as the scenario believes them to be distributed.

A run is random beyond its parameters (events, choices, noise), so what a design
point's parameters do to an answer is the *mean* of its runs' outcomes there: a
probability, or a quantity's mean. The indices are those of that mean, and three
things keep Monte Carlo noise out of them:

- **Replicates.** Each design point is run ``runs_per_point`` times and the analysis
  reads the points' means. By default a pilot chooses the number
  (:func:`runs_per_point_needed`): enough that the standard error of a point's mean
  is at most half the spread of the means across the points, for every question
  analysed, and at most :data:`AUTO_MAX_RUNS_PER_POINT`.
- **Common random numbers.** The points an index compares share their random
  numbers: a Sobol' block's base point ``A`` and its points ``AB_i`` (``A`` with
  parameter ``i`` taken from ``B``), and the points of one Morris trajectory; replicate
  ``j`` of each runs on the same random streams. Their difference is then the
  parameter's effect and not two draws of noise: a parameter that nothing reads
  gets exactly 0. (``B`` has streams of its own: the first-order estimator needs it
  independent of ``A``.)
- **Noise correction** (Sobol'). The noise variance of a point's mean is estimable
  from its replicates (``s²/r``; for a probability ``p̂(1 - p̂)/(r - 1)``), and so is
  that of the paired difference ``A - AB_i``. Subtracting the first from the
  variance and the second from each total-order numerator (Jansen's
  ``E[(f(A) - f(AB_i))²] / 2``) makes both unbiased for the indices of the mean (cf.
  Hart, Alexanderian and Gremaud 2017, Sobol' indices of stochastic models); the
  first-order numerator (Saltelli 2010, ``E[f(B) (f(AB_i) - f(A))]``) needs none.
  With one run per point nothing can be subtracted: the indices are then those of a
  single run, noise included. Morris' ``mu*`` has no such correction.

The **noise floor** is measured, not assumed (the dummy-parameter threshold of
Khorashadi Zadeh et al. 2017). A dummy parameter that nothing reads joins the design,
and its points (a copy of each Sobol' block's ``A``, or of each Morris trajectory's
last point) run on *fresh* random numbers, so their difference from the original is
pure Monte Carlo noise; a parameter sharing its block's random numbers carries, as
a rule, no more than that (its paired runs are positively correlated). The floor is
how far noise alone takes the dummy's index, at 95%: the top of its interval, or,
where the noise has been taken off (Sobol' with replicates, whose dummy index is 0
in expectation), its half-width. A parameter is *distinguishable* from noise when
the lower end of its own interval lies above the floor (and above 0), and only
distinguishable parameters are ranked.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Union

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.engine import Z95, Backend, RunInfo, pick_question, run, stream_key, use_backend
from realpolitik.errors import Problem, ScenarioError
from realpolitik.scenario import ParameterModel, QuestionModel, Scenario, prior_ppf

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "AUTO_MAX_RUNS_PER_POINT",
    "MORRIS_LEVELS",
    "NOISE",
    "PILOT_POINTS",
    "PILOT_RUNS",
    "MorrisIndices",
    "QuestionSensitivity",
    "SensitivityResult",
    "SobolIndices",
    "morris_indices",
    "runs_per_point_needed",
    "select_questions",
    "sensitivity",
    "sobol_indices",
    "uncertain_parameters",
]

Method = Literal["sobol", "morris"]

#: Grid levels of the Morris design (the usual choice; delta = levels / (2 (levels - 1))).
MORRIS_LEVELS = 4

#: The name of the dummy parameter (nothing reads it) whose index is the noise floor;
#: no parameter can be called this.
NOISE = "(noise)"

#: The pilot that chooses ``runs_per_point``: this many points drawn from the priors ...
PILOT_POINTS = 64
#: ... each run this many times.
PILOT_RUNS = 8
#: The most runs per point the pilot chooses (a rare outcome would ask for thousands).
AUTO_MAX_RUNS_PER_POINT = 32

#: The pilot's target: a point's noise variance at most this share of the variance
#: of the means across the points (standard error at most half their spread).
_NOISE_TO_SPREAD = 0.25

#: Quantile at which the Morris grid stops at an unbounded end of a prior.
_MORRIS_TRIM = 0.01

#: Bootstrap resamples behind each confidence interval.
_RESAMPLES = 200

#: An interval is unbounded when more than this share of the bootstrap resamples
#: leave no variance beyond the noise to divide by.
_UNBOUNDED = 0.025

#: Keeps inverse CDFs finite at the unit cube's edges (unbounded priors).
_EDGE = 2.0**-53


@dataclass(frozen=True)
class SobolIndices:
    """One parameter's Sobol' indices for one question.

    Attributes:
        name: the parameter.
        S1: first-order index, the share of the variance of the answer's mean (over
            the parameters) due to the parameter alone.
        S1_conf: half-width of the bootstrap 95% interval of ``S1``.
        ST: total-order index, the share due to the parameter with all its
            interactions (what would vanish if it were known). Noise-corrected
            estimates can come out slightly below 0.
        ST_conf: half-width of the bootstrap 95% interval of ``ST``.
        distinguishable: the interval of ``ST`` lies above the noise floor (and 0).
    """

    name: str
    S1: float
    S1_conf: float
    ST: float
    ST_conf: float
    distinguishable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "S1": self.S1,
            "S1_conf": self.S1_conf,
            "ST": self.ST,
            "ST_conf": self.ST_conf,
            "distinguishable": self.distinguishable,
        }


@dataclass(frozen=True)
class MorrisIndices:
    """One parameter's Morris elementary-effect statistics for one question.

    The design's grid spans each prior's support (from its 1% to its 99% quantile
    at an unbounded end) and effects are per whole span, so they compare across
    parameters of any unit. An effect is the change of the answer's mean over the
    point's runs; ``mu_star`` and ``sigma`` include what noise is left in it.

    Attributes:
        name: the parameter.
        mu_star: mean absolute elementary effect (overall influence).
        mu_star_conf: half-width of the bootstrap 95% interval of ``mu_star``.
        sigma: standard deviation of the elementary effects (interactions and
            non-linearity).
        distinguishable: the interval of ``mu_star`` lies above the noise floor.
    """

    name: str
    mu_star: float
    mu_star_conf: float
    sigma: float
    distinguishable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mu_star": self.mu_star,
            "mu_star_conf": self.mu_star_conf,
            "sigma": self.sigma,
            "distinguishable": self.distinguishable,
        }


Indices = Union[SobolIndices, MorrisIndices]


@dataclass(frozen=True)
class QuestionSensitivity:
    """One question's parameters: those distinguishable from noise, most influential
    first, then the others.

    Attributes:
        id: the question's name.
        cites: the inventory IDs it cites.
        text: the question in words.
        kind: ``probability``, ``quantiles`` or ``first_passage``.
        parameters: one row per uncertain parameter: the distinguishable ones ranked
            by ``ST`` (Sobol') or ``mu_star`` (Morris), descending, then the rest in
            the same order (unranked), then NaN rows (an outcome with no variance
            beyond noise, or a date beyond the horizon) in the scenario's order.
        noise_floor: how far Monte Carlo noise alone takes the index of the dummy
            parameter, at 95%: the half-width of its ``ST`` interval once the noise is
            taken off (Sobol', two or more runs per point; its ``ST`` is then 0 in
            expectation), else the top of its ``ST`` or ``mu_star`` interval.
        noise_share: the share of the variance of the design points' means (Sobol':
            the ``A`` and ``B`` points; Morris: all) that is Monte Carlo noise.
        noise: the dummy parameter's own row (named :data:`NOISE`).
    """

    id: str
    cites: tuple[str, ...]
    text: str
    kind: str
    parameters: tuple[Indices, ...]
    noise_floor: float = math.nan
    noise_share: float = math.nan
    noise: Indices | None = None

    @property
    def ranked(self) -> tuple[Indices, ...]:
        """The parameters distinguishable from noise, most influential first."""
        return tuple(r for r in self.parameters if r.distinguishable)

    @property
    def indistinguishable(self) -> tuple[Indices, ...]:
        """The parameters that cannot be told apart from noise at this budget."""
        return tuple(r for r in self.parameters if not r.distinguishable)

    def parameter(self, name: str) -> Indices:
        """The row of one parameter."""
        for row in self.parameters:
            if row.name == name:
                return row
        raise KeyError(f"no parameter {name!r} (parameters: {', '.join(r.name for r in self.parameters)})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "cites": list(self.cites),
            "text": self.text,
            "noise_floor": self.noise_floor,
            "noise_share": self.noise_share,
            "noise": None if self.noise is None else self.noise.to_dict(),
            "parameters": [r.to_dict() for r in self.parameters],
        }


@dataclass(frozen=True)
class SensitivityResult(ResultOutput):
    """The result of :func:`sensitivity`.

    Attributes:
        method: ``sobol`` or ``morris``.
        info: what reproduces the runs the indices rest on (its ``runs`` is the total
            number of runs of the design: design points, with the dummy parameter's,
            times ``runs_per_point``; the pilot's are in ``pilot_runs``).
        samples: the base sample size (Sobol') or number of trajectories (Morris).
        runs_per_point: runs per design point, averaged before the analysis.
        horizon: the horizon asked for, or ``None`` for the scenario's.
        asked: the question names or IDs asked for (empty: all of them).
        parameters: the uncertain parameters analysed, in the scenario's order.
        questions: one entry per question analysed.
        auto: ``runs_per_point`` was chosen by the pilot (not given).
        pilot_runs: the pilot's runs (0 when ``runs_per_point`` was given).
    """

    method: str
    info: RunInfo
    samples: int
    runs_per_point: int
    horizon: int | None
    asked: tuple[str, ...]
    parameters: tuple[str, ...]
    questions: tuple[QuestionSensitivity, ...]
    auto: bool = False
    pilot_runs: int = 0

    @property
    def command(self) -> str:
        """The command line that reproduces the analysis (the pilot chooses the same
        ``runs_per_point`` again from the same seed)."""
        parts = [f"realpolitik sensitivity {shlex.quote(self.info.scenario)}", f"--method {self.method}", f"--samples {self.samples}"]
        parts.append(f"--seed {self.info.seed}")
        if not self.auto:
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
            "runs_per_point": self.runs_per_point,
            "pilot_runs": self.pilot_runs,
            "questions": [q.to_dict() for q in self.questions],
        }

    def to_arrow(self) -> pa.Table:
        """One row per question and parameter, with its rank (1 = most influential;
        null for a parameter not distinguishable from noise).

        Columns: ``id``, ``cites``, ``parameter``, ``rank``, ``distinguishable``, the
        method's indices (``S1``, ``S1_conf``, ``ST``, ``ST_conf``, or ``mu_star``,
        ``mu_star_conf``, ``sigma``) and the question's ``noise_floor``. The command,
        seed, runs and scenario hash are in the metadata.
        """
        import pyarrow as pa

        stats = ("S1", "S1_conf", "ST", "ST_conf") if self.method == "sobol" else ("mu_star", "mu_star_conf", "sigma")
        ids: list[str] = []
        cites: list[str] = []
        names: list[str] = []
        ranks: list[int | None] = []
        distinguishable: list[bool] = []
        floors: list[float] = []
        values: dict[str, list[float]] = {s: [] for s in stats}
        for q in self.questions:
            for i, row in enumerate(q.parameters, start=1):
                ids.append(q.id)
                cites.append(",".join(q.cites))
                names.append(row.name)
                ranks.append(i if row.distinguishable else None)
                distinguishable.append(row.distinguishable)
                floors.append(q.noise_floor)
                for s in stats:
                    values[s].append(getattr(row, s))
        columns: dict[str, Any] = {
            "id": pa.array(ids, pa.string()),
            "cites": pa.array(cites, pa.string()),
            "parameter": pa.array(names, pa.string()),
            "rank": pa.array(ranks, pa.int32()),
            "distinguishable": pa.array(distinguishable, pa.bool_()),
        }
        columns.update({s: pa.array(v, pa.float64()) for s, v in values.items()})
        columns["noise_floor"] = pa.array(floors, pa.float64())
        meta = {
            "realpolitik.command": self.command,
            "realpolitik.method": self.method,
            "realpolitik.seed": str(self.info.seed),
            "realpolitik.runs": str(self.info.runs),
            "realpolitik.samples": str(self.samples),
            "realpolitik.runs_per_point": str(self.runs_per_point),
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
    runs_per_point: int | None = None,
    horizon: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    backend: str | Backend | None = None,
    batch_size: int | None = None,
) -> SensitivityResult:
    """Rank the uncertain parameters by how much each moves each answer, and say
    which cannot be told apart from Monte Carlo noise.

    Sobol' (the default) runs ``samples * (k + 3)`` design points for ``k`` uncertain
    parameters (``A``, ``B``, one ``AB_i`` per parameter and one for the dummy) and
    gives first- and total-order variance shares of each answer's mean with bootstrap
    intervals; Morris runs ``samples * (k + 2)`` points along one-at-a-time
    trajectories and gives a cheaper screening (``mu_star``, ``sigma``). Parameters
    with a fixed value are left out. Each point is run ``runs_per_point`` times; the
    points an index compares share their random numbers, the Sobol' indices are
    corrected for the noise left in the points' means, and a dummy parameter run on
    fresh random numbers sets the noise floor (see the module's docstring).

    Args:
        scenario: a loaded scenario.
        method: ``sobol`` or ``morris``.
        questions: question names or inventory IDs they cite (default: all).
        samples: Sobol' base sample size (a power of 2 keeps the sequence balanced)
            or the number of Morris trajectories.
        seed: seed of the design, the pilot, the bootstrap and the runs' random
            streams; the result is identical for the same seed, whatever the
            ``batch_size`` or backend's split of the runs.
        runs_per_point: runs per design point; ``None`` (the default): the fewest
            that make a point's standard error at most half the spread of the
            answer's mean across the parameters' priors, for every question
            analysed, as a pilot of ``PILOT_POINTS`` points times ``PILOT_RUNS``
            runs estimates them (:func:`runs_per_point_needed`; 1 when the answers
            are not random, at most ``AUTO_MAX_RUNS_PER_POINT``).
        horizon: days to simulate (default: the scenario's).
        progress: called after every step of each ensemble with (done, total) over
            all of them (the pilot, then one per column of the design).
        backend: where the runs go (see :func:`realpolitik.engine.run`).
        batch_size: the most runs in one shard (see :func:`realpolitik.engine.run`).

    Raises:
        ScenarioError: a question is not in the scenario, or the scenario has no
            uncertain parameter.
        ValueError: an unknown method, or ``samples``/``runs_per_point`` too small.

    Example:
        >>> from realpolitik import load
        >>> result = sensitivity(load("default"), method="morris", questions=["Q3"], samples=4, horizon=20)
        >>> result.command
        'realpolitik sensitivity russia-iran-2026 --method morris --samples 4 --seed 0 --horizon 20 --question Q3'
        >>> q = result.question("Q3")
        >>> len(q.parameters) == len(result.parameters), q.parameter("divert_cost").distinguishable
        (True, False)
    """
    if method not in ("sobol", "morris"):
        raise ValueError(f"method must be 'sobol' or 'morris', got {method!r}")
    if samples < 2:
        raise ValueError(f"samples must be at least 2, got {samples}")
    if runs_per_point is not None and runs_per_point < 1:
        raise ValueError(f"runs_per_point must be at least 1 (or None to choose it), got {runs_per_point}")
    if isinstance(questions, str):
        questions = [questions]
    chosen = select_questions(scenario, questions)
    uncertain = uncertain_parameters(scenario)
    names = tuple(p.name for p in uncertain)
    unit = _design(method, len(names), samples, seed)
    columns = _columns(method, unit, len(names), samples, seed)
    auto = runs_per_point is None
    segment = _segments(progress, len(columns) + auto)
    options: dict[str, Any] = {"horizon": horizon, "keep_trajectories": 0}
    if batch_size is not None:
        options["batch_size"] = batch_size
    pilot_runs = 0
    with use_backend(backend) as given:
        options["backend"] = given
        if runs_per_point is None:
            runs_per_point = _pilot(scenario, uncertain, chosen, seed, progress=segment(0), **options)
            pilot_runs = PILOT_POINTS * PILOT_RUNS
        r = runs_per_point
        total = sum(len(points) for points, _ in columns) * r
        with use_backend(_step_for_all(given, scenario, total, horizon)) as engine:
            options["backend"] = engine
            outcomes, info = _run_columns(scenario, method, uncertain, chosen, columns, r, lambda i: segment(i + auto), options)
    info = dataclasses.replace(info, runs=total)
    analysed = []
    bootstrap_seed = _salib_seed(seed, "bootstrap")
    for q in chosen:
        y, probe = _layout(outcomes[q.name])
        if method == "sobol":
            rows: tuple[Indices, ...] = sobol_indices(y, names, noise=probe, seed=bootstrap_seed)
        else:
            rows = morris_indices(unit, y, names, noise=probe, seed=bootstrap_seed)
        noise = next(row for row in rows if row.name == NOISE)
        parameters = tuple(row for row in rows if row.name != NOISE)
        share = _noise_share(method, y, probe, len(names))
        analysed.append(QuestionSensitivity(q.name, q.cites, q.text, q.kind, parameters, _floor(noise, r), share, noise))
    return SensitivityResult(
        method=method,
        info=info,
        samples=samples,
        runs_per_point=r,
        horizon=horizon,
        asked=tuple(questions or ()),
        parameters=names,
        questions=tuple(analysed),
        auto=auto,
        pilot_runs=pilot_runs,
    )


def runs_per_point_needed(outcomes: Sequence[np.ndarray], *, most: int = AUTO_MAX_RUNS_PER_POINT) -> int:
    """The runs per design point that make a point's standard error at most half the
    spread of the answer's mean across points, from a pilot's runs.

    For each question, ``outcomes`` holds a pilot's outcomes, one row per point
    (drawn from the priors) and one column per run. The noise variance of one run is
    the mean of the rows' variances (``s²``; for a probability about ``p (1 - p)``),
    the spread is the variance of the rows' means less the noise in them (``s² / r``),
    and ``r`` runs per point leave noise ``s² / r``: asking for it to be at most a
    quarter of the spread gives ``r = 4 s² / spread``. The answer is the largest over
    the questions, at least 2 where any run is random (so that each point's noise can
    be estimated and removed) and at most ``most`` (also what a question gets whose
    spread the pilot cannot tell from 0); 1 when no question's runs are random.

    Raises:
        ValueError: an array is not two-dimensional with at least two runs per point.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> p = np.linspace(0.2, 0.8, 64)[:, None]  # the probability at each point
        >>> runs_per_point_needed([rng.random((64, 8)) < p])
        27
        >>> runs_per_point_needed([np.tile(p, (1, 8))])  # the same outcome on every run
        1
    """
    need = 1
    for y in outcomes:
        y = np.asarray(y, dtype=np.float64)
        if y.ndim != 2 or y.shape[1] < 2:
            raise ValueError(f"a pilot's outcomes are one row per point and at least two runs per row; got shape {y.shape}")
        if not np.isfinite(y).all() or not (np.ptp(y, axis=1) > 0).any():
            continue  # beyond the horizon, or no run is random: one run per point is exact
        noise = float(np.mean(np.var(y, axis=1, ddof=1)))
        spread = float(np.var(y.mean(axis=1), ddof=1)) - noise / y.shape[1]
        if spread <= 0:
            return most
        need = max(need, min(most, max(2, math.ceil(noise / (_NOISE_TO_SPREAD * spread)))))
    return need


def sobol_indices(
    outcome: np.ndarray,
    names: Sequence[str],
    *,
    noise: np.ndarray | None = None,
    seed: int = 1,
    resamples: int = _RESAMPLES,
) -> tuple[SobolIndices, ...]:
    """First- and total-order Sobol' indices from outcomes on a Saltelli design,
    corrected for the noise of replicate runs, with the dummy parameter's noise floor.

    ``outcome`` holds one value per design point, or one row of ``r`` replicate runs
    per point, in the order of SALib's ``sobol.sample(..., calc_second_order=False)``:
    blocks of ``len(names) + 2`` points (``A``, ``AB_1`` ... ``AB_k``, ``B``); replicate
    ``j`` of a block's ``A`` and ``AB_i`` should share random numbers and ``B`` should
    not. With replicates, each point's noise variance (``s²/r``) comes off the
    variance, and each paired difference's (``A - AB_i``) off its total-order term,
    so the indices are those of the points' mean outcome (see the module's
    docstring). ``noise`` (one row per block) holds the outcomes of a copy of each
    block's ``A`` run on fresh random numbers: its row is the dummy parameter
    :data:`NOISE`, whose interval sets the noise floor (its half-width with
    replicates, which take the noise off and leave the dummy 0 in expectation; else
    its top); without it the floor is 0 (right when the outcomes are not random).

    An outcome with no variance over the ``A`` and ``B`` points beyond their noise
    (or with NaN in it) has no indices: its rows are NaN. Rows distinguishable from
    noise come first, ranked by ``ST``, descending, then the rest.

    Example:
        >>> from SALib.sample import sobol
        >>> unit = sobol.sample({"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}, 256,
        ...                     calc_second_order=False, seed=1)
        >>> rows = sobol_indices(unit[:, 0] + 0.1 * unit[:, 1], ["a", "b"])
        >>> [r.name for r in rows], round(rows[0].ST, 1), rows[1].distinguishable
        (['a', 'b'], 1.0, True)
    """
    k = len(names)
    y = _replicates(outcome)
    block = k + 2
    if y.shape[0] % block:
        raise ValueError(f"{y.shape[0]} outcomes do not make whole blocks of {block} (a Saltelli design for {k} parameters)")
    n, r = y.shape[0] // block, y.shape[1]
    y = y.reshape(n, block, r)
    labels = list(names)
    if noise is not None:
        probe = _replicates(noise)
        if probe.shape != (n, r):
            raise ValueError(f"noise holds {probe.shape} outcomes; it needs one row of {r} per block ({n} blocks)")
        # the dummy's point is one more AB column: A's parameters, fresh random numbers
        y = np.concatenate([y[:, :-1], probe[:, None, :], y[:, -1:]], axis=1)
        labels.append(NOISE)
    means = y.mean(axis=2)
    a, b = means[:, 0], means[:, -1]
    # the estimators divide by the variance over the A and B points only; a rare
    # outcome that never varies there has no estimate (SALib would report zeros)
    if not np.isfinite(means).all() or not _varies(np.r_[a, b]):
        return _sobol_rows([SobolIndices(name, math.nan, math.nan, math.nan, math.nan) for name in labels], r)
    paired = y[:, :1, :] - y[:, 1:-1, :]  # A - AB_i, replicate by replicate: (n, columns, r)
    d = paired.mean(axis=2)
    if r > 1:
        point_noise = y.var(axis=2, ddof=1) / r
        pair_noise = paired.var(axis=2, ddof=1) / r
    else:
        point_noise = np.zeros_like(means)
        pair_noise = np.zeros_like(d)
    centre = float(np.mean(np.r_[a, b]))
    a, b = a - centre, b - centre
    # per-block terms whose (resampled) means make the estimators
    terms = np.column_stack(
        [0.5 * (a * a + b * b), 0.5 * (a + b), 0.5 * (point_noise[:, 0] + point_noise[:, -1]), -b[:, None] * d, 0.5 * (d * d - pair_noise)]
    )
    weights = _bootstrap_weights(n, resamples, seed)  # row 0: the sample itself
    m = weights @ terms / n
    variance = m[:, 0] - m[:, 1] ** 2 - m[:, 2]
    columns = d.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        s1 = m[:, 3 : 3 + columns] / variance[:, None]
        st = m[:, 3 + columns :] / variance[:, None]
    if not variance[0] > 0:
        return _sobol_rows([SobolIndices(name, math.nan, math.nan, math.nan, math.nan) for name in labels], r)
    s1_conf, st_conf = _half_widths(s1[1:], variance[1:]), _half_widths(st[1:], variance[1:])
    rows = [SobolIndices(name, float(s1[0, j]), float(s1_conf[j]), float(st[0, j]), float(st_conf[j])) for j, name in enumerate(labels)]
    return _sobol_rows(rows, r)


def morris_indices(
    unit: np.ndarray,
    outcome: np.ndarray,
    names: Sequence[str],
    *,
    noise: np.ndarray | None = None,
    seed: int = 1,
    resamples: int = _RESAMPLES,
) -> tuple[MorrisIndices, ...]:
    """Morris statistics from outcomes on a Morris design on the unit cube, with the
    dummy parameter's noise floor.

    ``unit`` is the design as SALib's ``morris.sample`` laid it out on ``[0, 1]``
    (``MORRIS_LEVELS`` levels, trajectories of ``len(names) + 1`` points), and
    ``outcome`` one value per row of it, or one row of replicate runs per row (their
    means are analysed). Effects are per unit of the cube (the whole span of a
    factor). ``noise`` (one row per trajectory) holds the outcomes of a copy of each
    trajectory's last point run on fresh random numbers: one more step, of the dummy
    parameter :data:`NOISE`, whose ``mu_star`` interval's upper end is the noise
    floor; without it the floor is 0. Rows distinguishable from noise come first,
    ranked by ``mu_star``, descending, then the rest; an outcome with no variance has
    NaN rows.

    Example:
        >>> from SALib.sample import morris
        >>> unit = morris.sample({"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}, 10, seed=1)
        >>> rows = morris_indices(unit, 3 * unit[:, 1] + unit[:, 0], ["a", "b"])
        >>> [(r.name, round(r.mu_star, 6)) for r in rows]
        [('b', 3.0), ('a', 1.0)]
    """
    k = len(names)
    x = np.asarray(unit, dtype=np.float64)
    y = _replicates(outcome)
    size = k + 1
    if x.ndim != 2 or x.shape != (y.shape[0], k) or y.shape[0] % size:
        raise ValueError(f"a Morris design for {k} parameters is trajectories of {size} rows of {k} columns, one outcome per row; got {x.shape} and {y.shape[0]} outcomes")
    t = y.shape[0] // size
    labels = list(names) + ([NOISE] if noise is not None else [])
    means = y.mean(axis=1).reshape(t, size)
    if not _varies(means.ravel()):
        return _morris_rows([MorrisIndices(name, math.nan, math.nan, math.nan) for name in labels], y.shape[1])
    steps = np.diff(x.reshape(t, size, k), axis=1)  # (t, k steps, k factors)
    moved = np.argmax(np.abs(steps), axis=2)  # the factor each step moves
    if not (np.sort(moved, axis=1) == np.arange(k)).all():
        raise ValueError("each trajectory of a Morris design moves every factor once, one at a time")
    dx = np.take_along_axis(steps, moved[..., None], axis=2)[..., 0]
    effects = np.empty((t, k))
    effects[np.arange(t)[:, None], moved] = np.diff(means, axis=1) / dx
    if noise is not None:
        probe = _replicates(noise)
        if probe.shape != (t, y.shape[1]):
            raise ValueError(f"noise holds {probe.shape} outcomes; it needs one row of {y.shape[1]} per trajectory ({t} trajectories)")
        delta = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1))
        effects = np.column_stack([effects, (probe.mean(axis=1) - means[:, -1]) / delta])
    magnitude = np.abs(effects)
    mu_star = magnitude.mean(axis=0)
    sigma = effects.std(axis=0, ddof=1) if t > 1 else np.full(len(labels), math.nan)
    resampled = _bootstrap_weights(t, resamples, seed)[1:] @ magnitude / t
    conf = Z95 * resampled.std(axis=0, ddof=1)
    rows = [MorrisIndices(name, float(mu_star[j]), float(conf[j]), float(sigma[j])) for j, name in enumerate(labels)]
    return _morris_rows(rows, y.shape[1])


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


def _columns(method: str, unit: np.ndarray, k: int, samples: int, seed: int) -> list[tuple[np.ndarray, int]]:
    """The design's points as one ensemble per column, with its seed: points of one
    column share no random numbers, points of one block (trajectory) do, run for run.

    Sobol': ``A``, each ``AB_i`` (the design's seed), ``B`` (a seed of its own), then
    the dummy's copy of ``A`` (fresh random numbers). Morris: each position along the
    trajectories (the design's seed), then the dummy's copy of the last point.
    """
    fresh = _stream_seed(seed, "noise")
    if method == "sobol":
        blocks = unit.reshape(samples, k + 2, k)
        return [(blocks[:, c], seed) for c in range(k + 1)] + [(blocks[:, -1], _stream_seed(seed, "B")), (blocks[:, 0], fresh)]
    trajectories = unit.reshape(-1, k + 1, k)
    return [(trajectories[:, m], seed) for m in range(k + 1)] + [(trajectories[:, -1], fresh)]


def _step_for_all(given: Backend, scenario: Scenario, runs: int, horizon: int | None) -> Backend | str:
    """The backend for the design's ensembles: ``given``, except that ``auto`` picks
    its step (``numpy`` or ``numba``) once, for all the design's runs together.

    ``auto`` weighs the compiled step's cost of loading (about a second, once per
    process) against one ensemble's size; the design is many small ensembles of one
    scenario, which pay that cost once between them.
    """
    if given.name != "auto":
        return given
    from realpolitik.engine._shard import Job  # what step_used weighs: the scenario and its run-steps

    clock = scenario.spec.clock
    days = clock.horizon_days if horizon is None else horizon
    return given.step_used(Job(scenario, runs, 0, days // clock.step_days, clock.step_days, 0))


def _run_columns(
    scenario: Scenario,
    method: str,
    uncertain: Sequence[ParameterModel],
    chosen: Sequence[QuestionModel],
    columns: Sequence[tuple[np.ndarray, int]],
    r: int,
    segment: Callable[[int], Any],
    options: dict[str, Any],
) -> tuple[dict[str, list[np.ndarray]], RunInfo]:
    """Each column of the design as one ensemble, ``r`` runs per point (point ``n``'s
    replicate ``j`` is run ``n * r + j``, so the columns share random numbers run for
    run); each question's outcomes per column, (points, runs), and the first
    ensemble's run information."""
    outcomes: dict[str, list[np.ndarray]] = {q.name: [] for q in chosen}
    infos = []
    for i, (points, stream_seed) in enumerate(columns):
        values = {p.name: np.repeat(_to_prior(p, _quantiles(method, p, points[:, j])), r) for j, p in enumerate(uncertain)}
        results = run(scenario, runs=len(points) * r, seed=stream_seed, parameters=values, progress=segment(i), **options)
        infos.append(results.info)
        for q in chosen:
            outcomes[q.name].append(results.outcomes[q.name].reshape(len(points), r))
    return outcomes, infos[0]


def _layout(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each column's outcomes (points, runs) back in the design's row order, and the
    dummy's (the last column)."""
    *design, probe = columns
    stacked = np.stack(design, axis=1)  # (blocks or trajectories, columns, runs)
    return stacked.reshape(-1, stacked.shape[2]), probe


def _pilot(
    scenario: Scenario, uncertain: Sequence[ParameterModel], chosen: Sequence[QuestionModel], seed: int, *, progress: Any, **options: Any
) -> int:
    """Runs per point for the design, from ``PILOT_POINTS`` points drawn from the
    priors, ``PILOT_RUNS`` runs each, on random numbers of the pilot's own."""
    rng = np.random.default_rng(_salib_seed(seed, "pilot"))
    unit = rng.random((PILOT_POINTS, len(uncertain)))
    values = {p.name: np.repeat(_to_prior(p, unit[:, j]), PILOT_RUNS) for j, p in enumerate(uncertain)}
    results = run(scenario, runs=PILOT_POINTS * PILOT_RUNS, seed=_stream_seed(seed, "pilot"), parameters=values, progress=progress, **options)
    return runs_per_point_needed([results.outcomes[q.name].reshape(PILOT_POINTS, PILOT_RUNS) for q in chosen])


def _noise_share(method: str, y: np.ndarray, probe: np.ndarray, k: int) -> float:
    """The share of the variance of the design points' means that is noise: from the
    replicates, or with one run per point from the dummy's pairs (half the mean
    squared difference of two runs with the same parameters)."""
    r = y.shape[1]
    if method == "sobol":
        blocks = y.reshape(-1, k + 2, r)
        points = np.concatenate([blocks[:, 0], blocks[:, -1]])
        twins = blocks[:, 0]
    else:
        points = y
        twins = y.reshape(-1, k + 1, r)[:, -1]
    means = points.mean(axis=1)
    total = float(np.var(means))
    if not math.isfinite(total) or total <= 0:
        return math.nan
    if r > 1:
        noise = float(np.mean(points.var(axis=1, ddof=1) / r))
    else:
        noise = 0.5 * float(np.mean((twins[:, 0] - probe[:, 0]) ** 2))
    return min(1.0, noise / total)


def _replicates(outcome: np.ndarray) -> np.ndarray:
    """Outcomes as (points, runs): a single run per point is one column."""
    y = np.asarray(outcome, dtype=np.float64)
    if y.ndim == 1:
        return y[:, None]
    if y.ndim != 2 or y.shape[1] < 1:
        raise ValueError(f"outcomes are one value or one row of runs per design point; got shape {y.shape}")
    return y


def _bootstrap_weights(n: int, resamples: int, seed: int) -> np.ndarray:
    """How often each of ``n`` blocks is drawn: row 0 once each (the sample itself),
    then one row per bootstrap resample (the same resamples for every parameter)."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(n, size=(resamples, n))
    counts = np.zeros((resamples + 1, n))
    counts[0] = 1.0
    for i, drawn in enumerate(draws, start=1):
        counts[i] = np.bincount(drawn, minlength=n)
    return counts


def _half_widths(resampled: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """95% half-widths from bootstrap estimates (one row per resample); unbounded when
    too many resamples leave no variance beyond the noise."""
    valid = variance > 0
    if valid.sum() < 2 or np.mean(~valid) > _UNBOUNDED:
        return np.full(resampled.shape[1], math.inf)
    return Z95 * resampled[valid].std(axis=0, ddof=1)


def _floor(noise: Indices, runs_per_point: int) -> float:
    """The noise floor: how far noise alone takes the dummy's index, at 95%.

    With the noise taken off (Sobol', two or more runs per point) the dummy's index is
    0 in expectation, so where its estimate falls is noise too: the floor is its
    interval's half-width. Otherwise noise gives the dummy an index of its own (the
    noise share; Morris' ``mu_star``): the floor is the top of its interval.
    """
    if isinstance(noise, SobolIndices):
        value, conf = noise.ST, noise.ST_conf
        if runs_per_point > 1 and not math.isnan(value):
            value = 0.0
    else:
        value, conf = noise.mu_star, noise.mu_star_conf
    if math.isnan(value) or math.isnan(conf):
        return math.nan
    return max(0.0, value + conf)


def _judged(rows: list[Any], stat: Callable[[Any], tuple[float, float]], runs_per_point: int) -> tuple[Any, ...]:
    """Rows marked distinguishable (the lower end of the interval above the noise
    floor), those first by the index, descending, then the rest, then NaN rows."""
    noise = next((row for row in rows if row.name == NOISE), None)
    floor = 0.0 if noise is None else _floor(noise, runs_per_point)
    marked = []
    for row in rows:
        value, conf = stat(row)
        above = row.name != NOISE and math.isfinite(value) and math.isfinite(conf) and value - conf > floor
        marked.append(dataclasses.replace(row, distinguishable=bool(above)))

    def order(item: tuple[int, Any]) -> tuple[int, float, int]:
        j, row = item
        value = stat(row)[0]
        if math.isnan(value):
            return (2, 0.0, j)
        return (0 if row.distinguishable else 1, -value, j)

    return tuple(row for _, row in sorted(enumerate(marked), key=order))


def _sobol_rows(rows: list[SobolIndices], runs_per_point: int) -> tuple[SobolIndices, ...]:
    return _judged(rows, lambda r: (r.ST, r.ST_conf), runs_per_point)


def _morris_rows(rows: list[MorrisIndices], runs_per_point: int) -> tuple[MorrisIndices, ...]:
    return _judged(rows, lambda r: (r.mu_star, r.mu_star_conf), runs_per_point)


def _segments(progress: Callable[[int, int], None] | None, count: int) -> Callable[[int], Callable[[int, int], None] | None]:
    """Progress of ensemble ``i`` of ``count`` as progress over all of them."""

    def segment(i: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(i * total + done, count * total)

    return segment


def _quantiles(method: str, parameter: ParameterModel, unit: np.ndarray) -> np.ndarray:
    return _morris_quantiles(parameter, unit) if method == "morris" else unit


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


def _stream_seed(seed: int, purpose: str) -> int:
    """The seed of an ensemble whose random numbers must not be those of the design's
    (``B``, the dummy's copies, the pilot)."""
    return stream_key("sensitivity", "streams", purpose, seed) % 2**63


def _varies(y: np.ndarray) -> bool:
    return bool(y.size > 1 and np.isfinite(y).all() and np.ptp(y) > 0.0)
