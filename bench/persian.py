"""Persian grouping on the bilingual dev day: each Persian rule's effect, alone and left out.

    python bench/persian.py                 # the table (about 1 min on 2 cores)
    python bench/persian.py --snowball      # also the Snowball Persian stemmer in place of
                                            # stories.persian.stem (pip install snowballstemmer)
    python bench/persian.py --xling         # instead: the cross-language pass's rules, each
                                            # left out, and signals.PER_SCRIPT_IDF off

Items are read as the CLI reads them: the day is written as one RSS file per outlet and
fetched by `counterpoint fetch` into a temporary store (the parser drops a summary equal to
the title, collapses spaces), then grouped in process as `digest` does (no lexicon: the
temporary feeds.toml has none, as in `bench/xling.py --cli`), then linked across languages.
Figures: pairwise P / R / F1 of Persian pairs grouped alone ("fa alone"), of Persian pairs,
English–Persian pairs and all pairs of the whole day grouped together and linked ("day"), and
the same pooled over 40 random 85 % subsamples of the day ("sub": the day has 78 Persian
same-story pairs, so one merge moves the full-day figures by several points).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from counterpoint.models import Item
from counterpoint.stories import persian, signals, tokens, xling
from counterpoint.stories.group import group_items
from counterpoint.stories.xling import XlingParams, link_across_languages

DAY = Path("/work/shared/data/xling/items.jsonl")
Counts = tuple[int, int, int]  # same-story pairs found, pairs found wrongly, pairs missed
PARAMS = XlingParams()  # the cross-language pass's settings (`--xling` variants patch this)


def fetched(path: Path) -> tuple[list[Item], list[str], list[str]]:
    """The day's items as stored by `counterpoint fetch`, with each item's language and story."""
    from counterpoint.store.db import Store

    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    outlets: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        outlets.setdefault(row["outlet"], []).append(row)
    with tempfile.TemporaryDirectory() as tmp:
        config = []
        for n, (outlet, members) in enumerate(sorted(outlets.items())):
            feed = Path(tmp) / f"feed{n}.xml"
            entries = "".join(
                f"<item><title>{escape(m['title'])}</title><link>{escape(m['link'])}</link>"
                f"<description>{escape(m['summary'] or '')}</description><pubDate>"
                f"{_time(m['published']).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                "</item>" for m in members)
            feed.write_text('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                            f"<title>{escape(outlet)}</title>{entries}</channel></rss>",
                            encoding="utf-8")
            config.append(f'[[outlets]]\nname = "{outlet}"\naffiliation = "wire"\n'
                          f'language = "{members[0]["language"]}"\nfeeds = ["{feed}"]\n')
        (Path(tmp) / "feeds.toml").write_text("\n".join(config), encoding="utf-8")
        subprocess.run([sys.executable, "-c", "import sys; from counterpoint.cli.main import "
                        "main; sys.exit(main())", "--config", str(Path(tmp) / "feeds.toml"),
                        "--db", str(Path(tmp) / "db.sqlite"), "fetch"],
                       check=False, capture_output=True)
        times = sorted(_time(row["published"]) for row in rows)
        with Store(Path(tmp) / "db.sqlite") as store:
            items = store.items_between(times[0].replace(hour=0, minute=0),
                                        times[-1].replace(hour=23, minute=59))
    by_link = {row["link"]: row for row in rows}
    return (items, [by_link[i.link or ""]["language"] for i in items],
            [by_link[i.link or ""]["story"] for i in items])


def _time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def counts(keep: Sequence[int], groups: Sequence[Sequence[int]], languages: Sequence[str],
           gold: Sequence[str], kinds: set[str]) -> Counts:
    """Pair counts over the items `keep` (groups hold positions in `keep`)."""
    label = {keep[p]: g for g, group in enumerate(groups) for p in group}
    found = wrong = missed = 0
    for a, i in enumerate(keep):
        for j in keep[:a]:
            if "-".join(sorted((languages[i], languages[j]))) not in kinds:
                continue
            same, joined = gold[i] == gold[j], label[i] == label[j]
            found += same and joined
            wrong += joined and not same
            missed += same and not joined
    return found, wrong, missed


def prf(c: Counts) -> str:
    p = c[0] / (c[0] + c[1]) if c[0] + c[1] else 1.0
    r = c[0] / (c[0] + c[2]) if c[0] + c[2] else 1.0
    return f"{p:.3f} / {r:.3f} / {2 * p * r / (p + r) if p + r else 0.0:.3f}"


KINDS = {"fa alone": {"fa-fa"}, "fa–fa": {"fa-fa"}, "en–fa": {"en-fa"},
         "all": {"fa-fa", "en-fa", "en-en"}}


def measure(items: Sequence[Item], languages: Sequence[str], gold: Sequence[str],
            keep: Sequence[int]) -> dict[str, Counts]:
    persian_only = [i for i in keep if languages[i] == "fa"]
    out = {"fa alone": counts(persian_only, group_items([items[i] for i in persian_only]),
                              languages, gold, KINDS["fa alone"])}
    chosen = [items[i] for i in keep]
    linked = link_across_languages(chosen, group_items(chosen), [languages[i] for i in keep],
                                   params=PARAMS)
    for kind in ("fa–fa", "en–fa", "all"):
        out[kind] = counts(keep, linked, languages, gold, KINDS[kind])
    return out


def row(name: str, items: Sequence[Item], languages: Sequence[str], gold: Sequence[str],
        samples: int = 40) -> str:
    day = measure(items, languages, gold, range(len(items)))  # type: ignore[arg-type]
    rng = random.Random(1)
    pooled: dict[str, Counts] = {kind: (0, 0, 0) for kind in KINDS}
    for _ in range(samples):
        keep = [i for i in range(len(items)) if rng.random() < 0.85]
        for kind, c in measure(items, languages, gold, keep).items():
            pooled[kind] = (pooled[kind][0] + c[0], pooled[kind][1] + c[1],
                            pooled[kind][2] + c[2])
    cells = [f"{prf(day[k])} · {prf(pooled[k])}" for k in KINDS]
    return f"| {name} | " + " | ".join(cells) + " |"


@contextmanager
def patched(changes: Sequence[tuple[object, str, object]]) -> Iterator[None]:
    saved = [(module, name, getattr(module, name)) for module, name, _ in changes]
    for module, name, value in changes:
        setattr(module, name, value)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def variants(snowball: bool) -> list[tuple[str, list[tuple[object, str, object]]]]:
    rules: dict[str, list[tuple[object, str, object]]] = {
        "more stopwords": [(tokens, "STOPWORDS", tokens.STOPWORDS - persian.ADDED)],
        "post-form words": [(tokens, "NOISE", tokens.NOISE - persian.FORM)],
        "post furniture": [(persian, "CLEAN", False)],
        "ezafe after alef": [(persian, "EZAFE", False)],
        "per-script share": [(signals, "PER_SCRIPT", False)],
        "per-script IDF": [(signals, "PER_SCRIPT_IDF", False)],
    }
    found: list[tuple[str, list[tuple[object, str, object]]]] = [("all rules (now)", [])]
    found += [(f"without {name}", change) for name, change in rules.items()]
    found.append(("no rule (main before f13)", [c for change in rules.values() for c in change]))
    if snowball:
        import snowballstemmer

        stemmer: Callable[[str], str] = snowballstemmer.stemmer("persian").stemWord
        found.append(("Snowball Persian stemmer for stem()", [(persian, "stem", stemmer)]))
    return found


def xling_variants() -> list[tuple[str, list[tuple[object, str, object]]]]:
    """The cross-language pass's round-3 rules (bench/README.md), each left out."""
    me = sys.modules[__name__]
    base = XlingParams()
    round2 = [(me, "PARAMS", replace(base, gather="", strong_shared=2.0)),
              (xling, "_SUPPORT", 0.4)]
    return [
        ("round 3 (now)", []),
        ("without gathering (one partner a story)", [(me, "PARAMS", replace(base, gather=""))]),
        ("strong pair shares 2 units, not 3", [(me, "PARAMS", replace(base, strong_shared=2.0))]),
        ("support 0.4, not 0.25", [(xling, "_SUPPORT", 0.4)]),
        ("round 2 (main before)", round2),
        ("round 3, PER_SCRIPT_IDF off", [(signals, "PER_SCRIPT_IDF", False)]),
        ("round 2, PER_SCRIPT_IDF off", [*round2, (signals, "PER_SCRIPT_IDF", False)]),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DAY)
    parser.add_argument("--snowball", action="store_true")
    parser.add_argument("--xling", action="store_true")
    args = parser.parse_args(argv)
    items, languages, gold = fetched(args.file)
    print("pairwise P / R / F1: full day · pooled over 40 subsamples of 85 %")
    print("| variant | fa alone | fa–fa (day) | en–fa (day) | all pairs (day) |")
    print("|---|---|---|---|---|")
    for name, change in (xling_variants() if args.xling else variants(args.snowball)):
        with patched(change):
            print(row(name, items, languages, gold))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
