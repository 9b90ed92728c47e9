"""Sentences of feed text: the first one worth quoting, and the one holding a match.

Used by the side-by-side rows, figures and contrasting terms, so a quote is cut the same way
wherever it appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_SENTENCE_END = ".!?。！？؟"
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "capt", "sgt", "sen", "rep", "gov",
    "pres", "prof", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "approx", "est",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})


def first_sentence(text: str, *, skip: str = "", limit: int = 300) -> str:
    """The first sentence of `text` (not one that merely repeats `skip`), cut at `limit` chars."""
    skipped = _plain(skip)
    sentences = (" ".join(text[start:end].split()) for start, end in _sentences(text))
    # Read up to the one wanted only.
    wanted = next((s for s in sentences if s and _plain(s) != skipped), "")
    if len(wanted) > limit:
        wanted = wanted[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return wanted


def quote_sentence(text: str, start: int, end: int, limit: int = 220) -> str:
    """The sentence holding `text[start:end]`, cut to about `limit` characters around it."""
    left, right = next(((a, b) for a, b in _sentences(text) if a <= start < b),
                       (0, len(text)))
    first, last = left, right
    if last - first > limit:
        room = max(0, limit - (end - start)) // 2
        first, last = max(first, start - room), min(last, end + room)
    quoted = " ".join(text[first:last].split())
    if first > left:
        quoted = "…" + quoted.split(" ", 1)[-1]
    if last < right:
        quoted = quoted.rsplit(" ", 1)[0] + "…"
    return quoted


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; "Mr.", "U.S." and initials do not end one."""
    return list(_sentences(text))


_ENDS = re.compile("[" + re.escape(_SENTENCE_END) + "]")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """`sentence_spans`, one at a time (a quote needs the spans up to its own), found from the
    sentence-ending characters (a regular expression) instead of every character."""
    start = 0
    for end in _ENDS.finditer(text):
        index = end.start()
        char = text[index]
        after = index + 1
        while after < len(text) and text[after] in "\"'”’)»":
            after += 1
        if after < len(text) and not text[after].isspace():
            continue
        word = text[start:index].rsplit(None, 1)[-1] if text[start:index].strip() else ""
        word = word.strip("\"'“(«").casefold()
        if char == "." and (word in _ABBREVIATIONS or len(word) == 1
                            or ("." in word and len(word) <= 5)):
            continue
        yield _trimmed(text, start, after)
        start = after
    if text[start:].strip():
        yield _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    return start + len(text[start:end]) - len(text[start:end].lstrip()), end


def _plain(text: str) -> str:
    return " ".join(text.casefold().strip(" .!?").split())
