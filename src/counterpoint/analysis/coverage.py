"""Who covered a story, who stayed silent, and who could not be heard.

Coverage states (per story, per configured outlet), the `Coverage` enum:

- `covered`: the outlet has at least one item in the story. Outlets no longer in the config keep
  this state (their items are real) but are never called silent or unreachable.
- `silent`: the outlet is *reachable for the story*, has no item in it, and the story holds at
  least one item in the outlet's language (so the tool could have recognised its coverage).
- `unmatched`: reachable and without an item, but the story holds no item in the outlet's
  language: a Persian outlet on a story told only in English may have covered it in words the
  tool did not link, so this is never counted as silence and never makes a blindspot.
- `unreachable`: anything else. We only call an outlet silent when we know it was listening, so
  a feed that was down or frozen is never counted as silence.

Languages: an outlet's is its `language` in feeds.toml (first subtag, so "fa-IR" is "fa";
"per"/"fas" are "fa", "eng" is "en"). An item's is its outlet's; for an outlet without one, "fa"
when the item's title or summary holds Persian/Arabic letters, else "en". An outlet without a
configured language is judged as before (silent when reachable).

An outlet is reachable for a story when at least one of its feeds is healthy (it answered
properly when last asked) and, over its healthy feeds,

1. the newest stored item is not older than the story's first item (minus `stale_after`, zero by
   default: a feed whose every item predates the story gives no sign it was publishing while the
   story ran), and
2. the last proper answer (`last_ok`, else `checked_at`) came no earlier than the story's first
   item, when that time is known (a feed last asked before the story began cannot have missed it).

An outlet without any `FeedResult` is unreachable.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from counterpoint.analysis.sides import ordered
from counterpoint.models import FeedResult, Item, Outlet, Story
from counterpoint.stories.normalize import has_arabic_script

_LANGUAGE_ALIASES = {"per": "fa", "fas": "fa", "farsi": "fa", "persian": "fa", "eng": "en",
                     "english": "en"}


class Coverage(StrEnum):
    """How one configured outlet stood towards one story."""

    COVERED = "covered"
    SILENT = "silent"
    UNREACHABLE = "unreachable"
    UNMATCHED = "unmatched"


@dataclass(frozen=True, slots=True)
class OutletHealth:
    """How an outlet's feeds fared, folded into what coverage needs.

    `newest_item` and `last_ok` are taken over healthy feeds only: a dead feed's old items say
    nothing about whether the outlet was listening.
    """

    outlet: str
    affiliation: str
    feeds: int
    healthy_feeds: int
    newest_item: datetime | None
    last_ok: datetime | None
    errors: tuple[str, ...] = ()

    @property
    def reachable(self) -> bool:
        return self.healthy_feeds > 0


def outlet_health(outlets: Sequence[Outlet],
                  results: Sequence[FeedResult]) -> dict[str, OutletHealth]:
    """One `OutletHealth` per configured outlet, in config order; results match by outlet name."""
    by_outlet: dict[str, list[FeedResult]] = {}
    for result in results:
        by_outlet.setdefault(result.outlet, []).append(result)
    health: dict[str, OutletHealth] = {}
    for outlet in outlets:
        own = by_outlet.get(outlet.name, [])
        healthy = [result for result in own if result.healthy]
        newest = [r.newest_item for r in healthy if r.newest_item is not None]
        answered = [r.last_ok or r.checked_at for r in healthy]
        last_ok = [moment for moment in answered if moment is not None]
        errors = tuple(f"{r.url}: {r.error or r.status.value}" for r in own if not r.healthy)
        health[outlet.name] = OutletHealth(
            outlet=outlet.name, affiliation=outlet.affiliation, feeds=len(own),
            healthy_feeds=len(healthy), newest_item=max(newest) if newest else None,
            last_ok=max(last_ok) if last_ok else None, errors=errors)
    return health


# How much older than a story an outlet's newest item may be before its silence stops counting
# as silence: an outlet that has published nothing for a day before the story began is treated as
# stale (unreachable), one that posted a few hours earlier is listening and silent.
STALE_GRACE = timedelta(hours=24)


def reachable_for(story: Story, health: OutletHealth | None, *,
                  stale_after: timedelta = timedelta(0)) -> bool:
    """Whether an outlet was listening while `story` ran (the rule in the module docstring)."""
    return _listening(health, story.first_published, stale_after)


def _listening(health: OutletHealth | None, start: datetime, stale_after: timedelta) -> bool:
    if health is None or not health.reachable or health.newest_item is None:
        return False
    if health.newest_item < start - stale_after:
        return False
    return health.last_ok is None or health.last_ok >= start


def story_coverage(story: Story, outlets: Sequence[Outlet], health: Mapping[str, OutletHealth],
                   *, stale_after: timedelta = timedelta(0)) -> dict[str, Coverage]:
    """Outlet name -> covered / silent / unmatched / unreachable, in config order.

    Outlets that carried the story but are no longer configured follow as `covered`, in order
    of first appearance.
    """
    carried = set(story.outlets)
    declared = {outlet.name: language_code(outlet.language) for outlet in outlets}
    told_in = {declared.get(item.outlet) or _script_language(item) for item in story.items}
    start = story.first_published  # once: 200 outlets x 2,000 stories asked it 400,000 times
    coverage: dict[str, Coverage] = {}
    for outlet in outlets:
        language = declared[outlet.name]
        if outlet.name in carried:
            coverage[outlet.name] = Coverage.COVERED
        elif not _listening(health.get(outlet.name), start, stale_after):
            coverage[outlet.name] = Coverage.UNREACHABLE
        elif language is None or language in told_in:
            coverage[outlet.name] = Coverage.SILENT
        else:
            coverage[outlet.name] = Coverage.UNMATCHED
    for name in story.outlets:
        coverage.setdefault(name, Coverage.COVERED)
    return coverage


@lru_cache(maxsize=256)
def language_code(language: str | None) -> str | None:
    """feeds.toml's `language` as compared for silence: "fa-IR" and "per" are "fa"."""
    if not language or not language.strip():
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return _LANGUAGE_ALIASES.get(code, code)


def _script_language(item: Item) -> str:
    return "fa" if has_arabic_script(item.title) or has_arabic_script(item.summary) else "en"


@dataclass(frozen=True, slots=True)
class AffiliationCoverage:
    """Coverage of one story by one class of configured outlets."""

    affiliation: str
    covered: int
    silent: int
    unreachable: int
    unmatched: int = 0

    @property
    def total(self) -> int:
        return self.covered + self.silent + self.unreachable + self.unmatched


def affiliation_summary(coverage: Mapping[str, Coverage], outlets: Sequence[Outlet],
                        order: Sequence[str]) -> list[AffiliationCoverage]:
    """Per class of configured outlets, in `order`; classes without outlets are left out.

    Outlets absent from the config are not counted: a class reads `covered/configured`.
    """
    counts: dict[str, dict[Coverage, int]] = {}
    for outlet in outlets:
        state = coverage.get(outlet.name, Coverage.UNREACHABLE)
        tally = counts.get(outlet.affiliation)
        if tally is None:
            tally = counts[outlet.affiliation] = dict.fromkeys(Coverage, 0)
        tally[state] += 1
    return [AffiliationCoverage(key, counts[key][Coverage.COVERED], counts[key][Coverage.SILENT],
                                counts[key][Coverage.UNREACHABLE],
                                counts[key][Coverage.UNMATCHED])
            for key in ordered(counts, order)]


class CoverageTable:
    """`story_coverage` and `affiliation_summary` for many stories, one config and one set of
    feed results: the states of the outlets a story holds no item of depend only on which
    outlets were listening when it began and the languages it is told in. Those are worked out
    once per such class of stories and copied (2,000 stories x 200 outlets were 400,000 checks)."""

    def __init__(self, outlets: Sequence[Outlet], health: Mapping[str, OutletHealth], *,
                 stale_after: timedelta = timedelta(0)) -> None:
        self._outlets = outlets
        self._declared = {outlet.name: language_code(outlet.language) for outlet in outlets}
        self._sides = list(dict.fromkeys(outlet.affiliation for outlet in outlets))
        self._carriers: dict[str, list[str]] = {}  # outlet name -> its class (once per outlet)
        for outlet in outlets:
            self._carriers.setdefault(outlet.name, []).append(outlet.affiliation)
        # The latest start of a story each outlet listens to (`_listening`), sorted.
        self._limits = {outlet.name: _listening_until(health.get(outlet.name), stale_after)
                        for outlet in outlets}
        self._steps = sorted({limit for limit in self._limits.values() if limit is not None})
        self._base: dict[tuple[int, frozenset[str]], tuple[dict[str, Coverage],
                                                           dict[str, list[int]]]] = {}

    def coverage(self, story: Story) -> dict[str, Coverage]:
        """`story_coverage(story, outlets, health, stale_after=…)`."""
        base, _ = self._class_of(story)
        coverage = dict(base)
        for name in story.outlets:
            coverage[name] = Coverage.COVERED
        return coverage

    def summary(self, story: Story, order: Sequence[str]) -> list[AffiliationCoverage]:
        """`affiliation_summary(self.coverage(story), outlets, order)`."""
        base, counts = self._class_of(story)
        tally = {side: list(numbers) for side, numbers in counts.items()}
        # The story's outlets, not all 200 configured ones, move from their class's state.
        for name in story.outlets:
            for side in self._carriers.get(name, ()):
                numbers = tally[side]
                numbers[_STATES.index(base[name])] -= 1
                numbers[0] += 1
        return [AffiliationCoverage(side, *tally[side]) for side in ordered(self._sides, order)]

    def _class_of(self, story: Story) -> tuple[dict[str, Coverage], dict[str, list[int]]]:
        start = story.first_published
        told_in = frozenset(self._declared.get(item.outlet) or _script_language(item)
                            for item in story.items)
        key = (bisect_left(self._steps, start), told_in)
        found = self._base.get(key)
        if found is None:
            base: dict[str, Coverage] = {}
            counts = {side: [0] * len(_STATES) for side in self._sides}
            for outlet in self._outlets:
                limit = self._limits[outlet.name]
                language = self._declared[outlet.name]
                if limit is None or limit < start:
                    state = Coverage.UNREACHABLE
                elif language is None or language in told_in:
                    state = Coverage.SILENT
                else:
                    state = Coverage.UNMATCHED
                base[outlet.name] = state
                counts[outlet.affiliation][_STATES.index(state)] += 1
            found = self._base[key] = (base, counts)
        return found


# The order of `AffiliationCoverage`'s counts.
_STATES = (Coverage.COVERED, Coverage.SILENT, Coverage.UNREACHABLE, Coverage.UNMATCHED)


def _listening_until(health: OutletHealth | None, stale_after: timedelta) -> datetime | None:
    """The latest story start `_listening` accepts for this outlet (None: none)."""
    if health is None or not health.reachable or health.newest_item is None:
        return None
    try:
        limit = health.newest_item + stale_after
    except OverflowError:  # an item dated at the end of time: only last_ok limits it
        limit = datetime.max.replace(tzinfo=health.newest_item.tzinfo)
    return limit if health.last_ok is None else min(limit, health.last_ok)
