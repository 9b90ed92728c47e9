"""Find the feed behind a site URL, for `feeds add`.

A URL that already serves a feed is kept as it is. An HTML page is searched for the feeds it
advertises (`<link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href=…>`);
relative hrefs are resolved against the page (or its `<base href>`), only http(s) results are
kept, and the first one that parses as a feed is chosen. A feed that has moved permanently
(301/308) is configured at its new address, and the user is told. Downloads go through
`fetch.Fetcher` with the config's limits, so discovery is as polite and bounded as a fetch run.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from counterpoint.errors import DiscoveryError, FeedError
from counterpoint.fetch.http import Download, Fetcher, Limits
from counterpoint.models import FeedStatus

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
MAX_CANDIDATES = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    url: str
    type: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Discovery:
    """The feed URL to configure; `page` is set when it was found on an HTML page."""

    url: str
    page: str | None = None
    candidates: tuple[Candidate, ...] = ()
    title: str = ""


class _AlternateLinks(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = page_url
        self.found: list[Candidate] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key.lower(): (value or "") for key, value in attrs}
        if tag == "base" and values.get("href"):
            self.base = urljoin(self.base, values["href"].strip())
        if tag != "link":
            return
        rel = values.get("rel", "").lower().split()
        kind = values.get("type", "").split(";")[0].strip().lower()
        href = values.get("href", "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            return
        url = urljoin(self.base, href)
        if urlsplit(url).scheme.lower() in ("http", "https") and urlsplit(url).netloc \
                and all(c.url != url for c in self.found):
            self.found.append(Candidate(url, kind, values.get("title") or None))

    handle_startendtag = handle_starttag


def alternate_links(html: str, page_url: str) -> list[Candidate]:
    """The feeds an HTML page advertises, resolved to absolute http(s) URLs, in page order."""
    parser = _AlternateLinks(page_url)
    parser.feed(html)
    parser.close()
    return parser.found


def looks_like_html(download: Download) -> bool:
    kind = (download.content_type or "").lower()
    if "html" in kind and "xhtml" not in kind:
        return True
    head = (download.content or b"")[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _feed_title(download: Download) -> tuple[str | None, str]:
    """(error, title) of a downloaded document read as a feed."""
    from counterpoint.parse.feed import parse_feed
    from counterpoint.timeutil import utcnow

    if download.content is None:
        return download.error or "no content", ""
    parsed = parse_feed(download.content, download.final_url or download.url, "", "",
                        utcnow(), download.content_type)
    return parsed.error, parsed.title


async def _discover(url: str, limits: Limits) -> Discovery:
    async with Fetcher(limits) as fetcher:
        page = await fetcher.download(url)
        if page.status is not FeedStatus.OK:
            raise FeedError(f"cannot fetch {url}: {page.error or page.status} "
                                    "(use --no-check to add it without fetching)")
        if not looks_like_html(page):
            error, title = _feed_title(page)
            if error:
                raise DiscoveryError(f"{url} is neither a feed nor an HTML page that links to "
                                     f"one: {error}")
            return Discovery(page.permanent_redirect or url, title=title)
        html = (page.content or b"").decode("utf-8", errors="replace")
        candidates = alternate_links(html, page.final_url or url)
        if not candidates:
            raise DiscoveryError(
                f"{url} is an HTML page that advertises no feed (no <link rel=\"alternate\" "
                "type=\"application/rss+xml|atom+xml|feed+json\">); give the feed's own URL")
        problems = []
        for candidate in candidates[:MAX_CANDIDATES]:
            feed = await fetcher.download(candidate.url)
            error, title = _feed_title(feed) if feed.status is FeedStatus.OK else (feed.error, "")
            if not error:
                return Discovery(feed.permanent_redirect or candidate.url, url,
                                 tuple(candidates), title)
            problems.append(f"{candidate.url}: {error}")
        raise DiscoveryError(f"{url} advertises {len(candidates)} feed(s) but none works: "
                             + "; ".join(problems))


def discover_feed(url: str, limits: Limits) -> Discovery:
    """The feed to configure for `url` (a feed or a page advertising feeds)."""
    return asyncio.run(_discover(url, limits))
