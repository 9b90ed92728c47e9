"""Story grouping: which items share a story, and why."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.models import Item
from counterpoint.render.jsonout import explanation_json
from counterpoint.stories.explain import GroupExplanation, explain_group
from counterpoint.stories.group import GroupingParams, group_items, story_title

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def item(outlet: str, title: str, summary: str = "", hours: float = 0.0,
         affiliation: str = "independent") -> Item:
    return Item(
        outlet=outlet, affiliation=affiliation, feed_url=f"https://{outlet.lower()}.example/rss",
        key=f"{outlet}:{title}", title=title, summary=summary,
        link=f"https://{outlet.lower()}.example/{abs(hash(title))}",
        published=BASE + timedelta(hours=hours),
    )


ZAHEDAN_STATE = item(
    "IRNA", "Rioters attack police station in Zahedan, martyring two officers",
    "Rioters attacked a police station in Zahedan after Friday prayers; two police officers were "
    "martyred, the provincial governor said.", 0, "government",
)
ZAHEDAN_OPPOSITION = item(
    "IranWire", "Security forces kill protesters in Zahedan as police station clashes erupt",
    "Security forces opened fire on protesters near a police station in Zahedan after Friday "
    "prayers, killing dozens, witnesses and rights groups said.", 3, "opposition",
)
ZAHEDAN_WIRE = item(
    "Reuters", "Dozens killed in clashes at police station in Iran's Zahedan",
    "Clashes erupted at a police station in the southeastern city of Zahedan on Friday, leaving "
    "dozens dead, according to state media and rights groups.", 2, "wire",
)
EXECUTION_A = item(
    "Amnesty", "Iran executes protester Mohsen Shekari over Tehran road blocking",
    "Iran hanged Mohsen Shekari, convicted of blocking a street in Tehran and wounding a "
    "Basij member during protests, the judiciary's news agency said.", 1, "ngo",
)
EXECUTION_B = item(
    "HRANA", "Iran hangs Majidreza Rahnavard in public in Mashhad",
    "Majidreza Rahnavard was hanged in public in the city of Mashhad, convicted of killing two "
    "Basij members during protests, the judiciary said.", 4, "ngo",
)
VIENNA_TALKS = item(
    "Reuters", "Iran and world powers resume nuclear talks in Vienna",
    "Iran and world powers resumed talks in Vienna on Monday on reviving the 2015 nuclear deal, "
    "with envoys meeting at a hotel in the Austrian capital.", 0, "wire",
)
IAEA_REPORT = item(
    "AP", "IAEA report says Iran expanded stockpile of enriched uranium",
    "The UN nuclear watchdog said in a confidential report that Iran has further expanded its "
    "stockpile of uranium enriched to up to 60% purity.", 30, "wire",
)


def grouped_together(items: list[Item], a: int, b: int) -> bool:
    return any(a in group and b in group for group in group_items(items))


def test_opposing_framings_of_one_event_share_a_story() -> None:
    assert grouped_together([ZAHEDAN_STATE, ZAHEDAN_OPPOSITION], 0, 1)


def test_three_outlets_on_one_event_form_one_story() -> None:
    items = [ZAHEDAN_STATE, ZAHEDAN_OPPOSITION, ZAHEDAN_WIRE, VIENNA_TALKS]
    assert [0, 2, 1] in group_items(items)


def test_two_different_executions_stay_apart() -> None:
    assert not grouped_together([EXECUTION_A, EXECUTION_B], 0, 1)


def test_nuclear_talks_and_a_later_iaea_report_stay_apart() -> None:
    assert not grouped_together([VIENNA_TALKS, IAEA_REPORT], 0, 1)


def test_every_index_appears_in_exactly_one_group() -> None:
    items = [ZAHEDAN_STATE, EXECUTION_A, ZAHEDAN_OPPOSITION, VIENNA_TALKS, EXECUTION_B,
             IAEA_REPORT, ZAHEDAN_WIRE]
    groups = group_items(items)
    assert sorted(i for group in groups for i in group) == list(range(len(items)))


def test_grouping_leaves_the_cyclic_collector_as_it_found_it() -> None:
    """Grouping pauses the collector while it runs (it makes no cycles) and restores it, on
    or off, whatever happens."""
    import gc

    items = [ZAHEDAN_STATE, ZAHEDAN_OPPOSITION, VIENNA_TALKS]
    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            group_items(items)
            assert gc.isenabled() is state
        gc.enable()
        broken = replace(ZAHEDAN_WIRE, summary=None)  # fails inside, while paused
        with pytest.raises(AttributeError):
            group_items([ZAHEDAN_STATE, broken])
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_groups_are_ordered_by_earliest_item_and_members_by_time() -> None:
    items = [IAEA_REPORT, ZAHEDAN_OPPOSITION, VIENNA_TALKS, ZAHEDAN_STATE]
    groups = group_items(items)
    firsts = [min(items[i].published for i in group) for group in groups]
    assert firsts == sorted(firsts)
    for group in groups:
        assert group == sorted(group, key=lambda i: (items[i].published, i))


def test_same_partition_whatever_the_input_order() -> None:
    items = [ZAHEDAN_STATE, EXECUTION_A, ZAHEDAN_OPPOSITION, VIENNA_TALKS, EXECUTION_B,
             IAEA_REPORT, ZAHEDAN_WIRE]
    expected = {frozenset(items[i].key for i in group) for group in group_items(items)}
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        got = {frozenset(shuffled[i].key for i in group) for group in group_items(shuffled)}
        assert got == expected


def test_items_further_apart_than_the_window_never_share_a_story() -> None:
    later = item("IranWire", ZAHEDAN_OPPOSITION.title, ZAHEDAN_OPPOSITION.summary, hours=72)
    params = GroupingParams(window=timedelta(hours=48))
    assert group_items([ZAHEDAN_OPPOSITION, later], params) == [[0], [1]]
    wide = GroupingParams(window=timedelta(hours=96))
    assert group_items([ZAHEDAN_OPPOSITION, later], wide) == [[0, 1]]


def test_a_higher_threshold_only_splits() -> None:
    items = [ZAHEDAN_STATE, ZAHEDAN_OPPOSITION, ZAHEDAN_WIRE]
    assert group_items(items, GroupingParams(threshold=0.99)) == [[0], [2], [1]]


def test_non_latin_text_is_grouped_without_error() -> None:
    items = [
        item("BBC Persian", "اعتراضات در زاهدان؛ حمله به کلانتری",
             "نیروهای امنیتی در زاهدان تیراندازی کردند"),
        item("Radio Farda", "حمله به کلانتری در زاهدان و کشته شدن معترضان", "", hours=1),
        item("Xinhua", "伊朗与世界大国在维也纳恢复核谈判", "", hours=2),
        item("RFI", "伊朗与大国在维也纳恢复核谈判", "", hours=3),
        item("Empty", "", "", hours=4),
    ]
    groups = group_items(items)
    assert sorted(i for group in groups for i in group) == list(range(5))
    assert [0, 1] in groups
    assert [2, 3] in groups


def test_no_items_no_groups() -> None:
    assert group_items([]) == []
    assert group_items([VIENNA_TALKS]) == [[0]]


def test_settings_override_the_measured_defaults() -> None:
    default = GroupingParams()
    assert GroupingParams.from_settings(None, None) == default
    custom = GroupingParams.from_settings(0.5, timedelta(hours=12))
    assert (custom.threshold, custom.window) == (0.5, timedelta(hours=12))
    assert GroupingParams.from_settings(None, timedelta(hours=6)).threshold == default.threshold


def test_story_title_is_one_of_the_headlines() -> None:
    items = [ZAHEDAN_STATE, ZAHEDAN_OPPOSITION, ZAHEDAN_WIRE]
    assert story_title(items) in {i.title for i in items}
    assert story_title([VIENNA_TALKS]) == VIENNA_TALKS.title
    assert story_title([]) == ""


def test_explanation_names_the_shared_terms_and_the_joining_link() -> None:
    explanation = explain_group([ZAHEDAN_STATE, ZAHEDAN_OPPOSITION])
    assert isinstance(explanation, GroupExplanation)
    assert explanation.complete
    (pair,) = explanation.pairs
    assert (pair.i, pair.j) == (0, 1)
    assert pair.score >= explanation.threshold
    assert {"zahedan", "police", "station"} <= set(pair.shared_terms)
    (step,) = explanation.merges
    assert step.link == pair
    data = explanation_json(explanation)
    assert data["pairs"][0]["shared_terms"] == list(pair.shared_terms)
    assert data["merges"][0]["left"] == [0]


def test_explanation_describes_itself_in_plain_lines() -> None:
    lines = explain_group([ZAHEDAN_STATE, ZAHEDAN_OPPOSITION, ZAHEDAN_WIRE]).describe()
    assert lines[0].startswith("threshold ")
    assert any(line.startswith("joined #") for line in lines)
    assert any("zahedan" in line for line in lines)


def test_explanation_flags_items_that_would_not_group_alone() -> None:
    explanation = explain_group([EXECUTION_A, EXECUTION_B])
    assert not explanation.complete
    assert explanation.merges == ()


def test_explanation_of_a_single_item_is_empty() -> None:
    explanation = explain_group([VIENNA_TALKS])
    assert explanation.pairs == () and explanation.complete


@pytest.mark.parametrize("module", ["counterpoint.stories.group", "counterpoint.stories.topics"])
def test_importing_grouping_does_not_load_numeric_libraries(module: str) -> None:
    code = (f"import sys, {module}; "
            "print(sorted(m for m in ('numpy', 'scipy', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


MIDNIGHT = datetime(2026, 11, 20, tzinfo=UTC)


def test_date_only_items_days_apart_still_share_a_story() -> None:
    # A 00:00:00 timestamp is a date: that day anywhere on Earth, not that instant.
    first = replace(ZAHEDAN_STATE, published=MIDNIGHT)
    next_day = replace(ZAHEDAN_WIRE, published=MIDNIGHT + timedelta(days=1))
    two_days = replace(ZAHEDAN_WIRE, published=MIDNIGHT + timedelta(days=2))
    assert group_items([first, next_day]) == [[0, 1]]
    assert group_items([first, two_days]) == [[0, 1]]
    # The same texts with real times two days apart are kept apart by the time decay.
    timed = [replace(first, published=MIDNIGHT + timedelta(hours=8)),
             replace(two_days, published=MIDNIGHT + timedelta(days=2, hours=8))]
    assert group_items(timed) == [[0], [1]]


def test_an_undated_item_may_be_older_than_when_it_was_first_seen() -> None:
    dated = replace(ZAHEDAN_STATE, published=MIDNIGHT + timedelta(hours=8))
    seen_later = replace(ZAHEDAN_WIRE, published=MIDNIGHT + timedelta(hours=68), dated=False)
    assert group_items([dated, seen_later]) == [[0, 1]]
    assert group_items([dated, replace(seen_later, dated=True)]) == [[0], [1]]


AJ_FOOTER = ("- Subscribe to our channel: http://aje.io/AJSubscribe - Follow us on Twitter: "
             "https://twitter.com/AJEnglish - Find us on Facebook: https://www.facebook.com/"
             "aljazeera - Check our website: https://www.aljazeera.com/ #AlJazeeraEnglish")
AJ_VIDEOS = [
    item("Al Jazeera English", "Saudi Arabia slashes budget and increases tax",
         f"Saudi Arabia will triple its value added tax. Al Jazeera reports. {AJ_FOOTER}",
         0, "state"),
    item("Al Jazeera English", "Philippines reopens its skies to international flights",
         f"Manila airport resumes flights after two months. Al Jazeera reports. {AJ_FOOTER}",
         1, "state"),
    item("Al Jazeera English", "Disneyland reopens in China amid fears of a second wave",
         f"Visitors return to Shanghai Disneyland with masks on. {AJ_FOOTER}", 2, "state"),
    item("Al Jazeera English", "Indonesian fishermen return home after deaths on Chinese ships",
         f"Crew members describe abuse aboard the fishing vessels. {AJ_FOOTER}", 3, "state"),
    item("Al Jazeera English", "Canadian truck drivers face new risks on the road",
         f"Drivers who keep supplies moving worry about infection. {AJ_FOOTER}", 4, "state"),
]


def test_outlet_boilerplate_does_not_join_an_outlets_unrelated_items() -> None:
    others = [VIENNA_TALKS, EXECUTION_A, ZAHEDAN_WIRE]
    groups = group_items(AJ_VIDEOS + others)
    assert all(len(group) == 1 for group in groups)


def test_outlet_boilerplate_does_not_hide_a_shared_event() -> None:
    wsj = item("The Wall Street Journal", "Saudi Arabia triples value added tax in austerity drive",
               "Saudi Arabia said it would triple its value added tax and cut allowances.", 2,
               "commercial")
    groups = group_items([*AJ_VIDEOS, wsj])
    assert [0, 5] in groups


def test_a_kicker_an_outlet_puts_on_every_title_is_not_evidence() -> None:
    bbc = [item("BBC News", f"Coronavirus: {title}", summary, hours, "public") for title, summary,
           hours in [
               ("Dutch care home reunites families in a glass pod",
                "With visits banned, one care home has found a way to bring people together.", 0),
               ("Bus driver 'happy to be home' after intensive care",
                "We catch up with a 70-year-old driver a month after our first visit.", 1),
               ("Robot dog enforces social distancing in Singapore park",
                "The four-legged robot carries a camera and speaker.", 2),
               ("How to run a factory during a pandemic",
                "Factories are changing shifts and layouts to keep workers apart.", 3),
           ]]
    assert all(len(group) == 1 for group in group_items(bbc))



def test_the_arabic_letter_and_digit_twin_of_a_persian_item_is_the_same_story() -> None:
    persian = item("BBC Persian", "۱۲ کشته در حمله به کلانتری زاهدان",
                   "دست کم ۱۲ نفر در حمله به کلانتری زاهدان کشته شدند", 0, "public")
    # The same text typed on an Arabic keyboard: ك and ي for ک and ی, Arabic-Indic digits.
    arabic = item("Radio Farda", "١٢ كشته در حمله به كلانتري زاهدان",
                  "دست كم ١٢ نفر در حمله به كلانتري زاهدان كشته شدند", 1, "public")
    other = item("Iran International", "افزایش قیمت بنزین در تهران",
                 "قیمت بنزین از امروز در تهران افزایش یافت", 2, "opposition")
    assert group_items([persian, arabic, other]) == [[0, 1], [2]]


def test_a_shared_date_or_programme_name_is_not_evidence() -> None:
    items = [
        item("ABS-CBN", "SRO | Teleradyo (7 July 2020)",
             "Watch the full episode of SRO, July 7, 2020, only on Teleradyo.", 0),
        item("ABS-CBN", "Dr. Love | Teleradyo (7 July 2020)",
             "Watch the full episode of Dr. Love, July 7, 2020, only on Teleradyo.", 1),
        item("ABS-CBN", "Failon Ngayon | Teleradyo (8 July 2020)",
             "Watch the full episode of Failon Ngayon, July 8, 2020, only on Teleradyo.", 2),
        item("ABS-CBN", "The World Tonight | ANC (7 July 2020)",
             "Watch the full episode of The World Tonight, July 7, 2020.", 2),
        item("CNN", "Live updates: Brazil's Bolsonaro tests positive",
             "The latest on Jair Bolsonaro's coronavirus diagnosis.", 3),
        item("NYT", "Live updates: US formally notifies UN of WHO withdrawal",
             "The latest on the withdrawal from the World Health Organization.", 4),
    ]
    assert all(len(group) == 1 for group in group_items(items))


def test_lexicon_framings_count_as_one_concept() -> None:
    state = item("IRNA", "Rioters torch bank in Shiraz", "Rioters set fire to a bank in Shiraz "
                 "on Saturday night, the provincial governor said.", 0, "government")
    wire = item("Reuters", "Protesters torch bank in Shiraz", "Protesters set fire to a bank in "
                "Shiraz on Saturday night, witnesses said.", 1, "wire")
    params = GroupingParams.from_settings(
        None, None, [(("rioters", "riots"), ("protesters", "protests"))])
    plain = explain_group([state, wire])
    framed = explain_group([state, wire], params)
    assert framed.pairs[0].score > plain.pairs[0].score
    assert "rioters~protesters" in framed.pairs[0].shared_terms


def test_a_shared_persian_date_is_not_evidence() -> None:
    quake = item("IRNA", "زلزله ۵ ریشتری در کرمان، روز پنج‌شنبه اول مرداد",
                 "زمین‌لرزه‌ای به بزرگی ۵ ریشتر روز پنج‌شنبه اول مرداد ماه کرمان را لرزاند", 0,
                 "government")
    budget = item("Iran International", "مجلس بودجه سال آینده را روز پنج‌شنبه اول مرداد تصویب کرد",
                  "نمایندگان مجلس روز پنج‌شنبه اول مرداد ماه لایحه بودجه را تصویب کردند", 1,
                  "opposition")
    assert group_items([quake, budget]) == [[0], [1]]


def test_one_shared_name_is_weaker_evidence_between_two_items_of_one_outlet() -> None:
    """An outlet repeats its own names across different events (its programme list, a
    celebrity it follows): a single shared name counts for less within one outlet."""
    from counterpoint.stories.group import pair_scores, time_order

    filler = [item(f"Outlet{k}", title, "", 5 + k) for k, title in enumerate([
        "Floods sweep western Germany and Belgium", "Bolsonaro tests positive for coronavirus",
        "Melbourne returns to lockdown for six weeks", "Teenager to fly into space next week",
    ])]

    def score(second_outlet: str) -> float:
        items = [
            item("Daily Mail", "Richard Branson wants to be known as a creative", "", 0),
            item(second_outlet, "The Simpsons predicted Richard Branson spaceflight", "", 1),
            *filler,
        ]
        params = GroupingParams()
        rows, cols, sims = pair_scores(items, time_order(items), params, floor=0.0)
        pairs = {(int(r), int(c)): float(s) for r, c, s in zip(rows, cols, sims, strict=True)}
        return pairs.get((1, 0), 0.0)

    same, other = score("Daily Mail"), score("Mirror")
    assert other > 0
    assert same < other * 0.75


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 12), st.integers(1, 9), st.integers(1, 30), st.integers(0, 2**32 - 1),
       st.sampled_from([0.0, 0.3, 0.8]))
def test_block_product_is_scipys_product_to_the_bit(rows: int, width: int, others: int,
                                                    seed: int, density: float) -> None:
    """Pair scores rest on `product`: the same entries, floats and order as scipy's `a @ b`
    for empty rows, empty products and dense ones."""
    import numpy as np
    from scipy.sparse import random as sparse_random

    from counterpoint.stories.products import product

    rng = np.random.default_rng(seed)
    a = sparse_random(rows, width, density=density, format="csr", dtype=np.float32, rng=rng)
    b = sparse_random(others, width, density=density, format="csr", dtype=np.float32, rng=rng)
    b.data[rng.random(len(b.data)) < 0.2] *= -1  # negative scores too
    expected = a @ b.T
    indptr, indices, data = product(a, b.T.tocsr())
    assert np.array_equal(indptr, expected.indptr)
    assert np.array_equal(indices, expected.indices)
    assert data.dtype == expected.data.dtype
    assert np.array_equal(data.view(np.uint32), expected.data.view(np.uint32))


def test_block_product_falls_back_to_scipys_public_product(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """`product` calls a private scipy kernel; if a later scipy changes it, grouping still gets
    the same product from the public operator instead of failing."""
    import numpy as np
    import scipy.sparse._sparsetools as tools
    from scipy.sparse import random as sparse_random

    from counterpoint.stories.products import product

    def changed(*args: object) -> None:
        raise TypeError("csr_matmat() takes 9 positional arguments")

    monkeypatch.setattr(tools, "csr_matmat", changed)
    rng = np.random.default_rng(7)
    a = sparse_random(30, 50, density=0.2, format="csr", dtype=np.float32, rng=rng)
    expected = a @ a.T
    indptr, indices, data = product(a, a.T.tocsr())
    assert np.array_equal(indptr, expected.indptr)
    assert np.array_equal(indices, expected.indices)
    assert np.array_equal(data, expected.data)
