"""Agglomeration phases: a formed story absorbs what matches it as a whole; a pair does not."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.stories.group import PHASES
from counterpoint.stories.linkage import average_linkage


def _labels(core: int, weak: float) -> list[int]:
    """`core` items scoring 0.5 with each other, one more item scoring 0.18 (below the
    threshold 0.2) with the first of them and `weak` with the others."""
    pairs = [(a, b, 0.5) for a in range(core) for b in range(a)]
    pairs += [(core, 0, 0.18)] + [(core, b, weak) for b in range(1, core)]
    rows, cols, sims = (np.array(column) for column in zip(*pairs, strict=True))
    return average_linkage(core + 1, rows, cols, sims.astype(float), 0.2, PHASES)


def test_a_story_of_four_items_absorbs_an_item_matching_its_profile() -> None:
    labels = _labels(4, 0.15)  # every pair below the threshold; the story's centroid above 0.85x
    assert len(set(labels)) == 1


def test_a_pair_does_not_absorb_an_item_on_the_same_weak_evidence() -> None:
    labels = _labels(2, 0.15)
    assert labels[0] == labels[1] != labels[2]


def test_an_item_matching_nothing_strongly_stays_out_of_any_story() -> None:
    labels = _labels(4, 0.05)
    assert len(set(labels[:4])) == 1 and labels[4] != labels[0]


def test_explanation_says_why_a_join_below_the_threshold_happened() -> None:
    from counterpoint.stories.explain import GroupExplanation, MergeStep, PairEvidence

    link = PairEvidence(0, 4, 0.18, ("aukus",), 1.0, False)
    step = MergeStep((0, 1, 2, 3), (4,), 0.18, link)
    lines = GroupExplanation(0.2, 48, (link,), (step,), (), True).describe()
    joined = next(line for line in lines if line.startswith("joined"))
    assert "below the threshold" in joined and "4+ items" in joined


# The agglomeration joins groups in rounds (numpy) and only visits components that can still
# change: it must give the stories of the plain best-pair-first loop (`Linkage`, kept as the
# reference) on any graph. At most 11 items, so no item has more than 10 weaker pairs and the
# pruning of weak pairs keeps them all.
def _reference(n: int, pairs: list[tuple[int, int, float]], threshold: float,
               phases: tuple[tuple[str, float], ...]) -> list[int]:
    from counterpoint.stories.linkage import STORY_SIZE, Linkage

    bar = threshold * min(share for _, share in phases)
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b, score in pairs:
        if score >= bar:
            parent[root(a)] = root(b)
    linkage = Linkage([(a, b, s) for a, b, s in pairs if root(a) == root(b)])
    for kind, share in phases:
        linkage.merge(threshold * share, centroid=kind in ("cosine", "story"),
                      story=STORY_SIZE if kind == "story" else 0)
    labels = list(range(n))
    for group in linkage.members.values():
        for index in group:
            labels[index] = min(group)
    return labels


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, float]]]:
    """Random pairs of up to 11 items, scores in -0.1 .. 0.7 without exact ties (where two
    groups score exactly the same, either may be joined first)."""
    n = draw(st.integers(2, 11))
    possible = [(a, b) for a in range(n) for b in range(a)]
    chosen = draw(st.lists(st.sampled_from(possible), unique=True, max_size=len(possible)))
    ranks = draw(st.lists(st.integers(1, 10**6), unique=True, min_size=len(chosen),
                          max_size=len(chosen)))
    return n, [(a, b, 0.8 * ((rank * 0.6180339887498949) % 1.0) - 0.1)
               for (a, b), rank in zip(chosen, ranks, strict=True)]


@settings(max_examples=200, deadline=None)
@given(_graphs(), st.sampled_from([PHASES, (("average", 1.0),),
                                               (("average", 1.0), ("cosine", 1.0))]))
def test_stories_are_those_of_the_best_pair_first_loop(
        graph: tuple[int, list[tuple[int, int, float]]], phases: tuple[tuple[str, float], ...]
) -> None:
    n, pairs = graph
    rows = np.array([a for a, _, _ in pairs], dtype=np.int64)
    cols = np.array([b for _, b, _ in pairs], dtype=np.int64)
    sims = np.array([s for _, _, s in pairs], dtype=np.float64)
    assert average_linkage(n, rows, cols, sims, 0.2, phases) == _reference(n, pairs, 0.2, phases)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), max_size=60),
       st.sampled_from([1 << 16, 1 << 32, 1 << 40]))
def test_radix_order_is_the_stable_sort(keys: list[int], bound: int) -> None:
    """`stable_order` gives what a stable sort gives (ties in index order), for keys below the
    bound (few distinct values: many ties)."""
    from counterpoint.stories.linkage import stable_order

    key = np.array([k % bound for k in keys] + [k % 7 for k in keys], dtype=np.int64)
    assert stable_order(key, bound).tolist() == np.argsort(key, kind="stable").tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0.0, -0.0, 0.2, 0.2000001, -1.5, 3.0, 1e-300]), max_size=60))
def test_descending_order_keeps_ties_in_index_order(values: list[float]) -> None:
    from counterpoint.stories.linkage import descending

    array = np.array(values, dtype=np.float64)
    assert descending(array).tolist() == np.argsort(-array, kind="stable").tolist()



@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6),
                          st.sampled_from([0.1, 0.2, 0.25, 0.5, 0.9])), max_size=25),
       st.sampled_from([0.15, 0.3]), st.booleans())
def test_linkage_from_arrays_is_the_linkage_of_the_edge_list(
        edges: list[tuple[int, int, float]], threshold: float, centroid: bool) -> None:
    """Built from arrays (one sort), a Linkage holds the same links, sizes and members as one
    built edge by edge (repeated edges: the later one's score), and joins the same groups."""
    from counterpoint.stories.linkage import Linkage

    edges = [edge for edge in edges if edge[0] != edge[1]]  # pairs of two items
    a, b, s = (np.array([edge[i] for edge in edges]) for i in range(3))
    built = Linkage.from_arrays(a.astype(np.int32), b.astype(np.int32), s.astype(float))
    plain = Linkage(edges)
    assert built.links == plain.links
    assert (built.members, built.inner, built.size) == (plain.members, plain.inner, plain.size)
    for linkage in (built, plain):
        linkage.merge(threshold, centroid=centroid)
    assert sorted(map(sorted, built.members.values())) == sorted(
        map(sorted, plain.members.values()))
