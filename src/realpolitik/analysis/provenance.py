"""Priors with provenance: how much of each answer's variance rests on judgement alone.

Every parameter says where its prior comes from (``basis``: ``data``, ``passage`` or
``judgement``; one that declares nothing counts as judgement). An answer varies
across the runs of an ensemble (a probability's per-run outcome is 0 or 1, a
quantity's is its value on the date); this module estimates, from the run's own
draws and outcomes and with no further runs, how much of that variance each
parameter explains on its own, and what share of the explained part belongs to
parameters that rest on judgement.

The estimator is the **correlation ratio** on equiprobable bins (first-order
sensitivity indices "from given data", Plischke 2010; Strong and Oakley's binned
estimator): each parameter's draws are cut into bins of equal count, and the index is
the variance of the answer's bin means over its total variance. Bins are noisy, so the
variance the bin means would show if the parameter did nothing is subtracted (the
adjusted correlation ratio, Kelley's epsilon squared):

    S_i = (SS_between - (B - 1) SS_within / (N - B)) / SS_total

which is 0 in expectation for a parameter nothing reads. Limits: the index is
first-order only: what a parameter does through its interactions with others (an
effect that shows only when another parameter is high) is attributed to no one, so
the indices sum to less than 1 and the share is the share of the *first-order*
explained variance; binning loses the variation of the answer within a bin (small
with 10 or more bins for a smooth effect); and the draws must be independent across
parameters (runs conditioned on news are resampled, which can correlate them: a
correlated pair would then each be credited with what they share). The last is
checked: where two parameters' bin ranks correlate beyond chance
(:func:`rank_correlation`, above :func:`correlation_limit`), the shares come from an
additive model of the answer on all the parameters at once (:func:`additive_fit`),
split by basis as each basis's covariance with the fit (:data:`GROUPED_METHOD`); only
where parameters of different bases correlate above :data:`CROSS_BASIS_LIMIT` is no
share given, and the reason says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from realpolitik.engine import Results
from realpolitik.scenario import Scenario

__all__ = [
    "METHOD",
    "GROUPED_METHOD",
    "MAX_BINS",
    "MIN_RUNS",
    "TOP_PARAMETERS",
    "NOTHING_EXPLAINS",
    "CONSTANT",
    "BEYOND",
    "ParameterBins",
    "ParameterIndex",
    "JudgementShare",
    "JudgementShares",
    "default_bins",
    "parameter_bins",
    "first_order_indices",
    "index_floor",
    "rank_correlation",
    "correlation_limit",
    "judgement_shares",
    "additive_fit",
]

#: How the indices are estimated, as the JSON says it.
METHOD = "first-order indices from the run's own draws (correlation ratio on equiprobable bins, bias under independence subtracted)"
#: How the shares of a run whose parameters' draws are correlated are estimated.
GROUPED_METHOD = (
    "an additive model of the answer on every parameter's bins (backfitting), its explained variance split by basis "
    "as each basis's covariance with the whole fit (correlated draws: what bases share is split between them), noise subtracted"
)
#: Bins per parameter in the additive model of correlated draws (fewer than the
#: indices': the model fits every parameter at once).
GROUPED_BINS = 8
#: Backfitting passes over the parameters.
BACKFIT_PASSES = 12
#: Effective runs needed per bin the additive model fits (fewer: no share).
EFFECTIVE_PER_DOF = 5
#: Above this rank correlation between parameters of different bases, no share is
#: given: what one explains cannot be told from what the other does.
CROSS_BASIS_LIMIT = 0.9
#: The most bins a parameter's draws are cut into (fewer for small ensembles: about
#: half the square root of the runs, so a bin holds at least about 2 sqrt(runs) runs).
MAX_BINS = 32
#: Fewer runs than this give no estimate.
MIN_RUNS = 20
#: How many parameters an answer lists, largest index first.
TOP_PARAMETERS = 5
#: The one-sided 95% point of the standard normal (the noise floor is a 95% bound).
_Z95_ONE_SIDED = 1.6448536269514722

#: The reasons an answer has no share.
NOTHING_EXPLAINS = "no parameter explains the answer's variance"
CONSTANT = "the answer is the same in every run"
BEYOND = "the date is beyond the run's horizon"


@dataclass(frozen=True)
class ParameterBins:
    """Each run's bin of each parameter, computed once for all the answers of a run.

    Attributes:
        names: the parameters, in the columns' order.
        codes: (parameters, runs): the bin of run ``i`` for parameter ``j``, offset
            by ``j * bins`` so that one ``bincount`` sums every parameter's bins.
        counts: (parameters, bins): runs per bin (0 for the bins ties left empty).
        bins: bins per parameter.
    """

    names: tuple[str, ...]
    codes: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)
    bins: int

    @property
    def runs(self) -> int:
        """How many runs were binned."""
        return int(self.codes.shape[1])

    @property
    def groups(self) -> np.ndarray:
        """Per parameter, how many bins hold runs (1 for a fixed parameter)."""
        return np.count_nonzero(self.counts, axis=1)


def default_bins(runs: int) -> int:
    """Bins per parameter for an ensemble of ``runs``: about half the square root of
    the runs, from 2 to :data:`MAX_BINS`.

    Example:
        >>> [default_bins(n) for n in (20, 2000, 10_000, 1_000_000)]
        [2, 22, 32, 32]
    """
    return int(min(MAX_BINS, max(2, math.isqrt(max(runs, 0)) // 2)))


def parameter_bins(draws: np.ndarray, names: tuple[str, ...] | None = None, bins: int | None = None) -> ParameterBins:
    """Cut each column of ``draws`` (runs, parameters) into equiprobable bins.

    Bin ``b`` starts at the value of rank ``ceil(b runs / bins)`` of the parameter's
    sorted draws, and a run goes to the last bin starting at or below its value: bins
    of equal count, and runs with the same value in the same bin (a categorical or
    fixed parameter has as many bins as it has values, or fewer).

    Example:
        >>> b = parameter_bins(np.array([[0.3, 1.0], [0.1, 1.0], [0.4, 2.0], [0.2, 2.0]]), bins=2)
        >>> b.codes.tolist(), b.counts.tolist()
        ([[1, 0, 1, 0], [2, 2, 3, 3]], [[2, 2], [2, 2]])
    """
    x = np.asarray(draws, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"draws must be (runs, parameters), got shape {x.shape}")
    n, k = x.shape
    b = default_bins(n) if bins is None else int(bins)
    if b < 1:
        raise ValueError(f"bins must be at least 1, got {b}")
    columns = np.ascontiguousarray(x.T)
    ordered = np.sort(columns, axis=1)
    starts = -(-np.arange(1, b, dtype=np.int64) * n // b)  # ceil(b n / bins): the first rank of each bin after the first
    codes = np.empty((k, n), dtype=np.int64)
    for j in range(k):
        edges = ordered[j, np.minimum(starts, n - 1)] if n else ordered[j, :0]
        codes[j] = np.searchsorted(edges, columns[j], side="right") + j * b
    counts = np.bincount(codes.ravel(), minlength=k * b).reshape(k, b)
    return ParameterBins(tuple(names) if names is not None else tuple(f"x{j}" for j in range(k)), codes, counts, b)


def first_order_indices(binned: ParameterBins, outcome: np.ndarray) -> np.ndarray:
    """Each parameter's first-order index for ``outcome`` (one value per run): the
    adjusted correlation ratio of the module's docstring, 0 in expectation for a
    parameter the outcome does not depend on (so it can come out slightly below 0).

    An outcome that does not vary has no variance to explain: every index is 0.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.random((4000, 2))
        >>> s = first_order_indices(parameter_bins(x), x[:, 0] + 0.1 * rng.standard_normal(4000))
        >>> [round(float(v), 2) for v in s]
        [0.9, 0.0]
    """
    y = np.asarray(outcome, dtype=np.float64)
    k, n = binned.codes.shape
    if y.shape != (n,):
        raise ValueError(f"the outcome has shape {y.shape}; the draws have {n} runs")
    centred = y - y.mean()
    total = float(centred @ centred)
    if k == 0 or not total > 0.0 or not math.isfinite(total):
        return np.zeros(k)
    sums = np.bincount(binned.codes.ravel(), weights=np.tile(centred, k), minlength=k * binned.bins).reshape(k, binned.bins)
    counts = binned.counts
    between = np.divide(sums * sums, counts, out=np.zeros_like(sums), where=counts > 0).sum(axis=1)
    groups = binned.groups
    within = np.maximum(total - between, 0.0) / np.maximum(n - groups, 1)
    return (between - (groups - 1) * within) / total  # type: ignore[no-any-return]


def rank_correlation(binned: ParameterBins) -> tuple[float, int, int]:
    """The largest absolute correlation between two parameters' bins (their ranks,
    coarsened), and the pair: ``(0.0, -1, -1)`` with fewer than two varying parameters.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.random((1000, 3))
        >>> r, i, j = rank_correlation(parameter_bins(np.column_stack([x, x[:, 0] + 0.1 * rng.random(1000)])))
        >>> round(r, 2), (i, j)
        (0.99, (0, 3))
    """
    return _largest_correlation(binned, np.arange(binned.codes.shape[0]))


def _largest_correlation(binned: ParameterBins, groups: np.ndarray) -> tuple[float, int, int]:
    """The largest absolute correlation between the bins of two varying parameters in
    different ``groups`` (one label per parameter; all distinct: any two parameters),
    and the pair; ``(0.0, -1, -1)`` with fewer than two varying parameters."""
    k = binned.codes.shape[0]
    ranks = (binned.codes - (np.arange(k, dtype=np.int64) * binned.bins)[:, None]).astype(np.float64)
    ranks -= ranks.mean(axis=1, keepdims=True)
    norms = np.sqrt(np.einsum("ij,ij->i", ranks, ranks))
    varying = np.flatnonzero(norms > 0)
    if len(varying) < 2:
        return 0.0, -1, -1
    unit = ranks[varying] / norms[varying, None]
    r = np.abs(unit @ unit.T)
    label = np.asarray(groups)[varying]
    r[label[:, None] == label[None, :]] = 0.0  # the diagonal, and pairs in one group
    a, b = np.unravel_index(int(np.argmax(r)), r.shape)
    return float(r[a, b]), int(varying[min(a, b)]), int(varying[max(a, b)])


def correlation_limit(runs: int) -> float:
    """The largest rank correlation between two parameters' draws that chance explains
    among independent draws of ``runs`` (about six standard errors, at least 0.3).

    Example:
        >>> correlation_limit(10_000), round(correlation_limit(100), 2)
        (0.3, 0.6)
    """
    return max(0.3, 6.0 / math.sqrt(max(runs, 1)))


def index_floor(groups: np.ndarray | int, runs: int) -> np.ndarray:
    """How high a parameter's index goes by chance alone, at 95%, when nothing reads it:
    ``(chi2_0.95(B - 1) - (B - 1)) / (N - 1)`` for ``B`` bins and ``N`` runs (the
    chi-square quantile by Wilson and Hilferty's approximation; 0 for one bin).

    Example:
        >>> round(float(index_floor(32, 10_000)), 4)
        0.0014
    """
    df = np.maximum(np.asarray(groups, dtype=np.float64) - 1, 0.0)
    safe = np.where(df > 0, df, 1.0)
    h = 2.0 / (9.0 * safe)
    quantile = safe * (1.0 - h + _Z95_ONE_SIDED * np.sqrt(h)) ** 3
    return np.where(df > 0, (quantile - df) / max(runs - 1, 1), 0.0)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ParameterIndex:
    """One parameter's first-order index for one answer, and its basis."""

    parameter: str
    index: float
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "index": round(self.index, 4), "basis": self.basis}


@dataclass(frozen=True)
class JudgementShare:
    """The share of one answer's variance (a question on its date or at a checkpoint)
    that rests on parameters whose basis is judgement.

    Attributes:
        question: the question's name.
        day: the day of the answer (its date or a checkpoint's).
        share: the judgement parameters' indices over all the parameters' (each
            basis's sum clipped at 0), in [0, 1]; None where there is nothing to
            share out (``reason`` says why).
        reason: why ``share`` is None, else None.
        explained: the sum of every parameter's first-order index (clipped at 0):
            how much of the answer's variance across runs the parameters explain one
            at a time; the rest is the run's own chance (events, choices, noise) and
            the parameters' interactions.
        by_basis: basis -> its parameters' indices summed (clipped at 0).
        top: the parameters with the largest indices above ``floor``, largest first.
        floor: the index a parameter nothing reads stays below in 95% of ensembles
            of this size (the largest over the parameters' bin counts).
        method: how the indices were estimated.
    """

    question: str
    day: int
    share: float | None
    reason: str | None
    explained: float
    by_basis: dict[str, float]
    top: tuple[ParameterIndex, ...]
    floor: float
    method: str = METHOD

    def to_dict(self) -> dict[str, Any]:
        """Plain data: what ``run --json`` puts under an answer's ``judgement_share``."""
        return {
            "share": None if self.share is None else round(self.share, 4),
            "reason": self.reason,
            "explained": round(self.explained, 4),
            "by_basis": {k: round(v, 4) for k, v in self.by_basis.items()},
            "top": [p.to_dict() for p in self.top],
            "floor": round(self.floor, 4),
            "method": self.method,
        }


@dataclass(frozen=True)
class JudgementShares:
    """Every answer's judgement share for one run.

    Attributes:
        runs: the runs the indices rest on.
        bins: bins per parameter.
        bases: parameter -> its basis.
        correlation: the largest rank correlation between two parameters' draws
            (above :func:`correlation_limit` no share is given).
        dependent: why no answer has a share when the draws are correlated, else None.
        answers: one per question and checkpoint, in the run's order (a question's
            date first, then its checkpoints).
    """

    runs: int
    bins: int
    bases: dict[str, str]
    answers: tuple[JudgementShare, ...]
    correlation: float = 0.0
    dependent: str | None = None

    def get(self, question: str, day: int | None = None) -> JudgementShare:
        """The share of a question's answer on ``day`` (default: its own date, the
        first listed)."""
        for s in self.answers:
            if s.question == question and (day is None or s.day == day):
                return s
        raise KeyError(f"no judgement share for question {question!r}" + ("" if day is None else f" on day {day}"))

    def annotated(self, results: dict[str, Any]) -> dict[str, Any]:
        """A run's ``Results.to_dict()`` with each answer's and each checkpoint's
        ``judgement_share`` (what ``realpolitik run --json`` prints)."""
        shares = {(s.question, s.day): s.to_dict() for s in self.answers}
        answers = []
        for a in results["answers"]:
            checkpoints = [dict(c, judgement_share=shares.get((a["id"], c["day"]))) for c in a.get("checkpoints", [])]
            answers.append(dict(a, checkpoints=checkpoints, judgement_share=shares.get((a["id"], a["day"]))))
        return dict(results, answers=answers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "bins": self.bins,
            "bases": dict(self.bases),
            "correlation": round(self.correlation, 4),
            "dependent": self.dependent,
            "answers": [dict(question=s.question, day=s.day, **s.to_dict()) for s in self.answers],
        }


def judgement_shares(scenario: Scenario, results: Results, *, bins: int | None = None, top: int = TOP_PARAMETERS) -> JudgementShares:
    """The share of each answer's variance across the runs that rests on judgement.

    Reads the run's own per-run parameter draws and outcomes (no further runs): the
    parameters are binned once, then each answer (a question on its date, and at each
    checkpoint) costs one ``bincount`` over runs x parameters. Deterministic: the same
    runs give the same numbers, whatever the batch size they were run in.

    Args:
        scenario: the scenario that was run (its parameters' bases).
        results: its run.
        bins: bins per parameter (default: about half the square root of the runs,
            at most :data:`MAX_BINS`).
        top: how many parameters each answer lists.

    Example:
        >>> from realpolitik import load
        >>> scenario = load("default")
        >>> shares = judgement_shares(scenario, scenario.run(runs=400, seed=1, horizon=30))
        >>> all(s.share is None or 0.0 <= s.share <= 1.0 for s in shares.answers)
        True
    """
    bases = {p.name: p.basis for p in scenario.model.parameters}
    names = tuple(n for n in results.parameters if n in bases)
    runs = results.info.runs
    draws = np.column_stack([results.parameters[n] for n in names]) if names else np.empty((runs, 0))
    binned = parameter_bins(draws, names, bins)
    floors = index_floor(binned.groups, runs)
    correlation, i, j = rank_correlation(binned)
    dependent = None
    grouped: ParameterBins | None = None
    if correlation > correlation_limit(runs):
        cross, ci, cj = _largest_correlation(binned, np.array([bases[n] for n in names]))
        if cross > CROSS_BASIS_LIMIT:
            why = "the runs were conditioned on observations, which correlates them; " if results.conditioning is not None else ""
            dependent = (
                f"the parameters' draws are correlated across bases ({names[ci]} and {names[cj]}: rank correlation {cross:.2f}; {why}"
                "what one explains cannot be told from what the other does): run from the scenario's start (--as-of start) for the shares"
            )
        else:
            grouped = parameter_bins(draws, names, min(binned.bins, GROUPED_BINS))
            dof = int(np.maximum(grouped.groups - 1, 0).sum())
            effective = results.effective_runs or float(runs)
            if effective < EFFECTIVE_PER_DOF * dof:
                grouped = None
                dependent = (
                    f"the runs were conditioned on observations and rest on about {effective:,.0f} effective runs (the filter's "
                    f"smallest effective sample), too few for a model of {len(names)} parameters ({dof} bins to fit; "
                    f"{EFFECTIVE_PER_DOF} effective runs a bin needed): run from the scenario's start (--as-of start) for the "
                    "shares of its priors, or give more --runs"
                )
    out = []
    for a in results.answers:
        dates = [(a.day, results.outcomes.get(a.question))]
        dates += [(c.day, results.checkpoint_outcomes.get(a.question, {}).get(c.day)) for c in a.checkpoints]
        for day, outcome in dates:
            out.append(_share(a.question, day, outcome, binned, floors, bases, top, dependent, grouped))
    return JudgementShares(runs, binned.bins, {n: bases[n] for n in names}, tuple(out), correlation, dependent)


def _share(
    question: str,
    day: int,
    outcome: np.ndarray | None,
    binned: ParameterBins,
    floors: np.ndarray,
    bases: dict[str, str],
    top: int,
    dependent: str | None = None,
    grouped: ParameterBins | None = None,
) -> JudgementShare:
    """One answer's share (see :class:`JudgementShare`); ``dependent``: why the
    parameters' draws are too correlated for one; ``grouped``: the coarser bins of an
    additive model, for draws correlated within what a basis can share out."""
    floor = float(floors.max()) if len(floors) else 0.0

    def none(reason: str, explained: float = 0.0, by_basis: dict[str, float] | None = None) -> JudgementShare:
        return JudgementShare(question, day, None, reason, explained, by_basis or {}, (), floor)

    if outcome is None or not np.all(np.isfinite(outcome)):
        return none(BEYOND)
    if binned.runs < MIN_RUNS:
        return none(f"too few runs ({binned.runs}) to estimate it (at least {MIN_RUNS})")
    if not np.ptp(outcome) > 0:
        return none(CONSTANT)
    if dependent is not None:
        return none(dependent)
    kinds = [bases[n] for n in binned.names]
    if grouped is not None:
        return _grouped_share(question, day, outcome, grouped, kinds)
    index = first_order_indices(binned, outcome)
    by_basis = {b: max(0.0, float(sum(index[j] for j, k in enumerate(kinds) if k == b))) for b in ("data", "passage", "judgement")}
    explained = sum(by_basis.values())
    # the sum's own noise: independent indices, each with variance about 2 (B - 1) / N^2
    noise = _Z95_ONE_SIDED * math.sqrt(float(np.sum(2.0 * np.maximum(binned.groups - 1, 0)))) / max(binned.runs - 1, 1)
    if not explained > noise:
        return none(NOTHING_EXPLAINS, explained, by_basis)
    varying = binned.groups > 1  # a fixed parameter explains nothing, whatever rounding leaves of its index
    ranked = sorted((j for j in range(len(index)) if varying[j] and index[j] > floors[j]), key=lambda j: (-index[j], j))[:top]
    shown = tuple(ParameterIndex(binned.names[j], float(index[j]), kinds[j]) for j in ranked)
    return JudgementShare(question, day, by_basis["judgement"] / explained, None, explained, by_basis, shown, floor)


def additive_fit(binned: ParameterBins, outcome: np.ndarray, passes: int = BACKFIT_PASSES) -> np.ndarray:
    """Each parameter's component (parameters, runs) of an additive model of the
    centred ``outcome`` on the parameters' bins, by backfitting: every pass refits
    each parameter's bin means to what the others leave. Correlated draws are fitted
    jointly, so a parameter is not credited with what another one explains.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.random((4000, 2))
        >>> x[:, 1] = 0.7 * x[:, 0] + 0.3 * rng.random(4000)   # correlated with x0, read by nothing
        >>> f = additive_fit(parameter_bins(x, bins=8), x[:, 0])
        >>> y, fit = x[:, 0] - x[:, 0].mean(), f.sum(axis=0)
        >>> [round(float(part @ fit / (y @ y)), 2) for part in (fit, f[0], f[1])]   # x1 only fills in x0's bins
        [0.99, 0.92, 0.07]
    """
    y = np.asarray(outcome, dtype=np.float64)
    k, n = binned.codes.shape
    b = binned.bins
    local = binned.codes - (np.arange(k, dtype=np.int64) * b)[:, None]
    safe = np.maximum(binned.counts, 1)
    parts = np.zeros((k, n))
    residual = y - y.mean()
    for _ in range(passes):
        for j in range(k):
            residual += parts[j]
            means = np.bincount(local[j], weights=residual, minlength=b) / safe[j]
            fitted = means[local[j]]
            fitted -= fitted.mean()
            parts[j] = fitted
            residual -= fitted
    return parts


def _grouped_share(question: str, day: int, outcome: np.ndarray, binned: ParameterBins, kinds: list[str]) -> JudgementShare:
    """The share by basis from an additive model (:func:`additive_fit`), for draws
    correlated within what a basis can share out: each basis's contribution is its
    components' covariance with the whole fit over the answer's variance (so the
    contributions sum to the fit's explained share), less what noise alone would fit
    with as many bins (the adjusted R squared's correction, by degrees of freedom)."""
    y = np.asarray(outcome, dtype=np.float64)
    parts = additive_fit(binned, y)
    centred = y - y.mean()
    total = float(centred @ centred)
    fit = parts.sum(axis=0)
    residual = float((centred - fit) @ (centred - fit))
    n = binned.runs
    dof = np.maximum(binned.groups - 1, 0).astype(np.float64)
    noise_per_dof = residual / max(n - 1 - float(dof.sum()), 1.0) / total
    by_basis: dict[str, float] = {}
    for basis in ("data", "passage", "judgement"):
        members = [j for j, kind in enumerate(kinds) if kind == basis]
        if not members:
            by_basis[basis] = 0.0
            continue
        part = parts[members].sum(axis=0)
        by_basis[basis] = max(0.0, float(part @ fit) / total - float(dof[members].sum()) * noise_per_dof)
    explained = sum(by_basis.values())
    noise = _Z95_ONE_SIDED * math.sqrt(2.0 * float(dof.sum())) / max(n - 1, 1)
    if not explained > noise:
        return JudgementShare(question, day, None, NOTHING_EXPLAINS, explained, by_basis, (), noise, GROUPED_METHOD)
    return JudgementShare(question, day, by_basis["judgement"] / explained, None, explained, by_basis, (), noise, GROUPED_METHOD)
