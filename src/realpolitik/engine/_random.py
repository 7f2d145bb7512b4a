"""Counter-based random streams keyed by (seed, stream, counter, run index).

Each uniform number is a pure function of the seed, a stream key (which element of
the scenario draws it), a counter (the step and call site) and the run's index. No
generator state is carried from one draw to the next, so a run's numbers do not
depend on how runs are split into batches or across workers, and an element's
numbers do not depend on which other elements the scenario has.

The mixing function is SplitMix64's finaliser applied twice with distinct keys,
on unsigned 64-bit integers with wrap-around arithmetic.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["stream_key", "uniforms", "mix64"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 2.0**-53
_MASK = 2**64 - 1


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on a uint64 array, in place (a bijection with good avalanche)."""
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def _mix64_int(x: int) -> int:
    """The same finaliser on a Python integer (for keys: no NumPy scalar overhead)."""
    x &= _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def stream_key(*parts: object) -> int:
    """A stable 64-bit key for a named stream, e.g. ``stream_key("event", "hormuz")``.

    The key comes from a cryptographic hash of the parts' text, so it is the same on
    every machine and Python version, and independent of declaration order.
    """
    digest = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def uniforms(seed: int, stream: int, counter: int, runs: np.ndarray) -> np.ndarray:
    """Uniform numbers in the open interval (0, 1), one per run index in ``runs``.

    Args:
        seed: the ensemble's seed (any non-negative integer below 2**64).
        stream: a key from :func:`stream_key`.
        counter: which draw of the stream (e.g. ``step * sites + site``).
        runs: the global run indices (uint64) of the runs being drawn for.

    Example:
        >>> a = uniforms(1, stream_key("x"), 0, np.arange(10, dtype=np.uint64))
        >>> b = uniforms(1, stream_key("x"), 0, np.arange(5, 10, dtype=np.uint64))
        >>> bool((a[5:] == b).all())
        True
    """
    key = _mix64_int(seed ^ _mix64_int(stream + 0x9E3779B97F4A7C15))
    key = _mix64_int(key ^ ((counter * 0x9E3779B97F4A7C15 + 0xBF58476D1CE4E5B9) & _MASK))
    k = np.uint64(key)
    with np.errstate(over="ignore"):
        x = runs.astype(np.uint64) * _GOLDEN
        x ^= k
        mix64(x)
        x += k
        mix64(x)
    x >>= _S11
    out = x.astype(np.float64)
    out += 0.5
    out *= _TO_UNIT
    return out
