"""Loading and checking scenario files: every problem, with file, line, column and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import realpolitik
from realpolitik.errors import ScenarioError
from tests.scenario.minimal import MINIMAL


def _problems(path: Path) -> list[str]:
    report = realpolitik.check(path)
    return [str(p) for p in report.problems if p.severity == "error"]


def test_minimal_scenario_loads(write_scenario) -> None:
    s = realpolitik.load(write_scenario(MINIMAL))
    assert [v.name for v in s.model.variables] == ["price", "ladder", "flag"]
    assert s.model.level_codes == {"low": 0, "mid": 1, "high": 2, "wait": 0, "push": 1}
    assert s.model.aliases == {"M1": "rate", "V1": "price"}


def test_bundled_scenario_loads_by_name_and_as_default() -> None:
    assert realpolitik.load("default").sha256 == realpolitik.load("russia-iran-2026").sha256


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # unknown key, with did-you-mean, at the key's line and column
        ("  flag: {type: boolean}", "  flag: {type: boolean, intial: true}", r":8:25: variables\.flag\.intial: unknown key 'intial'; did you mean 'initial'\?"),
        # wrong type
        ("horizon_days: 30}", "horizon_days: soon}", r":2:.*clock\.horizon_days: Input should be a valid integer"),
        # missing required key
        ("    hazard: rate\n", "", r"events\.shock: missing required key 'hazard'"),
        # unknown name in an expression, with did-you-mean, at its column
        ('update: "price * (1 + 0.01 * ladder)"', 'update: "prise * (1 + 0.01 * ladder)"', r":24:14: mechanisms\.drift\.update: unknown name 'prise'; did you mean 'price'\?"),
        # misspelt level name
        ("initial: low}", "initial: lwo}", r"variables\.ladder\.initial: unknown name 'lwo'; did you mean 'low'\?"),
        # a target that is not a variable
        ("target: price", "target: rate", r"mechanisms\.drift\.target: 'rate' is a parameter, not a variable"),
        # impossible prior
        ("low: 0.01, high: 0.05", "low: 0.05, high: 0.01", r"parameters\.rate\.prior\.low: low \(0\.05\) must be below high"),
        ("{dist: uniform, low: 0.01, high: 0.05}", "{dist: normal, mean: 1, sd: -2}", r"parameters\.rate\.prior\.sd: sd must be positive"),
        ("{dist: uniform, low: 0.01, high: 0.05}", "{dist: beta, a: 1}", r"parameters\.rate\.prior\.b: a beta prior needs 'b'"),
        ("{dist: uniform, low: 0.01, high: 0.05}", "{dist: gamma, k: 1}", r"parameters\.rate\.prior\.dist: Input should be"),
        # bad dates
        ("start: 2026-01-01", "start: 2026-02-30", r"clock\.start: Input should be a valid date"),
        ("checkpoints: [10]", "checkpoints: [2025-12-01]", r"questions\.shocked\.checkpoints\[0\]: 2025-12-01 is before the scenario starts"),
        ("checkpoints: [10]", "checkpoints: [45]", r"questions\.shocked\.checkpoints\[0\]: day 45 is after the horizon"),
        # a question about something that does not exist
        ("condition: shock > 0", "condition: shocks > 0", r"questions\.shocked\.condition: unknown name 'shocks'; did you mean 'shock'\?"),
        # attribute access in a scenario expression
        ("hazard: rate", "hazard: rate.real", r"events\.shock\.hazard: attribute access"),
        # duplicate key
        ("  flag: {type: boolean}", "  flag: {type: boolean}\n  flag: {type: boolean}", r"variables\.flag: duplicate key 'flag' \(first defined at line 8\)"),
        # names clash
        ("  shock:\n", "  price:\n", r"events\.price: the name 'price' is already used by a variable"),
        # a decision whose options can all be unavailable
        ("wait: {}\n          push: {utility", "wait: {when: flag}\n          push: {when: flag, utility", r"decisions\.stance\.options: at least one option must have no 'when'"),
    ],
)
def test_each_problem_is_reported_with_its_place(write_scenario, old: str, new: str, expected: str) -> None:
    assert old in MINIMAL
    path = write_scenario(MINIMAL.replace(old, new, 1))
    problems = _problems(path)
    assert any(re.search(expected, p) for p in problems), problems
    assert all(p.startswith(str(path)) for p in problems)
    with pytest.raises(ScenarioError):
        realpolitik.load(path)


def test_all_problems_are_reported_at_once(write_scenario) -> None:
    text = MINIMAL.replace("initial: low}", "initial: lwo}").replace("hazard: rate", "hazard: rte").replace("condition: shock > 0", "condition: shok > 0")
    problems = _problems(write_scenario(text))
    assert len(problems) == 3, problems


def test_cyclic_initial_values_are_reported(write_scenario) -> None:
    text = MINIMAL.replace("initial: 100,", "initial: other + 1,").replace(
        "  flag: {type: boolean}", "  flag: {type: boolean}\n  other: {type: continuous, initial: price * 2}"
    )
    problems = _problems(write_scenario(text))
    assert any("cyclic reference in initial values" in p and "price" in p and "other" in p for p in problems), problems


def test_initial_values_in_dependency_order(write_scenario) -> None:
    text = MINIMAL.replace("initial: 100,", "initial: other + 1,").replace(
        "  flag: {type: boolean}", "  flag: {type: boolean}\n  other: {type: continuous, initial: 41}"
    )
    s = realpolitik.load(write_scenario(text))
    assert s.model.initial_order.index("other") < s.model.initial_order.index("price")
    r = s.run(runs=5, seed=0, horizon=1)
    assert r.summary("price")["mean"].iloc[0] == 42.0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name: [unclosed\n", r":1:7: not valid YAML|:2:1: not valid YAML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "is not UTF-8 text"),
        (b"- just\n- a list\n", "must be a mapping"),
        (b"levels: yes: no\n", "not valid YAML"),
    ],
)
def test_unreadable_files_get_a_one_line_reason(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError) as info:
        realpolitik.load(path)
    assert re.search(expected, str(info.value)), str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_names_the_bundled_scenarios(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file.*russia-iran-2026"):
        realpolitik.load(tmp_path / "nope.yaml")


def test_yaml_booleans_in_level_names_get_a_hint(write_scenario) -> None:
    problems = _problems(write_scenario(MINIMAL.replace("levels: [low, mid, high]", "levels: [no, mid, high]")))
    assert any("put the name in quotes" in p for p in problems), problems


INDICATED = MINIMAL.replace(
    "questions:\n",
    """parties:
  bystander: {names: [Bystania, Bystanian], code: BYS}
indicators:
  shock_reported:
    observes: shock > 0
    event: {source: state, type: [ACCUSE, PROTEST], target: bystander, keywords: [shock]}
questions:
""",
)


def test_indicators_and_options_are_declared_in_event_terms(write_scenario) -> None:
    text = INDICATED.replace("push: {utility: -1,", "push: {event: {source: state, type: ASSAULT}, utility: -1,")
    model = realpolitik.load(write_scenario(text)).model
    [indicator] = model.indicators
    assert indicator.event is not None
    assert (indicator.event.sources, indicator.event.types, indicator.event.targets, indicator.event.keywords) == (
        ("state",), ("ACCUSE", "PROTEST"), ("bystander",), ("shock",)
    )
    push = model.decisions[0].options[1]
    assert push.event is not None and push.event.types == ("ASSAULT",)  # a single type reads as a list
    assert model.decisions[0].options[0].event is None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("source: state,", "source: stat,", "indicators.shock_reported.event.source[0]: unknown actor or party 'stat'; did you mean 'state'?"),
        ("target: bystander,", "target: [nobody],", "indicators.shock_reported.event.target[0]: unknown actor or party 'nobody'"),
        ("type: [ACCUSE, PROTEST]", "type: [ACCUSE, PROTESTS]", "indicators.shock_reported.event.type[1]: Input should be"),
        ("keywords: [shock]", "keywords: ['  ']", "indicators.shock_reported.event.keywords[0]: a keyword must not be empty"),
        ("  bystander: {names", "  state: {names", "parties.state: 'state' is an actor already"),
    ],
)
def test_bad_event_terms_are_named_with_their_place(write_scenario, old: str, new: str, expected: str) -> None:
    assert old in INDICATED
    path = write_scenario(INDICATED.replace(old, new))
    problems = _problems(path)
    assert any(expected in p and str(path) in p for p in problems), problems
