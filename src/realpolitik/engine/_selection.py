"""Exact order statistics of a sample spread over sorted pieces, in two short rounds.

The per-step quantiles need a few order statistics of a sample whose pieces live in
different shards, perhaps on other machines (see ``_summaries``). Sending every piece
whole to one place costs more than simulating it, so the holder of each piece
(sorted along its rows) answers two small questions instead:

1. its **sketch**: the values at every ``m``-th position
   (:func:`sketch`; ``m`` from the sample's size, :func:`sketch_step`);
2. given, for every row and group of wanted ranks, a value interval ``[a, b]`` known
   to hold those order statistics (:func:`brackets`, from all the sketches), its
   **window**: how many of its values lie below ``a``, and its distinct values in
   ``[a, b]`` with their counts (:func:`window`), a few times ``m`` per row and
   group, and none where ``a == b`` (that value is then the answer).

:func:`pick` finds the order statistics among the windows. They are the very values
a sort of the whole sample would put at those ranks (up to the sign of a zero, which
the interpolation of quantiles makes ``+0.0`` either way), so the quantiles are the
same bits however the sample was split. NaN is not allowed in a piece (the engine
stops a run that writes one).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = [
    "Window",
    "Piece",
    "SortedPiece",
    "RemotePiece",
    "sketch_step",
    "sketch",
    "rank_groups",
    "brackets",
    "window",
    "pick",
    "order_statistics",
]

#: Rows of one padded block of :func:`pick` (bounds its memory).
_PICK_ROWS = 1024


def sketch_step(total: int) -> int:
    """The sketch step ``m`` for a sample of ``total`` values in pieces: about
    ``sqrt(total / 50)``, which balances a sketch (``n / m`` values a row of a piece of
    ``n``) against the windows (a few times ``m`` values a row for each of the five
    quantiles) for a sample in a few pieces.

    Example:
        >>> sketch_step(10_000)
        14
    """
    return max(1, round(math.sqrt(total / 50)))


def sketch(piece: np.ndarray, step: int) -> np.ndarray:
    """The sketch of ``piece`` (``(rows, n)``, sorted along its rows): its values at
    positions ``0, m, 2m, ...`` (``m = step``), ``(rows, ceil(n / m))``.

    Example:
        >>> sketch(np.arange(10.0)[None, :], 4).tolist()
        [[0.0, 4.0, 8.0]]
    """
    return np.ascontiguousarray(piece[:, ::step])


def _before(sizes: np.ndarray) -> np.ndarray:
    """Where each of consecutive blocks of ``sizes`` begins."""
    return np.cumsum(sizes) - sizes


@dataclass(frozen=True)
class Window:
    """A piece's answer to :func:`brackets`: per row and group, how many of its values
    lie below ``a`` and which lie in ``[a, b]``, the latter as distinct values and how
    often each occurs (samples are full of ties: a variable at a bound, or at its
    start). Where ``a == b`` it sends none: the order statistics are ``a``.

    Attributes:
        below: ``(rows, groups)``: values below ``a``.
        lengths: ``(rows, groups)``: distinct values in ``[a, b]``.
        values: those distinct values, ascending, concatenated in row-major (row,
            group) order.
        counts: how many times each of ``values`` occurs.
    """

    below: np.ndarray
    lengths: np.ndarray
    values: np.ndarray
    counts: np.ndarray


class Piece(Protocol):
    """A sorted piece of the sample, wherever it is held."""

    #: values per row
    size: int
    #: the sketch's step
    step: int
    #: the :func:`sketch` of the piece with ``step``: ``(rows, ceil(size / step))``
    sketch: np.ndarray

    def request(self, a: np.ndarray, b: np.ndarray) -> Callable[[], Window]:
        """Ask for the window of ``[a, b]``; the call returned gives it (so that every
        piece's answer can be on its way at once)."""
        ...


class SortedPiece:
    """A piece held in this process: ``values`` is ``(rows, n)``, sorted along its rows."""

    def __init__(self, values: np.ndarray, step: int) -> None:
        self.values = values
        self.size = values.shape[1]
        self.step = step
        self.sketch = sketch(values, step)

    def request(self, a: np.ndarray, b: np.ndarray) -> Callable[[], Window]:
        found = window(self.values, a, b, self.step)
        return lambda: found


@dataclass(frozen=True)
class RemotePiece:
    """A piece another process holds: its size, step and sketch here, and ``ask``,
    which sends that process the intervals and returns a call that gives its window."""

    size: int
    step: int
    sketch: np.ndarray
    ask: Callable[[np.ndarray, np.ndarray], Callable[[], Window]]

    def request(self, a: np.ndarray, b: np.ndarray) -> Callable[[], Window]:
        return self.ask(a, b)


def rank_groups(ranks: Sequence[int]) -> list[tuple[int, int]]:
    """Ascending ``ranks`` as runs of consecutive ones, ``(first, last)`` each: the
    interpolated quantiles want pairs of neighbouring order statistics, and one window
    serves both.

    Example:
        >>> rank_groups([2, 3, 7, 9, 10])
        [(2, 3), (7, 7), (9, 10)]
    """
    groups: list[tuple[int, int]] = []
    for r in ranks:
        if groups and r == groups[-1][1] + 1:
            groups[-1] = (groups[-1][0], r)
        else:
            groups.append((r, r))
    return groups


def _searchsorted_rows(
    rows: np.ndarray, x: np.ndarray, side: str, lo: np.ndarray | None = None, hi: np.ndarray | None = None
) -> np.ndarray:
    """``np.searchsorted`` of every row of ``rows`` (sorted) for that row's ``x``
    (``(rows, g)``), as one vectorised binary search, between ``lo`` and ``hi`` when
    the answer is known to lie there."""
    n = rows.shape[1]
    lo = np.zeros(x.shape, dtype=np.int64) if lo is None else lo
    hi = np.full(x.shape, n, dtype=np.int64) if hi is None else hi
    index = np.arange(rows.shape[0])[:, None]
    for _ in range(int((hi - lo).max(initial=0)).bit_length()):
        active = lo < hi
        mid = (lo + hi) >> 1
        value = rows[index, np.minimum(mid, n - 1)]
        after = (value < x) if side == "left" else (value <= x)
        lo = np.where(active & after, mid + 1, lo)
        hi = np.where(active & ~after, mid, hi)
    return lo


def brackets(pieces: Sequence[Piece], groups: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per row and group ``(first, last)`` of ranks, an interval ``[a, b]`` holding the
    order statistics at those ranks of the union of the pieces, from their sketches.

    A piece of ``n`` values sketched with step ``m`` keeps positions ``0, m, 2m, ...``,
    ``k = ceil(n / m)`` of them. If ``t`` of its sketch values are below ``x``, fewer
    than position ``t`` (``t m``; or ``n <= k m`` when ``t = k``) of its values are; if
    ``t > 0`` of them are at most ``y``, at least ``(t - 1) m + 1`` of its values are.
    Summed over ``P`` pieces: if ``T`` sketch values are below ``x``, at most ``T M``
    values are (``M`` the largest step); if ``T`` are at most ``y``, at least
    ``T m - (M - 1) P`` values are (``m`` the smallest). ``a`` is the sketch value of
    rank ``first // M`` among all of them, so at most ``first`` values lie below it
    and the order statistic at ``first`` is at least ``a``; ``b`` the one of the
    smallest rank that puts at least ``last + 1`` values at or below it (``+inf``
    if none does), so the one at ``last`` is at most ``b``.

    Returns:
        ``a`` and ``b``, each ``(rows, groups)``.
    """
    values = np.concatenate([p.sketch for p in pieces], axis=1)
    most, least = max(p.step for p in pieces), min(p.step for p in pieces)
    k = values.shape[1]
    a_rank = [first // most for first, _ in groups]
    b_rank = [-(-(last + 1 + (most - 1) * len(pieces)) // least) - 1 for _, last in groups]
    values.sort(axis=1)  # (a partition around the ten ranks needed is slower)
    a = values[:, a_rank]
    b = np.full(a.shape, np.inf)
    for g, r in enumerate(b_rank):
        if r < k:
            b[:, g] = values[:, r]
    return a, b


def _searchsorted_sketched(piece: np.ndarray, x: np.ndarray, side: str, step: int) -> np.ndarray:
    """:func:`_searchsorted_rows` in a piece sketched with ``step``: first among the
    sketch positions, then between the two around the answer (fewer reads, and those
    of the whole piece only there)."""
    n = piece.shape[1]
    if step <= 1:
        return _searchsorted_rows(piece, x, side)
    # t sketch values before x: the answer is above position (t - 1) m, and at most t m
    t = _searchsorted_rows(piece[:, ::step], x, side)  # the sketch, as a view
    return _searchsorted_rows(piece, x, side, np.maximum(0, (t - 1) * step + 1), np.minimum(n, t * step))


def window(piece: np.ndarray, a: np.ndarray, b: np.ndarray, step: int = 1) -> Window:
    """The :class:`Window` of a sorted ``piece`` (``(rows, n)``, sketched with ``step``)
    for intervals ``[a, b]`` (``(rows, groups)`` each)."""
    start = _searchsorted_sketched(piece, a, "left", step)
    end = np.where(a == b, start, _searchsorted_sketched(piece, b, "right", step))
    sizes = (end - start).ravel()
    flat_start = (start + np.arange(piece.shape[0])[:, None] * piece.shape[1]).ravel()
    first = _before(sizes)  # where each cell's values begin among all taken
    taken = piece.reshape(-1)[np.repeat(flat_start - first, sizes) + np.arange(int(sizes.sum()))]
    # a value starts a run where it differs from the one before, or begins a cell
    starts = np.ones(len(taken), dtype=bool)
    starts[1:] = taken[1:] != taken[:-1]
    starts[first[sizes > 0]] = True
    where = np.flatnonzero(starts)
    counts = np.diff(np.append(where, len(taken)))
    cell = np.repeat(np.arange(len(sizes)), sizes)[where]
    lengths = np.bincount(cell, minlength=len(sizes)).reshape(start.shape)
    return Window(start, lengths, taken[where], counts)


def pick(
    windows: Sequence[Window], a: np.ndarray, b: np.ndarray, groups: Sequence[tuple[int, int]], ranks: Sequence[int]
) -> np.ndarray:
    """The order statistics at ``ranks`` (each inside one of ``groups``) from the
    pieces' windows of ``[a, b]``: ``(rows, len(ranks))``."""
    rows = a.shape[0]
    out = np.empty((rows, len(ranks)))
    below = sum(w.below for w in windows)
    offsets = [_before(w.lengths.ravel()).reshape(w.lengths.shape) for w in windows]
    for g, (first, last) in enumerate(groups):
        wanted = [i for i, r in enumerate(ranks) if first <= r <= last]
        out[:, wanted] = a[:, g, None]  # where a == b: no window needed
        todo = np.flatnonzero(a[:, g] != b[:, g])
        # rows of similar window sizes side by side: little padding
        todo = todo[np.argsort(sum(w.lengths[todo, g] for w in windows), kind="stable")]
        for lo in range(0, len(todo), _PICK_ROWS):
            chunk = todo[lo : lo + _PICK_ROWS]
            sizes = [w.lengths[chunk, g] for w in windows]
            width = max(1, int(sum(sizes).max()))
            # each row's distinct values from every piece, with their counts, padded
            # with +inf counted 0 times
            values = np.full((len(chunk), width), np.inf)
            counts = np.zeros(values.shape, dtype=np.int64)
            filled = np.zeros(len(chunk), dtype=np.int64)
            for w, size, offset in zip(windows, sizes, offsets):
                total = int(size.sum())
                spread = np.arange(total) - np.repeat(_before(size), size)
                into = (np.repeat(np.arange(len(chunk)), size), np.repeat(filled, size) + spread)
                source = np.repeat(offset[chunk, g], size) + spread
                values[into] = w.values[source]
                counts[into] = w.counts[source]
                filled += size
            order = np.argsort(values, axis=1)
            values = np.take_along_axis(values, order, axis=1)
            upto = np.take_along_axis(counts, order, axis=1).cumsum(axis=1)
            for i in wanted:
                k = ranks[i] - below[chunk, g]
                if np.any(k < 0) or np.any(k >= upto[:, -1]):
                    raise RuntimeError("an order statistic fell outside its bracket (a bug: please report it)")
                # the first distinct value with more than k values up to it
                out[chunk, i] = values[np.arange(len(chunk)), np.count_nonzero(upto <= k[:, None], axis=1)]
    return out


def order_statistics(pieces: Sequence[Piece], ranks: Sequence[int]) -> np.ndarray:
    """The values at 0-based ``ranks`` (ascending, below the total size) of the union
    of ``pieces``, row by row: ``(rows, len(ranks))``.

    Example:
        >>> pieces = [SortedPiece(np.array([[1.0, 4.0]]), 1), SortedPiece(np.array([[2.0, 3.0, 9.0]]), 2)]
        >>> order_statistics(pieces, [0, 2, 4]).tolist()
        [[1.0, 3.0, 9.0]]
    """
    total = sum(p.size for p in pieces)
    ranks = [int(r) for r in ranks]
    if any(b <= a for a, b in zip(ranks, ranks[1:])) or (ranks and not 0 <= ranks[0] <= ranks[-1] < total):
        raise ValueError(f"ranks must be ascending and within the pieces' {total} values, got {ranks}")
    pieces = [p for p in pieces if p.size]
    groups = rank_groups(ranks)
    a, b = brackets(pieces, groups)
    answers = [p.request(a, b) for p in pieces]
    return pick([answer() for answer in answers], a, b, groups, ranks)
