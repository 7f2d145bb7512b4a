"""The compiled form of a scenario: what the engine runs.

These are frozen records over compiled :class:`~realpolitik.expr.Expression` objects,
in the order the step applies them. They are built by ``_resolve`` from a validated
:class:`~realpolitik.scenario._schema.ScenarioSpec`.
"""

from __future__ import annotations

from dataclasses import dataclass

from realpolitik.expr import Expression
from realpolitik.scenario._schema import Prior

__all__ = [
    "ParameterModel",
    "VariableModel",
    "OptionModel",
    "EventTermsModel",
    "InterestModel",
    "DecisionModel",
    "EventModel",
    "MechanismModel",
    "IndicatorModel",
    "QuestionModel",
    "Model",
]


@dataclass(frozen=True)
class ParameterModel:
    """A parameter: ``prior`` is sampled once per run."""

    name: str
    prior: Prior


@dataclass(frozen=True)
class VariableModel:
    """A state variable.

    Attributes:
        kind: ``continuous``, ``boolean`` or ``levels``.
        low, high: bounds (levels: 0 and the number of levels minus one).
        levels: level names, lowest first (levels only).
        initial: expression of parameters and earlier variables for step 0.
    """

    name: str
    kind: str
    low: float
    high: float
    levels: tuple[str, ...]
    initial: Expression
    unit: str | None
    #: the data series that observes the variable: (series name, ``lognormal`` or
    #: ``normal``, the error's standard deviation); None: no series does
    observed_by: tuple[str, str, float] | None = None


@dataclass(frozen=True)
class EventTermsModel:
    """A news event in event terms; an empty tuple means any."""

    sources: tuple[str, ...]
    types: tuple[str, ...]
    targets: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class OptionModel:
    """One option of a decision."""

    name: str
    when: Expression | None
    effects: tuple[tuple[str, Expression], ...]
    utility: Expression
    event: EventTermsModel | None = None


@dataclass(frozen=True)
class InterestModel:
    """A weighted utility term of an actor."""

    name: str
    weight: Expression
    value: Expression


@dataclass(frozen=True)
class DecisionModel:
    """A decision with its actor's interests: chosen each step by quantal response."""

    name: str
    actor: str
    options: tuple[OptionModel, ...]
    rationality: Expression
    interests: tuple[InterestModel, ...]
    initial: int


@dataclass(frozen=True)
class EventModel:
    """A random event."""

    name: str
    hazard: Expression
    when: Expression | None
    effects: tuple[tuple[str, Expression], ...]
    once: bool


@dataclass(frozen=True)
class MechanismModel:
    """An update rule of one variable."""

    name: str
    target: str
    update: Expression
    when: Expression | None


@dataclass(frozen=True)
class IndicatorModel:
    """An observable with its observation model."""

    name: str
    observes: Expression
    p_report: float
    false_rate: float
    delay_days: int
    cites: tuple[str, ...]
    signals: str | None = None
    event: EventTermsModel | None = None


@dataclass(frozen=True)
class QuestionModel:
    """A question, with its dates resolved to days after the start.

    Attributes:
        day: the day the main answer refers to (``by`` or ``at``), or ``None`` for
            the horizon.
        mode: ``by`` (at any step up to the day) or ``at`` (on the day).
        checkpoints: further days to answer at.
    """

    name: str
    kind: str
    text: str
    expression: Expression
    mode: str
    day: int | None
    checkpoints: tuple[int, ...]
    quantiles: tuple[float, ...]
    cites: tuple[str, ...]
    unit: str | None


@dataclass(frozen=True)
class Model:
    """Everything the engine needs, in the order a step applies it."""

    parameters: tuple[ParameterModel, ...]
    variables: tuple[VariableModel, ...]
    initial_order: tuple[str, ...]
    decisions: tuple[DecisionModel, ...]
    events: tuple[EventModel, ...]
    mechanisms: tuple[MechanismModel, ...]
    indicators: tuple[IndicatorModel, ...]
    questions: tuple[QuestionModel, ...]
    level_codes: dict[str, int]
    aliases: dict[str, str]

    def variable(self, name: str) -> VariableModel:
        """The variable called ``name`` (or aliased by an inventory ID)."""
        name = self.aliases.get(name, name)
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)
