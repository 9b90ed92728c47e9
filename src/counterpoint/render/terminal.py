"""The digest in a terminal, built from rich `Text` (never markup strings, so feed text such as
`[bold]` is shown literally). Affiliations are always written out as text labels; colour only
repeats them. Readable at 80 columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from counterpoint.models import FeedResult, Item, Story
from counterpoint.parse.clean import isolate_bidi
from counterpoint.timeutil import age, iso

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Digest
    from counterpoint.stories.explain import GroupExplanation

_COLOURS = ["cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta"]
INDENT = "    "
BLINDSPOTS_SHOWN = 10  # the strongest ones; the rest are in --json and the briefing


def label(affiliation: str) -> str:
    return f"[{affiliation.upper()}]"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def affiliation_styles(order: Sequence[str]) -> dict[str, str]:
    return {aff: _COLOURS[n % len(_COLOURS)] for n, aff in enumerate(order)}


def _line(*parts: str | tuple[str, str]) -> Text:
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(part[0], style=part[1])
        else:
            text.append(part)
    return text


def render_fetch(out: Console, results: Sequence[FeedResult]) -> None:
    for result in results:
        detail = result.error or f"{result.new_items} new of {result.items_seen}" \
            if result.status.value == "ok" else (result.error or "")
        out.print(_line((f"{result.status.value:<12}", "bold" if result.healthy else "red"),
                        f" {label(result.affiliation)} {result.outlet}",
                        (f"  {detail}" if detail else "", "dim")))


def _feed_health(digest: Digest) -> Text:
    feeds = digest.feeds
    offline = bool(feeds) and all(f.status.value == "offline" for f in feeds)
    ok = sum(1 for f in feeds if f.healthy and f.status.value == "ok")
    unchanged = sum(1 for f in feeds if f.status.value == "not_modified")
    failed = [f for f in feeds if not f.healthy]
    if offline:
        text = Text(f"Feeds (offline, as last fetched): {len(feeds) - len(failed)} healthy")
    else:
        text = Text(f"Feeds: {ok} ok · {unchanged} not modified")
    if failed:
        text.append(f" · {len(failed)} failed: ", style="red")
        text.append(", ".join(f"{f.outlet} ({f.error or 'never fetched'})" for f in failed[:8]))
        if len(failed) > 8:
            text.append(f", and {len(failed) - 8} more")
    return text


def _item_line(item: Item, digest: Digest, styles: dict[str, str]) -> Text:
    when = age(item.published, digest.generated_at) if item.dated else "undated"
    text = Text(INDENT)
    text.append(label(item.affiliation), style=styles.get(item.affiliation, "bold"))
    text.append(f" {item.outlet} — ")
    text.append(isolate_bidi(item.title))
    text.append(f" ({when})", style="dim")
    return text


def _link_line(link: str | None) -> Text | None:
    if not link:
        return None
    return Text(INDENT + "  " + link, style="dim")


def _story(out: Console, digest: Digest, story: Story, styles: dict[str, str]) -> None:
    head = Text()
    head.append(f"{story.id:>4} ", style="bold")
    head.append(isolate_bidi(story.title), style="bold")
    if story.topic:
        head.append(f"  · {story.topic}", style="dim")
    out.print(head)
    summary = " · ".join(c.describe() for c in digest.coverage_summary[story.id])
    out.print(Text(INDENT + summary, style="dim"))
    first_sentence = {row.affiliation: row for row in digest.framing[story.id]}
    shown: set[str] = set()
    for item in digest.items_in_order(story):
        out.print(_item_line(item, digest, styles))
        row = first_sentence.get(item.affiliation)
        if len(story.affiliations) > 1 and item.affiliation not in shown and row \
                and row.outlet == item.outlet and row.sentence:
            out.print(Text(INDENT + "  “" + isolate_bidi(row.sentence) + "”", style="italic"))
        shown.add(item.affiliation)
        link = _link_line(item.link)
        if link is not None:
            out.print(link)
    last_quote = None
    for figure in digest.figures[story.id]:
        quote = (figure.outlet, figure.quote)
        out.print(_line(INDENT + "figure: ", (label(figure.affiliation), styles.get(
            figure.affiliation, "bold")), f" {figure.outlet}: ",
            (isolate_bidi(figure.figure.phrase), "bold"),
            "" if quote == last_quote else f" — “{isolate_bidi(figure.quote)}”"))
        last_quote = quote
    for term in digest.terms[story.id]:
        out.print(Text(INDENT + "terms: " + isolate_bidi(term.describe())))
    out.print()


def render_digest(out: Console, digest: Digest) -> None:
    styles = affiliation_styles(digest.order)
    since, until = iso(digest.window.since), iso(digest.window.until)
    out.print(Text(f"Counterpoint digest · {since} → {until}", style="bold"))
    out.print(_feed_health(digest))
    for line in digest.mix.describe():
        out.print(Text(line))
    for warning in digest.mix.warnings:
        out.print(Text(f"warning: {warning}", style="yellow"))
    shown = len(digest.stories)
    items = sum(len(s.items) for s in digest.stories)
    out.print(Text(f"{shown} stories ({items} items)"
                   + (f" of {digest.total_stories}" if digest.total_stories != shown else "")))
    out.print()

    if digest.blindspots:
        out.print(Text("BLINDSPOTS — covered by one side only, while others were reachable",
                       style="bold"))
        titles = {s.id: s.title for s in digest.stories}
        for spot in digest.blindspots[:BLINDSPOTS_SHOWN]:
            out.print(_line(f"{spot.story_id:>4} ", (label(spot.affiliation),
                                                      styles.get(spot.affiliation, "bold")),
                            f" only ({_count(len(spot.outlets), 'outlet')}): ",
                            isolate_bidi(titles.get(spot.story_id, ""))))
        hidden = len(digest.blindspots) - BLINDSPOTS_SHOWN
        if hidden > 0:
            out.print(Text(f"     … and {hidden} more single-side stories (all in --json and "
                           "the briefing)", style="dim"))
        out.print()

    if digest.stories:
        out.print(Text("STORIES — widest coverage first", style="bold"))
        for story in digest.stories:
            _story(out, digest, story, styles)
    else:
        out.print(Text("No items in this window. Try a longer --since, or check the feeds "
                       "with `counterpoint feeds check`."))
        out.print()

    if digest.reading_list:
        out.print(Text("READING LIST — one voice per side, weighted by [balance]", style="bold"))
        for n, pick in enumerate(digest.reading_list, 1):
            item = pick.item
            out.print(_line(f"{n:>4}. ", (label(item.affiliation),
                                          styles.get(item.affiliation, "bold")),
                            f" {item.outlet} — ", isolate_bidi(item.title),
                            (f"  ({pick.story_id})", "dim")))
            link = _link_line(item.link)
            if link is not None:
                out.print(link)


def render_explanation(out: Console, story: Story, explanation: GroupExplanation) -> None:
    out.print(Text(f"{story.id}: {isolate_bidi(story.title)}", style="bold"))
    for n, item in enumerate(story.items):
        out.print(Text(f"  #{n} {label(item.affiliation)} {item.outlet} — "
                       f"{isolate_bidi(item.title)}"))
    for line in explanation.describe():
        out.print(Text("  " + isolate_bidi(line)))
