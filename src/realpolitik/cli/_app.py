"""The ``realpolitik`` command: parse arguments, call one library function, render the result."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from realpolitik.analysis import Comparison, Discovery, JudgementShares, SensitivityResult, discover, judgement_shares, sensitivity, what_if
from realpolitik._output import json_ready
from realpolitik.brief import write_brief
from realpolitik.engine import Answer, Backend, Intervention, Results, run
from realpolitik.engine import backend as make_backend
from realpolitik.errors import Problem, RealpolitikError
from realpolitik.inference import run_as_of
from realpolitik.scenario import DEFAULT_SCENARIO, CheckReport, check, load

__all__ = ["app", "main"]

app = typer.Typer(
    name="realpolitik",
    help="Model a geopolitical crisis as a sourced, stochastic system and answer questions about it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help: it wraps to the terminal's width (Rich's panels left the help text
    # 20 columns at 80) and keeps option, metavar and default on one line
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from realpolitik.engine import package_version

        out.print(f"realpolitik {package_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the installed version and exit.")] = False,
) -> None:
    """Model a geopolitical crisis as a sourced, stochastic system and answer questions about it."""


# Piped output gets 120 columns (Rich assumes 80), enough for the answers table.
out = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, highlight=False)


def _usage_errors() -> tuple[type[Exception], ...]:
    """Typer's usage errors: its own classes in new releases, click's in older ones."""
    found: list[type[Exception]] = []
    if hasattr(typer, "TyperException"):
        found.append(typer.TyperException)
    try:
        import click

        found.append(click.ClickException)
    except ImportError:
        pass
    return tuple(found)


_USAGE_ERRORS = _usage_errors()


class _Failure(Exception):
    """Ends a command with a message and an exit code (never a traceback)."""

    def __init__(self, code: int, lines: list[str]) -> None:
        self.code = code
        self.lines = lines


def _problem_lines(problems: list[Problem] | tuple[Problem, ...]) -> list[str]:
    return [f"{p.severity}: {p}" for p in problems]


def _fail_on(exc: BaseException) -> _Failure:
    """A library error as one line per problem (scenario and data errors carry several)."""
    problems = getattr(exc, "problems", None)
    if problems:
        return _Failure(1, _problem_lines(problems))
    return _Failure(1, [f"error: {exc}"])


ScenarioArg = Annotated[
    str,
    typer.Argument(help=f"A scenario file, or a bundled scenario's name (default: {DEFAULT_SCENARIO}).", show_default=False),
]


BackendOpt = Annotated[
    str,
    typer.Option(
        "--backend",
        help="Where the runs go: numpy, numba (compiled), ray (a cluster) or auto (numba when installed and it pays, else numpy). Answers do not depend on it.",
    ),
]
WorkersOpt = Annotated[Optional[int], typer.Option("--workers", min=1, help="ray: worker processes (default: the cluster's CPUs).")]
AddressOpt = Annotated[Optional[str], typer.Option("--address", help="ray: a running cluster to join (default: start a local one).")]
# options several commands share (in _news.py and _validation.py)
RunsOpt = Annotated[int, typer.Option("--runs", "-n", min=1, help="Monte Carlo runs.")]
SeedOpt = Annotated[int, typer.Option("--seed", min=0, help="Seed of all random streams (below 2**63).")]
HorizonOpt = Annotated[Optional[int], typer.Option("--horizon", min=1, max=36_500, help="Days to simulate (default: the scenario's; at most 36,500).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", help="Write the result to a .parquet, .csv or .xlsx file (by its extension).")]
ProgressOpt = Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Show a progress bar (default: on a terminal).")]
# answers as of a date: what was observed by then (news store, price series)
AsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        help="Answer as of this date (YYYY-MM-DD): the runs are filtered on everything observed by then (the scenario's log, --db, --prices), "
        "and the horizon and questions' days count from it. Default: the scenario's clock.as_of, if it has one; 'start': from its start, on nothing observed.",
    ),
]
NewsDbOpt = Annotated[Optional[Path], typer.Option("--db", help="A news store (from `realpolitik ingest`) whose observations up to --as-of condition the runs.")]
PricesOpt = Annotated[Optional[list[str]], typer.Option("--prices", help="NAME=CSV: a Date,Price series (e.g. brent=brent-daily.csv) observing the variable whose observed_by names it; repeatable.")]
AllowPathOpt = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--allow-path",
        help="A folder the scenario's source files may also be read from; repeatable. Without it, sources are read only "
        "from the scenario's own folder and below, the bundled and shared sources folders and --sources.",
    ),
]
ThresholdOpt = Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Resample the filter's runs when the effective sample size falls below this share of runs (above 0, at most 1).")]


def _as_of_date(text: str | None, flag: str = "--as-of"):  # type: ignore[no-untyped-def]
    """A ``YYYY-MM-DD`` option as a date (None stays None); a usage error otherwise."""
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Failure(2, [f"error: {flag}: give a date as YYYY-MM-DD, got {text!r}"]) from None


def _as_of(evidence):  # type: ignore[no-untyped-def]
    """``run`` as of the evidence's date, for :func:`_run_with_progress`."""
    return lambda scenario, **options: run_as_of(scenario, evidence, **options)


def _evidence_or_none(scenario, as_of: str | None, db: Path | None, prices: list[str] | None, threshold: float = 0.5):  # type: ignore[no-untyped-def]
    """The evidence the options name (None: no --as-of, an unconditioned run)."""
    from realpolitik.inference import check_threshold, evidence_as_of

    if as_of == "start":  # from the scenario's start, on nothing observed
        if db is not None or prices:
            raise _Failure(2, ["error: --as-of start runs from the scenario's start on nothing observed: leave out --db and --prices"])
        return None
    date = _as_of_date(as_of) or scenario.spec.clock.as_of  # by default, the scenario's own as-of date and log
    if date is None:
        if db is not None or prices:
            raise _Failure(2, ["error: --db and --prices condition the runs on what was known by a date: give --as-of YYYY-MM-DD too"])
        return None
    try:
        check_threshold(threshold)
    except ValueError as exc:
        raise _Failure(2, [f"error: --threshold: {exc}"]) from None
    if db is not None and not db.is_file():
        raise _Failure(2, [f"error: --db: no news store at {str(db)!r} (run `realpolitik ingest` first)"])
    return _guarded(runs=0, work=lambda: evidence_as_of(scenario, date, db=db, prices=prices or ()))


@contextlib.contextmanager
def _backend_or_fail(name: str, workers: int | None, address: str | None) -> Iterator[Backend]:
    """The backend the options name, closed at the end; a bad combination is a usage error."""
    try:
        made = make_backend(name, workers=workers, address=address)
    except ValueError as exc:
        raise _Failure(2, [f"error: {exc}"]) from None
    except RealpolitikError as exc:
        raise _fail_on(exc) from None
    with made:
        yield made


@app.command("run")
def run_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    runs: RunsOpt = 10_000,
    seed: SeedOpt = 0,
    horizon: HorizonOpt = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Runs advanced together; answers do not depend on it.")] = 65_536,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answers as JSON.")] = False,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write answers and per-step summaries to a .parquet, .csv or .xlsx file (by its extension).")] = None,
    progress: ProgressOpt = None,
    backend: BackendOpt = "auto",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
    as_of: AsOfOpt = None,
    db: NewsDbOpt = None,
    prices: PricesOpt = None,
    threshold: ThresholdOpt = 0.5,
) -> None:
    """Run the ensemble and answer the scenario's questions (as of a date, with --as-of)."""
    _check_out(out_file)
    loaded = _load_or_fail(scenario)
    evidence = _evidence_or_none(loaded, as_of, db, prices, threshold)
    conditioned = {} if evidence is None else {"job": _as_of(evidence), "threshold": threshold}
    results = _job(
        (backend, workers, address), progress, runs=runs,
        work=lambda chosen, show: _run_with_progress(
            loaded, runs=runs, seed=seed, horizon=horizon, batch_size=batch_size, backend=chosen, show=show, **conditioned
        ),
    )
    shares = judgement_shares(loaded, results)
    _guarded(runs=0, work=lambda: _write_outputs(results, as_json, out_file, lambda r: _print_answers(r, shares), shares.annotated))


def _job(where: tuple[str, int | None, int | None], progress: bool | None, *, runs: int, work, value_error_code: int | None = 2):  # type: ignore[no-untyped-def]
    """``work(backend, show)`` on the backend ``where`` names (backend, workers, address),
    with a progress bar where asked for (default: on a terminal), guarded."""
    show = err.is_terminal if progress is None else progress
    with _backend_or_fail(*where) as chosen:
        return _guarded(runs=runs, value_error_code=value_error_code, work=lambda: work(chosen, show))


def _run_with_progress(scenario, *, show: bool, job=run, **options):  # type: ignore[no-untyped-def]
    """Call ``job(scenario, progress=..., **options)`` with a Rich progress bar on a terminal."""
    if not show:
        return job(scenario, **options)
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("steps"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"{scenario.name}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return job(scenario, progress=tick, **options)


def _fmt(value: float, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    text = f"{value:.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"
    return text


def _pct(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{100 * value:.1f}%"


def _conditioned_legend(results: Results) -> str:
    """What the errors of runs conditioned on observations are computed on (empty for
    runs that were not)."""
    effective = results.effective_runs
    if effective is None:
        return ""
    replicates = (results.conditioning or {}).get("replicates", 1)
    if replicates > 1:
        return (
            f"; the runs were conditioned on observations and are worth at most about {effective:,.0f} independent runs "
            "(the filter's smallest effective sample); each answer's error and interval are on what its spread between "
            f"the {replicates} independent filters says, at most that (--json: effective_runs)"
        )
    return (
        f"; the runs were conditioned on observations and are worth about {effective:,.0f} independent runs "
        "(the filter's smallest effective sample), which the errors and intervals are computed on"
    )


def _answer_cells(a: Answer) -> tuple[str, str, str, str]:
    """The answer, the spread of the quantity over the runs (quantity questions), the
    95% interval of the estimate, and further lines (quantiles, checkpoints)."""
    e = a.estimate
    if a.status != "ok":
        return "beyond the horizon", "", "", ""
    if a.kind == "quantiles":
        unit = f" {a.unit}" if a.unit else ""
        main = f"mean {_fmt(e.value)}{unit} ± {_fmt(e.se, digits=2)}"
        qs = "  ".join(f"q{round(q * 100):02d} {_fmt(v.value)}" for q, v in a.quantiles.items())
        extra = [qs]
        extra += [f"on {c.date.isoformat()}: mean {_fmt(c.estimate.value)}" for c in a.checkpoints]
        return main, _spread(a), f"[{_fmt(e.low)}, {_fmt(e.high)}]", "\n".join(extra)
    main = f"{_pct(e.value)} ± {100 * e.se:.1f}"
    extra = []
    if a.kind == "first_passage" and a.quantiles:
        extra.append("day it happens (if it does): " + "  ".join(f"q{round(q * 100):02d} {_fmt(v.value)}" for q, v in a.quantiles.items()))
    extra += [f"by {c.date.isoformat()}: {_pct(c.estimate.value)}" for c in a.checkpoints]
    return main, "", f"[{_pct(e.low)}, {_pct(e.high)}]", "\n".join(extra)


def _spread(a: Answer) -> str:
    """A quantity's range over the runs: from its lowest to its highest quantile asked
    for, named by the share of runs it holds (q05 to q95: "90%: 72.1 to 108")."""
    if len(a.quantiles) < 2:
        return ""
    low, high = min(a.quantiles), max(a.quantiles)
    share = round(100 * (high - low))
    return f"{share}%: {_fmt(a.quantiles[low].value)} to {_fmt(a.quantiles[high].value)}"


def _judgement_line(a: Answer, shares: JudgementShares | None) -> str:
    """The share of the answer's variance that rests on judgement, on its date and at
    each checkpoint, as one line under the answer (empty without shares, or when every
    share is withheld: one line under the table then says why)."""
    if shares is None or shares.dependent is not None or a.status != "ok":
        return ""

    def pct(day: int) -> str:
        share = shares.get(a.question, day).share
        return "n/a" if share is None else f"{100 * share:.0f}%"

    at = "; ".join(f"{c.date.isoformat()}: {pct(c.day)}" for c in a.checkpoints)
    return f"on judgement {pct(a.day)}" + (f" ({at})" if at else "")


def _print_answers(results: Results, shares: JudgementShares | None = None) -> None:
    info = results.info
    table = Table(title=f"{info.scenario_name}: {info.runs:,} runs, seed {info.seed}, {info.start.isoformat()} + {info.horizon_days} days", show_lines=True)
    table.add_column("question", ratio=2)
    table.add_column("answer ± s.e.", ratio=3)
    table.add_column("runs' range", no_wrap=True)
    table.add_column("estimate's 95% interval", no_wrap=True)
    table.add_column("date", no_wrap=True)
    for a in results.answers:
        main, spread, interval, extra = _answer_cells(a)
        extra = "\n".join(line for line in (extra, _judgement_line(a, shares)) if line)
        ids = f"[bold]{escape(a.question)}[/]" + (f" ({', '.join(a.cites)})" if a.cites else "")
        when = ("by " if a.mode == "by" else "on ") + a.date.isoformat()
        answer = f"[bold]{escape(main)}[/]" + (f"\n[dim]{escape(extra)}[/]" if extra else "")
        table.add_row(f"{ids}\n{escape(a.text)}", answer, escape(spread), escape(interval), when)
    out.print(table)
    out.print(
        "runs' range: where the quantity falls in that share of the runs; estimate's 95% interval: "
        "the Monte Carlo uncertainty of the probability or mean (more runs narrow it)"
        + _conditioned_legend(results)
        + (
            "; on judgement: of the answer's variance across runs that the parameters explain, the share "
            "resting on parameters whose prior is judgement (basis: judgement, or none declared); --json says how it was estimated"
            if shares is not None and shares.dependent is None
            else ""
        ),
        soft_wrap=True,
    )
    if shares is not None and shares.dependent is not None:
        out.print(escape(f"on judgement: n/a, {shares.dependent}"), soft_wrap=True)
    if results.conditioning is not None:
        _print_conditioning(results.conditioning)
    out.print(escape(f"reproduce: {info.command}"), soft_wrap=True)
    out.print(escape(f"scenario sha256:{info.sha256}  realpolitik {info.version}"))


def _print_conditioning(c: dict) -> None:  # type: ignore[type-arg]
    """What an as-of answer was conditioned on, and the filter's warnings."""
    prices = ", ".join(f"{name} ({p['points']} closes)" for name, p in c["prices"].items())
    lines = [
        f"as of {c['as_of']}: {len(c['observations'])} observed indicator-days, {c['covered_days']} covered days"
        + (f", prices: {prices}" if prices else "")
        + f"; {c['ignored_future']} items dated after {c['as_of']} ignored; {c['resamplings']} resamplings"
    ]
    if c["unused"]:
        lines.append(f"{len(c['unused'])} observations not used (before the scenario's start)")
    for line in lines:
        out.print(escape(line), soft_wrap=True)
    for w in c["warnings"][:10]:
        err.print(escape(f"warning: {w}"), soft_wrap=True)
    if len(c["warnings"]) > 10:
        err.print(escape(f"warning: ... and {len(c['warnings']) - 10} more (--json lists them all)"))


@app.command("whatif")
def whatif_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="PARAM=VALUE: the parameter takes this value in every run.")] = None,
    force: Annotated[Optional[list[str]], typer.Option("--force", help="DECISION=OPTION[@DAY]: the decision is this option from DAY (default 1) on.")] = None,
    force_event: Annotated[Optional[list[str]], typer.Option("--force-event", help="EVENT@DAY: the event fires on DAY in every run.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="A YAML file of interventions (set, force, force_events).")] = None,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Monte Carlo runs per arm.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of all random streams, shared by both arms (below 2**63).")] = 0,
    horizon: HorizonOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write the comparison to a .parquet, .csv or .xlsx file (by its extension).")] = None,
    progress: ProgressOpt = None,
    backend: BackendOpt = "auto",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
    as_of: AsOfOpt = None,
    db: NewsDbOpt = None,
    prices: PricesOpt = None,
    threshold: ThresholdOpt = 0.5,
) -> None:
    """Compare the scenario with and without an intervention, on common random numbers (from an as-of date, with --as-of)."""
    _check_out(out_file)
    try:
        intervention = Intervention.parse(set_, force, force_event)
        if file is not None:
            intervention = Intervention.from_file(file).merged(intervention)
        loaded = load(scenario)
        intervention.compile(loaded.model)
    except RealpolitikError as exc:
        raise _fail_on(exc) from None
    if intervention.empty:
        err.print("warning: no intervention given (--set, --force, --force-event or --file): both arms are the baseline")
    evidence = _evidence_or_none(loaded, as_of, db, prices, threshold)
    comparison = _job(
        (backend, workers, address), progress, runs=runs,
        work=lambda chosen, show: _run_with_progress(
            loaded, job=what_if, intervention=intervention, runs=runs, seed=seed, horizon=horizon, backend=chosen, show=show,
            evidence=evidence, threshold=threshold,
        ),
    )
    _guarded(runs=0, work=lambda: _write_outputs(comparison, as_json, out_file, _print_comparison))


def _estimate_text(kind: str, e) -> str:  # type: ignore[no-untyped-def]
    if kind == "quantiles":
        return f"{_fmt(e.value)} ± {_fmt(e.se, digits=2)}"
    return f"{_pct(e.value)} ± {100 * e.se:.1f}"


def _print_comparison(comparison: Comparison) -> None:
    info = comparison.info
    table = Table(title=f"{info.scenario_name}: {comparison.intervention.describe() or 'no intervention'} ({info.runs:,} paired runs, seed {info.seed})", show_lines=True)
    table.add_column("question", ratio=2, min_width=24)
    table.add_column("on", no_wrap=True)
    table.add_column("baseline", no_wrap=True)
    table.add_column("intervention", no_wrap=True)
    table.add_column("difference ± s.e.", no_wrap=True)
    table.add_column("paired 95% interval", no_wrap=True)
    for d in comparison.deltas:
        ids = f"[bold]{escape(d.question)}[/]" + (f" ({', '.join(d.cites)})" if d.cites else "")
        # the question's own date first, then its other checkpoints in order
        rows = [(info.start + dt.timedelta(days=d.day), d.baseline, d.intervention, d.delta)]
        rows += [(c.date, c.baseline, c.intervention, c.delta) for c in d.checkpoints if c.day != d.day]
        cells: list[list[str]] = [[], [], [], [], []]
        for when, base, changed, delta in rows:
            for column, text in zip(cells, (when.isoformat(), _estimate_text(d.kind, base), _estimate_text(d.kind, changed), _delta_text(d.kind, delta), _delta_interval(d.kind, delta))):
                column.append(text)
        unit = f" [dim](in {escape(d.unit)})[/]" if d.unit and d.kind == "quantiles" else ""
        table.add_row(f"{ids}\n{escape(d.text)}{unit}", *(escape("\n".join(c)) for c in cells))
    out.print(table)
    out.print("means of quantity questions; probabilities in percent; differences are per-run paired (common random numbers)")
    _print_paths(comparison)
    out.print(escape(f"reproduce: {comparison.command}"), soft_wrap=True)
    out.print(escape(f"scenario sha256:{info.sha256}  realpolitik {info.version}"))


def _delta_text(kind: str, e) -> str:  # type: ignore[no-untyped-def]
    if kind == "quantiles":
        return f"{e.value:+.3g} ± {_fmt(e.se, digits=2)}"
    return f"{100 * e.value:+.1f} pts ± {100 * e.se:.1f}"


def _delta_interval(kind: str, e) -> str:  # type: ignore[no-untyped-def]
    if kind == "quantiles":
        return f"[{e.low:+.3g}, {e.high:+.3g}]"
    return f"[{100 * e.low:+.1f}, {100 * e.high:+.1f}] pts"


#: The most changed paths ``whatif`` lists (``--json`` and ``--out`` hold them all).
_PATHS_SHOWN = 12


def _print_paths(comparison: Comparison) -> None:
    """The paths whose change's 95% interval excludes 0 on some step: the largest change
    (its day and interval) and the change on the last day."""
    changed = [p for p in comparison.paths if p.changed]
    if not changed:
        out.print(f"paths: no element's path changed beyond its paired 95% interval on any of the {len(comparison.days)} days")
        return

    def size(p) -> float:  # type: ignore[no-untyped-def]
        scale = 1.0 if p.stat.startswith("p_") else max(float(np.nanmax(np.abs(p.baseline))), 1e-12)
        return float(np.nanmax(np.abs(p.delta))) / scale

    changed.sort(key=size, reverse=True)
    table = Table(title=f"paths that changed ({len(changed)} of {len(comparison.paths)}; paired intervals from the first {comparison.kept_runs:,} runs)")
    table.add_column("element: statistic", ratio=2)
    table.add_column("largest change", no_wrap=True)
    table.add_column("95% interval", no_wrap=True)
    table.add_column("on the last day", no_wrap=True)
    dates = comparison.dates()
    for p in changed[:_PATHS_SHOWN]:
        i = int(np.nanargmax(np.abs(p.delta)))
        percent = p.stat.startswith("p_")

        def num(v: float) -> str:
            return f"{100 * v:+.1f} pts" if percent else f"{v:+.3g}"

        table.add_row(
            escape(f"{p.element}: {p.stat}" + (f" ({', '.join(p.cites)})" if p.cites else "")),
            escape(f"{num(float(p.delta[i]))} on {dates[i].isoformat()}"),
            escape(f"[{num(float(p.low[i]))}, {num(float(p.high[i]))}]"),
            escape(num(float(p.delta[-1]))),
        )
    out.print(table)
    if len(changed) > _PATHS_SHOWN:
        out.print(f"[dim]… {len(changed) - _PATHS_SHOWN} more changed paths (--json and --out hold every path on every day)[/]")


def _write_outputs(result, as_json: bool, out_file: Optional[Path], render, annotate=None) -> None:  # type: ignore[no-untyped-def]
    """Write ``--out`` (Parquet, CSV or a workbook by its extension; atomic), then print
    JSON (``result.to_dict()``, through ``annotate`` if given) or the rendered table."""
    if out_file is not None:
        result.write(out_file)
    if as_json:
        text = result.to_json() if annotate is None else json.dumps(json_ready(annotate(result.to_dict())), indent=2)
        sys.stdout.write(text + "\n")
    else:
        render(result)
    if out_file is not None:
        err.print(escape(f"wrote {out_file}"))


def _check_out(out_file: Optional[Path], flag: str = "--out") -> None:
    """Refuse, before any work, an output path that cannot be written, and for
    ``--out`` one whose extension names no format a result writes."""
    import os

    from realpolitik._output import OUTPUT_SUFFIXES

    if out_file is None:
        return
    if len(out_file.name.encode("utf-8", "surrogateescape")) > 200:
        raise _Failure(2, [f"error: {flag}: the file name is longer than 200 bytes"])
    try:
        folder = not out_file.name or out_file.is_dir()
    except OSError as exc:
        raise _Failure(2, [f"error: {flag}: {str(out_file)[:200]!r}: {exc.strerror or exc}"]) from None
    if folder:
        raise _Failure(2, [f"error: {flag}: {str(out_file)!r} is a folder, not a file name"])
    if not out_file.parent.resolve().is_dir():
        raise _Failure(2, [f"error: {flag}: folder {str(out_file.parent)!r} does not exist"])
    if not os.access(out_file.parent.resolve(), os.W_OK):
        raise _Failure(2, [f"error: {flag}: folder {str(out_file.parent)!r} cannot be written to"])
    if flag == "--out" and out_file.suffix.lower() not in OUTPUT_SUFFIXES:
        what = f"the extension {out_file.suffix}" if out_file.suffix else "no extension"
        raise _Failure(2, [f"error: {flag}: {out_file.name!r} has {what}; give a .parquet, .csv or .xlsx file"])


@app.command("sensitivity")
def sensitivity_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    method: Annotated[str, typer.Option("--method", help="sobol (variance shares, needs many samples) or morris (screening).")] = "sobol",
    question: Annotated[Optional[list[str]], typer.Option("--question", help="A question (name or inventory ID); repeatable; default all.")] = None,
    samples: Annotated[int, typer.Option("--samples", min=2, help="Base sample size (Sobol) or number of trajectories (Morris).")] = 256,
    runs_per_point: Annotated[
        str,
        typer.Option(
            "--runs-per-point",
            metavar="N|auto",
            help="Runs averaged at each design point; auto: a pilot picks enough that a point's noise is small against the answer's spread (at most 32).",
        ),
    ] = "auto",
    seed: SeedOpt = 0,
    horizon: HorizonOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the indices as JSON.")] = False,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write the indices to a .parquet, .csv or .xlsx file (by its extension).")] = None,
    progress: ProgressOpt = None,
    backend: BackendOpt = "auto",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
) -> None:
    """Rank the uncertain parameters by how much each moves each answer, apart from noise (SALib)."""
    if method not in ("sobol", "morris"):
        raise _Failure(2, [f"error: --method must be sobol or morris, not {method!r}"])
    per_point: int | None = None
    if runs_per_point != "auto":
        try:
            per_point = int(runs_per_point)
        except ValueError:
            per_point = 0
        if per_point < 1:
            raise _Failure(2, [f"error: --runs-per-point must be a whole number of at least 1, or auto, not {runs_per_point[:40]!r}"])
    _check_out(out_file)
    loaded = _load_or_fail(scenario)
    result = _job(
        (backend, workers, address), progress, runs=0,
        work=lambda chosen, show: _run_with_progress(
            loaded, job=sensitivity, method=method, questions=question, samples=samples,
            seed=seed, runs_per_point=per_point, horizon=horizon, backend=chosen, show=show
        ),
    )
    _guarded(runs=0, work=lambda: _write_outputs(result, as_json, out_file, _print_sensitivity))


def _print_sensitivity(result: SensitivityResult) -> None:
    """Per question: the parameters distinguishable from noise, ranked; under a line,
    the ones that are not (unranked); the noise floor and what to do about it."""
    sobol = result.method == "sobol"
    index = "ST" if sobol else "mu*"
    shown = 12
    for q in result.questions:
        ids = f"{q.id}" + (f" ({', '.join(q.cites)})" if q.cites else "")
        table = Table(title=escape(f"{ids}: {q.text}"), title_justify="left")
        table.add_column("rank", justify="right")
        table.add_column("parameter")
        if sobol:
            for col in ("total order ST", "± 95%", "first order S1", "± 95%"):
                table.add_column(col, justify="right")
        else:
            for col in ("mu*", "± 95%", "sigma"):
                table.add_column(col, justify="right")

        def cells(row) -> list[str]:  # type: ignore[no-untyped-def]
            values = [row.ST, row.ST_conf, row.S1, row.S1_conf] if sobol else [row.mu_star, row.mu_star_conf, row.sigma]
            return [_fmt(v) for v in values]

        ranked, rest = q.ranked, q.indistinguishable
        for rank, row in enumerate(ranked[:shown], start=1):
            table.add_row(str(rank), escape(row.name), *cells(row))
        room = max(shown - len(ranked), 3)
        if rest:
            table.add_section()
            table.add_row("", "[dim]not distinguishable from noise[/]", *([""] * (4 if sobol else 3)))
            for row in rest[:room]:
                table.add_row("", f"[dim]{escape(row.name)}[/]", *(f"[dim]{c}[/]" for c in cells(row)))
        out.print(table)
        hidden = max(len(ranked) - shown, 0) + max(len(rest) - room, 0)
        if hidden:
            out.print(f"[dim]… {hidden} more parameters (--json lists them all)[/]")
        if all(math.isnan(getattr(r, "ST" if sobol else "mu_star")) for r in q.parameters):
            out.print("no indices: the answer does not vary over the design beyond Monte Carlo noise (or its date is beyond the horizon)")
            continue
        out.print(f"noise floor: {index} {_fmt(q.noise_floor)} (how far noise alone takes a dummy parameter nothing reads, at 95%)")
        if math.isfinite(q.noise_share):
            out.print(f"Monte Carlo noise: {_pct(q.noise_share)} of the variance of the design points' means")
        if rest:
            many = f"{len(rest)} parameters cannot" if len(rest) > 1 else "1 parameter cannot"
            out.print(f"{many} be told apart from noise at this budget; raise --samples or --runs-per-point")
    how = f"auto: from a pilot of {result.pilot_runs:,} runs" if result.auto else "as given"
    per = "1 run" if result.runs_per_point == 1 else f"{result.runs_per_point} runs"
    out.print(escape(f"{per} per design point ({how}); {result.info.runs:,} runs"))
    out.print(escape(f"reproduce: {result.command}"), soft_wrap=True)
    out.print(escape(f"scenario sha256:{result.info.sha256}  realpolitik {result.info.version}"))


@app.command("discover")
def discover_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    outcome: Annotated[str, typer.Option("--outcome", help="The condition, e.g. 'escalation == red_line'.")] = ...,  # type: ignore[assignment]
    by: Annotated[Optional[int], typer.Option("--by", min=0, help="Day by which the outcome must have held (default: the horizon).")] = None,
    runs: RunsOpt = 10_000,
    seed: SeedOpt = 0,
    horizon: HorizonOpt = None,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Minimum density of a box.")] = 0.8,
    alpha: Annotated[float, typer.Option("--alpha", min=0.001, max=0.5, help="Share of runs peeled at each PRIM step.")] = 0.05,
    min_mass: Annotated[float, typer.Option("--min-mass", min=0.0, max=1.0, help="Smallest share of runs a box may hold.")] = 0.05,
    max_boxes: Annotated[int, typer.Option("--max-boxes", min=1, help="Most boxes to find.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the boxes as JSON.")] = False,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write the boxes to a .parquet, .csv or .xlsx file (by its extension).")] = None,
    progress: ProgressOpt = None,
    backend: BackendOpt = "auto",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
) -> None:
    """Find which parameter ranges lead to an outcome (PRIM boxes, and a CART tree)."""
    _check_out(out_file)
    loaded = _load_or_fail(scenario)
    _check_by(by, horizon or loaded.spec.clock.horizon_days)
    result = _job(
        (backend, workers, address), progress, runs=runs,
        work=lambda chosen, show: _run_with_progress(
            loaded, job=lambda s, **kw: discover(s, outcome, **kw), by=by, runs=runs, seed=seed,
            horizon=horizon, threshold=threshold, alpha=alpha, min_mass=min_mass, max_boxes=max_boxes, backend=chosen, show=show
        ),
    )
    _guarded(runs=0, work=lambda: _write_outputs(result, as_json, out_file, _print_discovery))


def _print_discovery(result: Discovery) -> None:
    out.print(escape(f"outcome: {result.outcome} (by day {result.by}): {result.base_rate:.1%} of {result.info.runs:,} runs"))
    out.print("[bold]PRIM boxes[/]")
    out.print(escape(result.text), soft_wrap=True)
    out.print("[bold]classification tree[/]")
    out.print(escape(result.tree), soft_wrap=True)
    out.print(escape(f"reproduce: {result.command}"), soft_wrap=True)
    out.print(escape(f"scenario sha256:{result.info.sha256}  realpolitik {result.info.version}"))


@app.command("report")
def report_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("report.html"),
    runs: RunsOpt = 10_000,
    seed: SeedOpt = 0,
    horizon: HorizonOpt = None,
    method: Annotated[str, typer.Option("--method", help="Sensitivity method: morris (default) or sobol.")] = "morris",
    samples: Annotated[int, typer.Option("--samples", min=0, help="Sensitivity samples (0 leaves the section out).")] = 20,
    whatif: Annotated[Optional[Path], typer.Option("--whatif", help="A YAML intervention file to compare against the baseline.")] = None,
    outcome: Annotated[Optional[str], typer.Option("--discover", help="An outcome condition for scenario discovery.")] = None,
    by: Annotated[Optional[int], typer.Option("--by", min=0, help="Day by which the --discover outcome must have held.")] = None,
    sources: Annotated[Optional[Path], typer.Option("--sources", help="Folder of the source files, for the passages in the assumption table.")] = None,
    allow_path: AllowPathOpt = None,
    backtest: Annotated[Optional[Path], typer.Option("--backtest", help="A backtest's JSON (from 'realpolitik backtest --json') to show as the track record instead of the scenario's own.")] = None,
    track_record: Annotated[bool, typer.Option("--track-record/--no-track-record", help="Show the track record kept beside the scenario (default: on; a scenario without one gets a note).")] = True,
    progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Show progress (default: on a terminal).")] = None,
    as_of: AsOfOpt = None,
    db: NewsDbOpt = None,
    prices: PricesOpt = None,
    threshold: ThresholdOpt = 0.5,
) -> None:
    """Write one self-contained HTML report: a summary, answers, charts, analyses, track record, assumptions (as of a date, with --as-of)."""
    if method not in ("sobol", "morris"):
        raise _Failure(2, [f"error: --method must be sobol or morris, not {method!r}"])
    _check_out(output, "--output")
    allow = tuple(allow_path or ())
    for folder in allow:
        if not folder.exists():
            raise _Failure(2, [f"error: --allow-path: no such folder {str(folder)!r}"])
    loaded = _load_or_fail(scenario)
    _check_by(by, horizon or loaded.spec.clock.horizon_days)
    try:
        intervention = Intervention.from_file(whatif) if whatif is not None else None
    except RealpolitikError as exc:
        raise _fail_on(exc) from None
    scores = _read_backtest_json(backtest) if backtest is not None else None
    show = err.is_terminal if progress is None else progress
    evidence = _evidence_or_none(loaded, as_of, db, prices, threshold)

    def work():  # type: ignore[no-untyped-def]
        options = dict(
            runs=runs, seed=seed, horizon=horizon, method=method, samples=samples, intervention=intervention,
            outcome=outcome, by=by, sources=sources, allow=allow, backtest=scores, track_record=track_record,
            evidence=evidence, threshold=threshold,
        )
        if not show:
            return write_brief(loaded, output, **options)
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            tasks: dict[str, object] = {}

            def tick(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

            return write_brief(loaded, output, progress=tick, **options)

    brief = _guarded(runs=runs, work=work)
    for w in brief.warnings:
        err.print(escape(f"warning: {w}"), soft_wrap=True)
    out.print(escape(f"wrote {brief.path}"))


def _check_by(by: int | None, horizon: int, flag: str = "--by") -> None:
    """``--by`` within the horizon, refused before any work."""
    if by is not None and by > horizon:
        raise _Failure(2, [f"error: {flag}: day {by} is after the horizon (day {horizon}); give a day from 0 to {horizon}, or a longer --horizon"])


def _read_backtest_json(path: Path) -> dict:  # type: ignore[type-arg]
    """A saved ``realpolitik backtest --json``, checked as the report reads it, before
    any work."""
    from realpolitik.report import read_backtest_summary

    if not path.is_file():
        raise _Failure(2, [f"error: --backtest: {str(path)!r} is {'a folder' if path.is_dir() else 'no such file'}, not a backtest's JSON"])
    try:
        if path.stat().st_size > 50_000_000:
            raise _Failure(1, [f"error: {path}: larger than 50,000,000 bytes: not a backtest's JSON"])
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _Failure(1, [f"error: {path}: cannot be read: {exc.strerror or exc}"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise _Failure(1, [f"error: {path}: not JSON ({str(exc)[:200]})"]) from None
    if not isinstance(data, dict) or not {"run", "headline"} <= set(data):
        raise _Failure(1, [f"error: {path}: not the output of 'realpolitik backtest --json' (no 'run' and 'headline')"])
    try:
        read_backtest_summary(data)
    except ValueError as exc:
        raise _Failure(1, [f"error: {path}: {exc}"]) from None
    return data


def _load_or_fail(scenario: str, priors: bool = True):  # type: ignore[no-untyped-def]
    """Load a scenario, print its warnings, or fail with its problems."""
    try:
        loaded = load(scenario, priors=priors)
    except RealpolitikError as exc:
        raise _fail_on(exc) from None
    for w in loaded.warnings:
        err.print(escape(f"warning: {w}"), soft_wrap=True)
    return loaded


def _guarded(*, runs: int, work, value_error_code: int | None = None):  # type: ignore[no-untyped-def]
    """Run ``work()``; Ctrl-C, memory and library errors become one-line failures
    (and ``ValueError``, a bad argument value, when ``value_error_code`` is given)."""
    try:
        return work()
    except ValueError as exc:
        if value_error_code is None:
            raise
        raise _Failure(value_error_code, [f"error: {exc}"]) from None
    except KeyboardInterrupt:
        raise _Failure(130, ["interrupted: no output was written"]) from None
    except MemoryError:
        raise _Failure(1, [f"error: not enough memory{f' for {runs:,} runs' if runs else ''}; lower --runs or --samples"]) from None
    except RealpolitikError as exc:
        raise _fail_on(exc) from None


@app.command("check")
def check_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    sources: Annotated[Optional[Path], typer.Option("--sources", help="Folder holding the source files (overrides the paths in the file).")] = None,
    inventory: Annotated[Optional[Path], typer.Option("--inventory", help="A Markdown inventory to check coverage against.")] = None,
    allow_path: AllowPathOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check a scenario file: every problem with file:line:column, locators, inventory coverage."""
    if inventory is not None and not inventory.is_file():
        raise _Failure(2, [f"error: --inventory: no such file {str(inventory)!r}"])
    allow = tuple(allow_path or ())
    for folder in allow:
        if not folder.exists():
            raise _Failure(2, [f"error: --allow-path: no such folder {str(folder)!r}"])
    try:
        report = check(scenario, sources=sources, inventory=inventory, allow=allow)
    except RealpolitikError as exc:
        raise _fail_on(exc) from None
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        _print_check(report)
    if not report.ok:
        raise _Failure(1, [])


def _print_check(report: CheckReport) -> None:
    for p in report.problems:
        style = "red" if p.severity == "error" else "yellow"
        out.print(f"[{style}]{p.severity}[/]: " + escape(str(p)), soft_wrap=True)
    # Decorative elements are information at the level of warnings, not problems: a
    # scenario under construction may have them, and the file still runs.
    for label, style, shown in (("decorative", "yellow", report.decorative), ("observed only", "blue", report.observed_only)):
        for e in shown:
            cites = f" ({', '.join(e.cites)})" if e.cites else ""
            out.print(f"[{style}]{label}[/]: " + escape(f"{e.kind} {e.name}{cites}: {e.why}"), soft_wrap=True)
    if report.locators:
        found = sum(1 for c in report.locators if c.found)
        unread = sum(1 for c in report.locators if c.found is None)
        out.print(f"locators: {found} of {len(report.locators)} found verbatim in their sources" + (f", {unread} not checked" if unread else ""))
    if report.coverage:
        table = Table(title="inventory coverage")
        table.add_column("id", no_wrap=True)
        table.add_column("element of the system")
        table.add_column("status", no_wrap=True)
        table.add_column("modelled by / reason")
        colours = {"modelled": "green", "observed": "blue", "context": "cyan", "decorative": "yellow", "missing": "red"}
        for row in report.coverage:
            marked = [p + (" (decorative)" if p in row.decorative else " (observed only)" if p in row.observed else "") for p in row.elements]
            detail = "; ".join(x for x in (", ".join(marked), row.reason or "") if x)
            table.add_row(row.id, escape(row.title), f"[{colours.get(row.status, 'white')}]{row.status}[/]", escape(detail))
        out.print(table)
        counts = {s: sum(1 for r in report.coverage if r.status == s) for s in ("modelled", "observed", "decorative", "context", "missing")}
        out.print(
            f"{counts['modelled']} modelled, {counts['observed']} observed only, {counts['decorative']} decorative, "
            f"{counts['context']} context, {counts['missing']} missing" + (f": {', '.join(report.missing)}" if report.missing else "")
        )
    if report.bases:
        counts = {b: sum(1 for v in report.bases.values() if v == b) for b in ("data", "passage", "judgement")}
        out.print(
            f"priors: {counts['data']} of {len(report.bases)} parameters rest on data, {counts['passage']} on a passage, "
            f"{counts['judgement']} on judgement"
        )
    if report.undeclared:
        out.print("[blue]note[/]: " + escape(f"{len(report.undeclared)} parameters declare no basis and count as judgement: {', '.join(report.undeclared)}"), soft_wrap=True)
    errors = sum(1 for p in report.problems if p.severity == "error")
    out.print(f"{report.file}: " + ("[green]ok[/]" if report.ok else f"[red]{errors} error{'s' if errors != 1 else ''}[/]"))


#: What ``--help`` shows for a value of each type (Typer would show ``<int>``,
#: ``<list[str]>``: Python's names), where an option does not name its own.
_METAVARS = {"int": "N", "float": "NUMBER", "str": "TEXT", "Path": "PATH"}

#: Options whose values have a form of their own.
_NAMED = {
    "as_of": "DATE",
    "current_as_of": "DATE",
    "since": "DATE",
    "assume_date": "DATE",
    "prices": "NAME=CSV",
    "backend": "NAME",
    "address": "HOST:PORT",
    "set_": "PARAM=VALUE",
    "force": "DECISION=OPTION[@DAY]",
    "force_event": "EVENT@DAY",
}


def readable_help(command) -> None:  # type: ignore[no-untyped-def]
    """Give every option of ``command`` and its subcommands a metavar a reader
    understands, and flags none: ``--runs N``, ``--out PATH``, ``--json``."""
    for param in command.params:
        kind = getattr(param, "param_type_name", "")
        if param.metavar is not None or kind not in ("option", "argument"):
            continue
        if kind == "argument":
            param.metavar = (param.name or "value").upper()  # Typer adds "..." to one taking many
            if hasattr(param, "display_type_rich"):  # Typer appends a Python type name (``<str>``)
                param.display_type_rich = lambda ctx=None: None
            continue
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""
            continue
        if param.name in _NAMED:
            param.metavar = _NAMED[param.name]
            continue
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        for arg in typing_args(annotation):
            annotation = arg
        param.metavar = _METAVARS.get(getattr(annotation, "__name__", str(annotation)), "TEXT")
    for sub in getattr(command, "commands", {}).values():
        readable_help(sub)


def typing_args(annotation) -> tuple:  # type: ignore[no-untyped-def]
    """The element type of ``list[X]``/``Optional[X]`` (empty for a plain type)."""
    import typing

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return tuple(args[:1])


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``realpolitik`` command; returns the exit code.

    An error the program did not foresee is one line saying so (what is already
    stored stays stored: every write is atomic); ``--debug``, anywhere on the command
    line, prints its traceback too.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        command = typer.main.get_command(app)
        readable_help(command)
        command.main(args=args, standalone_mode=False, prog_name="realpolitik")
    except _Failure as failure:
        for line in failure.lines:
            err.print(escape(line), soft_wrap=True)
        return failure.code
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except typer.Abort:
        err.print("interrupted")
        return 130
    except _USAGE_ERRORS as exc:
        show = getattr(exc, "show", None)
        if show is not None:
            show(file=sys.stderr)
        else:
            err.print(escape(f"error: {exc}"))
        return int(getattr(exc, "exit_code", 2))
    except RealpolitikError as exc:  # a library error a command did not catch: still one line per problem
        for line in _fail_on(exc).lines:
            err.print(escape(line), soft_wrap=True)
        return 1
    except Exception as exc:  # noqa: BLE001 - the net under every command: never a bare traceback
        if debug:
            import traceback

            traceback.print_exc()
        message = " ".join(str(exc).split())[:300]
        err.print(escape(f"error: unexpected {type(exc).__name__}: {message} (a bug in realpolitik: please report it with the command; --debug prints the traceback)"), soft_wrap=True)
        return 1
    return 0
