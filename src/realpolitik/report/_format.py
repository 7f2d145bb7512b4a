"""Numbers and dates as a reader wants them: three significant figures, ISO dates.

Every number the report prints goes through these functions, so a value has the same
form in every table; NaN (an answer beyond the horizon, a missing index) prints as a dash.
"""

from __future__ import annotations

import datetime as dt
import math

__all__ = ["MISSING", "number", "percent", "points", "signed", "interval", "iso_date"]

#: What a missing or not-a-number value prints as.
MISSING = "—"


def _finite(x: float | None) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def _magnitude(x: float) -> int:
    """The power of ten of ``x`` once rounded to three significant figures (99.96 -> 2)."""
    magnitude = math.floor(math.log10(abs(x)))
    rounded = round(x, 2 - magnitude)
    if rounded != 0 and math.floor(math.log10(abs(rounded))) > magnitude:
        magnitude += 1
    return magnitude


def number(x: float | None, unit: str | None = None) -> str:
    """A number to three significant figures, with thousands separators and no
    scientific notation between 0.0001 and a billion.

    Example:
        >>> [number(v) for v in (93.0746, 0.28802, 12345.6, 99.96, 0.0, -2.5e-7, float("nan"))]
        ['93.1', '0.288', '12,300', '100', '0', '-2.5e-07', '—']
        >>> number(7.08, "USD bn")
        '7.08 USD bn'
    """
    if not _finite(x):
        return MISSING
    assert x is not None
    if x == 0:
        text = "0"
    elif not 1e-4 <= abs(x) < 1e9:
        text = f"{x:.3g}"
    else:
        magnitude = _magnitude(x)
        decimals = max(0, 2 - magnitude)
        text = f"{round(x, 2 - magnitude):,.{decimals}f}"
    return f"{text} {unit}" if unit else text


def percent(p: float | None) -> str:
    """A probability as a percentage: three significant figures, at most two decimals.

    Example:
        >>> [percent(v) for v in (0.094, 0.5, 1.0, 0.02346, 0.99996, 4.3e-19)]
        ['9.40%', '50.0%', '100%', '2.35%', '100%', '0%']
    """
    if not _finite(p):
        return MISSING
    assert p is not None
    v = p * 100
    if abs(v) < 0.005:
        return "0%"
    magnitude = _magnitude(v)
    decimals = min(2, max(0, 2 - magnitude))
    return f"{v:.{decimals}f}%"


def points(d: float | None) -> str:
    """A difference of probabilities in percentage points, signed.

    Example:
        >>> points(0.0312), points(-0.004), points(0.0)
        ('+3.12 pp', '-0.40 pp', '0 pp')
    """
    if not _finite(d):
        return MISSING
    assert d is not None
    text = percent(abs(d)).rstrip("%")
    if text == "0":
        return "0 pp"
    return f"{'+' if d > 0 else '-'}{text} pp"


def signed(x: float | None, unit: str | None = None) -> str:
    """A difference, signed, to three significant figures.

    Example:
        >>> signed(1.234), signed(-0.5, "USD")
        ('+1.23', '-0.500 USD')
    """
    if not _finite(x):
        return MISSING
    assert x is not None
    text = number(x, unit)
    return text if x <= 0 or text.startswith("+") else f"+{text}"


def interval(low: float | None, high: float | None, *, as_percent: bool = False, unit: str | None = None) -> str:
    """A 95% interval as ``[low, high]``.

    Example:
        >>> interval(0.0714, 0.1228, as_percent=True)
        '[7.14%, 12.3%]'
        >>> interval(92.13, 94.02, unit="USD/bbl")
        '[92.1, 94.0] USD/bbl'
    """
    if not (_finite(low) and _finite(high)):
        return MISSING
    if as_percent:
        return f"[{percent(low)}, {percent(high)}]"
    text = f"[{number(low)}, {number(high)}]"
    return f"{text} {unit}" if unit else text


def iso_date(d: dt.date) -> str:
    """A date in ISO form.

    Example:
        >>> iso_date(dt.date(2026, 3, 8))
        '2026-03-08'
    """
    return d.isoformat()
