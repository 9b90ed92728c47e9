"""The cross-language pass as it scored story pairs before its scoring loops were made cheaper
(main at b3c1771, verbatim but for docstrings): the reference `test_xling` compares the pass
with."""

# ruff: noqa
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from counterpoint.models import Item
from counterpoint.stories.evidence import Evidence, evidence_of
from counterpoint.stories.gazetteer import Gazetteer, shipped_gazetteer
from counterpoint.stories.xling import XlingParams, item_language

_WEAK_FACTOR = 0.15
_NAME_WEIGHT = 0.5
_NUMBER_WEIGHT = 0.5
_FADE = 0.5
_MIN_SHARED = 2
_SECOND_LINK = 2.0
_WEAK_COUNT = 0.5
_SUPPORT = 0.25


def link_across_languages(items: Sequence[Item], groups: Sequence[Sequence[int]],
                          languages: Sequence[str] | None = None,
                          gazetteer: Gazetteer | None = None,
                          params: XlingParams | None = None) -> list[list[int]]:
    params = params or XlingParams()
    langs = list(languages) if languages is not None else [item_language(i) for i in items]
    story_lang = [_majority([langs[i] for i in group]) for group in groups]
    if len(set(story_lang)) < 2:
        return [list(group) for group in groups]
    gazetteer = gazetteer or shipped_gazetteer()
    evidence = evidence_of(items, langs, gazetteer)
    weights = _weights(evidence, gazetteer)
    units = [_units(ev, weights, params) for ev in evidence]
    weak = frozenset(f"a:{e.id}" for e in gazetteer.entities.values() if e.weak)
    # Only units named in both languages somewhere in the batch can link anything; the others
    # (most Persian words' skeletons, a province only Persian posts name) would only dilute.
    seen: dict[str, set[str]] = {}
    for lang, item_units in zip(langs, units, strict=True):
        seen.setdefault(lang, set()).update(item_units)
    both = set.intersection(*seen.values()) if len(seen) > 1 else set()
    units = [{u: w for u, w in item_units.items() if u in both} for item_units in units]
    candidates = []
    fair = []  # pairs at the threshold, strong item pair or not: for gathering (below)
    for a, b in _pairs_to_score(items, groups, story_lang, units, weak, params):
        link = _story_link(items, groups[a], groups[b], units, weak, params)
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
    by_unit: dict[str, set[int]] = {}
    for position, group in enumerate(groups):
        for i in group:
            for unit in units[i]:
                if unit not in weak:
                    by_unit.setdefault(unit, set()).add(position)
    spans = [(min(items[i].published for i in group), max(items[i].published for i in group))
             for group in groups]
    pairs = set()
    for members in by_unit.values():
        for a in members:
            for b in members:
                if a < b and story_lang[a] != story_lang[b]:
                    pairs.add((a, b))
    if params.time:
        pairs = {(a, b) for a, b in pairs
                 if spans[a][0] - params.window <= spans[b][1]
                 and spans[b][0] - params.window <= spans[a][1]}
    return sorted(pairs)


def _majority(langs: Sequence[str]) -> str:
    counts = Counter(langs)
    return max(sorted(counts), key=lambda lang: counts[lang])


def _weights(evidence: Sequence[Evidence], gazetteer: Gazetteer) -> dict[str, float]:
    n = len(evidence)
    df: Counter[str] = Counter()
    for ev in evidence:
        df.update(f"a:{a}" for a in ev.anchors)
        df.update(f"n:{k}" for k in ev.names)
        df.update(f"#:{k}" for k in ev.numbers)
    scale = math.log(max(n, 20) + 1)
    weights = {}
    for unit, count in df.items():
        rarity = math.log((max(n, 20) + 1) / count) / scale
        kind, _, key = unit.partition(":")
        if kind == "a":
            entity = gazetteer.entities.get(key)
            weights[unit] = rarity * (_WEAK_FACTOR if entity and entity.weak else 1.0)
        elif kind == "n":
            weights[unit] = rarity * _NAME_WEIGHT
        else:
            weights[unit] = rarity * _NUMBER_WEIGHT
    return weights


def _units(ev: Evidence, weights: dict[str, float], params: XlingParams) -> dict[str, float]:
    units: dict[str, float] = {}
    if params.anchors:
        units.update((f"a:{a}", weights[f"a:{a}"]) for a in ev.anchors)
    if params.names:
        units.update((f"n:{k}", weights[f"n:{k}"]) for k in ev.names)
    if params.numbers:
        units.update((f"#:{k}", weights[f"#:{k}"]) for k in ev.numbers)
    return units


def _pair_score(first: dict[str, float], second: dict[str, float], weak: frozenset[str]
                ) -> float:
    shared = first.keys() & second.keys()
    if _shared(first, second, weak) < _MIN_SHARED:
        return 0.0
    total = sum(first.values()) + sum(second.values())
    return 2 * sum(first[unit] for unit in shared) / total if total else 0.0


def _shared(first: dict[str, float], second: dict[str, float], weak: frozenset[str]) -> float:
    return sum(_WEAK_COUNT if unit in weak else 1.0 for unit in first.keys() & second.keys())


@dataclass(frozen=True)
class _StoryLink:
    score: float  # mean, over the smaller story, of each item's best pair
    evidence: float  # the same summed: what the smaller story brings in all
    strongest: float  # the best item pair sharing params.strong_shared units


def _story_link(items: Sequence[Item], first: Sequence[int], second: Sequence[int],
                units: Sequence[dict[str, float]], weak: frozenset[str],
                params: XlingParams) -> _StoryLink:
    small, large = (first, second) if len(first) <= len(second) else (second, first)
    total = strongest = 0.0
    supporting: set[int] = set()
    for i in small:
        best = 0.0
        for j in large:
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

