"""Command line: parse arguments, wire the stages together, map errors to exit codes.

Nothing here knows how feeds are fetched or stories grouped; it only calls the stages.
Heavy modules are imported inside the commands so `--help` stays instant.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counterpoint import __version__
from counterpoint.cli import story as story_cli
from counterpoint.cli.context import Context, page_loader
from counterpoint.cli.heap import collector_paused
from counterpoint.cli.options import (
    EXIT_CODES_HELP,
    add_command,
    add_global_options,
    suggestion,
)
from counterpoint.errors import (
    ConfigError,
    CounterpointError,
    ExitCode,
    UsageError,
)

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Digest
    from counterpoint.models import FeedResult
    from counterpoint.store.db import Store

EPILOG = """\
examples:
  counterpoint digest                      fetch every feed, print today's front page
  counterpoint digest --offline --since 2d  front page of stored items from the last two days
  counterpoint digest --offline --all       every story, not only the front page
  counterpoint digest --offline --story s3  one story in full
  counterpoint digest --json | jq '.blindspots'
  counterpoint brief -o today.md           save the digest as a Markdown briefing
  counterpoint feeds list                  outlets, their affiliation and its citation
""" + EXIT_CODES_HELP


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit 2 itself; keep one exit path
        raise UsageError(f"{self.prog}: {message}{suggestion(message)} (see --help)")


def _window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offline", action="store_true",
                        help="do not fetch; use stored items only")
    parser.add_argument("--since", metavar="WHEN",
                        help="start of the window: a duration back from now (36h, 2d, 90m) or "
                             "an ISO date (default: settings.window, 24h)")
    parser.add_argument("--until", metavar="WHEN", help="end of the window (default: now)")
    parser.add_argument("--topic", metavar="NAME", help="only stories of this topic")
    parser.add_argument("--limit", metavar="N", type=_non_negative,
                        help="stories on the front page (default: settings.front_page, 10; "
                             "0: all)")
    parser.add_argument("--reading", metavar="N", type=_non_negative,
                        help="size of the reading list (default: settings.reading, 10)")


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="counterpoint",
        description="A balanced daily reading list from news feeds: every item labelled with "
                    "its outlet's affiliation, stories shown with who covered them and who "
                    "stayed silent.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"counterpoint {__version__}")
    add_global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str, examples: str) -> argparse.ArgumentParser:
        return add_command(commands, name, help_text, examples)

    fetch = command("fetch", "fetch every feed now and store new items",
                    "  counterpoint fetch\n  counterpoint fetch --only wire,ngo --json\n")
    fetch.add_argument("--json", action="store_true", help="feed results as JSON")
    fetch.add_argument("--only", metavar="CLASS,...", help="only outlets of these affiliations")
    fetch.set_defaults(handler=cmd_fetch)

    digest = command("digest", "print the front page: top stories chosen with balance, "
                               "coverage, blindspots, reading list",
                     "  counterpoint digest\n  counterpoint digest --offline --since 2d "
                     "--limit 20\n  counterpoint digest --json > digest.json\n"
                     "  counterpoint digest --offline --explain s3\n")
    _window_options(digest)
    digest.add_argument("--json", action="store_true",
                        help="the digest as JSON (schema 1): every story in the window")
    digest.add_argument("--all", action="store_true",
                        help="every story, not only the front page (same as --limit 0)")
    digest.add_argument("--story", metavar="ID", help="one story (e.g. s3) in full")
    digest.add_argument("--explain", metavar="ID",
                        help="one story in full, and why its items were grouped")
    digest.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR "
                             "forces it), always (e.g. through `less -R`), never")
    digest.add_argument("--no-pager", action="store_true",
                        help="never page the front page (default: $PAGER, else `less` with "
                             "LESS=FRX, when it is longer than the terminal)")
    story_cli.add_memory_options(digest, new=True)
    digest.set_defaults(handler=collector_paused()(cmd_digest))  # few cycles: cli/heap.py

    brief = command("brief", "write the digest as a Markdown briefing and print its path",
                    "  counterpoint brief\n  counterpoint brief --offline -o ~/brief.md\n")
    _window_options(brief)
    brief.add_argument("-o", "--output", metavar="PATH",
                       help="file to write (default: briefings/YYYY-MM-DD.md in the data dir)")
    story_cli.add_memory_options(brief, new=False)
    brief.set_defaults(handler=collector_paused()(cmd_brief))

    from counterpoint.cli import feeds as feeds_cli

    feeds_cli.add_commands(commands, command)
    story_cli.add_command(commands, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    ctx = Context()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        ctx = Context(config_arg=args.config, db_arg=args.db, no_color=args.no_color,
                      quiet=args.quiet, verbose=args.verbose,
                      color_choice=getattr(args, "color", "auto"))
        handler: Callable[[Context, argparse.Namespace], int] | None = getattr(
            args, "handler", None)
        if handler is None:
            parser.print_help(sys.stderr)
            return ExitCode.USAGE
        return handler(ctx, args)
    except CounterpointError as exc:
        ctx.err.print(f"counterpoint: error: {exc}", markup=False, highlight=False)
        return exit_code_for(exc)
    except sqlite3.Error as exc:  # e.g. disk full, a database another program holds too long
        ctx.err.print(f"counterpoint: error: database {ctx.db_path}: {exc}", markup=False,
                      highlight=False)
        return exit_code_for(exc)
    except KeyboardInterrupt as exc:
        ctx.err.print("counterpoint: interrupted; everything stored before the interruption "
                      "is kept", markup=False, highlight=False)
        return exit_code_for(exc)
    except BrokenPipeError as exc:
        # The reader went away (`| head`): not an error. Point stdout at /dev/null so the
        # interpreter's last flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return exit_code_for(exc)


def exit_code_for(exc: BaseException) -> ExitCode:
    """The one map from a failure to the exit code users see (CONTRACT.md; the hierarchy is
    drawn in errors.py)."""
    if isinstance(exc, UsageError | ConfigError):
        return ExitCode.USAGE
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(exc, BrokenPipeError):  # the reader stopped early (`| head`): not a failure
        return ExitCode.OK
    return ExitCode.FATAL


# -- shared steps ------------------------------------------------------------------------------

def open_store(ctx: Context) -> Store:
    from counterpoint.store.db import Store

    return Store(ctx.db_path)


def parse_classes(ctx: Context, text: str | None) -> list[str] | None:
    if not text:
        return None
    classes = [c.strip() for c in text.split(",") if c.strip()]
    unknown = [c for c in classes if c not in ctx.config.affiliations]
    if unknown:
        raise UsageError(f"--only: unknown affiliation {', '.join(unknown)} (known: "
                         f"{', '.join(ctx.config.affiliations)})")
    return classes


def run_fetch(ctx: Context, store: Store, only: list[str] | None = None) -> list[FeedResult]:
    """Fetch under the run lock, with a progress bar on a terminal and a summary on stderr."""
    from counterpoint.store.db import run_lock
    from counterpoint.update.run import select_feeds, update_feeds

    config = ctx.config
    total = len(select_feeds(config, only))
    progress = _progress(ctx, total)
    with run_lock(ctx.db_path), progress as bar:
        def on_result(result: FeedResult) -> None:
            if bar is not None:
                bar.advance(bar.task_ids[0])
            if ctx.verbose:
                ctx.log(_result_line(result))

        results = update_feeds(config, store, only=only, on_result=on_result)
    failed = [r for r in results if not r.healthy]
    from counterpoint.render.words import plural

    # One line, whatever failed: each failure is shown with -v (above), and by `feeds check`.
    ctx.log(f"fetched {plural(len(results), 'feed')}: {len(results) - len(failed)} ok, "
            f"{len(failed)} failed; {plural(sum(r.new_items for r in results), 'new item')}")
    for result in results:
        if result.permanent_redirect:
            ctx.warn(f"{result.outlet}: {result.url} moved permanently to "
                     f"{result.permanent_redirect}; update feeds.toml")
    return results


def _progress(ctx: Context, total: int) -> AbstractContextManager[Any]:
    if ctx.quiet or not sys.stderr.isatty() or total < 2:
        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress("fetching", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=ctx.err, transient=True)
    progress.add_task("fetch", total=total)
    return progress


def _result_line(result: FeedResult) -> str:
    detail = result.error or f"{result.new_items} new"
    return f"{result.status.value:<12} {result.outlet}: {detail}"


def _window(args: argparse.Namespace, ctx: Context, now: datetime) -> Any:
    from counterpoint.models import Window
    from counterpoint.timeutil import parse_when

    try:
        until = parse_when(args.until, now) if args.until else now
        since = parse_when(args.since, now) if args.since else until - ctx.config.settings.window
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if since >= until:
        raise UsageError("--since must be before --until")
    return Window(since, until)


def make_digest(ctx: Context, args: argparse.Namespace, meanwhile: Any = None
                ) -> tuple[Digest, bool]:
    """Fetch (unless --offline), then build the digest; also says whether any feed failed."""
    from counterpoint.analysis.digest import build_digest
    from counterpoint.cli.heap import tune_for_batch
    from counterpoint.timeutil import utcnow
    from counterpoint.update.stored import stored_results

    tune_for_batch()  # where a big digest's arrays go (its peak memory), not what it computes
    config = ctx.config
    _window(args, ctx, utcnow())  # a bad --since/--until fails before any fetching
    with open_store(ctx) as store:
        if args.offline:
            results = stored_results(config, store)
            failed = False
        else:
            results = run_fetch(ctx, store)
            failed = any(not r.healthy for r in results)
        now = utcnow()
        window = _window(args, ctx, now)
        items = store.items_between(window.since, window.until,
                                    [o.name for o in config.outlets])
        limit = 0 if getattr(args, "all", False) else args.limit
        # Story memory: read always; recorded unless peeking (--no-record, or one story's view
        # with --story / --explain).
        peek = args.no_record or getattr(args, "explain", None) or getattr(args, "story", None)
        remember = story_cli.remember(ctx, store, window, command=args.command, now=now,
                                      record=not peek)
        digest = build_digest(config, items, results, window, now, topic=args.topic,
                              limit=limit, reading=args.reading, remember=remember,
                              only_changed=getattr(args, "new", False), meanwhile=meanwhile)
    if args.topic and not digest.stories and digest.total_stories:
        ctx.warn(f"no story in this window has the topic {args.topic!r} (a [topics] key or "
                 "label, or a label shown in the digest)")
    return digest, failed


# -- commands ----------------------------------------------------------------------------------

def cmd_fetch(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.render import jsonout

    only = parse_classes(ctx, args.only)
    with open_store(ctx) as store:
        results = run_fetch(ctx, store, only)
    if args.json:
        print(jsonout.dumps(jsonout.fetch_json(results)))
    else:
        from counterpoint.render.terminal import render_fetch

        render_fetch(ctx.out, results)
    return ExitCode.FEEDS_FAILED if any(not r.healthy for r in results) else ExitCode.OK


def cmd_digest(ctx: Context, args: argparse.Namespace) -> int:
    if args.story and args.explain:
        raise UsageError("--story and --explain both name a story: give one of them")
    from counterpoint.render import jsonout
    ahead = jsonout.StoriesAhead() if args.json and not (args.explain or args.story) else None
    digest, failed = make_digest(ctx, args, ahead or page_loader(args))  # while topics are found
    if args.explain or args.story:
        code = show_story(ctx, digest, args.explain or args.story, as_json=args.json,
                          explain=bool(args.explain), pager=not args.no_pager)
        return code if code != ExitCode.OK else (ExitCode.FEEDS_FAILED if failed else ExitCode.OK)
    if args.json:
        jsonout.write(jsonout.digest_json(digest, streamed=True, ahead=ahead), sys.stdout)
    else:
        ctx.show(front_page(ctx, digest, args), pager=not args.no_pager)
    return ExitCode.FEEDS_FAILED if failed else ExitCode.OK


def front_page(ctx: Context, digest: Digest, args: argparse.Namespace) -> list[Any]:
    """The front page's lines at the terminal's width. The default page (no --limit, --all)
    gives up its last stories while it is taller than `FRONT_PAGE_LINES`, keeping a story for
    every side that published."""
    from counterpoint.analysis.digest import with_front_page
    from counterpoint.render.frontpage import FRONT_PAGE_LINES, front_page_lines

    lines = front_page_lines(digest, ctx.out.width, everything=args.all)
    if args.all or args.limit is not None:
        return lines
    sides = len({key for entry in digest.stories for key in entry.story.affiliations})
    size = len(digest.front_page)
    while len(lines) > FRONT_PAGE_LINES and size > max(sides, 1):
        size -= 1
        digest = with_front_page(digest, ctx.config, size, reading=args.reading)
        lines = front_page_lines(digest, ctx.out.width)
    return lines


def show_story(ctx: Context, digest: Digest, story_id: str, *, as_json: bool, explain: bool,
               pager: bool) -> int:
    """One story in full (`--story`), with why its items were grouped (`--explain`)."""
    from counterpoint.analysis.digest import grouping_params
    from counterpoint.stories.explain import explain_group

    entry = digest.story(story_id)
    if entry is None:
        flag = "--explain" if explain else "--story"
        raise UsageError(f"{flag}: no story {story_id!r} in this digest (ids are s1, s2, …; "
                         "use the same window and --offline to keep them stable)")
    story = entry.story
    params = grouping_params(ctx.config)
    explanation = explain_group(story.items, params, digest.grouped()) if explain else None
    if as_json:
        from counterpoint.render import jsonout

        if explanation is not None:
            document = {"schema_version": jsonout.SCHEMA_VERSION, "story": story_id,
                        "title": story.title, **jsonout.explanation_json(explanation)}
        else:
            document = {"schema_version": jsonout.SCHEMA_VERSION,
                        "story": jsonout.story_json(entry)}
        print(jsonout.dumps(document))
        return ExitCode.OK
    from counterpoint.render.terminal import explanation_lines, story_lines

    lines = story_lines(digest, entry, ctx.out.width)
    if explanation is not None:
        lines += explanation_lines(story, explanation, ctx.out.width)
    ctx.show(lines, pager=pager)
    return ExitCode.OK


def cmd_brief(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.config.paths import briefings_dir
    from counterpoint.render.markdown import render_markdown
    from counterpoint.store.files import write_atomically

    digest, failed = make_digest(ctx, args)
    path = Path(args.output) if args.output else (
        briefings_dir() / f"{digest.generated_at:%Y-%m-%d}.md")
    write_atomically(path, render_markdown(digest))
    print(path)
    return ExitCode.FEEDS_FAILED if failed else ExitCode.OK
