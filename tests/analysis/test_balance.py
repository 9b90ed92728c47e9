"""Coverage, blindspots, mix accounting, the reading list and side-by-side rows."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from counterpoint.analysis.balance import (
    COVERED,
    SILENT,
    UNREACHABLE,
    account_mix,
    affiliation_order,
    affiliation_summary,
    describe_coverage,
    find_blindspots,
    first_sentence,
    framing_rows,
    outlet_health,
    reading_list,
    story_coverage,
)
from counterpoint.config.load import DEFAULT_AFFILIATIONS
from counterpoint.models import FeedResult, FeedStatus, Item, Outlet, Story

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
STORY_START = NOW - timedelta(hours=6)


def outlet(name: str, affiliation: str, *feeds: str) -> Outlet:
    return Outlet(name, affiliation, feeds or (f"https://{name.lower().replace(' ', '')}/rss",))


def item(name: str, affiliation: str, title: str = "Headline", summary: str = "",
         *, hours_ago: float = 6, key: str | None = None, link: str | None = "auto") -> Item:
    return Item(outlet=name, affiliation=affiliation, feed_url=f"https://{name}/rss",
                key=key or f"{name}:{title}", title=title, summary=summary,
                link=f"https://{name}/{key or title}" if link == "auto" else link,
                published=NOW - timedelta(hours=hours_ago))


def ok(name: str, affiliation: str, *, newest: datetime = NOW - timedelta(hours=1),
       url: str | None = None, last_ok: datetime | None = NOW) -> FeedResult:
    return FeedResult(outlet=name, affiliation=affiliation,
                      url=url or f"https://{name.lower().replace(' ', '')}/rss",
                      status=FeedStatus.OK, checked_at=NOW, last_ok=last_ok,
                      newest_item=newest, healthy=True)


def down(name: str, affiliation: str, *, newest: datetime | None = NOW - timedelta(hours=1),
         url: str | None = None) -> FeedResult:
    return FeedResult(outlet=name, affiliation=affiliation,
                      url=url or f"https://{name.lower().replace(' ', '')}/rss",
                      status=FeedStatus.ERROR, error="connection refused", checked_at=NOW,
                      last_ok=NOW - timedelta(days=2), newest_item=newest, healthy=False)


# Sentences after the seed articles of the opposition (NCRI/MEK) sites.
SEED_STORIES = (
    ("Free Iran rally in Paris draws tens of thousands",
     "Tomorrow, June 30th, is the NCRI's annual Free Iran gathering in Paris."),
    ("November 2019 uprising remembered",
     "There were around 1,500 deaths, 4,000 people injured and many more thousands arrested."),
    ("Free Iran Global Summit held online",
     "The summit connected over 30,000 locations from above 100 countries."),
)

OUTLETS = (
    outlet("IRNA", "government"),
    outlet("Press TV", "government"),
    outlet("NCRI", "opposition"),
    outlet("Iran Focus", "opposition"),
    outlet("Reuters", "wire"),
    outlet("AP", "wire"),
    outlet("Amnesty", "ngo"),
    outlet("HRW", "ngo"),
)


def healthy_results() -> list[FeedResult]:
    return [ok(o.name, o.affiliation) for o in OUTLETS]


def opposition_stories() -> list[Story]:
    stories = []
    for number, (title, summary) in enumerate(SEED_STORIES):
        carriers = ["NCRI", "Iran Focus"] if number == 1 else ["NCRI"]
        stories.append(Story(f"s{number + 1}", title,
                             tuple(item(name, "opposition", title, summary)
                                   for name in carriers)))
    return stories


# -- coverage ----------------------------------------------------------------------------------
def test_outlet_with_an_item_in_the_story_is_covered() -> None:
    story = Story("s1", "t", (item("Reuters", "wire"),))
    health = outlet_health(OUTLETS, healthy_results())
    assert story_coverage(story, OUTLETS, health)["Reuters"] == COVERED


def test_healthy_fresh_feed_without_an_item_is_silent() -> None:
    story = Story("s1", "t", (item("Reuters", "wire"),))
    health = outlet_health(OUTLETS, healthy_results())
    assert story_coverage(story, OUTLETS, health)["IRNA"] == SILENT


def test_dead_feed_is_unreachable_never_silent() -> None:
    story = Story("s1", "t", (item("Reuters", "wire"),))
    results = [*healthy_results()[1:], down("IRNA", "government")]
    health = outlet_health(OUTLETS, results)
    assert story_coverage(story, OUTLETS, health)["IRNA"] == UNREACHABLE


def test_outlet_without_any_feed_result_is_unreachable() -> None:
    story = Story("s1", "t", (item("Reuters", "wire"),))
    results = [r for r in healthy_results() if r.outlet != "HRW"]
    health = outlet_health(OUTLETS, results)
    assert story_coverage(story, OUTLETS, health)["HRW"] == UNREACHABLE


def test_feed_whose_newest_item_predates_the_story_is_stale_and_unreachable() -> None:
    story = Story("s1", "t", (item("Reuters", "wire", hours_ago=6),))
    results = [*healthy_results()[1:],
               ok("IRNA", "government", newest=STORY_START - timedelta(hours=1))]
    health = outlet_health(OUTLETS, results)
    assert story_coverage(story, OUTLETS, health)["IRNA"] == UNREACHABLE


def test_stale_after_lets_a_quiet_but_healthy_feed_count_as_silent() -> None:
    story = Story("s1", "t", (item("Reuters", "wire", hours_ago=6),))
    results = [*healthy_results()[1:],
               ok("IRNA", "government", newest=STORY_START - timedelta(days=2))]
    health = outlet_health(OUTLETS, results)
    coverage = story_coverage(story, OUTLETS, health, stale_after=timedelta(days=7))
    assert coverage["IRNA"] == SILENT


def test_feed_last_answering_before_the_story_began_is_unreachable() -> None:
    story = Story("s1", "t", (item("Reuters", "wire", hours_ago=6),))
    results = [*healthy_results()[1:],
               ok("IRNA", "government", newest=STORY_START - timedelta(hours=1),
                  last_ok=STORY_START - timedelta(hours=1))]
    health = outlet_health(OUTLETS, results)
    coverage = story_coverage(story, OUTLETS, health, stale_after=timedelta(days=7))
    assert coverage["IRNA"] == UNREACHABLE


def test_one_healthy_feed_makes_a_two_feed_outlet_reachable() -> None:
    bbc = outlet("BBC Persian", "independent", "https://bbc/a", "https://bbc/b")
    results = [down("BBC Persian", "independent", url="https://bbc/a"),
               ok("BBC Persian", "independent", url="https://bbc/b")]
    story = Story("s1", "t", (item("Reuters", "wire"),))
    coverage = story_coverage(story, [bbc], outlet_health([bbc], results))
    assert coverage["BBC Persian"] == SILENT


def test_a_dead_feeds_recent_items_do_not_make_its_outlet_fresh() -> None:
    bbc = outlet("BBC Persian", "independent", "https://bbc/a", "https://bbc/b")
    results = [down("BBC Persian", "independent", url="https://bbc/a", newest=NOW),
               ok("BBC Persian", "independent", url="https://bbc/b",
                  newest=STORY_START - timedelta(days=30))]
    story = Story("s1", "t", (item("Reuters", "wire"),))
    coverage = story_coverage(story, [bbc], outlet_health([bbc], results))
    assert coverage["BBC Persian"] == UNREACHABLE


def test_outlet_health_reports_errors_of_unhealthy_feeds() -> None:
    health = outlet_health(OUTLETS, [down("IRNA", "government")])
    assert not health["IRNA"].reachable
    assert health["IRNA"].to_json()["errors"] == ["https://irna/rss: connection refused"]


def test_coverage_follows_config_order_and_keeps_unconfigured_carriers_covered() -> None:
    story = Story("s1", "t", (item("Gone Daily", "independent"), item("AP", "wire")))
    coverage = story_coverage(story, OUTLETS, outlet_health(OUTLETS, healthy_results()))
    assert list(coverage) == [o.name for o in OUTLETS] + ["Gone Daily"]
    assert coverage["Gone Daily"] == COVERED


# -- per-affiliation summary -------------------------------------------------------------------
def test_affiliation_summary_describes_covered_out_of_configured_with_unreachable() -> None:
    outlets = ([outlet(f"w{n}", "wire") for n in range(5)]
               + [outlet(f"n{n}", "ngo") for n in range(4)]
               + [outlet(f"g{n}", "government") for n in range(6)])
    coverage = {"w0": COVERED, "w1": COVERED, "w2": COVERED, "w3": SILENT, "w4": SILENT,
                "n0": UNREACHABLE, "n1": UNREACHABLE, "n2": SILENT, "n3": SILENT,
                "g0": COVERED, "g1": COVERED, "g2": SILENT, "g3": SILENT, "g4": SILENT,
                "g5": SILENT}
    summary = affiliation_summary(coverage, outlets, ["wire", "ngo", "government"])
    assert describe_coverage(summary) == "wire 3/5 · ngo 0/4 (2 unreachable) · government 2/6"
    assert summary[1].to_json() == {"affiliation": "ngo", "covered": 0, "silent": 2,
                                    "unreachable": 2, "unmatched": 0, "total": 4}


def test_affiliation_summary_leaves_out_classes_without_outlets() -> None:
    summary = affiliation_summary({"AP": COVERED}, [outlet("AP", "wire")],
                                  affiliation_order(DEFAULT_AFFILIATIONS))
    assert [entry.affiliation for entry in summary] == ["wire"]


def test_affiliation_order_is_alphabetical_whatever_the_config_order() -> None:
    assert affiliation_order(DEFAULT_AFFILIATIONS) == [
        "government", "independent", "ngo", "opposition", "wire"]
    assert affiliation_order({"wire": "W", "opposition": "O", "government": "G"}) == [
        "government", "opposition", "wire"]


# -- blindspots --------------------------------------------------------------------------------
def coverages_for(stories: list[Story], results: list[FeedResult]) -> dict[str, dict[str, str]]:
    health = outlet_health(OUTLETS, results)
    return {story.id: story_coverage(story, OUTLETS, health) for story in stories}


def test_opposition_stories_others_were_silent_on_are_opposition_blindspots() -> None:
    stories = opposition_stories()
    blindspots = find_blindspots(stories, coverages_for(stories, healthy_results()), OUTLETS,
                                 affiliation_order(DEFAULT_AFFILIATIONS))
    assert {b.story_id for b in blindspots} == {"s1", "s2", "s3"}
    assert {b.affiliation for b in blindspots} == {"opposition"}
    assert blindspots[0].silent == {"government": ("IRNA", "Press TV"),
                                    "ngo": ("Amnesty", "HRW"), "wire": ("Reuters", "AP")}


def test_blindspots_rank_by_how_many_outlets_of_the_side_carried_the_story() -> None:
    stories = opposition_stories()
    blindspots = find_blindspots(stories, coverages_for(stories, healthy_results()), OUTLETS)
    assert [b.story_id for b in blindspots] == ["s2", "s1", "s3"]
    assert blindspots[0].outlets == ("NCRI", "Iran Focus")


def test_story_carried_by_two_classes_is_no_blindspot() -> None:
    story = Story("s1", "t", (item("NCRI", "opposition"), item("IRNA", "government")))
    assert find_blindspots([story], coverages_for([story], healthy_results()), OUTLETS) == []


def test_story_is_no_blindspot_when_every_other_outlet_was_unreachable() -> None:
    stories = opposition_stories()
    results = [ok(o.name, o.affiliation) if o.affiliation == "opposition"
               else down(o.name, o.affiliation) for o in OUTLETS]
    assert find_blindspots(stories, coverages_for(stories, results), OUTLETS) == []


def test_blindspot_names_classes_whose_silence_is_unknown() -> None:
    stories = opposition_stories()[:1]
    results = [down(o.name, o.affiliation) if o.affiliation == "ngo"
               else ok(o.name, o.affiliation) for o in OUTLETS]
    (blindspot,) = find_blindspots(stories, coverages_for(stories, results), OUTLETS,
                                   affiliation_order(DEFAULT_AFFILIATIONS))
    assert blindspot.unreachable == ("ngo",)
    assert blindspot.to_json() == {
        "story": "s1", "title": SEED_STORIES[0][0], "affiliation": "opposition",
        "outlets": ["NCRI"], "items": 1,
        "silent": {"government": ["IRNA", "Press TV"], "wire": ["Reuters", "AP"]},
        "unreachable": ["ngo"]}


def test_blindspots_can_require_more_than_one_carrier() -> None:
    stories = opposition_stories()
    blindspots = find_blindspots(stories, coverages_for(stories, healthy_results()), OUTLETS,
                                 min_outlets=2)
    assert [b.story_id for b in blindspots] == ["s2"]


# -- mix ---------------------------------------------------------------------------------------
def shown_items(counts: dict[str, int]) -> list[Item]:
    return [item(f"{key}-outlet", key, f"{key} {n}") for key, count in counts.items()
            for n in range(count)]


def test_mix_counts_outlets_configured_and_fetched_and_items_shown() -> None:
    results = [r for r in healthy_results() if r.outlet != "AP"] + [down("AP", "wire")]
    mix = account_mix(OUTLETS, DEFAULT_AFFILIATIONS, dict.fromkeys(DEFAULT_AFFILIATIONS, 1.0),
                      results, shown_items({"wire": 3, "ngo": 2}))
    assert mix.configured == {"government": 2, "independent": 0, "ngo": 2, "opposition": 2,
                              "wire": 2}
    assert mix.fetched == {"government": 2, "independent": 0, "ngo": 2, "opposition": 2,
                           "wire": 1}
    assert mix.shown == {"government": 0, "independent": 0, "ngo": 2, "opposition": 0,
                         "wire": 3}


def test_mix_warns_when_a_class_has_no_healthy_feed() -> None:
    results = [down(o.name, o.affiliation) if o.affiliation == "ngo"
               else ok(o.name, o.affiliation) for o in OUTLETS]
    balance = {**dict.fromkeys(DEFAULT_AFFILIATIONS, 1.0), "independent": 0.0}
    mix = account_mix(OUTLETS, DEFAULT_AFFILIATIONS, balance, results,
                      shown_items(dict.fromkeys(["government", "opposition", "wire"], 4)))
    assert mix.warnings == ("ngo (Human-rights NGO): no healthy feed (2 outlets configured, "
                            "none fetched)",)


def test_mix_warns_when_a_class_falls_far_below_its_balance_weight() -> None:
    balance = {**dict.fromkeys(DEFAULT_AFFILIATIONS, 0.0), "government": 1.0, "wire": 1.0}
    mix = account_mix(OUTLETS, DEFAULT_AFFILIATIONS, balance, healthy_results(),
                      shown_items({"government": 2, "wire": 18}))
    assert mix.warnings == ("government (Government & state media): 2 of 20 items shown (10%), "
                            "[balance] asks for 50%",)


def test_mix_warns_about_a_weighted_class_without_outlets() -> None:
    mix = account_mix(OUTLETS, DEFAULT_AFFILIATIONS, dict.fromkeys(DEFAULT_AFFILIATIONS, 1.0),
                      healthy_results(), shown_items(dict.fromkeys(
                          ["government", "opposition", "wire", "ngo"], 3)))
    assert mix.warnings == ("independent (Independent press): no outlet configured, though "
                            "[balance] gives it weight 1",)


def test_mix_to_json_has_the_digest_keys() -> None:
    mix = account_mix(OUTLETS[:1], {"government": "G"}, {"government": 1.0},
                      healthy_results(), shown_items({"government": 1}))
    assert mix.to_json() == {"configured": {"government": 1}, "fetched": {"government": 1},
                             "shown": {"government": 1}, "warnings": []}


# -- reading list ------------------------------------------------------------------------------
CLASSES = ("government", "opposition", "wire", "ngo", "independent")


def pool() -> list[Story]:
    """Twenty stories of varied breadth; every class has more than 20 items."""
    stories = []
    for number in range(20):
        items = []
        for offset, key in enumerate(CLASSES):
            if (number + offset) % 3 == 0 and number % 4 != 3:
                continue
            for copy in range(1 + (number + offset) % 2):
                items.append(item(f"{key}-{copy}", key, f"story {number} by {key} {copy}",
                                  hours_ago=number + offset / 10 + copy / 100))
        stories.append(Story(f"s{number}", f"story {number}", tuple(items)))
    return stories


@pytest.mark.parametrize("n", [1, 3, 7, 10, 13, 20])
@pytest.mark.parametrize("weights", [
    {"government": 1, "opposition": 1, "wire": 1, "ngo": 1, "independent": 1},
    {"government": 1, "opposition": 1, "wire": 2, "ngo": 0.5, "independent": 0},
    {"government": 3, "opposition": 1, "wire": 0, "ngo": 0, "independent": 0},
])
def test_reading_list_class_counts_match_balance_within_one_item(
        n: int, weights: dict[str, float]) -> None:
    stories = pool()
    assert min(Counter(i.affiliation for s in stories for i in s.items).values()) >= n
    picks = reading_list(stories, weights, affiliation_order(CLASSES), n)
    counts = Counter(pick.item.affiliation for pick in picks)
    total = sum(weights.values())
    assert len(picks) == n
    for key, weight in weights.items():
        assert abs(counts[key] - n * weight / total) < 1


def test_a_class_with_weight_zero_gets_nothing() -> None:
    weights = {**dict.fromkeys(CLASSES, 1.0), "opposition": 0.0}
    picks = reading_list(pool(), weights, affiliation_order(CLASSES), 10)
    assert "opposition" not in {pick.item.affiliation for pick in picks}


def test_a_short_class_gives_its_quota_to_the_others() -> None:
    stories = [*pool(), Story("lone", "lone ngo story", (item("Amnesty", "ngo", "only"),))]
    stories = [Story(s.id, s.title, tuple(i for i in s.items if i.affiliation != "ngo"))
               if s.id != "lone" else s for s in stories]
    picks = reading_list(stories, dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), 10)
    counts = Counter(pick.item.affiliation for pick in picks)
    assert len(picks) == 10
    assert counts["ngo"] == 1
    assert sorted(counts[key] for key in CLASSES if key != "ngo") == [2, 2, 2, 3]


def test_reading_list_is_limited_by_the_items_there_are() -> None:
    stories = [Story("s1", "t", (item("AP", "wire"), item("IRNA", "government")))]
    picks = reading_list(stories, dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), 10)
    assert len(picks) == 2


def test_reading_list_meets_each_side_once_per_story_before_repeating_one() -> None:
    stories = [Story("s1", "wide", (item("AP", "wire", "a1", hours_ago=3),
                                    item("Reuters", "wire", "a2", hours_ago=2),
                                    item("IRNA", "government", "g1"))),
               Story("s2", "narrow", (item("AFP", "wire", "b1"),))]
    picks = reading_list(stories, {"wire": 1.0, "government": 1.0}, ["government", "wire"], 2)
    assert [(p.story_id, p.item.title) for p in picks] == [("s1", "g1"), ("s1", "a1")]
    picks = reading_list(stories, {"wire": 2.0, "government": 1.0}, ["government", "wire"], 3)
    assert [(p.story_id, p.item.title) for p in picks] == [("s1", "g1"), ("s1", "a1"),
                                                           ("s2", "b1")]


def test_reading_list_takes_the_broadest_stories_first() -> None:
    narrow = Story("s1", "narrow", (item("AP", "wire", "narrow"),))
    broad = Story("s2", "broad", (item("Reuters", "wire", "broad"),
                                  item("IRNA", "government", "gov"),
                                  item("NCRI", "opposition", "opp")))
    picks = reading_list([narrow, broad], {"wire": 1.0, "government": 0.0, "opposition": 0.0},
                         ["wire"], 1)
    assert [p.item.title for p in picks] == ["broad"]


def test_reading_list_is_deterministic_whatever_the_input_order() -> None:
    stories = pool()
    expected = reading_list(stories, dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), 7)
    shuffled = stories[:]
    random.Random(5).shuffle(shuffled)
    shuffled = [Story(s.id, s.title, tuple(random.Random(1).sample(s.items, len(s.items))))
                for s in shuffled]
    again = reading_list(shuffled, dict.fromkeys(CLASSES, 1.0), affiliation_order(CLASSES), 7)
    assert [(p.story_id, p.item.key) for p in again] == [(p.story_id, p.item.key)
                                                         for p in expected]


def test_reading_list_of_zero_items_is_empty() -> None:
    assert reading_list(pool(), dict.fromkeys(CLASSES, 1.0), CLASSES, 0) == []


def test_reading_pick_to_json_has_the_digest_keys() -> None:
    stories = [Story("s1", "t", (item("AP", "wire", "Title", link="https://ap/1"),))]
    (pick,) = reading_list(stories, {"wire": 1.0}, ["wire"], 10)
    assert pick.to_json() == {"story": "s1", "title": "Title", "link": "https://ap/1",
                              "outlet": "AP", "affiliation": "wire"}


# -- side by side ------------------------------------------------------------------------------
def test_framing_rows_give_one_row_per_affiliation_in_the_fixed_order() -> None:
    story = Story("s1", "Protests", (
        item("Reuters", "wire", "Protests spread", "Protests spread to 20 cities. More later."),
        item("NCRI", "opposition", "Uprising grows", "The uprising grows. Regime shaken.",
             hours_ago=5),
        item("IRNA", "government", "Rioters arrested", "Police arrested rioters. Calm returns.",
             hours_ago=4),
        item("NCRI", "opposition", "Later", "Second item.", hours_ago=1)))
    rows = framing_rows(story, affiliation_order(DEFAULT_AFFILIATIONS))
    assert [(r.affiliation, r.outlet, r.title, r.sentence) for r in rows] == [
        ("government", "IRNA", "Rioters arrested", "Police arrested rioters."),
        ("opposition", "NCRI", "Uprising grows", "The uprising grows."),
        ("wire", "Reuters", "Protests spread", "Protests spread to 20 cities.")]


def test_first_sentence_skips_a_repeated_headline_and_abbreviations() -> None:
    text = "Rally in Paris. Mr. Giuliani told the U.S. audience it was big. Then more."
    assert first_sentence(text, skip="Rally in Paris") == (
        "Mr. Giuliani told the U.S. audience it was big.")


def test_mix_describes_one_line_per_count() -> None:
    mix = account_mix(OUTLETS[:3], {"government": "G", "opposition": "O"},
                      {"government": 1.0, "opposition": 1.0}, healthy_results(),
                      shown_items({"government": 4, "opposition": 1}))
    assert mix.describe() == ["configured: government 2 · opposition 1",
                              "fetched: government 2 · opposition 1",
                              "shown: government 4 · opposition 1"]
