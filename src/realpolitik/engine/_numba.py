"""The step compiled with Numba: ``_step.advance`` for each run, in machine code.

For one scenario's model, :meth:`CompiledStep.build` turns the step into a *program*
of simple instructions over numbered registers (``_numba_codegen.OPCODES``): the
same elements in the same order, the same floating-point operations in the same
order, the same random numbers, as ``_step.advance`` applies to one run. It writes a
small Python module holding that program and a ``numba.njit`` kernel whose body is a
Numba intrinsic: the program is emitted as straight-line LLVM IR, four runs per SIMD
vector (lane by lane the scalar operations; ``exp`` computed in the vector, within an
ulp of libm's, the other functions of libm called once per lane), and the
runs left over one by one. Numba's own frontend would cost milliseconds per
operation (25 s, and 4 minutes with ``parallel=True``, for the bundled scenario);
this way a kernel compiles in seconds, and the threads of :class:`CompiledStep` (the
kernel releases the GIL) share the runs out.

The program comes from each expression's intermediate form
(:attr:`~realpolitik.expr.Expression.ir`), never from its text: scenario names
become register and array numbers, and numbers are written with ``repr(float(x))``.
The module is written once to a cache folder (``$REALPOLITIK_CACHE/numba``, else
``$XDG_CACHE_HOME/realpolitik/numba`` or ``~/.cache/realpolitik/numba``) under the
hash of its text (which covers the code generator too), and Numba keeps the machine
code beside it (``cache=True``), so a second process loads the kernel instead of
compiling it.

Checks: where the NumPy step would stop with a :class:`~realpolitik.errors.SimulationError`
(a non-finite value written, a non-finite hazard or utility), the kernel marks the
run; the step is then taken again with NumPy on the untouched state, which raises the
same error with the same message (or, when the marked value was one NumPy never
looks at, such as an effect of an option no run chose, gives the same state).
"""

from __future__ import annotations

import collections
import functools
import hashlib
import importlib.util
import math
import os
import sys
import tempfile
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from realpolitik._atomic import atomic_path
from realpolitik.engine._intervention import CompiledIntervention
from realpolitik.engine._random import _mix64_int
from realpolitik.engine._step import SITES_PER_STEP, State, Streams
from realpolitik.engine._step import advance as numpy_advance
from realpolitik.expr import Expression
from realpolitik.scenario import Model

__all__ = ["available", "CompiledStep", "PendingStep", "cache_folder", "is_compiled"]

#: Changes whenever the generated code's meaning changes (part of every kernel's hash).
_FORMAT = 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_MASK = 2**64 - 1
#: Fewest runs worth a thread of their own.
_MIN_CHUNK = 2048


def available() -> bool:
    """Whether Numba can be imported (the ``fast`` extra); NumPy-only installs answer False."""
    try:
        importlib.import_module("numba")
    except ImportError:
        return False
    return True


def cache_folder() -> Path:
    """Where generated kernels and their machine code are kept.

    ``$REALPOLITIK_CACHE/numba`` when that variable is set, else
    ``$XDG_CACHE_HOME/realpolitik/numba`` (``~/.cache/realpolitik/numba``).
    """
    root = os.environ.get("REALPOLITIK_CACHE")
    if root:
        return Path(root) / "numba"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "realpolitik" / "numba"


@dataclass(frozen=True)
class _Plan:
    """How the state dict maps onto the kernel's arguments, and which random calls it makes."""

    float_in: tuple[str, ...]
    bool_in: tuple[str, ...]
    int_in: tuple[str, ...]
    float_out: tuple[str, ...]
    bool_out: tuple[str, ...]
    int_out: tuple[str, ...]
    #: per random call: (stream key, counter = step * multiplier + offset)
    streams: tuple[int, ...]
    multipliers: tuple[int, ...]
    offsets: tuple[int, ...]
    decisions: tuple[str, ...]
    events: tuple[str, ...]


class CompiledStep:
    """One scenario's step as a compiled kernel, with the same contract as ``_step.advance``.

    Build it once per scenario with :meth:`build` (``CompiledStep.build(model,
    Streams.of(model), intervention)``), then call :meth:`advance` where
    ``_step.advance`` would be called. ``tests/engine/test_numba.py`` steps both side
    by side.
    """

    def __init__(
        self,
        model: Model,
        streams: Streams,
        intervention: CompiledIntervention,
        plan: _Plan,
        kernel: Any,
        path: Path,
        threads: int | None = None,
    ) -> None:
        self.model = model
        self.streams = streams
        self.intervention = intervention
        self.plan = plan
        self.kernel = kernel
        #: the generated source file the kernel was compiled from
        self.path = path
        self._seed_keys: dict[int, np.ndarray] = {}
        #: threads that advance slices of the runs at once
        self.threads = max(1, threads if threads is not None else _default_threads())
        self._executor: ThreadPoolExecutor | None = None
        self._scratch: list[tuple[Any, ...]] = []

    @classmethod
    def build(cls, model: Model, streams: Streams, intervention: CompiledIntervention, *, threads: int | None = None) -> CompiledStep:
        """Generate, cache and compile (or load) the kernel of ``model``.

        The kernel does not depend on the intervention (its forced options and events
        are passed on every call), so all interventions on a scenario share it.

        Args:
            threads: how many threads advance slices of the runs at once (default:
                ``$REALPOLITIK_THREADS``, else ``$OMP_NUM_THREADS``, else the cores this
                process may use); results do not depend on it.
        """
        source, plan = _generate(model, streams)
        kernel, path = _load(source)
        return cls(model, streams, intervention, plan, kernel, path, threads)

    def _chunks(self, n: int) -> list[tuple[int, int]]:
        """The slices of the runs that calls of the kernel take: one when there is one
        thread, else about four per thread (a thread slowed by the machine's other work
        then holds up the step by a small slice only)."""
        if self.threads == 1 or n < 2 * _MIN_CHUNK:
            return [(0, n)]
        parts = max(2, min(4 * self.threads, n // _MIN_CHUNK))
        edges = [n * k // parts for k in range(parts + 1)]
        return list(zip(edges[:-1], edges[1:]))

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max(1, self.threads - 1), thread_name_prefix="realpolitik-step")
            weakref.finalize(self, self._executor.shutdown, wait=False)
        return self._executor

    def call_keys(self, seed: int, step: int) -> np.ndarray:
        """The key of every random call of the kernel at ``step`` (see ``_random.uniforms``)."""
        first = self._seed_keys.get(seed)
        if first is None:
            first = np.array([_mix64_int(seed ^ _mix64_int(s + _GOLDEN)) for s in self.plan.streams], dtype=np.uint64)
            self._seed_keys = {seed: first}
        keys = np.empty(len(first), dtype=np.uint64)
        for j, base in enumerate(first.tolist()):
            counter = step * self.plan.multipliers[j] + self.plan.offsets[j]
            keys[j] = _mix64_int(base ^ ((counter * _GOLDEN + _M1) & _MASK))
        return keys

    def advance(self, state: State, *, seed: int, step: int, day: int, step_days: int, today: int, runs: np.ndarray) -> None:
        """Same contract as ``_step.advance`` for these runs, in place.

        ``state`` holds arrays for these runs only (float64 continuous and parameters,
        bool boolean, int64 levels, decisions and event counts). The new values are
        put in the dict (arrays the step owns; like NumPy's step, it does not write
        into the arrays it was given).

        Raises:
            SimulationError: a value the model cannot go on with, exactly as the NumPy
                step names it (element, step, run).
        """
        self.start(state, seed=seed, step=step, day=day, step_days=step_days, today=today, runs=runs).commit()

    def start(self, state: State, *, seed: int, step: int, day: int, step_days: int, today: int, runs: np.ndarray) -> PendingStep:
        """Begin :meth:`advance` and return at once: helper threads step slices of the
        runs while the caller goes on (reading ``state``, which stays untouched, but not
        changing it) until it calls :meth:`PendingStep.commit`, where it takes the
        slices left and the new state is put in place. With one thread, everything is
        done in ``commit``."""
        plan = self.plan
        n = len(runs)
        run_ids = np.ascontiguousarray(runs, dtype=np.uint64)
        clock = np.array([step, day, today, step_days], dtype=np.float64)
        keys = self.call_keys(seed, step)
        forced = np.array([_or_minus_one(self.intervention.forced_option(d, day)) for d in plan.decisions] or [-1], dtype=np.int64)
        fires = np.array([self.intervention.fires(e, day) for e in plan.events] or [False], dtype=np.bool_)
        fin = _inputs(state, plan.float_in, np.float64, n)
        bin_ = _inputs(state, plan.bool_in, np.bool_, n)
        iin = _inputs(state, plan.int_in, np.int64, n)
        scratch = self._take_scratch(n)
        fout, bout, iout, bad = scratch
        args = (run_ids, clock, keys, forced, fires, fin, bin_, iin, fout, bout, iout, bad)
        clock_kw = {"seed": seed, "step": step, "day": day, "step_days": step_days, "today": today, "runs": runs}
        pending = PendingStep(self, state, scratch, self._chunks(n), args, clock_kw)
        if self.threads > 1 and len(pending.chunks) > 1:
            # The kernel releases the GIL; each run is independent of the others, so
            # the answer does not depend on how the runs are split.
            pending.helpers = [self._pool().submit(pending.work) for _ in range(self.threads - 1)]
        return pending

    def _take_scratch(self, n: int) -> tuple[Any, ...]:
        """Output arrays for ``n`` runs, reused from call to call (fresh memory costs page
        faults on every step); one set per concurrent call."""
        while self._scratch:
            scratch = self._scratch.pop()
            if len(scratch[3]) == n:
                return scratch
        plan = self.plan
        return (
            _outputs(len(plan.float_out), np.float64, n),
            _outputs(len(plan.bool_out), np.bool_, n),
            _outputs(len(plan.int_out), np.int64, n),
            np.zeros(n, dtype=np.bool_),
        )


class PendingStep:
    """A step begun by :meth:`CompiledStep.start`: :meth:`commit` finishes it."""

    def __init__(
        self,
        owner: CompiledStep,
        state: State,
        scratch: tuple[Any, ...],
        chunks: list[tuple[int, int]],
        args: tuple[Any, ...],
        clock: dict[str, Any],
    ) -> None:
        self.owner = owner
        self.state = state
        self.scratch = scratch
        self.chunks = chunks
        self.args = args
        self.clock = clock
        self.helpers: list[Any] = []
        #: what is left to do: slices of the runs, and work added by :meth:`also`
        self._tasks: collections.deque[Callable[[], None]] = collections.deque(
            functools.partial(owner.kernel, lo, hi, *args) for lo, hi in chunks
        )
        self._stop = False

    def also(self, task: Callable[[], None]) -> None:
        """Have ``task`` done by the threads that step the runs (next, before the slices
        left), by :meth:`commit` at the latest. For work that releases the GIL, such as
        sorting a copy of the state."""
        self._tasks.appendleft(task)

    def work(self) -> None:
        """Do tasks until none is left (run by every thread that helps)."""
        tasks = self._tasks
        while not self._stop:
            try:
                task = tasks.popleft()  # atomic under the GIL
            except IndexError:
                return
            task()

    def _join(self) -> None:
        try:
            self.work()
        finally:
            for helper in self.helpers:
                helper.result()

    def abandon(self) -> None:
        """Stop and wait for the helpers, leaving the state as it was."""
        self._stop = True
        for helper in self.helpers:
            helper.exception()
        self.owner._scratch.append(self.scratch)

    def commit(self) -> None:
        """Finish the step and put the new values in the state.

        Raises:
            SimulationError: as :meth:`CompiledStep.advance`.
        """
        self._join()
        owner, state = self.owner, self.state
        plan = owner.plan
        fout, bout, iout, bad = self.scratch
        if bad.any():
            owner._scratch.append(self.scratch)
            # The state is untouched: the NumPy step raises the error the run met, with
            # its message, or (a value it never looks at) gives the same state.
            with np.errstate(all="ignore"):
                numpy_advance(owner.model, owner.streams, state, intervention=owner.intervention, **self.clock)
            return
        old: list[list[Any]] = [[], [], []]
        for k, (names, arrays) in enumerate(((plan.float_out, fout), (plan.bool_out, bout), (plan.int_out, iout))):
            for name, values in zip(names, arrays):
                old[k].append(state[name])
                state[name] = values
        # The arrays the state held become the next step's outputs when nothing else
        # in the state refers to them and they are whole arrays of their own.
        live = {id(v) for v in state.values()}
        reusable = [
            tuple(a if _recyclable(a, like, live) else np.empty_like(like) for a, like in zip(was, now))
            for was, now in zip(old, (fout, bout, iout))
        ]
        owner._scratch.append((*[r if r else now for r, now in zip(reusable, (fout, bout, iout))], bad))


def _recyclable(a: Any, like: np.ndarray, live: set[int]) -> bool:
    return (
        isinstance(a, np.ndarray)
        and id(a) not in live
        and a.flags.owndata
        and a.flags.writeable
        and a.flags.c_contiguous
        and a.shape == like.shape
        and a.dtype == like.dtype
    )


def _default_threads() -> int:
    """``$REALPOLITIK_THREADS``, else ``$OMP_NUM_THREADS`` (which Ray sets in its workers to
    the cores a task holds), else the cores this process may run on."""
    for variable in ("REALPOLITIK_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(variable, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _or_minus_one(option: int | None) -> int:
    return -1 if option is None else option


def _inputs(state: State, names: tuple[str, ...], dtype: type, n: int) -> tuple[np.ndarray, ...]:
    """The state arrays as the kernel's signature wants them (contiguous, writeable, of dtype)."""
    if not names:
        return (np.zeros(1, dtype=dtype),)
    out = []
    for name in names:
        a = np.ascontiguousarray(state[name], dtype=dtype)
        if not a.flags.writeable:
            a = a.copy()
        if a.shape != (n,):
            raise ValueError(f"state[{name!r}] has shape {a.shape}, expected ({n},)")
        out.append(a)
    return tuple(out)


def _outputs(count: int, dtype: type, n: int) -> tuple[np.ndarray, ...]:
    return tuple(np.empty(n, dtype=dtype) for _ in range(count)) if count else (np.zeros(1, dtype=dtype),)


# --- loading -------------------------------------------------------------------------


def is_compiled(model: Model, streams: Streams) -> bool:
    """Whether ``model``'s kernel is loaded in this process or its machine code is in
    the cache folder (so using it costs a load, not a compilation)."""
    digest = hashlib.sha256(_generate(model, streams)[0].encode()).hexdigest()[:32]
    if f"realpolitik_step_{digest}" in sys.modules:
        return True
    return any((cache_folder() / "__pycache__").glob(f"step_{digest}*.nbi"))


def _load(source: str) -> tuple[Any, Path]:
    """Import the kernel module of ``source`` from the cache folder (writing it first if new)."""
    digest = hashlib.sha256(source.encode()).hexdigest()[:32]
    module_name = f"realpolitik_step_{digest}"
    module = sys.modules.get(module_name)
    if module is not None:
        return module.kernel, Path(module.__file__ or "")
    path = _write(source, f"step_{digest}.py")
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: Numba looks the module up by name when it compiles
    # and when it loads the cached machine code.
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module.kernel, path


def _write(source: str, name: str) -> Path:
    """The path of ``source`` in the cache folder; a private temporary folder when that cannot be written."""
    for folder in (cache_folder(), None):
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="realpolitik-numba-"))
        path = folder / name
        try:
            if path.is_file() and path.read_text(encoding="utf-8") == source:
                return path
            folder.mkdir(parents=True, exist_ok=True)
            with atomic_path(path) as tmp:
                tmp.write_text(source, encoding="utf-8")
            return path
        except OSError:
            continue
    raise AssertionError("unreachable")


# --- code generation -----------------------------------------------------------------

Operand = int | float  # a register, or a double constant


class _Writer:
    """Writes the step of one run as a program (see ``_numba_codegen.OPCODES``)."""

    def __init__(self, streams: Streams) -> None:
        self.streams = streams
        self.program: list[tuple[Any, ...]] = []
        self.count = 0
        self.calls: dict[tuple[int, int, int], int] = {}

    def op(self, name: str, *args: Any) -> int:
        """Append an instruction that defines a new register; return the register."""
        d = self.count
        self.count += 1
        self.program.append((name, d, *args))
        return d

    def do(self, name: str, *args: Any) -> None:
        """Append an instruction that defines no register."""
        self.program.append((name, *args))

    def call(self, stream: int, multiplier: int, offset: int) -> int:
        """The index in ``keys`` of one random call (shared by every evaluation of it in a step)."""
        return self.calls.setdefault((stream, multiplier, offset), len(self.calls))

    def truth(self, x: Operand) -> int:
        return self.op("truth", x)

    def expression(self, e: Expression, scope: dict[str, Operand]) -> Operand:
        """Emit ``e``; return the operand that holds its value (a double)."""
        if e.ir is None:
            raise ValueError(f"expression {e.text!r} has no intermediate form to compile")
        stream = self.streams.expressions.get(id(e)) if e.random_sites else None
        return self.node(e.ir, scope, stream)

    def node(self, ir: tuple[Any, ...], scope: dict[str, Operand], stream: int | None) -> Operand:
        kind = ir[0]
        if kind == "const":
            return float(ir[1])
        if kind == "name":
            return scope[ir[1]]
        if kind == "neg":
            return self.op("neg", self.node(ir[1], scope, stream))
        if kind == "pos":
            return self.node(ir[1], scope, stream)
        if kind == "not":
            return self.op("num", self.op("cmp", "==", self.node(ir[1], scope, stream), 0.0))
        if kind == "bin":
            if ir[1] not in ("+", "-", "*", "/", "**", "%", "//"):
                raise ValueError(f"unknown operator {ir[1]!r}")
            return self.op(ir[1], self.node(ir[2], scope, stream), self.node(ir[3], scope, stream))
        if kind in ("and", "or"):
            parts = [self.truth(self.node(x, scope, stream)) for x in ir[1]]
            return self.op("num", self.op(kind, *parts))
        if kind == "cmp":
            values = [self.node(x, scope, stream) for x in ir[2]]
            tests = []
            for k, op in enumerate(ir[1]):
                if op not in ("==", "!=", "<", "<=", ">", ">="):
                    raise ValueError(f"unknown comparison {op!r}")
                tests.append(self.op("cmp", op, values[k], values[k + 1]))
            return self.op("num", tests[0] if len(tests) == 1 else self.op("and", *tests))
        if kind == "call":
            return self.function(ir[1], [self.node(x, scope, stream) for x in ir[2]])
        if kind == "random":
            name, site = ir[1], ir[2]
            args = [self.node(x, scope, stream) for x in ir[3]]
            if stream is None:
                raise ValueError("an expression with random calls has no stream")
            u = self.op("uniform", self.call(stream, SITES_PER_STEP, site))
            if name == "uniform":
                return self.op("+", args[0], self.op("*", self.op("-", args[1], args[0]), u)) if args else u
            if name == "normal":
                z = self.op("ndtri", u)
                return self.op("+", args[0], self.op("*", args[1], z)) if args else z
            if name == "bernoulli":
                return self.op("num", self.op("cmp", "<", u, args[0]))
            raise ValueError(f"unknown random function {name!r}")
        raise ValueError(f"unknown node {kind!r}")

    def function(self, name: str, args: list[Operand]) -> Operand:
        if name in ("exp", "log", "sqrt", "abs", "sin", "cos"):
            (x,) = args
            return self.op("fn", name, x)
        if name == "where":
            c, a, b = args
            return self.op("select", self.truth(c), a, b)
        if name == "clip":
            x, lo, hi = args
            return self.op("min", self.op("max", x, lo), hi)
        if name in ("min", "max"):
            out = args[0]
            for other in args[1:]:
                out = self.op(name, out, other)
            return out
        raise ValueError(f"unknown function {name!r}")

    def coerce(self, var: Any, value: Operand) -> Operand:
        """The value as the variable holds it (``_step.coerce``); marks the run if not finite."""
        if var.kind == "boolean":
            return self.op("num", self.truth(value))
        if var.kind == "levels":
            return self.op("level", value, float(var.low), float(var.high))
        if math.isfinite(var.low) or math.isfinite(var.high):
            value = self.op("min", self.op("max", value, float(var.low)), float(var.high))
        self.do("bad", value)
        return value

    def write(self, scope: dict[str, Operand], var: str, where: int | None, value: Operand) -> None:
        """``var = value`` where the bool register ``where`` holds (everywhere for ``None``)."""
        scope[var] = value if where is None else self.op("select", where, value, scope[var])


#: Generated sources by model (kept with the model, so an id is never reused while
#: its entry lives): deciding whether a kernel is compiled and building it share one
#: generation, and so do the runs of a sweep.
_GENERATED: dict[int, tuple[Model, tuple[str, _Plan]]] = {}


def _generate(model: Model, streams: Streams) -> tuple[str, _Plan]:
    """The kernel module's source for ``model``, and how to call it (generated once per
    model: the streams are a function of the model)."""
    hit = _GENERATED.get(id(model))
    if hit is None or hit[0] is not model:
        hit = _GENERATED[id(model)] = (model, _write_program(model, streams))
    return hit[1]


def _write_program(model: Model, streams: Streams) -> tuple[str, _Plan]:
    """Generate the kernel module's source for ``model``, and how to call it."""
    variables = {v.name: v for v in model.variables}
    float_in = tuple(p.name for p in model.parameters) + tuple(v.name for v in model.variables if v.kind == "continuous")
    bool_in = tuple(v.name for v in model.variables if v.kind == "boolean")
    int_in = tuple(v.name for v in model.variables if v.kind == "levels") + tuple(d.name for d in model.decisions) + tuple(e.name for e in model.events)
    float_out = tuple(v.name for v in model.variables if v.kind == "continuous")

    w = _Writer(streams)
    scope: dict[str, Operand] = {}
    for name, k in zip(("step", "day", "today"), range(3)):
        scope[name] = w.op("clock", k)
    step_days = w.op("clock", 3)
    for k, name in enumerate(float_in):
        scope[name] = w.op("lf", k)
    for k, name in enumerate(bool_in):
        scope[name] = w.op("lb", k)
    for k, name in enumerate(int_in):
        scope[name] = w.op("li", k)

    for stage in model.stages:
        # 1. Every decision of the stage from the same state (the start of the step for
        # stage 0, else what the earlier stages left).
        choices = [(model.decisions[j], _choose(w, j, model.decisions[j], scope)) for j in stage]
        # 2. The chosen options' effects, decision by decision.
        for d, choice in choices:
            scope[d.name] = w.op("itof", choice)
            for k, option in enumerate(d.options):
                if option.effects:
                    chosen = w.op("ieq", choice, k)
                    for var, e in option.effects:
                        w.write(scope, var, chosen, w.coerce(variables[var], w.expression(e, scope)))
    # 3. Events.
    for j, ev in enumerate(model.events):
        hazard = w.op("max", w.expression(ev.hazard, scope), 0.0)
        w.do("bad", hazard)
        # fired = u < -expm1(-hazard * step_days), as _step computes it
        exposure = w.op("neg", w.op("*", w.op("neg", hazard), step_days))
        fired = w.op("draw", w.op("uniform", w.call(streams.events[ev.name], 1, 0)), exposure)
        if ev.when is not None:
            fired = w.op("and", fired, w.truth(w.expression(ev.when, scope)))
        if ev.once:
            fired = w.op("and", fired, w.op("cmp", "==", scope[ev.name], 0.0))
        fired = w.op("or", fired, w.op("fires", j))
        scope[ev.name] = w.op("+", scope[ev.name], w.op("num", fired))
        for var, e in ev.effects:
            w.write(scope, var, fired, w.coerce(variables[var], w.expression(e, scope)))
    # 4. Mechanisms, in order.
    for m in model.mechanisms:
        value = w.coerce(variables[m.target], w.expression(m.update, scope))
        w.write(scope, m.target, None if m.when is None else w.truth(w.expression(m.when, scope)), value)

    for k, name in enumerate(float_out):
        w.do("sf", k, scope[name])
    for k, name in enumerate(bool_in):
        w.do("sb", k, scope[name])
    for k, name in enumerate(int_in):
        w.do("si", k, scope[name])

    calls = sorted(w.calls.items(), key=lambda item: item[1])
    plan = _Plan(
        float_in=float_in,
        bool_in=bool_in,
        int_in=int_in,
        float_out=float_out,
        bool_out=bool_in,
        int_out=int_in,
        streams=tuple(c[0][0] for c in calls),
        multipliers=tuple(c[0][1] for c in calls),
        offsets=tuple(c[0][2] for c in calls),
        decisions=tuple(d.name for d in model.decisions),
        events=tuple(e.name for e in model.events),
    )
    counts = [max(1, len(x)) for x in (float_in, bool_in, int_in, float_out, bool_in, int_in)]
    return _module_source(w.program, counts), plan


def _choose(w: _Writer, j: int, d: Any, scope: dict[str, Operand]) -> int:
    """Quantal response for decision ``j`` (``_step._choose`` for one run); the int register of the choice.

    Computed in every run; where an option is forced, the forced one is taken and the
    utilities are not checked (the NumPy step does not compute them there).
    """
    forced = w.op("forced", j)
    free = w.op("not", w.op("ige0", forced))
    base = [(i, w.expression(i.weight, scope), w.expression(i.value, scope)) for i in d.interests]
    utilities: list[Operand] = []
    feasible: list[int | None] = []
    for option in d.options:
        total = w.expression(option.utility, scope)
        foresight = scope
        if option.effects:
            targets = {var for var, _ in option.effects}
            foresight = dict(scope)
            for var, e in option.effects:
                foresight[var] = w.expression(e, scope)  # the effect as the actor foresees it
        for interest, weight, value in base:
            if option.effects and interest.value.names & targets:
                value = w.expression(interest.value, foresight)
            total = w.op("+", total, w.op("*", weight, value))
        w.do("badif", free, total)
        utilities.append(total)
        feasible.append(None if option.when is None else w.truth(w.expression(option.when, scope)))
    best: Operand = -math.inf
    for u_k, f_k in zip(utilities, feasible):
        best = w.op("max", best, u_k if f_k is None else w.op("select", f_k, u_k, -math.inf))
    rationality = w.expression(d.rationality, scope)
    total: Operand = 0.0
    last = w.op("iconst", 0)
    cumulative = []
    for k, (u_k, f_k) in enumerate(zip(utilities, feasible)):
        weight = w.op("weight", -1 if f_k is None else f_k, w.op("*", rationality, w.op("-", u_k, best)))
        if f_k is not None:
            last = w.op("select", f_k, w.op("iconst", k), last)
        else:
            last = w.op("iconst", k)
        total = w.op("+", total, weight)
        cumulative.append(total)
    target = w.op("*", w.op("uniform", w.call(w.streams.decisions[d.name], 1, 0)), total)
    choice = w.op("iconst", 0)
    for cum in cumulative[:-1]:
        choice = w.op("iadd", choice, w.op("cmp", ">=", target, cum))
    chosen = w.op("imin", choice, last)
    return w.op("select", free, chosen, forced)


def _literal(value: Any) -> str:
    """An operand or argument as Python source: only numbers and the codegen's own names."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NAN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"unexpected program argument {value!r}")
    return repr(value)


def _module_source(program: list[tuple[Any, ...]], counts: list[int]) -> str:
    from realpolitik.engine import _numba_codegen, _numba_math

    helpers = hashlib.sha256(Path(_numba_codegen.__file__).read_bytes() + Path(_numba_math.__file__).read_bytes()).hexdigest()
    nf, nb, ni, nfo, nbo, nio = counts
    lines = ",\n".join("    (" + ", ".join(_literal(x) for x in ins) + ",)" for ins in program)
    return f'''"""A realpolitik step kernel, generated by realpolitik.engine._numba (do not edit)."""

from numba import njit
from numba import types as _t

from realpolitik.engine._numba_codegen import make_body

FORMAT = {_FORMAT}
HELPERS = "{helpers}"
INF = float("inf")
NAN = float("nan")

PROGRAM = (
{lines},
)

body = make_body(PROGRAM)

_F = _t.float64[::1]
_B = _t.boolean[::1]
_I = _t.int64[::1]
SIGNATURE = _t.void(
    _t.int64, _t.int64, _t.uint64[::1], _F, _t.uint64[::1], _I, _B,
    _t.UniTuple(_F, {nf}), _t.UniTuple(_B, {nb}), _t.UniTuple(_I, {ni}),
    _t.UniTuple(_F, {nfo}), _t.UniTuple(_B, {nbo}), _t.UniTuple(_I, {nio}),
    _B,
)


@njit(SIGNATURE, cache=True, nogil=True)
def kernel(start, stop, runs, clock, keys, forced, fires, fin, bin_, iin, fout, bout, iout, err):
    body(start, stop, runs, clock, keys, forced, fires, fin, bin_, iin, fout, bout, iout, err)
'''
