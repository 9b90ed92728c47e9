"""Every malformed, mis-encoded or odd feed of the shared corpus parses or fails cleanly.

The fixtures are the 105 files of `shared/data/feeds/malformed/` (big ones trimmed, see
fixtures/malformed/README.md). `EXPECTED.json` pins what each one yields, so a parser change
that loses items or starts failing shows up by name. Regenerate it after a deliberate change:
`python tests/test_malformed.py`.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from counterpoint.cli.main import main
from counterpoint.parse.feed import ParsedFeed, parse_feed
from feedserver import FeedServer
from safety import assert_clean_items, assert_clean_text, assert_one_line_error

MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"
EXPECTED_PATH = MALFORMED / "EXPECTED.json"
FILES = sorted(p.name for p in MALFORMED.iterdir() if p.name not in ("README.md", "EXPECTED.json"))
FETCHED_AT = datetime(2026, 5, 1, tzinfo=UTC)


def _parse(name: str) -> ParsedFeed:
    return parse_feed((MALFORMED / name).read_bytes(), "https://example.org/feed.xml", "Outlet",
                      "wire", FETCHED_AT)


def _outcome(parsed: ParsedFeed) -> dict[str, Any]:
    return {"items": len(parsed.items), "error": parsed.error}


def test_the_corpus_is_all_there() -> None:
    assert len(FILES) == 105
    assert set(json.loads(EXPECTED_PATH.read_text())) == set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_malformed_feed_parses_or_fails_cleanly(name: str) -> None:
    started = time.monotonic()
    parsed = _parse(name)
    assert time.monotonic() - started < 5
    assert_clean_items(parsed.items)
    assert_clean_text(parsed.title)
    if parsed.error:
        assert not parsed.items
        assert_one_line_error(parsed.error)
    assert _outcome(parsed) == json.loads(EXPECTED_PATH.read_text())[name]


def test_the_whole_corpus_through_one_fetch_run(tmp_path: Path, feed_server: FeedServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Served over HTTP as one run (a process pool parses them): every feed gets a status,
    failures are one line each, the run finishes and exits 3 (some feeds failed)."""
    outlets = []
    for n, name in enumerate(FILES):
        body = (MALFORMED / name).read_bytes()
        headers = {"Content-Type": "application/json" if name.endswith(".json")
                   else "application/xml"}
        url = feed_server.add(f"/f{n}", body, headers=headers)
        outlets.append(f'[[outlets]]\nname = "Outlet {n}"\naffiliation = "wire"\n'
                       f'feeds = ["{url}"]\n')
    config = tmp_path / "feeds.toml"
    config.write_text("[settings]\ntimeout = 10\n\n" + "\n".join(outlets))
    started = time.monotonic()
    code = main(["--config", str(config), "--db", str(tmp_path / "db.sqlite"), "-q",
                 "fetch", "--json"])
    elapsed = time.monotonic() - started
    feeds = json.loads(capsys.readouterr().out)["feeds"]
    assert code == 3 and elapsed < 30
    assert len(feeds) == len(FILES)
    expected = json.loads(EXPECTED_PATH.read_text())
    for n, name in enumerate(FILES):
        feed = feeds[n]
        assert feed["outlet"] == f"Outlet {n}"
        if expected[name]["error"]:
            assert feed["status"] == "error", name
            assert_one_line_error(feed["error"])
        else:
            assert feed["status"] == "ok", (name, feed["error"])


if __name__ == "__main__":
    table = {name: _outcome(_parse(name)) for name in FILES}
    EXPECTED_PATH.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {EXPECTED_PATH} ({len(table)} files)", file=sys.stderr)
