"""Schema versions and migrations: a database of counterpoint 0.1 (schema version 1) opens,
keeps every item and feed state, and gains story memory; a newer database is refused."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from counterpoint.errors import StoreError
from counterpoint.store import schema
from counterpoint.store.db import Store

# The DDL of counterpoint 0.1's store/db.py, as it was when schema_version 1 was written.
V1_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, outlet TEXT NOT NULL, etag TEXT, last_modified TEXT, status TEXT,
    error TEXT, http_status INTEGER, checked_at TEXT, last_ok TEXT, retry_after TEXT,
    permanent_redirect TEXT, content_hash TEXT, elapsed REAL
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY, outlet TEXT NOT NULL, affiliation TEXT NOT NULL,
    feed_url TEXT NOT NULL, key TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,
    link TEXT, published TEXT NOT NULL, dated INTEGER NOT NULL, first_seen TEXT NOT NULL,
    UNIQUE (outlet, key)
);
CREATE UNIQUE INDEX IF NOT EXISTS items_outlet_link ON items (outlet, link)
    WHERE link IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_published ON items (published);
CREATE INDEX IF NOT EXISTS items_feed ON items (feed_url, published);
INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');
"""

NOW = datetime.now(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def v1_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(V1_DDL)
    rows = [("Wire", "wire", "https://wire.example/rss", f"w{n}",
             f"Parliament votes on budget bill, round {n}", "", f"https://wire.example/{n}",
             stamp(NOW - timedelta(hours=n + 1)), 1, stamp(NOW)) for n in range(3)]
    db.executemany("INSERT INTO items (outlet, affiliation, feed_url, key, title, summary, link,"
                   " published, dated, first_seen) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    db.execute("INSERT INTO feeds (url, outlet, etag, status, checked_at, last_ok) VALUES"
               " ('https://wire.example/rss', 'Wire', '\"v1\"', 'ok', ?, ?)",
               (stamp(NOW), stamp(NOW)))
    db.commit()
    db.close()


def test_a_version_1_database_is_migrated_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    v1_database(path)

    with Store(path) as store:
        assert schema.version(store.db) == schema.VERSION == 2
        assert store.count_items() == 3
        assert store.feed_states()["https://wire.example/rss"].etag == '"v1"'
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
        assert {"stories", "story_items", "runs", "run_stories", "shown_items",
                "shown_figures"} <= tables
        columns = {r[1] for r in store.db.execute("PRAGMA table_info(items)")}
        assert "updated" in columns
    # Opening again changes nothing (the migration ran once).
    with Store(path) as store:
        assert schema.version(store.db) == 2
        assert store.count_items() == 3


def test_a_migrated_database_digests_with_story_memory(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    path = tmp_path / "old.sqlite"
    v1_database(path)
    config = tmp_path / "feeds.toml"
    config.write_text('[[outlets]]\nname = "Wire"\naffiliation = "wire"\n'
                      'feeds = ["https://wire.example/rss"]\n')
    args = ["--config", str(config), "--db", str(path), "digest", "--offline", "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)["stories"]
    assert first and {s["status"] for s in first} == {"new"}
    assert main(args) == 0
    assert {s["status"] for s in json.loads(capsys.readouterr().out)["stories"]} == {"seen"}


def test_a_0_1_database_without_a_version_row_or_late_columns_is_migrated(
        tmp_path: Path) -> None:
    path = tmp_path / "older.sqlite"
    db = sqlite3.connect(path)
    db.executescript(V1_DDL.replace(", content_hash TEXT, elapsed REAL", "")
                     .split("INSERT OR IGNORE")[0])
    db.close()
    with Store(path) as store:
        assert schema.version(store.db) == 2
        columns = {r[1] for r in store.db.execute("PRAGMA table_info(feeds)")}
        assert {"content_hash", "elapsed"} <= columns


def test_a_database_from_a_newer_counterpoint_is_refused_clearly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.sqlite"
    with Store(path) as store:
        store.db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99, newer"):
        Store(path)
    assert main(["--db", str(path), "digest", "--offline"]) == 1
    err = capsys.readouterr().err
    assert "upgrade counterpoint" in err and "Traceback" not in err


def test_every_version_below_the_current_one_has_a_migration() -> None:
    assert sorted(schema.MIGRATIONS) == list(range(1, schema.VERSION))
