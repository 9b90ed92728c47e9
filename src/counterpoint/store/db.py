"""SQLite store: items (keyed so a re-fetch adds nothing twice, but a changed title or summary
is updated in place) and each feed's HTTP state. The schema and its migrations: `schema.py`;
story memory: `memory.py`.

WAL mode, every write in a transaction: a crash or kill -9 loses at most the feeds being written.
A fetch run writes feeds in batches (`save_feeds`): one transaction for every feed parsed since
the last write, each feed's items and state together.
Fetching runs hold an exclusive lock file beside the database, so two runs never interleave
their writes; reading (`digest --offline`) needs no lock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from counterpoint.errors import LockedError, StoreError
from counterpoint.models import FeedStatus, Item
from counterpoint.store import schema

SCHEMA_VERSION = schema.VERSION
_TIME = "%Y-%m-%dT%H:%M:%SZ"


def to_db_time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime(_TIME)


def from_db_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.strptime(text, _TIME).replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store remembers about one feed between runs."""

    url: str
    outlet: str
    etag: str | None = None
    last_modified: str | None = None
    status: FeedStatus | None = None
    error: str | None = None
    http_status: int | None = None
    checked_at: datetime | None = None
    last_ok: datetime | None = None
    retry_after: datetime | None = None
    permanent_redirect: str | None = None
    newest_item: datetime | None = None
    content_hash: str | None = None  # of the last document parsed whole, to skip re-parsing it
    elapsed: float | None = None  # seconds the last request took: slow feeds are asked first


class ItemRow(NamedTuple):
    """An item as stored, in the `items` table's column order. Cheap to pickle, so parser
    processes hand these back instead of `Item`s."""

    outlet: str
    affiliation: str
    feed_url: str
    key: str
    title: str
    summary: str
    link: str | None
    published: str  # UTC, as `to_db_time` writes it
    dated: int  # 0 or 1


def item_row(item: Item) -> ItemRow:
    return ItemRow(item.outlet, item.affiliation, item.feed_url, item.key, item.title,
                   item.summary, item.link, to_db_time(item.published) or "", int(item.dated))


def _feed_status(text: str | None) -> FeedStatus | None:
    """A stored status; one this version does not know reads as an error."""
    if text is None:
        return None
    try:
        return FeedStatus(text)
    except ValueError:
        return FeedStatus.ERROR


@dataclass(frozen=True, slots=True)
class FeedWrite:
    """One feed's outcome to store: its new state and the items its document held."""

    state: FeedState
    rows: Sequence[ItemRow] = field(default=())


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=30000")
            try:
                if schema.version(self.db) != schema.VERSION:
                    with self.transaction():
                        schema.setup(self.db)
            except BaseException:
                self.db.close()
                raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot create database directory for {path}: "
                             f"{exc.strerror or exc}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- items ---------------------------------------------------------------------------
    def add_items(self, items: Iterable[Item], seen_at: datetime) -> int:
        """Insert items not stored yet (by outlet+key, or outlet+link); returns how many."""
        with self.transaction() as db:
            return _insert_rows(db, map(item_row, items), seen_at)

    def items_between(self, since: datetime, until: datetime,
                      outlets: Sequence[str] | None = None) -> list[Item]:
        sql = ("SELECT outlet, affiliation, feed_url, key, title, summary, link, published, dated"
               " FROM items WHERE published >= ? AND published <= ?")
        args: list[object] = [to_db_time(since), to_db_time(until)]
        if outlets is not None:
            sql += f" AND outlet IN ({','.join('?' * len(outlets))})"
            args.extend(outlets)
        sql += " ORDER BY published, outlet, key"
        return [
            Item(outlet=r[0], affiliation=r[1], feed_url=r[2], key=r[3], title=r[4],
                 summary=r[5], link=r[6], published=from_db_time(r[7]),  # type: ignore[arg-type]
                 dated=bool(r[8]))
            for r in self.db.execute(sql, args)
        ]

    def count_items(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    # -- feeds ---------------------------------------------------------------------------
    def feed_states(self) -> dict[str, FeedState]:
        newest = dict(self.db.execute(
            "SELECT feed_url, MAX(published) FROM items GROUP BY feed_url").fetchall())
        states = {}
        for row in self.db.execute(
                "SELECT url, outlet, etag, last_modified, status, error, http_status, checked_at,"
                " last_ok, retry_after, permanent_redirect, content_hash, elapsed FROM feeds"):
            states[row[0]] = FeedState(
                url=row[0], outlet=row[1], etag=row[2], last_modified=row[3],
                status=_feed_status(row[4]), error=row[5], http_status=row[6],
                checked_at=from_db_time(row[7]),
                last_ok=from_db_time(row[8]), retry_after=from_db_time(row[9]),
                permanent_redirect=row[10], newest_item=from_db_time(newest.get(row[0])),
                content_hash=row[11], elapsed=row[12])
        for url, when in newest.items():
            if url not in states:
                states[url] = FeedState(url=url, outlet="", newest_item=from_db_time(when))
        return states

    def save_feed(self, state: FeedState) -> None:
        with self.transaction() as db:
            self._save_feed(db, state)

    def save_feeds(self, writes: Sequence[FeedWrite], seen_at: datetime) -> list[int]:
        """One transaction for several feeds' new items and states; how many items each added."""
        added = []
        with self.transaction() as db:
            for write in writes:
                added.append(_insert_rows(db, write.rows, seen_at))
                self._save_feed(db, write.state)
        return added

    @staticmethod
    def _save_feed(db: sqlite3.Connection, s: FeedState) -> None:
        db.execute(
            "INSERT INTO feeds (url, outlet, etag, last_modified, status, error, http_status,"
            " checked_at, last_ok, retry_after, permanent_redirect, content_hash, elapsed)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET"
            " outlet=excluded.outlet, etag=excluded.etag, last_modified=excluded.last_modified,"
            " status=excluded.status, error=excluded.error, http_status=excluded.http_status,"
            " checked_at=excluded.checked_at, last_ok=excluded.last_ok,"
            " retry_after=excluded.retry_after, permanent_redirect=excluded.permanent_redirect,"
            " content_hash=excluded.content_hash, elapsed=excluded.elapsed",
            (s.url, s.outlet, s.etag, s.last_modified, s.status, s.error, s.http_status,
             to_db_time(s.checked_at), to_db_time(s.last_ok), to_db_time(s.retry_after),
             s.permanent_redirect, s.content_hash, s.elapsed))


def _insert_rows(db: sqlite3.Connection, rows: Iterable[ItemRow], seen_at: datetime) -> int:
    """Store new items; an item stored before whose title or summary changed is updated in
    place (`updated` set), so a retitled headline or a revised figure is not lost. Returns how
    many items were new."""
    seen = to_db_time(seen_at)
    rows = list(rows)
    db.executemany(
        "UPDATE items SET title = ?3, summary = ?4, updated = ?5 WHERE outlet = ?1 AND key = ?2"
        " AND (title != ?3 OR summary != ?4)",
        [(row.outlet, row.key, row.title, row.summary, seen) for row in rows])
    before = db.total_changes
    db.executemany(
        "INSERT OR IGNORE INTO items (outlet, affiliation, feed_url, key, title, summary, link,"
        " published, dated, first_seen) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(*row, seen) for row in rows])
    return db.total_changes - before


@contextlib.contextmanager
def run_lock(db_path: Path) -> Iterator[None]:
    """Exclusive per-database lock for runs that write; fails fast with a clear message."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking still applies
        yield
        return
    lock_path = db_path.with_name(db_path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole run
    except OSError as exc:
        raise StoreError(f"cannot create lock file {lock_path}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockedError(f"another counterpoint run is in progress on {db_path} "
                              f"(pid {holder}); try again when it ends") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
