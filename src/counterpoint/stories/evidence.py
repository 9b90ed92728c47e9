"""What an item names that survives translation, for the cross-language pass
(`stories.xling`): gazetteer anchors, transliterated names (consonant skeletons) and numbers,
read from its headline and the start of its lead.

`evidence_of` reads each item's; `remember_evidence` takes evidence read elsewhere (a forked
child, `analysis.ahead`) for the next pass. Each word is decided once per process and language
(a 10,000-item batch repeats most of its words).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from counterpoint.models import Item
from counterpoint.stories.gazetteer import Gazetteer, raw_words
from counterpoint.stories.normalize import ascii_digits, fold, has_arabic_script
from counterpoint.stories.translit import skeleton

__all__ = ["Evidence", "evidence_of", "remember_evidence"]

_LEAD_CHARS = 400  # of the summary: the lead names the event; the rest costs time
_MIN_SKELETON = 3  # consonants a transliterated name needs to count
# A number: a digit not after a digit or . , : / (a decimal, a time, a date go whole), then
# digits in groups of three after commas, or digits not followed by : or / — written to begin
# with the digit, so that the search skips to digits (7x faster than the lookbehind first).
_NUMBER = re.compile(r"\d(?<![\d.,:/].)(?:\d{0,2}(?:,\d{3})+(?![\d,])|\d*(?![\d:/]))")
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
    found: list[Evidence | None] = [known.get(key) for key in zip(items, languages,
                                                                   strict=True)] \
        if known else [None] * len(items)
    todo = [n for n, evidence in enumerate(found) if evidence is None]
    readers = _readers(gazetteer)
    # The reading makes only sets, tuples and strings, freed as it goes: the cyclic collector
    # would find nothing (and in a forked child, `analysis.ahead`, it would walk the parent's
    # objects).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for start in range(0, len(todo), _CHUNK):
            chunk = todo[start:start + _CHUNK]
            texts = [f"{items[n].title}\n{items[n].summary[:_LEAD_CHARS]}" for n in chunk]
            words = list(map(raw_words, texts))
            english = [languages[n] == "en" for n in chunk]
            # Every word of the chunk is decided before its texts are read (most repeat).
            readers[0].learn(set().union(*compress(words, english)))
            readers[1].learn(set().union(*compress(words, [not en for en in english])))
            for n, text, raws, en in zip(chunk, texts, words, english, strict=True):
                found[n] = _evidence(text, readers[0 if en else 1].units(raws))
    finally:
        if collecting:
            gc.enable()
    return found  # type: ignore[return-value]


def remember_evidence(items: Sequence[Item], languages: Sequence[str], gazetteer: Gazetteer,
                      evidence: Sequence[Evidence]) -> None:
    """Take items' evidence read elsewhere (`evidence_of`, in another process) for the next
    pass with this gazetteer."""
    _KNOWN[:] = [gazetteer, dict(zip(zip(items, languages, strict=True), evidence,
                                     strict=True))]


_KNOWN: list[Any] = []  # [gazetteer, {(item, language): evidence}] of `remember_evidence`


def _evidence(text: str, units: set[Unit]) -> Evidence:
    """The evidence of a text (an item's headline and lead) whose words bring `units`."""
    # Most texts hold no digit (Persian and Arabic-Indic digits are digits too).
    numbers = {n.replace(",", "") for n in _NUMBER.findall(
        text if text.isascii() else ascii_digits(text))} if _DIGIT.search(text) else set()
    anchors, names = [], []
    for unit in units:
        kind, key = unit
        if kind == "a":
            anchors.append(key)
        elif kind == "n":
            names.append(key)
        else:
            numbers.add(key)
    return Evidence(frozenset(anchors), frozenset(names),
                    frozenset(n for n in numbers if _figure(n)))


_DIGIT = re.compile(r"\d")
_CHUNK = 1000  # texts whose words are held at once
_WORD_UNITS_MAX = 1 << 18
Unit = tuple[str, str]  # ("a", entity id) | ("n", name skeleton) | ("#", number)
_NONE: frozenset[Unit] = frozenset()
_SKIP: tuple[Unit, ...] = ()  # a word whose folding is empty: no word to `Gazetteer.scan`
# What a word that may begin a name brings: its units, or (words, entity id) of a longer name.
Answer = frozenset[Unit] | tuple[int, str]


class _Reader:
    """A text's units read as `Gazetteer.scan` and `_word_units` read them, each word (as
    written) decided once: the units it brings on its own (an anchor, or the number it spells
    and its name skeleton), whether it may begin a longer name and how it folds. Only the
    words that may begin a name are read in context (`Gazetteer.match`); the rest of a text is
    the union of its words' units."""

    def __init__(self, gazetteer: Gazetteer, english: bool) -> None:
        self.gazetteer = gazetteer
        self.lang = "en" if english else "fa"
        self.alone: dict[str, frozenset[Unit] | tuple[Unit, ...]] = {}
        self.useful: dict[str, frozenset[Unit]] = {}  # `alone` of the other words bringing any
        self.folded: dict[str, str] = {}
        self.starts: set[str] = set()  # words (as written) that may begin a longer name
        self.skip: set[str] = set()  # words whose folding is empty
        # (start word, next word or "") -> what the start word brings where those two decide
        # it: its units (read alone, or as a one-word name), or (words, entity) of a longer name
        self.pairs: dict[tuple[str, str], Answer] = {}
        self.long: set[tuple[str, str]] = set()  # the pairs that begin a longer name
        self.longer: dict[tuple[str, ...], Answer] = {}  # runs of three words or more

    def learn(self, words: set[str]) -> None:
        """Decide each of these words not decided yet."""
        new = words.difference(self.alone)
        if len(self.alone) + len(new) > _WORD_UNITS_MAX:  # a long-running process meets
            for table in (self.alone, self.useful, self.folded, self.starts, self.skip,
                          self.pairs, self.long, self.longer):  # many words
                table.clear()
            new = words
        for raw in new:
            self._learn(raw)

    def units(self, raws: list[str]) -> set[Unit]:
        """The units of a text of these words (`raw_words`), every one of them learnt."""
        useful = self.useful
        starts = self.starts.intersection(raws)
        if not starts:
            return set().union(*map(useful.__getitem__, useful.keys() & raws))
        if self.skip and not self.skip.isdisjoint(raws):
            raws = [raw for raw in raws if raw not in self.skip]
        flags = list(map(starts.__contains__, raws))
        pairs = list(compress(zip(raws, [*raws[1:], ""], strict=True), flags))
        known = list(map(self.pairs.get, pairs))
        if None in known:  # a start word met with new words, or whose pair does not decide
            known = [answer if answer is not None else self._answer(raws, at)
                     for at, answer in zip(compress(range(len(raws)), flags), known,
                                           strict=True)]
            longer = not all(isinstance(answer, frozenset) for answer in known)
        else:
            longer = not self.long.isdisjoint(pairs)
        words = useful.keys() & raws
        if longer:
            return self._spans(raws, flags, known, words)  # type: ignore[arg-type]
        # Every start word read alone or as a one-word name: the other words count wherever
        # they stand.
        return set().union(*map(useful.__getitem__, words), *known)  # type: ignore[arg-type]

    def _spans(self, raws: list[str], flags: list[bool], answers: list[Answer],
               words: set[str]) -> set[Unit]:
        """The units of a text where a name of several words begins at some start word
        (`flags`, with their `answers`): the words after its first count only where they
        also stand outside a name. `words`: the words bringing units on their own."""
        found: set[Unit] = set()
        taken: list[str] = []  # words inside names, after their first
        done = 0  # the end of the last name
        for at, answer in zip(compress(range(len(raws)), flags), answers, strict=True):
            if at < done:
                continue
            if isinstance(answer, frozenset):
                found.update(answer)
            else:
                found.add(("a", answer[1]))
                done = at + answer[0]
                taken += raws[at + 1:done]
        for word in words.intersection(taken):
            if raws.count(word) == taken.count(word):
                words.discard(word)
        found.update(*map(self.useful.__getitem__, words))
        return found

    def _answer(self, raws: list[str], at: int) -> Answer:
        """What the start word `raws[at]` brings (`Gazetteer.match` there), decided once per
        run of words that decides it: the start word alone when the next word cannot continue
        a name, else the words up to the first that leaves no longer name possible."""
        first, second = pair = (raws[at], raws[at + 1] if at + 1 < len(raws) else "")
        known = self.pairs.get(pair)
        if known is not None:
            return known
        folded, gazetteer = self.folded, self.gazetteer
        if second and not gazetteer.continues(folded[first], folded[second]):
            alone = self.pairs[pair] = self._answer([first], 0)  # the word alone
            return alone
        end, limit = at + 1, min(len(raws), at + gazetteer.longest)
        joined = folded[first]
        while end < limit and gazetteer.extends(joined):
            joined += folded[raws[end]]
            end += 1
        words = tuple(raws[at:end])
        if end - at < gazetteer.longest and gazetteer.extends(joined):
            words += ("",)  # the text ended where a name could have gone on
        known = self.pairs.get(pair) if len(words) <= 2 else self.longer.get(words)
        if known is not None:
            return known
        hit = gazetteer.match([(word, folded[word]) for word in raws[at:end]], 0)
        answer: Answer
        if hit is None:
            answer = self.alone[first]  # type: ignore[assignment]
        elif hit[0] == 1:
            answer = frozenset({("a", hit[1])})
        else:
            answer = hit
        if len(words) <= 2:
            self.pairs[(first, words[1] if len(words) > 1 else "")] = answer
            if not isinstance(answer, frozenset):
                self.long.add(pair)
        else:
            self.longer[words] = answer
        return answer

    def _learn(self, raw: str) -> None:
        ascii = raw.isascii()
        folded = raw.lower() if ascii else fold(raw)  # the same for ASCII
        if not folded:
            self.alone[raw] = _SKIP
            self.skip.add(raw)
            return
        self.folded[raw] = folded
        starts = self.gazetteer.starts_name(folded)
        if not starts:
            entity = self.gazetteer.one_word(raw, folded)
            if entity is not None:
                self.alone[raw] = self.useful[raw] = frozenset({("a", entity)})
                return
        # Outside the gazetteer: the number it spells, its name skeleton if it is a name.
        worded = _NUMBER_WORDS.get(folded)
        name = _name(raw, folded) if ascii or self.lang != "en" else ""
        if worded:
            units = frozenset({("#", worded), ("n", name)} if name else {("#", worded)})
        else:
            units = frozenset({("n", name)}) if name else _NONE
        self.alone[raw] = units
        if starts:
            self.starts.add(raw)
        elif units:
            self.useful[raw] = units


def _readers(gazetteer: Gazetteer) -> list[_Reader]:
    """The word tables for this gazetteer, for English items and for the others (one pair per
    process, renewed for another gazetteer)."""
    if not _READERS or _READERS[0].gazetteer is not gazetteer:
        _READERS[:] = [_Reader(gazetteer, True), _Reader(gazetteer, False)]
    return _READERS


_READERS: list[_Reader] = []


def _name(raw: str, folded: str) -> str:
    """The name skeleton of a word outside the gazetteer, "" when it is no name: English
    capitalised words (`[A-Z][a-z]+|[A-Z]{3,}`), and in Persian posts Persian words and such
    Latin names too (a tanker's name, an English acronym quoted as written)."""
    if raw.isascii():
        capitalised = len(raw) >= 2 and raw[0].isupper() and raw[1:].islower()
        if not raw.isalpha() or not (capitalised or (len(raw) >= 3 and raw.isupper())):
            return ""
    elif len(folded) < _MIN_SKELETON or not has_arabic_script(raw):
        return ""
    key = skeleton(folded)
    return key if len(key) >= _MIN_SKELETON else ""


def _figure(number: str) -> bool:
    """A number worth matching: from 2 up, not a year (Gregorian or Jalali)."""
    value = int(number) if number.isdigit() else 0
    if value < 2:
        return False
    return not (1300 <= value <= 1500 or 1900 <= value <= 2100)
