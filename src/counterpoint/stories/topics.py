"""Stories -> topics: the [topics] rules of feeds.toml first, salient shared terms otherwise.

A rule matches a story when one of its keywords occurs in the story's titles or leads, case-
insensitively and on word boundaries (scripts written without spaces, such as Chinese, match
anywhere). Stories no rule claims are grouped by the words they share, and each such topic is
labelled by the phrase a person would write: the most salient two-word phrase (else word) its
stories share, stopwords and reporting verbs removed, in its most common spelling, capitalised.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from counterpoint.models import Item, Story, Topic, TopicRule

# Average cosine two stories' words need to share an unconfigured topic.
TOPIC_THRESHOLD = 0.12
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_WORD = re.compile(r"\w+")


def assign_topics(stories: Sequence[Story], rules: Sequence[TopicRule]) -> list[Topic]:
    """Every story in exactly one topic. Rule topics come first, in rule order; then salient-term
    topics, largest first. Deterministic."""
    patterns = [_rule_pattern(rule) for rule in rules]
    claimed: dict[int, list[str]] = {}
    free: list[int] = []
    for position, story in enumerate(stories):
        text = _story_text(story)
        hits = [len(pattern.findall(text)) if pattern else 0 for pattern in patterns]
        best = max(range(len(rules)), key=lambda k: (hits[k], -k)) if rules else -1
        if best >= 0 and hits[best] > 0:
            claimed.setdefault(best, []).append(story.id)
        else:
            free.append(position)
    topics = [
        Topic(label=rules[k].label, story_ids=tuple(claimed[k]), key=rules[k].key)
        for k in range(len(rules)) if k in claimed
    ]
    topics.extend(_salient_topics([stories[p] for p in free]))
    return topics


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _rule_pattern(rule: TopicRule) -> re.Pattern[str] | None:
    parts = []
    for keyword in rule.keywords:
        folded = _fold(keyword).strip()
        if not folded:
            continue
        escaped = re.escape(folded).replace(r"\ ", r"[\s\u200c]+")
        parts.append(escaped if _UNSPACED.search(folded) else rf"(?<!\w){escaped}(?!\w)")
    return re.compile("|".join(parts)) if parts else None


def _story_text(story: Story) -> str:
    return _fold(" \n ".join([story.title] + [f"{i.title} \n {i.summary}" for i in story.items]))


def _salient_topics(stories: Sequence[Story]) -> list[Topic]:
    if not stories:
        return []
    from counterpoint.stories.linkage import average_linkage
    from counterpoint.stories.signals import tfidf
    from counterpoint.stories.tokens import STOPWORDS, item_tokens

    # Words of each item without its outlet's boilerplate ("Subscribe to our channel", a kicker
    # every item carries): otherwise one outlet's stories form a topic named after it.
    items = [item for story in stories for item in story.items]
    tokens = iter(item_tokens(items))
    item_bags = [[_content_words(" ".join(title + summary), STOPWORDS)
                  for title, summary in (next(tokens) for _ in story.items)]
                 for story in stories]
    bags = [[w for bag in story_bags for w in bag] for story_bags in item_bags]
    n = len(stories)
    labels = list(range(n))
    if n > 1:
        import numpy as np

        matrix = tfidf(bags)
        pairs = (matrix @ matrix.T).tocoo()
        keep = (pairs.row > pairs.col) & (pairs.data >= TOPIC_THRESHOLD / 2)
        labels = average_linkage(
            n, pairs.row[keep].astype(np.int64), pairs.col[keep].astype(np.int64),
            pairs.data[keep].astype(np.float64), TOPIC_THRESHOLD,
        )
    members: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        members.setdefault(label, []).append(position)
    document_frequency = Counter(term for bag in bags for term in set(_phrases(bag)))
    outlet_names = _outlet_phrases(items)
    topics = []
    for group in members.values():
        name = _label([stories[p] for p in group], [bags[p] for p in group],
                      [bag for p in group for bag in item_bags[p]],
                      document_frequency, n, STOPWORDS, outlet_names)
        topics.append(Topic(label=name, story_ids=tuple(stories[p].id for p in group)))
    topics.sort(key=lambda t: -len(t.story_ids))
    return topics


def _outlet_phrases(items: Sequence[Item]) -> frozenset[str]:
    """Every run of one or two words of an outlet's name ("al", "jazeera", "al jazeera"):
    an outlet's name is never a topic."""
    phrases: set[str] = set()
    for outlet in {item.outlet for item in items}:
        words = _WORD.findall(_fold(outlet))
        phrases.update(words)
        phrases.update(f"{a} {b}" for a, b in pairwise(words))
    return frozenset(phrases)


def _content_words(text: str, stopwords: frozenset[str]) -> list[str]:
    return [w for w in _WORD.findall(text) if w not in stopwords and not w.isdigit() and len(w) > 1]


def _phrases(bag: Sequence[str]) -> list[str]:
    return list(bag) + [f"{a} {b}" for a, b in pairwise(bag) if a != b]


def _label(
    stories: Sequence[Story], bags: Sequence[Sequence[str]], item_bags: Sequence[Sequence[str]],
    document_frequency: Counter[str], total: int, stopwords: frozenset[str],
    outlet_names: frozenset[str] = frozenset(),
) -> str:
    """The phrase most shared by these stories and rare elsewhere; two words beat one, words of
    the headlines beat words only in the leads. Never an outlet's name."""
    shared = Counter(term for bag in bags for term in set(_phrases(bag)))
    items_with = Counter(term for bag in item_bags for term in set(_phrases(bag)))
    headlines = " \n ".join(_fold(item.title) for story in stories for item in story.items)
    needed = max(1, math.ceil(len(stories) / 2))
    best, best_score = "", 0.0
    for term, count in sorted(shared.items()):
        if count < needed or len(term) < 3 or term in outlet_names:
            continue
        idf = math.log((1 + total) / (1 + document_frequency[term])) + 1
        in_headline = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", headlines) is not None
        spread = count + items_with[term] / 2
        score = spread * idf * (1.6 if " " in term else 1.0) * (1.5 if in_headline else 1.0)
        if score > best_score:
            best, best_score = term, score
    if not best:
        return stories[0].title or "Other"
    return _surface(best, stories, stopwords)


def _surface(term: str, stories: Sequence[Story], stopwords: frozenset[str]) -> str:
    """The term as writers spell it (leads before headlines, which are often Title Case)."""
    words = term.split()
    pattern = re.compile(
        r"(?<!\w)" + r"\W+(?:\w\W+)?".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE
    )
    forms: Counter[str] = Counter()
    for story in stories:
        for item in story.items:
            for match in pattern.finditer(unicodedata.normalize("NFKC", item.summary)):
                forms[match.group(0)] += 2
            for match in pattern.finditer(unicodedata.normalize("NFKC", item.title)):
                forms[match.group(0)] += 1
    if forms:
        form = min(forms.items(), key=lambda fc: (-fc[1], fc[0]))[0]
        form = " ".join(form.split())
    else:
        form = term
    return form[:1].upper() + form[1:]
