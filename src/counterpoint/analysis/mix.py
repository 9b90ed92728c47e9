"""The mix: outlets configured and fetched, and items shown, per class, with what departs from
`[balance]`.

Warnings are records (`MixWarning`), worded by the renderers. They concern the front page when
one is given (what the reader sees: its voices, one per side per story), else every shown item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from counterpoint.analysis.coverage import outlet_health
from counterpoint.analysis.sides import affiliation_order, ordered
from counterpoint.models import FeedResult, Item, Outlet


class Shortfall(StrEnum):
    """Why a class weighted in `[balance]` is short."""

    NO_OUTLET = "no_outlet"            # no outlet of the class is configured
    NO_HEALTHY_FEED = "no_healthy_feed"  # none of its outlets answered
    UNDERSHOWN = "undershown"          # its share of the shown items is far below its weight


@dataclass(frozen=True, slots=True)
class MixWarning:
    """One class short of what `[balance]` asks: `shown` of `total` items against `wanted`."""

    affiliation: str
    kind: Shortfall
    weight: float
    configured: int = 0
    shown: int = 0
    total: int = 0
    wanted: float = 0.0
    on_page: bool = False  # `shown` and `total` count the front page's voices, not items


@dataclass(frozen=True, slots=True)
class Mix:
    """Outlets configured and fetched, and items shown (and on the front page), per class."""

    configured: dict[str, int]
    fetched: dict[str, int]
    shown: dict[str, int]
    warnings: tuple[MixWarning, ...] = ()
    page: dict[str, int] | None = None


def account_mix(outlets: Sequence[Outlet], affiliations: Mapping[str, str],
                balance: Mapping[str, float], results: Sequence[FeedResult],
                shown_items: Sequence[Item], *, page_items: Sequence[Item] | None = None,
                shortfall: float = 0.5) -> Mix:
    """Count the mix on every run and warn where the digest cannot be balanced.

    `fetched` counts outlets with at least one healthy feed. A warning is given for a class that
    has a `[balance]` weight above 0 but no outlet or no healthy feed, and for a class whose share
    of the items on the page (`page_items`, else `shown_items`) is below `shortfall` times the
    share its weight asks for.
    """
    health = outlet_health(outlets, results)
    seen = [*shown_items, *(page_items or ())]
    classes = ordered([*affiliations, *(outlet.affiliation for outlet in outlets),
                       *(item.affiliation for item in seen)],
                      affiliation_order(affiliations))
    configured = dict.fromkeys(classes, 0)
    fetched = dict.fromkeys(classes, 0)
    for outlet in outlets:
        configured[outlet.affiliation] += 1
        fetched[outlet.affiliation] += health[outlet.name].reachable
    shown = _count(classes, shown_items)
    page = None if page_items is None else _count(classes, page_items)
    judged = shown if page is None else page
    warnings: list[MixWarning] = []
    total_weight = sum(balance.get(key, 0.0) for key in classes)
    total_judged = sum(judged.values())
    for key in classes:
        weight = balance.get(key, 0.0)
        if weight <= 0:
            continue
        if not configured[key]:
            warnings.append(MixWarning(key, Shortfall.NO_OUTLET, weight))
        elif not fetched[key]:
            warnings.append(MixWarning(key, Shortfall.NO_HEALTHY_FEED, weight, configured[key]))
        elif total_judged and judged[key] / total_judged < weight / total_weight * shortfall:
            warnings.append(MixWarning(key, Shortfall.UNDERSHOWN, weight, configured[key],
                                       judged[key], total_judged, weight / total_weight,
                                       on_page=page is not None))
    return Mix(configured, fetched, shown, tuple(warnings), page)


def _count(classes: Sequence[str], items: Sequence[Item]) -> dict[str, int]:
    counts = dict.fromkeys(classes, 0)
    for item in items:
        counts[item.affiliation] += 1
    return counts
