"""Hypothesis strategies for random valid scenarios, to check that every backend steps alike.

:func:`scenario_texts` draws whole scenario files: parameters with priors, continuous,
boolean and levels variables (bounded or not), actors with interests and decisions
(options with ``when``, utilities and effects), events (hazards, ``when``, ``once``,
effects), mechanisms (with and without ``when``) and a question. Expressions mix
arithmetic, comparisons, logic, ``where``/``clip``/``min``/``max``, the math functions,
the clock, level names, dates and random calls. Most are guarded to stay finite, a few
are not, so that the error paths are drawn too.

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=3, database=None)
    ... @given(scenario_texts())
    ... def starts_with_a_name(text):
    ...     assert text.startswith("name: generated")
    >>> starts_with_a_name()
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

__all__ = ["scenario_texts", "expressions"]

_NUMBERS = st.one_of(
    st.integers(-5, 5).map(str),
    st.floats(-10, 10, allow_nan=False, allow_infinity=False).map(lambda x: repr(round(x, 3))),
    st.sampled_from(["0.5", "0.01", "2", "1e-3"]),
)
_CLOCK = st.sampled_from(["step", "day", "today", "(today - date(\"2026-01-01\"))"])


@dataclass
class _Names:
    """What an expression may read."""

    numbers: list[str]  # parameters, variables, decisions, events
    levels: list[str] = field(default_factory=list)  # level and option names (constants)


def expressions(names: _Names, *, random: bool, depth: int = 3) -> st.SearchStrategy[str]:
    """Expression texts over ``names`` (numbers), with random calls when ``random``."""
    leaves = [_NUMBERS, _CLOCK]
    if names.numbers:
        leaves.append(st.sampled_from(names.numbers))
    if names.levels:
        leaves.append(st.sampled_from(names.levels))
    leaf = st.one_of(*leaves)
    if random:
        leaf = st.one_of(leaf, st.sampled_from(["uniform()", "normal()", "bernoulli(0.5)", "normal(1, 0.5)", "uniform(-1, 2)"]))
    if depth == 0:
        return leaf

    sub = expressions(names, random=random, depth=depth - 1)

    def unary(fn: str) -> st.SearchStrategy[str]:
        return sub.map(lambda a: fn.format(a=a))

    def binary(fn: str) -> st.SearchStrategy[str]:
        return st.tuples(sub, sub).map(lambda ab: fn.format(a=ab[0], b=ab[1]))

    def ternary(fn: str) -> st.SearchStrategy[str]:
        return st.tuples(sub, sub, sub).map(lambda abc: fn.format(a=abc[0], b=abc[1], c=abc[2]))

    guarded = [
        binary("({a} + {b})"),
        binary("({a} - {b})"),
        binary("({a} * {b})"),
        binary("({a} / (1 + abs({b})))"),
        binary("({a} % 3)"),
        binary("({a} // 2)"),
        unary("(abs({a}) ** 0.5)"),
        unary("({a} ** 2)"),
        unary("-{a}"),
        unary("exp(clip({a}, -20, 5))"),
        unary("log(1 + abs({a}))"),
        unary("sqrt(abs({a}))"),
        unary("abs({a})"),
        unary("sin({a})"),
        unary("cos({a})"),
        binary("({a} < {b})"),
        binary("({a} >= {b})"),
        binary("({a} == {b})"),
        binary("({a} != {b})"),
        ternary("({a} <= {b} < {c})"),
        binary("({a} and {b})"),
        binary("({a} or {b})"),
        unary("(not {a})"),
        ternary("where({a}, {b}, {c})"),
        ternary("clip({a}, {b}, {c})"),
        binary("min({a}, {b})"),
        ternary("max({a}, {b}, {c})"),
    ]
    if random:
        guarded += [binary("normal({a}, abs({b}))"), binary("uniform({a}, {b})"), unary("bernoulli({a})")]
    raw = [binary("({a} / {b})"), binary("({a} ** {b})"), unary("log({a})"), unary("exp({a})"), binary("({a} % {b})"), binary("({a} // {b})")]
    return st.one_of(leaf, st.one_of(*guarded), st.one_of(*raw))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@st.composite
def scenario_texts(draw: st.DrawFn, *, max_elements: int = 3, depth: int = 2) -> str:
    """A valid scenario file (YAML text) with up to ``max_elements`` of each kind of element.

    Names are short and generated (``p0``, ``x0``, ``d0``, ...); every expression
    reads only names declared before it where the language requires it (initial
    values), and anything declared elsewhere.
    """
    n_params = draw(st.integers(1, max_elements))
    kinds = draw(st.lists(st.sampled_from(["continuous", "boolean", "levels"]), min_size=1, max_size=max_elements + 1))
    n_actors = draw(st.integers(0, 2))
    n_events = draw(st.integers(0, max_elements))
    step_days = draw(st.sampled_from([1, 1, 2, 7]))
    horizon = step_days * draw(st.integers(1, 8))
    lines = ["name: generated", f"clock: {{start: 2026-01-01, step_days: {step_days}, horizon_days: {horizon}}}", "parameters:"]

    params = [f"p{k}" for k in range(n_params)]
    for p in params:
        prior = draw(
            st.sampled_from(
                [
                    "{prior: {dist: uniform, low: -1, high: 2}}",
                    "{prior: {dist: normal, mean: 0.5, sd: 1}}",
                    "{prior: {dist: lognormal, median: 1, sigma: 0.5}}",
                    "{value: 0.3}",
                    "{prior: {dist: categorical, values: [0, 1, 3]}}",
                ]
            )
        )
        lines.append(f"  {p}: {prior}")

    variables: list[tuple[str, str, list[str]]] = []
    for k, kind in enumerate(kinds):
        levels = [f"v{k}l{j}" for j in range(draw(st.integers(2, 4)))] if kind == "levels" else []
        variables.append((f"v{k}", kind, levels))
    level_names = [lv for _, _, levels in variables for lv in levels]
    decisions: list[tuple[str, list[str]]] = []
    for a in range(n_actors):
        for d in range(draw(st.integers(1, 2))):
            decisions.append((f"a{a}d{d}", [f"a{a}d{d}o{o}" for o in range(draw(st.integers(1, 4)))]))
    events = [f"e{k}" for k in range(n_events)]
    option_names = [o for _, options in decisions for o in options]
    everything = _Names(params + [v for v, _, _ in variables] + [d for d, _ in decisions] + events, level_names + option_names)

    def expr(random: bool = True, names: _Names = everything) -> str:
        return _quote(draw(expressions(names, random=random, depth=depth)))

    lines.append("variables:")
    for k, (name, kind, levels) in enumerate(variables):
        earlier = _Names(params + [v for v, _, _ in variables[:k]], level_names)
        initial = expr(random=False, names=earlier)
        if kind == "continuous":
            bounds = draw(st.sampled_from(["", ", bounds: [-50, 50]", ", bounds: [0, null]", ", bounds: [null, 10]"]))
            lines.append(f"  {name}: {{type: continuous{bounds}, initial: {initial}}}")
        elif kind == "boolean":
            lines.append(f"  {name}: {{type: boolean, initial: {initial}}}")
        else:
            top = len(levels) - 1
            initial = draw(st.sampled_from([*levels, _quote(f"where({initial[1:-1]} > 0.5, {top}, 0)")]))
            lines.append(f"  {name}: {{type: levels, levels: [{', '.join(levels)}], initial: {initial}}}")
    var_names = [v for v, _, _ in variables]

    def effects() -> str:
        targets = draw(st.lists(st.sampled_from(var_names), max_size=2, unique=True))
        return "{" + ", ".join(f"{t}: {expr()}" for t in targets) + "}"

    if decisions:
        lines.append("actors:")
    by_actor: dict[str, list[tuple[str, list[str]]]] = {}
    for d, options in decisions:
        by_actor.setdefault(d.split("d")[0], []).append((d, options))
    for actor, actor_decisions in by_actor.items():
        lines.append(f"  {actor}:")
        lines.append(f"    rationality: {draw(st.sampled_from(['0', '1', '3', '0.5'])) if draw(st.booleans()) else expr()}")
        interests = draw(st.integers(0, 2))
        if interests:
            lines.append("    interests:")
            for k in range(interests):
                weight = f", weight: {expr()}" if draw(st.booleans()) else ""
                lines.append(f"      {actor}i{k}: {{value: {expr()}{weight}}}")
        lines.append("    decisions:")
        for d, options in actor_decisions:
            lines.append(f"      {d}:")
            if draw(st.booleans()):
                lines.append(f"        initial: {draw(st.sampled_from(options))}")
            if draw(st.integers(0, 3)) == 0:
                lines.append(f"        rationality: {expr()}")
            lines.append("        options:")
            for k, option in enumerate(options):
                fields = []
                if k > 0 and draw(st.booleans()):
                    fields.append(f"when: {expr()}")
                if draw(st.booleans()):
                    fields.append(f"utility: {expr()}")
                if draw(st.booleans()):
                    fields.append(f"effects: {effects()}")
                lines.append(f"          {option}: {{{', '.join(fields)}}}")

    if events:
        lines.append("events:")
    for e in events:
        raw = draw(expressions(everything, random=True, depth=depth))
        hazard = draw(st.sampled_from([_quote(f"abs({raw})"), _quote(f"clip({raw}, 0, 0.5)"), "0.1", "0"]))
        fields = [f"hazard: {hazard}"]
        if draw(st.booleans()):
            fields.append(f"when: {expr()}")
        if draw(st.booleans()):
            fields.append("once: true")
        if draw(st.booleans()):
            fields.append(f"effects: {effects()}")
        lines.append(f"  {e}: {{{', '.join(fields)}}}")

    mechanisms = draw(st.integers(0, max_elements))
    if mechanisms:
        lines.append("mechanisms:")
    for k in range(mechanisms):
        target = draw(st.sampled_from(var_names))
        when = f", when: {expr()}" if draw(st.booleans()) else ""
        lines.append(f"  m{k}: {{target: {target}, update: {expr()}{when}}}")

    lines += ["questions:", f"  q0: {{kind: probability, text: generated, condition: '{var_names[0]} > 0'}}"]
    return "\n".join(lines) + "\n"
