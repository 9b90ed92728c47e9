"""feeds.toml loading: every user mistake is one clear line naming file, line and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from counterpoint.config.load import DEFAULT_AFFILIATIONS, load_config, parse_config
from counterpoint.errors import ConfigError

GOOD = """\
[settings]
window = "36h"
timeout = 5

[[outlets]]
name = "Agency"
affiliation = "wire"
feeds = ["https://example.org/rss.xml"]

[[outlets]]
name = "Ministry"
affiliation = "government"
feeds = ["https://gov.example/feed", "feeds/local.xml"]
country = "IR"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    return caught.value


def test_valid_config_loads_outlets_settings_and_default_classes(tmp_path: Path) -> None:
    config = load_config(str(write(tmp_path, GOOD)))
    assert [o.name for o in config.outlets] == ["Agency", "Ministry"]
    assert config.settings.window == timedelta(hours=36)
    assert config.settings.timeout == 5.0
    assert config.affiliations == DEFAULT_AFFILIATIONS
    assert config.outlets[1].country == "IR"


def test_relative_feed_paths_resolve_against_the_config_directory(tmp_path: Path) -> None:
    config = load_config(str(write(tmp_path, GOOD)))
    assert config.outlets[1].feeds[1] == str(tmp_path / "feeds" / "local.xml")


def test_missing_balance_weights_default_to_one(tmp_path: Path) -> None:
    config = load_config(str(write(tmp_path, GOOD + "\n[balance]\nwire = 2\n")))
    assert config.balance["wire"] == 2.0
    assert config.balance["government"] == 1.0


def test_unknown_affiliation_names_line_and_key(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace('affiliation = "wire"', 'affiliation = "wires"'))
    assert error.line == 7
    assert error.key == "outlets[0] (Agency).affiliation"
    assert "unknown affiliation 'wires'" in str(error)
    assert str(error).startswith(f"{tmp_path / 'feeds.toml'}:7:")


def test_duplicate_outlet_name_is_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace('name = "Ministry"', 'name = "Agency"'))
    assert "duplicate outlet name 'Agency'" in str(error)
    assert error.line == 11


def test_missing_feeds_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace('feeds = ["https://example.org/rss.xml"]\n', "")
    error = error_for(tmp_path, text)
    assert error.key is not None and error.key.endswith(".feeds")
    assert "missing" in str(error)


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "javascript:alert(1)",
                                 "https:///nohost"])
def test_bad_url_scheme_is_refused(tmp_path: Path, url: str) -> None:
    error = error_for(tmp_path, GOOD.replace("https://example.org/rss.xml", url))
    assert "unsupported URL" in str(error)
    assert error.line == 8


def test_wrong_type_names_the_key(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("timeout = 5", 'timeout = "soon"'))
    assert error.key == "settings.timeout"
    assert error.line == 3
    assert "must be a number" in str(error)


def test_feeds_as_a_string_is_refused_with_a_hint(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace('["https://example.org/rss.xml"]',
                                             '"https://example.org/rss.xml"'))
    assert "list of strings" in str(error)


def test_bad_toml_gives_the_parser_line(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace('name = "Ministry"', 'name = "Ministry'))
    assert error.line == 11
    assert "invalid TOML" in str(error)


def test_unknown_key_in_outlet_is_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace('country = "IR"', 'contry = "IR"'))
    assert error.key == "outlets[1] (Ministry).contry"
    assert error.line == 14


def test_unknown_setting_is_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("timeout = 5", "timeuot = 5"))
    assert error.key == "settings.timeuot"


def test_duplicate_feed_url_is_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("https://gov.example/feed",
                                             "https://example.org/rss.xml"))
    assert "already listed for 'Agency'" in str(error)


def test_custom_affiliations_replace_the_defaults(tmp_path: Path) -> None:
    text = ('[affiliations]\nleft = "Left"\nright = "Right"\n\n[[outlets]]\nname = "A"\n'
            'affiliation = "left"\nfeeds = ["https://a.example/feed"]\n')
    config = load_config(str(write(tmp_path, text)))
    assert config.affiliations == {"left": "Left", "right": "Right"}
    error = error_for(tmp_path, text.replace('"left"\nfeeds', '"wire"\nfeeds'))
    assert "known: left, right" in str(error)


def test_no_outlets_is_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, "[settings]\nwindow = \"24h\"\n")
    assert error.key == "outlets"


def test_lexicon_needs_two_framings(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD + '\n[lexicon.unrest]\nlabel = "x"\nterms = [["riots"]]\n')
    assert error.key == "lexicon.unrest.terms"


def test_lexicon_and_topics_parse(tmp_path: Path) -> None:
    text = GOOD + ('\n[topics.nuclear]\nlabel = "Nuclear programme"\nkeywords = ["IAEA"]\n'
                   '\n[lexicon.unrest]\nlabel = "Unrest"\n'
                   'terms = [["rioters", "riots"], ["protesters"]]\n')
    config = load_config(str(write(tmp_path, text)))
    assert config.topics[0].label == "Nuclear programme"
    assert config.lexicon[0].framings == (("rioters", "riots"), ("protesters",))


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(str(tmp_path / "nope.toml"))


def test_cli_reports_config_error_with_exit_2_and_no_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD.replace('affiliation = "wire"', 'affiliation = 3'))
    code = main(["--config", str(path), "feeds", "list"])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err
    assert f"{path}:7: outlets[0] (Agency).affiliation: must be a string" in captured.err
    assert captured.out == ""


def test_resolution_prefers_env_then_cwd_then_xdg(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  isolated_home: Path) -> None:
    xdg = isolated_home / "config" / "counterpoint"
    xdg.mkdir(parents=True)
    (xdg / "feeds.toml").write_text(GOOD.replace("Agency", "FromXdg"))
    assert load_config().outlets[0].name == "FromXdg"
    (isolated_home / "feeds.toml").write_text(GOOD.replace("Agency", "FromCwd"))
    assert load_config().outlets[0].name == "FromCwd"
    env = write(tmp_path, GOOD.replace("Agency", "FromEnv"))
    monkeypatch.setenv("COUNTERPOINT_CONFIG", str(env))
    assert load_config().outlets[0].name == "FromEnv"


def test_builtin_default_is_used_when_nothing_else_exists() -> None:
    config = load_config()
    assert config.path is None
    assert config.outlets


def test_parse_config_accepts_text_without_a_file() -> None:
    config = parse_config(GOOD, None)
    assert config.display_path == "<built-in feeds.toml>"


@pytest.mark.parametrize(("text", "line", "key"), [
    ('[settings]\ntimeout = 5\ntimeout = 6\n', 3, "timeout"),
    ('[[outlets]]\nname = "A"\naffiliation = "wire"\nname = "B"\n', 4, "name"),
    ("[settings]\ntimeout = 5\n\n[settings]\n", 4, "settings"),
])
def test_a_duplicate_key_is_named_with_its_line(tmp_path: Path, text: str, line: int,
                                                key: str) -> None:
    path = tmp_path / "feeds.toml"
    with pytest.raises(ConfigError) as caught:
        parse_config(text, path)
    assert str(caught.value).startswith(f"{path}:{line}: {key}: duplicate ")
