"""Each failure ends in the exit code CONTRACT.md gives it: 2 for a usage or configuration
mistake, 1 for a fatal runtime error, 130 on Ctrl-C; the hierarchy is drawn in errors.py."""

from __future__ import annotations

import sqlite3

import pytest

from counterpoint import errors
from counterpoint.cli.main import exit_code_for
from counterpoint.errors import ExitCode


@pytest.mark.parametrize(("error", "code"), [
    (errors.UsageError("--since: not a duration"), 2),
    (errors.EditError("duplicate name"), 2),
    (errors.OpmlError("not an OPML document"), 2),
    (errors.DiscoveryError("no feed advertised"), 2),
    (errors.ConfigError("feeds.toml", "must be a table", key="settings"), 2),
    (errors.UnsafeEditError("edit the file by hand"), 1),
    (errors.WriteError("cannot write brief.md"), 1),
    (errors.FeedError("cannot fetch https://example.org/"), 1),
    (errors.StoreError("cannot open database"), 1),
    (errors.LockedError("another counterpoint run is in progress"), 1),
    (sqlite3.OperationalError("disk I/O error"), 1),
    (KeyboardInterrupt(), 130),
    (BrokenPipeError(), 0),
])
def test_each_failure_has_the_contract_exit_code(error: BaseException, code: int) -> None:
    assert exit_code_for(error) == code


def test_the_docstring_draws_every_error_class() -> None:
    drawn = errors.__doc__ or ""
    classes = [name for name, value in vars(errors).items()
               if isinstance(value, type) and issubclass(value, errors.CounterpointError)]
    assert len(classes) >= 10
    for name in classes:
        assert f" {name} " in drawn, name


def test_exit_codes_are_the_contract_numbers() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 130]
