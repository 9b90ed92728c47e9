"""Link stories across languages: the same event told in English and in Persian is one story.

`group_items` groups items within a language (its word and character features do not cross
scripts). This post-pass joins an English story and a Persian story when their items share
evidence that survives translation, close enough in time:

- gazetteer anchors (`stories.gazetteer`): the same person, place, organisation or outlet
  named in both languages; an anchor weighs more the fewer items of the batch name it, and the
  ubiquitous ones ("Iran", "US", "Trump") weigh little;
- transliterated names (`stories.translit`): a capitalised English word and a Persian word
  outside the gazetteer with the same consonant skeleton (ENCELA / «انسیلیا»), a weaker signal;
- numbers: the same figure (not a year or a Jalali year) in both;
- time: Persian posts follow English reports by under 3 h, at most 13 h; evidence fades after
  the grace period and stops counting past the window.

Only what is named in both languages somewhere in the batch counts. A pair of items needs two
shared units (a weak anchor counts half) and scores their weighted overlap (Dice), faded by the
time gap. A pair of stories scores the mean, over the smaller story, of each item's best pair in
the larger; it needs at least one strong item pair (`XlingParams.strong`, sharing three units:
a fair average of loose pairs, or a close overlap of two names, is topic, not event) and at
least a quarter of the larger story's items sharing something with the smaller (a post on one
detail does not join a dozen reports on the whole). Pairs bringing the most evidence first
(summed over the smaller story: two posts that match outweigh one that matches a little
better), each story joins one story of the other language: one event cannot chain to the next.
Then an English story so linked gathers any further Persian story that links to it at the
threshold and names nothing the joined story does not (a Persian story the grouping split);
a Persian story never gathers English stories: two stories of one language the grouping kept
apart are joined through a partner of the other only when each links to it at twice the
threshold. Items are never translated or changed: each keeps its own language. Measured with
bench/xling.py and bench/persian.py (bench/README.md, "Cross-language linking").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain

from counterpoint.models import Item
from counterpoint.stories.evidence import Evidence, evidence_of, remember_evidence
from counterpoint.stories.gazetteer import Gazetteer, shipped_gazetteer
from counterpoint.stories.normalize import has_arabic_script

__all__ = ["Evidence", "XlingParams", "evidence_of", "item_language", "link_across_languages",
           "remember_evidence"]


@dataclass(frozen=True)
class XlingParams:
    """Which signals count, how strong a story pair must be, and the time limits.

    `strong`: a story pair needs at least one item pair this strong (faded), one pair that
    clearly reports the same event, not only a fair average of loose ones. Dev day, from the
    labelled stories (en-fa P / R): 0.45 .840 / .913, 0.5 .953 / .884, 0.55 .984 / .884, 0.6
    .984 / .884, 0.65 1.0 / .681 (bench/README.md, "Cross-language linking")."""

    threshold: float = 0.4
    strong: float = 0.55
    # Units the strong item pair must share (a weak one counting half): two names are a topic
    # (a post on an EU exemption for Russian gas shares only "EU" and "Russia" with the reports
    # of the EU's Russia sanctions, and scores 0.89), three an event. Dev day, 40 85 %
    # subsamples, en-fa P / R: 2 .442 / .730, 2.5 .493 / .723, 3 .494 / .718, 3.5 .444 / .506.
    strong_shared: float = 3.0
    grace: timedelta = timedelta(hours=3)
    window: timedelta = timedelta(hours=13)
    anchors: bool = True
    names: bool = True
    numbers: bool = True
    time: bool = True
    # The language whose linked stories may gather further stories of the other language
    # (`_gather`); "" for one partner per story. Dev day, 40 85 % subsamples (en-fa P / R):
    # one partner .482 / .597, "en" .494 / .718; both languages gathering (measured with a
    # two-unit strong pair) P .434 -> .422, en-en F1 .603 -> .589: English stories chained
    # through a Persian post.
    gather: str = "en"


_WEAK_FACTOR = 0.15  # weight kept by a `weak` gazetteer entity
_NAME_WEIGHT = 0.5  # a transliterated name match, times its rarity
_NUMBER_WEIGHT = 0.5  # a shared figure, times its rarity
_FADE = 0.5  # share of the evidence left at the end of the window
_MIN_SHARED = 2  # shared units an item pair needs (a weak anchor counts _WEAK_COUNT)
# Times the threshold, for a second story to join an already linked one: two stories of one
# language the grouping kept apart are merged through a partner only on strong evidence (at 1.5 a
# Persian post on an EU exemption joined the EU package and a Russian reaction to it).
_SECOND_LINK = 2.0
_WEAK_COUNT = 0.5  # a shared weak unit counts as half a unit towards _MIN_SHARED
# Share of the larger story's items that must share evidence with the smaller. Dev day, 40 85 %
# subsamples, en-fa P / R from `group_items` | from the labelled stories: 0 .451 / .724 | .892 /
# .841, 0.2 .495 / .724 | .896 / .841, 0.25 .494 / .718 | .896 / .841, 0.3 .496 / .712 | .896 /
# .837, 0.4 .492 / .676 | .895 / .831 (0.4 was chosen before the strong pair shared 3 units).
_SUPPORT = 0.25
_NONE: dict[str, float] = {}  # the units of every item without any (never changed)
def item_language(item: Item, outlet_language: str | None = None) -> str:
    """"fa" or "en": the script the item is written in (Persian/Arabic letters in its headline,
    or in its summary when the headline has no letters, make it "fa"); the outlet's configured
    language only when the item has no letters at all."""
    for text in (item.title, item.summary):
        if any(ch.isalpha() for ch in text):
            return "fa" if has_arabic_script(text) else "en"
    return "fa" if outlet_language == "fa" else "en"


def link_across_languages(items: Sequence[Item], groups: Sequence[Sequence[int]],
                          languages: Sequence[str] | None = None,
                          gazetteer: Gazetteer | None = None,
                          params: XlingParams | None = None) -> list[list[int]]:
    """`groups` (a partition of range(len(items)), as from `group_items`) with stories of
    different languages that report the same event merged. `languages` gives each item's
    language ("en", "fa"; default: `item_language`). Groups keep their order (a merged group
    takes the place of its earliest member group); a merged group's indices are in time order.
    With one language only, the groups come back as they are."""
    params = params or XlingParams()
    langs = list(languages) if languages is not None else [item_language(i) for i in items]
    story_lang = [_majority([langs[i] for i in group]) for group in groups]
    if len(set(story_lang)) < 2:
        return [list(group) for group in groups]
    gazetteer = gazetteer or shipped_gazetteer()
    units = _units(evidence_of(items, langs, gazetteer), langs, gazetteer, params)
    weak = frozenset(f"a:{e.id}" for e in gazetteer.entities.values() if e.weak)
    candidates = []
    fair = []  # pairs at the threshold, strong item pair or not: for gathering (below)
    postings = _Postings(groups, units)
    for a, b in _pairs_to_score(items, groups, story_lang, units, weak, params):
        link = _story_link(items, groups[a], groups[b], units, weak, params, postings)
        if link.score >= params.threshold:
            fair.append((-link.evidence, -link.score, a, b))
            if link.strongest >= params.strong:
                candidates.append((-link.evidence, -link.score, a, b))
    # Most evidence first (the sum, over the smaller story, of each item's best pair: two posts
    # that both match outweigh one post that matches a little better), each story at most one
    # partner: a story that would join two stories of the other language would chain events.
    partner = list(range(len(groups)))
    linked: set[int] = set()
    for _, _, a, b in sorted(candidates):
        if a in linked or b in linked:
            continue
        linked.update((a, b))
        partner[b] = a
    # Then a story left over may still join a linked pair through its member in the other
    # language, when the link is clearly strong (a Persian story the grouping split in two).
    extra: dict[int, int] = {}
    for _, score, a, b in sorted(candidates, key=lambda c: c[1]):
        if -score < params.threshold * _SECOND_LINK:
            break
        for spare, member in ((a, b), (b, a)):
            if spare not in linked and spare not in extra and member in linked:
                extra[spare] = partner[member]
    for spare, target in extra.items():
        partner[spare] = target
    if params.gather:
        _gather(groups, story_lang, units, sorted(fair), linked | set(extra), partner, params)

    def root(x: int) -> int:
        return partner[x]

    merged: dict[int, list[int]] = {}
    for position, group in enumerate(groups):
        merged.setdefault(root(position), []).extend(group)
    return [sorted(members, key=lambda i: (items[i].published, i)) for members in merged.values()]


def _gather(groups: Sequence[Sequence[int]], story_lang: Sequence[str],
            units: Sequence[dict[str, float]], fair: Sequence[tuple[float, float, int, int]],
            taken: set[int], partner: list[int], params: XlingParams) -> None:
    """Let a linked story of `params.gather`'s language take further stories of the other
    language (`partner` updated in place): a story left over joins it when it links to it on
    its own at the threshold (no strong item pair needed: the linked story already has one)
    and names nothing, of what both languages name in the batch, that the joined story does
    not name already (a post on another crossing, another country, stays apart). Most
    evidence first. Only one language gathers: a Persian post taking two English stories would
    chain what the English grouping, the surer one, kept apart."""
    held: dict[int, set[str]] = {}
    for position, group in enumerate(groups):
        held.setdefault(partner[position], set()).update(u for i in group for u in units[i])
    for _, _, a, b in fair:
        hub, spare = (a, b) if story_lang[a] == params.gather else (b, a)
        if story_lang[hub] != params.gather or hub not in taken or spare in taken:
            continue
        root = partner[hub]
        brought = {u for i in groups[spare] for u in units[i]}
        if brought <= held[root]:
            partner[spare] = root
            taken.add(spare)


def _pairs_to_score(items: Sequence[Item], groups: Sequence[Sequence[int]],
                    story_lang: Sequence[str], units: Sequence[dict[str, float]],
                    weak: frozenset[str], params: XlingParams) -> list[tuple[int, int]]:
    """Pairs (a < b) of stories of different languages that share a unit that is not weak and
    (when time counts) have items within the window of each other: the only pairs that can
    score above 0 (two weak units alone never reach `_MIN_SHARED`)."""
    by_unit: dict[str, set[int]] = {}
    for position, group in enumerate(groups):
        for i in group:
            for unit in units[i]:
                if unit not in weak:
                    by_unit.setdefault(unit, set()).add(position)
    spans = [(min(items[i].published for i in group), max(items[i].published for i in group))
             for group in groups]
    pairs: set[tuple[int, int]] = set()
    for members in by_unit.values():
        if len(members) < 2:
            continue
        by_lang: dict[str, list[int]] = {}
        for position in members:
            by_lang.setdefault(story_lang[position], []).append(position)
        if len(by_lang) < 2:
            continue
        sides = list(by_lang.values())
        for n, side in enumerate(sides):
            for other in sides[n + 1:]:
                pairs.update((a, b) if a < b else (b, a) for a in side for b in other)
    if params.time:
        pairs = {(a, b) for a, b in pairs
                 if spans[a][0] - params.window <= spans[b][1]
                 and spans[b][0] - params.window <= spans[a][1]}
    return sorted(pairs)


def _majority(langs: Sequence[str]) -> str:
    counts = Counter(langs)
    return max(sorted(counts), key=lambda lang: counts[lang])


def _units(evidence: Sequence[Evidence], langs: Sequence[str], gazetteer: Gazetteer,
           params: XlingParams) -> list[dict[str, float]]:
    """Each item's weighted units ("a:" anchor id, "n:" name skeleton, "#:" number) of the
    signals in use, anchors first, then names, then numbers. Only units named in both
    languages somewhere in the batch are kept: the others (most Persian words' skeletons, a
    province only Persian posts name) could link nothing and would only dilute. A unit weighs
    its rarity, log(n / items naming it) / log(n) (a unit named by one item in a thousand
    weighs ~1), times its kind's weight (`_WEAK_FACTOR` for a weak anchor)."""
    n = len(evidence)
    scale = math.log(max(n, 20) + 1)
    units: list[dict[str, float]] = [_NONE] * n  # each item's own dict once it has a unit
    kinds = (("a", params.anchors, lambda ev: ev.anchors), ("n", params.names, lambda ev: ev.names),
             ("#", params.numbers, lambda ev: ev.numbers))
    for kind, used, read in kinds:
        if not used:
            continue
        found = list(map(read, evidence))
        named: dict[str, set[str]] = {}
        for lang, keys in zip(langs, found, strict=True):
            named.setdefault(lang, set()).update(keys)
        both = set.intersection(*named.values()) if len(named) > 1 else set()
        if not both:
            continue
        df = Counter(chain.from_iterable(found))
        weighed = {}
        for key in both:
            rarity = math.log((max(n, 20) + 1) / df[key]) / scale
            if kind == "a":
                entity = gazetteer.entities.get(key)
                weight = rarity * (_WEAK_FACTOR if entity and entity.weak else 1.0)
            else:
                weight = rarity * (_NAME_WEIGHT if kind == "n" else _NUMBER_WEIGHT)
            weighed[key] = (f"{kind}:{key}", weight)
        for position, keys in enumerate(found):
            if not keys.isdisjoint(both):
                if units[position] is _NONE:
                    units[position] = {}
                units[position].update(map(weighed.__getitem__,
                                           filter(weighed.__contains__, keys)))
    return units


def _pair_score(first: dict[str, float], second: dict[str, float], weak: frozenset[str]
                ) -> float:
    """Weighted Dice overlap of two items' units; 0 unless they share at least `_MIN_SHARED`
    units, a `weak` one counting less (one shared name is chance: the same minister on another
    day; "Iran" and "Trump" together are still chance)."""
    shared = first.keys() & second.keys()
    if _shared(first, second, weak) < _MIN_SHARED:
        return 0.0
    total = sum(first.values()) + sum(second.values())
    return 2 * sum(first[unit] for unit in shared) / total if total else 0.0


def _shared(first: dict[str, float], second: dict[str, float], weak: frozenset[str]) -> float:
    """Units two items share, a `weak` one counting `_WEAK_COUNT`."""
    return sum(_WEAK_COUNT if unit in weak else 1.0 for unit in first.keys() & second.keys())


@dataclass(frozen=True)
class _StoryLink:
    score: float  # mean, over the smaller story, of each item's best pair
    evidence: float  # the same summed: what the smaller story brings in all
    strongest: float  # the best item pair sharing params.strong_shared units


class _Postings:
    """Per story (position in `groups`), on first asking: each unit -> the story's items
    (indices) naming it."""

    def __init__(self, groups: Sequence[Sequence[int]], units: Sequence[dict[str, float]]
                 ) -> None:
        self.groups, self.units = groups, units
        self.known: dict[tuple[int, ...], dict[str, list[int]]] = {}

    def of(self, story: Sequence[int]) -> dict[str, list[int]]:
        key = tuple(story)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = {}
            for j in story:
                for unit in self.units[j]:
                    found.setdefault(unit, []).append(j)
        return found


def _story_link(items: Sequence[Item], first: Sequence[int], second: Sequence[int],
                units: Sequence[dict[str, float]], weak: frozenset[str],
                params: XlingParams, postings: _Postings | None = None) -> _StoryLink:
    """How well the larger story explains the smaller one: each of the smaller story's items
    scores its best faded pair with an item of the larger story; all 0 unless at least
    `_SUPPORT` of the larger story's items share evidence with the smaller (a post about one
    exemption does not join thirteen English items on the sanctions package). Only the pairs
    sharing two units or more are scored (the others score 0: `_MIN_SHARED`)."""
    small, large = (first, second) if len(first) <= len(second) else (second, first)
    naming = (postings or _Postings((), units)).of(large)
    total = strongest = 0.0
    supporting: set[int] = set()
    for i in small:
        best = 0.0
        lists = [naming[unit] for unit in units[i] if unit in naming]
        if len(lists) < _MIN_SHARED:  # an item of the larger story shares one unit at most
            continue
        for j, count in Counter(chain.from_iterable(lists)).items():
            if count < _MIN_SHARED:
                continue
            fade = _fade(abs(items[i].published - items[j].published), params) \
                if params.time else 1.0
            if fade > 0:
                score = fade * _pair_score(units[i], units[j], weak)
                if score > 0:
                    supporting.add(j)
                    if score > strongest \
                            and _shared(units[i], units[j], weak) >= params.strong_shared:
                        strongest = score
                best = max(best, score)
        total += best
    if len(supporting) < _SUPPORT * len(large):
        return _StoryLink(0.0, 0.0, 0.0)
    return _StoryLink(total / len(small), total, strongest)


def _fade(gap: timedelta, params: XlingParams) -> float:
    if gap <= params.grace:
        return 1.0
    if gap > params.window:
        return 0.0
    share = (gap - params.grace) / (params.window - params.grace)
    return 1.0 - (1.0 - _FADE) * share
