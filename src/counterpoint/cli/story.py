"""Story memory on the command line: the `--new` / `--no-record` options of `digest` and
`brief`, the step that reads and records memory after a digest is built, and `story KEY`.

Recording is one `BEGIN IMMEDIATE` transaction (read what memory holds, decide, write, prune),
so digests running at once are serialised by SQLite and never both show a story as new; a run
killed before that transaction commits leaves memory as the previous run left it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from counterpoint.cli.context import Context
from counterpoint.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from counterpoint.analysis.digest import Remember
    from counterpoint.analysis.memory import StoryMemory
    from counterpoint.models import Story, Window
    from counterpoint.store.db import Store

CommandFactory = Callable[[str, str, str], argparse.ArgumentParser]


def add_memory_options(parser: argparse.ArgumentParser, *, new: bool) -> None:
    if new:
        parser.add_argument("--new", action="store_true",
                            help="only stories new or updated since the previous digest or "
                                 "brief run on this database")
    parser.add_argument("--no-record", "--dry-run", dest="no_record", action="store_true",
                        help="do not record this run in story memory (peek: the next run "
                             "still sees these stories as new or updated)")


def add_command(commands: Any, command: CommandFactory) -> None:
    story = command("story", "one story's timeline across days, from story memory",
                    "  counterpoint digest --json | jq -r '.stories[0].key'\n"
                    "  counterpoint story k1a2b3c4d5e\n  counterpoint story k1a2b3c4d5e --json\n")
    story.add_argument("key", metavar="KEY", help="a story key (the `key` of digest --json, "
                                                  "or shown by digest --story ID); a unique "
                                                  "prefix is enough")
    story.add_argument("--json", action="store_true", help="the timeline as JSON")
    story.set_defaults(handler=cmd_story)


def remember(ctx: Context, store: Store, window: Window, *, command: str, record: bool,
             now: datetime) -> Remember:
    """The digest's memory step: each story's key, status and changes, recorded unless
    `record` is off (read and written in one transaction)."""
    from counterpoint.analysis import memory as decide
    from counterpoint.analysis.digest import grouping_params
    from counterpoint.store import memory

    settings = ctx.config.settings
    params = grouping_params(ctx.config)

    def step(stories: Sequence[Story]) -> dict[str, StoryMemory]:
        if not record:
            recall = memory.recall(store.db, window.since, window.until, params.window)
            return decide.remember(stories, recall, params)[0]
        with store.transaction() as db:
            recall = memory.recall(db, window.since, window.until, params.window)
            memories, records = decide.remember(stories, recall, params)
            memory.record(db, memory.RunRecord(command, now, window.since, window.until,
                                               tuple(records)))
            forgotten = memory.prune(db, now - settings.keep)
        if forgotten and ctx.verbose:
            from counterpoint.render.words import plural

            ctx.log(f"story memory: forgot {plural(forgotten, 'story')} not shown for "
                    f"{plural(settings.keep.days, 'day')}")
        return memories

    return step


def cmd_story(ctx: Context, args: argparse.Namespace) -> int:
    from counterpoint.analysis.memory import timeline
    from counterpoint.store.db import Store
    from counterpoint.store.memory import history, story_keys_like

    with Store(ctx.db_path) as store:
        found = history(store.db, args.key)
        if found is None:
            matches = story_keys_like(store.db, args.key)
            if len(matches) == 1:
                found = history(store.db, matches[0])
            elif matches:
                raise UsageError(f"story key {args.key!r} is ambiguous: "
                                 f"{', '.join(matches)}, …")
    if found is None:
        raise UsageError(f"no story {args.key!r} in story memory (keys are the `key` of "
                         "digest --json; stories not shown for settings.keep are forgotten)")
    story = timeline(found, ctx.config.affiliations, [o.name for o in ctx.config.outlets])
    if args.json:
        from counterpoint.render import jsonout

        print(jsonout.dumps(jsonout.timeline_json(story)))
    else:
        from counterpoint.render.story import render_timeline

        render_timeline(ctx.out, story)
    return ExitCode.OK
