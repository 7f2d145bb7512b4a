"""Calibration: fit the uncertain parameters to the past rounds by ABC-SMC, and measure
out of sample whether the fit improves the backtest.

There is no tractable likelihood of a round's record under the model (decisions,
events and the oil path interact), so the fit is approximate Bayesian computation
with sequential Monte Carlo, in the adaptive form of Del Moral, Doucet and Jasra
(2012): a fixed number of particles, each a value of every fitted parameter; each
generation lowers the tolerance so that the effective sample size falls by a fixed
factor, resamples when it is below half, and moves every particle by one
Metropolis-Hastings step whose proposal is simulated afresh.

Particles live in the normal scores of the priors: a parameter's value is its
prior's inverse CDF at ``Phi(z)``, so the prior of ``z`` is a standard normal whatever
the distribution, proposals are Gaussian random walks in ``z``, and bounds are never
crossed. Each particle's simulations are runs of one ensemble per round (the engine's
``parameters=``), so a generation costs one ensemble call per round.

The distance between a simulated round and the record adds, over the rounds, the
squared differences of log Brent on the scored days, each divided by the random-walk
spread of the baseline (the 250-day volatility times the square root of the trading
days), and one for each recorded outcome the simulation gets wrong.
"""

from __future__ import annotations

import datetime as dt
import math
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml
from scipy import stats

from realpolitik._output import ResultOutput
from realpolitik._atomic import atomic_path
from realpolitik.engine import run
from realpolitik.scenario import Question, Scenario, prior_ppf
from realpolitik.scenario import Prior
from realpolitik.validation.backtest import (
    DEFAULT_OUTCOMES,
    OIL_DAYS,
    Headline,
    Outcome,
    Round,
    RoundScore,
    base_rates,
    headlines,
    score_round,
)
from realpolitik.validation.history import Episode, OilSeries, trading_days

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "describe_prior",
    "Generation",
    "ParameterFit",
    "Fit",
    "HeldOut",
    "Calibration",
    "calibratable",
    "fitted_prior",
    "abc_smc",
    "calibrate",
]

_FITTABLE = ("normal", "lognormal", "beta", "uniform", "triangular")


@dataclass(frozen=True)
class Generation:
    """One generation of ABC-SMC: its tolerance, effective sample size after
    reweighting, and the share of Metropolis-Hastings moves accepted."""

    index: int
    epsilon: float
    ess: float
    acceptance: float

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "epsilon": self.epsilon, "ess": self.ess, "acceptance": self.acceptance}


@dataclass(frozen=True)
class ParameterFit:
    """One parameter's prior and posterior.

    Attributes:
        prior: the scenario's prior; ``fitted`` the posterior as a prior of the same
            kind (normal, lognormal) or a beta on the same range (uniform, beta, triangular).
        prior_summary, posterior_summary: ``mean``, ``sd``, ``q05``, ``q50``, ``q95``.
    """

    name: str
    prior: Prior
    fitted: Prior
    prior_summary: dict[str, float]
    posterior_summary: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "prior": self.prior.model_dump(exclude_none=True),
            "fitted": self.fitted.model_dump(exclude_none=True),
            "prior_summary": self.prior_summary,
            "posterior_summary": self.posterior_summary,
        }


@dataclass(frozen=True)
class Fit:
    """The result of :func:`abc_smc`: the weighted particles and their summaries.

    Attributes:
        rounds: the rounds fitted to.
        names: the fitted parameters, in the order of the particles' columns.
        values: particles x parameters.
        weights: the particles' normalised weights.
        parameters: each parameter's prior, posterior summary and fitted prior.
        generations: the run of the algorithm.
    """

    rounds: tuple[str, ...]
    names: tuple[str, ...]
    values: np.ndarray
    weights: np.ndarray
    parameters: tuple[ParameterFit, ...]
    generations: tuple[Generation, ...]

    def priors(self) -> dict[str, Prior]:
        """The fitted priors, by parameter: what ``Scenario.with_priors`` takes."""
        return {p.name: p.fitted for p in self.parameters}

    def to_dict(self) -> dict[str, Any]:
        return {
            "rounds": list(self.rounds),
            "parameters": [p.to_dict() for p in self.parameters],
            "generations": [g.to_dict() for g in self.generations],
            "ess": _ess(self.weights),
        }


@dataclass(frozen=True)
class HeldOut:
    """One round scored out of sample: with the scenario's priors and with the priors
    fitted to the other rounds (same runs and seed)."""

    round: str
    fitted_on: tuple[str, ...]
    prior: RoundScore
    calibrated: RoundScore

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.round, "fitted_on": list(self.fitted_on), "prior": self.prior.to_dict(), "calibrated": self.calibrated.to_dict()}


@dataclass(frozen=True)
class Calibration(ResultOutput):
    """The result of :func:`calibrate`.

    Attributes:
        scenario: the scenario calibrated (its label); ``scenario_name`` its name.
        fit: the fit to every round: the posterior written to file.
        held_out: each round scored out of sample, fitted on the others.
        prior_headline, calibrated_headline: mean scores over the held-out rounds
            (each with the baseline's), with the scenario's and the fitted priors.
    """

    scenario: str
    scenario_name: str
    oil_path: str
    episodes_path: str
    particles: int
    generations: int
    runs: int
    seed: int
    version: str
    fit: Fit
    held_out: tuple[HeldOut, ...]
    prior_headline: tuple[Headline, ...]
    calibrated_headline: tuple[Headline, ...]
    parameters_given: tuple[str, ...] = ()
    without_priors: bool = False

    @property
    def command(self) -> str:
        """The command line that reproduces the calibration."""
        flags = "".join(f" --parameter {p}" for p in self.parameters_given) + (" --without-priors" if self.without_priors else "")
        return (
            f"realpolitik calibrate {shlex.quote(self.scenario)} --episodes {shlex.quote(self.episodes_path)} "
            f"--oil {shlex.quote(self.oil_path)}{flags} --particles {self.particles} --generations {self.generations} "
            f"--runs {self.runs} --seed {self.seed}"
        )

    def change(self, metric: str) -> tuple[float, float, float]:
        """Out of sample: (scenario priors, fitted priors, baseline) mean score of a metric."""
        for a, b in zip(self.prior_headline, self.calibrated_headline):
            if a.metric == metric:
                return a.model, b.model, a.baseline
        raise KeyError(f"no headline {metric!r}")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``calibrate --json`` prints)."""
        out_of_sample = []
        for a, b in zip(self.prior_headline, self.calibrated_headline):
            out_of_sample.append(
                {
                    "metric": a.metric,
                    "prior": a.model,
                    "calibrated": b.model,
                    "baseline": a.baseline,
                    "calibrated_over_prior": b.model / a.model if a.model else math.nan,
                    "calibrated_over_baseline": b.ratio,
                    "prior_over_baseline": a.ratio,
                }
            )
        return {
            "run": {
                "scenario": self.scenario,
                "oil": self.oil_path,
                "episodes": self.episodes_path,
                "particles": self.particles,
                "generations": self.generations,
                "runs": self.runs,
                "seed": self.seed,
                "version": self.version,
                "command": self.command,
            },
            "fit": self.fit.to_dict(),
            "out_of_sample": out_of_sample,
            "held_out": [h.to_dict() for h in self.held_out],
        }


    def to_arrow(self) -> pa.Table:
        """The weighted particles of the fit to every round: one column per parameter
        and ``weight``; the command in the schema metadata."""
        import pyarrow as pa

        columns = {name: pa.array(self.fit.values[:, j], pa.float64()) for j, name in enumerate(self.fit.names)}
        columns["weight"] = pa.array(self.fit.weights, pa.float64())
        table = pa.table(columns)
        return table.replace_schema_metadata({"realpolitik.command": self.command, "realpolitik.version": self.version})


    def posterior_yaml(self, rationales: Mapping[str, str | None] | None = None) -> str:
        """The posterior file a scenario names with ``priors:``: each fitted prior,
        with a rationale saying what it was fitted to."""
        rationales = rationales or {}
        rounds = ", ".join(self.fit.rounds)
        parameters = {}
        for p in self.fit.parameters:
            was = describe_prior(p.prior)
            post = p.posterior_summary
            note = f"Calibrated by ABC-SMC on {rounds} (was {was}; posterior mean {post['mean']:.4g}, 90% in [{post['q05']:.4g}, {post['q95']:.4g}])."
            before = rationales.get(p.name)
            parameters[p.name] = {
                "prior": p.fitted.model_dump(exclude_none=True),
                "rationale": f"{before.rstrip()} {note}" if before else note,
            }
        document = {
            "realpolitik_posterior": 1,
            "scenario": self.scenario_name,
            "calibration": {
                "method": "ABC-SMC (adaptive tolerance, Del Moral et al. 2012)",
                "rounds": list(self.fit.rounds),
                "particles": self.particles,
                "generations": [{"epsilon": round(g.epsilon, 4), "ess": round(g.ess, 1), "acceptance": round(g.acceptance, 3)} for g in self.fit.generations],
                "command": self.command,
                "version": self.version,
            },
            "parameters": parameters,
        }
        head = f"# Posterior of {self.scenario_name}, written by:\n#   {self.command}\n# Name this file in a scenario with `priors: FILE`.\n"
        return head + yaml.safe_dump(document, sort_keys=False, default_flow_style=None, width=100, allow_unicode=True)

    def write_posterior(self, path: str | Path, rationales: Mapping[str, str | None] | None = None) -> Path:
        """Write :meth:`posterior_yaml` to a file, atomically."""
        path = Path(path)
        text = self.posterior_yaml(rationales)
        with atomic_path(path) as tmp:
            Path(tmp).write_text(text, encoding="utf-8")
        return path

    def to_markdown(self, title: str = "Calibration") -> str:
        """The calibration as a report section (Markdown)."""
        lines = [f"## {title}", "", "Out of sample (each round scored with priors fitted to the other two):", ""]
        lines += ["| score | scenario priors | fitted priors | baseline | fitted / scenario | fitted / baseline |", "|---|---|---|---|---|---|"]
        for a, b in zip(self.prior_headline, self.calibrated_headline):
            lines.append(f"| {a.metric} | {a.model:.3g} | {b.model:.3g} | {a.baseline:.3g} | **{b.model / a.model:.2f}** | {b.ratio:.2f} |")
        lines += ["", "Per held-out round (mean CRPS of Brent over the scored days; mean Brier score of the outcomes):", ""]
        lines += ["| held out | fitted on | CRPS scenario | CRPS fitted | CRPS baseline | Brier scenario | Brier fitted | Brier baseline |", "|---|---|---|---|---|---|---|---|"]
        for h in self.held_out:
            pa_, ca = headlines([h.prior]), headlines([h.calibrated])
            get = {x.metric: x for x in pa_}
            got = {x.metric: x for x in ca}
            lines.append(
                f"| {h.round} | {', '.join(h.fitted_on)} | {get['crps_brent'].model:.2f} | {got['crps_brent'].model:.2f} | {get['crps_brent'].baseline:.2f} "
                f"| {get['brier'].model:.3f} | {got['brier'].model:.3f} | {get['brier'].baseline:.3f} |"
            )
        lines += ["", f"Fitted to {', '.join(self.fit.rounds)} ({self.particles} particles):", ""]
        lines += ["| parameter | prior | prior mean | posterior mean | posterior 90% |", "|---|---|---|---|---|"]
        for p in self.fit.parameters:
            post = p.posterior_summary
            lines.append(f"| {p.name} | {describe_prior(p.prior)} | {p.prior_summary['mean']:.4g} | {post['mean']:.4g} | [{post['q05']:.4g}, {post['q95']:.4g}] |")
        lines += ["", f"`{self.command}` (realpolitik {self.version})", ""]
        return "\n".join(lines)


def describe_prior(prior: Prior) -> str:
    """A prior in words: ``uniform low 5, high 15``."""
    fields = {k: v for k, v in prior.model_dump(exclude_none=True).items() if k != "dist"}
    return f"{prior.dist} " + ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in fields.items())


def calibratable(rounds: Sequence[Round], base: Scenario | None = None) -> list[str]:
    """The parameters that every round (and ``base``, the scenario they are variants
    of) draws from the same continuous prior: what a calibration can fit.
    Round-specific priors (a no-war price level, a starting export share) describe
    one round and are not fitted."""
    first = (base or rounds[0].scenario).spec.parameters
    out = []
    for name, p in first.items():
        if p.prior is None or p.prior.dist not in _FITTABLE:
            continue
        if all(name in r.scenario.spec.parameters and r.scenario.spec.parameters[name].prior == p.prior for r in rounds):
            out.append(name)
    return out


def _weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: Sequence[float]) -> list[float]:
    order = np.argsort(x)
    cum = np.cumsum(w[order])
    cum = cum / cum[-1]
    return [float(x[order][min(np.searchsorted(cum, q), len(x) - 1)]) for q in qs]


def _summary(x: np.ndarray, w: np.ndarray) -> dict[str, float]:
    mean = float(np.sum(w * x))
    sd = float(math.sqrt(max(np.sum(w * (x - mean) ** 2), 0.0)))
    q05, q50, q95 = _weighted_quantiles(x, w, (0.05, 0.5, 0.95))
    return {"mean": mean, "sd": sd, "q05": q05, "q50": q50, "q95": q95}


def _sig(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


def fitted_prior(prior: Prior, values: np.ndarray, weights: np.ndarray) -> Prior:
    """A prior of the posterior's kind matched to its weighted moments.

    A normal stays normal (same truncation), a lognormal stays lognormal (moments of
    the log); a bounded prior (uniform, beta, triangular) becomes a beta on the same
    range. Where the moments admit no such prior (a posterior wider than a uniform),
    the prior is kept.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.beta(2, 6, 50_000) * 10 + 5
        >>> p = fitted_prior(Prior(dist="uniform", low=5, high=15), x, np.full(len(x), 1 / len(x)))
        >>> (p.dist, round(p.a), round(p.b), p.low, p.high)
        ('beta', 2, 6, 5.0, 15.0)
    """
    w = weights / weights.sum()
    if prior.dist == "normal":
        s = _summary(values, w)
        return Prior(dist="normal", mean=_sig(s["mean"]), sd=_sig(max(s["sd"], 1e-12)), low=prior.low, high=prior.high)
    if prior.dist == "lognormal":
        s = _summary(np.log(values), w)
        return Prior(dist="lognormal", median=_sig(math.exp(s["mean"])), sigma=_sig(max(s["sd"], 1e-12)))
    if prior.dist == "beta" and prior.low is None:
        low, high = 0.0, 1.0
    else:
        low, high = float(prior.low), float(prior.high)  # type: ignore[arg-type]
    u = (values - low) / (high - low)
    s = _summary(u, w)
    m, v = s["mean"], s["sd"] ** 2
    common = m * (1 - m) / v - 1 if v > 0 else math.inf
    if not 0 < m < 1 or common <= 0 or not math.isfinite(common):
        return prior
    a, b = _sig(m * common), _sig((1 - m) * common)
    if prior.dist == "beta" and prior.low is None:
        return Prior(dist="beta", a=a, b=b)
    return Prior(dist="beta", a=a, b=b, low=low, high=high)


def _ess(w: np.ndarray) -> float:
    total = w.sum()
    return float(total**2 / np.sum(w**2)) if total > 0 else 0.0


def _sim_seed(seed: int, *tags: int) -> int:
    return int(np.random.SeedSequence([seed, *tags]).generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


@dataclass(frozen=True)
class _Target:
    """One round's record as the distance sees it, and its variant with the
    questions that simulate it (compiled once)."""

    round: Round
    asked: Scenario
    days: tuple[int, ...]
    log_observed: np.ndarray  # per day
    spread: np.ndarray  # per day: the random walk's sd of log price
    outcomes: tuple[Outcome, ...]
    happened: np.ndarray  # per outcome, 0/1
    horizon: int


def _target(round_: Round, oil: OilSeries, outcomes: Sequence[Outcome], days: Sequence[int], brent: str) -> _Target:
    start = round_.scenario.spec.clock.start
    horizon = round_.scenario.spec.clock.horizon_days
    before_date, _ = oil.close_before(start)
    sigma = oil.log_return_sd(start)
    kept, logs, spreads = [], [], []
    for d in days:
        observed = oil.close_on_or_before(start + dt.timedelta(days=d))
        if d <= horizon and observed is not None and observed[0] >= start:
            kept.append(d)
            logs.append(math.log(observed[1]))
            spreads.append(sigma * math.sqrt(max(trading_days(before_date, observed[0]), 1)))
    recorded = tuple(o for o in outcomes if o.name in round_.episode.outcomes)
    happened = np.array([float(round_.episode.outcomes[o.name]) for o in recorded])
    last = max(kept + [min(o.by_day, horizon) for o in recorded] + [1])
    questions = {f"abc_brent_day_{d}": Question(kind="quantiles", text=f"Brent on day {d}", value=brent, at=d) for d in kept}
    for o in recorded:
        questions[f"abc_{o.name}"] = Question(kind="probability", text=o.text, condition=o.condition, by=min(o.by_day, horizon))
    origin = f"<calibration on {round_.episode.id} (outcome conditions written for the bundled scenarios)>"
    asked = round_.scenario.with_questions(questions, origin=origin)
    return _Target(round_, asked, tuple(kept), np.array(logs), np.array(spreads), recorded, happened, last)


def _distances2(target: _Target, names: Sequence[str], values: np.ndarray, replicates: int, seed: int) -> np.ndarray:
    """Squared distance of each particle's simulations to one round: (particles, replicates)."""
    n = len(values)
    design = {name: np.repeat(values[:, j], replicates) for j, name in enumerate(names)}
    results = run(target.asked, runs=n * replicates, seed=seed, horizon=target.horizon, parameters=design)
    sampled = results.outcomes
    total = np.zeros(n * replicates)
    for i, d in enumerate(target.days):
        z = (np.log(np.maximum(sampled[f"abc_brent_day_{d}"], 1e-9)) - target.log_observed[i]) / target.spread[i]
        total += z**2
    for i, o in enumerate(target.outcomes):
        total += np.abs(sampled[f"abc_{o.name}"] - target.happened[i])
    return total.reshape(n, replicates)


def _systematic(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(weights)
    positions = (rng.random() + np.arange(n)) / n
    cum = np.cumsum(weights / weights.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, positions)


def abc_smc(
    rounds: Sequence[Round],
    oil: OilSeries,
    *,
    parameters: Sequence[str] | None = None,
    base: Scenario | None = None,
    particles: int = 1000,
    generations: int = 8,
    replicates: int = 1,
    seed: int = 0,
    outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES,
    days: Sequence[int] = OIL_DAYS,
    brent: str = "V2",
    ess_fraction: float = 0.5,
    min_acceptance: float = 0.02,
    progress: Callable[[int, int], None] | None = None,
) -> Fit:
    """Fit parameters to past rounds by adaptive ABC-SMC (see the module's doc).

    Args:
        rounds: the rounds to fit to, each with its scenario variant.
        oil: the EIA Brent series (the record of the oil path).
        parameters: which parameters to fit (default: :func:`calibratable`).
        base: the scenario the rounds are variants of; a fitted parameter has the
            same prior there as in every round.
        particles: the number of particles.
        generations: how many times the tolerance is lowered (fewer when the
            Metropolis-Hastings acceptance falls below ``min_acceptance``).
        replicates: simulations per particle and round.
        seed: seeds the algorithm's own random numbers and every ensemble.
        ess_fraction: the factor by which each generation lowers the effective sample size.
        progress: called with (simulation batches done, batches in all).

    Raises:
        ValueError: no parameters to fit, or a parameter is not shared by all rounds.
    """
    if not rounds:
        raise ValueError("give at least one round to fit to")
    shared = calibratable(rounds, base)
    names = list(shared if parameters is None else parameters)
    bad = [p for p in names if p not in shared]
    if bad:
        raise ValueError(
            f"cannot fit {', '.join(map(repr, bad))}: a fitted parameter must have a continuous prior that every round shares "
            f"(fittable: {', '.join(shared)})"
        )
    if not names:
        raise ValueError("no parameters to fit")
    if particles < 10:
        raise ValueError(f"particles must be at least 10, got {particles}")
    priors = [rounds[0].scenario.spec.parameters[n].prior for n in names]
    targets = [_target(r, oil, outcomes, days, brent) for r in rounds]
    rng = np.random.default_rng([seed, 7])
    total_batches = (2 * generations + 1) * len(targets)
    done = 0

    def values_of(z: np.ndarray) -> np.ndarray:
        u = np.clip(stats.norm.cdf(z), 1e-12, 1 - 1e-12)
        return np.column_stack([prior_ppf(p, u[:, j]) for j, p in enumerate(priors)])

    def distance(z: np.ndarray, tag: int) -> np.ndarray:
        nonlocal done
        values = values_of(z)
        d2 = np.zeros((len(z), replicates))
        for r, target in enumerate(targets):
            d2 += _distances2(target, names, values, replicates, _sim_seed(seed, tag, r))
            done += 1
            if progress is not None:
                progress(done, total_batches)
        return np.sqrt(d2)

    def accepted(d: np.ndarray, eps: float) -> np.ndarray:
        return np.mean(d <= eps, axis=1)

    z = rng.standard_normal((particles, len(names)))
    d = distance(z, 0)
    w = np.full(particles, 1.0 / particles)
    eps = math.inf
    history: list[Generation] = []
    for t in range(1, generations + 1):
        before = accepted(d, eps)
        target_ess = ess_fraction * _ess(w)

        def reweighted(e: float) -> np.ndarray:
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = np.where(before > 0, accepted(d, e) / before, 0.0)
            return w * ratio

        candidates = np.unique(d[np.isfinite(d)])
        candidates = candidates[candidates < eps]
        if len(candidates) == 0:
            break
        lo, hi = 0, len(candidates) - 1
        while lo < hi:  # the smallest tolerance that keeps the target ESS
            mid = (lo + hi) // 2
            if _ess(reweighted(candidates[mid])) >= target_ess:
                hi = mid
            else:
                lo = mid + 1
        eps = float(candidates[lo])
        w = reweighted(eps)
        w = w / w.sum()
        ess = _ess(w)
        if ess < particles / 2:
            idx = _systematic(w, rng)
            z, d = z[idx], d[idx]
            w = np.full(particles, 1.0 / particles)
        alive = w > 0
        mean = np.average(z[alive], axis=0, weights=w[alive])
        cov = np.atleast_2d(np.cov(z[alive] - mean, rowvar=False, aweights=w[alive])) if alive.sum() > 1 else np.eye(len(names))
        # The random-walk scale that is optimal for a Gaussian target in this many
        # dimensions (Roberts, Gelman and Gilks, 1997): 2.38**2 / d times the covariance.
        cov = 2.38**2 / len(names) * cov + 1e-6 * np.eye(len(names))
        proposal = z + rng.multivariate_normal(np.zeros(len(names)), cov, size=particles, method="cholesky")
        d_new = distance(proposal, 2 * t)
        a_old, a_new = accepted(d, eps), accepted(d_new, eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_ratio = -0.5 * (proposal**2).sum(axis=1) + 0.5 * (z**2).sum(axis=1) + np.log(a_new) - np.log(a_old)
        move = alive & (np.log(rng.random(particles)) < log_ratio)
        z[move], d[move] = proposal[move], d_new[move]
        acceptance = float(move.sum() / max(alive.sum(), 1))
        history.append(Generation(t, eps, ess, acceptance))
        if acceptance < min_acceptance:
            break
    values = values_of(z)
    fits = []
    prior_u = (np.arange(4000) + 0.5) / 4000
    for j, (name, prior) in enumerate(zip(names, priors)):
        grid = prior_ppf(prior, prior_u)
        fits.append(ParameterFit(name, prior, fitted_prior(prior, values[:, j], w), _summary(grid, np.full(len(grid), 1 / len(grid))), _summary(values[:, j], w)))
    return Fit(tuple(r.episode.id for r in rounds), tuple(names), values, w, tuple(fits), tuple(history))


def calibrate(
    scenario: Scenario,
    rounds: Sequence[Round],
    oil: OilSeries,
    *,
    episodes: Sequence[Episode] | None = None,
    parameters: Sequence[str] | None = None,
    particles: int = 1000,
    generations: int = 8,
    runs: int = 2000,
    seed: int = 0,
    outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES,
    days: Sequence[int] = OIL_DAYS,
    oil_path: str = "",
    episodes_path: str = "",
    without_priors: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Calibration:
    """Fit the parameters to every round, and score each round out of sample with
    priors fitted to the others (leave one out), beside the scenario's priors and the
    naive baselines.

    Args:
        scenario: the scenario whose parameters are fitted (named in the posterior).
        rounds: the past rounds with their variants (see ``find_rounds``).
        oil: the EIA Brent series.
        episodes: every episode, for the base rates (default: the rounds').
        parameters: which to fit (default: every shared continuous prior).
        particles, generations: of each ABC-SMC fit.
        runs, seed: of the out-of-sample backtests (seed also seeds the fits).
        oil_path, episodes_path, without_priors: for the reproducing command.
        progress: called with (steps done, steps in all) as fits and scores proceed.

    Raises:
        ValueError: fewer than two rounds, or a parameter that cannot be fitted.
    """
    if len(rounds) < 2:
        raise ValueError("calibration scores each round out of sample, fitted on the others: give at least two rounds")
    everything = tuple(episodes) if episodes is not None else tuple(r.episode for r in rounds)
    names = [o.name for o in outcomes]
    # simulation batches of the fit to every round and of the leave-one-out fits
    per_fit = 2 * generations + 1
    total = per_fit * len(rounds) + per_fit * (len(rounds) - 1) * len(rounds)
    finished = 0

    def tick(done: int, batches: int) -> None:
        if progress is not None:
            progress(min(finished + done, total), total)

    fit = abc_smc(rounds, oil, parameters=parameters, base=scenario, particles=particles, generations=generations, seed=seed, outcomes=outcomes, days=days, progress=tick)
    finished = per_fit * len(rounds)
    held_out = []
    for i, round_ in enumerate(rounds):
        if i:
            finished += per_fit * (len(rounds) - 1)
        others = [r for r in rounds if r is not round_]
        partial = abc_smc(others, oil, parameters=fit.names, base=scenario, particles=particles, generations=generations, seed=seed + i + 1, outcomes=outcomes, days=days, progress=tick)
        rates = base_rates(everything, round_.episode.id, names)
        options: dict[str, Any] = {"base_rate": rates, "runs": runs, "seed": seed, "outcomes": outcomes, "days": days}
        before = score_round(round_, oil, **options)
        after = score_round(round_, oil, priors=partial.priors(), **options)
        held_out.append(HeldOut(round_.episode.id, partial.rounds, before, after))
    from realpolitik.engine import package_version as _version

    return Calibration(
        scenario.label,
        scenario.name,
        oil_path,
        episodes_path,
        particles,
        generations,
        runs,
        seed,
        _version(),
        fit,
        tuple(held_out),
        headlines([h.prior for h in held_out]),
        headlines([h.calibrated for h in held_out]),
        tuple(parameters or ()),
        without_priors,
    )
