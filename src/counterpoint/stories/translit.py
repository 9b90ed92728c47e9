"""Consonant skeletons: a name spelled in Latin or in Persian letters reduced to the same key.

For names the gazetteer does not hold (a tanker «انسیلیا» / ENCELA, a new official), both
spellings are reduced to their consonants in a coarse phonetic alphabet: vowels, h, w/v/و and the
long-vowel letters ا ی و are dropped (Persian does not write short vowels, and English
transcriptions disagree on the long ones); letters English transcriptions confuse share a class
(ق غ گ ک خ / q g k c kh gh → k; ث س ص ش / s sh → s; ذ ز ض ظ ژ / z zh → z; ج چ / j ch → j;
ت ط / t th → t). "Pezeshkian" and «پزشکیان» both become "pzskn".

A small table rather than the `uroman` package: uroman romanises Persian letter by letter
(«نرگس محمدی» → "nrgs mhmdi") and would still need this reduction to compare with English
spellings, and it loads a 10 MB rule set on first use (bench/README.md, "Cross-language").
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["skeleton"]

_PERSIAN = {
    "ب": "b", "پ": "p", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s", "ش": "s",
    "ج": "j", "چ": "j", "د": "d", "ذ": "z", "ز": "z", "ض": "z", "ظ": "z", "ژ": "z",
    "ر": "r", "ف": "f", "ق": "k", "غ": "k", "ک": "k", "گ": "k", "خ": "k", "ل": "l",
    "م": "m", "ن": "n",
}
_LATIN_DIGRAPHS = re.compile(r"ch|sh|kh|gh|th|ph|zh|ck|dj")
# Each digraph's sound is a letter that stands for itself below, so a digraph is written as
# that letter before the letters are mapped (one pass: the letter it leaves joins no digraph).
_DIGRAPH = {"ch": "j", "sh": "s", "kh": "k", "gh": "k", "th": "t", "ph": "f", "zh": "z",
            "ck": "k", "dj": "j"}
_LATIN = {
    "b": "b", "p": "p", "t": "t", "d": "d", "s": "s", "z": "z", "j": "j", "r": "r",
    "f": "f", "k": "k", "g": "k", "q": "k", "l": "l", "m": "m", "n": "n", "x": "ks",
    "c": "k",
}
# A "c" before e, i or y is soft (no digraph begins with those letters or ends with "c", so
# the "c" is never part of one).
_SOFT_C = re.compile(r"c(?=[eiy])")
_NOT_LATIN = re.compile("[^" + "".join(_LATIN) + "]+")
_NOT_PERSIAN = re.compile("[^" + "".join(_PERSIAN) + "]+")
_LATIN_TABLE = str.maketrans(_LATIN)
_PERSIAN_TABLE = str.maketrans(_PERSIAN)
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The consonant skeleton of one folded word (Latin or Persian letters); "" for others.

    Doubled consonants count once ("Hassan" and «حسن» are both "sn").
    """
    if not word:
        return ""
    if word[0].isascii():
        if "c" in word:
            word = _SOFT_C.sub("s", word)
        if "h" in word or "ck" in word or "dj" in word:
            word = _LATIN_DIGRAPHS.sub(_digraph, word)
        letters = _NOT_LATIN.sub("", word).translate(_LATIN_TABLE)
    else:
        letters = _NOT_PERSIAN.sub("", word).translate(_PERSIAN_TABLE)
    return _REPEATS.sub(r"\1", letters)


def _digraph(found: re.Match[str]) -> str:
    return _DIGRAPH[found.group(0)]
