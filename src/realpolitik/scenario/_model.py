"""The compiled form of a scenario: what the engine runs.

These are frozen records over compiled :class:`~realpolitik.expr.Expression` objects,
in the order the step applies them. They are built by ``_resolve`` from a validated
:class:`~realpolitik.scenario._schema.ScenarioSpec`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from realpolitik.expr import Expression
from realpolitik.scenario._schema import DataBasis, Prior

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
    "decision_stages",
]


@dataclass(frozen=True)
class ParameterModel:
    """A parameter: ``prior`` is sampled once per run."""

    name: str
    prior: Prior
    #: where the prior comes from: ``data``, ``passage`` or ``judgement`` (what a
    #: parameter that declares no ``basis`` rests on)
    basis: str = "judgement"
    #: whether the scenario (or the posterior file that fitted the prior) says so;
    #: False: nothing was declared and ``basis`` is ``judgement`` by default
    declared: bool = False
    #: basis ``data``: the file or data set and what was fitted to it
    data: DataBasis | None = None


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
    #: the decisions this one is taken after on the same step (``after:``): it chooses
    #: from the state their chosen options leave; empty: from the start of the step
    after: tuple[str, ...] = ()


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

    @functools.cached_property
    def stages(self) -> tuple[tuple[int, ...], ...]:
        """The decisions (positions in ``decisions``) grouped into the stages of a step.

        A decision with no ``after`` is in stage 0; any other is one stage after the
        latest of the decisions it names. Within a stage, the file's order. Without
        any ``after``, one stage holds every decision (an empty model: no stage).
        """
        return decision_stages(self.decisions)

    def variable(self, name: str) -> VariableModel:
        """The variable called ``name`` (or aliased by an inventory ID)."""
        name = self.aliases.get(name, name)
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)


def decision_stages(decisions: Sequence[DecisionModel]) -> tuple[tuple[int, ...], ...]:
    """Positions of ``decisions`` grouped into stages by their ``after`` (see :attr:`Model.stages`).

    Raises:
        ValueError: an ``after`` names a decision not in ``decisions``, or the
            decisions come after one another in a circle (``_resolve`` reports
            both, with their place in the file, before a model is built).

    Example:
        >>> from types import SimpleNamespace as D
        >>> decision_stages([D(name="a", after=()), D(name="b", after=("c",)), D(name="c", after=("a",))])
        ((0,), (2,), (1,))
    """
    index = {d.name: k for k, d in enumerate(decisions)}
    stage: dict[int, int] = {}

    def place(k: int, trail: tuple[int, ...]) -> int:
        if k in stage:
            return stage[k]
        if k in trail:
            raise ValueError("decisions come after one another in a circle: " + " -> ".join(decisions[j].name for j in trail + (k,)))
        earlier = []
        for name in decisions[k].after:
            if name not in index:
                raise ValueError(f"decision {decisions[k].name!r} comes after {name!r}, which is not a decision")
            earlier.append(place(index[name], trail + (k,)))
        stage[k] = 1 + max(earlier) if earlier else 0
        return stage[k]

    for k in range(len(decisions)):
        place(k, ())
    count = 1 + max(stage.values()) if stage else 0
    return tuple(tuple(k for k in range(len(decisions)) if stage[k] == s) for s in range(count))
