"""OPML in (1.0 and 2.0) and out (2.0), so a feed list moves to and from other readers.

Export: one folder per affiliation (titled with the class label), one `<outline type="rss">`
per feed. Counterpoint's own fields travel as namespaced attributes
(`counterpoint:affiliation`, `counterpoint:country`, …), which newsboat, Miniflux and FreshRSS
ignore, so the file imports there and comes back here without loss.

Import: every outline with an `xmlUrl` (or, as some exporters write, `url`) is a feed;
outlines sharing a name become one outlet. An outline's affiliation is its own
`counterpoint:affiliation`, else its `category` or the innermost enclosing folder whose title
(or `counterpoint:affiliation`) names a class key or label, else the `--affiliation` default.
Into a feeds.toml with no outlets and no [affiliations] yet, folders and categories become the
classes. A newsboat `urls` file imports too: its tags are the folders. Parsing is guarded:
documents over `MAX_BYTES` or containing a DOCTYPE or ENTITY declaration are refused before the
XML parser sees them.
"""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from counterpoint.config.load import DEFAULT_AFFILIATIONS, OUTLET_TEXT_FIELDS, Config
from counterpoint.errors import OpmlError
from counterpoint.models import Outlet

NAMESPACE = "https://counterpoint.invalid/opml/1"
PREFIX = "counterpoint"
MAX_BYTES = 5 * 1024 * 1024
_FIELDS = ("affiliation", *OUTLET_TEXT_FIELDS)
_CLASS_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")  # as config.load checks it


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed outline: its outlet name, URL, and Counterpoint fields found for it."""

    name: str
    url: str
    fields: Mapping[str, str] = field(default_factory=dict)
    folder_hint: str | None = None  # class suggested by the enclosing folders


# -- reading --------------------------------------------------------------------------------------
def read_feed_list(data: bytes, source: str = "OPML") -> list[OpmlFeed]:
    """The feeds of an OPML document or a newsboat `urls` file; an error if there are none."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"{source}: larger than {MAX_BYTES // (1024 * 1024)} MB; refusing to "
                        "parse it")
    feeds = read_newsboat(data) if _is_newsboat(data) else read_opml(data, source)
    if not feeds:
        raise OpmlError(f"{source}: no feeds in it (no outline has an xmlUrl or url attribute)")
    return feeds


def read_opml(data: bytes, source: str = "OPML") -> list[OpmlFeed]:
    """Every feed outline of an OPML document, in document order (duplicates kept)."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"{source}: larger than {MAX_BYTES // (1024 * 1024)} MB; refusing to "
                        "parse it")
    if b"\x00" in data:
        raise OpmlError(f"{source}: not UTF-8 (or another ASCII-compatible encoding); save it "
                        "as UTF-8 and try again")
    lowered = data.lower()
    if b"<opml" not in lowered:
        raise OpmlError(f"{source}: not an OPML file (no <opml> element in it); export "
                        "your subscriptions as OPML, or give a newsboat urls file")
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise OpmlError(f"{source}: contains a DOCTYPE or ENTITY declaration; such documents "
                        "are refused for safety (OPML never needs them)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"{source}: not well-formed XML: {exc}") from None
    if _local(root.tag) != "opml":
        raise OpmlError(f"{source}: not an OPML file (root element <{_local(root.tag)}>)")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OpmlError(f"{source}: OPML without a <body>")
    feeds: list[OpmlFeed] = []
    _walk(body, [], feeds)
    return feeds


_NEWSBOAT_SCHEMES = ("http://", "https://", "file://", "query:", "exec:", "filter:")


def _is_newsboat(data: bytes) -> bool:
    """A newsboat `urls` file: lines of `URL [tag…]`, `#` comments, no markup."""
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    lines = [line.strip() for line in text.splitlines()]
    entries = [line for line in lines if line and not line.startswith("#")]
    return bool(entries) and all(line.lstrip("\"").lower().startswith(_NEWSBOAT_SCHEMES)
                                 for line in entries)


def read_newsboat(data: bytes) -> list[OpmlFeed]:
    """Feeds of a newsboat `urls` file: `~Title` names the outlet, the first other tag (a
    `!` hides a tag in newsboat, not here) is its folder; query/exec/filter feeds are left out
    by `plan_import` as non-http URLs."""
    import shlex

    feeds: list[OpmlFeed] = []
    for line in data.decode("utf-8", "replace").lstrip("\ufeff").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            url, *tags = shlex.split(line, comments=True)
        except ValueError:  # an unbalanced quote: the URL alone
            url, tags = line.split()[0], []
        title = next((t[1:] for t in tags if t.startswith("~") and len(t) > 1), None)
        folders = [t.lstrip("!") for t in tags if not t.startswith("~") and t.lstrip("!")]
        name = title or urlsplit(url).hostname or url
        feeds.append(OpmlFeed(" ".join(name.split()), url, {}, folders[0] if folders else None))
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
        url = _attr(child, "xmlUrl") or _attr(child, "url")
        if url is not None:
            name = _attr(child, "text") or _attr(child, "title") or urlsplit(url).hostname or url
            out.append(OpmlFeed(" ".join(name.split()), url, _ours(child),
                                _category(child) or _folder_hint(folders)))
        _walk(child, [*folders, child], out)


def _category(outline: ET.Element) -> str | None:
    """OPML 2.0 `category="/News/World,/Tech"`: the first category's last part."""
    first = (_attr(outline, "category") or "").split(",")[0]
    parts = [part.strip() for part in first.split("/") if part.strip()]
    return parts[-1] if parts else None


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


# -- planning an import ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import adds: outlets (name, affiliation, feeds, fields) and what it skips."""

    outlets: tuple[tuple[str, str, tuple[str, ...], dict[str, str]], ...]
    skipped: tuple[str, ...]  # one line per feed left out, with why
    notes: tuple[str, ...] = ()  # feeds added to existing outlets whose label differs
    classes: Mapping[str, str] = field(default_factory=dict)  # [affiliations] to write


class _Classes:
    """Class keys for hints: the config's, or (`new`, a feeds.toml started from scratch) made
    from folder names and --affiliation as needed, labels from the defaults where they match."""

    def __init__(self, known: Mapping[str, str], new: bool) -> None:
        self.known = dict(known)
        self.new = new
        self.used: dict[str, str] = {}

    def of_hint(self, hint: str | None) -> str | None:
        if not hint:
            return None
        key = _class_of(hint, self.known)
        if key is None and self.new:
            key = _class_key(hint, self.known)
            self.known[key] = " ".join(hint.split())
        return key

    def use(self, key: str) -> bool:
        if key not in self.known:
            if not self.new or not _CLASS_KEY.match(key):
                return False
            self.known[key] = DEFAULT_AFFILIATIONS.get(key, key.replace("_", " ").capitalize())
        self.used.setdefault(key, self.known[key])
        return True


def _class_key(title: str, taken: Mapping[str, str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:32].strip("-")
    if not base or not base[0].isalpha():
        base = f"class-{base}".strip("-")[:32]
    key, n = base, 2
    while key in taken:
        key, n = f"{base[:29]}-{n}", n + 1
    return key


def plan_import(feeds: Sequence[OpmlFeed], config: Config, default_affiliation: str | None,
                *, new_classes: bool = False) -> ImportPlan:
    """Group feeds into outlets, assign classes, and drop URLs already configured.

    Raises OpmlError listing every outline with no class when there is no default, and every
    outline whose class is unknown to the config. `new_classes`: the config has no outlets and
    no [affiliations] yet, so folder names and the default become its classes.
    """
    classes = _Classes(config.affiliations, new_classes)
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
        affiliation = explicit or classes.of_hint(feed.folder_hint) or default_affiliation
        if affiliation is None:
            missing.append(f"{feed.name} <{feed.url}>")
            continue
        if not classes.use(affiliation):
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
                        f"{', '.join(config.affiliations)}): " + "; ".join(unknown))
    if missing:
        have = "outline has" if len(missing) == 1 else "outlines have"
        raise OpmlError(
            f"{len(missing)} {have} no affiliation (no counterpoint:affiliation and no "
            "folder named after a class); give one with --affiliation CLASS, or put them in "
            "folders named after classes: " + "; ".join(missing))
    outlets = tuple((name, aff, tuple(urls), fields)
                    for name, (aff, urls, fields) in grouped.items())
    return ImportPlan(outlets, tuple(skipped), tuple(notes),
                      classes.used if new_classes else {})


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
