"""Group items into stories: the same event reported by different outlets.

A pair of items is scored by TF-IDF cosine over the words of title + lead and over character
4-grams of the title (any script, inflections), less a time decay, and only within the window.
Groups come from agglomeration on that sparse graph: average linkage first, so one lucky pair
cannot chain two events together, then centroid linkage, so a large story can absorb items that
match it as a whole. Precision comes first: a wrong merge hides a story from the reader, a split
only repeats it. Every constant below was measured with bench/grouping.py (bench/README.md).

numpy and scipy are imported inside functions so `import counterpoint.group` stays cheap.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from counterpoint.models import Item, Story, Topic, TopicRule

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

__all__ = [
    "GroupExplanation",
    "GroupingParams",
    "MergeStep",
    "PairEvidence",
    "assign_topics",
    "explain_group",
    "group_items",
    "story_title",
]


@dataclass(frozen=True)
class GroupingParams:
    """How alike (0..1) and how close in time two items must be to share a story."""

    threshold: float = 0.18
    window: timedelta = timedelta(hours=48)

    @classmethod
    def from_settings(cls, threshold: float | None, window: timedelta | None) -> GroupingParams:
        """`[settings] story_threshold / story_window`; None keeps the measured default."""
        default = cls()
        return cls(
            threshold=default.threshold if threshold is None else float(threshold),
            window=default.window if window is None else window,
        )


# Measured on the dev sets (bench/README.md, "Story grouping"); change them only with the bench.
_WORD_WEIGHT = 0.5  # word cosine (title + lead); the rest is title character 4-gram cosine
_CHAR_SIZES = (4,)  # 3-5-grams scored the same and cost 3x the time
_COMMON_SHARE = 0.1  # terms in more than this share of a large batch (>= 500 items) are dropped
_COMMON_MIN = 50
_DECAY = 0.4  # score lost by a pair `window` apart; nothing within the grace period
_GRACE_HOURS = 12.0
_TITLE_ONLY_BOOST = 1.3  # headline-only pairs score lower for the same event: scale them up
_FLOOR_SHARE = 0.5  # pairs below this share of the threshold count as 0 in group averages
# Average linkage builds tight cores; cosine linkage (group centroids) then lets large stories
# absorb items that match the story as a whole rather than each item in it.
_PHASES: tuple[tuple[str, float], ...] = (("average", 1.0), ("cosine", 1.0))
_CHUNK = 512

_TOKEN = re.compile(r"\w\w+")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just let me more most my myself no nor not of off on once only or
    other ought our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    yourselves new one two its via amid per vs us
    say says said saying tell tells told report reports reported reporting according announce
    announces announced claim claims claimed""".split()  # noqa: SIM905
)


def group_items(items: Sequence[Item], params: GroupingParams | None = None) -> list[list[int]]:
    """A partition of range(len(items)) into stories.

    Deterministic and independent of input order. Groups are ordered by their earliest item;
    indices in a group by (published, index).
    """
    params = params or GroupingParams()
    n = len(items)
    if n == 0:
        return []
    order = _time_order(items)
    rows, cols, sims = _pair_scores(items, order, params)
    labels = _average_linkage(n, rows, cols, sims, params.threshold, _PHASES)
    groups: dict[int, list[int]] = {}
    for position, index in enumerate(order):
        groups.setdefault(labels[position], []).append(index)
    return list(groups.values())


def _time_order(items: Sequence[Item]) -> list[int]:
    """Indices by (published, title, key, outlet, index): stable under input reordering."""
    return sorted(
        range(len(items)),
        key=lambda i: (items[i].published, items[i].title, items[i].key, items[i].outlet, i),
    )


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _words(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(_normalise(text)) if w not in STOPWORDS]


def _char_grams(text: str) -> list[str]:
    """Character n-grams inside words padded with a space (like sklearn's `char_wb`)."""
    grams: list[str] = []
    for word in _TOKEN.findall(_normalise(text)):
        padded = f" {word} "
        for size in _CHAR_SIZES:
            grams.extend([padded[k : k + size] for k in range(len(padded) - size + 1)])
    return grams


def _tfidf(docs: Sequence[Sequence[str]]) -> csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised. After normalising, terms seen in one document only
    (they lower a long text's similarity but never match anything) and terms common to much of a
    large batch (little evidence, most of the multiplication cost) are dropped."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(docs)
    terms = [term for doc in docs for term in doc]
    vocabulary = {term: k for k, term in enumerate(dict.fromkeys(terms))}
    size = max(1, len(vocabulary))
    ids = np.fromiter(map(vocabulary.__getitem__, terms), dtype=np.int64, count=len(terms))
    owner = np.repeat(np.arange(n, dtype=np.int64), [len(doc) for doc in docs])
    cells, counts = np.unique(owner * size + ids, return_counts=True)
    matrix = csr_matrix(
        (counts.astype(np.float32),
         ((cells // size).astype(np.int32), (cells % size).astype(np.int32))),
        shape=(n, size),
    )
    df = np.bincount(matrix.indices, minlength=size)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = csr_matrix(matrix.multiply(1.0 / norms[:, None]), dtype=np.float32)
    common = max(_COMMON_MIN, _COMMON_SHARE * n) if n >= 500 else n
    matrix.data[(df[matrix.indices] < 2) | (df[matrix.indices] > common)] = 0.0
    matrix.eliminate_zeros()
    return matrix


def _features(items: Sequence[Item], order: Sequence[int]) -> csr_matrix:
    """One row per item (in `order`); a row dot product is the weighted mean of the cosines."""
    from scipy.sparse import hstack

    words = _tfidf([_words(f"{items[i].title} {items[i].summary}") for i in order])
    chars = _tfidf([_char_grams(items[i].title) for i in order])
    return hstack(
        [words * math.sqrt(_WORD_WEIGHT), chars * math.sqrt(1.0 - _WORD_WEIGHT)], format="csr"
    )


def _pair_scores(
    items: Sequence[Item], order: Sequence[int], params: GroupingParams, floor: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scored pairs (positions in `order`, row later than column) within the window whose text
    similarity reaches the floor, computed block by block along time (no n x n matrix)."""
    import numpy as np

    features = _features(items, order)
    seconds = np.array([items[i].published.timestamp() for i in order], dtype=np.float64)
    bare = np.array([not items[i].summary.strip() for i in order], dtype=bool)
    window = params.window.total_seconds()
    floor = params.threshold * _FLOOR_SHARE if floor is None else floor
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    sims: list[np.ndarray] = []
    n = len(order)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        first = int(np.searchsorted(seconds, seconds[start] - window, side="left"))
        block = (features[start:stop] @ features[first:stop].T).tocoo()
        r = block.row.astype(np.int64) + start
        c = block.col.astype(np.int64) + first
        keep = (c < r) & (block.data >= floor) & (seconds[r] - seconds[c] <= window)
        r, c = r[keep], c[keep]
        rows.append(r)
        cols.append(c)
        sims.append(_adjust(block.data[keep].astype(np.float64), seconds[r] - seconds[c],
                            bare[r] | bare[c], window))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def _adjust(text: np.ndarray, gap: np.ndarray, bare: np.ndarray, window: float) -> np.ndarray:
    """Text similarity -> pair score: time decay past the grace period, headline-only boost."""
    import numpy as np

    grace = _GRACE_HOURS * 3600
    late = np.maximum(0.0, gap - grace) / max(1.0, window - grace)
    result: np.ndarray = (text - _DECAY * late) * np.where(bare, _TITLE_ONLY_BOOST, 1.0)
    return result


def _average_linkage(
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
    edges_by_component: dict[int, list[tuple[int, int, float]]] = {}
    for a, b, s in zip(rows[keep].tolist(), cols[keep].tolist(), sims[keep].tolist(), strict=True):
        edges_by_component.setdefault(int(component[a]), []).append((a, b, s))
    for edges in edges_by_component.values():
        _link_component(edges, threshold, labels, phases)
    return labels


def _link_component(
    edges: list[tuple[int, int, float]], threshold: float, labels: list[int],
    phases: Sequence[tuple[str, float]],
) -> None:
    """Merge the items of one component phase by phase; label each group by its first item."""
    linkage = _Linkage(edges)
    for kind, share in phases:
        linkage.merge(threshold * share, centroid=kind == "cosine")
    for group in linkage.members.values():
        label = min(group)
        for index in group:
            labels[index] = label


class _Linkage:
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
        self.inner: dict[int, float] = {}
        for a, b, score in edges:
            for node in (a, b):
                self.members.setdefault(node, [node])
                self.inner.setdefault(node, 1.0)
            self.links.setdefault(a, {})[b] = score
            self.links.setdefault(b, {})[a] = score
        self.centroid = False

    def score(self, a: int, b: int, total: float) -> float:
        if self.centroid:
            return total / math.sqrt(max(self.inner[a], 1e-9) * max(self.inner[b], 1e-9))
        return total / (len(self.members[a]) * len(self.members[b]))

    def merge(self, threshold: float, *, centroid: bool) -> None:
        """Join the best-scoring pair of groups until none reaches `threshold`."""
        self.centroid = centroid
        heap = [
            (-value, a, b)
            for a, neighbours in self.links.items()
            for b, total in neighbours.items()
            if a < b and (value := self.score(a, b, total)) >= threshold
        ]
        heapq.heapify(heap)
        while heap:
            negative, a, b = heapq.heappop(heap)
            if a not in self.members or b not in self.members:
                continue
            total = self.links[a].get(b, 0.0)
            if abs(self.score(a, b, total) + negative) > 1e-12:
                continue  # stale entry: one of the groups changed since it was pushed
            if self.record:
                self.history.append((tuple(self.members[a]), tuple(self.members[b]), -negative))
            keep = self._join(a, b, total)
            for other, other_total in self.links[keep].items():
                value = self.score(keep, other, other_total)
                if value >= threshold:
                    heapq.heappush(heap, (-value, min(keep, other), max(keep, other)))

    def _join(self, a: int, b: int, total: float) -> int:
        keep, gone = (a, b) if len(self.links[a]) >= len(self.links[b]) else (b, a)
        self.members[keep].extend(self.members.pop(gone))
        self.inner[keep] += self.inner.pop(gone) + 2 * total
        gone_links = self.links.pop(gone)
        keep_links = self.links[keep]
        keep_links.pop(gone, None)
        gone_links.pop(keep, None)
        for other, other_total in gone_links.items():
            keep_links[other] = keep_links.get(other, 0.0) + other_total
            other_links = self.links[other]
            other_links.pop(gone, None)
            other_links[keep] = keep_links[other]
        return keep


def story_title(items: Sequence[Item]) -> str:
    """The headline of the item most like the others (ties: earliest), as plain text."""
    if not items:
        return ""
    order = _time_order(items)
    if len(items) <= 2:
        return items[order[0]].title.strip()
    import numpy as np

    features = _features(items, order)
    centrality = np.asarray((features @ features.T).sum(axis=1)).ravel()
    best = int(np.argmax(np.round(centrality, 6)))
    return items[order[best]].title.strip()


@dataclass(frozen=True)
class PairEvidence:
    """Why two items (indices into the story's items) look alike: their score and shared words."""

    i: int
    j: int
    score: float
    shared_terms: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"i": self.i, "j": self.j, "score": round(self.score, 4),
                "shared_terms": list(self.shared_terms)}


@dataclass(frozen=True)
class MergeStep:
    """One join of the agglomeration: two sets of items, the group score that passed the
    threshold, and the strongest pair between them (the link a reader can check)."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    score: float
    link: PairEvidence

    def to_json(self) -> dict[str, Any]:
        return {"left": list(self.left), "right": list(self.right),
                "score": round(self.score, 4), "link": self.link.to_json()}


@dataclass(frozen=True)
class GroupExplanation:
    """Evidence for one story: every pair's score (strongest first, at most 200), the joins that
    formed it, and the words most of its items share.

    Scores are recomputed over the story's own items, so term weights can differ slightly from
    the run over all items that formed it; `complete` says whether these items alone still form
    one group at this threshold.
    """

    threshold: float
    window_hours: float
    pairs: tuple[PairEvidence, ...]
    merges: tuple[MergeStep, ...]
    shared_terms: tuple[str, ...]
    complete: bool

    def describe(self, max_pairs: int = 10) -> list[str]:
        """Plain lines for a terminal: settings, shared words, each join, the strongest pairs."""
        lines = [f"threshold {self.threshold:g}, window {self.window_hours:g} h"]
        if self.shared_terms:
            lines.append("shared by most items: " + ", ".join(self.shared_terms))
        for step in self.merges:
            left = "+".join(f"#{i}" for i in step.left)
            right = "+".join(f"#{i}" for i in step.right)
            lines.append(f"joined {left} with {right} at {step.score:.3f} "
                         f"(strongest link {_describe_pair(step.link)})")
        if not self.complete:
            lines.append("note: recomputed over these items alone they would not all join at "
                         "this threshold; the story formed with the other items' term weights")
        for pair in self.pairs[:max_pairs]:
            lines.append("pair " + _describe_pair(pair))
        if len(self.pairs) > max_pairs:
            lines.append(f"… {len(self.pairs) - max_pairs} weaker pairs")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "window_hours": self.window_hours,
                "complete": self.complete, "shared_terms": list(self.shared_terms),
                "merges": [step.to_json() for step in self.merges],
                "pairs": [pair.to_json() for pair in self.pairs]}


_EXPLAIN_MAX_PAIRS = 200


def _describe_pair(pair: PairEvidence) -> str:
    shared = ", ".join(pair.shared_terms) if pair.shared_terms else "no shared words"
    return f"#{pair.i}–#{pair.j} {pair.score:.3f}: {shared}"


def explain_group(items: Sequence[Item], params: GroupingParams | None = None) -> GroupExplanation:
    """Why these items (one story) were grouped: pair scores, shared terms and merge steps."""
    params = params or GroupingParams()
    hours = params.window.total_seconds() / 3600
    n = len(items)
    if n < 2:
        return GroupExplanation(params.threshold, hours, (), (), (), True)
    order = list(range(n))
    rows, cols, scores = _pair_scores(items, order, params, floor=-1.0)
    words = [_words(f"{item.title} {item.summary}") for item in items]
    weight = Counter(term for bag in words for term in set(bag))
    bags = [set(bag) for bag in words]

    def evidence(i: int, j: int, score: float) -> PairEvidence:
        a, b = min(i, j), max(i, j)
        shared = sorted(bags[a] & bags[b], key=lambda term: (weight[term], -len(term), term))
        return PairEvidence(a, b, score, tuple(shared[:8]))

    pair_score = {(min(a, b), max(a, b)): s for a, b, s in
                  zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True)}
    pairs = sorted((evidence(a, b, s) for (a, b), s in pair_score.items()),
                   key=lambda p: (-p.score, p.i, p.j))
    linkage = _Linkage([(a, b, s) for (a, b), s in pair_score.items()
                        if s >= params.threshold * _FLOOR_SHARE], record=True)
    for kind, share in _PHASES:
        linkage.merge(params.threshold * share, centroid=kind == "cosine")
    merges = []
    for left, right, score in linkage.history:
        a, b = max(((x, y) for x in left for y in right),
                   key=lambda xy: pair_score.get((min(xy), max(xy)), -1.0))
        link = evidence(a, b, pair_score.get((min(a, b), max(a, b)), 0.0))
        merges.append(MergeStep(tuple(sorted(left)), tuple(sorted(right)), score, link))
    common = sorted((t for t, c in weight.items() if c >= max(2, (n + 1) // 2)),
                    key=lambda t: (-weight[t], t))
    complete = len(linkage.members) == 1 and len(next(iter(linkage.members.values()))) == n
    return GroupExplanation(params.threshold, hours, tuple(pairs[:_EXPLAIN_MAX_PAIRS]),
                            tuple(merges), tuple(common[:12]), complete)


def assign_topics(stories: Sequence[Story], rules: Sequence[TopicRule]) -> list[Topic]:
    """Stories -> topics; see `counterpoint.topics`."""
    from counterpoint.topics import assign_topics as assign

    return assign(stories, rules)
