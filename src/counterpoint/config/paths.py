"""Where Counterpoint reads its config and keeps its data (XDG base directories)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP = "counterpoint"
BUILTIN_CONFIG_NAME = "<built-in feeds.toml>"


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var, "")
    # The XDG spec says relative values are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / APP


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / APP


def builtin_config_text() -> str:
    return resources.files("counterpoint").joinpath("config/feeds.toml").read_text("utf-8")


def resolve_config(explicit: str | None) -> Path | None:
    """The config file to use, or None for the default shipped in the package.

    Order (CONTRACT.md): --config, $COUNTERPOINT_CONFIG, ./feeds.toml,
    $XDG_CONFIG_HOME/counterpoint/feeds.toml, then the built-in default.
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get("COUNTERPOINT_CONFIG")
    if env:
        return Path(env)
    local = Path("feeds.toml")
    if local.is_file():
        return local
    user = config_dir() / "feeds.toml"
    if user.is_file():
        return user
    return None


def resolve_db(explicit: str | None) -> Path:
    """--db, else $COUNTERPOINT_DB, else $XDG_DATA_HOME/counterpoint/counterpoint.sqlite."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("COUNTERPOINT_DB")
    if env:
        return Path(env)
    return data_dir() / "counterpoint.sqlite"


def briefings_dir() -> Path:
    return data_dir() / "briefings"
