"""Numbers that sides dispute — deaths, arrests, turnout, crowds, money — with their context.

`extract_figures` finds a figure only when it can say what was counted: a casualty word near the
number ("around 1,500 deaths", "killing 12", «۱۲ نفر … کشته شدند»), a crowd word ("100,000
Iranians", "participated"), a percent sign or word, or a currency. Numbers that are dates,
times, years (Gregorian or Jalali), ordinals, phone numbers, identifiers ("COVID-19", "Article 5")
or list numbering are never figures.

A text mostly in Persian or Arabic letters is read with the Persian rules (`figures_fa`), any
other with the English ones (`figures_en`; so is an English text quoting a Persian word). Both
give the same `Figure` records, so digest, JSON and Markdown show a Persian figure as they show
an English one (its text as written, its qualifier in English words: «بیش از ۳۰۰» has qualifier
"more than").

`story_figures` sets each outlet's figures side by side. Figures are quoted, never combined:
the digest shows who said "1,500" and who said "hundreds", not a number in between.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from counterpoint.analysis.figure_rules import FigureRules, NumberToken
from counterpoint.analysis.figures_en import ENGLISH
from counterpoint.analysis.figures_fa import PERSIAN
from counterpoint.analysis.sides import ordered
from counterpoint.analysis.text import quote_sentence
from counterpoint.models import Item, Story
from counterpoint.stories.normalize import has_arabic_script

KINDS: dict[str, str] = {
    "killed": "killed / dead",
    "injured": "injured / wounded",
    "casualties": "casualties",
    "arrested": "arrested / detained",
    "executed": "executed",
    "turnout": "turnout",
    "percent": "percent",
    "money": "amount of money",
    "people": "people (crowds, participants)",
}
"""Kinds of figure, in the order figures are shown, with readable labels."""

_WORD = re.compile(r"\S+")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Figure:
    """A number as one text states it.

    `value` is the number as written (vague amounts give the least they can mean: "hundreds"
    is 200); `high` the top of a range ("1,500 to 2,000"). `text` is the figure with its
    qualifier ("around 1,500"), `phrase` adds the word saying what was counted ("around 1,500
    deaths"), `context` quotes its sentence. `start`/`end` locate `text` in the input.
    """

    kind: str
    value: float
    text: str
    phrase: str
    context: str
    qualifier: str | None = None
    high: float | None = None
    vague: bool = False
    unit: str | None = None
    start: int = 0
    end: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": _number(self.value), "high": _number(self.high),
                "text": self.text, "phrase": self.phrase, "qualifier": self.qualifier,
                "vague": self.vague, "unit": self.unit, "context": self.context}


@dataclass(frozen=True, slots=True)
class ReportedFigure:
    """A figure and who reported it, for one story."""

    outlet: str
    affiliation: str
    figure: Figure
    link: str | None = None
    field: str = "summary"  # "title" or "summary": where in the item it was found

    @property
    def quote(self) -> str:
        """The sentence the figure was stated in, as the outlet wrote it."""
        return self.figure.context

    def to_json(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "affiliation": self.affiliation, "link": self.link,
                "in": self.field, **self.figure.to_json()}


def extract_figures(text: str) -> list[Figure]:
    """Figures in `text`, in reading order; numbers that say nothing countable are left out."""
    rules = PERSIAN if _mostly_arabic_script(text) else ENGLISH
    prepared = rules.prepare(text)
    tokens = rules.scan(prepared)
    if not tokens:
        return []
    reading = _Reading(text, prepared, rules)
    figures = []
    for index, token in enumerate(tokens):
        previous_end = tokens[index - 1].end if index else 0
        next_start = tokens[index + 1].start if index + 1 < len(tokens) else len(text)
        figure = reading.figure(token, previous_end, next_start)
        if figure is not None:
            figures.append(figure)
    return figures


def item_figures(item: Item) -> list[ReportedFigure]:
    """Figures of one item, title first; a figure its summary repeats is reported once."""
    found = _KNOWN.get(item)
    if found is None:
        found = _item_figures(item)
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.clear()
        _KNOWN[item] = found
    return list(found)


def remember_figures(items: Sequence[Item],
                     found: Sequence[tuple[ReportedFigure, ...]]) -> None:
    """Take items' figures worked out elsewhere (`item_figures_of`, in another process)."""
    for item, figures in zip(items, found, strict=True):
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.clear()
        _KNOWN[item] = figures


def item_figures_of(items: Iterable[Item]) -> list[tuple[ReportedFigure, ...]]:
    """Each item's figures, for `remember_figures`."""
    return [_item_figures(item) for item in items]


# A digest reads each item's figures twice (the story's figures, and story memory's comparison
# with the last run): 4.4 s of a 10,000-item digest was the second reading.
_KNOWN: dict[Item, tuple[ReportedFigure, ...]] = {}
_KNOWN_MAX = 1 << 16


def _item_figures(item: Item) -> tuple[ReportedFigure, ...]:
    seen: set[tuple[str, float, float | None, str | None]] = set()
    reported = []
    for where, text in (("title", item.title), ("summary", item.summary)):
        for figure in extract_figures(text):
            key = (figure.kind, figure.value, figure.high, figure.qualifier)
            if key in seen:
                continue
            seen.add(key)
            reported.append(ReportedFigure(item.outlet, item.affiliation, figure, item.link,
                                           where))
    return tuple(reported)


def story_figures(story: Story, order: Sequence[str] = ()) -> list[ReportedFigure]:
    """Every outlet's figures for a story, grouped by kind (`KINDS` order) then class in `order`.

    Within a class, outlets are by name and an outlet's figures keep their reading order. Each
    outlet states a figure once, however many of its items repeat it.
    """
    classes = ordered((item.affiliation for item in story.items), order)
    class_rank = {key: number for number, key in enumerate(classes)}
    kind_rank = {kind: number for number, kind in enumerate(KINDS)}
    seen: set[tuple[str, str, float, float | None, str | None]] = set()
    reported: list[tuple[tuple[int, int, str, int], ReportedFigure]] = []
    for item in story.items:
        for number, entry in enumerate(item_figures(item)):
            figure = entry.figure
            key = (item.outlet, figure.kind, figure.value, figure.high, figure.qualifier)
            if key in seen:
                continue
            seen.add(key)
            rank = (kind_rank[figure.kind], class_rank[item.affiliation], item.outlet,
                    len(reported) + number)
            reported.append((rank, entry))
    reported.sort(key=lambda pair: pair[0])
    return [entry for _, entry in reported]


@dataclass(frozen=True, slots=True)
class _Reading:
    """One text as written (`text`, quoted) and as matched (`scan`, same length), with rules."""

    text: str
    scan: str
    rules: FigureRules

    def figure(self, token: NumberToken, previous_end: int, next_start: int) -> Figure | None:
        text, rules = self.text, self.rules
        after_limit = self.clause_end(token.end, next_start)
        before_limit = self.clause_start(token.start, previous_end)
        after_text = self.first_words(token.end, after_limit, rules.after_words)
        before_from = self.last_words_start(before_limit, token.start, rules.before_words)
        kind, keyword, side = self.casualty(token, after_text, before_from)
        if kind == "turnout" and rules.turnout_needs_percent and not token.percent:
            kind, keyword, side = None, None, None
        if token.currency:
            kind, keyword = "money", None
        elif token.percent:
            kind = "turnout" if kind == "turnout" else "percent"
            keyword = keyword if kind == "turnout" else None
        elif kind is None and (token.vague or token.value >= rules.crowd_minimum):
            kind, keyword, side = self.crowd(token, after_text, before_from)
        if kind is None:
            return None
        if token.year_like and not (
                token.qualifier
                or (side == "before" and keyword is not None
                    and self.words_between(keyword.end(), token.start) == 0)
                or rules.people_noun.match(self.scan, _skip_space(text, token.end))):
            return None
        figure_rules = text[token.start:token.end]
        if keyword is None:
            phrase = figure_rules
        elif side == "after":
            phrase = text[token.start:keyword.end()]
        else:
            phrase = text[keyword.start():token.end]
        return Figure(kind=kind, value=token.value, text=figure_rules,
                      phrase=" ".join(phrase.split()),
                      context=quote_sentence(text, token.start, token.end),
                      qualifier=token.qualifier, high=token.high, vague=token.vague,
                      unit=_unit(token, kind), start=token.start, end=token.end)

    def casualty(self, token: NumberToken, after_end: int,
                 before_from: int) -> tuple[str | None, re.Match[str] | None, str | None]:
        scan, rules = self.scan, self.rules
        best: tuple[int, int, str, re.Match[str], str] | None = None
        anyone = _any_kind(rules)  # most numbers have no kind word near: one search says so
        if anyone is not None and not (anyone.search(scan, token.end, after_end)
                                       or anyone.search(scan, before_from, token.start)):
            return None, None, None
        for order, (kind, pattern) in enumerate(rules.casualty_words):
            for match in pattern.finditer(scan, token.end, after_end):
                gap = scan[token.end:match.start()]
                if rules.linking.search(gap) and not rules.people_noun.match(
                        scan, _skip_space(scan, token.end)):
                    continue
                candidate = (len(_WORD.findall(gap)), order, kind, match, "after")
                if best is None or candidate[:2] < best[:2]:
                    best = candidate
            for match in pattern.finditer(scan, before_from, token.start):
                between = _WORD.findall(scan, match.end(), token.start)
                unknown = [word for word in between
                           if word.lower() not in rules.leading_to_number]
                if unknown and (len(unknown) > rules.leading_unknown_words
                                or between[-1] in unknown):
                    continue
                candidate = (len(between), order, kind, match, "before")
                if best is None or candidate[:2] < best[:2]:
                    best = candidate
        if best is None:
            return None, None, None
        return best[2], best[3], best[4]

    def crowd(self, token: NumberToken, after_end: int,
              before_from: int) -> tuple[str | None, re.Match[str] | None, str | None]:
        scan, rules = self.scan, self.rules
        noun = rules.people_noun.search(scan, token.end, after_end)
        if noun and self.words_between(token.end, noun.start()) <= 2:
            return "people", noun, "after"
        verb = rules.people_verb.search(scan, token.end, after_end)
        if verb and not rules.linking.search(scan, token.end, verb.start()):
            return "people", verb, "after"
        crowds = list(rules.crowd_of.finditer(scan, before_from, token.start))
        if crowds and self.words_between(crowds[-1].end(), token.start) == 0:
            return "people", crowds[-1], "before"
        return None, None, None

    def clause_end(self, start: int, limit: int) -> int:
        boundary = self.rules.boundary.search(self.scan, start, limit)
        return boundary.start() if boundary else limit

    def clause_start(self, end: int, limit: int) -> int:
        last = limit
        for boundary in self.rules.boundary.finditer(self.scan, limit, end):
            last = boundary.end()
        return last

    def first_words(self, start: int, end: int, count: int) -> int:
        words = list(_WORD.finditer(self.scan, start, end))
        return words[count - 1].end() if len(words) >= count else end

    def last_words_start(self, start: int, end: int, count: int) -> int:
        words = list(_WORD.finditer(self.scan, start, end))
        return words[-count].start() if len(words) >= count else start

    def words_between(self, start: int, end: int) -> int:
        return len(_WORD.findall(self.scan, start, end))


_ANY_KIND: dict[int, tuple[FigureRules, re.Pattern[str] | None]] = {}


def _any_kind(rules: FigureRules) -> re.Pattern[str] | None:
    """One pattern matching where one of `rules`' casualty words does (each alternative is one
    word's whole pattern, lookarounds included, so it finds a match in a span exactly when one
    of them would); None where the patterns' flags differ."""
    known = _ANY_KIND.get(id(rules))
    if known is None or known[0] is not rules:
        patterns = [pattern for _, pattern in rules.casualty_words]
        flags = {pattern.flags for pattern in patterns}
        joined = None
        if len(flags) == 1:
            with contextlib.suppress(re.error):  # (a pattern with global flags of its own)
                joined = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns),
                                    flags.pop())
        known = _ANY_KIND[id(rules)] = (rules, joined)
    return known[1]


def _mostly_arabic_script(text: str) -> bool:
    """Persian rules for a text mostly in Persian/Arabic letters, not an English one quoting it."""
    if not has_arabic_script(text):
        return False
    if _LATIN_LETTER.search(text) is None:
        return True
    return len(_ARABIC_LETTER.findall(text)) >= len(_LATIN_LETTER.findall(text))


def _unit(token: NumberToken, kind: str) -> str | None:
    if token.currency:
        return token.currency
    if token.percent:
        return "percent"
    return None if kind in ("money", "percent") else kind


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value.is_integer() else value
