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

The rolling backtest (:func:`rolling_backtest`) forecasts each round from several
dates inside it, each conditioned only on what was known by then (the Brent closes
up to the date, the episode's dated facts up to it), and scores Brent 7 and 30 days
later against a random walk from the same date, and the outcomes against the same
base rates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from realpolitik._output import ResultOutput
from realpolitik.errors import DataError, Problem, RealpolitikError, ScenarioError
from realpolitik.inference import Observation, PriceSeries, evidence_as_of, read_prices, run_as_of
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
    "ROLLING_OFFSETS",
    "ROLLING_DAYS",
    "CURRENT_AS_OF",
    "BRENT_SERIES",
    "ESCALATION_REPORTS",
    "RollingRound",
    "AsOfForecast",
    "AsOfScore",
    "RollingRoundScore",
    "RollingBacktest",
    "episode_reports",
    "moved_start",
    "rolling_rounds",
    "forecast_as_of",
    "score_as_of",
    "rolling_backtest",
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
    return _headlines([s for r in rounds for s in r.oil], [s for r in rounds for s in r.events])


def _band(q: Sequence[float]) -> str:
    """A forecast's (q05, q50, q95) as ``q50 [q05, q95]``, for the Markdown tables."""
    return f"{q[1]:.1f} [{q[0]:.1f}, {q[2]:.1f}]"


def _headlines(oil: Sequence[OilScore], events: Sequence[EventScore]) -> tuple[Headline, ...]:
    """The mean scores of these oil and event scores (see :func:`headlines`)."""
    out = []
    if oil:
        out.append(Headline("crps_brent", float(np.mean([s.model_crps for s in oil])), float(np.mean([s.baseline_crps for s in oil])), len(oil)))
        for day in sorted({s.day for s in oil}):
            at = [s for s in oil if s.day == day]
            out.append(Headline(f"crps_brent_day_{day}", float(np.mean([s.model_crps for s in at])), float(np.mean([s.baseline_crps for s in at])), len(at)))
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
                    f"| {r.round} | {s.day} | {s.observed_date.isoformat()} | {s.observed:.2f} | {_band(m)} "
                    f"| {_band(b)} | {s.model_crps:.2f} | {s.baseline_crps:.2f} |"
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


# ---------------------------------------------------------------- rolling backtest
#
# Forecasts made as of several dates inside each round, each conditioned only on what
# was known by then (the Brent closes up to the date, the episode's dated facts up to
# it), then scored against what followed. The forecast reads the oil file through
# ``evidence_as_of`` (cut at the date: later rows are not parsed) and the episode's
# facts dated on or before the date; only the scoring reads the whole record.

#: Days after a past round's start from which the rolling backtest forecasts.
ROLLING_OFFSETS: tuple[int, ...] = (0, 3, 7, 14)
#: Days after each as-of date at which Brent is scored.
ROLLING_DAYS: tuple[int, ...] = (7, 30)
#: As-of dates inside the first week of the 2026 war (it began on 2026-02-28, the
#: bundled scenario starts on 2026-03-08, the EIA series ends on 2026-03-06).
CURRENT_AS_OF: tuple[dt.date, ...] = (dt.date(2026, 2, 28), dt.date(2026, 3, 2), dt.date(2026, 3, 4), dt.date(2026, 3, 6))
#: The price series the oil file is given to the scenario as (its ``observed_by.series``).
BRENT_SERIES = "brent"
#: An episode's escalation level -> the indicators an entry at that level reports:
#: strikes in an exchange of strikes (levels 2 and 3) are another round of tit-for-tat
#: strikes (I7), strikes on civilian or nuclear sites (level 4) cross the red line (I8).
#: Levels 0 (calm) and 1 (strikes on military sites) have no indicator.
ESCALATION_REPORTS: Mapping[int, tuple[str, ...]] = MappingProxyType({2: ("tit_for_tat_round",), 3: ("tit_for_tat_round",), 4: ("red_line_strikes",)})


def episode_reports(episode: Episode, as_of: dt.date, mapping: Mapping[int, Sequence[str]] = ESCALATION_REPORTS) -> tuple[Observation, ...]:
    """The episode's dated facts known by ``as_of``, as reports of the scenario's indicators.

    Every entry of the escalation path dated after the round's first day and on or
    before ``as_of`` reports the indicators its level maps to (``mapping``), on its
    date, with confidence 1 (the episodes are a curated record). The first day's
    entries are the variant's initial state already; the episode's undated facts
    (its Hormuz status, Russia's conduct, the true/false facts) are outcomes to score,
    never reports.

    Example:
        >>> e = Episode("x", dt.date(2024, 4, 1), dt.date(2024, 4, 30),
        ...             ((dt.date(2024, 4, 1), 1), (dt.date(2024, 4, 13), 2), (dt.date(2024, 4, 22), 0)), "open")
        >>> [(o.indicator, o.date.isoformat()) for o in episode_reports(e, dt.date(2024, 4, 15))]
        [('tit_for_tat_round', '2024-04-13')]
        >>> episode_reports(e, dt.date(2024, 4, 12))
        ()
    """
    out = []
    for when, level in episode.escalation_path:
        if episode.start < when <= as_of:
            for name in mapping.get(level, ()):
                out.append(Observation(name, when, 1.0, f"{episode.id}: escalation level {level} on {when.isoformat()}"))
    return tuple(out)


def _observed_variable(scenario: Scenario, series: str) -> str:
    """The variable the scenario observes by ``series``.

    Raises:
        ScenarioError: none is.
    """
    for v in scenario.model.variables:
        if v.observed_by is not None and v.observed_by[0] == series:
            return v.name
    names = ", ".join(sorted(v.observed_by[0] for v in scenario.model.variables if v.observed_by is not None)) or "none"
    raise ScenarioError(
        Problem(f"no variable of scenario {scenario.name!r} is observed by a series {series!r} (observed_by series: {names}); "
                f"the rolling backtest gives it the oil file as {series!r}", scenario.label)
    )


def moved_start(scenario: Scenario, start: dt.date, closes: PriceSeries) -> Scenario:
    """The scenario with its clock moved to ``start`` and the variable that ``closes``
    observes starting at their last value before ``start``.

    Everything else (the other initial states, the priors, the horizon in days) is
    the scenario's own, but its as-of date and log, which belong to its own start: a
    forecast from another date is made by the same model, from the price that was
    known then, on the evidence it is given.

    Args:
        closes: the series up to the day before ``start`` at most (e.g. read with
            ``read_prices(path, "brent", as_of=start - 1 day)``).

    Raises:
        ScenarioError: no variable of the scenario is observed by the series.
        DataError: the series has no value before ``start``.
    """
    name = _observed_variable(scenario, closes.name)
    before = [(d, v) for d, v in zip(closes.dates, closes.values) if d < start]
    if not before:
        raise DataError(Problem(f"no {closes.name} value before {start.isoformat()} to start {scenario.name} from", closes.source or None))
    date, value = before[-1]
    spec = scenario.spec
    variable = spec.variables[name].model_copy(
        update={"initial": repr(float(value)), "rationale": f"The {closes.name} close of {date.isoformat()}, the last before {start.isoformat()} (rolling backtest)."}
    )
    # a forecast from another start is made on the evidence it is given: the scenario's
    # own as-of date and log belong to its own start
    clock = spec.clock.model_copy(update={"start": start, "as_of": None})
    moved = spec.model_copy(update={"clock": clock, "variables": {**spec.variables, name: variable}, "log": None})
    return scenario.with_spec(moved, origin=f"<{scenario.name} from {start.isoformat()}>")


@dataclass(frozen=True)
class RollingRound:
    """A round of the rolling backtest: its scenario and the dates it is forecast from.

    Attributes:
        id: the episode's id, or the scenario's name for its own round.
        scenario: the variant that starts on the round's first day (for the
            scenario's own round: the scenario, its clock moved back if need be).
        as_of: the dates forecasts are made from, ascending.
        episode: the recorded round (its dated facts and outcomes), or ``None``.
        derived: how ``scenario`` was derived from the scenario file, if it was.
    """

    id: str
    scenario: Scenario
    as_of: tuple[dt.date, ...]
    episode: Episode | None = None
    derived: str = ""

    @property
    def start(self) -> dt.date:
        """The first day of the round's scenario."""
        return self.scenario.spec.clock.start


def rolling_rounds(
    scenario: Scenario,
    rounds: Sequence[Round],
    oil_path: str | Path,
    *,
    offsets: Sequence[int] = ROLLING_OFFSETS,
    current_as_of: Sequence[dt.date] = CURRENT_AS_OF,
    series: str = BRENT_SERIES,
) -> tuple[RollingRound, ...]:
    """The past rounds, each forecast from its start plus ``offsets`` days, and the
    scenario's own round forecast from ``current_as_of``.

    When the first of ``current_as_of`` is before the scenario's start, its round
    runs the scenario with the clock moved back to that date (:func:`moved_start`),
    its Brent starting at the last close before it (read from ``oil_path`` up to the
    day before, no further).

    Raises:
        ValueError: a negative offset.
        ScenarioError, DataError: see :func:`moved_start`.
    """
    bad = [d for d in offsets if d < 0]
    if bad:
        raise ValueError(f"--offsets: days after a round's start are 0 or more, got {bad[0]}")
    days = sorted(set(offsets))
    out = [RollingRound(r.episode.id, r.scenario, tuple(r.scenario.spec.clock.start + dt.timedelta(days=d) for d in days), r.episode) for r in rounds]
    if current_as_of:
        dates = tuple(sorted(set(current_as_of)))
        own, derived = scenario, ""
        if dates[0] < scenario.spec.clock.start:
            closes = read_prices(oil_path, series, as_of=dates[0] - dt.timedelta(days=1))
            own = moved_start(scenario, dates[0], closes)
            name = _observed_variable(scenario, series)
            derived = (
                f"clock.start moved from {scenario.spec.clock.start.isoformat()} to {dates[0].isoformat()}; "
                f"{name} starts at {own.spec.variables[name].initial}, the close of {closes.dates[-1].isoformat()}"
            )
        out.append(RollingRound(scenario.name, own, dates, None, derived))
    return tuple(out)


@dataclass(frozen=True)
class AsOfForecast:
    """A forecast made as of a date from what was known then, before any scoring.

    Attributes:
        round: the round's id.
        as_of: the date: nothing after it was read.
        day: days from the round's start to ``as_of``.
        scenario, sha256: the scenario that was run.
        reports: the episode's facts used, as indicator reports.
        brent_points: Brent closes the filter used (from the round's start to ``as_of``).
        last_close_date, last_close: the last close on or before ``as_of``, where the
            random walk starts.
        volatility: the random walk's daily log-return sd (the 250 returns up to ``as_of``).
        brent: days after ``as_of`` -> each run's Brent on that day.
        probabilities: outcome -> (days after ``as_of`` it is asked by, the model's
            probability that it happens by then).
        warnings: the filter's (a collapsed ensemble, a surprising observation).
    """

    round: str
    as_of: dt.date
    day: int
    scenario: str
    sha256: str
    reports: tuple[Observation, ...]
    brent_points: int
    last_close_date: dt.date
    last_close: float
    volatility: float
    brent: dict[int, tuple[float, ...]] = field(repr=False)
    probabilities: dict[str, tuple[int, float]]
    warnings: tuple[str, ...] = ()

    def quantiles(self, day: int) -> tuple[float, float, float]:
        """The 5%, 50% and 95% quantiles of Brent ``day`` days after ``as_of``."""
        q = np.quantile(np.asarray(self.brent[day]), [0.05, 0.5, 0.95])
        return (float(q[0]), float(q[1]), float(q[2]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "day": self.day,
            "reports": [{"indicator": o.indicator, "date": o.date.isoformat(), "source": o.label} for o in self.reports],
            "brent_points": self.brent_points,
            "last_close": {"date": self.last_close_date.isoformat(), "close": self.last_close},
            "volatility": self.volatility,
            "brent": {str(d): dict(zip(("q05", "q50", "q95"), self.quantiles(d))) for d in self.brent},
            "probabilities": {k: {"by_day": by, "p": p} for k, (by, p) in self.probabilities.items()},
            "warnings": list(self.warnings),
        }


def forecast_as_of(
    round_: RollingRound,
    as_of: dt.date,
    oil_path: str | Path,
    *,
    runs: int,
    seed: int,
    days: Sequence[int] = ROLLING_DAYS,
    outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES,
    series: str = BRENT_SERIES,
    progress: Callable[[int, int], None] | None = None,
    db: str | Path | None = None,
) -> AsOfForecast:
    """Forecast Brent and the outcomes from ``as_of``, conditioned only on what was
    known by then.

    The runs are filtered from the round's start to ``as_of`` (see
    :func:`realpolitik.inference.run_as_of`) on the Brent closes up to ``as_of``
    (``oil_path`` is read up to that date and no further) and on the episode's
    facts dated up to it (:func:`episode_reports`), then run on. Only the indicators
    the episodes can report are taken as silent on a day with a report: an episode
    records its escalation, not every statement of that day.

    Brent is forecast ``days`` after ``as_of`` (within the scenario's horizon), and
    each outcome by the end of its window counted from the round's start
    (``by_day``), where that is after ``as_of``.

    Raises:
        RealpolitikError: ``as_of`` is outside the scenario's clock.
        DataError: the oil file is missing or malformed up to ``as_of``, or holds
            fewer than 251 closes up to it.
        ScenarioError: the scenario has no variable observed by ``series``, or an
            outcome's condition is not in it.
    """
    scenario = round_.scenario
    clock = scenario.spec.clock
    day = (as_of - clock.start).days
    name = _observed_variable(scenario, series)
    reports = episode_reports(round_.episode, as_of) if round_.episode is not None else ()
    news = db if round_.episode is None else None  # a round with an episode takes its facts from it
    evidence = evidence_as_of(scenario, as_of, prices={series: oil_path}, reports=reports, db=news)
    if news is None:
        evidence = dataclasses.replace(evidence, silent=frozenset(n for names in ESCALATION_REPORTS.values() for n in names))
    (closes,) = evidence.prices
    if len(closes.values) < BASELINE_WINDOW + 1:
        raise DataError(Problem(f"{BASELINE_WINDOW + 1} closes up to {as_of.isoformat()} are needed for the random walk's volatility; the file has {len(closes.values)}", str(oil_path)))
    window = np.log(np.asarray(closes.values[-BASELINE_WINDOW - 1 :]))
    sigma = float(np.diff(window).std(ddof=1))
    questions: dict[str, Question] = {}
    for d in days:
        if day + d <= clock.horizon_days:
            questions[f"rolling_brent_day_{d}"] = Question(kind="quantiles", text=f"Brent {d} days after the as-of date", value=name, at=d)
    # an outcome's window counts from the round's start; the question's days from as_of
    by_day = {o.name: min(o.by_day, clock.horizon_days) - day for o in outcomes if min(o.by_day, clock.horizon_days) - day >= 1}
    for o in outcomes:
        if o.name in by_day:
            questions[f"rolling_{o.name}"] = Question(kind="probability", text=o.text, condition=o.condition, by=by_day[o.name])
    horizon = max([d for d in days if day + d <= clock.horizon_days] + list(by_day.values()) + [1])
    asked = scenario.with_questions(questions, origin=f"<rolling backtest of {round_.id} (outcome conditions written for the bundled scenarios)>")
    results = run_as_of(asked, evidence, runs=runs, seed=seed, horizon=horizon, progress=progress)
    conditioning = results.conditioning or {}
    return AsOfForecast(
        round_.id,
        as_of,
        day,
        scenario.label,
        scenario.sha256,
        reports,
        int(conditioning.get("prices", {}).get(series, {}).get("points", 0)),
        closes.dates[-1],
        float(closes.values[-1]),
        sigma,
        {d: tuple(float(x) for x in results.outcomes[f"rolling_brent_day_{d}"]) for d in days if f"rolling_brent_day_{d}" in questions},
        {o: (by, float(np.mean(results.outcomes[f"rolling_{o}"]))) for o, by in by_day.items()},
        tuple(conditioning.get("warnings", ())),
    )


def _close_by(oil: OilSeries, date: dt.date) -> tuple[dt.date, float] | None:
    """The close on or before ``date``; past the series' end too when no weekday lies
    between its last day and ``date`` (a weekend has no close to wait for)."""
    if date > oil.last_date and trading_days(oil.last_date, date) == 0:
        return oil.last_date, float(oil.prices[-1])
    return oil.close_on_or_before(date)


def _decided_by(episode: Episode, outcome: str, as_of: dt.date) -> dt.date | None:
    """The recorded date by which ``outcome`` had happened, when that is on or before
    ``as_of`` (only the ceasefire is dated: the first return to level 0)."""
    if outcome == "ceasefire_30d":
        calm = [when for when, level in episode.escalation_path if level == 0 and when > episode.start]
        if calm and calm[0] <= as_of:
            return calm[0]
    return None


@dataclass(frozen=True)
class AsOfScore:
    """One as-of forecast scored against what followed.

    Attributes:
        forecast: the forecast (made before any of this was read).
        oil: Brent ``day`` days after the as-of date against the EIA close and the
            random walk from the last close on or before the as-of date.
        events: the recorded outcomes against the base rates.
        skipped: what could not be scored, with the reason.
    """

    forecast: AsOfForecast
    oil: tuple[OilScore, ...]
    events: tuple[EventScore, ...]
    skipped: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.forecast.to_dict(),
            "oil": [s.to_dict() for s in self.oil],
            "events": [s.to_dict() for s in self.events],
            "skipped": list(self.skipped),
        }


def score_as_of(
    forecast: AsOfForecast,
    oil: OilSeries,
    episode: Episode | None,
    *,
    base_rate: Mapping[str, float],
    days: Sequence[int] = ROLLING_DAYS,
    clip: float = DEFAULT_CLIP,
) -> AsOfScore:
    """Score a forecast against the record after its as-of date (see the module's doc).

    An outcome that the record shows had already happened by the as-of date (a
    ceasefire before it) is not scored: it was no longer a forecast.
    """
    as_of = forecast.as_of
    skipped: list[str] = []
    z = stats.norm.ppf([0.05, 0.5, 0.95])
    oil_scores = []
    for d in days:
        target = as_of + dt.timedelta(days=d)
        if d not in forecast.brent:
            skipped.append(f"Brent on {target.isoformat()}: after the scenario's horizon")
            continue
        observed = _close_by(oil, target)
        if observed is None:
            skipped.append(f"Brent on {target.isoformat()}: the oil series ends {oil.last_date.isoformat()}")
            continue
        observed_date, price = observed
        if observed_date <= forecast.last_close_date:
            skipped.append(f"Brent on {target.isoformat()}: no trading day after the as-of date")
            continue
        spread = forecast.volatility * math.sqrt(max(trading_days(forecast.last_close_date, observed_date), 1))
        values = np.asarray(forecast.brent[d])
        base_q = tuple(float(forecast.last_close * math.exp(spread * k)) for k in z)
        oil_scores.append(
            OilScore(d, target, observed_date, price, forecast.quantiles(d), base_q, crps_ensemble(values, price), crps_lognormal(math.log(forecast.last_close), spread, price))  # type: ignore[arg-type]
        )
    events = []
    if episode is None:
        skipped.append("outcomes: none recorded for this round")
    else:
        recorded = episode.outcomes
        for name, (by, p) in forecast.probabilities.items():
            if name not in recorded:
                skipped.append(f"{name}: not recorded for this round")
                continue
            decided = _decided_by(episode, name, as_of)
            if decided is not None:
                skipped.append(f"{name}: had happened by the as-of date ({decided.isoformat()})")
                continue
            happened = recorded[name]
            b = base_rate[name]
            events.append(EventScore(name, by, happened, p, b, brier_score(p, happened), brier_score(b, happened), log_score(p, happened, clip), log_score(b, happened, clip)))
    return AsOfScore(forecast, tuple(oil_scores), tuple(events), tuple(skipped))


@dataclass(frozen=True)
class RollingRoundScore:
    """The scores of one round's as-of forecasts.

    Attributes:
        round: its id; ``scenario``, ``sha256`` what was run; ``start`` its first day.
        derived: how the scenario was derived from the file, if it was.
        forecasts: one per as-of date.
        headline: the round's mean scores and their ratios.
    """

    round: str
    scenario: str
    sha256: str
    start: dt.date
    derived: str
    forecasts: tuple[AsOfScore, ...]
    headline: tuple[Headline, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "scenario": self.scenario,
            "sha256": self.sha256,
            "start": self.start.isoformat(),
            "derived": self.derived,
            "headline": [h.to_dict() for h in self.headline],
            "forecasts": [f.to_dict() for f in self.forecasts],
        }


@dataclass(frozen=True)
class RollingBacktest(ResultOutput):
    """The result of :func:`rolling_backtest`.

    Attributes:
        scenario: the scenario the rounds are variants of (its label).
        oil_path, episodes_path: the data, as given.
        runs, seed: of every forecast's ensemble.
        offsets: days after each past round's start forecast from.
        current_as_of: the dates the scenario's own round was forecast from.
        version: the package's version.
        rounds: one score per round.
        headline: the mean scores over every round and their ratios
            (``crps_brent``, per day after the as-of date, ``brier``, ``log``).
        without_priors: the scenarios were loaded without their ``priors:`` files.
    """

    scenario: str
    oil_path: str
    episodes_path: str
    runs: int
    seed: int
    offsets: tuple[int, ...]
    current_as_of: tuple[dt.date, ...]
    version: str
    rounds: tuple[RollingRoundScore, ...]
    headline: tuple[Headline, ...] = ()
    without_priors: bool = False
    #: the news store the scenario's own round was conditioned on, as given (None: none)
    db: str | None = None

    @property
    def command(self) -> str:
        """The command line that reproduces the rolling backtest."""
        current = ",".join(d.isoformat() for d in self.current_as_of) or "none"
        return (
            f"realpolitik backtest {shlex.quote(self.scenario)} --rolling --oil {shlex.quote(self.oil_path)} "
            f"--episodes {shlex.quote(self.episodes_path)} --offsets {','.join(map(str, self.offsets))} --current-as-of {current} "
            f"--runs {self.runs} --seed {self.seed}" + (" --without-priors" if self.without_priors else "")
            + (f" --db {shlex.quote(self.db)}" if self.db else "")
        )

    def ratio(self, metric: str, round_: str | None = None) -> float:
        """The model-to-baseline ratio of a headline metric, over every round or of one."""
        heads = self.headline if round_ is None else next((r.headline for r in self.rounds if r.round == round_), None)
        if heads is None:
            raise KeyError(f"no round {round_!r} (rounds: {', '.join(r.round for r in self.rounds)})")
        for h in heads:
            if h.metric == metric:
                return h.ratio
        raise KeyError(f"no headline {metric!r} (headlines: {', '.join(h.metric for h in heads)})")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``backtest --rolling --json`` prints)."""
        return {
            "run": {
                "scenario": self.scenario,
                "rolling": True,
                "oil": self.oil_path,
                "episodes": self.episodes_path,
                "runs": self.runs,
                "seed": self.seed,
                "offsets": list(self.offsets),
                "current_as_of": [d.isoformat() for d in self.current_as_of],
                "version": self.version,
                "command": self.command,
            },
            "headline": [h.to_dict() for h in self.headline],
            "rounds": [r.to_dict() for r in self.rounds],
        }

    def to_arrow(self) -> pa.Table:
        """One row per round, as-of date, item and metric: ``round``, ``as_of`` (empty
        for a headline), ``item`` (``brent_day_7``, an outcome, or ``all``), ``metric``,
        ``model``, ``baseline``, ``observed``."""
        import pyarrow as pa

        keys = ("round", "as_of", "item", "metric", "model", "baseline", "observed")
        rows: dict[str, list[Any]] = {k: [] for k in keys}

        def add(*values: Any) -> None:
            for k, v in zip(keys, values):
                rows[k].append(v)

        for r in self.rounds:
            for f in r.forecasts:
                when = f.forecast.as_of.isoformat()
                for s in f.oil:
                    add(r.round, when, f"brent_day_{s.day}", "crps", s.model_crps, s.baseline_crps, s.observed)
                for e in f.events:
                    add(r.round, when, e.outcome, "probability", e.model_p, e.baseline_p, float(e.happened))
                    add(r.round, when, e.outcome, "brier", e.model_brier, e.baseline_brier, float(e.happened))
                    add(r.round, when, e.outcome, "log", e.model_log, e.baseline_log, float(e.happened))
            for h in r.headline:
                add(r.round, "", "all", h.metric, h.model, h.baseline, math.nan)
        for h in self.headline:
            add("all", "", "all", h.metric, h.model, h.baseline, math.nan)
        table = pa.table({k: pa.array(v, pa.float64() if k in ("model", "baseline", "observed") else pa.string()) for k, v in rows.items()})
        return table.replace_schema_metadata({"realpolitik.command": self.command, "realpolitik.version": self.version})

    def to_markdown(self, title: str = "Rolling backtest") -> str:
        """The rolling backtest as a report section (Markdown): headlines overall and
        per round, Brent and outcome tables per as-of date."""
        lines = [f"## {title}", "", "| round | score | model | baseline | model / baseline | n |", "|---|---|---|---|---|---|"]
        for name, heads in [("all", self.headline)] + [(r.round, r.headline) for r in self.rounds]:
            for h in heads:
                lines.append(f"| {name} | {h.metric} | {h.model:.3g} | {h.baseline:.3g} | **{h.ratio:.2f}** | {h.n} |")
        lines += ["", "Brent (USD/bbl) from each as-of date: EIA close, model and random-walk medians with 90% ranges, CRPS.", ""]
        lines += ["| round | as of | reports | day | EIA (date) | model q50 [q05, q95] | baseline q50 [q05, q95] | CRPS model | CRPS baseline |", "|---|---|---|---|---|---|---|---|---|"]
        for r in self.rounds:
            for f in r.forecasts:
                for s in f.oil:
                    m, b = s.model, s.baseline
                    lines.append(
                        f"| {r.round} | {f.forecast.as_of.isoformat()} | {len(f.forecast.reports)} | {s.day} | {s.observed:.2f} ({s.observed_date.isoformat()}) "
                        f"| {_band(m)} | {_band(b)} | {s.model_crps:.2f} | {s.baseline_crps:.2f} |"
                    )
        lines += ["", "Outcomes by the end of their window (days from the as-of date): probabilities and scores.", ""]
        lines += ["| round | as of | outcome | by day | happened | model p | base rate | Brier model | Brier base |", "|---|---|---|---|---|---|---|---|---|"]
        for r in self.rounds:
            for f in r.forecasts:
                for e in f.events:
                    lines.append(
                        f"| {r.round} | {f.forecast.as_of.isoformat()} | {e.outcome} | {e.by_day} | {'yes' if e.happened else 'no'} "
                        f"| {e.model_p:.3f} | {e.baseline_p:.3f} | {e.model_brier:.3f} | {e.baseline_brier:.3f} |"
                    )
        derived = [f"{r.round}: {r.derived}" for r in self.rounds if r.derived]
        if derived:
            lines += ["", "Derived scenarios: " + "; ".join(derived) + "."]
        skipped = [f"{r.round} as of {f.forecast.as_of.isoformat()}: {s}" for r in self.rounds for f in r.forecasts for s in f.skipped]
        if skipped:
            lines += ["", "Not scored: " + "; ".join(skipped) + "."]
        lines += ["", f"`{self.command}` (realpolitik {self.version})", ""]
        return "\n".join(lines)


def _check_as_of(rounds: Sequence[RollingRound], oil: OilSeries, oil_path: str) -> None:
    """Every as-of date inside its scenario's clock and the oil series, or one error
    naming them all."""
    problems = []
    first_usable: dt.date | None = oil.dates[BASELINE_WINDOW].astype(object) if len(oil.dates) > BASELINE_WINDOW else None
    for r in rounds:
        clock = r.scenario.spec.clock
        end = clock.start + dt.timedelta(days=clock.horizon_days)
        for as_of in r.as_of:
            where = f"{r.id} as of {as_of.isoformat()}"
            if as_of > oil.last_date:
                problems.append(Problem(f"{where}: after the oil series ends ({oil.last_date.isoformat()}); forecast from a date up to it", oil_path))
            elif first_usable is None or as_of < first_usable:
                problems.append(Problem(f"{where}: the random walk needs {BASELINE_WINDOW} returns up to the date; the oil series has them from {first_usable.isoformat() if first_usable else 'no date'}", oil_path))
            if as_of < clock.start or as_of > end:
                problems.append(Problem(f"{where}: outside the clock of {r.scenario.label} ({clock.start.isoformat()} to {end.isoformat()}); give days after the start within it", r.scenario.label))
    if problems:
        raise DataError(problems)


def rolling_backtest(
    scenario: Scenario,
    rounds: Sequence[Round],
    oil_path: str | Path,
    *,
    episodes: Sequence[Episode] | None = None,
    offsets: Sequence[int] = ROLLING_OFFSETS,
    current_as_of: Sequence[dt.date] = CURRENT_AS_OF,
    runs: int = 2000,
    seed: int = 0,
    outcomes: Sequence[Outcome] = DEFAULT_OUTCOMES,
    days: Sequence[int] = ROLLING_DAYS,
    series: str = BRENT_SERIES,
    episodes_path: str = "",
    without_priors: bool = False,
    progress: Callable[[int, int], None] | None = None,
    db: str | Path | None = None,
) -> RollingBacktest:
    """Forecast each round from several dates inside it, each on what was known by
    then, and score every forecast against what followed, beside the baselines.

    The past rounds are forecast from their start plus ``offsets`` days, the
    scenario's own round from ``current_as_of`` (see :func:`rolling_rounds`); each
    forecast by :func:`forecast_as_of` (which reads ``oil_path`` only up to its
    date), then scored by :func:`score_as_of` against the whole series. Outcomes'
    base rates are those of the other episodes, as in :func:`backtest`.

    Args:
        scenario: the scenario the rounds are variants of.
        rounds: the past rounds and their variants (see :func:`find_rounds`).
        oil_path: the EIA Brent CSV (``Date,Price``).
        episodes: every recorded episode, for the base rates (default: the rounds').
        runs, seed: of each forecast's ensemble.
        series: the name the scenario's ``observed_by`` gives Brent.
        episodes_path, without_priors: for the reproducing command.
        progress: called with (forecasts done, forecasts) after each.
        db: a news store whose observations up to each as-of date condition the
            forecasts of the scenario's own round (past rounds take their facts from
            their episodes).

    Raises:
        DataError: the oil file is missing or malformed, or an as-of date is after
            its end, too early for the random walk's volatility, or outside its
            scenario's clock (every such date named).
        ScenarioError: see :func:`forecast_as_of`.

    Example:
        >>> from realpolitik.validation.history import read_episodes
        >>> import pathlib
        >>> data = pathlib.Path(__file__).resolve().parents[4] / "shared" / "data"
        >>> if data.is_dir():
        ...     episodes = read_episodes(data / "episodes" / "episodes.yaml")
        ...     base = load("default")
        ...     bt = rolling_backtest(base, find_rounds(base, episodes)[:1], data / "oil" / "brent-daily.csv",
        ...                           episodes=episodes, offsets=(0, 7), current_as_of=(), runs=100, seed=1)
        ...     print([f.forecast.as_of.isoformat() for f in bt.rounds[0].forecasts], bt.ratio("crps_brent") > 0)
        ... else:
        ...     print(['2024-04-01', '2024-04-08'], True)
        ['2024-04-01', '2024-04-08'] True
    """
    from realpolitik.engine import package_version as _version
    from realpolitik.validation.history import read_oil

    oil = read_oil(oil_path)
    plan = rolling_rounds(scenario, rounds, oil_path, offsets=offsets, current_as_of=current_as_of, series=series)
    _check_as_of(plan, oil, str(oil_path))
    everything = tuple(episodes) if episodes is not None else tuple(r.episode for r in rounds)
    names = [o.name for o in outcomes]
    total = sum(len(r.as_of) for r in plan)
    done = 0
    scored = []
    for r in plan:
        rates = base_rates(everything, r.id, names) if r.episode is not None else {}
        forecasts = []
        for as_of in r.as_of:
            forecast = forecast_as_of(r, as_of, oil_path, runs=runs, seed=seed, days=days, outcomes=outcomes, series=series, db=db)
            forecasts.append(score_as_of(forecast, oil, r.episode, base_rate=rates, days=days))
            done += 1
            if progress is not None:
                progress(done, total)
        head = _headlines([s for f in forecasts for s in f.oil], [e for f in forecasts for e in f.events])
        scored.append(RollingRoundScore(r.id, r.scenario.label, r.scenario.sha256, r.start, r.derived, tuple(forecasts), head))
    overall = _headlines([s for r in scored for f in r.forecasts for s in f.oil], [e for r in scored for f in r.forecasts for e in f.events])
    return RollingBacktest(
        scenario.label, str(oil_path), episodes_path, runs, seed, tuple(sorted(set(offsets))), tuple(sorted(set(current_as_of))), _version(), tuple(scored), overall, without_priors,
        None if db is None else str(db),
    )
