"""Large work arrays: in memory maps of ordinary pages, and reused within a process.

A shard that holds part of the quantile sample fills a ``(steps, variables, runs)``
array of it (140 MB for 5,000 runs of the bundled scenario). NumPy asks the kernel
for huge pages for an array that size, and a kernel that compacts memory on the spot
to find them (Linux's ``transparent_hugepage/defrag = madvise``, this machine's
default) spent 0.3 to 1.1 s of system time on each such array in a Ray worker, as
much as simulating the shard. Here the array lives in an anonymous memory map of
ordinary pages (0.05 s of page faults for 140 MB, whatever the kernel's state), and
when it is freed its map is kept for the next array of at most its size, so a worker
that simulates shard after shard touches fresh memory once.

Where memory maps are not to be had (a platform without ``MAP_PRIVATE``), the
arrays are ordinary NumPy arrays.
"""

from __future__ import annotations

import math
import mmap
import threading
import weakref

import numpy as np

__all__ = ["work_array", "SPARE_MAPS", "MIN_MAPPED_BYTES"]

#: Arrays smaller than this are ordinary NumPy arrays (a map costs a system call).
MIN_MAPPED_BYTES = 1 << 24
#: How many freed maps a process keeps for reuse (the largest ones).
SPARE_MAPS = 2

_spare: list[mmap.mmap] = []
_lock = threading.RLock()  # reentrant: a freed array's finaliser may run inside
_FLAGS = getattr(mmap, "MAP_PRIVATE", None), getattr(mmap, "MAP_ANONYMOUS", None)


def work_array(shape: tuple[int, ...]) -> np.ndarray:
    """An uninitialised C-contiguous float64 array of ``shape``, as ``np.empty``
    gives, its memory in a reused or new memory map when it is large.

    Example:
        >>> a = work_array((2, 3))
        >>> a.shape, a.dtype.name, a.flags.c_contiguous, a.flags.writeable
        ((2, 3), 'float64', True, True)
    """
    count = math.prod(shape)
    size = count * 8
    if size < MIN_MAPPED_BYTES or None in _FLAGS:
        return np.empty(shape)
    with _lock:
        fits = [m for m in _spare if len(m) >= size]
        region = min(fits, key=len) if fits else None
        if region is not None:
            _spare.remove(region)
    if region is None:
        private, anonymous = _FLAGS
        region = mmap.mmap(-1, size, flags=private | anonymous)  # type: ignore[operator]
    flat = np.frombuffer(region, dtype=np.float64, count=count)
    # the map goes back to the spares when the array (and every view of it) is freed
    weakref.finalize(flat, _give_back, region)
    return flat.reshape(shape)


def _give_back(region: mmap.mmap) -> None:
    with _lock:
        _spare.append(region)
        _spare.sort(key=len, reverse=True)
        del _spare[SPARE_MAPS:]
