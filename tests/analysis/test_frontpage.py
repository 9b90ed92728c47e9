"""The front page: several-side stories first, every side that published on it, balance kept."""

from __future__ import annotations

from analysishelp import item
from counterpoint.analysis.frontpage import front_page
from counterpoint.models import Story

SIDES = ("government", "independent", "ngo", "opposition", "wire")


def story(sid: str, *sides: str, items: int = 1, hours_ago: float = 2) -> Story:
    return Story(sid, sid, tuple(item(f"{side}-{n}", side, f"{sid} {side} {n}",
                                      hours_ago=hours_ago + n / 10)
                                 for side in sides for n in range(items)))


def day() -> list[Story]:
    """Twenty two-side stories of government and wire, then one-side stories of every side."""
    stories = [story(f"w{n}", "government", "wire", hours_ago=n) for n in range(20)]
    stories += [story(f"{side}{n}", side, items=2 if n == 0 else 1, hours_ago=n)
                for side in SIDES for n in range(3)]
    return stories


def sides_on(page: list[Story]) -> set[str]:
    return {side for s in page for side in s.affiliations}


def test_every_side_that_published_is_on_a_short_page() -> None:
    for size in (5, 10, 15):
        page = front_page(day(), size)
        assert len(page) == size
        assert sides_on(page) == set(SIDES)


def test_several_side_stories_come_first() -> None:
    page = front_page(day(), 10)
    breadth = [len(s.affiliations) for s in page]
    assert breadth == sorted(breadth, reverse=True)
    assert breadth[0] == 2


def test_one_side_seats_follow_balance() -> None:
    stories = [story(f"{side}{n}", side, hours_ago=n) for side in ("ngo", "wire")
               for n in range(10)]
    page = front_page(stories, 8, balance={"ngo": 3, "wire": 1})
    counts = {side: sum(1 for s in page if side in s.affiliations) for side in ("ngo", "wire")}
    assert counts == {"ngo": 6, "wire": 2}


def test_blindspots_lead_a_sides_one_side_stories() -> None:
    stories = [story("lone", "ngo", hours_ago=1), story("spot", "ngo", items=2, hours_ago=5)]
    assert [s.id for s in front_page(stories, 1, blindspots={"spot"})] == ["spot"]


def test_a_page_as_large_as_the_day_holds_every_story() -> None:
    stories = day()
    assert {s.id for s in front_page(stories, len(stories))} == {s.id for s in stories}
    assert front_page(stories, 0) == []
