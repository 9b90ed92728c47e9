"""Escaping for output: feed text is already plain (parse.clean), renderers make it inert in
their own syntax here. Markdown gets its specials escaped (`markdown_text`) and link
destinations that cannot leave `(...)` (`markdown_url`); text holding right-to-left script is
wrapped in bidi isolates (`isolate_bidi`) so it cannot reorder the labels around it."""

from __future__ import annotations

import re
import unicodedata

# Escaped only where Markdown would read them as syntax: links, code, emphasis, table cells;
# `<` only before a tag name, `/`, `!` or `?` (HTML, autolinks), `&` only before a character
# reference, `>` and list/heading markers only at the start; "a < b", "(5%)", "AT&T" and
# snake_case read as written.
_ALWAYS = re.compile(r"([\\`*\[\]|]|<(?=[A-Za-z/!?]))")
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")  # not inside snake_case words
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_AFTER_BRACKET = re.compile(r"(?<=\\\])\(")  # `\](` would still look like a link to a reader
_TILDES = re.compile(r"~(?=~)")
_BLOCK_START = re.compile(r"^(\s*)(>|(?:[-+=#]|\d+[.)])(?=\s|$))")  # ">x" quotes too


def markdown_text(text: str) -> str:
    """Feed text made inert for inline Markdown, on one line: no link, image, emphasis, code,
    HTML, autolink, table cell or block marker survives."""
    text = " ".join(text.split())
    text = _ALWAYS.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _AFTER_BRACKET.sub(r"\\(", text)
    text = _TILDES.sub(r"\\~", text)
    return _BLOCK_START.sub(r"\1\\\2", text)


def markdown_url(url: str) -> str:
    """A link destination that cannot break out of `(...)`."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C") \
        .replace(">", "%3E")


_RTL_CLASSES = {"R", "AL"}
# Every code point whose bidi class is R or AL lies in these ranges (a test checks all of
# Unicode), so text without one of them needs no per-character look-up: a brief of 10,000 items
# asked 40,000 texts, 0.6 s. (Taken from i17's change to has_rtl, then in parse/clean.py.)
_MAYBE_RTL = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff"
                        "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    if not _MAYBE_RTL.search(text):
        return False
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def isolate_bidi(text: str) -> str:
    """Wrap text holding right-to-left script in FSI…PDI so it cannot reorder what surrounds it
    (the outlet label, the age) and takes its own direction from its first strong character."""
    if not has_rtl(text):
        return text
    return "\u2068" + text + "\u2069"
