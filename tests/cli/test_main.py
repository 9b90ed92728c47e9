"""The whole pipeline through the CLI, against real feeds on a local HTTP server."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from feedserver import FeedServer
from rss import Entry, rss

RAID = Entry("Police raid opposition office in Tehran, 12 arrested",
             "Security forces raided the office on Monday and arrested 12 people, officials said.")
RAID_GOV = Entry("Security forces detain 12 rioters in Tehran office raid",
                 "Police detained 12 rioters in a raid on an office in Tehran on Monday.")
RAID_NGO = Entry("Tehran office raid: 12 activists arrested by security forces",
                 "Rights group says 12 activists were arrested in the Tehran office raid.")
FOOTBALL = Entry("Esteghlal win the Tehran derby against Persepolis",
                 "Esteghlal beat Persepolis 2-1 in the league on Sunday.")


def config_text(server: FeedServer, extra: str = "") -> str:
    return f"""
[settings]
timeout = 5

[[outlets]]
name = "Wire One"
affiliation = "wire"
feeds = ["{server.url('/wire.xml')}"]

[[outlets]]
name = "State News"
affiliation = "government"
feeds = ["{server.url('/gov.xml')}"]

[[outlets]]
name = "Rights Watchers"
affiliation = "ngo"
feeds = ["{server.url('/ngo.xml')}"]
{extra}"""


@pytest.fixture
def setup(tmp_path: Path, feed_server: FeedServer) -> tuple[Path, Path, FeedServer]:
    feed_server.add("/wire.xml", rss([RAID, FOOTBALL], "wire"), etag='"w1"')
    feed_server.add("/gov.xml", rss([RAID_GOV], "gov"), etag='"g1"')
    feed_server.add("/ngo.xml", rss([RAID_NGO], "ngo"), etag='"n1"')
    config = tmp_path / "feeds.toml"
    config.write_text(config_text(feed_server))
    return config, tmp_path / "db.sqlite", feed_server


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_digest_json_has_every_contract_field(setup: tuple[Path, Path, FeedServer],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    for key in ("generated_at", "window", "mix", "feeds", "topics", "stories", "blindspots",
                "reading_list"):
        assert key in doc
    assert set(doc["window"]) == {"since", "until"}
    assert set(doc["mix"]) >= {"configured", "fetched", "shown"}
    feed = doc["feeds"][0]
    assert set(feed) >= {"outlet", "affiliation", "url", "status", "error", "new_items"}
    story = doc["stories"][0]
    assert set(story) >= {"id", "title", "topic", "affiliations", "coverage", "items"}
    assert set(story["items"][0]) >= {"title", "link", "outlet", "affiliation", "published",
                                      "summary"}
    pick = doc["reading_list"][0]
    assert set(pick) >= {"story", "title", "link", "outlet", "affiliation"}


def test_every_item_is_in_exactly_one_story_with_its_outlets_affiliation(
        setup: tuple[Path, Path, FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    _, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest", "--json")
    doc = json.loads(out)
    items = [(i["outlet"], i["title"]) for s in doc["stories"] for i in s["items"]]
    assert len(items) == len(set(items)) == 4
    expected = {"Wire One": "wire", "State News": "government", "Rights Watchers": "ngo"}
    for story in doc["stories"]:
        for item in story["items"]:
            assert item["affiliation"] == expected[item["outlet"]]


def test_same_event_from_three_sides_is_one_story_ranked_first(
        setup: tuple[Path, Path, FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    _, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest", "--json")
    top = json.loads(out)["stories"][0]
    assert top["affiliations"] == {"wire": 1, "government": 1, "ngo": 1}
    assert set(top["coverage"].values()) == {"covered"}


def test_silent_outlet_is_marked_silent(setup: tuple[Path, Path, FeedServer],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    _, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest", "--json")
    football = next(s for s in json.loads(out)["stories"] if "derby" in s["title"])
    assert football["coverage"] == {"Wire One": "covered", "State News": "silent",
                                    "Rights Watchers": "silent"}


def test_dead_feed_gives_exit_3_and_unreachable_not_silent(
        setup: tuple[Path, Path, FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    config, db, server = setup
    server.add("/ngo.xml", b"oops", status=500)
    code, out, err = run(capsys, "--config", str(config), "--db", str(db), "digest", "--json")
    assert code == 3
    doc = json.loads(out)
    ngo = next(f for f in doc["feeds"] if f["outlet"] == "Rights Watchers")
    assert ngo["status"] == "error" and "HTTP 500" in ngo["error"]
    for story in doc["stories"]:
        assert story["coverage"]["Rights Watchers"] == "unreachable"
    assert err.count("\n") == 1 and "1 failed" in err  # one line; details with -v


def test_second_fetch_uses_conditional_get(setup: tuple[Path, Path, FeedServer],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    config, db, server = setup
    assert run(capsys, "--config", str(config), "--db", str(db), "fetch")[0] == 0
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "fetch", "--json")
    assert code == 0
    statuses = {f["outlet"]: f["status"] for f in json.loads(out)["feeds"]}
    assert set(statuses.values()) == {"not_modified"}
    assert server.requests_to("/wire.xml")[-1].headers.get("if-none-match") == '"w1"'


def test_refetch_adds_nothing_twice(setup: tuple[Path, Path, FeedServer],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    config, db, server = setup
    run(capsys, "--config", str(config), "--db", str(db), "fetch")
    # The server forgets its validators and adds one item in front of the old ones.
    server.add("/wire.xml", rss([Entry("A new item"), RAID, FOOTBALL], "wire"))
    _, out, _ = run(capsys, "--config", str(config), "--db", str(db), "fetch", "--json")
    wire = next(f for f in json.loads(out)["feeds"] if f["outlet"] == "Wire One")
    assert wire["status"] == "ok" and wire["new_items"] == 1
    count = sqlite3.connect(db).execute("SELECT COUNT(*) FROM items").fetchone()[0]
    assert count == 5


def test_offline_digest_uses_the_store_only(setup: tuple[Path, Path, FeedServer],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    config, db, server = setup
    run(capsys, "--config", str(config), "--db", str(db), "fetch")
    before = len(server.requests)
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest", "--offline",
                       "--json")
    assert code == 0
    assert len(server.requests) == before
    doc = json.loads(out)
    assert {f["status"] for f in doc["feeds"]} == {"offline"}
    assert sum(len(s["items"]) for s in doc["stories"]) == 4


def test_fetch_exit_code_3_when_a_feed_fails_and_others_still_stored(
        setup: tuple[Path, Path, FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    config, db, server = setup
    server.add("/gov.xml", b"", status=404)
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "fetch")
    assert code == 3
    assert "State News" in out and "HTTP 404" in out
    count = sqlite3.connect(db).execute("SELECT COUNT(*) FROM items").fetchone()[0]
    assert count == 3


def test_fetch_sends_an_identifying_user_agent(setup: tuple[Path, Path, FeedServer],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    config, db, server = setup
    run(capsys, "--config", str(config), "--db", str(db), "fetch")
    assert server.requests_to("/wire.xml")[0].headers["user-agent"].startswith("Counterpoint/")


def test_terminal_digest_labels_every_item_as_text(setup: tuple[Path, Path, FeedServer],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest")
    assert code == 0
    assert "[WIRE] Wire One — Police raid opposition office in Tehran" in out
    assert "[GOVERNMENT] State News — Security forces detain 12 rioters" in out
    assert "[NGO] Rights Watchers — Tehran office raid" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_brief_writes_markdown_and_prints_its_path(setup: tuple[Path, Path, FeedServer],
                                                   capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    config, db, _ = setup
    target = tmp_path / "out" / "brief.md"
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "brief", "-o",
                       str(target))
    assert code == 0
    assert out.strip() == str(target)
    text = target.read_text()
    assert text.startswith("# Counterpoint briefing")
    assert "[Police raid opposition office in Tehran, 12 arrested](https://example.org/wire/0)" \
        in text
    assert "## Outlets consulted" in text
    assert list(target.parent.iterdir()) == [target]  # no temp file left behind


def test_brief_default_path_is_dated_under_the_data_dir(
        setup: tuple[Path, Path, FeedServer], capsys: pytest.CaptureFixture[str],
        isolated_home: Path) -> None:
    config, db, _ = setup
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "brief")
    path = Path(out.strip())
    assert code == 0
    assert path.parent == isolated_home / "data" / "counterpoint" / "briefings"
    assert path.name.endswith(".md") and path.is_file()


def test_hostile_titles_are_neutralised_everywhere(tmp_path: Path, feed_server: FeedServer,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    hostile = Entry("\x1b]0;pwned\x07\x1b[31mRed [bold]alert[/bold] [x](javascript:alert(1))",
                    "<script>alert(1)</script>ok", link="javascript:alert(1)")
    feed_server.add("/wire.xml", rss([hostile], "wire"))
    feed_server.add("/gov.xml", rss([], "gov"))
    feed_server.add("/ngo.xml", rss([], "ngo"))
    config = tmp_path / "feeds.toml"
    config.write_text(config_text(feed_server))
    db = str(tmp_path / "db.sqlite")
    _, out, _ = run(capsys, "--config", str(config), "--db", db, "digest")
    assert "\x1b" not in out and "\x07" not in out
    assert "Red [bold]alert[/bold]" in out  # markup shown literally, never interpreted
    _, out, _ = run(capsys, "--config", str(config), "--db", db, "digest", "--json", "--offline")
    item = json.loads(out)["stories"][0]["items"][0]
    assert item["link"] is None
    assert "script" not in item["summary"] and "\x1b" not in item["title"]
    brief = tmp_path / "b.md"
    run(capsys, "--config", str(config), "--db", db, "brief", "--offline", "-o", str(brief))
    text = brief.read_text()
    assert "](javascript:" not in text and "<script>" not in text and "\x1b" not in text


def test_usage_errors_exit_2(setup: tuple[Path, Path, FeedServer],
                             capsys: pytest.CaptureFixture[str]) -> None:
    config, _, _ = setup
    assert run(capsys, "--config", str(config), "digest", "--since", "yesterday")[0] == 2
    assert run(capsys, "--config", str(config), "fetch", "--only", "wires")[0] == 2
    code, _, err = run(capsys, "nonsense")
    assert code == 2 and "Traceback" not in err


def test_global_options_work_after_the_command(setup: tuple[Path, Path, FeedServer],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    code, out, _ = run(capsys, "digest", "--config", str(config), "--db", str(db), "--json")
    assert code == 0 and json.loads(out)["stories"]


def test_window_excludes_old_items(tmp_path: Path, feed_server: FeedServer,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    feed_server.add("/wire.xml", rss([Entry("Fresh news today", hours_ago=2),
                                      Entry("Old news from last week", hours_ago=24 * 7)], "w"))
    feed_server.add("/gov.xml", rss([], "g"))
    feed_server.add("/ngo.xml", rss([], "n"))
    config = tmp_path / "feeds.toml"
    config.write_text(config_text(feed_server))
    db = str(tmp_path / "db.sqlite")
    _, out, _ = run(capsys, "--config", str(config), "--db", db, "digest", "--json")
    titles = [i["title"] for s in json.loads(out)["stories"] for i in s["items"]]
    assert titles == ["Fresh news today"]
    _, out, _ = run(capsys, "--config", str(config), "--db", db, "digest", "--json",
                    "--offline", "--since", "8d")
    titles = {i["title"] for s in json.loads(out)["stories"] for i in s["items"]}
    assert titles == {"Fresh news today", "Old news from last week"}


def test_topic_filter_keeps_only_that_topics_stories(tmp_path: Path, feed_server: FeedServer,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    feed_server.add("/wire.xml", rss([Entry("IAEA inspectors return to Natanz nuclear site",
                                            "Inspectors of the IAEA returned to the nuclear "
                                            "site on Monday."), FOOTBALL], "wire"))
    feed_server.add("/gov.xml", rss([], "gov"))
    feed_server.add("/ngo.xml", rss([], "ngo"))
    config = tmp_path / "feeds.toml"
    config.write_text(config_text(feed_server, '\n[topics.nuclear]\nlabel = "Nuclear programme"'
                                               '\nkeywords = ["nuclear", "IAEA"]\n'))
    db = str(tmp_path / "db.sqlite")
    _, out, _ = run(capsys, "--config", str(config), "--db", db, "digest", "--json")
    full = json.loads(out)
    assert {t["label"] for t in full["topics"]} >= {"Nuclear programme"}
    for wanted in ("nuclear", "Nuclear programme"):
        _, out, _ = run(capsys, "--config", str(config), "--db", db, "digest", "--json",
                        "--offline", "--topic", wanted)
        doc = json.loads(out)
        assert [s["topic"] for s in doc["stories"]] == ["Nuclear programme"]
        assert [t["label"] for t in doc["topics"]] == ["Nuclear programme"]


def test_limit_puts_the_widest_story_on_the_front_page_and_json_keeps_all(
        setup: tuple[Path, Path, FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    _, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest", "--json",
                    "--limit", "1")
    doc = json.loads(out)
    assert len(doc["stories"]) == 2 and doc["stories_total"] == 2
    (front,) = doc["front_page"]
    story = next(s for s in doc["stories"] if s["id"] == front)
    assert len(story["affiliations"]) == 3


def test_explain_shows_why_items_were_grouped(setup: tuple[Path, Path, FeedServer],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    run(capsys, "--config", str(config), "--db", str(db), "fetch")
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest", "--offline",
                       "--explain", "s1")
    assert code == 0
    assert out.startswith("s1 ") and "tehran" in out.lower()
    code, out, _ = run(capsys, "--config", str(config), "--db", str(db), "digest", "--offline",
                       "--explain", "s1", "--json")
    explained = json.loads(out)
    assert code == 0 and explained["story"] == "s1"
    # Scored as grouping scored them: over the window's items, and the joins replay the story.
    assert explained["scores_over"] == "window" and explained["complete"]
    assert run(capsys, "--config", str(config), "--db", str(db), "digest", "--offline",
               "--explain", "s99")[0] == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_only_a_non_empty_no_color_turns_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from counterpoint.cli.context import Context

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    tty = _Terminal()
    assert Context().color_for(tty)
    monkeypatch.setenv("NO_COLOR", "")
    assert Context().color_for(tty)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Context().color_for(tty)
    assert Context(color_choice="always").color_for(tty)
    monkeypatch.delenv("NO_COLOR")
    assert not Context(no_color=True).color_for(tty)
    assert not Context(color_choice="never").color_for(tty)


def test_colour_off_a_terminal_only_when_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    from counterpoint.cli.context import Context

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    pipe = io.StringIO()
    assert not Context().color_for(pipe)
    assert Context(color_choice="always").color_for(pipe)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert Context().color_for(pipe)


@pytest.mark.slow
def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path, feed_server: FeedServer
                                                   ) -> None:
    import subprocess
    import sys

    many = [Entry(f"Story number {n} about topic {n}", "x " * 400) for n in range(300)]
    feed_server.add("/wire.xml", rss(many, "wire"))
    feed_server.add("/gov.xml", rss([], "gov"))
    feed_server.add("/ngo.xml", rss([], "ngo"))
    config = tmp_path / "feeds.toml"
    config.write_text(config_text(feed_server))
    base = [sys.executable, "-m", "counterpoint", "--config", str(config), "--db",
            str(tmp_path / "db.sqlite")]
    assert main([*base[3:], "-q", "fetch"]) == 0  # in-process: only the reader needs a pipe
    for extra in ([], ["--json"]):  # rich output and plain print
        process = subprocess.Popen([*base, "digest", "--offline", *extra],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # like `| head -1`: far more than a pipe buffer is left unread
        code = process.wait(timeout=60)
        assert code == 0
        assert b"Traceback" not in process.stderr.read()


def test_a_bad_window_fails_before_fetching(setup: tuple[Path, Path, FeedServer],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    config, db, server = setup
    code, _, err = run(capsys, "--config", str(config), "--db", str(db), "digest", "--since",
                       "5x")
    assert code == 2 and "not a duration" in err
    assert server.requests == []


def test_a_file_that_is_not_a_database_is_a_clean_error(
        setup: tuple[Path, Path, FeedServer], capsys: pytest.CaptureFixture[str]) -> None:
    config, db, _ = setup
    db.write_bytes(b"this is not an SQLite database" * 100)
    code, _, err = run(capsys, "--config", str(config), "--db", str(db), "digest", "--offline")
    assert code == 1
    assert "Traceback" not in err and str(db) in err


def test_quiet_outlet_is_silent_but_one_frozen_for_days_is_unreachable(
        tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    feed_server.add("/wire.xml", rss([Entry("Parliament passes the new budget law",
                                            hours_ago=1)], "wire"))
    feed_server.add("/gov.xml", rss([Entry("Minister opens a hospital", hours_ago=6)], "gov"))
    feed_server.add("/ngo.xml", rss([Entry("Annual report published", hours_ago=24 * 5)],
                                    "ngo"))
    config = tmp_path / "feeds.toml"
    config.write_text(config_text(feed_server))
    _, out, _ = run(capsys, "--config", str(config), "--db", str(tmp_path / "db.sqlite"),
                    "digest", "--json")
    budget = next(s for s in json.loads(out)["stories"] if "budget" in s["title"])
    assert budget["coverage"] == {"Wire One": "covered", "State News": "silent",
                                  "Rights Watchers": "unreachable"}
    assert budget["id"] not in json.loads(out)["blindspots"]  # one item is never a blindspot


@pytest.mark.parametrize(("argv", "closest"), [
    (["digets"], "digest"), (["feeds", "lst"], "list"), (["feeds", "improt", "x"], "import")])
def test_a_mistyped_command_suggests_the_closest(capsys: pytest.CaptureFixture[str],
                                                 argv: list[str], closest: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert f"did you mean '{closest}'?" in err


@pytest.mark.parametrize("argv", [["--help"], ["digest", "--help"], ["feeds", "add", "--help"],
                                  ["init", "--help"]])
def test_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    for code in ("0 success", "1 fatal", "2 usage", "3 output", "130 interrupted"):
        assert code in out


def test_one_story_is_one_story_not_one_stories(tmp_path: Path, feed_server: FeedServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    url = feed_server.add("/one.xml", rss([RAID]))
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[outlets]]\nname = "Wire"\naffiliation = "wire"\nfeeds = ["{url}"]\n')
    code, out, err = run(capsys, "--config", str(config), "--db", str(tmp_path / "db.sqlite"),
                         "digest")
    assert code == 0
    assert "1 story, 1 item" in out and "1 stories" not in out
    assert "fetched 1 feed: 1 ok, 0 failed; 1 new item" in err


def test_a_database_path_that_is_a_directory_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path), "digest", "--offline")
    assert code == 1
    assert "unable to open database file (it is a directory" in err


def test_a_database_under_a_file_says_the_folder_is_not_a_directory(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plain").write_text("x")
    code, _, err = run(capsys, "--db", str(tmp_path / "plain" / "db.sqlite"), "digest",
                       "--offline")
    assert code == 1
    assert f"({tmp_path / 'plain'} is not a directory)" in err
