"""Words an outlet repeats: the counts by sorting agree with counting each text's word set."""

from __future__ import annotations

from collections import Counter
from itertools import chain

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.stories.repeats import outlet_words

WORDS = st.sampled_from(["subscribe", "channel", "quake", "midwives", "robot", "pay", "ajsub"])


def _reference(texts: list[list[str]], outlets: list[list[int]], total: int) -> list[set[str]]:
    everywhere = Counter(chain.from_iterable(map(set, texts)))
    result = []
    for members in outlets:
        size = len(members)
        counts = Counter(chain.from_iterable(set(texts[p]) for p in members))
        others = max(1, total - size)
        result.append({term for term, count in counts.items()
                       if count >= 3 and count > 0.3 * size
                       and count / size >= 5.0 * (everywhere[term] - count) / others})
    return result


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.lists(WORDS, max_size=6)), max_size=30))
def test_an_outlets_common_words_are_those_its_word_sets_count(
        batch: list[tuple[int, list[str]]]) -> None:
    texts = [words for _, words in batch]
    outlets: dict[int, list[int]] = {}
    for position, (outlet, _) in enumerate(batch):
        if outlet:  # outlet 0: texts of no outlet, counted everywhere only
            outlets.setdefault(outlet, []).append(position)
    groups = list(outlets.values())
    found = outlet_words(texts, groups, len(texts), count=3, share=0.3, lift=5.0)
    assert found == _reference(texts, groups, len(texts))
