"""Priors with provenance: each parameter's ``basis`` (data, passage, judgement), its
checks, the basis of a prior fitted by a posterior file, and what ``check`` and
``describe`` say of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import realpolitik
from realpolitik.cli import main
from realpolitik.errors import ScenarioError
from realpolitik.scenario import describe
from tests.scenario.minimal import MINIMAL

RATE = "rate: {prior: {dist: uniform, low: 0.01, high: 0.05}, cites: [M1]}"
SOURCES = "sources:\n  S1: {title: A note}\n"


def _with_rate(fields: str, sources: bool = False) -> str:
    assert RATE in MINIMAL
    text = MINIMAL.replace(RATE, "rate: {prior: {dist: uniform, low: 0.01, high: 0.05}, cites: [M1], " + fields + "}")
    return text.replace("clock:", SOURCES + "clock:", 1) if sources else text


def _errors(path: Path) -> list[str]:
    return [str(p) for p in realpolitik.check(path).problems if p.severity == "error"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("basis: data", r":6:9: parameters\.rate\.data: basis data needs 'data': \{file: "),
        ("basis: data, data: {file: shocks.csv}", r":6:\d+: parameters\.rate\.data: missing required key 'fit'"),
        ("basis: data, data: {file: shocks.csv, fit: ''}", r"parameters\.rate\.data\.fit: String should have at least 1 character"),
        ("basis: judgement, data: {file: shocks.csv, fit: a Poisson rate}", r"parameters\.rate\.data: 'data' says what a prior was fitted to: it goes with basis data \(this parameter's basis is judgement\)"),
        ("data: {file: shocks.csv, fit: a Poisson rate}", r"parameters\.rate\.data: .*basis is not declared"),
        ("basis: passage", r"parameters\.rate\.source: basis passage needs the parameter's 'source'"),
        ("basis: passage, source: S1", r"parameters\.rate\.locator: basis passage needs the parameter's 'locator'"),
        ("basis: guesswork", r":6:\d+: parameters\.rate\.basis: Input should be 'data', 'passage' or 'judgement'"),
    ],
)
def test_a_basis_without_what_it_rests_on_is_an_error_naming_the_field(write_scenario, fields: str, expected: str) -> None:
    path = write_scenario(_with_rate(fields, sources=True))
    errors = _errors(path)
    assert any(re.search(expected, e) for e in errors), errors
    assert all(e.startswith(str(path)) for e in errors)
    with pytest.raises(ScenarioError):
        realpolitik.load(path)


@pytest.mark.parametrize(
    ("fields", "basis", "file"),
    [
        ("basis: data, data: {file: shocks.csv, fit: 'a Poisson rate of shocks, 2010-2025'}", "data", "shocks.csv"),
        ("basis: passage, source: S1, locator: a shock a month", "passage", None),
        ("basis: judgement", "judgement", None),
        ("rationale: nothing declared", "judgement", None),
    ],
)
def test_each_basis_reaches_the_model_and_describe(write_scenario, fields: str, basis: str, file: str | None) -> None:
    scenario = realpolitik.load(write_scenario(_with_rate(fields, sources=True)))
    (rate,) = scenario.model.parameters
    declared = not fields.startswith("rationale")
    assert (rate.basis, rate.declared, rate.data.file if rate.data else None) == (basis, declared, file)
    (entry,) = describe(scenario).parameters
    assert (entry.basis, entry.source.declared) == (basis, declared)
    if declared:
        assert entry.source.kind == basis and entry.source.file == file


POSTERIOR = """\
realpolitik_posterior: 1
scenario: minimal
calibration: {method: ABC-SMC, rounds: [apr-2024, jun-2025], particles: 500}
parameters:
  rate:
    prior: {dist: beta, a: 2, b: 5, low: 0.01, high: 0.05}
"""


def test_a_prior_from_a_posterior_file_rests_on_its_calibration(tmp_path: Path) -> None:
    (tmp_path / "fit").mkdir()
    (tmp_path / "fit" / "posterior.yaml").write_text(POSTERIOR, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(_with_rate("basis: judgement").replace("name: minimal\n", "name: minimal\npriors: fit/posterior.yaml\n"), encoding="utf-8")
    (rate,) = realpolitik.load(path).model.parameters
    assert (rate.basis, rate.declared, rate.data.file) == ("data", True, "fit/posterior.yaml")
    assert rate.data.fit == "ABC-SMC posterior, fitted to rounds apr-2024, jun-2025 (500 particles)"
    (written,) = realpolitik.load(path, priors=False).model.parameters
    assert (written.basis, written.data) == ("judgement", None)
    assert realpolitik.check(path).bases == {"rate": "data"}


def test_check_counts_the_judgement_parameters_and_names_those_without_a_basis(write_scenario, capsys) -> None:
    text = _with_rate("basis: data, data: {file: shocks.csv, fit: a Poisson rate}")
    path = write_scenario(text.replace("cites: [M1], basis", "cites: [M1], basis").replace("\nvariables:", "\n  other: {value: 2}\n  third: {value: 3, basis: judgement}\nvariables:", 1))
    report = realpolitik.check(path)
    assert report.ok, report.problems
    assert report.bases == {"rate": "data", "other": "judgement", "third": "judgement"}
    assert (report.judgement, report.undeclared) == (["other", "third"], ("other",))
    assert report.to_dict()["undeclared"] == ["other"]
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 of 3 parameters rest on data, 0 on a passage, 2 on judgement" in out
    assert "note: 1 parameters declare no basis and count as judgement: other" in out
