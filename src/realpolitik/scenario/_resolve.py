"""Check a scenario's meaning and compile it: names, expressions, priors, dates, references.

Every problem is collected (not just the first) with the file, line, column and
field path, so ``realpolitik check`` can report them all at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import keyword
import re
import typing
from dataclasses import dataclass, field
from typing import Any

import pydantic

from realpolitik.errors import ExpressionError, Problem
from realpolitik.expr import FUNCTIONS, RESERVED_NAMES, Expression, compile_expression
from realpolitik.scenario._model import (
    DecisionModel,
    EventModel,
    IndicatorModel,
    InterestModel,
    EventTermsModel,
    MechanismModel,
    Model,
    OptionModel,
    ParameterModel,
    QuestionModel,
    VariableModel,
)
from realpolitik.scenario._priors import prior_problems
from realpolitik.scenario._schema import MAX_HORIZON_DAYS, Clock, ContextNote, EventTerms, Parameter, Prior, ScenarioSpec
from realpolitik.scenario._yaml import Located, Path, format_path

__all__ = ["resolve", "compile_spec", "ID_PATTERN", "NAME_PATTERN", "RESERVED_WORDS"]

#: The shape of an inventory ID: letters then digits (A1, V12, Q3, F8).
ID_PATTERN = re.compile(r"^[A-Z]{1,3}[0-9]{1,4}\Z")
#: The shape of every element's name (docs/scenario-language.md): an ASCII letter, then
#: ASCII letters, digits and '_' (fullwidth or accented letters would be folded into
#: other names by the expression parser).
NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: Names that expressions cannot read as an element: Python's keywords (``lambda``,
#: ``and``), the language's own names (``day``, ``true``) and its functions (``min``).
RESERVED_WORDS = frozenset(keyword.kwlist) | RESERVED_NAMES | frozenset(FUNCTIONS)


@dataclass
class _Checker:
    located: Located
    file: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    #: file -> its lines, for fields that come from another file (``extends``, ``priors``).
    other_lines: dict[str, list[str]] = field(default_factory=dict)

    def add(self, path: Path, message: str, *, key: bool = False, severity: str = "error", offset: tuple[int, int] | None = None) -> None:
        pos = self.located.position(path, key=key)
        line = pos.line if pos else None
        column = pos.column if pos else None
        file = pos.file if pos is not None and pos.file is not None else self.file
        lines = self.lines if file == self.file else self.other_lines.get(file, [])
        if pos and offset is not None:
            off_line, off_col = offset
            text = lines[pos.line - 1] if 0 < pos.line <= len(lines) else ""
            if off_line == 1:
                quoted = pos.column - 1 < len(text) and text[pos.column - 1] in "'\""
                column = pos.column + off_col - 1 + (1 if quoted else 0)
            else:
                block = pos.column - 1 < len(text) and text[pos.column - 1] in "|>"
                line = pos.line + off_line - (1 if not block else 0)
                column = None
        self.problems.append(Problem(message, file, line, column, format_path(path), severity))


def resolve(
    located: Located, file: str, text: str, *, other_texts: dict[str, str] | None = None
) -> tuple[ScenarioSpec | None, Model | None, list[Problem]]:
    """Validate the structure, then the meaning, of a scenario and compile it.

    Args:
        located: the data with positions (merged, when the file extends another).
        file: the file the scenario was loaded from.
        text: its text.
        other_texts: file -> text of the other files fields come from (parents,
            priors), so that a problem's column inside an expression is right.

    Returns:
        The typed spec, the compiled model (``None`` when there are errors) and every
        problem found (errors and warnings).
    """
    others = {f: t.splitlines() for f, t in (other_texts or {}).items()}
    checker = _Checker(located, file, text.splitlines(), other_lines=others)
    checker.problems.extend(located.problems)
    data = located.data
    if not isinstance(data, dict):
        checker.add((), "a scenario file must be a mapping with at least 'name' and 'clock'")
        return None, None, checker.problems
    try:
        spec = ScenarioSpec.model_validate(data)
    except pydantic.ValidationError as exc:
        # A parent that could not be read would have given what is missing: say so once.
        no_parent = any(p.path == "extends" and p.severity == "error" for p in located.problems)
        for err in exc.errors():
            if not (no_parent and err["type"] == "missing"):
                _structure_problem(checker, data, err)
        return None, None, checker.problems
    model = _Semantics(spec, checker).run()
    has_errors = any(p.severity == "error" for p in checker.problems)
    return spec, (None if has_errors else model), checker.problems


def compile_spec(spec: ScenarioSpec, origin: str) -> tuple[Model | None, list[Problem]]:
    """Check and compile a spec built in code (no file positions: problems name ``origin``)."""
    checker = _Checker(Located(None), origin, [])
    model = _Semantics(spec, checker).run()
    return model, checker.problems


# ---------------------------------------------------------------- structure


def _structure_problem(checker: _Checker, data: Any, err: Any) -> None:
    path = _data_path(data, err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        key = path[-1]
        allowed = _allowed_keys(path[:-1], data)
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else (f" (allowed: {', '.join(allowed)})" if allowed else "")
        checker.add(path, f"unknown key {key!r}{hint}", key=True)
        return
    if kind == "missing":
        checker.add(path[:-1] if path and path[-1] == err["loc"][-1] else path, f"missing required key {err['loc'][-1]!r}", key=True)
        return
    message = err["msg"]
    value = err.get("input")
    if isinstance(value, bool) and "string" in message:
        message += " (YAML reads yes/no/on/off/true/false as booleans: put the name in quotes)"
    elif kind in ("int_type", "bool_type", "int_from_float", "int_parsing"):
        message = f"{message}, got {_shown(value)}"
        if isinstance(value, bool):
            message += " (YAML reads yes/no/on/off/true/false as booleans)"
    elif kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        message = "the number is too large (a number must be finite, below about 1.8e308)"
    elif kind in ("finite_number", "float_parsing") and not err.get("ctx"):
        message = f"{_shown(value)} is not a finite number"
    if kind == "finite_number" and "bounds" in path:
        message += " (for no bound write null)"
    if kind == "less_than_equal" and err.get("ctx", {}).get("le") == MAX_HORIZON_DAYS:
        message += f" days (at most a century of daily steps: {MAX_HORIZON_DAYS:,})"
    if kind in ("literal_error", "enum") or "union" in kind:
        message = f"{message}, got {_shown(value)}"
    checker.add(path, message)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path:
    """Map a pydantic error location onto the path in the data (dropping union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and not isinstance(node, (dict, list)):
            continue
        elif isinstance(node, dict) and isinstance(part, str) and part not in node and part == loc[-1]:
            path.append(part)  # a missing key
        else:
            continue
    return tuple(path)


def _allowed_keys(path: Path, data: Any) -> list[str]:
    """The keys the model at ``path`` accepts (for did-you-mean)."""
    model: Any = ScenarioSpec
    for part in path:
        if isinstance(part, int):
            model = _inner(model)
            continue
        if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
            info = model.model_fields.get(str(part))
            if info is None:
                return []
            model = _unwrap(info.annotation)
        elif typing.get_origin(model) is dict:
            model = _unwrap(typing.get_args(model)[1])
        else:
            return []
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        models = [a for a in args if isinstance(a, type) and issubclass(a, pydantic.BaseModel)]
        return models[0] if models else annotation
    return annotation


def _inner(annotation: Any) -> Any:
    args = typing.get_args(_unwrap(annotation))
    return _unwrap(args[0]) if args else annotation


# ---------------------------------------------------------------- meaning


class _Semantics:
    def __init__(self, spec: ScenarioSpec, checker: _Checker) -> None:
        self.spec = spec
        self.c = checker
        self.kinds: dict[str, str] = {}
        self.level_codes: dict[str, int] = {}
        self.level_owner: dict[str, str] = {}
        self.aliases: dict[str, str] = {}

    def run(self) -> Model | None:
        self.clock()
        self.names()
        self.provenance()
        params = self.parameters()
        variables, order = self.variables()
        decisions = self.decisions()
        events = self.events()
        mechanisms = self.mechanisms()
        indicators = self.indicators()
        questions = self.questions()
        self.log(variables)
        if any(p.severity == "error" for p in self.c.problems):
            return None
        return Model(
            parameters=tuple(params),
            variables=tuple(variables),
            initial_order=tuple(order),
            decisions=tuple(decisions),
            events=tuple(events),
            mechanisms=tuple(mechanisms),
            indicators=tuple(indicators),
            questions=tuple(questions),
            level_codes=dict(self.level_codes),
            aliases=dict(self.aliases),
        )

    # -- names
    def names(self) -> None:
        s = self.spec
        declared: list[tuple[str, str, Path]] = []
        declared += [(n, "parameter", ("parameters", n)) for n in s.parameters]
        declared += [(n, "variable", ("variables", n)) for n in s.variables]
        for actor, a in s.actors.items():
            declared += [(d, "decision", ("actors", actor, "decisions", d)) for d in a.decisions]
        declared += [(n, "event", ("events", n)) for n in s.events]
        # Names that expressions do not read follow the same rule.
        others: list[tuple[str, str, Path]] = [(n, "actor", ("actors", n)) for n in s.actors]
        for actor, a in s.actors.items():
            others += [(n, "interest", ("actors", actor, "interests", n)) for n in a.interests]
        others += [(n, "party", ("parties", n)) for n in s.parties]
        others += [(n, "mechanism", ("mechanisms", n)) for n in s.mechanisms]
        others += [(n, "indicator", ("indicators", n)) for n in s.indicators]
        others += [(n, "question", ("questions", n)) for n in s.questions]
        for name, kind, path in declared:
            if not NAME_PATTERN.fullmatch(name):
                self.c.add(path, _bad_name(kind, name), key=True)
            elif name in RESERVED_WORDS:
                self.c.add(path, _reserved(kind, name), key=True)
            elif ID_PATTERN.match(name):
                self.c.add(path, f"{name!r} looks like an inventory ID; name elements by what they are and cite the ID", key=True)
            elif name in self.kinds:
                self.c.add(path, f"the name {name!r} is already used by a {self.kinds[name]}", key=True)
            else:
                self.kinds[name] = kind
        for name, kind, path in others:
            if not NAME_PATTERN.fullmatch(name):
                self.c.add(path, _bad_name(kind, name), key=True)
        for party in s.parties:
            if party in s.actors:
                self.c.add(("parties", party), f"{party!r} is an actor already; a party is someone who takes no decision", key=True)
        # Level names and option names are constants: their position in the list.
        for var, v in s.variables.items():
            if v.type == "levels":
                for i, level in enumerate(v.levels or []):
                    self.level(level, i, f"variable {var!r}", ("variables", var, "levels", i))
        for actor, a in s.actors.items():
            for d, dec in a.decisions.items():
                for i, option in enumerate(dec.options):
                    self.level(option, i, f"decision {d!r}", ("actors", actor, "decisions", d, "options", option))
        # An inventory ID names the element that models it: the one variable citing it,
        # else the one event, decision or parameter (in that order of preference).
        citing: dict[str, dict[str, set[str]]] = {}
        for name, kind, path in declared:
            for cid in self.element(path).cites:
                citing.setdefault(cid, {}).setdefault(kind, set()).add(name)
        for cid, by_kind in citing.items():
            if cid in self.kinds:
                continue
            for kind in ("variable", "event", "decision", "parameter"):
                names = by_kind.get(kind, set())
                if len(names) == 1:
                    self.aliases[cid] = next(iter(names))
                    break
                if names:
                    break

    def level(self, name: str, code: int, owner: str, path: Path) -> None:
        key = len(path) > 0 and isinstance(path[-1], str)
        kind = "option" if key else "level"
        if not NAME_PATTERN.fullmatch(name):
            self.c.add(path, _bad_name(kind, name), key=key)
        elif name in RESERVED_WORDS:
            self.c.add(path, _reserved(kind, name), key=key)
        elif name in self.kinds:
            self.c.add(path, f"{kind} name {name!r} of {owner} is also the name of a {self.kinds[name]}", key=key)
        elif name in self.level_codes and self.level_codes[name] != code:
            self.c.add(
                path,
                f"{kind} name {name!r} of {owner} stands at position {code}, but at {self.level_codes[name]} in "
                f"{self.level_owner[name]}; level names are shared, so rename one",
                key=key,
            )
        else:
            self.level_codes[name] = code
            self.level_owner.setdefault(name, owner)

    def clock(self) -> None:
        """Every day of a run must be a date of the calendar (up to 9999-12-31)."""
        clock = self.spec.clock
        if _end(clock) is None:
            last = dt.date.max.toordinal() - clock.start.toordinal()
            self.c.add(
                ("clock", "start"),
                f"the run would end after {dt.date.max.isoformat()}, the last date of the calendar ({clock.start.isoformat()} + "
                f"{clock.horizon_days:,} days); start earlier or give clock.horizon_days of at most {last:,}",
            )

    def log(self, variables: list[VariableModel]) -> None:
        """The as-of date within the clock; the log's reports name indicators, its
        series name a variable's ``observed_by``, and nothing in it is dated after
        the as-of date (what was known by then) or before the start."""
        clock, log = self.spec.clock, self.spec.log
        end = _end(clock)
        if clock.as_of is not None and end is not None and not clock.start <= clock.as_of <= end:
            self.c.add(("clock", "as_of"), f"the as-of date {clock.as_of.isoformat()} is outside the clock ({clock.start.isoformat()} to {end.isoformat()})")
        if log is None:
            return
        if clock.as_of is None:
            self.c.add(("log",), "a log needs clock.as_of: the date by which what it holds was known")
            return

        def dated(path: Path, day: dt.date) -> None:
            if day > clock.as_of:  # type: ignore[operator]
                self.c.add(path, f"{day.isoformat()} is after clock.as_of ({clock.as_of.isoformat()}): the log holds what was known by then")  # type: ignore[union-attr]
            elif day < clock.start:
                self.c.add(path, f"{day.isoformat()} is before the scenario's start ({clock.start.isoformat()}): the runs cannot see it", severity="warning")

        indicators = set(self.spec.indicators)
        for i, r in enumerate(log.reports):
            if r.indicator not in indicators:
                close = difflib.get_close_matches(r.indicator, sorted(indicators), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (indicators: {', '.join(sorted(indicators)) or 'none'})"
                self.c.add(("log", "reports", i, "indicator"), f"no indicator {r.indicator!r}{hint}")
            dated(("log", "reports", i, "date"), r.date)
        observed = {v.observed_by[0] for v in variables if v.observed_by is not None}
        for name, series in log.series.items():
            if name not in observed:
                known = ", ".join(sorted(observed)) or "none: give a continuous variable observed_by"
                self.c.add(("log", "series", name), f"no variable is observed by a series {name!r} (series: {known})", key=True)
            for day in series.values:
                dated(("log", "series", name, "values", day.isoformat()), day)
        if log.covered is not None:
            first, last = log.covered
            if first > last:
                self.c.add(("log", "covered"), f"the first day ({first.isoformat()}) is after the last ({last.isoformat()})")
            dated(("log", "covered", 1), last)

    def element(self, path: Path) -> Any:
        node: Any = self.spec
        for part in path:
            node = node[part] if isinstance(node, dict) else getattr(node, str(part))
        return node

    # -- provenance
    def provenance(self) -> None:
        s = self.spec
        inventory = set(s.inventory)
        for path, element in elements(s):
            for i, cid in enumerate(element.cites):
                if not ID_PATTERN.match(cid):
                    self.c.add(path + ("cites", i), f"{cid!r} is not an inventory ID (letters then digits, e.g. V2)")
                elif inventory and cid not in inventory:
                    same_kind = sorted(i for i in inventory if i.rstrip("0123456789") == cid.rstrip("0123456789"))
                    close = difflib.get_close_matches(cid, same_kind, n=1, cutoff=0.5)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    self.c.add(path + ("cites", i), f"{cid!r} is not in the scenario's inventory{hint}")
            self.source_ref(path, element.source, element.locator)
        for cid, note in s.context.items():
            path = ("context", cid)
            if not ID_PATTERN.match(cid):
                self.c.add(path, f"{cid!r} is not an inventory ID", key=True)
            if isinstance(note, ContextNote):
                self.source_ref(path, note.source, note.locator)
            elif not note.strip():
                self.c.add(path, "give the reason this element is context only")

    def source_ref(self, path: Path, source: str | None, locator: str | None) -> None:
        if source is not None and source not in self.spec.sources:
            close = difflib.get_close_matches(source, list(self.spec.sources), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (sources: {', '.join(self.spec.sources) or 'none declared'})"
            self.c.add(path + ("source",), f"unknown source {source!r}{hint}")
        if locator is not None and source is None:
            self.c.add(path + ("locator",), "a locator needs a 'source' to be found in")

    # -- expressions
    def compile(self, text: str | None, path: Path, *, known: set[str] | frozenset[str], allow_random: bool = True) -> Expression | None:
        if text is None:
            return None
        try:
            return compile_expression(text, known=known, constants=self.level_codes, aliases=self.aliases, allow_random=allow_random)
        except ExpressionError as exc:
            self.c.add(path, exc.message, offset=(exc.offset_line, exc.offset_column))
            return None

    def known(self, *kinds: str) -> frozenset[str]:
        return frozenset(n for n, k in self.kinds.items() if k in kinds)

    @property
    def state_names(self) -> frozenset[str]:
        return self.known("parameter", "variable", "decision", "event")

    def target(self, name: str, path: Path, *, key: bool = False) -> bool:
        if self.kinds.get(self.aliases.get(name, name)) == "variable":
            return True
        close = difflib.get_close_matches(name, sorted(self.known("variable")), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        what = f"a {self.kinds[name]}, not a variable" if name in self.kinds else "not a variable"
        self.c.add(path, f"{name!r} is {what}{hint}", key=key)
        return False

    # -- sections
    def parameters(self) -> list[ParameterModel]:
        out = []
        for name, p in self.spec.parameters.items():
            path = ("parameters", name)
            if (p.prior is None) == (p.value is None):
                self.c.add(path, "give a parameter either a 'prior' or a fixed 'value'", key=True)
                continue
            prior = p.prior if p.prior is not None else Prior(dist="fixed", value=p.value)
            problems = prior_problems(prior)
            for fld, message in problems:
                self.c.add(path + ("prior", fld), message)
            based = self.basis(path, p)
            if not problems and based:
                out.append(ParameterModel(name, prior, p.basis or "judgement", p.basis is not None, p.data))
        return out

    def basis(self, path: Path, p: Parameter) -> bool:
        """Whether a parameter's ``basis`` has what it rests on: ``data`` a file and a
        fit, ``passage`` a source and a locator (every problem is recorded)."""
        ok = True
        if p.basis == "data" and p.data is None:
            self.c.add(path + ("data",), "basis data needs 'data': {file: <the data file or data set>, fit: <one line: what was fitted to it>}")
            ok = False
        if p.basis != "data" and p.data is not None:
            self.c.add(path + ("data",), f"'data' says what a prior was fitted to: it goes with basis data (this parameter's basis is {p.basis or 'not declared'})")
            ok = False
        if p.basis == "passage":
            for fld in ("source", "locator"):
                if getattr(p, fld) is None:
                    what = "the key of the source it is quoted from" if fld == "source" else "a verbatim fragment of the passage"
                    self.c.add(path + (fld,), f"basis passage needs the parameter's '{fld}' ({what})")
                    ok = False
        return ok

    def variables(self) -> tuple[list[VariableModel], list[str]]:
        out = []
        deps: dict[str, set[str]] = {}
        known = self.known("parameter", "variable")
        for name, v in self.spec.variables.items():
            path = ("variables", name)
            levels: tuple[str, ...] = ()
            if v.type == "levels":
                if not v.levels:
                    self.c.add(path, "a levels variable needs 'levels': its level names, lowest first", key=True)
                    continue
                if v.bounds is not None:
                    self.c.add(path + ("bounds",), "a levels variable is bounded by its levels; remove 'bounds'")
                levels = tuple(v.levels)
                low, high = 0.0, float(len(levels) - 1)
            else:
                if v.levels is not None:
                    self.c.add(path + ("levels",), f"only a levels variable has levels (this one is {v.type})")
                low, high = -float("inf"), float("inf")
                if v.type == "boolean":
                    low, high = 0.0, 1.0
                    if v.bounds is not None:
                        self.c.add(path + ("bounds",), "a boolean variable has no bounds")
                elif v.bounds is not None:
                    low = -float("inf") if v.bounds[0] is None else float(v.bounds[0])
                    high = float("inf") if v.bounds[1] is None else float(v.bounds[1])
                    if low >= high:
                        self.c.add(path + ("bounds",), f"the lower bound ({low:g}) must be below the upper ({high:g})")
            default = {"continuous": "0", "boolean": "false", "levels": levels[0] if levels else "0"}[v.type]
            initial = self.compile(v.initial if v.initial is not None else default, path + ("initial",), known=known, allow_random=False)
            if initial is None:
                continue
            deps[name] = {n for n in initial.names if self.kinds.get(n) == "variable"}
            if v.type == "levels" and initial.constant is not None and not (0 <= initial.constant <= high):
                self.c.add(path + ("initial",), f"initial level {initial.constant:g} is outside the {len(levels)} levels")
            observed_by = None
            if v.observed_by is not None:
                if v.type != "continuous":
                    self.c.add(path + ("observed_by",), f"only a continuous variable is observed by a data series (this one is {v.type})")
                elif v.observed_by.error == "lognormal" and low < 0:
                    self.c.add(path + ("observed_by", "error"), "a lognormal error needs a variable bounded below by 0 or more (bounds: [0, ...]); use error: normal")
                else:
                    observed_by = (v.observed_by.series, v.observed_by.error, float(v.observed_by.sd))
            out.append(VariableModel(name, v.type, low, high, levels, initial, v.unit, observed_by))
        order = self.order(deps)
        return out, order

    def order(self, deps: dict[str, set[str]]) -> list[str]:
        """Initial values in dependency order; a cycle is an error."""
        done: list[str] = []
        state: dict[str, int] = {}

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = trail[trail.index(name):] + [name]
                self.c.add(("variables", name, "initial"), "cyclic reference in initial values: " + " -> ".join(cycle))
                return
            state[name] = 1
            for dep in sorted(deps.get(name, ())):
                if dep in deps:
                    visit(dep, trail + [name])
            state[name] = 2
            done.append(name)

        for name in deps:
            visit(name, [])
        return done

    def effects(self, effects: dict[str, str], path: Path) -> tuple[tuple[str, Expression], ...]:
        out = []
        for var, text in effects.items():
            if not self.target(var, path + (var,), key=True):
                continue
            e = self.compile(text, path + (var,), known=self.state_names)
            if e is not None:
                out.append((self.aliases.get(var, var), e))
        return tuple(out)

    def decisions(self) -> list[DecisionModel]:
        out = []
        known = self.state_names
        for actor, a in self.spec.actors.items():
            apath = ("actors", actor)
            interests = []
            for iname, interest in a.interests.items():
                ipath = apath + ("interests", iname)
                w = self.compile(interest.weight, ipath + ("weight",), known=known)
                v = self.compile(interest.value, ipath + ("value",), known=known)
                if w is not None and v is not None:
                    interests.append(InterestModel(iname, w, v))
            actor_lambda = self.compile(a.rationality, apath + ("rationality",), known=known)
            for dname, d in a.decisions.items():
                dpath = apath + ("decisions", dname)
                options = []
                for oname, o in d.options.items():
                    opath = dpath + ("options", oname)
                    when = self.compile(o.when, opath + ("when",), known=known)
                    utility = self.compile(o.utility, opath + ("utility",), known=known)
                    event = self.event_terms(o.event, opath + ("event",))
                    options.append(OptionModel(oname, when, self.effects(o.effects, opath + ("effects",)), utility, event))  # type: ignore[arg-type]
                if all(o.when is not None for o in d.options.values()):
                    self.c.add(dpath + ("options",), "at least one option must have no 'when', so that a choice always exists")
                rationality = self.compile(d.rationality, dpath + ("rationality",), known=known) if d.rationality is not None else actor_lambda
                initial = 0
                if d.initial is not None:
                    if d.initial not in d.options:
                        close = difflib.get_close_matches(d.initial, list(d.options), n=1)
                        hint = f"; did you mean {close[0]!r}?" if close else f" (options: {', '.join(d.options)})"
                        self.c.add(dpath + ("initial",), f"{d.initial!r} is not an option of {dname!r}{hint}")
                    else:
                        initial = list(d.options).index(d.initial)
                after = self.after(dname, d.after, dpath + ("after",))
                if rationality is not None:
                    out.append(DecisionModel(dname, actor, tuple(options), rationality, tuple(interests), initial, after))
        self.after_cycles()
        return out

    def after(self, name: str, after: list[str], path: Path) -> tuple[str, ...]:
        """The decisions ``name`` is taken after, each checked to be another decision."""
        decisions = sorted(self.known("decision"))
        out: list[str] = []
        for i, other in enumerate(after):
            if other == name:
                self.c.add(path + (i,), f"decision {name!r} cannot come after itself; a decision reads its own previous choice by its name")
            elif other in out:
                self.c.add(path + (i,), f"{other!r} is named twice", severity="warning")
            elif self.kinds.get(other) != "decision":
                what = f"a {self.kinds[other]}, not a decision" if other in self.kinds else "not a decision"
                close = difflib.get_close_matches(other, decisions, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (decisions: {', '.join(decisions) or 'none'})"
                self.c.add(path + (i,), f"{other!r} is {what}{hint}")
            else:
                out.append(other)
        return tuple(out)

    def after_cycles(self) -> None:
        """Decisions that come after one another in a circle: one error per circle, at
        the ``after`` entry that closes it."""
        paths: dict[str, Path] = {}
        edges: dict[str, list[str]] = {}
        for actor, a in self.spec.actors.items():
            for dname, d in a.decisions.items():
                paths[dname] = ("actors", actor, "decisions", dname, "after")
                edges[dname] = [o for o in d.after if o != dname and self.kinds.get(o) == "decision"]
        state: dict[str, int] = {}

        def visit(name: str, trail: list[str]) -> None:
            state[name] = 1
            for other in dict.fromkeys(edges.get(name, ())):
                if state.get(other) == 1:
                    circle = trail[trail.index(other):] + [name, other]
                    index = self.element(paths[name][:-1]).after.index(other)
                    self.c.add(paths[name] + (index,), "decisions come after one another in a circle: " + " -> ".join(circle))
                elif state.get(other) is None:
                    visit(other, trail + [name])
            state[name] = 2

        for name in edges:
            if state.get(name) is None:
                visit(name, [])

    def events(self) -> list[EventModel]:
        out = []
        for name, e in self.spec.events.items():
            path = ("events", name)
            hazard = self.compile(e.hazard, path + ("hazard",), known=self.state_names)
            when = self.compile(e.when, path + ("when",), known=self.state_names)
            effects = self.effects(e.effects, path + ("effects",))
            if hazard is not None:
                if hazard.constant is not None and hazard.constant < 0:
                    self.c.add(path + ("hazard",), f"a hazard is a rate and cannot be negative ({hazard.constant:g})")
                out.append(EventModel(name, hazard, when, effects, e.once))
        return out

    def mechanisms(self) -> list[MechanismModel]:
        out = []
        for name, m in self.spec.mechanisms.items():
            path = ("mechanisms", name)
            if not self.target(m.target, path + ("target",)):
                continue
            update = self.compile(m.update, path + ("update",), known=self.state_names)
            when = self.compile(m.when, path + ("when",), known=self.state_names)
            if update is not None:
                out.append(MechanismModel(name, self.aliases.get(m.target, m.target), update, when))
        return out

    def indicators(self) -> list[IndicatorModel]:
        out = []
        for name, ind in self.spec.indicators.items():
            e = self.compile(ind.observes, ("indicators", name, "observes"), known=self.state_names, allow_random=False)
            event = self.event_terms(ind.event, ("indicators", name, "event"))
            if e is not None:
                out.append(IndicatorModel(name, e, ind.p_report, ind.false_rate, ind.delay_days, tuple(ind.cites), ind.signals, event))
        return out

    def event_terms(self, terms: EventTerms | None, path: Path) -> EventTermsModel | None:
        """Event terms with their sources and targets checked against actors and parties."""
        if terms is None:
            return None
        parties = list(self.spec.actors) + list(self.spec.parties)
        for role in ("source", "target"):
            for i, name in enumerate(getattr(terms, role)):
                if name not in parties:
                    close = difflib.get_close_matches(name, parties, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else f" (actors and parties: {', '.join(parties) or 'none'})"
                    self.c.add(path + (role, i), f"unknown actor or party {name!r}{hint}")
        for i, word in enumerate(terms.keywords):
            if not word.strip():
                self.c.add(path + ("keywords", i), "a keyword must not be empty")
        return EventTermsModel(tuple(terms.source), tuple(terms.type), tuple(terms.target), tuple(w.strip() for w in terms.keywords))

    def day(self, value: dt.date | int | None, path: Path) -> int | None:
        if value is None:
            return None
        clock = self.spec.clock
        if isinstance(value, dt.date):
            day = (value - clock.start).days
            if day < 0:
                self.c.add(path, f"{value.isoformat()} is before the scenario starts ({clock.start.isoformat()})")
                return None
        else:
            day = int(value)
        if day > clock.horizon_days:
            end = _end(clock)
            when = f", {end.isoformat()}" if end is not None else ""
            shown = f"{day:,}" if day.bit_length() <= 64 else f"of about {int(day.bit_length() * 0.30103) + 1} digits"
            self.c.add(path, f"day {shown} is after the horizon (day {clock.horizon_days}{when}); raise clock.horizon_days")
            return None
        return day

    def questions(self) -> list[QuestionModel]:
        out = []
        for name, q in self.spec.questions.items():
            path = ("questions", name)
            needs = "value" if q.kind == "quantiles" else "condition"
            other = "condition" if needs == "value" else "value"
            if getattr(q, needs) is None:
                self.c.add(path, f"a {q.kind} question needs '{needs}'", key=True)
                continue
            if getattr(q, other) is not None:
                self.c.add(path + (other,), f"a {q.kind} question takes '{needs}', not '{other}'")
            if q.by is not None and q.at is not None:
                self.c.add(path + ("at",), "give 'by' or 'at', not both")
            if q.kind == "quantiles" and q.by is not None:
                self.c.add(path + ("by",), "a quantiles question is about one date: use 'at'")
            if q.kind == "first_passage" and q.at is not None:
                self.c.add(path + ("at",), "a first_passage question runs up to a date: use 'by'")
            mode = "at" if (q.at is not None or q.kind == "quantiles") else "by"
            day = self.day(q.at if q.at is not None else q.by, path + (mode,))
            checkpoints = tuple(d for i, c in enumerate(q.checkpoints) if (d := self.day(c, path + ("checkpoints", i))) is not None)
            e = self.compile(getattr(q, needs), path + (needs,), known=self.state_names, allow_random=False)
            if e is not None:
                out.append(QuestionModel(name, q.kind, q.text, e, mode, day, tuple(sorted(set(checkpoints))), tuple(q.quantiles), tuple(q.cites), q.unit))
        return out


def _bad_name(kind: str, name: str) -> str:
    shown = repr(name) if len(name) <= 60 else repr(name[:57]) + "..."
    ascii_hint = " (ASCII only: a fullwidth or accented letter reads as another name)" if not name.isascii() else ""
    return f"{kind} name {shown} must start with a letter and hold only letters, digits and '_'{ascii_hint}"


def _reserved(kind: str, name: str) -> str:
    return f"{kind} name {name!r} is a reserved word of the expression language (a Python keyword, or one of its own names or functions); choose another"


def _end(clock: Clock) -> dt.date | None:
    """The last date of a run (``None``: it would fall after 9999-12-31)."""
    ordinal = clock.start.toordinal() + clock.horizon_days
    return dt.date.fromordinal(ordinal) if ordinal <= dt.date.max.toordinal() else None


def elements(spec: ScenarioSpec) -> list[tuple[Path, Any]]:
    """Every element that carries provenance, with its path."""
    out: list[tuple[Path, Any]] = []
    for section in ("parameters", "variables", "mechanisms", "events", "indicators", "questions"):
        for name, element in getattr(spec, section).items():
            out.append(((section, name), element))
    for actor, a in spec.actors.items():
        out.append((("actors", actor), a))
        for iname, interest in a.interests.items():
            out.append((("actors", actor, "interests", iname), interest))
        for dname, d in a.decisions.items():
            out.append((("actors", actor, "decisions", dname), d))
            for oname, o in d.options.items():
                out.append((("actors", actor, "decisions", dname, "options", oname), o))
    if spec.log is not None:
        out += [(("log", "reports", i), r) for i, r in enumerate(spec.log.reports)]
        out += [(("log", "series", name), series) for name, series in spec.log.series.items()]
    return out
