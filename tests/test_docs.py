"""The documentation stays true: every field is documented, and the examples run."""

from __future__ import annotations

import re
from pathlib import Path

import pydantic
import pytest

import realpolitik
from realpolitik.cli import app
from realpolitik.scenario import _schema

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = (ROOT / "docs" / "scenario-language.md").read_text(encoding="utf-8")


def _models() -> list[type[pydantic.BaseModel]]:
    return [m for m in vars(_schema).values() if isinstance(m, type) and issubclass(m, pydantic.BaseModel) and m.__module__ == _schema.__name__ and not m.__name__.startswith("_")]


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_every_field_of_the_format_is_documented(model: type[pydantic.BaseModel]) -> None:
    missing = [f for f in model.model_fields if f"`{f}`" not in LANGUAGE]
    assert not missing, f"{model.__name__}: fields missing from docs/scenario-language.md: {missing}"


def test_every_prior_distribution_is_documented() -> None:
    dists = _schema.Prior.model_fields["dist"].annotation.__args__  # type: ignore[union-attr]
    assert all(f"`{d}`" in LANGUAGE for d in dists)


def test_the_language_example_is_a_valid_scenario(tmp_path: Path) -> None:
    example = re.findall(r"```yaml\n(.*?)```", LANGUAGE, re.S)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    scenario = realpolitik.load(path)
    results = scenario.run(runs=200, seed=0)
    assert 0 <= results.answer("Q1").estimate.value <= 1


def test_every_command_and_option_is_documented() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8") + "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"realpolitik {name}" in text, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in text, f"{name} {opt}"
