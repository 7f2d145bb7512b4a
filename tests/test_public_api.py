"""The public surface is pinned, and the README's Python example runs."""

from __future__ import annotations

import re
from pathlib import Path

import realpolitik

ROOT = Path(__file__).resolve().parent.parent


def test_public_names_are_pinned() -> None:
    assert sorted(realpolitik.__all__) == [
        "Answer",
        "CheckReport",
        "Estimate",
        "ExpressionError",
        "Problem",
        "RealpolitikError",
        "Results",
        "Scenario",
        "ScenarioError",
        "SimulationError",
        "check",
        "load",
        "run",
    ]
    for name in realpolitik.__all__:
        assert hasattr(realpolitik, name)


def test_readme_python_example_runs(capsys) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks, "the README has no Python example"
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})  # the README's own example, not user input
    out = capsys.readouterr().out
    assert "realpolitik run russia-iran-2026 --runs 2000 --seed 1 --horizon 90" in out


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)```", readme, re.S)[:2]
    assert "realpolitik run" in commands[0] and "pip install" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci and "python -m pytest" in commands[1]
