"""One story's timeline across days (`counterpoint story KEY`) in a terminal, and the short
"what changed" phrases the front page and the briefing share.

Built from rich `Text` (never markup), so feed text is shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from counterpoint.render.escape import isolate_bidi
from counterpoint.render.words import plural
from counterpoint.timeutil import iso

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Digest, DigestStory
    from counterpoint.analysis.memory import SinceLast, StoryMemory, Timeline
    from counterpoint.render.terminal import Lines


def number(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


def changes(memory: StoryMemory, labels: dict[str, str] | None = None) -> list[str]:
    """What changed since the story was last shown, as short plain phrases (none when new)."""
    if memory.status != "updated":
        return []
    since: SinceLast = memory.since_last
    labels = labels or {}
    phrases = []
    for affiliation in since.affiliations:
        phrases.append(f"{labels.get(affiliation, affiliation)} broke its silence")
    if since.items:
        joined = f"+{since.items} item{'' if since.items == 1 else 's'}"
        if since.outlets:
            joined += f" (new: {', '.join(since.outlets)})"
        phrases.append(joined)
    for change in since.figures:
        phrases.append(f"{change.kind}: {number(change.was)} → {number(change.now)}, "
                       f"{change.outlet}")
    for retitle in since.retitled:
        phrases.append(f"{retitle.outlet} retitled: \u201c{retitle.was}\u201d → "
                       f"\u201c{retitle.now}\u201d")
    return [isolate_bidi(p) for p in phrases]


def _when(moment: object) -> str:
    text = iso(moment)  # type: ignore[arg-type]
    return (text or "").replace("T", " ").replace("Z", "")[:16]


def render_timeline(out: Console, story: Timeline) -> None:
    found = story.history
    out.print(Text(isolate_bidi(found.title), style="bold"))
    head = f"story {found.key}"
    if found.asked != found.key:
        head += f" (merged from {found.asked})"
    out.print(Text(f"{head} · first shown {_when(found.first_seen)} · last shown "
                   f"{_when(found.last_seen)} · {plural(len(found.items), 'item')}", style="dim"))
    out.print()
    out.print(Text("Who reported it, when", style="bold"))
    for day, items in story.days:
        out.print(Text(day.isoformat(), style="underline"))
        for item in items:
            line = Text(f"  {item.published:%H:%M}  [{item.affiliation.upper()}] {item.outlet}: ")
            line.append(isolate_bidi(item.title))
            if item.first_shown is not None:
                line.append(f"  (first shown {_when(item.first_shown)})", style="dim")
            out.print(line)
    out.print()
    out.print(Text("Sides", style="bold"))
    for side in story.sides:
        if side.joined is None:
            out.print(Text(f"  {side.label}: no item so far", style="dim"))
        else:
            out.print(Text(f"  {side.label}: joined {_when(side.joined)} ({side.outlet}), "
                           f"{side.items} item{'' if side.items == 1 else 's'}"))
    if story.silent_outlets:
        out.print(Text(f"  outlets with no item: {', '.join(story.silent_outlets)}",
                       style="dim"))
    if story.figures:
        out.print()
        out.print(Text("Figures as shown", style="bold"))
        for track in story.figures:
            moves = " → ".join(f"{number(v)} ({_when(at)})" for at, v in track.values)
            out.print(Text(f"  {track.kind}, {track.outlet} [{track.affiliation.upper()}]: "
                           f"{moves}"))
    if story.retitled:
        out.print()
        out.print(Text("Headlines edited", style="bold"))
        for _link, outlet, versions in story.retitled:
            out.print(Text(f"  {outlet}:"))
            for at, title in versions:
                out.print(Text(f"    {_when(at)}  {isolate_bidi(title)}"))
    out.print()
    out.print(Text("Runs that showed it", style="bold"))
    for at, command, status, count, shown_as in found.runs:
        row = f"  {_when(at)}  {command:<6} {status:<8} {count} item{'' if count == 1 else 's'}"
        if shown_as != found.key:
            row += f"  (as {shown_as}, merged into this story later)"
        out.print(Text(row))


def tag(memory: StoryMemory | None) -> str:
    """NEW / UPDATED for a story's heading; nothing for a story already seen."""
    if memory is None or memory.status == "seen":
        return ""
    return memory.status.upper()


def since_last_summary(entries: Sequence[DigestStory]) -> tuple[str, list[DigestStory]] | None:
    """One line counting new and updated stories, and the updated ones (None: no memory)."""
    memories = [e.memory for e in entries if e.memory is not None]
    if not memories:
        return None
    new = sum(1 for m in memories if m.status == "new")
    updated = [e for e in entries if e.memory is not None and e.memory.status == "updated"]
    seen = len(memories) - new - len(updated)
    return (f"{new} new, {len(updated)} updated, {seen} already seen "
            f"{'story' if seen == 1 else 'stories'}"), updated


UPDATED_LISTED = 8  # updated stories named in the front page's "since the last digest" block


def since_last_block(page: Lines, digest: Digest) -> None:
    """The front page's lead: how many stories are new or updated, and what changed in the
    updated ones (their details also stand under each story)."""
    summary = since_last_summary(digest.stories)
    if summary is None:
        return
    line, updated = summary
    page.blank()
    page.add(("SINCE THE LAST DIGEST", "bold"), f" — {line}")
    for entry in updated[:UPDATED_LISTED]:
        assert entry.memory is not None
        page.add(("UPDATED", "bold green"), " ", isolate_bidi(entry.story.title), (
            " — " + "; ".join(changes(entry.memory, digest.affiliations)), "dim"),
            lead=f"{entry.id:>4}  ", hang=8)
    if len(updated) > UPDATED_LISTED:
        page.add(f"… and {len(updated) - UPDATED_LISTED} more updated (`digest --new --all`)",
                 lead="      ", style="dim")


def since_last_lines(page: Lines, digest: Digest, entry: DigestStory, lead: str) -> None:
    """Under an updated story: what changed since it was last shown, a line each."""
    if entry.memory is None:
        return
    for phrase in changes(entry.memory, digest.affiliations):
        page.add(("since last: ", "green"), phrase, lead=lead, hang=len(lead) + 2)


def nothing_changed(digest: Digest) -> str:
    stories = f"{digest.total_stories} {'story' if digest.total_stories == 1 else 'stories'}"
    return (f"Nothing new or updated since the last digest ({stories} in this window, all "
            "seen; leave out --new to show them).")
