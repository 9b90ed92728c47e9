"""Silence across languages: an outlet is silent only on a story told in its language.

(After i13f's tests/analysis/test_balance_languages.py, on the split modules.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counterpoint.analysis.blindspots import find_blindspots
from counterpoint.analysis.coverage import (
    Coverage,
    affiliation_summary,
    language_code,
    outlet_health,
    story_coverage,
)
from counterpoint.models import FeedResult, FeedStatus, Item, Outlet, Story
from counterpoint.render.jsonout import coverage_json
from counterpoint.render.words import describe_coverage

COVERED, SILENT = Coverage.COVERED, Coverage.SILENT
UNMATCHED, UNREACHABLE = Coverage.UNMATCHED, Coverage.UNREACHABLE

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)

OUTLETS = (
    Outlet("Reuters", "wire", ("https://reuters/rss",), language="en"),
    Outlet("IRNA English", "government", ("https://irna-en/rss",), language="en"),
    Outlet("IRNA Persian", "government", ("https://irna-fa/rss",), language="fa"),
    Outlet("Radio Farda", "independent", ("https://farda/rss",), language="fa-IR"),
    Outlet("Unlabelled", "ngo", ("https://unlabelled/rss",)),
)
ENGLISH_STORY = "Twelve killed in Zahedan protests"
PERSIAN_STORY = "۱۲ نفر در اعتراضات زاهدان کشته شدند"


def item(outlet: str, affiliation: str, title: str) -> Item:
    return Item(outlet=outlet, affiliation=affiliation, feed_url=f"https://{outlet}/rss",
                key=f"{outlet}:{title}", title=title, summary="", link=None,
                published=NOW - timedelta(hours=6))


def healthy() -> list[FeedResult]:
    return [FeedResult(outlet=o.name, affiliation=o.affiliation, url=o.feeds[0],
                       status=FeedStatus.OK, checked_at=NOW, last_ok=NOW,
                       newest_item=NOW - timedelta(hours=1), healthy=True) for o in OUTLETS]


def coverage(story: Story, results: list[FeedResult] | None = None) -> dict[str, Coverage]:
    return story_coverage(story, OUTLETS, outlet_health(OUTLETS, results or healthy()))


def english_only() -> Story:
    return Story("s1", ENGLISH_STORY, (item("Reuters", "wire", ENGLISH_STORY),))


def test_outlets_of_another_language_are_unmatched_not_silent() -> None:
    assert coverage(english_only()) == {
        "Reuters": COVERED, "IRNA English": SILENT, "IRNA Persian": UNMATCHED,
        "Radio Farda": UNMATCHED, "Unlabelled": SILENT}


def test_a_story_told_in_both_languages_makes_both_silent() -> None:
    story = Story("s1", ENGLISH_STORY, (item("Reuters", "wire", ENGLISH_STORY),
                                        item("Radio Farda", "independent", PERSIAN_STORY)))
    assert coverage(story) == {
        "Reuters": COVERED, "IRNA English": SILENT, "IRNA Persian": SILENT,
        "Radio Farda": COVERED, "Unlabelled": SILENT}


def test_a_persian_only_story_leaves_english_outlets_unmatched() -> None:
    story = Story("s1", PERSIAN_STORY, (item("IRNA Persian", "government", PERSIAN_STORY),))
    states = coverage(story)
    assert (states["Reuters"], states["IRNA English"], states["Radio Farda"]) == (
        UNMATCHED, UNMATCHED, SILENT)


def test_an_item_of_an_outlet_without_a_language_is_read_by_its_script() -> None:
    story = Story("s1", PERSIAN_STORY, (item("Gone Persian Daily", "opposition",
                                             PERSIAN_STORY),))
    states = coverage(story)
    assert (states["Reuters"], states["Radio Farda"]) == (UNMATCHED, SILENT)


def test_an_unreachable_outlet_stays_unreachable_whatever_its_language() -> None:
    results = [r for r in healthy() if r.outlet != "IRNA Persian"]
    assert coverage(english_only(), results)["IRNA Persian"] == UNREACHABLE


def test_unmatched_outlets_never_make_a_blindspot() -> None:
    persian_and_reuters = [o for o in OUTLETS if o.language in ("en", "fa", "fa-IR")
                           and o.name != "IRNA English"]
    health = outlet_health(persian_and_reuters, healthy())
    states = story_coverage(english_only(), persian_and_reuters, health)
    assert find_blindspots([english_only()], {"s1": states}, persian_and_reuters,
                           min_items=1) == []


def test_a_blindspot_names_only_the_silent_outlets() -> None:
    only_labelled = [o for o in OUTLETS if o.language]
    states = story_coverage(english_only(), only_labelled, outlet_health(only_labelled,
                                                                         healthy()))
    (blindspot,) = find_blindspots([english_only()], {"s1": states}, only_labelled,
                                   min_items=1)
    assert blindspot.silent == {"government": ("IRNA English",)}
    assert blindspot.unreachable == ("independent",)


def test_summary_counts_and_describes_other_language_outlets() -> None:
    summary = affiliation_summary(coverage(english_only()), OUTLETS,
                                  ["government", "independent", "ngo", "wire"])
    assert describe_coverage(summary) == (
        "government 0/2 (1 other language) · independent 0/1 (1 other language) · ngo 0/1 · "
        "wire 1/1")
    assert coverage_json(summary[0]) == {"affiliation": "government", "covered": 0, "silent": 1,
                                    "unreachable": 0, "unmatched": 1, "total": 2}


def test_language_codes_compare_by_primary_subtag() -> None:
    assert [language_code(code) for code in ("fa-IR", "FA", "per", "en_GB", "eng", "", None)
            ] == ["fa", "fa", "fa", "en", "en", None, None]
