"""A scenario's sources cannot carry a file from outside its tree into the report
(issue 19, kind 14): such a source is marked and named, and its text is never read,
unless the user allows its folder with ``--allow-path``."""

from __future__ import annotations

import html
import pathlib
import re
from pathlib import Path

import pytest

import realpolitik
from realpolitik.brief import write_brief
from realpolitik.cli import main
from realpolitik.report import build_report
from tests.scenario.minimal import MINIMAL

SECRET = "secret-token-4242 belongs to nobody"


def _scenario(folder: Path, file: str) -> Path:
    text = MINIMAL.replace("name: minimal\n", f"name: minimal\nsources:\n  S1: {{file: {file!r}, title: Leaked}}\n").replace(
        "cites: [M1]}", "cites: [M1], source: S1, locator: secret-token-4242}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A project folder and, beside it, a folder holding a file the scenario must not read."""
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "notes.txt").write_text(f"Some words before. {SECRET}. Some words after.", encoding="utf-8")
    return tmp_path / "project", outside


def _section(page: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', page, re.S)
    assert match, name
    return match.group(1)


@pytest.mark.parametrize("how", ["absolute", "dot-dot", "link"])
def test_the_report_never_reads_a_source_outside_the_scenarios_tree(layout: tuple[Path, Path], how: str, monkeypatch) -> None:
    project, outside = layout
    secret = outside / "notes.txt"
    file = {"absolute": str(secret), "dot-dot": "../private/notes.txt", "link": "texts/notes.txt"}[how]
    if how == "link":
        (project / "texts").mkdir(parents=True)
        (project / "texts" / "notes.txt").symlink_to(secret)
    scenario = realpolitik.load(_scenario(project, file))
    results = scenario.run(runs=20, seed=0)
    opened: list[Path] = []
    original = pathlib.Path.open

    def spy(self: pathlib.Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        opened.append(self.resolve())
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pathlib.Path, "open", spy)
    page = build_report(results, scenario)
    assert secret.resolve() not in opened
    assert "secret-token-4242 belongs" not in page and "Some words before" not in page
    assumptions = _section(page, "assumptions")
    assert "source not reachable" in assumptions and "<mark>" not in assumptions
    monkeypatch.undo()
    # allowed on the command line, the passage is shown
    allowed = build_report(results, scenario, allow=[outside])
    assert "<mark>secret-token-4242</mark>" in html.unescape(_section(allowed, "assumptions")).replace("<wbr>", "")
    assert "--allow-path" in allowed


def test_the_assumption_rows_say_outside(layout: tuple[Path, Path]) -> None:
    from realpolitik.report._assumptions import assumptions, sources

    project, outside = layout
    scenario = realpolitik.load(_scenario(project, str(outside / "notes.txt")))
    files = scenario.read_sources()
    assert files["S1"].outside and files["S1"].text is None
    rows = {a.path: a for a in assumptions(scenario.spec, files)}
    assert rows["parameters.rate"].status == "outside" and rows["parameters.rate"].passage is None
    [row] = sources(scenario.spec, files)
    assert (row.reachable, row.outside) == (False, True)


def test_write_brief_names_the_source_it_left_out(layout: tuple[Path, Path], tmp_path: Path) -> None:
    project, outside = layout
    path = _scenario(project, "../private/notes.txt")
    scenario = realpolitik.load(path)
    brief = write_brief(scenario, tmp_path / "brief.html", runs=20, samples=0)
    [warning] = brief.warnings
    assert warning.severity == "warning" and warning.path == "sources.S1.file" and warning.file == str(path) and warning.line == 3
    assert "'S1'" in warning.message and "notes.txt" in warning.message and "--allow-path" in warning.message
    assert SECRET not in brief.path.read_text(encoding="utf-8")
    assert write_brief(scenario, tmp_path / "allowed.html", runs=20, samples=0, allow=[outside]).warnings == ()


def test_report_and_check_take_allow_path_on_the_command_line(layout: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    project, outside = layout
    path = str(_scenario(project, "../private/notes.txt"))
    out = tmp_path / "r.html"
    code = main(["report", path, "-o", str(out), "--runs", "20", "--samples", "0", "--no-progress"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "warning:" in captured.err and "'S1'" in captured.err and "notes.txt" in captured.err
    assert SECRET not in out.read_text(encoding="utf-8")
    code = main(["report", path, "-o", str(out), "--runs", "20", "--samples", "0", "--no-progress", "--allow-path", str(outside)])
    captured = capsys.readouterr()
    assert code == 0 and "warning:" not in captured.err
    assert "secret-token-4242" in out.read_text(encoding="utf-8")
    # check: an error without --allow-path, clean with it, a usage error for a folder that does not exist
    assert main(["check", path]) == 1
    assert "outside the folders this scenario may read" in capsys.readouterr().out
    assert main(["check", path, "--allow-path", str(outside)]) == 0
    capsys.readouterr()
    assert main(["check", path, "--allow-path", str(tmp_path / "nowhere")]) == 2
    assert "--allow-path" in capsys.readouterr().err
