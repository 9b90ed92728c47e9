"""Text folded for matching, in any script: English and Persian read alike.

Matching compares folded text; what is shown is always the text as the outlet wrote it. Folding
is NFKC, case-folding, and for Arabic-script text the spellings that vary between writers and
keyboards made one: Arabic yeh and kaf become Persian ی and ک, teh marbuta and heh with yeh
above become ه, alef forms become ا, diacritics and tatweel go, the zero-width non-joiner
(which joins «ده‌ها» or «می‌شود» inside a word) is removed, and Persian (۰–۹) and Arabic-Indic
(٠–٩) digits, with the Arabic thousands and decimal signs, become ASCII.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {**{0x06F0 + d: str(d) for d in range(10)}, **{0x0660 + d: str(d) for d in range(10)}}

_LETTERS = {
    ord("ي"): "ی", ord("ى"): "ی", ord("ئ"): "ی",
    ord("ك"): "ک",
    ord("ة"): "ه", ord("ۀ"): "ه", ord("ە"): "ه",
    ord("أ"): "ا", ord("إ"): "ا", ord("آ"): "ا", ord("ٱ"): "ا",
    ord("ؤ"): "و",
    0x066C: ",",   # ARABIC THOUSANDS SEPARATOR
    0x066B: ".",   # ARABIC DECIMAL SEPARATOR
    0x060C: ",",   # ARABIC COMMA
    0x061B: ";",   # ARABIC SEMICOLON
    0x061F: "?",   # ARABIC QUESTION MARK
}

_REMOVED = dict.fromkeys([
    0x200C, 0x200D, 0x200E, 0x200F, 0x0640, 0xFEFF,   # ZWNJ, ZWJ, LRM, RLM, tatweel, BOM
    *range(0x064B, 0x0654),                            # fathatan … maddah above
    0x0654, 0x0655, 0x0670,                            # hamza above/below, superscript alef
])

_TABLE: dict[int, str | None] = {**_DIGITS, **_LETTERS, **_REMOVED}

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
_TABLE_CHARS = re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_TABLE)) + "]")


_ASCII_DIGITS: dict[int, str] = {**_DIGITS, 0x066C: ",", 0x066B: "."}
_TO_ASCII = re.compile("[" + "".join(chr(k) for k in sorted(_ASCII_DIGITS)) + "]")


def ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits (and the Arabic separators) as ASCII; nothing else."""
    # Most texts hold none of them: a search is much cheaper than `translate`.
    return text.translate(_ASCII_DIGITS) if _TO_ASCII.search(text) else text


def fold(text: str) -> str:
    """The text as matching sees it (see the module docstring). Idempotent."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    # NFKC turns the presentation forms of Arabic letters into the plain ones before the table.
    # Most non-ASCII text has none of the table's characters (curly quotes, accents): a search
    # for them is much cheaper than `translate`.
    return folded.translate(_TABLE) if _TABLE_CHARS.search(folded) else folded


def has_arabic_script(text: str) -> bool:
    """True when the text holds Persian or Arabic letters."""
    return _ARABIC_SCRIPT.search(text) is not None
