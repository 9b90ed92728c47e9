"""A reading list that honours `[balance]`: one voice per side per story, broadest stories first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from counterpoint.analysis.sides import by_side, lead_item, rank, story_importance
from counterpoint.models import Item, Story


@dataclass(frozen=True, slots=True)
class ReadingPick:
    story_id: str
    item: Item


def reading_list(stories: Sequence[Story], balance: Mapping[str, float], order: Sequence[str],
                 n: int) -> list[ReadingPick]:
    """Up to `n` items covering the broadest stories, with class counts set by `[balance]`.

    A class offers one item per story it is in (its `lead_item`): the list never holds two items
    of one side from one story, whatever `n`. Each class gets a largest-remainder quota of `n` by
    weight, so its count is within one item of `n * weight / total` whenever it is in enough
    stories. A class with weight 0 (or absent from `balance`) gets nothing; a class in too few
    stories gets all it has and the rest of its quota goes to the others by weight. Remainder
    ties go to the class whose next item covers the broader story, then by `order`. Within its
    quota a class takes the broadest stories first. Picks come out story by story, classes in
    `order`.
    """
    if n <= 0:
        return []
    ranked = story_importance(stories)
    candidates: dict[str, list[tuple[int, Item, str]]] = {}
    for number, story in enumerate(ranked):
        for key, items in by_side(story).items():
            candidates.setdefault(key, []).append((number, lead_item(items), story.id))
    side_rank = rank(order)

    def merit(key: str, taken: int) -> tuple[Any, ...]:
        pool = candidates[key]
        return (0, pool[taken][0], *side_rank(key)) if taken < len(pool) \
            else (1, 0, *side_rank(key))

    weights = {key: Fraction(balance.get(key, 0.0)) for key in candidates}
    available = {key: len(pool) for key, pool in candidates.items()}
    quota = _quotas(weights, available, n, merit)
    picks = [(story_number, side_rank(key), item.published, story_id, item)
             for key, pool in candidates.items()
             for story_number, item, story_id in pool[:quota.get(key, 0)]]
    picks.sort(key=lambda pick: pick[:3])
    return [ReadingPick(story_id, item) for _, _, _, story_id, item in picks]


def _quotas(weights: Mapping[str, Fraction], available: Mapping[str, int], n: int,
            merit: Callable[[str, int], tuple[Any, ...]]) -> dict[str, int]:
    """Largest-remainder seats of `n` by weight, capped by `available`, caps redistributed."""
    active = {key for key, weight in weights.items() if weight > 0 and available.get(key, 0)}
    seats = min(n, sum(available[key] for key in active))
    quota: dict[str, int] = {}
    while active:
        total = sum(weights[key] for key in active)
        ideal = {key: seats * weights[key] / total for key in active}
        capped = {key for key in active if ideal[key] >= available[key]}
        if capped:
            for key in capped:
                quota[key] = available[key]
                seats -= available[key]
            active -= capped
            continue
        floors = {key: int(ideal[key]) for key in active}
        quota.update(floors)
        left = seats - sum(floors.values())
        by_remainder = sorted(active, key=lambda key: (-(ideal[key] - floors[key]),
                                                       merit(key, floors[key])))
        for key in by_remainder[:left]:
            quota[key] += 1
        break
    return quota
