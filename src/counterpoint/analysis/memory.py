"""Story memory, decided: which stored story each of today's stories continues, whether it is
`new`, `updated` or `seen`, and what changed since it was last shown (`since_last`). Pure: it
reads a `Recall` (what the store remembers) and returns what to show and what to record.

Keys. A story of today whose items the store already assigned to a story continues it and keeps
its key. When today's grouping joins items of several stored stories, the oldest stored story
(first seen, then key) keeps its key and the others are merged into it; when it splits a stored
story, the part holding most of its items keeps the key (the other parts get fresh keys and are
compared with the story they left). A story with no stored item gets a
fresh key derived from its earliest item, so peeking (`--no-record`) twice gives the same key.
A story whose stored items left the window (yesterday's items, today's 24 h window) is still
continued: items of remembered stories published within the grouping window before today's
window are grouped again with today's new items, and where they meet, the stored key is claimed.

Status. Relative to everything memory holds (every earlier recorded run against the database):
`new` when nothing of the story was shown before, `updated` when something changed since it was
last shown (an item joined, an outlet's figure moved, a shown headline was edited), else `seen`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from counterpoint.analysis.figures import item_figures
from counterpoint.models import Item, Story
from counterpoint.store.memory import (
    History,
    HistoryItem,
    Recall,
    Remembered,
    ShownItem,
    StoryRecord,
)
from counterpoint.stories.group import GroupingParams, group_items

NEW, UPDATED, SEEN = "new", "updated", "seen"


@dataclass(frozen=True, slots=True)
class FigureChange:
    outlet: str
    kind: str
    was: float
    now: float


@dataclass(frozen=True, slots=True)
class Retitle:
    link: str | None
    outlet: str
    was: str
    now: str


@dataclass(frozen=True, slots=True)
class SinceLast:
    """What a story gained since it was last shown (for a `new` story: everything it holds)."""

    items: int = 0
    outlets: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    figures: tuple[FigureChange, ...] = ()
    retitled: tuple[Retitle, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items or self.figures or self.retitled)


@dataclass(frozen=True, slots=True)
class StoryMemory:
    key: str
    status: str
    since_last: SinceLast = field(default_factory=SinceLast)

    @property
    def changed(self) -> bool:
        return self.status != SEEN


def outlet_figures(items: Sequence[Item]) -> dict[tuple[str, str], float]:
    """Each outlet's figure of each kind: the first its latest item stating that kind gives."""
    values: dict[tuple[str, str], float] = {}
    for item in sorted(items, key=lambda i: (i.published, i.outlet, i.key)):
        firsts: dict[str, float] = {}
        for reported in item_figures(item):
            firsts.setdefault(reported.figure.kind, reported.figure.value)
        for kind, value in firsts.items():
            values[(item.outlet, kind)] = value
    return values


def fresh_key(story: Story, taken: set[str]) -> str:
    first = min(story.items, key=lambda i: (i.published, i.outlet, i.key))
    seed = f"{first.outlet}\x1f{first.key}"
    for attempt in range(1000):
        text = seed if attempt == 0 else f"{seed}\x1f{attempt}"
        key = "k" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        if key not in taken:
            return key
    raise AssertionError("no free story key")  # pragma: no cover - 1000 collisions


def _context_claims(stories: Sequence[Story], recall: Recall,
                    params: GroupingParams | None) -> dict[str, Counter[str]]:
    """Story id -> stored key -> how many items of that stored story (published before the
    window) the grouping puts with the story's items that memory does not know yet."""
    if params is None or not recall.context:
        return {}
    unknown = [(story.id, item) for story in stories for item in story.items
               if recall.item_story.get(recall.item_ids.get((item.outlet, item.key), -1)) is None]
    if not unknown:
        return {}
    pool = [item for _, item in unknown] + [item for item, _ in recall.context]
    linked: dict[str, Counter[str]] = {}
    for group in group_items(pool, params):
        ids = {unknown[i][0] for i in group if i < len(unknown)}
        keys = Counter(recall.context[i - len(unknown)][1] for i in group if i >= len(unknown))
        for story_id in ids if keys else ():
            linked.setdefault(story_id, Counter()).update(keys)
    return linked


def assign_keys(stories: Sequence[Story], recall: Recall, params: GroupingParams | None = None
                ) -> tuple[dict[str, tuple[str, ...]], dict[str, set[str]]]:
    """Story id -> its key followed by the stored keys merged into it (oldest first); and
    story id -> every stored story its items belonged to (what it is compared with)."""
    claims: dict[str, Counter[str]] = {}  # stored key -> story id -> items of that key
    claimed: dict[str, set[str]] = {story.id: set() for story in stories}
    for story in stories:
        for item in story.items:
            item_id = recall.item_ids.get((item.outlet, item.key))
            key = recall.item_story.get(item_id) if item_id is not None else None
            if key is not None and key in recall.stories:
                claims.setdefault(key, Counter())[story.id] += 1
                claimed[story.id].add(key)
    for story_id, linked in _context_claims(stories, recall, params).items():
        for key, count in linked.items():
            claims.setdefault(key, Counter())[story_id] += count
            claimed[story_id].add(key)
    first = {s.id: (min(i.published for i in s.items), s.id) for s in stories}
    owned: dict[str, list[str]] = {}
    for key, counts in sorted(claims.items()):
        owner = min(counts, key=lambda sid: (-counts[sid], first[sid]))
        owned.setdefault(owner, []).append(key)
    taken = set(recall.keys) | set(claims)
    keys: dict[str, tuple[str, ...]] = {}
    for story in stories:
        mine = sorted(owned.get(story.id, ()),
                      key=lambda k: (recall.stories[k].first_seen, k))
        if not mine:
            mine = [fresh_key(story, taken)]
            taken.add(mine[0])
        keys[story.id] = tuple(mine)
    return keys, claimed


def remember(stories: Sequence[Story], recall: Recall, params: GroupingParams | None = None
             ) -> tuple[dict[str, StoryMemory], list[StoryRecord]]:
    """Each story's key, status and changes; and the records that say what this run showed.
    With grouping `params`, new items may also continue a story that left the window."""
    keys, claimed = assign_keys(stories, recall, params)
    memories: dict[str, StoryMemory] = {}
    records: list[StoryRecord] = []
    for story in stories:
        key, *merged = keys[story.id]
        # The story's own stored stories first (they win), then any it took items from.
        order = [*keys[story.id], *sorted(claimed[story.id] - set(keys[story.id]))]
        past = [recall.stories[k] for k in order if k in recall.stories]
        memory, record = _compare(story, key, tuple(merged), past, recall)
        memories[story.id] = memory
        records.append(record)
    return memories, records


def _compare(story: Story, key: str, merged: tuple[str, ...], past: list[Remembered],
             recall: Recall) -> tuple[StoryMemory, StoryRecord]:
    shown: dict[int, ShownItem] = {}
    was_figures: dict[tuple[str, str], float] = {}
    for remembered in reversed(past):  # the surviving key's memory wins
        shown.update(remembered.items)
        was_figures.update(remembered.figures)
    ids = [recall.item_ids[(i.outlet, i.key)] for i in story.items]
    joined = [item for item, item_id in zip(story.items, ids, strict=True)
              if item_id not in shown]
    before_outlets = {s.outlet for s in shown.values()}
    before_sides = {s.affiliation for s in shown.values()}
    retitled = tuple(
        Retitle(item.link, item.outlet, shown[item_id].title, item.title)
        for item, item_id in zip(story.items, ids, strict=True)
        if item_id in shown and shown[item_id].title != item.title)
    now_figures = outlet_figures(story.items)
    moved = tuple(FigureChange(outlet, kind, was_figures[(outlet, kind)], value)
                  for (outlet, kind), value in now_figures.items()
                  if (outlet, kind) in was_figures and was_figures[(outlet, kind)] != value)
    since = SinceLast(
        items=len(joined),
        outlets=tuple(dict.fromkeys(i.outlet for i in joined if i.outlet not in before_outlets)),
        affiliations=tuple(dict.fromkeys(i.affiliation for i in joined
                                         if i.affiliation not in before_sides)),
        figures=moved, retitled=retitled)
    status = NEW if not shown else (UPDATED if since else SEEN)
    titles = tuple((item_id, item.title) for item, item_id in zip(story.items, ids, strict=True)
                   if item_id not in shown or shown[item_id].title != item.title)
    figures = tuple((outlet, kind, value) for (outlet, kind), value in now_figures.items()
                    if was_figures.get((outlet, kind)) != value)
    record = StoryRecord(key=key, title=story.title, status=status, item_ids=tuple(ids),
                         titles=titles, figures=figures, merged=merged)
    return StoryMemory(key, status, since), record


# -- one story across days (`counterpoint story KEY`) -----------------------------------------

@dataclass(frozen=True, slots=True)
class Side:
    """When one affiliation joined a story (first item), or None: silent so far."""

    affiliation: str
    label: str
    joined: datetime | None
    outlet: str | None
    items: int


@dataclass(frozen=True, slots=True)
class FigureTrack:
    """One outlet's figure of one kind, as successive runs showed it."""

    outlet: str
    affiliation: str
    kind: str
    values: tuple[tuple[datetime, float], ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    history: History
    days: tuple[tuple[date, tuple[HistoryItem, ...]], ...]
    sides: tuple[Side, ...]
    silent_outlets: tuple[str, ...]
    figures: tuple[FigureTrack, ...]
    retitled: tuple[tuple[str | None, str, tuple[tuple[datetime, str], ...]], ...]


def timeline(found: History, affiliations: dict[str, str], outlets: Sequence[str]) -> Timeline:
    """Day by day who reported the story, when each side joined, how figures and titles moved."""
    days: dict[date, list[HistoryItem]] = {}
    for item in found.items:
        days.setdefault(item.published.date(), []).append(item)
    sides = []
    known = list(affiliations) + sorted({i.affiliation for i in found.items} - set(affiliations))
    for affiliation in known:
        theirs = [i for i in found.items if i.affiliation == affiliation]
        sides.append(Side(affiliation, affiliations.get(affiliation, affiliation),
                          theirs[0].published if theirs else None,
                          theirs[0].outlet if theirs else None, len(theirs)))
    sides.sort(key=lambda s: (s.joined is None, s.joined or found.first_seen))  # who came first
    reporting = {i.outlet for i in found.items}
    tracks: dict[tuple[str, str], list[tuple[datetime, float]]] = {}
    side_of: dict[str, str] = {}
    for at, outlet, affiliation, kind, value in found.figures:
        tracks.setdefault((outlet, kind), []).append((at, value))
        side_of[outlet] = affiliation
    titles: dict[tuple[str | None, str], list[tuple[datetime, str]]] = {}
    for at, link, outlet, title in found.titles:
        titles.setdefault((link, outlet), []).append((at, title))
    return Timeline(
        history=found,
        days=tuple((day, tuple(items)) for day, items in sorted(days.items())),
        sides=tuple(sides),
        silent_outlets=tuple(o for o in outlets if o not in reporting),
        figures=tuple(FigureTrack(outlet, side_of[outlet], kind, tuple(values))
                      for (outlet, kind), values in tracks.items()),
        retitled=tuple((link, outlet, tuple(versions))
                       for (link, outlet), versions in titles.items() if len(versions) > 1))
