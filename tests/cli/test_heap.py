"""The allocator setting a big digest runs with: freed arrays go back to the system."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from counterpoint.cli.heap import tune_for_batch

# A 16 MB array freed (glibc then serves arrays up to 16 MB from its heap), then 20 arrays just
# over the tuned threshold (2 MB + 64 kB) of which only the last is kept: prints how much RSS
# stays with the freed ones (MB).
_PATTERN = """
import sys
import numpy as np
from counterpoint.cli.heap import MMAP_THRESHOLD, tune_for_batch
if sys.argv[1] == "tuned":
    assert tune_for_batch()
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
big = np.ones(2 * 2**20)
del big
before = rss()
kept = [np.ones((MMAP_THRESHOLD + 2**16) // 8) for _ in range(20)][-1]
print(rss() - before)
"""

glibc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="the setting is glibc's")


def _left(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", _PATTERN, mode], capture_output=True,
                          text=True, check=True)
    return float(done.stdout)


@glibc
def test_the_c_library_takes_the_settings() -> None:
    assert tune_for_batch() is True


@glibc
def test_freed_arrays_leave_the_process_once_tuned() -> None:
    assert _left("default") > 20  # glibc's growing threshold keeps the freed 2 MB arrays
    assert _left("tuned") < 5


def test_the_garbage_collector_is_paused_for_a_digest_and_back_after() -> None:
    import gc

    from counterpoint.cli.heap import collector_paused

    seen = []

    @collector_paused()
    def digest() -> None:
        seen.append(gc.isenabled())
        raise ValueError("a failed digest")

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with pytest.raises(ValueError):
        digest()
    # On again, the digest's objects left out of its walks (they would all be walked at once).
    assert seen == [False] and gc.isenabled() and gc.get_freeze_count() > frozen
    gc.unfreeze()
    gc.disable()
    try:
        digest_ok = collector_paused()(lambda: gc.isenabled())
        assert digest_ok() is False and not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
