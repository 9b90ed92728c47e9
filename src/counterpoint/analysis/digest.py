"""Assemble a digest: the window's items grouped into stories and topics, with the balance
analysis (coverage, blindspots, mix, reading list, figures, terms) — plain data, no I/O.

Renderers (terminal, Markdown, JSON) all draw from one `Digest`, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from counterpoint.analysis import balance, figures, terms
from counterpoint.config.load import Config
from counterpoint.models import FeedResult, GazetteerEntry, Item, Outlet, Story, Topic, Window
from counterpoint.stories.gazetteer import configured_gazetteer
from counterpoint.stories.group import GroupingParams, group_items, story_title
from counterpoint.stories.topics import assign_topics
from counterpoint.stories.xling import item_language, link_across_languages


@dataclass(frozen=True)
class Digest:
    generated_at: datetime
    window: Window
    config_path: str
    affiliations: dict[str, str]
    order: tuple[str, ...]
    feeds: tuple[FeedResult, ...]
    stories: tuple[Story, ...]
    topics: tuple[Topic, ...]
    coverage: dict[str, dict[str, str]]  # story id -> outlet -> covered / silent / unreachable
    coverage_summary: dict[str, list[balance.AffiliationCoverage]]
    blindspots: tuple[balance.Blindspot, ...]
    mix: balance.Mix
    reading_list: tuple[balance.ReadingPick, ...]
    figures: dict[str, list[figures.ReportedFigure]]
    terms: dict[str, list[terms.TermUse]]
    framing: dict[str, list[balance.FramingRow]]
    total_stories: int = 0
    outlets: tuple[Outlet, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> list[FeedResult]:
        return [f for f in self.feeds if not f.healthy]

    def items_in_order(self, story: Story) -> list[Item]:
        """A story's items by affiliation in the digest's fixed order, then by time."""
        rank = {affiliation: n for n, affiliation in enumerate(self.order)}
        return sorted(story.items, key=lambda i: (rank.get(i.affiliation, len(rank)),
                                                  i.published, i.outlet))

    def story(self, story_id: str) -> Story | None:
        return next((s for s in self.stories if s.id == story_id), None)


def relabel(items: Sequence[Item], config: Config) -> list[Item]:
    """Items of configured outlets only, labelled with the outlet's current affiliation."""
    labels = {o.name: o.affiliation for o in config.outlets}
    return [item if item.affiliation == labels[item.outlet]
            else replace(item, affiliation=labels[item.outlet])
            for item in items if item.outlet in labels]


def build_stories(items: Sequence[Item], params: GroupingParams,
                  outlets: Sequence[Outlet] = (),
                  gazetteer: Sequence[GazetteerEntry] = ()) -> list[Story]:
    """Group items into stories ordered by breadth (affiliations, then outlets), then recency.

    Stories in English and in Persian that report the same event are then joined (each item
    keeps its language: its outlet's, else its script). Ids are s1, s2, … in that order, so the
    same items always give the same ids.
    """
    groups = group_items(items, params)
    language = {o.name: o.language for o in outlets}
    groups = link_across_languages(
        items, groups, [item_language(i, language.get(i.outlet)) for i in items],
        configured_gazetteer(gazetteer))
    drafts = []
    for group in groups:
        members = tuple(sorted((items[i] for i in group),
                               key=lambda it: (it.published, it.outlet, it.key)))
        drafts.append(Story(id="", title=story_title(members), items=members))
    drafts.sort(key=lambda s: (-len(s.affiliations), -len(s.outlets), -len(s.items),
                               -s.last_published.timestamp(), s.title))
    return [replace(story, id=f"s{n}") for n, story in enumerate(drafts, 1)]


def build_digest(config: Config, items: Sequence[Item], feeds: Sequence[FeedResult],
                 window: Window, now: datetime, *, topic: str | None = None,
                 limit: int | None = None, reading: int | None = None) -> Digest:
    settings = config.settings
    params = GroupingParams.from_settings(settings.story_threshold, settings.story_window)
    items = relabel(items, config)
    stories = build_stories(items, params, config.outlets, config.gazetteer)
    topics = assign_topics(stories, config.topics)
    topic_of = {sid: t.label for t in topics for sid in t.story_ids}
    stories = [replace(s, topic=topic_of.get(s.id)) for s in stories]
    total = len(stories)
    if topic:
        wanted = topic.casefold()
        keep = {sid for t in topics
                if wanted in (t.label.casefold(), (t.key or "").casefold())
                for sid in t.story_ids}
        stories = [s for s in stories if s.id in keep]
        topics = [t for t in topics if set(t.story_ids) & keep]
    if limit is not None:
        stories = stories[:limit]
        shown_ids = {s.id for s in stories}
        topics = [replace(t, story_ids=tuple(i for i in t.story_ids if i in shown_ids))
                  for t in topics]
        topics = [t for t in topics if t.story_ids]

    order = tuple(balance.affiliation_order(config.affiliations))
    health = balance.outlet_health(config.outlets, feeds)
    coverage = {s.id: balance.story_coverage(s, config.outlets, health,
                                             stale_after=balance.STALE_GRACE)
                for s in stories}
    summary = {s.id: balance.affiliation_summary(coverage[s.id], config.outlets, order)
               for s in stories}
    blindspots = balance.find_blindspots(stories, coverage, config.outlets, order)
    shown_items = [item for s in stories for item in s.items]
    mix = balance.account_mix(config.outlets, config.affiliations, config.balance, feeds,
                              shown_items)
    picks = balance.reading_list(stories, config.balance, order,
                                 settings.reading if reading is None else reading)
    return Digest(
        generated_at=now, window=window, config_path=config.display_path,
        affiliations=dict(config.affiliations), order=order, feeds=tuple(feeds),
        stories=tuple(stories), topics=tuple(topics), coverage=coverage,
        coverage_summary=summary, blindspots=tuple(blindspots), mix=mix,
        reading_list=tuple(picks),
        figures={s.id: figures.story_figures(s, order) for s in stories},
        terms={s.id: terms.story_terms(s, config.lexicon, order) for s in stories},
        framing={s.id: balance.framing_rows(s, order) for s in stories},
        total_stories=total, outlets=tuple(config.outlets))
