"""Hostile feed content never reaches the terminal, the Markdown briefing or the JSON unescaped,
and output stays bounded.

Fixtures (tests/fixtures/hostile/): `raw-controls.rss` carries raw ESC/C0/C1 bytes and bidi
overrides (not well-formed XML, so feedparser's loose parser reads it); `markup.atom` is
well-formed and carries Rich markup, Markdown and HTML injection and javascript:/data: links;
`controls.json` carries all of them as a JSON Feed (\\u001b is legal JSON, so the strict path
sees them); `billion-laughs.xml` is the classic entity bomb. Big and per-test documents (1 MB
titles, XXE naming a file of tmp_path) are built here.
"""

from __future__ import annotations

import json
import os
import re
import resource
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from counterpoint.parse.feed import MAX_TITLE_CHARS, parse_feed
from feedserver import FeedServer
from rss import Entry, rss
from safety import assert_clean_items, assert_safe_for_terminal
from terminal import on_a_terminal

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
NOW = datetime.now(UTC)
FEEDS = {"raw-controls.rss": "application/rss+xml", "markup.atom": "application/atom+xml",
         "controls.json": "application/feed+json"}
# Text that must never appear in any output: payloads of the escape sequences and injections.
PAYLOADS = ["PWNED", "FEED-TITLE", "evil.example/phish", "javascript:", "data:text", "<script",
            "<iframe", "onerror=", "\x1b", "\x07", "\x9b", "\x9d", "\u202e"]


def parse(body: bytes, content_type: str | None = None) -> list:  # type: ignore[type-arg]
    parsed = parse_feed(body, "https://example.org/feed", "Hostile", "wire", NOW, content_type)
    assert parsed.error is None, parsed.error
    return list(parsed.items)


# -- the parse stage: one representation, clean from then on -----------------------------------

@pytest.mark.parametrize("name", sorted(FEEDS))
def test_hostile_feed_yields_only_clean_items(name: str) -> None:
    items = parse((HOSTILE / name).read_bytes(), FEEDS[name])
    assert items
    assert_clean_items(items)
    for item in items:
        for payload in PAYLOADS:
            if payload not in ("javascript:",):  # may remain as visible text in a title
                assert payload not in item.title + item.summary, (payload, item.title)


def test_javascript_and_data_links_are_dropped() -> None:
    items = {i.title: i for i in parse((HOSTILE / "markup.atom").read_bytes())}
    assert items["javascript link"].link is None
    assert items["data link"].link is None
    assert items["vbscript link"].link is None
    escaped = items["Link breaking out of markdown"].link
    assert escaped is not None and " " not in escaped


def test_rich_markup_and_markdown_survive_as_literal_text() -> None:
    titles = [i.title for i in parse((HOSTILE / "markup.atom").read_bytes())]
    assert "[bold red]Rich markup[/bold red] [link=https://evil.example]click[/link] :warning:" \
        in titles
    assert any(t.startswith("Markdown [click here](javascript:alert(1))") for t in titles)


def test_a_1_mb_title_is_cut_to_a_bounded_line_quickly() -> None:
    huge = "Breaking: " + "\x1b[31m" + "Iran " * 200_000 + "<b>" * 10_000
    started = time.monotonic()
    items = parse(rss([Entry(huge, summary="x" * 1_000_000)]))
    assert time.monotonic() - started < 5
    assert len(items[0].title) <= MAX_TITLE_CHARS
    assert items[0].title.startswith("Breaking: Iran Iran")
    assert_clean_items(items)


def test_billion_laughs_expands_nothing() -> None:
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items = parse((HOSTILE / "billion-laughs.xml").read_bytes())
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert time.monotonic() - started < 1 and grown_mb < 20
    assert items[0].title == "Laughing &lol9; gas"


def test_quadratic_blowup_expands_nothing() -> None:
    doc = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + "a" * 50_000 + '">]>'
           '<rss version="2.0"><channel><title>Q</title><item><title>Blow &a;&a;&a;</title>'
           "<description>" + "&a;" * 100_000 + "</description>"
           "<link>https://example.org/q</link></item></channel></rss>").encode()
    started = time.monotonic()
    items = parse(doc)
    assert time.monotonic() - started < 3
    assert "aaaa" not in items[0].title and len(items[0].summary) <= 1000


def test_small_character_entities_still_work() -> None:
    doc = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY rial "rial">]>
<rss version="2.0"><channel><title>E</title><item><title>Price&nbsp;in&nbsp;&rial;</title>
<link>https://example.org/e</link></item></channel></rss>"""
    assert parse(doc)[0].title == "Price in rial"


def xxe_document(secret: Path, server: FeedServer) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY file SYSTEM "file://{secret}">
<!ENTITY web SYSTEM "{server.url('/xxe')}">
<!ENTITY % param SYSTEM "file://{secret}">
%param;
]>
<rss version="2.0"><channel><title>XXE &file;</title>
<item><title>Leak &file; &web;</title><description>&file;</description>
<link>https://example.org/xxe</link></item></channel></rss>""".encode()


def test_external_entities_are_never_read(tmp_path: Path, feed_server: FeedServer) -> None:
    secret = tmp_path / "hostname"
    secret.write_text("SECRET-HOSTNAME-7f3a")
    items = parse(xxe_document(secret, feed_server))
    assert "SECRET" not in repr(items)
    assert feed_server.requests == []


# -- end to end: the real CLI, the three outputs ---------------------------------------------------

def serve_hostile(server: FeedServer, tmp_path: Path) -> Path:
    secret = tmp_path / "hostname"
    secret.write_text("SECRET-HOSTNAME-7f3a")
    outlets = []
    documents = {name: (HOSTILE / name).read_bytes() for name in [*FEEDS, "billion-laughs.xml"]}
    documents["xxe.xml"] = xxe_document(secret, server)
    documents["huge.rss"] = rss([Entry("\x1b]0;PWNED\x07" + "Huge " * 250_000,
                                       summary="<script>x</script>" * 50_000)])
    for n, (name, body) in enumerate(documents.items()):
        url = server.add(f"/{name}", body, headers={"Content-Type": FEEDS.get(name, "text/xml")})
        # Outlet names are config, not feed text, but hostile-looking ones must be safe too.
        outlet = "Evil [bold]Outlet[/bold] | x" if n == 0 else f"Outlet {n}"
        affiliation = "wire" if n % 2 else "ngo"
        outlets.append(f'[[outlets]]\nname = "{outlet}"\naffiliation = "{affiliation}"'
                       f'\nfeeds = ["{url}"]\n')
    config = tmp_path / "feeds.toml"
    config.write_text("[settings]\ntimeout = 5\nmax_bytes = 4194304\n\n" + "\n".join(outlets))
    return config


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """One fetch of the hostile feeds, shared by the tests below: each only reads the database."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    server = FeedServer().start()
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("HOME", str(tmp_path))
            env.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
            env.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
            config = serve_hostile(server, tmp_path)
            args = ["--config", str(config), "--db", str(tmp_path / "db.sqlite")]
            assert main([*args, "-q", "fetch"]) == 0
        yield args
    finally:
        server.stop()


def _all_output_checks(text: str) -> None:
    for payload in ["PWNED", "FEED-TITLE", "SECRET-HOSTNAME", "evil.example/phish", "\x07",
                    "\x9b", "\x9d", "\u202e", "<script", "<iframe"]:
        assert payload not in text, payload


def test_terminal_digest_on_a_pipe_is_plain_and_safe(hostile_run: list[str],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # --all: every story, so which stories share the front page cannot hide a payload.
    code = main([*hostile_run, "digest", "--offline", "--since", "3650d", "--all"])
    out = capsys.readouterr().out
    assert code == 0
    assert "\x1b" not in out
    assert_safe_for_terminal(out)
    _all_output_checks(out)
    assert "[bold red]Rich markup[/bold red]" in out  # shown, not interpreted
    assert "Evil [bold]Outlet[/bold] | x" in out
    assert max(len(line) for line in out.splitlines()) < 1000


def test_terminal_digest_on_a_real_terminal_has_only_our_colours(hostile_run: list[str]) -> None:
    """Through a pseudo-terminal, as a user sees it: rich's SGR colours and nothing else."""
    env = {**os.environ, "COLUMNS": "100", "LINES": "50", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    out = on_a_terminal([*hostile_run, "digest", "--offline", "--since", "3650d", "--no-pager"],
                        env, seconds=30)
    assert re.search(r"\x1b\[[0-9;]*m", out), "expected colour on a terminal"
    assert_safe_for_terminal(out)
    _all_output_checks(out)


def test_markdown_briefing_is_escaped(hostile_run: list[str], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    brief = tmp_path / "brief.md"
    assert main([*hostile_run, "brief", "--offline", "--since", "3650d", "-o", str(brief)]) == 0
    capsys.readouterr()
    text = brief.read_text("utf-8")
    _all_output_checks(text)
    assert "\x1b" not in text
    assert not re.search(r"\]\(\s*(javascript|data|vbscript):", text, re.IGNORECASE)
    assert not re.search(r"(?<!\\)<[a-zA-Z!/]", text), "raw HTML in the briefing"
    assert "[click here](javascript" not in text
    # Every table row keeps its header's column count: feed text cannot add an unescaped `|`.
    columns = 0
    for line in text.splitlines():
        cells = len(re.split(r"(?<!\\)\|", line)) if line.startswith("|") else 0
        columns = columns or cells
        assert cells == columns, line
        columns = columns if cells else 0
    # Link destinations are http(s) and cannot break out of their parentheses.
    for destination in re.findall(r"(?<!\\)\]\(([^)]*)\)", text):
        assert destination.startswith(("http://", "https://")), destination
        assert " " not in destination
    assert len(text) < 2_000_000


def test_json_digest_is_ascii_and_clean(hostile_run: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*hostile_run, "digest", "--offline", "--since", "3650d", "--json"]) == 0
    raw = capsys.readouterr().out
    assert raw.isascii()
    _all_output_checks(raw)
    document = json.loads(raw)
    for story in document["stories"]:
        for item in story["items"]:
            assert item["link"] is None or item["link"].startswith(("http://", "https://"))
            assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e]",
                                 item["title"] + item["summary"])
    assert len(raw) < 2_000_000


def test_story_timelines_of_hostile_items_are_safe(hostile_run: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*hostile_run, "digest", "--offline", "--since", "3650d", "--json"]) == 0
    keys = [story["key"] for story in json.loads(capsys.readouterr().out)["stories"]]
    assert keys
    for key in keys:
        assert main([*hostile_run, "story", key]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out
        assert_safe_for_terminal(out)
        _all_output_checks(out)
        assert main([*hostile_run, "story", key, "--json"]) == 0
        raw = capsys.readouterr().out
        assert raw.isascii()
        _all_output_checks(raw)


def test_fetch_report_of_hostile_feeds_is_safe(tmp_path: Path, feed_server: FeedServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    config = serve_hostile(feed_server, tmp_path)
    assert main(["--config", str(config), "--db", str(tmp_path / "db.sqlite"), "-v",
                 "fetch"]) == 0
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "\x1b" not in stream
        _all_output_checks(stream)
