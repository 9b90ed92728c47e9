"""Measure the digest's front page on real feed days, served from 127.0.0.1, through the CLI.

    python bench/frontpage.py                       # every day under /work/shared/data/realday
    python bench/frontpage.py DAY_DIR ... --columns 80

For each day: the outlets of `DAY_DIR/feeds/*.xml` get the five default classes in turn (so every
class has three or four outlets), one fetch fills a database, then `counterpoint digest` runs as a
user runs it (not a terminal, `COLUMNS` set) and prints:

- lines of the front page against `--all` (every story, the old shape) in the same run;
- whether every class that published in the window is on the front page, also with `--limit 15`;
- reading lists (default, `--limit 1`, `--limit 15`) holding two items of one side from one story;
- blindspots of a single item (there must be none);

and, with `--baseline-src DIR` (e.g. /work/main/src), the same digest from that source tree in
the same run (its lines and one-item blindspots); then, with 30 dead feeds (connection refused
and HTTP 500) and one live one, the lines of stdout and stderr that speak of failures, and the
exit code.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REALDAY = Path("/work/shared/data/realday")
CLASSES = ("government", "independent", "ngo", "opposition", "wire")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/fail/"):
            self.send_error(500)
            return
        super().do_GET()


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def config_text(outlets: list[tuple[str, str, str]]) -> str:
    lines = ['[settings]\nwindow = "24h"\ntimeout = 5\n']
    for name, affiliation, url in outlets:
        lines.append(f'[[outlets]]\nname = "{name}"\naffiliation = "{affiliation}"\n'
                     f'feeds = ["{url}"]\n')
    return "\n".join(lines)


BASELINE: dict[str, str] = {}


def cli(work: Path, *args: str, columns: int, baseline: bool = False
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(BASELINE if baseline else {}), "COLUMNS": str(columns),
           "COUNTERPOINT_DB": str(work / "db.sqlite"),
           "COUNTERPOINT_CONFIG": str(work / "feeds.toml"), "TZ": "UTC"}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "counterpoint", *args], capture_output=True,
                          text=True, env=env, check=False)


def window(day: Path) -> list[str]:
    stamps = [json.loads(line)["published"] for line in (day / "items.jsonl").open()]
    latest = max(stamp for stamp in stamps if stamp)
    return ["--since", "2000-01-01", "--until", latest[:10] + "T23:59:59Z"]


def page_sides(doc: dict[str, Any]) -> tuple[set[str], set[str]]:
    stories = {story["id"]: story for story in doc["stories"]}
    published = {key for story in doc["stories"] for key in story["affiliations"]}
    on_page = {key for sid in doc["front_page"] for key in stories[sid]["affiliations"]}
    return published, on_page


def doubled(doc: dict[str, Any]) -> int:
    picks = Counter((pick["story"], pick["affiliation"]) for pick in doc["reading_list"])
    return sum(1 for count in picks.values() if count > 1)


def one_item_blindspots(doc: dict[str, Any]) -> int:
    stories = {story["id"]: story for story in doc["stories"]}
    return sum(1 for sid in doc["blindspots"] if len(stories[sid]["items"]) < 2)


def measure_day(day: Path, columns: int) -> None:
    server, base = serve(day / "feeds")
    try:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            names = sorted(path.stem for path in (day / "feeds").glob("*.xml"))
            outlets = [(name, CLASSES[n % len(CLASSES)], f"{base}/{name}.xml")
                       for n, name in enumerate(names)]
            (work / "feeds.toml").write_text(config_text(outlets))
            cli(work, "fetch", columns=columns)
            span = window(day)
            started = time.perf_counter()
            page = cli(work, "digest", "--offline", *span, columns=columns)
            seconds = time.perf_counter() - started
            everything = cli(work, "digest", "--offline", "--all", *span, columns=columns)
            print(f"{day.name}: {len(outlets)} outlets at {columns} columns: front page "
                  f"{len(page.stdout.splitlines())} lines ({seconds:.2f}s), --all "
                  f"{len(everything.stdout.splitlines())} lines; exit {page.returncode}")
            if BASELINE:
                old = cli(work, "digest", "--offline", *span, columns=columns, baseline=True)
                old_doc = json.loads(cli(work, "digest", "--offline", "--json", *span,
                                         columns=columns, baseline=True).stdout)
                print(f"  baseline {BASELINE['PYTHONPATH']}: digest "
                      f"{len(old.stdout.splitlines())} lines; blindspots "
                      f"{len(old_doc['blindspots'])}, of one item "
                      f"{one_item_blindspots(old_doc)}")
            for label, extra in (("default", []), ("--limit 15", ["--limit", "15"]),
                                 ("--limit 1", ["--limit", "1"])):
                doc = json.loads(cli(work, "digest", "--offline", "--json", *span, *extra,
                                     columns=columns).stdout)
                published, on_page = page_sides(doc)
                missing = sorted(published - on_page)
                print(f"  {label:<11} {len(doc['front_page'])} of {len(doc['stories'])} "
                      f"stories; sides published {len(published)}, on the page "
                      f"{len(on_page)}{' (missing ' + ', '.join(missing) + ')' if missing else ''}"
                      f"; reading list {len(doc['reading_list'])}, doubled sides "
                      f"{doubled(doc)}; blindspots {len(doc['blindspots'])}, of one item "
                      f"{one_item_blindspots(doc)}")
    finally:
        server.shutdown()


def measure_dead(day: Path, columns: int) -> None:
    server, base = serve(day / "feeds")
    try:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            live = sorted((day / "feeds").glob("*.xml"))[0].stem
            outlets = [(live, "wire", f"{base}/{live}.xml")]
            outlets += [(f"Dead {n}", CLASSES[n % len(CLASSES)],
                         f"http://127.0.0.1:9/feed{n}.xml" if n % 3 else f"{base}/fail/{n}.xml")
                        for n in range(30)]
            (work / "feeds.toml").write_text(config_text(outlets))
            run = cli(work, "digest", "--since", "2000-01-01", columns=columns)
            out, err = run.stdout.splitlines(), run.stderr.splitlines()
            header = out[:out.index("")] if "" in out else out
            failing = [line for line in header if "fail" in line.casefold() or "healthy" in line]
            print(f"30 dead feeds + 1 live: exit {run.returncode}; stderr {len(err)} lines, "
                  f"header lines about failures {len(failing)} (total together "
                  f"{len(err) + len(failing)}); the page opens:")
            for line in [*err, *header]:
                print(f"  | {line}")
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("days", nargs="*", type=Path)
    parser.add_argument("--columns", type=int, default=100)
    parser.add_argument("--baseline-src", type=Path,
                        help="a source tree to run the same digest from, for comparison")
    args = parser.parse_args()
    if args.baseline_src:
        BASELINE["PYTHONPATH"] = str(args.baseline_src)
    days = args.days or sorted(path for path in REALDAY.iterdir() if (path / "feeds").is_dir())
    for day in days:
        measure_day(day, args.columns)
    measure_dead(days[0], args.columns)


if __name__ == "__main__":
    main()
