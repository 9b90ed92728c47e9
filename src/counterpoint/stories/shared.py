"""How many columns two rows of a binary matrix share (the pair rules' counts of shared
informative words, names and numbers: `stories.group`, `stories.signals.one_unit`).

numpy and scipy are imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from counterpoint.stories import arrays

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

__all__ = ["Overlap", "compact", "overlap", "shared_by_bit"]


class Overlap(NamedTuple):
    """A binary matrix with only the columns some row holds (`compact`), and a flag per
    column: what `overlap` counts (or a small integer code per column: `shared_by_bit`)."""

    rows: csr_matrix
    flags: np.ndarray


def compact(rows: csr_matrix, flags: np.ndarray | None = None) -> Overlap:
    """`rows` (binary) without the columns no row holds, and `flags` (per column of `rows`;
    none flagged if None) of the columns kept."""
    import numpy as np
    from scipy.sparse import csr_matrix

    used = np.flatnonzero(np.bincount(rows.indices, minlength=rows.shape[1]))
    column = np.zeros(rows.shape[1], dtype=np.int32)
    column[used] = np.arange(len(used), dtype=np.int32)
    matrix = csr_matrix((rows.data, column[rows.indices], rows.indptr),
                        shape=(rows.shape[0], max(1, len(used))))
    kept = np.zeros(len(used), dtype=bool) if flags is None else flags[used]
    return Overlap(matrix, kept)


def overlap(rows: Overlap, r: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair r[k], c[k]: the columns both rows hold, and how many of those are flagged
    (`rows.flags` as booleans)."""
    import numpy as np

    codes = np.where(rows.flags, 3, 1).astype(np.int8)  # bit 0: any column; bit 1: flagged
    shared, flagged = shared_by_bit(Overlap(rows.rows, codes), r, c, 2)
    return shared, flagged


def shared_by_bit(rows: Overlap, r: np.ndarray, c: np.ndarray, bits: int) -> list[np.ndarray]:
    """Per bit b < `bits` (at most 3) and pair r[k], c[k]: how many columns both rows hold
    whose code (`rows.flags` as small integers, 0 .. 2**bits - 1) has bit b set.

    The rows r span few rows (a block of `stories.group`): their columns are marked in a
    dense array, and each c row's columns are looked up there: one gather per column of c
    instead of copying both rows of every pair, and one sum per pair for all bits. Each
    bit's count is packed in its own field of the mark, as wide as the count can grow (a
    count is at most the longest r row), so the marks and the sums take few bytes."""
    import numpy as np

    if not len(r):
        return [np.zeros(0, dtype=np.int64) for _ in range(bits)]
    matrix, codes = rows
    indptr, indices = matrix.indptr, matrix.indices
    low, high = int(r.min()), int(r.max()) + 1
    held = indices[indptr[low]:indptr[high]]
    counts = [np.zeros(len(c), dtype=np.int64) for _ in range(bits)]
    if not len(held):
        return counts
    # The block's own columns, numbered from 0; every other column is `width - 1`, never marked
    # (a small dense array: little to clear, and the lookups stay in cache).
    columns = arrays.distinct(held)
    width = len(columns) + 1
    local = np.full(matrix.shape[1], width - 1, dtype=indices.dtype)
    local[columns] = np.arange(len(columns), dtype=indices.dtype)
    field = int(np.diff(indptr[low:high + 1]).max()).bit_length()  # a count fits
    packed = _packing(bits, field)
    code = np.arange(1 << bits)
    if packed is None:  # (rows of over 2**21 columns) each bit counted on its own
        tables = [((code >> bit) & 1).astype(np.int64) for bit in range(bits)]
    else:
        table = np.zeros(1 << bits, dtype=packed)
        for bit in range(bits):
            table += (((code >> bit) & 1) << (field * bit)).astype(packed)
        tables = [table]
    kind = indices.dtype if (high - low) * width < 2**31 else np.int64
    spots = np.repeat(np.arange(high - low, dtype=kind) * width, np.diff(indptr[low:high + 1]))
    spots += local[held]
    c = c.astype(indptr.dtype, copy=False)
    first = indptr[c]
    lengths = indptr[c + 1] - first
    found = _gather(matrix, c, int(lengths.sum()))
    key = np.repeat(((r - low) * width).astype(kind), lengths)
    key += local[found]
    del found
    full = np.flatnonzero(lengths)  # reduceat over the rows holding columns: each runs to
    if not len(full):  # the next one's start
        return counts
    starts = (np.cumsum(lengths) - lengths)[full]
    for number, table in enumerate(tables):
        mark = np.zeros((high - low) * width, dtype=table.dtype)
        mark[spots] = table[codes[held]]
        total = np.add.reduceat(mark[key], starts, dtype=table.dtype)
        del mark
        if len(tables) > 1:
            counts[number][full] = total
        else:
            for bit, count in enumerate(counts):
                count[full] = (total >> (field * bit)) & ((1 << field) - 1)
    return counts


def _packing(bits: int, field: int) -> type[np.signedinteger] | None:
    """The narrowest integer holding `bits` fields of `field` bits (None: none does)."""
    import numpy as np

    for kind, room in ((np.int16, 15), (np.int32, 31), (np.int64, 63)):
        if bits * field <= room:
            return kind
    return None


def _gather(matrix: csr_matrix, rows: np.ndarray, size: int) -> np.ndarray:
    """The column indices of `matrix`'s rows `rows`, one row after the other (`size` of
    them): `matrix[rows].indices`, by scipy's kernel without building the matrix (its data
    and checks cost twice the copy)."""
    import numpy as np

    indptr, indices = matrix.indptr, matrix.indices
    found = np.empty(size, dtype=indices.dtype)
    try:
        from scipy.sparse._sparsetools import csr_row_index

        csr_row_index(len(rows), rows, indptr, indices, indices, found,
                      np.empty(size, dtype=indices.dtype))
    except (ImportError, TypeError, ValueError):  # a private kernel that moved or changed
        found = matrix[rows].indices
    return found
