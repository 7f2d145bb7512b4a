"""The track record kept with the bundled scenario is what its recorded command gives,
on the scenario as it is, and ships with the package."""

from __future__ import annotations

import fnmatch
import json
import math
import re
import shlex
import time
from pathlib import Path
from typing import Any

import pytest

import realpolitik
import realpolitik.cli._validation  # noqa: F401  (registers the commands, as cli/__init__ does)
from realpolitik.cli import main
from realpolitik.report import track_record_path

ROOT = Path(__file__).resolve().parents[2]
#: The compiled and the NumPy step agree to 1e-9 relative, not to the bit.
RELATIVE = 1e-6
REFRESH = "write it again as docs/validation.md says (The track record in every report)"


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    path = track_record_path(realpolitik.load("default"))
    assert path is not None, "the bundled scenario has no track record beside it"
    return json.loads(path.read_text(encoding="utf-8"))


def _same(fresh: Any, kept: Any, where: str) -> None:
    """Equal structure and text; numbers equal to ``RELATIVE``."""
    if isinstance(kept, dict):
        assert isinstance(fresh, dict) and sorted(fresh) == sorted(kept), f"{where}: keys {sorted(fresh)} != {sorted(kept)}"
        for key in kept:
            _same(fresh[key], kept[key], f"{where}.{key}")
    elif isinstance(kept, list):
        assert isinstance(fresh, list) and len(fresh) == len(kept), f"{where}: {len(fresh)} items, kept {len(kept)}"
        for i, (a, b) in enumerate(zip(fresh, kept)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(kept, float) and not isinstance(kept, bool):
        assert isinstance(fresh, (int, float)) and math.isclose(fresh, kept, rel_tol=RELATIVE, abs_tol=1e-12), f"{where}: {fresh} != kept {kept}"
    else:
        assert fresh == kept, f"{where}: {fresh!r} != kept {kept!r}"


def test_the_track_record_was_scored_on_the_scenario_as_it_is(bundled: dict[str, Any]) -> None:
    meta = bundled["track_record"]
    scenario = realpolitik.load("russia-iran-2026")
    assert meta["scenario"] == "russia-iran-2026"
    assert meta["sha256"] == scenario.sha256, f"the scenario has changed since its track record was scored: {REFRESH}"
    assert meta["command"] == bundled["run"]["command"] + " --json"


def test_the_recorded_command_gives_the_kept_scores(bundled: dict[str, Any], shared_data: Path, capsys, monkeypatch) -> None:
    args = shlex.split(bundled["track_record"]["command"])
    assert args[:2] == ["realpolitik", "backtest"] and "--json" in args
    monkeypatch.chdir(ROOT)  # the command's data paths are relative to the project (../shared/data)
    started = time.perf_counter()
    code = main([*args[1:], "--no-progress"])
    seconds = time.perf_counter() - started
    captured = capsys.readouterr()
    assert code == 0, captured.err
    fresh = json.loads(captured.out)
    kept = {k: v for k, v in bundled.items() if k != "track_record"}
    fresh["run"].pop("version"), kept["run"].pop("version")  # a release does not change the scores
    _same(fresh, kept, "backtest")
    assert seconds < 120, f"the recorded command took {seconds:.0f} s: too slow to check on every run"


def test_the_track_record_ships_in_the_package() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    patterns = re.findall(r'"([^"]+)"', re.search(r"\[tool\.setuptools\.package-data\]\s*realpolitik\s*=\s*\[(.*?)\]", text, re.S).group(1))
    name = "scenarios/russia-iran-2026.track-record.json"
    assert any(fnmatch.fnmatch(name, p) for p in patterns), f"{name} is not package data (pyproject.toml: {patterns})"
