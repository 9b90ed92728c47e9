"""Measure cross-language (English–Persian) story linking on a labelled bilingual day.

Runs `group_items` (within-language grouping) and then `link_across_languages`, and prints
English–Persian same-story pair precision / recall, all-pairs pairwise P/R/F1 (and within each
language), before and after the pass, per signal (each alone and each left out), a threshold
sweep, and the time per 1,000 items.

    python bench/xling.py                                  # /work/shared/data/xling/items.jsonl
    python bench/xling.py FILE --sweep 0.6 0.8 1.0 1.2 --strong 0.5 0.55 0.6
    python bench/xling.py --timing 1000
    python bench/xling.py --unchanged /work/shared/data/realday/*/items.jsonl   # English-only
    python bench/xling.py --cli           # the same day through `counterpoint digest --json`
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

from counterpoint.models import Item
from counterpoint.stories.gazetteer import Gazetteer, shipped_gazetteer
from counterpoint.stories.group import group_items
from counterpoint.stories.xling import XlingParams, link_across_languages

DEFAULT = Path("/work/shared/data/xling/items.jsonl")
KINDS = ("en-fa", "en-en", "fa-fa")


@dataclass(frozen=True)
class Day:
    items: list[Item]
    languages: list[str]
    gold: list[str]


def load(path: Path) -> Day:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    items = [Item(outlet=str(r["outlet"]), affiliation="", feed_url="", key=str(r["id"]),
                  title=str(r["title"]), summary=str(r.get("summary") or ""), link=None,
                  published=_time(str(r["published"]))) for r in rows]
    return Day(items, [str(r["language"]) for r in rows], [str(r["story"]) for r in rows])


def _time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def pair_scores(day: Day, groups: Sequence[Sequence[int]]) -> dict[str, tuple[float, float,
                                                                              float]]:
    """Pairwise (P, R, F1) for each kind of pair and for all pairs."""
    label = {i: g for g, group in enumerate(groups) for i in group}
    counts: Counter[tuple[str, bool, bool]] = Counter()
    for i, j in combinations(range(len(day.items)), 2):
        kind = "-".join(sorted((day.languages[i], day.languages[j])))
        counts[kind, day.gold[i] == day.gold[j], label[i] == label[j]] += 1
    out = {}
    for kind in (*KINDS, "all"):
        kinds = KINDS if kind == "all" else (kind,)
        tp = sum(counts[k, True, True] for k in kinds)
        fp = sum(counts[k, False, True] for k in kinds)
        fn = sum(counts[k, True, False] for k in kinds)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        out[kind] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def row(name: str, scores: dict[str, tuple[float, float, float]]) -> str:
    cells = [f"{scores['en-fa'][0]:.3f} | {scores['en-fa'][1]:.3f}"]
    cells += [f"{scores[k][0]:.3f} | {scores[k][1]:.3f} | {scores[k][2]:.3f}" for k in ("all",)]
    cells += [f"{scores[k][2]:.3f}" for k in ("en-en", "fa-fa")]
    return f"| {name} | " + " | ".join(cells) + " |"


HEADER = ("| method | en–fa P | en–fa R | all P | all R | all F1 | en–en F1 | fa–fa F1 |\n"
          "|---|---|---|---|---|---|---|---|")

SIGNALS = ("anchors", "names", "numbers", "time")


def gold_groups(day: Day) -> list[list[int]]:
    """The labelled stories split by language: what a perfect within-language grouping gives."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (story, lang) in enumerate(zip(day.gold, day.languages, strict=True)):
        groups.setdefault((story, lang), []).append(i)
    return list(groups.values())


def evaluate(day: Day, thresholds: Sequence[float], oracle: bool = False,
             strong: Sequence[float] = ()) -> None:
    groups = gold_groups(day) if oracle else group_items(day.items)
    print(HEADER)
    print(row("gold stories split by language (before)" if oracle
              else "group_items only (before)", pair_scores(day, groups)))
    base = XlingParams()
    for threshold in thresholds:
        params = replace(base, threshold=threshold)
        linked = link_across_languages(day.items, groups, day.languages, params=params)
        print(row(f"+ link_across_languages thr {threshold:g}", pair_scores(day, linked)))
    for bar in strong:
        params = replace(base, strong=bar)
        linked = link_across_languages(day.items, groups, day.languages, params=params)
        print(row(f"+ link_across_languages strong pair {bar:g}", pair_scores(day, linked)))
    params = base  # the ablations run at the default threshold
    print(f"| signals at the default threshold {base.threshold:g} | | | | | | | |")
    for signal in SIGNALS:
        without = replace(params, **{signal: False})
        linked = link_across_languages(day.items, groups, day.languages, params=without)
        print(row(f"  without {signal}", pair_scores(day, linked)))
    names_only = Gazetteer(e for e in shipped_gazetteer().entities.values() if e.kind != "other")
    linked = link_across_languages(day.items, groups, day.languages, names_only, params)
    print(row("  gazetteer without its [other] table (offices, event words)",
              pair_scores(day, linked)))
    for signal in SIGNALS[:3]:
        alone = replace(params, **{s: s == signal for s in SIGNALS[:3]})
        linked = link_across_languages(day.items, groups, day.languages, params=alone)
        print(row(f"  {signal} alone (+time)", pair_scores(day, linked)))


def through_cli(path: Path, languages: bool = True) -> None:
    """The labelled day as RSS files, one per outlet, read by the real CLI (`digest --json` over
    the day), scored on the stories it prints. `languages`: whether feeds.toml gives each
    outlet's language (else the pass reads the script)."""
    import subprocess
    import tempfile
    from xml.sax.saxutils import escape

    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    gold = {str(r["link"]): str(r["story"]) for r in rows}
    lang = {str(r["link"]): str(r["language"]) for r in rows}
    outlets: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        outlets.setdefault(str(r["outlet"]), []).append(r)
    with tempfile.TemporaryDirectory() as tmp:
        config = ["[settings]\nwindow = \"48h\"\n"]
        for n, (outlet, members) in enumerate(sorted(outlets.items())):
            feed = Path(tmp) / f"feed{n}.xml"
            entries = "".join(
                f"<item><title>{escape(m['title'])}</title><link>{escape(m['link'])}</link>"
                f"<description>{escape(m['summary'] or '')}</description>"
                f"<pubDate>{_time(m['published']).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
                "</pubDate></item>" for m in members)
            feed.write_text('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                            f"<title>{escape(outlet)}</title>{entries}</channel></rss>",
                            encoding="utf-8")
            language = f'language = "{members[0]["language"]}"\n' if languages else ""
            config.append(f'[[outlets]]\nname = "{outlet}"\naffiliation = "wire"\n'
                          f'{language}feeds = ["{feed}"]\n')
        (Path(tmp) / "feeds.toml").write_text("\n".join(config), encoding="utf-8")
        times = sorted(_time(str(r["published"])) for r in rows)
        since = (times[0] - timedelta(hours=1)).isoformat()
        until = (times[-1] + timedelta(hours=1)).isoformat()
        base = [sys.executable, "-c",
                "import sys; from counterpoint.cli.main import main; sys.exit(main())", "--config",
                str(Path(tmp) / "feeds.toml"), "--db", str(Path(tmp) / "db.sqlite")]
        subprocess.run([*base, "fetch"], check=False, capture_output=True)
        started = time.perf_counter()
        done = subprocess.run([*base, "digest", "--offline", "--json", "--since", since,
                               "--until", until], check=False, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if not done.stdout:
        raise SystemExit(f"digest failed: {done.stderr.strip()}")
    stories = json.loads(done.stdout)["stories"]
    links = [str(item["link"]) for story in stories for item in story["items"]]
    groups = [[links.index(str(item["link"])) for item in story["items"]] for story in stories]
    day = Day([], [lang[link] for link in links], [gold[link] for link in links])
    day.items.extend([None] * len(links))  # type: ignore[list-item]
    print(f"through the CLI ({'outlet languages' if languages else 'script only'}), "
          f"{len(links)} of {len(rows)} items, digest {seconds:.2f} s")
    print(HEADER)
    print(row("counterpoint digest --json", pair_scores(day, groups)))


def unchanged(path: Path) -> None:
    """An English-only day: the pass must leave group_items' stories exactly as they are."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    rows = [r for r in rows if r.get("published")]
    items = [Item(outlet=str(r["outlet"]), affiliation="", feed_url="", key=str(r["id"]),
                  title=str(r["title"]), summary=str(r.get("summary") or ""), link=None,
                  published=_time(str(r["published"]))) for r in rows]
    groups = group_items(items)
    started = time.perf_counter()
    linked = link_across_languages(items, groups)
    seconds = time.perf_counter() - started
    same = sorted(map(sorted, groups)) == sorted(map(sorted, linked))
    print(f"{path}: {len(items)} items, {len(groups)} stories; after the pass "
          f"{'identical' if same else 'CHANGED'} ({seconds:.3f} s)")


def timing(day: Day, n: int, repeats: int = 3) -> None:
    """Time the pass (and group_items before it) on n items: the day repeated, each copy a
    day later, so the density per day stays that of the labelled day."""
    copies = -(-n // len(day.items))
    items: list[Item] = []
    langs: list[str] = []
    for copy in range(copies):
        shift = timedelta(days=copy)
        items += [replace(i, key=f"{i.key}/{copy}", published=i.published + shift)
                  for i in day.items]
        langs += day.languages
    items, langs = items[:n], langs[:n]
    group_times, link_times = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        groups = group_items(items)
        middle = time.perf_counter()
        link_across_languages(items, groups, langs)
        group_times.append(middle - started)
        link_times.append(time.perf_counter() - middle)
    print(f"{n} items: group_items {min(group_times):.3f} s, "
          f"link_across_languages {min(link_times):.3f} s (best of {repeats}; first run, "
          f"word caches cold: {link_times[0]:.3f} s)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--sweep", type=float, nargs="+", help="thresholds to try")
    parser.add_argument("--strong", type=float, nargs="+", default=[],
                        help="strong item-pair bars to try (XlingParams.strong)")
    parser.add_argument("--oracle", action="store_true",
                        help="start from the labelled stories split by language instead of "
                             "group_items: measures the linking alone")
    parser.add_argument("--timing", type=int, metavar="N", help="time N items and exit")
    parser.add_argument("--cli", action="store_true",
                        help="run the day through `counterpoint digest --json` instead")
    parser.add_argument("--unchanged", type=Path, nargs="+", metavar="FILE",
                        help="English-only days: check the pass leaves them as they are")
    args = parser.parse_args(argv)
    if args.cli:
        through_cli(args.file)
        through_cli(args.file, languages=False)
        return 0
    if args.unchanged:
        for path in args.unchanged:
            unchanged(path)
        return 0
    day = load(args.file)
    if args.timing:
        timing(day, args.timing)
        return 0
    print(f"{args.file}: {len(day.items)} items, {len(set(day.gold))} stories, languages "
          + ", ".join(f"{k} {v}" for k, v in sorted(Counter(day.languages).items())))
    evaluate(day, args.sweep or [XlingParams().threshold], args.oracle, args.strong)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
