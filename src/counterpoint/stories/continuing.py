"""Stories that run for days: which pairs carry the evidence that lets time count for less.

A trial, a wildfire or a sewage spill that one outlet follows day after day keeps its own
names and numbers ("Hyperion", "Santa Monica Bay", "17 million gallons"; "Depp", "Heard",
"Sun"), and few other items of the batch carry them. A pair that shares at least
`CONTINUING_ANCHORS` such *rare anchors* (a name or number, as in `stories.anchors`, in at
most `RARE_ITEMS` items of the batch) is a story continuing: `stories.group` lets its score
lose less to the time past the grace period (`group.CONTINUING_DECAY`). What is merely alike
(a topic, a recurring series, one shared name) keeps the strict decay.

Measured with bench/grouping.py (bench/README.md, "Round 7"): a bar of 3 shared rare anchors
in at most 10 items, chosen on the two real days (pooled pairwise F1 .658 -> .669): 2 anchors
gain .003 more F1 but cost day 2 precision -.023 and AllSides +9x -.008 pairwise F1; 4 anchors
half the gain; 5 or 7 items half the gain, 15 the same, 30 AllSides +9x -.004; any anchor
however common: +9x -.029. Checked on every other set (AllSides with 12 h jitter too):
unchanged.

numpy and scipy are imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterpoint.stories.shared import Overlap, overlap

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CONTINUING_ANCHORS", "RARE_ITEMS", "continuing", "rare_anchors"]

RARE_ITEMS = 10  # a rare anchor is in at most this many items of the batch
CONTINUING_ANCHORS = 3  # rare anchors a pair must share to count as one story continuing


def rare_anchors(words: Overlap) -> Overlap | None:
    """Each text's rare anchors, from `Anchors.words` (informative words, anchors flagged):
    binary rows over the anchor columns held by 1 .. `RARE_ITEMS` texts, every column flagged.
    None when no text holds `CONTINUING_ANCHORS` of them (no pair can then qualify)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    rows, flags = words
    held = np.bincount(rows.indices, minlength=rows.shape[1])
    kept = (flags & (held <= RARE_ITEMS))[rows.indices]
    row_of = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    per_row = np.bincount(row_of[kept], minlength=rows.shape[0])
    if int(per_row.max(initial=0)) < CONTINUING_ANCHORS:
        return None
    indptr = np.concatenate([[0], np.cumsum(per_row)]).astype(rows.indptr.dtype)
    matrix = csr_matrix((np.ones(int(indptr[-1]), dtype=np.int8),
                         rows.indices[kept], indptr), shape=rows.shape)
    return Overlap(matrix, np.ones(rows.shape[1], dtype=bool))


def continuing(rare: Overlap | None, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Mask of the pairs r[k], c[k] that share at least `CONTINUING_ANCHORS` rare anchors
    (`rare_anchors`). Only pairs whose texts each hold that many are counted: they are few."""
    import numpy as np

    mask = np.zeros(len(r), dtype=bool)
    if rare is None or not len(r):
        return mask
    held = np.diff(rare.rows.indptr)
    candidates = np.flatnonzero((held[r] >= CONTINUING_ANCHORS)
                                & (held[c] >= CONTINUING_ANCHORS))
    if len(candidates):
        _, shared = overlap(rare, r[candidates], c[candidates])
        mask[candidates[shared >= CONTINUING_ANCHORS]] = True
    return mask
