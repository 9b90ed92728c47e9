"""Speed, memory and sameness of story grouping (`bench/grouping.py --timing N`).

    python bench/grouping_speed.py --save      # record every set's partition (reference method)
    python bench/grouping_speed.py             # compare every set's partition to the record
    python bench/grouping.py --timing 10000    # time and peak memory, against 0.1

The record (`bench/partitions.json`) holds a hash of each set's partition made by the grouping
rules of round 5 (branch q12: anchor rule, outlet runs, live-blog lead; with main's Persian
rules; re-recorded from round 4's): a faster method must give the same stories on every set of
the table and on the timing workloads.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grouping
import legacy_grouping
from counterpoint.models import Item
from counterpoint.stories.group import GroupingParams, group_items

RECORD = Path(__file__).with_name("partitions.json")


def workloads(n: int) -> list[tuple[str, list[Item]]]:
    """n headlines with their leads (the real days, then allsides2021 dev, then NeuS items,
    then UCI headlines) spread over two days, at ~35 items/day, and squeezed into one day."""
    rows = [json.loads(line) for day in sorted(grouping.REAL_DAYS.iterdir()) if day.is_dir()
            for line in (day / "items.jsonl").open(encoding="utf-8")]
    for name in ("allsides2021.dev.jsonl", "allsides_neusprobe.dev.jsonl",
                 "ucinewsagg_head.dev.jsonl"):
        rows += [json.loads(line) for line in (grouping.DATA / name).open(encoding="utf-8")]
    rows = rows[:n]
    rng = random.Random(0)
    start = datetime(2021, 4, 22, tzinfo=UTC)
    return [(f"over {days:g} days",
             [grouping._item(row, start + timedelta(days=days) * rng.random()) for row in rows])
            for days in (2, n / 35, 1)]


def timing(n: int, repeats: int = 3) -> None:
    """Best-of-`repeats` time (now and 0.1 interleaved: the box is shared) and the peak of
    traced memory (numpy/scipy buffers included) of one more run of each, per workload."""
    cases = workloads(n)
    params = GroupingParams.from_settings(None, None, grouping.shipped_lexicon())
    group_items(cases[0][1][:50], params)  # import numpy / scipy once, outside the timing
    legacy_grouping.group_items(cases[0][1][:50])
    for name, items in cases:
        now, before = [], []
        for _ in range(repeats):
            now.append(_timed(lambda batch=items: group_items(batch, params)))
            before.append(_timed(lambda batch=items: legacy_grouping.group_items(batch)))
        peak_now = _peak(lambda batch=items: group_items(batch, params))
        peak_before = _peak(lambda batch=items: legacy_grouping.group_items(batch))
        print(f"{len(items)} items {name}: now {min(now):.3f} s {peak_now:.0f} MB, "
              f"before (0.1) {min(before):.3f} s {peak_before:.0f} MB (best of {repeats}, "
              "interleaved in one process; MB = traced peak of one run)", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole process {peak:.0f} MB")


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _peak(call: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def fingerprint(groups: Sequence[Sequence[int]]) -> str:
    """The partition, independent of group and member order."""
    canonical = sorted(sorted(group) for group in groups)
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()[:16]


def partitions(n: int) -> dict[str, str]:
    params = GroupingParams.from_settings(None, None, grouping.shipped_lexicon())
    found: dict[str, str] = {}
    named = [(name, batch.items) for name, batches in grouping.standard_sets()
             for k, batch in enumerate(batches) if name != "real days pooled"
             for name in [name if len(batches) == 1 else f"{name} #{k}"]]
    for name, items in [*named, *[(f"{n} {label}", items) for label, items in workloads(n)]]:
        found[name] = fingerprint(group_items(items, params))
        print(f"{name}: {len(items)} items, partition {found[name]}", flush=True)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", action="store_true", help="record the partitions")
    parser.add_argument("-n", type=int, default=10000, help="timing workload size")
    args = parser.parse_args(argv)
    found = partitions(args.n)
    if args.save:
        RECORD.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
        return 0
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    differ = [name for name in record if found.get(name) != record[name]]
    print("partitions identical on every set" if not differ else f"DIFFERENT: {differ}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
