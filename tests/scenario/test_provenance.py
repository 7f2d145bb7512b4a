"""Provenance: locators found verbatim in their sources, inventory coverage, the shipped schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

import realpolitik
from realpolitik.scenario import bundled_scenarios, read_inventory, scenario_json_schema, shipped_json_schema
from tests.scenario.minimal import MINIMAL


def test_bundled_locators_are_all_found_in_the_sources(shared_sources: Path) -> None:
    report = realpolitik.check("default", sources=shared_sources)
    assert report.ok, [str(p) for p in report.problems]
    assert report.locators and all(c.found for c in report.locators), [c for c in report.locators if not c.found]


def test_bundled_scenario_covers_the_seed_inventory(seed_inventory: Path) -> None:
    inventory = read_inventory(seed_inventory)
    # every kind of ID the inventory lists is there
    assert {cid[0] for cid in inventory} == set("AVMDIQFH")
    report = realpolitik.check("default", inventory=seed_inventory)
    assert report.missing == []
    assert {r.id for r in report.coverage} == set(inventory)
    statuses = {r.id: r.status for r in report.coverage}
    assert all(statuses[f"Q{i}"] == "modelled" for i in range(1, 9))


def test_bundled_scenario_answers_every_inventory_question() -> None:
    s = realpolitik.load("default")
    cited = {c for q in s.model.questions for c in q.cites}
    assert {f"Q{i}" for i in range(1, 9)} <= cited


def test_a_locator_not_in_its_source_is_an_error(write_scenario, tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text("The quick brown fox\njumps over the lazy dog.", encoding="utf-8")
    text = MINIMAL.replace("name: minimal\n", "name: minimal\nsources:\n  S1: {file: article.txt}\n")
    good = text.replace("cites: [V1]}", "cites: [V1], source: S1, locator: brown fox jumps}")
    report = realpolitik.check(write_scenario(good))
    assert report.ok and [c.found for c in report.locators] == [True]
    bad = text.replace("cites: [V1]}", "cites: [V1], source: S1, locator: a lazy cat}")
    report = realpolitik.check(write_scenario(bad))
    assert not report.ok
    assert any("locator 'a lazy cat' not found verbatim in source 'S1'" in str(p) and ":8:" in str(p) for p in report.problems)


def test_unreachable_sources_are_a_warning_not_an_error(write_scenario) -> None:
    text = MINIMAL.replace("name: minimal\n", "name: minimal\nsources:\n  S1: {file: nowhere.txt}\n")
    text = text.replace("cites: [V1]}", "cites: [V1], source: S1, locator: anything}")
    report = realpolitik.check(write_scenario(text))
    assert report.ok
    assert [c.found for c in report.locators] == [None]
    assert any(p.severity == "warning" and "not found" in p.message for p in report.problems)


def test_coverage_reports_missing_and_context(write_scenario) -> None:
    text = MINIMAL.replace("name: minimal\n", "name: minimal\ninventory: {V1: price, M1: rate, H1: history, Q9: open}\ncontext: {H1: background only}\n")
    report = realpolitik.check(write_scenario(text))
    rows = {r.id: r for r in report.coverage}
    assert rows["V1"].status == "modelled" and rows["V1"].elements == ("variables.price",)
    assert rows["H1"].status == "context" and rows["H1"].reason == "background only"
    assert report.missing == ["Q9"]
    assert report.to_dict()["missing"] == ["Q9"]


def test_citing_an_id_outside_the_inventory_is_an_error(write_scenario) -> None:
    text = MINIMAL.replace("name: minimal\n", "name: minimal\ninventory: {V1: price, M2: rate}\n")
    report = realpolitik.check(write_scenario(text))
    assert any("'M1' is not in the scenario's inventory; did you mean 'M2'?" in str(p) for p in report.problems)


def test_shipped_json_schema_is_current() -> None:
    assert shipped_json_schema() == scenario_json_schema()


def test_bundled_scenarios_validate_against_the_json_schema() -> None:
    schema = shipped_json_schema()
    for path in bundled_scenarios().values():
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, schema)


def test_json_schema_rejects_an_unknown_key() -> None:
    data = json.loads(json.dumps(yaml.safe_load(MINIMAL), default=str))
    data["variables"]["price"]["colour"] = "red"
    try:
        jsonschema.validate(data, shipped_json_schema())
    except jsonschema.ValidationError as exc:
        assert "colour" in exc.message
    else:
        raise AssertionError("the schema accepted an unknown key")


def test_a_file_that_extends_another_may_write_only_what_it_changes() -> None:
    schema = shipped_json_schema()
    child = {"realpolitik": 1, "extends": "default", "name": "variant", "actors": {"iran": {"decisions": {"iran_response": {"initial": "absorb"}}}}}
    jsonschema.validate(child, schema)  # no options, no cites: the merged scenario is checked on load
    for bad in ({"clock": {"horizon_days": "ninety"}}, {"variables": {"escalation": {"initial": "calm", "colour": "red"}}}):
        try:
            jsonschema.validate({**child, **bad}, schema)
        except jsonschema.ValidationError:
            pass
        else:
            raise AssertionError(f"the schema accepted {bad}")
    whole = {k: v for k, v in child.items() if k != "extends"}
    try:
        jsonschema.validate(whole, schema)  # without extends, a decision needs its options
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a scenario without extends validated with a decision that has no options")
