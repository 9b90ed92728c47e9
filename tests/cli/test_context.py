"""The front page on a terminal: paged like git when taller than the screen, `--no-pager`
printing it straight, and no pager off a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counterpoint.cli.main import main

FEEDS = Path(__file__).parents[2] / "examples" / "feeds"


@pytest.fixture
def stored(tmp_path: Path) -> list[str]:
    """Two saved feeds of the offline example (43 items), fetched into a fresh database."""
    config = tmp_path / "feeds.toml"
    config.write_text(f"""[settings]
window = "9000d"

[[outlets]]
name = "BBC News"
affiliation = "independent"
feeds = ["{FEEDS / 'bbc-news-home_2020-05-12.xml'}"]

[[outlets]]
name = "RNZ"
affiliation = "government"
feeds = ["{FEEDS / 'rnz-headlines_2020-05-12.xml'}"]
""")
    args = ["--config", str(config), "--db", str(tmp_path / "db.sqlite")]
    assert main([*args, "fetch", "--json"]) == 0
    return args


def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "counterpoint", *args], stdin=follower,
                               stdout=follower, stderr=subprocess.DEVNULL,
                               env={**os.environ, "COLUMNS": "80", "LINES": "20", **env})
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(10) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_page_taller_than_the_screen_goes_through_the_pager_with_less_frx(
        stored: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    paged = tmp_path / "paged.txt"
    pager = f"sh -c 'echo LESS=$LESS > {paged}; cat >> {paged}'"
    shown = on_a_terminal([*stored, "digest", "--offline"], {"PAGER": pager})
    text = paged.read_text()
    assert text.startswith("LESS=FRX\n")
    assert "TOP STORIES" in text and "READING LIST" in text
    assert "TOP STORIES" not in shown  # the pager had it all


def test_no_pager_prints_the_page_on_the_terminal(stored: list[str], tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    shown = on_a_terminal([*stored, "digest", "--offline", "--no-pager"],
                          {"PAGER": f"sh -c 'cat > {paged}'"})
    assert "TOP STORIES" in shown and not paged.exists()


def test_no_pager_off_a_terminal(stored: list[str], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {paged}'")
    assert main([*stored, "digest", "--offline"]) == 0
    assert "TOP STORIES" in capsys.readouterr().out and not paged.exists()
