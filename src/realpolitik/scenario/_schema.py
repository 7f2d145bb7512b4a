"""The typed, immutable model of a scenario file (its structure; meaning is checked in ``_resolve``).

Every class here maps one-to-one onto a section of the YAML format; field docs are
the reference that ``docs/scenario-language.md`` and the shipped JSON Schema follow.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

__all__ = [
    "Expr",
    "Provenance",
    "Source",
    "Clock",
    "Prior",
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
]


def _expr_text(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return value


#: An expression of the expression language; a bare number or boolean is accepted too.
Expr = Annotated[
    str,
    BeforeValidator(_expr_text),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}], "description": "An expression."}),
]
DayOrDate = Union[dt.date, Annotated[int, Field(ge=0)]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


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
    date: dt.date | None = Field(None, description="The document's date.")
    url: str | None = Field(None, description="Where the document was published.")


class Clock(_Strict):
    """The simulated calendar."""

    start: dt.date = Field(description="The date of the state at step 0.")
    step_days: int = Field(1, ge=1, description="Days per step.")
    horizon_days: int = Field(180, ge=1, description="How far the simulation runs, in days.")


class Prior(_Strict):
    """A probability distribution for a parameter, sampled once per run.

    Which fields apply depends on ``dist``: normal (mean, sd, optional low/high to
    truncate), lognormal (median, sigma of the log), beta (a, b, optional low/high to
    rescale from [0, 1]), uniform (low, high), triangular (low, mode, high),
    categorical (values, weights), fixed (value).
    """

    dist: Literal["normal", "lognormal", "beta", "uniform", "triangular", "categorical", "fixed"]
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sigma: float | None = None
    a: float | None = None
    b: float | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    values: list[float] | None = None
    weights: list[float] | None = None
    value: float | None = None


class Parameter(Provenance):
    """An uncertain number, drawn once per run from its prior (or fixed by ``value``)."""

    prior: Prior | None = Field(None, description="The distribution the parameter is drawn from.")
    value: float | None = Field(None, description="A fixed value instead of a prior.")
    unit: str | None = None


class ObservedBy(_Strict):
    """A named data series (e.g. daily closes of a price) that observes a continuous
    variable on the days it has a value, with an error model.

    ``lognormal``: the log of the observed value is normal around the log of the
    variable with standard deviation ``sd``; ``normal``: the value itself is normal
    around the variable with standard deviation ``sd`` (in the variable's unit).
    """

    series: str = Field(description="The series' name: what `--prices NAME=CSV` names it.", min_length=1, max_length=64)
    error: Literal["lognormal", "normal"] = Field("lognormal", description="The error model of one observed value.")
    sd: float = Field(gt=0, description="Standard deviation of the error (of the log for lognormal).")
    rationale: str | None = Field(None, description="Where the error's size comes from (a data file and fit, a passage, or judgement).")


class Variable(Provenance):
    """One component of the state: continuous, boolean or ordered levels."""

    type: Literal["continuous", "boolean", "levels"] = "continuous"
    unit: str | None = Field(None, description="Unit of a continuous variable.")
    bounds: tuple[float | None, float | None] | None = Field(None, description="[low, high]; values are clipped into them.")
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
    once: bool = Field(False, description="Fire at most once per run.")


class Indicator(Provenance):
    """Something an analyst can observe, with its observation model."""

    observes: Expr = Field(description="The condition the indicator reports on.")
    p_report: float = Field(0.8, ge=0, le=1, description="Probability the indicator is reported when the condition holds.")
    false_rate: float = Field(0.01, ge=0, le=1, description="Probability it is reported on a day when the condition does not hold.")
    delay_days: int = Field(0, ge=0, description="Days between the condition and the report.")
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
    quantiles: list[Annotated[float, Field(gt=0, lt=1)]] = Field(
        default_factory=lambda: [0.05, 0.25, 0.5, 0.75, 0.95], description="quantiles: which quantiles."
    )
    unit: str | None = None


class ContextNote(_Strict):
    """An inventory element that is deliberately not part of the dynamics."""

    reason: str
    source: str | None = None
    locator: str | None = None


class ScenarioSpec(_Strict):
    """A whole scenario file."""

    realpolitik: Literal[1] = Field(1, description="Version of the scenario format.")
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
