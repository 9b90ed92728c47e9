"""Shared fixtures, the `slow` marker and the Hypothesis profiles.

The same command, `python -m pytest`, serves two runs (README and `.ci/run` both use it):
- on a developer's machine it leaves out tests marked `slow` (subprocesses, kill -9 timing) and
  runs Hypothesis with a tenth of the examples, so the run stays under a minute on 2 cores;
- under CI (the env var `CI` set to anything but "", "0", "false") it runs everything, with the
  full example counts. `-m slow` (or any `-m` expression) also runs the slow tests locally.
`HYPOTHESIS_PROFILE=ci` (or `dev`) picks a profile by hand.
Property tests state their count relative to the profile's: `3 * settings.default.max_examples`
is 300 under CI, 30 locally.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from feedserver import FeedServer

FIXTURES = Path(__file__).parent / "fixtures"
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

settings.register_profile("ci", max_examples=100, print_blob=True)
settings.register_profile("dev", max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if CI else "dev"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes seconds (subprocesses, timing); run under CI or with -m slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CI or config.getoption("markexpr"):
        return
    skip = pytest.mark.skip(reason="slow: runs under CI=true or with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's config or data, or picks up ./feeds.toml."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("COUNTERPOINT_CONFIG", raising=False)
    monkeypatch.delenv("COUNTERPOINT_DB", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(home)
    return home


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / "feeds" / name).read_bytes()
