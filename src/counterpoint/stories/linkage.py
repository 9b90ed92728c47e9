"""Agglomeration on a sparse graph of scored pairs: the stories of one batch.

numpy and scipy are imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Linkage", "average_linkage"]

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
    """Cluster label per item: agglomeration (pairs below the floor count 0) stopped at
    `threshold`, one pass per (linkage, threshold share) phase.

    Groups can only form inside connected components of the pairs at or above the threshold, so
    the Python loop only visits those components, not the mostly-singleton rest.
    """
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    strong = sims >= threshold * min(share for _, share in phases)
    graph = coo_matrix((np.ones(int(strong.sum())), (rows[strong], cols[strong])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    labels = list(range(n))
    sizes = np.bincount(component, minlength=n)
    same = component[rows] == component[cols]
    big = sizes[component[rows]] > 1
    keep = same & big
    if _WEAK_BASE:
        degree = np.bincount(np.concatenate([rows[strong], cols[strong]]), minlength=n)
        keep &= strong | _top_per_node(n, rows, cols, np.where(keep & ~strong, sims, -np.inf),
                                       _WEAK_BASE + _WEAK_SCALE * degree)
    keep = np.flatnonzero(keep)
    keep = keep[np.argsort(component[rows[keep]], kind="stable")]
    a_all, b_all, s_all = rows[keep].tolist(), cols[keep].tolist(), sims[keep].tolist()
    bounds = np.flatnonzero(np.diff(component[rows[keep]])) + 1
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), len(keep)], strict=True):
        edges = list(zip(a_all[lo:hi], b_all[lo:hi], s_all[lo:hi], strict=True))
        _link_component(edges, threshold, labels, phases)
    return labels


def _top_per_node(n: int, rows: np.ndarray, cols: np.ndarray, sims: np.ndarray,
                  k: np.ndarray) -> np.ndarray:
    """Mask of the pairs among the k[item] highest-scoring finite pairs of either item."""
    import numpy as np

    finite = np.flatnonzero(np.isfinite(sims))  # the others rank last: leaving them out
    # changes no finite pair's rank. Each pair twice, side by side (once per item), so position
    # order is pair order: two stable sorts give the order by (item, -score, pair).
    node = np.column_stack([rows[finite], cols[finite]]).ravel()
    edge = np.repeat(finite, 2)
    order = np.argsort(-np.repeat(sims[finite], 2), kind="stable")
    order = order[np.argsort(node[order], kind="stable")]
    node, edge = node[order], edge[order]
    starts = np.searchsorted(node, np.arange(n), side="left")
    rank = np.arange(len(node)) - starts[node]
    keep = np.zeros(len(sims), dtype=bool)
    keep[edge[rank < k[node]]] = True
    return keep


def _link_component(
    edges: list[tuple[int, int, float]], threshold: float, labels: list[int],
    phases: Sequence[tuple[str, float]],
) -> None:
    """Merge the items of one component phase by phase; label each group by its first item."""
    linkage = Linkage(edges)
    for kind, share in phases:
        linkage.merge(threshold * share, centroid=kind in ("cosine", "story"),
                      story=STORY_SIZE if kind == "story" else 0)
    for group in linkage.members.values():
        label = min(group)
        for index in group:
            labels[index] = label


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

    def score(self, a: int, b: int, total: float) -> float:
        if self.centroid:
            return total / math.sqrt(max(self.inner[a], 1e-9) * max(self.inner[b], 1e-9))
        return total / (self.size[a] * self.size[b])

    def _norms(self) -> dict[int, float]:
        """Per group, the factor whose product over a pair turns a link sum into its score."""
        if self.centroid:
            return {g: 1.0 / math.sqrt(max(v, 1e-9)) for g, v in self.inner.items()}
        return {g: 1.0 / v for g, v in self.size.items()}

    def merge(self, threshold: float, *, centroid: bool, story: int = 0) -> None:
        """Join the best-scoring pair of groups until none reaches `threshold` (with `story`,
        only pairs where one group has at least that many items)."""
        self.centroid = centroid
        links = self.links
        norm = self._norms()
        heap = [
            (-value, a, b)
            for a, neighbours in links.items()
            for b, total in neighbours.items()
            if a < b and (value := total * norm[a] * norm[b]) >= threshold
            and (not story or max(self.size[a], self.size[b]) >= story)
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
