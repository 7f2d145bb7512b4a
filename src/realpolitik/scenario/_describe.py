"""What a scenario offers to question and change, and a starter scenario to begin one's own.

:func:`describe` lists every actor, decision, parameter, variable, event, indicator
and question of a loaded scenario with the inventory IDs it cites, where its number
comes from and the command-line flag that changes it, so that nobody has to read the
YAML to find out what ``whatif --set``, ``--force`` and ``--force-event`` accept.
:func:`write_starter` writes a small documented scenario to edit into one's own.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

import numpy as np

from realpolitik._atomic import atomic_path
from realpolitik.scenario._priors import PRIOR_FIELDS, prior_ppf
from realpolitik.scenario._schema import Parameter, Prior

if TYPE_CHECKING:
    from realpolitik.scenario._load import Scenario

__all__ = [
    "ScenarioEntry",
    "ActorEntry",
    "OptionEntry",
    "DecisionEntry",
    "PriorEntry",
    "SourceEntry",
    "ParameterEntry",
    "VariableEntry",
    "EventEntry",
    "IndicatorEntry",
    "QuestionEntry",
    "Description",
    "describe",
    "prior_text",
    "STARTER_NAME",
    "starter_scenario",
    "write_starter",
]

#: A rationale that names a data file (``brent-daily.csv``), or opens with ``Data:``,
#: says the number was fitted to data.
_DATA_FILE = re.compile(r"[\w./-]+\.(?:csv|tsv|json|jsonl|parquet|xlsx?)\b", re.IGNORECASE)
#: A rationale that says the number is a judgement, or that the sources give none
#: (the convention of docs/scenario-language.md: "or that the source gives no number").
_JUDGEMENT = re.compile(r"\bjudge?ments?\b|\bno (?:number|figure)s?\b", re.IGNORECASE)


@dataclass(frozen=True)
class ScenarioEntry:
    """Which scenario is described.

    Attributes:
        name: the scenario's ``name``.
        label: how a command line names it: its bundled name or its path.
        file: the file it was read from (``None``: built in memory).
        start: the date of step 0.
        horizon_days: how far a run goes.
        sha256: the hash printed beside every answer.
        title: the scenario's ``title``, if any.
        step_days: days per step.
    """

    name: str
    label: str
    file: str | None
    start: dt.date
    horizon_days: int
    sha256: str
    title: str | None
    step_days: int


@dataclass(frozen=True)
class ActorEntry:
    """An actor and the names of its decisions (``decisions`` has their options)."""

    name: str
    cites: tuple[str, ...]
    decisions: tuple[str, ...]
    description: str | None


@dataclass(frozen=True)
class OptionEntry:
    """One option of a decision, with the inventory IDs it cites."""

    name: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class DecisionEntry:
    """A decision, its options and how to force one.

    Attributes:
        force: the flag's syntax, ``--force NAME=OPTION[@DAY]``.
        example: a ``--force`` flag the scenario accepts (an option other than the
            one in force at the start, from day 1).
        initial: the option in force before the first step.
        after: the decisions this one is taken after on the same step (``after:``).
    """

    name: str
    actor: str
    cites: tuple[str, ...]
    options: tuple[OptionEntry, ...]
    force: str
    example: str
    initial: str
    description: str | None
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class PriorEntry:
    """A prior: its distribution, its numbers as written, and a short text of both.

    Attributes:
        distribution: ``uniform``, ``normal``, ... (``fixed`` for a parameter's ``value``).
        numbers: the distribution's fields that are given (``low``, ``high``, ...).
        text: e.g. ``uniform(6, 8.5)`` or ``normal(69.5, 3) on [55, 85]``.
    """

    distribution: str
    numbers: dict[str, Any]
    text: str


@dataclass(frozen=True)
class SourceEntry:
    """Where a parameter's number comes from, as the scenario records it.

    Attributes:
        kind: the parameter's declared ``basis``, or, where it declares none, what its
            record suggests: ``data`` (fitted by a calibration named with ``priors:``,
            or a rationale that names a data file or opens with ``Data:``),
            ``judgement`` (the rationale says judgement or that the sources give no
            number, or nothing is cited) or ``passage`` (a quoted passage of a source).
        text: that, in a few words (the posterior file, the data file, the source
            key and locator, or ``judgement``).
        source: the key of the cited source, if any (also for a judgement that
            rests on a passage for the element, not for its number).
        title: that source's title.
        locator: the quoted fragment.
        file: the posterior or data file the number was fitted on.
        declared: the kind is declared (``basis:``, or a posterior file fitted the
            prior); False: it is read from the rationale and citations, and the
            parameter counts as judgement in an answer's judgement share.
        fit: basis data: what was fitted to the file.
    """

    kind: str
    text: str
    source: str | None
    title: str | None
    locator: str | None
    file: str | None
    declared: bool = False
    fit: str | None = None


@dataclass(frozen=True)
class ParameterEntry:
    """A parameter, its prior and how to set it.

    Attributes:
        low, high: the prior's support where both ends are bounded (uniform,
            triangular, beta, categorical, fixed, a normal truncated on both sides),
            else its 5% and 95% quantiles; ``range`` says which.
        default: the prior's median.
        set: the flag's syntax, ``--set NAME=VALUE``.
        example: a ``--set`` flag at the median.
        basis: what the prior rests on in a run's judgement share: the declared
            ``basis`` (``data``, ``passage``, ``judgement``), else ``judgement``.
    """

    name: str
    cites: tuple[str, ...]
    prior: PriorEntry
    low: float
    high: float
    range: str
    default: float
    unit: str | None
    source: SourceEntry
    rationale: str | None
    set: str
    example: str
    basis: str = "judgement"


@dataclass(frozen=True)
class VariableEntry:
    """A state variable.

    Attributes:
        kind: ``continuous``, ``boolean`` or ``levels``.
        initial: the value at step 0: a number, a boolean, a level's name, or the
            text of the expression (of parameters) that computes it.
        levels: the level names, lowest first (``None`` unless ``levels``).
        bounds: ``[low, high]`` of a continuous variable (``None``: unbounded end).
    """

    name: str
    cites: tuple[str, ...]
    kind: str
    initial: float | bool | str
    levels: tuple[str, ...] | None
    unit: str | None
    bounds: tuple[float | None, float | None] | None
    description: str | None


@dataclass(frozen=True)
class EventEntry:
    """A random event and how to make it happen.

    Attributes:
        force_event: the flag's syntax, ``--force-event NAME@DAY``.
        example: a ``--force-event`` flag on a day within the horizon.
        hazard: the text of its daily rate.
        once: it fires at most once per run.
    """

    name: str
    cites: tuple[str, ...]
    force_event: str
    example: str
    hazard: str
    once: bool


@dataclass(frozen=True)
class IndicatorEntry:
    """An indicator and its observation model."""

    name: str
    cites: tuple[str, ...]
    observes: str
    p_report: float
    false_rate: float
    delay_days: int
    signals: str | None


@dataclass(frozen=True)
class QuestionEntry:
    """A question and how to ask for its answer.

    Attributes:
        mode: ``by`` (at any step up to the date) or ``at`` (on the date).
        date: the date the main answer refers to.
        ask: the Python that fetches the answer, ``results.answer("NAME")``.
        ids: the inventory IDs that ``results.answer`` also accepts for it (those it
            cites that no other question cites).
    """

    name: str
    cites: tuple[str, ...]
    text: str
    kind: str
    mode: str
    date: dt.date
    day: int
    unit: str | None
    checkpoints: tuple[dt.date, ...]
    ask: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Description:
    """Everything a user can question and change in a scenario (:func:`describe`)."""

    scenario: ScenarioEntry
    actors: tuple[ActorEntry, ...]
    decisions: tuple[DecisionEntry, ...]
    parameters: tuple[ParameterEntry, ...]
    variables: tuple[VariableEntry, ...]
    events: tuple[EventEntry, ...]
    indicators: tuple[IndicatorEntry, ...]
    questions: tuple[QuestionEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and the web page: dates as ISO text, tuples as lists.

        A parameter's ``prior`` holds ``distribution``, its numbers and ``text``.
        """
        out = _plain(asdict(self))
        for p in out["parameters"]:
            prior = p["prior"]
            p["prior"] = {"distribution": prior["distribution"], **prior["numbers"], "text": prior["text"]}
        return out  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def describe(scenario: Scenario) -> Description:
    """What a user can question and change in ``scenario``: its actors, decisions,
    parameters, variables, events, indicators and questions, each with its inventory
    IDs, where its number comes from and the flag that changes it.

    Example:
        >>> from realpolitik.scenario import load
        >>> d = describe(load("default"))
        >>> p = next(p for p in d.parameters if p.name == "hormuz_cost")
        >>> p.prior.text, p.low, p.high, p.set
        ('uniform(6, 8.5)', 6.0, 8.5, '--set hormuz_cost=VALUE')
        >>> next(x for x in d.decisions if x.name == "interceptor_allocation").force
        '--force interceptor_allocation=OPTION[@DAY]'
    """
    spec, model = scenario.spec, scenario.model
    clock = spec.clock
    info = ScenarioEntry(
        spec.name, scenario.label, str(scenario.path) if scenario.path is not None else None,
        clock.start, clock.horizon_days, scenario.sha256, spec.title, clock.step_days,
    )
    actors, decisions = [], []
    compiled = {d.name: d for d in model.decisions}
    for actor_name, actor in spec.actors.items():
        actors.append(ActorEntry(actor_name, tuple(actor.cites), tuple(actor.decisions), actor.description))
        for name, decision in actor.decisions.items():
            options = tuple(OptionEntry(o, tuple(opt.cites)) for o, opt in decision.options.items())
            names = [o.name for o in options]
            initial = names[compiled[name].initial] if name in compiled else (decision.initial or names[0])
            other = next((o for o in names if o != initial), initial)
            decisions.append(DecisionEntry(
                name, actor_name, tuple(decision.cites), options,
                f"--force {name}=OPTION[@DAY]", f"--force {name}={other}", initial, decision.description,
                tuple(decision.after),
            ))
    parameters = [_parameter(scenario, p.name, p.prior) for p in model.parameters]
    variables = [_variable(scenario, v) for v in model.variables]
    example_day = min(30, clock.horizon_days)
    events = [
        EventEntry(
            e.name, tuple(spec.events[e.name].cites), f"--force-event {e.name}@DAY", f"--force-event {e.name}@{example_day}",
            e.hazard.text, e.once,
        )
        for e in model.events
    ]
    indicators = [
        IndicatorEntry(i.name, tuple(i.cites), i.observes.text, i.p_report, i.false_rate, i.delay_days, i.signals)
        for i in model.indicators
    ]
    cited_by: dict[str, int] = {}
    for q in model.questions:
        for cid in set(q.cites):
            cited_by[cid] = cited_by.get(cid, 0) + 1
    questions = []
    for q in model.questions:
        day = q.day if q.day is not None else clock.horizon_days
        questions.append(QuestionEntry(
            q.name, tuple(q.cites), q.text, q.kind, q.mode, clock.start + dt.timedelta(days=day), day, q.unit,
            tuple(clock.start + dt.timedelta(days=c) for c in q.checkpoints),
            f'results.answer("{q.name}")', tuple(c for c in q.cites if cited_by[c] == 1),
        ))
    return Description(info, tuple(actors), tuple(decisions), tuple(parameters), tuple(variables), tuple(events), tuple(indicators), tuple(questions))


def _number(value: float) -> str:
    """A number as a reader writes it: ``8.5``, ``6``, ``0.0006``, ``1.2e+04``."""
    return f"{value:.6g}"


def prior_text(prior: Prior) -> str:
    """A prior in a few characters.

    Example:
        >>> prior_text(Prior(dist="normal", mean=11, sd=1, low=8))
        'normal(11, 1) on [8, ∞)'
        >>> prior_text(Prior(dist="lognormal", median=0.027, sigma=0.2))
        'lognormal(median 0.027, sigma 0.2)'
    """
    p = prior
    if p.dist == "lognormal":
        return f"lognormal(median {_number(p.median)}, sigma {_number(p.sigma)})"  # type: ignore[arg-type]
    if p.dist == "categorical":
        values = ", ".join(_number(v) for v in p.values or [])
        weights = f"; weights {', '.join(_number(w) for w in p.weights)}" if p.weights else ""
        return f"categorical({values}{weights})"
    required = PRIOR_FIELDS[p.dist][0]
    text = f"{p.dist}({', '.join(_number(getattr(p, f)) for f in required)})"
    if p.dist in ("normal", "beta") and (p.low is not None or p.high is not None):
        low = "(-∞" if p.low is None else f"[{_number(p.low)}"
        high = "∞)" if p.high is None else f"{_number(p.high)}]"
        text += f" on {low}, {high}"
    return text


def _support(prior: Prior) -> tuple[float, float] | None:
    """Both ends of the prior's support, or ``None`` when one is unbounded."""
    p = prior
    if p.dist in ("uniform", "triangular"):
        return float(p.low), float(p.high)  # type: ignore[arg-type]
    if p.dist == "beta":
        return (0.0, 1.0) if p.low is None else (float(p.low), float(p.high))  # type: ignore[arg-type]
    if p.dist == "normal" and p.low is not None and p.high is not None:
        return float(p.low), float(p.high)
    if p.dist == "categorical":
        return float(min(p.values or [0])), float(max(p.values or [0]))
    if p.dist == "fixed":
        return float(p.value), float(p.value)  # type: ignore[arg-type]
    return None


def _parameter(scenario: Scenario, name: str, prior: Prior) -> ParameterEntry:
    spec = scenario.spec.parameters[name]
    q05, median, q95 = (float(x) for x in prior_ppf(prior, np.array([0.05, 0.5, 0.95])))
    support = _support(prior)
    low, high, span = (*support, "support") if support is not None else (q05, q95, "5%-95%")
    numbers = {f: getattr(prior, f) for f in (*PRIOR_FIELDS[prior.dist][0], *PRIOR_FIELDS[prior.dist][1]) if getattr(prior, f) is not None}
    rationale = spec.rationale.strip() if spec.rationale else None
    return ParameterEntry(
        name, tuple(spec.cites), PriorEntry(prior.dist, numbers, prior_text(prior)), low, high, span, median, spec.unit,
        _source(scenario, name, spec, rationale), rationale, f"--set {name}=VALUE", f"--set {name}={median:g}", spec.basis or "judgement",
    )


def _posterior_file(scenario: Scenario, name: str) -> str | None:
    """The ``priors:`` file the parameter's prior was taken from, as the scenario names it."""
    if not scenario.spec.priors:
        return None
    declared = scenario.located.position(("priors",))
    fitted = scenario.located.position(("parameters", name, "prior"))
    if declared is None or fitted is None or declared.file is None or fitted.file is None:
        return None
    posterior = FsPath(declared.file).parent / scenario.spec.priors
    try:
        same = posterior.resolve() == FsPath(fitted.file).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return scenario.spec.priors if same else None


def _source(scenario: Scenario, name: str, spec: Parameter, rationale: str | None) -> SourceEntry:
    """The kind of provenance of a parameter's number (see :class:`SourceEntry`): the
    declared basis, else what the rationale and citations suggest."""
    key, locator = spec.source, spec.locator
    title = scenario.spec.sources[key].title if key in scenario.spec.sources else None
    fit = spec.data.fit if spec.basis == "data" and spec.data is not None else None
    posterior = _posterior_file(scenario, name)
    if posterior is not None:
        return SourceEntry("data", f"fitted: {posterior}", key, title, locator, posterior, True, fit)
    if spec.basis == "data" and spec.data is not None:
        return SourceEntry("data", f"data: {spec.data.file}", key, title, locator, spec.data.file, True, fit)
    if spec.basis == "passage":
        return SourceEntry("passage", f"{key}: “{locator}”", key, title, locator, None, True)
    if spec.basis == "judgement":
        return SourceEntry("judgement", "judgement", key, title, locator, None, True)
    text = rationale or ""
    files = _DATA_FILE.findall(text)
    if files or text.lower().startswith("data:"):
        return SourceEntry("data", f"data: {', '.join(dict.fromkeys(files))}" if files else "data", key, title, locator, files[0] if files else None)
    if _JUDGEMENT.search(text) or key is None or locator is None:
        return SourceEntry("judgement", "judgement", key, title, locator, None)
    return SourceEntry("passage", f"{key}: “{locator}”", key, title, locator, None)


def _variable(scenario: Scenario, v: Any) -> VariableEntry:
    spec = scenario.spec.variables[v.name]
    constant = v.initial.constant
    initial: float | bool | str
    if constant is None:
        initial = v.initial.text
    elif v.kind == "boolean":
        initial = bool(constant)
    elif v.kind == "levels":
        initial = v.levels[int(constant)]
    else:
        initial = float(constant)
    bounds = None
    if v.kind == "continuous" and (np.isfinite(v.low) or np.isfinite(v.high)):
        bounds = (float(v.low) if np.isfinite(v.low) else None, float(v.high) if np.isfinite(v.high) else None)
    return VariableEntry(
        v.name, tuple(spec.cites), v.kind, initial, tuple(v.levels) if v.kind == "levels" else None, v.unit, bounds, spec.description,
    )


# --- the starter scenario ------------------------------------------------------------

#: A name ``realpolitik init`` accepts: a file-name stem of ASCII letters, digits, ``-``
#: and ``_``, starting with a letter or digit (no path, no dot, no space).
STARTER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_RESERVED_STEMS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_PLACEHOLDER = "__SCENARIO_NAME__"
_START = "__START_DATE__"


def _check_name(name: str) -> str:
    """``name`` without a ``.yaml`` ending, or ValueError saying what a name may hold."""
    stem = name[: -len(".yaml")] if name.endswith(".yaml") else name[: -len(".yml")] if name.endswith(".yml") else name
    if not STARTER_NAME.fullmatch(stem):
        shown = name if len(name) <= 40 else name[:37] + "..."
        raise ValueError(
            f"{shown!r} is not a scenario name: use 1 to 64 ASCII letters, digits, '-' and '_', "
            "starting with a letter or digit (no folder, dot or space; --dir says where)"
        )
    if stem.lower() in _RESERVED_STEMS:
        raise ValueError(f"{stem!r} is a device name on Windows; choose another name")
    return stem


def starter_scenario(name: str, start: dt.date) -> str:
    """The text of the starter scenario, named ``name``, starting on ``start``.

    Raises:
        ValueError: ``name`` is not a safe file-name stem (:data:`STARTER_NAME`).

    Example:
        >>> text = starter_scenario("border-crisis", dt.date(2026, 1, 1))
        >>> 'name: "border-crisis"' in text and "start: 2026-01-01" in text
        True
    """
    stem = _check_name(name)
    template = (resources.files("realpolitik") / "scenario" / "starter.yaml").read_text(encoding="utf-8")
    # The name is checked to hold no quote, colon or newline, so it cannot break the
    # double-quoted YAML strings it goes into.
    return template.replace(_PLACEHOLDER, stem).replace(_START, start.isoformat())


def write_starter(name: str, folder: str | FsPath = ".", *, start: dt.date | None = None, overwrite: bool = False) -> FsPath:
    """Write the starter scenario to ``folder/NAME.yaml``, atomically: a small
    documented crisis (actors, parameters with priors, a decision, an event, a
    mechanism, an indicator and two questions) that passes ``check`` and runs, to be
    edited into one's own.

    Args:
        name: the scenario's name and the file's stem (a ``.yaml`` ending is dropped).
        folder: an existing folder.
        start: the date of step 0 (default: today).
        overwrite: replace an existing file.

    Raises:
        ValueError: ``name`` is not a safe file-name stem.
        FileExistsError: the file exists and ``overwrite`` is false.
        OutputError: the file cannot be written (nothing is left half-written).

    Example:
        >>> import tempfile
        >>> path = write_starter("my-crisis", tempfile.mkdtemp(), start=dt.date(2026, 1, 1))
        >>> path.name
        'my-crisis.yaml'
    """
    text = starter_scenario(name, start or dt.date.today())
    path = FsPath(folder) / f"{_check_name(name)}.yaml"
    if not overwrite and (path.exists() or path.is_symlink()):
        raise FileExistsError(errno.EEXIST, "the file exists (overwrite=True replaces it)", str(path))
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
