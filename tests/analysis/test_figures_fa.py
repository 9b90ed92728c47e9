"""Figures read from Persian: numerals, number words and the kinds English figures have."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.analysis.figures import extract_figures, item_figures
from counterpoint.analysis.terms import find_terms
from counterpoint.models import Item, LexiconGroup

ZAHEDAN = "۱۲ نفر در اعتراضات زاهدان کشته شدند … بیش از ۳۰۰ نفر بازداشت شدند"
# The same sentence typed with Arabic letters (ي, ك) and Arabic-Indic digits.
ZAHEDAN_ARABIC = "١٢ نفر در اعتراضات زاهدان كشته شدند و بيش از ٣٠٠ نفر بازداشت شدند."


def found(text: str) -> list[tuple[str, float, str | None]]:
    return [(f.kind, f.value, f.qualifier) for f in extract_figures(text)]


def test_zahedan_gives_twelve_killed_and_more_than_300_arrested() -> None:
    assert found(ZAHEDAN) == [("killed", 12, None), ("arrested", 300, "more than")]


def test_arabic_letters_and_digits_read_the_same() -> None:
    assert found(ZAHEDAN_ARABIC) == found(ZAHEDAN)


def test_persian_figure_keeps_the_text_as_written() -> None:
    killed, arrested = extract_figures(ZAHEDAN)
    assert (killed.text, killed.phrase) == ("۱۲", "۱۲ نفر در اعتراضات زاهدان کشته")
    assert arrested.text == "بیش از ۳۰۰"
    assert ZAHEDAN[arrested.start:arrested.end] == arrested.text
    assert arrested.to_json()["value"] == 300


@pytest.mark.parametrize(("text", "expected"), [
    ("دست کم ۱۲ نفر کشته شدند", ("killed", 12, "at least", False)),
    ("دست‌کم ۱۲ معترض جان باختند", ("killed", 12, "at least", False)),
    ("حدود ۱٬۵۰۰ نفر کشته شدند", ("killed", 1500, "around", False)),
    ("ده‌ها نفر زخمی شدند", ("injured", 20, None, True)),
    ("صدها تن بازداشت شدند", ("arrested", 200, None, True)),
    ("هزاران نفر در تهران تجمع کردند", ("people", 2000, None, True)),
    ("ده‌ها هزار نفر در راهپیمایی شرکت کردند", ("people", 20_000, None, True)),
    ("در سال گذشته دست کم ۸۳۴ نفر اعدام شدند", ("executed", 834, "at least", False)),
    ("بیست و پنج نفر کشته شدند", ("killed", 25, None, False)),
    ("دو هزار و پانصد نفر بازداشت شدند", ("arrested", 2500, None, False)),
    ("۱۲ هزار و ۵۰۰ نفر دستگیر شدند", ("arrested", 12_500, None, False)),
    ("یک نفر کشته شد", ("killed", 1, None, False)),
    ("سه\u200cهزار نفر بازداشت شدند", ("arrested", 3000, None, False)),
    ("۲نفر مجروح شدند", ("injured", 2, None, False)),
    ("شهادت دو نفر در حمله به مرز شلمچه", ("killed", 2, None, False)),
])
def test_persian_figures_as_news_writes_them(
        text: str, expected: tuple[str, float, str | None, bool]) -> None:
    (figure,) = extract_figures(text)
    assert (figure.kind, figure.value, figure.qualifier, figure.vague) == expected


def test_each_number_takes_the_kind_word_of_its_own_clause() -> None:
    assert found("۱۲ نفر کشته و ۳۰ نفر زخمی شدند") == [("killed", 12, None),
                                                    ("injured", 30, None)]


def test_a_toll_word_before_the_number_names_the_count() -> None:
    assert found("شمار کشته‌شدگان به ۳۴ نفر رسید") == [("killed", 34, None)]
    assert found("شمار جان‌باختگان زلزله به ۱۲۰ تن رسید") == [("killed", 120, None)]
    assert found("بازداشت فعالان ۱۲ استان") == []


def test_persian_percent_money_and_turnout() -> None:
    assert found("تورم به ۴۵ درصد رسید") == [("percent", 45, None)]
    assert found("میزان مشارکت ۴۱٫۲ درصد بود") == [("turnout", 41.2, None)]
    (money,) = extract_figures("دولت ۵۰۰ میلیارد تومان وام داد")
    assert (money.kind, money.value, money.unit) == ("money", 500_000_000_000, "tomans")


def test_participation_without_a_percentage_is_not_turnout() -> None:
    assert found("با مشارکت بیش از ۳۰۰ شرکت") == []


def test_persian_range_applies_the_scale_to_both_ends() -> None:
    (figure,) = extract_figures("۱۰ تا ۲۰ هزار نفر بازداشت شدند")
    assert (figure.kind, figure.value, figure.high) == ("arrested", 10_000, 20_000)


@pytest.mark.parametrize("text", [
    "در سال ۱۴۰۳ معترضان کشته شدند",
    "۲۵ آبان ۱۳۹۸ معترضان کشته شدند",
    "در آبان ۱۳۹۸ معترضان کشته شدند",
    "در ۲۵ آبان معترضان بازداشت شدند",
    "اعتراضات دی‌ماه ۱۴۰۴ با کشته شدن معترضان همراه بود",
    "در سال ۹۸ معترضان کشته شدند",
    "۱۴۰۳/۰۸/۲۵ معترضان بازداشت شدند",
    "ساعت ۳:۴۰ بامداد معترضان بازداشت شدند",
    "ساعت ۱۰ شب معترضان بازداشت شدند",
    "زندانی سیاسی ۲۷ ساله محبوس در زندان اوین",
    "حکم ۱۰ سال زندان برای بازداشت‌شده تایید شد",
    "روز سه شنبه معترضان بازداشت شدند",
    "دوازدهمین روز اعتراضات و بازداشت‌ها",
    "۱۲ام آبان کشته شدند",
    "ماده ۵ قانون مجازات اعدام",
    "حملهٔ یک فلسطینی به یک نظامی و زخمی‌کردن او",
])
def test_jalali_dates_years_ages_and_labels_are_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_persian_item_figures_are_reported_like_english_ones() -> None:
    item = Item(outlet="Radio Farda", affiliation="independent", feed_url="https://x/rss",
                key="1", title="کشته شدن ۱۲ نفر در زاهدان", summary=ZAHEDAN, link=None,
                published=datetime(2026, 11, 21, tzinfo=UTC))
    reported = [(r.field, r.figure.kind, r.figure.value) for r in item_figures(item)]
    assert reported == [("title", "killed", 12), ("summary", "arrested", 300)]


def test_an_english_text_quoting_persian_is_read_as_english() -> None:
    assert found("State media called them «اغتشاشگران»; at least 12 people were killed.") == [
        ("killed", 12, "at least")]


# Pieces Persian and English news is made of, with the characters that shift offsets if folded.
PIECES = st.sampled_from(
    ["۱۲", "١٢", "300", "۱٬۵۰۰", "۴۱٫۲", "۲/۵", "٪", "%", "درصد", "هزار", "میلیون", "صد",
     "ده‌ها", "صدها", "هزاران", "چند", "دست کم", "بیش از", "حدود", "بین", "تا", "و", "نفر",
     "تن", "کشته", "كشته", "بازداشت", "اعدام", "زخمی", "مشارکت", "تومان", "دلار", "$", "سال",
     "آبان", "۱۴۰۳", "ساعت", "۳:۴۰", "یک", "نه", "سه‌شنبه", "\u200c", "\u064e", "\n", ".",
     "،", "…", "killed", "at least", "hundreds", "people", "«", "»"])
TEXTS = st.lists(st.tuples(PIECES, st.sampled_from(["", " ", " ", "\u200c"])),
                 max_size=25).map(lambda parts: "".join(a + b for a, b in parts))
LEXICON = (LexiconGroup("unrest", "Unrest", (("rioters", "اغتشاشگران"),
                                             ("protesters", "معترضان", "کشته"))),)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_any_mix_gives_figures_and_terms_that_quote_the_text_as_written(text: str) -> None:
    for figure in extract_figures(text):
        assert text[figure.start:figure.end] == figure.text
        assert figure.value >= 0
    for match in find_terms(text, LEXICON):
        assert text[match.start:match.end] == match.text
