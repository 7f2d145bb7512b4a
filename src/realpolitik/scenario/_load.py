"""Load a scenario file into a :class:`Scenario`, and check one with a full report."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from realpolitik.errors import Problem, ScenarioError
from realpolitik.scenario._model import Model
from realpolitik.scenario._provenance import CoverageRow, LocatorCheck, SourceFile, coverage, find_locators, read_inventory, read_source, source_roots
from realpolitik.scenario._reach import ElementReach, reach
from realpolitik.scenario._resolve import compile_spec, resolve
from realpolitik.scenario._schema import Question, ScenarioSpec
from realpolitik.scenario._schema import Prior
from realpolitik.scenario._yaml import Located, format_path, merge_located, read_text_file, read_yaml

if TYPE_CHECKING:  # the engine sits above this layer; imported only when a run is asked for
    from realpolitik.engine import Results

__all__ = ["Scenario", "CheckReport", "load", "check", "bundled_scenarios", "DEFAULT_SCENARIO", "scenario_path", "extends_target", "POSTERIOR_KEYS"]

#: The name of the bundled default scenario.
DEFAULT_SCENARIO = "russia-iran-2026"
_MAX_BYTES = 5_000_000
#: The top-level keys of a posterior file (what ``priors:`` names).
POSTERIOR_KEYS = ("realpolitik_posterior", "scenario", "calibration", "parameters")
_POSTERIOR_PARAMETER_KEYS = ("prior", "rationale")
#: A file ``extends`` may name is a mapping with one of these keys: a scenario (it has
#: a name or a clock) or a variant of one (it extends another, or names the format).
_SCENARIO_MARKS = ("name", "clock", "extends", "realpolitik")


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
        sha256: hash of the bytes of the file and of every file it extends or names
            as its priors, printed beside every answer.
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

    def read_sources(self, *, sources: str | FsPath | None = None, allow: Iterable[str | FsPath] = ()) -> dict[str, SourceFile]:
        """Each declared source's file, read only from the folders the scenario may
        read: the folder of the file that declares the source and below, the bundled
        scenarios' and shared sources folders, ``sources`` (a folder searched by file
        name instead) and the ``allow`` paths. A file found only elsewhere (a link
        counts where it leads) is marked ``outside`` and not read.

        Example:
            >>> files = load("default").read_sources()
            >>> sorted(files), any(f.outside for f in files.values())
            (['S0', 'S3', 'T'], False)
        """
        return _source_files(self.spec, self.located, self.path, sources, allow)

    def source_problems(self, files: dict[str, SourceFile], *, severity: str = "error") -> list[Problem]:
        """A problem for each source in ``files`` (:meth:`read_sources`) found only
        outside the folders the scenario may read, at its ``file`` line."""
        return _outside_problems(self.located, self.path, files, severity)

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
        return self.with_spec(self.spec.model_copy(update={"questions": {**self.spec.questions, **questions}}), origin=origin)

    def with_spec(self, spec: ScenarioSpec, *, origin: str) -> Scenario:
        """A copy of the scenario compiled from a changed spec (e.g. its clock moved
        back, a variable starting elsewhere), keeping its file, hash and located
        fields for provenance.

        Raises:
            ScenarioError: the changed spec is not a valid scenario; the problems name
                ``origin`` as their file.

        Example:
            >>> import datetime as dt
            >>> s = load("default")
            >>> earlier = s.with_spec(s.spec.model_copy(update={"clock": s.spec.clock.model_copy(update={"start": dt.date(2026, 3, 1)})}), origin="<moved>")
            >>> earlier.spec.clock.start.isoformat()
            '2026-03-01'
        """
        model, problems = compile_spec(spec, origin)
        errors = [p for p in problems if p.severity == "error"]
        if errors or model is None:
            raise ScenarioError(errors)
        return Scenario(spec, model, self.path, self.sha256, self.located, self.warnings)

    def with_priors(self, priors: dict[str, Prior], *, origin: str = "<fitted priors>") -> Scenario:
        """A copy of the scenario whose named parameters are drawn from new priors
        (a calibration's posterior), everything else unchanged.

        Raises:
            ScenarioError: a name is not a parameter of the scenario, or a prior is
                impossible; the problems name ``origin`` as their file.

        Example:
            >>> s = load("default").with_priors({"veto_value": Prior(dist="uniform", low=4, high=5)})
            >>> s.model.parameters[[p.name for p in s.model.parameters].index("veto_value")].prior.low
            4.0
        """
        unknown = sorted(set(priors) - set(self.spec.parameters))
        if unknown:
            known = ", ".join(self.spec.parameters)
            raise ScenarioError([Problem(f"no parameter {name!r} in scenario {self.name!r} (parameters: {known})", origin) for name in unknown])
        parameters = {
            name: (p.model_copy(update={"prior": priors[name], "value": None}) if name in priors else p)
            for name, p in self.spec.parameters.items()
        }
        spec = self.spec.model_copy(update={"parameters": parameters})
        model, problems = compile_spec(spec, origin)
        errors = [p for p in problems if p.severity == "error"]
        if errors or model is None:
            raise ScenarioError(errors)
        return Scenario(spec, model, self.path, self.sha256, self.located, self.warnings)

    def run(
        self,
        runs: int = 10_000,
        seed: int = 0,
        *,
        as_of: dt.date | str | None = None,
        observations: Any = None,
        db: str | FsPath | None = None,
        prices: Any = (),
        **options: Any,
    ) -> Results:
        """Run the ensemble and answer the questions (see :func:`realpolitik.engine.run`).

        With ``as_of``, the answers are given as of that date: the runs are filtered
        from the scenario's start to it on everything observed by then (the
        ``observations``, a sequence of ``realpolitik.inference.Observation`` or an
        ``Evidence``; the news store ``db``; ``prices``, series name -> CSV), then run
        on from it (see :func:`realpolitik.inference.run_as_of`).

        A convenience over the engine's ``run``; the imports are deferred so that the
        scenario layer does not depend on the engine.
        """
        if as_of is None:
            if observations is not None or db is not None or prices:
                raise ValueError("observations, db and prices condition the runs on what was known by a date: give as_of too")
            from realpolitik.engine import run

            return run(self, runs=runs, seed=seed, **options)
        from realpolitik.inference import Evidence, evidence_as_of, run_as_of

        date = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
        if isinstance(observations, Evidence):
            evidence = observations
            if evidence.as_of != date:
                raise ValueError(f"the evidence is as of {evidence.as_of}, not {date}")
            if db is not None or prices:
                evidence = evidence.merged(evidence_as_of(self, date, db=db, prices=prices))
        else:
            evidence = evidence_as_of(self, date, db=db, prices=prices, reports=tuple(observations or ()))
        return run_as_of(self, evidence, runs=runs, seed=seed, **options)


@dataclass(frozen=True)
class CheckReport:
    """Everything ``realpolitik check`` finds in a file.

    Attributes:
        file: the file checked.
        problems: errors and warnings, with file, line, column and field path.
        locators: whether each locator was found in its source.
        coverage: how each inventory ID is accounted for.
        decorative: the elements from which no path of reads leads to a question or
            to an indicator that matters: whatever they hold, no answer changes. Not
            problems (a scenario under construction may have them), but an inventory
            ID cited only by them is not modelled.
        observed_only: the elements that reach no question but can move answers
            through an indicator when the runs are conditioned on news.
        bases: parameter -> where its prior comes from (``data``, ``passage`` or
            ``judgement``), in the file's order; a parameter that declares no
            ``basis`` (and whose prior no posterior file fitted) rests on judgement.
        undeclared: the parameters that declare no basis. Not problems (a scenario
            written before ``basis`` existed still runs), but each counts as judgement.
    """

    file: str
    problems: tuple[Problem, ...]
    locators: tuple[LocatorCheck, ...]
    coverage: tuple[CoverageRow, ...]
    decorative: tuple[ElementReach, ...] = ()
    observed_only: tuple[ElementReach, ...] = ()
    bases: dict[str, str] = field(default_factory=dict)
    undeclared: tuple[str, ...] = ()

    @property
    def judgement(self) -> list[str]:
        """The parameters whose prior rests on judgement alone (declared or by default)."""
        return [name for name, basis in self.bases.items() if basis == "judgement"]

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
                {
                    "id": r.id,
                    "title": r.title,
                    "status": r.status,
                    "elements": list(r.elements),
                    "reason": r.reason,
                    "decorative": list(r.decorative),
                    "observed": list(r.observed),
                }
                for r in self.coverage
            ],
            "missing": self.missing,
            "decorative": [e.to_dict() for e in self.decorative],
            "observed_only": [e.to_dict() for e in self.observed_only],
            "bases": dict(self.bases),
            "judgement": self.judgement,
            "undeclared": list(self.undeclared),
        }


def _read(path: FsPath) -> tuple[str, bytes]:
    if not path.exists():
        raise ScenarioError(Problem(f"no such file (bundled scenarios: {', '.join(sorted(bundled_scenarios()))})", str(path)))
    return read_text_file(path, "scenario file", limit=_MAX_BYTES)


def _at(located: Located, path: tuple[Any, ...], file: FsPath, message: str, *, key: bool = False, severity: str = "error") -> Problem:
    """A problem at ``path`` of ``located``, in the file the field comes from."""
    pos = located.position(path, key=key)
    where = pos.file if pos is not None and pos.file is not None else str(file)
    return Problem(message, where, pos.line if pos else None, pos.column if pos else None, format_path(path), severity)


def extends_target(value: str, folder: FsPath) -> FsPath | None:
    """The file ``extends: value`` names: a path relative to the child's folder, or a
    bundled scenario's name (``None`` when it is neither)."""
    if value.endswith((".yaml", ".yml")) or "/" in value or "\\" in value:
        path = FsPath(value)
        return path if path.is_absolute() else folder / path
    bundled = bundled_scenarios()
    name = DEFAULT_SCENARIO if value == "default" else value
    return bundled.get(name)


class _Reading:
    """The files read for one scenario: their texts (for columns) and one hash over
    them; ``priors`` says whether files named by ``priors:`` are applied."""

    def __init__(self, priors: bool = True) -> None:
        self.texts: dict[str, str] = {}
        self.hash = hashlib.sha256()
        self.priors = priors

    def read(self, path: FsPath) -> str:
        text, raw = _read(path)
        return self.keep(path, text, raw)

    def keep(self, path: FsPath, text: str, raw: bytes) -> str:
        """Count a file read as part of the scenario: its text, and its bytes in the hash."""
        self.texts[str(path)] = text
        self.hash.update(raw)
        return text


def _compose(path: FsPath, reading: _Reading, chain: tuple[FsPath, ...] = (), own: Located | None = None) -> Located:
    """A file's data with positions: its parent's (``extends``), merged under its own,
    then its ``priors`` file's priors applied (``own``: the file, already read)."""
    own = own if own is not None else read_yaml(reading.read(path), str(path))
    data = own.data
    if not isinstance(data, dict):
        return own
    located = own
    if "extends" in data:
        value = data["extends"]
        parent = extends_target(value, path.parent) if isinstance(value, str) and value.strip() else None
        if not isinstance(value, str) or not value.strip():
            own.problems.append(_at(own, ("extends",), path, "extends takes a scenario file (relative to this one) or a bundled scenario's name"))
        elif parent is None:
            names = ", ".join(sorted(bundled_scenarios()))
            own.problems.append(_at(own, ("extends",), path, f"no bundled scenario {value!r} (bundled: {names}); give a path ending in .yaml for a file"))
        elif parent.suffix.lower() not in (".yaml", ".yml"):
            # Decided before anything is opened: /etc/passwd is not read to find out.
            own.problems.append(_at(own, ("extends",), path, f"the parent {value!r} is not a scenario file: a scenario file's name ends in .yaml or .yml (nothing was read)"))
        elif not parent.is_file():
            missing = "is not a file" if parent.exists() else "does not exist (a path in 'extends' is relative to this file's folder)"
            own.problems.append(_at(own, ("extends",), path, f"the parent scenario {str(parent)!r} {missing}"))
        elif parent.resolve() in chain or parent.resolve() == path.resolve():
            trail = " -> ".join(str(p) for p in (*chain, path.resolve(), parent.resolve()))
            own.problems.append(_at(own, ("extends",), path, f"'extends' goes round in a circle: {trail}"))
        else:
            parent_own, refused = _read_parent(parent, reading)
            if parent_own is None:
                own.problems.append(_at(own, ("extends",), path, refused))
            else:
                located = merge_located(_compose(parent, reading, (*chain, path.resolve()), parent_own), own)
    if "priors" in data and reading.priors:
        located = _apply_priors(located, own, path, reading)
    return located


def _read_parent(parent: FsPath, reading: _Reading) -> tuple[Located | None, str]:
    """A parent file read as a scenario, or why it is not one (it is then neither
    merged nor hashed, and nothing of its text is shown)."""
    shown = str(parent)
    try:
        text, raw = _read(parent)
        located = read_yaml(text, shown)
    except ScenarioError as exc:
        first = exc.problems[0]
        where = f" (line {first.line})" if first.line is not None else ""
        return None, f"the parent {shown!r} is not a scenario file ({first.message}{where})"
    data = located.data
    if not isinstance(data, dict) or not any(key in data for key in _SCENARIO_MARKS):
        kind = "a mapping without 'name', 'clock' or 'extends'" if isinstance(data, dict) else "empty" if data is None else _kind(data)
        return None, f"the parent {shown!r} is not a scenario file (a YAML mapping with at least 'name' and 'clock'): it is {kind}"
    reading.keep(parent, text, raw)
    return located, ""


def _kind(data: Any) -> str:
    return "a list" if isinstance(data, list) else "text" if isinstance(data, str) else f"a single value ({type(data).__name__})"


def _apply_priors(located: Located, own: Located, path: FsPath, reading: _Reading) -> Located:
    """Merge the priors of the posterior file that ``own`` names over ``located``."""
    value = own.data["priors"]
    if not isinstance(value, str) or not value.strip():
        located.problems.append(_at(own, ("priors",), path, "priors takes the path of a posterior file (written by realpolitik calibrate)"))
        return located
    file = FsPath(value) if FsPath(value).is_absolute() else path.parent / value
    if not file.is_file():
        located.problems.append(_at(own, ("priors",), path, f"the posterior file {str(file)!r} does not exist (a path in 'priors' is relative to this file's folder)"))
        return located
    try:
        posterior = read_yaml(reading.read(file), str(file))
    except ScenarioError as exc:
        located.problems.extend(exc.problems)
        return located
    located.problems.extend(posterior.problems)
    data = posterior.data
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), dict):
        problems.append(_at(posterior, (), file, "a posterior file is a mapping with 'parameters': name -> {prior: ...}"))
        located.problems.extend(problems)
        return located
    for key in data:
        if key not in POSTERIOR_KEYS:
            problems.append(_at(posterior, (key,), file, f"unknown key {key!r} in a posterior file (allowed: {', '.join(POSTERIOR_KEYS)})", key=True))
    scenario = located.data if isinstance(located.data, dict) else {}
    known = scenario.get("parameters") if isinstance(scenario.get("parameters"), dict) else {}
    overlay: dict[str, Any] = {}
    for name, entry in data["parameters"].items():
        where = ("parameters", name)
        if not isinstance(known.get(name, {}), dict):
            continue  # the scenario's own entry is malformed: that is the problem to report
        if name not in known:
            problems.append(_at(posterior, where, file, f"{name!r} is not a parameter of the scenario that names this file as its priors", key=True))
        elif not isinstance(entry, dict) or not isinstance(entry.get("prior"), dict):
            problems.append(_at(posterior, where, file, "give the parameter's new 'prior' (a mapping with 'dist')"))
        else:
            extra = [k for k in entry if k not in _POSTERIOR_PARAMETER_KEYS]
            for k in extra:
                problems.append(_at(posterior, where + (k,), file, f"unknown key {k!r} (a posterior's parameter takes {', '.join(_POSTERIOR_PARAMETER_KEYS)})", key=True))
            # a fitted prior rests on the data of the calibration that wrote the file
            fitted = {"basis": "data", "data": {"file": value, "fit": _calibration_fit(data.get("calibration"))}}
            overlay[name] = {k: v for k, v in entry.items() if k in _POSTERIOR_PARAMETER_KEYS} | fitted
    located.problems.extend(problems)
    if not overlay:
        return located
    # Only the priors and rationales come from the posterior file; the scenario, its
    # 'parameters' and each parameter stay where the scenario file writes them.
    def fitted_part(path: tuple[Any, ...]) -> bool:
        return len(path) >= 3 and path[0] == "parameters" and path[1] in overlay and path[2] in _POSTERIOR_PARAMETER_KEYS

    values = {k: v for k, v in posterior.values.items() if fitted_part(k)}
    keys = {k: v for k, v in posterior.keys.items() if fitted_part(k)}
    return merge_located(located, Located({"parameters": overlay}, values=values, keys=keys))


def _calibration_fit(calibration: Any) -> str:
    """What a posterior file's ``calibration`` says was fitted, in one line.

    Example:
        >>> _calibration_fit({"method": "ABC-SMC", "rounds": ["apr-2024", "jun-2025"], "particles": 2000})
        'ABC-SMC posterior, fitted to rounds apr-2024, jun-2025 (2000 particles)'
    """
    if not isinstance(calibration, dict):
        return "a calibration's posterior (the file does not say which calibration)"
    method = calibration.get("method")
    rounds = calibration.get("rounds")
    particles = calibration.get("particles")
    text = f"{method} posterior" if isinstance(method, str) and method.strip() else "a calibration's posterior"
    if isinstance(rounds, list) and rounds:
        text += ", fitted to rounds " + ", ".join(str(r) for r in rounds)
    if isinstance(particles, int) and not isinstance(particles, bool):
        text += f" ({particles} particles)"
    return text


def _parse(path: FsPath, priors: bool = True) -> tuple[Located, ScenarioSpec | None, Model | None, list[Problem], str]:
    reading = _Reading(priors)
    located = _compose(path, reading)
    text = reading.texts[str(path)]
    others = {f: t for f, t in reading.texts.items() if f != str(path)}
    spec, model, problems = resolve(located, str(path), text, other_texts=others)
    return located, spec, model, problems, reading.hash.hexdigest()


def load(path: str | FsPath = DEFAULT_SCENARIO, *, priors: bool = True) -> Scenario:
    """Load, validate and compile a scenario file (or a bundled scenario by name).

    With ``priors=False`` the posterior files that the scenario (or a file it
    extends) names with ``priors:`` are not applied: the parameters keep the priors
    written in the scenario files, e.g. to repeat a calibration that a scenario has
    since adopted.

    Raises:
        ScenarioError: the file is missing, not YAML, or has errors; ``problems``
            lists them all with file, line, column and field path.

    Example:
        >>> s = load("default")
        >>> s.spec.clock.start.isoformat()
        '2026-02-28'
    """
    file = scenario_path(path)
    located, spec, model, problems, digest = _parse(file, priors)
    errors = [p for p in problems if p.severity == "error"]
    if errors or spec is None or model is None:
        raise ScenarioError(errors or problems)
    return Scenario(spec, model, file, digest, located, tuple(problems))


def check(
    path: str | FsPath,
    *,
    sources: str | FsPath | None = None,
    inventory: str | FsPath | None = None,
    allow: Iterable[str | FsPath] = (),
) -> CheckReport:
    """Check a scenario file: every problem, every locator, inventory coverage, the
    elements that can change no answer, and where each parameter's prior comes from.

    An inventory ID counts as modelled only when an element citing it reaches a
    question through what the expressions read (the graph of
    ``realpolitik.scenario._reach``); an ID cited only by elements that reach none is
    ``decorative``, or ``observed`` when one of them can still move answers through
    an indicator once the runs are conditioned on news. A file with errors has no
    model to trace: there, every cited ID counts as modelled.

    Args:
        path: the scenario file (or a bundled name).
        sources: a folder holding the source files, overriding the paths in ``sources:``.
        inventory: a Markdown inventory to check coverage against, instead of the
            file's own ``inventory:`` section.
        allow: further folders (or files) the scenario's source files may be read
            from. Without them a source file is read only from the scenario's own
            folder and below, the bundled and shared sources folders and
            ``sources``; one found elsewhere is an error and is not read.

    Raises:
        ScenarioError: only when the file cannot be read at all or is not YAML;
            every other problem is in the report.

    Example:
        >>> report = check("default")
        >>> {r.status for r in report.coverage} <= {"modelled", "observed", "context", "decorative", "missing"}
        True
    """
    file = scenario_path(path)
    located, spec, model, problems, _digest = _parse(file)
    problems = list(problems)
    locators: list[LocatorCheck] = []
    rows: list[CoverageRow] = []
    traced = reach(spec, model) if spec is not None and model is not None and not any(p.severity == "error" for p in problems) else None
    if spec is not None:
        sources_dir = FsPath(sources) if sources is not None else None
        if sources_dir is not None and not sources_dir.is_dir():
            raise ScenarioError(Problem("--sources must be a folder", str(sources_dir)))
        files = _source_files(spec, located, file, sources_dir, allow)
        locators = find_locators(spec, files)
        problems += _outside_problems(located, file, files)
        unread = sorted({c.source for c in locators if c.found is None and not files[c.source].outside})
        for key in unread:
            why = files[key].reason or "file not found"
            message = f"source {key!r} {why} ({spec.sources[key].file}); its locators were not checked (use --sources DIR)"
            problems.append(_at(located, ("sources", key), file, message, severity="warning"))
        for c in locators:
            if c.found is False:
                keys = tuple(int(k) if k.isdigit() else k for k in c.path.split(".")) + ("locator",)
                problems.append(_at(located, keys, file, f"locator {c.locator!r} not found verbatim in source {c.source!r} ({c.file})"))
        inv = read_inventory(FsPath(inventory)) if inventory is not None else None
        rows = coverage(spec, inv, traced.by_path() if traced is not None else None)
        for row in rows:
            if row.status == "missing":
                message = f"inventory ID {row.id} ({row.title}) is neither cited by an element nor listed under 'context' with a reason"
                problems.append(_at(located, ("inventory", row.id), file, message, severity="warning"))
    decorative, observed = (traced.decorative, traced.observed_only) if traced is not None else ((), ())
    parameters = spec.parameters if spec is not None else {}
    bases = {name: p.basis or "judgement" for name, p in parameters.items()}
    undeclared = tuple(name for name, p in parameters.items() if p.basis is None)
    return CheckReport(str(file), tuple(problems), tuple(locators), tuple(rows), decorative, observed, bases, undeclared)


def _outside_problems(located: Located, file: FsPath | None, files: dict[str, SourceFile], severity: str = "error") -> list[Problem]:
    out = []
    for key, found in files.items():
        if found.outside and found.path is not None:
            real = found.path.resolve()
            shown = repr(str(found.path)) if real == found.path else f"{str(found.path)!r}, that is {str(real)!r},"
            message = (
                f"source {key!r} file {shown} is outside the folders this scenario may read (its own folder and below, "
                f"the bundled scenarios, --sources); it was not read (to read it, give --allow-path {str(real.parent)!r})"
            )
            out.append(_at(located, ("sources", key, "file"), file or FsPath("<scenario>"), message, severity=severity))
    return out


def _source_files(
    spec: ScenarioSpec, located: Located, file: FsPath | None, sources_dir: str | FsPath | None, allow: Iterable[str | FsPath]
) -> dict[str, SourceFile]:
    """Each source's file, its path relative to the folder of the file that declares
    it (a parent's sources stay relative to the parent), read only from that folder
    and below or the folders every scenario may read."""
    folder = FsPath(sources_dir) if sources_dir is not None else None
    roots = source_roots(folder, allow)
    out: dict[str, SourceFile] = {}
    for key, src in spec.sources.items():
        pos = located.position(("sources", key, "file"))
        declared_in = FsPath(pos.file) if pos is not None and pos.file is not None else file
        out[key] = read_source(key, src.file, declared_in.parent if declared_in is not None else None, folder, roots)
    return out
