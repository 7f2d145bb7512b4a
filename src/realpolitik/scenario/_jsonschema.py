"""The JSON Schema of the scenario format, generated from the typed model.

The package ships it as ``realpolitik/schema/scenario.schema.json`` for editors and
other tools; a test keeps the shipped file equal to what the model generates.
Regenerate with ``python -m realpolitik.scenario._jsonschema``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from realpolitik.scenario._schema import ScenarioSpec

__all__ = ["scenario_json_schema", "shipped_json_schema"]


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    schema = ScenarioSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "realpolitik scenario"
    return schema


def shipped_json_schema() -> dict[str, Any]:
    """The schema file that ships in the package."""
    text = (resources.files("realpolitik") / "schema" / "scenario.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "schema" / "scenario.schema.json"
    target.write_text(json.dumps(scenario_json_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")
