"""Which framing each side chose, matched as whole words in any script."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counterpoint.analysis.sides import affiliation_order
from counterpoint.analysis.terms import find_terms, story_terms
from counterpoint.config.load import DEFAULT_AFFILIATIONS
from counterpoint.models import Item, LexiconGroup, Story

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)

UNREST = LexiconGroup("unrest", "Rioters or protesters", (
    ("rioters", "riots", "thugs"),
    ("protesters", "protests", "demonstrators"),
    ("uprising", "revolution", "regime change"),
))
DEAD = LexiconGroup("dead", "The dead", (
    ("martyrs", "martyred", "martyrdom"),
    ("victims", "killed"),
))
GROUP_NAME = LexiconGroup("mek", "The MEK", (
    ("MEK", "PMOI", "Mojahedin"),
    ("MKO", "hypocrites"),
))
PRISONERS = LexiconGroup("prisoners", "Prisoners", (
    ("political prisoners", "prisoners of conscience"),
    ("convicts", "prisoners"),
))
UNREST_FA = LexiconGroup("unrest_fa", "اغتشاشگر یا معترض", (
    ("اغتشاشگر", "آشوبگر"),
    ("معترض",),
))
UNREST_RU = LexiconGroup("unrest_ru", "Протест", (("протест",), ("беспорядки",)))


def terms(text: str, *lexicon: LexiconGroup) -> list[tuple[str, str]]:
    return [(match.framing, match.text) for match in find_terms(text, lexicon)]


def test_terms_match_case_insensitively() -> None:
    assert terms("RIOTERS set fires; Protesters fled.", UNREST) == [
        ("rioters", "RIOTERS"), ("protesters", "Protesters")]


def test_terms_match_whole_words_only() -> None:
    assert terms("Patriots and thuggery are not riots-adjacent words", UNREST) == [
        ("rioters", "riots")]
    assert terms("Patriots and thuggery.", UNREST) == []


def test_a_plural_term_matches_its_singular_and_back() -> None:
    assert terms("A rioter was held.", UNREST) == [("rioters", "rioter")]
    singular = LexiconGroup("g", "g", (("protester",), ("rioter",)))
    assert terms("Protesters and rioters.", singular) == [
        ("protester", "Protesters"), ("rioter", "rioters")]


def test_possessives_match() -> None:
    assert terms("The protesters' demands and the uprising's end.", UNREST) == [
        ("protesters", "protesters'"), ("uprising", "uprising's")]


def test_listed_inflections_match_and_unlisted_derivations_do_not() -> None:
    assert terms("He was martyred; his martyrdom was mourned.", DEAD) == [
        ("martyrs", "martyred"), ("martyrs", "martyrdom")]
    assert terms("A martyr and victimhood.", DEAD) == [("martyrs", "martyr")]


def test_a_phrase_matches_across_spaces_or_hyphens() -> None:
    assert terms("Calls for regime-change grew; regime  change now.", UNREST) == [
        ("uprising", "regime-change"), ("uprising", "regime  change")]


def test_the_longer_of_two_overlapping_terms_wins() -> None:
    assert terms("Political prisoners and other prisoners.", PRISONERS) == [
        ("political prisoners", "Political prisoners"), ("convicts", "prisoners")]


def test_acronyms_match_as_words() -> None:
    assert terms("The MKO, which calls itself the PMOI, met MEKs.", GROUP_NAME) == [
        ("MKO", "MKO"), ("MEK", "PMOI"), ("MEK", "MEKs")]


def test_persian_terms_match_with_plural_endings() -> None:
    assert terms("اغتشاشگران در تهران بازداشت شدند و معترضان تجمع کردند", UNREST_FA) == [
        ("اغتشاشگر", "اغتشاشگران"), ("معترض", "معترضان")]


def test_persian_terms_match_after_a_zero_width_non_joiner_plural() -> None:
    assert terms("آشوبگر\u200cها دستگیر شدند", UNREST_FA) == [("اغتشاشگر", "آشوبگر\u200cها")]


def test_arabic_and_persian_spellings_of_ye_and_kaf_match_alike() -> None:
    assert terms("معترضين", LexiconGroup("g", "g", (("معترضین",), ("x",)))) == [
        ("معترضین", "معترضين")]


def test_non_latin_terms_match_whole_words_only() -> None:
    assert terms("протест в городе, протестующие и беспорядки", UNREST_RU) == [
        ("протест", "протест"), ("беспорядки", "беспорядки")]


# -- per story ---------------------------------------------------------------------------------
def item(outlet: str, affiliation: str, title: str, summary: str = "") -> Item:
    return Item(outlet=outlet, affiliation=affiliation, feed_url=f"https://{outlet}/rss",
                key=title, title=title, summary=summary, link=f"https://{outlet}/{len(title)}",
                published=NOW - timedelta(hours=2))


def unrest_story() -> Story:
    return Story("s1", "Unrest in Zahedan", (
        item("NCRI", "opposition", "Uprising in Zahedan",
             "The uprising continues. Martyrs of the uprising were buried."),
        item("IRNA", "government", "Rioters arrested in Zahedan",
             "Police arrested rioters. MKO thugs were behind the riots."),
        item("Reuters", "wire", "Protests in Zahedan", "Protesters were killed, witnesses said."),
        item("Press TV", "government", "Calm after riots"),
    ))


def test_story_terms_say_which_side_used_which_framing() -> None:
    uses = story_terms(unrest_story(), [UNREST, DEAD],
                       affiliation_order(DEFAULT_AFFILIATIONS))
    assert [(u.group, u.framing, u.affiliation, u.outlet) for u in uses] == [
        ("unrest", "rioters", "government", "IRNA"),
        ("unrest", "rioters", "government", "Press TV"),
        ("unrest", "protesters", "wire", "Reuters"),
        ("unrest", "uprising", "opposition", "NCRI"),
        ("dead", "martyrs", "opposition", "NCRI"),
        ("dead", "victims", "wire", "Reuters"),
    ]


def test_story_terms_count_uses_and_keep_the_forms_as_written() -> None:
    (irna, *_) = story_terms(unrest_story(), [UNREST], affiliation_order(DEFAULT_AFFILIATIONS))
    assert (irna.forms, irna.count) == (("Rioters", "thugs", "riots"), 4)
    assert irna.context == "Rioters arrested in Zahedan"


def test_story_terms_to_json_is_plain() -> None:
    uses = story_terms(unrest_story(), [DEAD], affiliation_order(DEFAULT_AFFILIATIONS))
    assert uses[0].to_json() == {
        "group": "dead", "label": "The dead", "framing": "martyrs", "outlet": "NCRI",
        "affiliation": "opposition", "forms": ["Martyrs"], "count": 1,
        "context": "Martyrs of the uprising were buried.", "link": "https://NCRI/19"}


def test_term_use_describes_who_said_what() -> None:
    (irna, *_) = story_terms(unrest_story(), [UNREST], affiliation_order(DEFAULT_AFFILIATIONS))
    assert irna.describe() == ("Rioters or protesters: government IRNA says “rioters” "
                               "(Rioters, thugs, riots; 4×)")


# -- Persian folding ---------------------------------------------------------------------------
UNREST_PLURAL = LexiconGroup("unrest", "Unrest", (
    ("rioters", "اغتشاشگران"), ("protesters", "معترضان"), ("uprising", "ایران")))
DEATHS_FA = LexiconGroup("deaths", "Deaths", (("martyrs", "شهید"), ("killed", "کشته")))


def test_persian_terms_ignore_zero_width_non_joiners_inside_words() -> None:
    assert terms("اغتشاش\u200cگران بازداشت شدند", UNREST_PLURAL) == [
        ("rioters", "اغتشاش\u200cگران")]


def test_persian_terms_fold_letter_forms_and_diacritics() -> None:
    assert terms("مُعترضين", UNREST_PLURAL) == [("protesters", "مُعترضين")]
    state = LexiconGroup("state", "State", (("regime", "رژیم"), ("government", "حکومت")))
    assert terms("حكومت و رژيم", state) == [("government", "حكومت"), ("regime", "رژيم")]


def test_a_persian_plural_term_matches_its_singular_and_other_plurals() -> None:
    assert terms("یک اغتشاشگر و دو معترض و معترضین", UNREST_PLURAL) == [
        ("rioters", "اغتشاشگر"), ("protesters", "معترض"), ("protesters", "معترضین")]


def test_a_short_stem_is_not_cut_from_a_name() -> None:
    assert terms("ایران و ایرها", UNREST_PLURAL) == [("uprising", "ایران")]


def test_persian_plural_endings_including_gan_after_final_heh() -> None:
    assert terms("شهیدان و کشتگان و کشته‌ها", DEATHS_FA) == [
        ("martyrs", "شهیدان"), ("killed", "کشتگان"), ("killed", "کشته‌ها")]


def test_persian_terms_are_not_words_inside_longer_words() -> None:
    assert terms("کشتی‌ها و شهیدی", DEATHS_FA) == []


def test_english_and_persian_services_show_side_by_side() -> None:
    story = Story("s1", "Zahedan", (
        item("Radio Farda", "independent", "Protesters killed in Zahedan"),
        item("IRNA Persian", "government", "اغتشاشگران در زاهدان بازداشت شدند"),
        item("Radio Farda Persian", "independent", "معترضان در زاهدان کشته شدند"),
    ))
    uses = story_terms(story, [UNREST_PLURAL], affiliation_order(DEFAULT_AFFILIATIONS))
    assert [(u.framing, u.outlet, u.forms) for u in uses] == [
        ("rioters", "IRNA Persian", ("اغتشاشگران",)),
        ("protesters", "Radio Farda", ("Protesters",)),
        ("protesters", "Radio Farda Persian", ("معترضان",))]


def test_forms_differing_only_by_zero_width_non_joiner_count_as_one() -> None:
    story = Story("s1", "Deaths", (
        item("Tasnim", "government", "کشته‌ها و کشتهها"),))
    (use,) = story_terms(story, [DEATHS_FA])
    assert (use.forms, use.count) == (("کشته‌ها",), 2)
