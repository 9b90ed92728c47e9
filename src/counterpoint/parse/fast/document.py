"""The document as feedparser's strict parser would see it, or Declined: decoding (only UTF-8,
and ASCII declared as a Latin-1 cousin), and the namespace declarations it accepts."""

from __future__ import annotations

import codecs
import re

from counterpoint.parse.fast.tables import MATCH_NAMESPACES, PREFIXES_LOWER

_BOMS = (codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)
_MARKERS = (b"\x4c\x6f\xa7\x94", b"\x00\x3c\x00\x3f", b"\x3c\x00\x3f\x00", b"\x00\x00\x00\x3c",
            b"\x3c\x00\x00\x00")
_XML_PI_ENCODING = re.compile(rb"^<\?.*encoding=['\"](.*?)['\"].*\?>")  # feedparser.encodings
_XML_DECLARATION = re.compile(r"^<\?xml[^>]*?>")
_NEW_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XMLNS = re.compile(rb"""\bxmlns(?::([^\s=/>]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ASCII_SAFE_CODECS = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252"})

# Bigger documents (archives of thousands of items) go to feedparser's streaming parser: the
# element tree built here would hold the whole document at once.
MAX_FAST_BYTES = 8 * 1024 * 1024


class Declined(Exception):
    """The document is outside what the fast path reproduces exactly."""


def has_declarations(data: bytes) -> bool:
    """Any `<!DOCTYPE` or `<!ENTITY`: the entity defusing in parse/feed.py stays feedparser's."""
    return _DECLARATIONS.search(data) is not None


def utf8_document(content: bytes, content_type: str | None) -> bytes | None:
    """The bytes feedparser's strict parser would see, if it would decode them as UTF-8
    (feedparser.encodings.convert_to_utf8, with the headers parse.py passes)."""
    data = content
    bom = ""
    if data[:3] == codecs.BOM_UTF8:
        data, bom = data[3:], "utf-8"
    elif data[:4] in _BOMS or data[:2] in _BOMS or data[:4] in _MARKERS:
        return None
    match = _XML_PI_ENCODING.match(data)
    xml_encoding = match.group(1).decode("utf-8").lower() if match else ""
    if bom and xml_encoding in ("u16", "utf-16", "utf16", "utf_16", "u32", "utf-32", "utf32",
                                "utf_32", "iso-10646-ucs-2", "iso-10646-ucs-4", "csucs4",
                                "csunicode", "ucs-2", "ucs-4"):
        xml_encoding = bom
    mime, http_encoding = content_type_parts(content_type or "")
    if mime in ("application/xml", "application/xml-dtd",
                "application/xml-external-parsed-entity") or (
            mime.startswith("application/") and mime.endswith("+xml")):
        encoding = http_encoding or xml_encoding or "utf-8"
    elif mime.startswith("text/"):
        encoding = http_encoding or "us-ascii"
    elif not content_type:  # parse.py always sends content-location, so headers are not empty
        encoding = xml_encoding or "iso-8859-1"
    else:
        encoding = xml_encoding or "utf-8"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    if name == "utf-8":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    elif name in _ASCII_SAFE_CODECS and data.isascii():
        text = data.decode("ascii")
    else:
        return None
    if _XML_DECLARATION.search(text):
        text = _XML_DECLARATION.sub(_NEW_DECLARATION, text)
    else:
        text = _NEW_DECLARATION + "\n" + text
    return text.encode("utf-8")


def content_type_parts(line: str) -> tuple[str, str]:
    """feedparser.encodings.parse_content_type"""
    chunks = line.split(";")
    mime = chunks[0].strip()
    charset = ""
    for chunk in chunks[1:]:
        key, _, value = chunk.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return mime, charset


class Namespaces:
    """The document's namespace declarations, accepted only when every element's namespace
    leads feedparser to the same handler name as its URI would (see `element_name`)."""

    def __init__(self, data: bytes) -> None:
        by_prefix: dict[str, str] = {}  # lower-cased prefix -> URI
        prefixes_of: dict[str, set[str]] = {}  # URI -> declared prefixes ('' for default)
        unknown_under: set[str] = set()  # lower-cased prefixes bound to URIs feedparser lacks
        known_canonical: set[str] = set()  # feedparser's prefixes of the known URIs declared
        self.namespacemap: dict[str, str] = {}
        for match in _XMLNS.finditer(data):
            raw_prefix = match.group(1)
            raw_uri = match.group(2) if match.group(2) is not None else match.group(3)
            if b"&" in raw_uri or any(c in raw_uri for c in b"\t\n\r "):
                raise Declined("namespace URI with entities or spaces")
            prefix = raw_prefix.decode("utf-8") if raw_prefix else ""
            uri = raw_uri.decode("utf-8")
            low = uri.lower()
            if not uri or "backend.userland.com/rss" in low or low == "http://www.w3.org/1999/xlink":
                raise Declined("namespace feedparser treats specially")
            if by_prefix.setdefault(prefix.lower(), uri) != uri:
                raise Declined("a prefix bound to two namespaces")
            prefixes_of.setdefault(uri, set()).add(prefix)
            canonical = MATCH_NAMESPACES.get(low)
            if canonical is None:  # found by its prefix, as feedparser does (element_prefix)
                if prefix:  # (the default namespace never names an element's prefix)
                    unknown_under.add(prefix.lower())
            else:
                if canonical:
                    known_canonical.add(canonical.lower())
                if canonical != canonical.lower():
                    raise Declined("mixed-case feedparser prefix")
                if prefix.lower() in PREFIXES_LOWER and prefix.lower() != canonical:
                    raise Declined("known prefix bound to another known namespace")
                if prefix:
                    self.namespacemap[prefix] = canonical
        if unknown_under & known_canonical:
            # feedparser records a known URI under its own prefix (`namespaces_in_use`), which
            # replaces the unknown URI declared under that prefix: `dc:` bound to "urn:x" and
            # Dublin Core declared as `a:` leaves feedparser no name for `dc:date`.
            raise Declined("a known prefix bound to an unknown URI beside its own URI")
        self.prefixes_of = prefixes_of

    def element_prefix(self, uri: str) -> str:
        """The prefix feedparser's StrictFeedParser puts before the element's local name."""
        canonical = MATCH_NAMESPACES.get(uri.lower())
        if canonical is not None:
            return canonical
        prefixes = self.prefixes_of.get(uri)
        if not prefixes or len(prefixes) != 1:
            raise Declined("namespace declared under several prefixes, or not found")
        return next(iter(prefixes))
