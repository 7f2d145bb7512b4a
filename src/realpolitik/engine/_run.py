"""Run an ensemble: sample, step, stream summaries and answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import numpy as np

from realpolitik.engine._intervention import Intervention
from realpolitik.engine._questions import QuestionTracker
from realpolitik.engine._results import Results, RunInfo
from realpolitik.engine._step import Streams, advance, initial_state
from realpolitik.engine._summaries import StepSummaries
from realpolitik.errors import Problem, ScenarioError
from realpolitik.scenario import Scenario

__all__ = ["run", "DEFAULT_BATCH_SIZE", "Progress", "package_version"]

#: Runs advanced together in one vectorised slice; bounds the size of temporaries.
DEFAULT_BATCH_SIZE = 65_536

#: ``progress(steps_done, steps_total)``, called after every step.
Progress = Callable[[int, int], None]


def package_version() -> str:
    """The installed realpolitik version (printed beside every number)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("realpolitik")
    except PackageNotFoundError:
        return "0+unknown"


def run(
    scenario: Scenario,
    *,
    runs: int = 10_000,
    seed: int = 0,
    horizon: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    keep_trajectories: int = 50,
    progress: Progress | None = None,
    intervention: Intervention | None = None,
    parameters: Mapping[str, np.ndarray] | None = None,
) -> Results:
    """Run the scenario's ensemble and answer its questions.

    The state of all runs is held at once (O(runs) per variable); each step advances
    it slice by slice of ``batch_size`` runs. Random numbers are keyed by (seed, run
    index), so the results are bit-identical for any ``batch_size``.

    Args:
        scenario: a loaded scenario.
        runs: number of Monte Carlo runs.
        seed: the seed of every random stream.
        horizon: days to simulate (default: the scenario's ``clock.horizon_days``);
            questions about later dates are answered ``beyond_horizon``.
        batch_size: runs advanced together.
        keep_trajectories: how many runs' whole paths to keep (the first ones).
        progress: called after every step with (done, total).
        intervention: changes to the runs (fixed parameters, forced decisions and
            events); the random numbers stay those of the baseline.
        parameters: parameter -> one value per run, used instead of the prior (a
            design of experiments); parameters not named are drawn as usual.

    Raises:
        ValueError: runs, seed, horizon or batch_size out of range, or a
            ``parameters`` array of the wrong length.
        ScenarioError: the intervention or ``parameters`` names what the scenario lacks.
        SimulationError: an expression produced a value the model cannot go on with.

    Example:
        >>> from realpolitik.scenario import load
        >>> r = run(load("default"), runs=200, seed=1, horizon=30)
        >>> 0.0 <= r.answer("Q3").estimate.value <= 1.0
        True
    """
    clock = scenario.spec.clock
    horizon_days = clock.horizon_days if horizon is None else int(horizon)
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    if not 0 <= seed < 2**63:
        raise ValueError(f"seed must be between 0 and 2**63 - 1, got {seed}")
    if horizon_days < 1:
        raise ValueError(f"the horizon must be at least 1 day, got {horizon_days}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    model = scenario.model
    compiled = (intervention or Intervention()).compile(model)
    if parameters is not None:
        _check_design(model, parameters, runs)
    streams = Streams.of(model)
    step_days = clock.step_days
    steps = horizon_days // step_days
    start_ordinal = clock.start.toordinal()
    all_runs = np.arange(runs, dtype=np.uint64)
    slices = [slice(lo, min(lo + batch_size, runs)) for lo in range(0, runs, batch_size)]

    state = {}
    for s in slices:
        design = None if parameters is None else {k: np.asarray(v)[s] for k, v in parameters.items()}
        part = initial_state(model, streams, seed, all_runs[s], start_ordinal, compiled, design)
        for name, values in part.items():
            state.setdefault(name, np.empty(runs, dtype=values.dtype))[s] = values
    dynamic = [v.name for v in model.variables] + [d.name for d in model.decisions] + [e.name for e in model.events]
    trackers = [QuestionTracker(q, runs, steps * step_days) for q in model.questions]
    summaries = StepSummaries(model, min(keep_trajectories, runs))

    def observe(step: int) -> None:
        day = step * step_days
        next_day = None if step == steps else day + step_days
        for s in slices:
            env = {name: values[s] for name, values in state.items()}
            env.update(step=float(step), day=float(day), today=float(start_ordinal + day))
            for t in trackers:
                t.observe(day, next_day, env, s)
        summaries.observe(day, state)

    observe(0)
    with np.errstate(all="ignore"):  # NaN and infinities are caught where values are written
        for step in range(1, steps + 1):
            day = step * step_days
            for s in slices:
                part = {name: values[s] for name, values in state.items()}
                advance(
                    model,
                    streams,
                    part,
                    seed=seed,
                    step=step,
                    day=day,
                    step_days=step_days,
                    today=start_ordinal + day,
                    runs=all_runs[s],
                    intervention=compiled,
                )
                for name in dynamic:
                    state[name][s] = part[name]
            observe(step)
            if progress is not None:
                progress(step, steps)

    info = RunInfo(
        scenario=scenario.label,
        scenario_name=scenario.name,
        sha256=scenario.sha256,
        seed=seed,
        runs=runs,
        horizon_days=horizon_days,
        step_days=step_days,
        start=clock.start,
        version=package_version(),
    )
    start_date: dt.date = clock.start
    return Results(
        info=info,
        answers=tuple(t.answer(start_date) for t in trackers),
        days=tuple(summaries.days),
        steps={k: np.asarray(v) for k, v in summaries.rows.items()},
        trajectories={k: np.stack(v) for k, v in summaries.trajectories.items()},
        aliases=dict(model.aliases),
        outcomes={t.q.name: t.outcome() for t in trackers},
        parameters={p.name: state[p.name] for p in model.parameters},
    )


def _check_design(model, parameters: Mapping[str, np.ndarray], runs: int) -> None:  # type: ignore[no-untyped-def]
    known = {p.name for p in model.parameters}
    for name, values in parameters.items():
        if name not in known:
            raise ScenarioError(Problem(f"no parameter {name!r} to set per run (parameters: {', '.join(sorted(known))})"))
        if np.shape(values) != (runs,):
            raise ValueError(f"parameter {name!r}: {np.shape(values)} values for {runs} runs")
        if not np.isfinite(np.asarray(values, dtype=np.float64)).all():
            raise ValueError(f"parameter {name!r}: the design holds a value that is not a finite number")
