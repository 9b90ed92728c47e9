"""The C allocator's settings for a big batch (glibc on Linux; elsewhere nothing changes).

A 10,000-item digest allocates numpy arrays of a few hundred kB to tens of MB on two threads.
glibc's defaults serve them from one heap per thread and raise the size above which it maps
memory of its own each time such an array is freed, so freed arrays stay in the heaps: the
digest's peak RSS was ~195 MB for ~85 MB of live data. With every allocation of 128 kB or more
mapped (and unmapped when freed) and one heap, it is ~165 MB, in the same time (bench/README.md,
"Memory round (branch m17)"). Only where memory goes changes, never what is computed.

Each mapping is fresh memory the kernel zeroes page by page: at 128 kB a 10,000-item digest took
~370,000 page faults, ~0.6 s of system time in grouping. Since grouping's peak came down (130 MB
then), the threshold is 2 MB: arrays up to that size are reused from the heap, ~130,000 faults,
~0.3 s less, peak RSS +7-10 MB (bench/README.md, "round a18").

Python's cyclic garbage collector is paused for a digest (`collector_paused`): it walks every
live object each time enough new ones have been made (the 10,000 items, their words, the
stories: ~0.6 s of a 10,000-item digest), and a digest makes almost no cycles (about 1,000
objects found in all), so the pause costs no memory; reference counting frees the rest as
always. What is alive when the pause ends is frozen (`gc.freeze`): otherwise the first
collection after it, and the full one at exit, walk all of it once more (~0.2 s).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameters (malloc.h)
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 2 << 20  # fixed, instead of growing with each freed mapping (glibc's default)
ARENAS = 1


def tune_for_batch() -> bool:
    """Set the allocator for a big batch; True when the C library took the settings."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_ARENA_MAX, ARENAS))


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside; on again after, if it was on, with the objects
    then alive left out of its walks (frozen)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.enable()
