"""Build the HTML report: answers, charts, analyses and assumptions in one offline page.

The page is assembled from plain records (every number already formatted, every chart
already a Plotly figure) and rendered by a Jinja2 template with autoescaping on, so
scenario text is always escaped. Plotly's JavaScript, the CSS and the figures' data
are inlined: the file opens without a network.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import plotly.graph_objects as go
from markupsafe import Markup

from realpolitik._atomic import atomic_path
from realpolitik.report import _figures as figures
from realpolitik.report._assumptions import Assumption, assumptions, sources
from realpolitik.report._format import MISSING, interval, iso_date, number, percent, points, signed
from realpolitik.report._inputs import (
    Discovery,
    Judgement,
    Rule,
    Sensitivity,
    WatchList,
    WhatIf,
    WhatIfPath,
    read_discovery,
    read_judgement,
    read_sensitivity,
    read_watch,
    read_whatif,
)
from realpolitik.report._summary import KeyAnswer, key_answer, quantity_range, watch_sentences
from realpolitik.report._track import Score, TrackRecord, load_track_record, no_track_record, read_track_record

if TYPE_CHECKING:
    from realpolitik.engine import Answer, Results
    from realpolitik.scenario import Scenario

__all__ = ["build_report", "write_report", "SECTIONS"]

#: Section ids, in page order; the analyses' sections (sensitivity, what-if,
#: discovery) appear only when given; the track record (``backtest``) always, with a
#: note when there is none.
SECTIONS = (
    "header", "summary", "answers", "over-time", "fan-charts", "events", "levels", "decisions",
    "sensitivity", "whatif", "discovery", "backtest", "assumptions",
)  # fmt: skip
#: At most this many fan charts (the variables questions ask about come first).
MAX_FAN_CHARTS = 8
#: At most this many parameters per sensitivity chart.
MAX_SENSITIVITY_BARS = 12


@dataclass(frozen=True)
class Command:
    """The command that reproduces a section's numbers, and what it ran against."""

    line: str
    note: str


@dataclass(frozen=True)
class Chart:
    """A chart container and its figure.

    Attributes:
        id: the container's element id (the figure is drawn into it).
        title: the heading above the chart.
        note: a line under the heading (description, cites, unit), if any.
        figure: the Plotly figure.
    """

    id: str
    title: str
    note: str | None
    figure: go.Figure


@dataclass(frozen=True)
class AnswerRow:
    """One question's answer, formatted."""

    id: str
    cites: str
    text: str
    kind: str
    when: str
    estimate: str
    interval: str
    se: str
    spread: str
    detail: str
    checkpoints: tuple[str, ...]
    status: str
    #: the share of the answer's variance resting on judgement (``—`` without one;
    #: empty when the report was given no shares)
    judgement: str = ""
    #: what the share rests on: the parameters that explain the answer most, or why
    #: there is no share
    judgement_note: str = ""


@dataclass(frozen=True)
class EventRow:
    """One event's chance of firing by the horizon and its mean count."""

    name: str
    cites: str
    fired: str
    count: str


@dataclass(frozen=True)
class ScoreRow:
    """One headline score of the track record, formatted."""

    metric: str
    label: str
    model: str
    baseline: str
    ratio: str
    better: bool
    n: int


@dataclass(frozen=True)
class WhatIfRow:
    """One question in a what-if, formatted."""

    id: str
    cites: str
    text: str
    baseline: str
    intervention: str
    delta: str
    interval: str
    se: str
    independent_se: str
    #: the change at each checkpoint, one line each
    checkpoints: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoxRow:
    """A scenario-discovery box, formatted."""

    rules: tuple[str, ...]
    text: str
    coverage: str
    density: str
    mass: str


def _command(line: str, sha256: str | None, version: str | None) -> Command:
    parts = []
    if sha256:
        parts.append(f"sha256:{sha256[:16]}…")
    if version:
        parts.append(f"realpolitik {version}")
    return Command(line, "# " + " ".join(parts) if parts else "")


def _cites(cites: tuple[str, ...] | list[str]) -> str:
    return ", ".join(cites)


def _judgement_cells(a: Answer, judgement: Judgement | None) -> tuple[str, str, tuple[str, ...]]:
    """The answer's judgement share, the note under it, and each checkpoint's share
    (empty without shares)."""
    if judgement is None:
        return "", "", tuple("" for _ in a.checkpoints)

    def text(day: int) -> tuple[str, str]:
        s = judgement.get(a.question, day)
        if s is None or s.share is None:
            return MISSING, "" if s is None or s.reason is None else s.reason
        top = ", ".join(f"{name} ({basis}, {number(index)})" for name, index, basis in s.top[:3])
        return percent(s.share), f"moved most by {top}" if top else ""

    share, note = text(a.day)
    return share, note, tuple(f" · on judgement {text(c.day)[0]}" for c in a.checkpoints)


def _answer_row(a: Answer, judgement: Judgement | None = None) -> AnswerRow:
    kind = a.kind.replace("_", " ")
    when = f"{a.mode} {iso_date(a.date)}"
    if a.status != "ok":
        status = "beyond the horizon of this run" if a.status == "beyond_horizon" else a.status.replace("_", " ")
        return AnswerRow(a.question, _cites(a.cites), a.text, kind, when, MISSING, MISSING, MISSING, "", "", (), status, MISSING if judgement else "")
    share, note, shares = _judgement_cells(a, judgement)
    e = a.estimate
    if a.kind == "quantiles":
        estimate = f"mean {number(e.value, a.unit)}"
        ci = interval(e.low, e.high)
        se = number(e.se)
        detail = "quantiles over the runs: " + " · ".join(f"{_q(q)}: {number(v.value)}" for q, v in a.quantiles.items())
        found = quantity_range({q: v.value for q, v in a.quantiles.items()})
        spread = f"{number(found[2])} to {number(found[3])} ({found[1]})" if found else MISSING
        checkpoints = tuple(
            f"{iso_date(c.date)}: mean {number(c.estimate.value)}" + (f", median {number(c.quantiles[0.5].value)}" if 0.5 in c.quantiles else "")
            for c in a.checkpoints
        )
    else:
        estimate = percent(e.value)
        spread = ""
        ci = interval(e.low, e.high, as_percent=True)
        se = f"{percent(e.se)}"
        detail = ""
        if a.kind == "first_passage" and a.quantiles:
            detail = "first happens (runs where it does): " + " · ".join(f"{_q(q)}: day {number(v.value)}" for q, v in a.quantiles.items())
        checkpoints = tuple(f"{a.mode} {iso_date(c.date)}: {percent(c.estimate.value)} {interval(c.estimate.low, c.estimate.high, as_percent=True)}" for c in a.checkpoints)
    checkpoints = tuple(c + s for c, s in zip(checkpoints, shares))
    return AnswerRow(a.question, _cites(a.cites), a.text, kind, when, estimate, ci, se, spread, detail, checkpoints, "", share, note)


def _q(q: float) -> str:
    return f"{q * 100:g}%"


def _series(results: Results, element: str, stat: str) -> Any:
    return results.steps.get((element, stat))


def _key_variables(results: Results, scenario: Scenario) -> tuple[list[str], bool]:
    """The continuous variables the questions read, in question order, or all of them
    if the questions read none; and whether they are the ones the questions read."""
    continuous = [v.name for v in scenario.model.variables if v.kind == "continuous" and _series(results, v.name, "q50") is not None]
    asked: list[str] = []
    for q in scenario.model.questions:
        for name in sorted(q.expression.names):
            if name in continuous and name not in asked:
                asked.append(name)
    return (asked or continuous)[:MAX_FAN_CHARTS], bool(asked)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name)


def _fan_charts(results: Results, scenario: Scenario, dates: list[str]) -> list[Chart]:
    out = []
    for name in _key_variables(results, scenario)[0]:
        spec = scenario.spec.variables.get(name)
        unit = spec.unit if spec else None
        qs = {s: _series(results, name, s) for s in ("q05", "q25", "q50", "q75", "q95")}
        if any(v is None for v in qs.values()):
            continue
        note = " · ".join(x for x in (spec.description if spec else None, _cites(spec.cites) if spec and spec.cites else None, unit) if x)
        out.append(Chart(f"chart-fan-{_slug(name)}", name, note or None, figures.fan_chart(dates, qs, _series(results, name, "mean"), unit)))
    return out


def _event_chart(results: Results, scenario: Scenario, dates: list[str]) -> tuple[list[Chart], list[EventRow]]:
    series = {}
    rows = []
    for e in scenario.model.events:
        fired = _series(results, e.name, "p_fired_by")
        if fired is None:
            continue
        series[e.name] = fired
        spec = scenario.spec.events.get(e.name)
        count = _series(results, e.name, "mean_count")
        rows.append(EventRow(e.name, _cites(spec.cites) if spec else "", percent(float(fired[-1])), number(float(count[-1])) if count is not None else MISSING))
    if not series:
        return [], rows
    chart = Chart("chart-events", "Probability each event has fired, by date", None, figures.probability_lines(dates, series, height=360))
    return [chart], rows


def _level_charts(results: Results, scenario: Scenario, dates: list[str]) -> list[Chart]:
    out = []
    booleans = {}
    for v in scenario.model.variables:
        spec = scenario.spec.variables.get(v.name)
        if v.kind == "levels":
            shares = {level: _series(results, v.name, f"p_{level}") for level in v.levels}
            if any(s is None for s in shares.values()):
                continue
            note = " · ".join(x for x in (spec.description if spec else None, _cites(spec.cites) if spec else None) if x)
            out.append(Chart(f"chart-levels-{_slug(v.name)}", v.name, note or None, figures.stacked_probabilities(dates, shares, ordered=True)))
        elif v.kind == "boolean":
            p = _series(results, v.name, "p_true")
            if p is not None:
                booleans[v.name] = p
    if booleans:
        out.append(Chart("chart-booleans", "Conditions: probability true, by date", None, figures.probability_lines(dates, booleans)))
    return out


def _decision_charts(results: Results, scenario: Scenario, dates: list[str]) -> list[Chart]:
    out = []
    for d in scenario.model.decisions:
        shares = {o.name: _series(results, d.name, f"p_{o.name}") for o in d.options}
        if any(s is None for s in shares.values()):
            continue
        actor = scenario.spec.actors.get(d.actor)
        spec = actor.decisions.get(d.name) if actor else None
        note = " · ".join(x for x in (spec.description if spec else None, _cites(spec.cites) if spec else None) if x)
        out.append(Chart(f"chart-decision-{_slug(d.name)}", f"{d.actor}: {d.name}", note or None, figures.stacked_probabilities(dates, shares, ordered=False)))
    return out


def _over_time_charts(results: Results) -> tuple[list[Chart], list[str]]:
    """A chart of each probability question's answer by day over the horizon, and the
    event questions that have none (beyond the horizon, or not recorded by this run)."""
    out, without = [], []
    for a in results.answers:
        if a.kind == "quantiles":
            continue
        over = a.over_time
        if over is None or not over.days:
            without.append(a.question)
            continue
        what = "has held by the day" if a.mode == "by" else "holds on the day"
        note = " · ".join(x for x in (a.text, _cites(a.cites), f"P(it {what}), with its 95% interval") if x)
        dates = [iso_date(d) for d in over.dates]
        figure = figures.probability_over_time(dates, over.value, over.low, over.high, name=f"P({'by' if a.mode == 'by' else 'on'} day)")
        out.append(Chart(f"chart-over-time-{_slug(a.question)}", a.question, note, figure))
    return out, without


def _sensitivity_charts(s: Sensitivity) -> list[Chart]:
    out = []
    for q in s.questions:
        more = len(q.indices) - MAX_SENSITIVITY_BARS
        clear = f"{len(q.ranked)} of {len(q.indices)} parameters clear the noise floor" if len(q.ranked) < len(q.indices) else None
        note = " · ".join(x for x in (q.text, _cites(q.cites), clear, f"top {MAX_SENSITIVITY_BARS} of {len(q.indices)} parameters" if more > 0 else None) if x)
        out.append(Chart(f"chart-sensitivity-{_slug(q.id)}", q.id, note or None, figures.sensitivity_bars(q, s.labels, top=MAX_SENSITIVITY_BARS)))
    return out


def _whatif_rows(w: WhatIf) -> list[WhatIfRow]:
    rows = []
    for q in w.questions:
        if q.is_probability:
            base, arm, delta = percent(q.baseline.value), percent(q.intervention.value), points(q.delta.value)
            ci = f"[{points(q.delta.low)}, {points(q.delta.high)}]" if math.isfinite(q.delta.low) and math.isfinite(q.delta.high) else MISSING
            se, ind = points(q.delta.se).lstrip("+"), points(q.independent_se).lstrip("+")
        else:
            base, arm, delta = number(q.baseline.value, q.unit), number(q.intervention.value, q.unit), signed(q.delta.value, q.unit)
            ci = f"[{signed(q.delta.low)}, {signed(q.delta.high)}]" if math.isfinite(q.delta.low) and math.isfinite(q.delta.high) else MISSING
            se, ind = number(q.delta.se), number(q.independent_se)
        lines = []
        for date, b, a, d in q.checkpoints:
            if q.is_probability:
                lines.append(f"on {date}: {percent(b.value)} → {percent(a.value)}, {points(d.value)} [{points(d.low)}, {points(d.high)}]")
            else:
                lines.append(f"on {date}: {number(b.value, q.unit)} → {number(a.value, q.unit)}, {signed(d.value, q.unit)} [{signed(d.low)}, {signed(d.high)}]")
        rows.append(WhatIfRow(q.id, _cites(q.cites), q.text, base, arm, delta, ci, se, ind, tuple(lines)))
    return rows


#: The most changed paths the report charts (the JSON of ``whatif`` holds them all).
MAX_PATH_CHARTS = 6


def _path_charts(w: WhatIf) -> list[Chart]:
    """The paths whose paired interval excludes 0 on some day, the clearest changes
    first: the largest ratio of a day's change to its interval's half-width (scale-free,
    so a price and a probability compare)."""

    def clarity(p: WhatIfPath) -> float:
        ratios = [abs(d) / ((hi - lo) / 2) if hi > lo else (math.inf if d else 0.0) for d, lo, hi in zip(p.delta, p.low, p.high) if math.isfinite(d)]
        return max(ratios, default=0.0)

    changed = sorted((p for p in w.paths if p.changed), key=clarity, reverse=True)
    charts = []
    for p in changed[:MAX_PATH_CHARTS]:
        what = f"{p.id}: {p.stat}"
        note = " · ".join(x for x in (_cites(p.cites), f"paired 95% interval from the first {w.kept_runs:,} runs" if w.kept_runs else None) if x)
        figure = figures.path_change(w.dates, p.delta, p.low, p.high, percent=p.stat.startswith("p_"))
        charts.append(Chart(f"chart-path-{_slug(p.id)}-{_slug(p.stat)}", f"Change over time: {what}", note or None, figure))
    return charts


def _check_line(label: str, sources_dir: str | Path | None, allow: Sequence[str | Path] = ()) -> str:
    line = f"realpolitik check {shlex.quote(label)}"
    line += f" --sources {shlex.quote(str(sources_dir))}" if sources_dir is not None else ""
    return line + "".join(f" --allow-path {shlex.quote(str(a))}" for a in allow)


def _rule(r: Rule) -> str:
    if r.low is not None and r.high is not None:
        return f"{number(r.low)} ≤ {r.parameter} ≤ {number(r.high)}"
    if r.low is not None:
        return f"{r.parameter} ≥ {number(r.low)}"
    if r.high is not None:
        return f"{r.parameter} ≤ {number(r.high)}"
    return f"{r.parameter}: any value"


def _box_rows(d: Discovery) -> list[BoxRow]:
    return [BoxRow(tuple(_rule(r) for r in b.rules), b.text, percent(b.coverage), percent(b.density), percent(b.mass)) for b in d.boxes]


def _figures_json(charts: list[Chart]) -> Markup:
    """Every figure as one JSON object keyed by container id, safe inside ``<script>``:
    ``<``, ``>`` and ``&`` are written as JSON escapes, so no text can close the element."""
    body = ",".join(f"{json.dumps(c.id)}:{c.figure.to_json(validate=False)}" for c in charts)
    text = "{" + body + "}"
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return Markup(text)


def _plotly_js() -> Markup:
    """Plotly's JavaScript from the installed ``plotly`` package, to inline once."""
    from plotly.offline import get_plotlyjs

    # A literal "</script" would end the inline element early; escaped it is the same string to JS.
    return Markup(re.sub(r"</(script)", r"<\\/\1", get_plotlyjs(), flags=re.I))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("realpolitik.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _track_record(
    scenario: Scenario, sha256: str, backtest: Mapping[str, Any] | None, track_record: bool
) -> TrackRecord:
    """The track record the report shows: a given backtest, else the one kept beside
    the scenario, else a note saying why there is none."""
    if backtest is not None:
        return read_track_record(backtest, status="given", scenario_label=scenario.label, scenario_sha256=sha256)
    if not track_record:
        return no_track_record("left_out", "The track record was left out of this report (--no-track-record).")
    return load_track_record(scenario, sha256)


#: What the summary says of each answer's drivers when the sensitivity analysis was not run.
SENSITIVITY_SKIPPED = "What moves it most is not shown: the sensitivity analysis was not run for this report (realpolitik report --samples 0 leaves it out)."


def build_report(
    results: Results,
    scenario: Scenario,
    *,
    whatif: Mapping[str, Any] | None = None,
    sensitivity: Mapping[str, Any] | None = None,
    discovery: Mapping[str, Any] | None = None,
    backtest: Mapping[str, Any] | None = None,
    watch: Mapping[str, Any] | None = None,
    track_record: bool = True,
    sources_dir: str | Path | None = None,
    allow: Sequence[str | Path] = (),
    judgement: Mapping[str, Any] | None = None,
) -> str:
    """One self-contained HTML page: a summary that leads with the answers, the
    answers over time, charts, the analyses given, the model's track record and the
    assumption table, each section with the command that reproduces it.

    The page needs no network: Plotly's JavaScript, the style sheet and the data are
    inlined. All scenario and analysis text is escaped.

    Args:
        results: an ensemble run of ``scenario``.
        scenario: the scenario that was run (its elements make the assumption table).
        whatif: a what-if comparison's ``to_dict()``.
        sensitivity: a sensitivity analysis's ``to_dict()`` (Sobol or Morris); the
            summary names the parameters that move each answer most from it.
        discovery: a scenario discovery's ``to_dict()``.
        backtest: a backtest's ``to_dict()`` (``realpolitik backtest --json``) to show
            as the track record instead of the one kept beside the scenario.
        watch: the indicators ranked by ``realpolitik.inference.watch`` (its
            ``to_dict()``), for the summary's list of what to watch.
        track_record: show the track record kept beside the scenario's file
            (``<name>.track-record.json``) when no ``backtest`` is given; a scenario
            with none gets a note saying it has never been scored.
        sources_dir: where the source texts are, as for ``realpolitik check --sources``;
            by default they are looked for beside the scenario file.
        allow: further folders the source texts may be read from, as for
            ``realpolitik check --allow-path``; a source outside the folders the
            scenario may read is marked, and its text is never read.
        judgement: the judgement shares' ``to_dict()``
            (``realpolitik.analysis.provenance.judgement_shares``): each answer then
            shows the share of its variance that rests on judgement alone.

    Raises:
        ValueError: an analysis dict lacks a key it needs (the message names it).

    Example:
        >>> from realpolitik import load
        >>> scenario = load("default")
        >>> page = build_report(scenario.run(runs=50, seed=1, horizon=10), scenario)
        >>> page.startswith("<!DOCTYPE html>"), 'id="summary"' in page, 'id="backtest"' in page
        (True, True, True)
    """
    info = results.info
    dates = [iso_date(d) for d in results.dates()]
    spec = scenario.spec
    end = info.start + dt.timedelta(days=info.horizon_days)
    run_command = _command(info.command, info.sha256, info.version)

    over_time, without_over_time = _over_time_charts(results)
    fans = _fan_charts(results, scenario, dates)
    event_charts, event_rows = _event_chart(results, scenario, dates)
    levels = _level_charts(results, scenario, dates)
    decisions = _decision_charts(results, scenario, dates)

    w = read_whatif(whatif) if whatif is not None else None
    s = read_sensitivity(sensitivity) if sensitivity is not None else None
    d = read_discovery(discovery) if discovery is not None else None
    news: WatchList | None = read_watch(watch) if watch is not None else None
    shares: Judgement | None = read_judgement(judgement) if judgement is not None else None
    track = _track_record(scenario, info.sha256, backtest, track_record)
    sensitivity_charts = _sensitivity_charts(s) if s else []
    whatif_charts = []
    if w and any(q.is_probability for q in w.questions):
        whatif_charts = [Chart("chart-whatif", "Change in each probability under the intervention", "paired 95% intervals (common random numbers)", figures.whatif_deltas(w.questions))]
    path_charts = _path_charts(w) if w else []
    whatif_charts += path_charts

    key_answers: list[KeyAnswer] = [
        key_answer(a, start=info.start, end=end, sensitivity=s, watch=news, run_command=info.command, skipped=SENSITIVITY_SKIPPED) for a in results.answers
    ]
    to_watch = watch_sentences(news, results.answers) if news is not None else []

    files = scenario.read_sources(sources=sources_dir, allow=allow)
    table: list[Assumption] = assumptions(spec, files)
    reachable = sum(1 for a in table if a.status == "found")

    charts = over_time + fans + event_charts + levels + decisions + sensitivity_charts + whatif_charts
    sections = [
        ("summary", "Summary"),
        ("answers", "Answers"),
        ("over-time", "Over time"),
        ("fan-charts", "Key variables"),
        ("events", "Events"),
        ("levels", "Levels and conditions"),
        ("decisions", "Decisions"),
    ]
    sections += [(k, t) for k, t, given in (("sensitivity", "Sensitivity", s), ("whatif", "What-if", w), ("discovery", "Scenario discovery", d)) if given]
    sections += [("backtest", "Track record"), ("assumptions", "Assumptions")]

    template = _environment().get_template("report.html.j2")
    return template.render(
        title=spec.title or spec.name,
        spec=spec,
        info=info,
        scenario_label=scenario.label,
        start=iso_date(info.start),
        end=iso_date(end),
        sections=sections,
        run_command=run_command,
        key_answers=key_answers,
        to_watch=to_watch,
        watch=news,
        watch_command=_command(news.command, info.sha256, info.version) if news else None,
        answers=[_answer_row(a, shares) for a in results.answers],
        judgement=shares,
        over_time=over_time,
        without_over_time=without_over_time,
        has_event_questions=any(a.kind != "quantiles" for a in results.answers),
        fans=fans,
        fans_asked=_key_variables(results, scenario)[1],
        event_charts=event_charts,
        event_rows=event_rows,
        levels=levels,
        decisions=decisions,
        sensitivity=s,
        sensitivity_charts=sensitivity_charts,
        sensitivity_command=_command(s.command, s.sha256 or info.sha256, s.version or info.version) if s else None,
        whatif=w,
        whatif_rows=_whatif_rows(w) if w else [],
        whatif_charts=whatif_charts,
        whatif_command=_command(w.command, w.sha256 or info.sha256, w.version or info.version) if w else None,
        discovery=d,
        discovery_base_rate=percent(d.base_rate) if d else "",
        box_rows=_box_rows(d) if d else [],
        discovery_command=_command(d.command, d.sha256 or info.sha256, d.version or info.version) if d else None,
        track=track,
        track_rows=[_score_row(x) for x in track.scores],
        track_command=_command(track.command, track.sha256, track.version) if track.command else None,
        assumptions=table,
        sources=sources(spec, files),
        check_command=_command(_check_line(scenario.label, sources_dir, allow), info.sha256, info.version),
        reachable=reachable,
        figures_json=_figures_json(charts),
        plotly_js=_plotly_js(),
        font=figures.FONT,
    )


def _score_row(x: Score) -> ScoreRow:
    return ScoreRow(x.metric, x.label, number(x.model), number(x.baseline), number(x.ratio), x.better, x.n)


def write_report(
    path: str | Path,
    results: Results,
    scenario: Scenario,
    *,
    whatif: Mapping[str, Any] | None = None,
    sensitivity: Mapping[str, Any] | None = None,
    discovery: Mapping[str, Any] | None = None,
    backtest: Mapping[str, Any] | None = None,
    watch: Mapping[str, Any] | None = None,
    track_record: bool = True,
    sources_dir: str | Path | None = None,
    allow: Sequence[str | Path] = (),
    judgement: Mapping[str, Any] | None = None,
) -> Path:
    """Write :func:`build_report` to ``path`` atomically (a reader never sees half a page).

    Returns:
        The path written.

    Example:
        >>> import tempfile, pathlib
        >>> from realpolitik import load
        >>> scenario = load("default")
        >>> out = write_report(pathlib.Path(tempfile.mkdtemp()) / "report.html", scenario.run(runs=50, seed=1, horizon=10), scenario)
        >>> out.read_text(encoding="utf-8").rstrip().endswith("</html>")
        True
    """
    page = build_report(
        results, scenario, whatif=whatif, sensitivity=sensitivity, discovery=discovery, backtest=backtest,
        watch=watch, track_record=track_record, sources_dir=sources_dir, allow=allow, judgement=judgement,
    )  # fmt: skip
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
