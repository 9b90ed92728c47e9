"""`counterpoint feeds …`: see and shape the outlet mix."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from counterpoint.config import OUTLET_TEXT_FIELDS
from counterpoint.context import Context
from counterpoint.errors import EXIT_OK

CommandFactory = Callable[[str, str, str], argparse.ArgumentParser]


def add_commands(commands: Any, command: CommandFactory) -> None:
    feeds = command("feeds", "see and configure the outlet mix",
                    "  counterpoint feeds list\n  counterpoint feeds list --json\n")
    sub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION",
                               parser_class=type(feeds))

    def action(name: str, help_text: str, examples: str) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text, description=help_text,
                                epilog="examples:\n" + examples,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
        from counterpoint.cli import _global_options

        _global_options(parser, suppress=True)
        return parser

    listing = action("list", "outlets by affiliation, with labels and their citations",
                     "  counterpoint feeds list\n  counterpoint feeds list --json | jq "
                     "'.outlets[].name'\n")
    listing.add_argument("--json", action="store_true", help="as JSON (schema 1)")
    listing.set_defaults(handler=cmd_list)
    feeds.set_defaults(handler=lambda ctx, args: _help(feeds))


def _help(parser: argparse.ArgumentParser) -> int:
    import sys

    parser.print_help(sys.stderr)
    return 2


def outlets_json(ctx: Context) -> dict[str, Any]:
    from counterpoint.render.jsonout import SCHEMA_VERSION

    config = ctx.config
    return {
        "schema_version": SCHEMA_VERSION,
        "config": config.display_path,
        "affiliations": config.affiliations,
        "outlets": [
            {"name": o.name, "affiliation": o.affiliation, "feeds": list(o.feeds),
             **{f: getattr(o, f) for f in OUTLET_TEXT_FIELDS}}
            for o in config.outlets
        ],
    }


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    if args.json:
        from counterpoint.render.jsonout import dumps

        print(dumps(outlets_json(ctx)))
        return EXIT_OK
    from counterpoint.render.terminal import render_outlets

    render_outlets(ctx.out, ctx.config)
    return EXIT_OK
