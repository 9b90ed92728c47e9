"""Walking the element tree as feedparser's StrictFeedParser meets it: each element's
handler name (`unknown_starttag`), its attributes (`startElementNS`), then the handler's
start, the children, and its end (see `handlers.py`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from counterpoint.parse.fast.document import Declined
from counterpoint.parse.fast.handlers import HANDLERS, KINDS, Kind
from counterpoint.parse.fast.state import State
from counterpoint.parse.fast.tables import (
    END_HANDLERS,
    KEYMAP,
    MATCH_NAMESPACES,
    START_HANDLERS,
    words,
)

_IMAGE_KEEPERS = frozenset({"title", "link", "description", "url", "href", "width", "height"})
_AUTHOR_CHILDREN = frozenset({"name", "email", "url", "uri", "homepage", "itunes_name",
                              "itunes_email"})

# Keys that an element without a handler must not be stored under: values read here or by
# parse._normalise, or containers that feedparser's handlers index into (a string there would
# make feedparser raise).
_RESERVED_KEYS = words("""
title subtitle summary content description link links id guidislink image tags category author
authors publisher publishers contributor contributors source media_content media_thumbnail
media_credit media_rating media_restriction media_license media_player cloud textinput
published updated created expired enclosures license
""")


class Walker:
    """Replays one document's elements on a `State`."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.names: dict[str, tuple[str, bool, Kind | None]] = {}

    def element_name(self, tag: str) -> tuple[str, bool, Kind | None]:
        """(feedparser's handler suffix, whether the tag has no prefix, how it is replayed)."""
        cached = self.names.get(tag)
        if cached is not None:
            return cached
        namespaces = self.state.namespaces
        if tag[0] == "{":
            uri, local = tag[1:].split("}", 1)
            if local in ("svg", "math"):
                raise Declined("inline svg or math")
            prefix = namespaces.element_prefix(uri)
            full = f"{prefix}:{local}".lower() if prefix else local.lower()
        else:
            full = tag.lower()
        if ":" in full:
            prefix, suffix = full.split(":", 1)
        else:
            prefix, suffix = "", full
        prefix = namespaces.namespacemap.get(prefix, prefix)
        name = f"{prefix}_{suffix}" if prefix else suffix
        kind: Kind | None
        if name in START_HANDLERS or name in END_HANDLERS:
            kind_name = KINDS.get(name)
            if kind_name is None:
                raise Declined(f"feedparser handler not replayed: {name}")
            kind = HANDLERS[kind_name]
        else:
            kind = None
            mapped = KEYMAP.get(name, name)
            key = mapped[0] if isinstance(mapped, list) else mapped
            if (name in _RESERVED_KEYS or key in _RESERVED_KEYS or key.endswith("_parsed")
                    or key.endswith("_detail")):
                raise Declined(f"element stored under a key feedparser uses: {name}")
        result = (name, not prefix, kind)
        self.names[tag] = result
        return result

    def walk(self, element: ET.Element) -> None:
        state = self.state
        name, no_prefix, kind = self.element_name(element.tag)
        attrs = attributes(element.attrib) if element.attrib else {}
        state.depth += 1
        if "xml:base" in attrs or "base" in attrs:
            raise Declined("xml:base")
        if no_prefix and name not in _IMAGE_KEEPERS:
            state.inimage = 0
        children = len(element)
        if kind is None:  # no handler: feedparser keeps the text or attributes under `name`
            if not attrs:
                state.push(name, 1)
            for child in element:
                self.walk(child)
            state.pop_other(name)
        else:
            if children and not kind.container:
                raise Declined(f"child elements inside {name}")
            kind.start(state, name, attrs)
            if children:
                if kind.people:
                    for child in element:
                        if self.element_name(child.tag)[0] not in _AUTHOR_CHILDREN:
                            raise Declined("unexpected element inside an author")
                for child in element:
                    self.walk(child)
            kind.end(state, name, element.text or "")
        state.depth -= 1


def attributes(attrib: dict[str, str]) -> dict[str, str]:
    """The attribute dictionary feedparser's handlers get (StrictFeedParser.startElementNS,
    then unknown_starttag's normalisation)."""
    attrs: dict[str, str] = {}
    seen: set[str] = set()
    for key, value in attrib.items():
        if key[0] == "{":
            uri, local = key[1:].split("}", 1)
            prefix = MATCH_NAMESPACES.get(uri.lower(), "")
            low = local.lower()
            if prefix:
                attrs[f"{prefix}:{local}".lower()] = value
        else:
            low = key.lower()
        if low in seen:
            raise Declined("attributes that feedparser would merge")
        seen.add(low)
        attrs[low] = value
    for key in ("rel", "type"):  # _normalize_attributes
        if key in attrs:
            attrs[key] = attrs[key].lower()
    return attrs
