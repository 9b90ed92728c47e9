"""The bilingual gazetteer: names that carry Iran news, spelled in English and in Persian.

`gazetteer.toml` (shipped beside this module) lists each entity once with its English and
Persian spellings and a source; feeds.toml may add entities or spellings (`[gazetteer]`).
`Gazetteer.anchors(text)` names the entities a text mentions, in either script: the shared
anchors between an English and a Persian item (see `stories.xling`).

Matching works on words folded by `stories.normalize.fold` (letter forms, ZWNJ, diacritics,
digits), joined without spaces so that «حزب‌الله», «حزب الله» and «حزبالله» are one name, with
the longest name at each position winning ("Iran International" is the outlet, not Iran). The
last word of a name may carry a plural or adjective suffix (Persian ها، های، ی، یان، ان; English
s). English spellings in capitals of up to 5 letters ("US", "UN", "IRGC") match only in capitals.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources

from counterpoint.models import GazetteerEntry
from counterpoint.stories.normalize import fold, has_arabic_script

__all__ = ["Entity", "Gazetteer", "configured_gazetteer", "raw_words", "shipped_gazetteer",
           "words"]

# Word characters plus the joiners and Arabic diacritics `fold` removes, so a word written with
# them stays one word.
_WORD = re.compile(r"[\w\u200c\u200d\u0640\u064b-\u0655\u0670]+")
_PIECES = re.compile(r"[\s\u200c]+")
_FA_SUFFIXES = ("یهای", "یها", "های", "ها", "یان", "ان", "ی")
_EN_SUFFIXES = ("s",)
_MIN_STEM = 2
_MAX_WORDS = 6
_CAPS_MAX = 5
_SINGLE_MAX = 1 << 18


@dataclass(frozen=True, slots=True)
class Entity:
    """One named thing: its id, kind (the table it is listed in), spellings and source."""

    id: str
    kind: str
    en: tuple[str, ...]
    fa: tuple[str, ...]
    weak: bool = False
    source: str = ""

    @property
    def display(self) -> str:
        """How to show the entity: its first English spelling, else its first Persian one."""
        return (self.en or self.fa or (self.id,))[0]


def words(text: str) -> list[tuple[str, str]]:
    """(word as written, folded word) for each word of `text`, in order."""
    if text.isascii():  # NFKC leaves ASCII as it is and folding an ASCII word lowers it
        return list(zip(_WORD.findall(text), _WORD.findall(text.lower()), strict=True))
    fold_word = _fold_word
    return [(raw, folded) for raw in _WORD.findall(unicodedata.normalize("NFKC", text))
            if (folded := fold_word(raw))]


_fold_word = lru_cache(maxsize=65536)(fold)


def raw_words(text: str) -> list[str]:
    """The words of `words(text)` as written, before folding (a text that is not ASCII in
    NFKC), with the words whose folding is empty, which `words` drops, still among them."""
    if text.isascii():  # `_WORD` finds the runs of ASCII word characters there, faster so
        return _ASCII_WORD.findall(text)
    return _WORD.findall(unicodedata.normalize("NFKC", text))


_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")


def _caps_only(spelling: str) -> bool:
    letters = "".join(ch for ch in spelling if ch.isalpha())
    return letters.isupper() and len(letters) <= _CAPS_MAX and not has_arabic_script(spelling)


class Gazetteer:
    """Entities indexed by their folded, space-free spellings."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: dict[str, Entity] = {}
        self._index: dict[str, tuple[str, bool]] = {}
        self._starts: set[str] = set()  # first words of names of two words or more
        self._longest = 1
        self._single: dict[str, tuple[tuple[str, bool], ...]] = {}  # see `scan`
        self._spans: dict[tuple[str, ...], tuple[int, str] | None] = {}  # see `match`
        for entity in entities:
            self.entities[entity.id] = entity
            for spelling in (*entity.en, *entity.fa):
                parts = [folded for _, folded in words(spelling)]
                if not parts:
                    continue
                self._longest = max(self._longest, min(len(parts), _MAX_WORDS))
                self._index["".join(parts)] = (entity.id, _caps_only(spelling))
                # A name may be typed in several words where the gazetteer writes one (a space
                # for the ZWNJ of «اسلام‌آباد»): its first piece starts a longer match.
                pieces = [folded for piece in _PIECES.split(spelling)
                          for _, folded in words(piece)]
                if len(parts) > 1:
                    self._starts.add(parts[0])
                if len(pieces) > 1:
                    self._starts.add(pieces[0])
                    self._longest = max(self._longest, min(len(pieces), _MAX_WORDS))
        # Every beginning of every name ("t", "th", "the", "theh", …): see `match`.
        self._prefixes = {key[:end] for key in self._index for end in range(1, len(key) + 1)}

    def __len__(self) -> int:
        return len(self.entities)

    def extended(self, extra: Iterable[Entity]) -> Gazetteer:
        """A copy with `extra` entities added; an id already known gets the extra spellings
        (and becomes a place when the extra entity is one)."""
        merged = dict(self.entities)
        for entity in extra:
            old = merged.get(entity.id)
            if old is not None:
                kind = entity.kind if entity.kind == "places" else old.kind
                entity = Entity(old.id, kind, _union(old.en, entity.en),
                                _union(old.fa, entity.fa), entity.weak or old.weak,
                                old.source)
            merged[entity.id] = entity
        return Gazetteer(merged.values())

    def anchors(self, text: str) -> list[str]:
        """Ids of the entities `text` names, in order of first mention, each once."""
        return self.scan(text)[0]

    def unknown_words(self, text: str) -> list[tuple[str, str]]:
        """The words of `text` (as written, folded) that are not part of a known name."""
        return self.scan(text)[1]

    def scan(self, text: str) -> tuple[list[str], list[tuple[str, str]]]:
        """`anchors(text)` and `unknown_words(text)` in one pass."""
        tokens = words(text)
        found: dict[str, None] = {}
        unknown = []
        starts, single = self._starts, self._single
        i = 0
        while i < len(tokens):
            raw, folded = tokens[i]
            if folded in starts:
                step = self.match(tokens, i)
            else:  # most words: a one-word name or nothing, looked up once per word
                # (`one_word` written out: a call per word made `scan` ~30 % slower)
                hits = single.get(folded)
                if hits is None:
                    hits = single[folded] = self._one_word(folded)
                step = next(((1, entity_id) for entity_id, caps in hits
                             if not caps or raw.isupper()), None) if hits else None
            if step:
                found[step[1]] = None
                i += step[0]
            else:
                unknown.append(tokens[i])
                i += 1
        return list(found), unknown

    def _one_word(self, folded: str) -> tuple[tuple[str, bool], ...]:
        """The names a word not starting a longer name may be (entity id, capitals only), in
        the order `match` tries them: the word, then its stems."""
        if len(self._single) >= _SINGLE_MAX:  # a long-running process meets many words
            self._single.clear()
        return tuple(hit for candidate in _stems(folded)
                     if (hit := self._index.get(candidate)) is not None)

    @property
    def longest(self) -> int:
        """Words in the longest name: `match` reads no further than that from its start."""
        return self._longest

    def starts_name(self, folded: str) -> bool:
        """True when the folded word may begin a name of several words (`match` decides)."""
        return folded in self._starts

    def extends(self, joined: str) -> bool:
        """True when some name (folded words joined without spaces) is longer than `joined`
        and begins with it."""
        return joined in self._proper

    @cached_property
    def _proper(self) -> set[str]:
        """Every beginning of every name that is not the whole name (on first use: only the
        evidence reader asks)."""
        return {key[:end] for key in self._index for end in range(1, len(key))}

    def continues(self, first: str, second: str) -> bool:
        """False when no name begins with the folded word `first` followed by the folded word
        `second` (or by its stem): then `match` at `first` reads `first` alone."""
        return first + min(_stems(second), key=len) in self._prefixes

    def one_word(self, raw: str, folded: str) -> str | None:
        """The entity a word that does not begin a longer name names on its own (as `scan`
        reads it), if any."""
        hits = self._single.get(folded)
        if hits is None:
            hits = self._single[folded] = self._one_word(folded)
        return next((entity_id for entity_id, caps in hits if not caps or raw.isupper()), None)

    def match(self, tokens: Sequence[tuple[str, str]], start: int) -> tuple[int, str] | None:
        """(number of words, entity id) of the longest name starting at `start`, if any."""
        raw, folded = tokens[start]
        if folded not in self._starts:  # most words: a one-word name or nothing
            for candidate in _stems(folded):
                hit = self._index.get(candidate)
                if hit is not None and (not hit[1] or raw.isupper()):
                    return 1, hit[0]
            return None
        # A name of `size` words is the first size - 1 words joined, then the last (or its
        # stem): those first words joined must begin some name. Sizes past the longest run of
        # words that does are never tried (the same result, far fewer joins after "the").
        longest = min(self._longest, len(tokens) - start)
        head, most = "", 1
        while most < longest:
            head += tokens[start + most - 1][1]
            if head not in self._prefixes:
                break
            most += 1
        # The answer depends on those `most` words as written only: decided once per run of
        # words ("the president", "the Islamic Republic" recur in thousands of texts).
        key = tuple(raw for raw, _ in tokens[start:start + most])
        if key in self._spans:
            return self._spans[key]
        if len(self._spans) >= _SINGLE_MAX:
            self._spans.clear()
        found = self._spans[key] = self._longest_name(tokens, start, most)
        return found

    def _longest_name(self, tokens: Sequence[tuple[str, str]], start: int, most: int
                      ) -> tuple[int, str] | None:
        """`match`'s answer, trying names of `most` words down to one."""
        for size in range(most, 0, -1):
            span = tokens[start:start + size]
            head = "".join(folded for _, folded in span[:-1])
            for candidate in _stems(span[-1][1]):
                hit = self._index.get(head + candidate)
                if hit is None:
                    continue
                entity_id, caps = hit
                if caps and not "".join(raw for raw, _ in span).isupper():
                    continue
                return size, entity_id
        return None


@lru_cache(maxsize=65536)
def _stems(word: str) -> tuple[str, ...]:
    """The word and the word without one plural or adjective suffix."""
    stems = [word]
    suffixes = _EN_SUFFIXES if word.isascii() or not has_arabic_script(word) else _FA_SUFFIXES
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            stems.append(word[: -len(suffix)])
    return tuple(stems)


def _union(first: Sequence[str], second: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*first, *second]))


def parse_entities(data: Mapping[str, object]) -> list[Entity]:
    """Entities of a gazetteer document: {kind: {id: {en, fa, weak, src}}}."""
    out = []
    for kind, table in data.items():
        if not isinstance(table, Mapping):
            raise ValueError(f"gazetteer table {kind!r} is not a table")
        for entity_id, entry in table.items():
            if not isinstance(entry, Mapping):
                raise ValueError(f"gazetteer entry {kind}.{entity_id} is not a table")
            out.append(Entity(
                id=str(entity_id), kind=str(kind),
                en=tuple(str(s) for s in entry.get("en", ())),
                fa=tuple(str(s) for s in entry.get("fa", ())),
                weak=bool(entry.get("weak", False)), source=str(entry.get("src", "")),
            ))
    return out


@cache
def shipped_gazetteer() -> Gazetteer:
    """The gazetteer shipped with the package, read once per process."""
    text = resources.files("counterpoint.stories").joinpath("gazetteer.toml").read_text("utf-8")
    return Gazetteer(parse_entities(tomllib.loads(text)))


def configured_gazetteer(extra: Sequence[GazetteerEntry] = ()) -> Gazetteer:
    """The shipped gazetteer extended with feeds.toml's `[gazetteer]` entries (one object for
    the same entries: what was read with it is known by it)."""
    return _configured(tuple(extra))


@lru_cache(maxsize=4)
def _configured(extra: tuple[GazetteerEntry, ...]) -> Gazetteer:
    if not extra:
        return shipped_gazetteer()
    return shipped_gazetteer().extended(
        Entity(e.key, "places" if e.place else "feeds.toml", e.en, e.fa, e.weak,
               "feeds.toml [gazetteer]") for e in extra)
