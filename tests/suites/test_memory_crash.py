"""Story memory under concurrency and crashes, with real processes: two digests at once, a
kill -9 between fetch and digest, a kill -9 inside the memory transaction. Memory stays
consistent: no story is shown as new twice, and no run's record is half written or lost."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from feedserver import FeedServer
from rss import Entry, rss

TOPICS = ["Parliament passes budget bill", "Drought hits wheat harvest",
          "Football club wins national cup", "Central bank raises interest rate",
          "Earthquake shakes mountain villages"]


def setup(server: FeedServer, tmp_path: Path, slow: bool = False) -> list[str]:
    outlets = []
    for n, aff in enumerate(("wire", "government", "opposition")):
        entries = [Entry(f"{topic} ({aff} report)", hours_ago=1 + k) for k, topic in
                   enumerate(TOPICS)]
        outlets.append((f"Outlet {n}", aff, server.add(f"/f{n}.xml", rss(entries, f"f{n}"))))
    if slow:
        def answer_late(handler: BaseHTTPRequestHandler) -> None:
            time.sleep(3)
            body = rss([Entry("Slow feed's own story about a ferry")], "slow")
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        outlets.append(("Slow", "ngo", server.add("/slow.xml", handler=answer_late)))
    config = tmp_path / "feeds.toml"
    config.write_text("".join(f'[[outlets]]\nname = "{name}"\naffiliation = "{aff}"\n'
                              f'feeds = ["{url}"]\n\n' for name, aff, url in outlets))
    return ["--config", str(config), "--db", str(tmp_path / "db.sqlite"), "-q"]


def start(args: list[str], *extra: str, preamble: str = "") -> subprocess.Popen[str]:
    code = preamble + "import sys\nfrom counterpoint.cli.main import main\nsys.exit(main())"
    return subprocess.Popen([sys.executable, "-c", code, *args, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(run: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = run.communicate(timeout=120)
    return run.returncode, out, err


def statuses(out: str) -> dict[str, str]:
    return {s["key"]: s["status"] for s in json.loads(out)["stories"]}


def runs(args: list[str]) -> int:
    db = sqlite3.connect(args[args.index("--db") + 1])
    try:
        return int(db.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    finally:
        db.close()


def test_two_offline_digests_at_once_never_both_show_a_story_as_new(
        tmp_path: Path, feed_server: FeedServer) -> None:
    args = setup(feed_server, tmp_path)
    assert subprocess.run([sys.executable, "-m", "counterpoint", *args, "fetch"],
                          capture_output=True, timeout=120).returncode == 0
    pair = [start(args, "digest", "--offline", "--json") for _ in range(2)]
    (code1, out1, err1), (code2, out2, err2) = (finish(p) for p in pair)
    assert (code1, code2) == (0, 0), err1 + err2
    first, second = statuses(out1), statuses(out2)
    assert first.keys() == second.keys() and len(first) == len(TOPICS)
    # SQLite serialised the two memory transactions: one run saw everything new, the other
    # saw what the first recorded.
    assert sorted([sorted(set(first.values())), sorted(set(second.values()))]) == [
        ["new"], ["seen"]]
    assert runs(args) == 2


@pytest.mark.slow
def test_a_second_fetching_digest_is_refused_and_records_nothing(
        tmp_path: Path, feed_server: FeedServer) -> None:
    args = setup(feed_server, tmp_path, slow=True)
    first = start(args, "digest", "--json")
    deadline = time.monotonic() + 20
    while not feed_server.requests_to("/slow.xml"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    code, _, err = finish(start(args, "digest", "--json"))
    assert code == 1 and "another counterpoint run is in progress" in err
    code, out, err = finish(first)
    assert code == 0, err
    assert set(statuses(out).values()) == {"new"}
    assert runs(args) == 1


KILL_AFTER_FETCH = ("import os, signal\nimport counterpoint.analysis.digest as d\n"
                    "d.build_digest = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n")
KILL_BEFORE_COMMIT = ("import os, signal\nimport counterpoint.store.memory as m\n"
                      "m.prune = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n")


@pytest.mark.slow
def test_kill_9_between_fetch_and_digest_or_inside_the_record_loses_nothing(
        tmp_path: Path, feed_server: FeedServer) -> None:
    args = setup(feed_server, tmp_path)
    for preamble in (KILL_AFTER_FETCH, KILL_BEFORE_COMMIT):
        killed = start(args, "digest", "--json", preamble=preamble)
        assert finish(killed)[0] == -signal.SIGKILL
        assert runs(args) == 0  # the memory transaction never committed

    code, out, err = finish(start(args, "digest", "--offline", "--json"))
    assert code == 0, err
    shown = statuses(out)
    assert len(shown) == len(TOPICS) and set(shown.values()) == {"new"}  # nothing lost
    code, out, _ = finish(start(args, "digest", "--offline", "--json"))
    assert statuses(out) == dict.fromkeys(shown, "seen")  # and nothing shown as new twice
    assert runs(args) == 2
    db = sqlite3.connect(args[args.index("--db") + 1])
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
