"""Issue 15's scenario through the CLI: day 1 a digest where every story is new; day 2 an outlet
of another side reports one of yesterday's stories and a new story appears, so `digest --new
--json` holds the continuing story (same key, `updated`, the side that joined) and the new one,
and nothing else. Feeds change between runs on a local HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from feedserver import FeedServer
from rss import Entry, rss

SENTENCING = Entry("Court sentences journalist Narges Tavana to ten years in Evin prison",
                   "A Tehran revolutionary court sentenced journalist Narges Tavana to ten "
                   "years in Evin prison on Sunday.", link="https://wire.example/tavana",
                   hours_ago=30)
SENTENCING_OPP = Entry("Journalist Narges Tavana sentenced to ten years, Evin prison",
                       "The regime's court sentenced journalist Narges Tavana to ten years.",
                       link="https://opp.example/tavana", hours_ago=29)
QUAKE = Entry("Earthquake of magnitude 5.9 shakes Kerman province villages",
              "An earthquake of magnitude 5.9 shook villages in Kerman province.",
              link="https://wire.example/quake", hours_ago=28)
SENTENCING_GOV = Entry("Judiciary confirms ten year sentence for Narges Tavana, Evin prison",
                       "The judiciary confirmed the ten year sentence of Narges Tavana.",
                       link="https://gov.example/tavana", hours_ago=3)
FLOODS = Entry("Flash floods cut roads to Bandar Abbas port after record rain",
               "Flash floods cut the roads to Bandar Abbas port after record rainfall.",
               link="https://wire.example/floods", hours_ago=2)


@pytest.fixture
def setup(tmp_path: Path, feed_server: FeedServer) -> tuple[FeedServer, list[str]]:
    feed_server.add("/wire.xml", rss([SENTENCING, QUAKE], "wire"))
    feed_server.add("/opp.xml", rss([SENTENCING_OPP], "opp"))
    feed_server.add("/gov.xml", rss([], "gov"))
    config = tmp_path / "feeds.toml"
    config.write_text("".join(
        f'[[outlets]]\nname = "{name}"\naffiliation = "{aff}"\n'
        f'feeds = ["{feed_server.url(path)}"]\n\n'
        for name, aff, path in (("Wire", "wire", "/wire.xml"),
                                ("Opposition Daily", "opposition", "/opp.xml"),
                                ("State Agency", "government", "/gov.xml"))))
    return feed_server, ["--config", str(config), "--db", str(tmp_path / "db.sqlite"), "-q"]


def digest(args: list[str], capsys: pytest.CaptureFixture[str], *extra: str) -> dict:  # type: ignore[type-arg]
    assert main([*args, "digest", "--since", "3d", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def by_title(document: dict, words: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in document["stories"] if words in s["title"])


def test_day_two_shows_the_continuing_story_updated_and_the_new_one(
        setup: tuple[FeedServer, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    server, args = setup
    day1 = digest(args, capsys)
    assert {s["status"] for s in day1["stories"]} == {"new"}
    sentencing = by_title(day1, "Tavana")
    assert len(sentencing["items"]) == 2
    assert len(day1["stories"]) == 2

    server.add("/gov.xml", rss([SENTENCING_GOV], "gov"))
    server.add("/wire.xml", rss([SENTENCING, QUAKE, FLOODS], "wire"))
    day2 = digest(args, capsys, "--new")

    assert len(day2["stories"]) == 2  # the earthquake, untouched, is absent
    continuing = by_title(day2, "Tavana")
    assert continuing["key"] == sentencing["key"]
    assert continuing["status"] == "updated"
    assert continuing["since_last"]["affiliations"] == ["government"]
    assert continuing["since_last"]["outlets"] == ["State Agency"]
    assert continuing["since_last"]["items"] == 1
    new = by_title(day2, "floods")
    assert new["status"] == "new"
    assert new["key"] not in {s["key"] for s in day1["stories"]}

    # A third look: nothing changed, so --new is empty and the full digest says seen.
    assert digest(args, capsys, "--new")["stories"] == []
    assert {s["status"] for s in digest(args, capsys)["stories"]} == {"seen"}


def test_a_revised_figure_and_an_edited_headline_show_in_since_last(
        setup: tuple[FeedServer, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    server, args = setup
    toll = Entry("Clashes in Zahedan leave 12 killed", "Security forces killed 12 people in "
                 "clashes in Zahedan on Friday.", link="https://wire.example/zahedan",
                 hours_ago=5)
    server.add("/wire.xml", rss([toll], "wire"))
    first = digest(args, capsys)["stories"][0]
    assert first["status"] == "new"

    revised = Entry("Zahedan clashes: death toll rises", "Security forces killed 19 people in "
                    "clashes in Zahedan on Friday.", link=toll.link, hours_ago=5)
    server.add("/wire.xml", rss([revised], "wire"))
    story = digest(args, capsys, "--new")["stories"][0]

    assert story["key"] == first["key"]
    assert story["status"] == "updated"
    assert story["since_last"]["items"] == 0
    assert story["since_last"]["figures"] == [
        {"outlet": "Wire", "kind": "killed", "was": 12, "now": 19}]
    assert story["since_last"]["retitled"] == [
        {"link": toll.link, "outlet": "Wire", "was": toll.title, "now": revised.title}]
    assert story["items"][0]["title"] == revised.title  # the store holds the new text


def test_no_record_peeks_without_touching_memory(
        setup: tuple[FeedServer, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    _, args = setup
    peek = digest(args, capsys, "--no-record")
    again = digest(args, capsys, "--dry-run", "--offline")
    assert {s["status"] for s in peek["stories"] + again["stories"]} == {"new"}
    assert [s["key"] for s in peek["stories"]] == [s["key"] for s in again["stories"]]
    recorded = digest(args, capsys, "--offline")
    assert [s["key"] for s in recorded["stories"]] == [s["key"] for s in peek["stories"]]
    assert {s["status"] for s in recorded["stories"]} == {"new"}
    assert {s["status"] for s in digest(args, capsys, "--offline")["stories"]} == {"seen"}


def test_story_key_prints_the_timeline_across_runs(
        setup: tuple[FeedServer, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    server, args = setup
    key = by_title(digest(args, capsys), "Tavana")["key"]
    server.add("/gov.xml", rss([SENTENCING_GOV], "gov"))
    digest(args, capsys)

    assert main([*args, "digest", "--since", "3d", "--offline", "--story", "s1"]) == 0
    assert f"key {key} · its days: `counterpoint story {key}`" in capsys.readouterr().out

    assert main([*args, "story", key]) == 0
    text = capsys.readouterr().out
    assert f"story {key}" in text
    assert "Government & state media: joined" in text and "State Agency" in text
    assert "NGO" in text and "no item so far" in text  # a configured side that never spoke

    assert main([*args, "story", key[:6], "--json"]) == 0  # a unique prefix is enough
    document = json.loads(capsys.readouterr().out)
    assert document["key"] == key
    assert [i["outlet"] for i in document["items"]] == ["Wire", "Opposition Daily",
                                                         "State Agency"]
    assert [r["status"] for r in document["runs"]] == ["new", "updated"]
    joined = {s["affiliation"]: s["outlet"] for s in document["sides"] if s["joined"]}
    assert joined == {"wire": "Wire", "opposition": "Opposition Daily",
                      "government": "State Agency"}


def test_story_with_an_unknown_key_is_a_usage_error(
        setup: tuple[FeedServer, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    _, args = setup
    assert main([*args, "story", "knothere"]) == 2
    err = capsys.readouterr().err
    assert "no story 'knothere'" in err and "Traceback" not in err


def test_a_story_continues_when_yesterdays_items_left_a_24h_window(
        setup: tuple[FeedServer, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    server, args = setup
    server.add("/wire.xml", rss([SENTENCING], "wire"))
    # Yesterday morning's digest (its 24 h window ended 20 h ago) showed the sentencing.
    assert main([*args, "digest", "--since", "44h", "--until", "20h", "--json"]) == 0
    key = json.loads(capsys.readouterr().out)["stories"][0]["key"]

    # This morning: yesterday's items are ~30 h old, out of the default 24 h window.
    server.add("/gov.xml", rss([SENTENCING_GOV], "gov"))
    assert main([*args, "digest", "--json", "--new"]) == 0
    [story] = json.loads(capsys.readouterr().out)["stories"]
    assert [i["outlet"] for i in story["items"]] == ["State Agency"]
    assert story["key"] == key
    assert story["status"] == "updated"
    assert story["since_last"]["affiliations"] == ["government"]


def tagged(page: str, title: str, tag: str) -> bool:
    """A story heading of the front page carries `tag` (NEW / UPDATED)."""
    return any(title in line and f"  {tag}" in line for line in page.splitlines())


def test_front_page_and_briefing_lead_with_what_changed(
        setup: tuple[FeedServer, list[str]], capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    server, args = setup
    assert main([*args, "digest", "--since", "3d"]) == 0
    first = capsys.readouterr().out
    assert "SINCE THE LAST DIGEST — 2 new, 0 updated" in first
    assert tagged(first, "Tavana", "NEW") and tagged(first, "Earthquake", "NEW")

    server.add("/gov.xml", rss([SENTENCING_GOV], "gov"))
    brief = tmp_path / "brief.md"
    assert main([*args, "brief", "--since", "3d", "-o", str(brief)]) == 0
    text = brief.read_text()
    since = text.split("## Since the last briefing", 1)[1].split("\n## ", 1)[0]
    assert "0 new, 1 updated, 1 already seen story" in since
    assert "**UPDATED**" in since and "state media broke its silence" in since
    assert "State Agency" in since
    assert "Earthquake" not in since  # the untouched story is not listed as a change

    server.add("/wire.xml", rss([SENTENCING, QUAKE, FLOODS], "wire"))
    assert main([*args, "digest", "--since", "3d", "--new"]) == 0
    page = capsys.readouterr().out
    assert tagged(page, "Flash floods", "NEW")
    assert "Earthquake" not in page and "Tavana" not in page

    assert main([*args, "digest", "--since", "3d", "--new", "--offline"]) == 0
    assert "Nothing new or updated since the last digest (3 stories in this window, all seen" \
        in capsys.readouterr().out
