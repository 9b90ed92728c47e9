"""Products of sparse row blocks for pair scoring (`stories.group`): a block of rows times
the rows before it, without copying the matrix and without scipy's counting pass.

numpy and scipy are imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

__all__ = ["block_rows", "product"]


def block_rows(matrix: csr_matrix, first: int, stop: int) -> csr_matrix:
    """Rows first..stop of a CSR matrix as a view on its arrays (slicing copies them: with two
    threads, two copies of most of the matrix at the memory peak). The same entries in the same
    order, so the products are the same to the bit."""
    from scipy.sparse import csr_matrix

    low, high = int(matrix.indptr[first]), int(matrix.indptr[stop])
    view = csr_matrix((matrix.data[low:high], matrix.indices[low:high],
                       matrix.indptr[first:stop + 1] - low),
                      shape=(stop - first, matrix.shape[1]), copy=False)
    return view


def product(a: csr_matrix, b: csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`a @ b` of CSR matrices as the product's (indptr, indices, data), to the bit and in
    scipy's order: scipy's own kernel, without the pass that first counts the product's entries
    (a third of its time). The arrays are sized by each row's bound, min(multiplications,
    columns), and only the entries written are kept (pages never written take no memory)."""
    import numpy as np

    try:
        from scipy.sparse._sparsetools import csr_matmat
    except ImportError:  # not in this scipy: its public product
        return _public_product(a, b)
    steps = np.concatenate([[0], np.cumsum(np.diff(b.indptr)[a.indices], dtype=np.int64)])
    bound = int(np.minimum(steps[a.indptr[1:]] - steps[a.indptr[:-1]], b.shape[1]).sum())
    kind = np.int32 if max(bound, a.nnz, b.nnz, *a.shape, *b.shape) < 2**31 else np.int64
    indptr = np.empty(a.shape[0] + 1, dtype=kind)
    indices = np.empty(max(bound, 1), dtype=kind)
    data = np.empty(max(bound, 1), dtype=np.result_type(a.dtype, b.dtype))
    try:
        csr_matmat(a.shape[0], b.shape[1], a.indptr.astype(kind, copy=False),
                   a.indices.astype(kind, copy=False), a.data, b.indptr.astype(kind, copy=False),
                   b.indices.astype(kind, copy=False), b.data, indptr, indices, data)
    except (TypeError, ValueError):  # a private kernel whose signature changed: the public one
        return _public_product(a, b)
    count = int(indptr[-1])
    return indptr, indices[:count], data[:count]


def _public_product(a: csr_matrix, b: csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    result = (a @ b).tocsr()
    return result.indptr, result.indices, result.data
