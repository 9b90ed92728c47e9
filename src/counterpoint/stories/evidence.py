"""What an item names that survives translation, for the cross-language pass
(`stories.xling`): gazetteer anchors, transliterated names (consonant skeletons) and numbers,
read from its headline and the start of its lead.

`evidence_of` reads each item's; `remember_evidence` takes evidence read elsewhere (a forked
child, `analysis.ahead`) for the next pass. Each word is decided once per process and language
(a 10,000-item batch repeats most of its words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from counterpoint.models import Item
from counterpoint.stories.gazetteer import Gazetteer
from counterpoint.stories.normalize import ascii_digits, fold, has_arabic_script
from counterpoint.stories.translit import skeleton

__all__ = ["Evidence", "evidence_of", "remember_evidence"]

_LEAD_CHARS = 400  # of the summary: the lead names the event; the rest costs time
_MIN_SKELETON = 3  # consonants a transliterated name needs to count
_NUMBER = re.compile(r"(?<![\d.,:/])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.,:/])\d+(?![\d:/])")
_LATIN_NAME = re.compile(r"[A-Z][a-z]+|[A-Z]{3,}")
# Small numbers written as words ("three tankers", «سه نفتکش»); Persian نه (nine) is left out:
# it is also "no".
_EN_NUMBERS = ("_ _ two three four five six seven eight nine ten eleven twelve thirteen "
               "fourteen fifteen sixteen seventeen eighteen nineteen twenty")
_FA_NUMBERS = ("_ _ دو سه چهار پنج شش هفت هشت _ ده یازده دوازده سیزده چهارده پانزده شانزده "
               "هفده هجده نوزده بیست")
_NUMBER_WORDS = {
    **{word: str(n) for n, word in enumerate(_EN_NUMBERS.split()) if word != "_"},
    **{fold(word): str(n) for n, word in enumerate(_FA_NUMBERS.split()) if word != "_"},
}


@dataclass(frozen=True)
class Evidence:
    """What one item names that survives translation: gazetteer anchors, name skeletons,
    numbers."""

    anchors: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]


def evidence_of(items: Sequence[Item], languages: Sequence[str], gazetteer: Gazetteer
                ) -> list[Evidence]:
    """Each item's evidence (read in its language, `languages`), as the pass reads it: what
    `remember_evidence` was given for it, else read now."""
    known = _KNOWN[1] if _KNOWN and _KNOWN[0] is gazetteer else {}
    _KNOWN.clear()  # given for one pass: not kept for the life of the process
    return [known.get((item, lang)) or _evidence(item, lang, gazetteer)
            for item, lang in zip(items, languages, strict=True)]


def remember_evidence(items: Sequence[Item], languages: Sequence[str], gazetteer: Gazetteer,
                      evidence: Sequence[Evidence]) -> None:
    """Take items' evidence read elsewhere (`evidence_of`, in another process) for the next
    pass with this gazetteer."""
    _KNOWN[:] = [gazetteer, dict(zip(zip(items, languages, strict=True), evidence,
                                     strict=True))]


_KNOWN: list[Any] = []  # [gazetteer, {(item, language): evidence}] of `remember_evidence`


def _evidence(item: Item, lang: str, gazetteer: Gazetteer) -> Evidence:
    text = f"{item.title}\n{item.summary[:_LEAD_CHARS]}"
    found, unknown = gazetteer.scan(text)
    names = set()
    # Most texts hold no digit (Persian and Arabic-Indic digits are digits too).
    numbers = {n.replace(",", "") for n in _NUMBER.findall(
        text if text.isascii() else ascii_digits(text))} if _DIGIT.search(text) else set()
    memo = _WORD_UNITS[lang == "en"]
    for word in unknown:
        units = memo.get(word)
        if units is None:
            if len(memo) >= _WORD_UNITS_MAX:
                memo.clear()
            units = memo[word] = _word_units(*word, lang)
        worded, name = units
        if worded:
            numbers.add(worded)
        if name:
            names.add(name)
    return Evidence(frozenset(found), frozenset(names),
                     frozenset(n for n in numbers if _figure(n)))


_DIGIT = re.compile(r"\d")
# (word as written, folded) -> (number it spells, name skeleton); one table for English items,
# one for Persian ones: each word is decided once per process, not once per occurrence.
_WORD_UNITS: tuple[dict[tuple[str, str], tuple[str, str]], ...] = ({}, {})
_WORD_UNITS_MAX = 1 << 18


def _word_units(raw: str, folded: str, lang: str) -> tuple[str, str]:
    """The number a word outside the gazetteer spells ("" if none) and its name skeleton ("" if
    it is not a name)."""
    worded = _NUMBER_WORDS.get(folded, "")
    # English capitalised words; in Persian posts, Persian words and Latin names
    # (a tanker's name, an English acronym quoted as written).
    if (_LATIN_NAME.fullmatch(raw) if lang == "en" or not has_arabic_script(raw)
            else len(folded) >= _MIN_SKELETON):
        key = skeleton(folded)
        if len(key) >= _MIN_SKELETON:
            return worded, key
    return worded, ""


def _figure(number: str) -> bool:
    """A number worth matching: from 2 up, not a year (Gregorian or Jalali)."""
    value = int(number) if number.isdigit() else 0
    if value < 2:
        return False
    return not (1300 <= value <= 1500 or 1900 <= value <= 2100)
