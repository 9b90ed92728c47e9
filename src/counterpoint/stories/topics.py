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
from collections.abc import Iterable, Sequence
from itertools import chain, pairwise
from typing import Any

from counterpoint.models import Item, Story, Topic, TopicRule

# Average cosine two stories' words need to share an unconfigured topic.
TOPIC_THRESHOLD = 0.12
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_NON_WORD = re.compile(r"\W+")


def assign_topics(stories: Sequence[Story], rules: Sequence[TopicRule],
                  chosen: Sequence[int] = ()) -> list[Topic]:
    """Every story in exactly one topic. Rule topics come first, in rule order; then salient-term
    topics, largest first. Deterministic. `chosen`: `rule_choices` of the first stories, if
    they were worked out already (by another process)."""
    choices = [*chosen[:len(stories)], *rule_choices(stories[len(chosen):], rules)]
    claimed: dict[int, list[str]] = {}
    free: list[int] = []
    for position, (story, choice) in enumerate(zip(stories, choices, strict=True)):
        if choice < 0:
            free.append(position)
        else:
            claimed.setdefault(choice, []).append(story.id)
    topics = [
        Topic(label=rules[k].label, story_ids=tuple(claimed[k]), key=rules[k].key)
        for k in range(len(rules)) if k in claimed
    ]
    topics.extend(_salient_topics([stories[p] for p in free]))
    return topics


def rule_choices(stories: Sequence[Story], rules: Sequence[TopicRule]) -> list[int]:
    """Per story, the position of the rule that claims it (the one whose keywords it holds
    most often; ties: the first), or -1: no keyword of any rule occurs in it."""
    patterns = [_keywords_pattern(rule.keywords) for rule in rules]
    # Most stories hold no keyword at all: one search over every rule's keywords says so.
    anywhere = _keywords_pattern([keyword for rule in rules for keyword in rule.keywords])
    words = [_WordKeywords(rule.keywords) for rule in rules]
    every = _WordKeywords([keyword for rule in rules for keyword in rule.keywords])
    choices = []
    for story in stories:
        text = _story_text(story)
        runs = _WORD.findall(text)
        if anywhere is None or not (every.found(runs) or (every.gated(runs)
                                                          and anywhere.search(text))):
            choices.append(-1)
            continue
        counts = Counter(runs)
        hits = [0 if pattern is None else len(pattern.findall(text)) if rule.gated(runs)
                else rule.count(counts) for rule, pattern in zip(words, patterns, strict=True)]
        best = max(range(len(rules)), key=lambda k: (hits[k], -k)) if rules else -1
        choices.append(best if best >= 0 and hits[best] > 0 else -1)
    return choices


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _keywords_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    r"""One pattern for all these keywords, in order. Runs of word-bounded keywords share
    one lookbehind, `(?<!\w)(?:a|b)(?!\w)`: the same matches as `(?<!\w)a(?!\w)|(?<!\w)b(?!\w)`
    (the lookahead backtracks into the group), but the engine tests the boundary once per
    position instead of once per keyword: 7x faster on 10,000 items."""
    runs: list[tuple[bool, list[str]]] = []
    for keyword in keywords:
        folded = _fold(keyword).strip()
        if not folded:
            continue
        escaped = re.escape(folded).replace(r"\ ", r"[\s\u200c]+")
        bounded = not _UNSPACED.search(folded)
        if runs and runs[-1][0] == bounded:
            runs[-1][1].append(escaped)
        else:
            runs.append((bounded, [escaped]))
    parts = [rf"(?<!\w)(?:{'|'.join(run)})(?!\w)" if bounded else "|".join(run)
             for bounded, run in runs]
    return re.compile("|".join(parts)) if parts else None


class _WordKeywords:
    r"""Keywords read off a text's word runs (`\w+`) instead of its characters.

    A keyword of word characters only matches, on word boundaries, exactly the runs equal to
    it: `count` gives the matches of the rule's pattern without running it. Any other keyword
    ("death penalty", «هسته‌ای») starts with a run of word characters followed by one that is
    not, so it can only match where that first run is a whole run of the text: `gated` says
    when the pattern must run after all (or a keyword starts with no word character, or is
    matched inside words)."""

    def __init__(self, keywords: Sequence[str]) -> None:
        self.words: set[str] = set()
        self.gates: set[str] = set()
        self.always = False
        for keyword in keywords:
            folded = _fold(keyword).strip()
            if not folded:
                continue
            first = _WORD.match(folded)
            if _UNSPACED.search(folded) or first is None:
                self.always = True
            elif first.end() == len(folded):
                self.words.add(folded)
            else:
                self.gates.add(first.group())

    def found(self, runs: Sequence[str]) -> bool:
        return not self.words.isdisjoint(runs)

    def gated(self, runs: Sequence[str]) -> bool:
        return self.always or not self.gates.isdisjoint(runs)

    def count(self, counts: Counter[str]) -> int:
        return sum(counts[word] for word in self.words if word in counts)


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
    item_bags = [[_content_words(title + summary, STOPWORDS)
                  for title, summary in (next(tokens) for _ in story.items)]
                 for story in stories]
    del tokens  # every word of every text (20 MB at 10,000 items): only content words stay
    bags = [[w for bag in story_bags for w in bag] for story_bags in item_bags]
    n = len(stories)
    labels = list(range(n))
    if n > 1:
        labels = average_linkage(n, *_similar_pairs(tfidf(bags)), TOPIC_THRESHOLD)
    members: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        members.setdefault(label, []).append(position)
    # Each story's terms are counted here and again in its topic: kept for every story at once,
    # the sets were the peak memory of a 5,000-item digest.
    document_frequency = Counter(chain.from_iterable(set(_phrases(bag)) for bag in bags))
    outlet_names = _outlet_phrases(items)
    # A term's idf by its document frequency (0 to n): one logarithm per frequency, not per
    # term of every topic (146,000 at 10,000 items).
    idf = [math.log((1 + n) / (1 + frequency)) + 1 for frequency in range(n + 1)]
    topics = []
    for group in members.values():
        # A story of one item has that item's terms; a longer one, the union of its items'.
        each_item = [[set(_phrases(bag)) for bag in item_bags[p]] for p in group]
        story_terms = [own[0] if len(own) == 1 else _joined_phrases(own, item_bags[p])
                       for p, own in zip(group, each_item, strict=True)]
        item_terms = [terms for own in each_item for terms in own]
        name = _label([stories[p] for p in group], story_terms, item_terms,
                      document_frequency, idf, STOPWORDS, outlet_names)
        topics.append(Topic(label=name, story_ids=tuple(stories[p].id for p in group)))
    topics.sort(key=lambda t: -len(t.story_ids))
    return topics


_BLOCK_ROWS = 256


def _similar_pairs(matrix: Any) -> tuple[Any, Any, Any]:
    """Rows, columns and cosines of the pairs of stories (row > column) whose cosine may join
    them in a topic, in the product's order. Made `_BLOCK_ROWS` stories at a time: the whole
    product of 2,000 stories is 2 million cosines, most of them tiny (70 MB at its peak, the
    peak of the process that works out topics); each row is the same sum either way."""
    import numpy as np

    other = matrix.T.tocsr()
    rows, cols, sims = [], [], []
    for start in range(0, matrix.shape[0], _BLOCK_ROWS):
        block = (matrix[start:start + _BLOCK_ROWS] @ other).tocoo()
        row = block.row.astype(np.int64) + start
        keep = (row > block.col) & (block.data >= TOPIC_THRESHOLD / 2)
        rows.append(row[keep])
        cols.append(block.col[keep].astype(np.int64))
        sims.append(block.data[keep].astype(np.float64))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def _outlet_phrases(items: Sequence[Item]) -> frozenset[str]:
    """Every run of one or two words of an outlet's name ("al", "jazeera", "al jazeera"):
    an outlet's name is never a topic."""
    phrases: set[str] = set()
    for outlet in {item.outlet for item in items}:
        words = _WORD.findall(_fold(outlet))
        phrases.update(words)
        phrases.update(f"{a} {b}" for a, b in pairwise(words))
    return frozenset(phrases)


def _content_words(tokens: Sequence[str], stopwords: frozenset[str]) -> list[str]:
    return [w for w in tokens if w not in stopwords and not w.isdigit() and len(w) > 1]


def _phrases(bag: Sequence[str]) -> list[str]:
    return list(bag) + [f"{a} {b}" for a, b in pairwise(bag) if a != b]


def _joined_phrases(item_terms: Sequence[set[str]], item_bags: Sequence[Sequence[str]]) -> set[str]:
    """`set(_phrases(bag))` of the items' bags joined end to end, from each item's set: their
    union and the pairs that straddle two items (the last word of a bag that has words and the
    first of the next that has; a story's terms were its items' phrases made a second time)."""
    terms = set().union(*item_terms)
    words = [bag for bag in item_bags if bag]
    terms.update(f"{a[-1]} {b[0]}" for a, b in pairwise(words) if a[-1] != b[0])
    return terms


def _label(
    stories: Sequence[Story], story_terms: Sequence[set[str]], item_terms: Sequence[set[str]],
    document_frequency: Counter[str], idf: Sequence[float], stopwords: frozenset[str],
    outlet_names: frozenset[str] = frozenset(),
) -> str:
    """The phrase most shared by these stories and rare elsewhere; two words beat one, words of
    the headlines beat words only in the leads. Never an outlet's name. `story_terms` and
    `item_terms`: the set of terms (`_phrases`) of each story and of each of their items; `idf`
    by document frequency."""
    # Most topics are one story of one item: every term counted once, without a Counter.
    shared = (dict.fromkeys(story_terms[0], 1) if len(story_terms) == 1
              else Counter(chain.from_iterable(story_terms)))
    items_with = (shared if len(item_terms) == 1 and len(story_terms) == 1
                  else Counter(chain.from_iterable(item_terms)))
    headlines = _headline_terms(_fold(item.title) for story in stories for item in story.items)
    needed = max(1, math.ceil(len(stories) / 2))
    best, best_score = "", 0.0
    # The best score, the first term in sorted order among equals (every score is above 0).
    for term, count in shared.items():
        if count < needed or len(term) < 3 or term in outlet_names:
            continue
        in_headline = term in headlines
        spread = count + items_with[term] / 2
        score = (spread * idf[document_frequency[term]] * (1.6 if " " in term else 1.0)
                 * (1.5 if in_headline else 1.0))
        if score > best_score or (score == best_score and term < best):
            best, best_score = term, score
    if not best:
        return stories[0].title or "Other"
    return _surface(best, stories, stopwords)


def _headline_terms(headlines: Iterable[str]) -> frozenset[str]:
    """Every whole word of the headlines and every two words separated by one space: a term
    (one word, or two joined by a space) is among them exactly when the headlines contain it on
    word boundaries. One pass per topic instead of one regular expression per candidate term
    (164,000 compilations were two thirds of a 10,000-item digest)."""
    terms: set[str] = set()
    for headline in headlines:
        words = _WORD.findall(headline)
        terms.update(words)
        gaps = _WORD.split(headline)[1:-1]  # what stands between each word and the next
        terms.update(f"{a} {b}" for (a, b), gap in zip(pairwise(words), gaps, strict=True)
                     if gap == " ")
    return frozenset(terms)


def _surface(term: str, stories: Sequence[Story], stopwords: frozenset[str]) -> str:
    """The term as writers spell it (leads before headlines, which are often Title Case)."""
    words = term.split()
    texts = [(text, weight) for story in stories for item in story.items
             for text, weight in ((item.summary, 2), (item.title, 1))]
    forms: Counter[str] = Counter()
    if term.isascii() and all(text.isascii() or (unicodedata.is_normalized("NFKC", text)
                                                 and not _ASCII_TWINS.search(text))
                              for text, _ in texts):
        for text, weight in texts:
            for form in _ascii_forms(text, words):
                forms[form] += weight
    else:
        pattern = re.compile(r"(?<!\w)" + r"\W+(?:\w\W+)?".join(re.escape(w) for w in words)
                             + r"(?!\w)", re.IGNORECASE)
        for text, weight in texts:
            for match in pattern.finditer(unicodedata.normalize("NFKC", text)):
                forms[match.group(0)] += weight
    if forms:
        form = min(forms.items(), key=lambda fc: (-fc[1], fc[0]))[0]
        form = " ".join(form.split())
    else:
        form = term
    return form[:1].upper() + form[1:]


# The characters other than ASCII letters that a case-insensitive pattern takes for one
# (İ ı ſ and the Kelvin sign): a text holding none, already in NFKC, matches ASCII words only
# where its ASCII letters spell them.
_ASCII_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")


def _ascii_forms(text: str, words: Sequence[str]) -> list[str]:
    r"""The matches of `(?<!\w)w1\W+(?:\w\W+)?w2(?!\w)` (or `(?<!\w)w1(?!\w)`), case-insensitively,
    for ASCII words in a text in NFKC without `_ASCII_TWINS`: each word is a whole run of word
    characters, and a run of one character may stand between the two. Found with `str.find` in
    the lowered text, which has the text's length and word characters at the same places (only
    İ, a twin, lowers to two characters), so a place there is the same place in the text (a
    pattern compiled per topic was a quarter of labelling topics; reading every word run of
    every text, half of what was left)."""
    lowered = text.lower()
    first, second = words[0].lower(), words[-1].lower()
    found = []
    start = lowered.find(first)
    while start >= 0:
        end = start + len(first)
        if (start and _WORD_CHAR.match(lowered, start - 1)) or _WORD_CHAR.match(lowered, end):
            start = lowered.find(first, start + 1)  # inside a longer run
            continue
        stop = end if len(words) == 1 else _second_word(lowered, end, second)
        if stop >= 0:
            found.append(text[start:stop])
            end = stop
        start = lowered.find(first, end)
    return found


def _second_word(lowered: str, end: int, second: str) -> int:
    """Where the whole run `second` ends if it is the next run after `end` or the one after a
    run of one character (that first); -1 if neither."""
    gap = _NON_WORD.match(lowered, end)
    following = None if gap is None else _WORD.match(lowered, gap.end())
    if following is None:
        return -1
    if following.end() - following.start() == 1:
        gap = _NON_WORD.match(lowered, following.end())
        after = None if gap is None else _WORD.match(lowered, gap.end())
        if after is not None and after.group() == second:
            return after.end()
    return following.end() if following.group() == second else -1
