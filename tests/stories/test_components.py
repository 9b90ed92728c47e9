"""Connected components of the strong pairs: the same as scipy's, without importing csgraph."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from counterpoint.stories.components import components


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 40).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))),
                         max_size=0 if n == 0 else 80))))
def test_components_are_scipys_connected_components(graph: tuple[int, list[tuple[int, int]]]
                                                     ) -> None:
    """Same component numbers as scipy's `connected_components` (in the order of each
    component's smallest item), chains, self-loops and repeated edges included."""
    n, edges = graph
    a = np.array([u for u, _ in edges], dtype=np.int32)
    b = np.array([v for _, v in edges], dtype=np.int32)
    _, expected = connected_components(coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n)),
                                       directed=False)
    assert components(n, a, b).tolist() == expected.tolist()


def test_components_of_a_long_chain_in_scrambled_order() -> None:
    """A path through 5,000 items, its edges shuffled: one component (many hooking rounds)."""
    rng = np.random.default_rng(7)
    path = rng.permutation(5000)
    order = rng.permutation(4999)
    labels = components(5001, path[:-1][order], path[1:][order])
    assert set(labels[path].tolist()) == {0} and labels[5000] == 1
