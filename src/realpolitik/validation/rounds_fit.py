"""Fit one parameter of a scenario to what the past rounds of its conflict recorded.

The episodes file records, for each past round, true/false facts (Iran closed Hormuz
or not; the US paused Ukraine's Patriot deliveries; the round crossed the red line
within 30 days). A scenario's variant for a round (``extends``: the same priors, the
round's clock and start) gives each fact a probability. This module gives one
parameter a prior from those facts: for each value on a grid over a stated support
(a flat prior, the midpoints of equal cells), it runs every round's variant with the
parameter fixed there and every other parameter drawn from its prior, reads off the
share of runs in which each recorded outcome held by its day, and scores the rounds'
facts as independent Bernoulli draws from those shares. A share no run reached is
floored at half a run, so a fact is never impossible.

Every grid value runs the same seed (common random numbers), so the likelihood's
differences between values are not noise of the draws. The scenario's own prior for
the parameter plays no part, so writing the fitted prior into the scenario and
fitting again gives the same result.

A parameter fitted here is in sample for a backtest that scores the same rounds on
the same outcomes; ``benchmarks/backtest_loo.py`` refits such priors without the
round it scores.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from realpolitik.scenario import Question, Scenario
from realpolitik.validation.backtest import DEFAULT_OUTCOMES, Outcome, Round, find_rounds
from realpolitik.validation.duration_fit import FLOOR_RUNS, GridPosterior, flat_grid, normalised
from realpolitik.validation.forecast import sample_outcomes
from realpolitik.validation.history import read_episodes
from realpolitik.validation.reference import file_facts

__all__ = ["ROUND_OUTCOMES", "Observation", "RoundsFit", "fit_parameter_to_rounds", "outcome_probabilities", "parse_outcome", "render_rounds_text", "rounds_fit_document"]

#: The outcomes a rounds fit can score by name, in the bundled scenarios' words: the
#: backtest's five, and two more the episodes record.
ROUND_OUTCOMES: dict[str, Outcome] = {
    **{o.name: o for o in DEFAULT_OUTCOMES},
    "red_line_30d": Outcome("red_line_30d", "escalation == red_line"),
    "patriot_diversion": Outcome("patriot_diversion", "ukraine_interceptor_shortfall > 0"),
}


@dataclass(frozen=True)
class Observation:
    """One recorded fact of one round: ``round`` and ``outcome`` by name, whether it
    ``happened``."""

    round: str
    outcome: str
    happened: bool


@dataclass(frozen=True)
class RoundsFit(GridPosterior):
    """A parameter's posterior on a grid, given the past rounds' recorded facts.

    Attributes (beyond :class:`GridPosterior`'s):
        outcomes: the outcomes scored (name, condition, by day).
        observations: each round's recorded facts among them.
        shares: per grid value, the model's share of runs in which each observation's
            outcome held (in the order of ``observations``).
        skipped: what was not scored, and why (a round that does not record an outcome).
    """

    outcomes: tuple[Outcome, ...] = ()
    observations: tuple[Observation, ...] = ()
    shares: tuple[tuple[float, ...], ...] = ()
    skipped: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "outcomes": [{"name": o.name, "condition": o.condition, "by_day": o.by_day} for o in self.outcomes],
            "observations": [{"round": o.round, "outcome": o.outcome, "happened": o.happened} for o in self.observations],
            "skipped": list(self.skipped),
            "support": list(self.support),
            "runs_per_value": self.runs,
            "seed": self.seed,
            "posterior": self.summary(),
            "prior": self.prior().model_dump(exclude_none=True),
            "grid": [
                {"value": round(g, 6), "log_likelihood": round(ll, 4), "posterior": round(p, 6), "shares": [round(x, 4) for x in s]}
                for g, ll, p, s in zip(self.grid, self.log_likelihood, self.posterior, self.shares, strict=True)
            ],
        }


def parse_outcome(text: str) -> Outcome:
    """An outcome from the command line: ``NAME`` (one of :data:`ROUND_OUTCOMES`) or
    ``NAME=CONDITION`` (a condition in the scenario's own names, by day 30).

    Raises:
        ValueError: an unknown name without a condition, or an empty name or condition.

    Example:
        >>> parse_outcome("hormuz_closed").condition
        'hormuz == closed'
        >>> parse_outcome("red_line_30d=escalation >= 4")
        Outcome(name='red_line_30d', condition='escalation >= 4', by_day=30)
    """
    name, sep, condition = text.partition("=")
    name, condition = name.strip(), condition.strip()
    if sep:
        if not name or not condition:
            raise ValueError(f"--outcome {text!r}: write NAME or NAME=CONDITION")
        return Outcome(name, condition)
    if name not in ROUND_OUTCOMES:
        raise ValueError(f"--outcome {text!r}: no outcome of that name (known: {', '.join(ROUND_OUTCOMES)}); write NAME=CONDITION for another")
    return ROUND_OUTCOMES[name]


def outcome_probabilities(round_: Round, outcomes: Sequence[Outcome], parameters: Mapping[str, float], *, runs: int, seed: int) -> dict[str, float]:
    """The share of the round's runs in which each outcome it records held by its day
    (capped at the round's horizon), with ``parameters`` fixed (every other drawn from
    its prior).

    Raises:
        ScenarioError: a condition or parameter the round's scenario lacks.
    """
    scenario = round_.scenario
    horizon = scenario.spec.clock.horizon_days
    recorded = [o for o in outcomes if o.name in round_.episode.outcomes]
    if not recorded:
        return {}
    questions = {o.name: Question(kind="probability", text=o.text, condition=o.condition, by=min(o.by_day, horizon)) for o in recorded}
    last = max(min(o.by_day, horizon) for o in recorded)
    fixed = {k: np.full(runs, float(v)) for k, v in parameters.items()}
    _, sampled = sample_outcomes(scenario, questions, runs=runs, seed=seed, horizon=last, parameters=fixed, origin=f"<rounds fit: {round_.episode.id}>")
    return {name: float(np.mean(values)) for name, values in sampled.items()}


def fit_parameter_to_rounds(
    rounds: Sequence[Round],
    parameter: str,
    outcomes: Sequence[Outcome],
    *,
    support: tuple[float, float],
    points: int = 25,
    runs: int = 4000,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> RoundsFit:
    """The posterior of ``parameter`` on a grid over ``support`` (a flat prior), given
    the rounds' recorded facts on ``outcomes``.

    Raises:
        ScenarioError: a round's scenario has no such parameter, or an outcome's
            condition does not compile in it.
        ValueError: no round records any of the outcomes, ``points``/``runs`` below 2,
            or an empty support.
    """
    if runs < 2:
        raise ValueError("a fit needs at least 2 runs per grid value")
    grid = flat_grid(support, points)
    observations = tuple(Observation(r.episode.id, o.name, bool(r.episode.outcomes[o.name])) for r in rounds for o in outcomes if o.name in r.episode.outcomes)
    skipped = tuple(f"{o.name}: not recorded for {r.episode.id}" for r in rounds for o in outcomes if o.name not in r.episode.outcomes)
    if not observations:
        recorded = sorted({name for r in rounds for name in r.episode.outcomes})
        raise ValueError(f"no round records any of {', '.join(o.name for o in outcomes)} (the rounds record: {', '.join(recorded) or 'nothing'})")
    floor = FLOOR_RUNS / runs
    happened = np.array([o.happened for o in observations])
    lls: list[float] = []
    shares: list[tuple[float, ...]] = []
    for k, value in enumerate(grid):
        by_round = {r.episode.id: outcome_probabilities(r, outcomes, {parameter: float(value)}, runs=runs, seed=seed) for r in rounds}
        p = np.array([by_round[o.round][o.outcome] for o in observations])
        lls.append(float(np.log(np.maximum(np.where(happened, p, 1.0 - p), floor)).sum()))
        shares.append(tuple(float(x) for x in p))
        if progress is not None:
            progress(k + 1, len(grid))
    return RoundsFit(
        parameter=parameter,
        support=(float(support[0]), float(support[1])),
        grid=tuple(float(g) for g in grid),
        log_likelihood=tuple(lls),
        posterior=tuple(float(x) for x in normalised(lls)),
        runs=runs,
        seed=seed,
        outcomes=tuple(outcomes),
        observations=observations,
        shares=tuple(shares),
        skipped=skipped,
    )


def rounds_fit_document(
    scenario: Scenario,
    episodes: str | Path,
    parameter: str,
    outcomes: Sequence[Outcome],
    *,
    support: tuple[float, float],
    points: int,
    runs: int,
    seed: int,
    command: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The fit of ``parameter`` to the rounds of ``episodes`` as the JSON document
    ``benchmarks/results/reference-<parameter>.json`` holds: the command, the
    scenario's and every round variant's hash, the episodes file's sha256, and the fit.

    Raises:
        DataError: the episodes file cannot be read.
        ScenarioError: an episode has no variant of the scenario, or as
            :func:`fit_parameter_to_rounds`.
        ValueError: as :func:`fit_parameter_to_rounds`.
    """
    episodes = Path(episodes)
    rounds = find_rounds(scenario, read_episodes(episodes))
    fit = fit_parameter_to_rounds(rounds, parameter, outcomes, support=support, points=points, runs=runs, seed=seed, progress=progress)
    return {
        "what": f"{parameter} fitted to the past rounds' recorded {', '.join(o.name for o in outcomes)}",
        "command": command,
        "scenario": {"name": scenario.name, "sha256": scenario.sha256},
        "rounds": {r.episode.id: {"scenario": r.scenario.name, "sha256": r.scenario.sha256} for r in rounds},
        "data": {episodes.name: file_facts(episodes)},
        "results": fit.to_dict(),
    }


def render_rounds_text(doc: dict[str, Any]) -> str:
    """The fit in a few lines: posterior, the facts, and the model's shares at the
    best value and at the support's ends."""
    r = doc["results"]
    post = r["posterior"]
    grid = r["grid"]
    best = max(grid, key=lambda g: g["log_likelihood"])
    facts = [f"{o['round']} {o['outcome']} {'yes' if o['happened'] else 'no'}" for o in r["observations"]]
    lines = [
        f"{r['parameter']} fitted to {len(facts)} facts of the past rounds, {r['runs_per_value']} runs per value, seed {r['seed']}",
        f"posterior mean {post['mean']}, sd {post['sd']}, 90% [{post['q05']}, {post['q95']}]; prior to write: {r['prior']}",
        "fact" + " " * 34 + "".join(f"{'at ' + format(g['value'], '.4g'):>12}" for g in (grid[0], best, grid[-1])),
    ]
    for k, fact in enumerate(facts):
        lines.append(f"{fact:<38}" + "".join(f"{g['shares'][k]:>12.3f}" for g in (grid[0], best, grid[-1])))
    lines.append(f"{'log-likelihood':<38}" + "".join(f"{g['log_likelihood']:>12.2f}" for g in (grid[0], best, grid[-1])))
    return "\n".join(lines)
