"""The shipped bilingual gazetteer: what it holds, and how names are found in either script."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- the scan finds what a plain search of every spelling finds ---------------------------------

_FA_SUFFIXES = ("یهای", "یها", "های", "ها", "یان", "ان", "ی")


def _reference_scan(gazetteer: Gazetteer, text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The documented rule, spelling by spelling: at each word the longest name (up to six
    words, joined without spaces; the last word may carry a suffix; short capitals only in
    capitals) wins."""
    spellings = []
    starts, longest = set(), 1  # a name of several words starts with its first word
    for entity in gazetteer.entities.values():
        for spelling in (*entity.en, *entity.fa):
            parts = [folded for _, folded in words(spelling)]
            pieces = [f for piece in re.split(r"[\s\u200c]+", spelling) for _, f in words(piece)]
            for split in (parts, pieces):
                if len(split) > 1:
                    starts.add(split[0])
                    longest = max(longest, min(len(split), 6))
            key = "".join(parts)
            letters = "".join(ch for ch in spelling if ch.isalpha())
            caps = letters.isupper() and len(letters) <= 5 and not any(
                "\u0600" <= ch <= "\u06ff" for ch in spelling)
            if key:
                spellings.append((key, caps, entity.id))
    tokens = words(text)
    found: dict[str, None] = {}
    unknown = []
    i = 0
    while i < len(tokens):
        match = None
        sizes = longest if tokens[i][1] in starts else 1
        for size in range(min(sizes, len(tokens) - i), 0, -1):
            span = tokens[i:i + size]
            head, last = "".join(f for _, f in span[:-1]), span[-1][1]
            arabic = any("\u0600" <= ch <= "\u06ff" for ch in last)
            stems = [last] + [last[:-len(s)] for s in (_FA_SUFFIXES if arabic else ("s",))
                              if last.endswith(s) and len(last) - len(s) >= 2]
            for stem in stems:
                hits = [(caps, eid) for key, caps, eid in spellings if key == head + stem]
                if hits and (not hits[-1][0] or "".join(r for r, _ in span).isupper()):
                    match = (size, hits[-1][1])
                    break
            if match:
                break
        if match:
            found[match[1]] = None
            i += match[0]
        else:
            unknown.append(tokens[i])
            i += 1
    return list(found), unknown


_PIECES = ["the", "The", "US", "us", "U.S.", "Iran", "iran", "International", "Houthis",
           "Supreme", "Leader", "said", "Red", "Sea", "Islamabad", "Gharb", "ENCELA", "UN",
           "حزب", "الله", "حزب‌الله", "سپاه", "پاسداران", "تنگه", "هرمز", "های", "اسلام",
           "آباد", "غرب", "عراقی", "خلیج", "فارس", "ها", "ي", "۱۲", "12,000", "-", ",", "\n"]


@given(st.lists(st.sampled_from(_PIECES), max_size=25))
@settings(max_examples=150, deadline=None)
def test_the_scan_finds_what_a_search_of_every_spelling_finds(pieces: list[str]) -> None:
    gazetteer = Gazetteer([e for e in shipped_gazetteer().entities.values()
                           if e.id in _ENTITIES])
    text = " ".join(pieces)
    assert gazetteer.scan(text) == _reference_scan(gazetteer, text)


_ENTITIES = {"united_states", "iran", "iran_international", "houthis", "hezbollah", "irgc",
             "hormuz", "islamabad", "islamabad_gharb", "iraq", "persian_gulf", "khamenei",
             "red_sea", "un", "tanker"}


def test_the_shipped_gazetteer_scans_real_text_as_a_search_of_every_spelling() -> None:
    gazetteer = shipped_gazetteer()
    texts = ["The Supreme Leader of Iran said the U.S. and the UN ...",
             "سپاه پاسداران انقلاب اسلامی در تنگه‌ی هرمز؛ نیروهای عراقی و حزب الله",
             "Iran International: the houthis in the Red Sea, the us and US"]
    for text in texts:
        assert gazetteer.scan(text) == _reference_scan(gazetteer, text)
