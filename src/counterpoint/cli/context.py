"""What every command needs: resolved config and database paths, and the two consoles.

Data goes to `out` (stdout); progress, warnings and errors go to `err` (stderr).

Colour: `--color always|never` (or `--no-color`) decides; else a non-empty `NO_COLOR` turns it
off, a non-empty `FORCE_COLOR` turns it on, and otherwise the stream must be a terminal. A long
view is paged on a terminal, like git: `$PAGER` (empty or `cat`: no pager), else `less`, with
`LESS=FRX` unless `LESS` is set (quit if one screen, keep colour, leave the screen as it is).
Off a terminal, text is wrapped at `$COLUMNS`, else 100 columns.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from counterpoint.config import paths

if TYPE_CHECKING:
    import argparse

    from rich.console import Console
    from rich.text import Text

    from counterpoint.config.load import Config


@dataclass
class Context:
    config_arg: str | None = None
    db_arg: str | None = None
    no_color: bool = False
    quiet: bool = False
    verbose: int = 0
    color_choice: str = "auto"  # auto | always | never
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

    def color_for(self, stream: object) -> bool:
        if self.no_color or self.color_choice == "never":
            return False
        if self.color_choice == "always":
            return True
        if os.environ.get("NO_COLOR"):
            return False
        return bool(os.environ.get("FORCE_COLOR")) or _isatty(stream)

    @property
    def out(self) -> Console:
        if self._out is None:
            self._out = _console(sys.stdout, self.color_for(sys.stdout))
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            self._err = _console(sys.stderr, self.color_for(sys.stderr))
        return self._err

    def show(self, lines: Sequence[Text], *, pager: bool = True) -> None:
        """Print a view; through a pager when stdout is a terminal and the view is taller."""
        out = self.out
        command = _pager_command() if pager and _isatty(sys.stdout) else None
        if command is None or len(lines) < out.height:
            for line in lines:
                out.print(line, soft_wrap=True)
            return
        with out.capture() as captured:
            for line in lines:
                out.print(line, soft_wrap=True)
        env = dict(os.environ)
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
        except OSError:
            sys.stdout.write(captured.get())
            return
        assert process.stdin is not None
        try:
            process.stdin.write(captured.get().encode("utf-8", "replace"))
            process.stdin.close()
        except BrokenPipeError:  # the reader quit the pager early: not an error
            pass
        while True:
            try:
                process.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C belongs to the pager, as with git
                continue

    def log(self, message: str) -> None:
        """A progress or info line on stderr (hidden by -q). `message` is plain text."""
        if not self.quiet:
            self.err.print(message, markup=False, highlight=False)

    def warn(self, message: str) -> None:
        self.err.print(f"warning: {message}", markup=False, highlight=False,
                       style="yellow")


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except ValueError:  # a closed stream
        return False


def _pager_command() -> list[str] | None:
    """`$PAGER` split like a shell would (None: empty, `cat`, or not found), else `less`."""
    text = os.environ.get("PAGER")
    if text is None:
        text = "less"
    try:
        command = shlex.split(text)
    except ValueError:
        return None
    if not command or command[0] == "cat" or shutil.which(command[0]) is None:
        return None
    return command


def _columns() -> int:
    """The width to wrap at off a terminal: `$COLUMNS`; else, when stdout is piped from a
    terminal (`digest | less`, stderr still on it), that terminal's width; else 100."""
    text = os.environ.get("COLUMNS", "")
    if text.isdigit() and int(text) >= 20:
        return int(text)
    if _isatty(sys.stderr):
        try:
            columns = os.get_terminal_size(sys.stderr.fileno()).columns
        except (OSError, ValueError):
            columns = 0
        if columns >= 20:
            return columns
    return 100


def _console(stream: object, color: bool) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1 ("fatal error" in our exit codes); the CLI decides instead.
            raise BrokenPipeError

    isatty = _isatty(stream)
    return _Console(
        file=stream,  # type: ignore[arg-type]
        no_color=not color,
        force_terminal=color or isatty,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=not isatty,
        width=None if isatty else _columns(),
        height=None if isatty else 10_000,
    )


def page_loader(args: argparse.Namespace) -> Callable[..., None] | None:
    """For the front page (no `--json`, `--story`, `--explain`): what to do while another
    process finds the topics, the last thing the page waits for: import its renderer (rich's
    console and text, ~0.05 s)."""
    if args.json or args.explain or args.story:
        return None

    def load(*_: object) -> None:
        import counterpoint.render.frontpage  # noqa: F401

    return load
