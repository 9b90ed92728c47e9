"""Group items into stories: the same event reported by different outlets.

A pair of items is scored by TF-IDF cosine over the words of title + lead and over character
4-grams of the title (any script, inflections), less a time decay, and only within the window.
Outlet boilerplate (repeated kickers, "Subscribe to our channel" footers) is removed first; a
pair resting on a single shared informative word or name keeps only part of its score; the
decay runs on the gap between the earliest and latest plausible times (a date-only timestamp
is a whole day anywhere on Earth, an undated item may be older than when it was seen).
Groups come from agglomeration on that sparse graph: average linkage first, so one lucky pair
cannot chain two events together, then centroid linkage, so a large story can absorb items that
match it as a whole. Precision comes first: a wrong merge hides a story from the reader, a split
only repeats it. Every constant below was measured with bench/grouping.py (bench/README.md).

numpy and scipy are imported inside functions so `import counterpoint.stories.group` stays cheap.
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
from itertools import chain
from typing import TYPE_CHECKING, Any

from counterpoint.models import Item
from counterpoint.stories.normalize import PERSIAN_STOPWORDS

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

__all__ = [
    "GroupExplanation",
    "GroupingParams",
    "MergeStep",
    "PairEvidence",
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
# A 00:00:00 UTC timestamp is a date without time or zone: that calendar day anywhere on Earth
# (UTC-12 .. UTC+14) runs from 14 h before to 36 h after its UTC midnight.
_DATE_ONLY_HOURS = (14.0, 36.0)
_UNDATED_HOURS = 48.0  # an undated item appeared up to this long before it was first seen
_TITLE_ONLY_BOOST = 1.3  # headline-only pairs score lower for the same event: scale them up
_FLOOR_SHARE = 0.5  # pairs below this share of the threshold count as 0 in group averages
# Average linkage builds tight cores; cosine linkage (group centroids) then lets large stories
# absorb items that match the story as a whole rather than each item in it.
_PHASES: tuple[tuple[str, float], ...] = (("average", 1.0), ("cosine", 1.0))
# Outlet boilerplate (see `item_tokens`): summary words in more than 30 % of the items of an
# outlet with >= 4 items in the batch, in >= 3 of them, and >= 5x rarer in other outlets' items;
# title kickers/tails an outlet repeats on >= 3 items. Without the lift test it cut UCI stories
# (publishers post many items on one story) from 0.768 to 0.704 B3 F1.
_OUTLET_SHARE = 0.3
_OUTLET_MIN = 4
_OUTLET_COUNT = 3
_OUTLET_LIFT = 5.0
# A pair sharing fewer than 2 informative units (words in 2 .. max(3, 10 % of the batch) items;
# an adjacent run counts half its length, rounded up) keeps 0.7 of its score: one shared name
# or word is weak evidence, above all in a small batch where IDF is weak. 0 (a veto) cut UCI to
# 0.53; 0.5 cost UCI recall; 0.7 raised density precision.
_INFO_SHARE = 0.1
_INFO_MIN = 3
_ONE_UNIT_FACTOR = 0.7
# Each item keeps all its pairs at or above the threshold but only its 10 + 2 x (that count)
# strongest weaker pairs: same partitions on the dev sets, 25 % faster when a day is packed.
_WEAK_BASE = 10
_WEAK_SCALE = 2
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
) | PERSIAN_STOPWORDS


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
    labels = average_linkage(n, rows, cols, sims, params.threshold, _PHASES)
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
    return _grams(_TOKEN.findall(_normalise(text)))


def _grams(tokens: Sequence[str]) -> list[str]:
    grams: list[str] = []
    for word in tokens:
        padded = f" {word} "
        for size in _CHAR_SIZES:
            grams.extend([padded[k : k + size] for k in range(len(padded) - size + 1)])
    return grams


def _encode(docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, int]:
    """Term ids of all documents' terms in order, the document of each, and the vocabulary size."""
    import numpy as np

    terms = [term for doc in docs for term in doc]
    vocabulary = {term: k for k, term in enumerate(dict.fromkeys(terms))}
    ids = np.fromiter(map(vocabulary.__getitem__, terms), dtype=np.int64, count=len(terms))
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), [len(doc) for doc in docs])
    return ids, owner, max(1, len(vocabulary))


def tfidf(docs: Sequence[Sequence[str]],
           encoded: tuple[np.ndarray, np.ndarray, int] | None = None) -> csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised. After normalising, terms seen in one document only
    (they lower a long text's similarity but never match anything) and terms common to much of a
    large batch (little evidence, most of the multiplication cost) are dropped."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(docs)
    ids, owner, size = encoded or _encode(docs)
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


_KICKER = re.compile(r"([^:|]{1,40}?)\s*[:|]\s+(?=\S)")
_TAIL = re.compile(r"\s(?:[|\u2013\u2014]|-)\s+([^|\u2013\u2014]{1,40})$")


def item_tokens(items: Sequence[Item]) -> list[tuple[list[str], list[str]]]:
    """Per item, the folded words of its title and of its summary, without the outlet's
    boilerplate in this batch.

    Boilerplate says which outlet wrote an item, not what happened: a title kicker or tail that
    an outlet repeats on `_OUTLET_COUNT` or more items ("Coronavirus: …", "… | Inside Story"), and
    in summaries, words in more than `_OUTLET_SHARE` of the items of an outlet with at least
    `_OUTLET_MIN` items that are at least `_OUTLET_LIFT` times rarer in other outlets' items
    ("Subscribe to our channel … #AJSubscribe"). Items of an unknown outlet ("") keep all.
    """
    titles = [_normalise(item.title).strip() for item in items]
    summaries = [_TOKEN.findall(_normalise(item.summary)) for item in items]
    by_outlet: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        if item.outlet:
            by_outlet.setdefault(item.outlet, []).append(position)
    crowded = [m for m in by_outlet.values() if len(m) >= _OUTLET_COUNT]
    everywhere: Counter[str] | None = None
    for members in crowded:
        heads = {p: m.group(1).strip() for p in members if (m := _KICKER.match(titles[p]))}
        tails = {p: m.group(1).strip() for p in members if (m := _TAIL.search(titles[p]))}
        repeated = Counter([*heads.values(), *tails.values()])
        for p in members:
            if repeated[heads.get(p, "")] >= _OUTLET_COUNT:
                titles[p] = _KICKER.sub("", titles[p], count=1)
            if repeated[tails.get(p, "")] >= _OUTLET_COUNT:
                titles[p] = _TAIL.sub("", titles[p])
        size = len(members)
        if size < _OUTLET_MIN:
            continue
        if everywhere is None:
            everywhere = Counter(chain.from_iterable(map(set, summaries)))
        counts = Counter(chain.from_iterable(set(summaries[p]) for p in members))
        others = max(1, len(items) - size)
        common = {
            term for term, count in counts.items()
            if count >= _OUTLET_COUNT and count > _OUTLET_SHARE * size
            and count / size >= _OUTLET_LIFT * (everywhere[term] - count) / others
        }
        if common:
            for p in members:
                summaries[p] = [w for w in summaries[p] if w not in common]
    return [(_TOKEN.findall(title), words) for title, words in zip(titles, summaries, strict=True)]


def _features(items: Sequence[Item], order: Sequence[int]
              ) -> tuple[csr_matrix, tuple[csr_matrix, csr_matrix]]:
    """One row per item (in `order`): TF-IDF features, whose row dot product is the weighted
    mean of the cosines, and evidence units (see `_units`)."""
    from scipy.sparse import hstack

    tokens = item_tokens([items[i] for i in order])
    bags = [[w for w in title + summary if w not in STOPWORDS] for title, summary in tokens]
    encoded = _encode(bags)
    words = tfidf(bags, encoded)
    spelled = {word: _grams((word,)) for word in set(chain.from_iterable(t for t, _ in tokens))}
    chars = tfidf([[gram for word in title for gram in spelled[word]] for title, _ in tokens])
    features = hstack(
        [words * math.sqrt(_WORD_WEIGHT), chars * math.sqrt(1.0 - _WORD_WEIGHT)], format="csr"
    )
    return features, _units(len(bags), encoded)


def _units(n: int, encoded: tuple[np.ndarray, np.ndarray, int]) -> tuple[csr_matrix, csr_matrix]:
    """Binary rows of each text's informative words (in at least 2 and at most `_INFO_SHARE` of
    the texts, at least `_INFO_MIN`) and of its adjacent pairs of them; see `_one_unit`."""
    import numpy as np
    from scipy.sparse import csr_matrix

    ids, owner, size = encoded
    df = np.bincount(_distinct(owner * size + ids) % size, minlength=size)
    informative = (df >= 2) & (df <= max(_INFO_MIN, _INFO_SHARE * n))
    kept = informative[ids]
    after = kept[:-1] & kept[1:] & (owner[:-1] == owner[1:]) & (ids[:-1] != ids[1:])
    _, column = np.unique(ids[:-1][after] * size + ids[1:][after], return_inverse=True)
    matrices = []
    for doc, term in ((owner[kept], ids[kept]), (owner[:-1][after], column.ravel())):
        width = int(term.max()) + 1 if len(term) else 1
        cells = _distinct(doc * width + term)
        # A unit in one text only never counts for a pair (informative words are in >= 2).
        cells = cells[np.bincount(cells % width, minlength=width)[cells % width] >= 2]
        matrices.append(csr_matrix(
            (np.ones(len(cells), dtype=np.float32), (cells // width, cells % width)),
            shape=(n, width)))
    return matrices[0], matrices[1]


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (plain np.unique hashes in numpy 2.4: 40x slower here)."""
    import numpy as np

    ordered: np.ndarray = np.sort(values)
    if len(ordered):
        ordered = ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]
    return ordered


def _one_unit(units: tuple[csr_matrix, csr_matrix], r: np.ndarray, c: np.ndarray
              ) -> np.ndarray:
    """Mask of the pairs r[k], c[k] that share fewer than 2 informative units: shared
    informative words, where a run of them adjacent in both texts counts half its length,
    rounded up ("Boris Johnson", "Mother's Day" are one unit each; "police station in Zahedan
    after Friday prayers" three). Runs only matter for 2 or 3 shared words: fewer are always
    < 2 units, more always at least ceil(4 / 2) = 2."""
    import numpy as np

    words, pairs = units
    shared = _shared_counts(words, r, c)
    few: np.ndarray = shared < 2
    maybe = np.flatnonzero((shared >= 2) & (shared < 4))
    if len(maybe):
        some = shared[maybe]
        joined = _shared_counts(pairs, r[maybe], c[maybe])
        few[maybe] = np.maximum(some - joined, np.ceil(some / 2)) < 2
    return few


def _shared_counts(matrix: csr_matrix, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Nonzero columns rows r[k] and c[k] of a binary matrix share."""
    import numpy as np

    counts: np.ndarray = np.asarray(matrix[r].multiply(matrix[c]).sum(axis=1)).ravel()
    return counts


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


def _pair_scores(
    items: Sequence[Item], order: Sequence[int], params: GroupingParams, floor: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scored pairs (positions in `order`, row later than column) within the window whose text
    similarity reaches the floor, computed block by block along time (no n x n matrix)."""
    import numpy as np

    features, units = _features(items, order)
    own = np.diff(units[0].indptr)
    seconds = np.array([items[i].published.timestamp() for i in order], dtype=np.float64)
    early, late = _time_bounds(items, order)
    slack = float(np.max(seconds - early) + np.max(late - seconds))
    bare = np.array([not items[i].summary.strip() for i in order], dtype=bool)
    window = params.window.total_seconds()
    floor = params.threshold * _FLOOR_SHARE if floor is None else floor
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    sims: list[np.ndarray] = []
    n = len(order)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        first = int(np.searchsorted(seconds, seconds[start] - window - slack, side="left"))
        block = features[start:stop] @ features[first:stop].T
        found = np.flatnonzero(block.data >= floor)
        r = np.searchsorted(block.indptr, found, side="right").astype(np.int64) - 1 + start
        c = block.indices[found].astype(np.int64) + first
        keep = c < r
        r, c, text = r[keep], c[keep], block.data[found[keep]]
        gap = np.maximum(0.0, np.maximum(early[r] - late[c], early[c] - late[r]))
        keep = gap <= window
        r, c = r[keep], c[keep]
        rows.append(r)
        cols.append(c)
        score = _adjust(text[keep].astype(np.float64), gap[keep], bare[r] | bare[c], window)
        if _ONE_UNIT_FACTOR != 1.0 and len(r):
            thin = np.flatnonzero(np.minimum(own[r], own[c]) >= 2)
            score[thin[_one_unit(units, r[thin], c[thin])]] *= _ONE_UNIT_FACTOR
        sims.append(score)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def _adjust(text: np.ndarray, gap: np.ndarray, bare: np.ndarray, window: float) -> np.ndarray:
    """Text similarity -> pair score: time decay past the grace period, headline-only boost."""
    import numpy as np

    grace = _GRACE_HOURS * 3600
    late = np.maximum(0.0, gap - grace) / max(1.0, window - grace)
    result: np.ndarray = (text - _DECAY * late) * np.where(bare, _TITLE_ONLY_BOOST, 1.0)
    return result


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
    node = np.concatenate([rows[finite], cols[finite]])  # changes no finite pair's rank
    value = np.concatenate([sims[finite], sims[finite]])
    edge = np.concatenate([finite, finite])
    order = np.lexsort((edge, -value, node))
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

    def merge(self, threshold: float, *, centroid: bool) -> None:
        """Join the best-scoring pair of groups until none reaches `threshold`."""
        self.centroid = centroid
        links = self.links
        norm = self._norms()
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
            for other, other_total in links[keep].items():
                value = other_total * kept * norm[other]
                if value >= threshold:
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


def story_title(items: Sequence[Item]) -> str:
    """The headline of the item most like the others (ties: earliest), as plain text."""
    if not items:
        return ""
    order = _time_order(items)
    if len(items) <= 2:
        return items[order[0]].title.strip()
    import numpy as np

    features, _ = _features(items, order)
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
