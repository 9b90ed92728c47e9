"""The part of feedparser's parser state (`_FeedParserMixin`) that the values parse/feed.py
reads depend on, with feedparser's helpers (push, pop, context…) and its larger handlers.

Method names follow feedparser's; see feedparser/mixin.py and feedparser/namespaces/_base.py
for the originals. Which handler runs for which element is `handlers.py`'s table."""

from __future__ import annotations

from typing import Any

from counterpoint.parse.fast.document import Declined, Namespaces
from counterpoint.parse.fast.tables import CAN_BE_RELATIVE_URI, HTML_TYPES
from counterpoint.parse.fast.values import AMPERSAND_REF, fix_text, map_content_type, urljoin

_COPIED_TO_SUMMARY = frozenset({"text/plain", "text/html", "application/xhtml+xml"})
_RELEVANT_CONTENT = frozenset({"title", "description", "summary", "content"})
_PLAIN_OR_HTML = frozenset({"text/plain", "text/html"})
_TYPED = frozenset({"title", "summary"})
# Elements whose popped value can reach a value parse.py reads; other pops only keep
# feedparser's element stack in step.
_VALUE_ELEMENTS = frozenset({"title", "description", "summary", "content", "link", "id",
                             "published", "updated", "created", "expired"})


class State:
    """feedparser's parser state for one document, as far as the values read depend on it."""

    def __init__(self, base: str, namespaces: Namespaces) -> None:
        self.base = base
        self.namespaces = namespaces
        self.depth = 0
        self.infeed = self.inentry = self.inimage = self.insource = 0
        self.incontent = 0
        self.has_content = 0
        self.summary_key: str | None = None
        self.title_depth = -1
        self.guidislink = False
        self.content_type: str | None = None
        self.stack: list[tuple[str, int]] = []
        self.feed: dict[str, Any] = {}
        self.source: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []
        self.depth_maps: list[dict[str, int]] = []

    # -- feedparser's helpers ----------------------------------------------------------------

    def context(self) -> dict[str, Any]:
        if self.insource:
            return self.source
        if self.inimage and "image" in self.feed:
            image: dict[str, Any] = self.feed["image"]
            return image
        if self.inentry:
            return self.entries[-1]
        return self.feed

    def save(self, key: str, value: Any, overwrite: bool = False) -> None:
        context = self.context()
        if overwrite:
            context[key] = value
        else:
            context.setdefault(key, value)

    def push(self, name: str, expecting_text: int) -> None:
        self.stack.append((name, expecting_text))

    def pop_other(self, name: str) -> None:
        """pop() of an element whose value is never read here."""
        if self.stack and self.stack[-1][0] == name:
            self.stack.pop()

    def push_content(self, tag: str, attrs: dict[str, str], default_type: str,
                     expecting_text: int) -> None:
        self.incontent += 1
        content_type = map_content_type(attrs.get("type", default_type))
        base64 = attrs.get("mode", "") == "base64" or not (
            content_type.startswith("text/") or content_type.endswith("+xml")
            or content_type.endswith("/xml"))
        if tag in _RELEVANT_CONTENT and (base64 or content_type not in _PLAIN_OR_HTML):
            raise Declined(f"{content_type} or base64 content in {tag}")
        self.content_type = content_type
        self.push(tag, expecting_text)

    def pop_content(self, tag: str, text: str) -> str | None:
        value = self.pop(tag, text)
        self.incontent -= 1
        self.content_type = None
        return value

    def pop(self, element: str, text: str) -> str | None:
        """feedparser's pop() for a leaf element whose character data is `text`."""
        if not self.stack or self.stack[-1][0] != element:
            return None
        expecting_text = self.stack.pop()[1]
        if element not in _VALUE_ELEMENTS:
            return None
        output = text.strip()
        if not expecting_text:
            return output
        if element in CAN_BE_RELATIVE_URI and output and (element != "id" or self.guidislink):
            output = urljoin(self.base, output)
        output = fix_text(output)
        if element in ("category", "tags", "itunes_keywords"):
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        if self.inentry and not self.insource:
            entry = self.entries[-1]
            if element == "content":
                entry.setdefault("content", []).append(
                    {"value": output, "type": self.content_type})
            elif element == "link":
                if not self.inimage:
                    output = output.replace("&amp;", "&")
                    output = AMPERSAND_REF.sub(r"&\g<1>", output)
                    entry["link"] = output
            else:
                if element == "description":
                    element = "summary"
                depths = self.depth_maps[-1]
                old_depth = depths.get(element)
                if old_depth is None or self.depth <= old_depth:
                    depths[element] = self.depth
                    entry[element] = output
                    if element in _TYPED:  # Atom declares it; parse._normalise reads it
                        entry[element + "_detail"] = {"type": self.content_type}
        elif self.infeed or self.insource:
            context = self.context()
            if element == "description":
                element = "subtitle"
            context[element] = output
            if element == "link":
                context[element] = AMPERSAND_REF.sub(r"&\g<1>", output)
        return output

    # -- feedparser's handlers ---------------------------------------------------------------

    def start_item(self, attrs: dict[str, str]) -> None:
        self.entries.append({})
        self.depth_maps.append({})
        self.push("item", 0)
        self.inentry = 1
        self.guidislink = False
        self.title_depth = -1
        about = attrs.get(f"{self.namespaces.namespacemap.get('rdf', 'rdf')}:about")
        if about:
            self.context()["id"] = about
        if "lastmod" in attrs or "href" in attrs:
            raise Declined("CDF item attributes")

    def end_title(self, text: str) -> None:
        value = self.pop_content("title", text)
        if value:
            self.title_depth = self.depth

    def start_link(self, attrs: dict[str, str]) -> None:
        attrs.setdefault("rel", "alternate")
        if attrs["rel"] == "self":
            attrs.setdefault("type", "application/atom+xml")
        else:
            attrs.setdefault("type", "text/html")
        context = self.context()
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        if href:
            attrs.pop("url", None)
            attrs.pop("uri", None)
            attrs["href"] = href
        if "href" in attrs:
            attrs["href"] = urljoin(self.base, attrs["href"])
            if (attrs.get("rel") == "alternate"
                    and map_content_type(attrs.get("type", "")) in HTML_TYPES):
                context["link"] = attrs["href"]
        else:
            self.push("link", self.infeed or self.inentry or self.insource)

    def start_description(self, attrs: dict[str, str]) -> None:
        if "summary" in self.context() and not self.has_content:
            self.summary_key = "content"
            self.start_content(attrs)
        else:
            self.push_content("description", attrs, "text/html",
                              self.infeed or self.inentry or self.insource)

    def start_summary(self, attrs: dict[str, str]) -> None:
        if "summary" in self.context() and not self.has_content:
            self.summary_key = "content"
            self.start_content(attrs)
        else:
            self.summary_key = "summary"
            self.push_content("summary", attrs, "text/plain", 1)

    def start_content(self, attrs: dict[str, str]) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/plain", 1)
        self.push("content", 1)

    def end_content(self, text: str) -> None:
        copy_to_summary = map_content_type(self.content_type or "") in _COPIED_TO_SUMMARY
        value = self.pop_content("content", text)
        if copy_to_summary:
            self.save("summary", value)

