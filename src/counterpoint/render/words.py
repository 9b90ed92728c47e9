"""Counted nouns for display text: "1 story", "2 stories", never "1 stories"."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """`count` and `noun`, the noun in the plural unless the count is one."""
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}{'es' if noun.endswith(('s', 'x', 'ch', 'sh')) else 's'}"
