"""Measure `counterpoint fetch` against baselines on a local feed server, in one run.

    python bench/fetch.py                                    # 200 feeds x 50 items, 0.1-1.0 s
    python bench/fetch.py --feeds 200 --items 50 --latency 0.1 1.0 --not-modified 1.0
    python bench/fetch.py --skip sequential                  # the sequential loop takes minutes

The server (bench/feedserver_bench.py) runs in its own process and gives every feed its own
loopback address, so per-host limits see one host per outlet. Every contender runs as its own
process, against the same server, and is measured from outside: wall time, CPU time (user +
system, including the worker processes it reaped), the peak RSS of its largest process and the
peak of the sum over its process tree (sampled every 20 ms).

Contenders:
- `counterpoint fetch` (the real CLI: config, lock, store), cold (empty database) and warm (a
  second run: every feed has validators; `--not-modified` of the feeds answer 304, the others
  send the same document again);
- `reader` (lemon24/reader) at `--workers` workers, cold and warm, if `--reader-python` points
  at an interpreter that has it (install it in its own venv: `pip install reader`);
- a naive asyncio loop: httpx.AsyncClient, every feed at once, feedparser inline on the loop;
- a sequential loop: httpx.Client and feedparser, one feed after another.

Counterpoint's `settings.concurrency` is set to `--concurrency` (default: `--feeds`, every feed
in flight at once: the requests wait on the servers, not on the client) and `per_host` stays at
its default 4, which one address per feed never reaches.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from feedserver_bench import add_feed_options  # bench/ is on sys.path when run as a script

HERE = Path(__file__).resolve().parent
DEFAULT_READER_PYTHON = "/tmp/readervenv/bin/python"
MAX_RUN_SECONDS = 900


@dataclass(frozen=True)
class Measure:
    name: str
    wall: float
    cpu: float
    rss_mb: float  # largest single process
    tree_mb: float  # sum over the process tree, sampled
    items: int
    status: int


# -- measuring a process from outside -------------------------------------------------------

def _tree_rss_mb(root: int) -> float:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21])
    page = os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0) * page
        todo.extend(children.get(pid, ()))
    return total / 2**20


def measure(name: str, argv: list[str], env: dict[str, str] | None = None,
            count_items: object = None) -> Measure:
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = bytearray()
    err = bytearray()
    readers = [threading.Thread(target=lambda s=s, b=b: b.extend(s.read()), daemon=True)
               for s, b in ((process.stdout, out), (process.stderr, err))]
    for reader in readers:
        reader.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    for reader in readers:
        reader.join(5)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 3):
        sys.stderr.write(f"{name} failed ({process.returncode}):\n{err.decode()[-2000:]}\n")
    items = count_items() if callable(count_items) else _last_json(out).get("items", -1)
    return Measure(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   peak[0], items, process.returncode)


def _last_json(out: bytes) -> dict[str, int]:
    lines = out.decode(errors="replace").strip().splitlines()
    try:
        return dict(json.loads(lines[-1])) if lines else {}
    except ValueError:
        return {}


# -- the contenders ---------------------------------------------------------------------------

def write_config(path: Path, urls: list[str], concurrency: int, per_host: int | None) -> None:
    classes = ["government", "opposition", "wire", "ngo", "independent"]
    lines = ["[settings]", f"concurrency = {concurrency}", "timeout = 30"]
    lines += [f"per_host = {per_host}", ""] if per_host else [""]
    for n, url in enumerate(urls):
        lines += ["[[outlets]]", f'name = "Outlet {n}"', f'affiliation = "{classes[n % 5]}"',
                  f'feeds = ["{url}"]', ""]
    path.write_text("\n".join(lines))


def counterpoint_argv(config: Path, db: Path) -> list[str]:
    script = Path(sys.executable).with_name("counterpoint")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "counterpoint"]
    return [*base, "--config", str(config), "--db", str(db), "-q", "fetch", "--json"]


def count_rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def run_sequential(urls: list[str]) -> int:
    import feedparser
    import httpx

    items = 0
    with httpx.Client(timeout=30) as client:
        for url in urls:
            items += len(feedparser.parse(client.get(url).content).entries)
    return items


def run_naive_asyncio(urls: list[str]) -> int:
    import asyncio

    import feedparser
    import httpx

    async def main() -> int:
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=None)) \
                as client:
            async def one(url: str) -> int:
                response = await client.get(url)
                return len(feedparser.parse(response.content).entries)

            return sum(await asyncio.gather(*(one(url) for url in urls)))

    return asyncio.run(main())


def run_reader(urls: list[str], db: str, workers: int, add: bool) -> int:
    from reader import make_reader

    reader = make_reader(db)
    if add:
        for url in urls:
            reader.add_feed(url)
    reader.update_feeds(workers=workers, scheduled=False)
    count = reader.get_entry_counts().total
    reader.close()
    return int(count or 0)


def baseline_main(args: argparse.Namespace) -> None:
    urls = json.loads(Path(args.urls).read_text())
    if args.baseline == "sequential":
        items = run_sequential(urls)
    elif args.baseline == "naive-asyncio":
        items = run_naive_asyncio(urls)
    else:
        items = run_reader(urls, args.db, args.workers, add=args.baseline == "reader-cold")
    print(json.dumps({"items": items}))


def help_seconds(runs: int = 7) -> float:
    script = Path(sys.executable).with_name("counterpoint")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "counterpoint"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*argv, "--help"], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# -- the run ------------------------------------------------------------------------------

def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], dict[str, object]]:
    server = subprocess.Popen(
        [sys.executable, str(HERE / "feedserver_bench.py"), "--feeds", str(args.feeds),
         "--items", str(args.items), "--latency", *map(str, args.latency),
         "--not-modified", str(args.not_modified), "--hosts", str(args.hosts)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line:
        raise SystemExit("the feed server did not start")
    return server, json.loads(line)


def table(rows: list[Measure], reader_cold: Measure | None, reader_warm: Measure | None,
          slowest: float, expected: int) -> str:
    head = (f"{'run':<28} {'wall s':>7} {'CPU s':>6} {'RSS MB':>7} {'tree MB':>8} "
            f"{'items':>6} {'x reader':>9} {'x slowest':>10}")
    lines = [head, "-" * len(head)]
    for row in rows:
        baseline = reader_warm if "warm" in row.name else reader_cold
        versus = f"{row.wall / baseline.wall:.2f}" if baseline else "-"
        check = "" if row.items in (expected, -1) else " !"
        lines.append(f"{row.name:<28} {row.wall:7.2f} {row.cpu:6.2f} {row.rss_mb:7.0f} "
                     f"{row.tree_mb:8.0f} {row.items:6d}{check:1} {versus:>8} "
                     f"{row.wall / slowest:10.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_feed_options(parser)
    parser.add_argument("--workers", type=int, default=64, help="reader's worker threads")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="counterpoint's settings.concurrency (default: --feeds)")
    parser.add_argument("--per-host", type=int, default=None,
                        help="counterpoint's settings.per_host (default: its own default)")
    parser.add_argument("--reader-python", default=DEFAULT_READER_PYTHON)
    parser.add_argument("--skip", default="", help="comma-separated: sequential, naive-asyncio, "
                        "reader, help")
    parser.add_argument("--baseline", help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline_main(args)
        return

    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    concurrency = args.concurrency or args.feeds
    reader_ok = "reader" not in skip and Path(args.reader_python).exists() and subprocess.run(
        [args.reader_python, "-c", "import reader"], capture_output=True).returncode == 0
    server, info = start_server(args)
    urls: list[str] = info["urls"]  # type: ignore[assignment]
    slowest = float(info["slowest"])  # type: ignore[arg-type]
    expected = args.feeds * args.items
    rows: list[Measure] = []
    reader_cold = reader_warm = None
    work = Path(tempfile.mkdtemp(prefix="cp-bench-"))
    try:
        urls_file = work / "urls.json"
        urls_file.write_text(json.dumps(urls))
        config, db = work / "feeds.toml", work / "cp.sqlite"
        write_config(config, urls, concurrency, args.per_host)
        env = {**os.environ, "XDG_DATA_HOME": str(work / "data"),
               "XDG_CONFIG_HOME": str(work / "config"), "NO_COLOR": "1"}
        me = [sys.executable, str(Path(__file__).resolve()), "--urls", str(urls_file)]
        rows.append(measure("counterpoint fetch cold", counterpoint_argv(config, db), env,
                            lambda: count_rows(db, "items")))
        rows.append(measure("counterpoint fetch warm", counterpoint_argv(config, db), env,
                            lambda: count_rows(db, "items")))
        if reader_ok:
            reader_db = str(work / "reader.sqlite")
            argv = [args.reader_python, str(Path(__file__).resolve()), "--urls", str(urls_file),
                    "--db", reader_db, "--workers", str(args.workers)]
            reader_cold = measure(f"reader {args.workers} workers cold",
                                  [*argv, "--baseline", "reader-cold"])
            reader_warm = measure(f"reader {args.workers} workers warm",
                                  [*argv, "--baseline", "reader-warm"])
            rows += [reader_cold, reader_warm]
        if "naive-asyncio" not in skip:
            rows.append(measure("naive asyncio, inline parse", [*me, "--baseline",
                                                                "naive-asyncio"]))
        if "sequential" not in skip:
            rows.append(measure("sequential httpx+feedparser", [*me, "--baseline",
                                                                "sequential"]))
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(10)
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.feeds} feeds x {args.items} items ({info['bytes'] / 2**20:.1f} MB), latency "
          f"{args.latency[0]:g}-{args.latency[1]:g} s (slowest {slowest:.2f} s), "
          f"{args.not_modified:.0%} answer 304 when warm; counterpoint concurrency "
          f"{concurrency}, per_host {args.per_host or 'default'}, "
          f"{len({url.split('/')[2] for url in urls})} hosts; {os.cpu_count()} CPUs; "
          f"load {os.getloadavg()[0]:.1f}")
    if not reader_ok and "reader" not in skip:
        print(f"reader: not measured ({args.reader_python} cannot import reader)")
    print(table(rows, reader_cold, reader_warm, slowest, expected))
    if "help" not in skip:
        print(f"counterpoint --help: {help_seconds():.3f} s (median of 7)")


if __name__ == "__main__":
    main()
