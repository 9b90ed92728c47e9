"""config.write: one edit of feeds.toml at a time; new files readable like init's."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from counterpoint.config.write import edit_lock, write_config
from counterpoint.errors import WriteError


def test_a_second_edit_waits_says_so_and_gives_up_after_its_timeout(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    held, release = threading.Event(), threading.Event()

    def first_edit() -> None:
        with edit_lock(config):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first_edit)
    thread.start()
    held.wait(10)
    told: list[str] = []
    try:
        with pytest.raises(WriteError, match="being edited by another"), \
                edit_lock(config, told.append, timeout=0.3):
            pass
    finally:
        release.set()
        thread.join()
    assert told == [f"waiting for another edit of {config} to finish…"]
    with edit_lock(config, told.append, timeout=0.3):  # free again: no wait, no message
        pass
    assert len(told) == 1


def test_write_config_keeps_the_mode_of_an_existing_file(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text("old")
    config.chmod(0o600)
    write_config(config, "new")
    assert config.read_text() == "new" and config.stat().st_mode & 0o777 == 0o600
