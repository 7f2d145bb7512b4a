"""realpolitik: a geopolitical crisis as an explicit, sourced, stochastic system.

Example:
    >>> import realpolitik
    >>> scenario = realpolitik.load("default")
    >>> results = scenario.run(runs=500, seed=7, horizon=30)
    >>> results.answer("Q6").estimate.value < 0.5
    True
"""

from typing import TYPE_CHECKING, Any

from realpolitik.errors import ExpressionError, Problem, RealpolitikError, ScenarioError, SimulationError

if TYPE_CHECKING:
    from realpolitik.engine import Answer, Estimate, Results, run
    from realpolitik.scenario import CheckReport, Scenario, check, load

# The engine and the scenario layer (NumPy, SciPy) are imported on first use, so that
# importing the package (the command line's entry point does) is light: a Ctrl-C
# while the command starts is then an interruption, not a traceback.
_LAZY = {
    "Answer": "realpolitik.engine",
    "Estimate": "realpolitik.engine",
    "Results": "realpolitik.engine",
    "run": "realpolitik.engine",
    "CheckReport": "realpolitik.scenario",
    "Scenario": "realpolitik.scenario",
    "check": "realpolitik.scenario",
    "load": "realpolitik.scenario",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'realpolitik' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

__all__ = [
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
