"""Check the fast parse path against feedparser on whole corpora, and time both.

    python bench/parse_equivalence.py                       # shared real + malformed corpora
    python bench/parse_equivalence.py DIR… [--bench-docs 40]

For every file and each of several Content-Types (none, as for a local file; application/xml;
text/xml, which feedparser reads as US-ASCII), `parse_feed` (fast path first, feedparser as the
fallback) and `parse_feed_reference` (feedparser only) must return identical ParsedFeeds: every
item field, the error and the feed title. Prints how many documents the fast path claimed and
every difference (exit status 1 if any). Then times both on the benchmark's synthetic
50-item RSS documents (bench/feedserver_bench.py `feed_document`) and on the claimed corpus
documents.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from counterpoint.parse import fast as fastparse
from counterpoint.parse.feed import ParsedFeed, parse_feed, parse_feed_reference
from feedserver_bench import feed_document  # bench/ is on sys.path when run as a script

CORPORA = [Path("/work/shared/data/feeds/real"), Path("/work/shared/data/feeds/malformed")]
CONTENT_TYPES = [None, "application/xml", "text/xml"]
URL = "https://example.org/feed.xml"
NOW = datetime(2026, 5, 1, tzinfo=UTC)

Parser = Callable[[bytes, str, str, str, datetime, str | None], ParsedFeed]


def _differences(fast: ParsedFeed, reference: ParsedFeed) -> list[str]:
    out = []
    if fast.error != reference.error:
        out.append(f"error {fast.error!r} != {reference.error!r}")
    if fast.title != reference.title:
        out.append(f"title {fast.title!r} != {reference.title!r}")
    if len(fast.items) != len(reference.items):
        out.append(f"{len(fast.items)} items != {len(reference.items)}")
    for n, (a, b) in enumerate(zip(fast.items, reference.items, strict=False)):
        for field in ("key", "title", "summary", "link", "published", "dated", "outlet",
                      "affiliation", "feed_url"):
            if getattr(a, field) != getattr(b, field):
                out.append(f"item {n} {field}: {getattr(a, field)!r} != {getattr(b, field)!r}")
    return out


def check(paths: list[Path]) -> tuple[int, list[bytes]]:
    differences = 0
    claimed_docs: list[bytes] = []
    print(f"{'corpus':<28} {'files':>5} {'runs':>5} {'fast':>5} {'declined':>8} {'diffs':>5}  "
          f"fast by Content-Type (none / application/xml / text/xml)")
    for directory in paths:
        files = sorted(p for p in directory.iterdir()
                       if p.is_file() and p.name not in ("README.md", "EXPECTED.json"))
        runs = fast_runs = diffs = 0
        by_type = dict.fromkeys(CONTENT_TYPES, 0)
        for path in files:
            content = path.read_bytes()
            for content_type in CONTENT_TYPES:
                runs += 1
                claimed = fastparse.parse(content, URL, content_type) is not None
                fast = parse_feed(content, URL, "Outlet", "wire", NOW, content_type)
                reference = parse_feed_reference(content, URL, "Outlet", "wire", NOW,
                                                 content_type)
                if claimed:
                    fast_runs += 1
                    by_type[content_type] += 1
                    if content_type == "application/xml":
                        claimed_docs.append(content)
                found = _differences(fast, reference)
                if found or fast != reference:
                    diffs += 1
                    print(f"DIFFERENT {path.name} ({content_type}): {found[:3]}")
        differences += diffs
        print(f"{str(directory)[-28:]:<28} {len(files):>5} {runs:>5} {fast_runs:>5} "
              f"{runs - fast_runs:>8} {diffs:>5}  "
              + " / ".join(str(by_type[t]) for t in CONTENT_TYPES))
    return differences, claimed_docs


def per_doc_ms(parser: Parser, docs: list[bytes], content_type: str | None,
               repeat: int = 5) -> float:
    for doc in docs[:2]:
        parser(doc, URL, "Outlet", "wire", NOW, content_type)
    rounds = []
    for _ in range(repeat):
        started = time.perf_counter()
        for doc in docs:
            parser(doc, URL, "Outlet", "wire", NOW, content_type)
        rounds.append((time.perf_counter() - started) / len(docs) * 1000)
    return statistics.median(rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=CORPORA)
    parser.add_argument("--bench-docs", type=int, default=40)
    args = parser.parse_args()
    differences, claimed_docs = check(args.dirs)
    print(f"differences: {differences}")

    rng = random.Random(8)
    now = datetime.now(UTC).replace(microsecond=0)
    bench_docs = [feed_document(i, 50, now, rng) for i in range(args.bench_docs)]
    print(f"\n{'per document (median of 5)':<40} {'fast ms':>8} {'feedparser ms':>14} "
          f"{'speed-up':>8}")
    for label, docs, content_type in (
            (f"bench feed_document, 50 items (x{len(bench_docs)})", bench_docs,
             "application/rss+xml; charset=utf-8"),
            (f"claimed corpus documents (x{len(claimed_docs)})", claimed_docs,
             "application/xml")):
        if not docs:
            continue
        fast_ms = per_doc_ms(parse_feed, docs, content_type)
        reference_ms = per_doc_ms(parse_feed_reference, docs, content_type)
        print(f"{label:<40} {fast_ms:>8.2f} {reference_ms:>14.2f} "
              f"{reference_ms / fast_ms:>7.1f}x")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
