"""The batch's names: capitalised inside sentences in most uses, each copy of a text counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.models import Item
from counterpoint.stories.names import anchor_words
from counterpoint.stories.tokens import item_tokens

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def item(outlet: str, title: str, summary: str, hours: float = 0.0) -> Item:
    return Item(outlet=outlet, affiliation="public", feed_url=f"https://{outlet}.example/rss",
                key=f"{outlet}:{title}:{hours}", title=title, summary=summary, link=None,
                published=BASE + timedelta(hours=hours))


def test_names_are_the_words_a_batch_capitalises_inside_sentences() -> None:
    items = [
        item("CNN", "Brazil's president tests positive",
             "President Jair Bolsonaro said on Tuesday that he has the virus, as a second wave "
             "spreads in Brazil.", 0),
        item("BBC", "Melbourne returns to lockdown",
             "Residents of Melbourne face six weeks of lockdown as a second wave hits.", 1),
        # Title case says nothing: every word is capitalised.
        item("WSJ", "Second Wave Hits Markets As Investors Flee", "Stocks fell sharply.", 2),
    ]
    names = anchor_words(items, {})
    assert {"bolsonaro", "jair", "melbourne", "brazil"} <= names
    assert not {"wave", "second", "lockdown", "market", "investor"} & names


def test_a_syndicated_lead_counts_once_per_copy() -> None:
    """Texts are read once per distinct text, but every copy counts: a lead five outlets
    carry writes "Nord" capitalised five times, against two lowercase uses elsewhere; and
    each copy's words are its own list."""
    lead = "Engineers said on Monday that Nord pipelines were damaged."
    items = [item(f"Wire{k}", f"Pipelines damaged ({k})", lead, k) for k in range(5)]
    items += [item("Blog", "Winds", "The winds blew from the nord quarter today, and nord "
                   "storms followed.", 6)]
    assert "nord" in anchor_words(items, {})
    assert "nord" not in anchor_words(items[4:], {})  # one copy: 1 use against 2
    tokens = item_tokens(items)
    assert tokens[0][1] == tokens[1][1] and tokens[0][1] is not tokens[1][1]


def test_a_script_without_case_has_no_names() -> None:
    items = [item("BBC Persian", "انفجار در بندر عباس", "یک انفجار در بندر عباس رخ داد", 0)]
    assert anchor_words(items, {}) == frozenset()


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("aZ9_ \t\n\x0b\x0c\r\x1c\x1d\x1f\x00.,)]%'-\"(é"), max_size=40))
def test_ascii_pattern_finds_the_words_the_unicode_one_finds(text: str) -> None:
    """ASCII texts are read with ASCII classes (faster): the same words inside sentences (the
    separators \\x1c-\\x1f are whitespace to both)."""
    from counterpoint.stories.names import _ASCII_INSIDE, _INSIDE

    if text.isascii():
        assert _ASCII_INSIDE.findall(text) == _INSIDE.findall(text)
