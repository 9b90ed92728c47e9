"""render.words: counted nouns read as English."""

from __future__ import annotations

import pytest

from counterpoint.render.words import plural


@pytest.mark.parametrize(("count", "noun", "expected"), [
    (1, "story", "1 story"), (2, "story", "2 stories"), (0, "story", "0 stories"),
    (1, "item", "1 item"), (3, "item", "3 items"), (2, "day", "2 days"),
    (2, "class", "2 classes"), (1, "class", "1 class"),
])
def test_plural_agrees_with_the_count(count: int, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected
