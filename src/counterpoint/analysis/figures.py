"""Numbers that sides dispute — deaths, arrests, turnout, crowds, money — with their context.

`extract_figures` finds a figure only when it can say what was counted: a casualty word near the
number ("around 1,500 deaths", "killing 12"), a crowd word ("100,000 Iranians", "participated"),
a percent sign or word, or a currency. Numbers that are dates, times, years, ordinals, phone
numbers, identifiers ("COVID-19", "Article 5") or list numbering are never figures.

`story_figures` sets each outlet's figures side by side. Figures are quoted, never combined:
the digest shows who said "1,500" and who said "hundreds", not a number in between.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from counterpoint.analysis.sides import ordered
from counterpoint.analysis.text import quote_sentence
from counterpoint.models import Item, Story

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

_WORD_VALUES = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000,
           "bn": 1_000_000_000, "tn": 1_000_000_000_000}
# Vague amounts stand for the least they can mean ("hundreds" is at least 200).
_VAGUE_VALUES = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000,
    "tens of thousands": 20_000, "hundreds of thousands": 200_000,
    "tens of millions": 20_000_000, "hundreds of millions": 200_000_000,
    "a dozen": 12, "a hundred": 100, "a thousand": 1_000, "a million": 1_000_000,
    "several dozen": 36, "a few dozen": 36, "several hundred": 300, "a few hundred": 300,
    "several thousand": 3_000, "a few thousand": 3_000, "several million": 3_000_000,
    "a few million": 3_000_000,
}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = (r"(?:\s*(?:hundred|thousand|million|billion|trillion)\b"
          r"|(?:bn|tn|mn|m|k)(?![\w]))")
_NUMBER = re.compile(
    r"(?P<cur>US\$|C\$|A\$|\$|€|£|¥|₹|﷼|(?:USD|EUR|GBP|IRR)\s?)?"
    r"(?:(?P<num>" + _DIGITS + r")(?P<scale>" + _SCALE + r")?"
    r"|(?<![\w])(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions)"
    r"|(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million)\b"
    r"|a\s+(?:dozen|hundred|thousand|million)\b|dozens|scores|hundreds|thousands|millions)"
    r"(?![\w])"
    r"|(?<![\w-])(?P<words>(?:" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True)) + r")"
    r"(?:[-\s](?:" + _UNITS + r"))?(?:\s+(?:hundred|thousand|million|billion))?"
    r"|one\s+(?:hundred|thousand|million|billion))(?![\w-]))",
    re.IGNORECASE)
_RANGE = re.compile(r"\s*(?:-|–|to|and)\s*(?P<cur>US\$|\$|€|£)?(?P<num>" + _DIGITS + r")"
                    r"(?P<scale>" + _SCALE + r")?(?![\w,])", re.IGNORECASE)
_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s+cent\b|pct\b|percentage\s+points?\b)",
                      re.IGNORECASE)
_CURRENCY_WORD = re.compile(
    r"\s+(?P<unit>US\s+dollars|dollars?|euros?|pounds(?:\s+sterling)?|rials?|riyals?|tomans?"
    r"|yuan|rubles?|roubles?|liras?|dirhams?|francs?|yen|rupees?)\b", re.IGNORECASE)
_QUALIFIER = re.compile(
    r"(?<![\w])(?P<q>at\s+least|at\s+most|no\s+(?:fewer|less|more)\s+than|more\s+than"
    r"|less\s+than|fewer\s+than|well\s+over|just\s+(?:over|under)|upwards\s+of|as\s+many\s+as"
    r"|as\s+few\s+as|up\s+to|close\s+to|an\s+estimated|estimated|approximately|roughly"
    r"|around|about|nearly|almost|some|over|under|above|below|between|many\s+more)\s+$",
    re.IGNORECASE)

_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
           r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|Farvardin|Ordibehesht"
           r"|Khordad|Tir|Mordad|Shahrivar|Mehr|Aban|Azar|Dey|Bahman|Esfand)")
_ORD = r"(?:st|nd|rd|th)?"
_NOT_A_FIGURE = [
    re.compile(_MONTHS + r"\.?\s+\d{1,2}" + _ORD + r"\b(?!,\d)(?:,?\s+\d{4}\b)?"),
    re.compile(r"\b\d{1,2}" + _ORD + r"\s+(?:of\s+)?" + _MONTHS + r"\b\.?(?:,?\s+\d{4}\b)?"),
    re.compile(_MONTHS + r"\.?,?\s+\d{4}\b"),
    re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b"),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b(?:\s*[ap]\.?m\.?)?", re.IGNORECASE),
    re.compile(r"\b\d{1,2}(?:\.\d{2})?\s*(?:[ap]\.m\.|[ap]m\b)", re.IGNORECASE),
    re.compile(r"\b\d{1,2}\s+o['’]clock", re.IGNORECASE),
    re.compile(r"\b\d{3,4}\s*(?:GMT|UTC|hrs)\b"),
    re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,}\d"),
    re.compile(r"\(?\b\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}\b"),
    re.compile(r"(?m)^\s*\(?\d{1,3}[.)](?=\s)"),
    re.compile(r"\(\d{1,3}\)"),
    re.compile(r"#\s?\d+"),
    re.compile(r"\b(?:No|Nos|Art|Vol|p|pp)\.\s*\d+"),
    re.compile(r"\b(?:article|resolution|section|chapter|paragraph|page|item|point|step|part"
               r"|flight|room|route|highway|road|street|unit|block|camp|phase|round|episode"
               r"|volume|issue|case|law|bill|clause|rule|decree|annex|amendment|protocol"
               r"|division|brigade|battalion|ward|gate|terminal|platform|line|channel|level"
               r"|grade|class|category|number|season|stage|tier|district|region|zone|sector"
               r"|building|floor|apartment|plot|lot|table|figure|list)\s+\d+\b", re.IGNORECASE),
    re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE),
]

_CASUALTY_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(r"(?<![\w])(?:" + words + r")(?![\w])", re.IGNORECASE))
    for kind, words in (
        ("killed", r"death\s+toll|toll|kill(?:ed|ing|s)?|dead|deaths?|died|fatalit(?:y|ies)"
                   r"|lives|bodies|murder(?:ed|s)?|massacred|slain|martyr(?:s|ed)?"),
        ("injured", r"injur(?:ed|ies|y|ing)|wound(?:ed|ing|s)?|hurt"),
        ("casualties", r"casualt(?:y|ies)"),
        ("arrested", r"arrest(?:ed|s|ing)?|detain(?:ed|ees?|ing)?|detentions?|jailed"
                     r"|imprisoned|prisoners|in\s+custody|rounded\s+up"),
        ("executed", r"execut(?:ed|ions?|ing)|hanged|hangings?"),
        ("turnout", r"turnout|voter\s+participation"),
    )
]
_PEOPLE_NOUN = re.compile(
    r"(?<![\w])(?:people|persons|protesters|protestors|demonstrators|participants|supporters"
    r"|attendees|marchers|rallygoers|iranians|members|students|workers|civilians|women|children"
    r"|men|residents|citizens|refugees|migrants|soldiers|troops|fighters|militants|activists"
    r"|journalists|voters|mourners|pilgrims|families)(?![\w])", re.IGNORECASE)
_PEOPLE_VERB = re.compile(
    r"(?<![\w])(?:participated|attended|gathered|rallied|marched|joined|took\s+part"
    r"|turned\s+out|protested|demonstrated)(?![\w])", re.IGNORECASE)
_CROWD_OF = re.compile(
    r"(?<![\w])(?:crowds?\s+of|gathering\s+of|rally\s+of|attendance\s+of|turnout\s+of"
    r"|(?:attended|joined|watched)\s+by)(?![\w])", re.IGNORECASE)
_CROWD_MINIMUM = 100  # "four men" is not a crowd figure; "100,000 Iranians" is
_LINKING = re.compile(r"(?<![\w])(?:where|when|which|who|whom|whose|that|while|after|before"
                      r"|because|since|but|although|though|if)(?![\w])", re.IGNORECASE)
_BOUNDARY = re.compile(r"[.;:!?()\[\]\"“”—–]|,\s|\s-\s|\n")
_WORD = re.compile(r"\S+")
_AFTER_WORDS, _BEFORE_WORDS = 6, 4
# A casualty word before a number counts only across these ("death toll of 1500", "killing
# 176", "turnout was 41 percent"); "detained and dozens wounded" is about the wounded.
_LEADING_TO_NUMBER = frozenset({
    "of", "at", "to", "by", "is", "was", "were", "are", "stood", "stands", "rose", "reached",
    "hit", "climbed", "now", "has", "had", "have", "been", "the", "a", "an", "put", "totalled",
    "totaled", "exceeded", "topped", "passed"})


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
    masked = _masked(text)
    tokens = list(_tokens(text, masked))
    figures = []
    for index, token in enumerate(tokens):
        previous_end = tokens[index - 1].end if index else 0
        next_start = tokens[index + 1].start if index + 1 < len(tokens) else len(text)
        figure = _figure(text, token, previous_end, next_start)
        if figure is not None:
            figures.append(figure)
    return figures


def item_figures(item: Item) -> list[ReportedFigure]:
    """Figures of one item, title first; a figure its summary repeats is reported once."""
    return list(_item_figures(item))


# A digest reads each item's figures twice (the story's figures, and story memory's comparison
# with the last run): 4.4 s of a 10,000-item digest was the second reading.
@lru_cache(maxsize=1 << 15)
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


# -- scanning ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Token:
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


def _masked(text: str) -> list[bool]:
    masked = [False] * len(text)
    for pattern in _NOT_A_FIGURE:
        for match in pattern.finditer(text):
            for index in range(match.start(), match.end()):
                masked[index] = True
    return masked


def _tokens(text: str, masked: list[bool]) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while True:
        match = _NUMBER.search(text, position)
        if match is None:
            return tokens
        position = match.end()
        token = _token(text, match, masked)
        if token is not None:
            tokens.append(token)
            position = token.end


def _token(text: str, match: re.Match[str], masked: list[bool]) -> _Token | None:
    start, end = match.span()
    if any(masked[start:end]) or _glued(text, start, end, match):
        return None
    currency = (match.group("cur") or "").strip() or None
    if match.group("num"):
        value = float(match.group("num").replace(",", "")) * _scale(match.group("scale"))
        vague = False
    elif match.group("vague"):
        value, vague = float(_VAGUE_VALUES[" ".join(match.group("vague").lower().split())]), True
    else:
        value, vague = _word_value(match.group("words")), False
    prefix = _QUALIFIER.search(text, max(0, start - 40), start)
    qualifier = " ".join(prefix.group("q").lower().split()) if prefix else None
    high = None
    following = _RANGE.match(text, end)
    if following and (not following.group(0).strip().lower().startswith("and")
                      or qualifier == "between") and not any(masked[end:following.end()]):
        top = float(following.group("num").replace(",", "")) * _scale(following.group("scale"))
        if top > value:
            high, end = top, following.end()
            currency = currency or following.group("cur")
    percent = False
    if suffix := _PERCENT.match(text, end):
        percent, end = True, suffix.end()
    elif suffix := _CURRENCY_WORD.match(text, end):
        currency, end = suffix.group("unit").lower(), suffix.end()
    year_like = bool(match.group("num") and re.fullmatch(r"(19|20)\d\d", match.group("num"))
                     and not (match.group("scale") or currency or percent or high))
    return _Token(prefix.start() if prefix else start, start, end, value, high, qualifier,
                  vague, currency, percent, year_like)


def _glued(text: str, start: int, end: int, match: re.Match[str]) -> bool:
    """Part of an identifier or an ordinal: "COVID-19", "PS752", "30th", "1990s"."""
    before = text[start - 1] if start else " "
    if match.group("num") and not match.group("cur"):
        if before.isalnum() or before in "_@/":
            return True
        if before in "-‐" and start >= 2 and text[start - 2].isalnum():
            return True
    after = text[end] if end < len(text) else " "
    return after.isalnum() or (after in "-‐" and end + 1 < len(text) and text[end + 1].isalpha())


def _scale(word: str | None) -> float:
    return float(_SCALES[word.strip().lower()]) if word else 1.0


def _word_value(words: str) -> float:
    parts = re.split(r"[-\s]+", words.lower())
    value = 0.0
    for part in parts:
        if part in _SCALES:
            value = max(value, 1.0) * _SCALES[part]
        elif part == "one":
            value += 1
        else:
            value += _WORD_VALUES.get(part, 0)
    return value


def _figure(text: str, token: _Token, previous_end: int, next_start: int) -> Figure | None:
    after_limit = _clause_end(text, token.end, next_start)
    before_limit = _clause_start(text, token.start, previous_end)
    after_text = _first_words(text, token.end, after_limit, _AFTER_WORDS)
    before_from = _last_words_start(text, before_limit, token.start, _BEFORE_WORDS)
    kind, keyword, side = _casualty(text, token, after_text, before_from)
    if token.currency:
        kind, keyword = "money", None
    elif token.percent:
        kind = "turnout" if kind == "turnout" else "percent"
        keyword = keyword if kind == "turnout" else None
    elif kind is None and (token.vague or token.value >= _CROWD_MINIMUM):
        kind, keyword, side = _crowd(text, token, after_text, before_from)
    if kind is None:
        return None
    if token.year_like and not (token.qualifier or (side == "before" and keyword is not None
                                                    and _words_between(text, keyword.end(),
                                                                       token.start) == 0)
                                or _PEOPLE_NOUN.match(text, _skip_space(text, token.end))):
        return None
    figure_text = text[token.start:token.end]
    if keyword is None:
        phrase = figure_text
    elif side == "after":
        phrase = text[token.start:keyword.end()]
    else:
        phrase = text[keyword.start():token.end]
    return Figure(kind=kind, value=token.value, text=figure_text, phrase=" ".join(phrase.split()),
                  context=quote_sentence(text, token.start, token.end), qualifier=token.qualifier,
                  high=token.high, vague=token.vague, unit=_unit(token, kind), start=token.start,
                  end=token.end)


def _casualty(text: str, token: _Token, after_end: int,
              before_from: int) -> tuple[str | None, re.Match[str] | None, str | None]:
    best: tuple[int, int, str, re.Match[str], str] | None = None
    for order, (kind, pattern) in enumerate(_CASUALTY_WORDS):
        for match in pattern.finditer(text, token.end, after_end):
            gap = text[token.end:match.start()]
            if _LINKING.search(gap) and not _PEOPLE_NOUN.match(text, _skip_space(text, token.end)):
                continue
            candidate = (len(_WORD.findall(gap)), order, kind, match, "after")
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        for match in pattern.finditer(text, before_from, token.start):
            between = _WORD.findall(text, match.end(), token.start)
            if not all(word.lower() in _LEADING_TO_NUMBER for word in between):
                continue
            candidate = (len(between), order, kind, match, "before")
            if best is None or candidate[:2] < best[:2]:
                best = candidate
    if best is None:
        return None, None, None
    return best[2], best[3], best[4]


def _crowd(text: str, token: _Token, after_end: int,
           before_from: int) -> tuple[str | None, re.Match[str] | None, str | None]:
    noun = _PEOPLE_NOUN.search(text, token.end, after_end)
    if noun and _words_between(text, token.end, noun.start()) <= 2:
        return "people", noun, "after"
    verb = _PEOPLE_VERB.search(text, token.end, after_end)
    if verb and not _LINKING.search(text, token.end, verb.start()):
        return "people", verb, "after"
    crowds = list(_CROWD_OF.finditer(text, before_from, token.start))
    if crowds and _words_between(text, crowds[-1].end(), token.start) == 0:
        return "people", crowds[-1], "before"
    return None, None, None


def _unit(token: _Token, kind: str) -> str | None:
    if token.currency:
        return token.currency
    if token.percent:
        return "percent"
    return None if kind in ("money", "percent") else kind


def _clause_end(text: str, start: int, limit: int) -> int:
    boundary = _BOUNDARY.search(text, start, limit)
    return boundary.start() if boundary else limit


def _clause_start(text: str, end: int, limit: int) -> int:
    last = limit
    for boundary in _BOUNDARY.finditer(text, limit, end):
        last = boundary.end()
    return last


def _first_words(text: str, start: int, end: int, count: int) -> int:
    words = list(_WORD.finditer(text, start, end))
    return words[count - 1].end() if len(words) >= count else end


def _last_words_start(text: str, start: int, end: int, count: int) -> int:
    words = list(_WORD.finditer(text, start, end))
    return words[-count].start() if len(words) >= count else start


def _words_between(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value.is_integer() else value
