"""Agglomeration phases: a formed story absorbs what matches it as a whole; a pair does not."""

from __future__ import annotations

import numpy as np

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
