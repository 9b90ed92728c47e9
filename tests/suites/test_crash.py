"""Crash safety and concurrency, with real processes: kill -9 mid-fetch and mid-brief, Ctrl-C,
two runs on one database.

Each run is `python -m counterpoint` in a subprocess against a local server whose slow feed
keeps the run busy for as long as the test needs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from feedserver import FeedServer
from rss import Entry, rss

FAST_FEEDS = 12
ITEMS_PER_FEED = 40


def slow_feed(handler: BaseHTTPRequestHandler) -> None:
    """Headers at once, then a trickle of bytes for up to a minute."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    try:
        handler.wfile.write(b"<?xml version='1.0'?><rss version='2.0'><channel>")
        for _ in range(600):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def setup_feeds(server: FeedServer, tmp_path: Path) -> tuple[Path, Path]:
    outlets = []
    for n in range(FAST_FEEDS):
        body = rss([Entry(f"Story {n}-{k} about the Strait of Hormuz", hours_ago=1 + k / 10)
                    for k in range(ITEMS_PER_FEED)], f"fast{n}")
        url = server.add(f"/fast{n}.xml", body)
        outlets.append((f"Fast {n}", "wire" if n % 2 else "government", url))
    outlets.append(("Slow", "ngo", server.add("/slow.xml", handler=slow_feed)))
    config = tmp_path / "feeds.toml"
    config.write_text("[settings]\ntimeout = 60\n" + "".join(
        f'\n[[outlets]]\nname = "{name}"\naffiliation = "{aff}"\nfeeds = ["{url}"]\n'
        for name, aff, url in outlets))
    return config, tmp_path / "db.sqlite"


def counterpoint(config: Path, db: Path, *args: str, preamble: str = "") -> subprocess.Popen[str]:
    code = preamble + "import sys\nfrom counterpoint.cli.main import main\nsys.exit(main())"
    return subprocess.Popen([sys.executable, "-c", code, "--config", str(config), "--db", str(db),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def stop(run: subprocess.Popen[str]) -> tuple[str, str]:
    """Kill the run's whole process group (workers included) and collect its output."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(run.pid, signal.SIGKILL)
    return run.communicate(timeout=30)


def wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def committed_items(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError:
        return 0
    try:
        return int(conn.execute("SELECT COUNT(*) FROM items").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.slow
def test_kill_9_during_a_fetch_keeps_every_committed_item(tmp_path: Path,
                                                         feed_server: FeedServer) -> None:
    config, db = setup_feeds(feed_server, tmp_path)
    run = counterpoint(config, db, "fetch")
    try:
        wait_for(lambda: committed_items(db) == FAST_FEEDS * ITEMS_PER_FEED)
        wait_for(lambda: len(feed_server.requests_to("/slow.xml")) == 1)
        before = committed_items(db)
        os.kill(run.pid, signal.SIGKILL)
        assert run.wait(10) == -signal.SIGKILL
    finally:
        stop(run)
    assert integrity(db) == "ok"
    assert committed_items(db) == before == FAST_FEEDS * ITEMS_PER_FEED
    # The lock died with the process: the next run is not blocked.
    feed_server.add("/slow.xml", rss([Entry("Slow feed finally answers")], "slow"))
    rerun = subprocess.run([sys.executable, "-m", "counterpoint", "--config", str(config),
                            "--db", str(db), "-q", "fetch"], capture_output=True, text=True,
                           timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert committed_items(db) == before + 1


@pytest.mark.slow
def test_kill_9_at_random_moments_while_items_are_written(tmp_path: Path,
                                                         feed_server: FeedServer) -> None:
    config, db = setup_feeds(feed_server, tmp_path)
    for delay in (0.3, 0.5, 0.7, 0.9):
        run = counterpoint(config, db, "fetch")
        time.sleep(delay)
        before = committed_items(db)
        os.kill(run.pid, signal.SIGKILL)
        run.wait(10)
        stop(run)
        assert integrity(db) == "ok"
        assert committed_items(db) >= before


@pytest.mark.slow
def test_kill_9_while_writing_a_brief_leaves_no_partial_file(tmp_path: Path,
                                                            feed_server: FeedServer) -> None:
    """SIGKILL lands between writing the briefing and renaming it into place (os.fsync is the
    last step before the rename): the previous briefing is untouched, no half file appears."""
    config, db = setup_feeds(feed_server, tmp_path)
    feed_server.add("/slow.xml", rss([Entry("Slow feed answers")], "slow"))
    subprocess.run([sys.executable, "-m", "counterpoint", "--config", str(config), "--db",
                    str(db), "-q", "fetch"], check=True, capture_output=True, timeout=60)
    brief = tmp_path / "briefings" / "today.md"
    brief.parent.mkdir()
    brief.write_text("# yesterday's complete briefing\n")
    kill_at_fsync = ("import os, signal\n"
                     "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n")
    run = counterpoint(config, db, "brief", "--offline", "-o", str(brief),
                       preamble=kill_at_fsync)
    try:
        run.wait(60)
    finally:
        stop(run)
    assert run.returncode == -signal.SIGKILL
    assert brief.read_text() == "# yesterday's complete briefing\n"
    assert [p.name for p in brief.parent.iterdir() if not p.name.startswith(".")] == ["today.md"]
    assert integrity(db) == "ok"
    # And a run that is not killed replaces it whole.
    done = subprocess.run([sys.executable, "-m", "counterpoint", "--config", str(config),
                           "--db", str(db), "brief", "--offline", "-o", str(brief)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert brief.read_text().startswith("# Counterpoint briefing")


def test_ctrl_c_exits_promptly_with_a_message(tmp_path: Path, feed_server: FeedServer) -> None:
    config, db = setup_feeds(feed_server, tmp_path)
    run = counterpoint(config, db, "fetch")
    try:
        wait_for(lambda: len(feed_server.requests_to("/slow.xml")) == 1)
        wait_for(lambda: committed_items(db) == FAST_FEEDS * ITEMS_PER_FEED)
        started = time.monotonic()
        os.kill(run.pid, signal.SIGINT)
        run.wait(10)
        elapsed = time.monotonic() - started
    finally:
        _, err = stop(run)
    assert elapsed < 3
    assert run.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    assert integrity(db) == "ok"
    assert committed_items(db) == FAST_FEEDS * ITEMS_PER_FEED


@pytest.mark.slow
def test_a_second_run_on_the_same_database_is_refused_clearly(tmp_path: Path,
                                                             feed_server: FeedServer) -> None:
    config, db = setup_feeds(feed_server, tmp_path)
    first = counterpoint(config, db, "fetch")
    try:
        wait_for(lambda: len(feed_server.requests_to("/slow.xml")) == 1)
        second = subprocess.run([sys.executable, "-m", "counterpoint", "--config", str(config),
                                 "--db", str(db), "fetch"], capture_output=True, text=True,
                                timeout=30)
        assert second.returncode == 1
        assert "another counterpoint run is in progress" in second.stderr
        assert f"pid {first.pid}" in second.stderr
        assert "Traceback" not in second.stderr
        # Reading needs no lock: an offline digest works while the fetch runs.
        reader = subprocess.run([sys.executable, "-m", "counterpoint", "--config", str(config),
                                 "--db", str(db), "digest", "--offline", "--json"],
                                capture_output=True, text=True, timeout=30)
        assert reader.returncode == 0, reader.stderr
    finally:
        first.send_signal(signal.SIGINT)
        first.wait(10)
        stop(first)
    assert integrity(db) == "ok"


def test_concurrent_writers_through_sqlite_never_corrupt(tmp_path: Path) -> None:
    """Even without the run lock (two Store objects, two processes), SQLite's own locking and
    our short transactions keep every write."""
    db = tmp_path / "db.sqlite"
    writer = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from counterpoint.models import Item
from counterpoint.store.db import Store
tag = sys.argv[2]
now = datetime.now(UTC)
with Store(Path(sys.argv[1])) as store:
    for batch in range(40):
        store.add_items([Item(tag, "wire", "u", f"{tag}-{batch}-{n}", "t", "", None, now)
                         for n in range(25)], now)
"""
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(db), tag])
             for tag in ("A", "B", "C")]
    try:
        assert [p.wait(60) for p in procs] == [0, 0, 0]
    finally:
        for p in procs:
            p.kill()
            p.wait()
    assert integrity(db) == "ok"
    assert committed_items(db) == 3 * 40 * 25
