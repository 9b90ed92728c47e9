"""Evidence words: what an outlet repeats, live blogs, and the batch's names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.models import Item
from counterpoint.stories.tokens import item_tokens

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SIGN_OFF = "Join the Seven Sharp team for a fresh perspective on the stories of the day."


def item(outlet: str, title: str, summary: str, hours: float = 0.0) -> Item:
    return Item(outlet=outlet, affiliation="public", feed_url=f"https://{outlet}.example/rss",
                key=f"{outlet}:{title}:{hours}", title=title, summary=summary, link=None,
                published=BASE + timedelta(hours=hours))


def summary_words(items: list[Item]) -> list[set[str]]:
    return [set(summary) for _, summary in item_tokens(items)]


def test_a_sign_off_one_outlet_repeats_is_not_evidence() -> None:
    items = [
        item("1 News", "Robot dog maps quake-damaged cathedral",
             f"Lasers and cameras record the damaged pulpit. {SIGN_OFF}", 0),
        item("1 News", "Midwives ask for a pay rise",
             f"Their union wants 50 per cent. {SIGN_OFF}", 1),
        item("RNZ", "Seven Sharp presenter signs off", f"She said: {SIGN_OFF}", 2),
    ]
    first, second, other = summary_words(items)
    assert "perspective" not in first | second
    assert {"lasers", "pulpit"} <= first  # each item's own words stay
    assert {"union", "cent"} <= second
    assert "perspective" in other  # another outlet quoting the words keeps them


def test_a_repost_keeps_the_words_it_shares_with_itself() -> None:
    text = "Floodwaters swept through the town of Schuld overnight, destroying homes and roads."
    items = [item("CNN", "Floods sweep western Germany", text, 0),
             item("CNN", "Floods sweep western Germany", text, 1)]
    first, second = summary_words(items)
    assert {"schuld", "floodwaters"} <= first & second


def test_a_live_blog_counts_by_its_first_sentence() -> None:
    lead = "President Trump made it official: the US is pulling out of the WHO."
    rest = " Jair Bolsonaro of Brazil has tested positive for the virus."
    live, plain = summary_words([
        item("NYT", "Coronavirus Live Updates: U.S. and Global News", lead + rest, 0),
        item("CNN", "Trump pulls the US out of the WHO", lead + rest, 1),
    ])
    assert "pulling" in live and "bolsonaro" not in live
    assert "bolsonaro" in plain


def test_a_lead_one_outlet_reuses_for_two_headlines_on_one_event_stays() -> None:
    lead = "At least 12 people were killed and 300 arrested in protests in Zahedan on Friday."
    items = [item("Radio Zamaneh", "Zahedan protests: 12 killed", lead, 0),
             item("Radio Zamaneh", "Zahedan protests: more than 300 arrested", lead, 1)]
    first, second = summary_words(items)
    assert {"zahedan", "killed", "arrested"} <= first & second


def _runs_reference(texts: list[list[str]], members: list[int], titles: list[str]) -> None:
    """The outlet-run rule as first written: every 5-word run of every text as a tuple."""
    from itertools import chain

    from counterpoint.stories.tokens import NOISE, RUN_TITLES, RUN_WORDS, STOPWORDS, TOKEN
    from counterpoint.stories.tokens import _unrelated as unrelated

    runs: dict[str, set[tuple[str, ...]]] = {}
    found: dict[int, list[tuple[str, ...]]] = {}
    for p in members:
        words = texts[p]
        if len(words) >= RUN_WORDS:
            found[p] = list(zip(*(words[k:] for k in range(RUN_WORDS)), strict=False))
            runs.setdefault(titles[p], set()).update(found[p])
    if len(runs) < RUN_TITLES:
        return
    owners: dict[tuple[str, ...], list[str]] = {}
    for title, held in runs.items():
        for run in held:
            owners.setdefault(run, []).append(title)
    heads = {title: frozenset(TOKEN.findall(title)) - STOPWORDS - NOISE for title in runs}
    common = {run for run, held in owners.items()
              if len(held) >= RUN_TITLES and unrelated([heads[t] for t in held])}
    for p, here in found.items():
        starts = [k for k, run in enumerate(here) if run in common]
        if starts:
            gone = set(chain.from_iterable(range(k, k + RUN_WORDS) for k in starts))
            texts[p] = [w for k, w in enumerate(texts[p]) if k not in gone]


_WORDS = st.sampled_from(["watch", "seven", "sharp", "tvnz", "pm", "on", "the", "quake"])
_TITLES = st.sampled_from(["robot dog maps quake", "midwives pay rise", "robot dog",
                           "seven sharp", "quake", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), _TITLES, st.lists(_WORDS, max_size=14)),
                min_size=1, max_size=14))
def test_outlet_runs_strip_what_comparing_every_run_strips(
        batch: list[tuple[int, str, list[str]]]) -> None:
    """`_strip_runs` hashes the runs to find the few held under two titles; it must remove
    exactly what comparing every run as a tuple removes (few words: runs repeat often)."""
    from counterpoint.stories.tokens import _strip_runs

    titles = [title for _, title, _ in batch]
    outlets: dict[int, list[int]] = {}
    for position, (outlet, _, _) in enumerate(batch):
        outlets.setdefault(outlet, []).append(position)
    groups = [members for members in outlets.values() if len(members) >= 2]
    expected = [list(words) for _, _, words in batch]
    for members in groups:
        _runs_reference(expected, members, titles)
    texts = [list(words) for _, _, words in batch]
    _strip_runs(texts, groups, titles)
    assert texts == expected


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("aZ9_ \t\n\x0b\x0c\r\x1c\x1d\x1f\x00.,)]%'-\"(é"), max_size=40))
def test_ascii_patterns_match_what_the_unicode_ones_match(text: str) -> None:
    """ASCII texts are read with ASCII classes (faster): the same words."""
    from counterpoint.stories.tokens import TOKEN, _find_words

    assert _find_words(text) == TOKEN.findall(text)
