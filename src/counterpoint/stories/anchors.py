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
from itertools import chain
from typing import TYPE_CHECKING

from counterpoint.models import Item
from counterpoint.stories.signals import encode
from counterpoint.stories.tokens import anchor_words

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

__all__ = ["Anchors", "anchor_rows", "cased", "unanchored"]

# Informative words as in `stories.signals` (its units): in 2 .. max(3, 20 %) of the texts.
_INFO_SHARE = 0.2
_INFO_MIN = 3
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Anchors:
    """Binary rows of each text's informative words and of its informative anchors, and which
    texts are written in a cased script."""

    words: csr_matrix
    anchors: csr_matrix
    cased: np.ndarray


def cased(text: str) -> bool:
    """Whether most letters of `text` have an upper and a lower case (Latin, Cyrillic, Greek)."""
    if text.isascii():
        return True
    letters: list[str] = _LETTER.findall(text)
    return sum(ch.lower() != ch.upper() for ch in letters) * 2 > len(letters)


def anchor_rows(items: Sequence[Item], bags: Sequence[Sequence[str]],
                concepts: Mapping[str, str]) -> Anchors:
    """Anchors of `items` (in the order of `bags`, their evidence words)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(bags)
    ids, owner, size = encode(bags)
    cells = np.sort(owner * size + ids)
    if len(cells):  # distinct (owner, term) cells; np.unique hashes, much slower here
        cells = cells[np.concatenate([[True], cells[1:] != cells[:-1]])]
    df = np.bincount(cells % size, minlength=size)
    informative = (df >= 2) & (df <= max(_INFO_MIN, _INFO_SHARE * n))
    cells = cells[informative[cells % size]]
    words = csr_matrix((np.ones(len(cells), dtype=np.float32), (cells // size, cells % size)),
                       shape=(n, size))
    names = anchor_words(items, concepts)
    terms = dict.fromkeys(chain.from_iterable(bags))
    anchor = np.zeros(size, dtype=bool)
    anchor[:len(terms)] = np.fromiter(
        (term in names or (not term.isalpha() and any(ch.isdigit() for ch in term))
         for term in terms), dtype=bool, count=len(terms))
    anchor &= informative
    named = csr_matrix(words.multiply(anchor[None, :].astype(np.float32)), dtype=np.float32)
    named.eliminate_zeros()
    return Anchors(words, named, np.array([cased(item.title) for item in items], dtype=bool))


def unanchored(anchors: Anchors, r: np.ndarray, c: np.ndarray, below: int) -> np.ndarray:
    """Mask of the pairs r[k], c[k] that share fewer than `below` informative words and no
    anchor among them."""
    import numpy as np

    shared = _shared(anchors.anchors, r, c)
    bare = np.flatnonzero(shared == 0)  # most pairs share a name: count words for the rest
    mask: np.ndarray = np.zeros(len(r), dtype=bool)
    mask[bare] = _shared(anchors.words, r[bare], c[bare]) < below
    return mask


def _shared(matrix: csr_matrix, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Nonzero columns rows r[k] and c[k] of a binary matrix share."""
    import numpy as np

    counts: np.ndarray = np.asarray(matrix[r].multiply(matrix[c]).sum(axis=1)).ravel()
    return counts
