"""Issue 5's scenario end to end: an opposition outlet carrying seed-like articles, a government
outlet, a wire, an NGO whose feed is down — through the real CLI and a local HTTP server."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from rich.text import Text

from counterpoint.cli.main import main
from feedserver import FeedServer
from rss import Entry, rss

# Sentences from the seed documents (NCRI/MEK sites) and the other sides' takes on the same events.
OPPOSITION = [
    Entry("Free Iran rally in Paris: tens of thousands call for regime change",
          "Tomorrow, June 30th, is the NCRI's annual Free Iran gathering in Paris. This event "
          "traditionally attracts tens of thousands of members of the Iranian diaspora.",
          hours_ago=10),
    Entry("Free Iran Global Summit: speakers back the Iranian people's call for regime change",
          "The Free Iran Global Summit brought together lawmakers and dignitaries in support of "
          "the Iranian resistance and its ten-point plan.", hours_ago=9),
    Entry("Anniversary of the November 2019 uprising in Iran: around 1,500 deaths, 4,000 "
          "people injured",
          "On the anniversary of the November 2019 uprising in Iran, the opposition says around "
          "1,500 deaths and 4,000 people injured as security forces fired on protesters.",
          hours_ago=3),
]
GOVERNMENT = [
    Entry("Iran marks anniversary of November 2019 riots; officials say 230 killed",
          "Officials said 230 people were killed in the November 2019 riots in Iran, including "
          "members of the security forces.", hours_ago=2),
    Entry("Tehran metro line 7 extension opens to passengers",
          "The new section of Tehran metro line 7 opened on Sunday, the city said.", hours_ago=1),
]
WIRE = [
    Entry("Iran November 2019 protests anniversary: death toll still disputed",
          "Amnesty International said at least 304 people were killed in the November 2019 "
          "protests in Iran; officials said 230 died.", hours_ago=2.5),
    Entry("Oil prices rise as Gulf shipping tensions grow",
          "Brent crude rose 2 percent on Monday amid tensions in Gulf shipping lanes.",
          hours_ago=1),
    Entry("Iran currency hits record low against the dollar",
          "The rial fell to a record low on the open market in Tehran on Monday.", hours_ago=1.5),
]


@pytest.fixture
def scenario(tmp_path: Path, feed_server: FeedServer) -> tuple[list[str], FeedServer]:
    feed_server.add("/opposition.xml", rss(OPPOSITION, "opposition"))
    feed_server.add("/government.xml", rss(GOVERNMENT, "government"))
    feed_server.add("/wire.xml", rss(WIRE, "wire"))
    feed_server.add("/ngo.xml", b"internal error", status=500)
    config = tmp_path / "feeds.toml"
    config.write_text(f"""
[settings]
timeout = 5

[balance]
government = 1
opposition = 1
wire = 1
ngo = 1
independent = 1

[[outlets]]
name = "Resistance Council"
affiliation = "opposition"
feeds = ["{feed_server.url('/opposition.xml')}"]

[[outlets]]
name = "State Agency"
affiliation = "government"
feeds = ["{feed_server.url('/government.xml')}"]

[[outlets]]
name = "Wire One"
affiliation = "wire"
feeds = ["{feed_server.url('/wire.xml')}"]

[[outlets]]
name = "Rights Monitor"
affiliation = "ngo"
feeds = ["{feed_server.url('/ngo.xml')}"]
""")
    return ["--config", str(config), "--db", str(tmp_path / "db.sqlite")], feed_server


def digest_json(args: list[str], capsys: pytest.CaptureFixture[str], *extra: str
                ) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main([*args, "digest", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_seed_stories_are_blindspots_of_the_opposition(
        scenario: tuple[list[str], FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = digest_json(scenario[0], capsys)
    assert code == 3  # the NGO feed failed
    stories = {s["id"]: s for s in doc["stories"]}
    spots = [stories[sid] for sid in doc["blindspots"]]
    rally = [s for s in spots if "Free Iran" in s["title"]]
    assert rally, "the Free Iran stories must be blindspots"
    assert all(set(s["affiliations"]) == {"opposition"} for s in rally)
    details = {d["story"]: d for d in doc["blindspot_details"]}
    assert all(details[s["id"]]["affiliation"] == "opposition" for s in rally)


def test_dead_feed_outlet_is_unreachable_never_silent(
        scenario: tuple[list[str], FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    _, doc = digest_json(scenario[0], capsys)
    states = {s["coverage"]["Rights Monitor"] for s in doc["stories"]}
    assert states == {"unreachable"}


def test_casualty_figures_of_each_side_are_side_by_side(
        scenario: tuple[list[str], FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    _, doc = digest_json(scenario[0], capsys)
    november = [s for s in doc["stories"] if "November 2019" in s["title"]]
    assert len(november) == 1, "the three sides' November 2019 items are one story"
    story = november[0]
    assert set(story["affiliations"]) == {"opposition", "government", "wire"}
    reported = {(f["affiliation"], f["value"]) for f in story["figures"]
                if f["kind"] == "killed"}
    assert ("opposition", 1500) in reported
    assert ("government", 230) in reported
    assert ("wire", 304) in reported


def test_reading_list_honours_balance_within_one_item(
        scenario: tuple[list[str], FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    _, doc = digest_json(scenario[0], capsys, "--reading", "6")
    counts = Counter(pick["affiliation"] for pick in doc["reading_list"])
    assert sum(counts.values()) == 6
    # ngo has no items (its feed is down) and independent no outlet: their share is shared out.
    for affiliation in ("government", "opposition", "wire"):
        assert abs(counts[affiliation] - 2) <= 1


def test_scenario_digest_is_readable_at_80_columns(
        scenario: tuple[list[str], FeedServer], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    code = main([*scenario[0], "digest"])
    plain = capsys.readouterr().out
    assert code == 3
    assert "BLINDSPOTS" in plain and "READING LIST" in plain
    assert "[OPPOSITION] Resistance Council" in plain
    monkeypatch.setenv("COLUMNS", "80")
    main([*scenario[0], "digest", "--offline"])
    lines = capsys.readouterr().out.splitlines()
    # Every line fits but links, each whole on a line of its own (the terminal soft-wraps it).
    lines = [line for line in lines if not line.strip().startswith(("http://", "https://"))]
    assert lines and max(Text(line).cell_len for line in lines) <= 80
