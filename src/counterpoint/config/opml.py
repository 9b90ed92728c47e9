"""OPML in (1.0 and 2.0) and out (2.0), so a feed list moves to and from other readers.

Export: one folder per affiliation (titled with the class label), one `<outline type="rss">`
per feed. Counterpoint's own fields travel as namespaced attributes
(`counterpoint:affiliation`, `counterpoint:country`, …), which newsboat, Miniflux and FreshRSS
ignore, so the file imports there and comes back here without loss.

Import: every outline with an `xmlUrl` is a feed; outlines sharing a name become one outlet.
An outline's affiliation is its own `counterpoint:affiliation`, else the innermost enclosing
folder whose title (or `counterpoint:affiliation`) names a class key or label, else the
`--affiliation` default. Parsing is guarded: documents over `MAX_BYTES` or containing a
DOCTYPE or ENTITY declaration are refused before the XML parser sees them.
"""

from __future__ import annotations

import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from counterpoint.config.load import OUTLET_TEXT_FIELDS, Config
from counterpoint.errors import OpmlError
from counterpoint.models import Outlet

NAMESPACE = "https://counterpoint.invalid/opml/1"
PREFIX = "counterpoint"
MAX_BYTES = 5 * 1024 * 1024
_FIELDS = ("affiliation", *OUTLET_TEXT_FIELDS)


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed outline: its outlet name, URL, and Counterpoint fields found for it."""

    name: str
    url: str
    fields: Mapping[str, str] = field(default_factory=dict)
    folder_hint: str | None = None  # class suggested by the enclosing folders


# -- reading --------------------------------------------------------------------------------------
def read_opml(data: bytes, source: str = "OPML") -> list[OpmlFeed]:
    """Every feed outline of an OPML document, in document order (duplicates kept)."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"{source}: larger than {MAX_BYTES // (1024 * 1024)} MB; refusing to "
                        "parse it")
    if b"\x00" in data:
        raise OpmlError(f"{source}: not UTF-8 (or another ASCII-compatible encoding); save it "
                        "as UTF-8 and try again")
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise OpmlError(f"{source}: contains a DOCTYPE or ENTITY declaration; such documents "
                        "are refused for safety (OPML never needs them)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"{source}: not well-formed XML: {exc}") from None
    if _local(root.tag) != "opml":
        raise OpmlError(f"{source}: not an OPML document (root element <{_local(root.tag)}>)")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OpmlError(f"{source}: OPML without a <body>")
    feeds: list[OpmlFeed] = []
    _walk(body, [], feeds)
    return feeds


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _attr(element: ET.Element, name: str) -> str | None:
    """A plain attribute, matched case-insensitively (`xmlUrl`, `xmlurl`…)."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if not key.startswith("{") and key.lower() == wanted:
            return value.strip() or None
    return None


def _ours(element: ET.Element) -> dict[str, str]:
    fields = {}
    for key in _FIELDS:
        value = element.get(f"{{{NAMESPACE}}}{key}")
        if value is not None and value.strip():
            fields[key] = value.strip()
    return fields


def _walk(element: ET.Element, folders: list[ET.Element], out: list[OpmlFeed]) -> None:
    for child in element:
        if _local(child.tag) != "outline":
            continue
        url = _attr(child, "xmlUrl")
        if url is not None:
            name = _attr(child, "text") or _attr(child, "title") or urlsplit(url).hostname or url
            out.append(OpmlFeed(" ".join(name.split()), url, _ours(child),
                                _folder_hint(folders)))
        _walk(child, [*folders, child], out)


def _folder_hint(folders: Sequence[ET.Element]) -> str | None:
    """The innermost folder's class: `counterpoint:affiliation`, else its title (resolved later)."""
    for folder in reversed(folders):
        ours = folder.get(f"{{{NAMESPACE}}}affiliation")
        if ours and ours.strip():
            return ours.strip()
        title = _attr(folder, "text") or _attr(folder, "title")
        if title:
            return title
    return None


def _class_of(hint: str | None, affiliations: Mapping[str, str]) -> str | None:
    if not hint:
        return None
    wanted = hint.casefold()
    for key, label in affiliations.items():
        if wanted in (key.casefold(), label.casefold()):
            return key
    return None


def _folder_class(feed: OpmlFeed, affiliations: Mapping[str, str]) -> str | None:
    return _class_of(feed.folder_hint, affiliations)


# -- planning an import ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import adds: outlets (name, affiliation, feeds, fields) and what it skips."""

    outlets: tuple[tuple[str, str, tuple[str, ...], dict[str, str]], ...]
    skipped: tuple[str, ...]  # one line per feed left out, with why
    notes: tuple[str, ...] = ()  # feeds added to existing outlets whose label differs


def plan_import(feeds: Sequence[OpmlFeed], config: Config,
                default_affiliation: str | None) -> ImportPlan:
    """Group feeds into outlets, assign classes, and drop URLs already configured.

    Raises OpmlError listing every outline with no class when there is no default, and every
    outline whose class is unknown to the config.
    """
    affiliations = config.affiliations
    configured = {_as_url(url) for outlet in config.outlets for url in outlet.feeds}
    grouped: dict[str, tuple[str, list[str], dict[str, str]]] = {}
    missing: list[str] = []
    unknown: list[str] = []
    skipped: list[str] = []
    notes: list[str] = []
    seen: set[str] = set()
    for feed in feeds:
        scheme = urlsplit(feed.url).scheme.lower()
        if scheme not in ("http", "https", "file") or (scheme != "file"
                                                       and not urlsplit(feed.url).netloc):
            skipped.append(f"{feed.name}: {feed.url} (only http(s) and file URLs are imported)")
            continue
        if _as_url(feed.url) in configured or feed.url in seen:
            skipped.append(f"{feed.name}: {feed.url} (already configured)")
            continue
        seen.add(feed.url)
        explicit = feed.fields.get("affiliation")
        affiliation = explicit or _folder_class(feed, affiliations) or default_affiliation
        if affiliation is None:
            missing.append(f"{feed.name} <{feed.url}>")
            continue
        if affiliation not in affiliations:
            unknown.append(f"{feed.name} <{feed.url}>: {affiliation!r}")
            continue
        fields = {k: v for k, v in feed.fields.items() if k != "affiliation"}
        existing = config.outlet(feed.name)
        if existing is not None:  # your label wins; the OPML only brings a new feed
            if affiliation != existing.affiliation or any(
                    getattr(existing, k) != v for k, v in fields.items()):
                notes.append(f"{feed.name}: kept your label for this outlet (the OPML file "
                             "labels it differently); added the feed " + feed.url)
            affiliation, fields = existing.affiliation, {}
        if feed.name in grouped:
            grouped[feed.name][1].append(feed.url)
            for key, value in fields.items():
                grouped[feed.name][2].setdefault(key, value)
        else:
            grouped[feed.name] = (affiliation, [feed.url], fields)
    if unknown:
        raise OpmlError("outlines with an affiliation this feeds.toml does not define (known: "
                        f"{', '.join(affiliations)}): " + "; ".join(unknown))
    if missing:
        raise OpmlError(
            f"{len(missing)} outline(s) have no affiliation (no counterpoint:affiliation and no "
            "folder named after a class); give one with --affiliation CLASS, or put them in "
            "folders named after classes: " + "; ".join(missing))
    outlets = tuple((name, aff, tuple(urls), fields)
                    for name, (aff, urls, fields) in grouped.items())
    return ImportPlan(outlets, tuple(skipped), tuple(notes))


# -- writing --------------------------------------------------------------------------------------
def export_opml(config: Config, order: Sequence[str], now_timestamp: float,
                title: str = "Counterpoint feeds") -> str:
    """OPML 2.0: a folder per class in `order`, an outline per feed, our fields namespaced."""
    ET.register_namespace(PREFIX, NAMESPACE)
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = email.utils.formatdate(now_timestamp, usegmt=True)
    body = ET.SubElement(root, "body")
    for key in order:
        outlets = [o for o in config.outlets if o.affiliation == key]
        if not outlets:
            continue
        label = config.affiliations.get(key, key)
        folder = ET.SubElement(body, "outline", {"text": label, "title": label,
                                                 f"{{{NAMESPACE}}}affiliation": key})
        for outlet in outlets:
            for url in outlet.feeds:
                ET.SubElement(folder, "outline", _feed_attributes(outlet, url))
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _as_url(feed: str) -> str:
    """A configured feed as a URL: local paths (absolute once loaded) become file:// URIs."""
    if urlsplit(feed).scheme.lower() in ("http", "https", "file"):
        return feed
    return Path(feed).as_uri()


def _feed_attributes(outlet: Outlet, url: str) -> dict[str, str]:
    attributes = {"type": "rss", "text": outlet.name, "title": outlet.name,
                  "xmlUrl": _as_url(url)}
    for key in _FIELDS:
        value = getattr(outlet, key)
        if value:
            attributes[f"{{{NAMESPACE}}}{key}"] = value
    return attributes
