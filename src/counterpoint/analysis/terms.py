"""Which words each side chose for the same thing, from the `[lexicon]` groups of feeds.toml.

A group lists contrasting framings ("rioters" against "protesters"); each framing is a tuple of
terms, the first naming it. A term matches case-insensitively as a whole word or phrase:

- words of a phrase may be joined by spaces or hyphens ("regime change", "regime-change");
- a Latin-script term also matches its simple plural or singular and possessive ("rioter",
  "rioters", "rioters'"); other forms ("martyred", "martyrdom") match when listed;
- an Arabic-script term is matched as `stories.normalize.fold` reads it: Arabic and Persian
  letter forms alike (ي/ی, ك/ک, ة/ۀ/ه, أ/إ/آ/ا), zero-width non-joiners, diacritics and tatweel
  ignored, so «اغتشاش‌گران» matches «اغتشاشگران»; it also matches with the Persian plural and
  ezafe endings ها / های / هایی / ان / ین / یان / ات (a term ending in ه also with گان:
  «کشته» finds «کشتگان»), and a plural term ending in ان / ین / یان / ات / ها / های matches its
  stem's other forms when the stem keeps four letters or more («معترضان» finds «معترض» and
  «معترضین»; «ایران» is left whole);
- word edges follow Unicode, so terms in any script match whole words only.

Where two terms overlap ("political prisoners" in one framing, "prisoners" in another) the
longer match wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from counterpoint.analysis.sides import ordered
from counterpoint.analysis.text import quote_sentence
from counterpoint.models import LexiconGroup, Story
from counterpoint.stories.normalize import fold, has_arabic_script

_JOINER = r"[\s\-‐‑]+"
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w\u200c])", r"(?![\w\u200c])"
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# The letter foldings of `fold` that keep one character for one (so offsets stay true), and
# the characters `fold` drops (ZWNJ, diacritics, tatweel), which a term may have between letters.
_BLOCK = [chr(code) for code in range(0x0600, 0x0700)]
_SAME_LETTER = str.maketrans({char: fold(char) for char in _BLOCK
                              if len(fold(char)) == 1 and fold(char) != char.casefold()})
_DROPPED = "".join(char for char in [*_BLOCK, "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"]
                   if fold(char) == "")
_IGNORED = "[" + re.escape(_DROPPED) + "]*"
_ARABIC_JOINER = r"[\s\-‐‑\u200c]*"
_LATIN_RUN = re.compile(r"[a-z]+")
_PLURAL = ("های", "ها", "یان", "ان", "ین", "ات")
_ENDINGS = ("هایی", "های", "ها", "یان", "ان", "ین", "ات")


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One occurrence of a lexicon term in a text."""

    group: str
    framing: str
    term: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TermUse:
    """One outlet's use of one framing in one story.

    `forms` are the words as the outlet wrote them (distinct, first seen first), `count` how
    often, `context` the sentence of the first use.
    """

    group: str
    label: str
    framing: str
    outlet: str
    affiliation: str
    forms: tuple[str, ...]
    count: int
    context: str
    link: str | None = None

    def describe(self) -> str:
        """`Rioters or protesters: government IRNA says “rioters” (Rioters, thugs, riots; 4×)`."""
        times = f"; {self.count}×" if self.count > 1 else ""
        return (f"{self.label}: {self.affiliation} {self.outlet} says “{self.framing}” "
                f"({', '.join(self.forms)}{times})")

    def to_json(self) -> dict[str, Any]:
        return {"group": self.group, "label": self.label, "framing": self.framing,
                "outlet": self.outlet, "affiliation": self.affiliation,
                "forms": list(self.forms), "count": self.count, "context": self.context,
                "link": self.link}


def find_terms(text: str, lexicon: Sequence[LexiconGroup]) -> list[TermMatch]:
    """Every lexicon term in `text`, in reading order within each group (groups in order)."""
    return _find_terms(text, _needs(lexicon))


def _find_terms(text: str, needs: _Needs) -> list[TermMatch]:
    arabic = has_arabic_script(text)
    runs = _LATIN_RUN.findall(text.lower())
    if not arabic and needs.any_of is not None and needs.any_of.isdisjoint(runs):
        return []  # most texts: no word any term of any group starts with
    words = frozenset(runs)
    normal = text.translate(_SAME_LETTER) if arabic else text
    folded = fold(text) if arabic else ""
    found: list[TermMatch] = []
    for group, needed in needs.groups:
        if not arabic and needed is not None and needed.isdisjoint(words):
            continue
        hits: list[tuple[int, int, int, str]] = []
        for index, framing in enumerate(group.framings):
            for term in framing:
                needs_words, needs_text = _term_needs(term)
                if needs_text is not None and needs_text not in folded:
                    continue
                if needs_words is not None and needs_words.isdisjoint(words):
                    continue
                for match in _compiled(term).finditer(normal):
                    hits.append((match.start(), -match.end(), index, term))
        hits.sort()
        taken_until = -1
        for start, negative_end, index, term in hits:
            if start < taken_until:
                continue
            end = -negative_end
            taken_until = end
            found.append(TermMatch(group.key, group.framings[index][0], term,
                                   text[start:end], start, end))
    return found


def story_terms(story: Story, lexicon: Sequence[LexiconGroup],
                order: Sequence[str] = ()) -> list[TermUse]:
    """Who used which framing in a story: by group (lexicon order), framing, class, outlet."""
    group_rank = {group.key: number for number, group in enumerate(lexicon)}
    labels = {group.key: group.label for group in lexicon}
    framing_rank = {(group.key, framing[0]): number for group in lexicon
                    for number, framing in enumerate(group.framings)}
    uses: dict[tuple[str, str, str], dict[str, Any]] = {}
    known = _known_terms(lexicon)
    for item in story.items:
        for text in (item.title, item.summary):
            found = known.get(text)
            if found is None:
                found = known[text] = tuple(find_terms(text, lexicon))
            for match in found:
                use = uses.setdefault((match.group, match.framing, item.outlet), {
                    "affiliation": item.affiliation, "forms": {}, "count": 0,
                    "context": quote_sentence(text, match.start, match.end),
                    "link": item.link})
                use["forms"].setdefault(fold(match.text), match.text)
                use["count"] += 1
    classes = ordered((use["affiliation"] for use in uses.values()), order)
    class_rank = {key: number for number, key in enumerate(classes)}
    keys = sorted(uses, key=lambda key: (group_rank[key[0]], framing_rank[key[0], key[1]],
                                         class_rank[uses[key]["affiliation"]], key[2]))
    return [TermUse(group, labels[group], framing, outlet, uses[group, framing, outlet]
                    ["affiliation"], tuple(uses[group, framing, outlet]["forms"].values()),
                    uses[group, framing, outlet]["count"],
                    uses[group, framing, outlet]["context"], uses[group, framing, outlet]["link"])
            for group, framing, outlet in keys]


# Texts' terms for the last lexicon asked about: a story's terms are read for the digest and
# again for a brief or a second front page.
_KNOWN: list[tuple[tuple[LexiconGroup, ...], dict[str, tuple[TermMatch, ...]]]] = []
_KNOWN_MAX = 1 << 17


def _known_terms(lexicon: Sequence[LexiconGroup]) -> dict[str, tuple[TermMatch, ...]]:
    groups = tuple(lexicon)
    if not _KNOWN or _KNOWN[0][0] != groups or len(_KNOWN[0][1]) >= _KNOWN_MAX:
        _KNOWN[:] = [(groups, {})]
    return _KNOWN[0][1]


@dataclass(frozen=True, slots=True)
class _Needs:
    """A lexicon's groups with the words each needs (`_group_words`), and the words one of
    which a text without Arabic script needs for any group (None: some group needs none)."""

    groups: tuple[tuple[LexiconGroup, frozenset[str] | None], ...]
    any_of: frozenset[str] | None


_NEEDS: list[tuple[tuple[LexiconGroup, ...], _Needs]] = []  # the last lexicon asked about


def _needs(lexicon: Sequence[LexiconGroup]) -> _Needs:
    groups = tuple(lexicon)
    if _NEEDS and _NEEDS[0][0] == groups:  # the same groups: compared by identity first
        return _NEEDS[0][1]
    pairs = tuple((group, _group_words(group)) for group in groups)
    words = [needed for _, needed in pairs if needed is not None]
    any_of = frozenset().union(*words) if len(words) == len(pairs) else None
    _NEEDS[:] = [(groups, _Needs(pairs, any_of))]
    return _NEEDS[0][1]


@lru_cache(maxsize=256)
def _group_words(group: LexiconGroup) -> frozenset[str] | None:
    """The letter runs one of which a text without Arabic script needs for any term of `group`
    to match (None when some non-Arabic term has no such need): most texts skip the group."""
    needed: set[str] = set()
    for framing in group.framings:
        for term in framing:
            needs_words, needs_text = _term_needs(term)
            if needs_text is not None:
                continue
            if needs_words is None:
                return None
            needed |= needs_words
    return frozenset(needed)


@lru_cache(maxsize=1024)
def _term_needs(term: str) -> tuple[frozenset[str] | None, str | None]:
    """What a text must hold for the term to match, checked first (cheaply), before its
    pattern is compiled at all (`_compiled`: most terms never meet a text that needs it, and
    compiling the lexicon's Arabic-script patterns, a class between every two letters, took
    0.4 s a run).

    A Latin-script term needs one of the letter runs its first word can start with ("rioter",
    "rioters"); an Arabic-script term needs its folded first word or stem in the folded text.
    """
    if _ARABIC_SCRIPT.search(term):
        first = re.split(r"[\s\-‐‑]+", fold(term).strip())[0]
        stem = next((first[:-len(end)] for end in _PLURAL
                     if first.endswith(end) and len(first) - len(end) >= 4), first)
        return None, stem[:-1] if stem.endswith("ه") else stem
    words = [word for word in re.split(_JOINER, term.strip().lower()) if word]
    if not words or not (lead := _LATIN_RUN.match(words[0])):
        return None, None
    if len(words) == 1 and lead.group(0) == words[0]:
        return frozenset(_inflections(words[0])), None
    return frozenset({lead.group(0)}), None


@lru_cache(maxsize=1024)
def _compiled(term: str) -> re.Pattern[str]:
    """The term's pattern, compiled the first time a text may hold the term."""
    return _pattern(term)


def _pattern(term: str) -> re.Pattern[str]:
    if _ARABIC_SCRIPT.search(term):
        return _arabic_pattern(term)
    words = [word for word in re.split(_JOINER, term.strip()) if word]
    if not words:
        return re.compile(r"(?!)")
    *head, last = words
    if re.fullmatch(r"[A-Za-z]+", last):
        forms = sorted(_inflections(last.lower()), key=len, reverse=True)
        tail = "(?:" + "|".join(map(re.escape, forms)) + ")(?:['’]s|['’])?"
    else:
        tail = re.escape(last)
    body = _JOINER.join([*map(re.escape, head), tail])
    return re.compile(_EDGE_BEFORE + body + _EDGE_AFTER, re.IGNORECASE)


def _arabic_pattern(term: str) -> re.Pattern[str]:
    """An Arabic-script term folded, letters free to carry ZWNJ or diacritics, Persian endings."""
    words = [word for word in re.split(r"[\s\-‐‑]+", fold(term)) if word]
    if not words:
        return re.compile(r"(?!)")
    *head, last = words
    stem = next((last[:-len(end)] for end in _PLURAL
                 if last.endswith(end) and len(last) - len(end) >= 4), last)
    endings = [*_ENDINGS, "گان"] if stem.endswith("ه") else list(_ENDINGS)
    tail = "(?:" + _letters(stem) + "(?:" + _IGNORED + "(?:" + "|".join(
        map(_letters, endings)) + "))?"
    if stem.endswith("ه"):
        tail += "|" + _letters(stem[:-1] + "گان")
    tail += ")"
    body = _ARABIC_JOINER.join([*map(_letters, head), tail])
    return re.compile(_EDGE_BEFORE + body + _IGNORED + _EDGE_AFTER)


def _letters(word: str) -> str:
    return _IGNORED.join(map(re.escape, word))


def _inflections(word: str) -> set[str]:
    """The word with its simple plural or singular: "rioter" <-> "rioters", "city" <-> "cities"."""
    forms = {word}
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    elif word.endswith(("ses", "xes", "zes", "ches", "shes")) and len(word) > 5:
        forms.add(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        forms.add(word[:-1])
    elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    else:
        forms.add(word + "s")
    return forms
