"""Order statistics of sorted pieces, compiled: the per-step quantiles of a sample
spread over several shards.

Each shard sorts its piece of the quantile sample (see ``_summaries``); the merge
needs only a few order statistics of their union, which binary searches in the
pieces find without sorting everything again (about twice as fast as NumPy's sort of
the concatenation, for the ensemble's 10,000-run sample in four pieces). The values are the
order statistics themselves, so the quantiles are the same bits as a sort gives.

Importing this module imports Numba.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numba import njit
from numba.typed import List

from realpolitik.engine._numba import _default_threads

__all__ = ["order_statistics"]


@njit(cache=True, nogil=True)
def _at_most(pieces: Any, row: int, x: float) -> int:  # pragma: no cover - compiled
    """How many values of the row's pieces are <= x (a binary search in each)."""
    count = 0
    for piece in pieces:
        lo, hi = 0, piece.shape[1]
        while lo < hi:
            mid = (lo + hi) >> 1
            if piece[row, mid] <= x:
                lo = mid + 1
            else:
                hi = mid
        count += lo
    return count


@njit(cache=True, nogil=True)
def _select(pieces: Any, ranks: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    # The value at rank k is the smallest value with more than k values <= it: in
    # each piece, the first such value is found by a binary search (the count grows
    # along a sorted piece); the answer is the least of them.
    for row in range(out.shape[0]):
        for w in range(len(ranks)):
            k = ranks[w]
            found = False
            least = 0.0
            for piece in pieces:
                lo, hi = 0, piece.shape[1]
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if _at_most(pieces, row, piece[row, mid]) > k:
                        hi = mid
                    else:
                        lo = mid + 1
                if lo < piece.shape[1] and (not found or piece[row, lo] < least):
                    least = piece[row, lo]
                    found = True
            out[row, w] = least


def order_statistics(pieces: list[np.ndarray], ranks: np.ndarray) -> np.ndarray:
    """The values at 0-based ``ranks`` (ascending, below the total length) of the
    union of ``pieces``, row by row; each piece is ``(rows, n_i)``, sorted along its
    rows. Shape ``(rows, len(ranks))``.

    Example:
        >>> order_statistics([np.array([[1.0, 4.0]]), np.array([[2.0, 3.0, 9.0]])], np.array([0, 2, 4])).tolist()
        [[1.0, 3.0, 9.0]]
    """
    pieces = [np.ascontiguousarray(p, dtype=np.float64) for p in pieces]
    total = sum(p.shape[1] for p in pieces)
    ranks = np.ascontiguousarray(ranks, dtype=np.int64)
    if len(ranks) and not (np.all(np.diff(ranks) > 0) and 0 <= ranks[0] and ranks[-1] < total):
        raise ValueError("ranks must be ascending and within the pieces")
    rows = pieces[0].shape[0]
    out = np.empty((rows, len(ranks)))

    def select(lo: int, hi: int) -> None:
        _select(List([p[lo:hi] for p in pieces]), ranks, out[lo:hi])

    parts = max(1, min(_default_threads(), rows // _MIN_ROWS))
    if parts == 1:
        select(0, rows)
    else:  # the kernel releases the GIL: rows are shared out over threads
        edges = [rows * k // parts for k in range(parts + 1)]
        with ThreadPoolExecutor(parts) as pool:
            list(pool.map(select, edges[:-1], edges[1:]))
    return out


#: Fewest rows worth a thread of their own.
_MIN_ROWS = 64
