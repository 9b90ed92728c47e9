"""Stories -> topics: configured keywords first, salient shared phrases otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from counterpoint.models import Item, Story, TopicRule
from counterpoint.stories.topics import assign_topics

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def story(story_id: str, *texts: tuple[str, str]) -> Story:
    items = tuple(
        Item(outlet=f"outlet{k}", affiliation="wire", feed_url="https://example.org/rss",
             key=f"{story_id}:{k}", title=title, summary=summary, link=None,
             published=BASE + timedelta(hours=k))
        for k, (title, summary) in enumerate(texts)
    )
    return Story(id=story_id, title=items[0].title, items=items)


NUCLEAR = TopicRule(key="nuclear", label="Nuclear programme", keywords=("IAEA", "enrichment",
                                                                         "uranium"))
PROTESTS = TopicRule(key="protests", label="Protests", keywords=("protest", "اعتراض"))

TALKS_MONDAY = story(
    "s1",
    ("Iran and world powers resume nuclear talks in Vienna",
     "Envoys met in Vienna to revive the nuclear talks on the 2015 deal."),
    ("Nuclear talks restart in Vienna as Iran demands guarantees", ""),
)
TALKS_TUESDAY = story(
    "s2",
    ("Nuclear talks in Vienna stall over sanctions", "The nuclear talks paused on Tuesday."),
)
FOOTBALL = story(
    "s3",
    ("Persepolis win Tehran derby", "Persepolis beat Esteghlal in the Tehran derby on Friday."),
    ("Tehran derby: Persepolis edge Esteghlal", ""),
)


def test_every_story_lands_in_exactly_one_topic() -> None:
    stories = [TALKS_MONDAY, TALKS_TUESDAY, FOOTBALL]
    topics = assign_topics(stories, [NUCLEAR, PROTESTS])
    ids = [story_id for topic in topics for story_id in topic.story_ids]
    assert sorted(ids) == ["s1", "s2", "s3"]


def test_keywords_match_case_insensitively_on_word_boundaries() -> None:
    iaea = story("a", ("The iaea board meets on Iran", ""))
    partial = story("b", ("Uraniumville mayor re-elected", ""))
    topics = assign_topics([iaea, partial], [NUCLEAR])
    assert topics[0].key == "nuclear"
    assert topics[0].label == "Nuclear programme"
    assert topics[0].story_ids == ("a",)
    assert all(topic.key is None for topic in topics[1:])


def test_persian_keywords_match_persian_text() -> None:
    persian = story("p", ("اعتراض کارگران در اهواز", ""))
    (topic,) = assign_topics([persian], [PROTESTS])
    assert topic.key == "protests"


def test_a_story_goes_to_the_rule_it_matches_most() -> None:
    both = story("x", ("IAEA says uranium enrichment rose as protest continues", ""))
    (topic,) = assign_topics([both], [PROTESTS, NUCLEAR])
    assert topic.key == "nuclear"


def test_every_occurrence_of_a_longer_keyword_counts_after_a_shorter_one_fails() -> None:
    # "protests" is listed after "protest": both occurrences must count (2 against strike's 1).
    unrest = TopicRule(key="unrest", label="Unrest", keywords=("protest", "罢工", "protests"))
    strike = TopicRule(key="strike", label="Strike", keywords=("strike",))
    text = story("u", ("Protests grow; protests spread as the strike goes on", ""))
    (topic,) = assign_topics([text], [strike, unrest])
    assert topic.key == "unrest"


def test_an_unspaced_keyword_matches_inside_a_word_run() -> None:
    unrest = TopicRule(key="unrest", label="Unrest", keywords=("protest", "罢工"))
    (topic,) = assign_topics([story("c", ("工人罢工第三天", ""))], [unrest])
    assert topic.key == "unrest"


def test_a_topic_label_prefers_a_phrase_of_the_headlines() -> None:
    monday = story("m", ("Vienna talks resume", "Grain exports and the nuclear deal."),
                   ("Vienna talks: day two", "Grain exports and the nuclear deal again."))
    tuesday = story("t", ("Vienna talks stall", "Grain exports and the nuclear deal stall."))
    (topic,) = assign_topics([monday, tuesday], [])
    assert topic.label == "Vienna talks"


def test_unmatched_stories_share_a_topic_named_by_their_common_phrase() -> None:
    topics = assign_topics([TALKS_MONDAY, TALKS_TUESDAY, FOOTBALL], [])
    by_story = {story_id: topic for topic in topics for story_id in topic.story_ids}
    assert by_story["s1"] is by_story["s2"]
    assert by_story["s3"] is not by_story["s1"]
    assert by_story["s1"].label == "Nuclear talks"
    assert by_story["s1"].key is None
    assert by_story["s3"].label == "Tehran derby"


def test_topics_are_deterministic() -> None:
    stories = [TALKS_MONDAY, TALKS_TUESDAY, FOOTBALL]
    assert assign_topics(stories, [NUCLEAR]) == assign_topics(stories, [NUCLEAR])


def test_no_stories_no_topics() -> None:
    assert assign_topics([], [NUCLEAR]) == []


FOOTER = ("Subscribe to our channel: http://aje.io/AJSubscribe - Follow us on Twitter: "
          "https://twitter.com/AJEnglish - Find us on Facebook: https://www.facebook.com/"
          "aljazeera #AlJazeeraEnglish. Al Jazeera's correspondent reports.")


def aj_story(story_id: str, hours: int, title: str, lead: str) -> Story:
    only = Item(outlet="Al Jazeera English", affiliation="state",
                feed_url="https://www.youtube.com/feeds/videos.xml", key=story_id, title=title,
                summary=f"{lead} {FOOTER}", link=None, published=BASE + timedelta(hours=hours))
    return Story(id=story_id, title=title, items=(only,))


def test_a_topic_is_never_named_after_an_outlet() -> None:
    stories = [
        aj_story("a1", 0, "Saudi Arabia slashes budget and increases tax",
                 "The kingdom will triple its value added tax."),
        aj_story("a2", 1, "Philippines reopens its skies to international flights",
                 "Manila airport resumes flights after two months."),
        aj_story("a3", 2, "Disneyland reopens in China amid fears of a second wave",
                 "Visitors return to the Shanghai park with masks on."),
        aj_story("a4", 3, "Indonesian fishermen return home after deaths on Chinese ships",
                 "Crew members describe abuse aboard the fishing vessels."),
        TALKS_MONDAY, TALKS_TUESDAY,
    ]
    topics = assign_topics(stories, [])
    labels = {topic.label.casefold() for topic in topics}
    assert not labels & {"al jazeera", "jazeera", "al jazeera english", "english"}
    by_story = {story_id: topic for topic in topics for story_id in topic.story_ids}
    # Boilerplate does not make one outlet's unrelated stories a topic.
    assert len({id(by_story[s]) for s in ("a1", "a2", "a3", "a4")}) == 4
    assert by_story["s1"].label == "Nuclear talks"


_KEYWORDS = ["protest", "protests", "death", "death penalty", "death row", "women's rights",
             "hijab", "هسته‌ای", "حجاب", "حجاب اجباری", "Strait of Hormuz", "oil", "#MahsaAmini",
             "罢工"]
_WORDS = ["protest", "Protests", "death", "penalty", "row", "women's", "women", "rights",
          "هسته‌ای", "هسته", "ای", "حجاب", "اجباری", "strait", "of", "Hormuz", "oil", "oily",
          "#MahsaAmini", "MahsaAmini", "罢工", "工人罢工", "the", "'", "-", "\u200c", "\n"]


def _rule_hits(rules: list[TopicRule], text: str) -> list[int]:
    """How often each rule's keywords occur: on word boundaries, case-insensitively, spaces
    of a keyword matching any run of spaces or ZWNJs, the first keyword listed winning at a
    place (words of unspaced scripts match anywhere)."""
    import re
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).casefold()
    hits = []
    for rule in rules:
        parts = []
        for keyword in rule.keywords:
            escaped = re.escape(keyword.casefold()).replace(r"\ ", r"[\s\u200c]+")
            parts.append(escaped if "罢" in keyword else rf"(?<!\w){escaped}(?!\w)")
        hits.append(len(re.findall("|".join(parts), folded)))
    return hits


@given(st.lists(st.lists(st.sampled_from(_KEYWORDS), min_size=1, max_size=4), min_size=1,
                max_size=4),
       st.lists(st.sampled_from(_WORDS), max_size=30), st.sampled_from([" ", "", "  "]))
@settings(max_examples=200, deadline=None)
def test_a_story_goes_to_the_rule_whose_keywords_occur_most(
        keywords: list[list[str]], words: list[str], space: str) -> None:
    rules = [TopicRule(key=f"r{k}", label=f"Rule {k}", keywords=tuple(group))
             for k, group in enumerate(keywords)]
    text = space.join(words) or "-"
    topics = assign_topics([story("s", (text, ""))], rules)
    hits = _rule_hits(rules, f"{text} \n {text} \n ")  # the story's title and its one item
    best = max(range(len(rules)), key=lambda k: (hits[k], -k))
    assert topics[0].key == (rules[best].key if hits[best] else None)


_VOCABULARY = ["Vienna", "vienna", "VIENNA", "talks", "Talks", "nuclear", "Nuclear", "a", "B",
               "x", "deal", "Deal", "grain", "exports", "—", ",", "'s", "-", ":", "2015", "_",
               "é", "“talks”", "Vienna’s", "naïve", "Ｖienna", "ﬁnal", "talkſ", "deaK", "ı",
               "Vıenna", "VİENNA", "vıenna"]


@given(st.lists(st.lists(st.tuples(st.lists(st.sampled_from(_VOCABULARY), min_size=1,
                                            max_size=8),
                                   st.lists(st.sampled_from(_VOCABULARY), max_size=14)),
                         min_size=1, max_size=3), min_size=1, max_size=3),
       st.sampled_from([" ", "  ", "\n"]))
@example([[(["Vienna", "a", "talks"], ["the", "vienna", "B", "talks", ",", "vienna", "talks"])]],
         " ")
@example([[(["Vienna", "talks"], ["vıenna", "talks", "vıenna", "talks", "Vienna", "talks"])]],
         " ")
@settings(max_examples=150, deadline=None)
def test_a_label_is_spelled_alike_in_plain_ascii_text_and_in_any_text(
        stories: list[list[tuple[list[str], list[str]]]], space: str) -> None:
    """Labels of plain texts are spelled from the texts' word runs; of others, by a pattern.
    A lead ending in « ſ» (no word, no phrase) sends a topic down the second way."""
    def made(accent: str) -> list[Story]:
        return [story(f"s{n}", *[(space.join(title), space.join(summary) + accent)
                                 for title, summary in texts])
                for n, texts in enumerate(stories)]

    ascii_labels = [t.label for t in assign_topics(made(""), [])]
    assert ascii_labels == [t.label for t in assign_topics(made(" ſ"), [])]


def test_the_twins_of_ascii_letters_are_all_known() -> None:
    import re
    import sys

    everything = "".join(chr(code) for code in range(0x80, sys.maxunicode + 1)
                         if not 0xD800 <= code <= 0xDFFF)
    assert set(re.findall("[a-z]", everything, re.IGNORECASE)) == {
        "\u0130", "\u0131", "\u017f", "\u212a"}


@given(st.lists(st.lists(st.sampled_from(["iran", "talks", "oil", "vote", "vienna"]),
                         max_size=6), min_size=2, max_size=5))
def test_a_storys_terms_are_its_items_terms_joined(item_bags: list[list[str]]) -> None:
    # A story of several items labels its topic by the phrases of its items' words end to end;
    # they are made from each item's phrases (union, plus pairs across two items' words).
    from counterpoint.stories.topics import _joined_phrases, _phrases

    whole = [word for bag in item_bags for word in bag]
    each = [set(_phrases(bag)) for bag in item_bags]
    assert _joined_phrases(each, item_bags) == set(_phrases(whole))


def test_rule_choices_made_elsewhere_for_the_first_stories_give_the_same_topics() -> None:
    """The read-ahead child is told the rule choices of the first stories (made by the
    parent meanwhile): topics are the same wherever the split falls."""
    from counterpoint.stories.topics import rule_choices

    stories = [story(f"s{n}", (title, lead)) for n, (title, lead) in enumerate([
        ("Iran enriches uranium to 60%", "The IAEA said centrifuges spun."),
        ("A protest in Zahedan", "Protesters marched."), ("Football final", "A late goal."),
        ("IAEA inspectors return", "Uranium stockpile checked."),
        ("Protest in Tehran", "Strikes spread."), ("Football: cup draw", "Draw made.")])]
    rules = [NUCLEAR, PROTESTS]
    whole = assign_topics(stories, rules)
    assert [c >= 0 for c in rule_choices(stories, rules)] == [True, True, False, True, True,
                                                              False]
    for split in range(len(stories) + 1):
        assert assign_topics(stories, rules, rule_choices(stories[:split], rules)) == whole
