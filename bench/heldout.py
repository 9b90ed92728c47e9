"""AllSides roundups the grouping constants were never chosen on: issue 12's held-out check.

    python bench/heldout.py                  # 3 samples, jitter 0 and 12 h, +2x and +9x
    python bench/heldout.py --samples 5 --stories 300

`allsides2021.dev.jsonl` (the dev file every constant was checked on) covers Apr–Jul 2021.
`allsides_neusprobe.dev.jsonl` holds 2,901 other AllSides roundups (three items each: left,
centre and right outlets' title and lead) without dates or outlets; the stories whose roundup
title or any headline also appears in the dev file are left out. Each sample takes `--stories`
of the rest (300 ≈ the dev file's 294), dates each story uniformly over 100 days (the dev file's
span) and each of its items up to `--jitter` hours later, and gives its three items three
different outlets drawn from the dev file's (by frequency). Distractors, as bench/grouping.py
adds them to the dev file: +2x is 2 x stories one-item stories (one item of another roundup),
+9x makes about 30 items a day (with 267 stories: the probe has too few for 300 + 2,700);
each at a uniform time over the span. Figures are the mean over
the samples (min–max in brackets), for the current method and 0.1's (`legacy_grouping.py`).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import legacy_grouping
from counterpoint.stories.group import GroupingParams, group_items
from grouping import (
    DATA,
    DISTRACTOR_FILE,
    Labelled,
    Scores,
    item_of,
    run,
    shipped_lexicon,
    title_key,
)

DEV = DATA / "allsides2021.dev.jsonl"
SPAN_DAYS = 100.0
START = datetime(2020, 1, 1, tzinfo=UTC)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def held_out_stories() -> list[list[dict]]:
    """The probe's roundups that share no headline and no roundup title with the dev file."""
    dev = _rows(DEV)
    titles = {title_key(str(row["title"])) for row in dev}
    roundups = {title_key(str(row.get("meta", {}).get("story_title", ""))) for row in dev} - {""}
    by_story: dict[str, list[dict]] = {}
    for row in _rows(DISTRACTOR_FILE):
        by_story.setdefault(str(row["story"]), []).append(row)
    return [members for members in by_story.values()
            if not any(title_key(str(m["title"])) in titles for m in members)
            and title_key(str(members[0]["meta"].get("story_title", ""))) not in roundups]


def sample(stories: list[list[dict]], count: int, distractors: float, jitter: float,
           seed: int) -> Labelled:
    rng = random.Random(seed)
    order = list(range(len(stories)))
    rng.shuffle(order)
    extra = round(distractors * count)
    if count + extra > len(order):
        raise SystemExit(f"only {len(order)} held-out stories, {count + extra} asked")
    outlets = Counter(str(row["outlet"]) for row in _rows(DEV))
    names, weights = list(outlets), list(outlets.values())
    span = SPAN_DAYS * 86400
    items, gold = [], []
    for number in order[:count]:
        moment = START + timedelta(seconds=rng.uniform(0, span))
        chosen: list[str] = []
        while len(chosen) < len(stories[number]):
            name = rng.choices(names, weights)[0]
            if name not in chosen:
                chosen.append(name)
        for row, outlet in zip(stories[number], chosen, strict=True):
            late = timedelta(hours=rng.uniform(0, jitter))
            items.append(item_of({**row, "outlet": outlet}, moment + late))
            gold.append(str(row["story"]))
    for number in order[count:count + extra]:
        row = rng.choice(stories[number])
        outlet = rng.choices(names, weights)[0]
        moment = START + timedelta(seconds=rng.uniform(0, span))
        items.append(item_of({**row, "outlet": outlet}, moment))
        gold.append(f"distractor:{row['id']}")
    return Labelled(items, gold)


def _summary(scores: Sequence[Scores]) -> str:
    def cell(values: list[float]) -> str:
        return f"{statistics.fmean(values):.3f} ({min(values):.3f}–{max(values):.3f})"
    return " | ".join(cell([getattr(s, name) for s in scores])
                      for name in ("b3_p", "b3_f1", "pw_p", "pw_f1"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--jitter", type=float, nargs="+", default=[0.0, 12.0])
    parser.add_argument("--distractors", type=float, nargs="+", default=[2.0, 9.0])
    parser.add_argument("--no-legacy", action="store_true", help="skip 0.1's method")
    args = parser.parse_args(argv)
    stories = held_out_stories()
    params = GroupingParams.from_settings(None, None, shipped_lexicon())
    methods = [("now", lambda items: group_items(items, params))]
    if not args.no_legacy:
        methods.append(("before: 0.1", legacy_grouping.group_items))
    print(f"{len(stories)} held-out roundups; {args.samples} samples of {args.stories}; "
          "mean (min–max)")
    print("| set | method | B³ P | B³ F1 | pairwise P | pairwise F1 |")
    print("|---|---|---|---|---|---|")
    for extra in args.distractors:
        for jitter in args.jitter:
            count = min(args.stories, int(len(stories) / (1 + extra)))
            batches = [sample(stories, count, extra, jitter, seed)
                       for seed in range(args.samples)]
            per_day = sum(len(b.items) for b in batches) / len(batches) / SPAN_DAYS
            name = (f"held-out {count} stories +{extra:g}x, jitter {jitter:g} h "
                    f"(~{per_day:.0f}/day)")
            for label, method in methods:
                print(f"| {name} | {label} | {_summary([run(b, method) for b in batches])} |")
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
