"""Interventions: what-if changes to a run — fixed parameters, forced decisions, forced events.

An intervention changes the model, never the random numbers: every element keeps its
own counter-based stream, so a run with and without the intervention sees the same
draws (common random numbers) and their difference is the intervention's effect.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from realpolitik.errors import Problem, ScenarioError
from realpolitik.scenario import Model

__all__ = ["ForcedOption", "ForcedEvent", "Intervention", "CompiledIntervention", "MAX_DAY"]

#: The latest day an intervention may name (a century of days).
MAX_DAY = 36_500


@dataclass(frozen=True)
class ForcedOption:
    """A decision made for the actor: ``option`` on every step from ``from_day`` on."""

    decision: str
    option: str
    from_day: int = 1


@dataclass(frozen=True)
class ForcedEvent:
    """An event that fires in every run on ``day``."""

    event: str
    day: int


@dataclass(frozen=True)
class Intervention:
    """A set of changes to a scenario's runs.

    Attributes:
        set: parameter -> the value it takes in every run (instead of its prior).
        force: decisions made for their actors.
        force_events: events made to happen.

    Example:
        >>> Intervention.parse(force=["interceptor_allocation=divert_to_middle_east@10"]).describe()
        '--force interceptor_allocation=divert_to_middle_east@10'
    """

    set: tuple[tuple[str, float], ...] = ()
    force: tuple[ForcedOption, ...] = ()
    force_events: tuple[ForcedEvent, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the intervention changes nothing."""
        return not (self.set or self.force or self.force_events)

    def describe(self) -> str:
        """The intervention as command-line flags."""
        parts = [f"--set {name}={value:g}" for name, value in self.set]
        parts += [f"--force {f.decision}={f.option}" + (f"@{f.from_day}" if f.from_day != 1 else "") for f in self.force]
        parts += [f"--force-event {e.event}@{e.day}" for e in self.force_events]
        return " ".join(parts)

    @classmethod
    def parse(cls, set: list[str] | None = None, force: list[str] | None = None, force_events: list[str] | None = None) -> Intervention:
        """Read command-line flags: ``PARAM=VALUE``, ``DECISION=OPTION[@DAY]``, ``EVENT@DAY``.

        Raises:
            ScenarioError: a flag is malformed (the flag and what was expected).
        """
        problems: list[Problem] = []
        sets: list[tuple[str, float]] = []
        for text in set or []:
            m = re.fullmatch(r"\s*([A-Za-z][\w]*)\s*=\s*(\S+)\s*", text)
            value = _float(m.group(2)) if m else None
            if m is None or value is None:
                problems.append(Problem(f"--set {text!r}: expected PARAM=NUMBER, e.g. --set iran_rationality=2"))
            else:
                sets.append((m.group(1), value))
        forced: list[ForcedOption] = []
        for text in force or []:
            m = re.fullmatch(r"\s*([A-Za-z][\w]*)\s*=\s*([A-Za-z][\w]*)\s*(?:@\s*(\d{1,9}))?\s*", text)
            if m is None:
                problems.append(Problem(f"--force {text!r}: expected DECISION=OPTION or DECISION=OPTION@DAY"))
            else:
                start = int(m.group(3) or 1)
                if not 1 <= start <= MAX_DAY:
                    problems.append(Problem(f"--force {text!r}: the day must be from 1 to {MAX_DAY:,}"))
                else:
                    forced.append(ForcedOption(m.group(1), m.group(2), start))
        events: list[ForcedEvent] = []
        for text in force_events or []:
            m = re.fullmatch(r"\s*([A-Za-z][\w]*)\s*@\s*(\d{1,9})\s*", text)
            if m is None:
                problems.append(Problem(f"--force-event {text!r}: expected EVENT@DAY, e.g. hormuz_closure@30"))
            else:
                when = int(m.group(2))
                if not 1 <= when <= MAX_DAY:
                    problems.append(Problem(f"--force-event {text!r}: the day must be from 1 to {MAX_DAY:,}"))
                else:
                    events.append(ForcedEvent(m.group(1), when))
        if problems:
            raise ScenarioError(problems)
        return cls(tuple(sets), tuple(forced), tuple(events))

    @classmethod
    def from_file(cls, path: str | Path) -> Intervention:
        """Read an intervention from YAML: ``set: {PARAM: VALUE}``, ``force: [{decision,
        option, from_day}]``, ``force_events: [{event, day}]``.

        Raises:
            ScenarioError: the file is missing, not YAML, or malformed (with line numbers).
        """
        from realpolitik.scenario import read_text_file, read_yaml

        path = Path(path)
        text, _ = read_text_file(path, "intervention file")
        located = read_yaml(text, str(path))
        data = located.data if located.data is not None else {}
        return cls.from_mapping(data, str(path), position=located.position, problems=located.problems)

    @classmethod
    def from_mapping(
        cls,
        data: Any,
        where: str,
        *,
        position: Callable[..., Any] | None = None,
        problems: Sequence[Problem] = (),
    ) -> Intervention:
        """Read an intervention from plain data (a YAML file's, or a JSON request's):
        ``{"set": {PARAM: VALUE}, "force": [{decision, option, from_day}],
        "force_events": [{event, day}]}``.

        Args:
            data: the parsed mapping.
            where: what it came from (a file's name, ``request body``): each problem's
                ``file``.
            position: ``position(field_path, key=...)``, the line and column of a field
                (a YAML file's), or None.
            problems: problems already found while reading (they come first).

        Raises:
            ScenarioError: every malformed field, each naming its path (``force[0].from_day``).

        Example:
            >>> Intervention.from_mapping({"force_events": [{"event": "hormuz_closure", "day": 3}]}, "request body").describe()
            '--force-event hormuz_closure@3'
        """
        from realpolitik.scenario import format_path

        found = list(problems)

        def bad(at: tuple[Any, ...], message: str, key: bool = False) -> None:
            pos = position(at, key=key) if position is not None else None
            found.append(Problem(message, where, pos.line if pos else None, pos.column if pos else None, format_path(at)))

        if not isinstance(data, dict):
            raise ScenarioError(Problem("an intervention file is a mapping with 'set', 'force' and 'force_events'", where))
        for key in data:
            if key not in ("set", "force", "force_events"):
                close = difflib.get_close_matches(str(key), ["set", "force", "force_events"], n=1)
                bad((key,), f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else ""), key=True)

        def day(value: Any) -> int | None:
            """A whole day from 1 to MAX_DAY (ints only: not 2.7, '3', .inf or true)."""
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAY:
                return None
            return value

        def section(key: str, kind: type) -> Any:
            value = data.get(key)
            if value is None:
                return kind()
            if not isinstance(value, kind):
                shape = "a mapping of PARAMETER: NUMBER" if kind is dict else "a list"
                bad((key,), f"{key!r} must be {shape}, not {type(value).__name__}")
                return kind()
            return value

        sets = []
        for name, value in section("set", dict).items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
                bad(("set", name), f"the value of {name!r} must be a finite number")
            else:
                sets.append((str(name), float(value)))
        forced = []
        for i, item in enumerate(section("force", list)):
            if not isinstance(item, dict) or not {"decision", "option"} <= set(item) or set(item) - {"decision", "option", "from_day"}:
                bad(("force", i), "each forced decision is {decision: NAME, option: NAME, from_day: DAY (optional)}")
                continue
            start = day(item.get("from_day", 1))
            if start is None:
                bad(("force", i, "from_day"), f"from_day must be a whole day from 1 to {MAX_DAY:,}, not {item.get('from_day')!r}")
                continue
            forced.append(ForcedOption(str(item["decision"]), str(item["option"]), start))
        events = []
        for i, item in enumerate(section("force_events", list)):
            if not isinstance(item, dict) or set(item) != {"event", "day"}:
                bad(("force_events", i), "each forced event is {event: NAME, day: DAY}")
                continue
            when = day(item["day"])
            if when is None:
                bad(("force_events", i, "day"), f"day must be a whole day from 1 to {MAX_DAY:,}, not {item['day']!r}")
                continue
            events.append(ForcedEvent(str(item["event"]), when))
        if found:
            raise ScenarioError(found)
        return cls(tuple(sets), tuple(forced), tuple(events))

    def shifted(self, days: int) -> Intervention:
        """The same intervention with its days counted from ``days`` after the
        scenario's start (a run that goes on from an as-of date counts its days from
        there; the step sees days from the start).

        Example:
            >>> Intervention.parse(force_events=["hormuz_closure@3"]).shifted(10).force_events[0].day
            13
        """
        if days == 0:
            return self
        force = tuple(ForcedOption(f.decision, f.option, f.from_day + days) for f in self.force)
        events = tuple(ForcedEvent(e.event, e.day + days) for e in self.force_events)
        return Intervention(self.set, force, events)

    def merged(self, other: Intervention) -> Intervention:
        """This intervention followed by ``other`` (other's settings win)."""
        sets = dict(self.set)
        sets.update(other.set)
        return Intervention(tuple(sets.items()), self.force + other.force, self.force_events + other.force_events)

    def compile(self, model: Model) -> CompiledIntervention:
        """Check the names against the scenario and resolve them to positions.

        Raises:
            ScenarioError: an unknown parameter, decision, option or event (with did-you-mean).
        """
        problems: list[Problem] = []
        params = {p.name for p in model.parameters}
        decisions = {d.name: d for d in model.decisions}
        events = {e.name for e in model.events}

        def resolve(name: str, pool: set[str] | dict[str, Any], what: str, flag: str) -> str | None:
            name = model.aliases.get(name, name)
            if name in pool:
                return name
            close = difflib.get_close_matches(name, sorted(pool), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (the scenario has: {', '.join(sorted(pool)) or 'none'})"
            problems.append(Problem(f"{flag}: no {what} {name!r}{hint}"))
            return None

        values: dict[str, float] = {}
        for name, value in self.set:
            resolved = resolve(name, params, "parameter", "--set")
            if resolved is not None:
                values[resolved] = value
        forced: dict[str, tuple[int, int]] = {}
        for f in self.force:
            resolved = resolve(f.decision, decisions, "decision", "--force")
            if resolved is None:
                continue
            options = [o.name for o in decisions[resolved].options]
            if f.option not in options:
                close = difflib.get_close_matches(f.option, options, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (options: {', '.join(options)})"
                problems.append(Problem(f"--force: {resolved!r} has no option {f.option!r}{hint}"))
                continue
            if f.from_day < 1:
                problems.append(Problem(f"--force: the day must be 1 or later, got {f.from_day}"))
                continue
            forced[resolved] = (options.index(f.option), f.from_day)
        fired: dict[str, set[int]] = {}
        for e in self.force_events:
            resolved = resolve(e.event, events, "event", "--force-event")
            if resolved is None:
                continue
            if e.day < 1:
                problems.append(Problem(f"--force-event: the day must be 1 or later, got {e.day}"))
                continue
            fired.setdefault(resolved, set()).add(e.day)
        if problems:
            raise ScenarioError(problems)
        return CompiledIntervention(values, forced, {k: frozenset(v) for k, v in fired.items()})


@dataclass(frozen=True)
class CompiledIntervention:
    """An intervention resolved against one scenario's model."""

    values: dict[str, float] = field(default_factory=dict)
    forced: dict[str, tuple[int, int]] = field(default_factory=dict)  # decision -> (option, from day)
    fired: dict[str, frozenset[int]] = field(default_factory=dict)  # event -> days

    def forced_option(self, decision: str, day: int) -> int | None:
        """The option forced on ``decision`` on ``day``, or ``None``."""
        found = self.forced.get(decision)
        if found is None or day < found[1]:
            return None
        return found[0]

    def fires(self, event: str, day: int) -> bool:
        """Whether ``event`` is forced to fire on ``day``."""
        return day in self.fired.get(event, ())


def _float(text: str) -> float | None:
    """A finite number, else None (inf, nan and text are not values to set)."""
    try:
        value = float(text)
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None
