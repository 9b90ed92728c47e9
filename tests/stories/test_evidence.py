"""An item's cross-language evidence: the word tables read each text as the plain rule does
(the gazetteer's scan, then each word outside a name on its own, numbers from the text)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.models import Item
from counterpoint.stories.evidence import Evidence, evidence_of
from counterpoint.stories.gazetteer import Gazetteer, raw_words, shipped_gazetteer, words
from counterpoint.stories.normalize import ascii_digits, fold, has_arabic_script
from counterpoint.stories.translit import skeleton

NOON = datetime(2026, 7, 23, 12, tzinfo=UTC)


def item(title: str, summary: str = "") -> Item:
    return Item(outlet="Wire", affiliation="x", feed_url="", key=title + summary, title=title,
                summary=summary, link=None, published=NOON)


# -- the plain rule, as the pass read it before its word tables ----------------------------

_NUMBER = re.compile(r"(?<![\d.,:/])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.,:/])\d+(?![\d:/])")
_EN = "_ _ two three four five six seven eight nine ten eleven twelve thirteen fourteen " \
      "fifteen sixteen seventeen eighteen nineteen twenty"
_FA = "_ _ دو سه چهار پنج شش هفت هشت _ ده یازده دوازده سیزده چهارده پانزده شانزده هفده " \
      "هجده نوزده بیست"
_WORDED = {**{w: str(n) for n, w in enumerate(_EN.split()) if w != "_"},
           **{fold(w): str(n) for n, w in enumerate(_FA.split()) if w != "_"}}


def _reference(text: str, lang: str, gazetteer: Gazetteer) -> Evidence:
    anchors, unknown = gazetteer.scan(text)
    numbers = {n.replace(",", "") for n in _NUMBER.findall(ascii_digits(text))}
    names = set()
    for raw, folded in unknown:
        if folded in _WORDED:
            numbers.add(_WORDED[folded])
        latin = lang == "en" or not has_arabic_script(raw)
        if re.fullmatch(r"[A-Z][a-z]+|[A-Z]{3,}", raw) if latin else len(folded) >= 3:
            key = skeleton(folded)
            if len(key) >= 3:
                names.add(key)
    figures = {n for n in numbers
               if int(n) >= 2 and not (1300 <= int(n) <= 1500 or 1900 <= int(n) <= 2100)}
    return Evidence(frozenset(anchors), frozenset(names), frozenset(figures))


# Start words of longer names ("the", "U", "S", "White", "New"), names, capitalised words,
# number words, digits and separators, Persian with ZWNJ and suffixes, words folding to nothing.
_PIECES = ["the", "The", "THE", "U", "S", "U.S.", "US", "us", "White", "House", "House's",
           "Trump", "Trump's", "Donald", "New", "York", "Times", "Iran", "International",
           "Supreme", "Leader", "Houthis", "Red", "Sea", "UN", "ENCELA", "Tanker", "Gharb",
           "Islamabad", "said", "three", "twelve", "12", "12,000", "1,2", "3:30", "1404", "2026",
           "7.5", "۱۲", "٣٠٠", "٬", "حزب", "الله", "حزب‌الله", "سپاه", "پاسداران", "تنگه",
           "هرمز", "های", "انسیلیا", "سه", "دوازده", "زاهدان", "ـــ", "\u064b", "-", ",", ".",
           "\n", "’s", "café", "ＵＮ"]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=14), min_size=1, max_size=6),
       st.lists(st.sampled_from(["en", "fa", "ar"]), min_size=6, max_size=6))
@settings(max_examples=200, deadline=None)
def test_evidence_is_the_plain_rule_read_word_by_word(texts: list[list[str]],
                                                      langs: list[str]) -> None:
    gazetteer = shipped_gazetteer()
    items = [item(" ".join(pieces[:3]), " ".join(pieces[3:])) for pieces in texts]
    langs = langs[:len(items)]
    found = evidence_of(items, langs, gazetteer)
    for one, lang, evidence in zip(items, langs, found, strict=True):
        assert evidence == _reference(f"{one.title}\n{one.summary}", lang, gazetteer)


def test_evidence_of_real_headlines_is_the_plain_rule() -> None:
    gazetteer = shipped_gazetteer()
    items = [item("US House votes to curb Trump's Iran war powers",
                  "The House backed a War Powers resolution by 214 votes to 208."),
             item("Donald Trump and the U.S. Navy in the Strait of Hormuz",
                  "The New York Times said 12,000 troops and three carriers."),
             item("۱۲ نفر در اعتراضات زاهدان کشته شدند",
                  "سپاه پاسداران انقلاب اسلامی در تنگه‌ی هرمز؛ نیروهای عراقی و حزب الله")]
    langs = ["en", "en", "fa"]
    for one, lang, evidence in zip(items, langs, evidence_of(items, langs, gazetteer),
                                   strict=True):
        assert evidence == _reference(f"{one.title}\n{one.summary}", lang, gazetteer)
    assert "hormuz" in evidence_of(items[1:2], ["en"], gazetteer)[0].anchors
    assert "12000" in evidence_of(items[1:2], ["en"], gazetteer)[0].numbers


@given(st.lists(st.sampled_from(_PIECES), max_size=20))
@settings(max_examples=200, deadline=None)
def test_raw_words_are_the_words_before_folding(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert [(raw, fold(raw)) for raw in raw_words(text) if fold(raw)] == words(text)


# -- consonant skeletons: the table read letter by letter, as before ------------------------

_P = {"ب": "b", "پ": "p", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s", "ش": "s", "ج": "j",
      "چ": "j", "د": "d", "ذ": "z", "ز": "z", "ض": "z", "ظ": "z", "ژ": "z", "ر": "r", "ف": "f",
      "ق": "k", "غ": "k", "ک": "k", "گ": "k", "خ": "k", "ل": "l", "م": "m", "ن": "n"}
_D = {"ch": "j", "sh": "s", "kh": "k", "gh": "k", "th": "t", "ph": "f", "zh": "z", "ck": "k",
      "dj": "j"}
_L = {"b": "b", "p": "p", "t": "t", "d": "d", "s": "s", "z": "z", "j": "j", "r": "r", "f": "f",
      "k": "k", "g": "k", "q": "k", "l": "l", "m": "m", "n": "n", "x": "ks"}


def _reference_skeleton(word: str) -> str:
    if not word:
        return ""
    if word[0].isascii():
        chars = list(re.sub("|".join(_D), lambda m: "\0" + _D[m.group(0)], word))
        out, k = [], 0
        while k < len(chars):
            if chars[k] == "\0":
                out.append(chars[k + 1])
                k += 2
                continue
            if chars[k] == "c":
                out.append("s" if chars[k + 1:k + 2] in (["e"], ["i"], ["y"]) else "k")
            else:
                out.append(_L.get(chars[k], ""))
            k += 1
        letters = "".join(out)
    else:
        letters = "".join(_P.get(ch, "") for ch in word)
    return re.sub(r"(.)\1+", r"\1", letters)


@given(st.text(alphabet="abcdeghikjlnpqrstxyz ch sh ck dj ۱1é_" + "".join(_P) + "اوی",
               max_size=12))
@settings(max_examples=500, deadline=None)
def test_the_skeleton_is_the_letter_by_letter_reading(word: str) -> None:
    assert skeleton(word) == _reference_skeleton(word)
