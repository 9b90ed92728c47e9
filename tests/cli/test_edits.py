"""`feeds add/remove/import` and `init` as they write feeds.toml: under a lock, on the file as
it is now, and from scratch (a missing or empty file, `init --empty`)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counterpoint.config.load import load_config, parse_config
from counterpoint.config.write import lock_path
from feedserver import FeedServer
from feedshelp import OPML, install_config, rss, run, write_config

URL_OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Climate Desk" url="https://climate.example/feed.xml"/>
<outline text="Ice Watch" type="rss" url="https://ice.example/rss" category="/Science/Glaciology"/>
</body></opml>"""


def counterpoint(*argv: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "counterpoint", *argv], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env or dict(os.environ))


@pytest.mark.slow
def test_four_concurrent_adds_all_land(tmp_path: Path, feed_server: FeedServer) -> None:
    config = write_config(tmp_path / "feeds.toml", [("First", "wire", ["https://a.example/r"])])
    urls = [feed_server.add(f"/{n}.xml", rss([("Headline", None)]), delay=0.3)
            for n in range(4)]
    runs = [counterpoint("--config", str(config), "feeds", "add", url, "--name", f"Outlet {n}",
                         "--affiliation", "independent") for n, url in enumerate(urls)]
    results = [(process.wait(60), process.communicate()) for process in runs]
    assert [code for code, _ in results] == [0, 0, 0, 0], [err for _, (_, err) in results]
    names = [o.name for o in load_config(str(config)).outlets]
    assert names[0] == "First" and sorted(names[1:]) == [f"Outlet {n}" for n in range(4)]
    for n, (_, (_, err)) in enumerate(results):
        assert f"added outlet 'Outlet {n}'" in err


@pytest.mark.slow
def test_an_edit_waits_for_the_lock_and_says_so(tmp_path: Path) -> None:
    config = write_config(tmp_path / "feeds.toml", [("First", "wire", ["https://a.example/r"])])
    with open(lock_path(config), "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        process = counterpoint("--config", str(config), "feeds", "add", "https://b.example/r",
                               "--name", "Second", "--affiliation", "wire", "--no-check")
        time.sleep(1.5)
        assert process.poll() is None  # waiting, not writing
        assert "Second" not in config.read_text("utf-8")
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "waiting for another edit" in err
    assert [o.name for o in load_config(str(config)).outlets] == ["First", "Second"]


def test_import_with_url_attributes_into_a_new_path_creates_outlets_and_classes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opml = tmp_path / "climate.opml"
    opml.write_bytes(URL_OPML)
    config = tmp_path / "new" / "feeds.toml"
    code, _, err = run(capsys, "--config", str(config), "feeds", "import", str(opml),
                       "--affiliation", "newsroom")
    assert code == 0, err
    loaded = load_config(str(config))
    assert config.stat().st_mode & 0o777 == 0o644  # as init writes it, not a temp file's 0600
    assert loaded.affiliations == {"newsroom": "Newsroom", "glaciology": "Glaciology"}
    assert [(o.name, o.affiliation, o.feeds) for o in loaded.outlets] == [
        ("Climate Desk", "newsroom", ("https://climate.example/feed.xml",)),
        ("Ice Watch", "glaciology", ("https://ice.example/rss",))]


def test_import_into_an_empty_file_uses_default_class_labels(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text("")
    code, _, err = run(capsys, "--config", str(config), "feeds", "import",
                       str(OPML / "newsboat.opml"), "--affiliation", "independent")
    assert code == 0, err
    loaded = load_config(str(config))
    assert loaded.affiliations == {"independent": "Independent press"}
    assert len(loaded.outlets) == 3


def test_import_with_no_user_config_starts_one_in_the_config_dir(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opml = tmp_path / "climate.opml"
    opml.write_bytes(URL_OPML)
    code, _, err = run(capsys, "feeds", "import", str(opml), "--affiliation", "newsroom")
    assert code == 0, err
    created = isolated_home / "config" / "counterpoint" / "feeds.toml"
    assert [o.name for o in load_config(str(created)).outlets] == ["Climate Desk", "Ice Watch"]


@pytest.mark.parametrize(("document", "message"), [
    (b'<?xml version="1.0"?><opml version="2.0"><body><outline text="Folder"/></body></opml>',
     "no feeds in it"),
    (b"# My project\n\nSome <b>readme</b> text.\n", "not an OPML file"),
    (b"<!DOCTYPE html><html><head><title>Feeds</title></head><body></body></html>",
     "not an OPML file"),
])
def test_an_import_without_feeds_exits_2_and_says_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], document: bytes,
        message: str) -> None:
    config = write_config(tmp_path / "feeds.toml", [("First", "wire", ["https://a.example/r"])])
    before = config.read_bytes()
    source = tmp_path / "subscriptions.opml"
    source.write_bytes(document)
    code, _, err = run(capsys, "--config", str(config), "feeds", "import", str(source),
                       "--affiliation", "wire")
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert config.read_bytes() == before


def test_a_newsboat_urls_file_imports_with_tags_as_classes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    urls = tmp_path / "urls"
    urls.write_text('# newsboat\nhttps://wire.example/rss wire "~Wire One"\n'
                    "https://ngo.example/feed ngo !hidden\n"
                    'https://blog.example/atom.xml "~A Blog"\n'
                    '"query:Unread:unread = \\"yes\\""\n')
    config = write_config(tmp_path / "feeds.toml", [("First", "wire", ["https://a.example/r"])])
    code, _, err = run(capsys, "--config", str(config), "feeds", "import", str(urls),
                       "--affiliation", "independent")
    assert code == 0, err
    got = {o.name: (o.affiliation, o.feeds) for o in load_config(str(config)).outlets}
    assert got["Wire One"] == ("wire", ("https://wire.example/rss",))
    assert got["ngo.example"] == ("ngo", ("https://ngo.example/feed",))
    assert got["A Blog"] == ("independent", ("https://blog.example/atom.xml",))


def test_init_empty_writes_a_commented_skeleton_that_add_fills(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "climate.toml"
    code, out, _ = run(capsys, "--config", str(config), "init", "--empty")
    assert code == 0 and out == f"{config}\n"
    skeleton = config.read_text("utf-8")
    assert "[[outlets]]" in skeleton and not parse_config(skeleton, config,
                                                          allow_empty=True).outlets
    code, _, err = run(capsys, "--config", str(config), "feeds", "add", "https://c.example/r",
                       "--name", "Carbon Brief", "--affiliation", "science", "--no-check")
    assert code == 0, err
    loaded = load_config(str(config))
    assert loaded.affiliations == {"science": "Science"}
    assert config.read_text("utf-8").startswith(skeleton)


def test_add_into_the_commented_config_still_checks_the_class(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    code, _, err = run(capsys, "feeds", "add", "https://n.example/r", "--name", "N",
                       "--affiliation", "science", "--no-check")
    assert code == 2 and "unknown affiliation 'science'" in err
    assert path.read_bytes() == before
