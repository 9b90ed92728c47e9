"""The loaded configuration as records: `Config` (outlets, classes, balance…) and `Settings`.

config.load builds them from feeds.toml and checks every value on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from counterpoint.config import paths
from counterpoint.models import LexiconGroup, Outlet, TopicRule

DEFAULT_AFFILIATIONS: dict[str, str] = {
    "government": "Government & state media",
    "opposition": "Opposition",
    "wire": "Wire service",
    "ngo": "Human-rights NGO",
    "independent": "Independent press",
}

OUTLET_TEXT_FIELDS = ("country", "language", "owner", "funding", "source", "as_of", "notes")


@dataclass(frozen=True, slots=True)
class Settings:
    window: timedelta = timedelta(hours=24)
    timeout: float = 20.0
    concurrency: int = 32
    per_host: int = 4
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str | None = None
    story_threshold: float | None = None  # None: the grouping's measured default
    story_window: timedelta | None = None  # None: the grouping's measured default
    stale_after: timedelta = timedelta(days=7)
    reading: int = 10


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None  # None: the default shipped inside the package
    settings: Settings
    affiliations: dict[str, str]
    balance: dict[str, float]
    outlets: tuple[Outlet, ...]
    topics: tuple[TopicRule, ...] = ()
    lexicon: tuple[LexiconGroup, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def display_path(self) -> str:
        return str(self.path) if self.path else paths.BUILTIN_CONFIG_NAME

    def outlet(self, name: str) -> Outlet | None:
        return next((o for o in self.outlets if o.name == name), None)

    def feeds(self) -> list[tuple[Outlet, str]]:
        return [(outlet, url) for outlet in self.outlets for url in outlet.feeds]
