"""Anchors: the names and numbers two items share.

Items about one event nearly always share a name or a number (Bolsonaro, Melbourne, "266,000
jobs"); items that share only a few common words ("second wave", "students", "restaurants
close", "pleads guilty") are often about one topic and different events. `stories.group` lets
a pair that shares fewer than a few informative words, none of them an anchor, keep only part
of its score. Names come from the batch itself (`tokens.anchor_words`: capitalised inside
sentences in most uses); a text in a script without case (Persian) has no names, so its pairs
are exempt, as are headline-only pairs (a title in title case says nothing about names).

numpy and scipy are imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counterpoint.models import Item
from counterpoint.stories.names import anchor_words
from counterpoint.stories.signals import Features, Overlap, compact, overlap, units

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "JOINT_ANCHOR", "JOINT_SCRIPT", "JOINT_WORD", "Anchors", "anchor_rows", "cased", "unanchored",
]

_LETTER = re.compile(r"[^\W\d_]")
_OTHER_LETTER = re.compile(r"[^\W\d_a-zA-Z]")  # a letter outside ASCII


@dataclass(frozen=True)
class Anchors:
    """Binary rows of each text's informative words, anchors flagged (`signals.compact`), and
    which texts are written in a cased script. With Persian in the batch, `joint`: the rows of
    those words and of the per-script informative words (`Features.units`) in one, coded per
    column (`JOINT_WORD`, `JOINT_ANCHOR`, `JOINT_SCRIPT`: `signals.shared_by_bit`)."""

    words: Overlap
    cased: np.ndarray
    joint: Overlap | None = None


# Bits of `Anchors.joint`'s column codes.
JOINT_WORD, JOINT_ANCHOR, JOINT_SCRIPT = 0, 1, 2


def cased(text: str) -> bool:
    """Whether most letters of `text` have an upper and a lower case (Latin, Cyrillic, Greek)."""
    if text.isascii():
        return True
    letters: list[str] = _LETTER.findall(text)
    # An ASCII letter always has both cases: only the others are tested one by one.
    others: list[str] = _OTHER_LETTER.findall(text)
    cased_letters = len(letters) - len(others) + sum(ch.lower() != ch.upper() for ch in others)
    return cased_letters * 2 > len(letters)


def anchor_rows(items: Sequence[Item], concepts: Mapping[str, str], known: Features) -> Anchors:
    """Anchors of `items` (in the order of `known`, their `features`): the informative words
    of `signals.units` over the whole batch (for a batch holding Persian, not per script)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    words = units(len(known.own), known.encoded)[0] if known.mixed else known.units[0]
    terms = known.terms
    names = anchor_words(items, concepts)
    used = np.flatnonzero(np.bincount(words.indices, minlength=words.shape[1]))
    anchor = np.zeros(words.shape[1], dtype=bool)
    anchor[used] = np.fromiter(
        (term in names or (not term.isalpha() and any(ch.isdigit() for ch in term))
         for term in map(terms.__getitem__, used.tolist())), dtype=bool, count=len(used))
    joint = None
    if known.mixed:  # one matrix, so a pair's shared words of both kinds take one count
        script = known.units[0]
        width = max(words.shape[1], script.shape[1])
        both = (csr_matrix((words.data, words.indices, words.indptr), shape=(len(known.own), width))
                + csr_matrix((script.data, script.indices, script.indptr),
                             shape=(len(known.own), width)))
        codes = np.zeros(width, dtype=np.int8)
        codes[np.flatnonzero(np.bincount(words.indices, minlength=width))] |= 1 << JOINT_WORD
        codes[np.flatnonzero(anchor)] |= 1 << JOINT_ANCHOR
        codes[np.flatnonzero(np.bincount(script.indices, minlength=width))] |= 1 << JOINT_SCRIPT
        joint = compact(both, codes)
    return Anchors(compact(words, anchor),
                   np.array([cased(item.title) for item in items], dtype=bool), joint)


def unanchored(anchors: Anchors, r: np.ndarray, c: np.ndarray, below: int,
               counts: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Mask of the pairs r[k], c[k] that share fewer than `below` informative words and no
    anchor among them. `counts`: `overlap(anchors.words, r, c)` when the caller has it."""
    words, named = counts if counts is not None else overlap(anchors.words, r, c)
    mask: np.ndarray = (named == 0) & (words < below)
    return mask
