"""Scenario inheritance (``extends``) and named priors (``priors``): the merge, and
problems reported at the right file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import realpolitik
from realpolitik.errors import ScenarioError
from realpolitik.scenario._schema import Prior
from tests.scenario.minimal import MINIMAL


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _errors(path: Path) -> list[str]:
    return [str(p) for p in realpolitik.check(path).problems if p.severity == "error"]


@pytest.fixture
def parent(tmp_path: Path) -> Path:
    return _write(tmp_path, "parent.yaml", MINIMAL)


def test_child_overrides_and_inherits(tmp_path: Path, parent: Path) -> None:
    child = _write(
        tmp_path,
        "child.yaml",
        "extends: parent.yaml\nname: child\nclock: {start: 2026-02-01}\nvariables:\n  price: {initial: 50}\n",
    )
    s = realpolitik.load(child)
    assert s.name == "child"
    assert (s.spec.clock.start.isoformat(), s.spec.clock.horizon_days) == ("2026-02-01", 30)  # horizon inherited
    price = s.spec.variables["price"]
    assert price.initial == "50" and price.cites == ["V1"] and price.bounds == (0, 500)
    assert s.model.variable("price").initial.constant == 50
    assert s.spec.extends == "parent.yaml"


def test_null_deletes_and_new_keys_follow_the_parents(tmp_path: Path, parent: Path) -> None:
    text = (
        "extends: parent.yaml\nname: child\n"
        "questions:\n  price_end: null\n  flag_set: {kind: probability, text: 'flag set', condition: flag}\n"
        "mechanisms:\n  decay: {target: price, update: price * 0.99}\n"
    )
    s = realpolitik.load(_write(tmp_path, "child.yaml", text))
    assert list(s.spec.questions) == ["shocked", "flag_set"]
    assert [m.name for m in s.model.mechanisms] == ["drift", "decay"]


def test_a_prior_is_replaced_whole_and_replace_tag_replaces_a_mapping(tmp_path: Path, parent: Path) -> None:
    text = (
        "extends: parent.yaml\nname: child\n"
        "parameters:\n  rate: {prior: {dist: normal, mean: 0.03, sd: 0.01}}\n"
        "variables:\n  price: !replace {initial: 7}\n"
    )
    s = realpolitik.load(_write(tmp_path, "child.yaml", text))
    prior = s.spec.parameters["rate"].prior
    assert (prior.dist, prior.low, prior.high) == ("normal", None, None)
    assert s.spec.parameters["rate"].cites == ["M1"]
    price = s.spec.variables["price"]
    assert price.bounds is None and price.cites == [] and price.initial == "7"


def test_problems_point_at_the_file_and_line_of_their_text(tmp_path: Path) -> None:
    parent = _write(tmp_path / "base", "parent.yaml", MINIMAL.replace("hazard: rate", "hazard: rate + flagg"))
    child = _write(tmp_path, "child.yaml", "extends: base/parent.yaml\nname: child\nvariables:\n  price: {initial: prise}\n")
    errors = _errors(child)
    assert any(re.match(rf"{re.escape(str(child))}:4:20: variables\.price\.initial: unknown name 'prise'", e) for e in errors), errors
    assert any(e.startswith(f"{parent}:19:") and "unknown name 'flagg'" in e for e in errors), errors
    with pytest.raises(ScenarioError):
        realpolitik.load(child)


def test_a_deletion_that_breaks_the_parent_is_reported_in_the_parent(tmp_path: Path, parent: Path) -> None:
    child = _write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\nevents:\n  shock: null\n")
    errors = _errors(child)
    assert any(e.startswith(f"{parent}:") and "questions.shocked.condition: unknown name 'shock'" in e for e in errors), errors


@pytest.mark.parametrize(
    ("extends", "expected"),
    [
        ("missing.yaml", r"child\.yaml:1:10: extends: the parent scenario '.*missing\.yaml' does not exist"),
        ("no-such-bundled-name", r"child\.yaml:1:10: extends: no bundled scenario 'no-such-bundled-name' \(bundled: .*russia-iran-2026"),
        ("[1, 2]", r"child\.yaml:1:10: extends: extends takes a scenario file"),
    ],
)
def test_a_missing_parent_is_named_at_the_extends_line(tmp_path: Path, extends: str, expected: str) -> None:
    child = _write(tmp_path, "child.yaml", f"extends: {extends}\nname: child\nclock: {{start: 2026-01-01}}\n")
    errors = _errors(child)
    assert any(re.search(expected, e) for e in errors), errors


def test_a_circle_of_extends_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\nclock: {start: 2026-01-01}\n")
    b = _write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    errors = _errors(b)
    assert any("goes round in a circle" in e for e in errors), errors


def test_a_bundled_parent_by_name(tmp_path: Path) -> None:
    child = _write(tmp_path, "child.yaml", "extends: russia-iran-2026\nname: variant\nvariables:\n  brent: {initial: 80}\n")
    s = realpolitik.load(child)
    base = realpolitik.load("default")
    assert s.model.variable("V2").initial.constant == 80
    assert len(s.model.parameters) == len(base.model.parameters)
    assert s.sha256 != base.sha256


def test_parent_sources_stay_relative_to_the_parents_folder(tmp_path: Path) -> None:
    parent_text = MINIMAL.replace("name: minimal\n", "name: minimal\nsources:\n  S1: {file: texts/article.txt}\n").replace(
        "cites: [M1]}", "cites: [M1], source: S1, locator: the rate rose}"
    )
    _write(tmp_path / "base" / "texts", "article.txt", "Officials said the rate rose sharply.")
    _write(tmp_path / "base", "parent.yaml", parent_text)
    child = _write(tmp_path / "variants", "child.yaml", "extends: ../base/parent.yaml\nname: child\n")
    report = realpolitik.check(child)
    assert report.ok, report.problems
    assert [c.found for c in report.locators] == [True]


def test_the_hash_covers_the_parent(tmp_path: Path, parent: Path) -> None:
    child = _write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\n")
    before = realpolitik.load(child).sha256
    parent.write_text(MINIMAL.replace("initial: 100", "initial: 101"), encoding="utf-8")
    assert realpolitik.load(child).sha256 != before


POSTERIOR = """\
realpolitik_posterior: 1
scenario: minimal
calibration: {method: abc-smc}
parameters:
  rate:
    prior: {dist: beta, a: 2, b: 5, low: 0.01, high: 0.05}
    rationale: fitted
"""


def test_priors_replace_the_parameters_priors(tmp_path: Path) -> None:
    _write(tmp_path / "fit", "posterior.yaml", POSTERIOR)
    path = _write(tmp_path, "s.yaml", MINIMAL.replace("name: minimal\n", "name: minimal\npriors: fit/posterior.yaml\n"))
    s = realpolitik.load(path)
    rate = s.spec.parameters["rate"]
    assert (rate.prior.dist, rate.prior.a, rate.rationale, rate.cites) == ("beta", 2, "fitted", ["M1"])
    # a child inherits the parent's priors; the path stays relative to the parent
    child = _write(tmp_path / "variants", "child.yaml", "extends: ../s.yaml\nname: child\n")
    assert realpolitik.load(child).spec.parameters["rate"].prior.dist == "beta"


def test_priors_problems_point_at_the_posterior_file(tmp_path: Path) -> None:
    posterior = _write(tmp_path, "posterior.yaml", POSTERIOR.replace("  rate:", "  rte:") + "extra: 1\n")
    path = _write(tmp_path, "s.yaml", MINIMAL.replace("name: minimal\n", "name: minimal\npriors: posterior.yaml\n"))
    errors = _errors(path)
    assert any(e.startswith(f"{posterior}:5:3: parameters.rte:") and "not a parameter" in e for e in errors), errors
    assert any(e.startswith(f"{posterior}:8:1: extra:") for e in errors), errors
    missing = _write(tmp_path, "t.yaml", MINIMAL.replace("name: minimal\n", "name: minimal\npriors: nowhere.yaml\n"))
    assert any(re.search(r"t\.yaml:2:9: priors: the posterior file .*nowhere\.yaml' does not exist", e) for e in _errors(missing))


def test_an_impossible_posterior_prior_is_reported_in_the_posterior(tmp_path: Path) -> None:
    posterior = _write(tmp_path, "posterior.yaml", POSTERIOR.replace("a: 2", "a: -2"))
    path = _write(tmp_path, "s.yaml", MINIMAL.replace("name: minimal\n", "name: minimal\npriors: posterior.yaml\n"))
    errors = _errors(path)
    assert any(e.startswith(f"{posterior}:6:") and "a must be positive" in e for e in errors), errors


def test_with_priors_changes_only_the_named_parameters(write_scenario) -> None:
    s = realpolitik.load(write_scenario(MINIMAL))
    fitted = s.with_priors({"rate": Prior(dist="fixed", value=0.02)})
    r = fitted.run(runs=50, seed=1, horizon=2)
    assert set(r.parameters["rate"].tolist()) == {0.02}
    with pytest.raises(ScenarioError, match="no parameter 'nope'"):
        s.with_priors({"nope": Prior(dist="fixed", value=1)})


def test_a_scenario_names_its_calibration_and_can_ignore_it(write_scenario) -> None:
    # the bundled scenario as it was before its rebuild names a posterior (benchmarks/peers)
    model = str(Path(__file__).resolve().parents[2] / "benchmarks" / "peers" / "reference-model.yaml")
    calibrated = realpolitik.load(model)
    written = realpolitik.load(model, priors=False)
    assert calibrated.spec.priors == "reference-model.posterior.yaml"
    assert written.spec.parameters["fear_premium_per_level"].prior == Prior(dist="uniform", low=5, high=15)
    fitted = calibrated.spec.parameters["fear_premium_per_level"]
    assert fitted.prior.dist == "beta" and (fitted.prior.low, fitted.prior.high) == (5, 15)
    assert fitted.cites == ["M1"] and "Calibrated by ABC-SMC" in (fitted.rationale or "")
    assert calibrated.sha256 != written.sha256
    # a variant inherits the calibrated prior; without priors it keeps the written one
    child = write_scenario(f"extends: {model}\nname: child\n")
    assert realpolitik.load(child).spec.parameters["fear_premium_per_level"].prior == fitted.prior
    assert realpolitik.load(child, priors=False).spec.parameters["fear_premium_per_level"].prior.dist == "uniform"
