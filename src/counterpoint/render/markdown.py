"""The digest as a Markdown briefing: the same front page as the terminal, then every story.

Written by `counterpoint.store.files.write_atomically`, so a crash or Ctrl-C never leaves a
partial briefing. Feed text is escaped where Markdown would read it as syntax, and only there
(`md`, render.escape): no link, image, emphasis, code, HTML, autolink, table cell or block marker
can come from a feed, while "(5%)", "a < b" and "[balance]" read as written. Links are http(s)
only (checked at parse time) and cannot break out of their parentheses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterpoint.analysis.coverage import Coverage
from counterpoint.analysis.sides import by_side, lead_item, ordered
from counterpoint.models import Item
from counterpoint.render import story as memory_words
from counterpoint.render import words
from counterpoint.render.escape import isolate_bidi, markdown_text, markdown_url
from counterpoint.timeutil import age, iso

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Digest, DigestStory


NEW_LISTED = 20  # new stories named in "Since the last briefing"; all are under "Every story"


def md(text: str) -> str:
    """Feed text made inert for inline Markdown, with right-to-left text isolated."""
    return isolate_bidi(markdown_text(text))


def label(affiliation: str) -> str:
    return f"**{affiliation.upper()}**"


def link(text: str, url: str | None) -> str:
    return f"[{md(text)}]({markdown_url(url)})" if url else md(text)


def _when(item: Item, digest: Digest) -> str:
    return age(item.published, digest.generated_at) + " ago" if item.dated else "undated"


def _item(item: Item, digest: Digest) -> str:
    return f"- {label(item.affiliation)} {md(item.outlet)} — {link(item.title, item.link)} " \
           f"_({_when(item, digest)})_"


def _heading(entry: DigestStory) -> str:
    story = entry.story
    mark = " · blindspot" if entry.blindspot is not None else ""
    if memory_words.tag(entry.memory):
        mark += f" · {memory_words.tag(entry.memory)}"
    return f"### {story.id} · {md(story.title)}{mark}"


def _compact(entry: DigestStory, digest: Digest) -> list[str]:
    """A story as on the front page: coverage, one line per side, figures and terms."""
    lines = [_heading(entry), "", md(" — ".join(words.coverage_parts(entry.sides))), ""]
    sides = by_side(entry.story)
    for key in ordered(sides, digest.order):
        item = lead_item(sides[key])
        others = len(dict.fromkeys(i.outlet for i in sides[key])) - 1
        more = f" +{others}" if others else ""
        lines.append(f"- {label(key)} {md(item.outlet)}{more} — {link(item.title, item.link)} "
                     f"_({_when(item, digest)})_")
    for kind, figures in words.figure_rows(entry.figures):
        lines.append(f"- figures: {md(kind)} — " + " · ".join(
            f"{label(key)} {md(figure.outlet)}: **{md(figure.figure.phrase)}**"
            for key, figure in figures.items()))
    groups: dict[str, dict[str, str]] = {}
    for term in entry.terms:
        groups.setdefault(md(term.label), {}).setdefault(term.affiliation, md(term.framing))
    for name, by_class in groups.items():
        lines.append(f"- terms: {name}: " + " · ".join(f"{label(key)} “{framing}”"
                                                        for key, framing in by_class.items()))
    return [*lines, ""]


def _full(entry: DigestStory, digest: Digest) -> list[str]:
    story = entry.story
    lines = [_heading(entry), ""]
    if story.topic:
        lines += [f"Topic: {md(story.topic)}", ""]
    lines += [f"Coverage: {words.describe_coverage(entry.sides)}", ""]
    lines += [_item(item, digest) for item in digest.items_in_order(story)]
    lines.append("")
    if len(entry.framing) > 1:
        lines += ["| side | outlet | headline | first sentence |", "|---|---|---|---|"]
        for row in entry.framing:
            lines.append(f"| {label(row.affiliation)} | {md(row.outlet)} | {md(row.title)} | "
                         f"{md(row.sentence or '')} |")
        lines.append("")
    if entry.figures:
        lines += ["Figures as reported (not averaged):", ""]
        for figure in entry.figures:
            lines.append(f"- {label(figure.affiliation)} {md(figure.outlet)}: "
                         f"**{md(figure.figure.phrase)}** — “{md(figure.quote)}”")
        lines.append("")
    if entry.terms:
        lines += ["Contrasting terms:", ""]
        lines += [f"- {md(words.term_use(term))}" for term in entry.terms]
        lines.append("")
    silent = entry.outlets_in(Coverage.SILENT)
    down = entry.outlets_in(Coverage.UNREACHABLE)
    other = entry.outlets_in(Coverage.UNMATCHED)
    if silent:
        lines += [f"Silent: {md(', '.join(silent))}", ""]
    if other:
        lines += [f"No item in their language, so not counted as silence: "
                  f"{md(', '.join(other))}", ""]
    if down:
        lines += [f"Unreachable (feed down or stale, not counted as silence): "
                  f"{md(', '.join(down))}", ""]
    return lines


def _lone(entries: list[DigestStory], digest: Digest) -> list[str]:
    """Stories of one item each, a line apiece, by side."""
    if not entries:
        return []
    lines = ["### One outlet, one item", ""]
    for entry in sorted(entries, key=lambda e: (digest.order.index(e.story.items[0].affiliation)
                                                if e.story.items[0].affiliation in digest.order
                                                else len(digest.order), e.story.id)):
        item = entry.story.items[0]
        lines.append(f"- {entry.id} {label(item.affiliation)} {md(item.outlet)} — "
                     f"{link(item.title, item.link)} _({_when(item, digest)})_")
    return [*lines, ""]


def _header(digest: Digest) -> list[str]:
    since, until = digest.window.since, digest.window.until
    zone = until.astimezone().strftime("%Z")
    lines = [f"# Counterpoint briefing · {digest.generated_at.astimezone():%Y-%m-%d}", "",
             f"Window: {since.astimezone():%Y-%m-%d %H:%M} → {until.astimezone():%Y-%m-%d %H:%M}"
             f" {zone} ({iso(since)} → {iso(until)})  ",
             f"Generated: {iso(digest.generated_at)}  ",
             f"Config: `{digest.config_path.replace('`', '')}`", ""]
    lines += [f"Feeds: {line}  " for line in words.feed_health(digest.feeds)]
    items = sum(len(entry.story.items) for entry in digest.stories)
    lines.append(f"Stories: {len(digest.stories)} ({words.plural(items, 'item')}): "
                 f"{words.mix_counts(digest.mix.shown)}  ")
    if digest.mix.page is not None and len(digest.front_page) < len(digest.stories):
        lines.append(f"Front page: {words.plural(len(digest.front_page), 'story')}; sides heard: "
                     f"{words.mix_counts(digest.mix.page)}  ")
    lines += [f"**Warning:** {warning}  "
              for warning in words.mix_warnings(digest.mix.warnings, digest.affiliations)]
    return [*lines, ""]


def _since_last(digest: Digest) -> list[str]:
    """What changed since the previous digest or brief run on this database."""
    summary = memory_words.since_last_summary(digest.stories)
    if summary is None:
        return []
    line, updated = summary
    lines = ["## Since the last briefing", "", md(line[0].upper() + line[1:]) + ".", ""]
    new = [e for e in digest.stories if e.memory is not None and e.memory.status == "new"]
    for entry in updated:
        assert entry.memory is not None
        phrases = memory_words.changes(entry.memory, digest.affiliations)
        lines.append(f"- **UPDATED** {entry.id} · {md(entry.story.title)}: "
                     f"{md('; '.join(phrases))}")
    for entry in new[:NEW_LISTED]:
        lines.append(f"- **NEW** {entry.id} · {md(entry.story.title)}")
    if len(new) > NEW_LISTED:
        lines.append(f"- … and {words.plural(len(new) - NEW_LISTED, 'more new story')} (below)")
    return [*lines, ""]


def render_markdown(digest: Digest) -> str:
    lines = _header(digest)
    lines += _since_last(digest)
    if not digest.stories:
        lines += ["No items in this window.", ""]
    if digest.front_page and len(digest.front_page) < len(digest.stories):
        lines += ["## Front page", "",
                  "Stories several sides covered first, then what one side carried alone, "
                  "chosen so every side that published is here.", ""]
        for entry in digest.page:
            lines += _compact(entry, digest)
    if digest.reading_list:
        lines += ["## Reading list", "", "One voice per side per story, weighted by [balance].",
                  ""]
        for n, pick in enumerate(digest.reading_list, 1):
            item = pick.item
            lines.append(f"{n}. {label(item.affiliation)} {md(item.outlet)} — "
                         f"{link(item.title, item.link)} ({pick.story_id})")
        lines.append("")
    if digest.blindspots:
        lines += ["## Blindspots", "",
                  "Stories one side carried (2 or more items) while other sides' feeds were "
                  "reachable and silent.", ""]
        for spot in digest.blindspots:
            lines.append(f"- {spot.story_id}: {label(spot.affiliation)} only "
                         f"({words.plural(spot.items, 'item')}, "
                         f"{words.plural(len(spot.outlets), 'outlet')}) — {md(spot.title)}; "
                         f"silent: {', '.join(spot.silent)}")
        lines.append("")
    if digest.stories:
        lines += ["## Every story", ""]
        lone = [entry for entry in digest.stories if len(entry.story.items) == 1]
        for entry in digest.stories:
            if len(entry.story.items) > 1:
                lines += _full(entry, digest)
        lines += _lone(lone, digest)
    lines += ["## Outlets consulted", "", "| outlet | side | feed | status |", "|---|---|---|---|"]
    for feed in digest.feeds:
        status = feed.status.value + (f": {feed.error}" if feed.error else "")
        lines.append(f"| {md(feed.outlet)} | {label(feed.affiliation)} | {md(feed.url)} | "
                     f"{md(status)} |")
    lines.append("")
    failed = digest.failed
    if failed:
        lines += ["## Failures", ""]
        lines += [f"- {md(f.outlet)}: {md(f.error or 'unknown error')}" for f in failed]
        lines.append("")
    return "\n".join(lines)
