"""config.labels: what a user's feeds.toml changes from the shipped labels."""

from __future__ import annotations

from pathlib import Path

from counterpoint.config.edit import NewOutlet, add_outlets, remove_outlet
from counterpoint.config.labels import label_changes
from counterpoint.config.load import parse_config
from counterpoint.config.paths import builtin_config_text

PATH = Path("/home/user/.config/counterpoint/feeds.toml")


def test_label_changes_names_fields_changed_outlets_added_and_removed() -> None:
    shipped = parse_config(builtin_config_text(), None)
    first = shipped.outlets[0]
    text = builtin_config_text().replace(f'as_of       = "{first.as_of}"',
                                         'as_of       = "2030-01"', 1)
    text = remove_outlet(text, PATH, shipped.outlets[-1].name).new
    text = add_outlets(text, PATH, [NewOutlet("New Outlet", "ngo",
                                              ("https://new.example/rss",))]).new
    changes = label_changes(shipped, parse_config(text, PATH))
    assert changes.changed == {first.name: {"as_of": (first.as_of, "2030-01")}}
    assert [o.name for o in changes.added] == ["New Outlet"]
    assert [o.name for o in changes.removed] == [shipped.outlets[-1].name]
