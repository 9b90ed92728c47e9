"""Measure story grouping on labelled JSONL (the shared schema of data/stories/PROVENANCE.md).

Runs the real `counterpoint.stories.group.group_items` and, in the same process, the
reference baseline (single-pass TF-IDF centroid clustering, 72 h, threshold 0.2) and prints
B-cubed and pairwise precision / recall / F1, the number of groups and the time taken.

    python bench/grouping.py /work/shared/data/stories/allsides2021.dev.jsonl --distractors 2
    python bench/grouping.py FILE --distractors 9          # ~35 items/day on allsides2021
    python bench/grouping.py FILE --sweep 0.25 0.3 0.35    # thresholds
    python bench/grouping.py --timing 5000                 # speed and memory only

Distractors are one-item stories: items of `allsides_neusprobe.dev.jsonl` (at most one per
NeuS story, none whose story or title also appears in FILE), dated uniformly across FILE's time
span, `factor` x as many as FILE has gold stories.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from counterpoint.models import Item
from counterpoint.stories.group import GroupingParams, group_items

DATA = Path("/work/shared/data/stories")
DISTRACTOR_FILE = DATA / "allsides_neusprobe.dev.jsonl"


@dataclass(frozen=True)
class Labelled:
    items: list[Item]
    gold: list[str]


@dataclass(frozen=True)
class Scores:
    b3_p: float
    b3_r: float
    b3_f1: float
    pw_p: float
    pw_r: float
    pw_f1: float
    groups: int
    gold_groups: int
    seconds: float


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _item(row: dict[str, object], published: datetime) -> Item:
    return Item(
        outlet=str(row["outlet"]), affiliation="", feed_url="", key=str(row["id"]),
        title=str(row["title"]), summary=str(row["summary"]), link=None, published=published,
    )


def _norm_title(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def load(path: Path, distractors: float = 0.0, seed: int = 0, jitter: float = 0.0) -> Labelled:
    """FILE's items (each delayed by up to `jitter` hours, as real feeds spread one event over
    hours) plus distractors."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    shift = random.Random(seed + 2)
    items = [
        _item(row, _parse_time(row["published"]) + timedelta(hours=shift.uniform(0, jitter)))
        for row in rows
    ]
    gold = [str(row["story"]) for row in rows]
    if distractors > 0:
        count = round(distractors * len(set(gold)))
        start = min(item.published for item in items)
        span = (max(item.published for item in items) - start).total_seconds()
        extra = _distractor_rows(rows, count, seed)
        rng = random.Random(seed + 1)
        for row in extra:
            moment = start + timedelta(seconds=rng.uniform(0, span))
            items.append(_item(row, moment))
            gold.append(f"distractor:{row['id']}")
    return Labelled(items, gold)


def _distractor_rows(rows: Sequence[dict[str, object]], count: int, seed: int) -> list[dict]:
    taken_titles = {_norm_title(str(row["title"])) for row in rows}
    taken_stories = {
        _norm_title(str(row.get("meta", {}).get("story_title", "")))  # type: ignore[union-attr]
        for row in rows
    } - {""}
    by_story: dict[str, list[dict]] = {}
    for line in DISTRACTOR_FILE.open(encoding="utf-8"):
        row = json.loads(line)
        by_story.setdefault(row["story"], []).append(row)
    clean = [
        members for members in by_story.values()
        if not any(_norm_title(m["title"]) in taken_titles for m in members)
        and _norm_title(members[0]["meta"].get("story_title", "")) not in taken_stories
    ]
    rng = random.Random(seed)
    rng.shuffle(clean)
    if count > len(clean):
        raise SystemExit(f"only {len(clean)} distractor stories available, {count} asked")
    return [rng.choice(members) for members in clean[:count]]


def score(gold: Sequence[str], groups: Sequence[Sequence[int]], seconds: float) -> Scores:
    predicted = [0] * len(gold)
    for label, group in enumerate(groups):
        for index in group:
            predicted[index] = label
    joint = Counter(zip(gold, predicted, strict=True))
    gold_size = Counter(gold)
    pred_size = Counter(predicted)
    n = len(gold)
    b3_p = sum(c * c / pred_size[p] for (_, p), c in joint.items()) / n
    b3_r = sum(c * c / gold_size[g] for (g, _), c in joint.items()) / n
    both = sum(c * (c - 1) / 2 for c in joint.values())
    pred_pairs = sum(c * (c - 1) / 2 for c in pred_size.values())
    gold_pairs = sum(c * (c - 1) / 2 for c in gold_size.values())
    pw_p = both / pred_pairs if pred_pairs else 1.0
    pw_r = both / gold_pairs if gold_pairs else 1.0
    return Scores(b3_p, b3_r, _f1(b3_p, b3_r), pw_p, pw_r, _f1(pw_p, pw_r),
                  len(groups), len(gold_size), seconds)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def baseline(items: Sequence[Item], threshold: float = 0.2) -> list[list[int]]:
    """PROVENANCE.md's reference: single-pass TF-IDF centroid clustering, 72 h."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    order = sorted(range(len(items)), key=lambda i: (items[i].published, i))
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [f"{item.title} {item.summary}" for item in items]
    ).toarray()
    centroids: list[np.ndarray] = []
    members: list[list[int]] = []
    last: list[datetime] = []
    for i in order:
        vector = matrix[i]
        best, best_sim = -1, threshold
        for k, centroid in enumerate(centroids):
            if items[i].published - last[k] > timedelta(hours=72):
                continue
            norm = np.linalg.norm(centroid)
            sim = float(vector @ centroid / norm) if norm else 0.0
            if sim >= best_sim:
                best, best_sim = k, sim
        if best < 0:
            centroids.append(vector.copy())
            members.append([i])
            last.append(items[i].published)
        else:
            members[best].append(i)
            centroids[best] = matrix[members[best]].mean(axis=0)
            last[best] = max(last[best], items[i].published)
    return members


def run(labelled: Labelled, method: Callable[[Sequence[Item]], list[list[int]]]) -> Scores:
    started = time.perf_counter()
    groups = method(labelled.items)
    seconds = time.perf_counter() - started
    _check_partition(groups, len(labelled.items))
    return score(labelled.gold, groups, seconds)


def _check_partition(groups: Sequence[Sequence[int]], n: int) -> None:
    seen = sorted(i for group in groups for i in group)
    if seen != list(range(n)):
        raise AssertionError("grouping is not a partition of the items")


HEADER = ("| method | B³ P | B³ R | B³ F1 | pairwise P | pairwise R | pairwise F1 "
          "| groups (gold) | time |")


def row(name: str, s: Scores) -> str:
    return (
        f"| {name} | {s.b3_p:.3f} | {s.b3_r:.3f} | {s.b3_f1:.3f} | {s.pw_p:.3f} | {s.pw_r:.3f} "
        f"| {s.pw_f1:.3f} | {s.groups} ({s.gold_groups}) | {s.seconds:.2f} s |"
    )


def timing(n: int, repeats: int = 3) -> None:
    """Time `group_items` on n items (allsides2021 dev, then NeuS items) spread at ~35 items/day,
    and the same n items squeezed into 24 hours (the worst case for time blocking)."""
    rows = [json.loads(line) for line in (DATA / "allsides2021.dev.jsonl").open(encoding="utf-8")]
    rows += [json.loads(line) for line in DISTRACTOR_FILE.open(encoding="utf-8")]
    rows = rows[:n]
    rng = random.Random(0)
    start = datetime(2021, 4, 22, tzinfo=UTC)
    span = timedelta(days=n / 35)
    spread = [_item(row, start + span * rng.random()) for row in rows]
    squeezed = [_replace_time(item, start + (item.published - start) / (span / timedelta(days=1)))
                for item in spread]
    group_items(spread[:50])  # import numpy / scipy once, outside the timing
    for name, items in (("~35/day", spread), ("all in 24 h", squeezed)):
        best = min(_timed(items) for _ in range(repeats))
        print(f"{len(items)} items, {name}: {best:.3f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


def _replace_time(item: Item, moment: datetime) -> Item:
    from dataclasses import replace

    return replace(item, published=moment)


def _timed(items: Sequence[Item]) -> float:
    started = time.perf_counter()
    group_items(items)
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--distractors", type=float, default=0.0,
                        help="add FACTOR x gold-story-count one-item distractor stories")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jitter", type=float, default=0.0,
                        help="delay each FILE item by a random 0..HOURS (distractors are random)")
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--window", type=float, help="hours")
    parser.add_argument("--sweep", type=float, nargs="+", help="thresholds to try")
    parser.add_argument("--baseline", action="store_true", help="also run the reference")
    parser.add_argument("--timing", type=int, metavar="N", help="time N items and exit")
    args = parser.parse_args(argv)
    if args.timing:
        timing(args.timing)
        return 0
    defaults = GroupingParams()
    window = timedelta(hours=args.window) if args.window else defaults.window
    thresholds = args.sweep or [args.threshold if args.threshold is not None
                                else defaults.threshold]
    for path in args.files:
        labelled = load(path, args.distractors, args.seed, args.jitter)
        days = (max(i.published for i in labelled.items)
                - min(i.published for i in labelled.items)).total_seconds() / 86400
        print(f"\n{path.name}: {len(labelled.items)} items, {len(set(labelled.gold))} stories, "
              f"{len(labelled.items) / max(days, 1):.1f} items/day"
              + (f", distractors {args.distractors:g}x" if args.distractors else "")
              + (f", jitter {args.jitter:g} h" if args.jitter else ""))
        print(HEADER)
        print("|---|---|---|---|---|---|---|---|---|")
        if args.baseline:
            print(row("baseline: TF-IDF single-pass, 72 h, 0.2", run(labelled, baseline)))
        for threshold in thresholds:
            params = GroupingParams(threshold=threshold, window=window)
            scores = run(labelled, lambda items, p=params: group_items(items, p))
            print(row(f"group_items thr {threshold:g}, {window.total_seconds() / 3600:g} h",
                      scores))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
