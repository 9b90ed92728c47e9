"""A Persian outlet beside English ones, through the real CLI and a local HTTP server: its
figures reach `digest --json`, and silence is claimed only within a story's languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from counterpoint.cli.main import main
from feedserver import FeedServer
from rss import Entry, rss

ZAHEDAN = "۱۲ نفر در اعتراضات زاهدان کشته شدند … بیش از ۳۰۰ نفر بازداشت شدند"
PERSIAN = [Entry("اعتراضات زاهدان: ۱۲ کشته", ZAHEDAN, hours_ago=3),
           Entry("اعتراضات زاهدان: بیش از ۳۰۰ بازداشت", ZAHEDAN, hours_ago=2)]
ENGLISH = [Entry("Oil prices rise as Gulf shipping tensions grow",
                 "Brent crude rose 2 percent on Monday amid tensions in Gulf shipping lanes.",
                 hours_ago=2)]


@pytest.fixture
def config_args(tmp_path: Path, feed_server: FeedServer) -> list[str]:
    feed_server.add("/fa.xml", rss(PERSIAN, "persian"))
    feed_server.add("/en.xml", rss(ENGLISH, "wire"))
    config = tmp_path / "feeds.toml"
    config.write_text(f"""
[settings]
timeout = 5

[[outlets]]
name = "Persian Service"
affiliation = "independent"
language = "fa"
feeds = ["{feed_server.url('/fa.xml')}"]

[[outlets]]
name = "Wire One"
affiliation = "wire"
language = "en"
feeds = ["{feed_server.url('/en.xml')}"]
""", encoding="utf-8")
    return ["--config", str(config), "--db", str(tmp_path / "db.sqlite")]


@pytest.fixture
def digest(config_args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code = main([*config_args, "digest", "--json"])
    assert code == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def story_of(document: dict[str, Any], outlet: str) -> dict[str, Any]:
    (story,) = [s for s in document["stories"]
                if any(item["outlet"] == outlet for item in s["items"])]
    return story


def test_persian_figures_reach_the_json_digest(digest: dict[str, Any]) -> None:
    figures = story_of(digest, "Persian Service")["figures"]
    assert [(f["outlet"], f["kind"], f["value"], f["qualifier"], f["text"]) for f in figures] == [
        ("Persian Service", "killed", 12, None, "۱۲"),
        ("Persian Service", "arrested", 300, "more than", "بیش از ۳۰۰")]


def test_an_outlet_is_not_silent_on_a_story_told_only_in_another_language(
        digest: dict[str, Any]) -> None:
    assert story_of(digest, "Persian Service")["coverage"] == {
        "Persian Service": "covered", "Wire One": "unmatched"}
    assert story_of(digest, "Wire One")["coverage"] == {
        "Persian Service": "unmatched", "Wire One": "covered"}
    assert digest["blindspots"] == []


def test_the_briefing_quotes_persian_figures_and_names_outlets_of_another_language(
        config_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "brief.md"
    assert main([*config_args, "brief", "-o", str(output)]) == 0
    capsys.readouterr()
    briefing = output.read_text("utf-8")
    assert "بیش از ۳۰۰ نفر بازداشت" in briefing
    assert "No item in their language, so not counted as silence: Wire One" in briefing
    assert "Silent: Wire One" not in briefing
