"""OPML import and export: other readers' files in, our labels out and back without loss."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import pytest

from counterpoint.config.load import load_config, parse_config
from counterpoint.config.opml import NAMESPACE, read_opml
from counterpoint.config.paths import builtin_config_text
from counterpoint.errors import OpmlError
from counterpoint.models import Outlet
from feedshelp import OPML, install_config, run, write_config

NS = f"{{{NAMESPACE}}}"


def _by_name(outlets: Iterable[Outlet]) -> list[Outlet]:
    return sorted(outlets, key=lambda o: o.name)


def _export(capsys: pytest.CaptureFixture[str], *config: str) -> str:
    code, out, _ = run(capsys, *config, "feeds", "export")
    assert code == 0
    return out


def test_export_is_opml_2_with_a_folder_per_class_and_namespaced_labels(
        capsys: pytest.CaptureFixture[str]) -> None:
    root = ET.fromstring(_export(capsys))
    assert root.get("version") == "2.0"
    folders = root.find("body")
    assert folders is not None
    first = folders[0]
    assert (first.get("text"), first.get(f"{NS}affiliation")) == (
        "Government & state media", "government")
    feed = first[0]
    assert feed.get("type") == "rss"
    assert feed.get("xmlUrl") == "https://en.irna.ir/rss"
    assert feed.get(f"{NS}source", "").startswith("State Media Monitor")


def test_export_to_a_file_prints_its_path(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.opml"
    code, out, _ = run(capsys, "feeds", "export", "-o", str(target))
    assert code == 0
    assert out == f"{target}\n"
    assert read_opml(target.read_bytes())


def test_export_then_import_round_trip_loses_nothing(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "shipped.opml"
    exported.write_text(_export(capsys), "utf-8")
    seed = write_config(tmp_path / "seed.toml", [("Seed", "wire", ["https://seed.example/rss"])])
    target = install_config(isolated_home, seed)
    code, _, _ = run(capsys, "feeds", "import", str(exported))
    assert code == 0
    imported = load_config(str(target))
    shipped = parse_config(builtin_config_text(), None)
    assert _by_name(o for o in imported.outlets if o.name != "Seed") == _by_name(
        shipped.outlets)


def test_miniflux_fixture_round_trips_through_export_and_import(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = install_config(isolated_home, write_config(
        tmp_path / "a.toml", [("Seed", "wire", ["https://seed.example/rss"])]))
    assert run(capsys, "feeds", "import", str(OPML / "miniflux.opml"), "--affiliation",
               "independent")[0] == 0
    exported = tmp_path / "again.opml"
    exported.write_text(_export(capsys), "utf-8")
    second = write_config(tmp_path / "b.toml", [("Seed", "wire", ["https://seed.example/rss"])])
    assert run(capsys, "--config", str(second), "feeds", "import", str(exported))[0] == 0
    assert _by_name(load_config(str(second)).outlets) == _by_name(
        load_config(str(first)).outlets)


def test_miniflux_folders_map_to_classes_by_key_or_label(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    code, _, _ = run(capsys, "feeds", "import", str(OPML / "miniflux.opml"), "--affiliation",
                     "independent")
    config = load_config(str(path))
    classes = {o.name: o.affiliation for o in config.outlets}
    assert code == 0
    assert classes["Agence Exemple"] == "wire"  # folder "Wire": a class key
    assert classes["Rights Watchers"] == "ngo"  # folder "Human-Rights NGO": a class label
    assert classes["Exile Voice"] == "opposition"  # innermost folder wins
    assert classes["Uncategorised Site"] == "independent"  # --affiliation default


def test_outlines_sharing_a_name_become_one_outlet(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    run(capsys, "feeds", "import", str(OPML / "miniflux.opml"), "--affiliation", "independent")
    outlet = load_config(str(path)).outlet("Rights Watchers")
    assert outlet is not None
    assert outlet.feeds == ("https://rights.example/feed", "https://rights.example/fa/feed")


def test_newsboat_import_skips_urls_already_configured(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    code, _, err = run(capsys, "feeds", "import", str(OPML / "newsboat.opml"),
                       "--affiliation", "independent")
    config = load_config(str(path))
    urls = [url for _, url in config.feeds()]
    assert code == 0
    assert "skipped Wire One (world): https://wire.example/world.xml (already configured)" in err
    assert len(urls) == len(set(urls))
    assert config.outlet("A Blog & More") is not None


def test_importing_the_same_file_twice_changes_nothing(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    run(capsys, "feeds", "import", str(OPML / "newsboat.opml"), "--affiliation", "independent")
    before = path.read_bytes()
    code, _, err = run(capsys, "feeds", "import", str(OPML / "newsboat.opml"),
                       "--affiliation", "independent")
    assert code == 0
    assert "nothing to import" in err
    assert path.read_bytes() == before


def test_import_without_an_affiliation_refuses_and_lists_the_outlines(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    code, _, err = run(capsys, "feeds", "import", str(OPML / "newsboat.opml"))
    assert code == 2
    assert "2 outline(s) have no affiliation" in err
    assert "Example News <https://news.example.org/rss.xml>" in err
    assert "A Blog & More <https://blog.example.net/atom.xml>" in err
    assert path.read_bytes() == before


def test_import_dry_run_prints_a_diff_and_writes_nothing(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    before = path.read_bytes()
    code, out, _ = run(capsys, "feeds", "import", str(OPML / "newsboat.opml"),
                       "--affiliation", "independent", "--dry-run")
    assert code == 0
    assert '+name        = "Example News"' in out
    assert path.read_bytes() == before


def test_import_refuses_an_unknown_default_class(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install_config(isolated_home)
    code, _, err = run(capsys, "feeds", "import", str(OPML / "newsboat.opml"),
                       "--affiliation", "tabloid")
    assert code == 2
    assert "unknown class 'tabloid'" in err


@pytest.mark.parametrize("declaration", [
    b'<!DOCTYPE opml [<!ENTITY x "boom">]>',
    b'<!doctype opml SYSTEM "http://evil.example/x.dtd">',
    b'<!ENTITY lol "lol">',
])
def test_documents_with_doctype_or_entities_are_refused(declaration: bytes) -> None:
    document = (b'<?xml version="1.0"?>' + declaration
                + b'<opml version="2.0"><body/></opml>')
    with pytest.raises(OpmlError, match="DOCTYPE or ENTITY"):
        read_opml(document)


def test_oversized_documents_are_refused() -> None:
    with pytest.raises(OpmlError, match="larger than"):
        read_opml(b"<opml>" + b" " * (6 * 1024 * 1024) + b"</opml>")


def test_non_opml_xml_is_refused() -> None:
    with pytest.raises(OpmlError, match="not an OPML document"):
        read_opml(b"<rss version='2.0'/>")


def test_only_http_and_file_urls_are_imported(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    install_config(isolated_home)
    opml = tmp_path / "odd.opml"
    opml.write_text('<opml version="2.0"><body>'
                    '<outline text="Evil" xmlUrl="javascript:alert(1)"/></body></opml>')
    code, _, err = run(capsys, "feeds", "import", str(opml), "--affiliation", "ngo")
    assert code == 0
    assert "skipped Evil: javascript:alert(1) (only http(s) and file URLs are imported)" in err


def test_import_keeps_your_label_when_the_file_labels_an_outlet_differently(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = install_config(isolated_home)
    opml = tmp_path / "relabel.opml"
    opml.write_text(f'<opml version="2.0" xmlns:counterpoint="{NAMESPACE}"><body>'
                    '<outline text="State Daily" xmlUrl="https://state.example/fa/rss" '
                    'counterpoint:affiliation="independent" counterpoint:country="ZZ"/>'
                    '</body></opml>')
    code, _, err = run(capsys, "feeds", "import", str(opml))
    outlet = load_config(str(path)).outlet("State Daily")
    assert code == 0
    assert "kept your label" in err
    assert outlet is not None
    assert (outlet.affiliation, outlet.country, outlet.feeds[-1]) == (
        "government", "XX", "https://state.example/fa/rss")
