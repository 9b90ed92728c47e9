"""The `[gazetteer]` table of feeds.toml: names added to the shipped bilingual gazetteer.

    [gazetteer]
    ali_al_zaidi = { en = ["Ali al-Zaidi", "al-Zaidi"], fa = ["علی الزیدی", "الزیدی"] }

Each key is an entity id (an id of the shipped gazetteer gets the extra spellings); `en` and
`fa` are lists of spellings (at least one of them non-empty), `weak = true` marks a name found
in most items, `place = true` a city, town or site (headlines naming different places are told
apart: `stories.places`), `src` or `notes` may say where the spellings come from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from counterpoint.errors import ConfigError
from counterpoint.models import GazetteerEntry

__all__ = ["parse_gazetteer"]

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_KNOWN = ("en", "fa", "weak", "place", "src", "notes")

ErrorFactory = Callable[..., ConfigError]


def parse_gazetteer(table: Mapping[str, Any], error: ErrorFactory) -> tuple[GazetteerEntry, ...]:
    """Entries of the table; `error(key, message, table=, leaf=)` builds the ConfigError."""
    entries = []

    def fail(where: str, message: str, key: str) -> ConfigError:
        found = error(where, message, table="gazetteer", leaf=key)
        if found.line is None:  # written as its own table: [gazetteer.KEY]
            found = error(where, message, table=f"gazetteer.{key}")
        return found

    for key, entry in table.items():
        where = f"gazetteer.{key}"
        if not _KEY.match(key):
            raise fail(where, "entity ids are lower-case letters, digits, _ and - (at most 64)",
                       key)
        if not isinstance(entry, Mapping):
            raise fail(where, 'must be a table, e.g. { en = ["Name"], fa = ["نام"] }', key)
        for leaf in entry:
            if leaf not in _KNOWN:
                raise fail(f"{where}.{leaf}", f"unknown key (known: {', '.join(_KNOWN)})", key)
        spellings: dict[str, tuple[str, ...]] = {}
        for leaf in ("en", "fa"):
            value = entry.get(leaf, [])
            if not isinstance(value, list) or not all(
                    isinstance(s, str) and s.strip() for s in value):
                raise fail(f"{where}.{leaf}", "must be a list of non-empty strings", key)
            spellings[leaf] = tuple(s.strip() for s in value)
        if not spellings["en"] and not spellings["fa"]:
            raise fail(where, "needs at least one spelling in en or fa", key)
        flags = {leaf: entry.get(leaf, False) for leaf in ("weak", "place")}
        for leaf, value in flags.items():
            if not isinstance(value, bool):
                raise fail(f"{where}.{leaf}", "must be true or false", key)
        for leaf in ("src", "notes"):
            if leaf in entry and not isinstance(entry[leaf], str):
                raise fail(f"{where}.{leaf}", "must be a string", key)
        entries.append(GazetteerEntry(key, spellings["en"], spellings["fa"], flags["weak"],
                                      flags["place"]))
    return tuple(entries)
