"""The typed, immutable model of a scenario file (its structure; meaning is checked in ``_resolve``).

Every class here maps one-to-one onto a section of the YAML format; field docs are
the reference that ``docs/scenario-language.md`` and the shipped JSON Schema follow.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import typing
from typing import Annotated, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = [
    "Expr",
    "Provenance",
    "Source",
    "Clock",
    "Prior",
    "BASES",
    "DataBasis",
    "Parameter",
    "Variable",
    "Interest",
    "Option",
    "Decision",
    "Actor",
    "Mechanism",
    "Event",
    "Indicator",
    "Question",
    "ContextNote",
    "ScenarioSpec",
    "MAX_HORIZON_DAYS",
]

#: The longest horizon (and step, and report delay) a scenario may ask for: a century
#: of daily steps. A run keeps arrays for every step, and every day of it must be a
#: date of the calendar; a longer horizon is a typing mistake, not a crisis.
MAX_HORIZON_DAYS = 36_500


def _expr_text(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(_finite(value))
    return value


def _shown(value: object) -> str:
    """``repr(value)``, cut short: a message quotes what was written, not 5,000 digits of it."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _finite(value: int | float) -> float | int:
    """A YAML number that a float can hold; anything else is refused where it is written."""
    if isinstance(value, int):
        try:
            float(value)
        except OverflowError:
            raise PydanticCustomError("finite_number", "a number of {digits} digits is too large (a number must be finite, below about 1.8e308)", {"digits": f"about {int(value.bit_length() * 0.30103) + 1}"}) from None
        return value
    if not math.isfinite(value):
        raise PydanticCustomError("finite_number", "{value} is not a finite number", {"value": repr(value)})
    return value


def _number(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "a number is expected, not the boolean {value} (YAML reads true/false/yes/no/on/off as booleans)", {"value": str(value).lower()})
    if isinstance(value, (int, float)):
        return _finite(value)
    return value


def _date(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "Input should be a valid date (YYYY-MM-DD) without a time, got {value}", {"value": value.isoformat()})
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise PydanticCustomError("date_type", "Input should be a valid date (YYYY-MM-DD), got {value}: {reason}", {"value": _shown(value), "reason": str(exc)}) from None
    raise PydanticCustomError("date_type", "Input should be a valid date (YYYY-MM-DD), got {value}", {"value": _shown(value)})


def _day_or_date(value: object) -> object:
    if isinstance(value, (dt.date, str)):
        return _date(value)
    if isinstance(value, (bool, float)) or not hasattr(value, "__index__"):
        raise PydanticCustomError("day_or_date", "give a date (YYYY-MM-DD) or a whole number of days from the start, not {value}", {"value": _shown(value)})
    day = operator.index(value)  # type: ignore[arg-type]
    if day < 0:
        raise PydanticCustomError("day_or_date", "a day counts from the start: give 0 or more, not {value}", {"value": _shown(day)})
    return day


#: An expression of the expression language; a bare number or boolean is accepted too.
Expr = Annotated[
    str,
    BeforeValidator(_expr_text),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}], "description": "An expression."}),
]
#: A number: finite (NaN and infinities are refused; an open bound is written null),
#: and not a boolean.
Number = Annotated[float, BeforeValidator(_number)]
#: A calendar date, written YYYY-MM-DD (a number is not read as a timestamp).
Date = Annotated[dt.date, BeforeValidator(_date)]
#: A date, or a whole number of days from the scenario's start.
DayOrDate = Annotated[Union[dt.date, Annotated[int, Field(ge=0)]], BeforeValidator(_day_or_date)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, allow_inf_nan=False)


class Provenance(_Strict):
    """Where an element comes from: every element of a scenario carries these fields."""

    cites: list[str] = Field(default_factory=list, description="Inventory IDs this element models (e.g. V2, M1).")
    source: str | None = Field(None, description="Key of the entry in `sources` that the locator is quoted from.")
    locator: str | None = Field(None, description="A verbatim fragment (a few words) of the source that the element rests on.")
    rationale: str | None = Field(None, description="Why the element is written this way, in a sentence.")


class Source(_Strict):
    """A document the scenario rests on."""

    file: str | None = Field(None, description="Path to the text, relative to the scenario file (or the working directory).")
    title: str | None = Field(None, description="The document's title.")
    date: Date | None = Field(None, description="The document's date.")
    url: str | None = Field(None, description="Where the document was published.")


class Clock(_Strict):
    """The simulated calendar."""

    start: Date = Field(description="The date of the state at step 0; the start plus the horizon must fall by 9999-12-31.")
    step_days: int = Field(1, ge=1, le=MAX_HORIZON_DAYS, strict=True, description="Days per step (a whole number).")
    horizon_days: int = Field(
        180,
        ge=1,
        le=MAX_HORIZON_DAYS,
        strict=True,
        description="How far the simulation runs, in days (a whole number, at most 36,500: a century of daily steps; a run keeps arrays for every step).",
    )
    as_of: Date | None = Field(
        None,
        description="The date the answers are given from by default: the runs are filtered from the start on the scenario's log up to it (from the start to the end of the clock).",
    )


class Prior(_Strict):
    """A probability distribution for a parameter, sampled once per run.

    Which fields apply depends on ``dist``: normal (mean, sd, optional low/high to
    truncate), lognormal (median, sigma of the log), beta (a, b, optional low/high to
    rescale from [0, 1]), uniform (low, high), triangular (low, mode, high),
    categorical (values, weights), fixed (value).
    """

    dist: Literal["normal", "lognormal", "beta", "uniform", "triangular", "categorical", "fixed"]
    mean: Number | None = None
    sd: Number | None = None
    median: Number | None = None
    sigma: Number | None = None
    a: Number | None = None
    b: Number | None = None
    low: Number | None = None
    high: Number | None = None
    mode: Number | None = None
    values: list[Number] | None = None
    weights: list[Number] | None = None
    value: Number | None = None


#: Where a parameter's prior comes from: fitted to ``data`` (a file or data set, and
#: what was fitted), a source ``passage`` (the element's ``source`` and ``locator``),
#: or ``judgement`` (also what a parameter that declares nothing rests on).
Basis = Literal["data", "passage", "judgement"]
BASES: tuple[str, ...] = typing.get_args(Basis)


class DataBasis(_Strict):
    """The data a parameter's prior was fitted to."""

    file: str = Field(min_length=1, description="The data file (a path) or the name of the data set.")
    fit: str = Field(min_length=1, description="One line: what was fitted to it (e.g. a Weibull to the durations past day 8).")


class Parameter(Provenance):
    """An uncertain number, drawn once per run from its prior (or fixed by ``value``)."""

    prior: Prior | None = Field(None, description="The distribution the parameter is drawn from.")
    value: Number | None = Field(None, description="A fixed value instead of a prior.")
    unit: str | None = None
    basis: Basis | None = Field(
        None,
        description="Where the prior comes from: data (give `data`), passage (give `source` and `locator`) or judgement; none declared counts as judgement.",
    )
    data: DataBasis | None = Field(None, description="basis data: the file (or data set) and what was fitted to it.")


class ObservedBy(_Strict):
    """A named data series (e.g. daily closes of a price) that observes a continuous
    variable on the days it has a value, with an error model.

    ``lognormal``: the log of the observed value is normal around the log of the
    variable with standard deviation ``sd``; ``normal``: the value itself is normal
    around the variable with standard deviation ``sd`` (in the variable's unit).
    """

    series: str = Field(description="The series' name: what `--prices NAME=CSV` names it.", min_length=1, max_length=64)
    error: Literal["lognormal", "normal"] = Field("lognormal", description="The error model of one observed value.")
    sd: Number = Field(gt=0, description="Standard deviation of the error (of the log for lognormal).")
    rationale: str | None = Field(None, description="Where the error's size comes from (a data file and fit, a passage, or judgement).")


class Variable(Provenance):
    """One component of the state: continuous, boolean or ordered levels."""

    type: Literal["continuous", "boolean", "levels"] = "continuous"
    unit: str | None = Field(None, description="Unit of a continuous variable.")
    bounds: tuple[Number | None, Number | None] | None = Field(None, description="[low, high]; values are clipped into them; null for no bound (not .inf).")
    levels: list[str] | None = Field(None, description="Names of the ordered levels, lowest first (type levels).")
    initial: Expr | None = Field(None, description="Value at step 0: a number, a level name or an expression of parameters.")
    description: str | None = None
    observed_by: ObservedBy | None = Field(None, description="A data series that observes this (continuous) variable, with its error model.")


class Interest(Provenance):
    """A term of an actor's utility: ``weight * value`` (both expressions)."""

    value: Expr
    weight: Expr = "1.0"


#: The PLOVER event types (PLOVER manual 0.8) news events are coded with.
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


def _one_or_many(item: dict[str, object]) -> WithJsonSchema:
    return WithJsonSchema({"anyOf": [item, {"type": "array", "items": item}]})


Names = Annotated[list[str], BeforeValidator(_as_list), _one_or_many({"type": "string"})]


class EventTerms(_Strict):
    """An event as the news reports it: who does what to whom (empty lists: anyone, any type)."""

    source: Names = Field(default_factory=list, description="Actors or parties (keys) that may be the source; a name or a list.")
    type: Annotated[list[Literal[PLOVER_TYPES]], BeforeValidator(_as_list), _one_or_many({"enum": list(PLOVER_TYPES)})] = Field(  # type: ignore[valid-type]
        default_factory=list, description="PLOVER event type(s): AGREE, CONSULT, ... ASSAULT; a type or a list."
    )
    target: Names = Field(default_factory=list, description="Actors or parties (keys) that may be the target; a name or a list.")
    keywords: Names = Field(default_factory=list, description="Words or phrases of which one must occur in the event's text.")


class Party(Provenance):
    """Someone the news names who takes no decision in the model (Qatar, the UN)."""

    names: Names = Field(default_factory=list, description="How the news names it: names, demonyms, capitals, officials.")
    code: str | None = Field(None, description="ISO 3166-1 alpha-3 code of a country (or IGO).")
    description: str | None = None


class Option(Provenance):
    """One option of a decision."""

    when: Expr | None = Field(None, description="Precondition: the option can be chosen only where this is true.")
    effects: dict[str, Expr] = Field(default_factory=dict, description="variable -> new value when the option is chosen.")
    utility: Expr = Field("0", description="Utility of the option itself, added to the actor's interests.")
    event: EventTerms | None = Field(None, description="How the news reports this option being taken (ingest matches it).")


class Decision(Provenance):
    """A choice an actor makes every step by quantal response over its options."""

    options: dict[str, Option] = Field(min_length=1)
    rationality: Expr | None = Field(None, description="Logit rationality for this decision; defaults to the actor's.")
    initial: str | None = Field(None, description="The option in force before the first step (default: the first).")
    after: list[str] = Field(
        default_factory=list,
        description="Decisions (names) this one is taken after on the same step: it chooses from the state their chosen options leave.",
    )
    description: str | None = None


class Actor(Provenance):
    """A party with interests and decisions."""

    rationality: Expr = Field("1.0", description="Logit rationality: 0 chooses at random, large values maximise utility.")
    interests: dict[str, Interest] = Field(default_factory=dict)
    decisions: dict[str, Decision] = Field(default_factory=dict)
    description: str | None = None
    names: Names = Field(
        default_factory=list, description="How the news names the actor: names, demonyms, capitals and seats of government, officials."
    )
    code: str | None = Field(None, description="ISO 3166-1 alpha-3 code of a country (or IGO).")


class Mechanism(Provenance):
    """A causal rule: each step, ``target`` becomes ``update`` (where ``when`` holds)."""

    target: str
    update: Expr
    when: Expr | None = None


class Event(Provenance):
    """A random event with a daily hazard and effects when it fires."""

    hazard: Expr = Field(description="Rate per day; the chance to fire in a step is 1 - exp(-hazard * step_days).")
    when: Expr | None = Field(None, description="The event can fire only where this is true.")
    effects: dict[str, Expr] = Field(default_factory=dict)
    once: bool = Field(False, strict=True, description="Fire at most once per run.")


class Indicator(Provenance):
    """Something an analyst can observe, with its observation model."""

    observes: Expr = Field(description="The condition the indicator reports on.")
    p_report: Number = Field(0.8, ge=0, le=1, description="Probability the indicator is reported when the condition holds.")
    false_rate: Number = Field(0.01, ge=0, le=1, description="Probability it is reported on a day when the condition does not hold.")
    delay_days: int = Field(0, ge=0, le=MAX_HORIZON_DAYS, strict=True, description="Days between the condition and the report (a whole number).")
    signals: str | None = Field(None, description="What a report of it means, in words.")
    event: EventTerms | None = Field(None, description="The news event that reports it (ingest matches it); none: not from the news.")


class Question(Provenance):
    """What the analyst wants answered."""

    kind: Literal["probability", "quantiles", "first_passage"]
    text: str = Field(description="The question in words.")
    condition: Expr | None = Field(None, description="probability and first_passage: the condition.")
    value: Expr | None = Field(None, description="quantiles: the quantity.")
    by: DayOrDate | None = Field(None, description="probability: has the condition held at any step up to this date (or day)?")
    at: DayOrDate | None = Field(None, description="probability: does it hold on this date; quantiles: the date of the value.")
    checkpoints: list[DayOrDate] = Field(default_factory=list, description="Extra dates (or days) to answer at.")
    quantiles: list[Annotated[float, Field(gt=0, lt=1), BeforeValidator(_number)]] = Field(
        default_factory=lambda: [0.05, 0.25, 0.5, 0.75, 0.95], description="quantiles: which quantiles."
    )
    unit: str | None = None


class LoggedReport(Provenance):
    """One dated report of an indicator in the scenario's own log: a fact with its
    date and source (the source and locator, or a rationale naming the data)."""

    indicator: str = Field(description="The indicator reported (its name).")
    date: Date = Field(description="The day the report is about.")
    confidence: Number = Field(1.0, gt=0, le=1, description="How sure the log is that the report is real, in (0, 1].")


class LoggedSeries(Provenance):
    """Dated values of a data series (e.g. Brent closes) in the scenario's own log."""

    values: dict[Date, Number] = Field(description="Date (YYYY-MM-DD) -> the value on that day.")


class Log(_Strict):
    """What was observed by the scenario's as-of date, carried in the file: dated,
    sourced reports of indicators and values of data series, so that the answers as
    of that date need no news store or price file."""

    covered: tuple[Date, Date] | None = Field(
        None, description="[first, last] day the log's sources cover: on those days a news indicator not reported counts as not seen."
    )
    reports: list[LoggedReport] = Field(default_factory=list, description="Dated reports of indicators.")
    series: dict[str, LoggedSeries] = Field(default_factory=dict, description="Series name (as a variable's observed_by names it) -> dated values.")


class ContextNote(_Strict):
    """An inventory element that is deliberately not part of the dynamics."""

    reason: str
    source: str | None = None
    locator: str | None = None


class ScenarioSpec(_Strict):
    """A whole scenario file."""

    realpolitik: Annotated[Literal[1], BeforeValidator(_number)] = Field(1, description="Version of the scenario format.")
    extends: str | None = Field(
        None,
        description="A parent scenario (a path relative to this file, or a bundled name) that this file is merged over.",
    )
    priors: str | None = Field(
        None,
        description="A posterior file (written by `realpolitik calibrate`) whose priors replace the parameters' priors.",
    )
    name: str
    title: str | None = None
    description: str | None = None
    sources: dict[str, Source] = Field(default_factory=dict)
    clock: Clock
    log: Log | None = Field(None, description="The scenario's own dated, sourced log of what was observed by clock.as_of.")
    inventory: dict[str, str] = Field(default_factory=dict, description="Inventory ID -> short title: what coverage is checked against.")
    context: dict[str, Union[str, ContextNote]] = Field(default_factory=dict, description="Inventory ID -> why it is context only.")
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    variables: dict[str, Variable] = Field(default_factory=dict)
    actors: dict[str, Actor] = Field(default_factory=dict)
    parties: dict[str, Party] = Field(default_factory=dict, description="Others the news names (event sources and targets).")
    mechanisms: dict[str, Mechanism] = Field(default_factory=dict)
    events: dict[str, Event] = Field(default_factory=dict)
    indicators: dict[str, Indicator] = Field(default_factory=dict)
    questions: dict[str, Question] = Field(default_factory=dict)
