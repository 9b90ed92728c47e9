"""The front page on a terminal: paged like git when taller than the screen, `--no-pager`
printing it straight, and no pager off a terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from terminal import on_a_terminal

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


def on_screen(args: list[str], env: dict[str, str]) -> str:
    base = {key: value for key, value in os.environ.items() if key != "LESS"}
    return on_a_terminal(args, {**base, "COLUMNS": "80", "LINES": "20", **env})


def test_a_page_taller_than_the_screen_goes_through_the_pager_with_less_frx(
        stored: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    paged = tmp_path / "paged.txt"
    pager = f"sh -c 'echo LESS=$LESS > {paged}; cat >> {paged}'"
    shown = on_screen([*stored, "digest", "--offline"], {"PAGER": pager})
    text = paged.read_text()
    assert text.startswith("LESS=FRX\n")
    assert "TOP STORIES" in text and "READING LIST" in text
    assert "TOP STORIES" not in shown  # the pager had it all


def test_no_pager_prints_the_page_on_the_terminal(stored: list[str], tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    shown = on_screen([*stored, "digest", "--offline", "--no-pager"],
                      {"PAGER": f"sh -c 'cat > {paged}'"})
    assert "TOP STORIES" in shown and not paged.exists()


def test_no_pager_off_a_terminal(stored: list[str], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {paged}'")
    assert main([*stored, "digest", "--offline"]) == 0
    assert "TOP STORIES" in capsys.readouterr().out and not paged.exists()


def piped(args: list[str], *, stderr_columns: int | None) -> str:
    """stdout to a pipe (`counterpoint digest | less`); stderr on a pty of `stderr_columns`
    columns, or to a file when None. No $COLUMNS."""
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    if stderr_columns is None:
        done = subprocess.run([sys.executable, "-m", "counterpoint", *args], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0
        return done.stdout
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, stderr_columns, 0, 0))
    try:
        done = subprocess.run([sys.executable, "-m", "counterpoint", *args], env=env,
                              stdout=subprocess.PIPE, stderr=follower, text=True, timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 0
    return done.stdout


def test_piped_from_a_terminal_the_page_wraps_at_that_terminals_width(
        stored: list[str]) -> None:
    args = [*stored, "--no-color", "digest", "--offline"]
    at_70 = piped(args, stderr_columns=70).splitlines()
    assert "TOP STORIES" in "\n".join(at_70)
    # Every line but links (each whole on its own line, for the terminal to soft-wrap).
    assert max(len(line) for line in at_70 if not line.strip().startswith("http")) <= 70
    # Off any terminal (cron, a file) the width stays the documented 100.
    unattended = piped(args, stderr_columns=None).splitlines()
    assert 70 < max(len(line) for line in unattended if not line.strip().startswith("http")) <= 100
