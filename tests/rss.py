"""Build small RSS 2.0 documents for tests (titles are XML-escaped, so hostile text survives
the XML layer and reaches our sanitising exactly as written)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape


@dataclass
class Entry:
    title: str
    summary: str = ""
    link: str | None = None
    hours_ago: float | None = 1.0
    guid: str | None = None


def rss(entries: list[Entry], title: str = "Test feed", now: datetime | None = None) -> bytes:
    now = now or datetime.now(UTC)
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0"><channel>',
             f"<title>{escape(title)}</title><link>https://example.org/</link>",
             "<description>test</description>"]
    for n, entry in enumerate(entries):
        parts.append("<item>")
        parts.append(f"<title>{escape(entry.title)}</title>")
        if entry.summary:
            parts.append(f"<description>{escape(entry.summary)}</description>")
        link = entry.link if entry.link is not None else f"https://example.org/{title}/{n}"
        if link:
            parts.append(f"<link>{escape(link)}</link>")
        if entry.guid:
            parts.append(f"<guid>{escape(entry.guid)}</guid>")
        if entry.hours_ago is not None:
            when = now - timedelta(hours=entry.hours_ago)
            parts.append(f"<pubDate>{format_datetime(when)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")
