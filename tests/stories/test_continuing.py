"""A story that runs for days: items a day apart that share several rare names or numbers
stay one story; what is merely alike keeps the strict time decay."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from counterpoint.stories import group
from counterpoint.stories.continuing import (
    CONTINUING_ANCHORS,
    RARE_ITEMS,
    continuing,
    rare_anchors,
)
from counterpoint.stories.explain import explain_group
from counterpoint.stories.group import group_items
from counterpoint.stories.shared import Overlap
from wildfirehelp import BACKGROUND, CALDOR, CALDOR_SECOND, DIXIE, Report, items_of


def story_of(groups: list[list[int]], index: int) -> set[int]:
    return next(set(g) for g in groups if index in g)


def binary_rows(rows: list[list[int]], width: int) -> csr_matrix:
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.array([c for r in rows for c in r], dtype=np.int32)
    return csr_matrix((np.ones(len(indices), dtype=np.int8), indices, indptr),
                      shape=(len(rows), width))


@pytest.mark.parametrize("outlets", [CALDOR, CALDOR + CALDOR_SECOND],
                         ids=["one outlet", "two outlets"])
def test_a_wildfire_followed_for_four_days_is_one_story(outlets: list[Report]) -> None:
    items = items_of(outlets + DIXIE + BACKGROUND)
    groups = group_items(items)
    assert story_of(groups, 0) == set(range(len(outlets)))


def test_another_fire_on_those_days_stays_apart() -> None:
    fires = CALDOR + CALDOR_SECOND
    items = items_of(fires + DIXIE + BACKGROUND)
    groups = group_items(items)
    dixie = set(range(len(fires), len(fires) + len(DIXIE)))
    assert story_of(groups, len(fires)) == dixie


def test_without_the_continuing_decay_the_days_fall_apart(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group, "CONTINUING_DECAY", group.DECAY)
    items = items_of(CALDOR + DIXIE + BACKGROUND)
    assert story_of(group_items(items), 0) != set(range(len(CALDOR)))


@pytest.mark.parametrize(("texts", "continues"), [(RARE_ITEMS, True), (RARE_ITEMS + 1, False)])
def test_a_name_in_more_than_a_few_items_is_not_rare(texts: int, continues: bool) -> None:
    # Two texts share CONTINUING_ANCHORS names; the first of them (column 0) is in `texts` texts.
    pair = list(range(CONTINUING_ANCHORS))
    rows = [pair, pair] + [[0]] * (texts - 2)
    rare = rare_anchors(Overlap(binary_rows(rows, CONTINUING_ANCHORS), np.ones(
        CONTINUING_ANCHORS, dtype=bool)))
    assert continuing(rare, np.array([1]), np.array([0])).tolist() == [continues]


def test_only_pairs_sharing_enough_rare_anchors_continue() -> None:
    flags = np.ones(6, dtype=bool)
    flags[5] = False  # an informative word that is no name or number
    enough = list(range(CONTINUING_ANCHORS))
    rows = [enough, enough, [*enough[:-1], 5], [4, 5]]
    rare = rare_anchors(Overlap(binary_rows(rows, 6), flags))
    r, c = np.array([1, 2, 3]), np.array([0, 0, 0])
    assert continuing(rare, r, c).tolist() == [True, False, False]


def test_no_text_with_enough_rare_anchors_means_no_rows() -> None:
    rows = [[0], [0, 1], [1]]
    assert rare_anchors(Overlap(binary_rows(rows, 2), np.ones(2, dtype=bool))) is None
    assert continuing(None, np.array([1]), np.array([0])).tolist() == [False]


def test_explanation_says_which_pairs_are_a_story_continuing() -> None:
    items = items_of(CALDOR[:2])
    explanation = explain_group(items)
    (pair,) = explanation.pairs
    assert pair.continuing and pair.hours_apart > group.GRACE_HOURS
    assert any("a story continuing" in line for line in explanation.describe())
    same_day = items_of([CALDOR[0], (CALDOR[1][0], 2.0, CALDOR[1][2], CALDOR[1][3])])
    assert not any(p.continuing for p in explain_group(same_day).pairs)
