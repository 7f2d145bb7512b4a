"""The analyses' plain data (their ``to_dict()`` output), read into typed records.

The report takes what-if, sensitivity and discovery results as the plain dicts their
``--json`` prints, so it depends on no analysis module; this module is the one place
that knows their shape, and it says which key is missing when a dict is malformed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Interval",
    "WhatIfQuestion",
    "WhatIf",
    "SensitivityIndex",
    "SensitivityQuestion",
    "Sensitivity",
    "Rule",
    "Box",
    "Discovery",
    "read_whatif",
    "read_sensitivity",
    "read_discovery",
    "Indicator",
    "WatchList",
    "read_watch",
    "JudgementShare",
    "Judgement",
    "read_judgement",
]


def _float(value: Any) -> float:
    """A number, NaN for ``None`` (JSON writes NaN as null)."""
    if value is None:
        return math.nan
    return float(value)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _key(data: Mapping[str, Any], key: str, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where} must be a mapping (the analysis's to_dict() output), got {type(data).__name__}")
    if key not in data:
        raise ValueError(f"{where} has no {key!r} (keys: {', '.join(map(str, data)) or 'none'}); pass the analysis's to_dict() output")
    return data[key]


def _list(value: Any, where: str) -> Sequence[Any]:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{where} must be a list, got {type(value).__name__}")
    return value


@dataclass(frozen=True)
class Interval:
    """An estimate with its standard error and 95% interval (NaN where unknown)."""

    value: float
    se: float
    low: float
    high: float

    @staticmethod
    def read(data: Any, where: str) -> Interval:
        """From ``{"value", "se", "low", "high"}``."""
        return Interval(*(_float(_key(data, k, where)) for k in ("value", "se", "low", "high")))


@dataclass(frozen=True)
class WhatIfQuestion:
    """One question in both arms of a what-if.

    Attributes:
        id: the question's name.
        cites: inventory IDs the question cites.
        text: the question in words.
        kind: ``probability``, ``quantiles`` or ``first_passage``.
        unit: unit of a quantiles question's value.
        baseline, intervention: each arm's estimate.
        delta: intervention minus baseline with its paired standard error and interval.
        independent_se: the difference's standard error had the arms been independent.
    """

    id: str
    cites: tuple[str, ...]
    text: str
    kind: str
    unit: str | None
    baseline: Interval
    intervention: Interval
    delta: Interval
    independent_se: float
    #: the same at each of the question's checkpoints: (date, baseline, intervention, delta)
    checkpoints: tuple[tuple[str, Interval, Interval, Interval], ...] = ()

    @property
    def is_probability(self) -> bool:
        """Whether the estimates are probabilities (not a quantity's mean)."""
        return self.kind != "quantiles"


@dataclass(frozen=True)
class WhatIfPath:
    """One per-step statistic's change under a what-if, with its paired 95% interval
    on each recorded day (``Comparison.paths``)."""

    id: str
    cites: tuple[str, ...]
    stat: str
    delta: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]

    @property
    def changed(self) -> bool:
        """Whether the interval excludes 0 on some day."""
        return any(lo > 0 or hi < 0 for lo, hi in zip(self.low, self.high))


@dataclass(frozen=True)
class WhatIf:
    """A what-if comparison: the intervention, every question's difference and every
    path's change over time."""

    command: str
    intervention: str
    sha256: str | None
    version: str | None
    runs: int | None
    seed: int | None
    questions: tuple[WhatIfQuestion, ...]
    dates: tuple[str, ...] = ()
    paths: tuple[WhatIfPath, ...] = ()
    kept_runs: int | None = None


def read_whatif(data: Mapping[str, Any]) -> WhatIf:
    """Read a what-if's ``to_dict()``.

    Raises:
        ValueError: a key is missing or has the wrong shape (the message names it).

    Example:
        >>> w = read_whatif({"run": {"command": "realpolitik whatif x"}, "intervention": "--force a=b",
        ...     "questions": [{"id": "q", "cites": ["Q1"], "text": "?", "kind": "probability", "unit": None,
        ...     "baseline": {"value": 0.2, "se": 0.01, "low": 0.18, "high": 0.22},
        ...     "intervention": {"value": 0.3, "se": 0.01, "low": 0.28, "high": 0.32},
        ...     "delta": {"value": 0.1, "se": 0.005, "low": 0.09, "high": 0.11}, "independent_se": 0.014}]})
        >>> w.questions[0].delta.value, w.command
        (0.1, 'realpolitik whatif x')
    """
    run = _key(data, "run", "whatif")
    questions = []
    for i, q in enumerate(_list(_key(data, "questions", "whatif"), "whatif.questions")):
        where = f"whatif.questions[{i}]"
        questions.append(
            WhatIfQuestion(
                id=str(_key(q, "id", where)),
                cites=tuple(str(c) for c in q.get("cites") or ()),
                text=str(q.get("text") or ""),
                kind=str(q.get("kind") or "probability"),
                unit=q.get("unit"),
                baseline=Interval.read(_key(q, "baseline", where), f"{where}.baseline"),
                intervention=Interval.read(_key(q, "intervention", where), f"{where}.intervention"),
                delta=Interval.read(_key(q, "delta", where), f"{where}.delta"),
                independent_se=_float(q.get("independent_se")),
                checkpoints=tuple(
                    (
                        str(_key(c, "date", f"{where}.checkpoints[{j}]")),
                        *(Interval.read(_key(c, arm, f"{where}.checkpoints[{j}]"), f"{where}.checkpoints[{j}].{arm}") for arm in ("baseline", "intervention", "delta")),
                    )
                    for j, c in enumerate(_list(q.get("checkpoints") or [], f"{where}.checkpoints"))
                ),
            )
        )
    paths = data.get("paths") or {}
    series = []
    for i, p in enumerate(_list(paths.get("series") or [], "whatif.paths.series")):
        where = f"whatif.paths.series[{i}]"
        series.append(
            WhatIfPath(
                id=str(_key(p, "id", where)),
                cites=tuple(str(c) for c in p.get("cites") or ()),
                stat=str(_key(p, "stat", where)),
                **{k: tuple(_float(v) for v in _list(_key(p, k, where), f"{where}.{k}")) for k in ("delta", "low", "high")},
            )
        )
    return WhatIf(
        command=str(_key(run, "command", "whatif.run")),
        intervention=str(data.get("intervention") or ""),
        sha256=run.get("sha256"),
        version=run.get("version"),
        runs=run.get("runs"),
        seed=run.get("seed"),
        questions=tuple(questions),
        dates=tuple(str(d) for d in paths.get("dates") or ()),
        paths=tuple(series),
        kept_runs=paths.get("kept_runs"),
    )


@dataclass(frozen=True)
class SensitivityIndex:
    """One parameter's sensitivity indices for one question.

    Attributes:
        name: the parameter.
        main, main_conf: the first index and its 95% half-width: Sobol ``ST`` (total
            effect) or Morris ``mu_star``; what the bars are ranked by.
        second, second_conf: Sobol ``S1`` (first order) or Morris ``sigma`` (no
            half-width).
        distinguishable: whether the index clears the analysis's noise floor (an
            analysis that does not say counts every index as distinguishable).
    """

    name: str
    main: float
    main_conf: float
    second: float
    second_conf: float
    distinguishable: bool = True


@dataclass(frozen=True)
class SensitivityQuestion:
    """The indices of every parameter for one question, highest ``main`` first."""

    id: str
    cites: tuple[str, ...]
    text: str
    indices: tuple[SensitivityIndex, ...]
    #: the index a parameter that nothing reads would reach (NaN when not given)
    noise_floor: float = math.nan

    @property
    def ranked(self) -> tuple[SensitivityIndex, ...]:
        """The indices that clear the noise floor, highest first."""
        return tuple(i for i in self.indices if i.distinguishable)


@dataclass(frozen=True)
class Sensitivity:
    """A global sensitivity analysis (Sobol or Morris)."""

    method: str
    command: str
    runs: int | None
    seed: int | None
    samples: int | None
    sha256: str | None
    version: str | None
    questions: tuple[SensitivityQuestion, ...]

    @property
    def labels(self) -> tuple[str, str]:
        """The names of the main and second index (``ST``/``S1`` or ``μ*``/``σ``)."""
        return ("μ*", "σ") if self.method == "morris" else ("ST (total)", "S1 (first order)")


def read_sensitivity(data: Mapping[str, Any]) -> Sensitivity:
    """Read a sensitivity analysis's ``to_dict()``; parameters are ranked by ST (or μ*).

    Raises:
        ValueError: a key is missing or has the wrong shape (the message names it).

    Example:
        >>> s = read_sensitivity({"method": "sobol", "command": "realpolitik sensitivity x", "questions": [
        ...     {"id": "q", "text": "?", "parameters": [{"name": "a", "S1": 0.1, "S1_conf": 0.02, "ST": 0.2, "ST_conf": 0.03},
        ...                                              {"name": "b", "S1": 0.5, "S1_conf": 0.02, "ST": 0.6, "ST_conf": 0.03}]}]})
        >>> [i.name for i in s.questions[0].indices]
        ['b', 'a']
    """
    method = str(_key(data, "method", "sensitivity"))
    morris = method == "morris"
    questions = []
    for i, q in enumerate(_list(_key(data, "questions", "sensitivity"), "sensitivity.questions")):
        where = f"sensitivity.questions[{i}]"
        indices = []
        for j, p in enumerate(_list(_key(q, "parameters", where), f"{where}.parameters")):
            pwhere = f"{where}.parameters[{j}]"
            told = bool(p.get("distinguishable", True))
            if morris:
                index = SensitivityIndex(
                    str(_key(p, "name", pwhere)), _float(_key(p, "mu_star", pwhere)), _float(p.get("mu_star_conf")), _float(p.get("sigma")), math.nan, told
                )
            else:
                index = SensitivityIndex(
                    str(_key(p, "name", pwhere)), _float(_key(p, "ST", pwhere)), _float(p.get("ST_conf")), _float(p.get("S1")), _float(p.get("S1_conf")), told
                )
            indices.append(index)
        # those that clear the noise floor first, each group by its index
        indices.sort(key=lambda x: (not x.distinguishable, -x.main if math.isfinite(x.main) else math.inf))
        questions.append(
            SensitivityQuestion(
                str(_key(q, "id", where)), tuple(str(c) for c in q.get("cites") or ()), str(q.get("text") or ""), tuple(indices), _float(q.get("noise_floor"))
            )
        )
    return Sensitivity(
        method=method,
        command=str(_key(data, "command", "sensitivity")),
        runs=data.get("runs"),
        seed=data.get("seed"),
        samples=data.get("samples"),
        sha256=data.get("sha256"),
        version=data.get("version"),
        questions=tuple(questions),
    )


@dataclass(frozen=True)
class Rule:
    """One side of a box: ``low <= parameter <= high`` (an open end is ``None``)."""

    parameter: str
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Box:
    """A box of parameter space where the outcome is frequent.

    Attributes:
        rules: the box's limits, one per restricted parameter.
        coverage: the share of all outcome runs that fall in the box.
        density: the share of runs in the box that have the outcome.
        mass: the share of all runs that fall in the box.
        text: the analysis's own wording of the box, if any.
    """

    rules: tuple[Rule, ...]
    coverage: float
    density: float
    mass: float
    text: str


@dataclass(frozen=True)
class Discovery:
    """Scenario discovery: which parameter ranges make an outcome likely."""

    outcome: str
    by: str | None
    command: str
    runs: int | None
    seed: int | None
    base_rate: float
    sha256: str | None
    version: str | None
    boxes: tuple[Box, ...]
    tree: str | None


def read_discovery(data: Mapping[str, Any]) -> Discovery:
    """Read a scenario discovery's ``to_dict()``.

    Raises:
        ValueError: a key is missing or has the wrong shape (the message names it).

    Example:
        >>> d = read_discovery({"outcome": "red line", "command": "realpolitik discover x", "base_rate": 0.04,
        ...     "boxes": [{"rules": [{"parameter": "a", "low": 0.2, "high": None}], "coverage": 0.6, "density": 0.3, "mass": 0.08}]})
        >>> d.boxes[0].rules[0]
        Rule(parameter='a', low=0.2, high=None)
    """
    boxes = []
    for i, b in enumerate(_list(data.get("boxes") or [], "discovery.boxes")):
        where = f"discovery.boxes[{i}]"
        rules = tuple(
            Rule(str(_key(r, "parameter", f"{where}.rules[{j}]")), _optional_float(r.get("low")), _optional_float(r.get("high")))
            for j, r in enumerate(_list(_key(b, "rules", where), f"{where}.rules"))
        )
        boxes.append(Box(rules, _float(b.get("coverage")), _float(b.get("density")), _float(b.get("mass")), str(b.get("text") or "")))
    by = data.get("by")
    tree = data.get("tree")
    return Discovery(
        outcome=str(_key(data, "outcome", "discovery")),
        by=None if by is None else str(by),
        command=str(_key(data, "command", "discovery")),
        runs=data.get("runs"),
        seed=data.get("seed"),
        base_rate=_float(data.get("base_rate")),
        sha256=data.get("sha256"),
        version=data.get("version"),
        boxes=tuple(boxes),
        tree=None if tree is None else str(tree),
    )


@dataclass(frozen=True)
class Indicator:
    """One indicator not yet observed, and what watching it would do to the answers.

    Attributes:
        name: the indicator.
        cites: the inventory IDs it observes.
        signals: what a report of it means, in words, if the scenario says.
        p_report: the chance it is reported on the next day.
        value: its largest expected shift over the questions (what it is ranked by).
        shifts: question -> expected absolute change of the answer from a day of
            watching it, in units of the answer's spread over the runs.
        if_reported: question -> the answer if it is reported.
    """

    name: str
    cites: tuple[str, ...]
    signals: str | None
    p_report: float
    value: float
    shifts: dict[str, float]
    if_reported: dict[str, float]


@dataclass(frozen=True)
class WatchList:
    """The indicators ranked by how much watching them would move the answers
    (``realpolitik watch``), best first."""

    command: str
    now: str
    indicators: tuple[Indicator, ...]

    def best_for(self, question: str) -> Indicator | None:
        """The indicator whose watching moves ``question`` most, if any moves it at all."""
        moving = [i for i in self.indicators if math.isfinite(i.shifts.get(question, math.nan)) and i.shifts.get(question, 0.0) > 0]
        return max(moving, key=lambda i: i.shifts[question], default=None)


def read_watch(data: Mapping[str, Any]) -> WatchList:
    """Read a watch ranking's ``to_dict()`` (``realpolitik watch --json``).

    Raises:
        ValueError: a key is missing or has the wrong shape (the message names it).

    Example:
        >>> w = read_watch({"command": "realpolitik watch --as-of 2026-03-08", "now": "2026-03-08", "indicators": [
        ...     {"indicator": "calls", "cites": ["I4"], "signals": "mediation", "p_report": 0.1, "value": 0.05,
        ...      "shifts": {"q": 0.05}, "if_reported": {"q": 0.14}}]})
        >>> w.best_for("q").name, w.best_for("other")
        ('calls', None)
    """
    indicators = []
    for i, item in enumerate(_list(_key(data, "indicators", "watch"), "watch.indicators")):
        where = f"watch.indicators[{i}]"
        shifts = _key(item, "shifts", where)
        reported = item.get("if_reported") or {}
        if not isinstance(shifts, Mapping) or not isinstance(reported, Mapping):
            raise ValueError(f"{where}.shifts and .if_reported must be mappings of question to number")
        signals = item.get("signals")
        indicators.append(
            Indicator(
                name=str(_key(item, "indicator", where)),
                cites=tuple(str(c) for c in item.get("cites") or ()),
                signals=None if signals is None else str(signals),
                p_report=_float(_key(item, "p_report", where)),
                value=_float(_key(item, "value", where)),
                shifts={str(k): _float(v) for k, v in shifts.items()},
                if_reported={str(k): _float(v) for k, v in reported.items()},
            )
        )
    return WatchList(command=str(_key(data, "command", "watch")), now=str(data.get("now") or ""), indicators=tuple(indicators))


@dataclass(frozen=True)
class JudgementShare:
    """One answer's share of variance resting on judgement (see
    ``realpolitik.analysis.provenance``).

    Attributes:
        share: in [0, 1], or None (``reason`` says why).
        reason: why there is no share.
        top: (parameter, index, basis) of the parameters that explain the answer most.
    """

    share: float | None
    reason: str | None
    top: tuple[tuple[str, float, str], ...]


@dataclass(frozen=True)
class Judgement:
    """Every answer's judgement share: (question, day) -> share; ``dependent`` says
    why none has one when the parameters' draws are correlated."""

    shares: dict[tuple[str, int], JudgementShare]
    dependent: str | None

    def get(self, question: str, day: int) -> JudgementShare | None:
        """The share of a question's answer on ``day``, if there is one."""
        return self.shares.get((question, day))


def read_judgement(data: Mapping[str, Any]) -> Judgement:
    """Read the judgement shares' ``to_dict()`` (``realpolitik.analysis.provenance``).

    Raises:
        ValueError: a key is missing or has the wrong shape (the message names it).

    Example:
        >>> j = read_judgement({"answers": [{"question": "q", "day": 30, "share": 0.25, "reason": None,
        ...     "top": [{"parameter": "rate", "index": 0.2, "basis": "judgement"}]}]})
        >>> j.get("q", 30).share, j.get("q", 30).top[0][0], j.get("q", 7)
        (0.25, 'rate', None)
    """
    shares = {}
    for i, item in enumerate(_list(_key(data, "answers", "judgement"), "judgement.answers")):
        where = f"judgement.answers[{i}]"
        top = tuple(
            (str(_key(t, "parameter", f"{where}.top")), _float(_key(t, "index", f"{where}.top")), str(_key(t, "basis", f"{where}.top")))
            for t in _list(item.get("top") or [], f"{where}.top")
        )
        reason = item.get("reason")
        key = (str(_key(item, "question", where)), int(_key(item, "day", where)))
        shares[key] = JudgementShare(_optional_float(_key(item, "share", where)), None if reason is None else str(reason), top)
    dependent = data.get("dependent")
    return Judgement(shares, None if dependent is None else str(dependent))
