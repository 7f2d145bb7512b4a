"""realpolitik: a geopolitical crisis as an explicit, sourced, stochastic system.

Example:
    >>> import realpolitik
    >>> scenario = realpolitik.load("default")
    >>> results = scenario.run(runs=500, seed=7, horizon=30)
    >>> results.answer("Q6").estimate.value < 0.5
    True
"""

from realpolitik.engine import Answer, Estimate, Results, run
from realpolitik.errors import ExpressionError, Problem, RealpolitikError, ScenarioError, SimulationError
from realpolitik.scenario import CheckReport, Scenario, check, load

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
