"""The [gazetteer] table of feeds.toml: extra names for cross-language linking, and one clear
line naming file, line and key for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterpoint.config.load import load_config
from counterpoint.errors import ConfigError
from counterpoint.models import GazetteerEntry
from counterpoint.stories.gazetteer import configured_gazetteer, shipped_gazetteer

GOOD = """\
[[outlets]]
name = "Agency"
affiliation = "wire"
feeds = ["https://example.org/rss.xml"]

[gazetteer]
"""


def load(tmp_path: Path, table: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "feeds.toml"
    path.write_text(GOOD + table, encoding="utf-8")
    return load_config(str(path))


def error_for(tmp_path: Path, table: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, table)
    return caught.value


def test_entries_load_in_both_table_forms(tmp_path: Path) -> None:
    config = load(tmp_path, 'new_governor = { en = ["Ali Rezvani"], fa = ["علی رضوانی"] }\n'
                            '\n[gazetteer.trump]\nfa = ["ترمپ"]\nweak = true\n')
    assert config.gazetteer == (
        GazetteerEntry("new_governor", ("Ali Rezvani",), ("علی رضوانی",)),
        GazetteerEntry("trump", (), ("ترمپ",), weak=True),
    )


def test_entries_extend_the_shipped_gazetteer(tmp_path: Path) -> None:
    config = load(tmp_path, 'new_governor = { en = ["Ali Rezvani"], fa = ["علی رضوانی"] }\n'
                            'trump = { fa = ["ترمپ"] }\n')
    gazetteer = configured_gazetteer(config.gazetteer)
    assert gazetteer.anchors("استاندار جدید علی رضوانی") == ["new_governor"]
    assert gazetteer.anchors("Governor Ali Rezvani") == ["new_governor"]
    assert gazetteer.anchors("ترمپ") == ["trump"]  # an extra spelling of a shipped entity
    assert gazetteer.anchors("ترامپ") == ["trump"]  # which keeps its own
    assert shipped_gazetteer().anchors("علی رضوانی") == []  # the shipped one is unchanged


def test_a_town_marked_as_a_place_is_one(tmp_path: Path) -> None:
    config = load(tmp_path, 'ashford = { en = ["Ashford"], place = true }\n'
                            'guild = { en = ["Ashford Guild"] }\n')
    assert config.gazetteer[0] == GazetteerEntry("ashford", ("Ashford",), (), place=True)
    gazetteer = configured_gazetteer(config.gazetteer)
    assert gazetteer.entities["ashford"].kind == "places"
    assert gazetteer.entities["guild"].kind != "places"


@pytest.mark.parametrize(("table", "key", "message"), [
    ("x = 3\n", "gazetteer.x", "must be a table"),
    ('x = { en = [3] }\n', "gazetteer.x.en", "list of non-empty strings"),
    ('x = { en = [], fa = [] }\n', "gazetteer.x", "at least one spelling"),
    ('Big = { en = ["a"] }\n', "gazetteer.Big", "lower-case"),
    ('x = { en = ["a"], spelling = "b" }\n', "gazetteer.x.spelling", "unknown key"),
    ('x = { en = ["a"], weak = "yes" }\n', "gazetteer.x.weak", "true or false"),
    ('x = { en = ["a"], place = 1 }\n', "gazetteer.x.place", "true or false"),
])
def test_mistakes_name_file_line_and_key(tmp_path: Path, table: str, key: str,
                                         message: str) -> None:
    error = error_for(tmp_path, table)
    assert error.key == key
    assert error.line == 7
    assert message in str(error)
    assert str(error).startswith(f"{tmp_path / 'feeds.toml'}:7:")


def test_a_mistake_in_its_own_table_names_that_table(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(GOOD.replace("[gazetteer]\n", "") + '\n[gazetteer.x]\nen = "Name"\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    assert caught.value.key == "gazetteer.x.en"
    assert caught.value.line == 7  # the [gazetteer.x] header
