"""Figures and cross-language evidence read ahead in a second process while grouping runs;
lexicon terms read in this process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from counterpoint.analysis import ahead, figures, terms
from counterpoint.analysis.ahead import ReadAhead
from counterpoint.analysis.digest import build_digest
from counterpoint.config.load import parse_config
from counterpoint.models import FeedResult, FeedStatus, Item, LexiconGroup, Story, Window
from counterpoint.render.jsonout import StoriesAhead, digest_json, dumps
from counterpoint.stories.gazetteer import shipped_gazetteer
from counterpoint.stories.xling import evidence_of, item_language

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
LEXICON = (LexiconGroup("unrest", "Unrest", (("rioters", "rioter"), ("protesters",))),)
OTHER_LEXICON = (LexiconGroup("x", "X", (("regime",), ("government",))),)
TEXTS = [
    ("Zahedan unrest: 12 killed, 300 arrested", "Rioters attacked police, state media said."),
    ("Protesters say 40 were killed in Zahedan", "Rights groups put the toll at 40 protesters."),
    ("Markets calm", "Nothing to count here."),
    ("تظاهرات در زاهدان؛ ۱۲ نفر کشته شدند", "اغتشاشگران به پاسگاه حمله کردند."),
]


def items(tag: str) -> list[Item]:
    return [Item(f"Outlet {n % 2}", "wire" if n % 2 else "government",
                 f"https://o{n % 2}.example/rss", f"{tag}:{n}", title, summary,
                 f"https://o.example/{tag}/{n}", NOW - timedelta(hours=n + 1))
            for n, (title, summary) in enumerate(TEXTS * 3)]


def boom(*_: object) -> object:
    raise AssertionError("read again in this process")


def test_what_the_child_reads_is_what_this_process_would_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    batch = items("ahead")
    story = Story("s1", "t", tuple(batch))
    expected_figures = figures.item_figures_of(batch)
    expected_terms = terms.story_terms(story, LEXICON)
    terms.story_terms(story, OTHER_LEXICON)  # another lexicon: nothing of LEXICON is kept
    languages = [item_language(item) for item in batch]
    gazetteer = shipped_gazetteer()
    expected_evidence = evidence_of(batch, languages, gazetteer)
    reader = ReadAhead(batch, languages, gazetteer, min_items=0)
    if not reader.started:
        pytest.skip("no second core, or no fork, here")
    monkeypatch.setattr(figures, "extract_figures", boom)
    monkeypatch.setattr(gazetteer, "scan", boom)
    assert reader.finish()
    assert [tuple(figures.item_figures(item)) for item in batch] == expected_figures
    assert any(expected_figures) and expected_terms and {"en", "fa"} == set(languages)
    assert evidence_of(batch, languages, gazetteer) == expected_evidence
    monkeypatch.undo()
    # The terms are this process's to read (while the child works out the topics).
    assert terms.story_terms(story, LEXICON) == expected_terms


def test_a_failed_child_leaves_the_reading_to_this_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    batch = items("failed")
    expected = figures.item_figures_of(batch)
    monkeypatch.setattr(figures, "item_figures_of", boom)  # the child inherits it and fails
    reader = ReadAhead(batch, min_items=0)
    if not reader.started:
        pytest.skip("no second core, or no fork, here")
    assert not reader.finish()
    assert [tuple(figures.item_figures(item)) for item in batch] == expected


def test_a_digest_is_the_same_with_and_without_reading_ahead(
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config("""
[[outlets]]
name = "Outlet 0"
affiliation = "government"
feeds = ["https://o0.example/rss"]

[[outlets]]
name = "Outlet 1"
affiliation = "wire"
feeds = ["https://o1.example/rss"]

[lexicon.unrest]
label = "Unrest"
terms = [["rioters", "rioter", "اغتشاشگران"], ["protesters"]]
""", None)
    feeds = [FeedResult(o.name, o.affiliation, o.feeds[0], FeedStatus.OK, healthy=True,
                        checked_at=NOW, last_ok=NOW, newest_item=NOW) for o in config.outlets]
    window = Window(NOW - timedelta(days=1), NOW)
    alone = digest_json(build_digest(config, items("digest"), feeds, window, NOW))
    assert any(s["figures"] for s in alone["stories"]) and any(s["terms"]
                                                               for s in alone["stories"])
    finished: list[bool] = []
    finish = ReadAhead.finish
    monkeypatch.setattr(ReadAhead, "finish", lambda self: finished.append(finish(self)))
    monkeypatch.setattr(ahead, "MIN_ITEMS", 0)
    assert digest_json(build_digest(config, items("digest"), feeds, window, NOW)) == alone
    probe = ReadAhead(items("probe"), min_items=0)
    forked = probe.started
    probe.cancel()
    assert finished == [forked]  # read ahead wherever a child can be forked
    # Stories written while the child finds their topics (some; the rest when due): the same.
    written = StoriesAhead(budget=2000)
    seen: list[int] = []

    def meanwhile(entries: list[object], ready: object) -> None:
        written(entries, lambda: False)  # whether or not the topics are in already
        seen.append(len(written.texts))

    digest = build_digest(config, items("digest"), feeds, window, NOW, meanwhile=meanwhile)
    assert dumps(digest_json(digest, ahead=written)) == dumps(alone)
    assert not written.texts  # each let go once written
    assert (len(seen) == 1 and 0 < seen[0] < len(digest.stories)) if forked else seen == []


def test_the_child_titles_stories_and_finds_their_topics_as_this_process_would(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from counterpoint.analysis.ahead import members_of, stories_of, story_specs
    from counterpoint.models import TopicRule
    from counterpoint.stories.group import story_title
    from counterpoint.stories.topics import assign_topics, rule_choices

    batch = items("jobs")
    groups = [[0, 1, 4, 5], [2, 6], [3, 7, 11], [8, 9, 10]]
    stories = [Story(f"s{n}", story_title(members_of(batch, g)), members_of(batch, g))
               for n, g in enumerate(groups, 1)]
    rules = [TopicRule("unrest", "Unrest", ("Zahedan",))]
    expected_topics = assign_topics(stories, rules)
    assert stories_of(batch, story_specs(batch, stories)) == stories
    reader = ReadAhead(batch, min_items=0)
    if not reader.started:
        pytest.skip("no second core, or no fork, here")
    assert not reader.ask("titles", groups)  # nothing is asked before the reading is in
    assert reader.finish()
    assert reader.ask("titles", groups) and reader.ask("topics", story_specs(batch, stories),
                                                       rules, 0)
    assert reader.answer() == [story.title for story in stories]
    assert reader.answer() == expected_topics
    # This process matches the first two stories against the rules while the child does the
    # rest: the child takes what it is told for them (here, every story is left unclaimed).
    assert reader.ask("topics", story_specs(batch, stories), rules, 2)
    assert reader.tell(rule_choices(stories[:2], rules))
    assert reader.answer() == expected_topics
    assert reader.ask("topics", story_specs(batch, stories), rules, 2) and reader.tell([-1, -1])
    told = assign_topics(stories, rules, [-1, -1])
    assert reader.answer() == told != expected_topics
    reader.cancel()
    assert not reader.ask("titles", groups) and reader.answer() is None


def test_a_job_the_child_fails_is_done_by_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from counterpoint.analysis.digest import build_stories
    from counterpoint.stories.group import GroupingParams

    batch = items("failed-job")
    expected = build_stories(batch, GroupingParams())
    monkeypatch.setattr(ahead, "story_title", boom)  # the child inherits it and fails
    reader = ReadAhead(batch, min_items=0)
    if not reader.started:
        pytest.skip("no second core, or no fork, here")
    assert build_stories(batch, GroupingParams(), ahead=reader) == expected
    assert not reader.ask("titles", [[0, 1]]) and reader.answer() is None  # asked no more


def test_this_process_matches_about_half_the_stories_text_against_the_rules() -> None:
    from counterpoint.analysis.ahead import rules_share

    batch = items("share")
    stories = [Story(f"s{n}", "t", (item,)) for n, item in enumerate(batch[:10])]
    size = [len(s.items[0].title) + len(s.items[0].summary) for s in stories]
    shared = rules_share(stories)
    assert sum(size[:shared]) <= sum(size) / 2 < sum(size[:shared + 1])
    assert rules_share(stories, keep=0) == 0 and rules_share(stories, keep=1) == len(stories)
    assert rules_share([]) == 0


def test_the_child_titles_the_first_groups_and_this_process_keeps_a_share() -> None:
    from counterpoint.analysis.ahead import titles_share

    ten = [[n, n + 1, n + 2] for n in range(0, 30, 3)]  # ten groups of the same work
    assert titles_share(ten, keep=0.3) == 7
    assert titles_share(ten, keep=0) == len(ten)
    assert titles_share(ten, keep=1) == 0
    # A big group is most of the work; groups of one or two items are next to none.
    assert titles_share([[0, 1, 2], list(range(3, 40)), [40], [41, 42]], keep=0.3) == 1


def test_stories_titled_partly_by_the_child_are_titled_as_this_process_would() -> None:
    from counterpoint.analysis.digest import build_stories
    from counterpoint.stories.group import GroupingParams

    events = [("Floods hit Bangladesh delta", "Monsoon floods displaced thousands in Sylhet."),
              ("Chile copper mine strike ends", "Workers at Escondida accepted a wage deal."),
              ("Norway wealth fund sells bonds", "The oil fund cut its bond holdings again."),
              ("Kenya runners sweep marathon", "Kipchoge's club mates took the Berlin podium.")]
    batch = [Item(f"Outlet {k}", "wire", f"https://o{k}.example/rss", f"ev:{n}:{k}",
                  f"{title} ({k})" if k else title, summary, None, NOW - timedelta(hours=n + k))
             for n, (title, summary) in enumerate(events) for k in range(3)]
    expected = build_stories(batch, GroupingParams())
    assert len(expected) == len(events)
    reader = ReadAhead(batch, min_items=0)
    if not reader.started:
        pytest.skip("no second core, or no fork, here")
    assert build_stories(batch, GroupingParams(), ahead=reader) == expected
    reader.cancel()
