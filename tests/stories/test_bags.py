"""Evidence words as ids: the same encoding as taking each text's evidence words one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.stories.bags import encode_bags
from counterpoint.stories.persian import holds_persian
from counterpoint.stories.signals import encode
from counterpoint.stories.tokens import concept_map, evidence_words

CONCEPTS = concept_map([["rioters", "protesters"], ["regime", "government"]])
WORDS = st.sampled_from(["november", "2019", "2020", "12", "1398", "آبان", "۹۸", "98", "march",
                         "may", "protests", "protest", "rioters", "protesters", "the", "news",
                         "iran", "tehran", "riots", "bus", "dec"])
TEXTS = st.lists(st.tuples(st.lists(WORDS, max_size=6), st.lists(WORDS, max_size=8)),
                 max_size=7)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_bags_encode_as_each_texts_evidence_words_would(tokens: list[tuple[list[str],
                                                                         list[str]]]) -> None:
    """Months before a year (in the same text only), concepts, plurals, stopwords and years:
    ids, owners, vocabulary, titles' words, distinct words per item and the Persian flag."""
    titles = [evidence_words(title, CONCEPTS) for title, _ in tokens]
    bags = [title + evidence_words(lead, CONCEPTS)
            for title, (_, lead) in zip(titles, tokens, strict=True)]
    found = encode_bags(tokens, CONCEPTS)
    ids, owner, size = found.encoded
    want_ids, want_owner, want_size = encode(bags)
    assert ids.tolist() == want_ids.tolist() and owner.tolist() == want_owner.tolist()
    assert size == want_size
    assert found.terms == list(dict.fromkeys(term for bag in bags for term in bag))
    assert found.titles == titles
    assert found.own.tolist() == [len(set(bag)) for bag in bags]
    assert found.mixed == holds_persian(word for pair in tokens for text in pair for word in text)
