"""What every command needs: resolved config and database paths, and the two consoles.

Data goes to `out` (stdout); progress, warnings and errors go to `err` (stderr).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from counterpoint.config import paths

if TYPE_CHECKING:
    from rich.console import Console

    from counterpoint.config.load import Config


@dataclass
class Context:
    config_arg: str | None = None
    db_arg: str | None = None
    no_color: bool = False
    quiet: bool = False
    verbose: int = 0
    _config: Config | None = field(default=None, repr=False)
    _out: Console | None = field(default=None, repr=False)
    _err: Console | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            from counterpoint.config.load import load_config

            self._config = load_config(self.config_arg)
        return self._config

    @property
    def db_path(self) -> Path:
        return paths.resolve_db(self.db_arg)

    @property
    def color(self) -> bool:
        return not self.no_color and "NO_COLOR" not in os.environ

    @property
    def out(self) -> Console:
        if self._out is None:
            self._out = _console(sys.stdout, self.color)
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            self._err = _console(sys.stderr, self.color)
        return self._err

    def log(self, message: str) -> None:
        """A progress or info line on stderr (hidden by -q). `message` is plain text."""
        if not self.quiet:
            self.err.print(message, markup=False, highlight=False)

    def warn(self, message: str) -> None:
        self.err.print(f"warning: {message}", markup=False, highlight=False,
                       style="yellow")


def _console(stream: object, color: bool) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1 ("fatal error" in our exit codes); the CLI decides instead.
            raise BrokenPipeError

    isatty = getattr(stream, "isatty", lambda: False)()
    return _Console(
        file=stream,  # type: ignore[arg-type]
        no_color=not color,
        color_system="auto" if (color and isatty) else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=not isatty,
        width=None if isatty else 100,
    )
