"""Renderers: labels as text, right-to-left titles isolated, 80 columns, Markdown escaped."""

from __future__ import annotations

import io
import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from conftest import fixture_bytes
from counterpoint.analysis.digest import Digest, build_digest, with_front_page
from counterpoint.config.load import parse_config
from counterpoint.models import FeedResult, FeedStatus, Item, Window
from counterpoint.parse.feed import parse_feed
from counterpoint.render.frontpage import render_digest
from counterpoint.render.markdown import render_markdown
from counterpoint.render.terminal import story_lines
from counterpoint.render.words import HEADLINE_CHARS, headline
from counterpoint.store.files import write_atomically

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
FSI, PDI = "\u2068", "\u2069"

CONFIG = parse_config("""
[[outlets]]
name = "Editor: Myself"
affiliation = "independent"
feeds = ["https://hoder.example/feed"]

[[outlets]]
name = "Wire One"
affiliation = "wire"
feeds = ["https://wire.example/feed"]
""", None)


def persian_items() -> list[Item]:
    parsed = parse_feed(fixture_bytes("hoder-editor-myself-persian-blog_2005-10-13.xml"),
                        "https://hoder.example/feed", "Editor: Myself", "independent", NOW)
    assert parsed.error is None and parsed.items
    return [Item(**{**{f: getattr(i, f) for f in i.__slots__},
                    "published": NOW - timedelta(hours=n + 1)})
            for n, i in enumerate(parsed.items)]


def digest_of(items: list[Item]) -> Digest:
    feeds = [FeedResult(o.name, o.affiliation, o.feeds[0], FeedStatus.OK, healthy=True,
                        checked_at=NOW, last_ok=NOW, newest_item=NOW) for o in CONFIG.outlets]
    return build_digest(CONFIG, items, feeds, Window(NOW - timedelta(days=1), NOW), NOW)


def terminal_text(digest: Digest, width: int = 80) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=True, color_system=None,
                      markup=False, highlight=False)
    render_digest(console, digest)
    return buffer.getvalue()


def test_persian_titles_are_isolated_after_a_latin_label_in_the_terminal() -> None:
    items = persian_items()
    out = terminal_text(digest_of(items), width=400)
    title = items[0].title
    assert f"[INDEPENDENT] Editor: Myself — {FSI}{title}{PDI}" in out


def test_persian_titles_are_isolated_in_markdown() -> None:
    items = persian_items()
    text = render_markdown(digest_of(items))
    assert f"{FSI}{items[0].title.replace('|', chr(92) + '|')}{PDI}" in text
    assert "**INDEPENDENT** Editor: Myself — [" in text


def test_latin_titles_get_no_isolation_marks() -> None:
    item = Item("Wire One", "wire", "https://wire.example/feed", "g:1", "Plain English title",
                "", "https://wire.example/1", NOW - timedelta(hours=1))
    out = terminal_text(digest_of([item]))
    assert "Plain English title" in out and FSI not in out


def test_digest_fits_80_columns() -> None:
    long_title = "A very long headline about the nuclear talks " * 6
    item = Item("Wire One", "wire", "https://wire.example/feed", "g:1", long_title.strip(),
                "First sentence of a long summary. " * 10, "https://wire.example/" + "x" * 120,
                NOW - timedelta(hours=1))
    out = terminal_text(digest_of([item, *persian_items()]), width=80)
    # A link stays whole on a line of its own (the terminal soft-wraps it, so it can still be
    # clicked or copied); every other line fits.
    link = "https://wire.example/" + "x" * 120
    assert any(line.strip() == link for line in out.splitlines())
    widest = max(Text(line).cell_len for line in out.splitlines()
                 if not line.strip().startswith(("http://", "https://")))
    assert widest <= 80


def test_markdown_escapes_link_and_table_injection_in_titles() -> None:
    item = Item("Wire One", "wire", "https://wire.example/feed", "g:1",
                "Click [here](javascript:alert(1)) | <b>now</b>", "", "https://wire.example/1",
                NOW - timedelta(hours=1))
    text = render_markdown(digest_of([item]))
    assert "](javascript:" not in text
    assert not re.search(r"(?<!\\)<b>", text)  # no raw HTML
    assert r"\[here\]\(javascript:alert(1)) \| \<b>now\</b>" in text


def test_atomic_write_replaces_whole_file_and_clears_stale_temps(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old briefing")
    stale = tmp_path / ".brief.md.abc123.tmp"  # left by a run killed before its rename
    stale.write_text("partial")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".brief.md.def456.tmp"  # may belong to a run still writing
    fresh.write_text("in progress")
    write_atomically(target, "new briefing")
    assert target.read_text() == "new briefing"
    assert not stale.exists()
    assert fresh.exists()


def test_markdown_escapes_only_what_markdown_would_read_as_syntax() -> None:
    item = Item("Wire One", "wire", "https://wire.example/feed", "g:1",
                "Prices up (5%) in [balance] talks, snake_case kept, *not* bold, _nor_ this",
                "", None, NOW - timedelta(hours=1))
    text = render_markdown(digest_of([item]))
    assert r"Prices up (5%) in \[balance\] talks, snake_case kept, \*not\* bold, \_nor\_ this" \
        in text
    assert "\\(" not in text  # no needless escapes of our own text either


def test_markdown_briefing_opens_with_the_front_page_then_every_story() -> None:
    subjects = ["Harvest", "Bridge", "Election", "Museum", "Storm", "Rocket", "Orchestra",
                "Vaccine", "Marathon", "Volcano", "Library", "Railway", "Glacier", "Satellite",
                "Festival"]
    items = [Item("Wire One", "wire", "https://wire.example/feed", f"g:{n}",
                  f"{subject} {subject.lower()}s {n}", "", f"https://wire.example/{n}",
                  NOW - timedelta(hours=1 + n / 10)) for n, subject in enumerate(subjects)]
    text = render_markdown(digest_of(items))
    front, rest = text.split("## Every story")
    assert "## Front page" in front
    assert front.count("### s") == CONFIG.settings.front_page
    assert all(f"wire.example/{n})" in rest for n in range(15))


CONTRAST_CONFIG = parse_config("""
[lexicon.unrest]
label = "Unrest"
terms = [["rioters", "riots"], ["protesters", "protests"]]

[[outlets]]
name = "State Agency"
affiliation = "government"
feeds = ["https://gov.example/feed"]

[[outlets]]
name = "Wire One"
affiliation = "wire"
feeds = ["https://wire.example/feed"]
""", None)


def test_a_front_page_story_puts_figures_and_terms_side_by_side() -> None:
    items = [Item("State Agency", "government", "https://gov.example/feed", "g:1",
                  "Rioters attack police in Zahedan, 12 killed",
                  "Officials said rioters attacked police; 12 killed.", "https://gov.example/1",
                  NOW - timedelta(hours=2)),
             Item("Wire One", "wire", "https://wire.example/feed", "w:1",
                  "Zahedan protests: 40 killed as police open fire",
                  "Witnesses said 40 protesters were killed in Zahedan.",
                  "https://wire.example/1", NOW - timedelta(hours=1))]
    feeds = [FeedResult(o.name, o.affiliation, o.feeds[0], FeedStatus.OK, healthy=True,
                        checked_at=NOW, last_ok=NOW, newest_item=NOW)
             for o in CONTRAST_CONFIG.outlets]
    digest = build_digest(CONTRAST_CONFIG, items, feeds, Window(NOW - timedelta(days=1), NOW),
                          NOW)
    assert len(digest.stories) == 1
    out = terminal_text(digest, width=200)
    figures = next(line for line in out.splitlines() if "figures:" in line)
    assert "[GOVERNMENT] State Agency: 12 killed" in figures and "[WIRE] Wire One: 40" in figures
    terms = next(line for line in out.splitlines() if "terms:" in line)
    assert "Unrest: [GOVERNMENT] “rioters” · [WIRE] “protesters”" in terms


def test_each_row_of_figures_names_its_kind_on_the_page_and_in_the_briefing() -> None:
    items = [Item("State Agency", "government", "https://gov.example/feed", "g:1",
                  "Zahedan unrest: 12 killed, 300 arrested",
                  "Officials said 12 were killed and 300 arrested in Zahedan.",
                  "https://gov.example/1", NOW - timedelta(hours=2)),
             Item("Wire One", "wire", "https://wire.example/feed", "w:1",
                  "Zahedan protests: 40 killed, 500 arrested",
                  "Witnesses said 40 were killed and 500 arrested in Zahedan.",
                  "https://wire.example/1", NOW - timedelta(hours=1)),
             Item("Wire One", "wire", "https://wire.example/feed", "w:2",
                  "Central bank holds interest rates", "", "https://wire.example/2",
                  NOW - timedelta(hours=3))]
    feeds = [FeedResult(o.name, o.affiliation, o.feeds[0], FeedStatus.OK, healthy=True,
                        checked_at=NOW, last_ok=NOW, newest_item=NOW)
             for o in CONTRAST_CONFIG.outlets]
    # A front page of one story of two, so the briefing opens with it in the compact form.
    digest = with_front_page(build_digest(CONTRAST_CONFIG, items, feeds,
                                          Window(NOW - timedelta(days=1), NOW), NOW),
                             CONTRAST_CONFIG, 1)
    rows = [line.strip() for line in terminal_text(digest, width=200).splitlines()
            if "figures:" in line]
    assert rows[0].startswith("figures: killed / dead — [GOVERNMENT] State Agency: 12 killed")
    assert rows[1].startswith("figures: arrested / detained — [GOVERNMENT] State Agency: 300")
    briefing = [line for line in render_markdown(digest).splitlines()
                if line.startswith("- figures:")]
    assert briefing[0].startswith("- figures: killed / dead — **GOVERNMENT** State Agency: **12")


def test_the_window_is_shown_in_the_readers_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tehran")
    time.tzset()
    try:
        item = Item("Wire One", "wire", "https://wire.example/feed", "g:1", "Plain title", "",
                    "https://wire.example/1", NOW - timedelta(hours=1))
        header = terminal_text(digest_of([item])).splitlines()[0]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert header == "Counterpoint · Sat 21 Nov 10:30 → Sun 22 Nov 10:30 +0330"


def test_lines_under_a_long_lead_use_the_width_after_the_hang() -> None:
    from counterpoint.render.terminal import Lines

    page = Lines(60)
    words = " ".join(f"word{n}" for n in range(40))
    page.add(words, lead="  figures: killed / dead — ", hang=4)
    lines = [line.plain for line in page.lines]
    assert lines[0].startswith("  figures: killed / dead — word0")
    assert all(len(line) <= 60 for line in lines)
    # Continuation lines start at the hang and fill the width past the lead's length.
    assert all(line.startswith("    word") for line in lines[1:])
    assert max(len(line) for line in lines[1:-1]) > 60 - len("  figures: killed / dead — ")
    assert " ".join(line.strip() for line in lines).endswith(words)


def test_a_long_headline_is_clipped_on_the_front_page_and_whole_in_the_story() -> None:
    # A Telegram post's first line as a feed's title: 250 characters.
    words = [f"word{n}" for n in range(40)]
    title = " ".join(words)
    assert len(title) > HEADLINE_CHARS
    item = Item("Wire One", "wire", "https://wire.example/feed", "g:1", title, "",
                "https://wire.example/1", NOW - timedelta(hours=1))
    digest = digest_of([item])
    page = " ".join(terminal_text(digest, width=200).split())
    shown = headline(title)
    assert shown.endswith("…") and len(shown) <= HEADLINE_CHARS
    assert shown in page and title not in page
    assert shown[:-1].split()[-1] in words  # cut after a whole word
    whole = " ".join(" ".join(line.plain for line in
                              story_lines(digest, digest.stories[0], 200)).split())
    assert title in whole


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("Short headline", 140, "Short headline"),
    ("a" * 140, 140, "a" * 140),
    ("one two three four", 10, "one two…"),
    ("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"),  # no space in reach: cut in the word
])
def test_headline_keeps_what_fits_and_cuts_after_a_word(text: str, limit: int,
                                                        expected: str) -> None:
    assert headline(text, limit) == expected
