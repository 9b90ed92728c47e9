"""Each item's evidence words (`tokens.evidence_words` of its title, then of its lead) as
integer ids, the encoding of `signals.encode`: a batch's words are mostly repeats, so each
distinct word's token is found once and the texts are laid out with numpy, without a list
of every evidence word of every text.

numpy is imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

from counterpoint.stories import persian
from counterpoint.stories.linkage import stable_order
from counterpoint.stories.tokens import MONTHS, month_token, word_token

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Bags", "encode_bags"]


class Bags(NamedTuple):
    """Evidence words of a batch: their encoding (term ids in order, the text of each, the
    vocabulary size), the vocabulary in id order, each title's evidence words, the number of
    distinct evidence words of each text and whether the batch holds Persian."""

    encoded: tuple[np.ndarray, np.ndarray, int]
    terms: list[str]
    titles: list[list[str]]
    own: np.ndarray
    mixed: bool


def encode_bags(tokens: Sequence[tuple[Sequence[str], Sequence[str]]],
                concepts: Mapping[str, str]) -> Bags:
    """`tokens` (`tokens.item_tokens`) as `Bags`: the same ids, texts and vocabulary order as
    encoding each item's `evidence_words(title) + evidence_words(lead)`."""
    import numpy as np

    n = len(tokens)
    words = dict.fromkeys(chain.from_iterable(chain.from_iterable(tokens)))
    index = {word: k for k, word in enumerate(words)}
    lengths = np.fromiter((len(text) for pair in tokens for text in pair), dtype=np.int64,
                          count=2 * n)
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if n else 0
    ids = np.fromiter(map(index.__getitem__, chain.from_iterable(chain.from_iterable(tokens))),
                      dtype=np.int64, count=total)
    spelled: dict[str, int] = {}
    number = spelled.setdefault
    each = np.fromiter((-1 if (alone := word_token(word, concepts)) is None
                        else number(alone, len(spelled)) for word in words),
                       dtype=np.int64, count=len(words))
    token = each[ids]
    months = np.fromiter((word in MONTHS for word in words), dtype=bool, count=len(words))
    at = np.flatnonzero(months[ids])
    at = at[at + 1 < ends[np.searchsorted(ends, at, side="right")]]  # not its text's last
    if len(at):
        spelling = list(words)
        for spot in at.tolist():
            joined = month_token(spelling[ids[spot]], spelling[ids[spot + 1]])
            if joined is not None:
                token[spot] = number(joined, len(spelled))
    del ids
    kept = token >= 0
    text = np.repeat(np.arange(2 * n, dtype=np.int64), lengths)
    title_of = text[kept & (text % 2 == 0)] // 2
    title_tokens = token[kept & (text % 2 == 0)]
    owner = text[kept] // 2
    token = token[kept]
    del text, kept
    # The tokens by first appearance: a stable sort puts each token's first place first.
    # (np.unique hashes in numpy 2.4, several times slower here.)
    order = stable_order(token, len(spelled))
    ordered = token[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]])[:len(token)])
    firsts = ordered[starts][np.argsort(order[starts])]
    del order, ordered, starts
    renumber = np.zeros(len(spelled), dtype=np.int64)
    renumber[firsts] = np.arange(len(firsts), dtype=np.int64)
    term_ids = renumber[token]
    names = list(spelled)
    terms = [names[k] for k in firsts.tolist()]
    size = max(1, len(firsts))
    cells = np.sort(owner * size + term_ids)
    cells = cells[np.concatenate([[True], cells[1:] != cells[:-1]])[:len(cells)]]
    own = np.bincount(cells // size, minlength=n)
    flat = [names[k] for k in title_tokens.tolist()]
    bounds = np.cumsum(np.bincount(title_of, minlength=n)).tolist()
    titles = [flat[low:high] for low, high in zip([0, *bounds], bounds, strict=False)]
    return Bags((term_ids, owner, size), terms, titles, own, persian.holds_persian(words))
