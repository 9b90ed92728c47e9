"""Counterpoint 0.1's story grouping, kept unchanged for comparison in bench/grouping.py
("before"): src/counterpoint/stories/group.py as of commit abbc6d5 without the explanation
records and with comments trimmed; the agglomeration (stories/linkage.py) is unchanged since.
Not used by the application; see counterpoint.stories for the current method."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain
from typing import TYPE_CHECKING

from counterpoint.models import Item
from counterpoint.stories.linkage import average_linkage  # unchanged since 0.1

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

__all__ = ["GroupingParams", "group_items"]


@dataclass(frozen=True)
class GroupingParams:

    threshold: float = 0.18
    window: timedelta = timedelta(hours=48)

    @classmethod
    def from_settings(cls, threshold: float | None, window: timedelta | None) -> GroupingParams:
        default = cls()
        return cls(
            threshold=default.threshold if threshold is None else float(threshold),
            window=default.window if window is None else window,
        )


_WORD_WEIGHT = 0.5  # word cosine (title + lead); the rest is title character 4-gram cosine
_CHAR_SIZES = (4,)  # 3-5-grams scored the same and cost 3x the time
_COMMON_SHARE = 0.1  # terms in more than this share of a large batch (>= 500 items) are dropped
_COMMON_MIN = 50
_DECAY = 0.4  # score lost by a pair `window` apart; nothing within the grace period
_GRACE_HOURS = 12.0
_DATE_ONLY_HOURS = (14.0, 36.0)
_UNDATED_HOURS = 48.0  # an undated item appeared up to this long before it was first seen
_TITLE_ONLY_BOOST = 1.3  # headline-only pairs score lower for the same event: scale them up
_FLOOR_SHARE = 0.5  # pairs below this share of the threshold count as 0 in group averages
_PHASES: tuple[tuple[str, float], ...] = (("average", 1.0), ("cosine", 1.0))
_OUTLET_SHARE = 0.3
_OUTLET_MIN = 4
_OUTLET_COUNT = 3
_OUTLET_LIFT = 5.0
_INFO_SHARE = 0.1
_INFO_MIN = 3
_ONE_UNIT_FACTOR = 0.7
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
    return sorted(
        range(len(items)),
        key=lambda i: (items[i].published, items[i].title, items[i].key, items[i].outlet, i),
    )


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _grams(tokens: Sequence[str]) -> list[str]:
    grams: list[str] = []
    for word in tokens:
        padded = f" {word} "
        for size in _CHAR_SIZES:
            grams.extend([padded[k : k + size] for k in range(len(padded) - size + 1)])
    return grams


def _encode(docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, int]:
    import numpy as np

    terms = [term for doc in docs for term in doc]
    vocabulary = {term: k for k, term in enumerate(dict.fromkeys(terms))}
    ids = np.fromiter(map(vocabulary.__getitem__, terms), dtype=np.int64, count=len(terms))
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), [len(doc) for doc in docs])
    return ids, owner, max(1, len(vocabulary))


def tfidf(docs: Sequence[Sequence[str]],
           encoded: tuple[np.ndarray, np.ndarray, int] | None = None) -> csr_matrix:
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
        cells = cells[np.bincount(cells % width, minlength=width)[cells % width] >= 2]
        matrices.append(csr_matrix(
            (np.ones(len(cells), dtype=np.float32), (cells // width, cells % width)),
            shape=(n, width)))
    return matrices[0], matrices[1]


def _distinct(values: np.ndarray) -> np.ndarray:
    import numpy as np

    ordered: np.ndarray = np.sort(values)
    if len(ordered):
        ordered = ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]
    return ordered


def _one_unit(units: tuple[csr_matrix, csr_matrix], r: np.ndarray, c: np.ndarray
              ) -> np.ndarray:
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
    import numpy as np

    counts: np.ndarray = np.asarray(matrix[r].multiply(matrix[c]).sum(axis=1)).ravel()
    return counts


def _time_bounds(items: Sequence[Item], order: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
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
    import numpy as np

    grace = _GRACE_HOURS * 3600
    late = np.maximum(0.0, gap - grace) / max(1.0, window - grace)
    result: np.ndarray = (text - _DECAY * late) * np.where(bare, _TITLE_ONLY_BOOST, 1.0)
    return result
