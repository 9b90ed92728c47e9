"""feedparser's element handlers, replayed as a table: for each element with a feedparser
handler, the kind of handler it has (`KINDS`), and for each kind what its start and its end do
(`HANDLERS`). An element whose handler is missing here makes the document declined."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from counterpoint.parse.fast.dates import parse_date
from counterpoint.parse.fast.document import Declined
from counterpoint.parse.fast.state import State

# Which kind of handler each element's feedparser handler is (`dc_creator` works as `author`).
KINDS: dict[str, str] = {
    "rss": "rss", "channel": "channel", "feed": "feed", "item": "item", "entry": "item",
    "image": "image",
    "author": "author", "managingeditor": "author", "dc_author": "author",
    "dc_creator": "author", "itunes_author": "author", "itunes_owner": "owner",
    "media_group": "nothing", "media_content": "nothing", "cloud": "nothing",
    "enclosure": "nothing",
    "title": "title", "dc_title": "title", "media_title": "media_title",
    "description": "description", "dc_description": "description",
    "media_description": "description",
    "summary": "summary", "itunes_summary": "summary",
    "content": "content", "content_encoded": "content_encoded", "fullitem": "content_encoded",
    "link": "link", "guid": "guid", "id": "guid",
    "pubdate": "published", "published": "published", "issued": "published",
    "dcterms_issued": "published",
    "updated": "updated", "modified": "updated", "lastbuilddate": "updated",
    "dc_date": "updated", "dcterms_modified": "updated",
    "created": "created", "dcterms_created": "created",
    "expirationdate": "expired",
    "source": "source",
    "category": "category", "keywords": "category", "dc_subject": "category",
    "media_category": "category", "itunes_category": "category",
    "itunes_keywords": "keywords", "media_keywords": "keywords",
    "subtitle": "text_content", "tagline": "text_content", "itunes_subtitle": "text_content",
    "rights": "text_content", "copyright": "text_content", "dc_rights": "text_content",
    "info": "text_content", "feedburner_browserfriendly": "text_content",
    "language": "push", "dc_language": "push", "generator": "push", "webmaster": "push",
    "dc_publisher": "push", "newlocation": "push", "media_credit": "push",
    "media_rating": "push", "media_restriction": "push", "media_license": "push",
    "media_thumbnail": "push", "media_player": "push", "width": "push", "height": "push",
    "name": "push", "email": "push", "itunes_name": "push", "itunes_email": "push",
    "url": "push", "uri": "push", "homepage": "push",
    "itunes_image": "itunes_image", "itunes_link": "itunes_image",
    "itunes_block": "push_end_only", "itunes_explicit": "push_end_only",
}
_PUSHES: dict[str, tuple[str, int]] = {
    "language": ("language", 1), "dc_language": ("language", 1),
    "generator": ("generator", 1), "webmaster": ("publisher", 1),
    "dc_publisher": ("publisher", 1), "newlocation": ("newlocation", 1),
    "media_credit": ("credit", 1), "media_rating": ("rating", 1),
    "media_restriction": ("restriction", 1), "media_license": ("license", 1),
    "media_thumbnail": ("url", 1), "media_player": ("media_player", 0),
    "width": ("width", 0), "height": ("height", 0), "name": ("name", 0),
    "email": ("email", 0), "itunes_name": ("name", 0), "itunes_email": ("email", 0),
    "url": ("href", 1), "uri": ("href", 1), "homepage": ("href", 1),
    "itunes_block": ("itunes_block", 1), "itunes_explicit": ("itunes_explicit", 1),
}
_TEXT_CONTENT: dict[str, str] = {
    "subtitle": "subtitle", "tagline": "subtitle", "itunes_subtitle": "subtitle",
    "rights": "rights", "copyright": "rights", "dc_rights": "rights", "info": "info",
    "feedburner_browserfriendly": "info",
}

@dataclass(frozen=True, slots=True)
class Kind:
    """What feedparser does at an element's start (with its attributes) and end (with its
    text); `container` kinds may hold child elements, `people` ones only a person's fields."""

    start: Callable[[State, str, dict[str, str]], None]
    end: Callable[[State, str, str], None]
    container: bool = False
    people: bool = False


def _nothing(state: State, name: str, attrs: dict[str, str]) -> None:
    pass


def _pop_name(state: State, name: str, text: str) -> None:
    """feedparser's generic end: pop the element's own name."""
    state.pop_other(name)


def _in_context(state: State) -> int:
    return state.infeed or state.inentry or state.insource


def _start_title(state: State, name: str, attrs: dict[str, str]) -> None:
    state.push_content("title", attrs, "text/plain", _in_context(state))


def _end_title(state: State, name: str, text: str) -> None:
    state.end_title(text)


def _end_media_title(state: State, name: str, text: str) -> None:
    title_depth = state.title_depth
    state.end_title(text)
    state.title_depth = title_depth


def _start_link(state: State, name: str, attrs: dict[str, str]) -> None:
    state.start_link(attrs)


def _end_link(state: State, name: str, text: str) -> None:
    state.pop("link", text)


def _start_description(state: State, name: str, attrs: dict[str, str]) -> None:
    state.start_description(attrs)


def _start_summary(state: State, name: str, attrs: dict[str, str]) -> None:
    state.start_summary(attrs)


def _end_summary_or_content(key: str) -> Callable[[State, str, str], None]:
    """The end of a description or summary: content when its start found a summary already
    (`summary_key` "content"), else its own `key`."""

    def end(state: State, name: str, text: str) -> None:
        if state.summary_key == "content":
            state.end_content(text)
        else:
            state.pop_content(key, text)
        state.summary_key = None

    return end


def _start_content(state: State, name: str, attrs: dict[str, str]) -> None:
    state.start_content(attrs)


def _start_content_encoded(state: State, name: str, attrs: dict[str, str]) -> None:
    state.has_content = 1
    state.push_content("content", attrs, "text/html", 1)


def _end_content(state: State, name: str, text: str) -> None:
    state.end_content(text)


def _start_guid(state: State, name: str, attrs: dict[str, str]) -> None:
    state.guidislink = attrs.get("ispermalink", "true") == "true"
    state.push("id", 1)


def _end_guid(state: State, name: str, text: str) -> None:
    value = state.pop("id", text)
    if state.guidislink:
        state.save("link", value)


def _dated(key: str) -> Kind:
    """published, updated, created, expired: the text, and its parsed date under `key_parsed`."""

    def start(state: State, name: str, attrs: dict[str, str]) -> None:
        state.push(key, 1)

    def end(state: State, name: str, text: str) -> None:
        value = state.pop(key, text)
        state.save(f"{key}_parsed", parse_date(value), overwrite=True)

    return Kind(start, end)


def _start_category(state: State, name: str, attrs: dict[str, str]) -> None:
    if name == "media_category" and "scheme" not in attrs:
        attrs["scheme"] = "http://search.yahoo.com/mrss/category_schema"
    state.push("category", 1)


def _end_category(state: State, name: str, text: str) -> None:
    state.pop("category", text)


def _start_keywords(state: State, name: str, attrs: dict[str, str]) -> None:
    if attrs:  # feedparser would pop nothing and split None
        raise Declined("keywords with attributes")
    state.push(name, 1)


def _end_keywords(state: State, name: str, text: str) -> None:
    state.pop(name, text)


def _start_push(state: State, name: str, attrs: dict[str, str]) -> None:
    state.push(*_PUSHES[name])


def _start_push_without_attributes(state: State, name: str, attrs: dict[str, str]) -> None:
    if not attrs:
        state.push(*_PUSHES[name])


def _end_push(state: State, name: str, text: str) -> None:
    state.pop(_PUSHES[name][0], text)


def _start_text_content(state: State, name: str, attrs: dict[str, str]) -> None:
    state.push_content(_TEXT_CONTENT[name], attrs, "text/plain", 1)


def _end_text_content(state: State, name: str, text: str) -> None:
    state.pop_content(_TEXT_CONTENT[name], text)


def _start_item(state: State, name: str, attrs: dict[str, str]) -> None:
    state.start_item(attrs)


def _end_item(state: State, name: str, text: str) -> None:
    state.pop_other("item")
    state.inentry = 0
    state.has_content = 0


def _start_channel(state: State, name: str, attrs: dict[str, str]) -> None:
    if "lastmod" in attrs or "href" in attrs:
        raise Declined("CDF channel attributes")
    state.infeed = 1


def _start_feed(state: State, name: str, attrs: dict[str, str]) -> None:
    state.infeed = 1


def _end_feed(state: State, name: str, text: str) -> None:
    state.infeed = 0


def _start_image(state: State, name: str, attrs: dict[str, str]) -> None:
    context = state.context()
    if not state.inentry:
        context.setdefault("image", {})
    state.inimage = 1
    state.title_depth = -1
    state.push("image", 0)


def _end_image(state: State, name: str, text: str) -> None:
    state.pop_other("image")
    state.inimage = 0


def _start_itunes_image(state: State, name: str, attrs: dict[str, str]) -> None:
    state.push("itunes_image", 0)
    href = attrs.get("href") or attrs.get("url")
    if href:
        state.context()["image"] = {"href": href}


def _start_author(state: State, name: str, attrs: dict[str, str]) -> None:
    state.push("author", 1)


def _end_author(state: State, name: str, text: str) -> None:
    state.pop_other("author")


def _start_owner(state: State, name: str, attrs: dict[str, str]) -> None:
    state.push("publisher", 0)


def _end_owner(state: State, name: str, text: str) -> None:
    state.pop_other("publisher")


def _start_source(state: State, name: str, attrs: dict[str, str]) -> None:
    state.push("source", 1)
    state.insource = 1
    state.title_depth = -1


def _end_source(state: State, name: str, text: str) -> None:
    state.insource = 0
    state.pop("source", text)
    state.source.clear()


HANDLERS: dict[str, Kind] = {
    "rss": Kind(_nothing, _pop_name, container=True),
    "nothing": Kind(_nothing, _pop_name, container=True),
    "channel": Kind(_start_channel, _end_feed, container=True),
    "feed": Kind(_start_feed, _end_feed, container=True),
    "item": Kind(_start_item, _end_item, container=True),
    "image": Kind(_start_image, _end_image, container=True),
    "author": Kind(_start_author, _end_author, container=True, people=True),
    "owner": Kind(_start_owner, _end_owner, container=True, people=True),
    "title": Kind(_start_title, _end_title),
    "media_title": Kind(_start_title, _end_media_title),
    "link": Kind(_start_link, _end_link),
    "description": Kind(_start_description, _end_summary_or_content("description")),
    "summary": Kind(_start_summary, _end_summary_or_content("summary")),
    "content": Kind(_start_content, _end_content),
    "content_encoded": Kind(_start_content_encoded, _end_content),
    "guid": Kind(_start_guid, _end_guid),
    "published": _dated("published"),
    "updated": _dated("updated"),
    "created": _dated("created"),
    "expired": _dated("expired"),
    "source": Kind(_start_source, _end_source),
    "category": Kind(_start_category, _end_category),
    "keywords": Kind(_start_keywords, _end_keywords),
    "text_content": Kind(_start_text_content, _end_text_content),
    "push": Kind(_start_push, _end_push),
    "push_end_only": Kind(_start_push_without_attributes, _end_push),
    "itunes_image": Kind(_start_itunes_image, _pop_name),
}
