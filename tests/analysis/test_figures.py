"""Figures with what they count, quoted per outlet; dates, years and the like are not figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.analysis.figures import KINDS, extract_figures, story_figures
from counterpoint.analysis.sides import affiliation_order
from counterpoint.config.load import DEFAULT_AFFILIATIONS
from counterpoint.models import Item, Story

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)

# From the seed articles (NCRI/MEK sites).
SEED_TOLL = ("There were around 1,500 deaths, 4,000 people injured and many more thousands "
             "arrested.")
SEED_PROTESTERS = ("the People's Mojahedin Organization of Iran (PMOI / MEK Iran) are ensuring "
                   "that the 1,500 protesters that were killed by the regime are not forgotten.")
SEED_REUTERS = ("Reuters confirmed in a special report on December 23, 2019, about the deadly "
                "crackdown on November nationwide protests in Iran the death toll of 1500 that "
                "was announced by the People's Mojahedin Organization of Iran on December 15, "
                "2019.")
SEED_GATHERING = ("On July 1, 2017, the (NCRI) and the People's Mojahedin Organization of Iran "
                  "(MEK/PMOI) held a gathering in Paris, France, where more than 100,000 "
                  "Iranians from all over the world participated.")
SEED_RALLY = ("Tomorrow, June 30th, is the NCRI's annual Free Iran gathering in Paris. This event "
              "traditionally attracts tens of thousands of members of the Iranian opposition.")
SEED_SUMMIT = ("This year, due to the COVID-19 pandemic, \"Free Iran Global Summit\" was held "
               "online, connecting over 30,000 locations from above 100 countries around the "
               "globe. Nearly 1,000 renowned politicians participated in this conference.")
SEED_VOTE = "The regime claims that 70 percent of Iranians had voted for this government."


def found(text: str) -> list[tuple[str, float, str]]:
    return [(f.kind, f.value, f.phrase) for f in extract_figures(text)]


def test_seed_toll_gives_deaths_injured_and_arrested_side_by_side() -> None:
    assert found(SEED_TOLL) == [
        ("killed", 1500, "around 1,500 deaths"),
        ("injured", 4000, "4,000 people injured"),
        ("arrested", 2000, "many more thousands arrested")]


def test_qualifier_is_kept_with_the_figure() -> None:
    (figure, *_) = extract_figures(SEED_TOLL)
    assert (figure.text, figure.qualifier) == ("around 1,500", "around")


def test_a_casualty_word_later_in_the_clause_names_the_count() -> None:
    assert found(SEED_PROTESTERS) == [("killed", 1500, "1,500 protesters that were killed")]


def test_death_toll_before_the_number_names_the_count() -> None:
    assert found(SEED_REUTERS) == [("killed", 1500, "death toll of 1500")]


def test_crowd_sizes_are_people_figures() -> None:
    assert found(SEED_GATHERING) == [("people", 100_000, "more than 100,000 Iranians")]
    assert found(SEED_RALLY) == [("people", 20_000, "tens of thousands of members")]


def test_numbers_that_count_nothing_disputed_are_not_figures() -> None:
    assert found(SEED_SUMMIT) == [
        ("people", 1000, "Nearly 1,000 renowned politicians participated")]


def test_percent_is_a_figure() -> None:
    assert found(SEED_VOTE) == [("percent", 70, "70 percent")]
    assert found("Inflation hit 45%.") == [("percent", 45, "45%")]


def test_turnout_percent_is_turnout() -> None:
    assert found("Turnout was 41 percent, the lowest since 1979.") == [
        ("turnout", 41, "Turnout was 41 percent")]


@pytest.mark.parametrize(("text", "expected"), [
    ("At least 1,500 people were killed in the crackdown.",
     ("killed", 1500, "at least", "At least 1,500")),
    ("More than 300 people were arrested in Tehran.",
     ("arrested", 300, "more than", "More than 300")),
    ("Iran executed at least 582 people in 2022, rights groups said.",
     ("executed", 582, "at least", "at least 582")),
    ("Hundreds were detained overnight.", ("arrested", 200, None, "Hundreds")),
    ("Dozens of protesters were wounded.", ("injured", 24, None, "Dozens")),
    ("Five protesters were killed.", ("killed", 5, None, "Five")),
])
def test_figures_as_news_writes_them(text: str,
                                     expected: tuple[str, float, str | None, str]) -> None:
    (figure,) = extract_figures(text)
    assert (figure.kind, figure.value, figure.qualifier, figure.text) == expected


def test_written_vague_amounts_are_marked_vague() -> None:
    (figure,) = extract_figures("Hundreds were detained overnight.")
    assert figure.vague


def test_each_number_takes_the_casualty_word_next_to_it() -> None:
    assert found("Security forces killed 12 and injured 40 in Zahedan.") == [
        ("killed", 12, "killed 12"), ("injured", 40, "injured 40")]


def test_an_and_does_not_carry_a_casualty_word_to_the_next_number() -> None:
    assert found("Hundreds were detained and dozens of protesters were wounded.") == [
        ("arrested", 200, "Hundreds were detained"),
        ("injured", 24, "dozens of protesters were wounded")]


def test_ranges_keep_both_ends() -> None:
    figures = extract_figures("Between 200 and 300 people were killed; officials said 1,500 "
                              "to 2,000 were detained.")
    assert [(f.kind, f.value, f.high) for f in figures] == [
        ("killed", 200, 300), ("arrested", 1500, 2000)]


def test_currency_amounts_are_money() -> None:
    figures = extract_figures("The government approved a loan of $2 billion and fined traders "
                              "10,000 rials each.")
    assert [(f.kind, f.value, f.unit, f.text) for f in figures] == [
        ("money", 2_000_000_000, "$", "$2 billion"), ("money", 10_000, "rials", "10,000 rials")]


@pytest.mark.parametrize("text", [
    "In 2019, protests spread across the country and people were killed.",
    "The 2019 killings shocked the country.",
    "Tomorrow, June 30th, the dead will be remembered.",
    "On December 23, 2019 the dead were counted.",
    "On 15 November 2019 the dead were counted.",
    "At 10:30 a.m. police arrested protesters; at 5 pm the dead were buried.",
    "Mourners marked the 40th day for the dead.",
    "Call +98 21 8888 7777 to report the dead or injured.",
    "1. Protesters killed in Zahedan",
    "COVID-19 deaths rose again.",
    "Resolution 2231 prisoners and Article 5 detainees.",
    "The 12 provinces where protesters were killed.",
    "In the 1990s people died.",
    "The 1988 massacre of prisoners is remembered.",
])
def test_dates_years_times_ordinals_phones_and_labels_are_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_a_date_next_to_a_count_leaves_the_count() -> None:
    assert found("On June 30, 30 people were killed.") == [
        ("killed", 30, "30 people were killed")]


def test_figure_quotes_its_sentence() -> None:
    (figure,) = extract_figures("Protests spread. Officials put the death toll at 200. "
                                "Calm returned.")
    assert figure.context == "Officials put the death toll at 200."


def test_figure_to_json_is_plain() -> None:
    (figure,) = extract_figures("Amnesty says at least 304 were killed.")
    assert figure.to_json() == {
        "kind": "killed", "value": 304, "high": None, "text": "at least 304",
        "phrase": "at least 304 were killed", "qualifier": "at least", "vague": False,
        "unit": "killed", "context": "Amnesty says at least 304 were killed."}


# -- per story ---------------------------------------------------------------------------------
def item(outlet: str, affiliation: str, title: str, summary: str) -> Item:
    return Item(outlet=outlet, affiliation=affiliation, feed_url=f"https://{outlet}/rss",
                key=title, title=title, summary=summary, link=f"https://{outlet}/{len(title)}",
                published=NOW - timedelta(hours=2))


def crackdown_story() -> Story:
    return Story("s1", "November 2019 crackdown", (
        item("NCRI", "opposition", "Remembering November", SEED_TOLL),
        item("IRNA", "government", "Calm returns", "Officials put the death toll at 200."),
        item("Reuters", "wire", "Iran crackdown", "About 1,500 people were killed, sources "
             "said."),
        item("Amnesty", "ngo", "Iran: at least 304 were killed",
             "Amnesty says at least 304 were killed."),
    ))


def test_story_figures_set_each_sides_casualty_figure_side_by_side() -> None:
    reported = story_figures(crackdown_story(), affiliation_order(DEFAULT_AFFILIATIONS))
    killed = [(r.affiliation, r.outlet, r.figure.text) for r in reported
              if r.figure.kind == "killed"]
    assert killed == [("government", "IRNA", "200"), ("ngo", "Amnesty", "at least 304"),
                      ("opposition", "NCRI", "around 1,500"), ("wire", "Reuters", "About 1,500")]


def test_story_figures_are_grouped_by_kind() -> None:
    reported = story_figures(crackdown_story(), affiliation_order(DEFAULT_AFFILIATIONS))
    kinds = [r.figure.kind for r in reported]
    assert kinds == sorted(kinds, key=list(KINDS).index)
    assert kinds[-2:] == ["injured", "arrested"]


def test_story_figures_report_a_figure_repeated_in_title_and_summary_once() -> None:
    reported = story_figures(crackdown_story(), affiliation_order(DEFAULT_AFFILIATIONS))
    amnesty = [r for r in reported if r.outlet == "Amnesty"]
    assert [(r.field, r.figure.value) for r in amnesty] == [("title", 304)]


def test_reported_figure_to_json_names_outlet_and_affiliation() -> None:
    reported = story_figures(crackdown_story(), affiliation_order(DEFAULT_AFFILIATIONS))
    data = reported[0].to_json()
    assert (data["outlet"], data["affiliation"], data["kind"], data["value"]) == (
        "IRNA", "government", "killed", 200)
    assert data["context"] == "Officials put the death toll at 200."


def test_reported_figure_quotes_the_outlets_sentence() -> None:
    reported = story_figures(crackdown_story(), affiliation_order(DEFAULT_AFFILIATIONS))
    assert reported[0].quote == "Officials put the death toll at 200."


def test_an_items_figures_read_twice_are_the_same_and_independent() -> None:
    from counterpoint.analysis.figures import item_figures

    item = Item(outlet="Wire", affiliation="wire", feed_url="https://w.example/rss", key="1",
                title="Quake kills 12 in the north", summary="At least 12 people died.",
                link=None, published=datetime(2026, 11, 20, tzinfo=UTC))
    first = item_figures(item)
    first.clear()
    second = item_figures(item)
    assert second and all(f.figure.value == 12 for f in second)
    assert item_figures(item) == second


_DIGIT_LED = [r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?May\b",
              r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b",
              r"\b\d{1,2}:\d{2}(?::\d{2})?\b(?:\s*[ap]\.?m\.?)?",
              r"\b\d{1,2}(?:\.\d{2})?\s*(?:[ap]\.m\.|[ap]m\b)", r"\b\d{3,4}\s*(?:GMT|hrs)\b",
              r"\b\d+(?:st|nd|rd|th)\b", r"\b\d\d"]
_DIGIT_TEXT = ["1", "12", "123", "2024", "۱۲", "a", "x1", "_", " ", "-", "/", ".", ":", "am", "PM",
               "th", "st", "May", "of", "GMT", "hrs", "\n", "é"]


@given(st.lists(st.sampled_from(_DIGIT_TEXT), max_size=20), st.sampled_from(_DIGIT_LED),
       st.booleans())
@settings(max_examples=400, deadline=None)
def test_a_mask_starting_with_its_digit_finds_what_it_found(pieces: list[str], pattern: str,
                                                            ignore_case: bool) -> None:
    import re

    from counterpoint.analysis.figure_rules import digit_first

    flags = re.IGNORECASE if ignore_case else 0
    text = "".join(pieces)
    assert ([m.span() for m in re.finditer(digit_first(pattern), text, flags)]
            == [m.span() for m in re.finditer(pattern, text, flags)])


_NEEDS_TEXT = ["Jan", "an", "J", "May", "may", "(", ")", ".", "+", "'", "’", ":", "m", "M", "x",
               " ", "#", "GMT", "UT", "C", "\\", "|", "*"]


@given(st.lists(st.sampled_from(_NEEDS_TEXT), max_size=12),
       st.lists(st.sampled_from(_NEEDS_TEXT), min_size=1, max_size=5))
@settings(max_examples=400, deadline=None)
def test_a_masks_needed_strings_are_found_as_by_testing_each(pieces: list[str],
                                                             needs: list[str]) -> None:
    import re

    from counterpoint.analysis.figure_rules import masked_spans

    text = "".join(pieces)
    mask = re.compile(r".+", re.DOTALL)
    expected = [(0, len(text))] if text and any(needed in text for needed in needs) else []
    assert masked_spans(text, [(mask, tuple(needs))]) == expected


_WORDED_TEXT = ["two", "one", "hundred", "dozens", "a", " ", "few", "tens", "of", "thousands",
                "several", "-", "_", "5", "é", "x", "ſcores", "\u212a", "Twenty", "ninety", "\n"]


@given(st.lists(st.sampled_from(_WORDED_TEXT), max_size=14))
@settings(max_examples=400, deadline=None)
def test_number_words_tested_at_word_starts_first_are_found_as_before(pieces: list[str]) -> None:
    import re

    from counterpoint.analysis.figures_en import _NUMBER_WORDED as worded

    text = "".join(pieces)
    before = re.compile(worded.pattern.removeprefix(r"\b"), worded.flags)
    assert worded.pattern.startswith(r"\b(?=")
    assert ([(m.span(), m.groupdict()) for m in worded.finditer(text)]
            == [(m.span(), m.groupdict()) for m in before.finditer(text)])


_CASUALTY_TEXT = ["12", "1,500", "at least", "US$", "killed", "killedUS$", "dead", "wounded",
                  "arrested", "in custody", "turnout", "percent", "people", "protesters", "who",
                  "and", "was", "the", "death toll", "of", ",", ".", " ", " ", "hundreds",
                  "۱۲", "کشته", "زخمی", "نفر", "بازداشت", "که", "تن", "x"]


@given(st.lists(st.sampled_from(_CASUALTY_TEXT), max_size=16))
@settings(max_examples=500, deadline=None)
def test_casualty_words_looked_for_at_once_name_the_same_figures(pieces: list[str]) -> None:
    from unittest import mock

    from counterpoint.analysis import figures

    text = "".join(pieces)
    found = extract_figures(text)
    with mock.patch.object(figures, "_any_kind", return_value=None):  # each word, as before
        assert extract_figures(text) == found
