"""The ensemble state and one step of the model, vectorised over runs.

A step, for a slice of runs: every actor chooses from the state at the start of the
step (quantal response) and the chosen options' effects apply — stage by stage when
decisions are taken ``after`` others: a later stage chooses from the state the earlier
ones left — then events fire, then the mechanisms update the variables in order. All
randomness comes from counter-based streams keyed by (seed, element, step, run
index), see ``_random``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from realpolitik.engine._intervention import CompiledIntervention
from realpolitik.engine._random import stream_key, uniforms
from realpolitik.errors import SimulationError
from realpolitik.expr import Expression
from realpolitik.scenario import Model
from realpolitik.scenario import VariableModel

__all__ = ["State", "initial_state", "advance", "Streams", "SITES_PER_STEP"]

#: Counter space reserved per step for the random call sites of one expression.
SITES_PER_STEP = 4096

State = dict[str, np.ndarray]
_NO_INTERVENTION = CompiledIntervention()


@dataclass(frozen=True)
class Streams:
    """Random stream keys of every element that draws, computed once per scenario."""

    parameters: dict[str, int]
    decisions: dict[str, int]
    events: dict[str, int]
    expressions: dict[int, int]  # id(expression) -> key

    @classmethod
    def of(cls, model: Model) -> Streams:
        exprs: dict[int, int] = {}

        def add(e: Expression | None, *path: str) -> None:
            if e is not None and e.random_sites:
                if e.random_sites > SITES_PER_STEP:
                    raise SimulationError(f"{'.'.join(path)}: at most {SITES_PER_STEP} random calls per expression")
                exprs[id(e)] = stream_key("expression", *path)

        for d in model.decisions:
            add(d.rationality, "decision", d.name, "rationality")
            for i in d.interests:
                add(i.weight, "interest", d.actor, i.name, "weight")
                add(i.value, "interest", d.actor, i.name, "value")
            for o in d.options:
                add(o.when, "option", d.name, o.name, "when")
                add(o.utility, "option", d.name, o.name, "utility")
                for var, e in o.effects:
                    add(e, "option", d.name, o.name, "effect", var)
        for ev in model.events:
            add(ev.hazard, "event", ev.name, "hazard")
            add(ev.when, "event", ev.name, "when")
            for var, e in ev.effects:
                add(e, "event", ev.name, "effect", var)
        for m in model.mechanisms:
            add(m.update, "mechanism", m.name, "update")
            add(m.when, "mechanism", m.name, "when")
        return cls(
            parameters={p.name: stream_key("parameter", p.name) for p in model.parameters},
            decisions={d.name: stream_key("decision", d.name) for d in model.decisions},
            events={e.name: stream_key("event", e.name) for e in model.events},
            expressions=exprs,
        )


def _full(value: object, size: int, dtype: type) -> np.ndarray:
    """``value`` as an array of ``size`` elements of ``dtype`` (no copy when it already is one)."""
    if isinstance(value, np.ndarray) and value.shape == (size,):
        return value if value.dtype == dtype else value.astype(dtype)
    return np.full(size, value, dtype=dtype)


def coerce(var: VariableModel, value: np.ndarray | float, size: int) -> np.ndarray:
    """Bring a computed value into a variable's type and bounds (a new array)."""
    if var.kind == "boolean":
        return _full(value, size, bool).astype(bool, copy=True)
    if var.kind == "levels":
        return np.clip(np.rint(_full(value, size, np.float64)), var.low, var.high).astype(np.int64)
    out = _full(value, size, np.float64)
    if np.isfinite(var.low) or np.isfinite(var.high):
        return np.clip(out, var.low, var.high)
    return out.copy()


def _check_finite(values: np.ndarray, what: str, step: int, runs: np.ndarray) -> None:
    if values.dtype == np.float64 and not np.isfinite(values).all():
        bad = int(np.flatnonzero(~np.isfinite(values))[0])
        raise SimulationError(
            f"{what} gave {values[bad]} at step {step} in run {int(runs[bad])}; "
            "guard the expression (e.g. clip, max) so it stays finite"
        )


def initial_state(
    model: Model,
    streams: Streams,
    seed: int,
    runs: np.ndarray,
    day0_ordinal: int,
    intervention: CompiledIntervention = _NO_INTERVENTION,
    parameters: Mapping[str, np.ndarray] | None = None,
) -> State:
    """Parameters drawn from their priors and variables at their initial values.

    Args:
        parameters: parameter -> values for these runs, used instead of the prior
            (a design of experiments: sensitivity, discovery).
        intervention: its fixed parameter values win over both.
    """
    from realpolitik.scenario import prior_ppf

    n = len(runs)
    state: State = {}
    for p in model.parameters:
        if p.name in intervention.values:
            state[p.name] = np.full(n, intervention.values[p.name], dtype=np.float64)
        elif parameters is not None and p.name in parameters:
            state[p.name] = np.asarray(parameters[p.name], dtype=np.float64).copy()
        else:
            u = uniforms(seed, streams.parameters[p.name], 0, runs)
            state[p.name] = np.asarray(prior_ppf(p.prior, u), dtype=np.float64)
    env = dict(state, step=0.0, day=0.0, today=float(day0_ordinal))
    by_name = {v.name: v for v in model.variables}
    for name in model.initial_order:
        var = by_name[name]
        value = coerce(var, var.initial.evaluate(env), n).copy()
        _check_finite(value, f"the initial value of {name!r}", 0, runs)
        state[name] = env[name] = value
    for d in model.decisions:
        state[d.name] = np.full(n, d.initial, dtype=np.int64)
    for e in model.events:
        state[e.name] = np.zeros(n, dtype=np.int64)
    return state


def advance(
    model: Model,
    streams: Streams,
    state: State,
    *,
    seed: int,
    step: int,
    day: int,
    step_days: int,
    today: int,
    runs: np.ndarray,
    intervention: CompiledIntervention = _NO_INTERVENTION,
) -> None:
    """Advance the runs in ``state`` (arrays for these runs only) by one step, in place.

    Call it inside ``np.errstate(all="ignore")``: NaN and infinities are caught
    where values are written, with the element, step and run named.
    """
    n = len(runs)
    env: dict[str, object] = dict(state)
    env["step"] = float(step)
    env["day"] = float(day)
    env["today"] = float(today)
    variables = {v.name: v for v in model.variables}

    def source(e: Expression) -> Callable[[int], np.ndarray] | None:
        if not e.random_sites:
            return None
        key = streams.expressions[id(e)]
        return lambda site: uniforms(seed, key, step * SITES_PER_STEP + site, runs)

    def ev(e: Expression, scope: dict[str, object] | None = None) -> np.ndarray:
        return e.evaluate_quiet(env if scope is None else scope, source(e))

    def write(var: str, value: object, where: np.ndarray | None, what: str) -> None:
        new = coerce(variables[var], value, n)
        _check_finite(new, what, step, runs)
        if where is not None:
            new = np.where(where, new, state[var])
        state[var] = new
        env[var] = new

    for stage in model.stages:
        # 1. Actors choose, every decision of the stage from the same state: the start
        # of the step for stage 0, else what the earlier stages left.
        deciding = [model.decisions[k] for k in stage]
        choices = [
            np.full(n, forced, dtype=np.int64)
            if (forced := intervention.forced_option(d.name, day)) is not None
            else _choose(d, env, ev, seed, streams.decisions[d.name], step, runs)
            for d in deciding
        ]
        # 2. The chosen options take effect, in declaration order.
        for d, choice in zip(deciding, choices):
            state[d.name] = choice
            env[d.name] = choice
            for k, option in enumerate(d.options):
                if not option.effects:
                    continue
                chosen = choice == k
                if not chosen.any():
                    continue
                for var, e in option.effects:
                    write(var, ev(e), chosen, f"effect on {var!r} of option {option.name!r}")
    # 3. Events fire.
    for e in model.events:
        hazard = np.maximum(_full(ev(e.hazard), n, np.float64), 0.0)
        _check_finite(hazard, f"the hazard of event {e.name!r}", step, runs)
        p = -np.expm1(-hazard * step_days)
        fired = uniforms(seed, streams.events[e.name], step, runs) < p
        if e.when is not None:
            fired &= _full(ev(e.when), n, bool)
        if e.once:
            fired &= state[e.name] == 0
        if intervention.fires(e.name, day):
            fired = np.ones(n, dtype=bool)
        count = state[e.name] + fired
        state[e.name] = count
        env[e.name] = count
        if fired.any():
            for var, fx in e.effects:
                write(var, ev(fx), fired, f"effect on {var!r} of event {e.name!r}")
    # 4. Mechanisms update the variables in order.
    for m in model.mechanisms:
        when = None if m.when is None else _full(ev(m.when), n, bool)
        write(m.target, ev(m.update), when, f"mechanism {m.name!r}")


def _choose(d, env, ev, seed: int, key: int, step: int, runs: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Quantal response: P(option) proportional to exp(rationality * utility) over feasible options.

    Works option by option on 1-D arrays (faster than 2-D reductions for the few
    options a decision has).
    """
    n = len(runs)
    base_interest = [(i, ev(i.weight), ev(i.value)) for i in d.interests]
    utilities: list[np.ndarray] = []
    feasible: list[np.ndarray | None] = []
    for option in d.options:
        total = _full(ev(option.utility), n, np.float64).copy()
        if option.effects:
            targets = {var for var, _ in option.effects}
            scope = dict(env)
            for var, e in option.effects:
                scope[var] = ev(e)  # the option's effect, as the actor foresees it
        for interest, weight, value in base_interest:
            if option.effects and interest.value.names & targets:
                value = ev(interest.value, scope)
            total += weight * value
        if not np.isfinite(total).all():
            raise SimulationError(f"the utility of option {option.name!r} of decision {d.name!r} is not finite at step {step}")
        utilities.append(total)
        feasible.append(None if option.when is None else _full(ev(option.when), n, bool))
    best = np.full(n, -np.inf)
    for u_k, f_k in zip(utilities, feasible):
        best = np.maximum(best, u_k if f_k is None else np.where(f_k, u_k, -np.inf))
    rationality = ev(d.rationality)
    total = np.zeros(n)
    cumulative = []
    last_feasible = np.zeros(n, dtype=np.int64)
    for k, (u_k, f_k) in enumerate(zip(utilities, feasible)):
        w = np.exp(rationality * (u_k - best))
        if f_k is not None:
            w = np.where(f_k, w, 0.0)
            last_feasible = np.where(f_k, k, last_feasible)
        else:
            last_feasible.fill(k)
        total = total + w
        cumulative.append(total)
    target = uniforms(seed, key, step, runs) * total
    choice = np.zeros(n, dtype=np.int64)
    for cum in cumulative[:-1]:
        choice += target >= cum
    return np.minimum(choice, last_feasible)