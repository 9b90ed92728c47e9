"""Measure story memory: database growth per 1,000 items and per month of daily digests, and
what the memory step costs a digest.

A month is simulated from the two real days of /work/shared/data/realday/: day d replays one of
the two captured days (alternately), its items moved to day d and given keys of their own, then
a digest runs at 07:00 the next morning with the default 24 h window (`--offline`: the items are
stored directly), exactly as a daily cron job would. Sizes come from SQLite's `dbstat` (pages
actually used per table and index).

    python bench/memory.py                 # 30 days
    python bench/memory.py --days 90 --keep 30d
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sqlite3
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import counterpoint.timeutil
from counterpoint.cli.main import main
from counterpoint.models import Item
from counterpoint.store.db import Store

REALDAY = Path("/work/shared/data/realday")
DAYS = ("2020-07-08", "2021-07-16")
MEMORY_TABLES = ("stories", "story_items", "runs", "run_stories", "shown_items", "shown_figures")


def load(day: str) -> list[dict[str, str]]:
    with open(REALDAY / day / "items.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def shifted(rows: list[dict[str, str]], day: str, target: datetime, tag: int) -> list[Item]:
    base = datetime.fromisoformat(day).replace(tzinfo=UTC) - timedelta(days=1)  # most items
    items = []
    for row in rows:
        published = (datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
                     if row["published"] else base + timedelta(hours=12))
        items.append(Item(outlet=row["outlet"], affiliation="wire", feed_url=row["outlet"],
                          key=f"{row['id']}#{tag}", title=row["title"],
                          summary=row["summary"] or "",
                          link=f"{row['link']}#{tag}" if row["link"] else None,
                          published=target + (published - base)))
    return items


def sizes(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT d.name, s.tbl_name, SUM(d.pgsize) FROM dbstat d JOIN"
                          " sqlite_master s ON s.name = d.name GROUP BY d.name").fetchall()
        rows += db.execute("SELECT name, name, SUM(pgsize) FROM dbstat WHERE name LIKE"
                           " 'sqlite_autoindex_%' GROUP BY name").fetchall()
    finally:
        db.close()
    by_table: Counter[str] = Counter()
    for name, table, size in rows:
        owner = table if not name.startswith("sqlite_autoindex_") else name.split("_")[2]
        by_table[owner] += size
    return dict(by_table)


def run(days: int, keep: str | None) -> None:
    captured = {day: load(day) for day in DAYS}
    outlets = sorted({row["outlet"] for rows in captured.values() for row in rows})
    work = Path(tempfile.mkdtemp(prefix="memory-bench-"))
    config = work / "feeds.toml"
    config.write_text((f'[settings]\nkeep = "{keep}"\n\n' if keep else "") + "".join(
        f'[[outlets]]\nname = {json.dumps(name)}\naffiliation = '
        f'"{("wire", "government", "opposition", "independent")[n % 4]}"\n'
        f'feeds = ["https://example.invalid/{n}"]\n\n' for n, name in enumerate(outlets)))
    db = work / "db.sqlite"
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items_total = 0
    spent = []
    statuses: Counter[str] = Counter()
    for d in range(days):
        day = DAYS[d % 2]
        target = start + timedelta(days=d)
        batch = shifted(captured[day], day, target, d)
        with Store(db) as store:
            items_total += store.add_items(batch, target)
        morning = target + timedelta(days=1, hours=7)
        counterpoint.timeutil.utcnow = lambda moment=morning: moment  # type: ignore[misc]
        out = io.StringIO()
        began = time.perf_counter()
        with contextlib.redirect_stdout(out):
            code = main(["--config", str(config), "--db", str(db), "-q", "digest", "--offline",
                         "--json"])
        spent.append(time.perf_counter() - began)
        assert code == 0, code
        statuses.update(s["status"] for s in json.loads(out.getvalue())["stories"])
    table = sizes(db)
    memory = sum(table.get(t, 0) for t in MEMORY_TABLES)
    items_bytes = table.get("items", 0)
    with sqlite3.connect(db) as conn:
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in MEMORY_TABLES}
    file_size = db.stat().st_size
    print(f"{days} daily digests, {items_total:,} items stored "
          f"({items_total / days:,.0f} a day), keep={keep or '90d (default)'}")
    print(f"statuses shown: {dict(statuses)}")
    print(f"database file: {file_size / 1e6:.2f} MB; items + indexes "
          f"{items_bytes / 1e6:.2f} MB ({items_bytes / items_total * 1000 / 1e3:,.0f} kB per "
          f"1,000 items); story memory {memory / 1e6:.2f} MB "
          f"({memory / items_total * 1000 / 1e3:,.0f} kB per 1,000 items, "
          f"{memory / days / 1e3:,.0f} kB per daily run)")
    print("memory rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    print("memory bytes by table: " + ", ".join(f"{t} {table.get(t, 0) / 1e3:,.0f} kB"
                                                for t in MEMORY_TABLES))
    print(f"digest run (fetch-free, grouping + memory): median {sorted(spent)[len(spent) // 2]:.2f}"
          f" s, max {max(spent):.2f} s")
    cost(config, db, morning)


def cost(config: Path, db: Path, now: datetime, repeats: int = 3) -> None:
    """The last morning's digest built with and without the memory step (peeking, so nothing
    is recorded), alternately in one process."""
    from counterpoint.analysis.digest import build_digest
    from counterpoint.cli import story as story_cli
    from counterpoint.cli.context import Context
    from counterpoint.models import Window

    ctx = Context(config_arg=str(config), db_arg=str(db), quiet=True)
    window = Window(now - ctx.config.settings.window, now)
    timings: dict[str, list[float]] = {"without memory": [], "with memory": []}
    with Store(db) as store:
        items = store.items_between(window.since, window.until)
        step = story_cli.remember(ctx, store, window, command="digest", record=False, now=now)
        for _ in range(repeats):
            for label, remember in (("without memory", None), ("with memory", step)):
                began = time.perf_counter()
                build_digest(ctx.config, items, [], window, now, remember=remember)
                timings[label].append(time.perf_counter() - began)
    print(f"build_digest over {len(items)} items: " + "; ".join(
        f"{label} {min(t):.2f} s (best of {repeats})" for label, t in timings.items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--keep", help="settings.keep for the run (e.g. 30d)")
    args = parser.parse_args()
    run(args.days, args.keep)
