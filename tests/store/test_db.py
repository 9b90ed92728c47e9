"""The SQLite store: batched feed writes, de-duplication, and databases from older versions."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from counterpoint.models import FeedStatus, Item
from counterpoint.store.db import FeedState, FeedWrite, Store, item_row

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def item(outlet: str, key: str, link: str | None = None) -> Item:
    return Item(outlet=outlet, affiliation="wire", feed_url=f"https://{outlet}.example/feed",
                key=key, title=f"{outlet} {key}", summary="", link=link, published=NOW)


def test_save_feeds_writes_several_feeds_and_counts_each_feeds_new_items(
        tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        added = store.save_feeds([
            FeedWrite(FeedState("https://a.example/feed", "a", etag='"1"'),
                      [item_row(item("a", "1")), item_row(item("a", "2"))]),
            FeedWrite(FeedState("https://b.example/feed", "b", content_hash="abc"),
                      [item_row(item("b", "1"))]),
        ], NOW)

        assert added == [2, 1]
        states = store.feed_states()
        assert states["https://a.example/feed"].etag == '"1"'
        assert states["https://b.example/feed"].content_hash == "abc"
        assert states["https://a.example/feed"].newest_item == NOW


def test_an_item_stored_before_is_not_added_again(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        state = FeedState("https://a.example/feed", "a")
        store.save_feeds([FeedWrite(state, [item_row(item("a", "1", "https://a.example/1"))])],
                         NOW)

        added = store.save_feeds([FeedWrite(state, [
            item_row(item("a", "1")),  # same key
            item_row(item("a", "other-key", "https://a.example/1")),  # same link
            item_row(item("a", "2")),
        ])], NOW)

        assert added == [1]
        assert store.count_items() == 2


def test_a_failing_feed_in_a_batch_stores_nothing_of_the_batch(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        broken = FeedState("https://b.example/feed", None)  # type: ignore[arg-type]
        with pytest.raises(sqlite3.IntegrityError):
            store.save_feeds([
                FeedWrite(FeedState("https://a.example/feed", "a"), [item_row(item("a", "1"))]),
                FeedWrite(broken),
            ], NOW)

        assert store.count_items() == 0
        assert store.feed_states() == {}


def test_items_round_trip_through_rows(tmp_path: Path) -> None:
    original = item("a", "1", "https://a.example/1")
    with Store(tmp_path / "db.sqlite") as store:
        store.save_feeds([FeedWrite(FeedState(original.feed_url, "a"), [item_row(original)])],
                         NOW)

        assert store.items_between(NOW, NOW) == [original]


def test_a_database_without_the_content_hash_column_gains_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE feeds (url TEXT PRIMARY KEY, outlet TEXT NOT NULL, etag TEXT,"
                    " last_modified TEXT, status TEXT, error TEXT, http_status INTEGER,"
                    " checked_at TEXT, last_ok TEXT, retry_after TEXT,"
                    " permanent_redirect TEXT)")
        old.execute("INSERT INTO feeds (url, outlet, etag) VALUES ('https://a.example/feed',"
                    " 'a', '\"1\"')")
    old.close()

    with Store(path) as store:
        state = store.feed_states()["https://a.example/feed"]
        assert (state.etag, state.content_hash) == ('"1"', None)
        store.save_feed(FeedState("https://a.example/feed", "a", content_hash="abc"))
        assert store.feed_states()["https://a.example/feed"].content_hash == "abc"


def test_a_stored_status_reads_back_as_the_one_feed_status_type(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.save_feed(FeedState("https://a.example/feed", "a", status=FeedStatus.NOT_MODIFIED,
                                  checked_at=NOW))
        store.save_feed(FeedState("https://b.example/feed", "b", status=FeedStatus.ERROR,
                                  error="HTTP 500", checked_at=NOW))
        store.db.execute("INSERT INTO feeds (url, outlet, status) VALUES (?, ?, ?)",
                         ("https://c.example/feed", "c", "from a later version"))
        states = store.feed_states()
    assert states["https://a.example/feed"].status is FeedStatus.NOT_MODIFIED
    assert states["https://b.example/feed"].status is FeedStatus.ERROR
    assert states["https://c.example/feed"].status is FeedStatus.ERROR


def test_an_item_row_names_its_fields_and_reads_back_as_the_item(tmp_path: Path) -> None:
    original = item("a", "1", "https://a.example/1")
    row = item_row(original)
    assert (row.outlet, row.key, row.link, row.published, row.dated) == (
        "a", "1", "https://a.example/1", "2026-03-02T12:00:00Z", 1)
    with Store(tmp_path / "db.sqlite") as store:
        store.save_feeds([FeedWrite(FeedState(original.feed_url, "a"), [row])], NOW)
        assert store.items_between(NOW, NOW) == [original]
