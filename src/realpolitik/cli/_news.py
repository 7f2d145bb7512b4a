"""The commands that bring the news in: ``ingest``, ``update``, ``watch``.

Each parses its arguments, calls the library (``realpolitik.ingest``,
``realpolitik.store``, ``realpolitik.inference``) and renders the result.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from realpolitik.cli._app import (
    AddressOpt,
    BackendOpt,
    HorizonOpt,
    JsonOpt,
    OutOpt,
    ProgressOpt,
    RunsOpt,
    SeedOpt,
    WorkersOpt,
    PricesOpt,
    _as_of_date,
    _check_out,
    _estimate_text,
    _fail_on,
    _Failure,
    _fmt,
    _guarded,
    _job,
    _load_or_fail,
    _pct,
    _run_with_progress,
    _write_outputs,
    app,
    err,
    out,
)
from realpolitik.errors import RealpolitikError
from realpolitik.inference import UpdateResult, WatchResult, check_threshold, evidence_as_of, news_date, update, watch
from realpolitik.scenario import DEFAULT_SCENARIO
from realpolitik.store import Store, default_store_path

__all__ = ["ingest_command", "update_command", "watch_command"]

ScenarioOpt = Annotated[str, typer.Option("--scenario", "-s", help="A scenario file or bundled name: whose actors, indicators and options to match.")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", help="The news store (DuckDB; default $REALPOLITIK_DB, else $XDG_DATA_HOME/realpolitik/news.duckdb, ~/.local/share/... by default).")]
AsOfNewsOpt = Annotated[Optional[str], typer.Option("--as-of", "--now", help="Answer as of this date (YYYY-MM-DD); nothing dated after it is read (default: the newest stored article's date).")]


def _date(text: str | None, flag: str) -> dt.date | None:
    return _as_of_date(text, flag)  # type: ignore[no-any-return]


def _open_store(db: Path | None, *, read_only: bool) -> Store:
    """The news store, opened and read through once (:meth:`Store.check`), so that a
    damaged one is named now, not after a long run: a ``--db`` that cannot be a store
    (a folder, a file in the way) is a usage error, exit 2; a store that cannot be
    used is one line naming it, exit 1."""
    if db is not None:
        _check_db_option(db)
    try:
        store = Store(db or default_store_path(), read_only=read_only)
    except RealpolitikError as exc:
        raise _fail_on(exc) from None
    try:
        store.check()
    except RealpolitikError as exc:
        with contextlib.suppress(RealpolitikError):
            store.close()
        raise _fail_on(exc) from None
    return store


def _check_db_option(db: Path) -> None:
    """``--db`` must name a file that is, or can be made, a store: not a folder, and
    not under a file."""
    try:
        if db.is_dir():
            raise _Failure(2, [f"error: --db: {str(db)!r} is a folder; give the store's file, e.g. {str(db / 'news.duckdb')!r}"])
        if db.exists() and not db.is_file():
            raise _Failure(2, [f"error: --db: {str(db)!r} is not a regular file (a device, a pipe or a socket)"])
        for parent in db.parents:  # the nearest that exists must be a folder
            if parent.exists():
                if not parent.is_dir():
                    raise _Failure(2, [f"error: --db: {str(parent)!r} is a file, not a folder, so {str(db)!r} cannot be a store"])
                break
    except OSError as exc:
        raise _Failure(2, [f"error: --db: {str(db)!r}: {exc.strerror or exc}"]) from None


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files (text, HTML, JSONL) or folders, read recursively.", show_default=False)],
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per article (its mentions and events).")] = False,
    assume_date: Annotated[Optional[str], typer.Option("--assume-date", metavar="DATE", help="The publication date (YYYY-MM-DD) of articles that give none: their undated events are placed on it, flagged as assumed.")] = None,
    progress: ProgressOpt = None,
) -> None:
    """Read articles, find actors and events (with modality and dates), store them and the observations of indicators."""
    assumed = _date(assume_date, "--assume-date")
    for p in paths:
        if not p.exists():
            raise _Failure(2, [f"error: no such file or folder {str(p)!r}"])
    opened: list[Store] = []  # the store once it is open: what an interruption reports
    try:
        loaded, summary, counts = _ingest(paths, scenario, db, as_json=as_json, progress=progress, opened=opened, assumed=assumed)
        if not as_json:
            _print_ingest(loaded, summary, counts, db)
    except KeyboardInterrupt:
        raise _Failure(130, [_interrupted_ingest(opened)]) from None


def _ingest(paths: list[Path], scenario: str, db: Path | None, *, as_json: bool, progress: bool | None, opened: list[Store], assumed: dt.date | None):  # type: ignore[no-untyped-def]
    """``ingest``'s work: load, open the store, ingest; the loaded scenario, the
    summary and the store's counts. A Ctrl-C comes out as ``KeyboardInterrupt``."""
    from realpolitik.ingest import ingest, load_pipeline

    loaded = _load_or_fail(scenario)
    try:
        nlp = load_pipeline()
    except (OSError, ImportError) as exc:
        raise _Failure(1, [f"error: cannot load spaCy's English pipeline: {exc}; pip install 'realpolitik[news]'"]) from None
    show = err.is_terminal if progress is None else progress

    def skipped(item) -> None:  # type: ignore[no-untyped-def]
        err.print(escape(str(item)), soft_wrap=True)

    with _open_store(db, read_only=False) as store:
        opened.append(store)
        bar = Progress(TextColumn("[bold]ingest"), BarColumn(), TextColumn("{task.completed} articles"), console=err, transient=True, disable=not show)

        def stored(article) -> None:  # type: ignore[no-untyped-def]
            bar.advance(task)
            if article.warning:
                err.print(escape(f"warning: {article.warning}"), soft_wrap=True)
            if as_json:
                sys.stdout.write(json.dumps(article.to_dict(), ensure_ascii=False, default=str) + "\n")

        with bar:
            task = bar.add_task("ingest", total=None)
            try:
                # an undated article's dates are read against --assume-date, never the clock
                summary = ingest([str(p) for p in paths], store=store, nlp=nlp, scenario=loaded, on_article=stored, on_skip=skipped, assumed_date=assumed)
                counts = store.counts()
            except MemoryError:
                raise _Failure(1, [f"error: not enough memory ({_stored_so_far(store)})"]) from None
            except RealpolitikError as exc:
                failure = _fail_on(exc)
                failure.lines[-1] += f" ({_stored_so_far(store)})"
                raise failure from None
    return loaded, summary, counts


def _stored_so_far(store: Store) -> str:
    n = store.written
    return f"{n} article{'' if n == 1 else 's'} stored before it, none half-written"


def _interrupted_ingest(opened: list[Store]) -> str:
    """The one line an interrupted ingest ends with: how many articles it stored."""
    if not opened:
        return "interrupted: no article was stored"
    store = opened[0]
    n = store.written
    if not n:
        return f"interrupted: no article was stored in {store.path}"
    return (
        f"interrupted: {n} article{'' if n == 1 else 's'} stored in {store.path} before the interruption, none half-written; "
        "run the same ingest again to add the rest"
    )


def _print_ingest(loaded, summary, counts: dict[str, int], db: Path | None) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"ingested into {db or default_store_path()}")
    table.add_column("articles")
    table.add_column("count", justify="right")
    for label, value in (("added", summary.added), ("already stored", summary.duplicate), ("new versions", summary.new_version), ("skipped", len(summary.skipped))):
        table.add_row(label, str(value))
    table.add_row("events found", str(summary.events))
    if summary.undated:
        table.add_row("undated", str(summary.undated))
    if summary.unplaced:
        table.add_row("observations not placed (undated)", str(summary.unplaced))
    out.print(table)
    if summary.observations:
        obs = Table(title=f"observations of {loaded.name}'s indicators (asserted, reported or claimed, in the present)")
        obs.add_column("indicator")
        obs.add_column("new", justify="right")
        for name, n in sorted(summary.observations.items()):
            obs.add_row(escape(name), str(n))
        out.print(obs)
    out.print(escape(f"store: {counts['articles']} articles, {counts['events']} events, {counts['observations']} observations"))


def _share_of_runs(value: float) -> float:
    """``--threshold``, checked as :func:`update` checks it, as a usage error."""
    try:
        return check_threshold(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


@app.command("update")
def update_command(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    db: DbOpt = None,
    since: Annotated[Optional[str], typer.Option("--since", help="'Before' uses only observations dated before this (default: the prior).")] = None,
    as_of: AsOfNewsOpt = None,
    prices: PricesOpt = None,
    runs: RunsOpt = 10_000,
    seed: SeedOpt = 0,
    horizon: HorizonOpt = None,
    threshold: Annotated[float, typer.Option("--threshold", callback=_share_of_runs, help="Resample when the effective sample size falls below this share of runs (above 0, at most 1).")] = 0.5,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
    progress: ProgressOpt = None,
    backend: BackendOpt = "auto",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
) -> None:
    """Filter the ensemble on what was observed by a date: each answer before and after the news, and what moved it."""
    _check_out(out_file)
    since_date, as_of_date = _date(since, "--since"), _date(as_of, "--as-of")
    loaded = _load_or_fail(scenario)
    with _open_store(db, read_only=True) as store:  # opened (and checked) once
        day, _ = _guarded(runs=0, work=lambda: news_date(store, now=as_of_date))
        _check_default_date(loaded, day, given=as_of_date is not None)
        evidence = _guarded(runs=0, work=lambda: evidence_as_of(loaded, day, db=store, prices=prices or ()))
    result = _job(
        (backend, workers, address), progress, runs=runs, value_error_code=1,
        work=lambda chosen, show: _run_with_progress(
            loaded, show=show, job=update, observations=evidence, since=since_date,
            runs=runs, seed=seed, horizon=horizon, threshold=threshold, backend=chosen,
        ),
    )  # fmt: skip
    _guarded(runs=0, work=lambda: _write_outputs(result, as_json, out_file, _print_update))


def _check_default_date(scenario, date: dt.date, *, given: bool) -> None:  # type: ignore[no-untyped-def]
    """A default as-of date (the newest article, else today) outside the scenario's
    clock is a usage error that says to give ``--as-of`` (a given one is checked by
    the filter, with the same range)."""
    clock = scenario.spec.clock
    end = clock.start + dt.timedelta(days=clock.horizon_days)
    if not given and not clock.start <= date <= end:
        raise _Failure(2, [f"error: the default as-of date, {date.isoformat()} (the newest article, else today), is outside {scenario.name}'s clock ({clock.start.isoformat()} to {end.isoformat()}): give --as-of"])


def _print_update(result: UpdateResult) -> None:
    info = result.info
    covered = f"{result.covered[0].isoformat()} to {result.covered[1].isoformat()}" if result.covered else "no days"
    out.print(escape(f"{info.scenario_name}: {len(result.observed)} observed indicator-days, news covering {covered}"))
    ess = f"effective sample size {result.ess:,.0f} of {info.runs:,} runs"
    out.print(escape(ess + (f" (below {result.threshold:.0%}: resampled)" if result.resampled else "")))
    table = Table(show_lines=True)
    table.add_column("question")
    table.add_column("before ± s.e.", no_wrap=True)
    table.add_column("after ± s.e.", no_wrap=True)
    table.add_column("change ± s.e.", no_wrap=True)
    table.add_column("moved most by")
    for q in result.questions:
        movers = "\n".join(f"{_fmt(m.delta) if q.kind == 'quantiles' else f'{100 * m.delta:+.1f} pts'}  {m.indicator} on {m.date.isoformat()}" for m in q.movers if m.delta and math.isfinite(m.delta))
        change = q.change
        sign = "+" if change.value >= 0 else ""
        moved = f"{sign}{_fmt(change.value)} ± {_fmt(change.se)}" if q.kind == "quantiles" else f"{100 * change.value:+.1f} ± {100 * change.se:.1f} pts"
        table.add_row(
            escape(f"{q.question} ({', '.join(q.cites)})\n{q.text}"),
            escape(_estimate_text(q.kind, q.before)),
            escape(_estimate_text(q.kind, q.after)),
            escape(moved + ("" if q.beyond_noise or not math.isfinite(change.value) else "\n(within noise)")),
            escape(movers or "-"),
        )
    out.print(table)
    out.print(escape("change: after minus before; its error adds both answers' variances (an upper bound, as both share the seed); "
                     "\"within noise\": its 95% interval holds 0"), soft_wrap=True)
    if result.unused:
        out.print(escape(f"{len(result.unused)} observations fall outside the scenario's days and were not used"))
    if result.conditioned is not None:
        for day in result.conditioned.days:
            if day.resampled or day.surprises or any(not o.endswith("covered day") for o in day.observed):
                seen = ", ".join(o for o in day.observed if not o.endswith("covered day"))[:100] or "silence"
                out.print(escape(f"  {day.date.isoformat()}: {seen}; log-lik {day.loglik:.2f}, ESS {day.ess:,.0f}" + ("; resampled" if day.resampled else "")), soft_wrap=True)
        for w in result.conditioned.warnings[:10]:
            err.print(escape(f"warning: {w}"), soft_wrap=True)
    out.print(escape(f"reproduce: {result.command}"), soft_wrap=True)


@app.command("watch")
def watch_command(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    db: DbOpt = None,
    as_of: AsOfNewsOpt = None,
    prices: PricesOpt = None,
    runs: RunsOpt = 10_000,
    seed: SeedOpt = 0,
    horizon: HorizonOpt = None,
    threshold: Annotated[float, typer.Option("--threshold", callback=_share_of_runs, help="Resample when the effective sample size falls below this share of runs (above 0, at most 1).")] = 0.5,
    as_json: JsonOpt = False,
    out_file: OutOpt = None,
    progress: ProgressOpt = None,
    backend: BackendOpt = "auto",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
) -> None:
    """Rank the indicators not yet observed by how much watching them from the as-of date would move each answer."""
    _check_out(out_file)
    now_date = _date(as_of, "--as-of")
    loaded = _load_or_fail(scenario)
    # without a store of its own (no --db, and none at the default place) it ranks
    # against the prior; a --db that does not exist is an error, as for update
    found = db is not None or default_store_path().exists()
    with _open_store(db, read_only=True) if found else contextlib.nullcontext() as store:  # opened (and checked) once
        day, _ = _guarded(runs=0, work=lambda: news_date(store, now=now_date, today=dt.date.today()))
        _check_default_date(loaded, day, given=now_date is not None)
        evidence = _guarded(runs=0, work=lambda: evidence_as_of(loaded, day, db=store, prices=prices or ()))
    result = _job(
        (backend, workers, address), progress, runs=runs,
        work=lambda chosen, show: _run_with_progress(
            loaded, show=show, job=watch, observations=evidence,
            runs=runs, seed=seed, horizon=horizon, threshold=threshold, backend=chosen,
        ),
    )  # fmt: skip
    _guarded(runs=0, work=lambda: _write_outputs(result, as_json, out_file, _print_watch))


def _print_watch(result: WatchResult) -> None:
    table = Table(title=f"what to watch on {result.now.isoformat()} (expected shift of each answer, in its standard deviations over the runs)", show_lines=True)
    table.add_column("indicator")
    table.add_column("P(reported next day)", justify="right")
    table.add_column("value", justify="right")
    table.add_column("moves most")
    for w in result.watches:
        top = sorted(w.shifts.items(), key=lambda kv: -kv[1])[:3]
        table.add_row(
            escape(f"{w.indicator} ({', '.join(w.cites)})" + (f"\n{w.signals}" if w.signals else "")),
            _pct(w.p_report),
            f"{w.value:.3f}",
            escape("\n".join(f"{q}: {s:.3f}" for q, s in top)),
        )
    out.print(table)
    out.print(escape(f"reproduce: {result.command}"), soft_wrap=True)
