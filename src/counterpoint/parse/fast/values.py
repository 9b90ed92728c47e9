"""feedparser's value normalisation, replayed: URL joins and the base URI, text repair,
content-type names."""

from __future__ import annotations

import contextlib
import re
import urllib.parse

from counterpoint.parse.fast.document import Declined
from counterpoint.parse.fast.tables import ACCEPTABLE_URI_SCHEMES, CP1252, URIFIXER

AMPERSAND_REF = re.compile("&([A-Za-z0-9_]+);")


def document_base(url: str) -> str:
    """feedparser's base URI once the first element has been read (content-location = url)."""
    base = url or ""

    def step(current: str) -> str:
        if current:
            return make_safe_absolute_uri(current, current) or current
        return urljoin(current, current)

    first = step(base)
    if step(first) != first:
        raise Declined("base URI that keeps changing")
    return first


def urljoin(base: str, uri: str) -> str:
    """feedparser.urls._urljoin"""
    uri = URIFIXER.sub(r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


def make_safe_absolute_uri(base: str, rel: str | None = None) -> str:
    """feedparser.urls.make_safe_absolute_uri"""
    if not base:
        return rel or ""
    if not rel:
        try:
            scheme = urllib.parse.urlparse(base)[0]
        except ValueError:
            return ""
        if not scheme or scheme in ACCEPTABLE_URI_SCHEMES:
            return base
        return ""
    uri = urljoin(base, rel)
    if uri.strip().split(":", 1)[0] not in ACCEPTABLE_URI_SCHEMES:
        return ""
    return uri


def fix_text(output: str) -> str:
    """feedparser's pop(): undo UTF-8 read as Latin-1, then map C1 controls as cp1252."""
    if output.isascii():
        return output
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        output = output.encode("iso-8859-1").decode("utf-8")
    return output.translate(CP1252)


def map_content_type(content_type: str) -> str:
    content_type = content_type.lower()
    if content_type in ("text", "plain"):
        return "text/plain"
    if content_type == "html":
        return "text/html"
    if content_type == "xhtml":
        return "application/xhtml+xml"
    return content_type


