"""A fast path for the common feed document, with feedparser's exact results or none at all.

`parse_feed` spends most of its time in feedparser's SAX machinery (a Python call and several
dictionary look-ups per element, URL joins for every element's base, deep copies of content
parameters). This package reads the same document with `xml.etree.ElementTree` (expat, as
feedparser's strict parser uses) and replays, for each element, the part of feedparser 6's
state machine (`feedparser.mixin`, `feedparser.namespaces._base`, `dc`, `mediarss`, `itunes`)
that can change what `parse._normalise` reads: each entry's title, summary, content, link, id
and parsed dates, and the feed's title and link. Everything else feedparser records is never
read, so it is not kept.

It claims a document only when it can be sure of giving the same values, and returns None
otherwise so that the caller uses feedparser. It declines:
- anything but UTF-8 as feedparser would decode it (an ASCII document declared as ASCII or
  Latin-1 counts), byte-order marks other than UTF-8's, and documents expat rejects (so the
  loose parser never comes into it);
- any `<!DOCTYPE` or `<!ENTITY` (the entity defusing in parse.py stays feedparser's job);
- `xml:base` or `base` attributes, elements whose feedparser handler is not replayed here
  (RSS 1.0 textinput, GeoRSS, Podlove chapters, xhtml bodies, contributors…), child elements
  inside a text element (inline XHTML), base64 or XHTML text constructs, and namespace
  declarations that could make feedparser map a prefix differently from the URI (such as a
  prefix feedparser knows, `dc`, bound to another URI while Dublin Core has a prefix of its own);
- documents without entries (their error messages depend on feedparser's bozo state).

The rooms: `tables` (copied from feedparser), `document` (decoding, namespace declarations),
`values` (URL joins, text repair), `dates`, `state` (feedparser's parser state and helpers),
`handlers` (each element's handler, as a table), `walk` (the tree walk).

`tests/parse/test_fast.py` and `bench/parse_equivalence.py` check, on every fixture and corpus
file and on generated documents, that a claimed document yields exactly feedparser's items.
Tables copied from feedparser (handler names, namespaces, URI schemes, cp1252 map) are checked
against the installed feedparser by the tests, so an upgrade that changes them fails loudly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from counterpoint.parse.fast.dates import parse_date
from counterpoint.parse.fast.document import (
    MAX_FAST_BYTES,
    Declined,
    Namespaces,
    has_declarations,
    utf8_document,
)
from counterpoint.parse.fast.state import State
from counterpoint.parse.fast.values import document_base
from counterpoint.parse.fast.walk import Walker

__all__ = ["MAX_FAST_BYTES", "FastFeed", "parse", "parse_date"]


@dataclass(frozen=True, slots=True)
class FastFeed:
    """What `parse/feed.py` reads from feedparser's result, as feedparser would give it."""

    entries: list[dict[str, Any]]
    title: str | None
    link: str | None


def parse(content: bytes, url: str, content_type: str | None) -> FastFeed | None:
    """feedparser's entries for `content`, or None when the fast path cannot be sure of them."""
    if len(content) > MAX_FAST_BYTES:
        return None
    try:
        data = utf8_document(content, content_type)
        if data is None or has_declarations(data):
            return None
        namespaces = Namespaces(data)
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            return None
        state = State(document_base(url), namespaces)
        Walker(state).walk(root)
    except (Declined, RecursionError):
        return None
    except Exception:  # anything unforeseen: feedparser decides, as before
        return None
    if not state.entries:
        return None
    return FastFeed(state.entries, state.feed.get("title"), state.feed.get("link"))
