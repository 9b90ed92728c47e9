"""render.escape: feed text made inert in Markdown, and right-to-left text isolated."""

from __future__ import annotations

import sys
import unicodedata

from counterpoint.render.escape import has_rtl, isolate_bidi, markdown_text, markdown_url


def test_markdown_text_escapes_links_html_tables_and_blocks() -> None:
    assert markdown_text("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert(1))"
    assert markdown_text("<b>|a|") == "\\<b>\\|a\\|"
    assert markdown_text("# not a heading") == "\\# not a heading"
    assert markdown_text("- not a list") == "\\- not a list"


def test_markdown_text_leaves_brackets_and_ampersands_that_are_not_syntax() -> None:
    assert markdown_text("Inflation < 5% as rates > 3%") == "Inflation < 5% as rates > 3%"
    assert markdown_text("<<< Breaking >>> AT&T") == "<<< Breaking >>> AT&T"
    assert markdown_text("Why <style> &amp; <!-- </p>") == \
        "Why \\<style> \\&amp; \\<!-- \\</p>"
    assert markdown_text("> not a quote") == "\\> not a quote"
    assert markdown_text(">neither") == "\\>neither"


def test_markdown_url_cannot_break_out_of_parentheses() -> None:
    assert markdown_url("https://example.org/a) [x](javascript:1") == \
        "https://example.org/a%29%20[x]%28javascript:1"


def test_isolate_bidi_wraps_only_rtl_text() -> None:
    assert isolate_bidi("Tehran") == "Tehran"
    assert isolate_bidi("تهران") == "\u2068تهران\u2069"


def test_every_right_to_left_character_is_seen_by_has_rtl() -> None:
    missed = [hex(code) for code in range(sys.maxunicode + 1)
              if unicodedata.bidirectional(chr(code)) in ("R", "AL")
              and not has_rtl(f"a {chr(code)} b")]
    assert missed == []
    assert not has_rtl("Plain text — with “quotes” and ünïcödé")
