"""The commands to begin and find one's way in a scenario: ``describe`` and ``init``.

Each parses its arguments, calls one library function (``realpolitik.scenario.describe``,
``realpolitik.scenario.write_starter``) and renders the result, like the commands of
``_app``.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from realpolitik.cli._app import JsonOpt, ScenarioArg, _fail_on, _Failure, _load_or_fail, app, out
from realpolitik.errors import RealpolitikError
from realpolitik.scenario import DEFAULT_SCENARIO, Description, describe, write_starter

__all__ = ["describe_command", "init_command"]

#: The kinds of element ``describe`` lists, in its order (``--section`` takes one).
SECTIONS = tuple(f.name for f in dataclasses.fields(Description) if f.name != "scenario")


@app.command("describe")
def describe_command(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    section: Annotated[
        Optional[str], typer.Option("--section", help=f"Print only one kind of element: {', '.join(SECTIONS)}.", show_default=False)
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List what you can question and change in a scenario, and the flag that changes each."""
    if section is not None and section not in SECTIONS:
        raise _Failure(2, [f"error: --section: no section {section[:40]!r}; choose one of {', '.join(SECTIONS)}"])
    loaded = _load_or_fail(scenario)
    description = describe(loaded)
    if as_json:
        data = description.to_dict()
        if section is not None:
            data = {"scenario": data["scenario"], section: data[section]}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        _print_description(description, section)


def _ids(cites: tuple[str, ...]) -> str:
    return f" [dim]({escape(', '.join(cites))})[/]" if cites else ""


def _num(value: float) -> str:
    return f"{value:.4g}"


def _print_description(d: Description, section: str | None) -> None:
    s = d.scenario
    out.print(f"[bold]{escape(s.name)}[/]" + (f": {escape(s.title)}" if s.title else ""))
    out.print(escape(f"{s.start.isoformat()} + {s.horizon_days} days in steps of {s.step_days}; sha256:{s.sha256[:16]}"))
    out.print(escape(f"to change it: realpolitik whatif {shlex.quote(s.label)} with the flags below"))
    printers = {
        "actors": _print_actors, "decisions": _print_decisions, "parameters": _print_parameters, "variables": _print_variables,
        "events": _print_events, "indicators": _print_indicators, "questions": _print_questions,
    }
    for name in SECTIONS if section is None else (section,):
        if getattr(d, name):
            printers[name](d)
        else:
            out.print(f"{name}: none")


def _table(title: str, *columns: str, flags: list[str] | None = None) -> Table:
    """A table whose first column is as wide as the longest of ``flags`` (at most 44
    characters and about half the terminal), so that each flag can be copied from one
    line even at 80 columns."""
    table = Table(title=escape(title), title_justify="left", show_lines=True, expand=False)
    widest = min(max((len(f) for f in flags or [""]), default=0), 44, max(20, out.width // 2 + 4))
    for i, column in enumerate(columns):
        table.add_column(column, overflow="fold", width=widest if i == 0 and flags else None)
    return table


def _print_actors(d: Description) -> None:
    table = _table(f"actors ({len(d.actors)})", "actor", "decisions")
    for a in d.actors:
        table.add_row(f"[bold]{escape(a.name)}[/]{_ids(a.cites)}", escape(", ".join(a.decisions)) or "[dim]none[/]")
    out.print(table)


def _print_decisions(d: Description) -> None:
    table = _table(f"decisions ({len(d.decisions)}): --force DECISION=OPTION[@DAY]", "decision", "options", flags=[x.force for x in d.decisions])
    for x in d.decisions:
        options = "\n".join(
            escape(o.name) + (" [dim](at the start)[/]" if o.name == x.initial else "") + _ids(o.cites) for o in x.options
        )
        table.add_row(f"[bold]{escape(x.name)}[/]{_ids(x.cites)}\n[dim]of {escape(x.actor)}[/]\n{escape(x.force)}", options)
    out.print(table)


def _print_parameters(d: Description) -> None:
    table = _table(f"parameters ({len(d.parameters)}): --set PARAMETER=VALUE", "parameter", "prior, and where the number comes from", flags=[p.set for p in d.parameters])
    for p in d.parameters:
        span = "range" if p.range == "support" else "5%-95%"
        unit = f" {escape(p.unit)}" if p.unit else ""
        about = f"{escape(p.prior.text)}\n{span} {_num(p.low)} to {_num(p.high)}, median {_num(p.default)}{unit}"
        text = p.source.text.removeprefix(f"{p.source.kind}:").strip()  # "data: FILE" says its kind already
        about += f"\n[bold]{escape(p.source.kind)}[/]" + (f": {escape(text)}" if text and text != p.source.kind else "")
        if p.source.fit:
            about += f" [dim]({escape(p.source.fit)})[/]"
        if not p.source.declared:
            about += " [dim](no basis declared: counts as judgement)[/]"
        if p.rationale:
            about += f"\n[dim]{escape(p.rationale)}[/]"
        table.add_row(f"[bold]{escape(p.name)}[/]{_ids(p.cites)}\n{escape(p.set)}", about)
    out.print(table)


def _print_variables(d: Description) -> None:
    table = _table(f"variables ({len(d.variables)})", "variable", "kind", "at the start")
    for v in d.variables:
        kind = v.kind
        if v.levels:
            kind += ": " + " < ".join(v.levels)
        if v.unit:
            kind += f", {v.unit}"
        if v.bounds is not None:
            low, high = ("-inf" if b is None else _num(b) for b in v.bounds)
            kind += f" in [{low}, {high}]"
        initial = str(v.initial).lower() if isinstance(v.initial, bool) else _num(v.initial) if isinstance(v.initial, float) else v.initial
        table.add_row(f"[bold]{escape(v.name)}[/]{_ids(v.cites)}", escape(kind), escape(initial))
    out.print(table)


def _print_events(d: Description) -> None:
    table = _table(f"events ({len(d.events)}): --force-event EVENT@DAY", "event", "daily hazard", flags=[e.force_event for e in d.events])
    for e in d.events:
        hazard = escape(e.hazard) + ("\n[dim]at most once[/]" if e.once else "")
        table.add_row(f"[bold]{escape(e.name)}[/]{_ids(e.cites)}\n{escape(e.force_event)}", hazard)
    out.print(table)


def _print_indicators(d: Description) -> None:
    table = _table(f"indicators ({len(d.indicators)})", "indicator", "observes", "reported")
    for i in d.indicators:
        observes = escape(i.observes) + (f"\n[dim]{escape(i.signals)}[/]" if i.signals else "")
        report = f"p {_num(i.p_report)}, false {_num(i.false_rate)}" + (f"\nafter {i.delay_days} d" if i.delay_days else "")
        table.add_row(f"[bold]{escape(i.name)}[/]{_ids(i.cites)}", observes, report)
    out.print(table)


def _print_questions(d: Description) -> None:
    table = _table(f"questions ({len(d.questions)}): results.answer(NAME or ID)", "question", "asks", flags=[q.ask for q in d.questions])
    for q in d.questions:
        ask = escape(q.ask) + "".join(f'\n[dim]or[/] results.answer("{escape(c)}")' for c in q.ids)
        when = f"[dim]{q.kind}, {q.mode} {q.date.isoformat()}" + (f", in {escape(q.unit)}" if q.unit else "") + "[/]"
        table.add_row(f"[bold]{escape(q.name)}[/]{_ids(q.cites)}\n{ask}", f"{escape(q.text)}\n{when}")
    out.print(table)


@app.command("init")
def init_command(
    name: Annotated[str, typer.Argument(help="The scenario's name; NAME.yaml is written (ASCII letters, digits, '-' and '_').", show_default=False)],
    folder: Annotated[Path, typer.Option("--dir", help="The folder to write NAME.yaml in (default: the current folder).")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite NAME.yaml if it exists.")] = False,
) -> None:
    """Write a small, documented starter scenario NAME.yaml to begin your own crisis."""
    if not folder.is_dir():
        raise _Failure(2, [f"error: --dir: {str(folder)[:200]!r} is {'a file' if folder.exists() else 'no such folder'}; give an existing folder"])
    try:
        path = write_starter(name, folder, overwrite=force)
    except ValueError as exc:
        raise _Failure(2, [f"error: NAME: {exc}"]) from None
    except FileExistsError as exc:
        raise _Failure(2, [f"error: {exc.filename} exists; choose another NAME or --dir, or give --force to overwrite it"]) from None
    except RealpolitikError as exc:
        raise _fail_on(exc) from None
    shown = shlex.quote(str(path))
    out.print(escape(f"wrote {path}"))
    out.print(escape(f"next: realpolitik check {shown}; realpolitik run {shown} --runs 1000; realpolitik describe {shown}"), soft_wrap=True)
