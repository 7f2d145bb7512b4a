"""Shards: a contiguous range of runs simulated on their own, and their exact merge.

A shard holds O(its runs) state while it steps and gives back what the ensemble's
answers need: each run's question outcomes and parameters, and its part of the
per-step summaries (see ``_summaries``). Every random number is keyed by the run's
global index, so a run's path does not depend on the shard it is in; merging the
shards in run order gives the same bits whatever the shard boundaries, the number of
workers or the machine they ran on.

Shards cross process and machine boundaries as Parquet (:func:`to_parquet`,
:func:`from_parquet`). A shard's piece of the quantile sample stays where it was
simulated: only its sketch crosses, and later the window the merge asks for
(:func:`window_to_parquet`, :func:`window_from_parquet`; see ``_selection``).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from realpolitik.engine._intervention import CompiledIntervention, Intervention
from realpolitik.engine._questions import QuestionTracker
from realpolitik.engine._selection import RemotePiece, Window
from realpolitik.engine._step import Streams, advance, initial_state
from realpolitik.engine._summaries import ShardSummaries
from realpolitik.expr import Expression
from realpolitik.scenario import Model, Scenario

__all__ = [
    "Score",
    "Origin",
    "questions_from",
    "Job",
    "Prepared",
    "Shard",
    "prepare",
    "simulate",
    "to_parquet",
    "from_parquet",
    "window_to_parquet",
    "window_from_parquet",
    "shard_bounds",
]

#: How shards' Parquet files are compressed: not at all (the columns are simulated
#: floats, which compress little; decompressing is time the driver, which reads every
#: shard in turn, cannot share out).
PARQUET_COMPRESSION = "none"

#: ``tick(steps)``: called as a shard advances by ``steps`` steps.
Tick = Callable[[int], None]


@dataclass(frozen=True)
class Score:
    """A per-run sum over the steps of a condition-dependent amount: at step ``s``
    each run adds ``if_true[s]`` where ``condition`` holds, else ``if_false[s]``.

    The inference layer builds one per indicator (log-likelihoods of the reports
    seen and not seen); the engine only adds them up, shard by shard.
    """

    name: str
    condition: Expression
    if_true: np.ndarray
    if_false: np.ndarray


@dataclass(frozen=True)
class Origin:
    """Where an ensemble goes on from: the state of every run after ``step`` steps
    from the scenario's start (a filtered ensemble on its as-of date, see
    ``inference.condition``), instead of drawing the runs afresh.

    The runs go on with the steps after ``step`` (the step, day and date each
    expression sees are counted from the scenario's start, so a run's random numbers
    do not repeat those of the steps before); questions, summaries and interventions
    count their days from the origin.

    Attributes:
        step: how many steps the state is from the scenario's start.
        state: element -> one value per run (all the runs of the ensemble).
        lineage: per run, the run of the start its history descends from (its
            ancestor before any resampling), or None when each run is its own; runs
            of one lineage are correlated, so the answers' errors count lineages.
    """

    step: int
    state: Mapping[str, np.ndarray]
    lineage: np.ndarray | None = None


def questions_from(scenario: Scenario, offset: int) -> tuple[Any, ...]:
    """The scenario's questions with their days counted from ``offset`` days after the
    start (an origin's date): a day in the file (e.g. ``checkpoints: [30]``) counts
    from there; a date stays that date (checkpoints before the origin are dropped, a
    main date before it becomes the origin's date)."""
    import dataclasses
    import datetime as dt

    if offset == 0:
        return scenario.model.questions
    start = scenario.spec.clock.start
    out = []
    for q in scenario.model.questions:
        spec = scenario.spec.questions.get(q.name)
        day = q.day
        main = None if spec is None else (spec.at if spec.at is not None else spec.by)
        if day is not None and isinstance(main, dt.date):
            day = max(day - offset, 0)
        checkpoints = []
        for c in spec.checkpoints if spec is not None else q.checkpoints:
            d = (c - start).days - offset if isinstance(c, dt.date) else int(c)
            if d >= 0:
                checkpoints.append(d)
        out.append(dataclasses.replace(q, day=day, checkpoints=tuple(sorted(set(checkpoints)))))
    return tuple(out)


@dataclass(frozen=True)
class Job:
    """What every shard of one ensemble shares (picklable: shipped to cluster workers)."""

    scenario: Scenario
    runs: int
    seed: int
    steps: int
    step_days: int
    keep: int
    intervention: Intervention | None = None
    scores: tuple[Score, ...] = ()
    origin: Origin | None = None
    #: the questions the shards answer, their days counted from the origin (default:
    #: the scenario's)
    shifted_questions: tuple[Any, ...] | None = None

    @property
    def questions(self) -> tuple[Any, ...]:
        """The questions the shards answer."""
        return self.scenario.model.questions if self.shifted_questions is None else self.shifted_questions

    @property
    def horizon_day(self) -> int:
        return self.steps * self.step_days


@dataclass(frozen=True)
class Prepared:
    """A job made ready to simulate in one process: compiled intervention and step."""

    job: Job
    model: Model
    streams: Streams
    intervention: CompiledIntervention
    step: Callable[..., None]  # advance(state, *, seed, step, day, step_days, today, runs)
    #: the compiled step's ``start`` (same arguments; returns a pending step to
    #: ``commit``), so that a step's state is summarised while the next is computed
    start: Callable[..., Any] | None = None


def prepare(job: Job, stepper: str = "numpy") -> Prepared:
    """Compile what every shard of ``job`` needs, for the ``numpy`` or ``numba`` step."""
    model = job.scenario.model
    compiled = (job.intervention or Intervention()).compile(model)
    streams = Streams.of(model)
    if stepper == "numba":
        from realpolitik.engine._numba import CompiledStep

        compiled_step = CompiledStep.build(model, streams, compiled)
        return Prepared(job, model, streams, compiled, compiled_step.advance, compiled_step.start)
    if stepper == "numpy":

        def step(state: dict[str, np.ndarray], **kw: int) -> None:
            advance(model, streams, state, intervention=compiled, **kw)  # type: ignore[arg-type]

    else:
        raise ValueError(f"unknown stepper {stepper!r} (numpy, numba)")
    return Prepared(job, model, streams, compiled, step)


@dataclass
class Shard:
    """What runs ``lo`` to ``hi`` contribute to the ensemble's results."""

    lo: int
    hi: int
    trackers: list[QuestionTracker]
    parameters: dict[str, np.ndarray]
    summaries: ShardSummaries
    scores: dict[str, np.ndarray]


def shard_bounds(runs: int, size: int) -> list[tuple[int, int]]:
    """Consecutive ranges of at most ``size`` runs covering ``0..runs``."""
    return [(lo, min(lo + size, runs)) for lo in range(0, runs, size)]


def simulate(
    prepared: Prepared,
    lo: int,
    hi: int,
    design: Mapping[str, np.ndarray] | None = None,
    tick: Tick | None = None,
) -> Shard:
    """Simulate runs ``lo`` to ``hi`` over the job's steps.

    Args:
        design: parameter -> one value per run of this shard, used instead of the prior.
        tick: called with 1 after every step.
    """
    job, model = prepared.job, prepared.model
    clock = job.scenario.spec.clock
    start = clock.start.toordinal()
    n = hi - lo
    runs = np.arange(lo, hi, dtype=np.uint64)
    offset = 0
    if job.origin is None:
        state = initial_state(model, prepared.streams, job.seed, runs, start, prepared.intervention, design)
    else:
        offset = job.origin.step
        state = {name: np.array(values[lo:hi]) for name, values in job.origin.state.items()}
        for name, value in prepared.intervention.values.items():  # a what-if's parameters, from the origin on
            state[name] = np.full(n, value, dtype=np.float64)
    trackers = [QuestionTracker(q, n, job.horizon_day) for q in job.questions]
    summaries = ShardSummaries(model, lo, hi, min(job.keep, job.runs), job.runs, job.steps + 1)
    scores = {sc.name: np.zeros(n) for sc in job.scores}
    everything = slice(0, n)

    def observe(step: int, defer: Callable[[Callable[[], None]], None] | None = None) -> None:
        day = step * job.step_days  # counted from the origin
        next_day = None if step == job.steps else day + job.step_days
        env: dict[str, object] = dict(state)
        absolute = (offset + step) * job.step_days
        env.update(step=float(offset + step), day=float(absolute), today=float(start + absolute))
        for t in trackers:
            t.observe(day, next_day, env, everything)
        held: dict[int, np.ndarray] = {}  # scores sharing a condition evaluate it once a step
        for sc in job.scores:
            key = id(sc.condition)
            if key not in held:
                held[key] = np.broadcast_to(np.asarray(sc.condition.evaluate(env), dtype=bool), (n,))
            scores[sc.name] += np.where(held[key], sc.if_true[step], sc.if_false[step])
        summaries.observe(state, defer)

    parameters = {p.name: state[p.name] for p in model.parameters}
    with np.errstate(all="ignore"):  # NaN and infinities are caught where values are written
        for step in range(1, job.steps + 1):
            day = (offset + step) * job.step_days
            clock = {"seed": job.seed, "step": offset + step, "day": day, "step_days": job.step_days, "today": start + day, "runs": runs}
            if prepared.start is None:
                observe(step - 1)
                prepared.step(state, **clock)
            else:
                # the compiled step computes step `step` from the state while the
                # state of step - 1 is summarised (both only read it)
                pending = prepared.start(state, **clock)
                try:
                    observe(step - 1, pending.also)
                except BaseException:
                    pending.abandon()
                    raise
                pending.commit()
            if tick is not None:
                tick(1)
        observe(job.steps)
    return Shard(lo, hi, trackers, parameters, summaries, scores)


# --- Parquet: a per-run table, and the per-step parts as flat columns ---


def _arrays_parquet(arrays: Mapping[str, np.ndarray], dtype: type) -> np.ndarray:
    """Named arrays of one dtype as a Parquet file with one flat column, each array
    its own row group, written straight from the array (no copy into one); names and
    shapes go in the schema's metadata."""
    index = [[name, list(a.shape)] for name, a in arrays.items()]
    schema = pa.schema([("values", pa.from_numpy_dtype(dtype))], metadata={"arrays": json.dumps(index)})
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, schema, compression=PARQUET_COMPRESSION, use_dictionary=False) as writer:
        for a in arrays.values():
            flat = np.ascontiguousarray(a, dtype=dtype).ravel()
            if len(flat):
                writer.write_table(pa.table({"values": flat}, schema=schema), row_group_size=len(flat))
    return np.frombuffer(sink.getvalue(), dtype=np.uint8)


def _read_arrays_parquet(data: Any) -> dict[str, np.ndarray]:
    file = pq.ParquetFile(pa.BufferReader(pa.py_buffer(data)))
    dtype = file.schema_arrow.field("values").type.to_pandas_dtype()
    out, group = {}, 0
    for name, shape in json.loads(file.schema_arrow.metadata[b"arrays"]):
        if math.prod(shape) == 0:
            out[name] = np.empty(shape, dtype=dtype)
            continue
        out[name] = file.read_row_group(group).column("values").to_numpy().reshape(shape)
        group += 1
    return out


def _parquet_bytes(table: pa.Table) -> np.ndarray:
    """The table as a Parquet file, its bytes in a NumPy array (which Ray passes
    between processes without copying). (Dictionary encoding is off: the columns are
    simulated floats, almost all distinct, which it would try and give up on.)"""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression=PARQUET_COMPRESSION, use_dictionary=False)
    return np.frombuffer(sink.getvalue(), dtype=np.uint8)


def _read(data: Any) -> pa.Table:
    return pq.read_table(pa.BufferReader(pa.py_buffer(data)))


def to_parquet(shard: Shard) -> dict[str, np.ndarray]:
    """The shard as three Parquet files (their bytes, as ``uint8`` arrays): ``runs``
    (one row per run), and the per-step parts, ``steps`` (floats) and ``counts``
    (integers). Of its piece of the quantile sample, only the sketch."""
    columns: dict[str, np.ndarray] = {"run": np.arange(shard.lo, shard.hi, dtype=np.int64)}
    for name, values in shard.parameters.items():
        columns[f"parameter/{name}"] = values
    for name, values in shard.scores.items():
        columns[f"score/{name}"] = values
    for i, t in enumerate(shard.trackers):
        columns[f"question/{i}/first"] = t.first
        for d, values in t.values.items():
            columns[f"question/{i}/day/{d}"] = values
    s = shard.summaries
    arrays: dict[str, np.ndarray] = {}
    if s.continuous:
        for part in ("head", "sums", "tail", "quantiles"):
            if getattr(s, part):
                arrays[part] = np.stack(getattr(s, part))
        piece = s.piece()
        if piece is not None:
            arrays["sketch"] = piece.sketch
    for name, values in s.trajectories.items():
        arrays[f"trajectory/{name}"] = np.stack(values)
    return {
        "runs": _parquet_bytes(pa.table(columns)),
        "steps": _arrays_parquet(arrays, np.float64),
        "counts": _arrays_parquet({"counts": np.stack(s.counts)}, np.int64),
    }


def from_parquet(
    prepared_model: Model,
    job: Job,
    lo: int,
    hi: int,
    files: Mapping[str, Any],
    ask: Callable[[np.ndarray, np.ndarray], Callable[[], Window]] | None = None,
) -> Shard:
    """The shard :func:`to_parquet` wrote (each file's bytes as any buffer).

    Args:
        ask: asks the process that holds the shard's piece of the quantile sample for
            a window (see ``_selection.Piece.request``); needed when the shard has one.
    """
    table = _read(files["runs"])
    columns = {name: table.column(name).to_numpy() for name in table.column_names}
    n = hi - lo
    trackers = []
    for i, q in enumerate(job.questions):
        t = QuestionTracker(q, n, job.horizon_day)
        t.first = columns[f"question/{i}/first"].astype(np.float64)
        prefix = f"question/{i}/day/"
        t.values = {int(k[len(prefix) :]): v for k, v in columns.items() if k.startswith(prefix)}
        trackers.append(t)
    parameters = {p.name: columns[f"parameter/{p.name}"].astype(np.float64) for p in prepared_model.parameters}
    arrays = _read_arrays_parquet(files["steps"])
    counts = _read_arrays_parquet(files["counts"])["counts"]
    s = ShardSummaries(prepared_model, lo, hi, min(job.keep, job.runs), job.runs, job.steps + 1)
    s.counts = list(counts)
    if s.continuous:
        for part in ("head", "sums", "tail", "quantiles"):
            setattr(s, part, list(arrays[part]) if part in arrays else [])
        if "sketch" in arrays:
            if ask is None:
                raise ValueError("this shard's piece of the quantile sample is held elsewhere: pass `ask`")
            s.held = RemotePiece(s.sample_size, s.sketch_step, arrays["sketch"], ask)
    s.trajectories = {k[len("trajectory/") :]: list(v) for k, v in arrays.items() if k.startswith("trajectory/")}
    scores = {sc.name: columns[f"score/{sc.name}"].astype(np.float64) for sc in job.scores}
    return Shard(lo, hi, trackers, parameters, s, scores)


def window_to_parquet(window: Window) -> dict[str, np.ndarray]:
    """A piece's window as two Parquet files (their bytes): ``values`` and ``counts``."""
    return {
        "values": _arrays_parquet({"values": window.values}, np.float64),
        "counts": _arrays_parquet({"below": window.below, "lengths": window.lengths, "counts": window.counts}, np.int64),
    }


def window_from_parquet(files: Mapping[str, Any]) -> Window:
    """The window :func:`window_to_parquet` wrote."""
    counts = _read_arrays_parquet(files["counts"])
    values = _read_arrays_parquet(files["values"])["values"]
    return Window(counts["below"], counts["lengths"], values, counts["counts"])
