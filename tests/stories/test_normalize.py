"""Matching folds the spellings that vary between Persian writers; display keeps them."""

from counterpoint.stories.normalize import ascii_digits, fold, has_arabic_script


def test_arabic_and_persian_letter_forms_fold_to_one_spelling() -> None:
    assert fold("علي") == fold("علی")
    assert fold("كشته") == fold("کشته")
    assert fold("جمهورية") == fold("جمهوریه")
    assert fold("خانهٔ") == fold("خانه")


def test_zero_width_non_joiner_and_diacritics_do_not_split_a_word() -> None:
    assert fold("ده\u200cها") == fold("دهها")
    assert fold("مُحَمَّد") == fold("محمد")
    assert fold("ايـــران") == fold("ایران")


def test_persian_and_arabic_indic_digits_read_as_ascii() -> None:
    assert fold("۱۲ نفر") == "12 نفر"
    assert fold("١٢ نفر") == "12 نفر"
    assert ascii_digits("۱٬۵۰۰") == "1,500"
    assert ascii_digits("Tehran ۳۰۰") == "Tehran 300"


def test_latin_text_is_case_folded_and_otherwise_kept() -> None:
    assert fold("Strait of HORMUZ") == "strait of hormuz"
    assert fold(fold("كشته شدند ۱۲")) == fold("كشته شدند ۱۲")


def test_arabic_script_is_detected() -> None:
    assert has_arabic_script("Iran ایران")
    assert not has_arabic_script("Iran")
