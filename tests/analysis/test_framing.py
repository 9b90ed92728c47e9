"""Side-by-side rows and the sentences they quote."""

from __future__ import annotations

from analysishelp import (
    item,
)
from counterpoint.analysis.framing import framing_rows
from counterpoint.analysis.sides import affiliation_order
from counterpoint.analysis.text import first_sentence
from counterpoint.config.load import DEFAULT_AFFILIATIONS
from counterpoint.models import Story


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
