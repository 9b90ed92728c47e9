"""Runs of words an outlet repeats under different titles (`tokens.item_tokens`' outlet-run
rule): which runs of a batch may be held under two titles of one outlet, found by hashing.

numpy is imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

from counterpoint.stories import arrays

__all__ = ["outlet_words", "shared_runs"]

_MIX = 0x9E3779B97F4A7C15  # an odd 64-bit multiplier for the runs' hashes


def shared_runs(texts: Sequence[Sequence[str]], outlets: Sequence[Sequence[int]],
                titles: Sequence[str], width: int) -> dict[int, list[int]]:
    """Per text, the starts of its runs of `width` words whose hash (words and outlet)
    some text of the same outlet under another title also holds: a superset of the runs held
    under two titles (equal runs hash alike; a collision only adds a start), found with one
    sort of the runs' hashes instead of a tuple per run. Outlets are taken `_RUN_CHUNK` words
    at a time (a run is only compared within its outlet): the arrays stay small."""
    found: dict[int, list[int]] = {}
    chunk: list[Sequence[int]] = []
    held = 0
    for members in outlets:
        chunk.append(members)
        held += sum(len(texts[p]) for p in members)
        if held >= _RUN_CHUNK:
            _chunk_runs(texts, chunk, titles, width, found)
            chunk, held = [], 0
    if chunk:
        _chunk_runs(texts, chunk, titles, width, found)
    return found


_RUN_CHUNK = 1 << 16


def _chunk_runs(texts: Sequence[Sequence[str]], outlets: Sequence[Sequence[int]],
                titles: Sequence[str], width: int, found: dict[int, list[int]]) -> None:
    """`shared_runs` for some outlets, into `found`."""
    import numpy as np

    docs = [p for members in outlets for p in members if len(texts[p]) >= width]
    if not docs:
        return
    title_ids: dict[tuple[int, str], int] = {}
    outlet_of: list[int] = []
    title_of: list[int] = []
    for number, members in enumerate(outlets):
        for p in members:
            if len(texts[p]) >= width:
                outlet_of.append(number)
                title_of.append(title_ids.setdefault((number, titles[p]), len(title_ids)))
    lengths = np.array([len(texts[p]) for p in docs], dtype=np.int64)
    ends = np.cumsum(lengths)
    total = int(ends[-1])
    hashes = np.fromiter(map(hash, chain.from_iterable(texts[p] for p in docs)),
                         dtype=np.int64, count=total).view(np.uint64)
    mix = np.uint64(_MIX)
    runs = total - width + 1  # run k covers words k .. k + width - 1
    key = hashes[:runs].copy()
    for step in range(1, width):
        key *= mix
        key += hashes[step:runs + step]
    del hashes
    key *= mix
    key += np.repeat(np.array(outlet_of, dtype=np.uint64), lengths)[:runs]
    valid = np.ones(runs, dtype=bool)
    for back in range(1, width):  # runs that would cross into the next text
        tail = ends - back
        valid[tail[tail < runs]] = False
    spot = np.flatnonzero(valid)
    key = key[spot]
    title = np.repeat(np.array(title_of, dtype=np.int64), lengths)[spot]
    order = np.argsort(key)
    ordered = key[order]
    del key
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    del ordered
    title = title[order]
    differ = np.minimum.reduceat(title, starts) != np.maximum.reduceat(title, starts)
    size = np.diff(np.append(starts, len(order)))
    chosen = spot[np.sort(order[np.repeat(differ, size)])]
    doc = np.searchsorted(ends, chosen, side="right")
    local = chosen - (ends - lengths)[doc]
    for number, k in zip(doc.tolist(), local.tolist(), strict=True):
        found.setdefault(docs[number], []).append(k)


def outlet_words(texts: Sequence[Sequence[str]], outlets: Sequence[Sequence[int]], total: int,
                 *, count: int, share: float, lift: float) -> list[set[str]]:
    """Per outlet (its texts' positions), the words in at least `count` of its texts and in
    more than `share` of them that are at least `lift` times rarer in the other `total` -
    size texts: `Counter`s of each text's word set, counted with one sort of (text, word)."""
    import numpy as np

    if not outlets:
        return []
    words = dict.fromkeys(chain.from_iterable(texts))
    index = {word: k for k, word in enumerate(words)}
    width = max(1, len(index))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ids = np.fromiter(map(index.__getitem__, chain.from_iterable(texts)), dtype=np.int64,
                      count=int(lengths.sum()))
    cells = arrays.distinct(np.repeat(np.arange(len(texts), dtype=np.int64), lengths) * width + ids)
    del ids
    held = cells % width  # each text's distinct words
    everywhere = np.bincount(held, minlength=width)
    group = np.full(len(texts), -1, dtype=np.int64)
    for number, members in enumerate(outlets):
        group[list(members)] = number
    owner = group[cells // width]
    mine = owner >= 0
    keys = np.sort(owner[mine] * width + held[mine])
    del cells, held, owner, mine
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])[:len(keys)])
    found = np.diff(np.append(starts, len(keys)))  # texts of the outlet holding the word
    keys = keys[starts]
    outlet, word = keys // width, keys % width
    size = np.array([len(members) for members in outlets], dtype=np.int64)[outlet]
    others = np.maximum(1, total - size)
    common = ((found >= count) & (found > share * size)
              & (found / size >= lift * (everywhere[word] - found) / others))
    spelling = list(words)
    result: list[set[str]] = [set() for _ in outlets]
    for number, term in zip(outlet[common].tolist(), word[common].tolist(), strict=True):
        result[number].add(spelling[term])
    return result
