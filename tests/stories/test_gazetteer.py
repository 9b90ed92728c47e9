"""The shipped bilingual gazetteer: what it holds, and how names are found in either script."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from counterpoint.stories.gazetteer import Entity, Gazetteer, shipped_gazetteer, words


def test_shipped_gazetteer_holds_hundreds_of_sourced_bilingual_entities() -> None:
    gazetteer = shipped_gazetteer()
    assert len(gazetteer) >= 300
    kinds = {entity.kind for entity in gazetteer.entities.values()}
    assert {"people", "places", "provinces", "organisations", "armed", "media"} <= kinds
    for entity in gazetteer.entities.values():
        assert entity.en and entity.fa, entity.id
        assert entity.source, entity.id


def test_no_spelling_names_two_entities() -> None:
    owner: dict[str, str] = {}
    for entity in shipped_gazetteer().entities.values():
        for spelling in (*entity.en, *entity.fa):
            key = "".join(folded for _, folded in words(spelling))
            assert owner.setdefault(key, entity.id) == entity.id, spelling


def test_gazetteer_ships_inside_the_package_as_valid_toml() -> None:
    text = resources.files("counterpoint.stories").joinpath("gazetteer.toml").read_text("utf-8")
    assert tomllib.loads(text)["provinces"]["sistan_baluchestan"]["fa"]


def test_all_31_provinces_are_listed() -> None:
    provinces = [e for e in shipped_gazetteer().entities.values() if e.kind == "provinces"]
    assert len(provinces) == 31


@pytest.mark.parametrize("text", [
    "سپاه پاسداران در تنگه هرمز",            # as written
    "سپاه‌پاسداران در تنگه‌ی هرمز",            # ZWNJ inside names
    "سپاه پاسداران در تنگه هرمز".replace("ه", "ۀ", 1),  # heh with yeh above
])
def test_persian_spellings_are_found_however_they_are_typed(text: str) -> None:
    assert {"irgc", "hormuz"} <= set(shipped_gazetteer().anchors(text))


def test_arabic_letter_forms_and_suffixes_fold_to_the_same_name() -> None:
    gazetteer = shipped_gazetteer()
    assert gazetteer.anchors("حوثي‌ها") == ["houthis"]     # Arabic yeh, plural suffix
    assert gazetteer.anchors("حزب الله") == gazetteer.anchors("حزب‌الله") == ["hezbollah"]
    assert gazetteer.anchors("نیروهای عراقی") == ["iraq"]   # adjective suffix


def test_english_names_match_without_case_but_acronyms_only_in_capitals() -> None:
    gazetteer = shipped_gazetteer()
    assert gazetteer.anchors("the houthis and the IRGC") == ["houthis", "irgc"]
    assert gazetteer.anchors("U.S. strikes") == ["united_states"]
    assert gazetteer.anchors("let us see") == []
    assert gazetteer.anchors("the un said") == []


def test_the_longest_name_wins() -> None:
    gazetteer = shipped_gazetteer()
    assert gazetteer.anchors("Iran International reported") == ["iran_international"]
    assert gazetteer.anchors("Mojtaba Khamenei") == ["mojtaba_khamenei"]
    assert gazetteer.anchors("خلیج فارس") == ["persian_gulf"]


def test_each_anchor_once_in_order_of_first_mention() -> None:
    text = "Rubio met Lavrov; Rubio said Iran ..."
    assert shipped_gazetteer().anchors(text) == ["rubio", "lavrov", "iran"]


def test_unknown_words_are_the_words_outside_names() -> None:
    found = shipped_gazetteer().unknown_words("Tanker ENCELA hit in the Red Sea")
    assert [raw for raw, _ in found] == ["ENCELA", "hit", "in", "the"]  # tanker is listed


def test_extended_adds_entities_and_spellings() -> None:
    base = Gazetteer([Entity("zahedan", "places", ("Zahedan",), ("زاهدان",))])
    more = base.extended([Entity("zahedan", "x", ("Zahidan",), ()),
                          Entity("khash", "x", ("Khash",), ("خاش",))])
    assert more.anchors("Zahidan and Khash") == ["zahedan", "khash"]
    assert more.entities["zahedan"].en == ("Zahedan", "Zahidan")
    assert base.anchors("Zahidan") == []


def test_a_space_typed_for_a_zero_width_non_joiner_still_matches() -> None:
    gazetteer = shipped_gazetteer()
    assert gazetteer.anchors("انفجار در خرم آباد") == ["explosion", "khorramabad"]
    assert gazetteer.anchors("اسلام آباد غرب") == gazetteer.anchors("اسلام‌آباد غرب") \
        == ["islamabad_gharb"]
    assert gazetteer.anchors("اسلام آباد") == ["islamabad"]
