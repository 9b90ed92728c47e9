"""The words grouping reads: folded, without outlet boilerplate, dates or programme names.

Evidence that two items report one event is names, places, rare terms and numbers; a date, a
weekday, a programme or section name ("Full Episode", "Live updates", "Podcast:") or the words
an outlet puts on every item are not. Text is folded with `stories.normalize.fold`, so Arabic
and Persian spellings and digits of one word match. The `[lexicon]` groups of feeds.toml name
one thing in different mouths ("rioters" / "protesters", "regime" / "government"): each group's
single-word terms become one concept token, so framings do not hide a shared event.
A run of words one outlet repeats across items of different titles (a channel's sign-off, a
section blurb) is the outlet's, not the event's; a live blog's summary is a digest of many
events, so only its first sentence counts. `stories.names` finds the batch's names: with
numbers, the evidence that says *which* event, not only which topic (see `stories.anchors`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain

from counterpoint.models import Item
from counterpoint.stories import persian
from counterpoint.stories.normalize import fold
from counterpoint.stories.repeats import outlet_words, shared_runs

__all__ = [
    "CONCEPT",
    "NOISE",
    "STOPWORDS",
    "concept_map",
    "evidence_words",
    "item_tokens",
    "month_token",
    "spelled_evidence",
    "word_token",
    "words",
]

TOKEN = re.compile(r"\w\w+")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just let me more most my myself no nor not of off on once only or
    other ought our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    yourselves new one two its via amid per vs us
    say says said saying tell tells told report reports reported reporting according announce
    announces announced claim claims claimed""".split()  # noqa: SIM905
) | persian.STOPWORDS

MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()  # noqa: SIM905
) | persian.MONTHS
# Dates, weekdays and the words of programme, section and live-blog titles: never evidence.
NOISE = MONTHS | frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today tonight yesterday tomorrow
    week weekend morning evening live updates update episode full watch video videos latest
    news breaking podcast photos opinion column explainer newsletter subscribe channel website
    facebook twitter instagram youtube click link""".split()  # noqa: SIM905
) | persian.NOISE
_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})\.?,?\s+(?:19|20)\d\d"
    rf"|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)\b")

# Outlet boilerplate (see `item_tokens`): summary words in more than 30 % of the items of an
# outlet with >= 4 items in the batch, in >= 3 of them, and >= 5x rarer in other outlets' items;
# title kickers/tails an outlet repeats on >= 3 items.
_OUTLET_SHARE = 0.3
_OUTLET_MIN = 4
_OUTLET_COUNT = 3
_OUTLET_LIFT = 5.0
# Runs of 5 words that an outlet repeats in items of 2 or more different titles, two of them
# sharing no title word, go (1 News's "Watch weeknights 7pm on TVNZ 1 …", ABS-CBN's programme
# blurbs). Chosen on the real days and AllSides +9x against 4, 6, 8 words and 3 titles (with
# the rest of round 5, real days pooled pairwise P .756 -> .781, F1 .649 -> .658; 8 words:
# .772 / .654); checked: every other set unchanged. Without the unrelated-titles condition
# xling fa gained (.380 -> .452: an outlet's background paragraph repeated in its follow-ups
# on one event family) but two headlines one outlet put on the same lead fell apart
# (tests/suites/test_persian.py).
RUN_WORDS = 5
RUN_TITLES = 2
_UNRELATED_FIRST = 8
LIVE_LEAD = True  # a live blog's summary counts by its first sentence (see `_lead`)
CONCEPT = "≈"  # concept tokens start with a character no word token has
STEM = True  # plain English plurals as singulars: real-day recall +.028, F1 +.013 (bench)

_KICKER = re.compile(r"([^:|]{1,40}?)\s*[:|]\s+(?=\S)")
_TAIL = re.compile(r"\s(?:[|\u2013\u2014]|-)\s+([^|\u2013\u2014]{1,40})$")


def words(text: str) -> list[str]:
    """Folded words of `text` without stopwords (what `--explain` lists as shared)."""
    return [w for w in TOKEN.findall(fold(text)) if w not in STOPWORDS]


def concept_map(groups: Iterable[Iterable[str]]) -> dict[str, str]:
    """Folded single-word term -> concept token, one token per group of terms."""
    mapping: dict[str, str] = {}
    for number, terms in enumerate(groups):
        for term in terms:
            folded = TOKEN.findall(fold(term))
            if len(folded) == 1 and folded[0] not in STOPWORDS:
                mapping.setdefault(folded[0], f"{CONCEPT}{number}")
    return mapping


def evidence_words(tokens: Sequence[str], concepts: Mapping[str, str],
                   memo: dict[str, str | None] | None = None) -> list[str]:
    """The words of one text that can be evidence of an event, in order.

    Stopwords, dates, weekdays and programme words go; so do years and numbers of one or two
    digits (day numbers, "Top 10"), except that a month followed by a year stays as one token
    ("the November 2019 protests": the name of an event; full dates such as "8 July 2020" were
    removed by `item_tokens`). Lexicon terms become their concept; a plain English plural loses
    its "s" ("protests", "protest"). `memo` caches each word's token over a batch.
    """
    if memo is None:
        return [token for token, _ in spelled_evidence(tokens, concepts)]
    for word in tokens:
        if word not in memo:
            memo[word] = None if word in MONTHS else _token(word, concepts)
    if MONTHS.isdisjoint(tokens):  # the common case: each word's token alone
        return [token for token in map(memo.__getitem__, tokens) if token is not None]
    kept: list[str] = []
    last = len(tokens) - 1
    for position, word in enumerate(tokens):
        token = memo.get(word, _UNSEEN)
        if token is _UNSEEN:
            token = memo[word] = None if word in MONTHS else _token(word, concepts)
        if token is not None:
            kept.append(token)
        elif word in MONTHS and position < last and _month_year(word, tokens[position + 1]):
            kept.append(_month_token(word, tokens[position + 1]))
    return kept


def word_token(word: str, concepts: Mapping[str, str]) -> str | None:
    """The evidence token of one word out of context: None for no evidence and for a month
    (a month counts only before a year: `month_token`)."""
    return None if word in MONTHS else _token(word, concepts)


def month_token(month: str, following: str) -> str | None:
    """The token of a month and the word after it ("nov2019"), or None (no year after it)."""
    return _month_token(month, following) if _month_year(month, following) else None


def spelled_evidence(tokens: Sequence[str], concepts: Mapping[str, str]
                     ) -> list[tuple[str, str]]:
    """`evidence_words` with the word each token came from ("≈0", "riots")."""
    kept: list[tuple[str, str]] = []
    last = len(tokens) - 1
    for position, word in enumerate(tokens):
        if word in MONTHS:
            following = tokens[position + 1] if position < last else ""
            if _month_year(word, following):
                kept.append((_month_token(word, following), f"{word} {following}"))
            continue
        token = _token(word, concepts)
        if token is not None:
            kept.append((token, word))
    return kept


_UNSEEN = "\0"


def _month_token(month: str, year: str) -> str:
    return (month[:3] if month.isascii() else month) + year


def _month_year(month: str, following: str) -> bool:
    """"November 2019", "آبان ۹۸" (a Solar Hijri year may be written with two digits)."""
    if _YEAR.fullmatch(following):
        return True
    return not month.isascii() and following.isdigit() and len(following) in (2, 4)


def _token(word: str, concepts: Mapping[str, str]) -> str | None:
    """The evidence token of one word (not a month), or None when it is no evidence."""
    if word in STOPWORDS or word in NOISE:
        return None
    if word[0].isdigit() and word.isdigit() and (len(word) <= 2 or _YEAR.fullmatch(word)):
        return None
    if word in concepts:
        return concepts[word]
    if STEM and len(word) > 4:
        if word.isascii():
            if word[-1] == "s" and word[-2] != "s":
                return word[:-1]
        else:
            return persian.stem(word)
    return word


def _fold(text: str) -> str:
    """`fold`, with a fast path for ASCII text (NFKC leaves it alone; casefold is lower)."""
    return text.lower() if text.isascii() else fold(text)


def _texts(item: Item) -> tuple[str, str]:
    """The folded title and summary (a live blog's lead: `_lead`); a Persian post's without
    its furniture (`stories.persian.post_text`)."""
    summary = _lead(item)
    if item.title.isascii() and summary.isascii():
        return item.title.lower(), summary.lower()
    if not persian.is_persian(item):
        return _fold(item.title), _fold(summary)
    return persian.post_text(fold(item.title)), persian.post_text(fold(summary))


def _undated(text: str) -> str:
    """The text without full dates; every one holds a year starting "19" or "20" (a substring
    test and a search for a year are much cheaper than the pattern's scan)."""
    if ("19" in text or "20" in text) and _YEAR.search(text):
        return _FULL_DATE.sub(" ", text)
    return text


def item_tokens(items: Sequence[Item]) -> list[tuple[list[str], list[str]]]:
    """Per item, the folded words of its title and of its summary, without the outlet's
    boilerplate in this batch.

    Boilerplate says which outlet wrote an item, not what happened: a title kicker or tail that
    an outlet repeats on `_OUTLET_COUNT` or more items ("Coronavirus: …", "… | Inside Story"), and
    in summaries, words in more than `_OUTLET_SHARE` of the items of an outlet with at least
    `_OUTLET_MIN` items that are at least `_OUTLET_LIFT` times rarer in other outlets' items
    ("Subscribe to our channel … #AJSubscribe"), and runs of `RUN_WORDS` words it repeats in
    items of `RUN_TITLES` or more unrelated titles (`_strip_runs`). Items of an unknown outlet
    ("") keep all. A live blog's summary counts by its first sentence only (`_lead`).
    """
    # One string per distinct word: each text's words are swapped for the batch's first copy
    # as soon as it is read, so the copies of repeated words (and the folded text) are freed
    # text by text (one string per occurrence was most of grouping's memory peak, and the
    # allocator kept it).
    seen: dict[str, str] = {}
    share = seen.setdefault
    titles: list[str] = []
    leads: list[str] = []
    for item in items:
        title, summary = _texts(item)
        titles.append(_undated(title).strip())
        leads.append(summary)
    # Each distinct lead is read once (syndicated copies repeat them); a copy gets its own list.
    distinct = list(dict.fromkeys(leads))
    read = dict(zip(distinct, _words_each(map(_undated, distinct), share), strict=True))
    del distinct
    summaries: list[list[str]] = []
    given: set[str] = set()
    for lead in leads:
        words = read[lead]
        if lead in given:
            words = list(words)
        else:
            given.add(lead)
        summaries.append(words)
    del read, given, leads
    by_outlet: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        if item.outlet:
            by_outlet.setdefault(item.outlet, []).append(position)
    crowded = [m for m in by_outlet.values() if len(m) >= _OUTLET_COUNT]
    for members in crowded:
        _strip_titles(titles, members)
    _strip_runs(summaries, [m for m in by_outlet.values() if len(m) >= RUN_TITLES], titles)
    big = [members for members in crowded if len(members) >= _OUTLET_MIN]
    found = outlet_words(summaries, big, len(items), count=_OUTLET_COUNT, share=_OUTLET_SHARE,
                         lift=_OUTLET_LIFT)
    for members, common in zip(big, found, strict=True):
        if common:
            for p in members:
                summaries[p] = [w for w in summaries[p] if w not in common]
    return list(zip(_words_each(titles, share), summaries, strict=True))


def _words_each(texts: Iterable[str], share: Callable[[str, str], str]) -> list[list[str]]:
    """`TOKEN.findall` of each text, each word swapped for `share(word, word)` (the batch's
    first copy)."""
    return [list(map(share, words, words)) for words in map(_find_words, texts)]


# On ASCII text the ASCII classes match what the Unicode ones do, a quarter faster (`\s` of
# ASCII text also holds the four separators \x1c-\x1f).
_ASCII_TOKEN = re.compile(r"(?a)\w\w+")


def _find_words(text: str) -> list[str]:
    """`TOKEN.findall(text)`."""
    found: list[str] = (_ASCII_TOKEN if text.isascii() else TOKEN).findall(text)
    return found


# "Coronavirus updates LIVE: …", "Live: …", "… live updates", "… as it happened".
_LIVE_TITLE = re.compile(
    r"\bLIVE\b|^Live\b|\b[Ll]ive (?:[Uu]pdates?|[Bb]log|[Cc]overage)\b|\bas it happened\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'‘“(A-Z])")


def _lead(item: Item) -> str:
    """The summary, or for a live blog (a digest of the day's events) its first sentence:
    the NYT's "Coronavirus Live Updates" leads on the WHO withdrawal and goes on to Bolsonaro's
    test. Real days pooled pairwise P +.010, F1 unchanged; other sets hold no live blogs."""
    title = item.title
    if (LIVE_LEAD and ("ive" in title or "IVE" in title or "happened" in title)
            and _LIVE_TITLE.search(title)):
        return _SENTENCE_END.split(item.summary.strip(), maxsplit=1)[0]
    return item.summary


def _strip_runs(texts: list[list[str]], outlets: Sequence[Sequence[int]],
                titles: Sequence[str]) -> None:
    """Remove from each outlet's texts (`outlets`: its items' positions) every run of
    `RUN_WORDS` words that its items of `RUN_TITLES` or more different titles hold word for
    word, two of those titles sharing no word: a sign-off or a section blurb, not a lead the
    outlet reused for two headlines on one event. A repost (the same title) counts once: its
    words are its story's.

    Only the runs that may be held under two titles are looked at (`stories.repeats`: nearly
    every run of a batch is one title's), so the words of the others are never put in tuples."""
    candidates = shared_runs(texts, outlets, titles, RUN_WORDS)
    for members in outlets:
        runs: dict[str, set[tuple[str, ...]]] = {}
        found: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
        for p in members:
            starts = candidates.get(p)
            if starts:
                words = texts[p]
                found[p] = [(k, tuple(words[k:k + RUN_WORDS])) for k in starts]
                runs.setdefault(titles[p], set()).update(run for _, run in found[p])
        if len(runs) < RUN_TITLES:
            continue
        owners: dict[tuple[str, ...], list[str]] = {}
        for title, held in runs.items():
            for run in held:
                owners.setdefault(run, []).append(title)
        heads = {title: frozenset(TOKEN.findall(title)) - STOPWORDS - NOISE for title in runs}
        common = {run for run, held in owners.items()
                  if len(held) >= RUN_TITLES and _unrelated([heads[t] for t in held])}
        if not common:
            continue
        for p, here in found.items():
            starts = [k for k, run in here if run in common]
            if starts:
                gone = set(chain.from_iterable(range(k, k + RUN_WORDS) for k in starts))
                texts[p] = [w for k, w in enumerate(texts[p]) if k not in gone]


def _unrelated(heads: Sequence[frozenset[str]]) -> bool:
    """Whether some two of these titles share no word (one of them among the first
    `_UNRELATED_FIRST`: a sign-off on a thousand items is checked in linear time)."""
    return any(first.isdisjoint(second) for k, first in enumerate(heads[:_UNRELATED_FIRST])
               for second in heads[k + 1:])


def _strip_titles(titles: list[str], members: Sequence[int]) -> None:
    """Remove the kickers and tails one outlet repeats from its items' titles."""
    heads = {p: m.group(1).strip() for p in members if (m := _KICKER.match(titles[p]))}
    tails = {p: m.group(1).strip() for p in members if (m := _TAIL.search(titles[p]))}
    repeated = Counter([*heads.values(), *tails.values()])
    for p in members:
        if repeated[heads.get(p, "")] >= _OUTLET_COUNT:
            titles[p] = _KICKER.sub("", titles[p], count=1)
        if repeated[tails.get(p, "")] >= _OUTLET_COUNT:
            titles[p] = _TAIL.sub("", titles[p])
