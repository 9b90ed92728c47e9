"""Load and validate feeds.toml into a `Config`.

Every error is a `ConfigError` naming the file, the line (where it can be found) and the key,
so a user can fix the file without guessing. Unknown keys are errors: a typo in a key must not
silently fall back to a default.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from counterpoint.config import paths
from counterpoint.config.gazetteer import parse_gazetteer
from counterpoint.errors import ConfigError
from counterpoint.models import GazetteerEntry, LexiconGroup, Outlet, TopicRule
from counterpoint.timeutil import parse_duration

if sys.version_info >= (3, 11):  # noqa: UP036 - tomli stays the fallback the brief names
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_AFFILIATIONS: dict[str, str] = {
    "government": "Government & state media",
    "opposition": "Opposition",
    "wire": "Wire service",
    "ngo": "Human-rights NGO",
    "independent": "Independent press",
}

OUTLET_TEXT_FIELDS = ("country", "language", "owner", "funding", "source", "as_of", "notes")
_CLASS_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_TOP_LEVEL = {"settings", "affiliations", "balance", "outlets", "topics", "lexicon", "gazetteer"}


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
    front_page: int = 10  # stories on the digest's front page; 0: all
    keep: timedelta = timedelta(days=90)  # story memory older than this is pruned


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
    gazetteer: tuple[GazetteerEntry, ...] = ()

    @property
    def display_path(self) -> str:
        return str(self.path) if self.path else paths.BUILTIN_CONFIG_NAME

    def outlet(self, name: str) -> Outlet | None:
        return next((o for o in self.outlets if o.name == name), None)

    def feeds(self) -> list[tuple[Outlet, str]]:
        return [(outlet, url) for outlet in self.outlets for url in outlet.feeds]


def load_config(explicit: str | None = None) -> Config:
    """Resolve (CONTRACT.md order) and load the config."""
    path = paths.resolve_config(explicit)
    if path is None:
        return parse_config(paths.builtin_config_text(), None)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "config file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read config: {exc.strerror or exc}") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path | None) -> Config:
    """Parse TOML text; `path` is used for messages and to resolve relative feed paths."""
    return _Parser(text, path).config()


class _Parser:
    def __init__(self, text: str, path: Path | None) -> None:
        self.text = text
        self.path = path
        self.name = str(path) if path else paths.BUILTIN_CONFIG_NAME
        self.lines = text.splitlines()

    # -- errors --------------------------------------------------------------------------
    def error(self, key: str, message: str, *, table: str | None = None,
              index: int | None = None, leaf: str | None = None) -> ConfigError:
        line = self.locate(table, index, leaf) if table else None
        return ConfigError(self.name, message, key=key, line=line)

    def locate(self, table: str | None, index: int | None, leaf: str | None) -> int | None:
        """Best-effort line number of `leaf` inside [table] (or the index-th [[table]])."""
        header = re.compile(
            r"^\s*\[\[\s*" + re.escape(table or "") + r"\s*\]\]" if index is not None
            else r"^\s*\[\s*" + re.escape(table or "") + r"\s*\]"
        )
        any_header = re.compile(r"^\s*\[")
        seen = -1
        start = None
        for number, line in enumerate(self.lines):
            if header.match(line):
                seen += 1
                if index is None or seen == index:
                    start = number
                    break
        if start is None:
            return None
        if leaf is None:
            return start + 1
        key_line = re.compile(r"^\s*[\"']?" + re.escape(leaf) + r"[\"']?\s*=")
        for number in range(start + 1, len(self.lines)):
            if any_header.match(self.lines[number]):
                break
            if key_line.match(self.lines[number]):
                return number + 1
        return start + 1

    # -- the document ----------------------------------------------------------------------
    def config(self) -> Config:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            line = int(match.group(1)) if match else None
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            raise ConfigError(self.name, f"invalid TOML: {message}", line=line) from None
        for key in data:
            if key not in _TOP_LEVEL:
                raise ConfigError(self.name, f"unknown table (expected one of: "
                                  f"{', '.join(sorted(_TOP_LEVEL))})", key=key,
                                  line=self.locate(key, None, None))
        settings = self.settings(data.get("settings", {}))
        affiliations = self.affiliations(data.get("affiliations"))
        balance = self.balance(data.get("balance", {}), affiliations)
        outlets = self.outlets(data.get("outlets"), affiliations)
        topics = self.topics(data.get("topics", {}))
        lexicon = self.lexicon(data.get("lexicon", {}))
        names = parse_gazetteer(self.table(data.get("gazetteer", {}), "gazetteer"), self.error)
        return Config(self.path, settings, affiliations, balance, outlets, topics, lexicon, data,
                      names)

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ConfigError(self.name, f"must be a table, not {_kind(value)}", key=key,
                              line=self.locate(key, None, None))
        return value

    def settings(self, value: Any) -> Settings:
        table = self.table(value, "settings")
        defaults = Settings()
        out: dict[str, Any] = {}
        numbers: dict[str, tuple[type, float, float]] = {
            "timeout": (float, 0.1, 3600), "concurrency": (int, 1, 1024),
            "per_host": (int, 1, 256), "max_bytes": (int, 1024, 1 << 31),
            "reading": (int, 0, 1000), "front_page": (int, 0, 10000),
            "story_threshold": (float, 0.0, 1.0),
        }
        durations = {"window", "story_window", "stale_after", "keep"}
        for key, raw in table.items():
            def bad(message: str, _key: str = key) -> ConfigError:
                return self.error(f"settings.{_key}", message, table="settings", leaf=_key)

            if key in numbers:
                kind, low, high = numbers[key]
                wanted = "an integer" if kind is int else "a number"
                if isinstance(raw, bool) or not isinstance(raw, int if kind is int
                                                           else int | float):
                    raise bad(f"must be {wanted}, not {_kind(raw)}")
                if not low <= raw <= high:
                    raise bad(f"must be between {low:g} and {high:g}")
                out[key] = kind(raw)
            elif key in durations:
                if not isinstance(raw, str):
                    raise bad(f'must be a duration string like "24h", not {_kind(raw)}')
                try:
                    span = parse_duration(raw)
                except ValueError as exc:
                    raise bad(str(exc)) from None
                if span <= timedelta(0):
                    raise bad("must be longer than zero")
                out[key] = span
            elif key == "user_agent":
                if not isinstance(raw, str) or not raw.strip():
                    raise bad("must be a non-empty string")
                out[key] = raw.strip()
            else:
                known = sorted([*numbers, *durations, "user_agent"])
                raise bad(f"unknown setting (known: {', '.join(known)})")
        return Settings(**{**_asdict(defaults), **out})

    def affiliations(self, value: Any) -> dict[str, str]:
        if value is None:
            return dict(DEFAULT_AFFILIATIONS)
        table = self.table(value, "affiliations")
        if not table:
            raise self.error("affiliations", "must name at least one class",
                             table="affiliations")
        out: dict[str, str] = {}
        for key, label in table.items():
            if not _CLASS_KEY.match(key):
                raise self.error(f"affiliations.{key}", "class names are lower-case letters, "
                                 "digits, '-' or '_' (up to 32)", table="affiliations", leaf=key)
            if not isinstance(label, str) or not label.strip():
                raise self.error(f"affiliations.{key}", "label must be a non-empty string",
                                 table="affiliations", leaf=key)
            out[key] = label.strip()
        return out

    def balance(self, value: Any, affiliations: dict[str, str]) -> dict[str, float]:
        table = self.table(value, "balance")
        weights = {key: 1.0 for key in affiliations}
        for key, raw in table.items():
            if key not in affiliations:
                raise self.error(f"balance.{key}", f"unknown affiliation {key!r} (known: "
                                 f"{', '.join(affiliations)})", table="balance", leaf=key)
            if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
                raise self.error(f"balance.{key}", "weight must be a number >= 0",
                                 table="balance", leaf=key)
            weights[key] = float(raw)
        if table and not any(weights.values()):
            raise self.error("balance", "at least one weight must be above 0", table="balance")
        return weights

    def outlets(self, value: Any, affiliations: dict[str, str]) -> tuple[Outlet, ...]:
        if value is None:
            raise ConfigError(self.name, "no outlets: add at least one [[outlets]] table",
                              key="outlets")
        if not isinstance(value, list):
            raise ConfigError(self.name, "must be an array of tables ([[outlets]])",
                              key="outlets", line=self.locate("outlets", None, None))
        outlets: list[Outlet] = []
        names: set[str] = set()
        urls: dict[str, str] = {}
        for index, entry in enumerate(value):
            where = [f"outlets[{index}]"]  # gains the outlet's name once it is known

            def fail(leaf: str | None, message: str, *, _where: list[str] = where,
                     _index: int = index) -> ConfigError:
                key = f"{_where[0]}.{leaf}" if leaf else _where[0]
                return self.error(key, message, table="outlets", index=_index, leaf=leaf)

            if not isinstance(entry, dict):
                raise fail(None, "must be a table")
            known = {"name", "affiliation", "feeds", *OUTLET_TEXT_FIELDS}
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                raise fail("name", "missing or empty: every outlet needs a unique name")
            name = " ".join(name.split())
            where[0] = f"outlets[{index}] ({name})"
            for leaf in entry:
                if leaf not in known:
                    raise fail(leaf, f"unknown key (known: {', '.join(sorted(known))})")
            if name in names:
                raise fail("name", f"duplicate outlet name {name!r}")
            names.add(name)
            affiliation = entry.get("affiliation")
            if affiliation is None:
                raise fail("affiliation", f"missing: one of {', '.join(affiliations)}")
            if not isinstance(affiliation, str):
                raise fail("affiliation", f"must be a string, not {_kind(affiliation)}")
            if affiliation not in affiliations:
                raise fail("affiliation", f"unknown affiliation {affiliation!r} (known: "
                           f"{', '.join(affiliations)})")
            feeds = entry.get("feeds")
            if feeds is None:
                raise fail("feeds", "missing: a list of feed URLs, e.g. "
                           'feeds = ["https://example.org/rss.xml"]')
            if isinstance(feeds, str):
                raise fail("feeds", "must be a list of strings: feeds = [\"...\"]")
            if not isinstance(feeds, list) or not feeds:
                raise fail("feeds", "must be a non-empty list of feed URLs")
            resolved: list[str] = []
            for url in feeds:
                if not isinstance(url, str) or not url.strip():
                    raise fail("feeds", f"each feed must be a non-empty string, not {_kind(url)}")
                checked = self.feed_url(url.strip())
                if checked is None:
                    raise fail("feeds", f"unsupported URL {url!r}: use http://, https://, "
                               "file:// or a local path")
                if checked in urls:
                    raise fail("feeds", f"feed {url!r} is already listed for {urls[checked]!r}")
                urls[checked] = name
                resolved.append(checked)
            text: dict[str, str | None] = {}
            for leaf in OUTLET_TEXT_FIELDS:
                raw = entry.get(leaf)
                if raw is not None and not isinstance(raw, str):
                    raise fail(leaf, f"must be a string, not {_kind(raw)}")
                text[leaf] = raw.strip() if isinstance(raw, str) and raw.strip() else None
            outlets.append(Outlet(name=name, affiliation=affiliation, feeds=tuple(resolved),
                                  **text))
        if not outlets:
            raise ConfigError(self.name, "no outlets: add at least one [[outlets]] table",
                              key="outlets")
        return tuple(outlets)

    def feed_url(self, url: str) -> str | None:
        return resolve_feed_url(url, self.path)

    def topics(self, value: Any) -> tuple[TopicRule, ...]:
        table = self.table(value, "topics")
        rules = []
        for key, entry in table.items():
            where = f"topics.{key}"
            if not isinstance(entry, dict):
                raise self.error(where, "must be a table with label and keywords",
                                 table="topics", leaf=key)
            for leaf in entry:
                if leaf not in ("label", "keywords"):
                    raise self.error(f"{where}.{leaf}", "unknown key (known: label, keywords)",
                                     table=where, leaf=leaf)
            label = entry.get("label", key.replace("_", " ").capitalize())
            keywords = entry.get("keywords")
            if not isinstance(label, str) or not label.strip():
                raise self.error(f"{where}.label", "must be a non-empty string", table=where,
                                 leaf="label")
            if (not isinstance(keywords, list) or not keywords
                    or not all(isinstance(k, str) and k.strip() for k in keywords)):
                raise self.error(f"{where}.keywords", "must be a non-empty list of strings",
                                 table=where, leaf="keywords")
            rules.append(TopicRule(key, label.strip(), tuple(k.strip() for k in keywords)))
        return tuple(rules)

    def lexicon(self, value: Any) -> tuple[LexiconGroup, ...]:
        table = self.table(value, "lexicon")
        groups = []
        for key, entry in table.items():
            where = f"lexicon.{key}"
            if not isinstance(entry, dict):
                raise self.error(where, "must be a table with label and terms",
                                 table="lexicon", leaf=key)
            for leaf in entry:
                if leaf not in ("label", "terms", "notes"):
                    raise self.error(f"{where}.{leaf}", "unknown key (known: label, terms, "
                                     "notes)", table=where, leaf=leaf)
            label = entry.get("label", key.replace("_", " "))
            notes = entry.get("notes")
            terms = entry.get("terms")
            if not isinstance(label, str) or not label.strip():
                raise self.error(f"{where}.label", "must be a non-empty string", table=where,
                                 leaf="label")
            if notes is not None and not isinstance(notes, str):
                raise self.error(f"{where}.notes", "must be a string", table=where,
                                 leaf="notes")
            framings: list[tuple[str, ...]] = []
            if isinstance(terms, list):
                for framing in terms:
                    if isinstance(framing, str) and framing.strip():
                        framings.append((framing.strip(),))
                    elif (isinstance(framing, list) and framing
                          and all(isinstance(t, str) and t.strip() for t in framing)):
                        framings.append(tuple(t.strip() for t in framing))
                    else:
                        framings = []
                        break
            if len(framings) < 2:
                raise self.error(f"{where}.terms", "must list at least two contrasting framings, "
                                 'e.g. terms = [["rioters", "riots"], ["protesters", "protests"]]',
                                 table=where, leaf="terms")
            groups.append(LexiconGroup(key, label.strip(), tuple(framings),
                                       notes.strip() if notes else None))
        return tuple(groups)


def resolve_feed_url(url: str, config_path: Path | None) -> str | None:
    """http(s) and file URLs as given; local paths made absolute against the config's folder.

    None for anything else (another scheme, or an http URL without a host).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return url if parts.netloc else None
    if scheme == "file":
        return url
    if scheme and len(scheme) > 1:  # a real scheme (not a Windows drive letter)
        return None
    local = Path(url).expanduser()
    if not local.is_absolute():
        base = config_path.parent if config_path else Path.cwd()
        local = (base / local).resolve()
    return str(local)


def _asdict(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in settings.__slots__}


def _kind(value: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
             list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)
