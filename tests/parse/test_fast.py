"""The fast parse path yields exactly feedparser's items, or declines.

`parse_feed` tries `counterpoint.parse.fast` first and falls back to feedparser;
`parse_feed_reference` always uses feedparser. Differential checks: every fixture (feeds,
malformed, hostile) under several Content-Types, generated RSS 2.0 / Atom 1.0 documents
(entities, CDATA, markup, Persian and control characters, mojibake, relative and javascript:
links, guids, dates in several formats, repeated and missing fields, extension namespaces), and
generated dates against feedparser's own date parser. The tables the fast path copies from
feedparser are compared with the installed feedparser.
"""

from __future__ import annotations

import random
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpoint.parse import fast as fastparse
from counterpoint.parse.fast import dates, handlers, tables
from counterpoint.parse.feed import ParsedFeed, parse_feed, parse_feed_reference

FIXTURES = Path(__file__).parents[1] / "fixtures"
FILES = sorted(p for d in ("feeds", "malformed", "hostile") for p in (FIXTURES / d).iterdir()
               if p.name not in ("README.md", "EXPECTED.json"))
NOW = datetime(2026, 5, 1, tzinfo=UTC)
URL = "https://example.org/news/feed.xml"
CONTENT_TYPES = [None, "application/rss+xml; charset=utf-8", "application/xml", "text/xml",
                 "text/html; charset=UTF-8", "application/octet-stream"]
COMMON_TYPES = st.sampled_from([CONTENT_TYPES[1], CONTENT_TYPES[2]] * 3 + CONTENT_TYPES)
DIFF = settings(max_examples=3 * settings.default.max_examples, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def both(content: bytes, content_type: str | None = None,
         url: str = URL) -> tuple[bool, ParsedFeed, ParsedFeed]:
    claimed = fastparse.parse(content, url, content_type) is not None
    fast = parse_feed(content, url, "Outlet", "wire", NOW, content_type)
    reference = parse_feed_reference(content, url, "Outlet", "wire", NOW, content_type)
    return claimed, fast, reference


# -- the copied tables are feedparser's ---------------------------------------------------------

def test_tables_match_the_installed_feedparser() -> None:
    import feedparser.api
    import feedparser.html
    import feedparser.mixin
    import feedparser.urls
    import feedparser.util

    parser = feedparser.api.StrictFeedParser
    assert {n[len("_start_"):] for n in dir(parser) if n.startswith("_start_")} \
        == tables.START_HANDLERS
    assert {n[len("_end_"):] for n in dir(parser) if n.startswith("_end_")} \
        == tables.END_HANDLERS
    assert feedparser.mixin._FeedParserMixin.namespaces == tables.NAMESPACES
    assert feedparser.urls.ACCEPTABLE_URI_SCHEMES == tables.ACCEPTABLE_URI_SCHEMES
    assert feedparser.html._cp1252 == tables.CP1252
    assert feedparser.util.FeedParserDict.keymap == tables.KEYMAP
    assert feedparser.urls._urifixer.pattern == tables.URIFIXER.pattern
    # every handler name is either replayed or makes the document declined
    replayed = set(handlers.KINDS)
    assert replayed <= tables.START_HANDLERS | tables.END_HANDLERS


def test_fastparse_is_imported_without_feedparser() -> None:
    import subprocess

    code = ("import sys; from counterpoint.parse import fast as fastparse; "
            "assert fastparse.parse(b'<rss><channel><item><title>t</title></item></channel></rss>',"
            " 'https://e.org/', 'application/rss+xml') is not None; "
            "assert 'feedparser' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- every fixture --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_parses_the_same_with_and_without_the_fast_path(path: Path) -> None:
    content = path.read_bytes()
    for content_type in CONTENT_TYPES:
        _claimed, fast, reference = both(content, content_type)
        assert fast == reference, (path.name, content_type)


def test_the_fast_path_claims_the_common_fixtures() -> None:
    claimed = {p.name for p in FILES if fastparse.parse(p.read_bytes(), URL,
                                                        "application/rss+xml") is not None}
    assert "hoder-editor-myself-persian-blog_2005-10-13.xml" in claimed
    assert "markup.atom" in claimed
    assert "billion-laughs.xml" not in claimed  # a DTD: feedparser and the entity guard
    assert len(claimed) >= 15


def test_the_benchmark_documents_take_the_fast_path() -> None:
    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    from feedserver_bench import feed_document

    rng = random.Random(8)
    for index in range(3):
        doc = feed_document(index, 50, NOW, rng)
        claimed, fast, reference = both(doc, "application/rss+xml; charset=utf-8",
                                        f"http://127.0.0.2:8000/feed/{index}.xml")
        assert claimed and fast == reference and len(fast.items) == 50


@pytest.mark.parametrize("doc", [
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "x">]><rss><channel><item>'
    b"<title>&a;</title></item></channel></rss>",
    b'<rss xml:base="https://other.example/"><channel><item><title>t</title>'
    b"<link>/a</link></item></channel></rss>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><content type="xhtml">'
    b'<div xmlns="http://www.w3.org/1999/xhtml">x</div></content></entry></feed>',
    b"<rss><channel><item><title>t <b>bold</b></title></item></channel></rss>",
    b"<rss><channel><title>no items</title></channel></rss>",
    b'<rss xmlns:georss="http://www.georss.org/georss"><channel><item><title>t</title>'
    b"<georss:point>1 2</georss:point></item></channel></rss>",
    "<rss><channel><item><title>caf\u00e9</title></item></channel></rss>".encode("latin-1"),
    # `dc` bound to an unknown URI while Dublin Core is declared as `a`: feedparser no longer
    # maps `dc:date` to a date (the item is undated), so the fast path must not date it.
    b'<rss xmlns:dc="urn:x" xmlns:a="http://purl.org/dc/elements/1.1/"><channel><item>'
    b"<title>T</title><dc:date>2026-04-01T10:00:00Z</dc:date></item></channel></rss>",
    b'<rss xmlns:a="http://purl.org/dc/elements/1.1/" xmlns:dc="urn:x"><channel><item>'
    b"<title>T</title><dc:date>2026-04-01T10:00:00Z</dc:date></item></channel></rss>",
])
def test_documents_outside_the_fast_path_are_declined(doc: bytes) -> None:
    assert fastparse.parse(doc, URL, "application/rss+xml") is None
    _claimed, fast, reference = both(doc, "application/rss+xml")
    assert fast == reference


def test_a_known_prefix_on_an_unknown_uri_alone_is_still_claimed_and_dated() -> None:
    """Without Dublin Core declared under another prefix, feedparser finds `dc:` by its prefix
    and dates the item; so does the fast path."""
    doc = (b'<rss xmlns:dc="urn:x"><channel><item><title>T</title>'
           b"<dc:date>2026-04-01T10:00:00Z</dc:date></item></channel></rss>")
    claimed, fast, reference = both(doc, "application/rss+xml")
    assert claimed and fast == reference
    assert fast.items[0].dated and fast.items[0].published == datetime(2026, 4, 1, 10, tzinfo=UTC)


# -- generated documents ---------------------------------------------------------------------

WORDS = st.sampled_from([
    "Iran", "talks", "ایران", "تهران", "\u200c", "café", "Ã©", "â€™", "naïve", "北京", "\U0001f600",
    " ", "  ", "\n", "\t", "\r\n", "\u00a0", "\x85", "\x80", "\x9d", "\u202e", "\ufeff", "-", "'",
    '"', "&", "<", ">", "]]>", "0", "x" * 40, "\x7f", "\uffef",
])
TOKENS = st.sampled_from([
    "&amp;", "&lt;b&gt;bold&lt;/b&gt;", "&#1575;", "&#x627;", "&#233;", "&quot;", "&apos;",
    "&amp;amp;", "&amp;nbsp;", "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<![CDATA[<p>para <a href='/x'>link</a></p>]]>", "<![CDATA[&amp; & < >]]>", "<![CDATA[]]>",
    "<!-- note -->", "<?pi data?>", "&#128;", "&#150;", "&#xD;", "&#9;", "&#x9d;",
])
# Markup inside a text element, HTML entities without a DTD, characters XML forbids: each makes
# the fast path decline (or the document ill-formed), so they are drawn rarely.
BREAKING = st.sampled_from(["&nbsp;", "<b>markup</b>", "\x01", "\x00", "\ud800", "&bogus;",
                           "\x1b[31m", "&#x1b;"])
RARELY = st.sampled_from([False] * 49 + [True])  # hypothesis leans to the first element
# Any character XML allows in text.
XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff",
                          min_codepoint=0x20) | st.sampled_from("\t\n\r")


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(WORDS.map(escape), TOKENS,
                                    st.text(XML_CHARS, max_size=8).map(escape)), max_size=8))
    if draw(RARELY):
        parts.insert(draw(st.integers(0, len(parts))), draw(BREAKING))
    return "".join(parts)


LINKS = st.sampled_from([
    "https://example.org/a", "http://example.org/a?x=1&amp;y=2", "/relative/path", "rel?q=1",
    "//cdn.example.org/x", "javascript:alert(1)", "data:text/html,x", "  https://e.org/sp  ",
    "https://example.org/a#frag", "mailto:a@b.c", "https://例え.jp/パス", "http://[::1]:80/",
    "http://[bad", "", "ftp://files.example/x", "https:///triple", "HTTPS://UPPER.EXAMPLE/",
    "https://example.org/a&amp;b;c", "https://e.org/a?b=&#233;",
])
DATES = st.one_of(st.sampled_from([
    "Sun, 22 Nov 2026 10:00:00 GMT", "Mon, 01 Jan 2026 10:00:00 +0000",
    "Tue, 5 May 2026 23:59:59 -0530", "01 Jan 2026 00:00:00 EST", "Fri, 31 Feb 2026 10:00:00 GMT",
    "2026-04-30T12:00:00Z", "2026-04-30T12:00:00.123+02:00", "2026-04-30T12:00:00-05:00",
    "2026-04-30", "2026-04-30 12:00:00", "Thu, 01 Jan 1970 00:00:00 GMT", "2099-01-01T00:00:00Z",
    "Sat, 30 Apr 2026 12:00:00 PDT", "yesterday", "", "  Sun, 22 Nov 2026 10:00:00 GMT  ",
    "Sun, 22 Nov 26 10:00:00 GMT", "2026-13-01T00:00:00Z", "2026-04-30T24:00:00Z",
    "Sun, 22 Nov 2026 10:00 GMT", "Wed, 30 Apr 2026 12:00:00 Z", "2026-04-30T12:00:59.9999999999Z",
]), st.builds(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT"),
              st.datetimes(datetime(1980, 1, 1), datetime(2030, 1, 1))))
TEXT_TYPES = st.one_of(st.none(), st.sampled_from([
    "text", "html", "xhtml", "text/html", "text/plain", "TEXT", "image/png", "application/xml"]))


def _attr(name: str, value: str | None) -> str:
    return "" if value is None else f" {name}={quoteattr(value)}"


@st.composite
def rss_item_parts(draw: st.DrawFn) -> list[str]:
    parts = []
    for _ in range(draw(st.integers(0, 9))):
        kind = draw(st.sampled_from([
            "title", "title", "description", "description", "link", "link", "guid", "pubDate",
            "content", "dc_date", "dc_creator", "category", "author", "enclosure", "media_title",
            "media_description", "media_content", "atom_link", "image", "source", "unknown",
            "unknown_ns", "comments", "empty_title", "updated", "expirationDate", "media_group",
            "itunes_summary", "wrap", "other_ns_title", "nested_item", "dcterms",
        ]))
        text = draw(texts())
        if kind == "title":
            parts.append(f"<title{_attr('type', draw(TEXT_TYPES))}>{text}</title>")
        elif kind == "empty_title":
            parts.append("<title></title>" if draw(st.booleans()) else "<title/>")
        elif kind == "description":
            parts.append(f"<description>{text}</description>")
        elif kind == "link":
            parts.append(f"<link>{draw(LINKS)}</link>")
        elif kind == "guid":
            permalink = draw(st.sampled_from([None, "true", "false", "True"]))
            value = draw(st.one_of(LINKS, texts()))
            parts.append(f"<guid{_attr('isPermaLink', permalink)}>{value}</guid>")
        elif kind == "pubDate":
            parts.append(f"<pubDate>{escape(draw(DATES))}</pubDate>")
        elif kind == "updated":
            parts.append(f"<lastBuildDate>{escape(draw(DATES))}</lastBuildDate>")
        elif kind == "expirationDate":
            parts.append(f"<expirationDate>{escape(draw(DATES))}</expirationDate>")
        elif kind == "dc_date":
            parts.append(f"<dc:date>{escape(draw(DATES))}</dc:date>")
        elif kind == "content":
            parts.append(f"<content:encoded>{text}</content:encoded>")
        elif kind == "dc_creator":
            parts.append(f"<dc:creator>{text}</dc:creator>")
        elif kind == "category":
            parts.append(f"<category{_attr('domain', draw(st.sampled_from([None, 'x'])))}>"
                         f"{text}</category>")
        elif kind == "author":
            parts.append(f"<author>{text}</author>")
        elif kind == "enclosure":
            parts.append(f"<enclosure url={quoteattr(draw(LINKS))} type=\"audio/mpeg\"/>")
        elif kind == "media_title":
            parts.append(f"<media:title>{text}</media:title>")
        elif kind == "media_description":
            parts.append(f"<media:description>{text}</media:description>")
        elif kind == "media_content":
            inner = draw(st.sampled_from(["", f"<media:title>{text}</media:title>",
                                          f"<media:description>{text}</media:description>",
                                          f"<media:credit>{text}</media:credit>",
                                          "<media:thumbnail url=\"/t.jpg\"/>"]))
            parts.append(f"<media:content url=\"https://e.org/i.jpg\">{inner}</media:content>")
        elif kind == "media_group":
            parts.append(f"<media:group><media:title>{text}</media:title>"
                         f"<media:content url=\"/v.mp4\"/></media:group>")
        elif kind == "atom_link":
            rel = draw(st.sampled_from([None, "alternate", "self", "enclosure", "ALTERNATE"]))
            mime = draw(st.sampled_from([None, "text/html", "application/rss+xml", "TEXT/HTML"]))
            parts.append(f"<atom:link href={quoteattr(draw(LINKS))}{_attr('rel', rel)}"
                         f"{_attr('type', mime)}/>")
        elif kind == "image":
            parts.append(f"<image><url>/logo.png</url><title>{text}</title>"
                         f"<link>{draw(LINKS)}</link></image>")
        elif kind == "source":
            parts.append(f"<source url=\"https://other.example/rss\">{text}</source>")
        elif kind == "unknown":
            parts.append(f"<byline>{text}</byline>")
        elif kind == "unknown_ns":
            parts.append(f"<x:extra>{text}</x:extra>")
        elif kind == "comments":
            parts.append(f"<comments>{draw(LINKS)}</comments>")
        elif kind == "itunes_summary":
            parts.append(f"<itunes:summary>{text}</itunes:summary>")
        elif kind == "wrap":  # known elements one level deeper, inside an unknown one
            tag = draw(st.sampled_from(["wrap", "x:wrap"]))
            inner = draw(st.sampled_from(["title", "description", "link", "guid", "pubDate"]))
            value = draw(LINKS) if inner in ("link", "guid") else text
            parts.append(f"<{tag}><{inner}>{value}</{inner}></{tag}>")
        elif kind == "other_ns_title":
            parts.append(f'<title xmlns="urn:example:other">{text}</title>')
        elif kind == "nested_item":
            parts.append(f"<item><title>{text}</title><link>{draw(LINKS)}</link></item>")
        elif kind == "dcterms":
            tag = draw(st.sampled_from(["dcterms:created", "dcterms:issued", "dcterms:modified",
                                        "dc:title", "dc:description"]))
            value = escape(draw(DATES)) if tag.startswith("dcterms") else text
            parts.append(f'<{tag} xmlns:dcterms="http://purl.org/dc/terms/">{value}</{tag}>')
    return parts


NAMESPACE_DECLS = (' xmlns:dc="http://purl.org/dc/elements/1.1/"'
                   ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
                   ' xmlns:media="http://search.yahoo.com/mrss/"'
                   ' xmlns:atom="http://www.w3.org/2005/Atom"'
                   ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
                   ' xmlns:x="urn:example:extension"')
PROLOGS = st.one_of(st.just('<?xml version="1.0" encoding="utf-8"?>\n'), st.sampled_from([
    '<?xml version="1.0"?>', "", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    "\ufeff", '<?xml version="1.0" encoding="iso-8859-1"?>', '  <?xml version="1.0"?>',
    '<?xml version="1.0" encoding="utf-8"?><?xml-stylesheet href="x.xsl" type="text/xsl"?>',
    "\n\n", '<?xml version="1.1" encoding="utf-8"?>',
]))


@st.composite
def rss_documents(draw: st.DrawFn) -> bytes:
    channel = [f"<title>{draw(texts())}</title>"]
    if draw(st.booleans()):
        channel.append(f"<link>{draw(LINKS)}</link>")
    if draw(st.booleans()):
        channel.append(f"<description>{draw(texts())}</description>")
    if draw(st.booleans()):
        channel.append("<image><url>/l.png</url><title>Logo</title><link>/</link></image>")
    if draw(st.booleans()):
        channel.append('<atom:link href="https://example.org/feed" rel="self" '
                       'type="application/rss+xml"/>')
    items = [f"<item>{''.join(draw(rss_item_parts()))}</item>"
             for _ in range(0 if draw(RARELY) else draw(st.integers(1, 4)))]
    trailer = draw(st.sampled_from([
        "", f"<title>{draw(texts())}</title>",
        "<lastBuildDate>Sun, 22 Nov 2026 10:00:00 GMT</lastBuildDate>"]))
    version = draw(st.sampled_from(['version="2.0"', 'version="0.92"', ""]))
    decls = ' xmlns:x="urn:example:extension"' if draw(RARELY) else NAMESPACE_DECLS
    if draw(st.sampled_from([False] * 5 + [True])):  # RSS 1.0: items beside the channel
        items = [item.replace("<item>", f'<item rdf:about="{draw(LINKS)}">', 1)
                 for item in items]
        body = (f'{draw(PROLOGS)}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                f' xmlns="http://purl.org/rss/1.0/"{decls}><channel rdf:about="{URL}">'
                f"{''.join(channel)}<items><rdf:Seq><rdf:li rdf:resource=\"/a\"/></rdf:Seq>"
                f"</items></channel>{''.join(items)}</rdf:RDF>")
    else:
        body = (f"{draw(PROLOGS)}<rss {version}{decls}><channel>{''.join(channel)}"
                f"{''.join(items)}{trailer}</channel></rss>")
    return body.encode("utf-8", "surrogatepass")


@st.composite
def atom_entry_parts(draw: st.DrawFn) -> list[str]:
    parts = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["title", "title", "link", "link", "id", "updated",
                                     "published", "summary", "content", "author", "category",
                                     "media_group", "unknown_ns"]))
        text = draw(texts())
        if kind == "title":
            parts.append(f"<title{_attr('type', draw(TEXT_TYPES))}>{text}</title>")
        elif kind == "link":
            rel = draw(st.sampled_from([None, "alternate", "self", "related", "enclosure"]))
            mime = draw(st.sampled_from([None, "text/html", "application/xhtml+xml",
                                         "image/png"]))
            attr = draw(st.sampled_from(["href", "href", "url", "uri"]))
            parts.append(f"<link {attr}={quoteattr(draw(LINKS))}{_attr('rel', rel)}"
                         f"{_attr('type', mime)}/>")
        elif kind == "id":
            parts.append(f"<id>{draw(st.one_of(LINKS, texts()))}</id>")
        elif kind in ("updated", "published"):
            parts.append(f"<{kind}>{escape(draw(DATES))}</{kind}>")
        elif kind == "summary":
            parts.append(f"<summary{_attr('type', draw(TEXT_TYPES))}>{text}</summary>")
        elif kind == "content":
            mode = draw(st.one_of(st.none(), st.sampled_from(["escaped", "base64"])))
            parts.append(f"<content{_attr('type', draw(TEXT_TYPES))}{_attr('mode', mode)}>"
                         f"{text}</content>")
        elif kind == "author":
            parts.append(f"<author><name>{text}</name><uri>/people/x</uri></author>")
        elif kind == "category":
            parts.append(f"<category term={quoteattr(draw(WORDS))}/>")
        elif kind == "media_group":
            parts.append(f"<media:group><media:title>{text}</media:title>"
                         f"<media:description>{text}</media:description></media:group>")
        elif kind == "unknown_ns":
            parts.append(f"<x:videoId>{text}</x:videoId>")
    return parts


@st.composite
def atom_documents(draw: st.DrawFn) -> bytes:
    head = [f"<title>{draw(texts())}</title>"]
    if draw(st.booleans()):
        head.append(f'<link href={quoteattr(draw(LINKS))} rel="alternate" type="text/html"/>')
    entries = [f"<entry>{''.join(draw(atom_entry_parts()))}</entry>"
               for _ in range(0 if draw(RARELY) else draw(st.integers(1, 4)))]
    body = (f'{draw(PROLOGS)}<feed xmlns="http://www.w3.org/2005/Atom" '
            f'xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="urn:example:yt">'
            f"{''.join(head)}{''.join(entries)}</feed>")
    return body.encode("utf-8", "surrogatepass")


CLAIMED: list[bool] = []


@DIFF
@given(rss_documents(), COMMON_TYPES,
       st.sampled_from([URL, URL, "http://127.0.0.2:8080/feed/1.xml", "https://e.org", ""]))
def test_generated_rss_parses_the_same(content: bytes, content_type: str | None,
                                       url: str) -> None:
    claimed, fast, reference = both(content, content_type, url)
    CLAIMED.append(claimed)
    assert fast == reference


@DIFF
@given(atom_documents(), COMMON_TYPES)
def test_generated_atom_parses_the_same(content: bytes, content_type: str | None) -> None:
    claimed, fast, reference = both(content, content_type)
    CLAIMED.append(claimed)
    assert fast == reference


def test_generated_documents_mostly_take_the_fast_path() -> None:
    """Guards against a fast path that declines everything and so passes the checks above."""
    if len(CLAIMED) < 20:
        pytest.skip("run with the generated-document tests")
    assert sum(CLAIMED) > len(CLAIMED) / 5


# -- dates ---------------------------------------------------------------------------------------

DATE_PIECES = st.one_of(
    DATES,
    st.builds(lambda d, z: d.strftime("%a, %d %b %Y %H:%M:%S ") + z,
              st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31)),
              st.sampled_from(["GMT", "UT", "UTC", "Z", "+0000", "-0800", "+1400", "-9959",
                               "EST", "PDT", "CDT", "MST", "+99:00"])),
    st.builds(lambda d, z: d.strftime("%Y-%m-%dT%H:%M:%S") + z,
              st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31)),
              st.sampled_from(["Z", "+00:00", "-05:30", "+14:00", ".5Z", ".999999+01:00",
                               "-23:59", "+0530", "z"])),
    st.text(alphabet="0123456789 :-+TZGMTSunMonJanFeb,.", max_size=32),
)


@settings(max_examples=5 * settings.default.max_examples, deadline=None)
@given(DATE_PIECES)
def test_dates_parse_as_feedparser_parses_them(value: str) -> None:
    from feedparser.datetimes import _parse_date

    assert fastparse.parse_date(value) == _parse_date(value)


def test_the_common_dates_do_not_need_feedparser() -> None:
    for value in ("Sun, 22 Nov 2026 10:00:00 GMT", "2026-04-30T12:00:00.5+02:00"):
        match = dates.RFC822.fullmatch(value) or dates.W3DTF.fullmatch(value)
        assert match and re.fullmatch(r"[\w ,:.+-]+", value)
