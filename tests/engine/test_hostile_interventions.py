"""Malformed intervention files and flags are one problem each, at their line and
field, never an AttributeError, ValueError or OverflowError, and never truncated."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.engine import Intervention
from realpolitik.errors import ScenarioError


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        ("set: [1, 2]", "set", "must be a mapping"),
        ("set: abc", "set", "must be a mapping"),
        ("set: {x: .nan}", "set.x", "finite number"),
        ("set: {x: .inf}", "set.x", "finite number"),
        ("force: {decision: d}", "force", "must be a list"),
        ("force: [{decision: d, option: o, from_day: abc}]", "force[0].from_day", "whole day"),
        ("force: [{decision: d, option: o, from_day: [1]}]", "force[0].from_day", "whole day"),
        ("force: [{decision: d, option: o, from_day: .inf}]", "force[0].from_day", "whole day"),
        ("force: [{decision: d, option: o, from_day: 2.7}]", "force[0].from_day", "whole day"),
        ("force: [{decision: d, option: o, from_day: true}]", "force[0].from_day", "whole day"),
        ("force_events: 7", "force_events", "must be a list"),
        ("force_events: [{event: e, day: 99999999999}]", "force_events[0].day", "whole day"),
        ("force_events: [{event: e, day: '3'}]", "force_events[0].day", "whole day"),
    ],
)
def test_a_malformed_intervention_file_is_one_problem_at_its_field(tmp_path: Path, text: str, field: str, says: str) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        Intervention.from_file(path)
    [problem] = refused.value.problems
    assert problem.file == str(path) and problem.line == 1 and problem.path == field and says in problem.message


@pytest.mark.parametrize("flags", [{"set": ["x=inf"]}, {"set": ["x=nan"]}, {"force": ["d=o@" + "9" * 5000]}, {"force": ["d=o@0"]}, {"force_events": ["e@0"]}, {"force_events": ["e@99999999999"]}])
def test_a_malformed_flag_is_a_scenario_error(flags: dict[str, list[str]]) -> None:
    with pytest.raises(ScenarioError):
        Intervention.parse(**flags)


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8), lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(["set", "force", "force_events", "decision", "option", "from_day", "event", "day", "x"]), c, max_size=4), max_leaves=12))
def test_any_yaml_data_is_read_or_refused_with_problems(tmp_path_factory, data: object) -> None:
    import yaml

    path = tmp_path_factory.mktemp("w") / "w.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        intervention = Intervention.from_file(path)
    except ScenarioError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
        return
    assert all(1 <= f.from_day for f in intervention.force) and all(1 <= e.day for e in intervention.force_events)
