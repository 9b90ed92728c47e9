"""Which words each side chose for the same thing, from the `[lexicon]` groups of feeds.toml.

A group lists contrasting framings ("rioters" against "protesters"); each framing is a tuple of
terms, the first naming it. A term matches case-insensitively as a whole word or phrase:

- words of a phrase may be joined by spaces or hyphens ("regime change", "regime-change");
- a Latin-script term also matches its simple plural or singular and possessive ("rioter",
  "rioters", "rioters'"); other forms ("martyred", "martyrdom") match when listed;
- an Arabic-script term also matches with the Persian plural endings ها / های / ان / یان, and
  Arabic and Persian spellings of ye and kaf are treated alike;
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

_SAME_LETTER = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_JOINER = r"[\s\-‐‑]+"
_PERSIAN_ENDINGS = "(?:\u200c?(?:های|ها)|یان|ان)?"
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w\u200c])", r"(?![\w\u200c])"
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


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
    normal = text.translate(_SAME_LETTER)
    found: list[TermMatch] = []
    for group in lexicon:
        hits: list[tuple[int, int, int, str]] = []
        for index, framing in enumerate(group.framings):
            for term in framing:
                for match in _pattern(term).finditer(normal):
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
    for item in story.items:
        for text in (item.title, item.summary):
            for match in find_terms(text, lexicon):
                use = uses.setdefault((match.group, match.framing, item.outlet), {
                    "affiliation": item.affiliation, "forms": {}, "count": 0,
                    "context": quote_sentence(text, match.start, match.end),
                    "link": item.link})
                use["forms"].setdefault(match.text.casefold(), match.text)
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


@lru_cache(maxsize=1024)
def _pattern(term: str) -> re.Pattern[str]:
    words = [word for word in re.split(_JOINER, term.translate(_SAME_LETTER).strip()) if word]
    if not words:
        return re.compile(r"(?!)")
    *head, last = words
    if _ARABIC_SCRIPT.search(last):
        tail = re.escape(last) + _PERSIAN_ENDINGS
    elif re.fullmatch(r"[A-Za-z]+", last):
        forms = sorted(_inflections(last.lower()), key=len, reverse=True)
        tail = "(?:" + "|".join(map(re.escape, forms)) + ")(?:['’]s|['’])?"
    else:
        tail = re.escape(last)
    body = _JOINER.join([*map(re.escape, head), tail])
    return re.compile(_EDGE_BEFORE + body + _EDGE_AFTER, re.IGNORECASE)


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
