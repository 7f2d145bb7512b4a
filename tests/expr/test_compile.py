"""The expression language: the sandbox rejects what it must, and compiled code matches the reference."""

from __future__ import annotations

import keyword

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from realpolitik.errors import ExpressionError
from realpolitik.expr import FUNCTIONS, compile_expression
from tests.expr.reference import interpret

NAMES = {"x", "y", "z", "b"}
identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(lambda s: not keyword.iskeyword(s))

# ---------------------------------------------------------------- the sandbox


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x.real", "attribute access"),
        ("x[0]", "subscripts"),
        ("__import__('os')", "underscore"),
        ("x.__class__", "attribute access"),
        ("__builtins__", "underscore"),
        ("open('f')", "function 'open' is not allowed"),
        ("eval('1')", "function 'eval' is not allowed"),
        ("lambda: 1", "lambdas"),
        ("[v for v in x]", "comprehensions"),
        ("{v: 1 for v in x}", "comprehensions"),
        ("(v for v in x)", "comprehensions"),
        ("import os", "imports"),
        ("from os import path", "imports"),
        ("(y := 1)", "assignment"),
        ("x if b else y", "where(c, a, b)"),
        ("'text'", "text is only allowed"),
        ("f'{x}'", "f-strings"),
        ("exp(x=1)", "keyword"),
        ("max(*x)", "starred"),
        ("x | y", "operator"),
        ("x in y", "comparison"),
        ("x is y", "comparison"),
        ("nrmal()", "did you mean 'normal'"),
        ("xx + 1", "did you mean 'x'"),
        ("exp", "is a function"),
        ("date(x)", "quoted ISO date"),
        ("date('2026-13-01')", "not an ISO date"),
        ("", "empty"),
        ("1 +", "invalid syntax"),
    ],
)
def test_rejected_constructs_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compile_expression(text, known=NAMES)


@given(name=identifiers, depth=st.integers(0, 5), construct=st.sampled_from(["x.{n}", "x[{n}]", "__{n}__", "{n}.__dict__", "lambda {n}: 1", "[{n} for {n} in x]", "_{n}"]))
def test_sandbox_rejects_at_the_right_line(name: str, depth: int, construct: str) -> None:
    text = "1 +\n" * depth + construct.format(n=name)
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, known=NAMES | {name})
    assert info.value.offset_line == depth + 1


@given(name=identifiers)
def test_calls_outside_the_whitelist_are_rejected(name: str) -> None:
    assume(name not in FUNCTIONS)
    with pytest.raises(ExpressionError, match="is not allowed"):
        compile_expression(f"{name}(x)", known=NAMES)


@given(name=identifiers)
def test_unknown_names_are_rejected(name: str) -> None:
    assume(name not in NAMES and name not in FUNCTIONS and name not in {"true", "false", "step", "day", "today"})
    with pytest.raises(ExpressionError, match="unknown name"):
        compile_expression(f"x + {name}", known=NAMES)


def test_random_draws_can_be_forbidden() -> None:
    with pytest.raises(ExpressionError, match="draws random numbers"):
        compile_expression("x + normal()", known=NAMES, allow_random=False)


def test_level_names_and_aliases_resolve_at_compile_time() -> None:
    e = compile_expression("V2 > 90 and escalation >= tit_for_tat", known={"brent", "escalation"}, constants={"tit_for_tat": 2}, aliases={"V2": "brent"})
    assert e.names == {"brent", "escalation"}
    out = e.evaluate({"brent": np.array([95.0, 95.0, 80.0]), "escalation": np.array([2, 1, 3])})
    assert out.tolist() == [True, False, False]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # every name read, even where a branch or a zero factor makes it moot
        ("where(b, x, 0 * y)", {"b", "x", "y"}),
        # functions, date(), level names and random draws are not names of the state
        ("max(x, 1) + exp(normal()) + date(\"2026-01-01\") + high", {"x"}),
        ("day > 3 and z", {"day", "z"}),
        ("2 + 2", set()),
    ],
)
def test_names_are_everything_an_expression_reads(text: str, names: set[str]) -> None:
    # scenario.check traces what each element can change by these names (_reach.py):
    # evaluating must need no other name
    e = compile_expression(text, known=NAMES, constants={"high": 2})
    assert e.names == names
    env = {n: np.array([1.0, 0.0]) for n in e.names}
    e.evaluate(env, lambda site: np.array([0.5, 0.5]))


def test_multiline_expressions_keep_line_numbers() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression("x +\n  y +\n  zz", known=NAMES)
    assert (info.value.offset_line, info.value.offset_column) == (3, 3)


def test_constants_fold() -> None:
    assert compile_expression("max(1, 2) * 3 + (2 > 1)").constant == 7.0
    assert compile_expression("date('2026-03-09') - date('2026-03-08')").constant == 1.0


def test_boolean_arithmetic_counts_rather_than_ors() -> None:
    e = compile_expression("b + b", known=NAMES)
    assert e.evaluate({"b": np.array([True, False])}).tolist() == [2.0, 0.0]


# ---------------------------------------------------------------- compiled == reference

numbers = st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: repr(round(v, 3)))


def _numeric(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    unary = st.tuples(st.sampled_from(["-", "exp", "log", "sqrt", "abs", "sin", "cos"]), children).map(
        lambda t: f"(-{t[1]})" if t[0] == "-" else f"{t[0]}({t[1]})"
    )
    calls = st.one_of(
        st.tuples(_boolean(children), children, children).map(lambda t: f"where({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(children, children, children).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=4)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
    )
    return st.one_of(binary, unary, calls)


def _boolean(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    compare = st.tuples(children, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    chained = st.tuples(children, children, children).map(lambda t: f"({t[0]} < {t[1]} <= {t[2]})")
    logic = st.tuples(st.just("b"), st.sampled_from(["and", "or"]), compare).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    negated = compare.map(lambda c: f"(not {c})")
    return st.one_of(compare, chained, logic, negated, st.just("b"))


leaves = st.one_of(st.sampled_from(["x", "y", "z"]), numbers)
expressions = st.recursive(leaves, _numeric, max_leaves=12)
values = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@given(text=expressions, data=st.lists(st.tuples(values, values, values, st.booleans()), min_size=1, max_size=8))
def test_compiled_equals_reference_interpreter(text: str, data: list[tuple[float, float, float, bool]]) -> None:
    expr = compile_expression(text, known=NAMES)
    columns = {k: np.array([row[i] for row in data], dtype=float if k != "b" else bool) for i, k in enumerate(["x", "y", "z", "b"])}
    got = np.broadcast_to(np.asarray(expr.evaluate(columns), dtype=float), (len(data),))
    for i, row in enumerate(data):
        want = float(interpret(text, {"x": row[0], "y": row[1], "z": row[2], "b": row[3]}))
        assert np.isclose(got[i], want, rtol=1e-9, atol=1e-12, equal_nan=True) or (np.isinf(want) and got[i] == want), (text, row, got[i], want)


@given(text=_boolean(expressions), data=st.lists(st.tuples(values, values, values, st.booleans()), min_size=1, max_size=8))
# clip of 0.0 to [-0.0, 1] is -0.0 (NumPy's maximum takes the second of two equal
# values), so 1 / it is -inf: once drawn at random, the reference then took 0.0
@example(text="(x < (x / clip(y, -0.0, x)))", data=[(1.0, 0.0, 0.0, False)])
def test_compiled_conditions_equal_reference_interpreter(text: str, data: list[tuple[float, float, float, bool]]) -> None:
    expr = compile_expression(text, known=NAMES)
    columns = {k: np.array([row[i] for row in data], dtype=float if k != "b" else bool) for i, k in enumerate(["x", "y", "z", "b"])}
    got = np.broadcast_to(np.asarray(expr.evaluate(columns), dtype=bool), (len(data),))
    for i, row in enumerate(data):
        assert bool(got[i]) == bool(interpret(text, {"x": row[0], "y": row[1], "z": row[2], "b": row[3]})), (text, row)


@given(u=st.lists(st.floats(1e-9, 1 - 1e-9), min_size=3, max_size=3), mean=values, sd=st.floats(0.01, 10))
def test_random_calls_use_their_own_site(u: list[float], mean: float, sd: float) -> None:
    text = f"normal({mean}, {sd}) + uniform(0, 2) * bernoulli(0.5)"
    expr = compile_expression(text)
    assert expr.random_sites == 3
    got = expr.evaluate({}, lambda site: np.array([u[site]]))
    assert np.isclose(float(np.asarray(got)[0]), float(interpret(text, {}, u)), rtol=1e-12)


@pytest.mark.parametrize(
    "text",
    ["1" + " + 1" * 3000, "not " * 3000 + "x", "-" * 5000 + "1", "2" + "**2" * 3000, "(" * 1000 + "1" + ")" * 1000, "x" * 30_000],
    ids=["long-sum", "not-chain", "minus-chain", "power-chain", "parentheses", "long-name"],
)
def test_a_deep_or_long_expression_is_an_error_not_a_crash(text: str) -> None:
    from realpolitik.errors import ExpressionError

    with pytest.raises(ExpressionError, match="nests|characters long|invalid syntax"):
        compile_expression(text)


def test_an_expression_just_within_the_depth_limit_compiles_and_evaluates() -> None:
    e = compile_expression("1" + " + 1" * 150)
    assert e.constant == 151.0
