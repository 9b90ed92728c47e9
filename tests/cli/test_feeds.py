"""`counterpoint feeds …` and `counterpoint init`, driven through `cli.main`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from counterpoint.models import FeedStatus
from counterpoint.store.db import FeedState, Store
from counterpoint.timeutil import utcnow
from feedserver import FeedServer
from feedshelp import install_config, rss, run, write_config

# -- editing -------------------------------------------------------------------------------------


def test_add_writes_the_outlet_and_keeps_the_comments(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    code, out, err = run(capsys, "feeds", "add", "https://new.example/rss", "--name", "New",
                         "--affiliation", "ngo", "--no-check")
    assert code == 0
    assert out == ""
    assert "added outlet 'New' (ngo)" in err
    text = path.read_text("utf-8")
    assert "# My feeds — hand-written comments must survive every edit." in text
    assert 'name        = "New"' in text


def test_add_with_an_unknown_class_exits_2_and_leaves_the_file_unchanged(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    code, _, err = run(capsys, "feeds", "add", "https://new.example/rss", "--name", "New",
                       "--affiliation", "tabloid", "--no-check")
    assert code == 2
    assert "unknown affiliation 'tabloid'" in err
    assert path.read_bytes() == before


def test_add_with_a_duplicate_name_exits_2_and_leaves_the_file_unchanged(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    code, _, err = run(capsys, "feeds", "add", "https://state.example/rss", "--name",
                       "State Daily", "--affiliation", "government", "--no-check")
    assert code == 2
    assert "duplicate feed" in err
    assert path.read_bytes() == before


def test_add_dry_run_prints_a_unified_diff_and_writes_nothing(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    code, out, _ = run(capsys, "feeds", "add", "https://new.example/rss", "--name", "New",
                       "--affiliation", "ngo", "--no-check", "--dry-run")
    assert code == 0
    assert out.startswith(f"--- {path}\n+++ {path} (edited)\n@@ ")
    assert '+name        = "New"' in out
    assert path.read_bytes() == before


def test_remove_dry_run_prints_a_unified_diff_and_writes_nothing(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    code, out, _ = run(capsys, "feeds", "remove", "State Daily", "--dry-run")
    assert code == 0
    assert '-name        = "State Daily"   # the big one' in out
    assert path.read_bytes() == before


def test_remove_rewrites_the_file_without_the_outlet(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    code, _, _ = run(capsys, "feeds", "remove", "State Daily")
    assert code == 0
    assert "State Daily" not in path.read_text("utf-8")


def test_remove_edits_the_target_of_a_symlinked_config(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = install_config(isolated_home)
    link = isolated_home / "feeds.toml"
    link.symlink_to(real)
    code, _, _ = run(capsys, "feeds", "remove", "State Daily")
    assert code == 0
    assert link.is_symlink()
    assert "State Daily" not in real.read_text("utf-8")


def test_editing_with_only_the_built_in_default_asks_for_init(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "feeds", "remove", "Press TV")
    assert code == 2
    assert "counterpoint init" in err


# -- init ------------------------------------------------------------------------------------------


def test_init_writes_the_shipped_config_to_the_xdg_dir_and_prints_its_path(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from counterpoint.config.paths import builtin_config_text

    code, out, _ = run(capsys, "init")
    target = isolated_home / "config" / "counterpoint" / "feeds.toml"
    assert code == 0
    assert out == f"{target}\n"
    assert target.read_text("utf-8") == builtin_config_text()


def test_init_never_overwrites_an_existing_config(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    code, out, err = run(capsys, "init")
    assert code == 2
    assert out == ""
    assert "exists already" in err
    assert path.read_bytes() == before


# -- list --------------------------------------------------------------------------------------


def test_list_json_has_the_contract_fields_and_a_status_per_feed(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install_config(isolated_home)
    code, out, _ = run(capsys, "feeds", "list", "--json")
    document = json.loads(out)
    assert code == 0
    assert document["schema_version"] == 1
    wire = next(o for o in document["outlets"] if o["name"] == "Wire One")
    assert set(wire) >= {"name", "affiliation", "feeds", "country", "language", "owner",
                         "funding", "source", "as_of", "notes", "feed_status"}
    assert [s["status"] for s in wire["feed_status"]] == ["never_fetched", "never_fetched"]


def test_list_never_creates_a_database(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install_config(isolated_home)
    run(capsys, "feeds", "list")
    assert not (isolated_home / "data").exists()


def test_list_shows_the_stored_status_of_each_feed(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install_config(isolated_home)
    now = utcnow()
    db = isolated_home / "data" / "counterpoint" / "counterpoint.sqlite"
    with Store(db) as store:
        store.save_feed(FeedState("https://wire.example/world.xml", "Wire One",
                                  status=FeedStatus.ERROR, error="HTTP 404 Not Found",
                                  http_status=404, checked_at=now))
    code, out, _ = run(capsys, "feeds", "list")
    assert code == 0
    assert "feed: https://wire.example/world.xml  error 0m ago: HTTP 404 Not Found" in out
    assert "feed: https://wire.example/region.xml  never fetched" in out


def test_list_changed_shows_changed_fields_old_and_new(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from counterpoint.config.paths import builtin_config_text

    text = builtin_config_text().replace('as_of       = "2026-11"', 'as_of       = "2030-01"', 1)
    path = isolated_home / "config" / "counterpoint" / "feeds.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    code, out, _ = run(capsys, "feeds", "list", "--changed")
    assert code == 0
    assert 'changed: IRNA (English)\n    as_of: "2026-11" → "2030-01"' in out


def test_list_and_help_import_nothing_heavy(isolated_home: Path) -> None:
    install_config(isolated_home)
    probe = ("import sys\nfrom counterpoint.cli.main import main\n"
             "main(['feeds', 'list']); main(['feeds', 'list', '--json'])\n"
             "try:\n    main(['feeds', '--help'])\nexcept SystemExit:\n    pass\n"
             "heavy = ['httpx', 'feedparser', 'rich.progress', 'sklearn', 'numpy', 'scipy', "
             "'tomlkit']\n"
             "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=os.environ.copy(), check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("action", ["list", "check", "balance", "add", "remove", "import",
                                    "export"])
def test_every_feeds_action_has_examples_in_its_help(
        action: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "feeds", action, "--help")
    assert f"examples:\n  counterpoint feeds {action}" in capsys.readouterr().out


def test_init_has_examples_in_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "init", "--help")
    assert "examples:\n  counterpoint init" in capsys.readouterr().out


# -- check -------------------------------------------------------------------------------------


def _fresh(server: FeedServer, path: str) -> str:
    return server.add(path, rss([("Today's story", utcnow() - timedelta(hours=2))]),
                      headers={"Content-Type": "application/rss+xml"})


@pytest.mark.parametrize("code", [301, 308])
def test_check_reports_a_permanent_redirect_with_the_url_to_put_in_feeds_toml(
        code: int, tmp_path: Path, feed_server: FeedServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    new = _fresh(feed_server, "/new.xml")
    old = feed_server.add("/old.xml", status=code, headers={"Location": "/new.xml"})
    config = write_config(tmp_path / "feeds.toml", [("Moved", "wire", [old])])
    status, out, _ = run(capsys, "--config", str(config), "feeds", "check")
    assert status == 0
    assert f"moved permanently to {new}" in out
    assert f"fix: in {config}, outlet 'Moved': replace \"{old}\" with \"{new}\"" in out


def test_check_reports_a_stale_feed(tmp_path: Path, feed_server: FeedServer,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    old = feed_server.add("/quiet.xml", rss([("Old story", utcnow() - timedelta(days=30))]))
    config = write_config(tmp_path / "feeds.toml", [("Quiet", "ngo", [old])])
    status, out, _ = run(capsys, "--config", str(config), "feeds", "check", "--json")
    feed = json.loads(out)["feeds"][0]
    assert status == 0
    assert feed["stale"] is True
    assert feed["items"] == 1
    assert feed["newest_age_seconds"] >= 30 * 86400 - 60


def test_check_marks_a_fresh_feed_healthy_and_not_stale(
        tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = _fresh(feed_server, "/fresh.xml")
    config = write_config(tmp_path / "feeds.toml", [("Fresh", "ngo", [url])])
    status, out, _ = run(capsys, "--config", str(config), "feeds", "check", "--json")
    feed = json.loads(out)["feeds"][0]
    assert status == 0
    assert (feed["status"], feed["healthy"], feed["stale"], feed["http_status"]) == (
        "ok", True, False, 200)
    assert feed["elapsed"] is not None


def test_check_exits_3_when_a_feed_is_dead(tmp_path: Path, feed_server: FeedServer,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    alive = _fresh(feed_server, "/alive.xml")
    dead = feed_server.url("/gone.xml")
    config = write_config(tmp_path / "feeds.toml", [("Alive", "wire", [alive]),
                                                    ("Dead", "ngo", [dead])])
    status, out, _ = run(capsys, "--config", str(config), "feeds", "check")
    assert status == 3
    assert "error: HTTP 404 Not Found" in out
    assert "fix: counterpoint feeds remove Dead" in out
    assert "2 feeds: 1 ok, 1 failed" in out


def test_check_stores_nothing(isolated_home: Path, tmp_path: Path, feed_server: FeedServer,
                              capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path / "feeds.toml", [("Fresh", "ngo",
                                                     [_fresh(feed_server, "/f.xml")])])
    run(capsys, "--config", str(config), "feeds", "check")
    assert not (isolated_home / "data").exists()


# -- balance -----------------------------------------------------------------------------------


def test_balance_json_names_thin_and_empty_classes(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path / "feeds.toml", [
        ("Gov A", "government", ["https://a.example/rss"]),
        ("Gov B", "government", ["https://b.example/rss"]),
        ("Wire A", "wire", ["https://w.example/rss"]),
        ("NGO A", "ngo", ["https://n.example/rss"]),
        ("NGO B", "ngo", ["https://m.example/rss"]),
    ])
    now = utcnow()
    db = tmp_path / "db.sqlite"
    with Store(db) as store:
        for url in ("https://a.example/rss", "https://b.example/rss", "https://w.example/rss"):
            store.save_feed(FeedState(url, "x", status=FeedStatus.OK, checked_at=now, last_ok=now))
        for url in ("https://n.example/rss", "https://m.example/rss"):
            store.save_feed(FeedState(url, "x", status=FeedStatus.ERROR, error="HTTP 500",
                                      checked_at=now))
    status, out, _ = run(capsys, "--config", str(config), "--db", str(db), "feeds", "balance",
                         "--json")
    document = json.loads(out)
    states = {row["affiliation"]: row["state"] for row in document["classes"]}
    assert status == 0
    assert document["schema_version"] == 1
    assert states == {"government": "ok", "independent": "empty", "ngo": "empty",
                      "opposition": "empty", "wire": "thin"}
    assert document["thin"] == ["wire"]
    assert document["empty"] == ["independent", "ngo", "opposition"]
    gov = next(row for row in document["classes"] if row["affiliation"] == "government")
    assert (gov["outlets"], gov["healthy_feeds"], gov["weight"]) == (2, 2, 1.0)


def test_balance_says_never_fetched_when_the_store_has_nothing(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install_config(isolated_home)
    status, out, _ = run(capsys, "feeds", "balance")
    assert status == 0
    assert "Never fetched" in out
    assert "never fetched: government, wire" in out
    assert not (isolated_home / "data").exists()


def test_check_respects_a_stored_retry_after(tmp_path: Path, feed_server: FeedServer,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    url = _fresh(feed_server, "/busy.xml")
    config = write_config(tmp_path / "feeds.toml", [("Busy", "wire", [url])])
    db = tmp_path / "db.sqlite"
    with Store(db) as store:
        store.save_feed(FeedState(url, "Busy", status=FeedStatus.ERROR, error="HTTP 429",
                                  retry_after=utcnow() + timedelta(hours=1)))
    status, out, _ = run(capsys, "--config", str(config), "--db", str(db), "feeds", "check")
    assert status == 3
    assert "not checked: server asked to wait until" in out
    assert feed_server.requests_to("/busy.xml") == []
