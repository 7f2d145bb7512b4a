"""The JSON Schema of the scenario format, generated from the typed model.

The package ships it as ``realpolitik/schema/scenario.schema.json`` for editors and
other tools; a test keeps the shipped file equal to what the model generates.
Regenerate with ``python -m realpolitik.scenario._jsonschema``.

A file that ``extends`` another writes only what it changes (a decision's ``initial``
without its options, a variable's ``initial`` without its type): the loader checks
the merged scenario, not the file alone. So the schema has two forms: the whole
scenario, and for a file with ``extends`` the same shapes with nothing required
(unknown keys are still refused).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from realpolitik.scenario._schema import ScenarioSpec

__all__ = ["scenario_json_schema", "shipped_json_schema"]


#: Prefix of the definitions of the partial form (a file that extends another).
PARTIAL = "Partial"


def _partial(node: Any) -> Any:
    """``node`` with every ``required`` list dropped and every ``$ref`` to a definition
    pointing at that definition's partial form."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "required" and isinstance(value, list):
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = f"#/$defs/{PARTIAL}{value.removeprefix('#/$defs/')}"
            else:
                out[key] = _partial(value)
        return out
    if isinstance(node, list):
        return [_partial(v) for v in node]
    return node


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file: the whole scenario, or with
    ``extends`` the changes to another one (nothing required).

    Example:
        >>> import jsonschema
        >>> schema = scenario_json_schema()
        >>> child = {"realpolitik": 1, "extends": "default", "name": "variant",
        ...          "actors": {"iran": {"decisions": {"iran_response": {"initial": "absorb"}}}}}
        >>> jsonschema.validate(child, schema)  # a decision's initial alone
        >>> try:
        ...     jsonschema.validate({**child, "colour": "red"}, schema)
        ... except jsonschema.ValidationError as exc:
        ...     print("refused:", "colour" in exc.message)
        refused: True
    """
    whole = ScenarioSpec.model_json_schema()
    defs = whole.pop("$defs", {})
    partial_defs = {f"{PARTIAL}{name}": _partial(d) for name, d in defs.items()}
    root_title = whole.get("title", "ScenarioSpec")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "realpolitik scenario",
        "$defs": {**defs, root_title: whole, **partial_defs, f"{PARTIAL}{root_title}": _partial(whole)},
        "if": {"required": ["extends"], "properties": {"extends": {"type": "string"}}},
        "then": {"$ref": f"#/$defs/{PARTIAL}{root_title}"},
        "else": {"$ref": f"#/$defs/{root_title}"},
    }


def shipped_json_schema() -> dict[str, Any]:
    """The schema file that ships in the package."""
    text = (resources.files("realpolitik") / "schema" / "scenario.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "schema" / "scenario.schema.json"
    target.write_text(json.dumps(scenario_json_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")
