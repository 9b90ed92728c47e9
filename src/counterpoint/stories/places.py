"""Places named in headlines: two items whose headlines each name a place, and no place in
common, report different events.

A night of strikes, a string of explosions, a wave of protests: outlets report each place as
an event of its own, in the same words and often quoting the same official ("a missile attack
near Andimeshk, the deputy governor of Khuzestan said" / "an attack on the Shalamcheh
crossing, the deputy governor of Khuzestan said"; "explosions heard in Ahvaz" / "… in Qeshm").
Shared words cannot tell those apart; the places can. A pair whose headlines both name a
place of the gazetteer, with none in common, keeps `group.PLACE_FACTOR` of its score.

A place is an entity of the gazetteer's `[places]` table (cities, towns, border crossings,
ports, islands, bases) or a feeds.toml `[gazetteer]` entry marked `place = true`; a name marked
`weak` (Tehran, named in most Iran news) is not. Provinces and countries do not count: a
story names a city and its province, or the country, side by side. Headlines only: a lead
often names the places of earlier events as background.

Names are matched as the cross-language pass matches them (`Gazetteer.anchors`: Persian letter
forms, ZWNJ and plural endings folded; the longest name wins, so "New York Times" is an outlet,
not New York). Measured with bench/grouping.py (bench/README.md, "Round 8").

numpy and scipy are imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from counterpoint.models import Item
from counterpoint.stories.gazetteer import Entity, Gazetteer, words
from counterpoint.stories.shared import Overlap, overlap

if TYPE_CHECKING:
    import numpy as np

__all__ = ["PLACE_KINDS", "different_places", "headline_places", "named_places", "place_names"]

PLACE_KINDS = frozenset({"places"})
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")


def _is_place(entity: Entity) -> bool:
    return entity.kind in PLACE_KINDS and not entity.weak


@lru_cache(maxsize=4)
def place_names(gazetteer: Gazetteer) -> tuple[Gazetteer, frozenset[str], frozenset[str]]:
    """A gazetteer of the places and of every other name that shares a word with one (so a
    longer name still wins: "New York Times" over "New York"), the ids of the places, and the
    words an ASCII headline must hold to name one (each English spelling's first word and its
    words run together, each also with the plural s the gazetteer takes off). Other names
    cannot overlap a place's words, so a headline's places are the same as with the whole
    gazetteer, for a fraction of its time."""
    places = [e for e in gazetteer.entities.values() if _is_place(e)]
    pieces = {folded for e in places for spelling in (*e.en, *e.fa)
              for _, folded in words(spelling)}
    kept = [e for e in gazetteer.entities.values() if _is_place(e) or any(
        folded in pieces for spelling in (*e.en, *e.fa) for _, folded in words(spelling))]
    starts: set[str] = set()
    for e in places:
        for spelling in e.en:
            parts = [folded for _, folded in words(spelling)]
            if parts:
                starts.update((parts[0], "".join(parts), parts[0] + "s", "".join(parts) + "s"))
    return Gazetteer(kept), frozenset(e.id for e in places), frozenset(starts)


def named_places(items: Sequence[Item], gazetteer: Gazetteer) -> list[tuple[str, ...]]:
    """The ids of the places each item's headline names, in order of first mention."""
    names, places, starts = place_names(gazetteer)
    seen: dict[str, tuple[str, ...]] = {}  # each distinct headline read once
    found = []
    for item in items:
        title = item.title
        ids = seen.get(title)
        if ids is None:
            # Most headlines are ASCII and name no place: a set test of their words settles
            # them.
            if title.isascii() and starts.isdisjoint(_ASCII_WORD.findall(title.lower())):
                ids = ()
            else:
                ids = tuple(a for a in names.anchors(title) if a in places)
            seen[title] = ids
        found.append(ids)
    return found


def headline_places(items: Sequence[Item], gazetteer: Gazetteer) -> Overlap | None:
    """Binary rows (one per item) of the places each headline names; None when fewer than two
    headlines name one (no pair can then differ)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    named = named_places(items, gazetteer)
    if sum(1 for ids in named if ids) < 2:
        return None
    column: dict[str, int] = {}
    indices = [column.setdefault(a, len(column)) for ids in named for a in ids]
    indptr = np.concatenate([[0], np.cumsum([len(ids) for ids in named])])
    rows = csr_matrix((np.ones(len(indices), dtype=np.int8), np.array(indices, dtype=np.int32),
                       indptr.astype(np.int64)), shape=(len(items), len(column)))
    return Overlap(rows, np.zeros(len(column), dtype=bool))


def different_places(places: Overlap | None, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Mask of the pairs r[k], c[k] whose headlines both name a place and share none."""
    import numpy as np

    mask = np.zeros(len(r), dtype=bool)
    if places is None or not len(r):
        return mask
    held = np.diff(places.rows.indptr)
    both = np.flatnonzero((held[r] > 0) & (held[c] > 0))
    if len(both):
        shared, _ = overlap(places, r[both], c[both])
        mask[both[shared == 0]] = True
    return mask
