"""Per-step summaries of the whole ensemble, streamed shard by shard and merged exactly.

Each step adds one row per statistic: mean and quantiles of every continuous
variable, the probability of every level, boolean and decision option, and for
every event the probability it has fired so far and its mean count. A bounded sample
of whole trajectories (the first ``keep`` runs) is kept too.

Runs are simulated in shards (a batch on one machine, a task on a cluster); every
statistic is defined so that merging the shards' parts gives the same bits whatever
the shards were:

* probabilities and event counts are integer counts, summed;
* the mean of a continuous variable is the sum of per-chunk sums over fixed chunks
  of :data:`CHUNK` consecutive run indices, in run order; a chunk cut by a shard
  boundary is summed from the raw values of both pieces;
* quantiles come from the first :data:`QUANTILE_SAMPLE` runs (sorting every run's
  value at every step would cost more than the step itself at large run counts;
  answers to questions use every run). A shard holding part of that sample sorts
  its piece; the merge asks the pieces, wherever they are, for the few order
  statistics it needs (``_selection``), and those are the values a sort of the whole
  sample would give.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from realpolitik.engine._memory import work_array
from realpolitik.engine._questions import interpolate_quantiles, quantile_positions, sorted_quantiles
from realpolitik.engine._selection import Piece, SortedPiece, order_statistics, sketch_step
from realpolitik.scenario import Model

__all__ = ["SUMMARY_QUANTILES", "CHUNK", "QUANTILE_SAMPLE", "ShardSummaries", "merge_summaries"]

#: The quantiles kept for every continuous variable at every step.
SUMMARY_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

#: Runs per chunk of a mean's sum (chunks start at multiples of CHUNK run indices).
CHUNK = 256

#: Per-step quantiles are of the first this many runs.
QUANTILE_SAMPLE = 10_000


def tracked_names(model: Model) -> list[str]:
    """The elements whose paths are kept: variables, decisions, events."""
    return [v.name for v in model.variables] + [d.name for d in model.decisions] + [e.name for e in model.events]


def count_keys(model: Model) -> list[tuple[str, str]]:
    """The (element, statistic) rows that are counts of runs, in output order."""
    keys: list[tuple[str, str]] = []
    for v in model.variables:
        if v.kind == "boolean":
            keys.append((v.name, "p_true"))
        elif v.kind == "levels":
            keys.extend((v.name, f"p_{level}") for level in v.levels)
    for d in model.decisions:
        keys.extend((d.name, f"p_{o.name}") for o in d.options)
    for e in model.events:
        keys.extend([(e.name, "p_fired_by"), (e.name, "mean_count")])
    return keys


@dataclass
class ShardSummaries:
    """The parts of the per-step statistics that runs ``lo`` to ``hi`` contribute.

    Attributes:
        counts: one row per step of integer counts, columns as :func:`count_keys`.
        head, sums, tail: per step, the continuous variables' values from ``lo`` up
            to the first chunk boundary, the sums of the whole chunks, and the values
            from the last chunk boundary to ``hi``.
        sample: ``(steps, variables, runs)``: per step, the continuous values of the
            shard's runs below :data:`QUANTILE_SAMPLE`, each variable's sorted (no runs
            when this shard holds all of the sample, or none of it).
        quantiles: per step, the sample's quantiles (when this shard holds all of it).
        trajectories: element -> per step, the values of runs below ``keep``.
        held: the shard's piece of the sample where another process holds it (a
            cluster worker's); ``sample`` is empty then.
    """

    model: Model
    lo: int
    hi: int
    keep: int
    runs: int
    #: how many times :meth:`observe` is called (the job's steps and its start)
    steps: int
    counts: list[np.ndarray] = field(default_factory=list)
    head: list[np.ndarray] = field(default_factory=list)
    sums: list[np.ndarray] = field(default_factory=list)
    tail: list[np.ndarray] = field(default_factory=list)
    quantiles: list[np.ndarray] = field(default_factory=list)
    trajectories: dict[str, list[np.ndarray]] = field(default_factory=dict)
    held: Piece | None = None

    def __post_init__(self) -> None:
        self.continuous = [v.name for v in self.model.variables if v.kind == "continuous"]
        first = min(-(-self.lo // CHUNK) * CHUNK, self.hi)
        last = max((self.hi // CHUNK) * CHUNK, first)
        # offsets into the shard's arrays
        self._head = first - self.lo
        self._full = (first - self.lo, last - self.lo)
        self._sample = max(0, min(self.hi, QUANTILE_SAMPLE) - self.lo)
        self.whole_sample = self.lo == 0 and self.hi >= min(self.runs, QUANTILE_SAMPLE)
        self._keep = max(0, min(self.hi, self.keep) - self.lo)
        self.tracked = tracked_names(self.model)
        # one array for every step (filled in place, written out without a copy); it
        # has runs only where the shard holds part of a sample it does not hold whole
        # (then it is large: ordinary pages, reused from shard to shard, ``_memory``)
        spread = 0 if self.whole_sample else self._sample
        self.sample = work_array((self.steps, len(self.continuous), spread))
        self._observed = 0
        self._piece: SortedPiece | None = None
        self._block: np.ndarray | None = None

    @property
    def sample_size(self) -> int:
        """How many of the quantile sample's runs this shard holds (0 when it holds
        them all: its quantiles are computed as it goes)."""
        return 0 if self.whole_sample else self._sample

    @property
    def sketch_step(self) -> int:
        """The step of the sketch of this shard's piece of the sample (the same for
        every shard of the ensemble)."""
        return sketch_step(min(self.runs, QUANTILE_SAMPLE))

    def piece(self) -> Piece | None:
        """This shard's piece of the quantile sample, every step's every continuous
        variable a row, wherever it is held; ``None`` if it holds none (or all)."""
        if self.held is not None:
            return self.held
        if not self.sample.size:
            return None
        if self._piece is None:  # made once: its sketch reads the whole piece
            self._piece = SortedPiece(self.sample.reshape(-1, self.sample.shape[2]), self.sketch_step)
        return self._piece

    @property
    def reaches_boundary(self) -> bool:
        """Whether the shard's head ends at a chunk boundary (else it is all head)."""
        return -(-self.lo // CHUNK) * CHUNK <= self.hi

    def observe(self, state: dict[str, np.ndarray], defer: Callable[[Callable[[], None]], None] | None = None) -> None:
        """Record this shard's part of the statistics of ``state`` (its runs only).

        Args:
            defer: takes work that may be done later on another thread (sorting the
                quantile sample, which releases the GIL); it must be done before the
                statistics are read. Default: now.
        """
        model = self.model
        row: list[int] = []
        # (a count per level or option: faster than np.bincount, which scans for the
        # largest value and allocates, for the handful of options an element has)
        for v in model.variables:
            if v.kind == "boolean":
                row.append(int(np.count_nonzero(state[v.name])))
            elif v.kind == "levels":
                row.extend(int(np.count_nonzero(state[v.name] == k)) for k in range(len(v.levels)))
        for d in model.decisions:
            row.extend(int(np.count_nonzero(state[d.name] == k)) for k in range(len(d.options)))
        for e in model.events:
            fired = state[e.name]
            row.extend([int(np.count_nonzero(fired)), int(fired.sum())])
        self.counts.append(np.array(row, dtype=np.int64))
        if self.continuous:
            # one buffer for every step: the work deferred on it (the quantiles, which
            # sort it in place) is done before the next step is observed
            if self._block is None:
                self._block = np.empty((len(self.continuous), self.hi - self.lo))
            block = np.stack([state[n] for n in self.continuous], out=self._block)
            a, b = self._full
            self.head.append(block[:, : self._head].copy())
            self.sums.append(block[:, a:b].reshape(len(self.continuous), -1, CHUNK).sum(axis=2))
            self.tail.append(block[:, b:].copy())
            if self.whole_sample:
                if defer is None:
                    self.quantiles.append(sample_quantiles(block[:, : self._sample]))
                else:
                    slot = len(self.quantiles)
                    self.quantiles.append(np.empty(0))
                    defer(functools.partial(self._quantiles_into, slot, block[:, : self._sample]))
            elif self._sample:  # sorted here (in parallel on a cluster), merged at the end
                piece = self.sample[self._observed]
                piece[...] = block[:, : self._sample]
                piece.sort(axis=1)
        self._observed += 1
        if self._observed == self.steps:
            self._block = None  # the shard is done: its results are kept, not its buffer
        if self._keep:
            for name in self.tracked:
                self.trajectories.setdefault(name, []).append(np.asarray(state[name][: self._keep], dtype=np.float64).copy())


    def _quantiles_into(self, slot: int, values: np.ndarray) -> None:
        self.quantiles[slot] = sample_quantiles(values)


def sample_quantiles(values: np.ndarray) -> np.ndarray:
    """:data:`SUMMARY_QUANTILES` of each row of ``values`` (NumPy's linear method);
    shape ``(quantiles, rows)``; the rows are sorted in place. (A sort: ``np.partition``
    around the ten order statistics needed is several times slower, and so was a
    compiled selection against NumPy's vectorised sort.)"""
    values.sort(axis=1)
    return sorted_quantiles(values, SUMMARY_QUANTILES)


def _merged_quantiles(pieces: Sequence[Piece]) -> np.ndarray:
    """:func:`sample_quantiles` of the union of ``pieces`` (each sorted along its
    rows), from the few order statistics needed: the same bits as sorting it whole."""
    n = sum(p.size for p in pieces)
    ranks = sorted({r for lo, hi, _ in quantile_positions(n, SUMMARY_QUANTILES) for r in (lo, hi)})
    values = order_statistics(pieces, ranks)
    column = {rank: values[:, i] for i, rank in enumerate(ranks)}
    return interpolate_quantiles(column.__getitem__, n, SUMMARY_QUANTILES)


def _means(parts: Sequence[ShardSummaries], step: int, runs: int) -> np.ndarray:
    """The mean of every continuous variable at ``step``: chunk sums in run order."""
    chunks: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    for part in parts:
        pending.append(part.head[step])
        if part.reaches_boundary:
            piece = np.concatenate(pending, axis=1)
            if piece.shape[1]:
                chunks.append(np.add.reduce(piece, axis=1)[:, None])
            pending = [part.tail[step]]
            chunks.append(part.sums[step])
    piece = np.concatenate(pending, axis=1) if pending else np.empty((len(parts[0].continuous), 0))
    if piece.shape[1]:
        chunks.append(np.add.reduce(piece, axis=1)[:, None])
    return np.concatenate(chunks, axis=1).sum(axis=1) / runs


def merge_summaries(
    model: Model, parts: Sequence[ShardSummaries], runs: int
) -> tuple[dict[tuple[str, str], np.ndarray], dict[str, np.ndarray]]:
    """The per-step rows and kept trajectories of the whole ensemble from its shards'
    parts (in run order, covering runs 0 to ``runs``)."""
    parts = sorted(parts, key=lambda p: p.lo)
    rows: dict[tuple[str, str], np.ndarray] = {}
    continuous = parts[0].continuous
    steps = len(parts[0].counts)
    if continuous:
        means = np.stack([_means(parts, s, runs) for s in range(steps)])
        if parts[0].whole_sample:
            qs = np.stack(parts[0].quantiles)  # (steps, quantiles, variables)
        else:
            # every step's rows at once: (steps * variables, runs) per piece
            pieces = [piece for piece in (p.piece() for p in parts) if piece is not None]
            qs = _merged_quantiles(pieces).reshape(len(SUMMARY_QUANTILES), steps, len(continuous)).transpose(1, 0, 2)
        for i, name in enumerate(continuous):
            rows[(name, "mean")] = means[:, i]
            for j, q in enumerate(SUMMARY_QUANTILES):
                rows[(name, f"q{round(q * 100):02d}")] = qs[:, j, i]
    counts = np.sum([np.stack(p.counts) for p in parts], axis=0)  # (steps, keys), integers
    for k, key in enumerate(count_keys(model)):
        rows[key] = counts[:, k] / runs
    ordered = {}
    for name in tracked_names(model):  # the output order of the per-step table
        for key in [k for k in rows if k[0] == name]:
            ordered[key] = rows[key]
    trajectories = {
        name: np.concatenate([np.stack(p.trajectories[name]) for p in parts if p.trajectories], axis=1)
        for name in (parts[0].tracked if parts[0].trajectories else [])
    }
    return ordered, trajectories
