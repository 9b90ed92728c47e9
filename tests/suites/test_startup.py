"""Start-up stays light: `--help` and `feeds list` never import the fetch or grouping stacks.

Each check runs in a fresh interpreter, since this test process has imported everything already.
The assertion is on modules, not on timing, so it holds on a slow machine too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("httpx", "feedparser", "sklearn", "numpy", "scipy")

TINY_CONFIG = """\
[[outlets]]
name = "Wire One"
affiliation = "wire"
feeds = ["http://127.0.0.1:9/feed.xml"]
"""


def heavy_modules_after(code: str, cwd: Path) -> list[str]:
    probe = (f"import sys, json\n{code}\n"
             f"print('HEAVY=' + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=cwd, timeout=60, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("HEAVY="))
    return list(json.loads(line.removeprefix("HEAVY=")))


def test_building_the_parser_imports_nothing_heavy(tmp_path: Path) -> None:
    code = "from counterpoint.cli.main import build_parser\nbuild_parser()"
    assert heavy_modules_after(code, tmp_path) == []


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    code = ("from counterpoint.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert heavy_modules_after(code, tmp_path) == []


def test_feeds_list_json_imports_nothing_heavy(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(TINY_CONFIG)
    code = (f"from counterpoint.cli.main import main\n"
            f"assert main(['--config', {str(config)!r}, 'feeds', 'list', '--json']) == 0")
    assert heavy_modules_after(code, tmp_path) == []


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    assert heavy_modules_after("import counterpoint.fetch.http, httpx", tmp_path) == ["httpx"]
