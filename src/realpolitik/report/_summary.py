"""The executive summary: each answer in a sentence an analyst can paste into a note.

For each question: the answer with its intervals, named for what they are (a
quantity's 90% range over the runs is the spread of outcomes; the 95% interval of
its mean is how precisely the runs pin the mean down, and is never called the
quantity's interval); the parameters that move it most (from the sensitivity
analysis, when it was run); and the news that would move it most (from the watch
ranking). Every sentence is built from formatted numbers only, and is shown beside
the command that reproduces them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from realpolitik.report._format import interval, iso_date, number, percent
from realpolitik.report._inputs import Indicator, Sensitivity, WatchList

if TYPE_CHECKING:
    from realpolitik.engine import Answer

__all__ = ["KeyAnswer", "key_answer", "answer_sentence", "drivers_sentence", "news_sentence", "watch_sentences", "quantity_range"]

#: Parameters named for each answer in the summary.
TOP_DRIVERS = 3
#: Indicators in the summary's list of what to watch.
TOP_WATCH = 5


@dataclass(frozen=True)
class KeyAnswer:
    """One question in the summary.

    Attributes:
        id, cites, text: the question.
        answer: the answer and its intervals, in a sentence.
        drivers: what moves it most (the sensitivity ranking), or why that is not shown.
        news: the indicator whose report would move it most, if the ranking was made.
        commands: ``(what, command)`` for each command whose numbers the sentences give.
        missing: the answer is not available (e.g. beyond the horizon).
    """

    id: str
    cites: str
    text: str
    answer: str
    drivers: str
    news: str | None
    commands: tuple[tuple[str, str], ...]
    missing: bool = False


def _q(q: float) -> str:
    return f"q{round(q * 100):02d}"


def quantity_range(quantiles: dict[float, float]) -> tuple[str, str, float, float] | None:
    """The widest central range of the quantiles given: its share of the runs, which
    quantiles bound it, and its ends.

    Example:
        >>> quantity_range({0.05: 70.0, 0.5: 80.0, 0.95: 100.0})
        ('90% range', 'q05–q95', 70.0, 100.0)
        >>> quantity_range({0.5: 80.0}) is None
        True
    """
    for lo in sorted(quantiles):
        hi = next((h for h in quantiles if lo < 0.5 and abs(h - (1 - lo)) < 1e-9), None)
        if hi is not None:
            return f"{round((hi - lo) * 100)}% range", f"{_q(lo)}–{_q(hi)}", quantiles[lo], quantiles[hi]
    return None


def _day_date(start: dt.date, day: float) -> str:
    if not math.isfinite(day):
        return "—"
    return f"day {number(day)} ({iso_date(start + dt.timedelta(days=round(day)))})"


def answer_sentence(a: Answer, start: dt.date, end: dt.date) -> str:
    """The answer with its intervals, each named for what it is.

    Args:
        a: the answer.
        start: the date day 0 of the runs is (the first passage's days count from it).
        end: the last date of the runs (for an answer beyond it).
    """
    text = a.text.strip() or a.question
    if a.status != "ok":
        if a.status == "beyond_horizon":
            return f"{text} Not answered: its date, {iso_date(a.date)}, is after the end of these runs ({iso_date(end)}); run with a longer --horizon."
        return f"{text} Not answered ({a.status.replace('_', ' ')})."
    e = a.estimate
    when = f"{'by' if a.mode == 'by' else 'on'} {iso_date(a.date)}"
    runs = f"{a.runs:,} runs"
    if a.kind == "quantiles":
        qs = {q: v.value for q, v in a.quantiles.items()}
        parts = []
        spread = quantity_range(qs)
        if spread is not None:
            share, bounds, low, high = spread
            parts.append(f"{share} of the runs ({bounds}) {number(low)} to {number(high, a.unit)}")
        if 0.5 in qs:
            parts.append(f"median {number(qs[0.5], a.unit)}")
        mean = f"mean {number(e.value, a.unit)} (95% interval of the estimate of the mean, not of the quantity: {interval(e.low, e.high)})"
        return f"{text} On {iso_date(a.date)}: {'; '.join(parts + [mean])}; {runs}."
    sentence = f"{text} {percent(e.value)} {when} (95% interval of this estimate: {interval(e.low, e.high, as_percent=True)}; {runs})."
    if a.kind == "first_passage" and a.quantiles and e.value > 0:
        days = ", ".join(f"{_q(q)} {_day_date(start, v.value)}" for q, v in sorted(a.quantiles.items()))
        sentence += f" In the runs where it happens, the day it first happens: {days}."
    return sentence


def drivers_sentence(question: str, sensitivity: Sensitivity | None, *, skipped: str) -> str:
    """The parameters that move an answer most, from the sensitivity ranking.

    Args:
        skipped: what to say when the sensitivity analysis was not run.
    """
    if sensitivity is None:
        return skipped
    found = next((q for q in sensitivity.questions if q.id == question), None)
    if found is None:
        return "The sensitivity analysis did not include this question."
    ranked = [i for i in found.ranked if math.isfinite(i.main) and i.main > 0][:TOP_DRIVERS]
    if not ranked:
        if any(math.isfinite(i.main) and i.main > 0 for i in found.indices):
            return "No parameter's effect on it could be told apart from Monte Carlo noise at this budget (raise --samples or --runs-per-point)."
        return "No parameter moved it in the sensitivity analysis (every index is 0)."
    label = sensitivity.labels[0]
    how = "Morris screening, mean absolute effect μ*" if sensitivity.method == "morris" else "Sobol, total-effect share ST"
    names = [f"{i.name} ({label} {number(i.main)})" if k == 0 else f"{i.name} ({number(i.main)})" for k, i in enumerate(ranked)]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Moved most by {listed} ({how})."


def _value(v: float, a: Answer) -> str:
    if a.kind == "quantiles":
        return f"a mean of {number(v, a.unit)}"
    return percent(v)


def _indicator(i: Indicator) -> str:
    cites = f"{', '.join(i.cites)}" if i.cites else ""
    what = "; ".join(x for x in (cites, f"signals {i.signals}" if i.signals else "") if x)
    return f"{i.name} ({what})" if what else i.name


def news_sentence(a: Answer, watch: WatchList) -> str:
    """The indicator whose report would move this answer most."""
    if a.status != "ok":
        return "No news ranking for an answer this run does not give."
    best = watch.best_for(a.question)
    if best is None:
        return "None of the scenario's indicators moves it."
    reported = best.if_reported.get(a.question, math.nan)
    # the ranking runs the same runs, seed and observations as the answers, so the
    # answer now is the one it moves from
    then = f", which would put it at {_value(reported, a)} instead of {_value(a.estimate.value, a)}" if math.isfinite(reported) else ""
    return f"News that would move it most: a report of {_indicator(best)}{then} (reported on the next day in {percent(best.p_report)} of runs)."


def watch_sentences(watch: WatchList, answers: Sequence[Answer], *, top: int = TOP_WATCH) -> list[str]:
    """The indicators that would move the answers most, best first, each in a sentence."""
    by_id = {a.question: a for a in answers if a.status == "ok"}
    out = []
    for i in watch.indicators:
        if len(out) == top:
            break
        moved = sorted(((s, q) for q, s in i.shifts.items() if q in by_id and math.isfinite(s) and s > 0), reverse=True)[:2]
        if not moved:
            continue
        effects = []
        for shift, q in moved:
            v = i.if_reported.get(q, math.nan)
            to = f" to {_value(v, by_id[q])}" if math.isfinite(v) else ""
            effects.append(f"{q}{to} (expected shift {number(shift)} of its spread)")
        out.append(f"{_indicator(i)}: reported on the next day in {percent(i.p_report)} of runs; a report would move {' and '.join(effects)}.")
    return out


def key_answer(
    a: Answer,
    *,
    start: dt.date,
    end: dt.date,
    sensitivity: Sensitivity | None,
    watch: WatchList | None,
    run_command: str,
    skipped: str,
) -> KeyAnswer:
    """One question's entry in the summary, with the commands its numbers come from."""
    commands: list[tuple[str, str]] = [("answer", run_command)]
    drivers = drivers_sentence(a.question, sensitivity, skipped=skipped)
    if sensitivity is not None:
        commands.append(("what moves it", sensitivity.command))
    news = None
    if watch is not None:
        news = news_sentence(a, watch)
        commands.append(("news", watch.command))
    return KeyAnswer(a.question, ", ".join(a.cites), a.text, answer_sentence(a, start, end), drivers, news, tuple(commands), a.status != "ok")
