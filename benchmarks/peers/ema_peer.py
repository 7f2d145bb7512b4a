"""The benchmarks' reference model (peers/reference-model.yaml, the bundled scenario before its rebuild) run by the EMA Workbench, on the plain loop's model.

As an EMA user would set it up: the model is a Python function (the plain loop's
per-run model, ``plain_loop.run_once``) wrapped in an ``ema_workbench.Model``, with
the scenario's 40 parameters as ``RealParameter`` uncertainties (bounded by each
prior's support), the run's random seed as an ``IntegerParameter``, the horizon as a
``Constant`` and the nine outcomes as ``ScalarOutcome``s. The experiments run on
``MultiprocessingEvaluator`` (two processes by default: this machine's cores), one
task per experiment, as EMA schedules them, with the platform's default start method
(fork on Linux).

EMA would sample the uncertainties itself (Latin hypercube over each parameter's
range). Here it is given the plain loop's own draws as its scenarios instead: the
same priors, and run for run the same random stream as ``plain_loop.simulate`` for
the same seed, so the two give identical answers and the difference in time is the
framework's (``tests/test_bench_peers.py`` checks the identity).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import random
import warnings
from collections.abc import Iterator

import numpy as np

from realpolitik.scenario import prior_ppf

from ._common import PARAMETERS, PRIORS, QUESTIONS, draw_parameters, mean, proportion
from .plain_loop import run_once

with warnings.catch_warnings():  # EMA warns at import that its optional ipyparallel is missing
    warnings.simplefilter("ignore")
    import ema_workbench
    from ema_workbench import Constant, IntegerParameter, Model, MultiprocessingEvaluator, RealParameter, ScalarOutcome

__all__ = ["simulate", "crisis_model", "build_model"]

#: The smallest and largest uniform numbers a prior is evaluated at (its support here).
_U_MIN = 2.0**-53


def crisis_model(run_seed: int, steps: int, **parameters: float) -> dict[str, float]:
    """EMA's model function: one run of the plain loop's model, outcomes by name.

    ``run_seed`` seeds the run's ``random.Random`` exactly as ``plain_loop.simulate``
    does; its first draws gave the parameters (passed in), so they are skipped.
    """
    rng = random.Random(run_seed)
    for _ in PARAMETERS:
        rng.random()
    outcomes = run_once(parameters, rng, steps)
    return {name: float(value) for name, value in zip(QUESTIONS, outcomes)}


def _support(name: str) -> tuple[float, float]:
    """A parameter's range: its prior's inverse CDF at the extreme uniforms."""
    low, high = prior_ppf(PRIORS[name], np.array([_U_MIN, 1.0 - _U_MIN]))
    return float(low), float(high)


@contextlib.contextmanager
def _platform_start_method() -> Iterator[None]:
    """The platform's default way of starting worker processes (fork on Linux) for the
    duration: importing Mesa forces ``spawn`` on the whole process (its batchrunner
    does so at import), which would make every EMA worker re-import the benchmark."""
    previous = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(multiprocessing.get_all_start_methods()[0], force=True)
    try:
        yield
    finally:
        multiprocessing.set_start_method(previous, force=True)


def build_model(steps: int) -> Model:
    """The EMA model: uncertainties, the horizon as a constant, the nine outcomes."""
    model = Model("crisis", function=crisis_model)
    model.uncertainties = [RealParameter(name, *_support(name)) for name in PARAMETERS] + [
        IntegerParameter("run_seed", 0, 2**62)
    ]
    model.constants = [Constant("steps", steps)]
    model.outcomes = [ScalarOutcome(name) for name in QUESTIONS]
    return model


def simulate(runs: int, seed: int, steps: int = 180, *, processes: int = 2) -> dict[str, dict[str, float]]:
    """The scenario's nine answers at day ``steps``, each with its standard error.

    The plain loop's parameter draws for ``seed`` become EMA's scenarios; the pool of
    ``processes`` workers is started and closed inside the call, as in a script.
    """
    rngs = [random.Random(seed * 1_000_003 + run) for run in range(runs)]
    params = draw_parameters(np.array([[rng.random() for _ in PARAMETERS] for rng in rngs]))
    scenarios = [
        ema_workbench.Scenario(f"run{run}", run_seed=seed * 1_000_003 + run, **params[run]) for run in range(runs)
    ]
    with _platform_start_method(), MultiprocessingEvaluator(build_model(steps), n_processes=processes) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=scenarios, log_progress=True)
    order = np.argsort(experiments["run_seed"].to_numpy(), kind="stable")  # the runs' order, whatever EMA's
    answers = {}
    for name, kind in QUESTIONS.items():
        values = np.asarray(outcomes[name], dtype=np.float64)[order]
        if kind == "probability":
            answers[name] = proportion(int(values.sum()), runs)
        else:
            answers[name] = mean(values.tolist())
    return answers
