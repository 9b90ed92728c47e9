"""Cross-language linking: English and Persian stories of one event become one story, on
shared names, transliterated names, figures and time; nothing else does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.models import Item
from counterpoint.stories.evidence import Evidence, remember_evidence
from counterpoint.stories.gazetteer import shipped_gazetteer
from counterpoint.stories.group import group_items
from counterpoint.stories.xling import XlingParams, item_language, link_across_languages

NOON = datetime(2026, 7, 23, 12, tzinfo=UTC)


def item(outlet: str, title: str, summary: str = "", hours: float = 0.0) -> Item:
    return Item(outlet=outlet, affiliation="x", feed_url="", key=title, title=title,
                summary=summary, link=None, published=NOON + timedelta(hours=hours))


ZAHEDAN_FA = item("Channel", "۱۲ نفر در اعتراضات زاهدان کشته شدند",
                  "۱۲ نفر در اعتراضات زاهدان کشته شدند و بیش از ۳۰۰ نفر بازداشت شدند.", 1)
ZAHEDAN_EN = item("Wire", "12 killed in Zahedan protests, more than 300 arrested",
                  "At least 12 people were killed in protests in Zahedan.", 0)
HOUSE_FA = item("Agency", "رأی مجلس نمایندگان آمریکا به محدود کردن اختیارات جنگی ترامپ",
                "مجلس نمایندگان آمریکا قطعنامه اختیارات جنگی را با ۲۱۴ رأی تصویب کرد.", 2)
HOUSE_EN = item("Wire", "US House votes to curb Trump's Iran war powers",
                "The House backed a War Powers resolution by 214 votes to 208.", 0)
OIL_EN = item("Wire", "Oil prices rise as Gulf shipping tensions grow",
              "Brent crude rose 2 percent on Monday.", 0)
FUEL_FA = item("Channel", "افزایش قیمت بنزین از بامداد امروز",
               "قیمت بنزین در جایگاه‌های سوخت افزایش یافت.", 1)


def link(items: list[Item], params: XlingParams | None = None) -> list[set[int]]:
    return [set(group) for group in
            link_across_languages(items, group_items(items), params=params)]


def together(groups: list[set[int]], *indices: int) -> bool:
    return any(set(indices) <= group for group in groups)


def test_english_and_persian_reports_of_one_event_become_one_story() -> None:
    items = [ZAHEDAN_FA, ZAHEDAN_EN, HOUSE_FA, HOUSE_EN, OIL_EN, FUEL_FA]
    groups = link(items)
    assert together(groups, 0, 1)
    assert together(groups, 2, 3)
    assert not together(groups, 0, 2)
    assert {4} in groups and {5} in groups


def test_the_result_is_a_partition_in_time_order() -> None:
    items = [ZAHEDAN_FA, ZAHEDAN_EN, HOUSE_FA, HOUSE_EN, OIL_EN, FUEL_FA]
    groups = link_across_languages(items, group_items(items))
    assert sorted(i for group in groups for i in group) == list(range(len(items)))
    for group in groups:
        assert group == sorted(group, key=lambda i: (items[i].published, i))


def test_reports_more_than_13_hours_apart_stay_apart() -> None:
    late = replace(ZAHEDAN_FA, published=ZAHEDAN_EN.published + timedelta(hours=14))
    assert not together(link([late, ZAHEDAN_EN, OIL_EN, FUEL_FA]), 0, 1)
    assert together(link([late, ZAHEDAN_EN, OIL_EN, FUEL_FA],
                         XlingParams(time=False)), 0, 1)


def test_names_found_in_most_news_do_not_link_alone() -> None:
    fa = item("Channel", "ترامپ: ایران باید تصمیم بگیرد", "دونالد ترامپ درباره ایران سخن گفت.", 1)
    en = item("Wire", "Trump hosts Iran-born chess champion", "Trump met a champion from Iran.")
    assert not together(link([fa, en, OIL_EN, FUEL_FA]), 0, 1)


def test_one_shared_name_is_not_enough() -> None:
    fa = item("Channel", "دیدار پزشکیان با دانشجویان", "پزشکیان امروز با دانشجویان دیدار کرد.", 1)
    en = item("Wire", "Pezeshkian appoints new central bank chief", "The president named him.")
    assert not together(link([fa, en, OIL_EN, FUEL_FA]), 0, 1)


def test_a_transliterated_name_counts_as_evidence() -> None:
    fa = item("Channel", "نفتکش انسیلیا در دریای سرخ هدف قرار گرفت", "", 1)
    en = item("Wire", "Tanker Encela struck in the Red Sea", "")
    items = [fa, en, OIL_EN, FUEL_FA, HOUSE_EN, HOUSE_FA]
    assert together(link(items), 0, 1)  # a tanker, the Red Sea and the ship's name
    # A tanker in the Red Sea: two names, a topic (`strong_shared`), not this event.
    assert not together(link(items, XlingParams(names=False)), 0, 1)


def test_a_persian_story_joins_at_most_one_english_story() -> None:
    first = item("Wire", "US House votes to curb Trump's Iran war powers",
                 "The House backed a War Powers resolution by 214 votes to 208.", 0)
    second = item("Other", "Senate to take up House war powers resolution on Trump",
                  "Congress: the War Powers measure now goes to the Senate.", 30)
    items = [HOUSE_FA, first, second, OIL_EN, FUEL_FA]
    groups = link_across_languages(items, [[0], [1], [2], [3], [4]])
    assert not any({1, 2} <= set(group) for group in groups)


def test_one_language_leaves_the_groups_as_they_are() -> None:
    items = [ZAHEDAN_EN, HOUSE_EN, OIL_EN]
    assert link_across_languages(items, [[0, 2], [1]]) == [[0, 2], [1]]


def test_language_is_the_script_of_the_item_else_the_outlets() -> None:
    assert item_language(ZAHEDAN_FA) == "fa"
    assert item_language(ZAHEDAN_EN) == "en"
    assert item_language(ZAHEDAN_EN, "fa") == "en"  # an English headline from a Persian outlet
    assert item_language(replace(ZAHEDAN_FA, title="۱۲")) == "fa"  # digits only: the summary
    assert item_language(replace(ZAHEDAN_FA, title="۱۲", summary=""), "fa") == "fa"
    assert item_language(replace(ZAHEDAN_FA, title="12", summary="")) == "en"


def test_given_languages_are_used() -> None:
    items = [ZAHEDAN_FA, ZAHEDAN_EN, OIL_EN]
    groups = link_across_languages(items, [[0], [1], [2]], ["en", "en", "en"])
    assert groups == [[0], [1], [2]]


def test_a_persian_story_split_in_two_joins_the_english_story_whole() -> None:
    second = item("Other", "مجلس نمایندگان آمریکا قطعنامه اختیارات جنگی ترامپ را تصویب کرد",
                  "قطعنامه اختیارات جنگی با ۲۱۴ رأی در مجلس نمایندگان آمریکا تصویب شد.", 3)
    items = [HOUSE_FA, HOUSE_EN, second, OIL_EN, FUEL_FA]
    groups = link_across_languages(items, [[0], [1], [2], [3], [4]])
    assert [0, 1, 2] in [sorted(group) for group in groups]


def test_a_story_pair_needs_one_item_pair_that_clearly_matches() -> None:
    # Iraq and Kuwait in both, but one is a border closure and the other a visit: the names
    # each item carries besides (a crossing and blasts, a prime minister's visit) are named in
    # the other language elsewhere in the batch, so the pair matches only loosely.
    closure = item("Wire", "Kuwait closes Iraq border crossing after explosions", "", 0)
    visit = item("Channel", "دیدار نخست‌وزیر عراق با امیر کویت", "", 1)
    other_visit = item("Wire", "Pakistan's prime minister to visit Tehran", "", -20)
    other_blast = item("Channel", "انفجار در گذرگاه مرزی میرجاوه", "", 30)
    items = [closure, visit, other_visit, other_blast, OIL_EN, FUEL_FA]
    singles = [[i] for i in range(len(items))]
    assert not any({0, 1} <= set(g) for g in link_across_languages(items, singles))
    loose = link_across_languages(items, singles,
                                  params=XlingParams(strong=0.4, strong_shared=2))
    assert any({0, 1} <= set(g) for g in loose)


def test_a_strong_pair_shares_three_names_not_two() -> None:
    # A Persian post on an EU exemption for Russian gas names only the EU and Russia, as every
    # report of the EU's sanctions package does: a close overlap of two names is a topic.
    exemption = item("Channel", "اتحادیه اروپا انتقال گاز روسیه را با یک معافیت مجاز کرد", "", 1)
    package = [item("Wire", "EU agrees new round of sanctions on Russia", "", 0),
               item("Wire", "EU expands sanctions against Russian banks", "", 2)]
    items = [exemption, *package, OIL_EN, FUEL_FA, HOUSE_EN, HOUSE_FA]
    groups = [[0], [1, 2], [3], [4], [5], [6]]
    assert [0] in link_across_languages(items, groups)
    two = link_across_languages(items, groups, params=XlingParams(strong_shared=2))
    assert [0, 1, 2] in [sorted(group) for group in two]


def test_the_story_with_more_matching_posts_wins_and_nothing_chains() -> None:
    # Two English reports of a strike on a border crossing; three Persian posts on it, each a
    # fair match; one Persian post on another border closure that matches the second report a
    # little better than the three do on average. The three posts bring more evidence: the
    # English story joins them, and the lone post does not join through them.
    english = [item("Wire", "Two killed, 11 wounded in strike on Iran-Iraq border checkpoint",
                    "", 0),
               item("Wire", "Travellers panic as US attacks Iran-Iraq border crossing", "", 1)]
    persian = [item("Channel", "حمله پهپادی به گذرگاه مرزی عراق در شلمچه خوزستان", "", -1),
               item("Channel", "دو کشته در حمله به گذرگاه مرزی شلمچه در خوزستان", "", -0.5),
               item("Channel", "معاون استاندار خوزستان: تردد در مرز شلمچه برقرار است؛ زخمی‌ها به "
                               "بیمارستان منتقل شدند", "", 0.5)]
    closure = item("Channel", "ارتش کویت: یکی از گذرگاه‌های مرزی با عراق بسته شد", "", 2)
    elsewhere = [item("Wire", "Kuwait emir appoints new cabinet", "", -30),
                 item("Wire", "Khuzestan heatwave closes offices", "", -30)]
    items = [*english, *persian, closure, OIL_EN, FUEL_FA, *elsewhere]
    groups = link_across_languages(items, [[0, 1], [2, 3, 4], [5], [6], [7], [8], [9]])
    assert [0, 1, 2, 3, 4] in [sorted(group) for group in groups]
    assert [5] in groups


def test_an_english_story_gathers_the_persian_posts_the_grouping_split() -> None:
    # Two English reports of a Houthi attack on Saudi tankers; the Persian grouping left the
    # Yemeni claim and the Saudi confirmation apart. The claim links first; the confirmation
    # links to the English story on its own and names nothing it does not: it joins too. A post
    # on a Kuwaiti tanker links as well, but names Kuwait, which the story does not: it stays
    # apart. With one partner per story only the claim joins.
    english = [item("Wire", "Houthis attack two Saudi oil tankers in the Red Sea",
                    "Yemen's Houthis said they attacked two Saudi tankers.", 0),
               item("Wire", "Houthis claim attack on oil tankers in Red Sea",
                    "The first Houthi attack in the Red Sea since their embargo on Saudi Arabia.",
                    1)]
    claim = item("Channel", "سخنگوی نیروهای مسلح یمن: دو نفتکش عربستان را هدف قرار دادیم", "", -1)
    confirmed = item("Channel", "عربستان تایید کرد: کشتی سعودی در دریای سرخ هدف قرار گرفت", "",
                     0.5)
    kuwaiti = item("Channel", "حمله به نفتکش کویتی در دریای سرخ", "", 0.5)
    elsewhere = item("Wire", "Kuwait emir appoints new cabinet", "", -30)
    items = [*english, claim, confirmed, kuwaiti, OIL_EN, FUEL_FA, elsewhere]
    groups = [[0, 1], [2], [3], [4], [5], [6], [7]]
    linked = [sorted(group) for group in link_across_languages(items, groups)]
    assert [0, 1, 2, 3] in linked
    assert [4] in linked
    alone = [sorted(g) for g in link_across_languages(items, groups,
                                                      params=XlingParams(gather=""))]
    assert [0, 1, 2] in alone and [3] in alone


# -- the pass links what its previous scoring loops linked (tests/xling_reference.py) --

_ANCHORS = ["trump", "iran", "united_states", "israel", "araghchi", "zarif", "raisi", "aref"]
_UNITS = st.tuples(st.frozensets(st.sampled_from(_ANCHORS), max_size=5),
                   st.frozensets(st.sampled_from(["zhdn", "nsl", "pzskn", "krm"]), max_size=3),
                   st.frozensets(st.sampled_from(["12", "300", "214", "7"]), max_size=2))


@given(st.lists(st.tuples(_UNITS, st.sampled_from(["en", "fa"]), st.integers(0, 40),
                          st.integers(0, 5)), min_size=2, max_size=16),
       st.sampled_from([XlingParams(), XlingParams(time=False), XlingParams(names=False),
                        XlingParams(gather="")]))
@settings(max_examples=300, deadline=None)
def test_the_links_are_those_of_the_previous_scoring(
        batch: list[tuple[tuple[frozenset[str], frozenset[str], frozenset[str]], str, int, int]],
        params: XlingParams) -> None:
    import xling_reference

    items = [item(f"o{n}", f"t{n}", hours=half_hours / 2)
             for n, (_, _, half_hours, _) in enumerate(batch)]
    langs = [lang for _, lang, _, _ in batch]
    evidence = [Evidence(*units) for units, _, _, _ in batch]
    groups: dict[int, list[int]] = {}
    for n, (_, _, _, story) in enumerate(batch):
        groups.setdefault(story, []).append(n)
    gazetteer = shipped_gazetteer()
    remember_evidence(items, langs, gazetteer, evidence)
    linked = link_across_languages(items, list(groups.values()), langs, gazetteer, params)
    remember_evidence(items, langs, gazetteer, evidence)
    assert linked == xling_reference.link_across_languages(items, list(groups.values()), langs,
                                                           gazetteer, params)
