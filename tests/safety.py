"""What "safe" means for text that came from a feed, as assertions shared by the hardening tests.

Stored and rendered feed text holds no escape sequence, no C0/C1 control, no bidi override or
embedding, and stays bounded; links are http(s) or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from counterpoint.models import Item
from counterpoint.parse.feed import MAX_SUMMARY_CHARS, MAX_TITLE_CHARS

# C0 (tab/newline are not allowed in a one-line field either), DEL, C1.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Rich's own styling on a terminal: SGR only. Anything else starting with ESC came from a feed.
SGR = re.compile(r"\x1b\[[0-9;]*m")


def assert_clean_text(text: str, max_chars: int | None = None) -> None:
    assert not CONTROL.search(text), f"control character in {text[:80]!r}"
    assert not BIDI_OVERRIDES.search(text), f"bidi control in {text[:80]!r}"
    if max_chars is not None:
        assert len(text) <= max_chars


def assert_clean_link(link: str | None) -> None:
    if link is None:
        return
    assert link.startswith(("http://", "https://")), link
    assert not re.search(r"[\s\"<>`\x00-\x1f\x7f-\x9f]", link), link


def assert_clean_items(items: Iterable[Item]) -> None:
    for item in items:
        assert item.title
        assert_clean_text(item.title, MAX_TITLE_CHARS)
        assert_clean_text(item.summary, MAX_SUMMARY_CHARS)
        assert_clean_text(item.key, 600)
        assert_clean_link(item.link)
        assert item.published.tzinfo is not None


def assert_safe_for_terminal(output: str) -> None:
    """Terminal output: nothing but SGR colour from rich; no OSC, no title-setting, no C1,
    no bidi override (renderers add only FSI/PDI isolates, U+2068/U+2069)."""
    rest = SGR.sub("", output)
    where = rest.find("\x1b")
    assert where < 0, f"escape sequence reached the terminal: {rest[where - 40:][:120]!r}"
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", rest)  # \r: a pty's newline
    assert not re.search("[\u202a-\u202e\u2066\u2067]", rest)


def assert_one_line_error(error: str | None) -> None:
    assert error, "a failed feed must say why"
    assert "\n" not in error and len(error) <= 300
    assert_clean_text(error)
    assert "Traceback" not in error
