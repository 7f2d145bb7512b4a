"""Run an ensemble: sample, step, stream summaries and answers."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from realpolitik.engine._backends import Backend, use_backend
from realpolitik.engine._intervention import Intervention
from realpolitik.engine._questions import QuestionTracker
from realpolitik.engine._results import Results, RunInfo, effective_runs
from realpolitik.engine._shard import Job, Origin, Score, questions_from
from realpolitik.engine._summaries import merge_summaries
from realpolitik.errors import Problem, ScenarioError
from realpolitik.scenario import Scenario

__all__ = ["run", "DEFAULT_BATCH_SIZE", "MAX_HORIZON_DAYS", "Progress", "package_version"]

#: The most runs in one shard; bounds the memory of the state.
DEFAULT_BATCH_SIZE = 65_536

#: The longest horizon a run may have, in days (a century: per-step summaries grow
#: with the steps).
MAX_HORIZON_DAYS = 36_500

#: ``progress(done, total)`` in shard-steps, called as shards advance.
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
    backend: str | Backend | None = None,
    workers: int | None = None,
    address: str | None = None,
    scores: Sequence[Score] = (),
    origin: Origin | None = None,
    conditioning: Mapping[str, Any] | None = None,
) -> Results:
    """Run the scenario's ensemble and answer its questions.

    Runs are simulated in shards of at most ``batch_size`` runs (O(shard) state
    each); what the answers need (each run's question outcomes and parameters, the
    shards' parts of the per-step summaries) is merged exactly. Random numbers are
    keyed by (seed, run index), so the results are bit-identical for any
    ``batch_size``, worker count or cluster, given the same step (``numpy``, or
    ``numba``, which agrees with it to 1e-9 relative).

    Args:
        scenario: a loaded scenario.
        runs: number of Monte Carlo runs.
        seed: the seed of every random stream.
        horizon: days to simulate (default: the scenario's ``clock.horizon_days``);
            questions about later dates are answered ``beyond_horizon``.
        batch_size: the most runs in one shard (bounds the memory of the state).
        keep_trajectories: how many runs' whole paths to keep (the first ones).
        progress: called after every step with (done, total).
        intervention: changes to the runs (fixed parameters, forced decisions and
            events); the random numbers stay those of the baseline.
        parameters: parameter -> one value per run, used instead of the prior (a
            design of experiments); parameters not named are drawn as usual.
        backend: ``auto`` (default: ``numba`` when installed and the ensemble is
            big enough to repay loading it, else ``numpy``),
            ``numpy``, ``numba``, ``ray``, or a backend object from
            :func:`realpolitik.engine.backend` (kept open: reuse it across runs).
        workers, address: for ``ray``: worker processes, and a cluster to join.
        scores: per-run sums to accumulate over the steps (``Results.scores``).
        origin: the state every run goes on from (a filtered ensemble on an as-of
            date, from :func:`realpolitik.inference.condition`) instead of the
            scenario's start; the horizon, the questions' days and the
            intervention's days then count from it.
        conditioning: what the origin was conditioned on, for ``Results.conditioning``
            (plain data: the as-of date, observations used and ignored, diagnostics).

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
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValueError(f"the horizon must be from 1 to {MAX_HORIZON_DAYS:,} days, got {horizon_days:,}")
    if (dt.date.max - clock.start).days < horizon_days + (0 if origin is None else origin.step * clock.step_days):
        raise ValueError(f"a horizon of {horizon_days:,} days from {clock.start.isoformat()} runs past the calendar's last day (9999-12-31)")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    model = scenario.model
    if intervention is not None:
        intervention.compile(model)  # errors in the intervention before any work starts
    if parameters is not None:
        _check_design(model, parameters, runs)
    start_date: dt.date = clock.start
    if origin is not None:
        if parameters is not None:
            raise ValueError("a design of parameters and an origin cannot be combined: the origin's runs carry their parameters")
        lengths = {len(v) for v in origin.state.values()}
        if lengths != {runs}:
            raise ValueError(f"the origin holds {sorted(lengths)} runs; run it with runs={sorted(lengths)[0]}")
        if intervention is not None:
            intervention = intervention.shifted(origin.step * clock.step_days)
        start_date = clock.start + dt.timedelta(days=origin.step * clock.step_days)
    _check_memory(model, runs, len(scores), horizon_days // clock.step_days, min(keep_trajectories, runs))
    questions = None if origin is None else questions_from(scenario, origin.step * clock.step_days)
    job = Job(scenario, runs, seed, horizon_days // clock.step_days, clock.step_days, keep_trajectories, intervention, tuple(scores), origin, questions)
    with use_backend(backend, workers=workers, address=address) as chosen:
        bounds = chosen.bounds(runs, batch_size)
        designs = [None if parameters is None else {k: np.asarray(v)[lo:hi] for k, v in parameters.items()} for lo, hi in bounds]
        shards = chosen.simulate(job, bounds, designs, progress)
        step = chosen.step_used(job)
        # while the backend is open: a cluster's workers hold the quantile sample
        rows, trajectories = merge_summaries(model, [s.summaries for s in shards], runs)
    trackers = [QuestionTracker.concatenate([s.trackers[i] for s in shards]) for i in range(len(job.questions))]
    steps = job.steps
    step_days = clock.step_days
    days = tuple(range(0, steps * step_days + 1, step_days))

    info = RunInfo(
        scenario=scenario.label,
        scenario_name=scenario.name,
        sha256=scenario.sha256,
        seed=seed,
        runs=runs,
        horizon_days=horizon_days,
        step_days=step_days,
        start=start_date,
        version=package_version(),
        step=step,
        conditioning=_options(conditioning),
    )
    return Results(
        info=info,
        answers=tuple(t.answer(start_date, days, effective_runs(conditioning, runs), None if origin is None else origin.lineage) for t in trackers),
        days=days,
        steps=rows,
        trajectories=trajectories,
        aliases=dict(model.aliases),
        outcomes={t.q.name: t.outcome() for t in trackers},
        checkpoint_outcomes={t.q.name: {d: t.outcome(d) for d in t.checkpoints} for t in trackers if not t.beyond},
        parameters={p.name: np.concatenate([s.parameters[p.name] for s in shards]) for p in model.parameters},
        scores={sc.name: np.concatenate([s.scores[sc.name] for s in shards]) for sc in scores},
        conditioning=dict(conditioning) if conditioning is not None else None,
        lineage=None if origin is None else origin.lineage,
    )


def _options(conditioning: Mapping[str, Any] | None) -> str:
    """The command-line options that reproduce the conditioning (``--as-of``, ...)."""
    return "" if conditioning is None else str(conditioning.get("options", ""))


def _check_memory(model, runs: int, scores: int, steps: int = 0, kept: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Fail at once, not hours in, when the results cannot fit in memory.

    The merged results keep 8 bytes per run for every parameter, score and question
    date (and the shards hold as much again while they are merged), and per step a
    dozen statistics of every element and the kept runs' paths."""
    per_run = len(model.parameters) + scores + sum(2 + len(q.checkpoints) for q in model.questions)
    elements = len(model.variables) + len(model.decisions) + len(model.events) + len(model.parameters)
    per_step = elements * (16 + kept)
    needed = 2 * 8 * per_run * runs + 2 * 8 * per_step * (steps + 1)
    try:
        available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not on this platform: let the allocations tell
        return
    if needed > available:
        raise MemoryError(f"{runs:,} runs need about {needed / 2**30:,.1f} GiB for their results; this machine has {available / 2**30:,.1f} GiB")


def _check_design(model, parameters: Mapping[str, np.ndarray], runs: int) -> None:  # type: ignore[no-untyped-def]
    known = {p.name for p in model.parameters}
    for name, values in parameters.items():
        if name not in known:
            raise ScenarioError(Problem(f"no parameter {name!r} to set per run (parameters: {', '.join(sorted(known))})"))
        if np.shape(values) != (runs,):
            raise ValueError(f"parameter {name!r}: {np.shape(values)} values for {runs} runs")
        if not np.isfinite(np.asarray(values, dtype=np.float64)).all():
            raise ValueError(f"parameter {name!r}: the design holds a value that is not a finite number")
