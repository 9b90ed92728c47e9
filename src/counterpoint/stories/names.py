"""The batch's names: words it writes capitalised inside sentences in most of their uses
("Bolsonaro", "Melbourne", "World Health Organization"), as evidence tokens. With numbers they
say *which* event, not only which topic (`stories.anchors`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain

from counterpoint.models import Item
from counterpoint.stories.tokens import word_token

__all__ = ["anchor_words"]

# A word is a name when the batch writes it capitalised in most of its uses inside a sentence
# (after a word, a comma or a closing bracket; titles in title case do not count): "Bolsonaro",
# "Melbourne", "World Health Organization".
_INSIDE = re.compile(r"(?<=[\w,)\]%])\s+(\w\w+)")
_ASCII_INSIDE = re.compile(r"(?a)(?<=[\w,)\]%])[\s\x1c-\x1f]+(\w\w+)")
_LONG_WORD = re.compile(r"\b\w{4,}")
_TITLE_CASE_SHARE = 0.6
_NAME_MAJORITY = 2.0  # capitalised uses > 2 x lowercase uses
_NAME_SPAN = 200  # characters of a summary read for names (a lead names its actors first;
# 200, 300 and 400 gave the same partitions on every set)


def anchor_words(items: Sequence[Item], concepts: Mapping[str, str]) -> frozenset[str]:
    """Evidence tokens of this batch that name something: written capitalised inside sentences
    in most of their uses. Texts in a script without case have none (the rule that uses names,
    `stories.anchors`, exempts them)."""
    texts = [item.summary[:_NAME_SPAN] for item in items]
    titled: dict[str, bool] = {}  # each distinct text read once (syndicated copies repeat)
    for item in items:
        title = item.title
        plain = titled.get(title)
        if plain is None:
            long = _LONG_WORD.findall(title)
            plain = titled[title] = (sum(w[0].isupper() for w in long)
                                     <= _TITLE_CASE_SHARE * max(1, len(long)))
        if plain:
            texts.append(title)
    uses = Counter(chain.from_iterable(_inside_words(Counter(texts))))
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for word, count in uses.items():
        if word.isascii() and word[0].isalpha():
            token = word_token(word.lower(), concepts)
            if token is not None:
                (capital if word[0].isupper() else lower)[token] += count
    return frozenset(t for t, count in capital.items() if count > _NAME_MAJORITY * lower[t])


def _inside_words(copies: Counter[str]) -> Iterator[list[str]]:
    """The words inside sentences of each text, once per copy of it (read once: one list at a
    time, each freed once counted)."""
    for text, times in copies.items():
        found: list[str] = (_ASCII_INSIDE if text.isascii() else _INSIDE).findall(text)
        for _ in range(times):
            yield found
