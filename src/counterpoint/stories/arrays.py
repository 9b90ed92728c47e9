"""Sorted distinct values of an integer array, and how often each occurs, by one sort: what
`np.unique` gives, without the hashing numpy 2.4's `np.unique` does (several to 40 times
slower on grouping's arrays: bench/README.md). Shared by the TF-IDF counts
(`stories.signals`), the pair counts (`stories.shared`) and the outlet runs
(`stories.repeats`).

numpy is imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["counted", "distinct"]


def distinct(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)`: the sorted distinct values."""
    import numpy as np

    ordered: np.ndarray = np.sort(values)
    result: np.ndarray = ordered[_firsts(ordered)]
    return result


def counted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(values, return_counts=True)`: the sorted distinct values and their counts."""
    import numpy as np

    ordered: np.ndarray = np.sort(values)
    starts = np.flatnonzero(_firsts(ordered))
    counts: np.ndarray = np.diff(np.append(starts, len(ordered)))
    return ordered[starts], counts


def _firsts(ordered: np.ndarray) -> np.ndarray:
    """Mask of the first of each run of equal values in sorted `ordered`."""
    import numpy as np

    mask: np.ndarray = np.concatenate([[True], ordered[1:] != ordered[:-1]])[:len(ordered)]
    return mask
