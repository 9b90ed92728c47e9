"""Writing feeds.toml so that edits hold: one edit at a time, each on the file as it is now.

Every command that changes feeds.toml (`feeds add/remove/import`, `init`) holds `edit_lock`
while it reads the file, computes its edit and writes the result; network checks happen before,
outside the lock. The lock is an advisory `flock` on a file beside the config
(`.feeds.toml.lock`), so a second edit waits for the first (and says so on stderr) and then
edits the file the first one wrote: two edits at once both land.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from counterpoint.errors import WriteError

LOCK_TIMEOUT_SECONDS = 60.0


def lock_path(config: Path) -> Path:
    target = config.resolve()
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def edit_lock(config: Path, waiting: Callable[[str], None] | None = None,
              timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the edit lock of `config` (creating its folder if needed); `waiting` is told once
    when another edit holds it."""
    import fcntl
    import time

    path = lock_path(config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise WriteError(f"cannot lock {config} for editing ({path}: "
                                f"{exc.strerror or exc})") from None
    with handle:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and waiting is not None:
                    waiting(f"waiting for another edit of {config} to finish…")
                    told = True
                if time.monotonic() > deadline:
                    raise WriteError(f"{config} is being edited by another counterpoint "
                                            f"for over {timeout:.0f} s; try again later") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def write_config(path: Path, text: str) -> Path:
    """Atomically replace the config (following a symlink to its target), keeping its mode."""
    from counterpoint.store.files import write_atomically

    target = path.resolve()
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = 0o644  # a new file: as `init` writes it, not the temp file's 0600
    write_atomically(target, text)
    with contextlib.suppress(OSError):
        os.chmod(target, mode)
    return target


def create_new(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, failing with FileExistsError if `path` exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.link(temp, path)  # atomic, and never replaces an existing file
    finally:
        Path(temp).unlink(missing_ok=True)
