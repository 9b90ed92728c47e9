"""Options every command takes, before or after its name."""

from __future__ import annotations

import argparse
from typing import Any


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default: Any = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("global options")
    group.add_argument("--config", metavar="PATH", default=default,
                       help="feeds.toml to use (else $COUNTERPOINT_CONFIG, ./feeds.toml, "
                            "$XDG_CONFIG_HOME/counterpoint/feeds.toml, the built-in default)")
    group.add_argument("--db", metavar="PATH", default=default,
                       help="database (else $COUNTERPOINT_DB, "
                            "$XDG_DATA_HOME/counterpoint/counterpoint.sqlite)")
    group.add_argument("--no-color", action="store_true",
                       default=argparse.SUPPRESS if suppress else False,
                       help="no colour (also when NO_COLOR is set or output is not a terminal)")
    group.add_argument("-q", "--quiet", action="store_true",
                       default=argparse.SUPPRESS if suppress else False,
                       help="no progress or info on stderr")
    group.add_argument("-v", "--verbose", action="count",
                       default=argparse.SUPPRESS if suppress else 0,
                       help="more detail on stderr (each feed's result)")


EXIT_CODES_HELP = """
exit codes: 0 success · 1 fatal error · 2 usage or configuration error (nothing written) ·
            3 output produced but at least one feed failed · 130 interrupted (Ctrl-C)
"""


def add_command(commands: Any, name: str, help_text: str,
                examples: str) -> argparse.ArgumentParser:
    """One (sub)command: its help, its examples and the exit codes below them, and the global
    options, so they work after the command's name too. `commands` is an argparse subparsers
    object (argparse keeps its type private)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=help_text, description=help_text,
        epilog="examples:\n" + examples + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_global_options(parser, suppress=True)
    return parser


def suggestion(message: str) -> str:
    """For a mistyped command or action, the closest one: "did you mean 'digest'?"."""
    import difflib
    import re

    match = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if not match:
        return ""
    choices = re.findall(r"'([^']*)'", match.group(2))
    close = difflib.get_close_matches(match.group(1).lower(), choices, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""
