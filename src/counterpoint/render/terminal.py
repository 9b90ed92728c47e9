"""Terminal views built from rich `Text` (never markup strings, so feed text such as `[bold]` is
shown literally). Affiliations are always written out as text labels; colour only repeats them.

Views are lists of lines already wrapped to the width (`Lines`), continuation lines hanging under
the text they continue, so the caller can count them (to page them) and print them once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from counterpoint.analysis.coverage import Coverage
from counterpoint.models import FeedResult, Item, Story
from counterpoint.render import words
from counterpoint.render.escape import isolate_bidi
from counterpoint.timeutil import age

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Digest, DigestStory
    from counterpoint.stories.explain import GroupExplanation

_COLOURS = ["cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta"]
INDENT = "    "
MIN_TEXT = 24  # narrowest column wrapped text is given, however deep the indent


def label(affiliation: str) -> str:
    return f"[{affiliation.upper()}]"


def affiliation_styles(order: Sequence[str]) -> dict[str, str]:
    return {aff: _COLOURS[n % len(_COLOURS)] for n, aff in enumerate(order)}


def local_time(moment: datetime, *, year: bool = False) -> str:
    """`Tue 1 Dec 09:14` in the reader's local time zone (`TZ`, else the system's)."""
    mine = moment.astimezone()
    text = f"{mine:%a} {mine.day} {mine:%b}"
    return f"{text} {mine.year} {mine:%H:%M}" if year else f"{text} {mine:%H:%M}"


class Lines:
    """Lines of a view, wrapped to `width` with hanging indents."""

    def __init__(self, width: int, styles: dict[str, str] | None = None) -> None:
        self.width = max(width, 20)
        self.styles = styles or {}
        self.lines: list[Text] = []
        self._console = Console(width=self.width, color_system=None, markup=False,
                                highlight=False, emoji=False)

    def side(self, affiliation: str) -> tuple[str, str]:
        return label(affiliation), self.styles.get(affiliation, "bold")

    def blank(self) -> None:
        if self.lines and self.lines[-1].plain:
            self.lines.append(Text())

    def add(self, *parts: str | tuple[str, str], lead: str = "", hang: int | None = None,
            style: str = "") -> None:
        """`lead` then `parts`, wrapped; continuation lines start at `hang` (default: after
        `lead`)."""
        body = Text(style=style)
        for part in parts:
            if isinstance(part, tuple):
                body.append(part[0], style=part[1])
            else:
                body.append(part)
        self.text(body, lead=lead, hang=hang)

    def text(self, body: Text, *, lead: str = "", hang: int | None = None) -> None:
        indent = len(lead) if hang is None else hang
        # The first line has the room after `lead`, the others the room after the hang: a
        # long lead ("figures: killed / dead — ") must not narrow every line below it.
        room = max(MIN_TEXT, self.width - len(lead))
        wrapped = list(body.wrap(self._console, room)) or [Text()]
        hung = max(MIN_TEXT, self.width - indent)
        if len(wrapped) > 1 and hung != room:
            plain = body.plain
            cut = len(wrapped[0].plain)
            cut += len(plain[cut:]) - len(plain[cut:].lstrip(" "))  # the space it broke at
            tail = body[cut:]
            wrapped = [wrapped[0], *tail.wrap(self._console, hung)]
        for line in wrapped:
            line.rstrip()
        first = Text(lead, style=body.style)
        first.append_text(wrapped[0])
        self.lines.append(first)
        for line in wrapped[1:]:
            rest = Text(" " * indent, style=body.style)
            rest.append_text(line)
            self.lines.append(rest)

    def link(self, url: str | None, lead: str) -> None:
        """A link on a line of its own, whole: the terminal soft-wraps one longer than the
        width, so it stays one link to click or copy (a folded link is broken in two)."""
        if url:
            line = Text(lead)
            line.append(url, style="dim")
            self.lines.append(line)


def print_lines(out: Console, lines: Sequence[Text]) -> None:
    for line in lines:
        out.print(line, soft_wrap=True)


def render_fetch(out: Console, results: Sequence[FeedResult]) -> None:
    for result in results:
        detail = result.error or f"{result.new_items} new of {result.items_seen}" \
            if result.status.value == "ok" else (result.error or "")
        text = Text(f"{result.status.value:<12}", style="bold" if result.healthy else "red")
        text.append(f" {label(result.affiliation)} {result.outlet}")
        text.append(f"  {detail}" if detail else "", style="dim")
        out.print(text)


def when(item: Item, now: datetime) -> str:
    return age(item.published, now) if item.dated else "undated"


def story_full(page: Lines, digest: Digest, entry: DigestStory) -> None:
    """One story with everything: every item and link, first sentences, figures with their
    quotes, contrasting terms, and which outlets were silent or unreachable."""
    story = entry.story
    page.add((story.id, "bold"), " ", (isolate_bidi(story.title), "bold"),
             (f"  · {story.topic}" if story.topic else "", "dim"), hang=len(story.id) + 1)
    if entry.blindspot is not None:
        page.add(("BLINDSPOT", "bold yellow"), f": only {entry.blindspot.affiliation} carried "
                 f"it ({words.plural(entry.blindspot.items, 'item')}) while others listened",
                 lead=INDENT)
    page.add(" — ".join(words.coverage_parts(entry.sides)), lead=INDENT, style="dim")
    if entry.memory is not None:  # story memory: its key and status, and where its past is
        page.add(f"{entry.memory.status} · key {entry.memory.key} · its days: `counterpoint "
                 f"story {entry.memory.key}`", lead=INDENT, style="dim")
    first_sentence = {row.affiliation: row for row in entry.framing}
    shown: set[str] = set()
    for item in digest.items_in_order(story):
        page.add(page.side(item.affiliation), f" {item.outlet} — ", isolate_bidi(item.title),
                 (f" ({when(item, digest.generated_at)})", "dim"), lead=INDENT,
                 hang=len(INDENT) + 2)
        row = first_sentence.get(item.affiliation)
        if len(story.affiliations) > 1 and item.affiliation not in shown and row \
                and row.outlet == item.outlet and row.sentence:
            page.add(("“" + isolate_bidi(row.sentence) + "”", "italic"), lead=INDENT + "  ")
        shown.add(item.affiliation)
        page.link(item.link, INDENT + "  ")
    last_quote = None
    for figure in entry.figures:
        quote = (figure.outlet, figure.quote)
        page.add(page.side(figure.affiliation), f" {figure.outlet}: ",
                 (isolate_bidi(figure.figure.phrase), "bold"),
                 "" if quote == last_quote else f" — “{isolate_bidi(figure.quote)}”",
                 lead=INDENT + "figure: ", hang=len(INDENT) + 2)
        last_quote = quote
    for term in entry.terms:
        page.add(isolate_bidi(words.term_use(term)), lead=INDENT + "terms: ", hang=len(INDENT) + 2)
    for state, name in ((Coverage.SILENT, "silent"),
                        (Coverage.UNMATCHED, "no item in their language (not counted as silence)"),
                        (Coverage.UNREACHABLE, "unreachable (not counted as silence)")):
        outlets = entry.outlets_in(state)
        if outlets:
            page.add(f"{name}: " + ", ".join(outlets), lead=INDENT, hang=len(INDENT) + 2,
                     style="dim")
    page.blank()


def story_lines(digest: Digest, entry: DigestStory, width: int) -> list[Text]:
    page = Lines(width, affiliation_styles(digest.order))
    story_full(page, digest, entry)
    return page.lines


def explanation_lines(story: Story, explanation: GroupExplanation, width: int) -> list[Text]:
    """Why the items of `story` were grouped: its items numbered, then the evidence."""
    page = Lines(width)
    page.add(("Why these items are one story", "bold"))
    for n, item in enumerate(story.items):
        page.add(f"#{n} {label(item.affiliation)} {item.outlet} — {isolate_bidi(item.title)}",
                 lead="  ", hang=6)
    for line in explanation.describe():
        page.add(isolate_bidi(line), lead="  ", hang=4)
    return page.lines


