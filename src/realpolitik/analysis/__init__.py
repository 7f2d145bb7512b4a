"""Analyses over the engine: what-if comparisons, global sensitivity, scenario discovery,
and the share of each answer that rests on judgement."""

from realpolitik.analysis.discovery import Box, Discovery, PeelStep, Rule, classification_tree, discover, prim
from realpolitik.analysis.provenance import JudgementShare, JudgementShares, judgement_shares
from realpolitik.analysis.sensitivity import (
    MorrisIndices,
    QuestionSensitivity,
    SensitivityResult,
    SobolIndices,
    morris_indices,
    sensitivity,
    sobol_indices,
)
from realpolitik.analysis.whatif import CheckpointDelta, Comparison, Delta, PathDelta, what_if

__all__ = [
    "Box",
    "CheckpointDelta",
    "Comparison",
    "Delta",
    "Discovery",
    "JudgementShare",
    "JudgementShares",
    "MorrisIndices",
    "PathDelta",
    "PeelStep",
    "QuestionSensitivity",
    "Rule",
    "SensitivityResult",
    "SobolIndices",
    "classification_tree",
    "discover",
    "judgement_shares",
    "morris_indices",
    "prim",
    "sensitivity",
    "sobol_indices",
    "what_if",
]
