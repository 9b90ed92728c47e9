"""Time figure extraction and lexicon terms over real headlines and leads, against a baseline
in the same run.

The baseline is `analysis/figures.py` (and `analysis/terms.py`) as committed at a git revision
(default: the commit before the figures speed work), loaded from `git show` into its own module,
so both run in this process on the same texts, interleaved over several rounds. The bench also
counts texts whose figures differ between the two (on English text they should agree; Persian
text is new). Terms are matched with the shipped feeds.toml lexicon.

    python bench/figures.py                      # 10,000 items, 5 rounds
    python bench/figures.py --items 20000 --rounds 3 --baseline main

Texts: every `title` and `summary` of data/realday/*/items.jsonl, data/stories/*.jsonl and
data/xling/items.jsonl, cycled to `--items` items in a fixed shuffled order; then the Persian
items of data/xling alone (`--items` / 5 of them), timed with the current code only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from counterpoint.analysis import figures, terms
from counterpoint.config.load import parse_config

DATA = Path("/work/shared/data")
# main when i13f merged it: figures.py and terms.py as before this work (the code of abbc6d5,
# where i13f started), importing `ordered`/`quote_sentence` from their new modules.
BASELINE_REV = "4774118"
ROOT = Path(__file__).resolve().parent.parent


def load_texts(count: int) -> list[tuple[str, str]]:
    """(title, summary) of `count` items, real data cycled in a fixed shuffled order."""
    files = sorted(DATA.glob("realday/*/items.jsonl")) + sorted(DATA.glob("stories/*.jsonl"))
    files.append(DATA / "xling" / "items.jsonl")
    pairs: list[tuple[str, str]] = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                pairs.append((row.get("title") or "", row.get("summary") or ""))
    random.Random(13).shuffle(pairs)
    return [pairs[index % len(pairs)] for index in range(count)]


def persian_texts(count: int) -> list[tuple[str, str]]:
    """(title, summary) of the Persian items of data/xling, cycled to `count` items."""
    with (DATA / "xling" / "items.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    pairs = [(row["title"], row["summary"]) for row in rows if row.get("language") == "fa"]
    return [pairs[index % len(pairs)] for index in range(count)]


def load_baseline(rev: str, name: str) -> ModuleType:
    """`analysis/<name>.py` at git revision `rev`, imported as `<name>_baseline`."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:src/counterpoint/analysis/"
                             f"{name}.py"], check=True, capture_output=True, text=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="figures-baseline-"))
    path = folder / f"{name}_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"{name}_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run(extract: Callable[[str], Sequence[Any]], texts: Sequence[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for title, summary in texts:
        extract(title)
        extract(summary)
    return time.perf_counter() - started


def signature(found: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [(f.kind, f.value, f.high, f.text, f.phrase, f.qualifier, f.unit) for f in found]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE_REV, help="git revision of the baseline")
    args = parser.parse_args(argv)
    texts = load_texts(args.items)
    baseline = load_baseline(args.baseline, "figures")
    terms_baseline = load_baseline(args.baseline, "terms")
    lexicon = parse_config((ROOT / "feeds.toml").read_text("utf-8"), ROOT / "feeds.toml").lexicon
    times: dict[str, list[float]] = {"baseline": [], "now": [], "terms baseline": [],
                                     "terms now": []}
    for _ in range(args.rounds):
        times["baseline"].append(run(baseline.extract_figures, texts))
        times["now"].append(run(figures.extract_figures, texts))
        times["terms baseline"].append(
            run(lambda text: terms_baseline.find_terms(text, lexicon), texts))
        times["terms now"].append(run(lambda text: terms.find_terms(text, lexicon), texts))
    persian_set = persian_texts(args.items // 5)
    persian_times = [run(figures.extract_figures, persian_set) for _ in range(args.rounds)]
    differ = persian = found = 0
    for title, summary in texts[:5000]:
        for text in (title, summary):
            now = signature(figures.extract_figures(text))
            found += bool(now)
            if any("\u0600" <= char <= "\u06ff" for char in text):
                persian += bool(now)
            elif now != signature(baseline.extract_figures(text)):
                differ += 1
    print(f"{args.items} items ({2 * args.items} texts), {args.rounds} rounds, "
          f"baseline {args.baseline}")
    for name, values in times.items():
        print(f"  {name:14} median {statistics.median(values):6.3f} s   "
              f"min {min(values):6.3f} s   ({', '.join(f'{v:.3f}' for v in values)})")
    for now, then in (("now", "baseline"), ("terms now", "terms baseline")):
        ratio = statistics.median(times[now]) / statistics.median(times[then])
        print(f"  {now} / {then} (median): {ratio:.3f}")
    print(f"  Persian only ({len(persian_set)} xling items): median "
          f"{statistics.median(persian_times):.3f} s, "
          f"{1000 * statistics.median(persian_times) / len(persian_set):.3f} s per 1,000 items")
    print(f"  first {min(5000, len(texts))} items: {found} texts with figures; {persian} Persian "
          f"texts with figures; {differ} non-Persian texts whose figures differ from the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
