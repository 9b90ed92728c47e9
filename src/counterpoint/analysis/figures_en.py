"""Figures in English: numbers as digits, words ("twelve", "hundreds", "tens of thousands"),
ranges, percentages and currencies, and the words that say what a number counts.

`scan` finds the numbers; dates, times, years, ordinals, phone numbers, identifiers
("COVID-19", "Article 5") and list numbering are masked first and never become figures. A text
with no digit and no number word is answered at once: most headlines hold neither.
"""

from __future__ import annotations

import re

from counterpoint.analysis.figure_rules import (
    FigureRules,
    Mask,
    NumberToken,
    digit_first,
    masked_spans,
    overlaps,
)

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
_NUMBER_DIGITS = re.compile(r"(?P<num>" + _DIGITS + r")(?P<scale>" + _SCALE + r")?",
                            re.IGNORECASE)
# (The lookahead names the letters every match starts with: the pattern is then searched for
# them, not tried at every position, 2x faster. Every match starts a word, the `\b` before it:
# tested first, it turns away a letter inside a word at once, 25% faster again.)
_NUMBER_WORDED = re.compile(
    r"\b(?=[adefhmnost])(?:"
    r"(?<![\w])(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions)"
    r"|(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million)\b"
    r"|a\s+(?:dozen|hundred|thousand|million)\b|dozens|scores|hundreds|thousands|millions)"
    r"(?![\w])"
    r"|(?<![\w-])(?P<words>(?:" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True)) + r")"
    r"(?:[-\s](?:" + _UNITS + r"))?(?:\s+(?:hundred|thousand|million|billion))?"
    r"|one\s+(?:hundred|thousand|million|billion))(?![\w-]))",
    re.IGNORECASE)
# A currency sign or code just before a number ("$2 billion", "USD 5m").
_CURRENCY_BEFORE = re.compile(r"(?:US\$|C\$|A\$|\$|€|£|¥|₹|﷼|(?:USD|EUR|GBP|IRR)\s?)$",
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
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban",
                "Azar", "Dey", "Bahman", "Esfand")
_ORD = r"(?:st|nd|rd|th)?"
# Each pattern with the strings one of which its match needs (none: always run).
_NOT_A_FIGURE: list[Mask] = [
    (re.compile(_MONTHS + r"\.?\s+\d{1,2}" + _ORD + r"\b(?!,\d)(?:,?\s+\d{4}\b)?"),
     _MONTH_STEMS),
    (re.compile(digit_first(r"\b\d{1,2}") + _ORD + r"\s+(?:of\s+)?" + _MONTHS
                + r"\b\.?(?:,?\s+\d{4}\b)?"), _MONTH_STEMS),
    (re.compile(_MONTHS + r"\.?,?\s+\d{4}\b"), _MONTH_STEMS),
    (re.compile(digit_first(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")), ()),
    (re.compile(digit_first(r"\b\d{1,2}:\d{2}(?::\d{2})?\b(?:\s*[ap]\.?m\.?)?"), re.IGNORECASE),
     (":",)),
    (re.compile(digit_first(r"\b\d{1,2}(?:\.\d{2})?\s*(?:[ap]\.m\.|[ap]m\b)"), re.IGNORECASE),
     ("m", "M")),
    (re.compile(digit_first(r"\b\d{1,2}\s+o['’]clock"), re.IGNORECASE), ("'", "’")),
    (re.compile(digit_first(r"\b\d{3,4}\s*(?:GMT|UTC|hrs)\b")), ("GMT", "UTC", "hrs")),
    (re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,}\d"), ("+",)),
    # (A lookahead for the first character, which every match starts with: the pattern is
    # then searched for it instead of being tried at every position.)
    (re.compile(r"(?=[(\d])\(?\b\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}\b"), ()),
    (re.compile(r"(?m)^\s*\(?\d{1,3}[.)](?=\s)"), (".", ")")),
    (re.compile(r"\(\d{1,3}\)"), ("(",)),
    (re.compile(r"#\s?\d+"), ("#",)),
    (re.compile(r"(?=[NAVp])\b(?:No|Nos|Art|Vol|p|pp)\.\s*\d+"), (".",)),
    (re.compile(digit_first(r"\b\d+(?:st|nd|rd|th)\b"), re.IGNORECASE), ()),
]

# "Article 5", "Resolution 2231", "Flight 752": a number naming a thing, not counting one.
_LABEL = re.compile(r"\b(?P<label>[A-Za-z]+)\s+\d+\b")
_LABELS = frozenset({
    "article", "resolution", "section", "chapter", "paragraph", "page", "item", "point", "step",
    "part", "flight", "room", "route", "highway", "road", "street", "unit", "block", "camp",
    "phase", "round", "episode", "volume", "issue", "case", "law", "bill", "clause", "rule",
    "decree", "annex", "amendment", "protocol", "division", "brigade", "battalion", "ward",
    "gate", "terminal", "platform", "line", "channel", "level", "grade", "class", "category",
    "number", "season", "stage", "tier", "district", "region", "zone", "sector", "building",
    "floor", "apartment", "plot", "lot", "table", "figure", "list"})

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
_AFTER_WORDS, _BEFORE_WORDS = 6, 4
# A casualty word before a number counts only across these ("death toll of 1500", "killing
# 176", "turnout was 41 percent"); "detained and dozens wounded" is about the wounded.
_LEADING_TO_NUMBER = frozenset({
    "of", "at", "to", "by", "is", "was", "were", "are", "stood", "stands", "rose", "reached",
    "hit", "climbed", "now", "has", "had", "have", "been", "the", "a", "an", "put", "totalled",
    "totaled", "exceeded", "topped", "passed"})


_NUMBER_WORDS = frozenset([*_WORD_VALUES, "one", "dozen", "dozens", "scores", "hundred", "hundreds",
                           "thousand", "thousands", "million", "millions", "billion"])
_LATIN_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(19|20)\d\d")


def scan(text: str) -> list[NumberToken]:
    """The numbers of an English text that may be figures, in reading order."""
    has_digit = _DIGIT.search(text) is not None
    has_words = not _NUMBER_WORDS.isdisjoint(_LATIN_WORD.findall(text.lower()))
    if not (has_digit or has_words):
        return []
    masked: list[list[tuple[int, int]]] = [] if has_digit else [[]]  # once a number asks
    tokens: list[NumberToken] = []
    position = 0
    digits = _NUMBER_DIGITS.search(text) if has_digit else None
    words = _NUMBER_WORDED.search(text) if has_words else None
    while digits or words:
        match = digits if words is None or (digits and digits.start() < words.start()) else words
        assert match is not None
        position = match.end()
        token = _token(text, match, masked)
        if token is not None:
            tokens.append(token)
            position = token.end
        if digits and digits.start() < position:
            digits = _NUMBER_DIGITS.search(text, position)
        if words and words.start() < position:
            words = _NUMBER_WORDED.search(text, position)
    return tokens


def _masks(text: str, masked: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """The spans no figure may touch, worked out for the first number that is not glued to a
    word (`masked` keeps them): in many texts every number is, and no mask is run."""
    if masked:
        return masked[0]
    spans = masked_spans(text, _NOT_A_FIGURE)
    spans.extend(match.span() for match in _LABEL.finditer(text)
                 if match.group("label").lower() in _LABELS)
    masked.append(spans)
    return spans


def _token(text: str, match: re.Match[str],
           masked: list[list[tuple[int, int]]]) -> NumberToken | None:
    number_start, end = match.span()
    sign = _CURRENCY_BEFORE.search(text, max(0, number_start - 4), number_start)
    start = sign.start() if sign else number_start
    if _glued(text, start, end, match, bool(sign)) or overlaps(_masks(text, masked), start, end):
        return None
    currency = sign.group(0).strip() if sign else None
    num = match.group("num") if match.re is _NUMBER_DIGITS else None
    if num:
        value = float(num.replace(",", "")) * _scale(match.group("scale"))
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
                      or qualifier == "between") and not overlaps(masked[0], end, following.end()):
        top = float(following.group("num").replace(",", "")) * _scale(following.group("scale"))
        if top > value:
            high, end = top, following.end()
            currency = currency or following.group("cur")
    percent = False
    if suffix := _PERCENT.match(text, end):
        percent, end = True, suffix.end()
    elif suffix := _CURRENCY_WORD.match(text, end):
        currency, end = suffix.group("unit").lower(), suffix.end()
    year_like = bool(num and _YEAR.fullmatch(num)
                     and not (match.group("scale") or currency or percent or high))
    return NumberToken(prefix.start() if prefix else start, number_start, end, value, high,
                       qualifier, vague, currency, percent, year_like)


def _glued(text: str, start: int, end: int, match: re.Match[str], signed: bool) -> bool:
    """Part of an identifier or an ordinal: "COVID-19", "PS752", "30th", "1990s"."""
    before = text[start - 1] if start else " "
    if match.re is _NUMBER_DIGITS and not signed:
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


ENGLISH = FigureRules(
    prepare=str, scan=scan, casualty_words=tuple(_CASUALTY_WORDS), people_noun=_PEOPLE_NOUN,
    people_verb=_PEOPLE_VERB, crowd_of=_CROWD_OF, linking=_LINKING, boundary=_BOUNDARY,
    leading_to_number=_LEADING_TO_NUMBER, after_words=_AFTER_WORDS, before_words=_BEFORE_WORDS,
    crowd_minimum=_CROWD_MINIMUM)
