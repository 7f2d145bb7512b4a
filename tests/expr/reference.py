"""A plain, scalar reference interpreter of the expression language, for tests.

It walks the same ``ast`` nodes one value at a time with Python's ``math``; the
compiled NumPy closures must agree with it on every input.
"""

from __future__ import annotations

import ast
import math

from scipy.special import ndtri


def interpret(text: str, env: dict[str, float], uniforms: list[float] | None = None) -> float | bool:
    tree = ast.parse("(\n" + text + "\n)", mode="eval")
    sites = iter(uniforms or [])
    return _eval(tree.body, env, sites)


def _num(x: float | bool) -> float:
    return float(x)


def _div(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _pow(a: float, b: float) -> float:
    if a < 0 and math.isfinite(b) and not b.is_integer():
        return math.nan  # a real power of a negative number is not real
    try:
        r = a**b
    except OverflowError:
        odd_integer = b.is_integer() and int(b) % 2 == 1
        return math.copysign(math.inf, a) if odd_integer else math.inf
    except ZeroDivisionError:
        return math.inf
    if isinstance(r, complex):
        return math.nan
    return float(r)


def _eval(node: ast.AST, env: dict[str, float], sites) -> float | bool:  # type: ignore[no-untyped-def]
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, bool) else float(node.value)
    if isinstance(node, ast.Name):
        if node.id in ("true", "True"):
            return True
        if node.id in ("false", "False"):
            return False
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env, sites)
        if isinstance(node.op, ast.Not):
            return not v
        return -_num(v) if isinstance(node.op, ast.USub) else _num(v)
    if isinstance(node, ast.BinOp):
        a, b = _num(_eval(node.left, env, sites)), _num(_eval(node.right, env, sites))
        op = type(node.op)
        if op is ast.Add:
            return a + b
        if op is ast.Sub:
            return a - b
        if op is ast.Mult:
            return a * b
        if op is ast.Div:
            return _div(a, b)
        if op is ast.Pow:
            return _pow(a, b)
        raise NotImplementedError(op)
    if isinstance(node, ast.BoolOp):
        values = [bool(_eval(v, env, sites)) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare):
        values = [_eval(node.left, env, sites)] + [_eval(c, env, sites) for c in node.comparators]
        ops = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
               ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b}
        return all(ops[type(op)](values[i], values[i + 1]) for i, op in enumerate(node.ops))
    if isinstance(node, ast.Call):
        name = node.func.id  # type: ignore[attr-defined]
        if name in ("normal", "uniform", "bernoulli"):
            args = [_num(_eval(a, env, sites)) for a in node.args]
            u = next(sites)
            if name == "uniform":
                return args[0] + (args[1] - args[0]) * u if args else u
            if name == "normal":
                z = float(ndtri(u))
                return args[0] + args[1] * z if args else z
            return u < args[0]
        args = [_eval(a, env, sites) for a in node.args]
        if name == "where":
            return _num(args[1]) if args[0] else _num(args[2])
        if name == "clip":
            x, lo, hi = (_num(a) for a in args)
            if math.isnan(x) or math.isnan(lo) or math.isnan(hi):
                return math.nan
            return _lesser(_greater(x, lo), hi)
        if name in ("min", "max"):
            values = [_num(a) for a in args]
            if any(math.isnan(v) for v in values):
                return math.nan
            out = values[0]
            for v in values[1:]:
                out = _lesser(out, v) if name == "min" else _greater(out, v)
            return out
        x = _num(args[0])
        if name == "abs":
            return abs(x)
        if name in ("sin", "cos"):
            return getattr(math, name)(x) if math.isfinite(x) else math.nan
        if name == "exp":
            try:
                return math.exp(x)
            except OverflowError:
                return math.inf
        if name == "sqrt":
            return math.sqrt(x) if x >= 0 else math.nan
        if name == "log":
            return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)
    raise NotImplementedError(ast.dump(node))


def _greater(a: float, b: float) -> float:
    """NumPy's ``maximum`` of two numbers: of two equal ones (0.0 and -0.0), the second,
    as the engine's steps take it (Python's ``max`` takes the first, and the sign of a
    zero decides what dividing by it gives)."""
    return a if a > b else b


def _lesser(a: float, b: float) -> float:
    """NumPy's ``minimum`` of two numbers: of two equal ones, the second."""
    return a if a < b else b
