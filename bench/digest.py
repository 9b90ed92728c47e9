"""Time `counterpoint digest --offline` over a power user's store, against a baseline, in one run.

    python bench/digest.py                          # 1k / 5k / 10k / 20k items, terminal and --json
    python bench/digest.py --sizes 10000 --repeat 3 --baseline main
    python bench/digest.py --sizes 10000 --profile  # cProfile of one --json run, top functions

The workload is real text: the headlines and leads of `data/realday/*/items.jsonl` (two real feed
days, hand-labelled), `data/xling/items.jsonl` (English and Persian) and `data/stories/*.jsonl`
(AllSides, NeuS probe, UCI News Aggregator, BASIL), about 14,000 distinct items. They are spread
over two days before now and over 200 outlets of five affiliations: the real outlets keep their
items, the rest are dealt out evenly; items of one labelled story land within a few hours of each
other, so stories look as they do in a real store. Above the pool's size, texts are reused by
other outlets a few hours later (syndicated copy). Items go in through the store API
(`Store.add_items`, `Store.save_feed`), the config carries the shipped [topics] and [lexicon].

Each run is `counterpoint --db X --config Y digest --offline --since 49h [--json]` as its own
process, stdout to a file; wall time and peak RSS (`wait4`) are measured from outside.
`--baseline REF…` runs the same commands with `src/` of each git ref (exported to a temporary
directory, first on PYTHONPATH) in the same run, alternating with the current tree.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
DATA = Path(os.environ.get("COUNTERPOINT_SHARED", "/work/shared")) / "data"
OUTLETS = 200
SPAN_HOURS = 47.0
AFFILIATIONS = ("government", "opposition", "wire", "ngo", "independent")


# -- the workload ---------------------------------------------------------------------------

def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def text_pool() -> list[dict[str, str]]:
    """Distinct (title, summary) records with their outlet ('' if unknown) and story label."""
    files = [*sorted(DATA.glob("realday/*/items.jsonl")), DATA / "xling" / "items.jsonl"]
    files += sorted((DATA / "stories").glob("*.jsonl"))
    pool, seen = [], set()
    for path in files:
        for row in _read_jsonl(path):
            title, summary = str(row.get("title") or ""), str(row.get("summary") or "")
            if not title or (title, summary) in seen:
                continue
            seen.add((title, summary))
            pool.append({"title": title, "summary": summary,
                         "outlet": str(row.get("outlet") or ""),
                         "story": f"{path.parent.name}/{path.stem}:"
                                  f"{row.get('story') or row['id']}"})
    return pool


def outlet_names(pool: list[dict[str, str]]) -> list[str]:
    """The 200 outlets: the real outlets with most items first, then numbered ones."""
    counts: dict[str, int] = {}
    for record in pool:
        if record["outlet"]:
            counts[record["outlet"]] = counts.get(record["outlet"], 0) + 1
    real = sorted(counts, key=lambda name: (-counts[name], name))[:OUTLETS // 2]
    return real + [f"Outlet {n:03d}" for n in range(OUTLETS - len(real))]


Placed = tuple[str, dict[str, str], datetime]


def workload(n: int, now: datetime, seed: int = 17) -> tuple[list[str], list[Placed]]:
    """n items as (outlet, record, published), newest at least an hour before now."""
    rng = random.Random(seed)
    pool = text_pool()
    names = outlet_names(pool)
    known = set(names)
    stories: dict[str, list[dict[str, str]]] = {}
    for record in pool:
        stories.setdefault(record["story"], []).append(record)
    order = list(stories)
    rng.shuffle(order)
    chosen: list[Placed] = []
    spare = iter(range(10**9))
    copy = 0
    while len(chosen) < n:
        for label in order:
            centre = now - timedelta(hours=1 + rng.random() * (SPAN_HOURS - 8))
            for record in stories[label]:
                outlet = record["outlet"] if record["outlet"] in known and copy == 0 else (
                    names[OUTLETS // 2 + next(spare) % (OUTLETS - OUTLETS // 2)]
                    if copy == 0 else names[rng.randrange(OUTLETS)])
                offset = timedelta(hours=rng.random() * 6 + 3 * copy)
                when = min(centre + offset, now - timedelta(hours=1))
                chosen.append((outlet, record, when.replace(microsecond=0)))
                if len(chosen) == n:
                    return names, chosen
        copy += 1
    return names, chosen


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_config(path: Path, names: list[str]) -> None:
    import tomllib

    shipped = tomllib.loads((SRC / "counterpoint" / "config" / "feeds.toml").read_text("utf-8"))
    lines = ['[settings]', 'window = "24h"', "", "[affiliations]"]
    lines += [f"{key} = {_toml(label)}" for key, label in shipped["affiliations"].items()]
    lines += ["", "[balance]"] + [f"{key} = 1" for key in AFFILIATIONS]
    for key, rule in shipped.get("topics", {}).items():
        lines += ["", f"[topics.{key}]"] + [f"{k} = {_toml(v)}" for k, v in rule.items()]
    for key, group in shipped.get("lexicon", {}).items():
        lines += ["", f"[lexicon.{key}]"] + [f"{k} = {_toml(v)}" for k, v in group.items()]
    for n, name in enumerate(names):
        lines += ["", "[[outlets]]", f"name = {_toml(name)}",
                  f'affiliation = "{AFFILIATIONS[n % len(AFFILIATIONS)]}"',
                  f'feeds = ["http://127.0.0.{2 + n % 20}:9/feed{n}.xml"]']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_store(directory: Path, n: int) -> tuple[Path, Path]:
    """A database and config with n items in the last two days, written through the store API."""
    sys.path.insert(0, str(SRC))
    from counterpoint.models import Item
    from counterpoint.store.db import FeedState, Store

    now = datetime.now(UTC).replace(microsecond=0)
    names, chosen = workload(n, now)
    config, db = directory / f"feeds-{n}.toml", directory / f"store-{n}.sqlite"
    write_config(config, names)
    affiliation = {name: AFFILIATIONS[k % len(AFFILIATIONS)] for k, name in enumerate(names)}
    url = {name: f"http://127.0.0.{2 + k % 20}:9/feed{k}.xml" for k, name in enumerate(names)}
    items = [Item(outlet=outlet, affiliation=affiliation[outlet], feed_url=url[outlet],
                  key=f"bench:{k}", title=record["title"], summary=record["summary"],
                  link=f"https://example.org/{k}", published=when)
             for k, (outlet, record, when) in enumerate(chosen)]
    with Store(db) as store:
        store.add_items(items, now)
        for name in names:
            store.save_feed(FeedState(url=url[name], outlet=name, status="ok", http_status=200,
                                      checked_at=now, last_ok=now))
    return db, config


# -- measuring ------------------------------------------------------------------------------

def run_digest(db: Path, config: Path, out: Path, *, as_json: bool, pythonpath: str,
               extra: tuple[str, ...] = ()) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS in MB, exit status and CPU seconds of one digest process.

    Each run gets a fresh copy of the store: a digest records story memory, and every run
    should meet the same store (the first digest over these items)."""
    fresh = out.with_name("run.sqlite")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, fresh)
    db = fresh
    command = [sys.executable, *extra, "-m", "counterpoint", "--db", str(db), "--config",
               str(config), "--no-color", "digest", "--offline", "--since", "49h"]
    if as_json:
        command.append("--json")
    env = {**os.environ, "PYTHONPATH": pythonpath, "COLUMNS": "120"}
    start = time.perf_counter()
    with out.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return (wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
            usage.ru_utime + usage.ru_stime)


def export_ref(ref: str, directory: Path) -> str:
    target = directory / f"baseline-{ref.replace('/', '-')}"
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", ref, "src"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return str(target / "src")


def help_time(pythonpath: str, runs: int = 7) -> float:
    env = {**os.environ, "PYTHONPATH": pythonpath}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "counterpoint", "--help"], env=env,
                       stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; medians are shown")
    parser.add_argument("--baseline", metavar="REF", nargs="+", default=[],
                        help="git refs to compare against (each runs its own src/)")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile of one --json run at the largest size")
    parser.add_argument("--keep", metavar="DIR", help="build the stores here and keep them")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cp-digest-") as temporary:
        directory = Path(args.keep or temporary)
        directory.mkdir(parents=True, exist_ok=True)
        trees = [("current", str(SRC))]
        for ref in args.baseline:
            trees.append((f"baseline {ref}", export_ref(ref, Path(temporary))))
        load = os.getloadavg()
        print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
              f"{os.cpu_count()} CPUs; medians of {args.repeat}", flush=True)
        header = (f"{'tree':<22} {'items':>6} {'output':<9} {'wall s':>7} {'min s':>6} "
                  f"{'CPU s':>6} {'RSS MB':>7} {'exit':>4}")
        print(header + "\n" + "-" * len(header), flush=True)
        for n in args.sizes:
            start = time.perf_counter()
            db, config = build_store(directory, n)
            print(f"# {n} items stored in {time.perf_counter() - start:.1f} s", file=sys.stderr)
            for as_json in (False, True):
                results: dict[str, list[tuple[float, float, int, float]]] = {
                    name: [] for name, _ in trees}
                for _ in range(args.repeat):
                    for name, path in trees:
                        results[name].append(run_digest(db, config, directory / "out.txt",
                                                        as_json=as_json, pythonpath=path))
                for name, _ in trees:
                    runs = results[name]
                    print(f"{name:<22} {n:>6} {'--json' if as_json else 'terminal':<9} "
                          f"{statistics.median(r[0] for r in runs):>7.2f} "
                          f"{min(r[0] for r in runs):>6.2f} "
                          f"{statistics.median(r[3] for r in runs):>6.2f} "
                          f"{statistics.median(r[1] for r in runs):>7.0f} "
                          f"{max(r[2] for r in runs):>4}", flush=True)
        for name, path in trees:
            print(f"{name}: counterpoint --help {help_time(path):.3f} s (median of 7)")
        if args.profile:
            n = max(args.sizes)
            db, config = directory / f"store-{n}.sqlite", directory / f"feeds-{n}.toml"
            stats = directory / "digest.prof"
            run_digest(db, config, directory / "out.txt", as_json=True, pythonpath=str(SRC),
                       extra=("-m", "cProfile", "-o", str(stats)))
            import pstats

            print(f"\nprofile of digest --json over {n} items (cumulative, top 35):")
            pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(35)
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
