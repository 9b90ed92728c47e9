"""The `[gazetteer]` table of feeds.toml: names added to the shipped bilingual gazetteer.

    [gazetteer]
    ali_al_zaidi = { en = ["Ali al-Zaidi", "al-Zaidi"], fa = ["علی الزیدی", "الزیدی"] }

Each key is an entity id (an id of the shipped gazetteer gets the extra spellings); `en` and
`fa` are lists of spellings (at least one of them non-empty), `weak = true` marks a name found
in most items, `src` or `notes` may say where the spellings come from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from counterpoint.errors import ConfigError
from counterpoint.models import GazetteerEntry

__all__ = ["parse_gazetteer"]

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_KNOWN = ("en", "fa", "weak", "src", "notes")

ErrorFactory = Callable[..., ConfigError]


def parse_gazetteer(table: Mapping[str, Any], error: ErrorFactory) -> tuple[GazetteerEntry, ...]:
    """Entries of the table; `error(key, message, table=, leaf=)` builds the ConfigError."""
    entries = []
    for key, entry in table.items():
        where = f"gazetteer.{key}"
        if not _KEY.match(key):
            raise error(where, "entity ids are lower-case letters, digits, _ and - "
                        "(at most 64)", table="gazetteer", leaf=key)
        if not isinstance(entry, Mapping):
            raise error(where, 'must be a table, e.g. { en = ["Name"], fa = ["نام"] }',
                        table="gazetteer", leaf=key)
        for leaf in entry:
            if leaf not in _KNOWN:
                raise error(f"{where}.{leaf}", f"unknown key (known: {', '.join(_KNOWN)})",
                            table="gazetteer", leaf=key)
        spellings: dict[str, tuple[str, ...]] = {}
        for leaf in ("en", "fa"):
            value = entry.get(leaf, [])
            if not isinstance(value, list) or not all(
                    isinstance(s, str) and s.strip() for s in value):
                raise error(f"{where}.{leaf}", "must be a list of non-empty strings",
                            table="gazetteer", leaf=key)
            spellings[leaf] = tuple(s.strip() for s in value)
        if not spellings["en"] and not spellings["fa"]:
            raise error(where, "needs at least one spelling in en or fa", table="gazetteer",
                        leaf=key)
        weak = entry.get("weak", False)
        if not isinstance(weak, bool):
            raise error(f"{where}.weak", "must be true or false", table="gazetteer", leaf=key)
        for leaf in ("src", "notes"):
            if leaf in entry and not isinstance(entry[leaf], str):
                raise error(f"{where}.{leaf}", "must be a string", table="gazetteer", leaf=key)
        entries.append(GazetteerEntry(key, spellings["en"], spellings["fa"], weak))
    return tuple(entries)
