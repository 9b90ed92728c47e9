"""Story memory tables: a run's record read back, merges, retention, and items updated in place
when a re-fetch changes their title or summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from counterpoint.models import Item
from counterpoint.store import memory
from counterpoint.store.db import FeedState, FeedWrite, Store, item_row

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
FEED = FeedState("https://a.example/feed", "A")


def item(key: str, title: str = "Title", summary: str = "", hours_ago: float = 1) -> Item:
    return Item("A", "wire", FEED.url, key, title, summary, f"https://a.example/{key}",
                NOW - timedelta(hours=hours_ago))


def run(key: str, at: datetime, ids: tuple[int, ...], titles: tuple[tuple[int, str], ...] = (),
        figures: tuple[tuple[str, str, float], ...] = (), merged: tuple[str, ...] = ()
        ) -> memory.RunRecord:
    record = memory.StoryRecord(key, f"story {key}", "new", ids, titles, figures, merged)
    return memory.RunRecord("digest", at, at - timedelta(days=1), at, (record,))


def stored(store: Store, *items: Item) -> dict[tuple[str, str], int]:
    store.save_feeds([FeedWrite(FEED, [item_row(i) for i in items])], NOW)
    return memory.recall(store.db, NOW - timedelta(days=365), NOW).item_ids


def test_a_recorded_run_is_recalled(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored(store, item("1", "First"), item("2", "Second"))
        one, two = ids[("A", "1")], ids[("A", "2")]
        with store.transaction() as db:
            memory.record(db, run("k1", NOW, (one, two), ((one, "First"), (two, "Second")),
                                  (("A", "killed", 12.0),)))
        recall = memory.recall(store.db, NOW - timedelta(days=3), NOW)
        assert recall.item_story == {one: "k1", two: "k1"}
        remembered = recall.stories["k1"]
        assert remembered.first_seen == NOW
        assert {i: s.title for i, s in remembered.items.items()} == {one: "First", two: "Second"}
        assert remembered.figures == {("A", "killed"): 12.0}
        assert recall.keys == {"k1"}


def test_a_merged_story_hands_its_memory_to_the_survivor(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored(store, item("1"), item("2"))
        one, two = ids[("A", "1")], ids[("A", "2")]
        with store.transaction() as db:
            memory.record(db, run("k1", NOW, (one,), ((one, "Title"),)))
            memory.record(db, run("k2", NOW, (two,), ((two, "Title"),)))
            memory.record(db, run("k1", NOW + timedelta(hours=1), (one, two), merged=("k2",)))
        recall = memory.recall(store.db, NOW - timedelta(days=3), NOW)
        assert set(recall.item_story.values()) == {"k1"}
        assert set(recall.stories["k1"].items) == {one, two}
        found = memory.history(store.db, "k2")  # the old key still answers
        assert found is not None and found.key == "k1" and found.asked == "k2"


def test_retention_forgets_old_stories_and_runs_but_keeps_recent_ones(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored(store, item("1"), item("2"))
        one, two = ids[("A", "1")], ids[("A", "2")]
        old, recent = NOW - timedelta(days=100), NOW - timedelta(days=5)
        with store.transaction() as db:
            memory.record(db, run("kold", old, (one,), ((one, "Title"),)))
            memory.record(db, run("knew", recent, (two,), ((two, "Title"),)))
            memory.record(db, run("knew", NOW - timedelta(days=95), (two,)))  # empty old run
            forgotten = memory.prune(db, NOW - timedelta(days=90))
        assert forgotten == 1
        assert memory.history(store.db, "kold") is None
        assert memory.history(store.db, "knew") is not None
        counts = {table: store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                  for table in ("stories", "story_items", "runs", "run_stories",
                                "shown_items")}
        assert counts == {"stories": 1, "story_items": 1, "runs": 1, "run_stories": 1,
                          "shown_items": 1}
        assert store.count_items() == 2  # items are not story memory: they stay


def test_a_story_that_goes_on_forgets_items_older_than_keep(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.save_feeds([FeedWrite(FEED, [item_row(item("old", hours_ago=24 * 100))])],
                         NOW - timedelta(days=100))
        ids = stored(store, item("new"))
        old, new = ids[("A", "old")], ids[("A", "new")]
        with store.transaction() as db:
            memory.record(db, run("k1", NOW - timedelta(days=100), (old,), ((old, "Title"),)))
            memory.record(db, run("k1", NOW, (new,), ((new, "Title"),)))
            assert memory.prune(db, NOW - timedelta(days=90)) == 0  # the story goes on
        found = memory.history(store.db, "k1")
        assert found is not None and len(found.items) == 1
        assert [r[0] for r in store.db.execute("SELECT item_id FROM shown_items")] == [new]


def test_an_archive_item_stored_today_is_remembered_whatever_its_date(tmp_path: Path) -> None:
    # A digest over an archive (publication dates years back, fetched today) keeps its memory:
    # retention counts from when the store first saw an item, not from its date.
    with Store(tmp_path / "db.sqlite") as store:
        ids = stored(store, item("archived", hours_ago=24 * 200))
        archived = ids[("A", "archived")]
        with store.transaction() as db:
            memory.record(db, run("k1", NOW, (archived,), ((archived, "Title"),)))
            assert memory.prune(db, NOW - timedelta(days=90)) == 0
        assert [r[0] for r in store.db.execute("SELECT item_id FROM shown_items")] == [archived]
        assert [r[0] for r in store.db.execute("SELECT item_id FROM story_items")] == [archived]


def test_a_refetched_item_with_a_new_title_or_summary_is_updated_not_dropped(
        tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.save_feeds([FeedWrite(FEED, [item_row(item("1", "12 killed", "12 killed"))])], NOW)
        added = store.save_feeds([FeedWrite(FEED, [
            item_row(item("1", "Toll rises", "19 killed")), item_row(item("2"))])], NOW)
        assert added == [1]  # only item 2 is new
        [first, _] = store.items_between(NOW - timedelta(days=1), NOW)
        assert (first.title, first.summary) == ("Toll rises", "19 killed")
        assert first.published == NOW - timedelta(hours=1)  # publication time is kept
        updated = store.db.execute("SELECT updated FROM items WHERE key = '1'").fetchone()[0]
        assert updated == "2026-03-02T12:00:00Z"
