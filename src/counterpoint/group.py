"""Group items into stories: the same event reported by different outlets.

Items are compared by TF-IDF cosine over words of title + lead and over character n-grams of the
title (character n-grams keep the method working for any script and catch inflections), only
within a time window. Groups come from average-linkage agglomeration on that sparse graph: two
groups join only if their items are, on average, similar enough, so one lucky pair cannot chain
two events together. Precision comes first: a wrong merge hides a story from the reader, a split
only repeats it.

Heavy libraries (numpy, scipy) are imported inside functions so `import counterpoint.group` stays
cheap for the CLI.
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
    "PairEvidence",
    "assign_topics",
    "explain_group",
    "group_items",
    "story_title",
]


@dataclass(frozen=True)
class GroupingParams:
    """How alike (0..1) and how close in time two items must be to share a story."""

    threshold: float = 0.30
    window: timedelta = timedelta(hours=48)

    @classmethod
    def from_settings(cls, threshold: float | None, window: timedelta | None) -> GroupingParams:
        """`[settings] story_threshold / story_window`; None keeps the measured default."""
        default = cls()
        return cls(
            threshold=default.threshold if threshold is None else float(threshold),
            window=default.window if window is None else window,
        )


# Weight of the word similarity (title + lead); the rest goes to title character n-grams.
_WORD_WEIGHT = 0.5
_CHAR_SIZES = (3, 4, 5)
_CHAR_FULL = False
_PHASES: tuple[tuple[str, float], ...] = (("average", 1.0),)
_TITLE_ONLY_BOOST = 1.0
_DECAY = 0.0
_GRACE_HOURS = 12.0
_OUTLET_PENALTY = 0.0
_OUTLET_HOURS = 24.0
_OUTLET_EXEMPT = 1.01
# Pairs below this share of the threshold count as 0 in group averages (keeps the graph sparse).
_FLOOR_SHARE = 0.5
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
    announces announced claim claims claimed""".split()
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
    grams: list[str] = []
    for word in _TOKEN.findall(_normalise(text)):
        padded = f" {word} "
        for size in _CHAR_SIZES:
            grams.extend(padded[k : k + size] for k in range(len(padded) - size + 1))
    return grams


def _tfidf(docs: Sequence[Sequence[str]]) -> csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised; terms seen in one document only are dropped after
    normalising (they lower a long text's similarity but never match anything)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for doc in docs:
        tally = Counter(vocabulary.setdefault(term, len(vocabulary)) for term in doc)
        indices.extend(tally.keys())
        counts.extend(tally.values())
        indptr.append(len(indices))
    n = len(docs)
    matrix = csr_matrix(
        (np.asarray(counts, dtype=np.float32), np.asarray(indices, dtype=np.int32),
         np.asarray(indptr, dtype=np.int64)),
        shape=(n, max(1, len(vocabulary))),
    )
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = csr_matrix(matrix.multiply(1.0 / norms[:, None]), dtype=np.float32)
    matrix.data[df[matrix.indices] < 2] = 0.0
    matrix.eliminate_zeros()
    return matrix


def _features(items: Sequence[Item], order: Sequence[int]) -> csr_matrix:
    """One row per item (in `order`); a row dot product is the weighted mean of the cosines."""
    from scipy.sparse import hstack

    words = _tfidf([_words(f"{items[i].title} {items[i].summary}") for i in order])
    if _CHAR_FULL:
        chars = _tfidf([_char_grams(f"{items[i].title} {items[i].summary}") for i in order])
    else:
        chars = _tfidf([_char_grams(items[i].title) for i in order])
    return hstack(
        [words * math.sqrt(_WORD_WEIGHT), chars * math.sqrt(1.0 - _WORD_WEIGHT)], format="csr"
    )


def _pair_scores(
    items: Sequence[Item], order: Sequence[int], params: GroupingParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scored pairs (positions in `order`, row later than column) within the window and above the
    floor, computed block by block along time so no n x n matrix is ever built."""
    import numpy as np

    features = _features(items, order)
    seconds = np.array([items[i].published.timestamp() for i in order], dtype=np.float64)
    names: dict[str, int] = {}
    outlet = np.array([names.setdefault(items[i].outlet, len(names)) if items[i].outlet else -1
                       for i in order])
    bare = np.array([not items[i].summary.strip() for i in order])
    window = params.window.total_seconds()
    floor = params.threshold * _FLOOR_SHARE
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    sims: list[np.ndarray] = []
    n = len(order)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        first = int(np.searchsorted(seconds, seconds[start] - window, side="left"))
        block = (features[start:stop] @ features[first:stop].T).tocoo()
        r = block.row + start
        c = block.col + first
        keep = (c < r) & (block.data >= floor) & (seconds[r] - seconds[c] <= window)
        r, c, data = r[keep], c[keep], block.data[keep].astype(np.float64)
        if _OUTLET_PENALTY:
            same = (outlet[r] == outlet[c]) & (outlet[r] >= 0) & (data < _OUTLET_EXEMPT)
            same &= seconds[r] - seconds[c] <= _OUTLET_HOURS * 3600
            data[same] -= _OUTLET_PENALTY
        if _DECAY:
            late = np.maximum(0.0, seconds[r] - seconds[c] - _GRACE_HOURS * 3600)
            data -= _DECAY * late / max(1.0, window - _GRACE_HOURS * 3600)
        if _TITLE_ONLY_BOOST != 1.0:
            data[bare[r] | bare[c]] *= _TITLE_ONLY_BOOST
        rows.append(r)
        cols.append(c)
        sims.append(data)
    if not rows:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def _average_linkage(
    n: int, rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, threshold: float,
    phases: Sequence[tuple[str, float]] = (("average", 1.0),),
) -> list[int]:
    """Cluster label per item: average linkage (missing pairs count 0) stopped at `threshold`.

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
    """Average-linkage merges within one component; writes the smallest member as label."""
    members: dict[int, list[int]] = {}
    links: dict[int, dict[int, float]] = {}
    inner: dict[int, float] = {}
    for a, b, s in edges:
        members.setdefault(a, [a])
        members.setdefault(b, [b])
        inner.setdefault(a, 1.0)
        inner.setdefault(b, 1.0)
        links.setdefault(a, {})[b] = s
        links.setdefault(b, {})[a] = s
    cosine = False

    def score(a: int, b: int, total: float) -> float:
        if cosine:
            return total / math.sqrt(max(inner[a], 1e-9) * max(inner[b], 1e-9))
        return total / (len(members[a]) * len(members[b]))

    for linkage, share in phases:
        cosine = linkage == "cosine"
        _merge(members, links, inner, score, threshold * share)
    for group in members.values():
        label = min(group)
        for index in group:
            labels[index] = label


def _merge(members, links, inner, score, threshold):
    heap = []
    for a, neighbours in links.items():
        for b, total in neighbours.items():
            if a < b:
                value = score(a, b, total)
                if value >= threshold:
                    heap.append((-value, a, b))
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        total = links[a].get(b, 0.0)
        if abs(score(a, b, total) + negative) > 1e-12:
            continue
        keep, gone = (a, b) if len(links[a]) >= len(links[b]) else (b, a)
        members[keep].extend(members.pop(gone))
        inner[keep] = inner[keep] + inner.pop(gone) + 2 * total
        gone_links = links.pop(gone)
        keep_links = links[keep]
        keep_links.pop(gone, None)
        gone_links.pop(keep, None)
        for other, other_total in gone_links.items():
            keep_links[other] = keep_links.get(other, 0.0) + other_total
            other_links = links[other]
            other_links.pop(gone, None)
            other_links[keep] = keep_links[other]
        for other, other_total in keep_links.items():
            value = score(keep, other, other_total)
            if value >= threshold:
                heapq.heappush(heap, (-value, min(keep, other), max(keep, other)))


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
    """Why two items of a story look alike: their score and the words they share."""

    i: int
    j: int
    score: float
    shared_terms: tuple[str, ...]
    joined: bool

    def to_json(self) -> dict[str, Any]:
        return {"i": self.i, "j": self.j, "score": round(self.score, 4),
                "shared_terms": list(self.shared_terms), "joined": self.joined}


@dataclass(frozen=True)
class GroupExplanation:
    """Evidence for one story: every pair's score and shared terms, and the links that joined
    the items (`joined`: pairs at or above the threshold, which the average linkage used).

    Scores are recomputed over the story's own items, so term weights differ slightly from the
    run that formed the story; `threshold` and `window` are the settings used.
    """

    threshold: float
    window_hours: float
    pairs: tuple[PairEvidence, ...]
    shared_terms: tuple[str, ...]

    @property
    def links(self) -> tuple[PairEvidence, ...]:
        return tuple(pair for pair in self.pairs if pair.joined)

    def to_json(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "window_hours": self.window_hours,
                "shared_terms": list(self.shared_terms),
                "pairs": [pair.to_json() for pair in self.pairs]}


_EXPLAIN_MAX_PAIRS = 200


def explain_group(items: Sequence[Item], params: GroupingParams | None = None) -> GroupExplanation:
    """Pair scores and shared terms for the items of one story (indices into `items`).

    Pairs are listed strongest first, at most 200 of them for very large stories.
    """
    params = params or GroupingParams()
    hours = params.window.total_seconds() / 3600
    if len(items) < 2:
        return GroupExplanation(params.threshold, hours, (), ())
    order = list(range(len(items)))
    features = _features(items, order)
    scores = (features @ features.T).toarray()
    words = [set(_words(f"{item.title} {item.summary}")) for item in items]
    pairs = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            within = abs(items[i].published - items[j].published) <= params.window
            score = float(scores[i, j]) if within else 0.0
            shared = tuple(sorted(words[i] & words[j], key=lambda w: (-len(w), w))[:8])
            pairs.append(PairEvidence(i, j, score, shared, score >= params.threshold))
    pairs.sort(key=lambda p: (-p.score, p.i, p.j))
    counts = Counter(w for bag in words for w in bag)
    common = tuple(w for w, c in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0])) if c > 1)
    return GroupExplanation(params.threshold, hours, tuple(pairs[:_EXPLAIN_MAX_PAIRS]), common[:12])


def assign_topics(stories: Sequence[Story], rules: Sequence[TopicRule]) -> list[Topic]:
    """Stories -> topics; see `counterpoint.topics`."""
    from counterpoint.topics import assign_topics as assign

    return assign(stories, rules)
