"""The digest as a Markdown briefing (written by `counterpoint.store.files.write_atomically`,
so a crash or Ctrl-C never leaves a partial briefing). Every piece of feed text is escaped;
links are http(s) only (checked at parse time) and cannot break out of their parentheses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterpoint.analysis.coverage import Coverage
from counterpoint.models import Item
from counterpoint.parse.clean import isolate_bidi, markdown_text, markdown_url
from counterpoint.render import story as memory_words
from counterpoint.render import words
from counterpoint.timeutil import age, iso

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Digest, DigestStory


NEW_LISTED = 20  # new stories named in "Since the last briefing"; all are in "Stories"


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
        lines.append(f"- … and {len(new) - NEW_LISTED} more new stories (below)")
    lines.append("")
    return lines


def _story(entry: DigestStory, digest: Digest) -> list[str]:
    story = entry.story
    mark = memory_words.tag(entry.memory)
    lines = [f"### {story.id} · {f'{mark} · ' if mark else ''}{md(story.title)}", ""]
    if story.topic:
        lines += [f"Topic: {md(story.topic)}", ""]
    coverage = words.describe_coverage(entry.sides)
    lines += [f"Coverage: {md(coverage)}", ""]
    for item in digest.items_in_order(story):
        lines.append(_item(item, digest))
    lines.append("")
    framing = entry.framing
    if len(framing) > 1:
        lines += ["| side | outlet | headline | first sentence |", "|---|---|---|---|"]
        for row in framing:
            lines.append(f"| {label(row.affiliation)} | {md(row.outlet)} | {md(row.title)} | "
                         f"{md(row.sentence or '')} |")
        lines.append("")
    figures = entry.figures
    if figures:
        lines.append("Figures as reported (not averaged):")
        lines.append("")
        for figure in figures:
            lines.append(f"- {label(figure.affiliation)} {md(figure.outlet)}: "
                         f"**{md(figure.figure.phrase)}** — “{md(figure.quote)}”")
        lines.append("")
    term_uses = entry.terms
    if term_uses:
        lines += ["Contrasting terms:", ""]
        lines += [f"- {md(term.describe())}" for term in term_uses]
        lines.append("")
    silent = entry.outlets_in(Coverage.SILENT)
    down = entry.outlets_in(Coverage.UNREACHABLE)
    if silent:
        lines += [f"Silent: {md(', '.join(silent))}", ""]
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
    lines += [f"- {md(line)}" for line in words.mix_lines(digest.mix)]
    lines += [f"- **warning:** {md(words.mix_warning(w, digest.affiliations))}"
              for w in digest.mix.warnings]
    lines.append("")
    lines += _since_last(digest)
    if digest.blindspots:
        lines += ["## Blindspots", "",
                  "Stories covered by one side only while other sides' feeds were reachable.", ""]
        titles = {s.id: s.story.title for s in digest.stories}
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
