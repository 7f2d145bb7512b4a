"""Parse an expression with :mod:`ast` on a whitelist and compile it to NumPy closures.

The text is parsed, never evaluated: every node is checked against a whitelist and
turned into a small Python closure over NumPy operations. The closures run on whole
arrays (one value per run), so an expression is compiled once and evaluated once per
step for all runs.

The compiler also keeps a small intermediate form of each expression (:attr:`Expression.ir`,
nested tuples of whitelisted operators, canonical names and numbers) from which the
engine's compiled backends generate their own code.
"""

from __future__ import annotations

import ast
import datetime as _dt
import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from realpolitik.errors import ExpressionError

__all__ = ["Expression", "compile_expression", "FUNCTIONS", "RANDOM_FUNCTIONS", "RESERVED_NAMES", "date_ordinal"]

#: Functions an expression may call, with their allowed numbers of arguments.
FUNCTIONS: dict[str, tuple[int, ...]] = {
    "where": (3,),
    "clip": (3,),
    "min": tuple(range(2, 17)),
    "max": tuple(range(2, 17)),
    "exp": (1,),
    "log": (1,),
    "sqrt": (1,),
    "abs": (1,),
    "sin": (1,),
    "cos": (1,),
    "date": (1,),
    "normal": (0, 2),
    "uniform": (0, 2),
    "bernoulli": (1,),
}

#: Functions that draw random numbers; each call site gets its own stream.
RANDOM_FUNCTIONS = frozenset({"normal", "uniform", "bernoulli"})

#: Names every expression can use without declaring them.
RESERVED_NAMES = frozenset({"step", "day", "today", "true", "false"})

Value = Any  # a float, a bool or a NumPy array
Env = Mapping[str, Value]
UniformSource = Callable[[int], np.ndarray]
_Fn = Callable[[Env, "UniformSource | None"], Value]
#: A node of the intermediate form (see :attr:`Expression.ir`).
IR = tuple[Any, ...]

_ARITH = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.true_divide,
    ast.Pow: np.power,
    ast.Mod: np.mod,
    ast.FloorDiv: np.floor_divide,
}
_COMPARE = {
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
}
_ARITH_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.Mod: "%", ast.FloorDiv: "//"}
_COMPARE_SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_UNARY_MATH = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs, "sin": np.sin, "cos": np.cos}

_FORBIDDEN_NODES: dict[type, str] = {
    ast.Attribute: "attribute access ('.name') is not allowed",
    ast.Subscript: "subscripts ('x[...]') are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.NamedExpr: "assignment expressions (':=') are not allowed",
    ast.IfExp: "'a if c else b' is not allowed; write where(c, a, b)",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Starred: "starred arguments are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
}


def date_ordinal(text: str) -> int:
    """The day number of an ISO date (``date("2026-03-08")`` in an expression)."""
    return _dt.date.fromisoformat(text).toordinal()


@dataclass(frozen=True)
class Expression:
    """A compiled expression.

    Attributes:
        text: the source text as written in the scenario.
        names: the canonical names of the state, parameters and clock it reads.
        random_sites: how many random draws it makes per evaluation (one per call of
            ``normal``, ``uniform`` or ``bernoulli``).
        constant: its value when it reads no name and draws nothing, else ``None``.
        ir: the expression as nested tuples, for backends that generate code from it
            (``None`` only for an Expression built by hand rather than compiled).
            Every node is one of ``("const", number)`` (constant subexpressions are
            folded; bools and level codes kept as they are), ``("name", canonical_name)``,
            ``("neg" | "pos" | "not", x)``, ``("bin", op, a, b)`` with ``op`` one of
            ``+ - * / ** % //``, ``("and" | "or", (x, ...))``, ``("cmp", (op, ...),
            (x, y, ...))`` with ``op`` one of ``== != < <= > >=``, ``("call", function,
            (x, ...))`` for the non-random :data:`FUNCTIONS` but ``date`` (folded), and
            ``("random", function, site, (x, ...))`` for ``normal``, ``uniform`` and
            ``bernoulli``. It means what the NumPy closures compute: arithmetic on
            floats (booleans and level codes converted), truth as "not zero" (NaN is true).
    """

    text: str
    names: frozenset[str]
    random_sites: int
    constant: float | bool | None
    _fn: _Fn = field(repr=False, compare=False)
    ir: IR | None = field(default=None, repr=False, compare=False)

    def evaluate(self, env: Env, uniforms: UniformSource | None = None) -> Value:
        """Evaluate on arrays (or scalars) named in ``env``.

        Args:
            env: values of every name in :attr:`names`.
            uniforms: ``uniforms(site)`` gives the uniform draws in [0, 1) for call
                site ``site`` (0-based, in reading order); needed when
                :attr:`random_sites` is not zero.

        Example:
            >>> e = compile_expression("clip(x * 2, 0, 5)", known={"x"})
            >>> e.evaluate({"x": np.array([-1.0, 1.0, 4.0])}).tolist()
            [0.0, 2.0, 5.0]
        """
        if self.random_sites and uniforms is None:
            raise ValueError(f"expression {self.text!r} draws random numbers: pass uniforms")
        with np.errstate(all="ignore"):
            return self._fn(env, uniforms)

    def evaluate_quiet(self, env: Env, uniforms: UniformSource | None = None) -> Value:
        """:meth:`evaluate` for callers that already silence floating-point warnings
        (``np.errstate(all="ignore")``) around many evaluations: the engine's step."""
        return self._fn(env, uniforms)


#: The longest expression text compiled, and the deepest its syntax tree may nest (its
#: compiled form is evaluated recursively: a chain of 10,000 additions would exhaust
#: the stack).
MAX_EXPRESSION_CHARS = 20_000
MAX_EXPRESSION_DEPTH = 200


def _depth(root: ast.AST) -> int:
    """How deep a syntax tree nests (without recursion)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_EXPRESSION_DEPTH:
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def compile_expression(
    text: str | int | float | bool,
    *,
    known: Collection[str] | None = None,
    constants: Mapping[str, float] | None = None,
    aliases: Mapping[str, str] | None = None,
    allow_random: bool = True,
) -> Expression:
    """Compile expression text into an :class:`Expression`.

    Args:
        text: the expression; a number or a bool is taken as a constant.
        known: names the expression may read (besides :data:`RESERVED_NAMES`);
            ``None`` accepts any name.
        constants: names replaced by numbers at compile time (level names).
        aliases: other names for known names (inventory IDs such as ``V2``).
        allow_random: whether ``normal()``, ``uniform()`` and ``bernoulli()`` may be used.

    Raises:
        ExpressionError: the text is not a valid expression, names an unknown name
            or uses a construct outside the whitelist.

    Example:
        >>> compile_expression("1 + 2 * 3").constant
        7.0
    """
    if isinstance(text, bool):
        return Expression(str(text).lower(), frozenset(), 0, text, lambda env, u, v=text: v, ("const", text))
    if isinstance(text, (int, float)):
        try:
            value = float(text)
        except OverflowError:  # an integer of over 308 digits
            value = float("inf")
        if not np.isfinite(value):
            shown = repr(text) if isinstance(text, float) or text.bit_length() < 256 else f"an integer of {text.bit_length():,} bits"
            raise ExpressionError(f"{shown} is not a finite number (a number must be finite, below about 1.8e308)", shown)
        return Expression(repr(text), frozenset(), 0, value, lambda env, u, v=value: v, ("const", value))
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be text or a number, not {type(text).__name__}", str(text))
    compiler = _Compiler(text, known, constants or {}, aliases or {}, allow_random)
    return compiler.compile()


class _Compiler:
    def __init__(
        self,
        text: str,
        known: Collection[str] | None,
        constants: Mapping[str, float],
        aliases: Mapping[str, str],
        allow_random: bool,
    ) -> None:
        self.text = text
        self.known = None if known is None else frozenset(known) | RESERVED_NAMES
        self.constants = constants
        self.aliases = aliases
        self.allow_random = allow_random
        self.names: set[str] = set()
        self.sites = 0

    def error(self, message: str, node: ast.AST | None = None) -> ExpressionError:
        line = getattr(node, "lineno", 2) - 1 if node is not None else 1
        column = getattr(node, "col_offset", 0) + 1 if node is not None else 1
        return ExpressionError(message, self.text, max(line, 1), column)

    def compile(self) -> Expression:
        if not self.text.strip():
            raise ExpressionError("the expression is empty", self.text)
        if re.match(r"\s*(import|from)\s", self.text):
            raise ExpressionError("imports are not allowed", self.text)
        if len(self.text) > MAX_EXPRESSION_CHARS:
            raise ExpressionError(f"the expression is {len(self.text):,} characters long; at most {MAX_EXPRESSION_CHARS:,}", self.text[:80] + "...")
        # Python folds a fullwidth or accented name into another (NFKC): 'ｃｏｓｔ' would read 'cost'.
        at = next((i for i, ch in enumerate(self.text) if not ch.isascii() and ("a" + ch).isidentifier()), None)
        if at is not None:
            line, column = self.text.count("\n", 0, at) + 1, at - self.text.rfind("\n", 0, at)
            raise ExpressionError(f"{self.text[at]!r} (U+{ord(self.text[at]):04X}) is not an ASCII letter: names hold only ASCII letters, digits and '_'", self.text, line, column)
        try:
            # Wrapping in parentheses on their own lines lets an expression span lines
            # (YAML block scalars) and keeps the user's line numbers (minus one).
            tree = ast.parse("(\n" + self.text + "\n)", mode="eval")
        except SyntaxError as exc:
            line = max((exc.lineno or 2) - 1, 1)
            detail = "" if exc.msg == "invalid syntax" else f": {exc.msg}"
            raise ExpressionError(f"invalid syntax{detail}", self.text, line, exc.offset or 1) from None
        except (RecursionError, MemoryError):
            raise ExpressionError(f"the expression nests too deep (at most {MAX_EXPRESSION_DEPTH} levels)", self.text[:80]) from None
        deepest = _depth(tree.body)
        if deepest > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(
                f"the expression nests {deepest} levels deep (a chain of {deepest} operators counts as {deepest}); at most {MAX_EXPRESSION_DEPTH}: "
                "split it with helper variables or use sum-like functions (max, min)", self.text[:80]
            )
        fn, const, ir = self.node(tree.body)
        constant = None
        if const is not _NOT_CONSTANT:
            constant = bool(const) if isinstance(const, (bool, np.bool_)) else float(const)
        return Expression(self.text, frozenset(self.names), self.sites, constant, fn, ir)

    # Each method returns (closure, constant value or _NOT_CONSTANT, intermediate form).
    def node(self, node: ast.AST) -> tuple[_Fn, Any, IR]:
        for kind, message in _FORBIDDEN_NODES.items():
            if isinstance(node, kind):
                raise self.error(message, node)
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.error(f"'{type(node).__name__}' is not allowed in an expression", node)
        return method(node)

    def _Constant(self, node: ast.Constant) -> tuple[_Fn, Any, IR]:
        value = node.value
        if isinstance(value, bool):
            return _const(value)
        if isinstance(value, (int, float)):
            try:
                number = float(value)
            except OverflowError:  # an integer of over 308 digits
                number = float("inf")
            if not np.isfinite(number):  # also 1e400, which Python reads as infinity
                raise self.error("this number is too large: a number must be finite, below about 1.8e308", node)
            return _const(number)
        if isinstance(value, str):
            raise self.error("text is only allowed as the argument of date(\"YYYY-MM-DD\")", node)
        raise self.error(f"constant {value!r} is not allowed", node)

    def _Name(self, node: ast.Name) -> tuple[_Fn, Any, IR]:
        name = node.id
        if name.startswith("_"):
            raise self.error(f"names starting with an underscore are not allowed: {name!r}", node)
        if name in ("true", "True"):
            return _const(True)
        if name in ("false", "False"):
            return _const(False)
        if name in self.constants:
            return _const(self.constants[name])
        name = self.aliases.get(name, name)
        if self.known is not None and name not in self.known:
            if name in FUNCTIONS:
                raise self.error(f"{name!r} is a function: call it as {name}(...)", node)
            pool = sorted(self.known | set(self.constants) | set(self.aliases))
            close = difflib.get_close_matches(name, pool, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise self.error(f"unknown name {name!r}{hint}", node)
        self.names.add(name)
        return (lambda env, u, n=name: env[n]), _NOT_CONSTANT, ("name", name)

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[_Fn, Any, IR]:
        fn, const, ir = self.node(node.operand)
        if isinstance(node.op, ast.Not):
            op: Callable[[Value], Value] = np.logical_not
            kind = "not"
        elif isinstance(node.op, ast.USub):
            op = lambda x: np.negative(_num(x))  # noqa: E731
            kind = "neg"
        elif isinstance(node.op, ast.UAdd):
            op = _num
            kind = "pos"
        else:
            raise self.error("bitwise '~' is not allowed; use 'not'", node)
        if const is not _NOT_CONSTANT:
            return _const(_scalar(op(const)))
        return (lambda env, u: op(fn(env, u))), _NOT_CONSTANT, (kind, ir)

    def _BinOp(self, node: ast.BinOp) -> tuple[_Fn, Any, IR]:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise self.error(f"operator '{type(node.op).__name__}' is not allowed; use + - * / ** % //", node)
        left, lc, lir = self.node(node.left)
        right, rc, rir = self.node(node.right)
        if lc is not _NOT_CONSTANT and rc is not _NOT_CONSTANT:
            with np.errstate(all="ignore"):
                return _const(_scalar(op(_num(lc), _num(rc))))
        ir = ("bin", _ARITH_SYMBOLS[type(node.op)], lir, rir)
        return (lambda env, u: op(_num(left(env, u)), _num(right(env, u)))), _NOT_CONSTANT, ir

    def _BoolOp(self, node: ast.BoolOp) -> tuple[_Fn, Any, IR]:
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        parts = [self.node(v) for v in node.values]
        fns = [p[0] for p in parts]
        if all(c is not _NOT_CONSTANT for _, c, _ in parts):
            value = parts[0][1]
            for _, c, _ in parts[1:]:
                value = combine(value, c)
            return _const(bool(value))
        ir = ("and" if isinstance(node.op, ast.And) else "or", tuple(p[2] for p in parts))

        def run(env: Env, u: UniformSource | None) -> Value:
            value = fns[0](env, u)
            for f in fns[1:]:
                value = combine(value, f(env, u))
            return value

        return run, _NOT_CONSTANT, ir

    def _Compare(self, node: ast.Compare) -> tuple[_Fn, Any, IR]:
        ops = []
        symbols = []
        for op in node.ops:
            fn = _COMPARE.get(type(op))
            if fn is None:
                raise self.error(f"comparison '{type(op).__name__}' is not allowed; use == != < <= > >=", node)
            ops.append(fn)
            symbols.append(_COMPARE_SYMBOLS[type(op)])
        operands = [self.node(node.left)] + [self.node(c) for c in node.comparators]
        fns = [p[0] for p in operands]
        if all(c is not _NOT_CONSTANT for _, c, _ in operands):
            value = True
            for i, op in enumerate(ops):
                value = value and bool(op(operands[i][1], operands[i + 1][1]))
            return _const(bool(value))

        def run(env: Env, u: UniformSource | None) -> Value:
            values = [f(env, u) for f in fns]
            result = ops[0](values[0], values[1])
            for i in range(1, len(ops)):
                result = np.logical_and(result, ops[i](values[i], values[i + 1]))
            return result

        return run, _NOT_CONSTANT, ("cmp", tuple(symbols), tuple(p[2] for p in operands))

    def _Call(self, node: ast.Call) -> tuple[_Fn, Any, IR]:
        if not isinstance(node.func, ast.Name):
            if isinstance(node.func, ast.Attribute):
                raise self.error("attribute access ('.name') is not allowed", node.func)
            raise self.error("only the built-in functions can be called", node)
        name = node.func.id
        if name.startswith("_"):
            raise self.error(f"names starting with an underscore are not allowed: {name!r}", node.func)
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name, FUNCTIONS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            allowed = ", ".join(sorted(FUNCTIONS))
            raise self.error(f"function {name!r} is not allowed{hint} (allowed: {allowed})", node)
        if node.keywords:
            raise self.error(f"{name}() takes no keyword arguments", node)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.error("starred arguments are not allowed", arg)
        counts = FUNCTIONS[name]
        if len(node.args) not in counts:
            want = " or ".join(str(c) for c in counts) if len(counts) < 4 else f"{counts[0]} to {counts[-1]}"
            raise self.error(f"{name}() takes {want} arguments, got {len(node.args)}", node)
        if name == "date":
            arg = node.args[0]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                raise self.error('date() takes a quoted ISO date, e.g. date("2026-04-01")', node)
            try:
                return _const(float(date_ordinal(arg.value)))
            except ValueError:
                raise self.error(f"not an ISO date (YYYY-MM-DD): {arg.value!r}", arg) from None
        args = [self.node(a) for a in node.args]
        fns = [a[0] for a in args]
        if name in RANDOM_FUNCTIONS:
            if not self.allow_random:
                raise self.error(f"{name}() draws random numbers and is not allowed here", node)
            site = self.sites
            self.sites += 1
            return self._random(name, site, fns), _NOT_CONSTANT, ("random", name, site, tuple(a[2] for a in args))
        impl = _function(name)
        if all(c is not _NOT_CONSTANT for _, c, _ in args):
            with np.errstate(all="ignore"):
                return _const(_scalar(impl(*[c for _, c, _ in args])))
        return (lambda env, u: impl(*[f(env, u) for f in fns])), _NOT_CONSTANT, ("call", name, tuple(a[2] for a in args))

    @staticmethod
    def _random(name: str, site: int, fns: list[_Fn]) -> _Fn:
        if name == "uniform":
            if fns:
                lo, hi = fns
                return lambda env, u: _num(lo(env, u)) + (_num(hi(env, u)) - _num(lo(env, u))) * u(site)
            return lambda env, u: u(site)
        if name == "normal":
            if fns:
                mean, sd = fns
                return lambda env, u: _num(mean(env, u)) + _num(sd(env, u)) * _ndtri(u(site))
            return lambda env, u: _ndtri(u(site))
        (p,) = fns
        return lambda env, u: u(site) < p(env, u)


class _NotConstant:
    def __repr__(self) -> str:
        return "<not constant>"


_NOT_CONSTANT = _NotConstant()


def _const(value: Any) -> tuple[_Fn, Any, IR]:
    return (lambda env, u, v=value: v), value, ("const", value)


def _num(x: Value) -> Value:
    """Arithmetic is on floats: booleans and level codes are converted first."""
    if isinstance(x, np.ndarray):
        return x if x.dtype == np.float64 else x.astype(np.float64)
    return float(x)


def _scalar(x: Value) -> Any:
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    return float(x)


def _where(c: Value, a: Value, b: Value) -> Value:
    if isinstance(a, (bool, np.bool_)) and isinstance(b, (bool, np.bool_)):
        return np.where(c, a, b)
    out = np.where(c, _num(a), _num(b))
    return out if out.ndim else float(out)


def _clip(x: Value, lo: Value, hi: Value) -> Value:
    return np.minimum(np.maximum(_num(x), _num(lo)), _num(hi))


def _reduce(op: Callable[[Value, Value], Value]) -> Callable[..., Value]:
    def run(*values: Value) -> Value:
        out = _num(values[0])
        for v in values[1:]:
            out = op(out, _num(v))
        return out

    return run


def _function(name: str) -> Callable[..., Value]:
    if name in _UNARY_MATH:
        f = _UNARY_MATH[name]
        return lambda x: f(_num(x))
    return {"where": _where, "clip": _clip, "min": _reduce(np.minimum), "max": _reduce(np.maximum)}[name]


def _ndtri(u: np.ndarray) -> np.ndarray:
    """The standard normal's inverse CDF (SciPy's), SciPy imported on first use: a fifth
    of a second that loading or checking a scenario need not pay."""
    from scipy.special import ndtri

    return ndtri(u)
