"""Who covered a story, who stayed silent, and a reading list that honours `[balance]`.

Pure functions over the frozen records of `models`: no network, no SQLite, no terminal. The
digest renders what they return; every record has a `to_json()` giving plain JSON-able values.

Coverage states (per story, per configured outlet):

- `covered`: the outlet has at least one item in the story. Outlets no longer in the config keep
  this state (their items are real) but are never called silent or unreachable.
- `silent`: the outlet is *reachable for the story*, has no item in it, and the story holds at
  least one item in the outlet's language (so the tool could have recognised its coverage).
- `unmatched`: reachable and without an item, but the story holds no item in the outlet's
  language: a Persian outlet on a story told only in English may have covered it in words the
  tool did not link, so this is never counted as silence and never makes a blindspot.
- `unreachable`: anything else. We only call an outlet silent when we know it was listening, so
  a feed that was down or frozen is never counted as silence.

Languages: an outlet's is its `language` in feeds.toml (first subtag, so "fa-IR" is "fa";
"per"/"fas" are "fa", "eng" is "en"). An item's is its outlet's; for an outlet without one, "fa"
when the item's title or summary holds Persian/Arabic letters, else "en". An outlet without a
configured language is judged as before (silent when reachable).

An outlet is reachable for a story when at least one of its feeds is healthy (it answered
properly when last asked) and, over its healthy feeds,

1. the newest stored item is not older than the story's first item (minus `stale_after`, zero by
   default: a feed whose every item predates the story gives no sign it was publishing while the
   story ran), and
2. the last proper answer (`last_ok`, else `checked_at`) came no earlier than the story's first
   item, when that time is known (a feed last asked before the story began cannot have missed it).

An outlet without any `FeedResult` is unreachable.

Affiliation order: `affiliation_order` sorts class keys alphabetically. The order is fixed by
spelling, not by judgement or by the order of a config file, so no side is placed first on
purpose; with the default classes it reads government, independent, ngo, opposition, wire. It
orders side-by-side rows and breaks the last ties; it never decides how many items a class gets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from counterpoint.models import FeedResult, Item, Outlet, Story
from counterpoint.stories.normalize import has_arabic_script
from counterpoint.timeutil import iso

COVERED, SILENT, UNREACHABLE, UNMATCHED = "covered", "silent", "unreachable", "unmatched"
_LANGUAGE_ALIASES = {"per": "fa", "fas": "fa", "farsi": "fa", "persian": "fa", "eng": "en",
                     "english": "en"}

_SENTENCE_END = ".!?。！？؟"
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "capt", "sgt", "sen", "rep", "gov",
    "pres", "prof", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "approx", "est",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})


# -- order --------------------------------------------------------------------------------------
def affiliation_order(affiliations: Mapping[str, str] | Iterable[str]) -> list[str]:
    """Class keys sorted alphabetically: a documented order that favours no side."""
    return sorted(affiliations)


def ordered(classes: Iterable[str], order: Sequence[str]) -> list[str]:
    """`classes` (deduplicated) in `order`; classes missing from `order` follow, sorted."""
    present = set(classes)
    known = [key for key in dict.fromkeys(order) if key in present]
    return known + sorted(present.difference(known))


def _rank(order: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    index = {key: number for number, key in enumerate(dict.fromkeys(order))}
    return lambda key: (index.get(key, len(index)), key)


def lead_item(items: Iterable[Item]) -> Item:
    """The item that speaks for a set (one outlet's or one class's items in a story).

    Prefers items with a link, then dated ones, then the earliest (the first report), then
    outlet name and key so the choice is deterministic.
    """
    return min(items, key=_lead_key)


def _lead_key(item: Item) -> tuple[bool, bool, datetime, str, str]:
    return (item.link is None, not item.dated, item.published, item.outlet, item.key)


# -- health and coverage -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OutletHealth:
    """How an outlet's feeds fared, folded into what coverage needs.

    `newest_item` and `last_ok` are taken over healthy feeds only: a dead feed's old items say
    nothing about whether the outlet was listening.
    """

    outlet: str
    affiliation: str
    feeds: int
    healthy_feeds: int
    newest_item: datetime | None
    last_ok: datetime | None
    errors: tuple[str, ...] = ()

    @property
    def reachable(self) -> bool:
        return self.healthy_feeds > 0

    def to_json(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "affiliation": self.affiliation, "feeds": self.feeds,
                "healthy_feeds": self.healthy_feeds, "reachable": self.reachable,
                "newest_item": iso(self.newest_item), "last_ok": iso(self.last_ok),
                "errors": list(self.errors)}


def outlet_health(outlets: Sequence[Outlet],
                  results: Sequence[FeedResult]) -> dict[str, OutletHealth]:
    """One `OutletHealth` per configured outlet, in config order; results match by outlet name."""
    by_outlet: dict[str, list[FeedResult]] = {}
    for result in results:
        by_outlet.setdefault(result.outlet, []).append(result)
    health: dict[str, OutletHealth] = {}
    for outlet in outlets:
        own = by_outlet.get(outlet.name, [])
        healthy = [result for result in own if result.healthy]
        newest = [r.newest_item for r in healthy if r.newest_item is not None]
        answered = [r.last_ok or r.checked_at for r in healthy]
        last_ok = [moment for moment in answered if moment is not None]
        errors = tuple(f"{r.url}: {r.error or r.status.value}" for r in own if not r.healthy)
        health[outlet.name] = OutletHealth(
            outlet=outlet.name, affiliation=outlet.affiliation, feeds=len(own),
            healthy_feeds=len(healthy), newest_item=max(newest) if newest else None,
            last_ok=max(last_ok) if last_ok else None, errors=errors)
    return health


# How much older than a story an outlet's newest item may be before its silence stops counting
# as silence: an outlet that has published nothing for a day before the story began is treated as
# stale (unreachable), one that posted a few hours earlier is listening and silent.
STALE_GRACE = timedelta(hours=24)


def reachable_for(story: Story, health: OutletHealth | None, *,
                  stale_after: timedelta = timedelta(0)) -> bool:
    """Whether an outlet was listening while `story` ran (the rule in the module docstring)."""
    if health is None or not health.reachable or health.newest_item is None:
        return False
    start = story.first_published
    if health.newest_item < start - stale_after:
        return False
    return health.last_ok is None or health.last_ok >= start


def story_coverage(story: Story, outlets: Sequence[Outlet], health: Mapping[str, OutletHealth],
                   *, stale_after: timedelta = timedelta(0)) -> dict[str, str]:
    """Outlet name -> covered / silent / unmatched / unreachable, in config order.

    Outlets that carried the story but are no longer configured follow as `covered`, in order
    of first appearance.
    """
    carried = set(story.outlets)
    declared = {outlet.name: language_code(outlet.language) for outlet in outlets}
    told_in = {declared.get(item.outlet) or _script_language(item) for item in story.items}
    coverage: dict[str, str] = {}
    for outlet in outlets:
        language = declared[outlet.name]
        if outlet.name in carried:
            coverage[outlet.name] = COVERED
        elif not reachable_for(story, health.get(outlet.name), stale_after=stale_after):
            coverage[outlet.name] = UNREACHABLE
        elif language is None or language in told_in:
            coverage[outlet.name] = SILENT
        else:
            coverage[outlet.name] = UNMATCHED
    for name in story.outlets:
        coverage.setdefault(name, COVERED)
    return coverage


def language_code(language: str | None) -> str | None:
    """feeds.toml's `language` as compared for silence: "fa-IR" and "per" are "fa"."""
    if not language or not language.strip():
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return _LANGUAGE_ALIASES.get(code, code)


def _script_language(item: Item) -> str:
    return "fa" if has_arabic_script(item.title) or has_arabic_script(item.summary) else "en"


@dataclass(frozen=True, slots=True)
class AffiliationCoverage:
    """Coverage of one story by one class of configured outlets."""

    affiliation: str
    covered: int
    silent: int
    unreachable: int
    unmatched: int = 0

    @property
    def total(self) -> int:
        return self.covered + self.silent + self.unreachable + self.unmatched

    def describe(self) -> str:
        """`wire 3/5`, `ngo 0/4 (2 unreachable)`, `government 1/3 (2 other language)`."""
        text = f"{self.affiliation} {self.covered}/{self.total}"
        notes = [f"{count} {name}" for count, name in ((self.unreachable, "unreachable"),
                                                       (self.unmatched, "other language"))
                 if count]
        return f"{text} ({', '.join(notes)})" if notes else text

    def to_json(self) -> dict[str, Any]:
        return {"affiliation": self.affiliation, "covered": self.covered,
                "silent": self.silent, "unreachable": self.unreachable,
                "unmatched": self.unmatched, "total": self.total}


def affiliation_summary(coverage: Mapping[str, str], outlets: Sequence[Outlet],
                        order: Sequence[str]) -> list[AffiliationCoverage]:
    """Per class of configured outlets, in `order`; classes without outlets are left out.

    Outlets absent from the config are not counted: a class reads `covered/configured`.
    """
    counts: dict[str, dict[str, int]] = {}
    for outlet in outlets:
        state = coverage.get(outlet.name, UNREACHABLE)
        tally = counts.setdefault(outlet.affiliation, dict.fromkeys(
            (COVERED, SILENT, UNREACHABLE, UNMATCHED), 0))
        tally[state] = tally.get(state, 0) + 1
    return [AffiliationCoverage(key, counts[key][COVERED], counts[key][SILENT],
                                counts[key][UNREACHABLE], counts[key][UNMATCHED])
            for key in ordered(counts, order)]


def describe_coverage(summary: Sequence[AffiliationCoverage]) -> str:
    """`wire 3/5 · ngo 0/4 (2 unreachable) · government 2/6`."""
    return " · ".join(entry.describe() for entry in summary)


# -- blindspots --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Blindspot:
    """A story only one class carried while outlets of other classes listened and said nothing.

    `silent` maps each other class with silent outlets to their names; `unreachable` lists the
    other classes with no silent outlet, all unreachable or `unmatched` (their silence is
    unknown). Only `silent` outlets make a blindspot.
    """

    story_id: str
    title: str
    affiliation: str
    outlets: tuple[str, ...]
    items: int
    silent: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unreachable: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"story": self.story_id, "title": self.title, "affiliation": self.affiliation,
                "outlets": list(self.outlets), "items": self.items,
                "silent": {key: list(names) for key, names in self.silent.items()},
                "unreachable": list(self.unreachable)}


def find_blindspots(stories: Sequence[Story], coverages: Mapping[str, Mapping[str, str]],
                    outlets: Sequence[Outlet], order: Sequence[str] = (), *,
                    min_outlets: int = 1) -> list[Blindspot]:
    """Stories whose items all come from one class while another class was reachable and silent.

    `coverages` maps story id -> `story_coverage`. Ranked by how many outlets of the carrying
    class had the story, then by how many outlets elsewhere were silent, then by item count;
    stories keep their given order on ties. Stories carried by fewer than `min_outlets` outlets
    are skipped.
    """
    found: list[tuple[tuple[int, int, int], int, Blindspot]] = []
    for position, story in enumerate(stories):
        classes = story.affiliations
        if len(classes) != 1 or len(story.outlets) < min_outlets:
            continue
        (side,) = classes
        coverage = coverages.get(story.id, {})
        silent: dict[str, list[str]] = {}
        heard: set[str] = set()
        for outlet in outlets:
            if outlet.affiliation == side:
                continue
            heard.add(outlet.affiliation)
            if coverage.get(outlet.name) == SILENT:
                silent.setdefault(outlet.affiliation, []).append(outlet.name)
        if not silent:
            continue
        blindspot = Blindspot(
            story_id=story.id, title=story.title, affiliation=side, outlets=story.outlets,
            items=len(story.items),
            silent={key: tuple(silent[key]) for key in ordered(silent, order)},
            unreachable=tuple(ordered(heard.difference(silent), order)))
        weight = (len(story.outlets), sum(len(names) for names in silent.values()),
                  len(story.items))
        found.append((weight, position, blindspot))
    found.sort(key=lambda entry: (tuple(-value for value in entry[0]), entry[1]))
    return [blindspot for _, _, blindspot in found]


# -- mix ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Mix:
    """Outlets configured and fetched, and items shown, per class; warnings say what is off."""

    configured: dict[str, int]
    fetched: dict[str, int]
    shown: dict[str, int]
    warnings: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """`configured: government 2 · ngo 2 …`, then `fetched: …` and `shown: …` (no warnings)."""
        return [f"{name}: " + " · ".join(f"{key} {count}" for key, count in counts.items())
                for name, counts in (("configured", self.configured),
                                     ("fetched", self.fetched), ("shown", self.shown))]

    def to_json(self) -> dict[str, Any]:
        return {"configured": dict(self.configured), "fetched": dict(self.fetched),
                "shown": dict(self.shown), "warnings": list(self.warnings)}


def account_mix(outlets: Sequence[Outlet], affiliations: Mapping[str, str],
                balance: Mapping[str, float], results: Sequence[FeedResult],
                shown_items: Sequence[Item], *, shortfall: float = 0.5) -> Mix:
    """Count the mix on every run and warn where the digest cannot be balanced.

    `fetched` counts outlets with at least one healthy feed. A warning is given for a class that
    has a `[balance]` weight above 0 but no outlet or no healthy feed, and for a class whose share
    of the shown items is below `shortfall` times the share its weight asks for.
    """
    health = outlet_health(outlets, results)
    classes = ordered([*affiliations, *(outlet.affiliation for outlet in outlets),
                       *(item.affiliation for item in shown_items)],
                      affiliation_order(affiliations))
    configured = dict.fromkeys(classes, 0)
    fetched = dict.fromkeys(classes, 0)
    shown = dict.fromkeys(classes, 0)
    for outlet in outlets:
        configured[outlet.affiliation] += 1
        fetched[outlet.affiliation] += health[outlet.name].reachable
    for item in shown_items:
        shown[item.affiliation] += 1
    warnings: list[str] = []
    total_weight = sum(balance.get(key, 0.0) for key in classes)
    total_shown = sum(shown.values())
    for key in classes:
        weight = balance.get(key, 0.0)
        if weight <= 0:
            continue
        name = f"{key} ({affiliations[key]})" if key in affiliations else key
        if not configured[key]:
            warnings.append(f"{name}: no outlet configured, though [balance] gives it "
                            f"weight {weight:g}")
            continue
        if not fetched[key]:
            warnings.append(f"{name}: no healthy feed ({configured[key]} outlet"
                            f"{'s' if configured[key] != 1 else ''} configured, none fetched)")
            continue
        wanted = weight / total_weight
        if total_shown and shown[key] / total_shown < wanted * shortfall:
            warnings.append(f"{name}: {shown[key]} of {total_shown} items shown "
                            f"({shown[key] / total_shown:.0%}), [balance] asks for "
                            f"{wanted:.0%}")
    return Mix(configured, fetched, shown, tuple(warnings))


# -- reading list ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReadingPick:
    story_id: str
    item: Item

    def to_json(self) -> dict[str, Any]:
        return {"story": self.story_id, "title": self.item.title, "link": self.item.link,
                "outlet": self.item.outlet, "affiliation": self.item.affiliation}


def story_importance(stories: Sequence[Story]) -> list[Story]:
    """Broadest coverage first: classes, then outlets, then items, then latest; id breaks ties."""
    return sorted(stories, key=lambda story: (
        -len(story.affiliations), -len(story.outlets), -len(story.items),
        -story.last_published.timestamp(), story.id))


def reading_list(stories: Sequence[Story], balance: Mapping[str, float], order: Sequence[str],
                 n: int) -> list[ReadingPick]:
    """Up to `n` items covering the broadest stories, with class counts set by `[balance]`.

    Each class gets a largest-remainder quota of `n` by weight, so its count is within one item
    of `n * weight / total` whenever enough items exist. A class with weight 0 (or absent from
    `balance`) gets nothing; a class with too few items gets all it has and the rest of its
    quota goes to the others by weight. Remainder ties go to the class whose next item covers
    the broader story, then by `order`.

    Within its quota a class takes one item per story, broadest story first (its `lead_item`),
    so a reader meets each side's framing of a story once; second items of a story are used only
    when a class has run out of stories. Picks come out story by story, classes in `order`.
    """
    if n <= 0:
        return []
    ranked = story_importance(stories)
    story_rank = {story.id: number for number, story in enumerate(ranked)}
    candidates: dict[str, list[tuple[tuple[int, int], Item, str]]] = {}
    for story in ranked:
        by_class: dict[str, list[Item]] = {}
        for item in story.items:
            by_class.setdefault(item.affiliation, []).append(item)
        for key, items in by_class.items():
            lead = lead_item(items)
            rest = sorted((item for item in items if item is not lead), key=_lead_key)
            pool = candidates.setdefault(key, [])
            pool.append(((0, story_rank[story.id]), lead, story.id))
            pool.extend(((1, story_rank[story.id]), item, story.id) for item in rest)
    for pool in candidates.values():
        pool.sort(key=lambda entry: entry[0])
    rank = _rank(order)

    def merit(key: str, taken: int) -> tuple[Any, ...]:
        pool = candidates[key]
        return (*pool[taken][0], *rank(key)) if taken < len(pool) else (2, 0, *rank(key))

    weights = {key: Fraction(balance.get(key, 0.0)) for key in candidates}
    available = {key: len(pool) for key, pool in candidates.items()}
    quota = _quotas(weights, available, n, merit)
    picks = [(entry[0][1], rank(key), entry[1].published, entry[2], entry[1])
             for key, pool in candidates.items() for entry in pool[:quota.get(key, 0)]]
    picks.sort(key=lambda pick: pick[:3])
    return [ReadingPick(story_id, item) for _, _, _, story_id, item in picks]


def _quotas(weights: Mapping[str, Fraction], available: Mapping[str, int], n: int,
            merit: Callable[[str, int], tuple[Any, ...]]) -> dict[str, int]:
    """Largest-remainder seats of `n` by weight, capped by `available`, caps redistributed."""
    active = {key for key, weight in weights.items() if weight > 0 and available.get(key, 0)}
    seats = min(n, sum(available[key] for key in active))
    quota: dict[str, int] = {}
    while active:
        total = sum(weights[key] for key in active)
        ideal = {key: seats * weights[key] / total for key in active}
        capped = {key for key in active if ideal[key] >= available[key]}
        if capped:
            for key in capped:
                quota[key] = available[key]
                seats -= available[key]
            active -= capped
            continue
        floors = {key: int(ideal[key]) for key in active}
        quota.update(floors)
        left = seats - sum(floors.values())
        by_remainder = sorted(active, key=lambda key: (-(ideal[key] - floors[key]),
                                                       merit(key, floors[key])))
        for key in by_remainder[:left]:
            quota[key] += 1
        break
    return quota


# -- side by side ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FramingRow:
    """How one class put a story: its lead item's headline and first sentence."""

    affiliation: str
    outlet: str
    title: str
    sentence: str
    link: str | None

    def to_json(self) -> dict[str, Any]:
        return {"affiliation": self.affiliation, "outlet": self.outlet, "title": self.title,
                "sentence": self.sentence, "link": self.link}


def framing_rows(story: Story, order: Sequence[str]) -> list[FramingRow]:
    """One row per class present in `story`, in `order`; show them when there are two or more."""
    by_class: dict[str, list[Item]] = {}
    for item in story.items:
        by_class.setdefault(item.affiliation, []).append(item)
    rows = []
    for key in ordered(by_class, order):
        item = lead_item(by_class[key])
        rows.append(FramingRow(key, item.outlet, item.title,
                               first_sentence(item.summary, skip=item.title), item.link))
    return rows


def first_sentence(text: str, *, skip: str = "", limit: int = 300) -> str:
    """The first sentence of `text` (not one that merely repeats `skip`), cut at `limit` chars."""
    sentences = [" ".join(text[start:end].split()) for start, end in sentence_spans(text)]
    wanted = next((s for s in sentences if s and _plain(s) != _plain(skip)), "")
    if len(wanted) > limit:
        wanted = wanted[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return wanted


def quote_sentence(text: str, start: int, end: int, limit: int = 220) -> str:
    """The sentence holding `text[start:end]`, cut to about `limit` characters around it."""
    left, right = next(((a, b) for a, b in sentence_spans(text) if a <= start < b),
                       (0, len(text)))
    first, last = left, right
    if last - first > limit:
        room = max(0, limit - (end - start)) // 2
        first, last = max(first, start - room), min(last, end + room)
    quoted = " ".join(text[first:last].split())
    if first > left:
        quoted = "…" + quoted.split(" ", 1)[-1]
    if last < right:
        quoted = quoted.rsplit(" ", 1)[0] + "…"
    return quoted


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; "Mr.", "U.S." and initials do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for index, char in enumerate(text):
        if char not in _SENTENCE_END:
            continue
        after = index + 1
        while after < len(text) and text[after] in "\"'”’)»":
            after += 1
        if after < len(text) and not text[after].isspace():
            continue
        word = text[start:index].rsplit(None, 1)[-1] if text[start:index].strip() else ""
        word = word.strip("\"'“(«").casefold()
        if char == "." and (word in _ABBREVIATIONS or len(word) == 1
                            or ("." in word and len(word) <= 5)):
            continue
        spans.append((start, after))
        start = after
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in spans]


def _plain(text: str) -> str:
    return " ".join(text.casefold().strip(" .!?").split())
