"""Cleaner speed: `clean_text` on the raw titles and summaries of real feeds, the current
module against a baseline version of parse/clean.py from git, in the same process.

    python bench/clean.py [--baseline REV] [--repeat N]

Prints microseconds per field and milliseconds per 1,000 fields for both, and how many fields
come out different (the new cleaner keeps literal <, >, & and separates table cells).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import feedparser

from counterpoint.parse import clean

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data")


def baseline_module(rev: str) -> ModuleType:
    source = subprocess.run(["git", "show", f"{rev}:src/counterpoint/parse/clean.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "baseline_clean.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("baseline_clean", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def raw_fields() -> list[tuple[str, int]]:
    fields: list[tuple[str, int]] = []
    for document in sorted(DATA.glob("realday/*/feeds/*.xml")) + sorted(DATA.glob("feeds/real/*")):
        parsed = feedparser.parse(document.read_bytes(), sanitize_html=False,
                                  resolve_relative_uris=False)
        for entry in parsed.entries:
            fields.append((entry.get("title") or "", 300))
            fields.append((entry.get("summary") or "", 1000))
    return [(text, limit) for text, limit in fields if text]


def timed(module: ModuleType, fields: list[tuple[str, int]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text, limit in fields:
            module.clean_text(text, limit)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    old = baseline_module(args.baseline)
    fields = raw_fields()
    chars = sum(len(text) for text, _ in fields)
    print(f"{len(fields)} fields, {chars / len(fields):.0f} chars on average, "
          f"longest {max(len(t) for t, _ in fields)}")
    for name, module in (("baseline", old), ("current", clean), ("baseline", old),
                         ("current", clean)):
        seconds = timed(module, fields, args.repeat)
        per_field = seconds / len(fields)
        print(f"{name:9} {per_field * 1e6:6.1f} ms per 1,000 fields")
    article = "<p>Officials said <b>turnout</b> was 41% &amp; rising.</p>" * 2000  # 110 kB
    for name, module in (("baseline", old), ("current", clean)):
        seconds = timed(module, [(article, 1000)] * 20, args.repeat) / 20
        print(f"{name:9} {seconds * 1e3:6.2f} ms for one {len(article) // 1000} kB summary")
    differ = [(t, old.clean_text(t, n), clean.clean_text(t, n)) for t, n in fields
              if old.clean_text(t, n) != clean.clean_text(t, n)]
    print(f"{len(differ)} of {len(fields)} fields differ; first few:")
    for text, before, after in differ[:5]:
        print(f"  {text[:70]!r}\n    before {before[:70]!r}\n    after  {after[:70]!r}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
