"""Machine code for the step of each run: a program of simple instructions lowered to LLVM IR.

``_numba`` turns a scenario's step into a *program*: a tuple of instructions in
three-address form over numbered registers (no user text: opcodes from the table
below, register numbers, array slots and numbers). :func:`make_body` returns a Numba
intrinsic that emits the program as LLVM IR inside the kernel's loop over runs: four
runs at a time in SIMD lanes, then the runs left over one by one. Numba's own
frontend costs milliseconds per operation; this costs microseconds, and LLVM still
optimises the whole step as one function.

Registers hold a double, a boolean (i1) or an int64 (per lane), as the instruction
that defines them says. Operands are register numbers (``int``) or double constants
(``float``).

Importing this module imports Numba.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from llvmlite import ir
from numba import types
from numba.core import cgutils, typing
from numba.extending import intrinsic

from realpolitik.engine._numba_math import floor_divide, ndtri, remainder

__all__ = ["make_body", "OPCODES", "emit_exp", "exp1", "exp4"]

_F64 = ir.DoubleType()
_I64 = ir.IntType(64)
_I8 = ir.IntType(8)
_I1 = ir.IntType(1)
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
#: What NumPy's ``astype(np.int64)`` makes of NaN on x86 (the "integer indefinite").
_INT64_MIN_AS_FLOAT = -9223372036854775808.0
#: Runs advanced together in SIMD lanes (4 doubles: one AVX2 register).
_LANES = 4
_FCMP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=="}
_LIBM = {"exp": math.exp, "log": math.log, "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "expm1": math.expm1}
_CALLS = {"ndtri": ndtri, "%": remainder, "//": floor_divide}

#: opcode -> what it does (d: the register it defines).
OPCODES = {
    "clock": "d = clock[k] (0 step, 1 day, 2 today, 3 step_days)",
    "lf": "d = float input k at this run",
    "lb": "d = bool input k at this run, as 0.0 or 1.0",
    "li": "d = int64 input k at this run, as a double",
    "sf": "float output k at this run = a",
    "sb": "bool output k at this run = (a != 0)",
    "si": "int64 output k at this run = int(a)",
    "neg": "d = -a",
    "+": "d = a + b",
    "-": "d = a - b",
    "*": "d = a * b",
    "/": "d = a / b",
    "**": "d = pow(a, b)",
    "%": "d = np.remainder(a, b)",
    "//": "d = np.floor_divide(a, b)",
    "truth": "d (bool) = a != 0 (NaN is true)",
    "cmp": "d (bool) = a OP b (== != < <= > >=, as NumPy on floats)",
    "and": "d (bool) = all of the bools",
    "or": "d (bool) = any of the bools",
    "not": "d (bool) = not a (bool)",
    "num": "d = 1.0 if the bool a else 0.0",
    "select": "d = a if the bool c else b (doubles or ints)",
    "max": "d = np.maximum(a, b)",
    "min": "d = np.minimum(a, b)",
    "fn": "d = name(a) for exp, log, sqrt, sin, cos, expm1, abs",
    "uniform": "d = the run's uniform draw of call j (keys[j])",
    "ndtri": "d = the standard normal quantile of a",
    "level": "d = the levels code of a within [low, high] (rint, clip; NaN as int64 NaN)",
    "draw": "d (bool) = u < -expm1(-x), expm1 computed only when u <= x (it is below x)",
    "weight": "d = exp(x) where the bool f holds (f = -1: always), else 0.0; exp(+-0) = 1 without the call",
    "bad": "mark the run when a is not finite",
    "badif": "mark the run when a is not finite and the bool c holds",
    "forced": "d (int) = forced[j] (the option forced on decision j, or -1)",
    "fires": "d (bool) = fires[j] (event j is forced to fire)",
    "iconst": "d (int) = k",
    "ige0": "d (bool) = the int a >= 0",
    "ieq": "d (bool) = the int a == k",
    "iadd": "d (int) = a + (1 if the bool b else 0)",
    "imin": "d (int) = min(a, b)",
    "itof": "d = the int a as a double",
}


def make_body(program: Sequence[tuple[Any, ...]]) -> Any:
    """A Numba intrinsic ``body(start, stop, runs, clock, keys, forced, fires, fin, bin_, iin, fout, bout, iout, err)``
    that runs ``program`` for the runs ``start`` to ``stop - 1`` and writes their outputs and ``err``.

    The loop over runs is part of the intrinsic: the arrays are unpacked once, not per run.
    """
    for ins in program:
        if ins[0] not in OPCODES:
            raise ValueError(f"unknown opcode {ins[0]!r}")

    @intrinsic
    def body(typingctx, start, stop, runs, clock, keys, forced, fires, fin, bin_, iin, fout, bout, iout, err):  # type: ignore[no-untyped-def]
        sig = types.void(start, stop, runs, clock, keys, forced, fires, fin, bin_, iin, fout, bout, iout, err)

        def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
            start, stop = args[0], args[1]
            # Whole vectors of runs first, then the runs left over one by one.
            whole = builder.add(start, builder.mul(builder.sdiv(builder.sub(stop, start), ir.Constant(_I64, _LANES)), ir.Constant(_I64, _LANES)))
            for first, last, width in ((start, whole, _LANES), (whole, stop, 1)):
                emitter = _Emitter(context, builder, signature, args[1:], width)
                with cgutils.for_range_slice(builder, first, last, ir.Constant(_I64, width)) as (i, _):
                    emitter.run(program, i)
            return context.get_dummy_value()

        return sig, codegen

    return body


# exp(x) in SIMD lanes: fdlibm's e_exp.c algorithm (Sun Microsystems, 1993; its
# published constants), error below one ulp. The reduction x = k ln2 + r with
# |r| <= ln2 / 2 takes ln2 in two parts (the first has trailing zero bits, so k * it
# is exact); exp(r) = 1 + 2r / (2 - R(r)) with a degree-5 polynomial in r*r; 2**k is
# applied as two exact powers of two, so results near overflow and the subnormal
# ones are rounded once.
_EXP_INVLN2 = 1.44269504088896338700e00
_EXP_LN2HI = 6.93147180369123816490e-01
_EXP_LN2LO = 1.90821492927058770002e-10
_EXP_P = (1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05, -1.65339022054652515390e-06, 4.13813679705723846039e-08)
#: Above this exp overflows to infinity; below the other it is 0 (the limits of fdlibm).
_EXP_OVER = 7.09782712893383973096e02
_EXP_UNDER = -7.45133219101941108420e02


def emit_exp(builder: ir.IRBuilder, x: Any, width: int) -> Any:
    """exp of the double (``width`` 1) or vector of ``width`` doubles ``x``, within an
    ulp, as straight-line IR: no call, so the lanes stay in their vector registers."""
    b = builder
    f64 = _F64 if width == 1 else ir.VectorType(_F64, width)
    i64 = _I64 if width == 1 else ir.VectorType(_I64, width)

    def c(t: ir.Type, value: Any) -> Any:
        return ir.Constant(t, value if width == 1 else [value] * width)

    def intrinsic(name: str, *args: Any) -> Any:
        suffix = "f64" if width == 1 else f"v{width}f64"
        fn = b.module.declare_intrinsic(f"{name}.{suffix}", (), ir.FunctionType(f64, [f64] * len(args)))
        return b.call(fn, list(args))

    nan = b.fcmp_unordered("uno", x, x)
    # (clamped, and NaN replaced, before the conversion to an integer; the edges are selected below)
    inside = b.select(nan, c(f64, 0.0), intrinsic("llvm.minnum", intrinsic("llvm.maxnum", x, c(f64, -746.0)), c(f64, 710.0)))
    kf = intrinsic("llvm.rint", b.fmul(inside, c(f64, _EXP_INVLN2)))
    hi = b.fsub(inside, b.fmul(kf, c(f64, _EXP_LN2HI)))
    lo = b.fmul(kf, c(f64, _EXP_LN2LO))
    r = b.fsub(hi, lo)
    rr = b.fmul(r, r)
    poly = c(f64, _EXP_P[-1])
    for coefficient in reversed(_EXP_P[:-1]):
        poly = b.fadd(c(f64, coefficient), b.fmul(rr, poly))
    cc = b.fsub(r, b.fmul(rr, poly))
    # y = 1 - ((lo - (r * c) / (2 - c)) - hi), in fdlibm's order
    y = b.fsub(c(f64, 1.0), b.fsub(b.fsub(lo, b.fdiv(b.fmul(r, cc), b.fsub(c(f64, 2.0), cc))), hi))
    k = b.fptosi(kf, i64)
    k1 = b.ashr(k, c(i64, 1))
    k2 = b.sub(k, k1)

    def power(e: Any) -> Any:  # 2**e for -1022 <= e <= 1023
        return b.bitcast(b.shl(b.add(e, c(i64, 1023)), c(i64, 52)), f64)

    result = b.fmul(b.fmul(y, power(k1)), power(k2))
    result = b.select(b.fcmp_ordered(">", x, c(f64, _EXP_OVER)), c(f64, math.inf), result)
    result = b.select(b.fcmp_ordered("<", x, c(f64, _EXP_UNDER)), c(f64, 0.0), result)
    return b.select(nan, x, result)


def _exp_intrinsics() -> tuple[Any, Any]:
    """``exp1(x)`` and ``exp4(a, b, c, d)``: :func:`emit_exp` on one double and on four
    in one vector, for Numba functions (the tests measure its error with them)."""

    @intrinsic
    def exp1(typingctx, x):  # type: ignore[no-untyped-def]
        def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
            return emit_exp(builder, args[0], 1)

        return types.float64(types.float64), codegen

    @intrinsic
    def exp4(typingctx, a, b, c, d):  # type: ignore[no-untyped-def]
        def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
            vector = ir.Constant(ir.VectorType(_F64, 4), ir.Undefined)
            for lane, value in enumerate(args):
                vector = builder.insert_element(vector, value, ir.Constant(ir.IntType(32), lane))
            out = emit_exp(builder, vector, 4)
            tuple_type = context.get_value_type(signature.return_type)
            result = ir.Constant(tuple_type, ir.Undefined)
            for lane in range(4):
                result = builder.insert_value(result, builder.extract_element(out, ir.Constant(ir.IntType(32), lane)), lane)
            return result

        return types.UniTuple(types.float64, 4)(types.float64, types.float64, types.float64, types.float64), codegen

    return exp1, exp4


exp1, exp4 = _exp_intrinsics()


class _Emitter:
    """Emits the program for ``width`` consecutive runs at once (SIMD lanes; 1 for one run).

    Lanes never mix: every operation is the scalar one applied lane by lane (``exp``
    by :func:`emit_exp` on the whole vector, which computes each lane as it would
    alone; the other libm functions are called once per lane), so a run's numbers do
    not depend on which runs share its vector.
    """

    def __init__(self, context: Any, builder: ir.IRBuilder, signature: Any, args: Sequence[Any], width: int) -> None:
        self.context = context
        self.b = builder
        self.width = width
        self.i: Any = None
        ptys = signature.args[1:]

        def vec(t: ir.Type) -> ir.Type:
            return t if width == 1 else ir.VectorType(t, width)

        self.f64, self.i64, self.i8, self.i1 = vec(_F64), vec(_I64), vec(_I8), vec(_I1)

        def data(aty: Any, value: Any) -> Any:
            return context.make_array(aty)(context, builder, value=value).data

        def many(tty: Any, value: Any) -> list[Any]:
            return [data(tty.dtype, builder.extract_value(value, k)) for k in range(tty.count)]

        self.runs, self.clock, self.keys, self.forced, self.fires = (data(ptys[k], args[k]) for k in range(1, 6))
        self.fin, self.bin, self.iin, self.fout, self.bout, self.iout = (many(ptys[k], args[k]) for k in range(6, 12))
        self.err = data(ptys[12], args[12])
        self.regs: dict[int, Any] = {}
        self.bad: Any = None
        self.fsig = typing.signature(types.float64, types.float64)
        self.fsig2 = typing.signature(types.float64, types.float64, types.float64)

    # vectors of lanes
    def const(self, t: ir.Type, x: Any) -> Any:
        return ir.Constant(t, x if self.width == 1 else [x] * self.width)

    def splat(self, x: Any) -> Any:
        if self.width == 1:
            return x
        out = ir.Constant(ir.VectorType(x.type, self.width), ir.Undefined)
        for lane in range(self.width):
            out = self.b.insert_element(out, x, ir.Constant(ir.IntType(32), lane))
        return out

    def lanes(self, fn: Any, *values: Any) -> Any:
        """``fn`` (on scalars) applied lane by lane."""
        if self.width == 1:
            return fn(*values)
        out = ir.Constant(self.f64, ir.Undefined)
        for lane in range(self.width):
            index = ir.Constant(ir.IntType(32), lane)
            out = self.b.insert_element(out, fn(*(self.b.extract_element(v, index) for v in values)), index)
        return out

    def any(self, mask: Any) -> Any:
        if self.width == 1:
            return mask
        return self.b.icmp_unsigned("!=", self.b.bitcast(mask, ir.IntType(self.width)), ir.Constant(ir.IntType(self.width), 0))

    def v(self, operand: int | float) -> Any:
        if isinstance(operand, float):
            return self.const(self.f64, operand)
        return self.regs[operand]

    def load(self, base: Any, t: ir.Type) -> Any:
        ptr = self.b.bitcast(self.b.gep(base, [self.i]), t.as_pointer())
        return self.b.load(ptr, align=1)

    def store(self, value: Any, base: Any) -> None:
        ptr = self.b.bitcast(self.b.gep(base, [self.i]), value.type.as_pointer())
        self.b.store(value, ptr, align=1)

    def run(self, program: Sequence[tuple[Any, ...]], i: Any) -> None:
        """Emit the program for the runs from ``i`` on (``width`` of them)."""
        self.i = i
        self.regs.clear()
        self.bad = self.const(self.i1, 0)
        for ins in program:
            getattr(self, "op_" + _NAMES.get(ins[0], ins[0]))(*ins[1:])
        self.store(self.b.zext(self.bad, self.i8), self.err)

    # loads and stores
    def op_clock(self, d: int, k: int) -> None:
        self.regs[d] = self.splat(self.b.load(self.b.gep(self.clock, [ir.Constant(_I64, k)])))

    def op_lf(self, d: int, k: int) -> None:
        self.regs[d] = self.load(self.fin[k], self.f64)

    def op_lb(self, d: int, k: int) -> None:
        raw = self.load(self.bin[k], self.i8)
        self.regs[d] = self.b.uitofp(self.b.icmp_unsigned("!=", raw, self.const(self.i8, 0)), self.f64)

    def op_li(self, d: int, k: int) -> None:
        self.regs[d] = self.b.sitofp(self.load(self.iin[k], self.i64), self.f64)

    def op_sf(self, k: int, a: int | float) -> None:
        self.store(self.v(a), self.fout[k])

    def op_sb(self, k: int, a: int | float) -> None:
        self.store(self.b.zext(self._truth(self.v(a)), self.i8), self.bout[k])

    def op_si(self, k: int, a: int | float) -> None:
        self.store(self.b.fptosi(self.v(a), self.i64), self.iout[k])

    # arithmetic on doubles
    def op_neg(self, d: int, a: int | float) -> None:
        self.regs[d] = self.b.fneg(self.v(a))

    def op_add(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self.b.fadd(self.v(a), self.v(b))

    def op_sub(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self.b.fsub(self.v(a), self.v(b))

    def op_mul(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self.b.fmul(self.v(a), self.v(b))

    def op_div(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self.b.fdiv(self.v(a), self.v(b))

    def op_pow(self, d: int, a: int | float, b: int | float) -> None:
        pow_ = self.b.module.declare_intrinsic("llvm.pow", [_F64])
        self.regs[d] = self.lanes(lambda x, y: self.b.call(pow_, [x, y]), self.v(a), self.v(b))

    def _internal(self, fn: Any, sig: Any, *values: Any) -> Any:
        return self.lanes(lambda *xs: self.context.compile_internal(self.b, fn, sig, list(xs)), *values)

    def op_rem(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self._internal(_CALLS["%"], self.fsig2, self.v(a), self.v(b))

    def op_floordiv(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self._internal(_CALLS["//"], self.fsig2, self.v(a), self.v(b))

    def op_ndtri(self, d: int, a: int | float) -> None:
        self.regs[d] = self._internal(_CALLS["ndtri"], self.fsig, self.v(a))

    def _libm(self, name: str, x: Any) -> Any:
        impl = self.context.get_function(_LIBM[name], self.fsig)
        return self.lanes(lambda y: impl(self.b, [y]), x)

    def _unary_intrinsic(self, name: str, x: Any) -> Any:
        """``llvm.fabs``, ``llvm.rint`` on a double or a vector of doubles (exact, lane by lane)."""
        if self.width == 1:
            return self.b.call(self.b.module.declare_intrinsic(name, [_F64]), [x])
        fn = self.b.module.declare_intrinsic(f"{name}.v{self.width}f64", (), ir.FunctionType(self.f64, [self.f64]))
        return self.b.call(fn, [x])

    def _fabs(self, x: Any) -> Any:
        return self._unary_intrinsic("llvm.fabs", x)

    def op_fn(self, d: int, name: str, a: int | float) -> None:
        x = self.v(a)
        if name == "abs":
            self.regs[d] = self._fabs(x)
        elif name == "exp":
            self.regs[d] = emit_exp(self.b, x, self.width)
        else:
            self.regs[d] = self._libm(name, x)

    def op_max(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self._maximum(self.v(a), self.v(b))

    def op_min(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self._minimum(self.v(a), self.v(b))

    def _maximum(self, x: Any, y: Any) -> Any:
        # np.maximum: NaN wins; of two equal values (0.0 and -0.0) the second.
        take = self.b.or_(self.b.fcmp_ordered(">", x, y), self.b.fcmp_unordered("uno", x, x))
        return self.b.select(take, x, y)

    def _minimum(self, x: Any, y: Any) -> Any:
        take = self.b.or_(self.b.fcmp_ordered("<", x, y), self.b.fcmp_unordered("uno", x, x))
        return self.b.select(take, x, y)

    def op_level(self, d: int, a: int | float, low: float, high: float) -> None:
        r = self._minimum(self._maximum(self._unary_intrinsic("llvm.rint", self.v(a)), self.v(low)), self.v(high))
        self.regs[d] = self.b.select(self.b.fcmp_unordered("uno", r, r), self.const(self.f64, _INT64_MIN_AS_FLOAT), r)

    # truth values
    def _truth(self, x: Any) -> Any:
        return self.b.fcmp_unordered("!=", x, self.const(self.f64, 0.0))

    def op_truth(self, d: int, a: int | float) -> None:
        self.regs[d] = self._truth(self.v(a))

    def op_cmp(self, d: int, op: str, a: int | float, b: int | float) -> None:
        x, y = self.v(a), self.v(b)
        # NumPy: every comparison with NaN is false, except != which is true.
        self.regs[d] = self.b.fcmp_unordered("!=", x, y) if op == "!=" else self.b.fcmp_ordered(_FCMP[op], x, y)

    def op_and(self, d: int, *bools: int) -> None:
        out = self.regs[bools[0]]
        for r in bools[1:]:
            out = self.b.and_(out, self.regs[r])
        self.regs[d] = out

    def op_or(self, d: int, *bools: int) -> None:
        out = self.regs[bools[0]]
        for r in bools[1:]:
            out = self.b.or_(out, self.regs[r])
        self.regs[d] = out

    def op_not(self, d: int, a: int) -> None:
        self.regs[d] = self.b.not_(self.regs[a])

    def op_num(self, d: int, a: int) -> None:
        self.regs[d] = self.b.uitofp(self.regs[a], self.f64)

    def op_select(self, d: int, c: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self.b.select(self.regs[c], self.v(a), self.v(b))

    # random numbers: _random.uniforms for each lane's run, given the call's key
    def op_uniform(self, d: int, j: int) -> None:
        b = self.b
        key = self.splat(b.load(b.gep(self.keys, [ir.Constant(_I64, j)])))
        x = b.mul(self.load(self.runs, self.i64), self.const(self.i64, _GOLDEN))
        x = self._mix(b.xor(x, key))
        x = self._mix(b.add(x, key))
        x = b.lshr(x, self.const(self.i64, 11))
        u = b.fadd(b.sitofp(x, self.f64), self.const(self.f64, 0.5))  # x < 2**53: exact either way; sitofp is cheaper
        self.regs[d] = b.fmul(u, self.const(self.f64, 2.0**-53))

    def _mix(self, x: Any) -> Any:
        b = self.b
        x = b.xor(x, b.lshr(x, self.const(self.i64, 30)))
        x = b.mul(x, self.const(self.i64, _M1))
        x = b.xor(x, b.lshr(x, self.const(self.i64, 27)))
        x = b.mul(x, self.const(self.i64, _M2))
        return b.xor(x, b.lshr(x, self.const(self.i64, 31)))

    # the step's two hot spots, with exact shortcuts that skip libm calls
    def op_draw(self, d: int, u: int, x: int) -> None:
        # For x >= 0, 1 - exp(-x) <= x, and expm1 is within an ulp: where u exceeds x by
        # more than that, u < -expm1(-x) is false without computing it. NaN takes the long way.
        b = self.b
        uu, xx = self.regs[u], self.regs[x]
        bound = b.fadd(b.fmul(xx, self.const(self.f64, 1.0 + 2.0**-50)), self.const(self.f64, 1e-300))
        short = b.fcmp_ordered(">", uu, bound)
        before = b.block
        with b.if_then(self.any(b.not_(short))):
            p = b.fneg(self._libm("expm1", b.fneg(xx)))
            slow = b.fcmp_ordered("<", uu, p)
            slow_block = b.block
        phi = b.phi(self.i1)
        phi.add_incoming(self.const(self.i1, 0), before)
        phi.add_incoming(slow, slow_block)
        self.regs[d] = phi

    def op_weight(self, d: int, f: int, x: int | float) -> None:
        b = self.b
        xx = self.v(x)
        feasible = self.const(self.i1, 1) if f < 0 else self.regs[f]
        call = b.and_(feasible, b.fcmp_unordered("!=", xx, self.const(self.f64, 0.0)))
        cheap = b.select(feasible, self.const(self.f64, 1.0), self.const(self.f64, 0.0))
        before = b.block
        with b.if_then(self.any(call)):
            value = b.select(call, emit_exp(b, xx, self.width), cheap)
            slow_block = b.block
        phi = b.phi(self.f64)
        phi.add_incoming(cheap, before)
        phi.add_incoming(value, slow_block)
        self.regs[d] = phi

    # checks
    def _not_finite(self, x: Any) -> Any:
        return self.b.fcmp_unordered("==", self._fabs(x), self.const(self.f64, math.inf))

    def op_bad(self, a: int | float) -> None:
        self.bad = self.b.or_(self.bad, self._not_finite(self.v(a)))

    def op_badif(self, c: int, a: int | float) -> None:
        self.bad = self.b.or_(self.bad, self.b.and_(self.regs[c], self._not_finite(self.v(a))))

    # decisions and forced events
    def op_forced(self, d: int, j: int) -> None:
        self.regs[d] = self.splat(self.b.load(self.b.gep(self.forced, [ir.Constant(_I64, j)])))

    def op_fires(self, d: int, j: int) -> None:
        raw = self.b.load(self.b.gep(self.fires, [ir.Constant(_I64, j)]))
        self.regs[d] = self.splat(self.b.icmp_unsigned("!=", raw, ir.Constant(_I8, 0)))

    def op_iconst(self, d: int, k: int) -> None:
        self.regs[d] = self.const(self.i64, k)

    def op_ige0(self, d: int, a: int) -> None:
        self.regs[d] = self.b.icmp_signed(">=", self.regs[a], self.const(self.i64, 0))

    def op_ieq(self, d: int, a: int, k: int) -> None:
        self.regs[d] = self.b.icmp_signed("==", self.regs[a], self.const(self.i64, k))

    def op_iadd(self, d: int, a: int, c: int) -> None:
        self.regs[d] = self.b.add(self.regs[a], self.b.zext(self.regs[c], self.i64))

    def op_imin(self, d: int, a: int, b: int) -> None:
        x, y = self.regs[a], self.regs[b]
        self.regs[d] = self.b.select(self.b.icmp_signed("<", x, y), x, y)

    def op_itof(self, d: int, a: int) -> None:
        self.regs[d] = self.b.sitofp(self.regs[a], self.f64)


_NAMES = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "%": "rem", "//": "floordiv"}
