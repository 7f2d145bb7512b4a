"""The ensemble engine: state arrays, the step loop, random streams, answers."""

from realpolitik.engine._backends import BACKENDS, Backend, backend, numba_available, use_backend
from realpolitik.engine._intervention import ForcedEvent, ForcedOption, Intervention
from realpolitik.engine._questions import Answer, Checkpoint, Estimate, OverTime, Z95, effective_over_lineages, mean_estimate, pick_question, sorted_quantiles
from realpolitik.engine._random import stream_key, uniforms
from realpolitik.engine._results import Results, RunInfo
from realpolitik.engine._shard import Origin, Score
from realpolitik.engine._run import DEFAULT_BATCH_SIZE, package_version, run

__all__ = [
    "BACKENDS",
    "DEFAULT_BATCH_SIZE",
    "Backend",
    "Answer",
    "Checkpoint",
    "Estimate",
    "ForcedEvent",
    "ForcedOption",
    "Intervention",
    "Results",
    "RunInfo",
    "Origin",
    "OverTime",
    "Score",
    "backend",
    "effective_over_lineages",
    "mean_estimate",
    "numba_available",
    "package_version",
    "pick_question",
    "run",
    "sorted_quantiles",
    "stream_key",
    "uniforms",
    "use_backend",
    "Z95",
]
