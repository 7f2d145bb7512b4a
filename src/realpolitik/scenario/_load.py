"""Load a scenario file into a :class:`Scenario`, and check one with a full report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from realpolitik.errors import Problem, ScenarioError
from realpolitik.scenario._model import Model
from realpolitik.scenario._provenance import CoverageRow, LocatorCheck, check_locators, coverage, read_inventory
from realpolitik.scenario._resolve import compile_spec, resolve
from realpolitik.scenario._schema import Question, ScenarioSpec
from realpolitik.scenario._yaml import Located, read_yaml

if TYPE_CHECKING:  # the engine sits above this layer; imported only when a run is asked for
    from realpolitik.engine import Results

__all__ = ["Scenario", "CheckReport", "load", "check", "bundled_scenarios", "DEFAULT_SCENARIO", "scenario_path"]

#: The name of the bundled default scenario.
DEFAULT_SCENARIO = "russia-iran-2026"
_MAX_BYTES = 5_000_000


def bundled_scenarios() -> dict[str, FsPath]:
    """Bundled scenario names -> their files."""
    folder = resources.files("realpolitik") / "scenarios"
    return {FsPath(str(p)).stem: FsPath(str(p)) for p in folder.iterdir() if str(p).endswith(".yaml")}


def scenario_path(name_or_path: str | FsPath) -> FsPath:
    """A file path for a scenario given by path, by bundled name, or as ``default``."""
    text = str(name_or_path)
    path = FsPath(text)
    if path.exists() or text.endswith((".yaml", ".yml")) or "/" in text:
        return path
    bundled = bundled_scenarios()
    name = DEFAULT_SCENARIO if text == "default" else text
    if name in bundled:
        return bundled[name]
    return path


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated and compiled scenario.

    Attributes:
        spec: the typed content of the file.
        model: the compiled form the engine runs.
        path: the file it was read from.
        sha256: hash of the file's bytes, printed beside every answer.
        located: the raw data with line and column of every field.
        warnings: problems that do not stop the scenario from running.
    """

    spec: ScenarioSpec
    model: Model
    path: FsPath | None
    sha256: str
    located: Located = field(repr=False)
    warnings: tuple[Problem, ...] = ()

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.spec.name

    @property
    def label(self) -> str:
        """How a command line names this scenario: its bundled name or its path."""
        if self.path is not None:
            bundled = bundled_scenarios()
            if bundled.get(self.path.stem) == self.path:
                return self.path.stem
            return str(self.path)
        return self.spec.name

    def with_questions(self, questions: dict[str, Question], *, origin: str = "<added question>") -> Scenario:
        """A copy of the scenario with further (or replaced) questions, e.g. an
        outcome that an analysis asks about.

        Raises:
            ScenarioError: a question refers to something the scenario lacks; the
                problems name ``origin`` as their file.

        Example:
            >>> from realpolitik.scenario import Question
            >>> s = load("default").with_questions({"red_by_90": Question(kind="probability",
            ...     text="red line by day 90", condition="escalation == red_line", by=90)})
            >>> s.model.questions[-1].day
            90
        """
        spec = self.spec.model_copy(update={"questions": {**self.spec.questions, **questions}})
        model, problems = compile_spec(spec, origin)
        errors = [p for p in problems if p.severity == "error"]
        if errors or model is None:
            raise ScenarioError(errors)
        return Scenario(spec, model, self.path, self.sha256, self.located, self.warnings)

    def run(self, runs: int = 10_000, seed: int = 0, **options: Any) -> Results:
        """Run the ensemble and answer the questions (see :func:`realpolitik.engine.run`).

        A convenience over the engine's ``run``; the import is deferred so that the
        scenario layer does not depend on the engine.
        """
        from realpolitik.engine import run

        return run(self, runs=runs, seed=seed, **options)


@dataclass(frozen=True)
class CheckReport:
    """Everything ``realpolitik check`` finds in a file."""

    file: str
    problems: tuple[Problem, ...]
    locators: tuple[LocatorCheck, ...]
    coverage: tuple[CoverageRow, ...]

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def missing(self) -> list[str]:
        """Inventory IDs neither modelled nor marked as context."""
        return [r.id for r in self.coverage if r.status == "missing"]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "file": self.file,
            "ok": self.ok,
            "problems": [p.to_dict() for p in self.problems],
            "locators": [
                {"path": c.path, "source": c.source, "locator": c.locator, "found": c.found, "file": c.file, "offset": c.offset}
                for c in self.locators
            ],
            "coverage": [
                {"id": r.id, "title": r.title, "status": r.status, "elements": list(r.elements), "reason": r.reason}
                for r in self.coverage
            ],
            "missing": self.missing,
        }


def _read(path: FsPath) -> tuple[str, bytes]:
    shown = str(path)
    if not path.exists():
        raise ScenarioError(Problem(f"no such file (bundled scenarios: {', '.join(sorted(bundled_scenarios()))})", shown))
    if path.is_dir():
        raise ScenarioError(Problem("is a folder, not a scenario file", shown))
    raw = path.read_bytes()
    if len(raw) > _MAX_BYTES:
        raise ScenarioError(Problem(f"is {len(raw):,} bytes; a scenario file is at most {_MAX_BYTES:,}", shown))
    try:
        return raw.decode("utf-8"), raw
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(Problem("is not UTF-8 text (is it a binary file?)", shown, line)) from None


def _parse(path: FsPath) -> tuple[Located, ScenarioSpec | None, Model | None, list[Problem], str]:
    text, raw = _read(path)
    located = read_yaml(text, str(path))
    spec, model, problems = resolve(located, str(path), text)
    return located, spec, model, problems, hashlib.sha256(raw).hexdigest()


def load(path: str | FsPath = DEFAULT_SCENARIO) -> Scenario:
    """Load, validate and compile a scenario file (or a bundled scenario by name).

    Raises:
        ScenarioError: the file is missing, not YAML, or has errors; ``problems``
            lists them all with file, line, column and field path.

    Example:
        >>> s = load("default")
        >>> s.spec.clock.start.isoformat()
        '2026-03-08'
    """
    file = scenario_path(path)
    located, spec, model, problems, digest = _parse(file)
    errors = [p for p in problems if p.severity == "error"]
    if errors or spec is None or model is None:
        raise ScenarioError(errors or problems)
    return Scenario(spec, model, file, digest, located, tuple(problems))


def check(path: str | FsPath, *, sources: str | FsPath | None = None, inventory: str | FsPath | None = None) -> CheckReport:
    """Check a scenario file: every problem, every locator, and inventory coverage.

    Args:
        path: the scenario file (or a bundled name).
        sources: a folder holding the source files, overriding the paths in ``sources:``.
        inventory: a Markdown inventory to check coverage against, instead of the
            file's own ``inventory:`` section.

    Raises:
        ScenarioError: only when the file cannot be read at all or is not YAML;
            every other problem is in the report.
    """
    file = scenario_path(path)
    located, spec, _model, problems, _digest = _parse(file)
    problems = list(problems)
    locators: list[LocatorCheck] = []
    rows: list[CoverageRow] = []
    if spec is not None:
        sources_dir = FsPath(sources) if sources is not None else None
        if sources_dir is not None and not sources_dir.is_dir():
            raise ScenarioError(Problem("--sources must be a folder", str(sources_dir)))
        locators = check_locators(spec, file.parent, sources_dir)
        unread = sorted({c.source for c in locators if c.found is None})
        for key in unread:
            problems.append(
                Problem(
                    f"source {key!r} file not found ({spec.sources[key].file}); its locators were not checked (use --sources DIR)",
                    str(file),
                    *_line_col(located, ("sources", key)),
                    path=f"sources.{key}",
                    severity="warning",
                )
            )
        for c in locators:
            if c.found is False:
                keys = tuple(int(k) if k.isdigit() else k for k in c.path.split(".")) + ("locator",)
                problems.append(
                    Problem(f"locator {c.locator!r} not found verbatim in source {c.source!r} ({c.file})", str(file), *_line_col(located, keys), path=f"{c.path}.locator")
                )
        inv = read_inventory(FsPath(inventory)) if inventory is not None else None
        rows = coverage(spec, inv)
        for row in rows:
            if row.status == "missing":
                problems.append(
                    Problem(
                        f"inventory ID {row.id} ({row.title}) is neither cited by an element nor listed under 'context' with a reason",
                        str(file),
                        *_line_col(located, ("inventory", row.id)),
                        path=f"inventory.{row.id}",
                        severity="warning",
                    )
                )
    return CheckReport(str(file), tuple(problems), tuple(locators), tuple(rows))


def _line_col(located: Located, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
    pos = located.position(path)
    return (pos.line, pos.column) if pos else (None, None)
