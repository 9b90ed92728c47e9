"""The failures a user can meet, and the exit codes they end in.

Every error here is shown as one clean line (`counterpoint: error: …`), never a traceback. The
exit code for each is chosen in one place, `cli.main.exit_code_for`, by type:

    CounterpointError            1  fatal: the command could not do its work
    ├── UsageError               2  a bad command-line argument
    │   ├── EditError            2    a feeds.toml edit that cannot be made (unknown class,
    │   │                             duplicate name…); the file is untouched
    │   ├── OpmlError            2    an OPML file that cannot be read or imported
    │   └── DiscoveryError       2    a URL that is not a feed and advertises none that works
    ├── ConfigError              2  a bad feeds.toml (names the file, line and key)
    ├── UnsafeEditError          1  feeds.toml is laid out so that an edit cannot be made
    │                               safely; nothing was written
    ├── WriteError               1  an output file (briefing, feeds.toml…) cannot be written
    ├── FeedError                1  a feed or page a command needs cannot be fetched
    └── StoreError               1  the database cannot be opened or used
        └── LockedError          1    another run holds the database's write lock

A feed that fails during `fetch` is not an exception: it is a `Download` with an error, reported
with the others, and the run ends in `ExitCode.FEEDS_FAILED`.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes (CONTRACT.md)."""

    OK = 0
    FATAL = 1  # a fatal runtime error
    USAGE = 2  # a usage or configuration error
    FEEDS_FAILED = 3  # output produced, but at least one feed failed
    INTERRUPTED = 130  # Ctrl-C



class CounterpointError(Exception):
    """Base of every error shown to the user as one clean line (no traceback)."""


class UsageError(CounterpointError):
    """A bad command-line argument."""


class EditError(UsageError):
    """A requested edit that cannot be made (unknown class, duplicate…); the file is untouched."""


class OpmlError(UsageError):
    """An OPML file that cannot be read or imported; nothing was changed."""


class DiscoveryError(UsageError):
    """The URL is not a feed and advertises none that works; nothing was added."""


class ConfigError(CounterpointError):
    """A bad feeds.toml: names the file, the line where known, and the key."""

    def __init__(self, path: Path | str, message: str, *, key: str | None = None,
                 line: int | None = None) -> None:
        self.path = str(path)
        self.key = key
        self.line = line
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        what = f"{key}: {message}" if key else message
        super().__init__(f"{where}: {what}")


class UnsafeEditError(CounterpointError):
    """feeds.toml is laid out so that an edit cannot be made safely; nothing was written."""


class WriteError(CounterpointError):
    """An output file cannot be written (the previous one, if any, is untouched)."""


class FeedError(CounterpointError):
    """A feed or page that a command needs cannot be fetched; `cause` is one line."""

    def __init__(self, cause: str) -> None:
        self.cause = cause
        super().__init__(cause)


class StoreError(CounterpointError):
    """The database cannot be opened or used."""


class LockedError(StoreError):
    """Another run holds the database's write lock."""
