"""Sentences of feed text: where they end, and the one quoted around a match."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.analysis.text import quote_sentence, sentence_spans

_ENDS = ".!?。！？؟"
_ABBREVIATIONS = {"mr", "dr", "gen", "u.s", "no", "jan", "st"}


def _spans(text: str) -> list[tuple[int, int]]:
    """Character by character: a sentence ends at an ending mark (past closing quotes) that a
    space or the end follows, unless a full stop closes an abbreviation, an initial or a short
    dotted word."""
    spans: list[tuple[int, int]] = []
    start = 0
    for index, char in enumerate(text):
        if char not in _ENDS:
            continue
        after = index + 1
        while after < len(text) and text[after] in "\"'”’)»":
            after += 1
        if after < len(text) and not text[after].isspace():
            continue
        words = text[start:index].split()
        word = words[-1].strip("\"'“(«").casefold() if words else ""
        if char == "." and (word in _ABBREVIATIONS or len(word) == 1
                            or ("." in word and len(word) <= 5)):
            continue
        spans.append((start, after))
        start = after
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in spans]


_PIECES = ["Mr.", "Dr.", "U.S.", "Gen.", "J.", "no.", "word", "Tehran", "  ", " ", "\n", ".",
           "!", "?", "؟", "。", "”", "’", ")", "»", "\"", "(", "«", "3.5", "e.g.", "x"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from(["", " "]))
@settings(max_examples=300, deadline=None)
def test_sentences_end_where_a_reader_would_end_them(pieces: list[str], glue: str) -> None:
    text = glue.join(pieces)
    assert sentence_spans(text) == _spans(text)


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30), st.data())
@settings(max_examples=200, deadline=None)
def test_a_quote_is_the_sentence_holding_the_match(pieces: list[str], data: st.DataObject
                                                   ) -> None:
    text = " ".join(pieces)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    left, right = next(((a, b) for a, b in _spans(text) if a <= start < b), (0, len(text)))
    quoted = quote_sentence(text, start, end, limit=10_000)
    assert quoted == " ".join(text[left:right].split())


def test_an_abbreviation_does_not_end_a_sentence() -> None:
    text = "Mr. Smith met Gen. Bagheri in the U.S. capital. Talks ended!  Next?"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Mr. Smith met Gen. Bagheri in the U.S. capital.", "Talks ended!", "Next?"]
