"""Helpers for the `feeds` tests: a commented user config, RSS documents, running the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from counterpoint.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
COMMENTED = FIXTURES / "config" / "commented.toml"
OPML = FIXTURES / "opml"


def install_config(home: Path, source: Path = COMMENTED) -> Path:
    """Put `source` where a user's feeds.toml lives ($XDG_CONFIG_HOME/counterpoint/)."""
    target = home / "config" / "counterpoint" / "feeds.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def write_config(path: Path, outlets: Sequence[tuple[str, str, Sequence[str]]],
                 settings: str = "timeout = 5\n") -> Path:
    blocks = [f"[settings]\n{settings}"]
    for name, affiliation, feeds in outlets:
        urls = ", ".join(f'"{url}"' for url in feeds)
        blocks.append(f'[[outlets]]\nname = "{name}"\naffiliation = "{affiliation}"\n'
                      f"feeds = [{urls}]\n")
    path.write_text("\n".join(blocks), "utf-8")
    return path


def rss(items: Sequence[tuple[str, datetime | None]], title: str = "A feed") -> bytes:
    entries = []
    for n, (headline, when) in enumerate(items):
        date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
        entries.append(f"<item><title>{escape(headline)}</title>"
                       f"<link>https://example.org/{n}</link><guid>id-{n}</guid>{date}</item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>https://example.org/</link>"
            f"{''.join(entries)}</channel></rss>").encode()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
