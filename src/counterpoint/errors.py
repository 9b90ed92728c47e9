"""The failures a user can meet, each mapped to one exit code in one place.

Exit codes (see CONTRACT.md): 0 success, 1 fatal runtime error, 2 usage or configuration
error, 3 output produced but at least one feed failed.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FATAL = 1
EXIT_USAGE = 2
EXIT_FEEDS_FAILED = 3
EXIT_INTERRUPTED = 130


class CounterpointError(Exception):
    """Base of every error shown to the user as one clean line (no traceback)."""

    exit_code = EXIT_FATAL


class UsageError(CounterpointError):
    """A bad command-line argument."""

    exit_code = EXIT_USAGE


class ConfigError(CounterpointError):
    """A bad feeds.toml: names the file, the line where known, and the key."""

    exit_code = EXIT_USAGE

    def __init__(self, path: Path | str, message: str, *, key: str | None = None,
                 line: int | None = None) -> None:
        self.path = str(path)
        self.key = key
        self.line = line
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        what = f"{key}: {message}" if key else message
        super().__init__(f"{where}: {what}")


class StoreError(CounterpointError):
    """The database cannot be opened or used."""


class LockedError(StoreError):
    """Another run holds the database's write lock."""


class FeedError(CounterpointError):
    """One feed could not be fetched or parsed; `cause` is a single line for the report."""

    def __init__(self, cause: str) -> None:
        self.cause = cause
        super().__init__(cause)
