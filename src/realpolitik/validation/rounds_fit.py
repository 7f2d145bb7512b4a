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

Three rounds are few. A reference class can be scored beside them
(:data:`CLASS_RECORDS`): ``k`` of ``n`` past disputes like a round had the outcome, a
binomial draw from the model's share averaged over the rounds' variants (a generic
round of this conflict), or over the variants named after ``@`` (``NAME=OUTCOME@ROUND``:
the rounds whose opening the class's cases resemble). Which class stands for which
outcome, and in which rounds, is the fitter's judgement, and the document says so.

Every grid value runs the same seed (common random numbers), so the likelihood's
differences between values are not noise of the draws. The scenario's own prior for
the parameter plays no part, so writing the fitted prior into the scenario and
fitting again gives the same result.

A parameter fitted here is in sample for a backtest that scores the same rounds on
the same outcomes; ``benchmarks/backtest_loo.py`` refits such priors without the
round it scores.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from realpolitik.scenario import Question, Scenario
from realpolitik.validation.backtest import DEFAULT_OUTCOMES, Outcome, Round, find_rounds
from realpolitik.validation.duration_fit import FLOOR_RUNS, GridPosterior, flat_grid, normalised
from realpolitik.validation.forecast import sample_outcomes
from realpolitik.validation.history import read_episodes
from realpolitik.validation.aims_reference import own_hostility, read_gml_dyads
from realpolitik.validation.reference import file_facts, read_gml, read_rivalries

__all__ = [
    "CLASS_RECORDS", "ROUND_OUTCOMES", "ClassRecord", "Observation", "RoundsFit", "class_record", "fit_parameter_to_rounds", "outcome_probabilities", "parse_class",
    "parse_outcome", "render_rounds_text", "rounds_fit_document",
]  # fmt: skip

#: The outcomes a rounds fit can score by name, in the bundled scenarios' words: the
#: backtest's five, and three more the episodes record.
ROUND_OUTCOMES: dict[str, Outcome] = {
    **{o.name: o for o in DEFAULT_OUTCOMES},
    "red_line_30d": Outcome("red_line_30d", "escalation == red_line"),
    "patriot_diversion": Outcome("patriot_diversion", "ukraine_interceptor_shortfall > 0"),
    "tit_for_tat_30d": Outcome("tit_for_tat_30d", "escalation >= tit_for_tat"),
}


@dataclass(frozen=True)
class Observation:
    """One recorded fact of one round: ``round`` and ``outcome`` by name, whether it
    ``happened``."""

    round: str
    outcome: str
    happened: bool


@dataclass(frozen=True)
class ClassRecord:
    """What a reference class records for one outcome: ``happened`` of ``n`` cases.

    Attributes:
        name: the class (a key of :data:`CLASS_RECORDS`).
        outcome: the rounds' outcome it is scored against (the fitter's mapping).
        happened, n: cases with the outcome, and all cases.
        rule: which cases, and what counts as the outcome.
        files: the paths of the data files read.
        rounds: the rounds whose variants stand for the class's cases (empty: every
            round that records the outcome).
    """

    name: str
    outcome: str
    happened: int
    n: int
    rule: str
    files: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        where = f"the {', '.join(self.rounds)} variant{'s' if len(self.rounds) > 1 else ''}" if self.rounds else "every round's variant"
        return {
            "name": self.name, "outcome": self.outcome, "happened": self.happened, "n": self.n, "rule": self.rule, "rounds": list(self.rounds),
            "outcome_basis": f"judgement: the class's outcome read as the rounds' {self.outcome}, in {where}",
        }  # fmt: skip


#: The files :func:`realpolitik.validation.reference.read_gml` reads.
_GML_FILES = ("gml_mid_disps.csv", "gml_part.csv", "gml_dirdisp.csv")


def _rivalry_war(conflict: Path, outcome: str) -> ClassRecord:
    disputes = read_gml(conflict)
    rivalries = read_rivalries(conflict)
    cases = [
        d for d in disputes
        if d.start_year >= 1946 and d.hostility >= 4 and d.reciprocated and any(r.between(d.side_a, d.side_b, d.start_year) for r in rivalries)
    ]  # fmt: skip
    return ClassRecord(
        "rivalry_war", outcome, sum(d.hostility == 5 for d in cases), len(cases),
        "GML 2.2.1 disputes begun since 1946 that reached the use of force (hostlev 4 or 5), were reciprocated (recip 1) and set two strategic rivals "
        "(Thompson-Sakuwa-Suhas, rivalry running in the dispute's first year) on opposite sides; the outcome: the dispute became a war (hostlev 5)",
        tuple(str(conflict / name) for name in (*_GML_FILES, "tss_rivalries.csv")),
    )  # fmt: skip


#: Iran's CoW code.
_IRAN = 630


def _iran_answered(conflict: Path, outcome: str) -> ClassRecord:
    own = own_hostility(read_gml_dyads(conflict))
    cases = [d for d in read_gml(conflict) if d.start_year >= 1979 and d.hostility >= 4 and _IRAN in d.side_b]
    return ClassRecord(
        "iran_answered", outcome, sum(own.get((d.number, _IRAN), 0) >= 4 for d in cases), len(cases),
        "GML 2.2.1 disputes begun since 1979 (the Islamic Republic) that reached the use of force (hostlev 4 or 5) with Iran on the side that "
        "did not move first (side B); the outcome: Iran itself used force in it (its own hostlev 4 or 5 in gml_dirdisp)",
        tuple(str(conflict / name) for name in _GML_FILES),
    )  # fmt: skip


#: The reference classes a rounds fit can score beside the rounds, by name: each reads
#: the conflict folder of ``../shared/data`` and is scored against the outcome it is
#: given.
CLASS_RECORDS: dict[str, Callable[[Path, str], ClassRecord]] = {"rivalry_war": _rivalry_war, "iran_answered": _iran_answered}


def parse_class(text: str) -> tuple[str, str, tuple[str, ...]]:
    """``NAME=OUTCOME[@ROUND,...]`` from the command line: a class of
    :data:`CLASS_RECORDS`, the outcome it stands for, and the rounds whose variants
    stand for its cases (none: every round that records the outcome).

    Raises:
        ValueError: not ``NAME=OUTCOME[@ROUND,...]``, or an unknown class.

    Example:
        >>> parse_class("rivalry_war=red_line_30d")
        ('rivalry_war', 'red_line_30d', ())
        >>> parse_class("iran_answered=tit_for_tat_30d@apr-2024")
        ('iran_answered', 'tit_for_tat_30d', ('apr-2024',))
    """
    name, sep, rest = (x.strip() for x in text.partition("="))
    outcome, at, where = (x.strip() for x in rest.partition("@"))
    rounds = tuple(r.strip() for r in where.split(",")) if at else ()
    if not sep or not name or not outcome or any(not r for r in rounds) or (at and not rounds):
        raise ValueError(f"--class {text!r}: write NAME=OUTCOME or NAME=OUTCOME@ROUND[,ROUND] (classes: {', '.join(CLASS_RECORDS)})")
    if name not in CLASS_RECORDS:
        raise ValueError(f"--class {text!r}: no class of that name (known: {', '.join(CLASS_RECORDS)})")
    return name, outcome, rounds


def class_record(name: str, conflict: str | Path, outcome: str, rounds: Sequence[str] = ()) -> ClassRecord:
    """The class ``name`` counted from the conflict folder, scored against ``outcome``
    in the variants of ``rounds`` (none: every round that records it).

    Raises:
        DataError: a file of the folder cannot be read.
        ValueError: an unknown class.
    """
    if name not in CLASS_RECORDS:
        raise ValueError(f"no reference class {name!r} (known: {', '.join(CLASS_RECORDS)})")
    return replace(CLASS_RECORDS[name](Path(conflict), outcome), rounds=tuple(rounds))


@dataclass(frozen=True)
class RoundsFit(GridPosterior):
    """A parameter's posterior on a grid, given the past rounds' recorded facts.

    Attributes (beyond :class:`GridPosterior`'s):
        outcomes: the outcomes scored (name, condition, by day).
        observations: each round's recorded facts among them.
        shares: per grid value, the model's share of runs in which each observation's
            outcome held (in the order of ``observations``).
        skipped: what was not scored, and why (a round that does not record an outcome).
        records: the reference classes scored beside the rounds.
        record_shares: per grid value, the model's share for each record's outcome
            (the mean over its rounds, or every round that scores it).
    """

    outcomes: tuple[Outcome, ...] = ()
    observations: tuple[Observation, ...] = ()
    shares: tuple[tuple[float, ...], ...] = ()
    skipped: tuple[str, ...] = ()
    records: tuple[ClassRecord, ...] = ()
    record_shares: tuple[tuple[float, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "outcomes": [{"name": o.name, "condition": o.condition, "by_day": o.by_day} for o in self.outcomes],
            "observations": [{"round": o.round, "outcome": o.outcome, "happened": o.happened} for o in self.observations],
            "skipped": list(self.skipped),
            "classes": [c.to_dict() for c in self.records],
            "support": list(self.support),
            "runs_per_value": self.runs,
            "seed": self.seed,
            "posterior": self.summary(),
            "prior": self.prior().model_dump(exclude_none=True),
            "grid": [
                {"value": round(g, 6), "log_likelihood": round(ll, 4), "posterior": round(p, 6), "shares": [round(x, 4) for x in s], **({"class_shares": [round(x, 4) for x in c]} if self.records else {})}
                for g, ll, p, s, c in zip(self.grid, self.log_likelihood, self.posterior, self.shares, self.record_shares or [()] * len(self.grid), strict=True)
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
    records: Sequence[ClassRecord] = (),
    progress: Callable[[int, int], None] | None = None,
) -> RoundsFit:
    """The posterior of ``parameter`` on a grid over ``support`` (a flat prior), given
    the rounds' recorded facts on ``outcomes`` and the reference classes' ``records``.

    Raises:
        ScenarioError: a round's scenario has no such parameter, or an outcome's
            condition does not compile in it.
        ValueError: no round records any of the outcomes, a record's outcome is not
            one of them or no round scores it, a record names a round there is not
            or one that does not record its outcome, ``points``/``runs`` below 2, or
            an empty support.
    """
    if runs < 2:
        raise ValueError("a fit needs at least 2 runs per grid value")
    for c in records:
        if c.outcome not in {o.name for o in outcomes}:
            raise ValueError(f"class {c.name}: its outcome {c.outcome!r} is not among the outcomes scored ({', '.join(o.name for o in outcomes)})")
        recording = [r.episode.id for r in rounds if c.outcome in r.episode.outcomes]
        if not recording:
            raise ValueError(f"class {c.name}: no round records {c.outcome!r}, so no round's variant gives the model's share")
        for name in c.rounds:
            if name not in recording:
                raise ValueError(f"class {c.name}: no round {name!r} records {c.outcome!r} (rounds that do: {', '.join(recording)})")
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
    record_shares: list[tuple[float, ...]] = []
    for k, value in enumerate(grid):
        by_round = {r.episode.id: outcome_probabilities(r, outcomes, {parameter: float(value)}, runs=runs, seed=seed) for r in rounds}
        p = np.array([by_round[o.round][o.outcome] for o in observations])
        ll = float(np.log(np.maximum(np.where(happened, p, 1.0 - p), floor)).sum())
        q = np.array([np.mean([v[c.outcome] for rid, v in by_round.items() if c.outcome in v and (not c.rounds or rid in c.rounds)]) for c in records])
        for c, share in zip(records, q, strict=True):
            ll += c.happened * math.log(max(share, floor)) + (c.n - c.happened) * math.log(max(1.0 - share, floor))
        lls.append(ll)
        shares.append(tuple(float(x) for x in p))
        record_shares.append(tuple(float(x) for x in q))
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
        records=tuple(records),
        record_shares=tuple(record_shares),
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
    classes: Sequence[tuple[str, str, tuple[str, ...]]] = (),
    conflict: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The fit of ``parameter`` to the rounds of ``episodes`` (and to the reference
    ``classes``, (name, outcome, rounds) counted from the ``conflict`` folder) as the
    JSON document ``benchmarks/results/reference-<parameter>.json`` holds: the
    command, the scenario's and every round variant's hash, the data files' sha256,
    and the fit.

    Raises:
        DataError: the episodes file or a conflict file cannot be read.
        ScenarioError: an episode has no variant of the scenario, or as
            :func:`fit_parameter_to_rounds`.
        ValueError: as :func:`fit_parameter_to_rounds`.
    """
    episodes = Path(episodes)
    if classes and conflict is None:
        raise ValueError("a reference class is counted from the conflict folder: give --conflict")
    rounds = find_rounds(scenario, read_episodes(episodes))
    records = [class_record(name, conflict, outcome, where) for name, outcome, where in classes]  # type: ignore[arg-type]
    fit = fit_parameter_to_rounds(rounds, parameter, outcomes, support=support, points=points, runs=runs, seed=seed, records=records, progress=progress)
    files = {episodes.name: file_facts(episodes)} | {Path(f).name: file_facts(f) for c in records for f in c.files}
    beside = f" and the reference class{'es' if len(records) > 1 else ''} {', '.join(c.name for c in records)}" if records else ""
    return {
        "what": f"{parameter} fitted to the past rounds' recorded {', '.join(o.name for o in outcomes)}{beside}",
        "command": command,
        "scenario": {"name": scenario.name, "sha256": scenario.sha256},
        "rounds": {r.episode.id: {"scenario": r.scenario.name, "sha256": r.scenario.sha256} for r in rounds},
        "data": files,
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
    for k, c in enumerate(r.get("classes", [])):
        label = f"{c['name']} {c['happened']}/{c['n']} = {c['happened'] / c['n']:.3f}" if c["n"] else f"{c['name']} (empty)"
        lines.append(f"{label:<38}" + "".join(f"{g['class_shares'][k]:>12.3f}" for g in (grid[0], best, grid[-1])))
    lines.append(f"{'log-likelihood':<38}" + "".join(f"{g['log_likelihood']:>12.2f}" for g in (grid[0], best, grid[-1])))
    return "\n".join(lines)
