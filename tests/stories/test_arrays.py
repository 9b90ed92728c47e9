"""Sorted distinct values and their counts by one sort: exactly what `np.unique` gives (TF-IDF
counts, pair counts and outlet runs rest on them)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.stories import arrays

values = st.tuples(st.lists(st.integers(0, 2**40), max_size=50), st.integers(1, 5))


@settings(max_examples=100, deadline=None)
@given(values)
def test_values_are_counted_as_numpy_counts_them(case: tuple[list[int], int]) -> None:
    numbers, spread = case
    array = np.array([v % (spread * 7) for v in numbers], dtype=np.int64)
    distinct, counts = arrays.counted(array)
    expected, expected_counts = np.unique(array, return_counts=True)
    assert distinct.tolist() == expected.tolist() and counts.tolist() == expected_counts.tolist()


@settings(max_examples=100, deadline=None)
@given(values)
def test_distinct_values_are_numpys(case: tuple[list[int], int]) -> None:
    numbers, spread = case
    array = np.array([v % (spread * 7) for v in numbers], dtype=np.int64)
    assert arrays.distinct(array).tolist() == np.unique(array).tolist()
