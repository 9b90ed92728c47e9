"""feedsedit: outlets added and removed as text, every other byte kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterpoint.config.edit import (
    EditError,
    NewOutlet,
    add_outlets,
    label_changes,
    outlet_block,
    remove_outlet,
)
from counterpoint.config.load import parse_config
from counterpoint.config.paths import builtin_config_text
from feedshelp import COMMENTED

PATH = Path("/home/user/.config/counterpoint/feeds.toml")


@pytest.fixture
def text() -> str:
    return COMMENTED.read_text("utf-8")


def _new(name: str = "New Outlet", affiliation: str = "ngo",
         url: str = "https://new.example/rss", **fields: str) -> NewOutlet:
    return NewOutlet(name, affiliation, (url,), fields)


def test_add_inserts_one_block_and_keeps_every_other_byte(text: str) -> None:
    edit = add_outlets(text, PATH, [_new()])
    block = "\n" + outlet_block(_new())
    at = edit.new.index(block)
    assert edit.new[:at] + edit.new[at + len(block):] == text


def test_add_places_the_outlet_after_the_last_outlet_before_trailing_comments(text: str) -> None:
    edit = add_outlets(text, PATH, [_new()])
    new = edit.new
    assert new.index('name = "Wire One"') < new.index('"New Outlet"') \
        < new.index("# ---- Topics follow")


def test_add_writes_the_label_fields_given(text: str) -> None:
    edit = add_outlets(text, PATH, [_new(country="FR", source="https://x.example/about",
                                         notes='says "hi"\nand more')])
    outlet = parse_config(edit.new, PATH).outlet("New Outlet")
    assert outlet is not None
    assert (outlet.country, outlet.source, outlet.notes) == (
        "FR", "https://x.example/about", 'says "hi"\nand more')


def test_add_existing_name_with_new_url_adds_the_feed_to_that_outlet(text: str) -> None:
    edit = add_outlets(text, PATH, [_new("Wire One", "wire", "https://wire.example/fa.xml")])
    outlet = parse_config(edit.new, PATH).outlet("Wire One")
    assert outlet is not None
    assert outlet.feeds[-1] == "https://wire.example/fa.xml"
    assert "# world desk" in edit.new
    assert edit.changes == ("outlet 'Wire One' exists: added feed https://wire.example/fa.xml "
                            "to it",)


def test_add_refuses_an_unknown_class(text: str) -> None:
    with pytest.raises(EditError, match="unknown affiliation 'tabloid'"):
        add_outlets(text, PATH, [_new(affiliation="tabloid")])


def test_add_refuses_a_feed_configured_for_another_outlet(text: str) -> None:
    with pytest.raises(EditError, match="already a feed of 'Wire One'"):
        add_outlets(text, PATH, [_new(url="https://wire.example/world.xml")])


def test_add_refuses_an_existing_name_with_another_class(text: str) -> None:
    with pytest.raises(EditError, match="duplicate name: outlet 'State Daily' exists"):
        add_outlets(text, PATH, [_new("State Daily", "independent")])


def test_add_refuses_an_existing_name_with_a_different_label(text: str) -> None:
    with pytest.raises(EditError, match="different country"):
        add_outlets(text, PATH, [_new("State Daily", "government", country="YY")])


def test_remove_deletes_the_outlet_block_and_nothing_else(text: str) -> None:
    edit = remove_outlet(text, PATH, "State Daily")
    start = text.index("[[outlets]]\nname        = \"State Daily\"")
    end = text.index("# ---- Wires")
    assert edit.new == text[:start] + text[end:]


def test_remove_keeps_the_comments_after_the_last_outlet(text: str) -> None:
    edit = remove_outlet(text, PATH, "Wire One")
    assert "# ---- Topics follow; this comment belongs to no outlet" in edit.new
    assert "Wire One" not in edit.new
    assert "[[outlets]] inside a string" not in edit.new
    assert parse_config(edit.new, PATH).topics == parse_config(text, PATH).topics


def test_remove_refuses_an_unknown_name_and_suggests_a_close_one(text: str) -> None:
    with pytest.raises(EditError, match="did you mean 'Wire One'"):
        remove_outlet(text, PATH, "Wire 1")


def test_remove_refuses_to_leave_no_outlet(text: str) -> None:
    once = remove_outlet(text, PATH, "State Daily").new
    with pytest.raises(EditError, match="no outlets"):
        remove_outlet(once, PATH, "Wire One")


@pytest.mark.slow
def test_every_shipped_outlet_can_be_removed_and_added_back() -> None:
    shipped = builtin_config_text()
    config = parse_config(shipped, PATH)
    for outlet in config.outlets:
        removed = remove_outlet(shipped, PATH, outlet.name).new
        fields = {key: getattr(outlet, key) for key in
                  ("country", "language", "owner", "funding", "source", "as_of", "notes")}
        back = add_outlets(removed, PATH, [NewOutlet(outlet.name, outlet.affiliation,
                                                     outlet.feeds, fields)]).new
        assert parse_config(back, PATH).outlet(outlet.name) == outlet


def test_label_changes_names_fields_changed_outlets_added_and_removed() -> None:
    shipped = parse_config(builtin_config_text(), None)
    first = shipped.outlets[0]
    text = builtin_config_text().replace(f'as_of       = "{first.as_of}"',
                                         'as_of       = "2030-01"', 1)
    text = remove_outlet(text, PATH, shipped.outlets[-1].name).new
    text = add_outlets(text, PATH, [_new()]).new
    changes = label_changes(shipped, parse_config(text, PATH))
    assert changes.changed == {first.name: {"as_of": (first.as_of, "2030-01")}}
    assert [o.name for o in changes.added] == ["New Outlet"]
    assert [o.name for o in changes.removed] == [shipped.outlets[-1].name]


def test_add_keeps_windows_line_endings(text: str) -> None:
    crlf = text.replace("\n", "\r\n")
    edit = add_outlets(crlf, PATH, [_new()])
    assert "\n" not in edit.new.replace("\r\n", "")
    assert parse_config(edit.new, PATH).outlet("New Outlet") is not None
