"""Why the items of one story were grouped: the evidence `group_items` weighed.

For each pair: its score, the evidence words both share (lexicon framings shown as
"riots~protests"), which of them are names or numbers (a pair of few shared words and no such
anchor keeps only part of its score), how far apart in time they are, whether one outlet
wrote both, whether it counts as a story continuing (several rare names or numbers shared
across the grace period: time weighs less, `stories.continuing`) and whether the headlines
name different places (the score weighs less, `stories.places`); the joins
of the agglomeration; the words most items share. The JSON form is built in `render.jsonout`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from counterpoint.models import Item
from counterpoint.stories.anchors import cased
from counterpoint.stories.continuing import CONTINUING_ANCHORS, RARE_ITEMS
from counterpoint.stories.gazetteer import configured_gazetteer
from counterpoint.stories.group import (
    CONTINUING_DECAY,
    DECAY,
    FLOOR_SHARE,
    GRACE_HOURS,
    PHASES,
    PLACE_FACTOR,
    GroupingParams,
    pair_scores,
    time_order,
)
from counterpoint.stories.linkage import STORY_SIZE, Linkage
from counterpoint.stories.names import anchor_words
from counterpoint.stories.places import named_places
from counterpoint.stories.tokens import (
    CONCEPT,
    concept_map,
    item_tokens,
    spelled_evidence,
)
from counterpoint.stories.xling import item_language

__all__ = ["GroupExplanation", "MergeStep", "PairEvidence", "explain_group"]

_EXPLAIN_MAX_PAIRS = 200
_SHARED_SHOWN = 8


@dataclass(frozen=True)
class PairEvidence:
    """Why two items (indices into the story's items) look alike."""

    i: int
    j: int
    score: float
    shared_terms: tuple[str, ...]
    hours_apart: float = 0.0
    same_outlet: bool = False
    anchors: tuple[str, ...] = ()  # the shared words that are names or numbers
    continuing: bool = False  # a story continuing: its time apart weighs less
    # The places the two headlines name when they name different ones (each headline's, as
    # the gazetteer spells them in English): the score weighs less.
    different_places: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    cased: bool = True  # both written in a cased script (names are read only there)


@dataclass(frozen=True)
class MergeStep:
    """One join of the agglomeration: two sets of items, the group score that passed the
    threshold, and the strongest pair between them (the link a reader can check)."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    score: float
    link: PairEvidence


@dataclass(frozen=True)
class GroupExplanation:
    """Evidence for one story: every pair's score (strongest first, at most 200), the joins that
    formed it, and the evidence words most of its items share.

    Scores are those grouping gave when `explain_group` is handed the batch the story was
    grouped in (pairs under the floor, which grouping counts as 0, are left out: `weaker`
    counts them); else they are recomputed over the story's own items, and term weights differ
    from the run over all items. `complete` says whether these pairs alone join every item at
    this threshold.
    """

    threshold: float
    window_hours: float
    pairs: tuple[PairEvidence, ...]
    merges: tuple[MergeStep, ...]
    shared_terms: tuple[str, ...]
    complete: bool
    batch: bool = False  # scores as the grouping of the whole batch gave them
    weaker: int = 0  # pairs under the floor (counted as 0), not listed
    languages: int = 1  # English and Persian items are joined by the cross-language pass

    def describe(self, max_pairs: int = 10) -> list[str]:
        """Plain lines for a terminal: settings, shared words, each join, the strongest pairs."""
        lines = [f"threshold {self.threshold:g}, window {self.window_hours:g} h"]
        if self.shared_terms:
            lines.append("shared by most items: " + ", ".join(self.shared_terms))
        for step in self.merges:
            left = "+".join(f"#{i}" for i in step.left)
            right = "+".join(f"#{i}" for i in step.right)
            bar = (f", below the threshold: a story of {STORY_SIZE}+ items takes a match "
                   f"to its whole" if step.score < self.threshold else "")
            lines.append(f"joined {left} with {right} at {step.score:.3f}{bar} "
                         f"(strongest link {_describe_pair(step.link)})")
        if not self.complete and self.batch:
            lines.append("note: these pairs alone do not join every item at this threshold"
                         + ("; the languages were joined on shared names, places and figures"
                            if self.languages > 1 else ""))
        elif not self.complete:
            lines.append("note: recomputed over these items alone they would not all join at "
                         "this threshold; the story formed with the other items' term weights")
        for pair in self.pairs[:max_pairs]:
            lines.append("pair " + _describe_pair(pair))
        hidden = max(0, len(self.pairs) - max_pairs)
        if hidden or self.weaker:
            floor = self.threshold * FLOOR_SHARE
            lines.append(f"… {hidden + self.weaker} weaker pairs"
                         + (f" ({self.weaker} under {floor:g}, counted as 0)" if self.weaker
                            else ""))
        return lines


def _describe_pair(pair: PairEvidence) -> str:
    shared = ", ".join(pair.shared_terms) if pair.shared_terms else "no shared evidence words"
    named = ("names/numbers: " + ", ".join(pair.anchors) if pair.anchors
             else "no shared name or number" if pair.cased
             else "no shared number; names not read in this script")
    notes = [named, f"{pair.hours_apart:g} h apart"] + (["same outlet"] if pair.same_outlet
                                                        else [])
    if pair.continuing:
        notes.append(f"a story continuing: {CONTINUING_ANCHORS}+ rare names/numbers shared, so "
                     f"time past {GRACE_HOURS:g} h costs {CONTINUING_DECAY:g}, not {DECAY:g}, "
                     f"at the window")
    if pair.different_places:
        first, second = (", ".join(names) for names in pair.different_places)
        notes.append(f"headlines name different places ({first} / {second}): score "
                     f"x {PLACE_FACTOR:g}")
    return f"#{pair.i}–#{pair.j} {pair.score:.3f}: {shared} ({'; '.join(notes)})"


def _evidence(items: Sequence[Item], params: GroupingParams) -> list[dict[str, str]]:
    """Per item, evidence token -> how the item wrote it ("riots" for a concept token)."""
    concepts = concept_map(params.concepts)
    shown = []
    for title, summary in item_tokens(items):
        spelled: dict[str, str] = {}
        for token, word in spelled_evidence(title + summary, concepts):
            spelled.setdefault(token, word)
        shown.append(spelled)
    return shown


def _batch_scores(items: Sequence[Item], batch: Sequence[Item],
                  params: GroupingParams) -> dict[tuple[int, int], float]:
    """The story's pairs (indices into `items`) as grouping scored them over `batch`, the
    window's items (the same objects): the same term weights, only pairs at the floor."""
    import numpy as np

    where = {id(item): n for n, item in enumerate(items)}
    order = time_order(batch)
    spot = np.array([where.get(id(batch[i]), -1) for i in order], dtype=np.int64)
    rows, cols, scores = pair_scores(batch, order, params)
    a, b = spot[rows], spot[cols]
    mine = (a >= 0) & (b >= 0)  # both items in the story
    a, b = a[mine], b[mine]
    return dict(zip(zip(np.minimum(a, b).tolist(), np.maximum(a, b).tolist(), strict=True),
                    scores[mine].tolist(), strict=True))


def explain_group(items: Sequence[Item], params: GroupingParams | None = None,
                  batch: Sequence[Item] | None = None) -> GroupExplanation:
    """Why these items (one story) were grouped: pair scores, shared evidence and merge steps.
    `batch`: the items the story was grouped among (its items the same objects), for the
    scores grouping gave; without it, scores over the story's items alone."""
    params = params or GroupingParams()
    hours = params.window.total_seconds() / 3600
    n = len(items)
    if n < 2:
        return GroupExplanation(params.threshold, hours, (), (), (), True)
    if batch is not None:
        pair_score = _batch_scores(items, batch, params)
    else:
        rows, cols, scores = pair_scores(items, list(range(n)), params, floor=-1.0)
        pair_score = {(min(a, b), max(a, b)): s for a, b, s in
                      zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True)}
    bags = _evidence(items, params)
    weight = Counter(token for bag in bags for token in bag)
    # Names and rarity as grouping read them: over the batch when there is one.
    names = anchor_words(items if batch is None else batch, concept_map(params.concepts))
    held = weight if batch is None else Counter(
        token for bag in _evidence(batch, params) for token in bag)
    gazetteer = configured_gazetteer(params.gazetteer)
    places = named_places(items, gazetteer)  # ids, compared as grouping compares them

    def shown(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(gazetteer.entities[a].display for a in ids)

    def spell(token: str, a: int, b: int) -> str:
        """A lexicon concept shows both framings ("riots~protests"); other words as written
        first (a plural and its singular are one evidence word)."""
        first, second = bags[a][token], bags[b][token]
        return f"{first}~{second}" if token.startswith(CONCEPT) and first != second else first

    def evidence(i: int, j: int, score: float) -> PairEvidence:
        a, b = min(i, j), max(i, j)
        shared = sorted(bags[a].keys() & bags[b].keys(),
                        key=lambda token: (weight[token], -len(token), token))
        gap = abs((items[a].published - items[b].published).total_seconds()) / 3600
        anchored = [t for t in shared if t in names or any(ch.isdigit() for ch in t)]
        rare = sum(held[t] <= RARE_ITEMS for t in anchored)
        apart = places[a] and places[b] and not set(places[a]) & set(places[b])
        return PairEvidence(a, b, score, tuple(spell(t, a, b) for t in shared[:_SHARED_SHOWN]),
                            round(gap, 1), bool(items[a].outlet)
                            and items[a].outlet == items[b].outlet,
                            tuple(spell(t, a, b) for t in anchored[:_SHARED_SHOWN]),
                            gap > GRACE_HOURS and rare >= CONTINUING_ANCHORS,
                            (shown(places[a]), shown(places[b])) if apart else None,
                            cased(items[a].title) and cased(items[b].title))

    pairs = sorted((evidence(a, b, s) for (a, b), s in pair_score.items()),
                   key=lambda p: (-p.score, p.i, p.j))
    linkage = Linkage([(a, b, s) for (a, b), s in pair_score.items()
                       if batch is not None or s >= params.threshold * FLOOR_SHARE],
                      record=True)  # the batch's pairs are those grouping kept
    for kind, share in PHASES:
        linkage.merge(params.threshold * share, centroid=kind in ("cosine", "story"),
                      story=STORY_SIZE if kind == "story" else 0)
    merges = []
    for left, right, score in linkage.history:
        a, b = max(((x, y) for x in left for y in right),
                   key=lambda xy: pair_score.get((min(xy), max(xy)), -1.0))
        link = evidence(a, b, pair_score.get((min(a, b), max(a, b)), 0.0))
        merges.append(MergeStep(tuple(sorted(left)), tuple(sorted(right)), score, link))
    common = sorted((t for t, c in weight.items() if c >= max(2, (n + 1) // 2)),
                    key=lambda t: (-weight[t], t))
    first_spelling = {t: next(bag[t] for bag in bags if t in bag) for t in common}
    complete = len(linkage.members) == 1 and len(next(iter(linkage.members.values()))) == n
    return GroupExplanation(params.threshold, hours, tuple(pairs[:_EXPLAIN_MAX_PAIRS]),
                            tuple(merges), tuple(first_spelling[t] for t in common[:12]),
                            complete, batch is not None,
                            n * (n - 1) // 2 - len(pair_score) if batch is not None else 0,
                            len({item_language(item) for item in items}))
