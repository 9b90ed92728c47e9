"""Coverage: covered, silent or unreachable, per outlet and per class."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from analysishelp import (
    NOW,
    OUTLETS,
    STORY_START,
    down,
    healthy_results,
    item,
    ok,
    outlet,
)
from counterpoint.analysis.coverage import (
    Coverage,
    CoverageTable,
    affiliation_summary,
    outlet_health,
    story_coverage,
)
from counterpoint.analysis.sides import affiliation_order
from counterpoint.config.load import DEFAULT_AFFILIATIONS
from counterpoint.models import Outlet, Story
from counterpoint.render.jsonout import coverage_json
from counterpoint.render.words import describe_coverage

COVERED, SILENT, UNREACHABLE = Coverage.COVERED, Coverage.SILENT, Coverage.UNREACHABLE

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
    assert health["IRNA"].errors == ("https://irna/rss: connection refused",)


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
    assert coverage_json(summary[1]) == {"affiliation": "ngo", "covered": 0, "silent": 2,
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


# -- many stories at once ----------------------------------------------------------------------

_LANGUAGE_OUTLETS = (*OUTLETS,
                     Outlet("BBC Persian", "independent", ("https://bbcp/rss",), language="fa"),
                     Outlet("Iran Intl", "independent", ("https://ii/rss",), language="en"))


@given(st.lists(st.tuples(st.lists(st.sampled_from([*[o.name for o in _LANGUAGE_OUTLETS],
                                                     "Gone Outlet"]), min_size=1, max_size=4),
                          st.integers(0, 72), st.booleans()), min_size=1, max_size=12),
       st.lists(st.tuples(st.sampled_from([o.name for o in _LANGUAGE_OUTLETS]),
                          st.integers(-80, 80), st.one_of(st.none(), st.integers(-80, 80)),
                          st.booleans()), max_size=14),
       st.sampled_from([timedelta(0), timedelta(hours=24)]))
@settings(max_examples=150, deadline=None)
def test_a_coverage_table_gives_each_storys_coverage_and_summary(
        stories: list[tuple[list[str], int, bool]],
        feeds: list[tuple[str, int, int | None, bool]], stale_after: timedelta) -> None:
    affiliation = {o.name: o.affiliation for o in _LANGUAGE_OUTLETS} | {"Gone Outlet": "wire"}
    results = [replace(ok(name, affiliation[name], url=f"https://{name}/{n}",
                          newest=NOW - timedelta(hours=newest),
                          last_ok=None if last is None else NOW - timedelta(hours=last)),
                       healthy=healthy)
               for n, (name, newest, last, healthy) in enumerate(feeds)]
    health = outlet_health(_LANGUAGE_OUTLETS, results)
    table = CoverageTable(_LANGUAGE_OUTLETS, health, stale_after=stale_after)
    order = affiliation_order(DEFAULT_AFFILIATIONS)
    for number, (names, hours, persian) in enumerate(stories):
        story = Story(f"s{number}", "t", tuple(
            item(name, affiliation[name], "خبر" if persian else "News", hours_ago=hours + k)
            for k, name in enumerate(names)))
        expected = story_coverage(story, _LANGUAGE_OUTLETS, health, stale_after=stale_after)
        assert table.coverage(story) == expected
        assert list(table.coverage(story)) == list(expected)
        assert table.summary(story, order) == affiliation_summary(expected, _LANGUAGE_OUTLETS,
                                                                  order)
