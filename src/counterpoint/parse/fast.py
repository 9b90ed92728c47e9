"""A fast path for the common feed document, with feedparser's exact results or none at all.

`parse_feed` spends most of its time in feedparser's SAX machinery (a Python call and several
dictionary look-ups per element, URL joins for every element's base, deep copies of content
parameters). This module reads the same document with `xml.etree.ElementTree` (expat, as
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
  declarations that could make feedparser map a prefix differently from the URI;
- documents without entries (their error messages depend on feedparser's bozo state).

`tests/test_fastparse.py` and `bench/parse_equivalence.py` check, on every fixture and corpus
file and on generated documents, that a claimed document yields exactly feedparser's items.
Tables copied from feedparser (handler names, namespaces, URI schemes, cp1252 map) are checked
against the installed feedparser by the tests, so an upgrade that changes them fails loudly.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlparse

# -- tables from feedparser 6.0 ----------------------------------------------------------------

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Every `_start_X` / `_end_X` handler of feedparser's StrictFeedParser.
START_HANDLERS = _words("""
abstract author body category cc_license channel cloud content content_encoded contributor
copyright created creativeCommons_license creativecommons_license dc_author dc_contributor
dc_creator dc_date dc_description dc_language dc_publisher dc_rights dc_subject dc_title
dcterms_created dcterms_issued dcterms_modified dcterms_valid description email enclosure entry
expirationdate feed feedburner_browserfriendly fullitem generator georss_box georss_line
georss_point georss_polygon georss_where georssgeom gml_exterior gml_linearring gml_linestring
gml_point gml_polygon gml_pos gml_poslist guid height homepage id image info issued item
itunes_author itunes_category itunes_email itunes_image itunes_link itunes_name itunes_owner
itunes_subtitle itunes_summary keywords language lastbuilddate link managingeditor
media_category media_content media_credit media_description media_group media_license
media_player media_rating media_restriction media_thumbnail media_title modified name
newlocation psc_chapter psc_chapters pubdate published rights rss source subtitle summary
tagline tags textInput textinput title updated uri url webmaster where width xhtml_body
""")
END_HANDLERS = _words("""
abstract author body category channel content content_encoded contributor copyright created
creativeCommons_license creativecommons_license dc_author dc_contributor dc_creator dc_date
dc_description dc_language dc_publisher dc_rights dc_subject dc_title dcterms_created
dcterms_issued dcterms_modified dcterms_valid description email entry expirationdate feed
feedburner_browserfriendly fullitem generator geom georss_box georss_line georss_point
georss_polygon georss_where gml_exterior gml_linearring gml_linestring gml_point gml_polygon
gml_pos gml_poslist guid height homepage id image info issued item itunes_author itunes_block
itunes_category itunes_email itunes_explicit itunes_keywords itunes_name itunes_owner
itunes_subtitle itunes_summary keywords language lastbuilddate link managingeditor
media_category media_credit media_description media_keywords media_license media_player
media_rating media_restriction media_thumbnail media_title modified name newlocation
psc_chapters pubdate published rights source subtitle summary tagline tags textInput textinput
title updated uri url webmaster where width xhtml_body
""")

# feedparser's `_FeedParserMixin.namespaces`: namespace URI -> the prefix its handlers use.
NAMESPACES = {
    "": "",
    "http://backend.userland.com/rss": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://example.com/newformat#": "",
    "http://example.com/necho": "",
    "http://purl.org/echo/": "",
    "uri/of/echo/namespace#": "",
    "http://purl.org/pie/": "",
    "http://purl.org/atom/ns#": "",
    "http://www.w3.org/2005/Atom": "",
    "http://purl.org/rss/1.0/modules/rss091#": "",
    "http://webns.net/mvcb/": "admin",
    "http://purl.org/rss/1.0/modules/aggregation/": "ag",
    "http://purl.org/rss/1.0/modules/annotate/": "annotate",
    "http://media.tangent.org/rss/1.0/": "audio",
    "http://backend.userland.com/blogChannelModule": "blogChannel",
    "http://creativecommons.org/ns#license": "cc",
    "http://web.resource.org/cc/": "cc",
    "http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html": "creativeCommons",
    "http://backend.userland.com/creativeCommonsRssModule": "creativeCommons",
    "http://purl.org/rss/1.0/modules/company": "co",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://my.theinfo.org/changed/1.0/rss/": "cp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://purl.org/rss/1.0/modules/email/": "email",
    "http://purl.org/rss/1.0/modules/event/": "ev",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://freshmeat.net/rss/fm/": "fm",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
    "http://www.georss.org/georss": "georss",
    "http://www.opengis.net/gml": "gml",
    "http://postneo.com/icbm/": "icbm",
    "http://purl.org/rss/1.0/modules/image/": "image",
    "http://www.itunes.com/DTDs/PodCast-1.0.dtd": "itunes",
    "http://example.com/DTDs/PodCast-1.0.dtd": "itunes",
    "http://purl.org/rss/1.0/modules/link/": "l",
    "http://search.yahoo.com/mrss": "media",
    "http://search.yahoo.com/mrss/": "media",
    "http://madskills.com/public/xml/rss/module/pingback/": "pingback",
    "http://prismstandard.org/namespaces/1.2/basic/": "prism",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://purl.org/rss/1.0/modules/reference/": "ref",
    "http://purl.org/rss/1.0/modules/richequiv/": "reqv",
    "http://purl.org/rss/1.0/modules/search/": "search",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://schemas.xmlsoap.org/soap/envelope/": "soap",
    "http://purl.org/rss/1.0/modules/servicestatus/": "ss",
    "http://hacks.benhammersley.com/rss/streaming/": "str",
    "http://purl.org/rss/1.0/modules/subscription/": "sub",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://schemas.pocketsoap.com/rss/myDescModule/": "szf",
    "http://purl.org/rss/1.0/modules/taxonomy/": "taxo",
    "http://purl.org/rss/1.0/modules/threading/": "thr",
    "http://purl.org/rss/1.0/modules/textinput/": "ti",
    "http://madskills.com/public/xml/rss/module/trackback/": "trackback",
    "http://wellformedweb.org/commentAPI/": "wfw",
    "http://purl.org/rss/1.0/modules/wiki/": "wiki",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://www.w3.org/1999/xlink": "xlink",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://podlove.org/simple-chapters": "psc",
}
_MATCH_NAMESPACES = {uri.lower(): prefix for uri, prefix in NAMESPACES.items()}
_PREFIXES_LOWER = frozenset(prefix.lower() for prefix in NAMESPACES.values() if prefix)

# feedparser.urls.ACCEPTABLE_URI_SCHEMES
ACCEPTABLE_URI_SCHEMES = (
    "file", "ftp", "gopher", "h323", "hdl", "http", "https", "imap", "magnet",
    "mailto", "mms", "news", "nntp", "prospero", "rsync", "rtsp", "rtspu",
    "sftp", "shttp", "sip", "sips", "snews", "svn", "svn+ssh", "telnet",
    "wais",
    "aim", "callto", "cvs", "facetime", "feed", "git", "gtalk", "irc", "ircs",
    "irc6", "itms", "mms", "msnim", "skype", "ssh", "smb", "svn", "ymsg",
)

# feedparser.html._cp1252: C1 code points read as windows-1252.
CP1252 = {
    128: "\u20ac", 130: "\u201a", 131: "\u0192", 132: "\u201e", 133: "\u2026", 134: "\u2020",
    135: "\u2021", 136: "\u02c6", 137: "\u2030", 138: "\u0160", 139: "\u2039", 140: "\u0152",
    142: "\u017d", 145: "\u2018", 146: "\u2019", 147: "\u201c", 148: "\u201d", 149: "\u2022",
    150: "\u2013", 151: "\u2014", 152: "\u02dc", 153: "\u2122", 154: "\u0161", 155: "\u203a",
    156: "\u0153", 158: "\u017e", 159: "\u0178",
}

# feedparser.util.FeedParserDict.keymap (keys stored under another name)
KEYMAP: dict[str, str | list[str]] = {
    "channel": "feed", "items": "entries", "guid": "id", "date": "updated",
    "date_parsed": "updated_parsed", "description": ["summary", "subtitle"],
    "description_detail": ["summary_detail", "subtitle_detail"], "url": ["href"],
    "modified": "updated", "modified_parsed": "updated_parsed", "issued": "published",
    "issued_parsed": "published_parsed", "copyright": "rights",
    "copyright_detail": "rights_detail", "tagline": "subtitle",
    "tagline_detail": "subtitle_detail",
}

_CAN_BE_RELATIVE_URI = frozenset({"comments", "docs", "href", "icon", "id", "link", "logo", "url",
                                  "wfw_comment", "wfw_commentrss"})
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_COPIED_TO_SUMMARY = frozenset({"text/plain", "text/html", "application/xhtml+xml"})
_IMAGE_KEEPERS = frozenset({"title", "link", "description", "url", "href", "width", "height"})

# Keys that an element without a handler must not be stored under: values read here or by
# parse._normalise, or containers that feedparser's handlers index into (a string there would
# make feedparser raise).
_RESERVED_KEYS = _words("""
title subtitle summary content description link links id guidislink image tags category author
authors publisher publishers contributor contributors source media_content media_thumbnail
media_credit media_rating media_restriction media_license media_player cloud textinput
published updated created expired enclosures license
""")

# -- document checks -------------------------------------------------------------------------

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
    """The document is outside what this module reproduces exactly."""


@dataclass(frozen=True, slots=True)
class FastFeed:
    """What `parse._parse` reads from feedparser's result, as feedparser would give it."""

    entries: list[dict[str, Any]]
    title: str | None
    link: str | None


def parse(content: bytes, url: str, content_type: str | None) -> FastFeed | None:
    """feedparser's entries for `content`, or None when this module cannot be sure of them."""
    if len(content) > MAX_FAST_BYTES:
        return None
    try:
        data = _utf8_document(content, content_type)
        if data is None or _DECLARATIONS.search(data):
            return None
        namespaces = _Namespaces(data)
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            return None
        state = _State(_document_base(url), namespaces)
        state.walk(root)
    except (Declined, RecursionError):
        return None
    except Exception:  # anything unforeseen: feedparser decides, as before
        return None
    if not state.entries:
        return None
    return FastFeed(state.entries, state.feed.get("title"), state.feed.get("link"))


def _utf8_document(content: bytes, content_type: str | None) -> bytes | None:
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
    mime, http_encoding = _content_type(content_type or "")
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


def _content_type(line: str) -> tuple[str, str]:
    """feedparser.encodings.parse_content_type"""
    chunks = line.split(";")
    mime = chunks[0].strip()
    charset = ""
    for chunk in chunks[1:]:
        key, _, value = chunk.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return mime, charset


class _Namespaces:
    """The document's namespace declarations, accepted only when every element's namespace
    leads feedparser to the same handler name as its URI would (see `element_name`)."""

    def __init__(self, data: bytes) -> None:
        by_prefix: dict[str, str] = {}  # lower-cased prefix -> URI
        prefixes_of: dict[str, set[str]] = {}  # URI -> declared prefixes ('' for default)
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
            canonical = _MATCH_NAMESPACES.get(low)
            if canonical is not None:  # (an unknown one is found by its prefix, as feedparser does)
                if canonical != canonical.lower():
                    raise Declined("mixed-case feedparser prefix")
                if prefix.lower() in _PREFIXES_LOWER and prefix.lower() != canonical:
                    raise Declined("known prefix bound to another known namespace")
                if prefix:
                    self.namespacemap[prefix] = canonical
        self.prefixes_of = prefixes_of

    def element_prefix(self, uri: str) -> str:
        """The prefix feedparser's StrictFeedParser puts before the element's local name."""
        canonical = _MATCH_NAMESPACES.get(uri.lower())
        if canonical is not None:
            return canonical
        prefixes = self.prefixes_of.get(uri)
        if not prefixes or len(prefixes) != 1:
            raise Declined("namespace declared under several prefixes, or not found")
        return next(iter(prefixes))


def _document_base(url: str) -> str:
    """feedparser's base URI once the first element has been read (content-location = url)."""
    base = url or ""

    def step(current: str) -> str:
        if current:
            return _make_safe_absolute_uri(current, current) or current
        return _urljoin(current, current)

    first = step(base)
    if step(first) != first:
        raise Declined("base URI that keeps changing")
    return first


_URIFIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")  # feedparser.urls


def _urljoin(base: str, uri: str) -> str:
    """feedparser.urls._urljoin"""
    uri = _URIFIXER.sub(r"\1\3", uri)
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def _make_safe_absolute_uri(base: str, rel: str | None = None) -> str:
    """feedparser.urls.make_safe_absolute_uri"""
    if not base:
        return rel or ""
    if not rel:
        try:
            scheme = urlparse(base)[0]
        except ValueError:
            return ""
        if not scheme or scheme in ACCEPTABLE_URI_SCHEMES:
            return base
        return ""
    uri = _urljoin(base, rel)
    if uri.strip().split(":", 1)[0] not in ACCEPTABLE_URI_SCHEMES:
        return ""
    return uri


def _fix_text(output: str) -> str:
    """feedparser's pop(): undo UTF-8 read as Latin-1, then map C1 controls as cp1252."""
    if output.isascii():
        return output
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        output = output.encode("iso-8859-1").decode("utf-8")
    return output.translate(CP1252)


def _map_content_type(content_type: str) -> str:
    content_type = content_type.lower()
    if content_type in ("text", "plain"):
        return "text/plain"
    if content_type == "html":
        return "text/html"
    if content_type == "xhtml":
        return "application/xhtml+xml"
    return content_type


_AMPERSAND_REF = re.compile("&([A-Za-z0-9_]+);")

# -- dates -----------------------------------------------------------------------------------

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_RFC822_ZONES = {"ut": 0, "gmt": 0, "z": 0, "adt": -3, "ast": -4, "at": -4, "edt": -4, "est": -5,
                 "et": -5, "cdt": -5, "cst": -6, "ct": -6, "mdt": -6, "mst": -7, "mt": -7,
                 "pdt": -7, "pst": -8, "pt": -8, "a": -1, "n": 1, "m": -12, "y": 12,
                 "met": 1, "mest": 2}
_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d\d):(\d\d):(\d\d) "
    r"(GMT|UT|UTC|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[+-]\d{4})")
_W3DTF = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d+)?)(Z|[+-]\d\d:\d\d)")


def parse_date(value: str | None) -> Any:
    """feedparser.datetimes._parse_date: the two common forms here, the rest by feedparser.

    A document dated RFC 822 style (`Sun, 22 Nov 2026 10:00:00 GMT`) reaches feedparser's RFC
    822 handler after its W3DTF handler declines it; an RFC 3339 date is read by the W3DTF
    handler. Both are replayed for exactly these shapes; any other string, or one either
    handler would reject (31 February), goes to feedparser's full chain of handlers."""
    if not value:
        return None
    stamp: Any = None
    match = _RFC822.fullmatch(value)
    if match:
        day, month, year, hour, minute, second, zone = match.groups()
        zone = zone.lower()
        if zone[0] in "+-":
            hours, minutes = int(zone[1:3]), int(zone[3:])
            if zone[0] == "-":
                hours, minutes = -hours, -minutes
        else:
            hours, minutes = _RFC822_ZONES.get(zone, 0), 0
        stamp = _utc_tuple(int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute),
                           int(second), hours, minutes)
    else:
        match = _W3DTF.fullmatch(value)
        if match:
            year, month, day, hour, minute, second, zone = match.groups()
            if zone == "Z":
                hours = minutes = 0
            else:
                hours, minutes = int(zone[1:3]), int(zone[4:])
                if zone[0] == "-":
                    hours, minutes = -hours, -minutes
            stamp = _utc_tuple(int(year), int(month), int(day), int(hour), int(minute),
                               int(float(second)), hours, minutes)
    if stamp is not None:
        return stamp
    from feedparser.datetimes import _parse_date

    return _parse_date(value)


def _utc_tuple(year: int, month: int, day: int, hour: int, minute: int, second: int,
               zone_hours: int, zone_minutes: int) -> Any:
    try:
        stamp = datetime(year, month, day, hour, minute, second)
        return (stamp - timedelta(0, 0, 0, 0, zone_minutes, zone_hours)).utctimetuple()
    except (OverflowError, ValueError):
        return None


# -- feedparser's state machine, for the values parse.py reads --------------------------------

# How each element with a feedparser handler is replayed. Kinds outside _CONTAINER_KINDS must
# be leaves (no child elements); handlers missing here make the document declined.
_KINDS: dict[str, str] = {
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
_CONTAINER_KINDS = frozenset({"rss", "channel", "feed", "item", "image", "author", "owner",
                              "nothing"})
# What a plain pushing handler pushes: (element name, expecting text).
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
_AUTHOR_CHILDREN = frozenset({"name", "email", "url", "uri", "homepage", "itunes_name",
                              "itunes_email"})
_RELEVANT_CONTENT = frozenset({"title", "description", "summary", "content"})
_PLAIN_OR_HTML = frozenset({"text/plain", "text/html"})
# Elements whose popped value can reach a value parse.py reads; other pops only keep
# feedparser's element stack in step.
_VALUE_ELEMENTS = frozenset({"title", "description", "summary", "content", "link", "id",
                             "published", "updated", "created", "expired"})


class _State:
    """The subset of feedparser's `_FeedParserMixin` state that parse.py's values depend on.

    Method names follow feedparser's handlers; see feedparser/mixin.py and
    feedparser/namespaces/_base.py for the originals."""

    def __init__(self, base: str, namespaces: _Namespaces) -> None:
        self.base = base
        self.namespaces = namespaces
        self.names: dict[str, tuple[str, bool, str | None]] = {}
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

    # -- walking the tree: feedparser's unknown_starttag / unknown_endtag ------------------

    def element_name(self, tag: str) -> tuple[str, bool, str | None]:
        """(feedparser's handler suffix, whether the tag has no prefix, replay kind)."""
        cached = self.names.get(tag)
        if cached is not None:
            return cached
        if tag[0] == "{":
            uri, local = tag[1:].split("}", 1)
            if local in ("svg", "math"):
                raise Declined("inline svg or math")
            prefix = self.namespaces.element_prefix(uri)
            full = f"{prefix}:{local}".lower() if prefix else local.lower()
        else:
            full = tag.lower()
        if ":" in full:
            prefix, suffix = full.split(":", 1)
        else:
            prefix, suffix = "", full
        prefix = self.namespaces.namespacemap.get(prefix, prefix)
        name = f"{prefix}_{suffix}" if prefix else suffix
        if name in START_HANDLERS or name in END_HANDLERS:
            kind = _KINDS.get(name)
            if kind is None:
                raise Declined(f"feedparser handler not replayed: {name}")
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
        name, no_prefix, kind = self.element_name(element.tag)
        attrs = _attributes(element.attrib) if element.attrib else {}
        self.depth += 1
        if "xml:base" in attrs or "base" in attrs:
            raise Declined("xml:base")
        if no_prefix and name not in _IMAGE_KEEPERS:
            self.inimage = 0
        children = len(element)
        if children and kind is not None and kind not in _CONTAINER_KINDS:
            raise Declined(f"child elements inside {name}")
        if kind is None:  # no handler: feedparser keeps the text or attributes under `name`
            if not attrs:
                self.push(name, 1)
            for child in element:
                self.walk(child)
            self.pop_other(name)
        else:
            self.start(kind, name, attrs)
            if children:
                if kind in ("author", "owner"):
                    for child in element:
                        if self.element_name(child.tag)[0] not in _AUTHOR_CHILDREN:
                            raise Declined("unexpected element inside an author")
                for child in element:
                    self.walk(child)
            self.end(kind, name, element.text or "")
        self.depth -= 1

    def start(self, kind: str, name: str, attrs: dict[str, str]) -> None:
        if kind == "title":
            self.push_content("title", attrs, "text/plain",
                              self.infeed or self.inentry or self.insource)
        elif kind == "link":
            self.start_link(attrs)
        elif kind == "description":
            self.start_description(attrs)
        elif kind == "guid":
            self.guidislink = attrs.get("ispermalink", "true") == "true"
            self.push("id", 1)
        elif kind in ("published", "updated", "created", "expired"):
            self.push(kind, 1)
        elif kind == "category":
            if name == "media_category" and "scheme" not in attrs:
                attrs["scheme"] = "http://search.yahoo.com/mrss/category_schema"
            self.push("category", 1)
        elif kind == "keywords":
            if attrs:  # feedparser would pop nothing and split None
                raise Declined("keywords with attributes")
            self.push(name, 1)
        elif kind == "push":
            self.push(*_PUSHES[name])
        elif kind == "push_end_only":
            if not attrs:
                self.push(*_PUSHES[name])
        elif kind == "item":
            self.start_item(attrs)
        elif kind == "channel":
            if "lastmod" in attrs or "href" in attrs:
                raise Declined("CDF channel attributes")
            self.infeed = 1
        elif kind == "feed":
            self.infeed = 1
        elif kind == "summary":
            self.start_summary(attrs)
        elif kind == "content":
            self.start_content(attrs)
        elif kind == "content_encoded":
            self.has_content = 1
            self.push_content("content", attrs, "text/html", 1)
        elif kind == "media_title":
            self.push_content("title", attrs, "text/plain",
                              self.infeed or self.inentry or self.insource)
        elif kind == "text_content":
            self.push_content(_TEXT_CONTENT[name], attrs, "text/plain", 1)
        elif kind == "image":
            context = self.context()
            if not self.inentry:
                context.setdefault("image", {})
            self.inimage = 1
            self.title_depth = -1
            self.push("image", 0)
        elif kind == "itunes_image":
            self.push("itunes_image", 0)
            href = attrs.get("href") or attrs.get("url")
            if href:
                self.context()["image"] = {"href": href}
        elif kind == "author":
            self.push("author", 1)
        elif kind == "owner":
            self.push("publisher", 0)
        elif kind == "source":
            self.push("source", 1)
            self.insource = 1
            self.title_depth = -1
        elif kind not in ("rss", "nothing"):
            raise Declined(f"unknown kind {kind}")

    def end(self, kind: str, name: str, text: str) -> None:
        if kind == "title":
            self.end_title(text)
        elif kind == "link":
            self.pop("link", text)
        elif kind == "description":
            if self.summary_key == "content":
                self.end_content(text)
            else:
                self.pop_content("description", text)
            self.summary_key = None
        elif kind == "guid":
            value = self.pop("id", text)
            if self.guidislink:
                self.save("link", value)
        elif kind in ("published", "updated", "created", "expired"):
            value = self.pop(kind, text)
            self.save(f"{kind}_parsed", parse_date(value), overwrite=True)
        elif kind == "item":
            self.pop_other("item")
            self.inentry = 0
            self.has_content = 0
        elif kind in ("channel", "feed"):
            self.infeed = 0
        elif kind == "summary":
            if self.summary_key == "content":
                self.end_content(text)
            else:
                self.pop_content(self.summary_key or "summary", text)
            self.summary_key = None
        elif kind in ("content", "content_encoded"):
            self.end_content(text)
        elif kind == "media_title":
            title_depth = self.title_depth
            self.end_title(text)
            self.title_depth = title_depth
        elif kind == "text_content":
            self.pop_content(_TEXT_CONTENT[name], text)
        elif kind == "image":
            self.pop_other("image")
            self.inimage = 0
        elif kind == "source":
            self.insource = 0
            self.pop("source", text)
            self.source.clear()
        elif kind in ("push", "push_end_only"):
            self.pop(_PUSHES[name][0], text)
        elif kind == "category":
            self.pop("category", text)
        elif kind == "keywords":
            self.pop(name, text)
        elif kind == "author":
            self.pop_other("author")
        elif kind == "owner":
            self.pop_other("publisher")
        else:  # rss, nothing, itunes_image: feedparser's generic pop of the tag's name
            self.pop_other(name)

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
        content_type = _map_content_type(attrs.get("type", default_type))
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
        if element in _CAN_BE_RELATIVE_URI and output and (element != "id" or self.guidislink):
            output = _urljoin(self.base, output)
        output = _fix_text(output)
        if element in ("category", "tags", "itunes_keywords"):
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        if self.inentry and not self.insource:
            entry = self.entries[-1]
            if element == "content":
                entry.setdefault("content", []).append({"value": output})
            elif element == "link":
                if not self.inimage:
                    output = output.replace("&amp;", "&")
                    output = _AMPERSAND_REF.sub(r"&\g<1>", output)
                    entry["link"] = output
            else:
                if element == "description":
                    element = "summary"
                depths = self.depth_maps[-1]
                old_depth = depths.get(element)
                if old_depth is None or self.depth <= old_depth:
                    depths[element] = self.depth
                    entry[element] = output
        elif self.infeed or self.insource:
            context = self.context()
            if element == "description":
                element = "subtitle"
            context[element] = output
            if element == "link":
                context[element] = _AMPERSAND_REF.sub(r"&\g<1>", output)
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
            attrs["href"] = _urljoin(self.base, attrs["href"])
            if (attrs.get("rel") == "alternate"
                    and _map_content_type(attrs.get("type", "")) in _HTML_TYPES):
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
        copy_to_summary = _map_content_type(self.content_type or "") in _COPIED_TO_SUMMARY
        value = self.pop_content("content", text)
        if copy_to_summary:
            self.save("summary", value)


def _attributes(attrib: dict[str, str]) -> dict[str, str]:
    """The attribute dictionary feedparser's handlers get (StrictFeedParser.startElementNS,
    then unknown_starttag's normalisation)."""
    attrs: dict[str, str] = {}
    seen: set[str] = set()
    for key, value in attrib.items():
        if key[0] == "{":
            uri, local = key[1:].split("}", 1)
            prefix = _MATCH_NAMESPACES.get(uri.lower(), "")
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
