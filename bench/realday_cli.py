"""Story grouping on the real feed days through the installed CLI, end to end.

Each day's captured feed files are served from 127.0.0.1 (one URL per outlet, as a user's
feeds.toml would name them), fetched by `counterpoint fetch`, and grouped by
`counterpoint digest --offline --json` over the whole file (`--since` a week before the
snapshot, as data/realday/README.md advises). Every printed item is matched to its label by
link; pairwise and B-cubed figures are printed per day and pooled, as bench/grouping.py prints
them for the in-process method. The feeds.toml written has no `[lexicon]` (a user's own mix);
outlets get the five classes in turn. Undated items are dated when fetched (today), so they
fall outside the window and are not scored.

    python bench/realday_cli.py                 # both days of /work/shared/data/realday
    python bench/realday_cli.py DAY_DIR...
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import grouping

REAL_DAYS = Path("/work/shared/data/realday")
CLI = [sys.executable, "-c", "import sys; from counterpoint.cli.main import main; sys.exit(main())"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def through_cli(day: Path) -> tuple[grouping.Scores, int, int]:
    """The day's scores over the items the digest printed; (scores, printed, labelled)."""
    manifest = json.loads((day / "manifest.json").read_text(encoding="utf-8"))
    labels: dict[str, str] = json.loads((day / "labels.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in (day / "items.jsonl").open(encoding="utf-8")]
    snapshot = max(datetime.fromisoformat(r["published"].replace("Z", "+00:00"))
                   for r in rows if r["published"])
    server, base = _serve(day / "feeds")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "feeds.toml"
            blocks = ["[settings]\ntimeout = 10\n"]
            for n, entry in enumerate(manifest):
                classes = ("wire", "independent", "government", "opposition", "ngo")
                blocks.append(f'[[outlets]]\nname = "{entry["display"]}"\n'
                              f'affiliation = "{classes[n % len(classes)]}"\n'
                              f'feeds = ["{base}/{entry["path"]}"]\n')
            config.write_text("\n".join(blocks), encoding="utf-8")
            args = [*CLI, "--config", str(config), "--db", str(Path(tmp) / "db.sqlite")]
            subprocess.run([*args, "fetch"], check=False, capture_output=True)
            since = (snapshot - timedelta(days=7)).isoformat()
            until = (snapshot + timedelta(hours=1)).isoformat()
            started = time.perf_counter()
            done = subprocess.run([*args, "digest", "--offline", "--json", "--since", since,
                                   "--until", until], check=False, capture_output=True,
                                  text=True)
            seconds = time.perf_counter() - started
    finally:
        server.shutdown()
    if not done.stdout:
        raise SystemExit(f"digest failed: {done.stderr.strip()}")
    stories = json.loads(done.stdout)["stories"]
    gold: list[str] = []
    groups: list[list[int]] = []
    for story in stories:
        members = [str(item["link"]) for item in story["items"] if item["link"] in labels]
        groups.append(list(range(len(gold), len(gold) + len(members))))
        gold.extend(labels[link] for link in members)
    return grouping.score(gold, [g for g in groups if g], seconds), len(gold), len(labels)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("days", nargs="*", type=Path)
    args = parser.parse_args(argv)
    days = args.days or sorted(p for p in REAL_DAYS.iterdir() if p.is_dir())
    print("| set | B³ P | B³ R | B³ F1 | pairwise P | pairwise R | pairwise F1 | groups (gold) "
          "| digest time |")
    print("|---|---|---|---|---|---|---|---|---|")
    found = []
    for day in days:
        scores, printed, labelled = through_cli(day)
        found.append(scores)
        print(grouping.row(f"realday {day.name} via CLI ({printed} of {labelled} items)",
                           scores))
    if len(found) > 1:
        print(grouping.row("real days pooled via CLI", grouping.pooled(found)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
