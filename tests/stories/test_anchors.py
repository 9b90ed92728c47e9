"""The anchor rule: a pair resting on a few common words, with no name or number, is weak."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.models import Item
from counterpoint.stories import group
from counterpoint.stories.anchors import cased
from counterpoint.stories.group import GroupingParams, group_items, pair_scores, time_order

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def item(outlet: str, title: str, summary: str, hours: float = 0.0) -> Item:
    return Item(outlet=outlet, affiliation="independent", feed_url=f"https://{outlet}.example/rss",
                key=f"{outlet}:{title}", title=title, summary=summary, link=None,
                published=BASE + timedelta(hours=hours))


FILLER = [item(f"Outlet{k}", title, summary, 5 + k) for k, (title, summary) in enumerate([
    ("Floods sweep western Germany", "Rivers burst their banks in Schuld and Ahrweiler."),
    ("Teenager to fly into space", "An 18-year-old physics student takes the empty seat."),
    ("Bank of England warns on inflation", "Prices rose faster than forecast in June."),
    ("Olympic athletes test positive", "Two athletes in Tokyo's village have the virus."),
])]
# Two different events that share a topic: a second wave.
TOPIC = [
    item("Daily Mail", "South West will be hardest hit by second wave",
         "Modelling suggests infections in a second wave would be highest in the region.", 0),
    item("Straits Times", "No second wave of infections yet, but risks remain",
         "Officials said infections were stable and a second wave was not yet under way.", 1),
]
# One event: the shared words include a name.
EVENT = [
    item("CNN", "Melbourne to be locked down for six weeks",
         "Melbourne will return to lockdown as infections surge, the premier said.", 0),
    item("Al Jazeera", "Melbourne reimposes lockdown as infections surge",
         "Australia's second-largest city Melbourne goes back into lockdown.", 1),
]


def score(items: list[Item]) -> float:
    batch = [*items, *FILLER]
    rows, cols, sims = pair_scores(batch, time_order(batch), GroupingParams(), floor=0.0)
    pairs = {(int(r), int(c)): float(s) for r, c, s in zip(rows, cols, sims, strict=True)}
    return pairs[(1, 0)]


def test_a_pair_sharing_only_common_words_keeps_part_of_its_score(
        monkeypatch: pytest.MonkeyPatch) -> None:
    weighed = score(TOPIC)
    monkeypatch.setattr(group, "NO_ANCHOR_FACTOR", 1.0)
    plain = score(TOPIC)
    assert plain > 0
    assert weighed == pytest.approx(plain * 0.7, rel=1e-5)


def test_within_one_outlet_such_a_pair_keeps_less(monkeypatch: pytest.MonkeyPatch) -> None:
    one_outlet = [replace(entry, outlet="Daily Mail") for entry in TOPIC]
    weighed = score(one_outlet)
    monkeypatch.setattr(group, "NO_ANCHOR_SAME_OUTLET", 1.0)
    assert weighed == pytest.approx(score(one_outlet) * 0.5, rel=1e-5)


def test_a_pair_sharing_a_name_keeps_its_score(monkeypatch: pytest.MonkeyPatch) -> None:
    weighed = score(EVENT)
    monkeypatch.setattr(group, "NO_ANCHOR_FACTOR", 1.0)
    assert weighed == pytest.approx(score(EVENT), rel=1e-5)


def test_a_shared_topic_alone_does_not_make_a_story(monkeypatch: pytest.MonkeyPatch) -> None:
    groups = group_items([*TOPIC, *EVENT, *FILLER])
    assert [0, 1] not in groups
    assert [2, 3] in groups
    monkeypatch.setattr(group, "NO_ANCHOR_FACTOR", 1.0)  # without the rule the topic joins them
    assert [0, 1] in group_items([*TOPIC, *EVENT, *FILLER])


def test_persian_text_has_no_case_and_is_exempt() -> None:
    assert cased("Melbourne reimposes lockdown")
    assert cased("Zürich: Überschwemmungen")
    assert not cased("انفجار در بندر عباس")


def test_the_explanation_names_the_shared_anchors() -> None:
    from counterpoint.render.jsonout import explanation_json
    from counterpoint.stories.explain import explain_group

    event = explain_group(EVENT)
    assert "melbourne" in event.pairs[0].anchors
    assert "names/numbers: melbourne" in "\n".join(event.describe())
    assert "no shared name or number" in "\n".join(explain_group(TOPIC).describe())
    assert explanation_json(event)["pairs"][0]["anchors"] == list(event.pairs[0].anchors)


_MIXED = ["Tehran", "protests", "Minister", "budget", "floods", "Zahedan", "oil", "prices",
          "talks", "strike", "1,200", "اعتراضات", "زاهدان", "تهران", "وزیر", "نفت", "قیمت"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_MIXED), min_size=1, max_size=6),
                          st.lists(st.sampled_from(_MIXED), min_size=1, max_size=8)),
                min_size=4, max_size=14))
def test_joint_rows_count_what_the_two_kinds_of_rows_count(texts: list[tuple[list[str],
                                                                           list[str]]]) -> None:
    """With Persian in the batch, one count over `Anchors.joint` gives, per pair, the shared
    informative words and anchors of `Anchors.words` and the shared per-script informative
    words of `Features.units`, as counting on each kind of rows does."""
    import numpy as np

    from counterpoint.stories.anchors import (
        JOINT_ANCHOR,
        JOINT_SCRIPT,
        JOINT_WORD,
        anchor_rows,
    )
    from counterpoint.stories.signals import compact, features, overlap, shared_by_bit

    items = [item(f"O{k % 3}", " ".join(title), " ".join(lead), k)
             for k, (title, lead) in enumerate(texts)]
    items.append(item("O9", "اعتراضات در زاهدان", "وزیر نفت در تهران", 1))  # Persian, always
    order = list(range(len(items)))
    known = features(items, order)
    anchors = anchor_rows(items, {}, known)
    assert anchors.joint is not None
    pairs = [(a, b) for a in range(len(items)) for b in range(a)]
    r = np.array([a for a, _ in pairs], dtype=np.int64)
    c = np.array([b for _, b in pairs], dtype=np.int64)
    found = shared_by_bit(anchors.joint, r, c, 3)
    words, named = overlap(anchors.words, r, c)
    assert found[JOINT_WORD].tolist() == words.tolist()
    assert found[JOINT_ANCHOR].tolist() == named.tolist()
    assert found[JOINT_SCRIPT].tolist() == overlap(compact(known.units[0]), r, c)[0].tolist()
