"""The database schema and its numbered migrations.

`meta.schema_version` says which version a database holds. A new database is created at
`VERSION` directly (`CREATE`); an older one is brought up step by step, each step
`MIGRATIONS[n]` taking version n to n + 1 inside the opening transaction, so a database is
always at one version or the next, never in between. A database written by a newer counterpoint
is refused rather than guessed at. (The habit of lemon24/reader's `_storage/_schema.py`.)

Versions:
1. counterpoint 0.1: `meta`, `feeds`, `items` (some 0.1 databases lack `feeds.content_hash` and
   `feeds.elapsed`, added later without a version bump; step 1 -> 2 adds them when missing).
2. story memory: `items.updated` (when a re-fetch changed an item's title or summary),
   `stories`, `story_items`, `runs`, `run_stories`, `shown_items`, `shown_figures`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from counterpoint.errors import StoreError

VERSION = 2

_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    outlet TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    status TEXT,
    error TEXT,
    http_status INTEGER,
    checked_at TEXT,
    last_ok TEXT,
    retry_after TEXT,
    permanent_redirect TEXT,
    content_hash TEXT,
    elapsed REAL
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    outlet TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    feed_url TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    link TEXT,
    published TEXT NOT NULL,
    dated INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    UNIQUE (outlet, key)
);
CREATE UNIQUE INDEX IF NOT EXISTS items_outlet_link ON items (outlet, link)
    WHERE link IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_published ON items (published);
CREATE INDEX IF NOT EXISTS items_feed ON items (feed_url, published);
"""

# Story memory. A story is known by `key` while it continues; a story merged into another keeps
# a row pointing at the survivor (`merged_into`). `story_items` says which story each item last
# belonged to. `runs` are the digest/brief runs that recorded what they showed: `run_stories`
# every story shown with the status it had; `shown_items` and `shown_figures` only what was new
# or different (an item's first showing or a new title; a figure's new value), so a story shown
# every day for a month costs one row per item, not thirty.
_V2 = """
ALTER TABLE items ADD COLUMN updated TEXT;
CREATE TABLE stories (
    key TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    merged_into TEXT
);
CREATE INDEX stories_last_seen ON stories (last_seen);
CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into IS NOT NULL;
CREATE TABLE story_items (
    item_id INTEGER PRIMARY KEY,
    story_key TEXT NOT NULL
);
CREATE INDEX story_items_key ON story_items (story_key);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    command TEXT NOT NULL,
    since TEXT NOT NULL,
    until TEXT NOT NULL
);
CREATE INDEX runs_at ON runs (at);
CREATE TABLE run_stories (
    run_id INTEGER NOT NULL,
    story_key TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    items INTEGER NOT NULL,
    PRIMARY KEY (run_id, story_key)
) WITHOUT ROWID;
CREATE INDEX run_stories_key ON run_stories (story_key);
CREATE TABLE shown_items (
    story_key TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (story_key, item_id, run_id)
) WITHOUT ROWID;
CREATE INDEX shown_items_run ON shown_items (run_id);
CREATE TABLE shown_figures (
    story_key TEXT NOT NULL,
    outlet TEXT NOT NULL,
    kind TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (story_key, outlet, kind, run_id)
) WITHOUT ROWID;
CREATE INDEX shown_figures_run ON shown_figures (run_id);
"""


def _script(db: sqlite3.Connection, script: str) -> None:
    # executescript would COMMIT the caller's transaction; run statement by statement instead.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1_to_v2(db: sqlite3.Connection) -> None:
    columns = {row[1] for row in db.execute("PRAGMA table_info(feeds)")}
    for column, kind in (("content_hash", "TEXT"), ("elapsed", "REAL")):
        if column not in columns:
            db.execute(f"ALTER TABLE feeds ADD COLUMN {column} {kind}")
    _script(db, _V2)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2}
"""`MIGRATIONS[n]` takes a database from version n to n + 1."""


def create(db: sqlite3.Connection) -> None:
    """A new, empty database at `VERSION`."""
    _script(db, _V1)
    _script(db, _V2)
    set_version(db, VERSION)


def version(db: sqlite3.Connection) -> int | None:
    """The database's schema version; None for an empty database."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    old = 1 if tables & {"meta", "feeds", "items"} else None  # 0.1 before it wrote a version
    if "meta" not in tables:
        return old
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return old
    try:
        return int(row[0])
    except ValueError:
        raise StoreError(f"unreadable schema_version {row[0]!r}") from None


def set_version(db: sqlite3.Connection, number: int) -> None:
    db.execute("INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET"
               " value = excluded.value", (str(number),))


def setup(db: sqlite3.Connection) -> None:
    """Create or migrate to `VERSION`; call inside one write transaction."""
    current = version(db)
    if current is None:
        create(db)
        return
    if current > VERSION:
        raise StoreError(f"the database is at schema version {current}, newer than this "
                         f"counterpoint knows ({VERSION}); upgrade counterpoint")
    while current < VERSION:
        step = MIGRATIONS.get(current)
        if step is None:
            raise StoreError(f"no migration from schema version {current}")
        if current == 1:
            _script(db, _V1)  # 0.1 databases may predate a table; creating it is harmless
        step(db)
        current += 1
        set_version(db, current)
