"""`counterpoint feeds …` and `counterpoint init`: see and shape the outlet mix.

Argument parsing and wiring only: edits live in `feedsedit`, discovery in `discover`, OPML in
`opml`, health in `feedhealth`, terminal output in `render.feeds`. Everything heavier than the
config is imported inside the command that needs it, so `feeds list` and `--help` stay instant
(no httpx, feedparser, rich.progress, numpy or scikit-learn).

Which file is edited: the resolved config (`--config`, $COUNTERPOINT_CONFIG, ./feeds.toml, the
XDG one). With only the built-in default in use there is nothing of the user's to edit, so the
editing commands ask for `counterpoint init` first.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counterpoint.cli.context import Context
from counterpoint.cli.options import add_global_options
from counterpoint.config import paths
from counterpoint.config.load import OUTLET_TEXT_FIELDS
from counterpoint.errors import ConfigError, ExitCode, OpmlError, UsageError, WriteError

if TYPE_CHECKING:
    from counterpoint.config.edit import Edit
    from counterpoint.config.load import Config
    from counterpoint.store.db import FeedState

CommandFactory = Callable[[str, str, str], argparse.ArgumentParser]

_EXIT_CODES = ("\nexit codes: 0 success · 1 fatal error · 2 usage or configuration error "
               "(nothing written) ·\n            3 output produced but at least one feed failed\n")


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
        parser = sub.add_parser(name, help=help_text, description=help_text,
                                epilog="examples:\n" + examples + _EXIT_CODES,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
        add_global_options(parser, suppress=True)
        return parser

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
    add.set_defaults(handler=cmd_add)

    remove = action("remove", "remove an outlet from feeds.toml, keeping comments",
                    "  counterpoint feeds remove \"Example News\"\n"
                    "  counterpoint feeds remove \"Example News\" --dry-run\n")
    remove.add_argument("name", metavar="NAME", help="outlet name, as `feeds list` shows it")
    remove.add_argument("--dry-run", action="store_true",
                        help="print the change as a unified diff; write nothing")
    remove.set_defaults(handler=cmd_remove)

    importing = action("import", "merge the feeds of an OPML file into feeds.toml",
                       "  counterpoint feeds import newsboat.opml --affiliation independent\n"
                       "  counterpoint feeds import miniflux.opml --dry-run\n"
                       "  (folders named after a class key or label set the class of the feeds "
                       "in them)\n")
    importing.add_argument("file", metavar="FILE.opml", help="OPML 1.0 or 2.0 file")
    importing.add_argument("--affiliation", metavar="CLASS",
                           help="class for outlines that carry none (no counterpoint:affiliation"
                                ", no class-named folder)")
    importing.add_argument("--dry-run", action="store_true",
                           help="print the change as a unified diff; write nothing")
    importing.set_defaults(handler=cmd_import)

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
                   "  counterpoint --config ./feeds.toml init\n")
    init.set_defaults(handler=cmd_init)


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


def _editable(ctx: Context) -> tuple[Path, str]:
    path = paths.resolve_config(ctx.config_arg)
    if path is None:
        raise UsageError("no feeds.toml of yours to edit: the built-in default is in use. Run "
                         "`counterpoint init` first (it writes "
                         f"{paths.config_dir() / 'feeds.toml'}), then try again")
    try:
        return path, path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read config: {exc}") from None


def _apply(ctx: Context, path: Path, edit: Edit, dry_run: bool) -> int:
    from counterpoint.config.edit import unified_diff, write_config

    if dry_run:
        sys.stdout.write(unified_diff(edit, path))
        for change in edit.changes:
            ctx.log(f"dry run, not written: {change}")
        return ExitCode.OK
    if edit.changed:
        target = write_config(path, edit.new)
        for change in edit.changes:
            ctx.log(f"{change} in {target}")
    return ExitCode.OK


def _order(config: Config) -> list[str]:
    from counterpoint.analysis.sides import affiliation_order

    return affiliation_order(dict.fromkeys([*config.affiliations,
                                            *(o.affiliation for o in config.outlets)]))


# -- list -----------------------------------------------------------------------------------------
def outlets_json(ctx: Context, states: dict[str, FeedState] | None = None) -> dict[str, Any]:
    from counterpoint.render.jsonout import SCHEMA_VERSION
    from counterpoint.timeutil import iso

    config = ctx.config

    def status(url: str) -> dict[str, Any]:
        state = (states or {}).get(url)
        if state is None or state.checked_at is None:
            return {"url": url, "status": "never_fetched", "error": None, "http_status": None,
                    "checked_at": None, "last_ok": None, "newest_item": None,
                    "permanent_redirect": None}
        return {"url": url, "status": state.status, "error": state.error,
                "http_status": state.http_status, "checked_at": iso(state.checked_at),
                "last_ok": iso(state.last_ok), "newest_item": iso(state.newest_item),
                "permanent_redirect": state.permanent_redirect}

    return {
        "schema_version": SCHEMA_VERSION,
        "config": config.display_path,
        "affiliations": config.affiliations,
        "outlets": [
            {"name": o.name, "affiliation": o.affiliation, "feeds": list(o.feeds),
             **{f: getattr(o, f) for f in OUTLET_TEXT_FIELDS},
             "feed_status": [status(url) for url in o.feeds]}
            for o in config.outlets
        ],
    }


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    if args.changed:
        return _list_changed(ctx, args)
    states = stored_states(ctx)
    if args.json:
        from counterpoint.render.jsonout import dumps

        print(dumps(outlets_json(ctx, states)))
        return ExitCode.OK
    from counterpoint.render.feeds import render_outlet_list
    from counterpoint.timeutil import utcnow

    render_outlet_list(ctx.out, ctx.config, _order(ctx.config), states, utcnow())
    return ExitCode.OK


def _list_changed(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.edit import label_changes
    from counterpoint.config.load import parse_config

    config = ctx.config
    shipped = parse_config(paths.builtin_config_text(), None)
    changes = label_changes(shipped, config)
    if args.json:
        from counterpoint.render.jsonout import SCHEMA_VERSION, dumps

        print(dumps({
            "schema_version": SCHEMA_VERSION, "config": config.display_path,
            "changed": [{"name": name, "fields": {key: {"old": old, "new": new}
                                                  for key, (old, new) in fields.items()}}
                        for name, fields in changes.changed.items()],
            "added": [o.name for o in changes.added],
            "removed": [o.name for o in changes.removed],
        }))
        return ExitCode.OK
    from counterpoint.render.feeds import render_changes

    render_changes(ctx.out, changes, config)
    return ExitCode.OK


# -- add / remove ---------------------------------------------------------------------------------
def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.edit import NewOutlet, add_outlets, check_class
    from counterpoint.config.load import parse_config

    path, text = _editable(ctx)
    check_class(parse_config(text, path), args.affiliation)
    url = args.url.strip()
    if not args.no_check and url.lower().startswith(("http://", "https://")):
        from counterpoint.fetch.discover import discover_feed
        from counterpoint.update.run import limits_from

        found = discover_feed(url, limits_from(ctx.config.settings))
        if found.page is not None:
            ctx.log(f"{found.page} is a web page; it advertises "
                    f"{len(found.candidates)} feed(s); using {found.url}"
                    + (f" ({found.title})" if found.title else ""))
            for other in found.candidates:
                if other.url != found.url:
                    ctx.log(f"  also advertised: {other.url}"
                            + (f" ({other.title})" if other.title else ""))
        elif found.url != url:
            ctx.log(f"{url} moved permanently; using {found.url}")
        url = found.url
    fields = {key: getattr(args, key) for key in OUTLET_TEXT_FIELDS}
    edit = add_outlets(text, path, [NewOutlet(args.name, args.affiliation, (url,), fields)])
    return _apply(ctx, path, edit, args.dry_run)


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.edit import remove_outlet

    path, text = _editable(ctx)
    return _apply(ctx, path, remove_outlet(text, path, args.name), args.dry_run)


# -- check / balance ------------------------------------------------------------------------------
def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.timeutil import utcnow
    from counterpoint.update.check import check_feeds

    config = ctx.config
    now = utcnow()
    ctx.log(f"checking {len(config.feeds())} feeds of {config.display_path} (nothing is stored)")
    checks = check_feeds(config, stored_states(ctx) or {}, now)
    if args.json:
        from counterpoint.render.jsonout import SCHEMA_VERSION, dumps, feed_check_json
        from counterpoint.timeutil import iso

        print(dumps({
            "schema_version": SCHEMA_VERSION, "config": config.display_path,
            "checked_at": iso(now),
            "stale_after_seconds": int(config.settings.stale_after.total_seconds()),
            "feeds": [feed_check_json(check, now) for check in checks],
        }))
    else:
        from counterpoint.render.feeds import render_checks

        render_checks(ctx.out, checks, now, config.settings.stale_after)
    for check in checks:
        if check.fix and (args.json or ctx.verbose):
            ctx.warn(f"{check.result.outlet}: {check.fix}")
    return ExitCode.FEEDS_FAILED if any(not c.result.healthy for c in checks) else ExitCode.OK


def cmd_balance(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.update.check import class_balance
    from counterpoint.update.run import stored_results, unfetched_result

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
        from counterpoint.render.jsonout import SCHEMA_VERSION, dumps

        print(dumps({
            "schema_version": SCHEMA_VERSION, "config": config.display_path,
            "fetched": fetched,
            "affiliations": config.affiliations,
            "balance": config.balance,
            "classes": [row.to_json() for row in rows],
            "thin": [row.affiliation for row in rows if row.state == "thin"],
            "empty": [row.affiliation for row in rows if row.state == "empty"],
            "never_fetched": [row.affiliation for row in rows if row.state == "never fetched"],
        }))
        return ExitCode.OK
    from counterpoint.render.feeds import render_balance

    render_balance(ctx.out, rows, fetched)
    return ExitCode.OK


# -- OPML -----------------------------------------------------------------------------------------
def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.edit import NewOutlet, add_outlets
    from counterpoint.config.load import parse_config
    from counterpoint.config.opml import MAX_BYTES, plan_import, read_opml

    path, text = _editable(ctx)
    config = parse_config(text, path)
    if args.affiliation and args.affiliation not in config.affiliations:
        raise UsageError(f"--affiliation: unknown class {args.affiliation!r} (known: "
                         f"{', '.join(config.affiliations)})")
    source = Path(args.file)
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise OpmlError(f"cannot read {source}: {exc.strerror or exc}") from None
    plan = plan_import(read_opml(data, str(source)), config, args.affiliation)
    for line in plan.skipped:
        ctx.log(f"skipped {line}")
    for line in plan.notes:
        ctx.warn(line)
    if not plan.outlets:
        ctx.log(f"nothing to import from {source}: every feed is already configured")
        return ExitCode.OK
    additions = [NewOutlet(name, affiliation, urls, fields)
                 for name, affiliation, urls, fields in plan.outlets]
    edit = add_outlets(text, path, additions)
    return _apply(ctx, path, edit, args.dry_run)


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    import time

    from counterpoint.config.opml import export_opml

    config = ctx.config
    document = export_opml(config, _order(config), time.time())
    if args.output:
        from counterpoint.store.files import write_atomically

        target = Path(args.output)
        write_atomically(target, document)
        ctx.log(f"wrote {len(config.feeds())} feeds of {len(config.outlets)} outlets")
        print(target)
    else:
        sys.stdout.write(document)
    return ExitCode.OK


# -- init -----------------------------------------------------------------------------------------
def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.edit import create_new

    target = Path(ctx.config_arg) if ctx.config_arg else paths.config_dir() / "feeds.toml"
    try:
        create_new(target, paths.builtin_config_text())
    except FileExistsError:
        raise UsageError(f"{target} exists already; init never overwrites it. Edit it, or "
                         "move it away to start again from the shipped default") from None
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    print(target)
    shadow = paths.resolve_config(None)
    if not ctx.config_arg and shadow is not None and shadow.resolve() != target.resolve():
        ctx.warn(f"{shadow} is found first ($COUNTERPOINT_CONFIG or ./feeds.toml), so the new "
                 "file is not used until it is moved")
    else:
        ctx.log(f"wrote the shipped outlet mix to {target}; edit it, or use "
                "`counterpoint feeds add/remove/import`")
    return ExitCode.OK
