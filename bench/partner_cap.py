"""Experiment (not the shipped method): each item keeps only its K best pairs before linkage.

    python bench/partner_cap.py K [bench/grouping.py's arguments]   # the table with the cap
    python bench/partner_cap.py K --speed                           # CPU and pairs kept

Candidate pairs grow ~n^1.9 in a fixed window; a per-item cap would bound what linkage (and,
applied inside the blocks, the pair rules) sees. Here the cap is applied to `pair_scores`'
output: a pair stays when it is among the K highest-scoring pairs of either of its items
(ties: the earlier pair). K = 0: no cap (today's method). Results: bench/README.md, round g18.
"""

from __future__ import annotations

import sys
import time

import numpy as np

import grouping
import grouping_speed
from counterpoint.stories import group

KEPT: list[tuple[int, int]] = []  # pairs before / after the cap, per call
_pair_scores = group.pair_scores


def capped(items, order, params, floor=None):  # type: ignore[no-untyped-def]
    """`pair_scores` with each item's K best pairs kept (K from the command line)."""
    rows, cols, sims = _pair_scores(items, order, params, floor)
    if not CAP or not len(sims):
        return rows, cols, sims
    ends = np.concatenate([rows, cols]).astype(np.int64)
    pair = np.concatenate([np.arange(len(sims)), np.arange(len(sims))])
    ranked = np.lexsort((pair, -np.concatenate([sims, sims]), ends))  # by item, best first
    ends = ends[ranked]
    rank = np.arange(len(ends)) - np.searchsorted(ends, ends, side="left")
    keep = np.zeros(len(sims), dtype=bool)
    keep[pair[ranked][rank < CAP]] = True
    KEPT.append((len(sims), int(keep.sum())))
    return rows[keep], cols[keep], sims[keep]


def speed() -> None:
    params = group.GroupingParams.from_settings(None, None, grouping.shipped_lexicon())
    for n in (10000, 20000):
        name, items = grouping_speed.workloads(n)[0]
        group.group_items(items[:50], params)
        best = float("inf")
        for _ in range(2):
            KEPT.clear()
            start = time.process_time()
            group.group_items(items, params)
            best = min(best, time.process_time() - start)
        print(f"K={CAP} {len(items)} items {name}: CPU {best:.2f} s, pairs (before, kept) "
              f"{KEPT[-1] if KEPT else '-'}", flush=True)


CAP = int(sys.argv[1]) if len(sys.argv) > 1 else 0

if __name__ == "__main__":
    group.pair_scores = capped
    if sys.argv[2:3] == ["--speed"]:
        speed()
    else:
        raise SystemExit(grouping.main(sys.argv[2:]))
