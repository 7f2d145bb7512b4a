"""``realpolitik describe`` and ``realpolitik init``: tables, JSON, the starter file, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from realpolitik.cli import main
from realpolitik.cli._app import out
from realpolitik.scenario import describe, load
from tests.scenario.minimal import MINIMAL


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def narrow(monkeypatch):
    """A terminal 80 columns wide."""
    monkeypatch.setattr(out, "width", 80)


def test_describe_lists_every_section_with_the_flags_that_change_it(capsys, narrow) -> None:
    code, text, err = _cli(capsys, "describe")
    assert code == 0 and err == ""
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    scenario = load("default")
    spec = scenario.spec
    counts = {"actors": len(spec.actors), "decisions": len(scenario.model.decisions), "parameters": len(scenario.model.parameters), "variables": len(spec.variables), "events": len(spec.events), "indicators": len(spec.indicators), "questions": len(spec.questions)}
    assert counts["decisions"] >= 6 and counts["parameters"] >= 59 and counts["questions"] == 10
    for name, n in counts.items():
        assert any(line.startswith(f"{name} ({n})") for line in lines), name
    for p in scenario.model.parameters:  # whole on one line, to copy
        assert any(f"--set {p.name}=VALUE" in line for line in lines), p.name
    for d in scenario.model.decisions:
        assert f"{d.name}=OPTION[@DAY]" in text
        assert all(o.name in text for o in d.options)
    for e in scenario.model.events:
        assert f"{e.name}@DAY" in text
    assert 'results.answer("Q2")' in text and "uniform(6, 8.5)" in text
    assert "data:" in text and "benchmarks/results/reference-oil.jso" in text and "judgement" in text and "passage: S3:" in text


def test_describe_json_is_the_library_description(capsys) -> None:
    code, text, _ = _cli(capsys, "describe", "russia-iran-2026", "--json")
    assert code == 0
    data = json.loads(text)
    assert data == json.loads(json.dumps(describe(load("default")).to_dict()))
    assert data["scenario"]["label"] == "russia-iran-2026"
    hormuz = next(p for p in data["parameters"] if p["name"] == "hormuz_cost")
    assert hormuz["prior"] == {"distribution": "uniform", "low": 6.0, "high": 8.5, "text": "uniform(6, 8.5)"}
    assert (hormuz["low"], hormuz["high"], hormuz["default"], hormuz["set"]) == (6.0, 8.5, 7.25, "--set hormuz_cost=VALUE")


def test_describe_one_section(capsys, narrow) -> None:
    code, text, _ = _cli(capsys, "describe", "--section", "events")
    assert code == 0
    assert "events (16)" in text and "parameters (" not in text and "--set" not in text
    code, text, _ = _cli(capsys, "describe", "--section", "parameters", "--json")
    assert code == 0 and set(json.loads(text)) == {"scenario", "parameters"}


def test_describe_a_file_and_its_empty_sections(capsys, write_scenario) -> None:
    path = write_scenario(MINIMAL)
    code, text, _ = _cli(capsys, "describe", str(path))
    assert code == 0
    assert "--set rate=VALUE" in text and "--force stance=OPTION[@DAY]" in text and "--force-event shock@DAY" in text
    assert "indicators: none" in text
    assert f"realpolitik whatif {path}" in text


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["describe", "--section", "mechanisms"], 2, "--section: no section 'mechanisms'; choose one of actors, decisions"),
        (["describe", "no-such-scenario.yaml"], 1, "no such file"),
    ],
)
def test_describe_errors_are_one_line(capsys, args: list[str], code: int, message: str) -> None:
    got, text, err = _cli(capsys, *args)
    assert got == code and text == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_describe_a_broken_scenario_names_file_and_field(capsys, write_scenario) -> None:
    path = write_scenario(MINIMAL.replace("hazard: rate", "hazard: rte"))
    code, _, err = _cli(capsys, "describe", str(path))
    assert code == 1 and f"{path}:" in err and "events.shock.hazard" in err and "Traceback" not in err


def test_init_writes_a_starter_that_checks_and_runs(capsys, tmp_path: Path) -> None:
    code, text, _ = _cli(capsys, "init", "port-crisis", "--dir", str(tmp_path))
    path = tmp_path / "port-crisis.yaml"
    assert code == 0 and f"wrote {path}" in text and f"realpolitik check {path}" in text
    code, text, err = _cli(capsys, "check", str(path))
    assert code == 0 and text.rstrip().endswith(f"{path}: ok") and "warning" not in text + err
    code, text, err = _cli(capsys, "run", str(path), "--runs", "200", "--no-progress")
    assert code == 0, err
    assert "clashes_by_day_60 (Q1)" in text and "trade_at_horizon (Q2)" in text
    assert f"reproduce: realpolitik run {path} --runs 200" in text
    code, text, _ = _cli(capsys, "describe", str(path), "--json")
    assert code == 0 and json.loads(text)["scenario"]["name"] == "port-crisis"


def test_init_writes_in_the_current_folder_by_default(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = _cli(capsys, "init", "here.yaml")
    assert code == 0 and [p.name for p in tmp_path.iterdir()] == ["here.yaml"]
    assert load("here.yaml").name == "here"


def test_init_refuses_to_overwrite_unless_forced(capsys, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    code, text, err = _cli(capsys, "init", "mine", "--dir", str(tmp_path))
    assert code == 2 and text == ""
    assert err.strip() == f"error: {path} exists; choose another NAME or --dir, or give --force to overwrite it"
    assert path.read_text(encoding="utf-8") == "my own work\n"
    code, _, _ = _cli(capsys, "init", "mine", "--dir", str(tmp_path), "--force")
    assert code == 0 and load(path).name == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]


@pytest.mark.parametrize("name", ["../escape", "a/b", "my crisis", ".hidden", "", "x" * 65, "naïve", "con", "a;rm -rf"])
def test_init_refuses_a_bad_name_in_one_line(capsys, tmp_path: Path, name: str) -> None:
    code, text, err = _cli(capsys, "init", name, "--dir", str(tmp_path))
    assert code == 2 and text == ""
    assert err.startswith("error: NAME: ") and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent / "escape.yaml").exists()


def test_init_into_a_folder_that_is_not_there_is_a_usage_error(capsys, tmp_path: Path) -> None:
    code, _, err = _cli(capsys, "init", "crisis", "--dir", str(tmp_path / "nowhere"))
    assert code == 2 and "--dir" in err and "no such folder" in err and len(err.strip().splitlines()) == 1
