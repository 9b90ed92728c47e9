"""Assemble a digest: the window's items grouped into stories and topics, with the balance
analysis (coverage, blindspots, mix, front page, reading list, figures, terms) — plain data, no
I/O.

One `DigestStory` record per story holds everything known about it. Renderers (terminal,
Markdown, JSON) all draw from one `Digest`, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from counterpoint.analysis import figures, terms
from counterpoint.analysis.ahead import (
    ReadAhead,
    members_of,
    rules_share,
    story_specs,
    titles_share,
)
from counterpoint.analysis.blindspots import Blindspot, find_blindspots
from counterpoint.analysis.coverage import (
    STALE_GRACE,
    AffiliationCoverage,
    Coverage,
    CoverageTable,
    outlet_health,
)
from counterpoint.analysis.framing import FramingRow, framing_rows
from counterpoint.analysis.frontpage import front_page
from counterpoint.analysis.memory import StoryMemory
from counterpoint.analysis.mix import Mix, account_mix
from counterpoint.analysis.reading import ReadingPick, reading_list
from counterpoint.analysis.sides import affiliation_order, by_side, lead_item
from counterpoint.config.load import Config
from counterpoint.models import FeedResult, GazetteerEntry, Item, Outlet, Story, Topic, Window
from counterpoint.stories.gazetteer import configured_gazetteer
from counterpoint.stories.group import GroupingParams, group_items, story_title
from counterpoint.stories.topics import assign_topics, rule_choices
from counterpoint.stories.xling import item_language, link_across_languages

Remember = Callable[[Sequence[Story]], dict[str, StoryMemory]]
"""Story memory for a digest's stories (by story id); see `cli.story.remember`."""
Meanwhile = Callable[[Sequence["DigestStory"], Callable[[], bool]], object]
"""Work on the stories (their topics not yet known) while a second process finds the topics,
given a test of whether they are in (e.g. `render.jsonout.StoriesAhead`)."""


@dataclass(frozen=True)
class DigestStory:
    """One story of the digest with all that was found about it."""

    story: Story
    coverage: dict[str, Coverage]  # outlet -> state, in config order
    sides: tuple[AffiliationCoverage, ...]  # per configured class, in the digest's order
    framing: tuple[FramingRow, ...]
    figures: tuple[figures.ReportedFigure, ...]
    terms: tuple[terms.TermUse, ...]
    blindspot: Blindspot | None = None
    memory: StoryMemory | None = None  # key, status and changes (None: built without memory)

    @property
    def id(self) -> str:
        return self.story.id

    def outlets_in(self, state: Coverage) -> list[str]:
        return [name for name, seen in self.coverage.items() if seen == state]


@dataclass(frozen=True)
class Digest:
    generated_at: datetime
    window: Window
    config_path: str
    affiliations: dict[str, str]
    order: tuple[str, ...]
    feeds: tuple[FeedResult, ...]
    stories: tuple[DigestStory, ...]  # every story in the window (and topic), broadest first
    front_page: tuple[str, ...]  # ids of the stories on the front page, in page order
    topics: tuple[Topic, ...]
    blindspots: tuple[Blindspot, ...]
    mix: Mix
    reading_list: tuple[ReadingPick, ...]
    total_stories: int = 0  # stories in the window before a --topic filter
    outlets: tuple[Outlet, ...] = field(default_factory=tuple)
    only_changed: bool = False  # --new: only stories new or updated since the last run

    @property
    def failed(self) -> list[FeedResult]:
        return [f for f in self.feeds if not f.healthy]

    @property
    def page(self) -> list[DigestStory]:
        """The front page's stories, in page order."""
        by_id = {entry.id: entry for entry in self.stories}
        return [by_id[story_id] for story_id in self.front_page]

    def items_in_order(self, story: Story) -> list[Item]:
        """A story's items by affiliation in the digest's fixed order, then by time."""
        rank = {affiliation: n for n, affiliation in enumerate(self.order)}
        return sorted(story.items, key=lambda i: (rank.get(i.affiliation, len(rank)),
                                                  i.published, i.outlet))

    def story(self, story_id: str) -> DigestStory | None:
        return next((s for s in self.stories if s.id == story_id), None)

    def grouped(self) -> list[Item] | None:
        """Every item the window's stories were grouped from (the stories' own objects), or
        None when `--topic` or `--new` left stories out."""
        if len(self.stories) != self.total_stories:
            return None
        return [item for entry in self.stories for item in entry.story.items]


def grouping_params(config: Config) -> GroupingParams:
    """How this configuration groups items: its `[settings]`, `[lexicon]` and `[gazetteer]`."""
    settings = config.settings
    return GroupingParams.from_settings(settings.story_threshold, settings.story_window,
                                        [group.framings for group in config.lexicon],
                                        config.gazetteer)


def relabel(items: Sequence[Item], config: Config) -> list[Item]:
    """Items of configured outlets only, labelled with the outlet's current affiliation."""
    labels = {o.name: o.affiliation for o in config.outlets}
    return [item if item.affiliation == labels[item.outlet]
            else replace(item, affiliation=labels[item.outlet])
            for item in items if item.outlet in labels]


def item_languages(items: Sequence[Item], outlets: Sequence[Outlet]) -> list[str]:
    """Each item's language for the cross-language pass: its outlet's, else its script."""
    language = {o.name: o.language for o in outlets}
    return [item_language(i, language.get(i.outlet)) for i in items]


def build_stories(items: Sequence[Item], params: GroupingParams,
                  outlets: Sequence[Outlet] = (),
                  gazetteer: Sequence[GazetteerEntry] = (),
                  ahead: ReadAhead | None = None,
                  languages: Sequence[str] | None = None) -> list[Story]:
    """Group items into stories ordered by breadth (affiliations, then outlets), then recency.

    Stories in English and in Persian that report the same event are then joined (each item
    keeps its language: its outlet's, else its script). Ids are s1, s2, … in that order, so the
    same items always give the same ids. `ahead`: what is being read while items are grouped,
    taken once they are; `languages`: `item_languages(items, outlets)` if known already.
    """
    groups = group_items(items, params)
    # The child titles most stories while they are linked across languages here; this
    # process titles the rest (the groups after `share`) once they are linked.
    share = titles_share(groups)
    asked = ahead is not None and ahead.finish() and ahead.ask("titles", groups[:share])
    linked = link_across_languages(
        items, groups, item_languages(items, outlets) if languages is None else languages,
        configured_gazetteer(gazetteer))
    keys = [tuple(sorted(group)) for group in linked]
    members = [members_of(items, group) for group in linked]
    theirs = {tuple(sorted(group)) for group in groups[:share]} if asked else set()
    titled = {key: story_title(these) for key, these in zip(keys, members, strict=True)
              if key not in theirs}
    answer = ahead.answer() if asked and ahead is not None else None
    if answer is not None:
        titled.update((tuple(sorted(group)), title)
                      for group, title in zip(groups[:share], answer, strict=True))
    drafts = []
    for key, these in zip(keys, members, strict=True):
        title = titled.get(key)  # None: the child failed before answering
        drafts.append(Story(id="", title=story_title(these) if title is None else title,
                            items=these))
    drafts.sort(key=lambda s: (-len(s.affiliations), -len(s.outlets), -len(s.items),
                               -s.last_published.timestamp(), s.title))
    return [replace(story, id=f"s{n}") for n, story in enumerate(drafts, 1)]


def build_digest(config: Config, items: Sequence[Item], feeds: Sequence[FeedResult],
                 window: Window, now: datetime, *, topic: str | None = None,
                 limit: int | None = None, reading: int | None = None,
                 remember: Remember | None = None, only_changed: bool = False,
                 meanwhile: Meanwhile | None = None) -> Digest:
    """The digest of `items`; `limit` sizes the front page (None: `settings.front_page`;
    0: every story). Every story of the window is in the digest whatever the limit.

    `remember` gives each story its memory (key, status, changes; it may record the run);
    `only_changed` then keeps only the `new` and `updated` stories. `meanwhile` is given the
    stories while a second process works out their topics, if one does."""
    settings = config.settings
    params = grouping_params(config)
    items = relabel(items, config)
    # Each item's figures and cross-language evidence, read while grouping runs.
    languages = item_languages(items, config.outlets)
    ahead = ReadAhead(items, languages, configured_gazetteer(config.gazetteer))
    try:
        stories = build_stories(items, params, config.outlets, config.gazetteer, ahead,
                                languages)
        # The child works out the topics while this process does the rest (unless stories
        # are chosen by topic): nothing but the stories' `topic` and the list depend on them.
        # It matches the later stories against the rules while this process does the first.
        shared = rules_share(stories) if ahead.started and not topic else 0
        asked = not topic and ahead.ask("topics", story_specs(items, stories), config.topics,
                                        shared)
        chosen = rule_choices(stories[:shared], config.topics) if asked else []
        asked = asked and (not shared or ahead.tell(chosen))
        topics = [] if asked else assign_topics(stories, config.topics, chosen)
        total = len(stories)
        if topic:
            stories, topics = _of_topic(stories, topics, topic)
        memory = remember(stories) if remember is not None else {}
        changed = {sid for sid, m in memory.items() if m.changed}
        if only_changed:
            stories = [s for s in stories if s.id in changed]
        order = tuple(affiliation_order(config.affiliations))
        health = outlet_health(config.outlets, feeds)
        table = CoverageTable(config.outlets, health, stale_after=STALE_GRACE)
        coverage = {s.id: table.coverage(s) for s in stories}
        blindspots = find_blindspots(stories, coverage, config.outlets, order)
        spot_of = {spot.story_id: spot for spot in blindspots}
        size = settings.front_page if limit is None else limit
        page, mix, picks = _page(config, stories, feeds, spot_of, order,
                                 size if size > 0 else len(stories), reading)
        entries = [DigestStory(story=s, coverage=coverage[s.id],
                               sides=tuple(table.summary(s, order)),
                               framing=tuple(framing_rows(s, order)),
                               figures=tuple(figures.story_figures(s, order)),
                               terms=tuple(terms.story_terms(s, config.lexicon, order)),
                               blindspot=spot_of.get(s.id), memory=memory.get(s.id))
                   for s in stories]
        if asked:
            if meanwhile is not None:
                meanwhile(entries, ahead.answered)
            answer = ahead.answer()
            topics = (assign_topics(stories, config.topics, chosen) if answer is None
                      else list(answer))
    finally:
        ahead.cancel()
    if only_changed:
        topics = [t for t in (replace(t, story_ids=tuple(i for i in t.story_ids if i in changed))
                              for t in topics) if t.story_ids]
    topic_of = {sid: t.label for t in topics for sid in t.story_ids}
    return Digest(
        generated_at=now, window=window, config_path=config.display_path,
        affiliations=dict(config.affiliations), order=order, feeds=tuple(feeds),
        stories=tuple(replace(e, story=replace(e.story, topic=topic_of.get(e.id)))
                      for e in entries),
        front_page=tuple(s.id for s in page), topics=tuple(topics),
        blindspots=tuple(blindspots), mix=mix, reading_list=tuple(picks),
        total_stories=total, outlets=tuple(config.outlets), only_changed=only_changed)


def _of_topic(stories: list[Story], topics: list[Topic], wanted: str
              ) -> tuple[list[Story], list[Topic]]:
    """The stories of the topic `wanted` (a label or key, any case), and their topics."""
    wanted = wanted.casefold()
    keep = {sid for t in topics if wanted in (t.label.casefold(), (t.key or "").casefold())
            for sid in t.story_ids}
    return [s for s in stories if s.id in keep], [t for t in topics if set(t.story_ids) & keep]


def _page(config: Config, stories: Sequence[Story], feeds: Sequence[FeedResult],
          blindspots: Mapping[str, Blindspot], order: Sequence[str], size: int,
          reading: int | None) -> tuple[list[Story], Mix, list[ReadingPick]]:
    """The front page of `size` stories, the mix counted on it, and its reading list."""
    page = front_page(stories, size, blindspots, order, config.balance)
    mix = account_mix(config.outlets, config.affiliations, config.balance, feeds,
                      [item for s in stories for item in s.items],
                      page_items=[lead_item(side) for s in page for side in by_side(s).values()])
    picks = reading_list(page, config.balance, order,
                         config.settings.reading if reading is None else reading)
    return page, mix, picks


def with_front_page(digest: Digest, config: Config, size: int, *,
                    reading: int | None = None) -> Digest:
    """The same digest with a front page of `size` stories (its mix and reading list again):
    cheap, since stories, coverage, figures and terms are kept."""
    stories = [entry.story for entry in digest.stories]
    spots = {spot.story_id: spot for spot in digest.blindspots}
    page, mix, picks = _page(config, stories, digest.feeds, spots, digest.order, size, reading)
    return replace(digest, front_page=tuple(s.id for s in page), mix=mix,
                   reading_list=tuple(picks))
