"""Group items into stories: the same event reported by different outlets.

A pair of items is scored by TF-IDF cosine over their evidence words (title + lead without
stopwords, dates, weekdays, programme names and outlet boilerplate; `[lexicon]` framings as one
concept; see `stories.tokens`) and over character 4-grams of the title (any script,
inflections), less a time decay (less than half of it for a pair sharing several rare names
or numbers: a story continuing, `stories.continuing`), and only within the window. A pair
resting on a single shared informative word or name keeps only part of its score, and so
does a pair resting on a few common words with no name or number among them
(`stories.anchors`: a topic, not an event); the decay runs on the gap between the earliest
and latest plausible times (a date-only timestamp is a whole day anywhere on Earth, an
undated item may be older than when it was seen). Groups come from agglomeration on
that sparse graph (`stories.linkage`): average linkage first, so one lucky pair cannot chain
two events together, then centroid linkage, so a large story can absorb items that match it as
a whole, and a story running for days grows through its recent items; last, a story of 4 or
more items absorbs what matches its whole profile at a lower bar (a pair never does).
Precision comes first: a wrong merge hides a story from the reader, a split only repeats it.
Every constant below was measured with bench/grouping.py (bench/README.md).

numpy and scipy are imported inside functions so `import counterpoint.stories.group` stays cheap.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from counterpoint.models import GazetteerEntry, Item
from counterpoint.stories.anchors import (
    JOINT_ANCHOR,
    JOINT_SCRIPT,
    JOINT_WORD,
    anchor_rows,
    unanchored,
)
from counterpoint.stories.continuing import continuing, rare_anchors
from counterpoint.stories.gazetteer import configured_gazetteer
from counterpoint.stories.linkage import average_linkage
from counterpoint.stories.places import different_places, headline_places
from counterpoint.stories.products import block_rows, product
from counterpoint.stories.signals import (
    centrality,
    compact,
    features,
    one_unit,
    overlap,
    shared_by_bit,
)
from counterpoint.stories.tokens import concept_map

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "FLOOR_SHARE",
    "PHASES",
    "GroupingParams",
    "group_items",
    "pair_scores",
    "story_title",
    "time_order",
]


@dataclass(frozen=True)
class GroupingParams:
    """How alike (0..1) and how close in time two items must be to share a story, which
    words are one concept (folded single-word terms of each `[lexicon]` group) and which names
    are places (the shipped gazetteer with feeds.toml's `[gazetteer]` entries)."""

    threshold: float = 0.2
    window: timedelta = timedelta(hours=48)
    concepts: tuple[tuple[str, ...], ...] = field(default=(), compare=True)
    gazetteer: tuple[GazetteerEntry, ...] = ()

    @classmethod
    def from_settings(cls, threshold: float | None, window: timedelta | None,
                      lexicon: Iterable[Iterable[Iterable[str]]] = (),
                      gazetteer: Iterable[GazetteerEntry] = ()) -> GroupingParams:
        """`[settings] story_threshold / story_window`; None keeps the measured default.
        `lexicon`: per `[lexicon]` group, its framings' terms (`LexiconGroup.framings`);
        `gazetteer`: feeds.toml's `[gazetteer]` entries."""
        default = cls()
        return cls(
            threshold=default.threshold if threshold is None else float(threshold),
            window=default.window if window is None else window,
            concepts=tuple(tuple(term for framing in group for term in framing)
                           for group in lexicon),
            gazetteer=tuple(gazetteer),
        )


# Measured on the dev sets (bench/README.md, "Story grouping"); change them only with the bench.
DECAY = 0.4  # score lost by a pair `window` apart; nothing within the grace period
# Grace 6 h (was 12): chosen on the real days and allsides +9x; checked on +2x, UCI, BASIL and
# with 12 h jitter (bench/README.md).
GRACE_HOURS = 6.0
# A pair sharing 3+ rare names/numbers (`stories.continuing`: a story running for days) loses
# only 0.15 at the window. Chosen on the two real days (0.1 / 0.15 the same partitions, 0.2 /
# 0.25 -.002 F1; a wider window for such pairs, 60-96 h: P -.02 to -.03): pooled pairwise P .781
# -> .786, F1 .658 -> .669 (day 1 .664 -> .677, day 2 .647 -> .656); checked: every other set,
# AllSides with 12 h jitter too, unchanged (bench/README.md, "Round 7").
CONTINUING_DECAY = 0.15
# A 00:00:00 UTC timestamp is a date without time or zone: that calendar day anywhere on Earth
# (UTC-12 .. UTC+14) runs from 14 h before to 36 h after its UTC midnight.
_DATE_ONLY_HOURS = (14.0, 36.0)
_UNDATED_HOURS = 48.0  # an undated item appeared up to this long before it was first seen
TITLE_ONLY_BOOST = 1.3  # headline-only pairs score lower for the same event: scale them up
FLOOR_SHARE = 0.5  # pairs below this share of the threshold count as 0 in group averages
# Average linkage builds tight cores; cosine linkage (group centroids) then lets large stories
# absorb items that match the story as a whole rather than each item in it; last, a "story"
# phase lets a story of >= 4 items (linkage.STORY_SIZE) absorb items or groups whose cosine with
# its centroid reaches 0.85 x the threshold. Chosen on the real days and AllSides +2x/+9x (real
# days pooled pairwise F1 .621 -> .637, +9x .791 -> .793, +2x B3 F1 .939 -> .942), checked on
# xling fa .351 -> .380, en .526 -> .592, UCI B3 F1 .764 -> .796, BASIL .962 -> .969. The same
# lower bar for every group (no size rule) cost the real days -.014 (bench/README.md).
PHASES: tuple[tuple[str, float], ...] = (("average", 1.0), ("cosine", 1.0), ("story", 0.85))
# A pair sharing fewer than 2 informative units keeps 0.7 of its score: one shared name or
# word is weak evidence, above all in a small batch where IDF is weak. 0 (a veto) cut UCI to
# 0.53; 0.5 cost UCI recall; 0.7 raised density precision.
ONE_UNIT_FACTOR = 0.7
# Two items of one outlet resting on one shared unit keep 0.3 (an outlet repeats its own words
# across different events: programme lists, explainer series). Real days pooled pairwise P
# .708 -> .716, F1 .618 -> .621 (day 2 P .741 -> .757); 0.5: +.002; 0 .. 0.3 the same; other
# sets unchanged (UCI +.001).
SAME_OUTLET_ONE_UNIT = 0.3
# A pair that shares fewer than 4 informative words, none of them a name or a number
# (`stories.anchors`), keeps 0.7 of its score: "second wave", "students", "restaurants close"
# name a topic, not an event. Cased texts with a lead only (no names in Persian; a headline in
# title case hides them). Chosen on the real days and AllSides +9x against 0.5 / 0.6 / 0.8 and
# fewer than 3 / 5 / any number of words (any: +9x F1 -.007 .. -.03): with the rest of round 5,
# real days pooled pairwise P .728 -> .781, F1 .633 -> .658, +9x P .804 -> .817, F1 .795 ->
# .797; checked: xling fa, UCI unchanged, en -.011, +2x B3 F1 -.003, BASIL -.005.
NO_ANCHOR_FACTOR = 0.7
NO_ANCHOR_BELOW = 4
# Two items of one outlet on such a pair keep 0.5 (an outlet's section words: the L.A. Times's
# "L.A. County coronavirus cases", the SMH's "latest illustrations from artist"): real days
# pooled pairwise P .776 -> .781, day 2 F1 .643 -> .647, +9x P .815 -> .817, every other set
# unchanged (0.3: the same partitions).
NO_ANCHOR_SAME_OUTLET = 0.5
# Headlines naming different places (`stories.places`): read off the xling day's Persian items
# (pairwise F1 .478 -> .645), checked on the real days, AllSides, UCI and BASIL: unchanged
# (bench/README.md, "Round 8"). Any factor from 0 to 0.5 gives the same partitions on every
# set; 0.25 lets only a near-copy (0.8+) join across places, not a template headline filled
# with another place ("Earthquake: 4.0 quake near X", "explosions heard in X").
PLACE_FACTOR = 0.25
_CHUNK = 256  # rows per block: each of the threads holds one block's products
_UNIT_PAIRS = 8192  # pairs per one-unit or anchor count
# Threads for the blocks of pair_scores: the machine's cores, at most 4 (each holds a block).
_WORKERS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def group_items(items: Sequence[Item], params: GroupingParams | None = None) -> list[list[int]]:
    """A partition of range(len(items)) into stories.

    Deterministic and independent of input order. Groups are ordered by their earliest item;
    indices in a group by (published, index).
    """
    params = params or GroupingParams()
    n = len(items)
    if n == 0:
        return []
    order = time_order(items)
    # Grouping makes lists, dicts and arrays that hold no cycles, freed as it goes: the cyclic
    # collector would find nothing, but its passes over the whole heap cost ~1.5 % of a
    # 10,000-item batch (a digest pauses it anyway: `cli.heap`).
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows, cols, sims = pair_scores(items, order, params)
        labels = average_linkage(n, rows, cols, sims, params.threshold, PHASES)
    finally:
        if collecting:
            gc.enable()
    groups: dict[int, list[int]] = {}
    for position, index in enumerate(order):
        groups.setdefault(labels[position], []).append(index)
    return list(groups.values())


def time_order(items: Sequence[Item]) -> list[int]:
    """Indices by (published, title, key, outlet, index): stable under input reordering."""
    return sorted(
        range(len(items)),
        key=lambda i: (items[i].published, items[i].title, items[i].key, items[i].outlet, i),
    )


def _time_bounds(items: Sequence[Item], order: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest plausible publication time (epoch seconds) of each item in `order`.

    A timestamp of exactly 00:00:00 UTC is a date without a time (BASIL, many feeds): the item
    appeared some time that day. An undated item (`dated=False`) carries the time it was first
    seen, so it appeared at most `_UNDATED_HOURS` before that.
    """
    import numpy as np

    seconds = np.array([items[i].published.timestamp() for i in order], dtype=np.float64)
    day_only = np.array([_is_date_only(items[i]) for i in order], dtype=bool)
    undated = np.array([not items[i].dated for i in order], dtype=bool)
    day_only &= ~undated
    before, after = _DATE_ONLY_HOURS
    early = seconds - np.where(undated, _UNDATED_HOURS * 3600, np.where(day_only, before * 3600, 0))
    late = seconds + np.where(day_only, after * 3600, 0.0)
    return early, late


def _is_date_only(item: Item) -> bool:
    moment = item.published
    return (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)


def pair_scores(
    items: Sequence[Item], order: Sequence[int], params: GroupingParams, floor: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scored pairs (positions in `order`, row later than column) within the window whose text
    similarity reaches the floor, computed block by block along time (no n x n matrix; blocks
    on up to `_WORKERS` threads: scipy's products run without the GIL)."""
    import numpy as np

    concepts = concept_map(params.concepts)
    gazetteer = configured_gazetteer(params.gazetteer)
    known = features(items, order, concepts)
    matrix, units, own = known.matrix, known.units, known.own
    adjacent = compact(units[1])  # runs of informative words (`one_unit`)
    seconds = np.array([items[i].published.timestamp() for i in order], dtype=np.float64)
    early, late = _time_bounds(items, order)
    slack = float(np.max(seconds - early) + np.max(late - seconds))
    bare = np.array([not items[i].summary.strip() for i in order], dtype=bool)
    outlets: dict[str, int] = {}
    outlet = np.array([outlets.setdefault(items[i].outlet, len(outlets)) for i in order],
                      dtype=np.int64)
    window = params.window.total_seconds()
    floor = params.threshold * FLOOR_SHARE if floor is None else floor
    n = len(order)
    kind = np.int32 if n < 2**31 else np.int64  # items as 32-bit integers where they fit

    def apart(r: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Seconds between the latest plausible time of one item and the earliest of the other
        (0 when their spans overlap)."""
        gap: np.ndarray = np.maximum(0.0, np.maximum(early[r] - late[c], early[c] - late[r]))
        return gap

    def block_text(start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A block's pairs at the floor within the window, scored before the unit rules."""
        stop = min(n, start + _CHUNK)
        first = int(np.searchsorted(seconds, seconds[start] - window - slack, side="left"))
        indptr, indices, data = product(matrix[start:stop],
                                        block_rows(matrix, first, stop).T.tocsr())
        found = np.flatnonzero(data >= floor)
        r = np.searchsorted(indptr, found, side="right").astype(np.int64) - 1 + start
        c = indices[found].astype(np.int64) + first
        keep = c < r
        r, c, text = r[keep], c[keep], data[found[keep]]
        del indptr, indices, data
        gap = apart(r, c)
        keep = gap <= window
        r, c = r[keep], c[keep]
        score = _adjust(text[keep].astype(np.float64), gap[keep], bare[r] | bare[c], window)
        return r, c, score

    def block_rules(scored: tuple[np.ndarray, np.ndarray, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The continuing-story decay, then the place, one-unit and anchor rules on a block's
        pairs."""
        r, c, score = scored
        if CONTINUING_DECAY != DECAY:  # what the strict decay took, less the continuing one
            lasting = np.flatnonzero(continuing(rare, r, c))
            a, b = r[lasting], c[lasting]
            boost = np.where(bare[a] | bare[b], TITLE_ONLY_BOOST, 1.0)
            score[lasting] += (DECAY - CONTINUING_DECAY) * _late(apart(a, b), window) * boost
        if PLACE_FACTOR != 1.0:
            score[different_places(places, r, c)] *= PLACE_FACTOR
        # Texts of fewer than 2 distinct evidence words (unspaced scripts read as one
        # "word") are exempt from the one-unit rule: it cannot tell their pairs apart.
        thin = np.flatnonzero(np.minimum(own[r], own[c]) >= 2)
        if ONE_UNIT_FACTOR == 1.0 and NO_ANCHOR_FACTOR == 1.0:
            thin = thin[:0]
        for low in range(0, len(thin), _UNIT_PAIRS):  # a few pairs at a time: bounded memory
            part = thin[low:low + _UNIT_PAIRS]
            a, b = r[part], c[part]
            if anchors.joint is None:
                counts = overlap(anchors.words, a, b)  # shared informative words, names/numbers
                shared = counts[0]
            else:  # with Persian, one_unit's informative words are per script, not the anchors'
                found = shared_by_bit(anchors.joint, a, b, 3)
                counts = (found[JOINT_WORD], found[JOINT_ANCHOR])
                shared = found[JOINT_SCRIPT]
            if ONE_UNIT_FACTOR != 1.0:
                weak = part[one_unit(units, a, b, shared, adjacent)]
                score[weak] *= np.where(outlet[r[weak]] == outlet[c[weak]],
                                        SAME_OUTLET_ONE_UNIT, ONE_UNIT_FACTOR)
            if NO_ANCHOR_FACTOR != 1.0:
                plain = ~(bare[a] | bare[b]) & anchors.cased[a] & anchors.cased[b]
                hit = part[plain & unanchored(anchors, a, b, NO_ANCHOR_BELOW, counts)]
                score[hit] *= np.where(outlet[r[hit]] == outlet[c[hit]],
                                       NO_ANCHOR_SAME_OUTLET, NO_ANCHOR_FACTOR)
        return r.astype(kind), c.astype(kind), score

    starts = range(0, n, _CHUNK)
    ordered = [items[i] for i in order]
    if _WORKERS > 1 and len(starts) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(_WORKERS, len(starts))) as pool:
            texts = [pool.submit(block_text, start) for start in starts]
            # The batch's names (regular expressions, under the GIL) are read on this thread
            # while the threads multiply (scipy's products run without it).
            anchors = anchor_rows(ordered, concepts, known)
            rare = rare_anchors(anchors.words)
            places = headline_places(ordered, gazetteer)
            del known  # its encoding (two integers per word of every text)
            blocks = list(pool.map(block_rules, (job.result() for job in texts)))
    else:
        anchors = anchor_rows(ordered, concepts, known)
        rare = rare_anchors(anchors.words)
        places = headline_places(ordered, gazetteer)
        del known
        blocks = [block_rules(block_text(start)) for start in starts]
    rows, cols, sims = (np.concatenate(part) for part in zip(*blocks, strict=True))
    return rows, cols, sims


def _adjust(text: np.ndarray, gap: np.ndarray, bare: np.ndarray, window: float) -> np.ndarray:
    """Text similarity -> pair score: time decay past the grace period, headline-only boost."""
    import numpy as np

    result: np.ndarray = (text - DECAY * _late(gap, window)) * np.where(bare, TITLE_ONLY_BOOST,
                                                                         1.0)
    return result


def _late(gap: np.ndarray, window: float) -> np.ndarray:
    """How far past the grace period a pair is, as a share of the rest of the window."""
    import numpy as np

    grace = GRACE_HOURS * 3600
    share: np.ndarray = np.maximum(0.0, gap - grace) / max(1.0, window - grace)
    return share


def story_title(items: Sequence[Item]) -> str:
    """The headline of the item most like the others (ties: earliest), as plain text."""
    if not items:
        return ""
    order = time_order(items)
    if len(items) <= 2:
        return items[order[0]].title.strip()
    scores = centrality([items[i] for i in order])
    rounded = [round(score, 6) for score in scores]
    best = rounded.index(max(rounded))
    return items[order[best]].title.strip()
