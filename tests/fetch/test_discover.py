"""Feed discovery for `feeds add`: a site URL leads to the feed its page advertises."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from counterpoint.config.load import load_config
from counterpoint.fetch.discover import alternate_links
from counterpoint.timeutil import utcnow
from feedserver import FeedServer
from feedshelp import install_config, rss, run

FEED = rss([("A story", utcnow() - timedelta(hours=1))], title="Site feed")


def _page(*links: str) -> bytes:
    return ("<!DOCTYPE html><html><head><title>Site</title>" + "".join(links)
            + "</head><body><p>Hello</p></body></html>").encode()


def _html(server: FeedServer, path: str, body: bytes) -> str:
    return server.add(path, body, headers={"Content-Type": "text/html; charset=utf-8"})


def test_a_site_url_adds_the_feed_its_page_advertises(
        isolated_home: Path, feed_server: FeedServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    feed = feed_server.add("/news/rss.xml", FEED)
    site = _html(feed_server, "/news/", _page(
        '<link rel="alternate" type="application/rss+xml" title="News" href="rss.xml">'))
    code, _, err = run(capsys, "feeds", "add", site, "--name", "Site", "--affiliation", "ngo")
    outlet = load_config(str(path)).outlet("Site")
    assert code == 0
    assert outlet is not None and outlet.feeds == (feed,)
    assert f"using {feed}" in err


def test_a_feed_url_is_added_as_it_is(isolated_home: Path, feed_server: FeedServer,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    feed = feed_server.add("/feed.xml", FEED, headers={"Content-Type": "application/rss+xml"})
    code, _, _ = run(capsys, "feeds", "add", feed, "--name", "Direct", "--affiliation", "ngo")
    outlet = load_config(str(path)).outlet("Direct")
    assert code == 0
    assert outlet is not None and outlet.feeds == (feed,)


def test_a_broken_first_candidate_falls_back_to_the_next(
        isolated_home: Path, feed_server: FeedServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    atom = feed_server.add("/atom.xml", FEED)
    site = _html(feed_server, "/", _page(
        '<link rel="alternate" type="application/rss+xml" href="/missing.xml">',
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'))
    code, _, _ = run(capsys, "feeds", "add", site, "--name", "Site", "--affiliation", "ngo")
    outlet = load_config(str(path)).outlet("Site")
    assert code == 0
    assert outlet is not None and outlet.feeds == (atom,)


def test_a_page_that_advertises_no_feed_is_refused_and_nothing_written(
        isolated_home: Path, feed_server: FeedServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    site = _html(feed_server, "/plain", _page('<link rel="stylesheet" href="/s.css">'))
    code, _, err = run(capsys, "feeds", "add", site, "--name", "Site", "--affiliation", "ngo")
    assert code == 2
    assert "advertises no feed" in err
    assert path.read_bytes() == before


def test_an_unreachable_url_is_refused_with_a_hint(
        isolated_home: Path, feed_server: FeedServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    install_config(isolated_home)
    code, _, err = run(capsys, "feeds", "add", feed_server.url("/nowhere"), "--name", "Site",
                       "--affiliation", "ngo")
    assert code == 1
    assert "HTTP 404" in err
    assert "--no-check" in err


def test_relative_hrefs_resolve_against_the_base_element() -> None:
    links = alternate_links(
        '<html><head><base href="https://cdn.example/feeds/">'
        '<link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>',
        "https://site.example/page")
    assert [c.url for c in links] == ["https://cdn.example/feeds/atom.xml"]


def test_only_http_links_of_feed_types_are_kept() -> None:
    links = alternate_links(
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        '<link rel="alternate" type="text/html" href="/fr/">'
        '<link rel="Alternate feed" type="application/feed+json; charset=utf-8" href="/f.json">'
        '<link rel="alternate" type="application/rss+xml" href="ftp://x.example/rss">',
        "https://site.example/")
    assert [(c.url, c.type) for c in links] == [("https://site.example/f.json",
                                                 "application/feed+json")]


def test_a_feed_that_moved_permanently_is_added_at_its_new_address(
        isolated_home: Path, feed_server: FeedServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    new = feed_server.add("/new.xml", FEED)
    old = feed_server.add("/old.xml", status=301, headers={"Location": "/new.xml"})
    code, _, err = run(capsys, "feeds", "add", old, "--name", "Moved", "--affiliation", "ngo")
    outlet = load_config(str(path)).outlet("Moved")
    assert code == 0
    assert outlet is not None and outlet.feeds == (new,)
    assert f"moved permanently; using {new}" in err
