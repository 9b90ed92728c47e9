"""Consonant skeletons: Latin and Persian spellings of one name reduce to the same key."""

from __future__ import annotations

import pytest

from counterpoint.stories.normalize import fold
from counterpoint.stories.translit import skeleton


@pytest.mark.parametrize(("latin", "persian"), [
    ("Pezeshkian", "پزشکیان"),
    ("ENCELA", "انسیلیا"),
    ("Narges", "نرگس"),
    ("Ghalibaf", "قالیباف"),
    ("Qalibaf", "قالیباف"),
    ("Shalamcheh", "شلمچه"),
    ("Zahedan", "زاهدان"),
    ("Chabahar", "چابهار"),
])
def test_both_spellings_share_a_skeleton(latin: str, persian: str) -> None:
    assert skeleton(fold(latin)) == skeleton(fold(persian))
    assert len(skeleton(fold(latin))) >= 3


@pytest.mark.parametrize(("first", "second"), [
    ("Zahedan", "زنجان"), ("Tabriz", "تهران"), ("Mashhad", "شیراز"), ("Rubio", "لاوروف"),
])
def test_different_names_differ(first: str, second: str) -> None:
    assert skeleton(fold(first)) != skeleton(fold(second))


def test_words_without_consonants_have_an_empty_skeleton() -> None:
    assert skeleton("") == ""
    assert skeleton("aia") == ""
    assert skeleton(fold("آیا")) == ""
