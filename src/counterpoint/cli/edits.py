"""`counterpoint feeds add/remove/import` and `counterpoint init`: the commands that write
feeds.toml.

Each holds the edit lock (config.write) while it reads the file, computes its edit and writes
it; the network (feed discovery for `feeds add`) is done before, outside the lock. So two edits
at once both land, and "added" is said only of what is in the file.

Which file is edited: the resolved config (`--config`, $COUNTERPOINT_CONFIG, ./feeds.toml, the
XDG one). With only the built-in default in use there is nothing of the user's to edit, so
`add` and `remove` ask for `counterpoint init` first; `import` starts a new file there. A file
that is missing (an explicit path) or has no outlets is built from scratch: the classes the
edit uses become its [affiliations].
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from counterpoint.cli.context import Context
from counterpoint.config import paths
from counterpoint.config.load import OUTLET_TEXT_FIELDS
from counterpoint.errors import ConfigError, ExitCode, UsageError, WriteError

if TYPE_CHECKING:
    from counterpoint.config.edit import Edit, NewOutlet


def _target(ctx: Context, create: bool = False) -> Path:
    path = paths.resolve_config(ctx.config_arg)
    if path is not None:
        return path
    if create:
        return paths.config_dir() / "feeds.toml"
    raise UsageError("no feeds.toml of yours to edit: the built-in default is in use. Run "
                     "`counterpoint init` first (it writes "
                     f"{paths.config_dir() / 'feeds.toml'}), or `counterpoint init --empty` "
                     "to start from scratch, then try again")


def _read(path: Path, missing_ok: bool) -> str:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        if missing_ok:
            return ""
        raise ConfigError(path, "config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read config: {exc}") from None


def _edit(ctx: Context, path: Path, make: Callable[[str], Edit], dry_run: bool,
          missing_ok: bool = False) -> int:
    """Read, edit and write `path` under its edit lock (a dry run reads and prints only)."""
    from counterpoint.config.edit import unified_diff
    from counterpoint.config.write import edit_lock, write_config

    if dry_run:
        edit = make(_read(path, missing_ok))
        sys.stdout.write(unified_diff(edit, path))
        for change in edit.changes:
            ctx.log(f"dry run, not written: {change}")
        return ExitCode.OK
    with edit_lock(path, ctx.log):
        edit = make(_read(path, missing_ok))
        if edit.changed:
            target = write_config(path, edit.new)
            for change in edit.changes:
                ctx.log(f"{change} in {target}")
    return ExitCode.OK


def _with_outlets(text: str, path: Path, additions: list[NewOutlet],
                  classes: dict[str, str]) -> Edit:
    """`additions` into `text`; into a file from scratch, their classes first."""
    from counterpoint.config.edit import Edit, add_classes, add_outlets

    start = add_classes(text, path, classes)
    added = add_outlets(start.new, path, additions)
    return Edit(text, added.new, (*start.changes, *added.changes))


# -- add / remove ---------------------------------------------------------------------------------
def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.edit import NewOutlet, check_class, class_label, from_scratch
    from counterpoint.config.load import parse_config

    path = _target(ctx)
    config = parse_config(_read(path, missing_ok=True), path, allow_empty=True)
    if not from_scratch(config):  # early, before the network; checked again under the lock
        check_class(config, args.affiliation)
    url = args.url.strip()
    if not args.no_check and url.lower().startswith(("http://", "https://")):
        url = _discovered(ctx, url)
    fields = {key: getattr(args, key) for key in OUTLET_TEXT_FIELDS}
    addition = NewOutlet(args.name, args.affiliation, (url,), fields)

    def make(text: str) -> Edit:  # under the lock: the file as it is now
        config = parse_config(text, path, allow_empty=True)
        classes = {args.affiliation: class_label(args.affiliation)} if from_scratch(config) \
            else {}
        return _with_outlets(text, path, [addition], classes)

    return _edit(ctx, path, make, args.dry_run, missing_ok=True)


def _discovered(ctx: Context, url: str) -> str:
    """The feed a URL is or advertises (network: done before the edit lock is taken)."""
    from counterpoint.config.load import load_config
    from counterpoint.fetch.discover import discover_feed
    from counterpoint.render.words import plural
    from counterpoint.update.run import limits_from

    try:
        settings = load_config(ctx.config_arg).settings
    except ConfigError:  # a file still being built: the default limits
        from counterpoint.config.load import Settings

        settings = Settings()
    found = discover_feed(url, limits_from(settings))
    if found.page is not None:
        ctx.log(f"{found.page} is a web page; it advertises "
                f"{plural(len(found.candidates), 'feed')}; using {found.url}"
                + (f" ({found.title})" if found.title else ""))
        for other in found.candidates:
            if other.url != found.url:
                ctx.log(f"  also advertised: {other.url}"
                        + (f" ({other.title})" if other.title else ""))
    elif found.url != url:
        ctx.log(f"{url} moved permanently; using {found.url}")
    return found.url


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.edit import remove_outlet

    path = _target(ctx)
    return _edit(ctx, path, lambda text: remove_outlet(text, path, args.name), args.dry_run)


# -- import ---------------------------------------------------------------------------------------
def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.edit import NewOutlet, from_scratch
    from counterpoint.config.load import parse_config
    from counterpoint.config.opml import MAX_BYTES, plan_import, read_feed_list
    from counterpoint.errors import OpmlError

    path = _target(ctx, create=True)
    source = Path(args.file)
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise OpmlError(f"cannot read {source}: {exc.strerror or exc}") from None
    feeds = read_feed_list(data, str(source))
    outcome: list[int] = []

    def make(text: str) -> Edit:  # under the lock: the file as it is now
        from counterpoint.config.edit import Edit

        config = parse_config(text, path, allow_empty=True)
        scratch = from_scratch(config)
        if args.affiliation and not scratch and args.affiliation not in config.affiliations:
            raise UsageError(f"--affiliation: unknown class {args.affiliation!r} (known: "
                             f"{', '.join(config.affiliations)})")
        plan = plan_import(feeds, config, args.affiliation, new_classes=scratch)
        for line in plan.skipped:
            ctx.log(f"skipped {line}")
        for line in plan.notes:
            ctx.warn(line)
        outcome.append(len(plan.outlets))
        if not plan.outlets:
            return Edit(text, text, ())
        additions = [NewOutlet(name, affiliation, urls, fields)
                     for name, affiliation, urls, fields in plan.outlets]
        return _with_outlets(text, path, additions, dict(plan.classes))

    code = _edit(ctx, path, make, args.dry_run, missing_ok=True)
    if outcome and not outcome[-1]:
        ctx.log(f"nothing to import from {source}: every feed is already configured")
    return code


# -- init -----------------------------------------------------------------------------------------
EMPTY_CONFIG = """\
# Counterpoint feeds: a mix of your own, started with `counterpoint init --empty`.
#
# Add outlets with
#   counterpoint feeds add URL --name NAME --affiliation CLASS
#   counterpoint feeds import subscriptions.opml --affiliation CLASS
# or by hand below. `counterpoint init` (on another path, with --config) writes the shipped
# mix with every key explained.

# [settings]
# window      = "24h"       # default digest window
# timeout     = 20          # seconds per feed, whole request
# concurrency = 32          # feeds in flight
# per_host    = 4           # requests in flight per host

# Classes of outlet. Without this table the defaults apply (government, opposition, wire,
# ngo, independent); with it, only the classes listed here exist. `feeds add` and
# `feeds import` write it for you from the classes they are given.
# [affiliations]
# government  = "Government & state media"
# independent = "Independent press"

# [balance]                 # relative weight of each class in the reading list
# government  = 1
# independent = 1

# [[outlets]]
# name        = "Example Agency"                 # unique
# affiliation = "independent"                    # a key of [affiliations]
# feeds       = ["https://example.org/rss.xml"]  # http(s)://, file:// or a local path
# country     = "FR"                             # optional from here on
# language    = "en"
# owner       = "Example SA"
# funding     = "Private"
# source      = "https://example.org/about"      # where the label comes from
# as_of       = "2026-11"
"""


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.write import create_new, edit_lock

    target = Path(ctx.config_arg) if ctx.config_arg else paths.config_dir() / "feeds.toml"
    text = EMPTY_CONFIG if args.empty else paths.builtin_config_text()
    try:
        with edit_lock(target, ctx.log):
            create_new(target, text)
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
    elif args.empty:
        ctx.log(f"wrote an empty, commented feeds.toml to {target}; add outlets with "
                "`counterpoint feeds add` or `counterpoint feeds import`")
    else:
        ctx.log(f"wrote the shipped outlet mix to {target}; edit it, or use "
                "`counterpoint feeds add/remove/import`")
    return ExitCode.OK
