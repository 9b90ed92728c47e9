"""`counterpoint digest` as a front page, through the CLI against feeds on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from feedserver import FeedServer
from rss import Entry, rss

SIDES = ("government", "independent", "ngo", "opposition", "wire")
SUBJECTS = ["harvest", "bridge", "museum", "storm", "rocket", "orchestra", "vaccine", "marathon",
            "volcano", "library", "railway", "glacier", "satellite", "festival", "tunnel",
            "harbour", "airport", "stadium", "theatre", "reservoir"]

LONE = {"independent": "Chess champion retires after forty years",
        "ngo": "Prison hunger strike enters its third week",
        "opposition": "Exiled poet publishes a new collection"}


def outlets_text(outlets: list[tuple[str, str, str]]) -> str:
    return '[settings]\ntimeout = 5\n' + "".join(
        f'\n[[outlets]]\nname = "{name}"\naffiliation = "{side}"\nfeeds = ["{url}"]\n'
        for name, side, url in outlets)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def busy_day(tmp_path: Path, feed_server: FeedServer) -> list[str]:
    """The wire and government share twenty stories; the other three sides one story each."""
    outlets = []
    for side in SIDES:
        if side in ("wire", "government"):
            entries = [Entry(f"The {word} {word}s reopen in the capital",
                             f"Officials said the {word} would reopen.", hours_ago=1 + n / 10)
                       for n, word in enumerate(SUBJECTS)]
        else:
            entries = [Entry(LONE[side], hours_ago=3)]
        feed_server.add(f"/{side}.xml", rss(entries, side))
        outlets.append((f"{side.title()} Outlet", side, feed_server.url(f"/{side}.xml")))
    config = tmp_path / "feeds.toml"
    config.write_text(outlets_text(outlets))
    args = ["--config", str(config), "--db", str(tmp_path / "db.sqlite")]
    assert main([*args, "fetch", "--json"]) == 0
    return args


def test_a_front_page_of_15_stories_shows_every_side_that_published(
        busy_day: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    _, out, _ = run(capsys, *busy_day, "digest", "--offline", "--limit", "15", "--json")
    doc = json.loads(out)
    stories = {story["id"]: story for story in doc["stories"]}
    assert len(doc["front_page"]) == 15 and len(stories) == 23
    assert {side for sid in doc["front_page"] for side in stories[sid]["affiliations"]} \
        == set(SIDES)
    _, page, _ = run(capsys, *busy_day, "digest", "--offline", "--limit", "15")
    for side in SIDES:
        assert f"[{side.upper()}] {side.title()} Outlet" in page
    assert "… 8 more stories: `counterpoint digest --all`" in page


def test_all_and_limit_0_show_every_story(busy_day: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    for flags in (["--all"], ["--limit", "0"]):
        _, page, _ = run(capsys, *busy_day, "digest", "--offline", *flags)
        assert page.count("[WIRE] Wire Outlet") >= 20
        assert "more stories" not in page and "No items" not in page


def test_story_shows_one_story_in_full(busy_day: list[str],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    _, out, _ = run(capsys, *busy_day, "digest", "--offline", "--json")
    shared = next(s["id"] for s in json.loads(out)["stories"] if len(s["affiliations"]) == 2)
    code, out, _ = run(capsys, *busy_day, "digest", "--offline", "--story", shared)
    assert code == 0 and out.startswith(f"{shared} ")
    assert "https://example.org/wire/" in out and "https://example.org/government/" in out
    code, out, _ = run(capsys, *busy_day, "digest", "--offline", "--story", shared, "--json")
    assert json.loads(out)["story"]["id"] == shared
    code, _, err = run(capsys, *busy_day, "digest", "--offline", "--story", "s99")
    assert code == 2 and "no story 's99'" in err


def test_thirty_dead_feeds_take_a_few_lines_and_exit_3(
        tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    feed_server.add("/live.xml", rss([Entry("The bridge reopens")], "live"))
    outlets = [("Live", "wire", feed_server.url("/live.xml"))]
    for n in range(30):
        if not n % 3:
            feed_server.add(f"/broken{n}.xml", b"oops", status=500)
        outlets.append((f"Dead {n}", SIDES[n % 5], f"http://127.0.0.1:9/feed{n}.xml" if n % 3
                        else feed_server.url(f"/broken{n}.xml")))
    config = tmp_path / "feeds.toml"
    config.write_text(outlets_text(outlets))
    code, out, err = run(capsys, "--config", str(config), "--db", str(tmp_path / "db.sqlite"),
                         "digest")
    assert code == 3
    header = out.split("\n\n")[0].splitlines()
    about_failures = [line for line in header if "fail" in line or "healthy" in line]
    assert len(err.splitlines()) + len(about_failures) <= 6
    assert "Dead 7" not in out + err  # each failure in full only with -v and in feeds check
    assert "30 failed: connection refused ×20, HTTP 500 ×10" in out


def test_color_always_keeps_colour_through_a_pipe(
        busy_day: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    capsys.readouterr()
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run(capsys, *busy_day, "digest", "--offline", "--color", "always")
    assert "\x1b[" in out
    _, out, _ = run(capsys, *busy_day, "digest", "--offline")
    assert "\x1b" not in out


def test_the_default_page_gives_up_stories_to_fit_a_few_screens_keeping_every_side(
        busy_day: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from counterpoint.render.frontpage import FRONT_PAGE_LINES

    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "200")
    _, wide, _ = run(capsys, *busy_day, "digest", "--offline")
    monkeypatch.setenv("COLUMNS", "24")
    _, narrow, _ = run(capsys, *busy_day, "digest", "--offline")
    assert len(wide.splitlines()) <= FRONT_PAGE_LINES < len(narrow.splitlines()) * 2
    assert "On this page: 10 stories" in wide
    assert "On this page: 10 stories" not in narrow.replace("\n", " ")
    for side in SIDES:
        assert f"[{side.upper()}]" in narrow
    _, limited, _ = run(capsys, *busy_day, "digest", "--offline", "--limit", "10")
    assert len(limited.splitlines()) > FRONT_PAGE_LINES  # an explicit --limit is kept
