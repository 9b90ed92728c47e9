"""Story memory in SQLite: which story each item belongs to, and what each run showed.

Reading (`recall`) and writing (`record`) are meant to happen in one `BEGIN IMMEDIATE`
transaction (`Store.transaction`), so two digests at once are serialised by SQLite: the second
sees what the first recorded and no story is shown as new twice. What to record is decided by
the pure `analysis.memory`; this module only moves records in and out of the tables of
`schema.py` (version 2).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from counterpoint.models import Item
from counterpoint.store.db import from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class ShownItem:
    """An item as a run last showed it."""

    title: str
    outlet: str
    affiliation: str


@dataclass(frozen=True, slots=True)
class Remembered:
    """One stored story: its items as last shown and each outlet's figures as last shown."""

    key: str
    first_seen: datetime
    items: dict[int, ShownItem] = field(default_factory=dict)
    figures: dict[tuple[str, str], float] = field(default_factory=dict)  # (outlet, kind)


@dataclass(frozen=True, slots=True)
class Recall:
    """What memory holds about a window's items."""

    item_ids: dict[tuple[str, str], int]  # (outlet, item key) -> item id
    item_story: dict[int, str]  # item id -> key of the story it last belonged to
    stories: dict[str, Remembered]  # every story some item of the window belongs to
    keys: frozenset[str] = frozenset()  # every key in use, to keep fresh keys unique
    # Items of remembered stories published shortly before the window, with their story's key:
    # today's new items that group with them continue that story though it left the window.
    context: tuple[tuple[Item, str], ...] = ()


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """What one run records about one story it showed (only what is new to memory)."""

    key: str
    title: str
    status: str
    item_ids: tuple[int, ...]
    titles: tuple[tuple[int, str], ...]  # items first shown, or shown with a new title
    figures: tuple[tuple[str, str, float], ...]  # (outlet, kind, value) new or changed
    merged: tuple[str, ...] = ()  # stored stories merged into this one


@dataclass(frozen=True, slots=True)
class RunRecord:
    command: str
    at: datetime
    since: datetime
    until: datetime
    stories: tuple[StoryRecord, ...]


def recall(db: sqlite3.Connection, since: datetime, until: datetime,
           reach: timedelta = timedelta(0)) -> Recall:
    """What memory holds about the items published between `since` and `until`, and about the
    remembered stories of the `reach` before `since`."""
    window = (to_db_time(since), to_db_time(until))
    item_ids = {(outlet, key): item_id for item_id, outlet, key in db.execute(
        "SELECT id, outlet, key FROM items WHERE published >= ? AND published <= ?", window)}
    item_story = dict(db.execute(
        "SELECT s.item_id, s.story_key FROM story_items s JOIN items i ON i.id = s.item_id"
        " WHERE i.published >= ? AND i.published <= ?", window).fetchall())
    context = tuple(
        (Item(outlet=r[0], affiliation=r[1], feed_url=r[2], key=r[3], title=r[4], summary=r[5],
              link=r[6], published=_time(r[7]), dated=bool(r[8])), r[9])
        for r in db.execute(
            "SELECT i.outlet, i.affiliation, i.feed_url, i.key, i.title, i.summary, i.link,"
            " i.published, i.dated, s.story_key FROM story_items s JOIN items i"
            " ON i.id = s.item_id WHERE i.published >= ? AND i.published < ?"
            " ORDER BY i.published, i.outlet, i.key", (to_db_time(since - reach), window[0]))
    ) if reach else ()
    stories = {}
    for key in sorted(set(item_story.values()) | {key for _, key in context}):
        row = db.execute("SELECT first_seen FROM stories WHERE key = ?", (key,)).fetchone()
        if row is None:
            continue
        items = {item_id: ShownItem(title, outlet, affiliation)
                 for item_id, title, outlet, affiliation in db.execute(
                     "SELECT s.item_id, s.title, i.outlet, i.affiliation FROM shown_items s"
                     " JOIN items i ON i.id = s.item_id WHERE s.story_key = ?"
                     " ORDER BY s.run_id", (key,))}
        figures = {(outlet, kind): value for outlet, kind, value in db.execute(
            "SELECT outlet, kind, value FROM shown_figures WHERE story_key = ?"
            " ORDER BY run_id", (key,))}
        stories[key] = Remembered(key, from_db_time(row[0]) or since, items, figures)
    keys = frozenset(k for (k,) in db.execute("SELECT key FROM stories"))
    return Recall(item_ids, item_story, stories, keys, context)


def record(db: sqlite3.Connection, run: RunRecord) -> int:
    """Write one run's record; returns the run's id. Call inside a write transaction."""
    at = to_db_time(run.at)
    cursor = db.execute("INSERT INTO runs (at, command, since, until) VALUES (?,?,?,?)",
                        (at, run.command, to_db_time(run.since), to_db_time(run.until)))
    run_id = int(cursor.lastrowid or 0)
    for story in run.stories:
        for old in story.merged:
            for table in ("story_items", "shown_items", "shown_figures"):
                db.execute(f"UPDATE OR REPLACE {table} SET story_key = ? WHERE story_key = ?",
                           (story.key, old))
            db.execute("UPDATE stories SET merged_into = ? WHERE key = ? OR merged_into = ?",
                       (story.key, old, old))
        db.execute("INSERT INTO stories (key, title, first_seen, last_seen) VALUES (?,?,?,?)"
                   " ON CONFLICT(key) DO UPDATE SET title = excluded.title,"
                   " last_seen = MAX(last_seen, excluded.last_seen), merged_into = NULL",
                   (story.key, story.title, at, at))
        db.executemany("INSERT OR REPLACE INTO story_items (item_id, story_key) VALUES (?,?)",
                       [(item_id, story.key) for item_id in story.item_ids])
        db.execute("INSERT INTO run_stories (run_id, story_key, status, title, items)"
                   " VALUES (?,?,?,?,?)",
                   (run_id, story.key, story.status, story.title, len(story.item_ids)))
        db.executemany("INSERT INTO shown_items (story_key, item_id, run_id, title)"
                       " VALUES (?,?,?,?)",
                       [(story.key, item_id, run_id, title) for item_id, title in story.titles])
        db.executemany("INSERT INTO shown_figures (story_key, outlet, kind, run_id, value)"
                       " VALUES (?,?,?,?,?)",
                       [(story.key, outlet, kind, run_id, value)
                        for outlet, kind, value in story.figures])
    return run_id


def prune(db: sqlite3.Connection, before: datetime) -> int:
    """Forget stories last shown before `before`, items first stored before it, and runs older
    than that which no remembered story still needs; returns how many stories were forgotten.

    Item age is when the store first saw the item, not its publication date: a digest over an
    archive (old publication dates, fetched today) must remember what it showed."""
    cutoff = to_db_time(before)
    old = [key for (key,) in db.execute(
        "SELECT key FROM stories WHERE last_seen < ? AND merged_into IS NULL", (cutoff,))]
    for key in old:
        for table in ("story_items", "shown_items", "shown_figures", "run_stories"):
            db.execute(f"DELETE FROM {table} WHERE story_key = ?", (key,))
        db.execute("DELETE FROM stories WHERE key = ? OR merged_into = ?", (key, key))
    # A story that goes on and on (a daily live thread) forgets its items older than that.
    for table in ("shown_items", "story_items"):
        db.execute(f"DELETE FROM {table} WHERE item_id IN (SELECT id FROM items"
                   " WHERE first_seen < ?)", (cutoff,))
    db.execute("DELETE FROM run_stories WHERE run_id IN (SELECT id FROM runs WHERE at < ?)",
               (cutoff,))
    db.execute("DELETE FROM runs WHERE at < ? AND NOT EXISTS (SELECT 1 FROM shown_items"
               " WHERE run_id = runs.id) AND NOT EXISTS (SELECT 1 FROM shown_figures"
               " WHERE run_id = runs.id)", (cutoff,))
    return len(old)


def last_run(db: sqlite3.Connection) -> datetime | None:
    row = db.execute("SELECT MAX(at) FROM runs").fetchone()
    return from_db_time(row[0]) if row else None


# -- one story's history (`counterpoint story KEY`) -----------------------------------------

@dataclass(frozen=True, slots=True)
class HistoryItem:
    outlet: str
    affiliation: str
    title: str
    link: str | None
    published: datetime
    first_shown: datetime | None  # the run that first showed it (None: not shown yet)


@dataclass(frozen=True, slots=True)
class History:
    """Everything memory holds about one story, oldest first."""

    key: str
    asked: str  # the key asked for (a story merged into `key` answers with the survivor)
    title: str
    first_seen: datetime
    last_seen: datetime
    items: tuple[HistoryItem, ...]
    runs: tuple[tuple[datetime, str, str, int, str], ...]  # (at, command, status, items, key)
    figures: tuple[tuple[datetime, str, str, str, float], ...]  # (at, outlet, affil., kind, v)
    titles: tuple[tuple[datetime, str | None, str, str], ...]  # (at, link, outlet, title shown)


def history(db: sqlite3.Connection, asked: str) -> History | None:
    row = db.execute("SELECT key, title, first_seen, last_seen, merged_into FROM stories"
                     " WHERE key = ?", (asked,)).fetchone()
    if row is None:
        return None
    if row[4] is not None:
        row = db.execute("SELECT key, title, first_seen, last_seen, merged_into FROM stories"
                         " WHERE key = ?", (row[4],)).fetchone()
        if row is None:
            return None
    key = row[0]
    items = tuple(
        HistoryItem(outlet, affiliation, title, link, from_db_time(published) or datetime.min,
                    from_db_time(shown))
        for outlet, affiliation, title, link, published, shown in db.execute(
            "SELECT i.outlet, i.affiliation, i.title, i.link, i.published,"
            " (SELECT MIN(r.at) FROM shown_items s JOIN runs r ON r.id = s.run_id"
            "  WHERE s.item_id = i.id AND s.story_key = si.story_key)"
            " FROM story_items si JOIN items i ON i.id = si.item_id WHERE si.story_key = ?"
            " ORDER BY i.published, i.outlet, i.key", (key,)))
    # Runs that showed it, or showed a story merged into it later (under that story's key).
    runs = tuple((_time(at), command, status, count, shown_as)
                 for at, command, status, count, shown_as in db.execute(
        "SELECT r.at, r.command, s.status, s.items, s.story_key FROM run_stories s JOIN runs r"
        " ON r.id = s.run_id WHERE s.story_key = ?1 OR s.story_key IN"
        " (SELECT key FROM stories WHERE merged_into = ?1) ORDER BY r.at, r.id, s.story_key != ?1,"
        " s.story_key", (key,)))
    figures = tuple((_time(at), outlet, affiliation or "", kind, value)
                    for at, outlet, affiliation, kind, value in db.execute(
        "SELECT r.at, f.outlet, (SELECT i.affiliation FROM items i WHERE i.outlet = f.outlet"
        " LIMIT 1), f.kind, f.value FROM shown_figures f JOIN runs r ON r.id = f.run_id"
        " WHERE f.story_key = ? ORDER BY r.at, r.id, f.kind, f.outlet", (key,)))
    titles = tuple((_time(at), link, outlet, title) for at, link, outlet, title in db.execute(
        "SELECT r.at, i.link, i.outlet, s.title FROM shown_items s JOIN runs r ON r.id = s.run_id"
        " JOIN items i ON i.id = s.item_id WHERE s.story_key = ? ORDER BY s.item_id, r.at",
        (key,)))
    return History(key, asked, row[1], _time(row[2]), _time(row[3]), items, runs, figures, titles)


def _time(text: str) -> datetime:
    moment = from_db_time(text)
    assert moment is not None
    return moment


def story_keys_like(db: sqlite3.Connection, prefix: str, limit: int = 5) -> Sequence[str]:
    """Keys starting with `prefix` (a user may type the first few characters)."""
    return [k for (k,) in db.execute(
        "SELECT key FROM stories WHERE key >= ? AND key < ? ORDER BY key LIMIT ?",
        (prefix, prefix + "\uffff", limit))]
