"""The optional rule tables of feeds.toml: [topics.*] (named topics by keyword) and [lexicon.*]
(contrasting framings whose use the digest reports). Each value is checked with the file, line
and key named, through the `error` of config.load."""

from __future__ import annotations

from typing import Any, Protocol

from counterpoint.errors import ConfigError
from counterpoint.models import LexiconGroup, TopicRule


class ErrorAt(Protocol):
    def __call__(self, key: str, message: str, *, table: str | None = None,
                 index: int | None = None, leaf: str | None = None) -> ConfigError: ...


def parse_topics(table: dict[str, Any], error: ErrorAt) -> tuple[TopicRule, ...]:
    """[topics.KEY]: a label and the keywords that put a story under it."""
    rules = []
    for key, entry in table.items():
        where = f"topics.{key}"
        if not isinstance(entry, dict):
            raise error(where, "must be a table with label and keywords",
                        table="topics", leaf=key)
        for leaf in entry:
            if leaf not in ("label", "keywords"):
                raise error(f"{where}.{leaf}", "unknown key (known: label, keywords)",
                            table=where, leaf=leaf)
        label = entry.get("label", key.replace("_", " ").capitalize())
        keywords = entry.get("keywords")
        if not isinstance(label, str) or not label.strip():
            raise error(f"{where}.label", "must be a non-empty string", table=where,
                        leaf="label")
        if (not isinstance(keywords, list) or not keywords
                or not all(isinstance(k, str) and k.strip() for k in keywords)):
            raise error(f"{where}.keywords", "must be a non-empty list of strings",
                        table=where, leaf="keywords")
        rules.append(TopicRule(key, label.strip(), tuple(k.strip() for k in keywords)))
    return tuple(rules)


def parse_lexicon(table: dict[str, Any], error: ErrorAt) -> tuple[LexiconGroup, ...]:
    """[lexicon.KEY]: contrasting framings of one thing (e.g. "rioters" / "protesters")."""
    groups = []
    for key, entry in table.items():
        where = f"lexicon.{key}"
        if not isinstance(entry, dict):
            raise error(where, "must be a table with label and terms",
                        table="lexicon", leaf=key)
        for leaf in entry:
            if leaf not in ("label", "terms", "notes"):
                raise error(f"{where}.{leaf}", "unknown key (known: label, terms, "
                            "notes)", table=where, leaf=leaf)
        label = entry.get("label", key.replace("_", " "))
        notes = entry.get("notes")
        terms = entry.get("terms")
        if not isinstance(label, str) or not label.strip():
            raise error(f"{where}.label", "must be a non-empty string", table=where,
                        leaf="label")
        if notes is not None and not isinstance(notes, str):
            raise error(f"{where}.notes", "must be a string", table=where,
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
            raise error(f"{where}.terms", "must list at least two contrasting framings, "
                        'e.g. terms = [["rioters", "riots"], ["protesters", "protests"]]',
                        table=where, leaf="terms")
        groups.append(LexiconGroup(key, label.strip(), tuple(framings),
                                   notes.strip() if notes else None))
    return tuple(groups)
