"""The front page: the top stories of a window, chosen with balance.

Stories several sides covered come first (broadest first); then stories only one side carried,
each seat going to the side furthest below its `[balance]` share of the page's voices (a story
gives one voice to each side in it), and within a side to its strongest story (blindspots before
lone items, more outlets and items first). Before either, every class that published in the
window gets a seat: its broadest several-side story, else its strongest one-side story, so a
page cut to a handful of stories still shows every side that published (when there are at least
as many seats as sides).

A quarter of the page (at least one seat when there are blindspots) is kept for one-side
stories, so the blindspots the digest is for are not crowded out by many small two-side stories.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from counterpoint.analysis.sides import story_importance
from counterpoint.models import Story

ONE_SIDE_SHARE = 4  # one seat in this many is kept for one-side stories, when there are some


def front_page(stories: Sequence[Story], size: int, blindspots: Collection[str] = (),
               order: Sequence[str] = (), balance: Mapping[str, float] | None = None
               ) -> list[Story]:
    """At most `size` stories (all when `size` covers them), several-side stories first.

    `blindspots` holds the ids of blindspot stories, preferred among one-side stories;
    `balance` weighs the sides (None: equally).
    """
    ranked = story_importance(stories)
    if size >= len(ranked):
        return ranked
    if size <= 0:
        return []
    # Each story's sides, counted once (a property over its items; the seats below ask again
    # for every story left at every pick).
    sides_of = {id(story): story.affiliations for story in ranked}
    several = [story for story in ranked if len(sides_of[id(story)]) > 1]
    single = sorted((story for story in ranked if len(sides_of[id(story)]) == 1),
                    key=lambda story: (story.id not in blindspots, -len(story.outlets),
                                       -len(story.items), -story.last_published.timestamp(),
                                       story.id))
    chosen: dict[str, Story] = {}
    sides = _sides_in(ranked, order, sides_of)
    for side in sides:
        if len(chosen) >= size or any(side in sides_of[id(story)] for story in chosen.values()):
            continue
        pick = next((story for story in [*several, *single] if side in sides_of[id(story)]),
                    None)
        if pick is not None:
            chosen[pick.id] = pick
    reserved = 0
    if single and blindspots:
        reserved = min(len(blindspots), max(1, size // ONE_SIDE_SHARE))
    reserved = max(0, min(reserved - sum(len(sides_of[id(s)]) == 1 for s in chosen.values()),
                          size - len(chosen)))
    for story in several:
        if len(chosen) >= size - reserved:
            break
        chosen.setdefault(story.id, story)
    weights = {side: 1.0 if balance is None else balance.get(side, 0.0) for side in sides}
    left = [story for story in single if story.id not in chosen]
    while left and len(chosen) < size:
        pick = _most_wanted(left, chosen.values(), weights, sides_of)
        chosen[pick.id] = pick
        left.remove(pick)
    page = list(chosen.values())
    position = {story.id: number for number, story in enumerate(ranked)}
    single_position = {story.id: number for number, story in enumerate(single)}
    return sorted(page, key=lambda story: (
        len(sides_of[id(story)]) == 1,
        single_position.get(story.id, 0) if len(sides_of[id(story)]) == 1
        else position[story.id]))


def _sides_in(ranked: Sequence[Story], order: Sequence[str],
              sides_of: Mapping[int, Mapping[str, int]]) -> list[str]:
    present = {key for story in ranked for key in sides_of[id(story)]}
    known = [key for key in order if key in present]
    return known + sorted(present.difference(known))


def _most_wanted(left: Sequence[Story], chosen: Collection[Story],
                 weights: Mapping[str, float], sides_of: Mapping[int, Mapping[str, int]]
                 ) -> Story:
    """The strongest story of the side furthest below its weighted share of voices
    (`sides_of`: each story's `affiliations`, by `id`)."""
    voices = {side: 0 for side in weights}
    for story in chosen:
        for side in sides_of[id(story)]:
            voices[side] = voices.get(side, 0) + 1
    total_voices = sum(voices.values()) + 1
    total_weight = sum(weights.values()) or 1.0

    def deficit(story: Story) -> float:
        (side,) = sides_of[id(story)]
        return weights.get(side, 0.0) / total_weight * total_voices - voices.get(side, 0)

    best = max(deficit(story) for story in left)
    return next(story for story in left if deficit(story) == best)
