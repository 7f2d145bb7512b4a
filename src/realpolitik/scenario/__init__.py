"""Scenario files: the schema, loading with positions, validation and provenance checks."""

from realpolitik.scenario._load import (
    DEFAULT_SCENARIO,
    CheckReport,
    Scenario,
    bundled_scenarios,
    check,
    load,
    scenario_path,
)
from realpolitik.scenario._jsonschema import scenario_json_schema, shipped_json_schema
from realpolitik.scenario._model import Model, QuestionModel, VariableModel
from realpolitik.scenario._priors import prior_ppf
from realpolitik.scenario._provenance import CoverageRow, LocatorCheck, read_inventory
from realpolitik.scenario._schema import Question, ScenarioSpec

__all__ = [
    "DEFAULT_SCENARIO",
    "CheckReport",
    "CoverageRow",
    "LocatorCheck",
    "Model",
    "Question",
    "QuestionModel",
    "Scenario",
    "ScenarioSpec",
    "VariableModel",
    "bundled_scenarios",
    "check",
    "load",
    "prior_ppf",
    "read_inventory",
    "scenario_json_schema",
    "scenario_path",
    "shipped_json_schema",
]
