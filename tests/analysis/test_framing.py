"""Side-by-side rows and the sentences they quote."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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


def _first_sentence_of_every_sentence(text: str, skip: str = "", limit: int = 300) -> str:
    """The previous way: every sentence made, then the first not repeating `skip` taken."""
    from counterpoint.analysis.text import sentence_spans

    def _plain(text: str) -> str:
        return " ".join(text.casefold().strip(" .!?").split())

    sentences = [" ".join(text[start:end].split()) for start, end in sentence_spans(text)]
    wanted = next((s for s in sentences if s and _plain(s) != _plain(skip)), "")
    if len(wanted) > limit:
        wanted = wanted[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return wanted


_PIECES = st.sampled_from(["Rally in Paris", "rally in paris", ". ", "! ", "? ", "Mr. ", "U.S. ",
                           " ", "\n", "\u00a0", "x", "A", "\"", "”", "’)", "؟ ", "。", "…", "Then"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=4), max_size=16).map("".join),
       st.sampled_from(["", "Rally in Paris", "Rally in Paris.", " x "]) | st.text(max_size=6),
       st.integers(1, 40))
def test_the_first_sentence_is_found_reading_only_up_to_it(text: str, skip: str,
                                                           limit: int) -> None:
    assert first_sentence(text, skip=skip, limit=limit) == _first_sentence_of_every_sentence(
        text, skip, limit)
