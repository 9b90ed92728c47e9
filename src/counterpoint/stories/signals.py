"""Text signals for grouping: TF-IDF rows of each item's evidence words and title spelling,
and the informative units a pair shares.

numpy and scipy are imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

from counterpoint.models import Item
from counterpoint.stories import arrays, persian
from counterpoint.stories.bags import encode_bags
from counterpoint.stories.persian import Scripts
from counterpoint.stories.shared import Overlap, compact, overlap, shared_by_bit
from counterpoint.stories.tokens import evidence_words, item_tokens

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

__all__ = [
    "Features", "Overlap", "centrality", "compact", "encode", "features", "one_unit", "overlap",
    "shared_by_bit", "tfidf", "units",
]

# Measured on the dev sets (bench/README.md, "Story grouping"); change them only with the bench.
WORD_WEIGHT = 0.5  # word cosine (title + lead); the rest is title character 4-gram cosine
_CHAR_SIZES = (4,)  # 3-5-grams scored the same and cost 3x the time
_COMMON_SHARE = 0.1  # terms in more than this share of a large batch (>= 500 items) are dropped
_COMMON_MIN = 50
# Informative units: words in 2 .. max(3, 20 % of the batch) items (see `one_unit`). 20 % (was
# 10 %) chosen on the xling day's Persian and English items (a story's own words are common in
# a dense ~100-item day): pairwise F1 .311 -> .351, .486 -> .526; real days, +9x, UCI, BASIL
# unchanged (+.001).
_INFO_SHARE = 0.2
_INFO_MIN = 3
# With Persian in a batch, a term's informative share (PER_SCRIPT) and IDF (PER_SCRIPT_IDF;
# GRAMS: for title 4-grams too) count the texts of its script only (`persian.script_texts`).
# Bilingual dev day, 40 subsamples, with stories.persian's rules: Persian pairs F1 .461 -> .498,
# all pairs .546 -> .554, English-Persian recall .676 -> .589 (bench/README.md, "Persian
# grouping": each off). English-only batches are unchanged.
PER_SCRIPT = True
PER_SCRIPT_IDF = True
GRAMS = True

Encoded = tuple["np.ndarray", "np.ndarray", int]
Units = tuple["csr_matrix", "csr_matrix"]


class Features(NamedTuple):
    """`features`' rows, units and number of distinct evidence words per text, with the
    words' encoding (`encode`), the vocabulary in id order and whether the batch holds
    Persian (per-script shares)."""

    matrix: csr_matrix
    units: Units
    own: np.ndarray
    encoded: Encoded
    terms: list[str]
    mixed: bool


def _grams(tokens: Sequence[str]) -> list[str]:
    """Character n-grams inside words padded with a space (like sklearn's `char_wb`)."""
    grams: list[str] = []
    for word in tokens:
        padded = f" {word} "
        for size in _CHAR_SIZES:
            grams.extend([padded[k : k + size] for k in range(len(padded) - size + 1)])
    return grams


def encode(docs: Sequence[Sequence[str]]) -> Encoded:
    """Term ids of all documents' terms in order, the document of each, and the vocabulary size."""
    return _encode_terms(docs)[0]


def _encode_terms(docs: Sequence[Sequence[str]]) -> tuple[Encoded, list[str]]:
    """`encode`, and the vocabulary in id order."""
    import numpy as np

    terms = [term for doc in docs for term in doc]
    vocabulary = {term: k for k, term in enumerate(dict.fromkeys(terms))}
    ids = np.fromiter(map(vocabulary.__getitem__, terms), dtype=np.int64, count=len(terms))
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), [len(doc) for doc in docs])
    return (ids, owner, max(1, len(vocabulary))), list(vocabulary)


def _encode_grams(titles: Sequence[Sequence[str]]) -> tuple[Encoded, list[str]]:
    """`_encode_terms` of each title's character n-grams (`_grams` of its words, in order),
    without a list of every n-gram: each distinct word's n-grams are numbered once and laid
    out per occurrence with numpy. Numbering n-grams as the distinct words first appear
    numbers them as they first appear in the titles (an n-gram's first occurrence is in the
    first occurrence of the first word holding it), which is `_encode_terms`' order."""
    import numpy as np

    distinct = {word: k for k, word in enumerate(dict.fromkeys(chain.from_iterable(titles)))}
    tokens = np.fromiter(map(distinct.__getitem__, chain.from_iterable(titles)), dtype=np.int64)
    numbered: dict[str, int] = {}
    number = numbered.setdefault
    spelled = [[number(gram, len(numbered)) for gram in _grams((word,))] for word in distinct]
    count = np.array([len(grams) for grams in spelled], dtype=np.int64)
    laid = np.fromiter(chain.from_iterable(spelled), dtype=np.int64, count=int(count.sum()))
    each = count[tokens]
    ends = np.cumsum(each)
    ids = laid[np.repeat((np.cumsum(count) - count)[tokens] - (ends - each), each)
               + np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)]
    per_title = np.array([len(title) for title in titles], dtype=np.int64)
    owner = np.repeat(np.repeat(np.arange(len(titles), dtype=np.int64), per_title), each)
    return (ids, owner, max(1, len(numbered))), list(numbered)


def tfidf(docs: Sequence[Sequence[str]], encoded: Encoded | None = None,
          scripts: Scripts | None = None) -> csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised. After normalising, terms seen in one document only
    (they lower a long text's similarity but never match anything) and terms common to much of a
    large batch (little evidence, most of the multiplication cost) are dropped. With Persian in
    the batch (`scripts`, see `persian.script_texts`), a term's IDF is over the texts of its
    script: a word every Persian post holds is common however many English items are around."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(docs)
    ids, owner, size = encoded or encode(docs)
    cells, counts = arrays.counted(owner * size + ids)
    matrix = csr_matrix(
        (counts.astype(np.float32),
         ((cells // size).astype(np.int32), (cells % size).astype(np.int32))),
        shape=(n, size),
    )
    df = np.bincount(matrix.indices, minlength=size)
    texts: float | np.ndarray = n
    if scripts is not None and PER_SCRIPT_IDF:
        texts = np.where(scripts[0], scripts[1], scripts[2])
    idf = (np.log((1.0 + texts) / (1.0 + df)) + 1.0).astype(np.float32)
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = csr_matrix(matrix.multiply(1.0 / norms[:, None]), dtype=np.float32)
    common = max(_COMMON_MIN, _COMMON_SHARE * n) if n >= 500 else n
    matrix.data[(df[matrix.indices] < 2) | (df[matrix.indices] > common)] = 0.0
    matrix.eliminate_zeros()
    return matrix


def features(items: Sequence[Item], order: Sequence[int],
             concepts: Mapping[str, str] | None = None) -> Features:
    """One row per item (in `order`): TF-IDF features, whose row dot product is the weighted
    mean of the word and title-spelling cosines; evidence units (see `one_unit`); and each
    item's evidence words (title + lead), with their encoding."""
    from scipy.sparse import hstack

    tokens = item_tokens([items[i] for i in order])
    encoded, terms, titles, own, mixed = encode_bags(tokens, concepts or {})
    del tokens  # each word of every text
    # `script_texts` reads the vocabulary in order from its texts: the vocabulary is one.
    scripts = persian.script_texts([terms], encoded) if mixed else None
    words = tfidf(titles, encoded, scripts)  # (`titles`: one per item, as `tfidf` counts)
    informative = units(len(titles), encoded, scripts)
    # Each step's temporaries are freed before the next one's (the title 4-grams' lists and
    # encoding before the stacking): they would add up at grouping's memory peak.
    coded, spellings = _encode_grams(titles)
    # `script_texts` reads the vocabulary in order from its texts: the vocabulary is one.
    chars = tfidf(titles, coded,
                  persian.script_texts([spellings], coded) if mixed and GRAMS else None)
    del coded, spellings
    words.data *= math.sqrt(WORD_WEIGHT)  # in place: the same float32 products as `words * w`
    chars.data *= math.sqrt(1.0 - WORD_WEIGHT)
    matrix = hstack([words, chars], format="csr")
    del words, chars
    return Features(matrix, informative, own, encoded, terms, mixed)


# Each word's evidence token without concepts (a pure function of the word), shared by the
# calls of `centrality`: a digest asks for thousands of stories' titles.
_PLAIN_MEMO: dict[str, str | None] = {}
_PLAIN_MEMO_SIZE = 200_000


def centrality(items: Sequence[Item]) -> list[float]:
    """Per item, the sum of its similarities (the row dot products of `features` without
    concepts) with every item of `items`, itself included: how typical it is of the batch.

    The same TF-IDF as `features` in float64 and plain arrays: no sparse matrices, whose setup
    cost dominates for a small batch (a story).
    """
    tokens = item_tokens(items)
    memo = _PLAIN_MEMO
    if len(memo) > _PLAIN_MEMO_SIZE:
        memo.clear()
    titles = [evidence_words(title, {}, memo) for title, _ in tokens]
    bags = [title + evidence_words(summary, {}, memo)
            for title, (_, summary) in zip(titles, tokens, strict=True)]
    spelled = {word: _grams((word,)) for word in set(chain.from_iterable(titles))}
    grams = [[gram for word in title for gram in spelled[word]] for title in titles]
    mixed = persian.holds_persian(set(chain.from_iterable(bags)))
    scores = (WORD_WEIGHT * _typicality(bags, mixed)
              + (1.0 - WORD_WEIGHT) * _typicality(grams, mixed and GRAMS))
    result: list[float] = scores.tolist()
    return result


def _typicality(docs: Sequence[Sequence[str]], mixed: bool) -> np.ndarray:
    """Per document, its `tfidf` row's dot product with the sum of all rows (float64);
    `mixed`: the batch may hold Persian (IDF per script as in `tfidf`)."""
    import numpy as np

    n = len(docs)
    encoded = ids, owner, size = encode(docs)
    cells, counts = np.unique(owner * size + ids, return_counts=True)
    doc, term = cells // size, cells % size
    df = np.bincount(term, minlength=size)
    texts: float | np.ndarray = n
    scripts = persian.script_texts(docs, encoded) if mixed and PER_SCRIPT_IDF else None
    if scripts is not None:
        texts = np.where(scripts[0], scripts[1], scripts[2])[term]
    value = (1.0 + np.log(counts)) * (np.log((1.0 + texts) / (1.0 + df[term])) + 1.0)
    norms = np.sqrt(np.bincount(doc, weights=value * value, minlength=n))
    norms[norms == 0] = 1.0
    value /= norms[doc]
    common = max(_COMMON_MIN, _COMMON_SHARE * n) if n >= 500 else n
    value[(df[term] < 2) | (df[term] > common)] = 0.0
    total = np.bincount(term, weights=value, minlength=size)
    typical: np.ndarray = np.bincount(doc, weights=value * total[term], minlength=n)
    return typical


def units(n: int, encoded: Encoded, scripts: Scripts | None = None) -> Units:
    """Binary rows of each text's informative words (in at least 2 and at most `_INFO_SHARE` of
    the texts, at least `_INFO_MIN`) and of its adjacent pairs of them; see `one_unit`. With
    Persian in the batch (`scripts`, see `persian.script_texts`), the share of a Persian word
    is of the texts holding Persian, of any other word of the texts holding other words."""
    import numpy as np
    from scipy.sparse import csr_matrix

    ids, owner, size = encoded
    df = np.bincount(arrays.distinct(owner * size + ids) % size, minlength=size)
    cap: float | np.ndarray = max(_INFO_MIN, _INFO_SHARE * n)
    if scripts is not None and PER_SCRIPT:
        flags, persian_texts, other_texts = scripts
        cap = np.where(flags, max(_INFO_MIN, _INFO_SHARE * persian_texts),
                       max(_INFO_MIN, _INFO_SHARE * other_texts))
    informative = (df >= 2) & (df <= cap)
    kept = informative[ids]
    after = kept[:-1] & kept[1:] & (owner[:-1] == owner[1:]) & (ids[:-1] != ids[1:])
    _, column = np.unique(ids[:-1][after] * size + ids[1:][after], return_inverse=True)
    matrices = []
    for doc, term in ((owner[kept], ids[kept]), (owner[:-1][after], column.ravel())):
        width = int(term.max()) + 1 if len(term) else 1
        cells = arrays.distinct(doc * width + term)
        # A unit in one text only never counts for a pair (informative words are in >= 2).
        cells = cells[np.bincount(cells % width, minlength=width)[cells % width] >= 2]
        matrices.append(csr_matrix(
            (np.ones(len(cells), dtype=np.float32), (cells // width, cells % width)),
            shape=(n, width)))
    return matrices[0], matrices[1]


def one_unit(units: Units, r: np.ndarray, c: np.ndarray, shared: np.ndarray | None = None,
             adjacent: Overlap | None = None) -> np.ndarray:
    """Mask of the pairs r[k], c[k] that share fewer than 2 informative units: shared
    informative words, where a run of them adjacent in both texts counts half its length,
    rounded up ("Boris Johnson", "Mother's Day" are one unit each; "police station in Zahedan
    after Friday prayers" three). Runs only matter for 2 or 3 shared words: fewer are always
    < 2 units, more always at least ceil(4 / 2) = 2. `shared`: the pairs' shared informative
    words when the caller has counted them (`overlap`); `adjacent`: `compact(units[1])`, to
    count the runs with `overlap` (r in a block)."""
    import numpy as np

    words, pairs = units
    if shared is None:
        shared = _shared_counts(words, r, c)
    few: np.ndarray = shared < 2
    maybe = np.flatnonzero((shared >= 2) & (shared < 4))
    if len(maybe):
        some = shared[maybe]
        joined = (_shared_counts(pairs, r[maybe], c[maybe]) if adjacent is None
                  else overlap(adjacent, r[maybe], c[maybe])[0])
        few[maybe] = np.maximum(some - joined, np.ceil(some / 2)) < 2
    return few


def _shared_counts(matrix: csr_matrix, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Nonzero columns rows r[k] and c[k] of a binary matrix share."""
    import numpy as np

    counts: np.ndarray = np.asarray(matrix[r].multiply(matrix[c]).sum(axis=1)).ravel()
    return counts
