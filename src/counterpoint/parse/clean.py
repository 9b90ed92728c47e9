"""Make hostile feed text safe, as plain text the outlet wrote, for a terminal, Markdown and JSON.

Feed titles and summaries are untrusted: they may carry HTML, ANSI/OSC escape sequences, C0/C1
control characters, bidi overrides, Rich markup or Markdown meant to inject links. Everything
from a feed passes `clean_text` once, at parse time; links pass `safe_link`. Renderers escape
again for their own syntax (render.escape). Rich output is built from `Text`, never markup.

HTML becomes text through a real HTML parser (the standard library's `html.parser`; a
maintained library such as selectolax or lxml would add a compiled dependency for text we cut
to 1,000 characters anyway). Feed text is often plain text that feedparser has unescaped, so the
parser is lenient where HTML is strict and a browser would lose words: a `<` that opens no tag
("a < b", "<<< Breaking"), a tag of no HTML element ("<Iran>", "<smith@example.org>"), an `&`
that is no complete reference ("AT&T", "&notice") and an unclosed `<script>`/`<style>` ("Why
<style> tags block rendering") all stay as written. Elements that start a block, list items,
table cells and `<br>` leave a space; script, style, comments and declarations leave nothing.
Parsing stops once enough text for the field is out (`clean_text`'s `max_chars`).
"""

from __future__ import annotations

import html
import html.entities
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

MAX_INPUT_CHARS = 100_000  # look at most this far into any field
MAX_LINK_CHARS = 2048
CHUNK_CHARS = 2048  # HTML is parsed a chunk at a time until enough text is out
PENDING_CHARS = 1024  # of a tag or comment left open at the end, read as text

# ESC-introduced sequences: CSI, OSC/DCS/SOS/PM/APC strings (ended by BEL or ST), and 2-char ESCs.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|$)"
    r"|\x1b[ -/]*[0-~]?",
    re.DOTALL,
)
_C1_STRING = re.compile(r"\x9b[0-?]*[ -/]*[@-~]?|[\x90\x98\x9d\x9e\x9f].*?(?:\x07|\x9c|$)",
                        re.DOTALL)
# Bidi embeddings, overrides and isolates from the feed are removed; renderers add their own.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_WHITESPACE = re.compile(r"\s+")
_ASCII_CONTROLS: dict[int, str | None] = {
    **dict.fromkeys([*range(32), 0x7F]), **dict.fromkeys(map(ord, "\t\n\r\f\v"), " ")}
_CONTROLS: dict[int, str | None] = {
    **_ASCII_CONTROLS, **dict.fromkeys(range(0x80, 0xA0)), **_BIDI_CONTROLS}


def strip_controls(text: str) -> str:
    """Remove escape sequences, C0/C1 controls (tabs and newlines become spaces) and bidi
    overrides. Zero-width joiners (needed by Persian and Indic scripts) are kept."""
    text = _strip_sequences(text)
    if text.isascii():  # no C1, bidi, surrogate, private or unassigned character can occur
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cs", "Co", "Cn"))


def _strip_sequences(text: str) -> str:
    """Escape sequences with their payloads, then every control (C0, DEL, C1, bidi)."""
    text = _ANSI.sub("", text)
    if text.isascii():
        return text.translate(_ASCII_CONTROLS)
    return _C1_STRING.sub("", text).translate(_CONTROLS)


# -- HTML -> text ------------------------------------------------------------------------------

# Elements of HTML (current and obsolete) and the SVG/MathML roots: a tag naming anything else
# is text that happens to sit between angle brackets.
_ELEMENTS = frozenset(str.split("""
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big
blink blockquote body br button canvas caption center cite code col colgroup data datalist dd
del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame
frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd
keygen label legend li link listing main map mark marquee math menu menuitem meta meter nav nobr
noembed noframes noscript object ol optgroup option output p param picture plaintext pre
progress q rb rp rt rtc ruby s samp script search section select slot small source span strike
strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr
track tt u ul var video wbr xmp
"""))
# Elements that end a line (or a cell) where a browser shows them: they leave a space.
_BREAKS = frozenset(str.split("""
address article aside blockquote br caption center dd details dialog dir div dl dt fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre
section summary table tbody td tfoot th thead tr ul
"""))
_NAMED_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]{0,31});")
_BARE_AMPERSAND = re.compile(
    r"&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")


def _is_markup(tag: str) -> bool:
    return tag in _ELEMENTS or ":" in tag  # o:p, v:shape… (word processors' namespaced tags)


def _escape_stray_ampersands(text: str) -> str:
    """Only complete references are decoded: "AT&T" and "&notice" are text, not "&not;ice"."""
    text = _BARE_AMPERSAND.sub("&amp;", text)
    return _NAMED_REFERENCE.sub(_keep_known_reference, text)


def _keep_known_reference(match: re.Match[str]) -> str:
    known = match.group(1) + ";" in html.entities.html5
    return match.group(0) if known else "&amp;" + match.group(0)[1:]


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment; see the module docstring for its leniency."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.visible = 0  # non-space characters collected: a lower bound of the text's length
        self._open_raw = ""  # the tag text of the open script/style element
        self._raw_content: list[str] = []
        self._unknown_end = False

    def handle_data(self, data: str) -> None:
        if self.cdata_elem:
            self._raw_content.append(data)
            return
        self.pieces.append(data)
        self.visible += sum(map(len, data.split()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not _is_markup(tag):
            self.handle_data(self.get_starttag_text() or "")
        elif tag in ("script", "style"):
            self._open_raw = self.get_starttag_text() or ""
            self._raw_content = []
        elif tag in _BREAKS:
            self.pieces.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not _is_markup(tag):
            self.handle_data(self.get_starttag_text() or "")
        elif tag in _BREAKS:
            self.pieces.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not _is_markup(tag):
            self._unknown_end = True
        elif tag in _BREAKS:
            self.pieces.append(" ")

    def parse_endtag(self, i: int) -> int:
        end = super().parse_endtag(i)
        if self._unknown_end:
            self._unknown_end = False
            self.handle_data(self.rawdata[i:end])
        return end

    def finish(self, max_chars: int) -> None:
        """All input is in: an unclosed script or style was text, not an element; an unclosed
        tag or comment is read as text by `close`, in quadratic time, so only its start."""
        while self.cdata_elem and self.visible <= max_chars:
            rest = self.rawdata
            literal = self._open_raw + "".join(self._raw_content)
            self.reset()
            self.handle_data(html.unescape(literal))
            self.feed(rest)
        if self.visible <= max_chars:
            self.rawdata = self.rawdata[:PENDING_CHARS]
            self.close()


def html_to_text(fragment: str, max_chars: int = MAX_INPUT_CHARS) -> str:
    """The text of an HTML fragment (tags dropped, references decoded once), parsed until at
    least `max_chars` visible characters are out."""
    if "<" not in fragment and "&" not in fragment:  # most titles: nothing to parse
        return fragment
    parser = _TextExtractor()
    start = 0
    while start < len(fragment):
        end = start + CHUNK_CHARS
        if end < len(fragment):  # never cut a character reference in two
            ampersand = fragment.rfind("&", end - 40, end)
            end = ampersand if ampersand > start else end
        parser.feed(_escape_stray_ampersands(fragment[start:end]))
        start = end
        if parser.visible > max_chars:
            return "".join(parser.pieces)
    parser.finish(max_chars)
    return "".join(parser.pieces)


_SCRIPT_START = re.compile(r"<(script|style)\b", re.IGNORECASE)
_SCRIPT_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}


def _drop_script_pairs(text: str) -> str:
    """Double-escaped `<script>…</script>` (and style) decoded to text is an attack, never
    news: drop each closed pair. Linear: a start without an end ends the search."""
    if "<" not in text:
        return text
    out: list[str] = []
    position = 0
    for match in _SCRIPT_START.finditer(text):
        if match.start() < position:
            continue
        close = _SCRIPT_END[match.group(1).lower()].search(text, match.end())
        if close is None:
            break
        out.append(text[position:match.start()] + " ")
        position = close.end()
    return "".join(out) + text[position:]


def clean_text(raw: str | None, max_chars: int) -> str:
    """Untrusted feed text -> one line of plain, printable text of at most `max_chars`."""
    if not raw:
        return ""
    text = _strip_sequences(raw[:MAX_INPUT_CHARS])  # before and after: entities can encode ESC
    text = html_to_text(text, max_chars)
    text = _drop_script_pairs(text)
    text = strip_controls(text)
    text = _WHITESPACE.sub(" ", text).strip()
    return truncate(text, max_chars)


def one_line(raw: str | None, max_chars: int) -> str:
    """Text that is not HTML (an error message, a server's reason phrase) -> one printable
    line of at most `max_chars`: escape sequences, controls and bidi overrides removed."""
    if not raw:
        return ""
    text = strip_controls(raw[:MAX_INPUT_CHARS])
    return truncate(_WHITESPACE.sub(" ", text).strip(), max_chars)


def truncate(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space > max_chars * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def safe_link(raw: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL, or None. Relative links resolve against `base`."""
    if not raw:
        return None
    # As browsers do: tabs and newlines inside a URL are dropped, other spaces encoded.
    link = re.sub(r"[\t\n\r]", "", raw[:MAX_LINK_CHARS])
    link = strip_controls(link).strip()
    try:  # a malformed URL ("http://[") makes urllib raise: it is no link, not a broken feed
        if base and not urlsplit(link).scheme:
            base_scheme = urlsplit(base).scheme.lower()
            if base_scheme in ("http", "https"):
                link = urljoin(base, link)
        parts = urlsplit(link)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
    except ValueError:
        return None
    link = parts.scheme.lower() + link[len(parts.scheme):]
    # Re-quote anything that is not a safe URL character (spaces, quotes, angle brackets).
    return quote(link, safe=":/?#[]@!$&'()*+,;=%~-._")
