"""Plain frozen records that flow through the pipeline.

config -> fetch -> parse -> store -> group -> balance -> render. Every stage after parse trusts
these: text is already clean, times are aware UTC datetimes, links are http(s) or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Outlet:
    """One outlet of feeds.toml with its affiliation label and the label's citation."""

    name: str
    affiliation: str
    feeds: tuple[str, ...]
    country: str | None = None
    language: str | None = None
    owner: str | None = None
    funding: str | None = None
    source: str | None = None
    as_of: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One normalised feed entry.

    `key` identifies the entry within its outlet (guid, else link, else a hash of the title) so a
    re-fetch never adds it twice. `dated` is False when the feed gave no usable date and
    `published` is the time the item was first seen.
    """

    outlet: str
    affiliation: str
    feed_url: str
    key: str
    title: str
    summary: str
    link: str | None
    published: datetime
    dated: bool = True


class FeedStatus(StrEnum):
    """How a feed fared: the one status type of a download, of the stored state and of a
    result. Its values are those of the JSON `feeds[].status` field (CONTRACT.md)."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"
    OFFLINE = "offline"  # a result of a run that did not fetch: the stored state is shown


@dataclass(frozen=True, slots=True)
class FeedResult:
    """How one feed fared on the run (or, offline, on its last fetch).

    `healthy` says whether the feed answered properly when last asked; `last_ok` is when it last
    did, `newest_item` the newest item ever stored from it (both from the store).
    """

    outlet: str
    affiliation: str
    url: str
    status: FeedStatus
    error: str | None = None
    new_items: int = 0
    http_status: int | None = None
    checked_at: datetime | None = None
    last_ok: datetime | None = None
    newest_item: datetime | None = None
    healthy: bool = False
    permanent_redirect: str | None = None
    elapsed: float | None = None
    items_seen: int = 0

    @property
    def never_fetched(self) -> bool:
        """A run that did not fetch, about a feed the store knows nothing of."""
        return (self.status is FeedStatus.OFFLINE and self.checked_at is None
                and self.last_ok is None and self.newest_item is None)


@dataclass(frozen=True, slots=True)
class Story:
    """Items about one event, possibly from one outlet only. Items are ordered oldest first."""

    id: str
    title: str
    items: tuple[Item, ...]
    topic: str | None = None

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.outlet for item in self.items))

    @property
    def affiliations(self) -> dict[str, int]:
        """Items per affiliation, in order of first appearance."""
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.affiliation] = counts.get(item.affiliation, 0) + 1
        return counts

    @property
    def first_published(self) -> datetime:
        return min(item.published for item in self.items)

    @property
    def last_published(self) -> datetime:
        return max(item.published for item in self.items)


@dataclass(frozen=True, slots=True)
class Topic:
    """A set of stories under one human-readable label; `key` names a [topics] entry if any."""

    label: str
    story_ids: tuple[str, ...]
    key: str | None = None


@dataclass(frozen=True, slots=True)
class TopicRule:
    """A named topic from feeds.toml's [topics] table."""

    key: str
    label: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LexiconGroup:
    """Contrasting ways to name one thing ([lexicon] in feeds.toml).

    Each framing is a tuple of terms; its first term names it ("rioters" vs "protesters").
    """

    key: str
    label: str
    framings: tuple[tuple[str, ...], ...]
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """Extra names for the gazetteer ([gazetteer] in feeds.toml): an entity id with English and
    Persian spellings; `weak` for a name found in most items; `place` for a city, town, site
    (headlines naming different places report different events: `stories.places`)."""

    key: str
    en: tuple[str, ...]
    fa: tuple[str, ...]
    weak: bool = False
    place: bool = False


@dataclass(frozen=True, slots=True)
class Window:
    since: datetime
    until: datetime
