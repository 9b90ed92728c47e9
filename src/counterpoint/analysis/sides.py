"""The order sides are shown in, and the item that speaks for a side in a story.

`affiliation_order` sorts class keys alphabetically. The order is fixed by spelling, not by
judgement or by the order of a config file, so no side is placed first on purpose; with the
default classes it reads government, independent, ngo, opposition, wire. It orders side-by-side
rows and breaks the last ties; it never decides how many items a class gets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from counterpoint.models import Item, Story


def affiliation_order(affiliations: Mapping[str, str] | Iterable[str]) -> list[str]:
    """Class keys sorted alphabetically: a documented order that favours no side."""
    return sorted(affiliations)


def ordered(classes: Iterable[str], order: Sequence[str]) -> list[str]:
    """`classes` (deduplicated) in `order`; classes missing from `order` follow, sorted."""
    present = set(classes)
    known = [key for key in dict.fromkeys(order) if key in present]
    return known + sorted(present.difference(known))


def rank(order: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """A sort key placing class keys in `order`, unknown ones after it, alphabetically."""
    index = {key: number for number, key in enumerate(dict.fromkeys(order))}
    return lambda key: (index.get(key, len(index)), key)


def lead_item(items: Iterable[Item]) -> Item:
    """The item that speaks for a set (one outlet's or one class's items in a story).

    Prefers items with a link, then dated ones, then the earliest (the first report), then
    outlet name and key so the choice is deterministic.
    """
    return min(items, key=lead_key)


def lead_key(item: Item) -> tuple[bool, bool, datetime, str, str]:
    """The sort key behind `lead_item`."""
    return (item.link is None, not item.dated, item.published, item.outlet, item.key)


def by_side(story: Story) -> dict[str, list[Item]]:
    """A story's items per class, classes in order of first appearance."""
    sides: dict[str, list[Item]] = {}
    for item in story.items:
        sides.setdefault(item.affiliation, []).append(item)
    return sides


def story_importance(stories: Sequence[Story]) -> list[Story]:
    """Broadest coverage first: classes, then outlets, then items, then latest; id breaks ties."""
    return sorted(stories, key=lambda story: (
        -len(story.affiliations), -len(story.outlets), -len(story.items),
        -story.last_published.timestamp(), story.id))
