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

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from counterpoint.models import Item
from counterpoint.stories.tokens import anchor_words

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

__all__ = ["Anchors", "anchor_rows", "cased", "unanchored"]

# Informative words as in `stories.signals` (its units): in 2 .. max(3, 20 %) of the texts.
_INFO_SHARE = 0.2
_INFO_MIN = 3


@dataclass(frozen=True)
class Anchors:
    """Binary rows of each text's informative words, which columns are anchors, and which
    texts are written in a cased script."""

    words: csr_matrix
    anchor: np.ndarray
    cased: np.ndarray


def cased(text: str) -> bool:
    """Whether most letters of `text` have an upper and a lower case (Latin, Cyrillic, Greek)."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.lower() != ch.upper() for ch in letters) * 2 > len(letters)


def anchor_rows(items: Sequence[Item], bags: Sequence[Sequence[str]],
                concepts: Mapping[str, str]) -> Anchors:
    """Anchors of `items` (in the order of `bags`, their evidence words)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(bags)
    df = Counter(chain.from_iterable(set(bag) for bag in bags))
    top = max(_INFO_MIN, _INFO_SHARE * n)
    vocabulary = {t: k for k, t in enumerate(t for t, count in df.items() if 2 <= count <= top)}
    rows: list[int] = []
    cols: list[int] = []
    for row, bag in enumerate(bags):
        found = {vocabulary[t] for t in bag if t in vocabulary}
        rows.extend([row] * len(found))
        cols.extend(found)
    words = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                       shape=(n, max(1, len(vocabulary))))
    names = anchor_words(items, concepts)
    anchor = np.zeros(words.shape[1], dtype=np.float32)
    for token, column in vocabulary.items():
        if token in names or any(ch.isdigit() for ch in token):
            anchor[column] = 1.0
    return Anchors(words, anchor, np.array([cased(item.title) for item in items], dtype=bool))


def unanchored(anchors: Anchors, r: np.ndarray, c: np.ndarray, below: int) -> np.ndarray:
    """Mask of the pairs r[k], c[k] that share fewer than `below` informative words and no
    anchor among them."""
    import numpy as np

    both = anchors.words[r].multiply(anchors.words[c]).tocsr()
    total = np.asarray(both.sum(axis=1)).ravel()
    named = both @ anchors.anchor
    mask: np.ndarray = (total < below) & (np.asarray(named).ravel() == 0)
    return mask
