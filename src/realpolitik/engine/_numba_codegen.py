"""Machine code for one run's step: a program of simple instructions lowered to LLVM IR.

``_numba`` turns a scenario's step into a *program*: a tuple of instructions in
three-address form over numbered registers (no user text: opcodes from the table
below, register numbers, array slots and numbers). :func:`make_body` returns a Numba
intrinsic that emits the whole program as straight-line LLVM IR inside the kernel's
loop over runs. Numba's own frontend costs milliseconds per operation; this costs
microseconds, and LLVM still optimises the whole step as one function.

Registers hold a double, a boolean (i1) or an int64, as the instruction that defines
them says. Operands are register numbers (``int``) or double constants (``float``).

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

__all__ = ["make_body", "OPCODES"]

_F64 = ir.DoubleType()
_I64 = ir.IntType(64)
_I8 = ir.IntType(8)
_I1 = ir.IntType(1)
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
#: What NumPy's ``astype(np.int64)`` makes of NaN on x86 (the "integer indefinite").
_INT64_MIN_AS_FLOAT = -9223372036854775808.0
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
            emitter = _Emitter(context, builder, signature, args[1:])
            with cgutils.for_range_slice(builder, args[0], args[1], ir.Constant(_I64, 1)) as (i, _):
                emitter.run(program, i)
            return context.get_dummy_value()

        return sig, codegen

    return body


class _Emitter:
    def __init__(self, context: Any, builder: ir.IRBuilder, signature: Any, args: Sequence[Any]) -> None:
        self.context = context
        self.b = builder
        self.i: Any = None
        ptys = signature.args[1:]

        def data(aty: Any, value: Any) -> Any:
            return context.make_array(aty)(context, builder, value=value).data

        def many(tty: Any, value: Any) -> list[Any]:
            return [data(tty.dtype, builder.extract_value(value, k)) for k in range(tty.count)]

        self.runs, self.clock, self.keys, self.forced, self.fires = (data(ptys[k], args[k]) for k in range(1, 6))
        self.fin, self.bin, self.iin, self.fout, self.bout, self.iout = (many(ptys[k], args[k]) for k in range(6, 12))
        self.err = data(ptys[12], args[12])
        self.regs: dict[int, Any] = {}
        self.bad = ir.Constant(_I1, 0)
        self.fsig = typing.signature(types.float64, types.float64)
        self.fsig2 = typing.signature(types.float64, types.float64, types.float64)

    def v(self, operand: int | float) -> Any:
        if isinstance(operand, float):
            return ir.Constant(_F64, operand)
        return self.regs[operand]

    def at(self, base: Any, index: Any = None) -> Any:
        return self.b.gep(base, [self.i if index is None else index])

    def run(self, program: Sequence[tuple[Any, ...]], i: Any) -> None:
        """Emit the program for run ``i``."""
        self.i = i
        self.regs.clear()
        self.bad = ir.Constant(_I1, 0)
        for ins in program:
            getattr(self, "op_" + _NAMES.get(ins[0], ins[0]))(*ins[1:])
        self.b.store(self.b.zext(self.bad, _I8), self.at(self.err))

    # loads and stores
    def op_clock(self, d: int, k: int) -> None:
        self.regs[d] = self.b.load(self.b.gep(self.clock, [ir.Constant(_I64, k)]))

    def op_lf(self, d: int, k: int) -> None:
        self.regs[d] = self.b.load(self.at(self.fin[k]))

    def op_lb(self, d: int, k: int) -> None:
        raw = self.b.load(self.at(self.bin[k]))
        self.regs[d] = self.b.uitofp(self.b.icmp_unsigned("!=", raw, ir.Constant(_I8, 0)), _F64)

    def op_li(self, d: int, k: int) -> None:
        self.regs[d] = self.b.sitofp(self.b.load(self.at(self.iin[k])), _F64)

    def op_sf(self, k: int, a: int | float) -> None:
        self.b.store(self.v(a), self.at(self.fout[k]))

    def op_sb(self, k: int, a: int | float) -> None:
        self.b.store(self.b.zext(self._truth(self.v(a)), _I8), self.at(self.bout[k]))

    def op_si(self, k: int, a: int | float) -> None:
        self.b.store(self.b.fptosi(self.v(a), _I64), self.at(self.iout[k]))

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
        self.regs[d] = self.b.call(pow_, [self.v(a), self.v(b)])

    def op_rem(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self.context.compile_internal(self.b, _CALLS["%"], self.fsig2, [self.v(a), self.v(b)])

    def op_floordiv(self, d: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self.context.compile_internal(self.b, _CALLS["//"], self.fsig2, [self.v(a), self.v(b)])

    def op_fn(self, d: int, name: str, a: int | float) -> None:
        x = self.v(a)
        if name == "abs":
            fabs = self.b.module.declare_intrinsic("llvm.fabs", [_F64])
            self.regs[d] = self.b.call(fabs, [x])
        else:
            self.regs[d] = self.context.get_function(_LIBM[name], self.fsig)(self.b, [x])

    def op_ndtri(self, d: int, a: int | float) -> None:
        self.regs[d] = self.context.compile_internal(self.b, _CALLS["ndtri"], self.fsig, [self.v(a)])

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
        rint = self.b.module.declare_intrinsic("llvm.rint", [_F64])
        r = self._minimum(self._maximum(self.b.call(rint, [self.v(a)]), self.v(low)), self.v(high))
        self.regs[d] = self.b.select(self.b.fcmp_unordered("uno", r, r), ir.Constant(_F64, _INT64_MIN_AS_FLOAT), r)

    # truth values
    def _truth(self, x: Any) -> Any:
        return self.b.fcmp_unordered("!=", x, ir.Constant(_F64, 0.0))

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
        self.regs[d] = self.b.uitofp(self.regs[a], _F64)

    def op_select(self, d: int, c: int, a: int | float, b: int | float) -> None:
        self.regs[d] = self.b.select(self.regs[c], self.v(a), self.v(b))

    # random numbers: _random.uniforms for one run, given the call's key
    def op_uniform(self, d: int, j: int) -> None:
        b = self.b
        key = b.load(b.gep(self.keys, [ir.Constant(_I64, j)]))
        x = b.mul(b.load(self.at(self.runs)), ir.Constant(_I64, _GOLDEN))
        x = self._mix(b.xor(x, key))
        x = self._mix(b.add(x, key))
        x = b.lshr(x, ir.Constant(_I64, 11))
        u = b.fadd(b.sitofp(x, _F64), ir.Constant(_F64, 0.5))  # x < 2**53: exact either way, sitofp is one instruction
        self.regs[d] = b.fmul(u, ir.Constant(_F64, 2.0**-53))

    def _mix(self, x: Any) -> Any:
        b = self.b
        x = b.xor(x, b.lshr(x, ir.Constant(_I64, 30)))
        x = b.mul(x, ir.Constant(_I64, _M1))
        x = b.xor(x, b.lshr(x, ir.Constant(_I64, 27)))
        x = b.mul(x, ir.Constant(_I64, _M2))
        return b.xor(x, b.lshr(x, ir.Constant(_I64, 31)))

    # the step's two hot spots, with the exact shortcuts that skip a libm call
    def op_draw(self, d: int, u: int, x: int) -> None:
        # For x >= 0, 1 - exp(-x) <= x, and expm1 is within an ulp: where u exceeds x by
        # more than that, u < -expm1(-x) is false without computing it. NaN takes the long way.
        b = self.b
        uu, xx = self.regs[u], self.regs[x]
        bound = b.fadd(b.fmul(xx, ir.Constant(_F64, 1.0 + 2.0**-50)), ir.Constant(_F64, 1e-300))
        short = b.fcmp_ordered(">", uu, bound)
        before = b.block
        with b.if_then(b.not_(short)):
            p = b.fneg(self.context.get_function(math.expm1, self.fsig)(b, [b.fneg(xx)]))
            slow = b.fcmp_ordered("<", uu, p)
            slow_block = b.block
        phi = b.phi(_I1)
        phi.add_incoming(ir.Constant(_I1, 0), before)
        phi.add_incoming(slow, slow_block)
        self.regs[d] = phi

    def op_weight(self, d: int, f: int, x: int | float) -> None:
        b = self.b
        xx = self.v(x)
        feasible = ir.Constant(_I1, 1) if f < 0 else self.regs[f]
        call = b.and_(feasible, b.fcmp_unordered("!=", xx, ir.Constant(_F64, 0.0)))
        cheap = b.select(feasible, ir.Constant(_F64, 1.0), ir.Constant(_F64, 0.0))
        before = b.block
        with b.if_then(call):
            value = self.context.get_function(math.exp, self.fsig)(b, [xx])
            slow_block = b.block
        phi = b.phi(_F64)
        phi.add_incoming(cheap, before)
        phi.add_incoming(value, slow_block)
        self.regs[d] = phi

    # checks
    def _not_finite(self, x: Any) -> Any:
        fabs = self.b.module.declare_intrinsic("llvm.fabs", [_F64])
        return self.b.fcmp_unordered("==", self.b.call(fabs, [x]), ir.Constant(_F64, math.inf))

    def op_bad(self, a: int | float) -> None:
        self.bad = self.b.or_(self.bad, self._not_finite(self.v(a)))

    def op_badif(self, c: int, a: int | float) -> None:
        self.bad = self.b.or_(self.bad, self.b.and_(self.regs[c], self._not_finite(self.v(a))))

    # decisions and forced events
    def op_forced(self, d: int, j: int) -> None:
        self.regs[d] = self.b.load(self.b.gep(self.forced, [ir.Constant(_I64, j)]))

    def op_fires(self, d: int, j: int) -> None:
        raw = self.b.load(self.b.gep(self.fires, [ir.Constant(_I64, j)]))
        self.regs[d] = self.b.icmp_unsigned("!=", raw, ir.Constant(_I8, 0))

    def op_iconst(self, d: int, k: int) -> None:
        self.regs[d] = ir.Constant(_I64, k)

    def op_ige0(self, d: int, a: int) -> None:
        self.regs[d] = self.b.icmp_signed(">=", self.regs[a], ir.Constant(_I64, 0))

    def op_ieq(self, d: int, a: int, k: int) -> None:
        self.regs[d] = self.b.icmp_signed("==", self.regs[a], ir.Constant(_I64, k))

    def op_iadd(self, d: int, a: int, c: int) -> None:
        self.regs[d] = self.b.add(self.regs[a], self.b.zext(self.regs[c], _I64))

    def op_imin(self, d: int, a: int, b: int) -> None:
        x, y = self.regs[a], self.regs[b]
        self.regs[d] = self.b.select(self.b.icmp_signed("<", x, y), x, y)

    def op_itof(self, d: int, a: int) -> None:
        self.regs[d] = self.b.sitofp(self.regs[a], _F64)


_NAMES = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "%": "rem", "//": "floordiv"}
