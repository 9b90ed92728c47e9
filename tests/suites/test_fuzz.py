"""Property-based tests: config loading and item normalisation hold for any input, and a short
fuzz run of the parse/normalise path stays inside the CI budget (a few seconds).

Properties: `parse_config` returns a Config or raises ConfigError, never anything else;
`clean_text` / `safe_link` / `markdown_text` output is safe whatever goes in; `parse_feed`
never raises and every item it returns is clean.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpoint.config.load import parse_config
from counterpoint.errors import ConfigError
from counterpoint.parse.clean import clean_text, markdown_text, markdown_url, one_line, safe_link
from counterpoint.parse.feed import parse_feed
from safety import assert_clean_items, assert_clean_link, assert_clean_text

FUZZ = settings(max_examples=settings.default.max_examples * 3 // 2, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NOW = datetime(2026, 5, 1, tzinfo=UTC)

# Text a hostile feed might send: any code point, weighted towards the dangerous ones.
DANGEROUS = st.sampled_from(["\x1b", "\x1b[", "\x1b]", "\x07", "\x1b\\", "\x9b", "\x9d", "\x9c",
                             "\u202e", "\u2066", "\u200f", "\x00", "\r", "\n", "\t", "<", ">",
                             "&", "&#27;", "&#x9b;", "&lt;", "[", "]", "(", ")", "|", "`", "*",
                             "_", "#", "!", "javascript:", "<script>", "</script>", "<!--",
                             "\ufffd", "\U0001f600", "ایران", "\u200c"])
HOSTILE_TEXT = st.lists(st.one_of(st.text(max_size=20), DANGEROUS), max_size=30).map("".join)


# -- config loading -------------------------------------------------------------------------------

TOML_KEYS = st.sampled_from(["settings", "affiliations", "balance", "outlets", "topics",
                             "lexicon", "window", "timeout", "max_bytes", "concurrency",
                             "name", "affiliation", "feeds", "wire", "ngo", "x"])
TOML_SCALARS = st.one_of(st.integers(min_value=-(2**63), max_value=2**63 - 1),
                         st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                         HOSTILE_TEXT, st.sampled_from(["24h", "0s", "-1d", "http://x", ""]))


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(value)


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        header = draw(TOML_KEYS)
        lines.append(f"[[{header}]]" if draw(st.booleans()) else f"[{header}]")
        for _ in range(draw(st.integers(0, 5))):
            value = draw(st.one_of(TOML_SCALARS, st.lists(TOML_SCALARS, max_size=3)))
            lines.append(f"{json.dumps(draw(TOML_KEYS))} = {toml_value(value)}")
    return "\n".join(lines)


@FUZZ
@given(toml_documents())
def test_config_is_loaded_or_rejected_with_a_config_error(text: str) -> None:
    try:
        parse_config(text, None)
    except ConfigError as exc:
        assert "\n" not in str(exc).strip() or "invalid TOML" in str(exc)


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_as_config_never_crashes(text: str) -> None:
    with contextlib.suppress(ConfigError):
        parse_config(text, None)


@FUZZ
@given(st.text(max_size=60), st.integers(), st.floats(allow_nan=False, allow_infinity=False))
def test_settings_values_are_validated(window: str, concurrency: int, timeout: float) -> None:
    text = (f"[settings]\nwindow = {json.dumps(window)}\nconcurrency = {concurrency}\n"
            f"timeout = {timeout!r}\n")
    try:
        config = parse_config(text, None)
    except ConfigError as exc:
        assert str(exc).startswith("<") or "settings." in str(exc) or "TOML" in str(exc)
    else:
        assert config.settings.concurrency >= 1 and config.settings.timeout > 0


# -- normalisation of one field ------------------------------------------------------------------

@FUZZ
@given(HOSTILE_TEXT, st.integers(1, 400))
def test_clean_text_is_one_safe_bounded_line(raw: str, limit: int) -> None:
    text = clean_text(raw, limit)
    assert_clean_text(text, limit)
    assert text == text.strip()
    assert "\n" not in text and "  " not in text


@FUZZ
@given(HOSTILE_TEXT)
def test_clean_text_is_idempotent_on_plain_text(raw: str) -> None:
    once = clean_text(raw, 300)
    if "<" not in once and "&" not in once:  # literal "<b>" or "&amp;" text is decoded again
        assert clean_text(once, 300) == once


@FUZZ
@given(HOSTILE_TEXT)
def test_one_line_is_safe(raw: str) -> None:
    assert_clean_text(one_line(raw, 200), 200)


@FUZZ
@given(st.one_of(HOSTILE_TEXT, st.builds(lambda s, p: s + p,
                                         st.sampled_from(["http://", "https://", "HTTPS://",
                                                          "javascript:", "data:", "//", "/"]),
                                         HOSTILE_TEXT)),
       st.sampled_from([None, "https://example.org/news/", "file:///etc/", "javascript:x"]))
def test_safe_link_is_http_or_nothing(raw: str, base: str | None) -> None:
    link = safe_link(raw, base)
    assert_clean_link(link)
    if link is not None:
        assert markdown_url(link).count("(") == 0 and markdown_url(link).count(")") == 0


@FUZZ
@given(HOSTILE_TEXT)
def test_markdown_text_leaves_no_live_syntax(raw: str) -> None:
    text = markdown_text(clean_text(raw, 300))
    assert not re.search(r"(?<!\\)[\[\]()<>|`*_]", text.replace("\\\\", ""))


# -- the parse path end to end -------------------------------------------------------------------

ENTRY = st.fixed_dictionaries({
    "title": HOSTILE_TEXT, "summary": HOSTILE_TEXT,
    "link": st.one_of(st.none(), HOSTILE_TEXT,
                      st.sampled_from(["https://example.org/a", "javascript:alert(1)", "/rel"])),
    "guid": st.one_of(st.none(), HOSTILE_TEXT),
    "date": st.one_of(st.none(), HOSTILE_TEXT,
                      st.sampled_from(["Mon, 01 Jan 2026 10:00:00 GMT", "9999-99-99",
                                       "Thu, 01 Jan 1970 00:00:00 GMT", "2099-01-01T00:00:00Z"])),
})


def _xml_safe(text: str) -> str:
    return escape(re.sub(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "",
                         text))


def rss_document(entries: list[dict[str, str | None]], raw: bool) -> bytes:
    def field(tag: str, value: str | None) -> str:
        if value is None:
            return ""
        return f"<{tag}>{value if raw else _xml_safe(value)}</{tag}>"

    items = "".join("<item>" + field("title", e["title"]) + field("description", e["summary"])
                    + field("link", e["link"]) + field("guid", e["guid"])
                    + field("pubDate", e["date"]) + "</item>" for e in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F'
            f"</title>{items}</channel></rss>").encode("utf-8", "surrogatepass")


def _check(content: bytes) -> None:
    parsed = parse_feed(content, "https://example.org/feed", "Outlet", "wire", NOW)
    assert_clean_items(parsed.items)
    assert_clean_text(parsed.title)
    if parsed.error:
        assert not parsed.items
        assert_clean_text(parsed.error, 300)
    for item in parsed.items:
        assert item.published <= NOW.replace(year=NOW.year + 1)


@FUZZ
@given(st.lists(ENTRY, max_size=4), st.booleans())
def test_fuzzed_rss_parses_to_clean_items(entries: list[dict[str, str | None]],
                                          raw: bool) -> None:
    _check(rss_document(entries, raw))


@FUZZ
@given(st.lists(ENTRY, max_size=4))
def test_fuzzed_json_feed_parses_to_clean_items(entries: list[dict[str, str | None]]) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "J",
           "items": [{"id": e["guid"], "title": e["title"], "content_html": e["summary"],
                      "url": e["link"], "date_published": e["date"]} for e in entries]}
    _check(json.dumps(doc).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_parser(content: bytes) -> None:
    _check(content)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_inside_a_feed_never_crash_the_parser(noise: bytes) -> None:
    _check(b'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title><item><title>'
           + noise + b"</title><link>https://example.org/n</link></item></channel></rss>")
