"""sanitize: hostile feed text becomes one safe line; links are http(s) or nothing; renderer
helpers escape for their syntax. Also parse.defuse_entities, the XML entity guard."""

from __future__ import annotations

import time

import pytest

from counterpoint.parse.clean import (
    clean_text,
    isolate_bidi,
    markdown_text,
    markdown_url,
    one_line,
    safe_link,
    strip_controls,
)
from counterpoint.parse.feed import defuse_entities


@pytest.mark.parametrize(("raw", "expected"), [
    ("\x1b[31mred\x1b[0m", "red"),
    ("\x1b]0;set title\x07Headline", "Headline"),
    ("\x1b]0;set title\x1b\\Headline", "Headline"),
    ("\x1b]8;;https://evil.example\x1b\\link text\x1b]8;;\x1b\\", "link text"),
    ("\x9b31mC1 CSI", "C1 CSI"),
    ("\x9d0;title\x9cC1 OSC", "C1 OSC"),
    ("\x1bPdcs payload\x1b\\after", "after"),
    ("bell\x07 nul\x00 del\x7f", "bell nul del"),
    ("exe.\u202etxt", "exe.txt"),
    ("\u2066isolated\u2069", "isolated"),
])
def test_escape_sequences_and_controls_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw, 300) == expected


def test_entity_encoded_escapes_are_removed_after_decoding() -> None:
    assert clean_text("&#27;[31mred &#x1b;]0;t&#7; x", 300) == "[31mred ]0;t x"
    assert "\x1b" not in clean_text("&#27;&#27;&#27;", 300)


def test_zero_width_joiners_needed_by_persian_are_kept() -> None:
    assert clean_text("می\u200cخواهم", 300) == "می\u200cخواهم"


def test_html_is_reduced_to_text_and_script_dropped() -> None:
    assert clean_text("<p>One</p><script>alert(1)</script><b>two</b>", 300) == "One two"
    assert clean_text("&lt;script&gt;alert(1)&lt;/script&gt;safe", 300) == "safe"


def test_rich_markup_is_left_as_text() -> None:
    assert clean_text("[bold red]x[/bold red]", 300) == "[bold red]x[/bold red]"


def test_text_is_one_line_and_bounded() -> None:
    text = clean_text("line one\nline two\r\n\tthree " + "word " * 1000, 120)
    assert "\n" not in text and len(text) <= 120 and text.endswith("…")


@pytest.mark.parametrize("raw", [
    "\x1b]" * 100_000, "\x1b[" * 100_000, "<" * 200_000, "<script>" * 20_000,
    "<!--" * 50_000, "&" * 200_000, "\x9d" * 200_000, "<a " * 100_000,
])
def test_pathological_input_is_handled_in_linear_time(raw: str) -> None:
    started = time.monotonic()
    clean_text(raw, 300)
    one_line(raw, 200)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("raw", [
    "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>", "vbscript:x", "file:///etc/passwd", "ftp://example.org/",
    "//evil.example/x", "http://", "http://[", "http://[]", "https://[::1", "",
])
def test_unsafe_or_broken_links_become_none(raw: str) -> None:
    assert safe_link(raw, None) is None


def test_relative_links_resolve_only_against_a_web_base() -> None:
    assert safe_link("/a b", "https://example.org/news/") == "https://example.org/a%20b"
    assert safe_link("/a", "file:///etc/") is None


def test_links_are_quoted_and_scheme_lowercased() -> None:
    assert safe_link('HTTPS://example.org/a "b" <c>', None) == \
        "https://example.org/a%20%22b%22%20%3Cc%3E"
    assert safe_link("https://example.org/\x1b[31mx", None) == "https://example.org/x"


def test_markdown_text_escapes_links_html_tables_and_blocks() -> None:
    assert markdown_text("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert markdown_text("<b>|a|") == "\\<b\\>\\|a\\|"
    assert markdown_text("# not a heading") == "\\# not a heading"
    assert markdown_text("- not a list") == "\\- not a list"


def test_markdown_url_cannot_break_out_of_parentheses() -> None:
    assert markdown_url("https://example.org/a) [x](javascript:1") == \
        "https://example.org/a%29%20[x]%28javascript:1"


def test_one_line_error_text() -> None:
    assert one_line("HTTP 503 \x1b[2JDown\r\nnow\x9b31m", 200) == "HTTP 503 Down now"


def test_isolate_bidi_wraps_only_rtl_text() -> None:
    assert isolate_bidi("Tehran") == "Tehran"
    assert isolate_bidi("تهران") == "\u2068تهران\u2069"


def test_strip_controls_keeps_printable_unicode() -> None:
    assert strip_controls("Ünïcödé 中文 😀") == "Ünïcödé 中文 😀"


# -- the XML entity guard --------------------------------------------------------------------------

def test_defuse_drops_external_nested_and_long_entities() -> None:
    doc = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY x SYSTEM '
           b'"file:///etc/passwd"><!ENTITY % p SYSTEM "http://evil.example/p">'
           b'<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;">]><rss/>')
    out = defuse_entities(doc)
    assert b'\n<!ENTITY nbsp "&#160;">' in out
    assert b"SYSTEM" not in out.split(b"]>")[0].replace(b"<!DOCTYPE", b"")
    assert b"aaaa" not in out and b"&a;&a;" not in out
    assert out.endswith(b"]><rss/>")


def test_defuse_leaves_documents_without_a_doctype_alone() -> None:
    doc = b'<?xml version="1.0"?><rss version="2.0"><channel><title>&amp;</title></channel></rss>'
    assert defuse_entities(doc) is doc


def test_defuse_ignores_entity_text_inside_the_body() -> None:
    doc = b'<rss><channel><title>&lt;!ENTITY x SYSTEM "y"&gt;</title></channel></rss>'
    assert defuse_entities(doc) == doc


def test_every_right_to_left_character_is_seen_by_has_rtl() -> None:
    import sys
    import unicodedata

    from counterpoint.parse.clean import has_rtl

    missed = [hex(code) for code in range(sys.maxunicode + 1)
              if unicodedata.bidirectional(chr(code)) in ("R", "AL")
              and not has_rtl(f"a {chr(code)} b")]
    assert missed == []
    assert not has_rtl("Plain text — with “quotes” and ünïcödé")
