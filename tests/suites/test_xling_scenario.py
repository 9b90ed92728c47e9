"""Issue 13's scenario through the CLI: a Persian report of deaths in Zahedan, its twin typed
with Arabic letters and digits, and an English wire item on the same deaths are one story;
unrelated items in both languages stay apart. Feeds come from a local HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from feedserver import FeedServer
from rss import Entry, rss

PERSIAN = [
    Entry("۱۲ نفر در اعتراضات زاهدان کشته شدند",
          "به گزارش منابع محلی، ۱۲ نفر در اعتراضات زاهدان کشته شدند و بیش از ۳۰۰ نفر بازداشت "
          "شدند.", hours_ago=2),
    Entry("افزایش قیمت بنزین در تهران از بامداد امروز",
          "قیمت هر لیتر بنزین در جایگاه‌های سوخت تهران از بامداد امروز افزایش یافت.", hours_ago=1),
]
# The same report as typed on an Arabic keyboard: Arabic yeh and kaf, Arabic-Indic digits.
ARABIC_LETTERS = [
    Entry("١٢ نفر در اعتراضات زاهدان كشته شدند",
          "به گزارش منابع محلي، ١٢ نفر در اعتراضات زاهدان كشته شدند و بيش از ٣٠٠ نفر بازداشت "
          "شدند.", hours_ago=1.5),
]
WIRE = [
    Entry("12 killed in Zahedan protests, more than 300 arrested",
          "At least 12 people were killed in protests in Zahedan, in Sistan and Baluchestan "
          "province, and more than 300 were arrested, rights groups said.", hours_ago=3),
    Entry("Oil prices rise as Gulf shipping tensions grow",
          "Brent crude rose 2 percent on Monday amid tensions in Gulf shipping lanes.",
          hours_ago=1),
    Entry("Japan's central bank holds interest rates steady",
          "The Bank of Japan kept its key rate unchanged on Tuesday.", hours_ago=2),
]


@pytest.fixture
def args(tmp_path: Path, feed_server: FeedServer) -> list[str]:
    feed_server.add("/fa.xml", rss(PERSIAN, "fa"))
    feed_server.add("/arabic-letters.xml", rss(ARABIC_LETTERS, "arabic-letters"))
    feed_server.add("/wire.xml", rss(WIRE, "wire"))
    config = tmp_path / "feeds.toml"
    config.write_text(f"""
[settings]
timeout = 5

[[outlets]]
name = "Persian Channel"
affiliation = "opposition"
language = "fa"
feeds = ["{feed_server.url('/fa.xml')}"]

[[outlets]]
name = "Persian Agency"
affiliation = "government"
language = "fa"
feeds = ["{feed_server.url('/arabic-letters.xml')}"]

[[outlets]]
name = "Wire One"
affiliation = "wire"
language = "en"
feeds = ["{feed_server.url('/wire.xml')}"]
""", encoding="utf-8")
    return ["--config", str(config), "--db", str(tmp_path / "db.sqlite")]


def stories(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict]:  # type: ignore[type-arg]
    assert main([*args, "digest", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["stories"]  # type: ignore[no-any-return]


def titles(story: dict) -> set[str]:  # type: ignore[type-arg]
    return {item["title"] for item in story["items"]}


def test_persian_report_its_arabic_letter_twin_and_the_english_wire_are_one_story(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    found = [s for s in stories(args, capsys) if PERSIAN[0].title in titles(s)]
    assert len(found) == 1
    story = found[0]
    assert titles(story) == {PERSIAN[0].title, ARABIC_LETTERS[0].title, WIRE[0].title}
    assert set(story["outlets"]) == {"Persian Channel", "Persian Agency", "Wire One"}
    # Each item keeps its own words and outlet: nothing is translated or rewritten.
    by_outlet = {item["outlet"]: item["title"] for item in story["items"]}
    assert by_outlet["Persian Agency"] == ARABIC_LETTERS[0].title


def test_unrelated_items_stay_apart_in_both_languages(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    result = stories(args, capsys)
    assert sum(len(s["items"]) for s in result) == 6
    for other in (PERSIAN[1], WIRE[1], WIRE[2]):
        story = next(s for s in result if other.title in titles(s))
        assert titles(story) == {other.title}


def test_the_persian_outlets_are_not_silent_on_the_english_story(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    story = next(s for s in stories(args, capsys) if WIRE[0].title in titles(s))
    assert story["coverage"]["Persian Channel"] == "covered"
    assert story["coverage"]["Persian Agency"] == "covered"
