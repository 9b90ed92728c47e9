"""Escaping for output: feed text is already plain (parse.clean), renderers make it inert in
their own syntax here. Markdown gets its specials escaped (`markdown_text`) and link
destinations that cannot leave `(...)` (`markdown_url`); text holding right-to-left script is
wrapped in bidi isolates (`isolate_bidi`) so it cannot reorder the labels around it."""

from __future__ import annotations

import re
import unicodedata

# `<` only where it could open HTML or an autolink, `&` only where it could start a character
# reference, `>` only where it could start a quote (below): "a < b", "AT&T" stay as written.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~]|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;))")


def markdown_text(text: str) -> str:
    """Escape text for inline Markdown: no links, emphasis, HTML or table breaks survive."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # A line-leading marker (list, heading, quote, numbered list) must not start a block.
    return re.sub(r"^(\s*)([-=>]|\d+[.)])", r"\1\\\2", text)


def markdown_url(url: str) -> str:
    """A link destination that cannot break out of `(...)`."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C") \
        .replace(">", "%3E")


_RTL_CLASSES = {"R", "AL"}


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def isolate_bidi(text: str) -> str:
    """Wrap text holding right-to-left script in FSI…PDI so it cannot reorder what surrounds it
    (the outlet label, the age) and takes its own direction from its first strong character."""
    if not has_rtl(text):
        return text
    return "\u2068" + text + "\u2069"
