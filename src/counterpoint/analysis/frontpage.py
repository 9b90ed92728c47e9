"""The front page: the top stories of a window, chosen with balance.

Stories several sides covered come first (broadest first); then the strongest stories only one
side carried (blindspots before lone items, more outlets and items first), taken in turn from
each side. Before either, every class that published in the window gets a seat: its broadest
several-side story, else its strongest one-side story, so a page cut to a handful of stories
still shows every side that published (when there are at least as many seats as sides).

A quarter of the page (at least one seat when there are blindspots) is kept for one-side
stories, so the blindspots the digest is for are not crowded out by many small two-side stories.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from counterpoint.analysis.sides import story_importance
from counterpoint.models import Story

ONE_SIDE_SHARE = 4  # one seat in this many is kept for one-side stories, when there are some


def front_page(stories: Sequence[Story], size: int, blindspots: Collection[str] = (),
               order: Sequence[str] = ()) -> list[Story]:
    """At most `size` stories (all when `size` covers them), several-side stories first.

    `blindspots` holds the ids of blindspot stories, preferred among one-side stories.
    """
    ranked = story_importance(stories)
    if size >= len(ranked):
        return ranked
    if size <= 0:
        return []
    several = [story for story in ranked if len(story.affiliations) > 1]
    single = sorted((story for story in ranked if len(story.affiliations) == 1),
                    key=lambda story: (story.id not in blindspots, -len(story.outlets),
                                       -len(story.items), -story.last_published.timestamp(),
                                       story.id))
    chosen: dict[str, Story] = {}
    sides = _sides_in(ranked, order)
    for side in sides:
        if len(chosen) >= size or any(side in story.affiliations for story in chosen.values()):
            continue
        pick = next((story for story in [*several, *single] if side in story.affiliations), None)
        if pick is not None:
            chosen[pick.id] = pick
    reserved = 0
    if single and blindspots:
        reserved = min(len(blindspots), max(1, size // ONE_SIDE_SHARE))
    reserved = max(0, min(reserved - sum(len(s.affiliations) == 1 for s in chosen.values()),
                          size - len(chosen)))
    for story in several:
        if len(chosen) >= size - reserved:
            break
        chosen.setdefault(story.id, story)
    for story in _in_turn(single, sides):
        if len(chosen) >= size:
            break
        chosen.setdefault(story.id, story)
    page = list(chosen.values())
    position = {story.id: number for number, story in enumerate(ranked)}
    single_position = {story.id: number for number, story in enumerate(single)}
    return sorted(page, key=lambda story: (
        len(story.affiliations) == 1,
        single_position.get(story.id, 0) if len(story.affiliations) == 1
        else position[story.id]))


def _sides_in(ranked: Sequence[Story], order: Sequence[str]) -> list[str]:
    present = {key for story in ranked for key in story.affiliations}
    known = [key for key in order if key in present]
    return known + sorted(present.difference(known))


def _in_turn(single: Sequence[Story], sides: Sequence[str]) -> list[Story]:
    """One-side stories alternating between sides, each side's strongest first."""
    queues = {side: [story for story in single if side in story.affiliations] for side in sides}
    turned: list[Story] = []
    depth = 0
    while any(depth < len(queue) for queue in queues.values()):
        turned.extend(queue[depth] for queue in queues.values() if depth < len(queue))
        depth += 1
    return turned
