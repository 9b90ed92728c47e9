"""Counting what two items share: the fast counts agree with counting word by word."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from counterpoint.models import Item
from counterpoint.stories import shared
from counterpoint.stories.signals import (
    Overlap,
    centrality,
    compact,
    features,
    overlap,
    shared_by_bit,
)

ROWS = 12
COLUMNS = 9

# Each row: the set of columns it holds (empty rows included); which columns are flagged.
matrices = st.tuples(
    st.lists(st.sets(st.integers(0, COLUMNS - 1)), min_size=ROWS, max_size=ROWS),
    st.lists(st.booleans(), min_size=COLUMNS, max_size=COLUMNS),
    st.lists(st.tuples(st.integers(0, ROWS - 1), st.integers(0, ROWS - 1)), max_size=40),
)


@settings(max_examples=100, deadline=None)
@given(matrices)
def test_overlap_counts_shared_and_flagged_columns(case: tuple[
        list[set[int]], list[bool], list[tuple[int, int]]]) -> None:
    held, flags, pairs = case
    cells = [(row, column) for row, columns in enumerate(held) for column in sorted(columns)]
    matrix = csr_matrix((np.ones(len(cells), dtype=np.float32),
                         ([row for row, _ in cells], [column for _, column in cells])),
                        shape=(ROWS, COLUMNS))
    r = np.array([a for a, _ in pairs], dtype=np.int64)
    c = np.array([b for _, b in pairs], dtype=np.int64)
    order = np.argsort(r, kind="stable")  # a block's pairs come by row, as in pair_scores
    r, c = r[order], c[order]
    shared, flagged = overlap(compact(matrix, np.array(flags)), r, c)
    expect = [held[a] & held[b] for a, b in zip(r.tolist(), c.tolist(), strict=True)]
    assert shared.tolist() == [len(both) for both in expect]
    assert flagged.tolist() == [sum(flags[k] for k in both) for both in expect]


@settings(max_examples=100, deadline=None)
@given(matrices, st.lists(st.integers(0, 7), min_size=COLUMNS, max_size=COLUMNS), st.booleans(),
       st.booleans())
def test_shared_columns_are_counted_per_bit_of_their_code(case: tuple[
        list[set[int]], list[bool], list[tuple[int, int]]], codes: list[int], wide: bool,
        apart: bool) -> None:
    """Each bit's count is the shared columns whose code holds it, whether the counts share
    one sum (packed in fields as wide as the longest row needs) or each bit is summed on its
    own (no integer holds the fields), on narrow matrices and on 2**21 columns or more."""
    held, _, pairs = case
    cells = [(row, column) for row, columns in enumerate(held) for column in sorted(columns)]
    width = COLUMNS + (1 << 21) if wide else COLUMNS
    matrix = csr_matrix((np.ones(len(cells), dtype=np.float32),
                         ([row for row, _ in cells], [column for _, column in cells])),
                        shape=(ROWS, width))
    code = np.zeros(width, dtype=np.int8)
    code[:COLUMNS] = codes
    pairs = sorted(pairs, key=lambda pair: pair[0])  # a block's pairs come by row
    r = np.array([a for a, _ in pairs], dtype=np.int64)
    c = np.array([b for _, b in pairs], dtype=np.int64)
    with patch.object(shared, "_packing", (lambda bits, field: None) if apart
                      else shared._packing):
        counts = shared_by_bit(Overlap(matrix, code), r, c, 3)
    for bit in range(3):
        assert counts[bit].tolist() == [sum(codes[k] >> bit & 1 for k in held[a] & held[b])
                                        for a, b in pairs]


WORDS = ["Tehran", "protests", "minister", "budget", "floods", "Zahedan", "oil", "prices",
         "talks", "strike", "اعتراضات", "زاهدان", "تهران", "وزیر", "نفت"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(texts, texts), min_size=3, max_size=9))
def test_story_title_centrality_is_the_grouping_similarity(rows: list[tuple[str, str]]) -> None:
    # Story titles pick the item most like the others by the very similarity grouping uses:
    # centrality must stay the row sums of features' matrix (float32 there, float64 here).
    items = [Item(outlet=f"O{k % 3}", affiliation="wire", feed_url="", key=str(k), title=title,
                  summary=lead, link=None, published=datetime(2026, 11, 1, k, tzinfo=UTC))
             for k, (title, lead) in enumerate(rows)]
    matrix = features(items, list(range(len(items)))).matrix
    expected = np.asarray((matrix @ matrix.T).sum(axis=1)).ravel()
    assert np.allclose(centrality(items), expected, atol=1e-4)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["riots", "protest", "≈0", "nov2019", "iran", "ab"]),
                         max_size=6), max_size=8))
def test_title_spellings_encode_as_the_list_of_every_ngram_would(titles: list[list[str]]) -> None:
    """`_encode_grams` lays each word's n-grams out with numpy; ids, owners and vocabulary
    must be what encoding the list of every title's n-grams gives."""
    from counterpoint.stories.signals import _encode_grams, _encode_terms, _grams

    (ids, owner, size), terms = _encode_grams(titles)
    (want_ids, want_owner, want_size), want_terms = _encode_terms([_grams(t) for t in titles])
    assert ids.tolist() == want_ids.tolist() and owner.tolist() == want_owner.tolist()
    assert (size, terms) == (want_size, want_terms)
