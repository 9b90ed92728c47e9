"""Agglomeration on a sparse graph of scored pairs: the stories of one batch.

numpy and scipy are imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from counterpoint.stories.components import components

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Linkage", "average_linkage", "descending", "stable_order"]

# Each item keeps all its pairs at or above the threshold but only its 10 + 2 x (that count)
# strongest weaker pairs: same partitions on the dev sets, 25 % faster when a day is packed.
_WEAK_BASE = 10
_WEAK_SCALE = 2
# A "story" phase joins a group only to a story of at least 4 items, at a lower bar (its
# centroid is a profile of the event, not one pair): see PHASES in stories.group.
STORY_SIZE = 4


def average_linkage(
    n: int, rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, threshold: float,
    phases: Sequence[tuple[str, float]] = (("average", 1.0),),
) -> list[int]:
    """Cluster label per item (its group's first item): agglomeration (pairs below the floor
    count 0) stopped at `threshold`, one pass per (linkage, threshold share) phase.

    Groups can only form inside connected components of the pairs at or above the threshold, so
    only those components are visited. A leading average phase runs as rounds of reciprocal
    nearest neighbours in numpy (`_average_rounds`); the later phases (centroid linkage is not
    reducible) join the best pair first in `Linkage`, only in components where some pair of
    groups can still reach their bar.
    """
    import numpy as np

    a, b, s, component = _kept_pairs(n, rows, cols, sims, threshold * min(
        share for _, share in phases))
    rest = list(phases)
    labels = np.arange(n, dtype=np.int64)
    if rest and rest[0][0] == "average":
        labels = _average_rounds(n, a, b, s, threshold * rest.pop(0)[1])
    if rest:
        _later_phases(n, (a, b, s), labels, component, threshold, rest)
    result: list[int] = labels.tolist()
    return result


def _kept_pairs(n: int, rows: np.ndarray, cols: np.ndarray, sims: np.ndarray,
                bar: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pairs agglomeration needs (lower item first, score) and each item's component of
    the pairs at or above `bar`: pairs inside a component of 2+ items, all those at or above
    the bar and each item's strongest weaker ones."""
    import numpy as np

    strong = sims >= bar
    component = components(n, rows[strong], cols[strong])
    sizes = np.bincount(component, minlength=n)
    same = component[rows] == component[cols]
    big = sizes[component[rows]] > 1
    keep = same & big
    if _WEAK_BASE:
        degree = np.bincount(np.concatenate([rows[strong], cols[strong]]), minlength=n)
        keep &= strong | _top_per_node(n, rows, cols, sims, keep & ~strong,
                                       _WEAK_BASE + _WEAK_SCALE * degree)
    r, c = rows[keep], cols[keep]
    kind = np.int32 if n < 2**31 else np.int64  # items as 32-bit integers where they fit
    return (np.minimum(r, c).astype(kind, copy=False), np.maximum(r, c).astype(kind, copy=False),
            sims[keep].astype(np.float64, copy=False), component.astype(np.int64))


def _average_rounds(n: int, lo: np.ndarray, hi: np.ndarray, total: np.ndarray,
                    threshold: float) -> np.ndarray:
    """Group label (first item) per item after average linkage stopped at `threshold`, for
    pairs lo < hi scoring `total`.

    Average linkage is reducible (a joined group is never closer to a third than the closer of
    its parts), so joining every pair of groups that are each other's best at once gives the
    stories the best-pair-first loop (`Linkage`) gives. Ties go to the pair of lower first
    items; where two pairs of groups score exactly the same the loop may pick the other one
    (its ids are not first items), which no set of bench/partitions.json meets. A
    group with no pair at or above the threshold can never reach it again: its pairs are
    dropped, so the rounds only work on what can still change.
    """
    import numpy as np

    parent = np.arange(n, dtype=np.int32 if n < 2**31 else np.int64)
    size = np.ones(n)
    lo, hi, total = _regroup(n, lo, hi, total)  # in (lo, hi) order
    while len(lo):
        score = total / (size[lo] * size[hi])
        hot = score >= threshold
        if not hot.any():
            break
        degree = np.bincount(lo[hot], minlength=n) + np.bincount(hi[hot], minlength=n)
        live = (degree[lo] > 0) & (degree[hi] > 0)
        if not live.all():  # one at a time: each old array is freed before the next copy
            lo = lo[live]
            hi = hi[live]
            total = total[live]
            score = score[live]
            hot = hot[live]
        candidates = np.flatnonzero(hot)  # pairs are in (lo, hi) order: a stable sort on the
        order = candidates[descending(score[candidates])]  # score breaks ties
        ranks = np.arange(len(order))
        best = np.full(n, len(order))
        np.minimum.at(best, lo[order], ranks)
        np.minimum.at(best, hi[order], ranks)
        mutual = order[(best[lo[order]] == ranks) & (best[hi[order]] == ranks)]
        keep, gone = lo[mutual], hi[mutual]
        parent[gone] = keep
        size[keep] += size[gone]
        del score, hot, candidates, order, ranks, mutual  # free before `_regroup` (the peak)
        lo, hi, total = _regroup(n, parent[lo], parent[hi], total)
    while True:
        up = parent[parent]
        if (up == parent).all():
            return parent
        parent = up


def _regroup(n: int, a: np.ndarray, b: np.ndarray,
             total: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs between groups a[k] != b[k]: (lower, higher, summed score), in (lower, higher)
    order (lower and higher of a's type)."""
    import numpy as np

    # Only the 64-bit key lower * n + higher is sorted; the groups come back from the keys of
    # the first pair of each run (every temporary is as long as the pairs: the memory peak).
    key = np.minimum(a, b).astype(np.int64)
    key *= n
    key += np.maximum(a, b)
    cross = a != b
    if not cross.all():
        key, total = key[cross], total[cross]
    del cross
    if not len(key):
        empty = np.zeros(0, dtype=a.dtype)
        return empty, empty.copy(), total
    order = stable_order(key, n * n)
    key = key[order]
    new = np.concatenate([[True], key[1:] != key[:-1]])
    if new.all():  # no two pairs of the same groups (the first call): nothing to sum
        del new
        sums = total[order]
    else:
        starts = np.flatnonzero(new)
        del new
        key = key[starts]
        sums = np.add.reduceat(total[order], starts)
    del order
    return (key // n).astype(a.dtype), (key % n).astype(a.dtype), sums


def _later_phases(n: int, pairs: tuple[np.ndarray, np.ndarray, np.ndarray], labels: np.ndarray,
                  component: np.ndarray, threshold: float,
                  phases: Sequence[tuple[str, float]]) -> None:
    """Run `phases` on the groups of `labels` (updated in place), best pair first, in the
    components where some pair of groups reaches the lowest bar by either measure (elsewhere no
    phase can join anything)."""
    import numpy as np

    a, b, s = pairs
    ga, gb = labels[a], labels[b]
    inside = ga == gb
    size = np.bincount(labels, minlength=n)
    inner = size + 2.0 * np.bincount(ga[inside], weights=s[inside], minlength=n)
    lo, hi, total = _regroup(n, ga, gb, s)
    root = np.sqrt(np.maximum(inner, 1e-9))
    value = np.maximum(total / (root[lo] * root[hi]), total / (size[lo] * size[hi]))
    bar = threshold * min(share for _, share in phases)
    wanted = np.zeros(n, dtype=bool)
    wanted[component[lo[value >= bar]]] = True
    chosen = np.flatnonzero(wanted[component[lo]])
    if not len(chosen):
        return
    # One Linkage for all those components: they never interact, so joining the best pair
    # first over all of them makes each component's joins in its own order.
    lo, hi, total = lo[chosen], hi[chosen], total[chosen]
    linkage = Linkage.from_arrays(lo, hi, total)
    groups = np.flatnonzero(wanted[component])
    for index, label in zip(groups.tolist(), labels[groups].tolist(), strict=True):
        if label != index and label in linkage.links:
            linkage.members[label].append(index)
    nodes = np.array(list(linkage.links), dtype=np.int64)
    linkage.inner.update(zip(nodes.tolist(), inner[nodes].tolist(), strict=True))
    linkage.size.update(zip(nodes.tolist(), size[nodes].tolist(), strict=True))
    for number, (kind, share) in enumerate(phases):
        centroid, story = kind in ("cosine", "story"), STORY_SIZE if kind == "story" else 0
        seed = None
        if number == 0:  # the first phase's candidates straight from the arrays
            norm = 1.0 / root if centroid else 1.0 / size
            value = total * norm[lo] * norm[hi]
            hot = value >= threshold * share
            if story:
                hot &= np.maximum(size[lo], size[hi]) >= story
            seed = list(zip((-value[hot]).tolist(), lo[hot].tolist(), hi[hot].tolist(),
                            strict=True))
        linkage.merge(threshold * share, centroid=centroid, story=story, seed=seed)
    for joined in linkage.members.values():
        labels[joined] = min(joined)


def _top_per_node(n: int, rows: np.ndarray, cols: np.ndarray, sims: np.ndarray,
                  ranked: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Mask of the pairs among the k[item] highest-scoring finite `ranked` pairs of either
    item."""
    import numpy as np

    finite = np.flatnonzero(ranked & np.isfinite(sims))  # the others rank last: leaving them out
    # changes no finite pair's rank. Pairs by (-score, pair), each then twice (once per item):
    # a stable sort by item gives the order by (item, -score, pair).
    finite = finite[descending(sims[finite])]
    # Items and pairs as 32-bit integers where they fit: these arrays are twice as long as the
    # pairs, the memory peak of grouping.
    kind = np.int32 if max(n, len(sims)) < 2**31 else np.int64
    node = np.empty(2 * len(finite), dtype=kind)
    node[0::2] = rows[finite]
    node[1::2] = cols[finite]
    order = stable_order(node, n)
    node = node[order]
    order >>= 1  # position -> its pair's place in `finite`
    edge = finite.astype(kind)[order]
    del finite, order
    rank: np.ndarray = np.arange(len(node), dtype=kind)
    rank -= np.searchsorted(node, np.arange(n), side="left").astype(kind)[node]
    chosen = rank < k.astype(kind)[node]
    del rank, node
    keep = np.zeros(len(sims), dtype=bool)
    keep[edge[chosen]] = True
    return keep


def stable_order(key: np.ndarray, bound: int) -> np.ndarray:
    """`np.argsort(key, kind="stable")` for integer keys in 0 .. bound - 1: numpy sorts 16-bit
    keys by radix in linear time, so keys below 2**32 take two such passes (low half, then
    high half: a stable sort by the high half keeps the low half's order within it)."""
    import numpy as np

    if bound <= 1 << 16:
        return np.argsort(key.astype(np.uint16), kind="stable")
    if bound <= 1 << 32:
        order = np.argsort(key.astype(np.uint16), kind="stable")  # the low 16 bits
        high = (key >> 16).astype(np.uint16)[order]
        result: np.ndarray = order[np.argsort(high, kind="stable")]
        return result
    return np.argsort(key, kind="stable")


def descending(values: np.ndarray) -> np.ndarray:
    """`np.argsort(-values, kind="stable")` for values without NaN: a plain sort, then each run
    of equal values put back in index order (ties are few; a stable sort of floats is a
    merge sort, several times slower)."""
    import numpy as np

    order = np.argsort(-values)
    ordered = values[order]
    tie = ordered[1:] == ordered[:-1]
    if tie.any():
        spots = np.flatnonzero(np.concatenate([tie, [False]]) | np.concatenate([[False], tie]))
        run = np.cumsum(np.concatenate([[True], ~tie]))[spots]
        held = order[spots]
        order[spots] = held[np.lexsort((held, run))]
    return order


class Linkage:
    """Agglomeration over summed pair scores between groups.

    `links[a][b]` is the sum of scores between groups a and b, `inner[a]` the sum over all pairs
    inside a (self-pairs count 1). Average linkage compares links / (size a x size b); centroid
    (cosine) linkage compares links / sqrt(inner a x inner b), the cosine of the group sums.
    """

    def __init__(self, edges: list[tuple[int, int, float]], record: bool = False) -> None:
        self.record = record
        self.history: list[tuple[tuple[int, ...], tuple[int, ...], float]] = []
        self.members: dict[int, list[int]] = {}
        self.links: dict[int, dict[int, float]] = {}
        links = self.links
        for a, b, score in edges:
            if a in links:
                links[a][b] = score
            else:
                links[a] = {b: score}
            if b in links:
                links[b][a] = score
            else:
                links[b] = {a: score}
        self.members = {node: [node] for node in links}
        self.inner: dict[int, float] = dict.fromkeys(links, 1.0)
        self.size: dict[int, int] = dict.fromkeys(links, 1)
        self.centroid = False

    @classmethod
    def from_arrays(cls, a: np.ndarray, b: np.ndarray, score: np.ndarray) -> Linkage:
        """`Linkage(list(zip(a, b, score)))` (a later copy of an edge replaces an earlier one)
        by one stable sort of the edge ends by node; no result depends on the dicts' order."""
        import numpy as np

        linkage = cls([])
        node, other = np.empty((2, 2 * len(a)), dtype=np.int64)
        node[0::2], node[1::2], other[0::2], other[1::2] = a, b, b, a
        order = np.argsort(node, kind="stable")  # each node's edge ends in edge order
        node, nodes, others = node[order], node[order].tolist(), other[order].tolist()
        totals = np.repeat(np.asarray(score, dtype=np.float64), 2)[order].tolist()
        bounds = [0, *(np.flatnonzero(node[1:] != node[:-1]) + 1).tolist(), len(node)]
        linkage.links = {nodes[low]: dict(zip(others[low:high], totals[low:high], strict=True))
                         for low, high in itertools.pairwise(bounds) if high > low}
        for key in linkage.links:
            linkage.members[key], linkage.inner[key], linkage.size[key] = [key], 1.0, 1
        return linkage

    def score(self, a: int, b: int, total: float) -> float:
        if self.centroid:
            return total / math.sqrt(max(self.inner[a], 1e-9) * max(self.inner[b], 1e-9))
        return total / (self.size[a] * self.size[b])

    def _norms(self) -> dict[int, float]:
        """Per group, the factor whose product over a pair turns a link sum into its score."""
        if self.centroid:
            return {g: 1.0 / math.sqrt(max(v, 1e-9)) for g, v in self.inner.items()}
        return {g: 1.0 / v for g, v in self.size.items()}

    def merge(self, threshold: float, *, centroid: bool, story: int = 0,
              seed: list[tuple[float, int, int]] | None = None) -> None:
        """Join the best-scoring pair of groups until none reaches `threshold` (with `story`,
        only pairs where one group has at least that many items). `seed`: the (-score, a, b)
        entries (a < b) of the pairs that reach it now, when the caller has them."""
        self.centroid = centroid
        links, size = self.links, self.size
        norm = self._norms()
        if seed is not None:
            heap = seed
        elif story:  # only pairs with a large group: look from those
            heap = []
            for a in [g for g, count in size.items() if count >= story]:
                for b, total in links[a].items():
                    if size[b] < story or a < b:
                        lo, hi = (a, b) if a < b else (b, a)
                        if (value := total * norm[lo] * norm[hi]) >= threshold:
                            heap.append((-value, lo, hi))
        else:
            heap = [
                (-value, a, b)
                for a, neighbours in links.items()
                for b, total in neighbours.items()
                if a < b and (value := total * norm[a] * norm[b]) >= threshold
            ]
        heapq.heapify(heap)
        push, pop = heapq.heappush, heapq.heappop
        record, join, inner, size, sqrt = self.record, self._join, self.inner, self.size, math.sqrt
        while heap:
            negative, a, b = pop(heap)
            norm_a = norm.get(a)
            norm_b = norm.get(b)
            if norm_a is None or norm_b is None:
                continue
            total = links[a].get(b, 0.0)
            if abs(total * norm_a * norm_b + negative) > 1e-12:
                continue  # stale entry: one of the groups changed since it was pushed
            if record:
                self.history.append((tuple(self.members[a]), tuple(self.members[b]), -negative))
            keep, gone = join(a, b, total)
            del norm[gone]
            kept = norm[keep] = (
                1.0 / sqrt(max(inner[keep], 1e-9)) if centroid else 1.0 / size[keep]
            )
            big = not story or size[keep] >= story
            for other, other_total in links[keep].items():
                value = other_total * kept * norm[other]
                if value >= threshold and (big or size[other] >= story):
                    push(heap, (-value, keep, other) if keep < other else (-value, other, keep))

    def _join(self, a: int, b: int, total: float) -> tuple[int, int]:
        keep, gone = (a, b) if len(self.links[a]) >= len(self.links[b]) else (b, a)
        self.members[keep].extend(self.members.pop(gone))
        self.inner[keep] += self.inner.pop(gone) + 2 * total
        self.size[keep] += self.size.pop(gone)
        gone_links = self.links.pop(gone)
        keep_links = self.links[keep]
        keep_links.pop(gone, None)
        gone_links.pop(keep, None)
        links = self.links
        get = keep_links.get
        for other, other_total in gone_links.items():
            merged = keep_links[other] = get(other, 0.0) + other_total
            other_links = links[other]
            del other_links[gone]
            other_links[keep] = merged
        return keep, gone
