"""Feed documents to normalised items: dates, links, keys and duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counterpoint.models import Item
from counterpoint.parse.feed import parse_feed, parse_feed_reference
from rss import Entry, rss

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


def parse(document: bytes, url: str = "https://news.example/feed.xml") -> list[Item]:
    parsed = parse_feed(document, url, "Outlet", "wire", NOW)
    assert parsed.error is None
    return list(parsed.items)


def test_dates_become_utc_and_undated_items_take_the_fetch_time() -> None:
    items = parse(rss([Entry("Dated", hours_ago=5), Entry("Undated", hours_ago=None)], now=NOW))
    dated, undated = items
    assert dated.published == NOW - timedelta(hours=5) and dated.dated
    assert undated.published == NOW and not undated.dated


def test_a_date_slightly_ahead_is_clamped_and_a_far_future_date_is_no_date() -> None:
    items = parse(rss([Entry("Clock skew", hours_ago=-2), Entry("Far future", hours_ago=-72)],
                      now=NOW))
    skewed, future = items
    assert skewed.published == NOW and skewed.dated
    assert future.published == NOW and not future.dated


def test_relative_links_resolve_against_the_feed_and_unsafe_links_are_dropped() -> None:
    items = parse(rss([Entry("Relative", link="/story/1"),
                       Entry("Script", link="javascript:alert(1)")], now=NOW))
    assert items[0].link == "https://news.example/story/1"
    assert items[1].link is None


def test_duplicates_within_a_feed_by_guid_or_link_are_kept_once() -> None:
    items = parse(rss([Entry("First", guid="g-1", link="https://news.example/a"),
                       Entry("Same guid again", guid="g-1", link="https://news.example/b"),
                       Entry("Same link again", guid="g-2", link="https://news.example/a"),
                       Entry("Other", guid="g-3", link="https://news.example/c")], now=NOW))
    assert [item.title for item in items] == ["First", "Other"]


def test_key_prefers_guid_then_link_then_content() -> None:
    items = parse(rss([Entry("With guid", guid="abc"), Entry("With link only"),
                       Entry("Neither", link="")], now=NOW))
    assert items[0].key.startswith("g:") and items[0].key.endswith("abc")  # permalink guids
    # are resolved against the feed URL, as feedparser does
    assert items[1].key.startswith("l:https://example.org/")
    assert items[2].key.startswith("h:")


def test_html_in_titles_and_summaries_becomes_plain_text() -> None:
    items = parse(rss([Entry("<b>Bold</b> &amp; <i>brave</i>",
                             "<p>First paragraph.</p><p>Second &ndash; with <a href='x'>link</a>"
                             "</p>")], now=NOW))
    assert items[0].title == "Bold & brave"
    assert items[0].summary == "First paragraph. Second – with link"


def _atom(title: str, summary: str, title_type: str = "", summary_type: str = "") -> bytes:
    def typed(kind: str) -> str:
        return f' type="{kind}"' if kind else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<!-- a <rss> in a comment -->\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Outlet</title>'
            f"<entry><id>urn:x:1</id><updated>2026-11-22T06:00:00Z</updated>"
            f"<title{typed(title_type)}>{title}</title>"
            f"<summary{typed(summary_type)}>{summary}</summary></entry></feed>").encode()


def test_atom_text_is_kept_as_written_and_atom_html_is_read_as_html() -> None:
    # Atom declares each text construct's type; no type means "text": "<b>" is a word here.
    for doc in (_atom("Use &lt;b&gt; for bold &amp; AT&amp;T", "Tags like &lt;i&gt; stay",
                      "text", "text"),
                _atom("Use &lt;b&gt; for bold &amp; AT&amp;T", "Tags like &lt;i&gt; stay")):
        for fast in (True, False):
            (item,) = (parse_feed_reference if not fast else parse_feed)(
                doc, "https://news.example/feed.xml", "Outlet", "wire", NOW).items
            assert item.title == "Use <b> for bold & AT&T"
            assert item.summary == "Tags like <i> stay"
    doc = _atom("Use &lt;b&gt;bold&lt;/b&gt;", "&lt;p&gt;One&lt;/p&gt;", "html", "html")
    (item,) = parse(doc)
    assert (item.title, item.summary) == ("Use bold", "One")


def test_rss_text_is_always_read_as_html() -> None:
    # RSS declares no type (feedparser only guesses one): escaped tags are markup.
    (item,) = parse(rss([Entry("&lt;script&gt;alert(1)&lt;/script&gt; Budget passes",
                               "Text")], now=NOW))
    assert item.title == "Budget passes"


def test_a_document_without_media_type_or_declaration_is_utf8() -> None:
    # A local file (or a server sending no Content-Type) with no XML declaration: XML's default,
    # UTF-8, not RFC 3023's ISO-8859-1 ("Amsterdam\u00a0" once read as "AmsterdamÂ").
    body = ("<rss version=\"2.0\"><channel><title>t</title><item><title>Shot in Amsterdam\u00a0"
            "</title><description>Café · «اعتراضات زاهدان»</description><link>https://e.org/1"
            "</link></item></channel></rss>").encode()
    latin = ('<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>t'
             "</title><item><title>Café</title><link>https://e.org/2</link></item></channel>"
             "</rss>").encode("iso-8859-1")
    for read in (parse_feed, parse_feed_reference):
        (item,) = read(body, "file:///feeds/x.xml", "Outlet", "wire", NOW).items
        assert (item.title, item.summary) == ("Shot in Amsterdam", "Café · «اعتراضات زاهدان»")
        (item,) = read(latin, "file:///feeds/y.xml", "Outlet", "wire", NOW).items
        assert item.title == "Café"
