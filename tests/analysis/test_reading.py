"""The reading list: class counts by [balance], one voice per side per story."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from analysishelp import (
    item,
)
from counterpoint.analysis.reading import reading_list
from counterpoint.analysis.sides import affiliation_order
from counterpoint.models import Story
from counterpoint.render.jsonout import pick_json

# -- reading list ------------------------------------------------------------------------------
CLASSES = ("government", "opposition", "wire", "ngo", "independent")


def pool() -> list[Story]:
    """Twenty stories of varied breadth; every class has more than 20 items."""
    stories = []
    for number in range(20):
        items = []
        for offset, key in enumerate(CLASSES):
            if (number + offset) % 3 == 0 and number % 4 != 3:
                continue
            for copy in range(1 + (number + offset) % 2):
                items.append(item(f"{key}-{copy}", key, f"story {number} by {key} {copy}",
                                  hours_ago=number + offset / 10 + copy / 100))
        stories.append(Story(f"s{number}", f"story {number}", tuple(items)))
    return stories


@pytest.mark.parametrize("n", [1, 3, 7, 10, 13, 20])
@pytest.mark.parametrize("weights", [
    {"government": 1, "opposition": 1, "wire": 1, "ngo": 1, "independent": 1},
    {"government": 1, "opposition": 1, "wire": 2, "ngo": 0.5, "independent": 0},
    {"government": 3, "opposition": 1, "wire": 0, "ngo": 0, "independent": 0},
])
def test_reading_list_class_counts_match_balance_within_one_item(
        n: int, weights: dict[str, float]) -> None:
    stories = pool()
    assert min(Counter(i.affiliation for s in stories for i in s.items).values()) >= n
    picks = reading_list(stories, weights, affiliation_order(CLASSES), n)
    counts = Counter(pick.item.affiliation for pick in picks)
    total = sum(weights.values())
    assert len(picks) == n
    for key, weight in weights.items():
        assert abs(counts[key] - n * weight / total) < 1


def test_a_class_with_weight_zero_gets_nothing() -> None:
    weights = {**dict.fromkeys(CLASSES, 1.0), "opposition": 0.0}
    picks = reading_list(pool(), weights, affiliation_order(CLASSES), 10)
    assert "opposition" not in {pick.item.affiliation for pick in picks}


def test_a_short_class_gives_its_quota_to_the_others() -> None:
    stories = [*pool(), Story("lone", "lone ngo story", (item("Amnesty", "ngo", "only"),))]
    stories = [Story(s.id, s.title, tuple(i for i in s.items if i.affiliation != "ngo"))
               if s.id != "lone" else s for s in stories]
    picks = reading_list(stories, dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), 10)
    counts = Counter(pick.item.affiliation for pick in picks)
    assert len(picks) == 10
    assert counts["ngo"] == 1
    assert sorted(counts[key] for key in CLASSES if key != "ngo") == [2, 2, 2, 3]


def test_reading_list_is_limited_by_the_items_there_are() -> None:
    stories = [Story("s1", "t", (item("AP", "wire"), item("IRNA", "government")))]
    picks = reading_list(stories, dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), 10)
    assert len(picks) == 2


def test_reading_list_meets_each_side_once_per_story_before_repeating_one() -> None:
    stories = [Story("s1", "wide", (item("AP", "wire", "a1", hours_ago=3),
                                    item("Reuters", "wire", "a2", hours_ago=2),
                                    item("IRNA", "government", "g1"))),
               Story("s2", "narrow", (item("AFP", "wire", "b1"),))]
    picks = reading_list(stories, {"wire": 1.0, "government": 1.0}, ["government", "wire"], 2)
    assert [(p.story_id, p.item.title) for p in picks] == [("s1", "g1"), ("s1", "a1")]
    picks = reading_list(stories, {"wire": 2.0, "government": 1.0}, ["government", "wire"], 3)
    assert [(p.story_id, p.item.title) for p in picks] == [("s1", "g1"), ("s1", "a1"),
                                                           ("s2", "b1")]


def test_reading_list_takes_the_broadest_stories_first() -> None:
    narrow = Story("s1", "narrow", (item("AP", "wire", "narrow"),))
    broad = Story("s2", "broad", (item("Reuters", "wire", "broad"),
                                  item("IRNA", "government", "gov"),
                                  item("NCRI", "opposition", "opp")))
    picks = reading_list([narrow, broad], {"wire": 1.0, "government": 0.0, "opposition": 0.0},
                         ["wire"], 1)
    assert [p.item.title for p in picks] == ["broad"]


def test_reading_list_is_deterministic_whatever_the_input_order() -> None:
    stories = pool()
    expected = reading_list(stories, dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), 7)
    shuffled = stories[:]
    random.Random(5).shuffle(shuffled)
    shuffled = [Story(s.id, s.title, tuple(random.Random(1).sample(s.items, len(s.items))))
                for s in shuffled]
    again = reading_list(shuffled, dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), 7)
    assert [(p.story_id, p.item.key) for p in again] == [(p.story_id, p.item.key)
                                                         for p in expected]


def test_reading_list_of_zero_items_is_empty() -> None:
    assert reading_list(pool(), dict.fromkeys(CLASSES, 1.0), CLASSES, 0) == []


def test_reading_pick_to_json_has_the_digest_keys() -> None:
    stories = [Story("s1", "t", (item("AP", "wire", "Title", link="https://ap/1"),))]
    (pick,) = reading_list(stories, {"wire": 1.0}, ["wire"], 10)
    assert pick_json(pick) == {"story": "s1", "title": "Title", "link": "https://ap/1",
                              "outlet": "AP", "affiliation": "wire"}


@pytest.mark.parametrize("n", [1, 5, 40, 200])
def test_reading_list_never_holds_two_items_of_one_side_from_one_story(n: int) -> None:
    picks = reading_list(pool(), dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), n)
    pairs = [(pick.story_id, pick.item.affiliation) for pick in picks]
    assert picks and len(pairs) == len(set(pairs))
