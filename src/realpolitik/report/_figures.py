"""The report's charts as Plotly figures: pure functions of summaries and analysis records.

Labels that come from a scenario or an analysis are HTML-escaped before they reach
Plotly, which renders a few HTML tags in text: a name with ``<`` shows as written and
cannot inject markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from realpolitik.report._inputs import SensitivityQuestion, WhatIfQuestion

__all__ = ["FONT", "QUALITATIVE", "label", "sequential", "fan_chart", "stacked_probabilities", "probability_lines", "sensitivity_bars", "whatif_deltas", "probability_over_time", "path_change"]

#: The font stack of the page and of the charts (no web fonts: the report is offline).
FONT = "-apple-system, 'Segoe UI', 'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', sans-serif"
_INK = "#1f2933"
_GRID = "#e4e7eb"
_ACCENT = "#1d4e89"
#: Distinct colours for unordered categories (decision options, events).
QUALITATIVE = ("#1d4e89", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#66a182", "#8d6a9f", "#c97c5d", "#30638e", "#9a8f97", "#2e4057", "#b33f62")
#: Light to dark, for ordered levels (lowest first).
_SEQUENTIAL = ("#fde8c8", "#fbc78f", "#f59f5a", "#e56b3c", "#c33b2c", "#8c1d24", "#5a0f1a")


def label(text: str) -> str:
    """Text safe for a Plotly label: HTML-escaped, since Plotly renders some tags.

    Example:
        >>> label("a<b")
        'a&lt;b'
    """
    return html.escape(text, quote=False)


def _values(series: Sequence[float] | np.ndarray) -> list[float | None]:
    """Plain numbers for JSON, four significant figures (more than a chart can show)."""
    return [float(f"{v:.4g}") if math.isfinite(v) else None for v in np.asarray(series, dtype=float).tolist()]


def _layout(fig: go.Figure, *, height: int, percent: bool = False, y_title: str | None = None, legend: bool = True) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 56, "r": 16, "t": 8, "b": 36},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT, "size": 12, "color": _INK},
        hovermode="x unified",
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0, "font": {"size": 11}},
    )
    fig.update_xaxes(showgrid=True, gridcolor=_GRID, linecolor="#9aa5b1", ticks="outside", tickcolor="#9aa5b1")
    fig.update_yaxes(showgrid=True, gridcolor=_GRID, zeroline=False, linecolor="#9aa5b1", title_text=label(y_title) if y_title else None)
    if percent:
        fig.update_yaxes(tickformat=".0%", hoverformat=".1%")
    return fig


def sequential(n: int) -> list[str]:
    """``n`` colours from light to dark, for ordered levels.

    Example:
        >>> sequential(2)
        ['#fde8c8', '#5a0f1a']
    """
    if n <= 1:
        return [_SEQUENTIAL[len(_SEQUENTIAL) // 2]]
    return [_SEQUENTIAL[round(i * (len(_SEQUENTIAL) - 1) / (n - 1))] for i in range(n)]


def fan_chart(dates: Sequence[str], quantiles: dict[str, np.ndarray], mean: np.ndarray | None, unit: str | None) -> go.Figure:
    """A fan chart: the 5–95% and 25–75% bands of a variable over time, the median and the mean.

    Args:
        dates: ISO dates of the steps.
        quantiles: ``q05``, ``q25``, ``q50``, ``q75``, ``q95`` -> one value per step.
        mean: the mean per step, or ``None``.
        unit: the variable's unit, for the axis.
    """
    x = list(dates)
    fig = go.Figure()
    hover = "%{y:.3g}"
    fig.add_trace(go.Scatter(x=x, y=_values(quantiles["q05"]), name="5%", mode="lines", line={"width": 0, "color": _ACCENT}, showlegend=False, hovertemplate=hover))
    fig.add_trace(
        go.Scatter(x=x, y=_values(quantiles["q95"]), name="5–95%", mode="lines", line={"width": 0, "color": _ACCENT}, fill="tonexty", fillcolor="rgba(29,78,137,0.14)", hovertemplate=hover)
    )
    fig.add_trace(go.Scatter(x=x, y=_values(quantiles["q25"]), name="25%", mode="lines", line={"width": 0, "color": _ACCENT}, showlegend=False, hovertemplate=hover))
    fig.add_trace(
        go.Scatter(x=x, y=_values(quantiles["q75"]), name="25–75%", mode="lines", line={"width": 0, "color": _ACCENT}, fill="tonexty", fillcolor="rgba(29,78,137,0.30)", hovertemplate=hover)
    )
    fig.add_trace(go.Scatter(x=x, y=_values(quantiles["q50"]), name="median", mode="lines", line={"width": 2.2, "color": _ACCENT}, hovertemplate=hover))
    if mean is not None:
        fig.add_trace(go.Scatter(x=x, y=_values(mean), name="mean", mode="lines", line={"width": 1.2, "color": "#d1495b", "dash": "dot"}, hovertemplate=hover))
    fig = _layout(fig, height=280, y_title=unit)
    fig.update_layout(legend_traceorder="normal")
    return fig


def stacked_probabilities(dates: Sequence[str], shares: dict[str, np.ndarray], *, ordered: bool) -> go.Figure:
    """Stacked areas of the share of runs in each level (or option) by day; they sum to 1.

    Args:
        shares: level or option name -> share of runs per step, in the scenario's order.
        ordered: the categories are ordered levels (light to dark colours) rather than
            unordered options.
    """
    colours = sequential(len(shares)) if ordered else [QUALITATIVE[i % len(QUALITATIVE)] for i in range(len(shares))]
    fig = go.Figure()
    for (name, values), colour in zip(shares.items(), colours):
        fig.add_trace(
            go.Scatter(
                x=list(dates),
                y=_values(values),
                name=label(name),
                mode="lines",
                stackgroup="one",
                line={"width": 0.6, "color": colour},
                fillcolor=colour,
                hovertemplate="%{y:.1%}",
            )
        )
    fig = _layout(fig, height=280, percent=True)
    fig.update_yaxes(range=[0, 1])
    return fig


def probability_lines(dates: Sequence[str], series: dict[str, np.ndarray], *, height: int = 320) -> go.Figure:
    """One line per element of a probability by day (events fired so far, booleans true)."""
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        fig.add_trace(
            go.Scatter(x=list(dates), y=_values(values), name=label(name), mode="lines", line={"width": 1.8, "color": QUALITATIVE[i % len(QUALITATIVE)]}, hovertemplate="%{y:.1%}")
        )
    fig = _layout(fig, height=height, percent=True)
    top = max((float(np.nanmax(v)) for v in series.values() if len(v) and np.isfinite(v).any()), default=1.0)
    fig.update_yaxes(range=[0, min(1.0, max(0.05, top * 1.08))])
    return fig


def probability_over_time(dates: Sequence[str], value: np.ndarray, low: np.ndarray, high: np.ndarray, *, name: str = "probability") -> go.Figure:
    """A probability question's answer on each recorded day, with its 95% interval as a band.

    Args:
        dates: ISO dates of the recorded days.
        value: the probability on each day (that the condition has held by it, or
            holds on it).
        low, high: the 95% interval of each day's estimate.
        name: the line's legend entry.
    """
    x = list(dates)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=_values(low), name="95% low", mode="lines", line={"width": 0, "color": _ACCENT}, showlegend=False, hovertemplate="%{y:.1%}"))
    fig.add_trace(
        go.Scatter(
            x=x, y=_values(high), name="95% interval", mode="lines", line={"width": 0, "color": _ACCENT},
            fill="tonexty", fillcolor="rgba(29,78,137,0.18)", hovertemplate="%{y:.1%}",
        )
    )  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=_values(value), name=label(name), mode="lines", line={"width": 2.2, "color": _ACCENT}, hovertemplate="%{y:.1%}"))
    fig = _layout(fig, height=240, percent=True)
    finite = np.asarray(high, dtype=float)
    top = float(np.nanmax(finite)) if finite.size and np.isfinite(finite).any() else 1.0
    fig.update_yaxes(range=[0, min(1.0, max(0.05, top * 1.08))])
    return fig


def path_change(dates: Sequence[str], delta: Sequence[float], low: Sequence[float], high: Sequence[float], *, percent: bool) -> go.Figure:
    """A path's change under a what-if on each recorded day, with its paired 95%
    interval as a band and a line at no change."""
    x = list(dates)
    scale = 100.0 if percent else 1.0
    fmt = "%{y:+.3g} pp" if percent else "%{y:+.3g}"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=_values([v * scale for v in low]), name="95% low", mode="lines", line={"width": 0, "color": _ACCENT}, showlegend=False, hovertemplate=fmt))
    fig.add_trace(
        go.Scatter(
            x=x, y=_values([v * scale for v in high]), name="paired 95% interval", mode="lines", line={"width": 0, "color": _ACCENT},
            fill="tonexty", fillcolor="rgba(29,78,137,0.18)", hovertemplate=fmt,
        )
    )  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=_values([v * scale for v in delta]), name="change", mode="lines", line={"width": 2.2, "color": _ACCENT}, hovertemplate=fmt))
    fig = _layout(fig, height=220)
    fig.add_hline(y=0, line={"color": "#52606d", "width": 1})
    fig.update_yaxes(title_text="change, percentage points" if percent else "change")
    return fig


def sensitivity_bars(question: SensitivityQuestion, labels: tuple[str, str], *, top: int) -> go.Figure:
    """Horizontal bars of the ``top`` most influential parameters, highest first, with
    95% error bars: the main index (ST or μ*) and the second (S1 or σ). Parameters
    whose index does not clear the noise floor come after the others, greyed and
    marked "(noise)"; the floor is a dashed line."""
    shown = question.indices[:top]
    names = [label(i.name) if i.distinguishable else f"{label(i.name)} (noise)" for i in shown]

    def errors(values: list[float]) -> dict[str, object]:
        return {"type": "data", "array": [v if math.isfinite(v) else None for v in values], "visible": any(math.isfinite(v) for v in values), "thickness": 1, "color": "#52606d"}

    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names, x=_values([i.main for i in shown]), error_x=errors([i.main_conf for i in shown]), name=label(labels[0]), orientation="h",
            marker_color=[_ACCENT if i.distinguishable else "#cbd2d9" for i in shown], hovertemplate="%{x:.3g}",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Bar(y=names, x=_values([i.second for i in shown]), error_x=errors([i.second_conf for i in shown]), name=label(labels[1]), orientation="h", marker_color="#9fb3c8", hovertemplate="%{x:.3g}")
    )
    fig = _layout(fig, height=70 + 34 * max(1, len(shown)))
    fig.update_layout(barmode="group", bargap=0.25, hovermode="y unified", margin={"l": 8})
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    fig.update_xaxes(rangemode="tozero")
    if math.isfinite(question.noise_floor) and question.noise_floor > 0:
        fig.add_vline(x=question.noise_floor, line={"color": "#9b2c2c", "width": 1, "dash": "dash"}, annotation_text="noise floor", annotation_position="top")
    return fig


def whatif_deltas(questions: Sequence[WhatIfQuestion]) -> go.Figure:
    """Each probability question's change under the intervention, in percentage points,
    with its paired 95% interval."""
    shown = [q for q in questions if q.is_probability]
    names = [label(q.id) for q in shown]
    values = [q.delta.value * 100 for q in shown]
    plus = [(q.delta.high - q.delta.value) * 100 for q in shown]
    minus = [(q.delta.value - q.delta.low) * 100 for q in shown]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            y=names,
            x=_values(values),
            mode="markers",
            name="change (pp)",
            marker={"size": 9, "color": _ACCENT},
            error_x={"type": "data", "symmetric": False, "array": _values(plus), "arrayminus": _values(minus), "thickness": 1.5, "width": 6, "color": _ACCENT},
            hovertemplate="%{x:+.3g} pp",
        )
    )
    fig = _layout(fig, height=70 + 34 * max(1, len(shown)), legend=False)
    fig.add_vline(x=0, line={"color": "#52606d", "width": 1})
    fig.update_layout(hovermode="y unified", margin={"l": 8})
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    fig.update_xaxes(title_text="change in probability, percentage points", zeroline=False)
    return fig
