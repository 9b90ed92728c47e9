"""The digest's front page in a terminal: a header (window in local time, feed health in a line,
the mix), the top stories chosen with balance, each compact (coverage by side, one line per side,
figures and terms side by side), the blindspots, the reading list, and how to see the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from counterpoint.analysis.sides import by_side, lead_item, ordered
from counterpoint.render import story as memory_words
from counterpoint.render import words
from counterpoint.render.escape import isolate_bidi
from counterpoint.render.terminal import (
    INDENT,
    Lines,
    affiliation_styles,
    local_time,
    print_lines,
    when,
)

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Digest, DigestStory

CONTRASTS_SHOWN = 2  # figure kinds and term groups per story on the front page
BLINDSPOTS_LISTED = 5  # blindspots off the page named by id and title
# The default front page gives up stories while it is taller than this (about three screens):
# real 16-outlet days at 100 columns take 125-135 lines at 10 stories (bench/frontpage.py).
FRONT_PAGE_LINES = 140


def front_page_lines(digest: Digest, width: int, *, everything: bool = False) -> list[Text]:
    """The front page wrapped to `width`; `everything` shows every story in the same form."""
    page = Lines(width, affiliation_styles(digest.order))
    _header(page, digest)
    if not digest.stories:
        if digest.only_changed and digest.total_stories:
            page.add(memory_words.nothing_changed(digest))
            return page.lines
        page.add("No items in this window. Try a longer --since, or check the feeds with "
                 f"`{words.FEEDS_CHECK}`.")
        return page.lines
    _mix(page, digest, everything=everything)
    memory_words.since_last_block(page, digest)
    entries = list(digest.stories) if everything else digest.page
    if entries:
        page.blank()
        page.add(("TOP STORIES", "bold"), " — several sides first, then what one side carried "
                 "alone" if not everything else " — every story, several sides first")
        page.blank()
        for entry in entries:
            _story(page, digest, entry)
    _blindspots(page, digest, {entry.id for entry in entries})
    _reading(page, digest)
    hidden = len(digest.stories) - len(entries)
    if hidden > 0:
        page.blank()
        page.add(f"… {words.plural(hidden, 'more story')}: "
                 "`counterpoint digest --all`, or the briefing (`counterpoint brief`); "
                 "one in full: `counterpoint digest --story ID`", style="dim")
    return page.lines


def _header(page: Lines, digest: Digest) -> None:
    since, until = digest.window.since, digest.window.until
    long_ago = since.astimezone().year != until.astimezone().year
    zone = until.astimezone().strftime("%Z")
    page.add(("Counterpoint", "bold"), f" · {local_time(since, year=long_ago)} → "
             f"{local_time(until, year=long_ago)} {zone}")
    for number, line in enumerate(words.feed_health(digest.feeds)):
        page.add(line, style="red" if number else "")


def _mix(page: Lines, digest: Digest, *, everything: bool) -> None:
    items = sum(len(entry.story.items) for entry in digest.stories)
    count = f"{words.plural(len(digest.stories), 'story')}, " \
            f"{words.plural(items, 'item')}"
    if digest.total_stories != len(digest.stories):
        count += f" (of {words.plural(digest.total_stories, 'story')} in the window)"
    mix = digest.mix
    if everything or mix.page is None or len(digest.front_page) == len(digest.stories):
        page.add(f"{count}: " + words.mix_counts(mix.shown))
    else:
        page.add(f"{count}. On this page: {words.plural(len(digest.front_page), 'story')}; "
                 "sides heard: "
                 + words.mix_counts(mix.page))
    for line in words.mix_warnings(mix.warnings, digest.affiliations):
        page.add(f"warning: {line}", style="yellow", hang=2)


def _story(page: Lines, digest: Digest, entry: DigestStory) -> None:
    story = entry.story
    lead = f"{story.id:>4}  "
    head = Text()
    head.append(isolate_bidi(words.headline(story.title)), style="bold")
    if entry.blindspot is not None:
        head.append("  BLINDSPOT", style="bold yellow")
    if memory_words.tag(entry.memory):
        head.append(f"  {memory_words.tag(entry.memory)}", style="bold green")
    if story.topic:
        head.append(f"  · {story.topic}", style="dim")
    page.text(head, lead=lead)
    memory_words.since_last_lines(page, digest, entry, " " * len(lead))
    page.add(" — ".join(words.coverage_parts(entry.sides)), lead=" " * len(lead), style="dim")
    sides = by_side(story)
    for key in ordered(sides, digest.order):
        items = sides[key]
        item = lead_item(items)
        others = len(dict.fromkeys(i.outlet for i in items)) - 1
        page.add(page.side(key), f" {item.outlet}", f" +{others}" if others else "", " — ",
                 isolate_bidi(words.headline(item.title)),
                 (f" ({when(item, digest.generated_at)})", "dim"),
                 lead=" " * len(lead), hang=len(lead) + 2)
    _contrasts(page, entry, len(lead))
    page.blank()


def _contrasts(page: Lines, entry: DigestStory, indent: int) -> None:
    """Figures side by side (one line per kind) and contrasting terms (one per lexicon group)."""
    for kind, by_class in words.figure_rows(entry.figures)[:CONTRASTS_SHOWN]:
        parts: list[str | tuple[str, str]] = []
        for key, figure in by_class.items():
            parts += [" · " if parts else "", page.side(key),
                      " " + isolate_bidi(f"{figure.outlet}: {figure.figure.phrase}")]
        page.add(*parts, lead=" " * indent + f"figures: {kind} — ", hang=indent + 2)
    groups: dict[str, dict[str, str]] = {}
    labels: dict[str, str] = {}
    for term in entry.terms:
        labels.setdefault(term.group, term.label)
        groups.setdefault(term.group, {}).setdefault(term.affiliation, term.framing)
    for group, sides in list(groups.items())[:CONTRASTS_SHOWN]:
        parts = [f"{labels[group]}: "]
        for number, (key, framing) in enumerate(sides.items()):
            parts += [" · " if number else "", page.side(key), f" “{isolate_bidi(framing)}”"]
        page.add(*parts, lead=" " * indent + "terms: ", hang=indent + 2)


def _blindspots(page: Lines, digest: Digest, shown: set[str]) -> None:
    """The blindspots not on the page, strongest first (the others are marked where they are)."""
    if not digest.blindspots:
        return
    page.blank()
    on_page = sum(1 for spot in digest.blindspots if spot.story_id in shown)
    page.add(("BLINDSPOTS", "bold"), f" — {words.plural(len(digest.blindspots), 'story')} only "
             "one side carried (2+ items) while the other sides listened"
             + (f"; {on_page} above" if on_page else ""))
    rest = [spot for spot in digest.blindspots if spot.story_id not in shown]
    for spot in rest[:BLINDSPOTS_LISTED]:
        page.add(page.side(spot.affiliation), f" only ({words.plural(spot.items, 'item')}, "
                 f"{words.plural(len(spot.outlets), 'outlet')}): ",
                 isolate_bidi(words.headline(spot.title)),
                 lead=f"{spot.story_id:>4}  ", hang=8)
    if len(rest) > BLINDSPOTS_LISTED:
        page.add(f"… and {len(rest) - BLINDSPOTS_LISTED} more (`counterpoint digest --all`, "
                 "the briefing, or --json)", lead=INDENT, style="dim")


def _reading(page: Lines, digest: Digest) -> None:
    if not digest.reading_list:
        return
    page.blank()
    page.add(("READING LIST", "bold"), " — one voice per side per story, weighted by [balance]")
    for number, pick in enumerate(digest.reading_list, 1):
        item = pick.item
        page.add(page.side(item.affiliation), f" {item.outlet} — ",
                 isolate_bidi(words.headline(item.title)),
                 (f"  ({pick.story_id})", "dim"), lead=f"{number:>4}. ", hang=8)
        page.link(item.link, " " * 8)


def render_digest(out: Console, digest: Digest, *, everything: bool = False) -> None:
    """The front page (every story with `everything`) printed at the console's width."""
    print_lines(out, front_page_lines(digest, out.width, everything=everything))
