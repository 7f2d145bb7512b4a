"""Backtests: run each past round from its start and score the forecasts against what
happened, beside naive baselines.

Oil: the CRPS of the ensemble's Brent on days 1, 7, 14 and 30 after the start against
the EIA close on (or the last trading day before) that date; the baseline is a
driftless random walk in log price from the last close before the start, with the
volatility of the previous 250 trading days. Events: the Brier and log scores of the
probability that each recorded outcome happens within 30 days; the baseline is the
outcome's base rate in the other rounds (Laplace's rule of succession). The
headline is the ratio of the model's mean score to the baseline's: below 1 the model
beats the baseline.
"""

from __future__ import annotations

import datetime as dt
import math
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from realpolitik._output import ResultOutput
from realpolitik.errors import Problem, RealpolitikError, ScenarioError
from realpolitik.scenario import Question, Scenario, bundled_scenarios, load
from realpolitik.scenario import extends_target
from realpolitik.scenario import Prior
from realpolitik.validation.forecast import sample_outcomes
from realpolitik.validation.history import OUTCOME_FIELDS, Episode, OilSeries, trading_days
from realpolitik.validation.scoring import DEFAULT_CLIP, brier_score, crps_ensemble, crps_lognormal, log_score

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "Outcome",
    "DEFAULT_OUTCOMES",
    "OIL_DAYS",
    "Round",
    "OilScore",
    "EventScore",
    "RoundScore",
    "Headline",
    "headlines",
    "Backtest",
    "find_rounds",
    "base_rates",
    "score_round",
    "backtest",
]

#: Days after a round's start at which Brent is scored.
OIL_DAYS: tuple[int, ...] = (1, 7, 14, 30)
#: Trading days of returns behind the baseline's volatility.
BASELINE_WINDOW = 250


@dataclass(frozen=True)
class Outcome:
    """A recorded binary outcome and the model condition that stands for it.

    Attributes:
        name: the outcome's name in the episodes (see ``OUTCOME_FIELDS``).
        condition: an expression of the scenario; the outcome happened in a run if it
            held on some day up to ``by_day``.
        by_day: days after the start.
    """

    name: str
    condition: str
    by_day: int = 30

    @property
    def text(self) -> str:
        """The outcome in words."""
        return OUTCOME_FIELDS.get(self.name, self.name)


#: The outcomes the episodes record, written in the bundled scenarios' names.
DEFAULT_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("russia_veto", "russia_posture == veto_resolution"),
    Outcome("russia_military_help", "russia_posture == direct_military_help"),
    Outcome("hormuz_closed", "hormuz == closed"),
    Outcome("talks_hosted_by_russia", "talks_accepted"),
    Outcome("ceasefire_30d", "escalation == calm"),
)


@dataclass(frozen=True)
class Round:
    """A past round and the scenario variant that starts on its first day."""

    episode: Episode
    scenario: Scenario


@dataclass(frozen=True)
class OilScore:
    """Brent on one day of a round: what happened, the forecasts, their CRPS.

    Attributes:
        day: days after the start; ``date`` is the start plus ``day``.
        observed_date, observed: the EIA close on ``date`` or the last trading day before.
        model, baseline: the 5%, 50% and 95% quantiles of each forecast.
        model_crps, baseline_crps: their CRPS against ``observed`` (USD/bbl).
    """

    day: int
    date: dt.date
    observed_date: dt.date
    observed: float
    model: tuple[float, float, float]
    baseline: tuple[float, float, float]
    model_crps: float
    baseline_crps: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "date": self.date.isoformat(),
            "observed_date": self.observed_date.isoformat(),
            "observed": self.observed,
            "model": dict(zip(("q05", "q50", "q95"), self.model)),
            "baseline": dict(zip(("q05", "q50", "q95"), self.baseline)),
            "model_crps": self.model_crps,
            "baseline_crps": self.baseline_crps,
        }


@dataclass(frozen=True)
class EventScore:
    """One binary outcome of a round: what happened, both probabilities, their scores."""

    outcome: str
    by_day: int
    happened: bool
    model_p: float
    baseline_p: float
    model_brier: float
    baseline_brier: float
    model_log: float
    baseline_log: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "by_day": self.by_day,
            "happened": self.happened,
            "model_p": self.model_p,
            "baseline_p": self.baseline_p,
            "model_brier": self.model_brier,
            "baseline_brier": self.baseline_brier,
            "model_log": self.model_log,
            "baseline_log": self.baseline_log,
        }


@dataclass(frozen=True)
class RoundScore:
    """The scores of one round.

    Attributes:
        round: the episode's id.
        scenario: the variant that was run (its label) and ``sha256`` its hash.
        start: the round's first day; ``brent_start`` the EIA close before it.
        volatility: the baseline's daily log-return sd (previous 250 trading days).
        oil, events: the scores.
        skipped: what could not be scored, with the reason.
    """

    round: str
    scenario: str
    sha256: str
    start: dt.date
    brent_start: float
    volatility: float
    oil: tuple[OilScore, ...]
    events: tuple[EventScore, ...]
    skipped: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "scenario": self.scenario,
            "sha256": self.sha256,
            "start": self.start.isoformat(),
            "brent_start": self.brent_start,
            "volatility": self.volatility,
            "oil": [s.to_dict() for s in self.oil],
            "events": [s.to_dict() for s in self.events],
            "skipped": list(self.skipped),
        }


def _ratio(model: Sequence[float], baseline: Sequence[float]) -> float:
    if not model or sum(baseline) == 0:
        return math.nan
    return float(np.mean(model) / np.mean(baseline))


@dataclass(frozen=True)
class Headline:
    """Mean scores over every round (and day), model and baseline, and their ratio."""

    metric: str
    model: float
    baseline: float
    n: int

    @property
    def ratio(self) -> float:
        """Model over baseline: below 1 the model beats the baseline."""
        return self.model / self.baseline if self.baseline else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "model": self.model, "baseline": self.baseline, "ratio": self.ratio, "n": self.n}


def headlines(rounds: Sequence[RoundScore]) -> tuple[Headline, ...]:
    """CRPS of Brent (over all rounds and days, and per day), Brier and log scores."""
    out = []
    oil = [s for r in rounds for s in r.oil]
    if oil:
        out.append(Headline("crps_brent", float(np.mean([s.model_crps for s in oil])), float(np.mean([s.baseline_crps for s in oil])), len(oil)))
        for day in sorted({s.day for s in oil}):
            at = [s for s in oil if s.day == day]
            out.append(Headline(f"crps_brent_day_{day}", float(np.mean([s.model_crps for s in at])), float(np.mean([s.baseline_crps for s in at])), len(at)))
    events = [s for r in rounds for s in r.events]
    if events:
        out.append(Headline("brier", float(np.mean([s.model_brier for s in events])), float(np.mean([s.baseline_brier for s in events])), len(events)))
        out.append(Headline("log", float(np.mean([s.model_log for s in events])), float(np.mean([s.baseline_log for s in events])), len(events)))
    return tuple(out)


@dataclass(frozen=True)
class Backtest(ResultOutput):
    """The result of :func:`backtest`.

    Attributes:
        scenario: the scenario the rounds are variants of (its label).
        oil_path, episodes_path: the data, as given.
        runs, seed: of every round's ensemble.
        version: the package's version.
        rounds: one score per round.
        headline: the mean scores and their ratios (``crps_brent``, per day, ``brier``, ``log``).
    """

    scenario: str
    oil_path: str
    episodes_path: str
    runs: int
    seed: int
    version: str
    rounds: tuple[RoundScore, ...]
    headline: tuple[Headline, ...] = field(default=())
    without_priors: bool = False

    @property
    def command(self) -> str:
        """The command line that reproduces the backtest."""
        return (
            f"realpolitik backtest {shlex.quote(self.scenario)} --oil {shlex.quote(self.oil_path)} "
            f"--episodes {shlex.quote(self.episodes_path)} --runs {self.runs} --seed {self.seed}"
            + (" --without-priors" if self.without_priors else "")
        )

    def ratio(self, metric: str) -> float:
        """The model-to-baseline ratio of a headline metric (``crps_brent``, ``brier``, ``log``)."""
        for h in self.headline:
            if h.metric == metric:
                return h.ratio
        raise KeyError(f"no headline {metric!r} (headlines: {', '.join(h.metric for h in self.headline)})")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``backtest --json`` prints)."""
        return {
            "run": {
                "scenario": self.scenario,
                "oil": self.oil_path,
                "episodes": self.episodes_path,
                "runs": self.runs,
                "seed": self.seed,
                "version": self.version,
                "command": self.command,
            },
            "headline": [h.to_dict() for h in self.headline],
            "rounds": [r.to_dict() for r in self.rounds],
        }


    def to_arrow(self) -> pa.Table:
        """One row per round, item and metric: ``round``, ``item`` (``brent_day_7``,
        an outcome, or ``all``), ``metric``, ``model``, ``baseline``, ``observed``."""
        import pyarrow as pa

        rows: dict[str, list[Any]] = {k: [] for k in ("round", "item", "metric", "model", "baseline", "observed")}

        def add(round_: str, item: str, metric: str, model: float, baseline: float, observed: float) -> None:
            for k, v in zip(rows, (round_, item, metric, model, baseline, observed)):
                rows[k].append(v)

        for r in self.rounds:
            for s in r.oil:
                add(r.round, f"brent_day_{s.day}", "crps", s.model_crps, s.baseline_crps, s.observed)
            for e in r.events:
                add(r.round, e.outcome, "probability", e.model_p, e.baseline_p, float(e.happened))
                add(r.round, e.outcome, "brier", e.model_brier, e.baseline_brier, float(e.happened))
                add(r.round, e.outcome, "log", e.model_log, e.baseline_log, float(e.happened))
        for h in self.headline:
            add("all", "all", h.metric, h.model, h.baseline, math.nan)
        table = pa.table({k: pa.array(v, pa.string() if k in ("round", "item", "metric") else pa.float64()) for k, v in rows.items()})
        return table.replace_schema_metadata({"realpolitik.command": self.command, "realpolitik.version": self.version})


    def to_markdown(self, title: str = "Backtest") -> str:
        """The backtest as a report section (Markdown): headline, oil and event tables."""
        lines = [f"## {title}", ""]
        lines += [
            "| score | model | baseline | model / baseline |",
            "|---|---|---|---|",
        ]
        for h in self.headline:
            lines.append(f"| {h.metric} | {h.model:.3g} | {h.baseline:.3g} | **{h.ratio:.2f}** |")
        lines += ["", "Brent (USD/bbl): EIA close, model and random-walk medians with 90% ranges, CRPS.", ""]
        lines += ["| round | day | date | EIA | model q50 [q05, q95] | baseline q50 [q05, q95] | CRPS model | CRPS baseline |", "|---|---|---|---|---|---|---|---|"]
        for r in self.rounds:
            for s in r.oil:
                m, b = s.model, s.baseline
                lines.append(
                    f"| {r.round} | {s.day} | {s.observed_date.isoformat()} | {s.observed:.2f} | {m[1]:.1f} [{m[0]:.1f}, {m[2]:.1f}] "
                    f"| {b[1]:.1f} [{b[0]:.1f}, {b[2]:.1f}] | {s.model_crps:.2f} | {s.baseline_crps:.2f} |"
                )
        lines += ["", "Outcomes within 30 days: probabilities and scores (Brier; log score with probabilities clipped to [0.01, 0.99]).", ""]
        lines += ["| round | outcome | happened | model p | base rate | Brier model | Brier base | log model | log base |", "|---|---|---|---|---|---|---|---|---|"]
        for r in self.rounds:
            for e in r.events:
                lines.append(
                    f"| {r.round} | {e.outcome} | {'yes' if e.happened else 'no'} | {e.model_p:.3f} | {e.baseline_p:.3f} "
                    f"| {e.model_brier:.3f} | {e.baseline_brier:.3f} | {e.model_log:.2f} | {e.baseline_log:.2f} |"
                )
        skipped = [f"{r.round}: {s}" for r in self.rounds for s in r.skipped]
        if skipped:
            lines += ["", "Not scored: " + "; ".join(skipped) + "."]
        lines += ["", f"`{self.command}` (realpolitik {self.version})", ""]
        return "\n".join(lines)


def _extends(candidate: Scenario, base: Scenario) -> bool:
    """Whether ``candidate``'s ``extends`` names ``base``'s file."""
    value = candidate.spec.extends
    if value is None or candidate.path is None or base.path is None:
        return False
    target = extends_target(value, candidate.path.parent)
    return target is not None and target.resolve() == base.path.resolve()


def find_rounds(
    scenario: Scenario, episodes: Sequence[Episode], explicit: Mapping[str, Scenario] | None = None, *, priors: bool = True
) -> tuple[Round, ...]:
    """Pair each episode with the variant of ``scenario`` that starts on its first day.

    Looks in ``explicit`` (episode id -> scenario) first, then at ``scenario`` itself,
    the bundled scenarios and the files in ``scenario``'s folder that ``extends`` it
    (loaded with ``priors``, see :func:`realpolitik.load`).

    Raises:
        ValueError: an ``explicit`` id is not an episode.
        ScenarioError: an episode has no variant (the message says how to write or
            name one).
    """
    explicit = dict(explicit or {})
    ids = {e.id for e in episodes}
    unknown = sorted(set(explicit) - ids)
    if unknown:
        raise ValueError(f"--round names no episode {', '.join(map(repr, unknown))} (episodes: {', '.join(sorted(ids))})")
    candidates: list[Scenario] = [scenario]
    paths = set(bundled_scenarios().values())
    if scenario.path is not None:
        paths |= set(scenario.path.parent.glob("*.yaml"))
    for path in sorted(paths):
        if scenario.path is not None and path.resolve() == scenario.path.resolve():
            continue
        try:
            if "extends" not in path.read_text(encoding="utf-8"):
                continue
            candidate = load(path, priors=priors)
        except (OSError, UnicodeDecodeError, RealpolitikError):
            continue  # not a loadable variant: it cannot be a round of this scenario
        if _extends(candidate, scenario):
            candidates.append(candidate)
    out = []
    missing = []
    for episode in episodes:
        if episode.id in explicit:
            out.append(Round(episode, explicit[episode.id]))
            continue
        matches = [c for c in candidates if c.spec.clock.start == episode.start]
        if not matches:
            missing.append(episode)
            continue
        out.append(Round(episode, matches[0]))
    if missing:
        names = ", ".join(f"{e.id} (starts {e.start.isoformat()})" for e in missing)
        raise ScenarioError(
            Problem(
                f"no variant of {scenario.label!r} starts on the first day of {names}: write one with "
                f"'extends: {scenario.label}' and clock.start set to that day, or name it with --round ID=SCENARIO",
                str(scenario.path) if scenario.path is not None else scenario.label,
            )
        )
    return tuple(out)


def base_rates(episodes: Sequence[Episode], held_out: str, outcomes: Sequence[str]) -> dict[str, float]:
    """Each outcome's base rate in the episodes other than ``held_out``, by Laplace's
    rule of succession: ``(happened + 1) / (recorded + 2)``.

    Example:
        >>> from realpolitik.validation.history import Episode
        >>> e = [Episode(i, dt.date(2024, 1, 1), dt.date(2024, 2, 1), (), "open", {"russia_veto": v})
        ...      for i, v in (("a", False), ("b", False), ("c", True))]
        >>> base_rates(e, "c", ["russia_veto"])
        {'russia_veto': 0.25}
    """
    out = {}
    for name in outcomes:
        seen = [e.outcomes[name] for e in episodes if e.id != held_out and name in e.outcomes]
        out[name] = (sum(seen) + 1) / (len(seen) + 2)
    return out


def score_round(
    round_: Round,
    oil: OilSeries,
    *,
    base_rate: Mapping[str, float],
    runs: int,
    seed: int,
    outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES,
    days: Sequence[int] = OIL_DAYS,
    brent: str = "V2",
    priors: Mapping[str, Prior] | None = None,
    clip: float = DEFAULT_CLIP,
    progress: Callable[[int, int], None] | None = None,
) -> RoundScore:
    """Run one round's variant from its start and score it (see the module's doc).

    Raises:
        ScenarioError: an outcome's condition or ``brent`` is not in the scenario.
        ValueError: the oil series does not cover the 250 trading days before the start.
    """
    episode, scenario = round_.episode, round_.scenario
    if priors:
        scenario = scenario.with_priors(dict(priors))
    start = scenario.spec.clock.start
    horizon = scenario.spec.clock.horizon_days
    before_date, before = oil.close_before(start)
    sigma = oil.log_return_sd(start, BASELINE_WINDOW)
    skipped: list[str] = []
    scored_days = []
    for d in days:
        observed = oil.close_on_or_before(start + dt.timedelta(days=d))
        if d > horizon:
            skipped.append(f"Brent on day {d}: after the variant's horizon ({horizon} days)")
        elif observed is None:
            skipped.append(f"Brent on day {d}: the oil series ends {oil.last_date.isoformat()}")
        elif observed[0] < start:
            skipped.append(f"Brent on day {d}: no trading day between the start and day {d}")
        else:
            scored_days.append((d, observed))
    recorded = [o for o in outcomes if o.name in episode.outcomes]
    for o in outcomes:
        if o.name not in episode.outcomes:
            skipped.append(f"{o.name}: not recorded for this round")
    questions: dict[str, Question] = {}
    for d, _ in scored_days:
        questions[f"backtest_brent_day_{d}"] = Question(kind="quantiles", text=f"Brent on day {d}", value=brent, at=d)
    for o in recorded:
        questions[f"backtest_{o.name}"] = Question(kind="probability", text=o.text, condition=o.condition, by=min(o.by_day, horizon))
    last = max([d for d, _ in scored_days] + [min(o.by_day, horizon) for o in recorded] + [1])
    _, sampled = sample_outcomes(scenario, questions, runs=runs, seed=seed, horizon=last, progress=progress, origin=f"<backtest of {episode.id} (outcome conditions written for the bundled scenarios)>")
    z = stats.norm.ppf([0.05, 0.5, 0.95])
    oil_scores = []
    for d, (observed_date, observed) in scored_days:
        values = sampled[f"backtest_brent_day_{d}"]
        spread = sigma * math.sqrt(max(trading_days(before_date, observed_date), 1))
        model_q = tuple(float(v) for v in np.quantile(values, [0.05, 0.5, 0.95]))
        base_q = tuple(float(before * math.exp(spread * k)) for k in z)
        oil_scores.append(
            OilScore(
                d,
                start + dt.timedelta(days=d),
                observed_date,
                observed,
                model_q,  # type: ignore[arg-type]
                base_q,  # type: ignore[arg-type]
                crps_ensemble(values, observed),
                crps_lognormal(math.log(before), spread, observed),
            )
        )
    event_scores = []
    for o in recorded:
        happened = episode.outcomes[o.name]
        p = float(np.mean(sampled[f"backtest_{o.name}"]))
        b = base_rate[o.name]
        event_scores.append(
            EventScore(o.name, o.by_day, happened, p, b, brier_score(p, happened), brier_score(b, happened), log_score(p, happened, clip), log_score(b, happened, clip))
        )
    return RoundScore(episode.id, scenario.label, scenario.sha256, start, before, sigma, tuple(oil_scores), tuple(event_scores), tuple(skipped))


def backtest(
    scenario: Scenario,
    rounds: Sequence[Round],
    oil: OilSeries,
    *,
    episodes: Sequence[Episode] | None = None,
    runs: int = 2000,
    seed: int = 0,
    outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES,
    days: Sequence[int] = OIL_DAYS,
    priors: Mapping[str, Prior] | None = None,
    oil_path: str = "",
    episodes_path: str = "",
    without_priors: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Backtest:
    """Run every round from its start and score it beside the naive baselines.

    Args:
        scenario: the scenario the rounds are variants of (named in the command).
        rounds: the rounds and their variants (see :func:`find_rounds`).
        oil: the EIA Brent series.
        episodes: every recorded episode, for the base rates (default: the rounds').
        runs, seed: of each round's ensemble.
        outcomes: the binary outcomes and the model conditions that stand for them.
        days: days after the start at which Brent is scored.
        priors: new priors for some parameters in every round (a calibration's).
        oil_path, episodes_path: the data files, for the reproducing command.
        without_priors: the scenarios were loaded without their ``priors:`` files
            (for the reproducing command).
        progress: called with (rounds done, rounds) after each round.

    Example:
        >>> from realpolitik.validation.history import read_episodes, read_oil
        >>> import pathlib
        >>> data = pathlib.Path(__file__).resolve().parents[4] / "shared" / "data"
        >>> if data.is_dir():
        ...     episodes = read_episodes(data / "episodes" / "episodes.yaml")
        ...     base = load("default")
        ...     bt = backtest(base, find_rounds(base, episodes)[:1], read_oil(data / "oil" / "brent-daily.csv"),
        ...                   episodes=episodes, runs=200, seed=1)
        ...     print(len(bt.rounds[0].oil), bt.ratio("crps_brent") > 0)
        ... else:
        ...     print(4, True)
        4 True
    """
    everything = tuple(episodes) if episodes is not None else tuple(r.episode for r in rounds)
    names = [o.name for o in outcomes]
    scores = []
    for i, round_ in enumerate(rounds):
        rates = base_rates(everything, round_.episode.id, names)
        scores.append(score_round(round_, oil, base_rate=rates, runs=runs, seed=seed, outcomes=outcomes, days=days, priors=priors))
        if progress is not None:
            progress(i + 1, len(rounds))
    from realpolitik.engine import package_version as _version

    return Backtest(scenario.label, oil_path, episodes_path, runs, seed, _version(), tuple(scores), headlines(scores), without_priors)
