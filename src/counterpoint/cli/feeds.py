"""`counterpoint feeds …` and `counterpoint init`: see and shape the outlet mix.

Argument parsing and the commands that only read: the ones that write feeds.toml are in
`cli.edits`, edits themselves in `config.edit`, discovery in `fetch.discover`, OPML in
`config.opml`, health in `update.check`, JSON in `render.jsonout`, terminal output in
`render.feeds`. Everything heavier than the config is imported inside the command that needs
it, so `feeds list` and `--help` stay instant (no httpx, feedparser, rich.progress, numpy or
scikit-learn).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counterpoint.cli import edits
from counterpoint.cli.context import Context
from counterpoint.cli.options import add_command
from counterpoint.config import paths
from counterpoint.config.load import OUTLET_TEXT_FIELDS
from counterpoint.errors import ExitCode

if TYPE_CHECKING:
    from counterpoint.config.load import Config
    from counterpoint.store.db import FeedState

CommandFactory = Callable[[str, str, str], argparse.ArgumentParser]



def add_commands(commands: Any, command: CommandFactory) -> None:
    feeds = command("feeds", "see and configure the outlet mix",
                    "  counterpoint feeds list\n"
                    "  counterpoint feeds check\n"
                    "  counterpoint feeds balance\n"
                    "  counterpoint feeds add https://example.org --name Example "
                    "--affiliation independent\n"
                    "  counterpoint feeds remove Example\n"
                    "  counterpoint feeds import subscriptions.opml --affiliation independent\n"
                    "  counterpoint feeds export -o counterpoint.config.opml\n")
    sub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION",
                               parser_class=type(feeds))

    def action(name: str, help_text: str, examples: str) -> argparse.ArgumentParser:
        return add_command(sub, name, help_text, examples)

    listing = action("list", "outlets by affiliation, with labels, citations and feed status",
                     "  counterpoint feeds list\n"
                     "  counterpoint feeds list --json | jq '.outlets[].name'\n"
                     "  counterpoint feeds list --changed     what you changed from the shipped "
                     "labels\n")
    listing.add_argument("--json", action="store_true", help="as JSON (schema 1)")
    listing.add_argument("--changed", action="store_true",
                         help="only what your feeds.toml changes from the shipped labels: "
                              "fields old → new, outlets added, shipped outlets removed")
    listing.set_defaults(handler=cmd_list)

    check = action("check", "fetch every feed now and report its health (stores nothing)",
                   "  counterpoint feeds check\n"
                   "  counterpoint feeds check --json | jq '.feeds[] | select(.stale)'\n")
    check.add_argument("--json", action="store_true", help="as JSON (schema 1)")
    check.set_defaults(handler=cmd_check)

    balance = action("balance", "configured outlets and healthy feeds per class against "
                                "[balance]",
                     "  counterpoint feeds balance\n"
                     "  counterpoint feeds balance --json | jq '.thin, .empty'\n")
    balance.add_argument("--json", action="store_true", help="as JSON (schema 1)")
    balance.set_defaults(handler=cmd_balance)

    add = action("add", "add an outlet (or a feed to an outlet) to feeds.toml, keeping comments",
                 "  counterpoint feeds add https://example.org/rss.xml --name \"Example News\" "
                 "--affiliation independent\n"
                 "  counterpoint feeds add https://example.org --name \"Example News\" "
                 "--affiliation independent \\\n"
                 "      --country FR --language fr --owner \"Example SA\" --funding Private \\\n"
                 "      --source https://example.org/about --as-of 2026-11 --dry-run\n"
                 "  (a site URL is searched for the feed it advertises; an existing --name with "
                 "a new URL\n   adds that feed to the outlet)\n")
    add.add_argument("url", metavar="URL", help="feed URL, or a site URL whose page advertises "
                                                "a feed, or a local file")
    add.add_argument("--name", required=True, help="outlet name (unique)")
    add.add_argument("--affiliation", required=True, metavar="CLASS",
                     help="a class of [affiliations]")
    for key in OUTLET_TEXT_FIELDS:
        add.add_argument(f"--{key.replace('_', '-')}", dest=key, metavar="TEXT",
                         help=_FIELD_HELP[key])
    add.add_argument("--dry-run", action="store_true",
                     help="print the change as a unified diff; write nothing")
    add.add_argument("--no-check", action="store_true",
                     help="do not fetch URL (no feed discovery, no check that it is a feed)")
    add.set_defaults(handler=edits.cmd_add)

    remove = action("remove", "remove an outlet from feeds.toml, keeping comments",
                    "  counterpoint feeds remove \"Example News\"\n"
                    "  counterpoint feeds remove \"Example News\" --dry-run\n")
    remove.add_argument("name", metavar="NAME", help="outlet name, as `feeds list` shows it")
    remove.add_argument("--dry-run", action="store_true",
                        help="print the change as a unified diff; write nothing")
    remove.set_defaults(handler=edits.cmd_remove)

    importing = action("import", "merge the feeds of an OPML file into feeds.toml",
                       "  counterpoint feeds import newsboat.opml --affiliation independent\n"
                       "  counterpoint feeds import miniflux.opml --dry-run\n"
                       "  counterpoint feeds import ~/.newsboat/urls --affiliation independent\n"
                       "  counterpoint --config climate.toml feeds import climate.opml "
                       "--affiliation science\n"
                       "  (folders named after a class key or label set the class of the feeds "
                       "in them; into a\n   feeds.toml with no outlets yet, folders become its "
                       "classes)\n")
    importing.add_argument("file", metavar="FILE.opml",
                           help="OPML 1.0 or 2.0 file, or a newsboat urls file")
    importing.add_argument("--affiliation", metavar="CLASS",
                           help="class for outlines that carry none (no counterpoint:affiliation"
                                ", no class-named folder)")
    importing.add_argument("--dry-run", action="store_true",
                           help="print the change as a unified diff; write nothing")
    importing.set_defaults(handler=edits.cmd_import)

    export = action("export", "write the outlets as OPML 2.0 (labels kept in counterpoint:* "
                              "attributes)",
                    "  counterpoint feeds export > counterpoint.config.opml\n"
                    "  counterpoint feeds export -o ~/counterpoint.config.opml\n")
    export.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    export.set_defaults(handler=cmd_export)

    feeds.set_defaults(handler=lambda ctx, args: _help(feeds))

    init = command("init", "write a commented feeds.toml to edit (never overwrites)",
                   "  counterpoint init                 writes $XDG_CONFIG_HOME/counterpoint/"
                   "feeds.toml\n"
                   "  counterpoint --config ./feeds.toml init\n"
                   "  counterpoint --config climate.toml init --empty   then feeds add/import\n")
    init.add_argument("--empty", action="store_true",
                      help="a commented skeleton with no outlets, to start a subject from "
                           "scratch (instead of the shipped Iran mix)")
    init.set_defaults(handler=edits.cmd_init)


_FIELD_HELP = {
    "country": "ISO country code, e.g. FR",
    "language": "language code, e.g. en, fa",
    "owner": "who owns the outlet",
    "funding": "who pays for it",
    "source": "where the label comes from (a URL or citation)",
    "as_of": "when the label was checked, e.g. 2026-11",
    "notes": "anything disputed or worth knowing",
}


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return ExitCode.USAGE


# -- shared steps ---------------------------------------------------------------------------------
def stored_states(ctx: Context) -> dict[str, FeedState] | None:
    """Feed status as last fetched, or None when there is no database (none is created)."""
    if not ctx.db_path.is_file():
        return None
    from counterpoint.store.db import Store

    with Store(ctx.db_path) as store:
        return store.feed_states()


def _order(config: Config) -> list[str]:
    from counterpoint.analysis.sides import affiliation_order

    return affiliation_order(dict.fromkeys([*config.affiliations,
                                            *(o.affiliation for o in config.outlets)]))


# -- list -----------------------------------------------------------------------------------------
def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    if args.changed:
        return _list_changed(ctx, args)
    states = stored_states(ctx)
    if args.json:
        from counterpoint.render.jsonout import dumps, outlets_json

        print(dumps(outlets_json(ctx.config, states)))
        return ExitCode.OK
    from counterpoint.render.feeds import render_outlet_list
    from counterpoint.timeutil import utcnow

    render_outlet_list(ctx.out, ctx.config, _order(ctx.config), states, utcnow())
    return ExitCode.OK


def _list_changed(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.labels import label_changes
    from counterpoint.config.load import parse_config

    config = ctx.config
    shipped = parse_config(paths.builtin_config_text(), None)
    changes = label_changes(shipped, config)
    if args.json:
        from counterpoint.render.jsonout import dumps, label_changes_json

        print(dumps(label_changes_json(config, changes)))
        return ExitCode.OK
    from counterpoint.render.feeds import render_changes

    render_changes(ctx.out, changes, config)
    return ExitCode.OK


# -- check / balance ------------------------------------------------------------------------------
def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.render.words import plural
    from counterpoint.timeutil import utcnow
    from counterpoint.update.check import check_feeds

    config = ctx.config
    now = utcnow()
    ctx.log(f"checking {plural(len(config.feeds()), 'feed')} of {config.display_path} "
            "(nothing is stored)")
    checks = check_feeds(config, stored_states(ctx) or {}, now)
    if args.json:
        from counterpoint.render.jsonout import dumps, feed_checks_json

        print(dumps(feed_checks_json(config, checks, now)))
    else:
        from counterpoint.render.feeds import render_checks

        render_checks(ctx.out, checks, now, config.settings.stale_after)
    for check in checks:
        if check.fix and (args.json or ctx.verbose):
            ctx.warn(f"{check.result.outlet}: {check.fix}")
    return ExitCode.FEEDS_FAILED if any(not c.result.healthy for c in checks) else ExitCode.OK


def cmd_balance(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.update.check import class_balance
    from counterpoint.update.stored import stored_results, unfetched_result

    config = ctx.config
    states = stored_states(ctx)
    if states is None:
        results = [unfetched_result(o, url) for o, url in config.feeds()]
    else:
        from counterpoint.store.db import Store

        with Store(ctx.db_path) as store:
            results = stored_results(config, store)
    rows = class_balance(config, results)
    fetched = any(r.checked_at is not None for r in results)
    if args.json:
        from counterpoint.render.jsonout import class_balance_json, dumps

        print(dumps(class_balance_json(config, rows, fetched)))
        return ExitCode.OK
    from counterpoint.render.feeds import render_balance

    render_balance(ctx.out, rows, fetched)
    return ExitCode.OK


# -- OPML -----------------------------------------------------------------------------------------
def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    import time

    from counterpoint.config.opml import export_opml

    config = ctx.config
    document = export_opml(config, _order(config), time.time())
    if args.output:
        from counterpoint.store.files import write_atomically

        target = Path(args.output)
        write_atomically(target, document)
        from counterpoint.render.words import plural

        ctx.log(f"wrote {plural(len(config.feeds()), 'feed')} of "
                f"{plural(len(config.outlets), 'outlet')}")
        print(target)
    else:
        sys.stdout.write(document)
    return ExitCode.OK


