"""Work on each item that grouping does not need — its figures and cross-language evidence —
done in a second process while this one groups the items, on a machine with a core to spare.

Grouping is most of a big digest and runs in one process; each item's figures and evidence
depend on the item alone (about 2.8 s of CPU in a 10,000-item digest). A forked child reads
them and hands back what it found through a pipe; `ReadAhead.finish` gives it to `figures` and
`stories.evidence`, which then answer from it. Nothing changes in what is found: the child runs
the same functions on the same items. When forking is not possible (another platform, threads
running, one core, a small batch) or the child fails, `finish` gives nothing and each item is
read when asked, as before.

Lexicon terms are not read ahead: this process reads them when it makes the stories' entries,
while the child works out the topics (below) and this process would otherwise wait for it. Read
in the child as well, they made this process wait for them after grouping instead (0.6 s of a
10,000-item digest: bench/README.md, "Round 8").

Once it has handed that back, the child stays to take jobs (`ask`, then `answer`): the stories'
titles while this process links stories across languages, and their topics while it works out
coverage, memory and the rest (about 1 s of a 10,000-item digest's wall time). It answers
with the same functions on the same items; if it fails, the job is done here instead. For the
topics, this process first matches the first stories against the `[topics]` rules (`tell`
hands the child its choices) while the child matches the others.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
import pickle
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any, BinaryIO

from counterpoint.analysis import figures
from counterpoint.models import Item, Story
from counterpoint.stories import evidence as xevidence
from counterpoint.stories.gazetteer import Gazetteer
from counterpoint.stories.group import story_title
from counterpoint.stories.topics import assign_topics, rule_choices

MIN_ITEMS = 2000
"""Below this many items a second process costs more than it saves."""

# Item -> figures (where found), and each item's evidence (or None).
Found = tuple[dict[int, Any], list[xevidence.Evidence] | None]


class ReadAhead:
    """Each item's figures and evidence, read in a forked child until `finish`."""

    def __init__(self, items: Sequence[Item], languages: Sequence[str] = (),
                 gazetteer: Gazetteer | None = None, *, min_items: int | None = None) -> None:
        """`languages` (each item's) and `gazetteer`: what the cross-language pass will read
        the items with; its evidence is read only for a batch in more than one language."""
        self._items = items
        self._languages = list(languages)
        self._gazetteer = gazetteer if len(set(languages)) > 1 else None
        self._pid = 0
        self._pipe = -1
        self._answers: BinaryIO | None = None  # the child's answers, once `finish` read on
        self._jobs: BinaryIO | None = None  # jobs for the child
        if len(items) < (MIN_ITEMS if min_items is None else min_items) or not _can_fork():
            return
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        jobs, job_pipe = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read, hand back, leave without running the parent's exits
            status = 1
            try:
                out, into = _let_go(write, jobs)
                with os.fdopen(out, "wb") as pipe, os.fdopen(into, "rb") as asked:
                    found = self._read()
                    _load_for_jobs()
                    pickle.dump(found, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                    del found
                    pipe.flush()
                    self._serve(asked, pipe)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        os.close(jobs)
        self._pid, self._pipe = pid, read
        self._jobs = os.fdopen(job_pipe, "wb")

    @property
    def started(self) -> bool:
        return self._pid != 0

    def finish(self) -> bool:
        """Wait for the child and hand on what it found; False when there was no child or it
        failed (then everything is read when asked)."""
        if not self._pid:
            return False
        self._answers = os.fdopen(self._pipe, "rb")
        try:
            found: Found = pickle.load(self._answers)
            item_figures, evidence = found
        except (EOFError, OSError, ValueError, TypeError, pickle.UnpicklingError):
            self.cancel()
            return False
        figures.remember_figures(self._items, [item_figures.get(n, ())
                                               for n in range(len(self._items))])
        if self._gazetteer is not None and evidence is not None:
            xevidence.remember_evidence(self._items, self._languages, self._gazetteer, evidence)
        return True

    def ask(self, job: str, *args: Any) -> bool:
        """Give the child a job (after `finish`): "titles" of groups of item positions, or
        "topics" of stories (`story_specs`) under rules, the first `shared` of them matched
        against the rules here (their `rule_choices` then `tell`-ed). False when there is no
        child to take it; otherwise `answer` gives what it found, jobs answered in the order
        asked."""
        if self._answers is None or self._jobs is None:
            return False
        try:
            pickle.dump((job, args), self._jobs, protocol=pickle.HIGHEST_PROTOCOL)
            self._jobs.flush()
        except (OSError, ValueError):  # the child is gone
            self.cancel()
            return False
        return True

    def tell(self, more: Any) -> bool:
        """Hand the job being done what it waits for from this process (the "topics" job: the
        rule choices of the stories it shares); False when the child is gone."""
        return self.ask("more", more)

    def answered(self) -> bool:
        """Whether the child has begun answering (`answer` will not wait long); True when
        there is no child."""
        if self._answers is None:
            return True
        import select

        return bool(select.select([self._answers], [], [], 0)[0])

    def answer(self) -> Any:
        """The answer to the oldest job not yet answered; None if the child failed (then
        nothing more is asked of it)."""
        if self._answers is None:
            return None
        try:
            return pickle.load(self._answers)
        except (EOFError, OSError, ValueError, TypeError, pickle.UnpicklingError):
            self.cancel()
            return None

    def cancel(self) -> None:
        """Stop the child: when its work is done, or the digest failed before it was needed."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            for stream in (self._answers, self._jobs):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            if self._answers is None:
                os.close(self._pipe)
            self._answers = self._jobs = None
            self._reap()

    def _reap(self) -> None:
        with contextlib.suppress(OSError):
            os.waitpid(self._pid, 0)
        self._pid = 0

    def _serve(self, asked: BinaryIO, pipe: BinaryIO) -> None:
        """In the child: answer jobs until the parent closes its end."""
        while True:
            try:
                job, args = pickle.load(asked)
            except EOFError:
                return
            if job == "titles":
                answer: Any = [story_title(members_of(self._items, group)) for group in args[0]]
            elif job == "topics":
                specs, rules, shared = args
                stories = stories_of(self._items, specs)
                mine = rule_choices(stories[shared:], rules)
                # The parent's choices of the first `shared` stories, made meanwhile (`tell`).
                theirs: Any = []
                if shared:
                    told, more = pickle.load(asked)
                    theirs = more[0] if told == "more" else None
                if theirs is None:  # not what was expected: made here
                    theirs = rule_choices(stories[:shared], rules)
                answer = assign_topics(stories, rules, [*theirs, *mine])
            else:
                raise ValueError(f"no such job: {job}")
            pickle.dump(answer, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.flush()

    def _read(self) -> Found:
        """What the child hands back: figures where found (most items state none), by
        position; every item's evidence, if asked."""
        item_figures = figures.item_figures_of(self._items)
        evidence = None if self._gazetteer is None else xevidence.evidence_of(
            self._items, self._languages, self._gazetteer)
        return {n: found for n, found in enumerate(item_figures) if found}, evidence


def _load_for_jobs() -> None:
    """In the child, before it hands its reading back: import what the titles and topics jobs
    need (numpy, scipy.sparse; ~0.2 s of CPU). On a quiet machine the child's reading is done
    before the parent has grouped (at 10,000 items ~0.4 s before) and the child would only
    wait for the parent to empty the pipe; the jobs that the parent later waits for are then
    that much shorter."""
    with contextlib.suppress(ImportError):
        import numpy  # noqa: F401
        import scipy.sparse  # noqa: F401


def _let_go(*keep: int) -> list[int]:
    """In the child, every descriptor but `keep` closed (the parent's database, its lock, the
    pipes' other ends) and the standard streams on /dev/null: if the parent dies first, a
    reader of its output sees the end at once and the next run finds the lock free. Gives
    `keep`'s numbers (moved above the standard streams if they were among them)."""
    import fcntl  # Linux only, as forking here is

    kept = []
    for descriptor in keep:
        if descriptor < 3:
            moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD, 3)
            os.close(descriptor)
            descriptor = moved
        kept.append(descriptor)
    low = 3
    for descriptor in sorted(kept):
        os.closerange(low, descriptor)
        low = descriptor + 1
    os.closerange(low, 1 << 16)
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        if stream != null:
            os.dup2(null, stream)
    if null > 2:
        os.close(null)
    return kept


def _can_fork() -> bool:
    # Forking a process that runs other threads can leave a lock held forever in the child.
    return (sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1
            and threading.active_count() == 1)


def members_of(items: Sequence[Item], group: Sequence[int]) -> tuple[Item, ...]:
    """A group's items as its story holds them: by time, then outlet and key."""
    return tuple(sorted((items[i] for i in group), key=lambda it: (it.published, it.outlet,
                                                                      it.key)))


PARENT_TITLES = 0.3
"""The share of the titling work (`titles_share`) the parent keeps: on a quiet machine the child
titled 10,000 items' groups in ~0.7 s while the parent linked them across languages in ~0.3 s
and then waited."""


def titles_share(groups: Sequence[Sequence[int]], keep: float = PARENT_TITLES) -> int:
    """How many of `groups`, from the first, the child titles: about `1 - keep` of the work,
    a group of n items costing n + 2 (of one or two items, next to nothing: measured)."""
    return _first_past([len(group) + 2 if len(group) > 2 else 0 for group in groups], 1 - keep)


StorySpec = tuple[str, str, tuple[int, ...]]
"""A story as the child is told it: id, title and its items' positions."""


PARENT_RULES = 0.5
"""The share of the topics job's rule pass (by text) the parent does while the child does the
rest: the child's topics are the last thing a big digest waits for, and the parent has time."""


def rules_share(stories: Sequence[Story], keep: float = PARENT_RULES) -> int:
    """How many of `stories`, from the first, the parent matches against the topic rules:
    about `keep` of their text (the pass reads every story's text once)."""
    return _first_past([sum(len(item.title) + len(item.summary) for item in story.items)
                        for story in stories], keep)


def _first_past(costs: Sequence[int], share: float) -> int:
    """The first n whose running total of `costs` passes `share` of their sum (else all)."""
    return bisect.bisect_right(list(itertools.accumulate(costs)), sum(costs) * share)


def story_specs(items: Sequence[Item], stories: Sequence[Story]) -> list[StorySpec]:
    position = {id(item): n for n, item in enumerate(items)}
    return [(story.id, story.title, tuple(position[id(item)] for item in story.items))
            for story in stories]


def stories_of(items: Sequence[Item], specs: Sequence[StorySpec]) -> list[Story]:
    return [Story(story_id, title, tuple(items[n] for n in positions))
            for story_id, title, positions in specs]
