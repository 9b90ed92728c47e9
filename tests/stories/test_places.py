"""Headlines that name different places report different events: one night's strikes, told
place by place in the same words, are a story per place; items on one place stay one story."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from counterpoint.models import GazetteerEntry, Item
from counterpoint.stories import group
from counterpoint.stories.explain import explain_group
from counterpoint.stories.gazetteer import configured_gazetteer, shipped_gazetteer
from counterpoint.stories.group import GroupingParams, group_items
from counterpoint.stories.places import different_places, headline_places, named_places
from strikeshelp import ANDIMESHK, OTHER, SHALAMCHEH, Report
from wildfirehelp import items_of as reports_as_items

BASE = datetime(2026, 7, 23, 0, 0, tzinfo=UTC)


def items_of(reports: list[Report]) -> list[Item]:
    return reports_as_items(reports, BASE)


def headline(title: str) -> Item:
    return items_of([("Wire", 0.0, title, "")])[0]


def places_of(*titles: str) -> list[tuple[str, ...]]:
    return named_places([headline(t) for t in titles], shipped_gazetteer())


def test_a_night_of_strikes_is_a_story_per_place() -> None:
    items = items_of(ANDIMESHK + SHALAMCHEH + OTHER)
    groups = [sorted(g) for g in group_items(items)]
    andimeshk = list(range(len(ANDIMESHK)))
    shalamcheh = list(range(len(ANDIMESHK), len(ANDIMESHK) + len(SHALAMCHEH)))
    assert andimeshk in groups
    assert shalamcheh in groups


def test_without_the_place_rule_the_two_places_are_one_story(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group, "PLACE_FACTOR", 1.0)
    items = items_of(ANDIMESHK + SHALAMCHEH + OTHER)
    strikes = set(range(len(ANDIMESHK) + len(SHALAMCHEH)))
    assert any(strikes <= set(g) for g in group_items(items))


def test_places_are_read_in_english_and_in_persian_letter_forms() -> None:
    assert places_of("Explosions heard in Ahvaz and Qeshm") == [("ahvaz", "qeshm")]
    assert places_of("Qeshm's port shut", "Blasts near BandarAbbas", "Bandar Abbas port hit",
                     "Two Ahvazs?") == [("qeshm",), ("bandar_abbas",), ("bandar_abbas",),
                                        ("ahvaz",)]
    # Arabic letter forms (ي, ك) and a plural ending fold to the gazetteer's spelling.
    assert places_of("صدای انفجار در اهواز", "انفجار در كيش") == [("ahvaz",), ("kish",)]


def test_what_is_not_a_place_of_an_event_is_not_read_as_one() -> None:
    # Tehran is named in most Iran news (weak); a province, a country, a sea, a seat of
    # government do not tell events apart; a longer name wins (an outlet, not a city).
    assert places_of("Blast in Tehran", "Khuzestan governor speaks", "Iraq and Kuwait talk",
                     "Tanker attacked in the Red Sea", "White House says strikes went well",
                     "New York Times retracts report") == [(), (), (), (), (), ()]


def test_only_pairs_naming_places_and_none_in_common_differ() -> None:
    items = [headline(t) for t in ("Strike near Andimeshk", "Strike on Shalamcheh crossing",
                                   "Andimeshk and Shalamcheh hit overnight", "Strikes overnight")]
    places = headline_places(items, shipped_gazetteer())
    r, c = np.array([1, 2, 2, 3, 3]), np.array([0, 0, 1, 0, 1])
    assert different_places(places, r, c).tolist() == [True, False, False, False, False]


def test_fewer_than_two_headlines_with_places_give_no_rows() -> None:
    items = [headline("Strike near Andimeshk"), headline("Strikes overnight")]
    assert headline_places(items, shipped_gazetteer()) is None
    assert different_places(None, np.array([1]), np.array([0])).tolist() == [False]


def test_a_place_added_in_feeds_toml_tells_events_apart() -> None:
    towns = (GazetteerEntry("ashford", ("Ashford",), (), place=True),
             GazetteerEntry("bexley", ("Bexley",), (), place=True))
    reports: list[Report] = [
        ("Courier", 0.0, "Chemical plant fire forces evacuation in Ashford",
         "Residents of 40 homes near the chemical plant were told to leave as firefighters "
         "fought the blaze through the night."),
        ("Courier", 1.0, "Chemical plant fire forces evacuation in Bexley",
         "Firefighters fought the blaze at the chemical plant as residents were told to leave "
         "their homes; two workers were treated for smoke."),
    ]
    items = items_of([
        *reports,
        ("Courier", 2.0, "Council approves new budget for road repairs",
         "The county council voted to spend more on fixing roads and bridges next year."),
        ("Courier", 3.0, "Local team wins regional football final",
         "The club beat its rivals 2-1 in front of a home crowd on Saturday."),
        ("Courier", 4.0, "Fire station open day draws families",
         "Firefighters showed children their engines and gave safety talks at the plant gates."),
    ])
    # The same event in other words would be one story: so are these two without the places.
    assert [0, 1] in [sorted(g) for g in group_items(items)]
    assert [0, 1] not in [sorted(g) for g in group_items(items, GroupingParams(gazetteer=towns))]
    # Extra spellings of a shipped name that mark it a place make it one.
    assert configured_gazetteer((GazetteerEntry("khuzestan", ("Khuzestan",), (), place=True),)
                                ).entities["khuzestan"].kind == "places"


def test_explanation_names_the_places_that_differ() -> None:
    # Three items: the first names both places, so the story holds a pair that differs.
    items = items_of([
        ("Akhbar", 0.0, "حمله موشکی به اندیمشک و مرز شلمچه",
         "معاون استاندار خوزستان: اطراف اندیمشک و پایانه مرزی شلمچه هدف حمله موشکی قرار گرفت."),
        ANDIMESHK[0], SHALAMCHEH[0]])
    explanation = explain_group(items)
    differing = [p for p in explanation.pairs if p.different_places]
    assert [(p.i, p.j) for p in differing] == [(1, 2)]
    assert differing[0].different_places == (("Andimeshk",), ("Shalamcheh",))
    assert any("different places (Andimeshk / Shalamcheh)" in line
               for line in explanation.describe())
    # Persian has no capitals to tell a name by: the explanation does not claim none is shared.
    assert not any("no shared name or number" in line for line in explanation.describe())
    assert any("names not read in this script" in line for line in explanation.describe())


@pytest.mark.parametrize("title", [
    "Explosions heard in Ahvaz and Qeshm", "Qeshm's port shut", "Blasts near BandarAbbas",
    "New York Times retracts report", "Talks in Geneva, then Vienna", "KISH ISLAND ferry sinks",
    "Rubio in Manila: Iran 'begging'", "Strike on the Shalamcheh crossing (Iran-Iraq border)",
    "Mecca pilgrims", "Ras Tanura refinery hit", "Nothing here at all",
])
def test_headline_places_are_those_of_the_whole_gazetteer(title: str) -> None:
    whole = shipped_gazetteer()
    expected = tuple(a for a in whole.anchors(title)
                     if whole.entities[a].kind == "places" and not whole.entities[a].weak)
    assert places_of(title) == [expected]
