"""Story memory decisions (pure): keys that persist, merge and split deterministically; new /
updated / seen; what changed since a story was last shown."""

from __future__ import annotations

from datetime import timedelta

from analysishelp import NOW, item
from counterpoint.analysis.memory import assign_keys, fresh_key, remember
from counterpoint.models import Item, Story
from counterpoint.store.memory import Recall, Remembered, ShownItem


def story(sid: str, *items: Item) -> Story:
    return Story(id=sid, title=items[0].title, items=tuple(items))


def ids_of(*items: Item) -> dict[tuple[str, str], int]:
    return {(i.outlet, i.key): n for n, i in enumerate(items, 1)}


def shown(ids: dict[tuple[str, str], int], *items: Item) -> dict[int, ShownItem]:
    return {ids[(i.outlet, i.key)]: ShownItem(i.title, i.outlet, i.affiliation) for i in items}


WIRE_A = item("Wire", "wire", "Court jails activist", hours_ago=30)
OPP_A = item("Opp", "opposition", "Activist jailed by court", hours_ago=29)
GOV_A = item("Gov", "government", "Judiciary confirms activist sentence", hours_ago=3)
WIRE_B = item("Wire", "wire", "Floods close port", hours_ago=2)
ALL = ids_of(WIRE_A, OPP_A, GOV_A, WIRE_B)


def test_without_memory_every_story_is_new_with_a_key_that_peeking_twice_repeats() -> None:
    stories = [story("s1", WIRE_A, OPP_A), story("s2", WIRE_B)]
    empty = Recall(ALL, {}, {})
    first, records = remember(stories, empty)
    again, _ = remember(stories, empty)
    assert {m.status for m in first.values()} == {"new"}
    assert first == again
    assert first["s1"].key != first["s2"].key
    assert first["s1"].since_last.affiliations == ("wire", "opposition")
    assert [r.titles for r in records][1] == ((ALL[("Wire", WIRE_B.key)], WIRE_B.title),)


def test_a_side_that_joins_a_remembered_story_makes_it_updated_with_the_same_key() -> None:
    known = Remembered("kold", NOW - timedelta(days=1), shown(ALL, WIRE_A, OPP_A))
    item_story = {ALL[("Wire", WIRE_A.key)]: "kold", ALL[("Opp", OPP_A.key)]: "kold"}
    recall = Recall(ALL, item_story, {"kold": known}, frozenset({"kold"}))
    memories, records = remember([story("s1", WIRE_A, OPP_A, GOV_A), story("s2", WIRE_B)],
                                 recall)
    assert memories["s1"].key == "kold"
    assert memories["s1"].status == "updated"
    assert memories["s1"].since_last.affiliations == ("government",)
    assert memories["s1"].since_last.outlets == ("Gov",)
    assert memories["s1"].since_last.items == 1
    assert memories["s2"].status == "new"
    # Only what is new to memory is recorded: the government item, not the two shown before.
    assert records[0].titles == ((ALL[("Gov", GOV_A.key)], GOV_A.title),)
    assert remember([story("s1", WIRE_A, OPP_A)], recall)[0]["s1"].status == "seen"


def test_two_remembered_stories_merged_keep_the_oldest_key() -> None:
    older = Remembered("kzzz", NOW - timedelta(days=2), shown(ALL, WIRE_A))
    newer = Remembered("kaaa", NOW - timedelta(days=1), shown(ALL, OPP_A))
    item_story = {ALL[("Wire", WIRE_A.key)]: "kzzz", ALL[("Opp", OPP_A.key)]: "kaaa"}
    recall = Recall(ALL, item_story, {"kzzz": older, "kaaa": newer})
    memories, records = remember([story("s1", WIRE_A, OPP_A)], recall)
    assert memories["s1"].key == "kzzz"  # first seen earlier, though "kaaa" sorts first
    assert records[0].merged == ("kaaa",)
    assert memories["s1"].status == "seen"  # both halves were shown already


def test_a_split_story_keeps_its_key_on_the_larger_part() -> None:
    known = Remembered("kold", NOW - timedelta(days=1), shown(ALL, WIRE_A, OPP_A, GOV_A))
    item_story = {ALL[(i.outlet, i.key)]: "kold" for i in (WIRE_A, OPP_A, GOV_A)}
    recall = Recall(ALL, item_story, {"kold": known}, frozenset({"kold"}))
    keys, _ = assign_keys([story("s1", GOV_A), story("s2", WIRE_A, OPP_A)], recall)
    assert keys["s2"] == ("kold",)
    assert keys["s1"][0] not in ("kold",)
    memories, _ = remember([story("s1", GOV_A), story("s2", WIRE_A, OPP_A)], recall)
    assert memories["s1"].status == "seen"  # its item was shown, inside the story it left


def test_revised_figure_and_edited_headline_are_changes() -> None:
    was = item("Wire", "wire", "Clashes leave 12 killed", key="w1")
    now = item("Wire", "wire", "Death toll rises to 19 killed", key="w1")
    ids = ids_of(was)
    known = Remembered("k1", NOW - timedelta(days=1), shown(ids, was),
                       {("Wire", "killed"): 12.0})
    recall = Recall(ids, {1: "k1"}, {"k1": known})
    memories, records = remember([story("s1", now)], recall)
    since = memories["s1"].since_last
    assert memories["s1"].status == "updated"
    assert since.items == 0
    assert [(f.outlet, f.kind, f.was, f.now) for f in since.figures] == [
        ("Wire", "killed", 12.0, 19.0)]
    assert [(r.was, r.now) for r in since.retitled] == [(was.title, now.title)]
    assert records[0].titles == ((1, now.title),)
    assert records[0].figures == (("Wire", "killed", 19.0),)


def test_a_fresh_key_avoids_keys_in_use() -> None:
    s = story("s1", WIRE_B)
    first = fresh_key(s, set())
    assert first.startswith("k") and len(first) == 11
    assert fresh_key(s, {first}) not in (first,)
    assert fresh_key(s, set()) == first
