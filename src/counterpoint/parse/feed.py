"""Feed document -> normalised `Item`s (feedparser is the reference parser).

Runs in a worker process or thread, never on the event loop: it takes bytes and returns plain
records. Every field is cleaned here once (see sanitize); later stages trust it.

XML entities are defused before feedparser sees the document: external entities (XXE) and
entities built from other entities are dropped, and so are long ones, so neither a "billion
laughs" nor a quadratic blow-up can expand a capped document into much more than itself.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from counterpoint.models import Item
from counterpoint.parse.clean import clean_text, one_line, safe_link

MAX_TITLE_CHARS = 300
MAX_SUMMARY_CHARS = 1000
MAX_KEY_CHARS = 512
MAX_ITEMS_PER_FEED = 10_000  # with max_bytes, bounds one feed; archives of thousands stay whole
MAX_ENTITY_CHARS = 16
FUTURE_SLACK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    items: tuple[Item, ...]
    error: str | None = None  # set when the document is not a usable feed
    title: str = ""


def parse_feed(content: bytes, url: str, outlet: str, affiliation: str, fetched_at: datetime,
               content_type: str | None = None) -> ParsedFeed:
    """Parse one feed document. Never raises for bad content: returns `error` instead."""
    return _guarded(content, url, outlet, affiliation, fetched_at, content_type, fast=True)


def parse_feed_reference(content: bytes, url: str, outlet: str, affiliation: str,
                         fetched_at: datetime, content_type: str | None = None) -> ParsedFeed:
    """`parse_feed` with feedparser for every document (no fast path): the reference the fast
    path is checked against (tests/parse/test_fast.py, bench/parse_equivalence.py)."""
    return _guarded(content, url, outlet, affiliation, fetched_at, content_type, fast=False)


def _guarded(content: bytes, url: str, outlet: str, affiliation: str, fetched_at: datetime,
             content_type: str | None, fast: bool) -> ParsedFeed:
    try:
        return _parse(content, url, outlet, affiliation, fetched_at, content_type, fast)
    except Exception as exc:  # a parser bug on hostile input must not kill the run
        return ParsedFeed((), f"could not parse feed: {type(exc).__name__}: "
                              f"{one_line(str(exc), 160)}")


# A document that comes with no media type (a local file, a server that sends none) is read as
# XML itself says: its BOM or declaration names the encoding, else UTF-8. Without a type,
# feedparser's RFC 3023 rules would read it as ISO-8859-1 ("Amsterdam\u00a0" became "AmsterdamÂ").
_UNLABELLED = "application/xml"


def _parse(content: bytes, url: str, outlet: str, affiliation: str, fetched_at: datetime,
           content_type: str | None, fast: bool = True) -> ParsedFeed:
    if not content.strip():
        return ParsedFeed((), "empty document (0 bytes of feed)")
    if content[:2] == b"\x1f\x8b":  # a gzip file saved as is (local feeds, odd servers)
        inflated = _gunzip(content)
        if inflated is None:
            return ParsedFeed((), "not a feed: gzip data that is corrupt or too large")
        content = inflated
    stripped = content.lstrip()
    if stripped[:1] == b"{":
        return _parse_json_feed(stripped, url, outlet, affiliation, fetched_at)

    if fast:
        # Well-formed UTF-8 RSS/Atom without a DTD: the same entries feedparser would give,
        # several times faster (see parse/fast). None means feedparser reads it, as before.
        from counterpoint.parse import fast as fastparse

        claimed = fastparse.parse(content, url, content_type or _UNLABELLED)
        if claimed is not None:
            items = _normalise(claimed.entries, url, claimed.link or url, outlet, affiliation,
                               fetched_at, atom=_root_is_atom(stripped))
            return ParsedFeed(items, None, clean_text(claimed.title, MAX_TITLE_CHARS))

    import feedparser  # heavy import, kept out of CLI start-up

    _guard_entities()
    headers = {"content-location": url}
    headers["content-type"] = content_type or _UNLABELLED
    parsed = feedparser.parse(
        content, response_headers=headers,
        # clean_text reduces every field to plain text (all tags, script and style content
        # dropped) and safe_link resolves links, so feedparser's HTML passes would be wasted
        # work: together they were half of the parse time, with identical items on the corpora.
        sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    if not entries:
        if parsed.get("bozo") and not version:
            cause = _bozo_cause(parsed.get("bozo_exception"), stripped, content_type)
            return ParsedFeed((), cause)
        if not version:
            return ParsedFeed((), _not_a_feed(stripped, content_type))
    base = parsed.get("feed", {}).get("link") or url
    items = _normalise(entries, url, base, outlet, affiliation, fetched_at,
                       atom=version.startswith("atom"))
    title = clean_text(parsed.get("feed", {}).get("title"), MAX_TITLE_CHARS)
    return ParsedFeed(items, None, title)


def _gunzip(content: bytes, limit: int = 32 * 1024 * 1024) -> bytes | None:
    import zlib

    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(content, limit)
    except zlib.error:
        return None
    return None if inflater.unconsumed_tail else out


_HEAD_END = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"""<!(?:ENTITY|DOCTYPE)\b(?:[^<>"']|"[^"]*"|'[^']*')*>?""")
_SAFE_ENTITY = re.compile(rb'<!ENTITY\s+[\w.-]+\s+"(?:&#\w{1,8};|[^&"%%<>]{0,%d})"\s*>'
                          % MAX_ENTITY_CHARS)


def defuse_entities(data: bytes) -> bytes:
    """Keep only small, self-contained entity declarations in the prolog, each on a line of
    its own (feedparser filters declarations only where they start a line)."""
    head_end = _HEAD_END.search(data)
    end = head_end.start() if head_end else len(data)
    head = data[:end]
    if b"<!" not in head:
        return data

    def rewrite(match: re.Match[bytes]) -> bytes:
        declaration = match.group(0)
        if declaration.startswith(b"<!DOCTYPE"):
            return b"\n" + declaration
        return b"\n" + declaration if _SAFE_ENTITY.fullmatch(declaration) else b""

    return _DECLARATION.sub(rewrite, head) + data[end:]


def _guard_entities() -> None:
    """Run `defuse_entities` inside feedparser, after it has re-encoded the document to UTF-8
    (so UTF-16 and UTF-32 documents are defused too) and before expat sees it."""
    import feedparser.api

    original = feedparser.api.replace_doctype
    if getattr(original, "counterpoint_guard", False):
        return

    def guarded(data: bytes) -> Any:
        return original(defuse_entities(data))

    guarded.counterpoint_guard = True  # type: ignore[attr-defined]
    feedparser.api.replace_doctype = guarded


def _bozo_cause(exc: object, content: bytes, content_type: str | None = None) -> str:
    head = content[:200].lower()
    if b"<html" in head or head.startswith(b"<!doctype html") or not _feed_type(content_type):
        return _not_a_feed(content, content_type)
    text = one_line(str(exc), 160) if exc else "malformed document"
    return f"not a valid feed: {text}"


_FEED_TYPES = ("xml", "rss", "atom", "json", "text/plain", "octet-stream")


def _media_type(content_type: str | None) -> str:
    return one_line((content_type or "").split(";")[0], 60).lower()


def _feed_type(content_type: str | None) -> bool:
    """False only for a declared type that cannot be a feed (image/png, video/mp4…)."""
    kind = _media_type(content_type)
    return not kind or kind.startswith("text/") or any(t in kind for t in _FEED_TYPES)


def _not_a_feed(content: bytes, content_type: str | None = None) -> str:
    head = content[:300].lower()
    if b"<html" in head or b"<!doctype html" in head:
        return "not a feed: the URL returned an HTML page (use the site's RSS/Atom link)"
    if not _feed_type(content_type):
        return (f"not a feed: the server sent {_media_type(content_type)}, "
                "not RSS, Atom or JSON Feed")
    return "not a feed: no RSS, Atom or JSON Feed found in the document"


def _normalise(entries: list[Any], url: str, base: str, outlet: str, affiliation: str,
               fetched_at: datetime, atom: bool = False) -> tuple[Item, ...]:
    """Entries -> items. In Atom a text construct declares its type (no `type` is "text");
    in RSS feedparser's type is a guess, so RSS text is always read as HTML."""
    items: list[Item] = []
    seen_keys: set[str] = set()
    seen_links: set[str] = set()
    for entry in entries[:MAX_ITEMS_PER_FEED]:
        title = _text(entry.get("title"), atom and entry.get("title_detail"), MAX_TITLE_CHARS)
        summary_raw = entry.get("summary") or ""
        detail = atom and entry.get("summary_detail")
        if not summary_raw and entry.get("content"):
            summary_raw = entry["content"][0].get("value", "")
            detail = atom and entry["content"][0]
        summary = _text(summary_raw, detail, MAX_SUMMARY_CHARS)
        if not title:
            title = clean_text(summary, 120)
        if not title:
            continue
        link = safe_link(entry.get("link"), base) or safe_link(entry.get("id"), None)
        published, dated = _published(entry, fetched_at)
        key = _key(entry.get("id"), link, title, summary)
        if key in seen_keys or (link and link in seen_links):
            continue
        seen_keys.add(key)
        if link:
            seen_links.add(link)
        items.append(Item(outlet=outlet, affiliation=affiliation, feed_url=url, key=key,
                          title=title, summary=summary if summary != title else "", link=link,
                          published=published, dated=dated))
    return tuple(items)


def _text(raw: str | None, detail: Any, max_chars: int) -> str:
    """A field as plain text. An Atom `type="text"` field (feedparser's text/plain) is text
    already: "Use <b> for bold" keeps its "<b>" (escaped wherever it is shown); anything else
    is read as HTML."""
    if isinstance(detail, dict) and detail.get("type") == "text/plain":
        return one_line(raw, max_chars)
    return clean_text(raw, max_chars)


_ROOT = re.compile(rb"<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def _root_is_atom(content: bytes) -> bool:
    """Whether the document element is Atom's `feed` (past the prolog and comments)."""
    position = 0
    while True:
        match = _ROOT.search(content, position, position + 65536)
        if match is None:
            return False
        before = content[position:match.start()]
        if b"<!--" in before and b"-->" not in before[before.rfind(b"<!--"):]:
            end = content.find(b"-->", match.start())
            if end < 0:
                return False
            position = end + 3
            continue
        return match.group(2) == b"feed"


def _published(entry: Any, fetched_at: datetime) -> tuple[datetime, bool]:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, field)  # no feedparser key aliasing (and its warning)
        if value:
            try:
                moment = datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, OSError):
                continue
            if moment > fetched_at + FUTURE_SLACK or moment.year < 1990:
                return fetched_at, False  # a date from the future or the epoch is not a date
            # A little ahead of us is a wrong clock or time zone: the item exists now, and a
            # window that ends now must not lose it.
            return min(moment, fetched_at), True
    return fetched_at, False


def _key(guid: Any, link: str | None, title: str, summary: str) -> str:
    if isinstance(guid, str) and guid.strip():
        return "g:" + clean_text(guid, MAX_KEY_CHARS)
    if link:
        return "l:" + link[:MAX_KEY_CHARS]
    digest = hashlib.sha1(f"{title}\n{summary}".encode(), usedforsecurity=False).hexdigest()
    return "h:" + digest


def _parse_json_feed(content: bytes, url: str, outlet: str, affiliation: str,
                     fetched_at: datetime) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (feedparser does not read it)."""
    try:
        doc = json.loads(content, strict=False)
    except (ValueError, RecursionError) as exc:
        return ParsedFeed((), f"not a valid JSON Feed: {one_line(str(exc), 120)}")
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        return ParsedFeed((), "not a feed: JSON document without a JSON Feed version")
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        return ParsedFeed((), "not a valid JSON Feed: no items list")
    home = doc.get("home_page_url")
    base = home if isinstance(home, str) else url
    entries = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        entries.append({
            "id": str(raw["id"]) if raw.get("id") is not None else None,
            "title": raw.get("title") if isinstance(raw.get("title"), str) else None,
            "summary": next((raw[k] for k in ("summary", "content_text", "content_html")
                             if isinstance(raw.get(k), str)), ""),
            "link": raw.get("url") if isinstance(raw.get("url"), str) else None,
            "published_parsed": _json_date(raw.get("date_published")),
            "updated_parsed": _json_date(raw.get("date_modified")),
        })
    items = _normalise(entries, url, base, outlet, affiliation, fetched_at)
    title = doc.get("title")
    return ParsedFeed(items, None, clean_text(title if isinstance(title, str) else "",
                                              MAX_TITLE_CHARS))


def _json_date(value: Any) -> Any:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).timetuple()
