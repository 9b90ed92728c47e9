"""The digest as a Markdown briefing (written by `counterpoint.store.files.write_atomically`,
so a crash or Ctrl-C never leaves a partial briefing). Every piece of feed text is escaped;
links are http(s) only (checked at parse time) and cannot break out of their parentheses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterpoint.models import Item, Story
from counterpoint.parse.clean import isolate_bidi, markdown_text, markdown_url
from counterpoint.timeutil import age, iso

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Digest


def md(text: str) -> str:
    return isolate_bidi(markdown_text(text))


def label(affiliation: str) -> str:
    return f"**{affiliation.upper()}**"


def link(text: str, url: str | None) -> str:
    return f"[{md(text)}]({markdown_url(url)})" if url else md(text)


def _item(item: Item, digest: Digest) -> str:
    when = age(item.published, digest.generated_at) + " ago" if item.dated else "undated"
    return f"- {label(item.affiliation)} {md(item.outlet)} — {link(item.title, item.link)} " \
           f"_({when})_"


def _story(story: Story, digest: Digest) -> list[str]:
    lines = [f"### {story.id} · {md(story.title)}", ""]
    if story.topic:
        lines += [f"Topic: {md(story.topic)}", ""]
    coverage = " · ".join(c.describe() for c in digest.coverage_summary[story.id])
    lines += [f"Coverage: {md(coverage)}", ""]
    for item in digest.items_in_order(story):
        lines.append(_item(item, digest))
    lines.append("")
    framing = digest.framing[story.id]
    if len(framing) > 1:
        lines += ["| side | outlet | headline | first sentence |", "|---|---|---|---|"]
        for row in framing:
            lines.append(f"| {label(row.affiliation)} | {md(row.outlet)} | {md(row.title)} | "
                         f"{md(row.sentence or '')} |")
        lines.append("")
    figures = digest.figures[story.id]
    if figures:
        lines.append("Figures as reported (not averaged):")
        lines.append("")
        for figure in figures:
            lines.append(f"- {label(figure.affiliation)} {md(figure.outlet)}: "
                         f"**{md(figure.figure.phrase)}** — “{md(figure.quote)}”")
        lines.append("")
    term_uses = digest.terms[story.id]
    if term_uses:
        lines += ["Contrasting terms:", ""]
        lines += [f"- {md(term.describe())}" for term in term_uses]
        lines.append("")
    silent = [name for name, state in digest.coverage[story.id].items() if state == "silent"]
    down = [name for name, state in digest.coverage[story.id].items() if state == "unreachable"]
    other = [name for name, state in digest.coverage[story.id].items() if state == "unmatched"]
    if silent:
        lines += [f"Silent: {md(', '.join(silent))}", ""]
    if other:
        lines += [f"No item in their language, so not counted as silence: "
                  f"{md(', '.join(other))}", ""]
    if down:
        lines += [f"Unreachable (feed down or stale, not counted as silence): "
                  f"{md(', '.join(down))}", ""]
    return lines


def render_markdown(digest: Digest) -> str:
    since, until = iso(digest.window.since), iso(digest.window.until)
    lines = [f"# Counterpoint briefing · {digest.generated_at:%Y-%m-%d}", "",
             f"Window: {since} → {until}  ", f"Generated: {iso(digest.generated_at)}  ",
             f"Config: `{digest.config_path.replace('`', '')}`", ""]
    lines += ["## Mix", ""]
    lines += [f"- {md(line)}" for line in digest.mix.describe()]
    lines += [f"- **warning:** {md(w)}" for w in digest.mix.warnings]
    lines.append("")
    if digest.blindspots:
        lines += ["## Blindspots", "",
                  "Stories covered by one side only while other sides' feeds were reachable.", ""]
        titles = {s.id: s.title for s in digest.stories}
        for spot in digest.blindspots:
            lines.append(f"- {spot.story_id}: {label(spot.affiliation)} only "
                         f"({len(spot.outlets)} outlet{'s' if len(spot.outlets) != 1 else ''}) — "
                         f"{md(titles.get(spot.story_id, ''))}")
        lines.append("")
    if digest.reading_list:
        lines += ["## Reading list", ""]
        for n, pick in enumerate(digest.reading_list, 1):
            item = pick.item
            lines.append(f"{n}. {label(item.affiliation)} {md(item.outlet)} — "
                         f"{link(item.title, item.link)} ({pick.story_id})")
        lines.append("")
    lines += ["## Stories", ""]
    if not digest.stories:
        lines += ["No items in this window.", ""]
    for story in digest.stories:
        lines += _story(story, digest)
    lines += ["## Outlets consulted", "", "| outlet | side | feed | status |", "|---|---|---|---|"]
    for feed in digest.feeds:
        status = feed.status.value + (f": {feed.error}" if feed.error else "")
        lines.append(f"| {md(feed.outlet)} | {label(feed.affiliation)} | {md(feed.url)} | "
                     f"{md(status)} |")
    failed = [f for f in digest.feeds if not f.healthy]
    lines.append("")
    if failed:
        lines += ["## Failures", ""]
        lines += [f"- {md(f.outlet)}: {md(f.error or 'unknown error')}" for f in failed]
        lines.append("")
    return "\n".join(lines)
