"""Hostile YAML: alias bombs, deep nesting and huge files are refused with one clear
problem, in bounded time and memory, by every loader that reads YAML."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest

import realpolitik
from realpolitik.engine import Intervention
from realpolitik.errors import DataError, ScenarioError
from realpolitik.scenario import check
from realpolitik.scenario._yaml import MAX_YAML_DEPTH, MAX_YAML_VALUES
from realpolitik.validation import read_episodes


def _bomb(levels: int, width: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [6, 7, 9])
def test_an_alias_bomb_is_refused_at_its_line_without_expanding_it(tmp_path: Path, levels: int) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb(levels) + "name: bomb\nclock: {start: 2026-01-01}\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ScenarioError) as refused:  # check, like load, cannot read such a file at all
        check(path)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    [problem] = refused.value.problems
    assert f"more than {MAX_YAML_VALUES:,} values" in problem.message and problem.file == str(path) and problem.line is not None
    assert grown_mib < 300  # 9**9 values would take gigabytes


def test_nesting_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    for depth in (MAX_YAML_DEPTH + 5, 1000, 5000):
        path = tmp_path / f"deep{depth}.yaml"
        path.write_text("x: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
        with pytest.raises(ScenarioError, match="nest"):
            realpolitik.load(path)


def test_a_file_larger_than_the_limit_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    sparse = tmp_path / "huge.yaml"
    with sparse.open("wb") as f:
        f.truncate(3 * 2**30)  # 3 GB of holes: reading it whole would take seconds and gigabytes
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ScenarioError, match="larger than 5,000,000 bytes"):
        realpolitik.load(sparse)
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 100
    if os.path.exists("/dev/zero"):
        with pytest.raises(ScenarioError, match="larger than"):
            realpolitik.load("/dev/zero")


def test_intervention_and_episode_files_are_bounded_too(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_bomb(7), encoding="utf-8")
    with pytest.raises(ScenarioError, match="values"):
        Intervention.from_file(bomb)
    with pytest.raises(DataError, match="values"):
        read_episodes(bomb)


def test_inventory_keys_that_are_not_ids_are_listed_not_a_crash(tmp_path: Path) -> None:
    # found by tests/test_fuzz.py: an inventory key without letters and a number crashed the coverage's sort
    path = tmp_path / "s.yaml"
    path.write_text('name: s\nclock: {start: 2026-01-01}\ninventory: {file: x, V: y, Vx: z, "": w, V1: ok}\nvariables:\n  x: {initial: 1, cites: [V1]}\n', encoding="utf-8")
    report = check(path)
    assert [row.id for row in report.coverage][0] == "V1"
    assert {row.id for row in report.coverage} == {"V1", "V", "Vx", "file", ""}
