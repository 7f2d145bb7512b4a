"""Analyses over the engine: what-if comparisons, global sensitivity, scenario discovery."""

from realpolitik.analysis.whatif import Comparison, Delta, what_if

__all__ = ["Comparison", "Delta", "what_if"]
