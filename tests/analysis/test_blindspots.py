"""Blindspots: one side carried a story with weight while the others listened."""

from __future__ import annotations

from analysishelp import (
    OUTLETS,
    SEED_STORIES,
    down,
    healthy_results,
    item,
    ok,
    opposition_stories,
)
from counterpoint.analysis.blindspots import find_blindspots
from counterpoint.analysis.coverage import Coverage, outlet_health, story_coverage
from counterpoint.analysis.sides import affiliation_order
from counterpoint.config.load import DEFAULT_AFFILIATIONS
from counterpoint.models import FeedResult, Story
from counterpoint.render.jsonout import blindspot_json


# -- blindspots --------------------------------------------------------------------------------
def coverages_for(stories: list[Story],
                  results: list[FeedResult]) -> dict[str, dict[str, Coverage]]:
    health = outlet_health(OUTLETS, results)
    return {story.id: story_coverage(story, OUTLETS, health) for story in stories}


def test_opposition_stories_others_were_silent_on_are_opposition_blindspots() -> None:
    stories = opposition_stories()
    blindspots = find_blindspots(stories, coverages_for(stories, healthy_results()), OUTLETS,
                                 affiliation_order(DEFAULT_AFFILIATIONS), min_items=1)
    assert {b.story_id for b in blindspots} == {"s1", "s2", "s3"}
    assert {b.affiliation for b in blindspots} == {"opposition"}
    assert blindspots[0].silent == {"government": ("IRNA", "Press TV"),
                                    "ngo": ("Amnesty", "HRW"), "wire": ("Reuters", "AP")}


def test_blindspots_rank_by_how_many_outlets_of_the_side_carried_the_story() -> None:
    stories = opposition_stories()
    blindspots = find_blindspots(stories, coverages_for(stories, healthy_results()), OUTLETS,
                                 min_items=1)
    assert [b.story_id for b in blindspots] == ["s2", "s1", "s3"]
    assert blindspots[0].outlets == ("NCRI", "Iran Focus")


def test_story_carried_by_two_classes_is_no_blindspot() -> None:
    story = Story("s1", "t", (item("NCRI", "opposition"), item("IRNA", "government")))
    assert find_blindspots([story], coverages_for([story], healthy_results()), OUTLETS) == []


def test_story_is_no_blindspot_when_every_other_outlet_was_unreachable() -> None:
    stories = opposition_stories()
    results = [ok(o.name, o.affiliation) if o.affiliation == "opposition"
               else down(o.name, o.affiliation) for o in OUTLETS]
    assert find_blindspots(stories, coverages_for(stories, results), OUTLETS) == []


def test_blindspot_names_classes_whose_silence_is_unknown() -> None:
    stories = opposition_stories()[:1]
    results = [down(o.name, o.affiliation) if o.affiliation == "ngo"
               else ok(o.name, o.affiliation) for o in OUTLETS]
    (blindspot,) = find_blindspots(stories, coverages_for(stories, results), OUTLETS,
                                   affiliation_order(DEFAULT_AFFILIATIONS), min_items=1)
    assert blindspot.unreachable == ("ngo",)
    assert blindspot_json(blindspot) == {
        "story": "s1", "title": SEED_STORIES[0][0], "affiliation": "opposition",
        "outlets": ["NCRI"], "items": 1,
        "silent": {"government": ["IRNA", "Press TV"], "wire": ["Reuters", "AP"]},
        "unreachable": ["ngo"]}


def test_blindspots_can_require_more_than_one_carrier() -> None:
    stories = opposition_stories()
    blindspots = find_blindspots(stories, coverages_for(stories, healthy_results()), OUTLETS,
                                 min_outlets=2)
    assert [b.story_id for b in blindspots] == ["s2"]


def test_a_single_item_is_never_a_blindspot_by_default() -> None:
    stories = opposition_stories()
    blindspots = find_blindspots(stories, coverages_for(stories, healthy_results()), OUTLETS)
    assert [b.story_id for b in blindspots] == ["s2"]
    lone = Story("s9", "t", (item("NCRI", "opposition", "one"),))
    assert find_blindspots([lone], coverages_for([lone], healthy_results()), OUTLETS) == []


def test_two_items_of_one_outlet_make_a_blindspot() -> None:
    story = Story("s1", "t", (item("NCRI", "opposition", "one"), item("NCRI", "opposition", "two")))
    (blindspot,) = find_blindspots([story], coverages_for([story], healthy_results()), OUTLETS)
    assert blindspot.items == 2 and blindspot.outlets == ("NCRI",)
