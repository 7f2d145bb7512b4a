"""Scenario files: the schema, loading with positions, validation and provenance checks."""

from realpolitik.scenario._describe import Description, describe, write_starter
from realpolitik.scenario._reach import SECTION_KINDS
from realpolitik.scenario._jsonschema import scenario_json_schema, shipped_json_schema
from realpolitik.scenario._load import (
    DEFAULT_SCENARIO,
    CheckReport,
    Scenario,
    bundled_scenarios,
    check,
    extends_target,
    load,
    scenario_path,
)
from realpolitik.scenario._model import EventTermsModel, IndicatorModel, Model, ParameterModel, QuestionModel, VariableModel
from realpolitik.scenario._priors import prior_ppf
from realpolitik.scenario._provenance import (
    CoverageRow,
    LocatorCheck,
    check_locators,
    find_source,
    normalise_text,
    read_inventory,
)
from realpolitik.scenario._resolve import elements
from realpolitik.scenario._schema import BASES, PLOVER_TYPES, ContextNote, DataBasis, Prior, Question, ScenarioSpec
from realpolitik.scenario._yaml import format_path, read_text_file, read_yaml

__all__ = [
    "BASES",
    "DEFAULT_SCENARIO",
    "PLOVER_TYPES",
    "SECTION_KINDS",
    "CheckReport",
    "ContextNote",
    "CoverageRow",
    "DataBasis",
    "Description",
    "EventTermsModel",
    "IndicatorModel",
    "LocatorCheck",
    "Model",
    "ParameterModel",
    "Prior",
    "Question",
    "QuestionModel",
    "Scenario",
    "ScenarioSpec",
    "VariableModel",
    "bundled_scenarios",
    "check",
    "check_locators",
    "describe",
    "elements",
    "extends_target",
    "find_source",
    "format_path",
    "load",
    "normalise_text",
    "prior_ppf",
    "read_inventory",
    "read_text_file",
    "read_yaml",
    "scenario_json_schema",
    "scenario_path",
    "shipped_json_schema",
    "write_starter",
]
