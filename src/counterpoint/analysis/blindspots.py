"""Blindspots: stories one side carried with weight while the other sides listened and said
nothing.

A single item is never a blindspot: one outlet's lone report is the ordinary shape of most of a
day's items (on a real 17-outlet day, ~400 of ~600), so calling each one a blindspot drowned the
real ones. A story needs at least `MIN_ITEMS` items from its one side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from counterpoint.analysis.coverage import Coverage
from counterpoint.analysis.sides import ordered
from counterpoint.models import Outlet, Story

MIN_ITEMS = 2


@dataclass(frozen=True, slots=True)
class Blindspot:
    """A story only one class carried while outlets of other classes listened and said nothing.

    `silent` maps each other class with silent outlets to their names; `unreachable` lists the
    other classes with no silent outlet, all unreachable or `unmatched` (their silence is
    unknown). Only `silent` outlets make a blindspot.
    """

    story_id: str
    title: str
    affiliation: str
    outlets: tuple[str, ...]
    items: int
    silent: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unreachable: tuple[str, ...] = ()


def find_blindspots(stories: Sequence[Story], coverages: Mapping[str, Mapping[str, Coverage]],
                    outlets: Sequence[Outlet], order: Sequence[str] = (), *,
                    min_outlets: int = 1, min_items: int = MIN_ITEMS) -> list[Blindspot]:
    """Stories whose items all come from one class while another class was reachable and silent.

    `coverages` maps story id -> `story_coverage`. Ranked by how many outlets of the carrying
    class had the story, then by how many outlets elsewhere were silent, then by item count;
    stories keep their given order on ties. Stories with fewer than `min_items` items or carried
    by fewer than `min_outlets` outlets are skipped.
    """
    found: list[tuple[tuple[int, int, int], int, Blindspot]] = []
    for position, story in enumerate(stories):
        classes = story.affiliations
        if len(classes) != 1 or len(story.outlets) < min_outlets \
                or len(story.items) < max(min_items, 1):
            continue
        (side,) = classes
        coverage = coverages.get(story.id, {})
        silent: dict[str, list[str]] = {}
        heard: set[str] = set()
        for outlet in outlets:
            if outlet.affiliation == side:
                continue
            heard.add(outlet.affiliation)
            if coverage.get(outlet.name) == Coverage.SILENT:
                silent.setdefault(outlet.affiliation, []).append(outlet.name)
        if not silent:
            continue
        blindspot = Blindspot(
            story_id=story.id, title=story.title, affiliation=side, outlets=story.outlets,
            items=len(story.items),
            silent={key: tuple(silent[key]) for key in ordered(silent, order)},
            unreachable=tuple(ordered(heard.difference(silent), order)))
        weight = (len(story.outlets), sum(len(names) for names in silent.values()),
                  len(story.items))
        found.append((weight, position, blindspot))
    found.sort(key=lambda entry: (tuple(-value for value in entry[0]), entry[1]))
    return [blindspot for _, _, blindspot in found]
