"""The commands that hold a scenario to the record: ``forecast``, ``backtest``, ``calibrate``.

Each parses its arguments, calls one library function of ``realpolitik.validation``
and renders the result, like the commands of ``_app``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from realpolitik.cli._app import (
    AsOfOpt,
    NewsDbOpt,
    PricesOpt,
    ThresholdOpt,
    _evidence_or_none,
    JsonOpt,
    OutOpt,
    ProgressOpt,
    RunsOpt,
    ScenarioArg,
    SeedOpt,
    _check_out,
    _fail_on,
    _Failure,
    _guarded,
    _load_or_fail,
    _run_with_progress,
    app,
    err,
    out,
)
from realpolitik.errors import RealpolitikError
from realpolitik.scenario import DEFAULT_SCENARIO, Scenario

if TYPE_CHECKING:  # the validation package is imported by the commands that use it
    # (its SciPy takes most of a second to import, which every other command would pay)
    from realpolitik.validation.backtest import Backtest, RollingBacktest, Round
    from realpolitik.validation.calibrate import Calibration
    from realpolitik.validation.forecast import Forecast

__all__ = ["forecast_command", "backtest_command", "calibrate_command"]

OilPath = Annotated[Path, typer.Option("--oil", help="EIA Brent daily spot prices (CSV: Date,Price).", show_default=False)]
EpisodesPath = Annotated[Path, typer.Option("--episodes", help="The past rounds (episodes.yaml).", show_default=False)]
RoundOption = Annotated[Optional[list[str]], typer.Option("--round", help="ID=SCENARIO: the variant to run for the episode ID (repeatable).")]
WithoutPriors = Annotated[
    bool, typer.Option("--without-priors", help="Ignore the posterior files the scenarios name with priors: (use their written priors).")
]
ReportFile = Annotated[Optional[Path], typer.Option("--report", help="Write the result as a Markdown report section to this file.")]
RollingOpt = Annotated[
    bool, typer.Option("--rolling", help="Forecast from several dates inside each round, each on only what was known by then (Brent closes, the episode's dated facts).")
]
OffsetsOpt = Annotated[Optional[str], typer.Option("--offsets", help="--rolling: days after each past round's start to forecast from (default 0,3,7,14).", show_default=False)]
CurrentAsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--current-as-of",
        "--as-of",
        help="--rolling: dates (YYYY-MM-DD, comma-separated) to forecast the scenario's own round from, its clock moved back to the first; 'none' leaves it out (default: 2026-02-28 to 03-06, every other day).",
        show_default=False,
    ),
]


def _days(text: str, option: str = "--days") -> list[int]:
    try:
        days = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise _Failure(2, [f"error: {option}: give whole days separated by commas (e.g. 7,30,90), got {text!r}"]) from None
    if not days:
        raise _Failure(2, [f"error: {option}: give at least one day"])
    return days


def _saved(result, out_file: Path | None, report: Path | None):  # type: ignore[no-untyped-def]
    """Write a validation result's table (``--out``: Parquet, CSV or a workbook) and Markdown (``--report``) files, if asked."""
    if out_file is not None:
        result.write(out_file)
    _write_report(report, result.to_markdown())
    return result


def _render(result, as_json: bool, table, written) -> None:  # type: ignore[no-untyped-def]
    """A validation result as JSON or as a table, then a line per file it wrote."""
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        table(result)
    for path in written:
        if path is not None:
            err.print(escape(f"wrote {path}"))


def _dates(text: str) -> list[dt.date]:
    if text.strip().lower() == "none":
        return []
    try:
        dates = [dt.date.fromisoformat(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise _Failure(2, [f"error: --current-as-of: give dates YYYY-MM-DD separated by commas (e.g. 2026-02-28,2026-03-04), or none; got {text!r}"]) from None
    if not dates:
        raise _Failure(2, ["error: --current-as-of: give at least one date, or none"])
    return dates


def _rounds(loaded: Scenario, oil: Path, episodes: Path, pairs: list[str] | None, priors: bool):  # type: ignore[no-untyped-def]
    from realpolitik.validation.backtest import find_rounds
    from realpolitik.validation.history import read_episodes, read_oil

    explicit: dict[str, Scenario] = {}
    for pair in pairs or []:
        episode, sep, name = pair.partition("=")
        if not sep or not episode or not name:
            raise _Failure(2, [f"error: --round: give ID=SCENARIO (e.g. apr-2024=russia-iran-2024-04), got {pair!r}"])
        explicit[episode] = _load_or_fail(name, priors)
    try:
        series = read_oil(oil)
        history = read_episodes(episodes)
        return series, history, find_rounds(loaded, history, explicit, priors=priors)
    except ValueError as exc:
        raise _Failure(2, [f"error: {exc}"]) from None
    except RealpolitikError as exc:
        raise _fail_on(exc) from None


def _write_report(path: Path | None, text: str) -> None:
    if path is None:
        return
    from realpolitik._atomic import atomic_path

    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


@app.command("forecast")
def forecast_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    variable: Annotated[str, typer.Option("--variable", help="The variable, event or decision: a name or an inventory ID (V2).", show_default=False)] = "V2",
    days: Annotated[str, typer.Option("--days", help="Days after the start, separated by commas.")] = "7,30,60,90,150",
    runs: RunsOpt = 10_000,
    seed: SeedOpt = 0,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
    progress: ProgressOpt = None,
    as_of: AsOfOpt = None,
    db: NewsDbOpt = None,
    prices: PricesOpt = None,
    threshold: ThresholdOpt = 0.5,
) -> None:
    """Quantiles of a variable (or the probability of an event by each day) at days after the start (or the --as-of date)."""
    _check_out(out_file)
    wanted = _days(days)
    loaded = _load_or_fail(scenario)
    show = err.is_terminal if progress is None else progress
    evidence = _evidence_or_none(loaded, as_of, db, prices, threshold)
    from realpolitik.validation.forecast import forecast

    def work():  # type: ignore[no-untyped-def]
        result = _run_with_progress(
            loaded, show=show, job=forecast, variable=variable, days=wanted, runs=runs, seed=seed, evidence=evidence, threshold=threshold
        )
        if out_file is not None:
            result.write(out_file)
        return result

    result = _guarded(runs=0, work=work, value_error_code=2)
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        _print_forecast(result)
    if out_file is not None:
        err.print(escape(f"wrote {out_file}"))


def _print_forecast(f: Forecast) -> None:
    unit = f" ({f.unit})" if f.unit else ""
    what = "quantiles" if f.kind in ("continuous", "parameter") else "probability by the day"
    title = f"{f.info.scenario_name}: {f.element}{unit}, {what} ({f.info.runs:,} runs, seed {f.info.seed}, from {f.info.start.isoformat()})"
    table = Table(title=title)
    table.add_column("", no_wrap=True)
    for d in f.days:
        table.add_column(f"day {d}\n{(f.info.start + dt.timedelta(days=d)).isoformat()}", justify="right", no_wrap=True)
    for key in f.values[f.days[0]]:
        cells = [f.values[d][key] for d in f.days]
        text = [f"{v:.1%}" if key.startswith("p") else f"{v:.4g}" for v in cells]
        table.add_row(key, *text)
    out.print(table)
    out.print(escape(f"reproduce: {f.command}"), soft_wrap=True)
    out.print(escape(f"scenario sha256:{f.info.sha256}  realpolitik {f.info.version}"))


@app.command("backtest")
def backtest_command(
    oil: OilPath,
    episodes: EpisodesPath,
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    round_: RoundOption = None,
    runs: RunsOpt = 2000,
    seed: SeedOpt = 0,
    without_priors: WithoutPriors = False,
    rolling: RollingOpt = False,
    offsets: OffsetsOpt = None,
    current_as_of: CurrentAsOfOpt = None,
    db: Annotated[Optional[Path], typer.Option("--db", help="--rolling: a news store whose observations up to each date condition the forecasts of the scenario's own round.")] = None,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
    report: ReportFile = None,
    progress: ProgressOpt = None,
) -> None:
    """Run each past round from its start and score it against what happened, beside naive baselines
    (with --rolling: forecast from dates inside each round, each on only what was known by then)."""
    _check_out(out_file)
    _check_out(report, "--report")
    if not rolling and (offsets is not None or current_as_of is not None or db is not None):
        raise _Failure(2, ["error: --offsets, --as-of (--current-as-of) and --db apply to the rolling backtest: add --rolling"])
    if db is not None and not db.is_file():
        raise _Failure(2, [f"error: --db: no news store at {str(db)!r} (run `realpolitik ingest` first)"])
    if rolling:
        _rolling_backtest(
            scenario, oil, episodes, round_, runs=runs, seed=seed, without_priors=without_priors, offsets=offsets, current_as_of=current_as_of,
            as_json=as_json, out_file=out_file, report=report, progress=progress, db=db,
        )
        return
    loaded = _load_or_fail(scenario, not without_priors)
    series, history, rounds = _rounds(loaded, oil, episodes, round_, not without_priors)
    show = err.is_terminal if progress is None else progress
    from realpolitik.validation.backtest import backtest

    def work():  # type: ignore[no-untyped-def]
        result = _run_with_progress(
            loaded, show=show, job=backtest, rounds=rounds, oil=series, episodes=history, runs=runs, seed=seed,
            oil_path=str(oil), episodes_path=str(episodes), without_priors=without_priors,
        )
        return _saved(result, out_file, report)

    result = _guarded(runs=0, work=work, value_error_code=1)
    _render(result, as_json, lambda r: _print_backtest(r, rounds), (out_file, report))


def _print_backtest(result: Backtest, rounds: tuple[Round, ...]) -> None:
    head = Table(title=f"backtest of {result.scenario} on {len(result.rounds)} past rounds ({result.runs:,} runs each, seed {result.seed})")
    for column in ("score", "model", "baseline", "model / baseline"):
        head.add_column(column, justify="left" if column == "score" else "right", no_wrap=True)
    for h in result.headline:
        head.add_row(h.metric, f"{h.model:.3g}", f"{h.baseline:.3g}", f"[bold]{h.ratio:.2f}[/]")
    out.print(head)
    oil = Table(title="Brent (USD/bbl): EIA close against the model and a random walk")
    for column in ("round", "day", "EIA", "model q50 [q05, q95]", "baseline q50 [q05, q95]", "CRPS model", "CRPS baseline"):
        oil.add_column(column, no_wrap=True, justify="left" if column == "round" else "right")
    for r in result.rounds:
        for s in r.oil:
            m, b = s.model, s.baseline
            oil.add_row(r.round, str(s.day), f"{s.observed:.2f}", f"{m[1]:.1f} [{m[0]:.1f}, {m[2]:.1f}]", f"{b[1]:.1f} [{b[0]:.1f}, {b[2]:.1f}]", f"{s.model_crps:.2f}", f"{s.baseline_crps:.2f}")
    out.print(oil)
    events = Table(title="outcomes within 30 days: model probability against the base rate of the other rounds")
    for column in ("round", "outcome", "happened", "model p", "base rate", "Brier model", "Brier base", "log model", "log base"):
        events.add_column(column, no_wrap=True, justify="left" if column in ("round", "outcome") else "right")
    for r in result.rounds:
        for e in r.events:
            events.add_row(r.round, e.outcome, "yes" if e.happened else "no", f"{e.model_p:.3f}", f"{e.baseline_p:.3f}", f"{e.model_brier:.3f}", f"{e.baseline_brier:.3f}", f"{e.model_log:.2f}", f"{e.baseline_log:.2f}")
    out.print(events)
    for r in result.rounds:
        for s in r.skipped:
            err.print(escape(f"note: {r.round}: not scored: {s}"))
    variants = ", ".join(f"{r.episode.id}={r.scenario.label}" for r in rounds)
    out.print(escape(f"rounds: {variants}"))
    out.print("scores are lower-better; a ratio below 1 means the model beats the baseline")
    out.print(escape(f"reproduce: {result.command}"), soft_wrap=True)
    out.print(escape(f"realpolitik {result.version}"))


def _rolling_backtest(
    scenario: str, oil: Path, episodes: Path, round_: list[str] | None, *, runs: int, seed: int, without_priors: bool,
    offsets: str | None, current_as_of: str | None, as_json: bool, out_file: Path | None, report: Path | None, progress: bool | None,
    db: Path | None = None,
) -> None:
    """``backtest --rolling``: parse, call :func:`realpolitik.validation.rolling_backtest`, render."""
    from realpolitik.validation.backtest import CURRENT_AS_OF, ROLLING_OFFSETS, rolling_backtest

    days = ROLLING_OFFSETS if offsets is None else tuple(_days(offsets, "--offsets"))
    if any(d < 0 for d in days):
        raise _Failure(2, [f"error: --offsets: days after a round's start are 0 or more, got {offsets!r}"])
    dates = CURRENT_AS_OF if current_as_of is None else tuple(_dates(current_as_of))
    loaded = _load_or_fail(scenario, not without_priors)
    _, history, rounds = _rounds(loaded, oil, episodes, round_, not without_priors)
    show = err.is_terminal if progress is None else progress

    def work():  # type: ignore[no-untyped-def]
        result = _run_with_progress(
            loaded, show=show, job=rolling_backtest, rounds=rounds, oil_path=oil, episodes=history, offsets=days, current_as_of=dates,
            runs=runs, seed=seed, episodes_path=str(episodes), without_priors=without_priors, db=db,
        )
        return _saved(result, out_file, report)

    result = _guarded(runs=0, work=work, value_error_code=2)
    _render(result, as_json, _print_rolling, (out_file, report))


def _print_rolling(result: RollingBacktest) -> None:
    head = Table(title=f"rolling backtest of {result.scenario}: forecasts as of dates inside each round ({result.runs:,} runs each, seed {result.seed})")
    for column in ("round", "score", "model", "baseline", "model / baseline", "n"):
        head.add_column(column, justify="left" if column in ("round", "score") else "right", no_wrap=True)
    for name, heads in [("all", result.headline)] + [(r.round, r.headline) for r in result.rounds]:
        for h in heads:
            head.add_row(name, h.metric, f"{h.model:.3g}", f"{h.baseline:.3g}", f"[bold]{h.ratio:.2f}[/]", str(h.n))
    out.print(head)
    oil = Table(title="Brent (USD/bbl) from each as-of date: EIA close against the model and a random walk from the same date")
    for column in ("round", "as of", "day", "EIA", "model q50 [q05, q95]", "baseline q50 [q05, q95]", "CRPS model", "CRPS baseline"):
        oil.add_column(column, no_wrap=True, justify="left" if column in ("round", "as of") else "right", min_width=10 if column == "as of" else None)
    for r in result.rounds:
        for f in r.forecasts:
            for s in f.oil:
                m, b = s.model, s.baseline
                oil.add_row(
                    r.round, f.forecast.as_of.isoformat(), str(s.day), f"{s.observed:.2f}",
                    f"{m[1]:.1f} [{m[0]:.1f}, {m[2]:.1f}]", f"{b[1]:.1f} [{b[0]:.1f}, {b[2]:.1f}]", f"{s.model_crps:.2f}", f"{s.baseline_crps:.2f}",
                )
    out.print(oil)
    for r in result.rounds:
        if r.derived:
            out.print(escape(f"{r.round}: {r.derived}"), soft_wrap=True)
        for f in r.forecasts:
            for s in f.skipped:
                err.print(escape(f"note: {r.round} as of {f.forecast.as_of.isoformat()}: not scored: {s}"), soft_wrap=True)
            for w in f.forecast.warnings:
                err.print(escape(f"warning: {r.round} as of {f.forecast.as_of.isoformat()}: {w}"), soft_wrap=True)
    out.print("scores are lower-better; a ratio below 1 means the model beats the baseline")
    out.print(escape(f"reproduce: {result.command}"), soft_wrap=True)
    out.print(escape(f"realpolitik {result.version}"))


@app.command("calibrate")
def calibrate_command(
    episodes: EpisodesPath,
    oil: OilPath,
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    parameter: Annotated[Optional[list[str]], typer.Option("--parameter", help="A parameter to fit (repeatable; default: every prior the rounds share).")] = None,
    particles: Annotated[int, typer.Option("--particles", min=10, help="ABC-SMC particles.")] = 1000,
    generations: Annotated[int, typer.Option("--generations", min=1, help="ABC-SMC generations (tolerance steps).")] = 8,
    round_: RoundOption = None,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Monte Carlo runs of each out-of-sample backtest.")] = 2000,
    seed: SeedOpt = 0,
    without_priors: WithoutPriors = False,
    posterior: Annotated[Optional[Path], typer.Option("--posterior", help="Write the posterior (fitted to every round) to this YAML file, for 'priors:'.")] = None,
    as_json: JsonOpt = False,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write the weighted particles to a .parquet, .csv or .xlsx file (by its extension).")] = None,
    report: ReportFile = None,
    progress: ProgressOpt = None,
) -> None:
    """Fit the uncertain parameters to the past rounds by ABC-SMC and score the fit out of sample."""
    for option, path in (("--posterior", posterior), ("--out", out_file), ("--report", report)):
        _check_out(path, option)
    loaded = _load_or_fail(scenario, not without_priors)
    series, history, rounds = _rounds(loaded, oil, episodes, round_, not without_priors)
    show = err.is_terminal if progress is None else progress
    from realpolitik.validation.calibrate import calibrate

    def work():  # type: ignore[no-untyped-def]
        result = _run_with_progress(
            loaded, show=show, job=calibrate, rounds=rounds, oil=series, episodes=history, parameters=parameter,
            particles=particles, generations=generations, runs=runs, seed=seed,
            oil_path=str(oil), episodes_path=str(episodes), without_priors=without_priors,
        )
        if posterior is not None:
            result.write_posterior(posterior, {name: p.rationale for name, p in loaded.spec.parameters.items()})
        return _saved(result, out_file, report)

    result = _guarded(runs=0, work=work, value_error_code=2)
    _render(result, as_json, _print_calibration, (posterior, out_file, report))


def _print_calibration(result: Calibration) -> None:
    from realpolitik.validation.calibrate import describe_prior

    head = Table(title=f"calibration of {result.scenario}: out of sample, each round fitted on the others")
    for column in ("score", "scenario priors", "fitted priors", "baseline", "fitted / scenario", "fitted / baseline"):
        head.add_column(column, no_wrap=True, justify="left" if column == "score" else "right")
    for a, b in zip(result.prior_headline, result.calibrated_headline):
        change = b.model / a.model if a.model else float("nan")
        head.add_row(a.metric, f"{a.model:.3g}", f"{b.model:.3g}", f"{a.baseline:.3g}", f"[bold]{change:.2f}[/]", f"{b.ratio:.2f}")
    out.print(head)
    fit = result.fit
    params = Table(title=f"posterior, fitted to {', '.join(fit.rounds)} ({result.particles} particles, {len(fit.generations)} generations)")
    for column in ("parameter", "prior mean", "posterior mean", "posterior 90%", "fitted prior"):
        params.add_column(column, no_wrap=True, justify="left" if column in ("parameter", "fitted prior") else "right")
    for p in fit.parameters:
        post = p.posterior_summary
        fitted = describe_prior(p.fitted)
        params.add_row(p.name, f"{p.prior_summary['mean']:.4g}", f"{post['mean']:.4g}", f"[{post['q05']:.4g}, {post['q95']:.4g}]", fitted)
    out.print(params)
    generations = "; ".join(f"eps {g.epsilon:.3g} ESS {g.ess:.0f} accept {g.acceptance:.0%}" for g in fit.generations)
    out.print(escape(f"generations: {generations}"))
    out.print("scores are lower-better; 'fitted / scenario' below 1 means the fit helps out of sample")
    out.print(escape(f"reproduce: {result.command}"), soft_wrap=True)
    out.print(escape(f"realpolitik {result.version}"))
