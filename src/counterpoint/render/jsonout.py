"""The versioned JSON documents of CONTRACT.md (schema_version 1).

Fields may be added; none is renamed or dropped without a deprecation path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from counterpoint.models import FeedResult, Item, Story
from counterpoint.render.jsontext import dumps_indented, write_indented
from counterpoint.timeutil import iso

if TYPE_CHECKING:
    from datetime import datetime

    from counterpoint.analysis.digest import Digest
    from counterpoint.update.check import FeedCheck

SCHEMA_VERSION = 1


def dumps(document: dict[str, Any]) -> str:
    return _inert(dumps_indented(document))


def write(document: dict[str, Any], stream: TextIO) -> None:
    """`dumps(document)` and a newline written to `stream` piece by piece (a 10,000-item digest
    is 32 MB of text: held whole, with its escaped copies, it was a third of the peak memory)."""
    write_indented(document, lambda text: stream.write(_inert(text)))
    stream.write("\n")


def _inert(text: str) -> str:
    # ensure_ascii keeps control and bidi characters as \u escapes: safe to cat to a terminal;
    # <, > and & escaped too, so the text stays inert if someone embeds the JSON in HTML.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def feed_json(feed: FeedResult) -> dict[str, Any]:
    return {
        "outlet": feed.outlet,
        "affiliation": feed.affiliation,
        "url": feed.url,
        "status": feed.status.value,
        "error": feed.error,
        "new_items": feed.new_items,
        "http_status": feed.http_status,
        "healthy": feed.healthy,
        "checked_at": iso(feed.checked_at),
        "last_ok": iso(feed.last_ok),
        "newest_item": iso(feed.newest_item),
        "permanent_redirect": feed.permanent_redirect,
        "elapsed": None if feed.elapsed is None else round(feed.elapsed, 3),
    }


def fetch_json(feeds: list[FeedResult]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "feeds": [feed_json(f) for f in feeds]}


def item_json(item: Item) -> dict[str, Any]:
    return {
        "title": item.title,
        "link": item.link,
        "outlet": item.outlet,
        "affiliation": item.affiliation,
        "published": iso(item.published),
        "dated": item.dated,
        "summary": item.summary,
    }


def story_json(digest: Digest, story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "topic": story.topic,
        "affiliations": story.affiliations,
        "outlets": list(story.outlets),
        "first_published": iso(story.first_published),
        "last_published": iso(story.last_published),
        "coverage": digest.coverage[story.id],
        "coverage_by_affiliation": [c.to_json() for c in digest.coverage_summary[story.id]],
        "items": [item_json(i) for i in story.items],
        "framing": [row.to_json() for row in digest.framing[story.id]],
        "figures": [f.to_json() for f in digest.figures[story.id]],
        "terms": [t.to_json() for t in digest.terms[story.id]],
    }


def digest_json(digest: Digest) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso(digest.generated_at),
        "config": digest.config_path,
        "window": {"since": iso(digest.window.since), "until": iso(digest.window.until)},
        "affiliations": digest.affiliations,
        "affiliation_order": list(digest.order),
        "mix": digest.mix.to_json(),
        "feeds": [feed_json(f) for f in digest.feeds],
        "topics": [{"label": t.label, "key": t.key, "stories": list(t.story_ids)}
                   for t in digest.topics],
        "stories": [story_json(digest, s) for s in digest.stories],
        "stories_total": digest.total_stories,
        "blindspots": [b.story_id for b in digest.blindspots],
        "blindspot_details": [b.to_json() for b in digest.blindspots],
        "reading_list": [pick.to_json() for pick in digest.reading_list],
    }


def feed_check_json(check: FeedCheck, now: datetime) -> dict[str, Any]:
    """One `feeds check` result: the feed record plus what the check saw (it stores nothing)."""
    document = feed_json(check.result)
    document.pop("new_items")
    age = check.newest_age(now)
    document.update({
        "items": check.result.items_seen, "dated_items": check.dated_items,
        "newest_age_seconds": None if age is None else int(age.total_seconds()),
        "stale": check.stale, "fix": check.fix})
    return document
