"""Fit one parameter of a scenario so that its wars last as a reference class lasted.

A duration reference class (``realpolitik.validation.reference``) says how long wars
like the modelled one lasted; the scenario's own ending (a ceasefire hazard, say)
depends on a parameter that no file measures directly. This module gives that
parameter a prior from the class: for each value on a grid, it runs the scenario from
its start with the parameter fixed there and every other parameter drawn from its
prior, reads off the model's distribution of the day the war ended (a condition first
held), and scores the class's episodes against it.

The likelihood is the class's episodes coarsened to a few bins of days: an episode
that ended between two bin edges has probability ``(S(lo) - S(hi)) / S(t0)`` under the
model's survival ``S`` (the share of runs in which the condition has not yet held),
``t0`` the truncation (both the class and the model conditioned on lasting more than
``t0`` days, as the war had on the day the fit is used). An episode longer than the
scenario's horizon, or still going when its data stop, counts as ``S(edge) / S(t0)``
from the last edge it surely passed. Coarsening keeps Monte Carlo noise small: each
bin holds hundreds of runs, where single days would hold a dozen.

The grid is the midpoints of equal cells of a stated support (the range judgement
allows the parameter), so the prior is flat on it and the posterior on the grid is
proportional to the likelihood. The scenario's own prior for the parameter plays no
part (the parameter is set per run), so writing the fitted prior into the scenario
and fitting again gives the same result. Every grid point runs the same seed (common
random numbers), so the likelihood's differences between points are not noise of
the draws.

The episodes are treated as independent draws from the model's marginal distribution
of war length (the other parameters integrated over their priors): a reference class
read as a sample of wars like this one, not as one war seen many times.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from realpolitik.engine import run
from realpolitik.errors import DataError, Problem
from realpolitik.scenario import Prior, Question, Scenario
from realpolitik.validation.aims_reference import REGIME_FALL_CLASSES, regime_fall_classes
from realpolitik.validation.reference import ReferenceClass, duration_classes, file_facts

__all__ = ["GridPosterior", "JointFit", "ParameterFit", "fit_parameters_to_durations", "bin_edges", "coarsen", "fit_parameter_to_durations", "flat_grid", "normalised", "truncated_normal_matching", "model_survival", "parameter_fit_document", "render_fit_text", "survival_log_likelihood"]

#: the bin edges in days (after the truncation, up to the horizon) the episodes are coarsened to
DEFAULT_EDGES = (14, 30, 60, 90, 120, 150)
#: the probability floor of a bin, in runs: a bin no run reached is not impossible
FLOOR_RUNS = 0.5


@dataclass(frozen=True)
class GridPosterior:
    """A parameter's posterior on a grid of equal cells over a flat prior's support.

    Attributes:
        parameter: the parameter fitted.
        support: the range the flat prior covers; ``grid`` the midpoints of its cells.
        log_likelihood: per grid value, the data's log-likelihood under the model.
        posterior: per grid value, its posterior mass.
        runs: runs per grid value; ``seed`` the seed every grid value runs.
    """

    parameter: str
    support: tuple[float, float]
    grid: tuple[float, ...]
    log_likelihood: tuple[float, ...]
    posterior: tuple[float, ...]
    runs: int
    seed: int

    @property
    def mean(self) -> float:
        """The posterior mean."""
        return float(np.dot(self.grid, self.posterior))

    @property
    def sd(self) -> float:
        """The posterior standard deviation (each grid value's mass spread evenly over its cell)."""
        g = np.asarray(self.grid)
        width = (self.support[1] - self.support[0]) / len(self.grid)
        return float(math.sqrt(max(np.dot((g - self.mean) ** 2, self.posterior), 0.0) + width**2 / 12))

    def quantile(self, q: float) -> float:
        """A posterior quantile, interpolated between grid values."""
        cum = np.concatenate([[0.0], np.cumsum(self.posterior)])
        cum[-1] = 1.0
        edges = np.linspace(self.support[0], self.support[1], len(self.grid) + 1)
        return float(np.interp(q, cum, edges))

    @property
    def best(self) -> float:
        """The grid value of largest likelihood."""
        return self.grid[int(np.argmax(self.log_likelihood))]

    def prior(self) -> Prior:
        """The posterior as a prior for the scenario: a normal cut to the support whose
        mean and sd, once cut, are the posterior's (a summary: the grid itself is in
        ``to_dict``)."""
        loc, scale = truncated_normal_matching(self.mean, self.sd, self.support)
        return Prior(dist="normal", mean=round(loc, 4), sd=round(max(scale, 1e-4), 4), low=self.support[0], high=self.support[1])

    def summary(self) -> dict[str, float]:
        """The posterior's mean, sd, 5/50/95% quantiles and best grid value, rounded."""
        return {
            "mean": round(self.mean, 4),
            "sd": round(self.sd, 4),
            "q05": round(self.quantile(0.05), 4),
            "q50": round(self.quantile(0.5), 4),
            "q95": round(self.quantile(0.95), 4),
            "best": round(self.best, 4),
        }


def truncated_normal_matching(mean: float, sd: float, support: tuple[float, float]) -> tuple[float, float]:
    """The location and scale of a normal that, cut to ``support``, has this mean and
    sd (a posterior piled against one end of its support is not a normal centred on
    its mean: cutting such a normal shifts the mean inward). Falls back to ``(mean,
    sd)`` when no such normal exists (a mean and sd no cut normal reaches, as for a
    spread wider than the support's uniform).

    Example:
        >>> loc, scale = truncated_normal_matching(0.5, 0.1, (0.0, 1.0))
        >>> round(loc, 3), round(scale, 3)
        (0.5, 0.1)
        >>> loc, scale = truncated_normal_matching(0.8, 0.6, (0.0, 10.0))
        >>> loc < 0.8 and scale > 0.6
        True
    """
    from scipy import optimize, stats

    low, high = support

    def moments(x: np.ndarray) -> np.ndarray:
        loc, scale = x[0], math.exp(x[1])
        a, b = (low - loc) / scale, (high - loc) / scale
        m, v = stats.truncnorm.stats(a, b, loc=loc, scale=scale, moments="mv")
        return np.array([(float(m) - mean) / sd, (math.sqrt(max(float(v), 0.0)) - sd) / sd])

    try:
        width = high - low
        fit = optimize.least_squares(moments, x0=[mean, math.log(sd)], bounds=([low - 10 * width, math.log(sd) - 5], [high + 10 * width, math.log(10 * width)]))
    except (ValueError, FloatingPointError):
        return mean, sd
    if not fit.success or np.max(np.abs(fit.fun)) > 1e-3:
        return mean, sd
    return float(fit.x[0]), float(math.exp(fit.x[1]))


def flat_grid(support: tuple[float, float], points: int) -> np.ndarray:
    """The midpoints of ``points`` equal cells of ``support``.

    Raises:
        ValueError: fewer than 2 points, or not a finite low < high.

    Example:
        >>> flat_grid((0.0, 1.0), 4).tolist()
        [0.125, 0.375, 0.625, 0.875]
    """
    if points < 2:
        raise ValueError("a fit needs at least 2 grid values")
    low, high = (float(x) for x in support)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"the support needs finite low < high, got {tuple(support)}")
    return low + (high - low) * (np.arange(points) + 0.5) / points


def normalised(log_likelihood: Sequence[float]) -> np.ndarray:
    """Posterior masses on a grid from its log-likelihoods (a flat prior).

    Example:
        >>> normalised([0.0, math.log(3.0)]).tolist()
        [0.25, 0.75]
    """
    ll = np.asarray(log_likelihood, dtype=np.float64)
    weights = np.exp(ll - ll.max())
    return weights / weights.sum()


@dataclass(frozen=True)
class ParameterFit(GridPosterior):
    """A parameter's posterior on a grid, given a reference class of durations.

    Attributes (beyond :class:`GridPosterior`'s):
        condition: the condition whose first day ends a war in the model.
        reference: the class's name; ``rule`` its selection in words.
        truncation: class and model both conditioned on lasting more than this many days.
        edges: the bin edges (days); the last is the horizon.
        observed: episodes per bin, then beyond the last edge (the last entry).
        ended: per grid value, the model's share of wars ended by each edge (given
            they lasted more than ``truncation`` days).
        class_ended: the class's share ended by each edge (Kaplan–Meier on the bins).
    """

    condition: str = ""
    reference: str = ""
    rule: str = ""
    truncation: int = 0
    edges: tuple[int, ...] = ()
    observed: tuple[int, ...] = ()
    ended: tuple[tuple[float, ...], ...] = ()
    class_ended: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "condition": self.condition,
            "reference": self.reference,
            "rule": self.rule,
            "truncation_days": self.truncation,
            "edges_days": list(self.edges),
            "observed_per_bin": list(self.observed),
            "support": list(self.support),
            "runs_per_value": self.runs,
            "seed": self.seed,
            "posterior": self.summary(),
            "prior": self.prior().model_dump(exclude_none=True),
            "class_ended_by_edge": [round(x, 4) for x in self.class_ended],
            "grid": [
                {"value": round(g, 6), "log_likelihood": round(ll, 4), "posterior": round(p, 6), "ended_by_edge": [round(x, 4) for x in e]}
                for g, ll, p, e in zip(self.grid, self.log_likelihood, self.posterior, self.ended, strict=True)
            ],
        }


def bin_edges(truncation: int, horizon: int, edges: Sequence[int] = DEFAULT_EDGES) -> tuple[int, ...]:
    """The bin edges after ``truncation`` and up to ``horizon`` (always the last edge).

    Example:
        >>> bin_edges(8, 100)
        (8, 14, 30, 60, 90, 100)
    """
    inner = sorted({int(e) for e in edges if truncation < e < horizon})
    return (int(truncation), *inner, int(horizon))


def coarsen(reference: ReferenceClass, edges: Sequence[int]) -> tuple[np.ndarray, int]:
    """The episodes that surely lasted more than ``edges[0]`` days, as index pairs
    ``(i, j)``: the episode ended after edge ``i`` and by edge ``j``, ``j == len(edges)``
    when it may have lasted beyond the last edge. Also how many were left out (not
    surely longer than the truncation).

    Example:
        >>> from realpolitik.validation.reference import Duration
        >>> c = ReferenceClass("x", "", "", (Duration("a", 20, 20), Duration("b", 5, 5), Duration("c", 400, None)))
        >>> pairs, left = coarsen(c, (8, 14, 30, 190))
        >>> pairs.tolist(), left
        ([[1, 2], [3, 4]], 1)
    """
    rows = []
    left = 0
    for d in reference.durations:
        a, b = d.bounds
        if a < edges[0]:
            left += 1
            continue
        i = int(np.searchsorted(edges, a, side="right")) - 1
        j = len(edges) if b > edges[-1] else int(np.searchsorted(edges, b, side="left"))
        rows.append((i, j))
    return np.array(rows, dtype=np.int64).reshape(-1, 2), left


def survival_log_likelihood(survival: np.ndarray, pairs: np.ndarray, floor: float) -> float:
    """The log-likelihood of coarsened episodes under a survival curve at the edges.

    ``survival[k]`` is the share not yet ended at edge ``k`` (``survival[0]`` at the
    truncation); an episode ``(i, j)`` has probability ``(S[i] - S[j]) / S[0]``, with
    ``S[len(edges)] = 0``. Each probability is at least ``floor``.

    Example:
        >>> round(survival_log_likelihood(np.array([1.0, 0.5]), np.array([[0, 1], [1, 2]]), 1e-9), 4)
        -1.3863
    """
    s = np.append(np.asarray(survival, dtype=np.float64), 0.0)
    p = (s[pairs[:, 0]] - s[pairs[:, 1]]) / s[0]
    return float(np.log(np.maximum(p, floor)).sum())


def fit_parameter_to_durations(
    scenario: Scenario,
    parameter: str,
    reference: ReferenceClass,
    condition: str,
    *,
    support: tuple[float, float],
    truncation: int = 0,
    points: int = 25,
    runs: int = 4000,
    seed: int = 0,
    edges: Sequence[int] = DEFAULT_EDGES,
    progress: Callable[[int, int], None] | None = None,
) -> ParameterFit:
    """The posterior of ``parameter`` on a grid over ``support`` (a flat prior), given
    that wars in the model end on the first day ``condition`` holds and that they last
    as the episodes of ``reference`` did.

    Args:
        scenario: run from its start, for its horizon.
        parameter: a parameter of the scenario.
        reference: the durations (days, first to last day inclusive).
        condition: a condition in the scenario's language (e.g. ``ceasefire``).
        support: the range (low, high) of the parameter's flat prior.
        truncation: condition class and model on lasting more than this many days.
        points: grid values; runs: runs per value; seed: the seed of every value.
        edges: bin edges (days) to coarsen the episodes to.
        progress: called with (values done, values) after each grid value.

    Raises:
        ScenarioError: the scenario has no such parameter, or the condition does not
            compile in it.
        ValueError: no episode of the class lasted more than ``truncation`` days, a
            truncation outside the horizon, ``points``/``runs`` below 2, or an empty
            support.
    """
    joint = fit_parameters_to_durations(
        scenario, (parameter,), reference, condition,
        supports=(support,), truncation=truncation, points=points, runs=runs, seed=seed, edges=edges, progress=progress,
    )  # fmt: skip
    return ParameterFit(
        parameter=parameter,
        support=joint.supports[0],
        grid=joint.axes[0],
        log_likelihood=joint.log_likelihood,
        posterior=joint.posterior,
        runs=runs,
        seed=seed,
        condition=joint.condition,
        reference=joint.reference,
        rule=joint.rule,
        truncation=joint.truncation,
        edges=joint.edges,
        observed=joint.observed,
        ended=joint.ended,
        class_ended=joint.class_ended,
    )


@dataclass(frozen=True)
class JointFit:
    """Several parameters' joint posterior on the product of their grids (flat priors),
    given a reference class of durations: for parameters that act together on the
    same ending, so that each one's fit does not rest on the other's prior.

    Attributes:
        parameters: the parameters fitted; ``supports`` their ranges; ``axes`` each
            one's grid (the midpoints of equal cells).
        values: every point of the product grid (the first parameter outermost).
        log_likelihood, posterior, ended: per point, as :class:`ParameterFit`'s.
        The rest as :class:`ParameterFit`'s.
    """

    parameters: tuple[str, ...]
    supports: tuple[tuple[float, float], ...]
    axes: tuple[tuple[float, ...], ...]
    values: tuple[tuple[float, ...], ...]
    log_likelihood: tuple[float, ...]
    posterior: tuple[float, ...]
    ended: tuple[tuple[float, ...], ...]
    condition: str
    reference: str
    rule: str
    truncation: int
    edges: tuple[int, ...]
    observed: tuple[int, ...]
    class_ended: tuple[float, ...]
    runs: int
    seed: int

    def marginal(self, parameter: str) -> GridPosterior:
        """One parameter's marginal posterior (its log-likelihood: the log of the
        likelihood summed over the other parameters' grids, a flat prior)."""
        i = self.parameters.index(parameter)
        shape = tuple(len(a) for a in self.axes)
        ll = np.asarray(self.log_likelihood).reshape(shape)
        others = tuple(k for k in range(len(shape)) if k != i)
        top = ll.max()
        summed = np.log(np.exp(ll - top).sum(axis=others)) + top
        return GridPosterior(parameter, self.supports[i], self.axes[i], tuple(float(x) for x in summed), tuple(float(x) for x in normalised(summed)), self.runs, self.seed)

    def correlation(self) -> float:
        """The posterior correlation of the first two parameters (0 for one)."""
        if len(self.parameters) < 2:
            return 0.0
        v = np.asarray(self.values)[:, :2]
        w = np.asarray(self.posterior)
        mean = w @ v
        cov = ((v - mean).T * w) @ (v - mean)
        denominator = math.sqrt(cov[0, 0] * cov[1, 1])
        return float(cov[0, 1] / denominator) if denominator > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameters": list(self.parameters),
            "condition": self.condition,
            "reference": self.reference,
            "rule": self.rule,
            "truncation_days": self.truncation,
            "edges_days": list(self.edges),
            "observed_per_bin": list(self.observed),
            "supports": [list(x) for x in self.supports],
            "points_per_parameter": [len(a) for a in self.axes],
            "runs_per_value": self.runs,
            "seed": self.seed,
            "marginals": {p: {"posterior": m.summary(), "prior": m.prior().model_dump(exclude_none=True)} for p in self.parameters for m in (self.marginal(p),)},
            "posterior_correlation": round(self.correlation(), 4),
            "class_ended_by_edge": [round(x, 4) for x in self.class_ended],
            "grid": [
                {"values": [round(x, 6) for x in v], "log_likelihood": round(ll, 4), "posterior": round(p, 6), "ended_by_edge": [round(x, 4) for x in e]}
                for v, ll, p, e in zip(self.values, self.log_likelihood, self.posterior, self.ended, strict=True)
            ],
        }


def fit_parameters_to_durations(
    scenario: Scenario,
    parameters: Sequence[str],
    reference: ReferenceClass,
    condition: str,
    *,
    supports: Sequence[tuple[float, float]],
    truncation: int = 0,
    points: int = 12,
    runs: int = 4000,
    seed: int = 0,
    edges: Sequence[int] = DEFAULT_EDGES,
    progress: Callable[[int, int], None] | None = None,
) -> JointFit:
    """The joint posterior of ``parameters`` on the product of grids of ``points``
    values over each one's support (flat priors), as :func:`fit_parameter_to_durations`
    for one. Each point runs the same seed.

    Raises:
        ScenarioError: as :func:`fit_parameter_to_durations`.
        ValueError: as :func:`fit_parameter_to_durations`; no parameter, a parameter
            named twice, or not one support per parameter.
    """
    if not parameters or len(set(parameters)) != len(parameters):
        raise ValueError("a joint fit needs one or more distinct parameters")
    if len(supports) != len(parameters):
        raise ValueError(f"a joint fit needs one support per parameter ({len(parameters)} parameters, {len(supports)} supports)")
    axes = [flat_grid(support, points) for support in supports]
    if runs < 2:
        raise ValueError("a fit needs at least 2 runs per grid value")
    horizon = scenario.spec.clock.horizon_days
    if not 0 <= truncation < horizon:
        raise ValueError(f"the truncation ({truncation} days) must lie in [0, the scenario's horizon of {horizon} days)")
    cuts = bin_edges(truncation, horizon, edges)
    asked = _asked(scenario, condition, cuts, f"<fit of {', '.join(parameters)} to {reference.name}>")
    pairs, _left = coarsen(reference, cuts)
    if len(pairs) == 0:
        raise ValueError(f"no episode of {reference.name} surely lasted more than {truncation} days")
    points_grid = list(itertools.product(*axes))
    lls: list[float] = []
    ended: list[tuple[float, ...]] = []
    for k, values in enumerate(points_grid):
        survival = _survival(asked, dict(zip(parameters, (float(v) for v in values), strict=True)), cuts, runs, seed)
        lls.append(survival_log_likelihood(survival, pairs, FLOOR_RUNS / runs))
        ended.append(tuple(float(1.0 - x / max(survival[0], FLOOR_RUNS / runs)) for x in survival))
        if progress is not None:
            progress(k + 1, len(points_grid))
    return JointFit(
        parameters=tuple(parameters),
        supports=tuple((float(a), float(b)) for a, b in supports),
        axes=tuple(tuple(float(x) for x in a) for a in axes),
        values=tuple(tuple(float(x) for x in v) for v in points_grid),
        log_likelihood=tuple(float(x) for x in lls),
        posterior=tuple(float(x) for x in normalised(lls)),
        ended=tuple(ended),
        condition=condition,
        reference=reference.name,
        rule=reference.rule,
        truncation=int(truncation),
        edges=cuts,
        observed=tuple(int(x) for x in np.bincount(np.minimum(pairs[:, 1], len(cuts)), minlength=len(cuts) + 1)[1:]),
        class_ended=_kaplan_meier(pairs, len(cuts)),
        runs=runs,
        seed=seed,
    )


def model_survival(scenario: Scenario, values: Mapping[str, float], condition: str, edges: Sequence[int], *, runs: int, seed: int) -> np.ndarray:
    """The share of the scenario's runs in which ``condition`` has not yet held by each
    of ``edges`` (days), with each parameter of ``values`` fixed: what a fit scores each
    grid point by (:func:`fit_parameter_to_durations`, same runs and seed).

    Raises:
        ScenarioError: no such parameter, or a condition or edge the scenario refuses.
    """
    return _survival(_asked(scenario, condition, tuple(edges), f"<survival of {condition}>"), values, tuple(edges), runs, seed)


def _asked(scenario: Scenario, condition: str, cuts: Sequence[int], origin: str) -> Scenario:
    question = Question(kind="first_passage", text=f"the war ended ({condition})", condition=condition, checkpoints=list(cuts))
    return scenario.with_questions({"duration_fit_ended": question}, origin=origin)


def _survival(asked: Scenario, values: Mapping[str, float], cuts: Sequence[int], runs: int, seed: int) -> np.ndarray:
    results = run(asked, runs=runs, seed=seed, parameters={name: np.full(runs, float(value)) for name, value in values.items()})
    by = results.checkpoint_outcomes["duration_fit_ended"]
    return np.array([1.0 - float(np.mean(by[c])) for c in cuts])


def _kaplan_meier(pairs: np.ndarray, edges: int) -> tuple[float, ...]:
    """The class's share ended by each edge: Kaplan–Meier on the bins, an episode
    known only to have ended between two edges counted at the later one, one that
    may have gone on beyond the last edge censored at the edge it surely passed."""
    surviving = 1.0
    out = [0.0]
    ended, beyond = pairs[:, 1] < edges, pairs[:, 1] == edges
    for k in range(1, edges):
        at_risk = int(np.sum(ended & (pairs[:, 1] >= k)) + np.sum(beyond & (pairs[:, 0] >= k - 1)))
        events = int(np.sum(pairs[:, 1] == k))
        if at_risk > 0:
            surviving *= 1.0 - events / at_risk
        out.append(1.0 - surviving)
    return tuple(out)


def parameter_fit_document(
    scenario: Scenario,
    conflict: str | Path,
    reference: str,
    parameters: Sequence[str],
    condition: str,
    *,
    supports: Sequence[tuple[float, float]],
    truncation: int,
    points: int,
    runs: int,
    seed: int,
    command: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The fit of ``parameters`` to the conflict folder's class ``reference`` as the
    JSON document ``benchmarks/results/reference-<parameter>.json`` holds: the command,
    the scenario's hash, every data file's sha256, and the fit (one parameter: a
    :class:`ParameterFit`; several: a :class:`JointFit` on the product of their grids).

    Raises:
        DataError: a data file cannot be read, or no class has that name.
        ScenarioError, ValueError: as :func:`fit_parameters_to_durations`.
    """
    conflict = Path(conflict)
    classes = regime_fall_classes(conflict) if reference in REGIME_FALL_CLASSES else duration_classes(conflict)
    if reference not in classes:
        raise DataError(Problem(f"no reference class {reference!r} (classes: {', '.join([*classes, *REGIME_FALL_CLASSES])})", str(conflict)))
    options: dict[str, Any] = {"truncation": truncation, "points": points, "runs": runs, "seed": seed, "progress": progress}
    if len(parameters) == 1 and len(supports) == 1:
        fit: ParameterFit | JointFit = fit_parameter_to_durations(scenario, parameters[0], classes[reference], condition, support=supports[0], **options)
    else:
        fit = fit_parameters_to_durations(scenario, parameters, classes[reference], condition, supports=supports, **options)
    files = ("gml_mid_disps.csv", "gml_part.csv", "gml_dirdisp.csv", "cow_mid_disps.csv", "cow_mid_dirdisps.csv", "cow_war_inter.csv", "ucdp_acd.csv")
    return {
        "what": f"{' and '.join(parameters)} fitted so that the scenario's wars (ended: {condition}) last as the class {reference} lasted",
        "command": command,
        "scenario": {"name": scenario.name, "sha256": scenario.sha256},
        "data": {name: file_facts(conflict / name) for name in files},
        "results": fit.to_dict(),
    }


def render_fit_text(doc: dict[str, Any]) -> str:
    """The fit in a few lines: posterior (each parameter's marginal, for a joint fit),
    and the model's share of wars ended by each edge at the best point against the
    class's."""
    r = doc["results"]
    best = max(r["grid"], key=lambda g: g["log_likelihood"])
    names = r.get("parameters", [r.get("parameter")])
    summaries = {name: (m["posterior"], m["prior"]) for name, m in r["marginals"].items()} if "marginals" in r else {r["parameter"]: (r["posterior"], r["prior"])}
    at = ", ".join(f"{x:.3g}" for x in best.get("values", [best.get("value")]))
    lines = [f"{' and '.join(names)} fitted to {r['reference']} (lasted > {r['truncation_days']} days; {sum(r['observed_per_bin'])} episodes), {r['runs_per_value']} runs per value, seed {r['seed']}"]
    for name, (post, prior) in summaries.items():
        lines.append(f"{name}: posterior mean {post['mean']}, sd {post['sd']}, 90% [{post['q05']}, {post['q95']}]; prior to write: {prior}")
    if "posterior_correlation" in r:
        lines.append(f"posterior correlation {r['posterior_correlation']}")
    lines += [
        "ended by day   " + "  ".join(f"{e:>5}" for e in r["edges_days"][1:]),
        "class          " + "  ".join(f"{x:>5.2f}" for x in r["class_ended_by_edge"][1:]),
        "model, best    " + "  ".join(f"{x:>5.2f}" for x in best["ended_by_edge"][1:]) + f"   (at {at})",
    ]
    return "\n".join(lines)
