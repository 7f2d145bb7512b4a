"""Hostile scenario files (issue 19): every bad input is one problem at its own file,
line and field, never a traceback; what passes ``check`` runs; ``extends`` takes only
scenarios; source files are read only from the folders the scenario may read.

Kinds: 6 (numbers a float cannot hold), 9 (scenarios that passed check but crashed
run), 12 (problems at the wrong place), 13 (``extends`` of files that are not
scenarios), 14 (sources outside the scenario's tree), 15 (lax validation).
"""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from pathlib import Path

import pytest

import realpolitik
from realpolitik.errors import ExpressionError, Problem, ScenarioError
from realpolitik.expr import compile_expression
from realpolitik.scenario import check
from realpolitik.scenario._schema import MAX_HORIZON_DAYS
from tests.scenario.minimal import MINIMAL

HUGE = "1" + "0" * 400  # an integer no float can hold


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def _errors(path: Path, **options: object) -> list[Problem]:
    return [p for p in check(path, **options).problems if p.severity == "error"]


def _one_error(path: Path, **options: object) -> Problem:
    errors = _errors(path, **options)
    assert len(errors) == 1, [str(p) for p in errors]
    return errors[0]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file opened through pathlib while the test runs (resolved)."""
    seen: list[Path] = []
    original = pathlib.Path.open

    def spy(self: pathlib.Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(self.resolve())
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pathlib.Path, "open", spy)
    return seen


# ---------------------------------------------------------------- kind 12: the right place


POSTERIOR = """\
# written by realpolitik calibrate
# (comments push the posterior's first key down)

realpolitik_posterior: 1
scenario: minimal
parameters:
  rate:
    prior: {dist: uniform, low: 0.02, high: 0.03}
"""


@pytest.mark.parametrize(
    ("drop", "missing"),
    [("clock: {start: 2026-01-01, step_days: 1, horizon_days: 30}\n", "clock"), ("name: minimal\n", "name")],
)
def test_a_missing_key_is_reported_in_the_scenario_not_in_its_posterior(tmp_path: Path, drop: str, missing: str) -> None:
    _write(tmp_path, "posterior.yaml", POSTERIOR)
    text = "priors: posterior.yaml\n" + MINIMAL.replace(drop, "")
    scenario = _write(tmp_path, "scenario.yaml", text)
    problem = _one_error(scenario)
    assert problem.message == f"missing required key {missing!r}"
    assert (problem.file, problem.line) == (str(scenario), 1)


def test_posterior_problems_stay_in_the_posterior_and_scenario_problems_in_the_scenario(tmp_path: Path) -> None:
    _write(tmp_path, "posterior.yaml", POSTERIOR.replace("low: 0.02", "low: lots"))
    scenario = _write(tmp_path, "scenario.yaml", "priors: posterior.yaml\n" + MINIMAL.replace("horizon_days: 30", "horizon_days: 0"))
    places = {(Path(p.file).name, p.line, p.path) for p in _errors(scenario)}
    assert ("posterior.yaml", 8, "parameters.rate.prior.low") in places
    assert ("scenario.yaml", 3, "clock.horizon_days") in places


@pytest.mark.parametrize("parameters", ["parameters: [rate]\n", "parameters: 5\n", "parameters:\n  rate: 5\n"])
def test_a_malformed_parameters_section_beside_a_posterior_is_one_problem_not_a_crash(tmp_path: Path, parameters: str) -> None:
    _write(tmp_path, "posterior.yaml", POSTERIOR)
    text = "priors: posterior.yaml\n" + MINIMAL.replace("parameters:\n  rate: {prior: {dist: uniform, low: 0.01, high: 0.05}, cites: [M1]}\n", parameters)
    scenario = _write(tmp_path, "scenario.yaml", text)
    errors = _errors(scenario)
    assert errors and all(p.line is not None for p in errors)
    assert any(p.file == str(scenario) and p.path.startswith("parameters") for p in errors), [str(p) for p in errors]


@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1b", "\x7f", "\ufffe"])
@pytest.mark.parametrize("where", ["scenario", "parent", "posterior"])
def test_a_control_character_is_reported_at_its_line_and_column(tmp_path: Path, char: str, where: str) -> None:
    text = MINIMAL.replace("name: minimal\n", f'name: minimal\ntitle: "Bad {char} title"\n')
    files = {"scenario": text, "parent": MINIMAL, "posterior": POSTERIOR}
    if where == "parent":
        files = {"scenario": "extends: parent.yaml\nname: child\n", "parent": text}
    elif where == "posterior":
        files["scenario"] = "priors: posterior.yaml\n" + MINIMAL
        files["posterior"] = POSTERIOR.replace("scenario: minimal\n", f'scenario: "mini{char}mal"\n')
    for name, content in files.items():
        _write(tmp_path, f"{name}.yaml", content)
    scenario = tmp_path / "scenario.yaml"
    if where == "parent":  # a parent that cannot be read is one problem at the child's extends line
        problem = _one_error(scenario)
        assert (problem.file, problem.line, problem.path) == (str(scenario), 1, "extends")
        assert f"U+{ord(char):04X}" in problem.message and "(line 2)" in problem.message
        return
    if where == "posterior":
        problem = _one_error(scenario)
        assert (problem.file, problem.line, problem.column) == (str(tmp_path / "posterior.yaml"), 5, 16)
    else:
        with pytest.raises(ScenarioError) as raised:
            check(scenario)
        [problem] = raised.value.problems
        assert (problem.file, problem.line, problem.column) == (str(scenario), 2, 13)
    assert f"U+{ord(char):04X}" in problem.message and "position" not in problem.message


# ---------------------------------------------------------------- kind 13: extends takes scenarios only


NOT_SCENARIOS = {
    "a list": "- name: x\n- clock: y\n",
    "a scalar": "just some words\n",
    "a number": "42\n",
    "empty": "",
    "a mapping of something else": "user: root\nshell: /bin/sh\n",
    "passwd-like text": "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
    "invalid YAML": "key: [unclosed\n",
    "binary": None,
}


@pytest.mark.parametrize("kind", list(NOT_SCENARIOS))
def test_extends_of_a_file_that_is_not_a_scenario_is_one_problem_at_the_extends_line(tmp_path: Path, kind: str) -> None:
    content = NOT_SCENARIOS[kind]
    parent = tmp_path / "parent.yaml"
    if content is None:
        parent.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00")
    else:
        parent.write_text(content, encoding="utf-8")
    child = _write(tmp_path, "child.yaml", "name: child\nextends: parent.yaml\nclock: {start: 2026-01-01}\n")
    problem = _one_error(child)
    assert (problem.file, problem.line, problem.path) == (str(child), 2, "extends")
    assert "not a scenario file" in problem.message and str(parent) in problem.message
    with pytest.raises(ScenarioError):
        realpolitik.load(child)


@pytest.mark.parametrize("extends", ["/etc/passwd", "../../../../../../../../../../etc/passwd", "{secret}", "./notes.txt", "./parent.yaml.bak"])
def test_extends_of_a_file_not_named_as_a_scenario_is_refused_without_reading_it(write_scenario, tmp_path: Path, opened: list[Path], extends: str) -> None:
    secret = _write(tmp_path / "elsewhere", "secret.txt", "root:x:0:0:root:/root:/bin/bash\n")
    _write(tmp_path, "notes.txt", MINIMAL)  # a scenario in all but its name
    _write(tmp_path, "parent.yaml.bak", MINIMAL)
    child = write_scenario(f"extends: {extends.format(secret=secret)}\nname: child\nclock: {{start: 2026-01-01}}\n")
    opened.clear()
    problem = _one_error(child)
    assert (problem.path, problem.line) == ("extends", 1) and "not a scenario file" in problem.message and ".yaml or .yml" in problem.message
    assert "root:" not in problem.message
    assert opened == [child.resolve()]  # only the child itself was opened


def test_a_scenario_parent_still_merges_and_counts_in_the_hash(tmp_path: Path) -> None:
    parent = _write(tmp_path, "parent.yaml", MINIMAL)
    child = _write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\n")
    before = realpolitik.load(child).sha256
    parent.write_text(MINIMAL.replace("initial: 100", "initial: 101"), encoding="utf-8")
    assert realpolitik.load(child).sha256 != before
    # a parent that is itself a variant (it extends another) is a scenario too
    middle = _write(tmp_path, "middle.yaml", "extends: parent.yaml\n")
    grandchild = _write(tmp_path, "grandchild.yaml", "extends: middle.yaml\nname: grandchild\n")
    assert middle.is_file() and realpolitik.load(grandchild).name == "grandchild"


# ---------------------------------------------------------------- kind 14: sources stay in the tree


SECRET = "the launch code is 0000"


def _sourced(file: str) -> str:
    return MINIMAL.replace("name: minimal\n", f"name: minimal\nsources:\n  S1: {{file: {file!r}}}\n").replace(
        "cites: [M1]}", "cites: [M1], source: S1, locator: launch code}"
    )


def _layout(tmp_path: Path) -> tuple[Path, Path]:
    """A scenario folder and, beside it, a folder with a secret the scenario must not read."""
    outside = _write(tmp_path / "elsewhere", "secret.txt", SECRET).parent
    _write(tmp_path, "secret-above.txt", SECRET)  # found by the search of parent folders
    return tmp_path / "project", outside


@pytest.mark.parametrize(
    "how",
    ["absolute path", "dot-dot path", "parent-folder search", "link to a file", "link to a folder", "link in --sources"],
)
def test_a_source_outside_the_scenarios_tree_is_an_error_and_never_read(tmp_path: Path, how: str, opened: list[Path], monkeypatch) -> None:
    project, outside = _layout(tmp_path)
    project.mkdir()
    monkeypatch.chdir(project)
    secret = outside / "secret.txt"
    options: dict[str, object] = {}
    file = {
        "absolute path": str(secret),
        "dot-dot path": "../elsewhere/secret.txt",
        "parent-folder search": "secret-above.txt",
        "link to a file": "texts/notes.txt",
        "link to a folder": "texts/secret.txt",
        "link in --sources": "secret.txt",
    }[how]
    if how == "link to a file":
        (project / "texts").mkdir()
        (project / "texts" / "notes.txt").symlink_to(secret)
    elif how == "link to a folder":
        (project / "texts").symlink_to(outside, target_is_directory=True)
    elif how == "link in --sources":
        (project / "sources").mkdir()
        (project / "sources" / "secret.txt").symlink_to(secret)
        options["sources"] = project / "sources"
    scenario = _write(project, "scenario.yaml", _sourced(file))
    opened.clear()  # what the test itself wrote
    report = check(scenario, **options)
    [problem] = [p for p in report.problems if p.severity == "error"]
    assert (problem.file, problem.line, problem.path) == (str(scenario), 3, "sources.S1.file")
    assert "'S1'" in problem.message and "outside the folders this scenario may read" in problem.message and "--allow-path" in problem.message
    assert "secret" in problem.message  # names the file
    assert [c.found for c in report.locators] == [None]
    assert SECRET not in repr(report.to_dict())
    assert not {secret.resolve(), (tmp_path / "secret-above.txt").resolve()} & set(opened)
    # the user can allow it
    allowed = check(scenario, allow=[outside, tmp_path], **options)
    assert allowed.ok and [c.found for c in allowed.locators] == [True], allowed.problems


def test_sources_inside_the_scenarios_tree_are_read(tmp_path: Path, monkeypatch) -> None:
    project, _ = _layout(tmp_path)
    _write(project / "texts" / "deep", "article.txt", f"An article: {SECRET}.")
    (project / "link.txt").parent.mkdir(parents=True, exist_ok=True)
    (project / "link.txt").symlink_to(project / "texts" / "deep" / "article.txt")  # a link that stays inside
    monkeypatch.chdir(tmp_path)
    for file in ("texts/deep/article.txt", "link.txt", "./texts/../texts/deep/article.txt"):
        report = check(_write(project, "scenario.yaml", _sourced(file)))
        assert report.ok and [c.found for c in report.locators] == [True], (file, report.problems)


def test_a_child_cannot_reach_out_by_overriding_a_parents_source(tmp_path: Path) -> None:
    project, outside = _layout(tmp_path)
    parent_text = _sourced("texts/article.txt")
    _write(tmp_path / "base" / "texts", "article.txt", f"It says: {SECRET}.")
    _write(tmp_path / "base", "parent.yaml", parent_text)
    # the parent's own sources stay readable in the parent's folder ...
    ok = _write(project, "child.yaml", "extends: ../base/parent.yaml\nname: child\n")
    assert check(ok).ok and [c.found for c in check(ok).locators] == [True]
    # ... but a file the child writes is read only from the child's tree
    bad = _write(project, "child.yaml", "extends: ../base/parent.yaml\nname: child\nsources:\n  S1: {file: ../base/texts/article.txt}\n")
    problem = _one_error(bad)
    assert (problem.file, problem.line, problem.path) == (str(bad), 4, "sources.S1.file")


def test_the_bundled_scenario_reads_its_shared_sources_from_anywhere(shared_sources: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for options in ({}, {"sources": shared_sources}):
        report = check("default", **options)
        assert report.ok, [str(p) for p in report.problems]
        assert report.locators and all(c.found for c in report.locators)


# ---------------------------------------------------------------- kind 15: names and strict values


ELEMENT_NAMES = [
    ("parameters", "parameters:\n  {name}: {{value: 1}}\n"),
    ("variables", "variables:\n  {name}: {{initial: 1}}\n"),
    ("actors", "actors:\n  {name}: {{}}\n"),
    ("actors.a.interests", "actors:\n  a:\n    interests:\n      {name}: {{value: 1}}\n"),
    ("actors.a.decisions", "actors:\n  a:\n    decisions:\n      {name}:\n        options: {{stay: {{}}}}\n"),
    ("actors.a.decisions.d.options", "actors:\n  a:\n    decisions:\n      d:\n        options:\n          {name}: {{}}\n"),
    ("parties", "parties:\n  {name}: {{}}\n"),
    ("mechanisms", "variables:\n  v: {{initial: 1}}\nmechanisms:\n  {name}: {{target: v, update: v}}\n"),
    ("events", "events:\n  {name}: {{hazard: 0.1}}\n"),
    ("indicators", "indicators:\n  {name}: {{observes: 'day > 1'}}\n"),
    ("questions", "questions:\n  {name}: {{kind: probability, text: t, condition: 'day > 1'}}\n"),
    ("variables.w.levels", "variables:\n  w: {{type: levels, levels: [low, {name}]}}\n"),
]
BAD_NAMES = ['"bad name"', '"x-y"', '"1st"', '"ｃｌｏｓｕｒｅ_cost"', '"café"', '"_hidden"', '"a\\n"']


@pytest.mark.parametrize(("section", "snippet"), ELEMENT_NAMES, ids=[s for s, _ in ELEMENT_NAMES])
@pytest.mark.parametrize("name", BAD_NAMES)
def test_every_named_element_follows_the_naming_rule(write_scenario, section: str, snippet: str, name: str) -> None:
    text = "name: x\nclock: {start: 2026-01-01}\n" + snippet.format(name=name)
    problem = _one_error(write_scenario(text))
    assert "must start with a letter and hold only letters, digits and '_'" in problem.message
    assert problem.line == _line_of(text, name) and problem.path.startswith(section.split(".")[0])


@pytest.mark.parametrize(("section", "snippet"), [e for e in ELEMENT_NAMES if e[0] in ("parameters", "variables", "actors.a.decisions", "actors.a.decisions.d.options", "events", "variables.w.levels")])
@pytest.mark.parametrize("name", ["lambda", "and", "not", "None", "True", "if", "day", "today", "true", "min", "exp", "normal", "date"])
def test_a_reserved_word_is_refused_as_a_name_at_its_line(write_scenario, section: str, snippet: str, name: str) -> None:
    text = "name: x\nclock: {start: 2026-01-01}\n" + snippet.format(name=f'"{name}"')
    problem = _one_error(write_scenario(text))
    assert "reserved word" in problem.message and repr(name) in problem.message
    assert problem.line == _line_of(text, f'"{name}"')


@pytest.mark.parametrize("expression", ["ｃｌｏｓｕｒｅ_cost + 1", "closure_cost * ｃｏｓｔ", "2 * clósure_cost"])
def test_a_non_ascii_name_in_an_expression_is_refused_not_folded(write_scenario, expression: str) -> None:
    text = f"name: x\nclock: {{start: 2026-01-01}}\nparameters:\n  closure_cost: {{value: 1}}\n  cost: {{value: 2}}\nvariables:\n  v: {{initial: '{expression}'}}\n"
    problem = _one_error(write_scenario(text))
    bad = next(i for i, ch in enumerate(expression) if not ch.isascii())
    assert (problem.line, problem.column, problem.path) == (7, 17 + bad, "variables.v.initial")
    assert "is not an ASCII letter" in problem.message


STRICT_VALUES = [
    ("horizon_days: 30", "horizon_days: true", "clock.horizon_days", "valid integer"),
    ("horizon_days: 30", "horizon_days: 30.0", "clock.horizon_days", "valid integer"),
    ("horizon_days: 30", "horizon_days: '30'", "clock.horizon_days", "valid integer"),
    ("step_days: 1", "step_days: yes", "clock.step_days", "valid integer"),
    ("start: 2026-01-01", "start: 20260101", "clock.start", "valid date"),
    ("bounds: [0, 500]", "bounds: [.nan, .inf]", "variables.price.bounds[0]", "not a finite number"),
    ("bounds: [0, 500]", "bounds: [0, .inf]", "variables.price.bounds[1]", "write null"),
    ("bounds: [0, 500]", "bounds: [true, 500]", "variables.price.bounds[0]", "boolean"),
    ("low: 0.01", "low: -.inf", "parameters.rate.prior.low", "not a finite number"),
    ("high: 0.05", "high: .nan", "parameters.rate.prior.high", "not a finite number"),
    ("checkpoints: [10]", "checkpoints: [true]", "questions.shocked.checkpoints[0]", "whole number of days"),
    ("checkpoints: [10]", "checkpoints: [2.5]", "questions.shocked.checkpoints[0]", "whole number of days"),
    ("checkpoints: [10]", "checkpoints: [-3]", "questions.shocked.checkpoints[0]", "give 0 or more"),
    ("checkpoints: [10]", "checkpoints: ['2026-02-30']", "questions.shocked.checkpoints[0]", "valid date"),
    ("condition: shock > 0\n", "condition: shock > 0\n    by: on\n", "questions.shocked.by", "whole number of days"),
    ("hazard: rate\n", "hazard: rate\n    once: 1\n", "events.shock.once", "valid boolean"),
    ("name: minimal\n", "realpolitik: true\nname: minimal\n", "realpolitik", "boolean"),
]


@pytest.mark.parametrize(("old", "new", "path", "message"), STRICT_VALUES, ids=[n for _, n, _, _ in STRICT_VALUES])
def test_a_value_of_the_wrong_kind_is_refused_at_its_line(write_scenario, old: str, new: str, path: str, message: str) -> None:
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    errors = _errors(write_scenario(text))
    assert errors, f"{new!r} was accepted"
    assert any(p.path == path and message in p.message and p.line == _line_of(text, new.strip().splitlines()[-1 if path != "realpolitik" else 0]) for p in errors), [str(p) for p in errors]


def test_an_indicator_delay_must_be_a_whole_number_of_days(write_scenario) -> None:
    text = MINIMAL + "indicators:\n  seen: {observes: 'flag', delay_days: 1.5}\n"
    problem = _one_error(write_scenario(text))
    assert (problem.path, problem.line) == ("indicators.seen.delay_days", text.count("\n"))


# ---------------------------------------------------------------- kind 6: numbers a float cannot hold


HUGE_NUMBERS = [
    ("initial: 100", f"initial: {HUGE}", "variables.price.initial"),
    ("initial: 100", "initial: .inf", "variables.price.initial"),
    ("initial: 100", "initial: .nan", "variables.price.initial"),
    ("initial: 100", "initial: '1e400'", "variables.price.initial"),
    ("initial: 100", f"initial: '2 * {HUGE}'", "variables.price.initial"),
    ("hazard: rate", f"hazard: {HUGE}", "events.shock.hazard"),
    ("utility: -1", f"utility: -{HUGE}", "actors.state.decisions.stance.options.push.utility"),
    ("low: 0.01", f"low: {HUGE}", "parameters.rate.prior.low"),
    ("low: 0.01", "low: '1e400'", "parameters.rate.prior.low"),
    ("bounds: [0, 500]", f"bounds: [0, {HUGE}]", "variables.price.bounds[1]"),
    ("checkpoints: [10]", f"checkpoints: [{HUGE}]", "questions.shocked.checkpoints[0]"),
    ("horizon_days: 30", f"horizon_days: {HUGE}", "clock.horizon_days"),
    ("rationality: 1", f"rationality: {HUGE}", "actors.state.rationality"),
]


@pytest.mark.parametrize(("old", "new", "path"), HUGE_NUMBERS, ids=[n[:40] for _, n, _ in HUGE_NUMBERS])
def test_a_number_that_is_not_a_finite_float_is_a_problem_at_its_line(write_scenario, old: str, new: str, path: str) -> None:
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    report = check(write_scenario(text))  # never OverflowError
    errors = [p for p in report.problems if p.severity == "error"]
    assert any(p.path == path and p.line == _line_of(text, new) for p in errors), [str(p) for p in errors]
    assert all(len(str(p)) < 400 for p in errors)  # the message does not repeat 400 digits


@pytest.mark.parametrize("value", [10**400, -(10**400), float("inf"), float("nan")])
def test_compile_expression_refuses_a_number_a_float_cannot_hold(value: float) -> None:
    with pytest.raises(ExpressionError, match="finite"):
        compile_expression(value)


# ---------------------------------------------------------------- kind 9: what passes check runs


@pytest.mark.parametrize(
    ("clock", "message"),
    [
        ("{start: 9999-12-01}", "would end after 9999-12-31"),
        ("{start: 9999-12-31, horizon_days: 1}", "would end after 9999-12-31"),
        ("{start: 2026-01-01, horizon_days: 100000000000000000000}", "less than or equal to 36500"),
        ("{start: 2026-01-01, horizon_days: 1e20}", "valid integer"),
        (f"{{start: 2026-01-01, horizon_days: {MAX_HORIZON_DAYS + 1}}}", "less than or equal to 36500"),
        ("{start: 2026-01-01, step_days: 1000000}", "less than or equal to 36500"),
    ],
)
def test_a_clock_the_run_could_not_keep_is_refused_at_check(write_scenario, clock: str, message: str) -> None:
    text = f"name: x\nclock: {clock}\nvariables:\n  v: {{initial: 1}}\n"
    problem = _one_error(write_scenario(text))
    assert message in problem.message and problem.path.startswith("clock") and problem.line == 2


@pytest.mark.parametrize(
    "clock",
    [
        "{start: 9999-12-30, horizon_days: 1}",
        "{start: 9999-09-22, horizon_days: 100, step_days: 7}",
        f"{{start: {(dt.date.max - dt.timedelta(days=MAX_HORIZON_DAYS)).isoformat()}, horizon_days: {MAX_HORIZON_DAYS}, step_days: 365}}",
        "{start: 0001-01-01, horizon_days: 10}",
    ],
)
def test_a_clock_that_passes_check_runs(write_scenario, clock: str) -> None:
    text = (
        f"name: x\nclock: {clock}\nvariables:\n  v: {{initial: 1}}\n"
        "indicators:\n  seen: {observes: 'v > 0', delay_days: 3}\n"
        "questions:\n  q: {kind: quantiles, text: v, value: v}\n  p: {kind: probability, text: p, condition: 'v > 0', checkpoints: [1]}\n"
    )
    path = write_scenario(text)
    assert check(path).ok
    results = realpolitik.load(path).run(runs=4, seed=0)
    assert [a.status for a in results.answers] == ["ok", "ok"]
    assert results.answers[0].date <= dt.date.max


def test_a_question_day_beyond_the_calendar_is_a_problem_not_a_crash(write_scenario) -> None:
    text = "name: x\nclock: {start: 9999-12-01, horizon_days: 30}\nvariables:\n  v: {initial: 1}\nquestions:\n  q: {kind: probability, text: t, condition: 'v > 0', by: 40}\n"
    problems = [str(p) for p in _errors(write_scenario(text))]
    assert any(re.search(r"questions\.q\.by: day 40 is after the horizon", p) for p in problems), problems
