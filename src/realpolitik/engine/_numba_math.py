"""Scalar functions of the compiled step that are too long to write as single instructions.

Each is the exact counterpart of what the NumPy step does to one element: the
standard normal quantile (``scipy.special.ndtri``, to about an ulp) and NumPy's
float ``%`` and ``//``. They are plain Python functions that Numba can also compile
(``register_jitable``); ``_numba_codegen`` compiles them into the kernel.

Importing this module imports Numba.
"""

from __future__ import annotations

import math

import numpy as np
from numba.extending import register_jitable

__all__ = ["ndtri", "remainder", "floor_divide"]

_SQRT2 = math.sqrt(2.0)
_SQRT2PI = math.sqrt(2.0 * math.pi)


@register_jitable
def _lower_quantile(p: float) -> float:
    """The standard normal quantile for 0 < p <= 0.5."""
    # Start: Abramowitz & Stegun, Handbook of Mathematical Functions (1964), 26.2.23,
    # absolute error below 4.5e-4 on the whole lower half.
    t = math.sqrt(-2.0 * math.log(p))
    x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))))
    # Two Halley steps on Phi(x) - p: the error goes 4.5e-4 -> ~1e-9 -> about an ulp.
    # Phi(x) - p is computed where it keeps its relative accuracy: through erf near
    # the centre (p - 0.5 is exact there), through erfc in the tail.
    for _ in range(2):
        if p > 0.1:
            e = 0.5 * math.erf(x / _SQRT2) - (p - 0.5)
        else:
            e = 0.5 * math.erfc(-x / _SQRT2) - p
        u = e * _SQRT2PI * math.exp(0.5 * x * x)
        x = x - u / (1.0 + 0.5 * x * u)
    return x


@register_jitable
def ndtri(p: float) -> float:
    """The standard normal quantile for 0 < p < 1 (what ``normal()`` does to a uniform draw)."""
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return _lower_quantile(p)
    return -_lower_quantile(1.0 - p)  # 1 - p is exact for p >= 0.5


@register_jitable
def _divmod(a: float, b: float) -> tuple[float, float]:
    """NumPy's ``npy_divmod`` on float64 for b != 0: (floor quotient, remainder with b's sign)."""
    mod = np.fmod(a, b)
    div = (a - mod) / b
    if mod:
        if (b < 0) != (mod < 0):
            mod += b
            div -= 1.0
    else:
        mod = math.copysign(0.0, b)
    if div:
        floordiv = np.floor(div)
        if div - floordiv > 0.5:
            floordiv += 1.0
    else:
        floordiv = math.copysign(0.0, a / b)
    return floordiv, mod


@register_jitable
def remainder(a: float, b: float) -> float:
    """``np.remainder`` (an expression's ``%``) on float64."""
    if not b:
        return np.fmod(a, b)
    return _divmod(a, b)[1]


@register_jitable
def floor_divide(a: float, b: float) -> float:
    """``np.floor_divide`` (an expression's ``//``) on float64."""
    if not b:
        return a * math.copysign(math.inf, b)  # a / b without Python's ZeroDivisionError
    return _divmod(a, b)[0]
