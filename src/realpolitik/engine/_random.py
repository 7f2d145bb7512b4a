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


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on uint64 arrays (a bijection with good avalanche)."""
    x = x ^ (x >> _S30)
    x = x * _M1
    x = x ^ (x >> _S27)
    x = x * _M2
    return x ^ (x >> _S31)


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
    with np.errstate(over="ignore"):
        key = mix64(np.uint64(seed % 2**64) ^ mix64(np.uint64(stream % 2**64) + _GOLDEN))
        key = mix64(key ^ (np.uint64(counter % 2**64) * _GOLDEN + _M1))
        x = mix64(runs.astype(np.uint64, copy=False) * _GOLDEN ^ key)
        x = mix64(x + key)
    return ((x >> _S11).astype(np.float64) + 0.5) * _TO_UNIT
