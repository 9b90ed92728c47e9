"""Speed, memory and sameness of story grouping (`bench/grouping.py --timing N`).

    python bench/grouping_speed.py --save      # record every set's partition (reference method)
    python bench/grouping_speed.py             # compare every set's partition to the record
    python bench/grouping.py --timing 10000    # time and peak memory, against 0.1
    python bench/grouping_speed.py --baseline main [--repeat 3]  # against a git ref, same run

`--timing`'s "0.1" is `legacy_grouping`, which calls today's `stories.linkage`: it no longer
times 0.1's agglomeration. `--baseline REF` runs `group_items` of REF's `src/` (exported to a
temporary directory) and of this tree in alternating processes: wall and CPU time (best of
the repeats; the threads of `pair_scores` add CPU, not wall), traced peak of one more run.

The record (`bench/partitions.json`) holds a hash of each set's partition made by the grouping
rules of round 7 (branch d22: round 5's anchor rule, outlet runs and live-blog lead, main's
Persian rules, and the continuing-story decay; the AllSides sets with 12 h jitter added): a
faster method must give the same stories on every set of the table and on the timing workloads.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
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
             [grouping.item_of(row, start + timedelta(days=days) * rng.random()) for row in rows])
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


_PROBE = """
import json, sys, time, tracemalloc
sys.path[:0] = [{src!r}, {bench!r}]
import counterpoint, grouping, grouping_speed
from counterpoint.stories.group import GroupingParams, group_items
assert counterpoint.__file__.startswith({src!r}), counterpoint.__file__
cases = grouping_speed.workloads({n})
params = GroupingParams.from_settings(None, None, grouping.shipped_lexicon())
group_items(cases[0][1][:50], params)
found = {{}}
for name, items in cases:
    wall, cpu = [], []
    for _ in range({repeat}):
        started, used = time.perf_counter(), time.process_time()
        group_items(items, params)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    tracemalloc.start()
    group_items(items, params)
    found[name] = [min(wall), min(cpu), tracemalloc.get_traced_memory()[1] / 2**20]
    tracemalloc.stop()
print(json.dumps(found))
"""


def against(ref: str, n: int, repeat: int, rounds: int = 2) -> None:
    """`group_items` of `ref` and of this tree, alternating processes, `rounds` times."""
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(here.parent), "archive", ref, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        trees = {ref: str(Path(tmp) / "src"), "now": str(here.parent / "src")}
        results: dict[str, list[dict[str, list[float]]]] = {label: [] for label in trees}
        for _ in range(rounds):
            for label, src in trees.items():
                probe = _PROBE.format(src=src, bench=str(here), n=n, repeat=repeat)
                out = subprocess.run([sys.executable, "-c", probe], check=True,
                                     capture_output=True, text=True).stdout
                results[label].append(json.loads(out))
    for name in results["now"][0]:
        for label, runs in results.items():
            wall = " / ".join(f"{run[name][0]:.2f}" for run in runs)
            cpu = " / ".join(f"{run[name][1]:.2f}" for run in runs)
            peak = max(run[name][2] for run in runs)
            print(f"{n} items {name}, {label}: wall {wall} s, CPU {cpu} s, traced peak "
                  f"{peak:.0f} MB (best of {repeat} per process, {rounds} processes)", flush=True)


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
    parser.add_argument("--baseline", metavar="REF", help="time group_items against a git ref")
    parser.add_argument("--repeat", type=int, default=2, help="runs per process (--baseline)")
    args = parser.parse_args(argv)
    if args.baseline:
        against(args.baseline, args.n, args.repeat)
        return 0
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
