"""Backends: where and how the shards of an ensemble are simulated.

* ``numpy``: vectorised NumPy in this process, shard after shard.
* ``numba``: the same step compiled to machine code with Numba (identical discrete
  outcomes; continuous values within 1e-9 relative of NumPy's), in this process,
  runs spread over the machine's cores.
* ``ray``: shards spread over the workers of a Ray cluster (a local one started on
  demand, or an existing one joined by address). Each worker simulates with
  ``numba`` when it is installed there, else ``numpy``, and sends its shards back as
  Parquet, but for their pieces of the quantile sample, which it keeps until the
  merge asks for the few values it needs; the merge gives the same bits as the local
  backend with the same step.

Every backend returns shards; ``run`` merges them into results
(``_summaries.merge_summaries``, while the backend is still open), so the answers do
not depend on how the runs were split.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from realpolitik.engine._selection import SortedPiece, Window
from realpolitik.engine._shard import (
    Job,
    Shard,
    from_parquet,
    prepare,
    shard_bounds,
    simulate,
    to_parquet,
    window_from_parquet,
    window_to_parquet,
)
from realpolitik.errors import RealpolitikError

__all__ = ["Backend", "LocalBackend", "RayBackend", "backend", "use_backend", "BACKENDS", "numba_available"]

#: The backend names ``run(backend=...)`` and ``--backend`` take.
BACKENDS = ("auto", "numpy", "numba", "ray")

Designs = Sequence[Mapping[str, np.ndarray] | None]
#: ``progress(done, total)`` in shard-steps.
Progress = Callable[[int, int], None]


def numba_available() -> bool:
    """Whether the compiled step can be used (Numba importable)."""
    try:
        from realpolitik.engine._numba import available
    except ImportError:
        return False
    return available()


class Backend:
    """Simulates the shards of a job. Use as a context manager; :meth:`close` frees it."""

    name = "backend"
    #: The step each shard uses: ``numpy`` or ``numba``.
    stepper = "numpy"

    def bounds(self, runs: int, batch_size: int) -> list[tuple[int, int]]:
        """The shards of an ensemble of ``runs``: consecutive ranges of runs from 0,
        of at most ``batch_size`` runs."""
        return shard_bounds(runs, batch_size)

    def simulate(self, job: Job, bounds: Sequence[tuple[int, int]], designs: Designs, progress: Progress | None) -> list[Shard]:
        raise NotImplementedError

    def close(self) -> None:
        """Free what the backend holds (a cluster connection)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> str:
        return self.name

    def step_used(self, job: Job) -> str:
        """The step (``numpy`` or ``numba``) this backend simulates ``job`` with."""
        return self.stepper


#: ``auto`` uses the compiled step (Numba) for an ensemble of at least this many
#: run-steps when the scenario's kernel is compiled already (loading it costs about a
#: second) ...
AUTO_RUN_STEPS = 500_000
#: ... and compiles it first (tens of seconds, once per scenario and machine) for an
#: ensemble of at least this many.
AUTO_COMPILE_RUN_STEPS = 50_000_000


def _compiled(job: Job) -> bool:
    from realpolitik.engine._numba import is_compiled
    from realpolitik.engine._step import Streams

    return is_compiled(job.scenario.model, Streams.of(job.scenario.model))


class LocalBackend(Backend):
    """Shard after shard in this process, with the NumPy or the Numba step, or
    ``auto``: Numba when it is installed and repays its cost (at least
    :data:`AUTO_RUN_STEPS` run-steps with the kernel compiled already, or
    :data:`AUTO_COMPILE_RUN_STEPS` without), else NumPy."""

    def __init__(self, stepper: str = "numpy") -> None:
        if stepper == "numba" and not numba_available():
            raise RealpolitikError("the numba backend needs Numba: pip install 'realpolitik[fast]'")
        self.stepper = stepper
        self.name = stepper

    def step_used(self, job: Job) -> str:
        """The step this backend uses for ``job``."""
        if self.stepper != "auto":
            return self.stepper
        work = job.runs * job.steps
        if work < AUTO_RUN_STEPS or not numba_available():
            return "numpy"
        return "numba" if work >= AUTO_COMPILE_RUN_STEPS or _compiled(job) else "numpy"

    def simulate(self, job: Job, bounds: Sequence[tuple[int, int]], designs: Designs, progress: Progress | None) -> list[Shard]:
        prepared = prepare(job, self.step_used(job))
        total = job.steps * len(bounds)
        done = 0

        def tick(k: int) -> None:
            nonlocal done
            done += k
            if progress is not None:
                progress(done, total)

        return [simulate(prepared, lo, hi, design, tick) for (lo, hi), design in zip(bounds, designs)]


class _ShardWorker:
    """A Ray actor that lives as long as the backend: prepares each job once, then
    simulates shard after shard. The job and its scenario come as object references
    inside a list (so Ray does not fetch them for every shard); the scenario is kept
    while the jobs are of it (unpickling it, and generating its compiled step, once).
    The shards' pieces of the quantile sample are kept until the merge asks for their
    windows (or the next job starts)."""

    def __init__(self, stepper: str) -> None:
        if stepper == "auto":
            stepper = "numba" if numba_available() else "numpy"
        self.stepper = stepper
        self.token: str | None = None
        self.prepared: Any = None
        self.scenario_key: str | None = None
        self.scenario: Any = None
        self.pieces: dict[int, SortedPiece] = {}

    def run(self, token: str, refs: list[Any], lo: int, hi: int, design: Mapping[str, np.ndarray] | None) -> tuple[str, Any]:
        import ray

        try:
            if token != self.token:
                scenario_ref, job_ref = refs
                if scenario_ref.hex() != self.scenario_key:
                    self.scenario, self.scenario_key = ray.get(scenario_ref), scenario_ref.hex()
                job = dataclasses.replace(ray.get(job_ref), scenario=self.scenario)
                self.prepared, self.token, self.pieces = prepare(job, self.stepper), token, {}
            shard = simulate(self.prepared, lo, hi, design)
            piece = shard.summaries.piece()
            if isinstance(piece, SortedPiece):
                self.pieces[lo] = piece
            return "ok", to_parquet(shard)
        except RealpolitikError as e:  # re-raised as itself by the driver
            return "error", e

    def window(self, token: str, lo: int, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
        """The window of ``[a, b]`` in the piece of the shard from ``lo`` (given once)."""
        piece = self.pieces.pop(lo, None) if token == self.token else None
        if piece is None:
            raise RuntimeError(f"this worker no longer holds the quantile sample of the shard from run {lo}")
        return window_to_parquet(piece.request(a, b)())

    def step_name(self) -> str:
        return self.stepper


#: How long joining a cluster waits for its address to answer (seconds).
CONNECT_TIMEOUT = 10.0


def _reachable(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Fail at once, with the reason, when a cluster's ``host:port`` does not accept
    a connection within ``timeout`` seconds (``ray://`` client addresses included).

    Raises:
        RealpolitikError: the address is malformed, its host unknown, or nothing
            answers there in time.
    """
    import socket

    if address == "auto":
        return
    hostport = address.removeprefix("ray://")
    host, sep, port = hostport.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise RealpolitikError(f"--address {address!r}: give HOST:PORT (e.g. head:6379, or ray://head:10001)")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except socket.gaierror as e:
        raise RealpolitikError(f"could not join the Ray cluster at {address}: unknown host {host!r} ({e.strerror})") from None
    except OSError as e:
        reason = "no answer within {:g} s".format(timeout) if isinstance(e, TimeoutError) else (e.strerror or str(e))
        raise RealpolitikError(f"could not join the Ray cluster at {address}: {reason}") from None


#: Scenarios a Ray backend keeps in the object store (the latest used).
_KEPT_SCENARIOS = 4


class RayBackend(Backend):
    """Shards spread across the workers of a Ray cluster.

    Args:
        workers: how many worker processes (actors) to use; default: the cluster's CPUs.
        address: a running cluster to join (``ray://host:10001`` or ``host:6379``);
            without it a local cluster is started with ``workers`` CPUs.
        stepper: the step the workers use: ``auto`` (``numba`` where installed),
            ``numba`` or ``numpy``.
    """

    name = "ray"

    def __init__(self, workers: int | None = None, address: str | None = None, stepper: str = "auto") -> None:
        try:
            import ray
        except ImportError as e:
            raise RealpolitikError("the ray backend needs Ray: pip install 'realpolitik[cluster]'") from e
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
            if address is None:
                options["num_cpus"] = workers or os.cpu_count() or 1
            else:
                _reachable(address)  # Ray itself retries an unreachable address for minutes
                options["address"] = address
            try:
                ray.init(**options)
            except Exception as e:  # noqa: BLE001 - Ray's many connection errors, named
                if address is None:
                    raise
                raise RealpolitikError(
                    f"could not join the Ray cluster at {address}: {type(e).__name__}: {e}"
                    " (a cluster started with token authentication needs RAY_AUTH_MODE=token here too)"
                ) from e
            self._started = True
        elif address is not None and address.removeprefix("ray://") != ray.get_runtime_context().gcs_address:
            # Ray joins one cluster per process: another address cannot be honoured
            raise RealpolitikError(
                f"this process is already connected to the Ray cluster at "
                f"{ray.get_runtime_context().gcs_address}; it cannot join {address} too"
            )
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = workers or max(1, cpus)
        self.address = address
        self.stepper = stepper
        self._actors: list[Any] = []
        self._scenarios: list[tuple[Any, Any]] = []

    def bounds(self, runs: int, batch_size: int) -> list[tuple[int, int]]:
        """A shard per worker, more where ``batch_size`` asks (the workers take the
        next shard as they finish), of sizes as equal as whole runs allow.

        Every shard costs its worker a fixed 0.05 s or so of per-step overhead, and the
        merge a piece of the quantile sample, so more shards than workers only pay
        where workers differ in speed, which the runs of a job cannot know; one
        worker gets one shard, which holds the whole sample and needs no merge.
        (Shards need not start at a chunk of the means: a chunk cut in two is summed
        from both pieces' values, the same bits.)
        """
        shards = max(1, min(runs, max(self.workers, -(-runs // batch_size))))
        edges = [runs * k // shards for k in range(shards + 1)]
        return list(zip(edges[:-1], edges[1:]))

    def simulate(self, job: Job, bounds: Sequence[tuple[int, int]], designs: Designs, progress: Progress | None) -> list[Shard]:
        ray = self._ray
        refs = [self._scenario_ref(job.scenario), ray.put(dataclasses.replace(job, scenario=None))]
        token = uuid.uuid4().hex
        actors = self._ensure_actors()[: len(bounds)]
        model = job.scenario.model
        total = job.steps * len(bounds)
        shards: dict[int, Shard] = {}
        pending: dict[Any, tuple[int, int]] = {}
        queue = list(range(len(bounds)))
        errors: dict[int, BaseException] = {}

        def submit(a: int) -> None:
            # after an error, only earlier shards still matter (the first error in run
            # order is the one reported, as the local backend would)
            if queue and (not errors or queue[0] < min(errors)):
                i = queue.pop(0)
                pending[actors[a].run.remote(token, refs, *bounds[i], designs[i])] = (i, a)

        try:
            for a in range(len(actors)):  # a shard each; the next to whichever finishes
                submit(a)
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                i, a = pending.pop(ready[0])
                status, payload = ray.get(ready[0])
                if status == "error":
                    errors[i] = payload
                submit(a)  # the worker takes its next shard while this one is read
                if status != "error":
                    lo, hi = bounds[i]
                    ask = functools.partial(self._ask_window, actors[a], token, lo)
                    shards[i] = from_parquet(model, job, lo, hi, payload, ask)
                    if progress is not None:
                        progress(job.steps * len(shards), total)
                if errors and all(j in shards or j in errors for j in range(min(errors))):
                    raise errors[min(errors)]
        except BaseException:  # an error or Ctrl-C: stop the workers' shards now
            self._kill_actors()
            raise
        return [shards[i] for i in range(len(bounds))]

    def _ask_window(self, actor: Any, token: str, lo: int, a: np.ndarray, b: np.ndarray) -> Callable[[], Window]:
        """Ask ``actor`` for the window of its piece from ``lo``; the call returned reads it."""
        ref = actor.window.remote(token, lo, a, b)
        return lambda: window_from_parquet(self._ray.get(ref))

    def describe(self) -> str:
        where = self.address or "local"
        return f"ray ({self.workers} workers, {where}, {self.step_name()} step)"

    def _scenario_ref(self, scenario: Any) -> Any:
        """The scenario in the object store, put there once per scenario object (a
        sweep runs many jobs of one scenario; pickling it takes a quarter second)."""
        for kept, ref in self._scenarios:
            if kept is scenario:
                return ref
        ref = self._ray.put(scenario)
        self._scenarios = [(scenario, ref), *self._scenarios[: _KEPT_SCENARIOS - 1]]
        return ref

    def _ensure_actors(self) -> list[Any]:
        """The worker actors, started on first use (and again after a kill)."""
        if not self._actors:
            worker = self._ray.remote(num_cpus=1)(_ShardWorker)
            self._actors = [worker.remote(self.stepper) for _ in range(self.workers)]
        return self._actors

    def _kill_actors(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []

    def step_used(self, job: Job) -> str:
        return self.step_name()

    def step_name(self) -> str:
        """The step the workers use (``numba`` or ``numpy``)."""
        if self.stepper != "auto":
            return self.stepper
        return str(self._ray.get(self._ensure_actors()[0].step_name.remote()))

    def close(self) -> None:
        self._kill_actors()
        self._scenarios = []
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
            self._started = False


def backend(name: str = "auto", *, workers: int | None = None, address: str | None = None) -> Backend:
    """A backend by name: ``auto`` (``numba`` when installed and the ensemble is big
    enough to repay loading the compiled kernel, else ``numpy``), ``numpy``,
    ``numba`` or ``ray``.

    Example:
        >>> with backend("numpy") as b:
        ...     b.name
        'numpy'
    """
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    if name != "ray" and (workers is not None or address is not None):
        raise ValueError(f"--workers and --address are for the ray backend, not {name!r}")
    if name == "ray":
        return RayBackend(workers=workers, address=address)
    return LocalBackend(name)


@contextlib.contextmanager
def use_backend(
    chosen: str | Backend | None, *, workers: int | None = None, address: str | None = None
) -> Iterator[Backend]:
    """The backend ``chosen`` names, closed on exit; a backend object passes through open."""
    if isinstance(chosen, Backend):
        yield chosen
        return
    with backend(chosen or "auto", workers=workers, address=address) as made:
        yield made
