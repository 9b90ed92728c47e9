"""Titles reach the terminal, the Markdown briefing and the JSON as the outlet wrote them: only
markup is dropped (parse.clean), on both parse paths, and figures come from that text only."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from counterpoint.analysis.figures import extract_figures
from counterpoint.cli.main import main
from counterpoint.parse.clean import one_line
from counterpoint.parse.feed import parse_feed, parse_feed_reference
from feedserver import FeedServer
from rss import Entry, rss

NAUGHTY = [line for line in (Path(__file__).parents[1] / "fixtures" / "naughty" / "titles.txt")
           .read_text("utf-8").splitlines() if line and not line.startswith("#")]
ISSUE_TITLES = ["Inflation < 5% as rates > 3%, officials say", "a < b and c > d",
                "<<< Breaking >>> Parliament votes", "Why <style> tags block rendering"]
# Titles with markup in them: what a reader of the rendered page sees.
MARKUP = {
    "<b>Bold</b> move in <i>Tehran</i>": "Bold move in Tehran",
    "<table><tr><td>Tehran</td><td>12</td></tr></table>": "Tehran 12",
    "Tehran<br/>Isfahan<br>Shiraz": "Tehran Isfahan Shiraz",
    "<ul><li>one</li><li>two</li></ul>": "one two",
    "Prices <!-- rose --> fell": "Prices fell",
    "<script>alert(123)</script>Safe": "Safe",
    "<style>.x{width:30%}</style>Calm day": "Calm day",
    'ABC<div style="x:expression(javascript:alert(1)">DEF': "ABC DEF",
    '<a href="javascript:alert(1)" id="fuzzelement1">test</a>': "test",
    "&lt;b&gt;escaped twice&lt;/b&gt; &amp;amp; once": "<b>escaped twice</b> &amp; once",
}
NOW = datetime.now(UTC)


def titles(document: bytes, reference: bool) -> dict[str | None, str]:
    parse = parse_feed_reference if reference else parse_feed
    parsed = parse(document, "https://example.org/feed", "Outlet", "wire", NOW)
    assert parsed.error is None
    return {item.link: item.title for item in parsed.items}


@pytest.mark.parametrize("reference", [False, True], ids=["fast path", "feedparser"])
def test_naughty_titles_keep_every_character_that_is_not_markup(reference: bool) -> None:
    document = rss([Entry(title, link=f"https://example.org/{n}")
                    for n, title in enumerate(NAUGHTY)])
    got = titles(document, reference)
    for n, title in enumerate(NAUGHTY):
        assert got.get(f"https://example.org/{n}") == one_line(title, 300), title


@pytest.mark.parametrize("reference", [False, True], ids=["fast path", "feedparser"])
def test_markup_in_titles_is_dropped_and_the_words_kept(reference: bool) -> None:
    document = rss([Entry(title, link=f"https://example.org/{n}")
                    for n, title in enumerate(MARKUP)])
    got = titles(document, reference)
    for n, (title, text) in enumerate(MARKUP.items()):
        assert got.get(f"https://example.org/{n}") == text, title


def test_a_style_block_in_a_summary_leaves_no_text_and_no_figure() -> None:
    summary = "<style>p { width: 35%; margin: 12px }</style><p>Turnout was 41%.</p>"
    document = rss([Entry("Election day", summary, link="https://example.org/a")])
    for reference in (False, True):
        parse = parse_feed_reference if reference else parse_feed
        item = parse(document, "https://example.org/feed", "O", "wire", NOW).items[0]
        assert item.summary == "Turnout was 41%."
        assert [f.text for f in extract_figures(item.summary)] == ["41%"]


def test_a_literal_less_than_sign_is_no_figure_thief() -> None:
    assert [f.text for f in extract_figures(ISSUE_TITLES[0])] == ["5%", "3%"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code == 0
    return out


def test_titles_reach_terminal_markdown_and_json_as_written(
        tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    written = [*ISSUE_TITLES, *NAUGHTY[-12:]]
    entries = [Entry(title, link=f"https://example.org/{n}") for n, title in enumerate(written)]
    entries.append(Entry("Cities", "<table><tr><td>Tehran</td><td>12</td></tr></table>",
                         link="https://example.org/table"))
    url = feed_server.add("/feed.xml", rss(entries))
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[outlets]]\nname = "Wire"\naffiliation = "wire"\nfeeds = ["{url}"]\n')
    args = ["--config", str(config), "--db", str(tmp_path / "db.sqlite")]
    run(capsys, *args, "-q", "fetch")

    doc = json.loads(run(capsys, *args, "digest", "--offline", "--json"))
    items = [item for story in doc["stories"] for item in story["items"]]
    assert {item["title"] for item in items} >= {one_line(title, 300) for title in written}
    assert any(item["summary"] == "Tehran 12" for item in items)

    terminal = run(capsys, *args, "--no-color", "digest", "--offline", "--all")
    markdown_path = tmp_path / "brief.md"
    run(capsys, *args, "brief", "--offline", "-o", str(markdown_path))
    markdown = markdown_path.read_text("utf-8")
    for title in ISSUE_TITLES:
        assert title in terminal
    for title in ISSUE_TITLES[:3]:  # no Markdown syntax in them: as written, unescaped
        assert title in markdown
    assert "Why \\<style> tags block rendering" in markdown  # `<style>` would be raw HTML
