"""Measure story grouping on labelled sets and print ONE table: every set, the 0.1 method
("before", bench/legacy_grouping.py), the current method ("now") and the single-pass baseline.

    python bench/grouping.py                      # the table: real days + dev files
    python bench/grouping.py --ablation           # the table for each signal switched off
    python bench/grouping.py FILE --sweep 0.18 0.2 0.22   # one JSONL file or real-day dir
    python bench/grouping.py --timing 10000       # speed and memory only

Sets: the real feed days of data/realday/ (items.jsonl, labelled; each day one batch, as the
CLI groups a window; "real days pooled" sums their pairs), the Persian and the English items of
the xling dev day (within-language grouping only; English-Persian links are i13's),
allsides2021 dev with 2x and 9x distractors (one-item stories from
`allsides_neusprobe.dev.jsonl`, at most one per NeuS story, none whose story or title also
appears in the file, dated uniformly across its span; 9x is ~35 items/day), the same two with
each AllSides item delayed by 0-12 h (AllSides gives a story's items one time, which flatters
any use of time), UCI head (titles only) and BASIL (dates only). "now" uses the lexicon
groups of the shipped feeds.toml, as the CLI does. The baseline needs scikit-learn (not a
dependency).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import legacy_grouping
from counterpoint.models import Item
from counterpoint.stories.group import GroupingParams, group_items

DATA = Path("/work/shared/data/stories")
REAL_DAYS = Path("/work/shared/data/realday")
XLING = Path("/work/shared/data/xling/items.jsonl")
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
    pairs: tuple[float, float, float] = (0.0, 0.0, 0.0)  # correct, predicted, gold
    items: int = 0


def pooled(scores: Sequence[Scores]) -> Scores:
    """Pairwise figures over the pairs of several batches (B-cubed: item-weighted mean)."""
    both, pred, gold = (sum(s.pairs[k] for s in scores) for k in range(3))
    p, r = (both / pred if pred else 1.0), (both / gold if gold else 1.0)
    weight = [s.items for s in scores]
    b3 = [sum(getattr(s, f) * w for s, w in zip(scores, weight, strict=True)) / sum(weight)
          for f in ("b3_p", "b3_r")]
    return Scores(b3[0], b3[1], _f1(*b3), p, r, _f1(p, r), sum(s.groups for s in scores),
                  sum(s.gold_groups for s in scores), sum(s.seconds for s in scores),
                  (both, pred, gold), sum(weight))


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def item_of(row: dict[str, object], published: datetime) -> Item:
    return Item(
        outlet=str(row["outlet"]), affiliation="", feed_url="", key=str(row["id"]),
        title=str(row["title"]), summary=str(row["summary"]), link=None, published=published,
    )


def title_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def load_day(path: Path) -> Labelled:
    """A real feed day (`data/realday/<day>/items.jsonl`). An undated item is dated when the
    snapshot was taken (the latest time in the file), `dated=False`, as the CLI would."""
    rows = [json.loads(line) for line in (path / "items.jsonl").open(encoding="utf-8")]
    seen = max(_parse_time(row["published"]) for row in rows if row["published"])
    items = [item_of(row, _parse_time(row["published"])) if row["published"]
             else replace(item_of(row, seen), dated=False) for row in rows]
    return Labelled(items, [str(row["story"]) for row in rows])


def load(path: Path, distractors: float = 0.0, seed: int = 0, jitter: float = 0.0) -> Labelled:
    """FILE's items (each delayed by up to `jitter` hours, as real feeds spread one event over
    hours) plus distractors; a directory is a real feed day."""
    if path.is_dir():
        return load_day(path)
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    shift = random.Random(seed + 2)
    items = [
        item_of(row, _parse_time(row["published"]) + timedelta(hours=shift.uniform(0, jitter)))
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
            items.append(item_of(row, moment))
            gold.append(f"distractor:{row['id']}")
    return Labelled(items, gold)


def _distractor_rows(rows: Sequence[dict[str, object]], count: int, seed: int) -> list[dict]:
    taken_titles = {title_key(str(row["title"])) for row in rows}
    taken_stories = {
        title_key(str(row.get("meta", {}).get("story_title", "")))  # type: ignore[union-attr]
        for row in rows
    } - {""}
    by_story: dict[str, list[dict]] = {}
    for line in DISTRACTOR_FILE.open(encoding="utf-8"):
        row = json.loads(line)
        by_story.setdefault(row["story"], []).append(row)
    clean = [
        members for members in by_story.values()
        if not any(title_key(m["title"]) in taken_titles for m in members)
        and title_key(members[0]["meta"].get("story_title", "")) not in taken_stories
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
                  len(groups), len(gold_size), seconds, (both, pred_pairs, gold_pairs), n)


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


HEADER = ("| set | method | B³ P | B³ R | B³ F1 | pairwise P | pairwise R | pairwise F1 "
          "| groups (gold) | time |")
RULE = "|---|---|---|---|---|---|---|---|---|---|"


def row(name: str, s: Scores) -> str:
    return (
        f"| {name} | {s.b3_p:.3f} | {s.b3_r:.3f} | {s.b3_f1:.3f} | {s.pw_p:.3f} | {s.pw_r:.3f} "
        f"| {s.pw_f1:.3f} | {s.groups} ({s.gold_groups}) | {s.seconds:.2f} s |"
    )


def shipped_lexicon() -> list[tuple[tuple[str, ...], ...]]:
    """The `[lexicon]` groups of the shipped feeds.toml, as the CLI passes them."""
    import tomllib

    import counterpoint.config

    path = Path(counterpoint.config.__file__).parent / "feeds.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("lexicon", {})
    return [tuple(tuple(framing) for framing in group["terms"]) for group in table.values()]


def standard_sets() -> list[tuple[str, list[Labelled]]]:
    paths = sorted(path for path in REAL_DAYS.iterdir() if path.is_dir())
    days = [load_day(path) for path in paths]
    named = [(f"realday {path.name}", [day]) for path, day in zip(paths, days, strict=True)]
    allsides = DATA / "allsides2021.dev.jsonl"
    xling = [json.loads(line) for line in XLING.open(encoding="utf-8")]
    by_language = [(f"xling dev day, {lang} items only", [Labelled(
        [item_of(row, _parse_time(row["published"])) for row in xling if row["language"] == lang],
        [str(row["story"]) for row in xling if row["language"] == lang])]) for lang in ("fa", "en")]
    return [*named, ("real days pooled", days), *by_language,
            ("allsides2021 +2x distractors", [load(allsides, 2)]),
            ("allsides2021 +9x (~35/day)", [load(allsides, 9)]),
            ("allsides2021 +2x, jitter 12 h", [load(allsides, 2, jitter=12)]),
            ("allsides2021 +9x, jitter 12 h", [load(allsides, 9, jitter=12)]),
            ("ucinewsagg_head (titles only)", [load(DATA / "ucinewsagg_head.dev.jsonl")]),
            ("basil (dates only)", [load(DATA / "basil.dev.jsonl")])]


BASELINE_MAX = 3300
ONE_UNIT = ("ONE_UNIT_FACTOR", "SAME_OUTLET_ONE_UNIT")
Method = Callable[[Sequence[Item]], list[list[int]]]


def methods(params: GroupingParams, with_baseline: bool) -> list[tuple[str, Method]]:
    found: list[tuple[str, Method]] = []
    if with_baseline:
        found.append(("baseline single-pass 0.2, 72 h", baseline))
    found.append(("before: 0.1", legacy_grouping.group_items))
    found.append((f"now (thr {params.threshold:g})", lambda items: group_items(items, params)))
    return found


def table(sets: list[tuple[str, list[Labelled]]], chosen: list[tuple[str, Method]]) -> None:
    print(HEADER)
    print(RULE)
    cache: dict[tuple[int, str], Scores] = {}
    for name, batches in sets:
        for label, method in chosen:
            if method is baseline and sum(len(b.items) for b in batches) > BASELINE_MAX:
                print(f"| {name} | {label} | skipped: > {BASELINE_MAX} items (its loop over "
                      "clusters took 526 s on +9x) |||||||")
                continue
            scores = []
            for batch in batches:
                key = (id(batch), label)
                if key not in cache:
                    cache[key] = run(batch, method)
                scores.append(cache[key])
            print(row(f"{name} | {label}", scores[0] if len(scores) == 1 else pooled(scores)))
            sys.stdout.flush()


def ablation(sets: list[tuple[str, list[Labelled]]], params: GroupingParams) -> None:
    """The table once per signal switched off (module constants patched for the run)."""
    from counterpoint.stories import group, tokens

    variants: list[tuple[str, list[tuple[object, str, object]], GroupingParams]] = [
        ("now", [], params),
        ("no lexicon concepts", [], GroupingParams(params.threshold, params.window)),
        ("no plural stemming", [(tokens, "STEM", False)], params),
        ("dates/programme words kept", [(tokens, "NOISE", frozenset()),
                                        (tokens, "MONTHS", frozenset())], params),
        ("time grace 12 h (was)", [(group, "GRACE_HOURS", 12.0)], params),
        ("no continuing-story decay (round 7)", [(group, "CONTINUING_DECAY", group.DECAY)],
         params),
        ("no place rule (round 8)", [(group, "PLACE_FACTOR", 1.0)], params),
        ("place rule factor 0.5", [(group, "PLACE_FACTOR", 0.5)], params),
        ("one-unit factor 1.0", [(group, n, 1.0) for n in ONE_UNIT], params),
        ("same-outlet one-unit 0.7 (was)", [(group, ONE_UNIT[1], 0.7)], params),
        ("no story phase (was)", [(group, "PHASES", group.PHASES[:2])], params),
        ("no anchor rule (round 5)", [(group, "NO_ANCHOR_FACTOR", 1.0)], params),
        ("anchor rule below 5 words", [(group, "NO_ANCHOR_BELOW", 5)], params),
        ("anchor rule same outlet 0.7", [(group, "NO_ANCHOR_SAME_OUTLET", 0.7)], params),
        ("outlet runs kept (round 5)", [(tokens, "RUN_TITLES", 10**9)], params),
        ("outlet runs of 8 words", [(tokens, "RUN_WORDS", 8)], params),
        ("live blogs whole (round 5)", [(tokens, "LIVE_LEAD", False)], params),
        ("threshold 0.18", [], GroupingParams(0.18, params.window, params.concepts)),
        ("threshold 0.22", [], GroupingParams(0.22, params.window, params.concepts)),
    ]
    print(HEADER, RULE, sep="\n")
    for label, patches, variant in variants:
        saved = [(module, name, getattr(module, name)) for module, name, _ in patches]
        for module, name, value in patches:
            setattr(module, name, value)
        try:
            for name, batches in sets:
                scores = [run(batch, lambda items, p=variant: group_items(items, p))
                          for batch in batches]
                print(row(f"{name} | {label}", scores[0] if len(scores) == 1 else pooled(scores)))
                sys.stdout.flush()
        finally:
            for module, name, value in saved:
                setattr(module, name, value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="labelled JSONL files or real-day directories (default: all sets)")
    parser.add_argument("--distractors", type=float, default=0.0,
                        help="add FACTOR x gold-story-count one-item distractor stories")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jitter", type=float, default=0.0,
                        help="delay each FILE item by a random 0..HOURS (distractors are random)")
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--window", type=float, help="hours")
    parser.add_argument("--sweep", type=float, nargs="+", help="thresholds to try")
    parser.add_argument("--no-baseline", action="store_true", help="skip the reference")
    parser.add_argument("--ablation", action="store_true", help="each signal switched off")
    parser.add_argument("--timing", type=int, metavar="N", help="time N items and exit")
    args = parser.parse_args(argv)
    if args.timing:
        import grouping_speed  # time and memory per workload; partitions: grouping_speed.py

        grouping_speed.timing(args.timing)
        return 0
    lexicon = shipped_lexicon()
    defaults = GroupingParams()
    window = timedelta(hours=args.window) if args.window else defaults.window
    thresholds = args.sweep or [args.threshold if args.threshold is not None
                                else defaults.threshold]
    sets = ([(path.name, [load(path, args.distractors, args.seed, args.jitter)])
             for path in args.files] or standard_sets())
    if args.ablation:
        ablation(sets, GroupingParams.from_settings(thresholds[0], window, lexicon))
        return 0
    for n, threshold in enumerate(thresholds):
        params = GroupingParams.from_settings(threshold, window, lexicon)
        chosen = methods(params, with_baseline=not args.no_baseline and n == 0)
        table(sets, chosen if n == 0 else chosen[-1:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
