"""What the two figure readers share: the number token they find and the rules that name it.

`figures_en` and `figures_fa` each scan their language for numbers (`NumberToken`) and give the
words that say what a number counts (`FigureRules`); `figures` applies one procedure to both,
so an English and a Persian figure come out as the same record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NumberToken:
    """A number in a text, with its qualifier, range, unit and whether it may be a year."""

    start: int  # qualifier included
    number_start: int
    end: int
    value: float
    high: float | None
    qualifier: str | None
    vague: bool
    currency: str | None
    percent: bool
    year_like: bool


@dataclass(frozen=True, slots=True)
class FigureRules:
    """One language's words around numbers; `scan` and the patterns read `prepare(text)`.

    `prepare` keeps the length, so offsets found in the prepared text point into the text as
    written.
    `casualty_words` name a kind (first listed wins a tie); a kind word after the number counts
    within `after_words` words of the clause, one before it only across `leading_to_number`
    words (and up to `leading_unknown_words` others, if the word next to the number is one:
    «شمار کشته‌شدگان زلزله به ۱۲۰ تن رسید»). Numbers of `crowd_minimum` or more followed by a
    `people_noun` or `people_verb`, or after a `crowd_of` phrase, count people. With
    `turnout_needs_percent`, a turnout word names only a percentage (Persian مشارکت also means
    partnership).
    """

    prepare: Callable[[str], str]
    scan: Callable[[str], list[NumberToken]]  # of the prepared text
    casualty_words: tuple[tuple[str, re.Pattern[str]], ...]
    people_noun: re.Pattern[str]
    people_verb: re.Pattern[str]
    crowd_of: re.Pattern[str]
    linking: re.Pattern[str]
    boundary: re.Pattern[str]
    leading_to_number: frozenset[str]
    after_words: int
    before_words: int
    crowd_minimum: float = 100
    turnout_needs_percent: bool = False
    leading_unknown_words: int = 0


Mask = tuple[re.Pattern[str], tuple[str, ...]]
"""A pattern of what is not a figure, with the strings one of which its match needs (or ())."""


def masked_spans(text: str, masks: Sequence[Mask]) -> list[tuple[int, int]]:
    """Spans of `text` that some mask (dates, times, labels…) marks as not a figure.

    A mask none of whose needed strings is in the text is not run: most are absent. (Whether
    one is present is one search for all of them, not a test per string: the months' are 24.)
    """
    present: dict[int, bool] = {}  # by the `needs` tuple: several masks share the months'
    spans: list[tuple[int, int]] = []
    for pattern, needs in masks:
        if needs:
            found = present.get(id(needs))
            if found is None:
                found = present[id(needs)] = _any_of(needs).search(text) is not None
            if not found:
                continue
        spans.extend(match.span() for match in pattern.finditer(text))
    return spans


_ANY_OF: dict[tuple[str, ...], re.Pattern[str]] = {}


def _any_of(needs: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern found in a text exactly when one of `needs` is in it."""
    pattern = _ANY_OF.get(needs)
    if pattern is None:
        pattern = _ANY_OF[needs] = re.compile("|".join(map(re.escape, needs)))
    return pattern


_BOUNDED_DIGITS = re.compile(r"\\b\\d(?:\{(\d+),(\d+)\}|(\+))?")


def digit_first(pattern: str) -> str:
    r"""`pattern`, which starts with `\b\d` (then `{m,n}` or `+`, or not), rewritten to start
    with the digit and look behind it for the word boundary: `\d(?<!\w\d)` is `\b\d` (a
    digit is a word character), but a pattern that starts with a character class is searched
    for that character first, where one starting with `\b` is tried at every position (masks
    run over every text holding a digit: 2-4x faster)."""
    start = _BOUNDED_DIGITS.match(pattern)
    if start is None or start.group(1) == "0":
        raise ValueError(f"not a pattern starting with \\b\\d: {pattern}")
    rest = pattern[start.end():]
    if start.group(1) is not None:
        low, high = int(start.group(1)), int(start.group(2))
        return rf"\d(?<!\w\d)\d{{{low - 1},{high - 1}}}" + rest
    if start.group(3):
        return r"\d(?<!\w\d)\d*" + rest
    return r"\d(?<!\w\d)" + rest


def overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether `[start, end)` shares a character with one of `spans`."""
    return any(left < end and start < right for left, right in spans)
