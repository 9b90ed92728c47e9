"""Side by side: how each class put a story, by its lead item's headline and first sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from counterpoint.analysis.sides import by_side, lead_item, ordered
from counterpoint.analysis.text import first_sentence
from counterpoint.models import Story


@dataclass(frozen=True, slots=True)
class FramingRow:
    """How one class put a story: its lead item's headline and first sentence."""

    affiliation: str
    outlet: str
    title: str
    sentence: str
    link: str | None


def framing_rows(story: Story, order: Sequence[str]) -> list[FramingRow]:
    """One row per class present in `story`, in `order`; show them when there are two or more."""
    sides = by_side(story)
    rows = []
    for key in ordered(sides, order):
        item = lead_item(sides[key])
        rows.append(FramingRow(key, item.outlet, item.title,
                               first_sentence(item.summary, skip=item.title), item.link))
    return rows
