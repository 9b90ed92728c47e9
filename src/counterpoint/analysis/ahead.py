"""Work on each item that grouping does not need — its figures, lexicon terms and
cross-language evidence — done in a second process while this one groups the items, on a
machine with a core to spare.

Grouping is most of a big digest and runs in one process; each item's figures, terms and
evidence depend on the item alone (about 2.3 s of a 10,000-item digest). A forked child reads
them and hands back what it found through a pipe; `ReadAhead.finish` gives it to `figures`,
`terms` and `stories.evidence`, which then answer from it. Nothing changes in what is found: the
child runs the same functions on the same items. When forking is not possible (another
platform, threads running, one core, a small batch) or the child fails, `finish` gives nothing
and each item is read when asked, as before.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from counterpoint.analysis import figures, terms
from counterpoint.models import Item, LexiconGroup
from counterpoint.stories import evidence as xevidence
from counterpoint.stories.gazetteer import Gazetteer

MIN_ITEMS = 2000
"""Below this many items a second process costs more than it saves."""

# Item -> figures, text -> terms (where found), and each item's evidence (or None).
Found = tuple[dict[int, Any], dict[int, Any], list[xevidence.Evidence] | None]


class ReadAhead:
    """Each item's figures, terms and evidence, read in a forked child until `finish`."""

    def __init__(self, items: Sequence[Item], lexicon: Sequence[LexiconGroup],
                 languages: Sequence[str] = (), gazetteer: Gazetteer | None = None, *,
                 min_items: int | None = None) -> None:
        """`languages` (each item's) and `gazetteer`: what the cross-language pass will read
        the items with; its evidence is read only for a batch in more than one language."""
        self._items = items
        self._lexicon = tuple(lexicon)
        self._languages = list(languages)
        self._gazetteer = gazetteer if len(set(languages)) > 1 else None
        self._pid = 0
        self._pipe = -1
        if len(items) < (MIN_ITEMS if min_items is None else min_items) or not _can_fork():
            return
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read, hand back, leave without running the parent's exits
            status = 1
            try:
                with os.fdopen(_let_go(write), "wb") as pipe:
                    pickle.dump(self._read(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._pipe = pid, read

    @property
    def started(self) -> bool:
        return self._pid != 0

    def finish(self) -> bool:
        """Wait for the child and hand on what it found; False when there was no child or it
        failed (then everything is read when asked)."""
        if not self._pid:
            return False
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                found: Found = pickle.load(pipe)
            item_figures, text_terms, evidence = found
        except (EOFError, OSError, ValueError, TypeError, pickle.UnpicklingError):
            return False
        finally:
            self._reap()
        figures.remember_figures(self._items, [item_figures.get(n, ())
                                               for n in range(len(self._items))])
        texts = _texts(self._items)
        terms.remember_terms(self._lexicon, texts, [text_terms.get(n, ())
                                                    for n in range(len(texts))])
        if self._gazetteer is not None and evidence is not None:
            xevidence.remember_evidence(self._items, self._languages, self._gazetteer, evidence)
        return True

    def cancel(self) -> None:
        """Stop the child if it was never waited for (the digest failed before it was needed)."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            os.close(self._pipe)
            self._reap()

    def _reap(self) -> None:
        with contextlib.suppress(OSError):
            os.waitpid(self._pid, 0)
        self._pid = 0

    def _read(self) -> Found:
        """What the child hands back: figures and terms where found (most items state no
        figure and use no lexicon term), by position; every item's evidence, if asked."""
        item_figures = figures.item_figures_of(self._items)
        text_terms = terms.terms_of(_texts(self._items), self._lexicon)
        evidence = None if self._gazetteer is None else xevidence.evidence_of(
            self._items, self._languages, self._gazetteer)
        return ({n: found for n, found in enumerate(item_figures) if found},
                {n: found for n, found in enumerate(text_terms) if found}, evidence)


def _let_go(keep: int) -> int:
    """In the child, every descriptor but `keep` closed (the parent's database, its lock, the
    pipe's reading end) and the standard streams on /dev/null: if the parent dies first, a
    reader of its output sees the end at once and the next run finds the lock free. Gives
    `keep`'s number (moved above the standard streams if it was one of them)."""
    if keep < 3:
        import fcntl  # Linux only, as forking here is

        moved = fcntl.fcntl(keep, fcntl.F_DUPFD, 3)
        os.close(keep)
        keep = moved
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        if stream != null:
            os.dup2(null, stream)
    if null > 2:
        os.close(null)
    return keep


def _can_fork() -> bool:
    # Forking a process that runs other threads can leave a lock held forever in the child.
    return (sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1
            and threading.active_count() == 1)


def _texts(items: Sequence[Item]) -> list[str]:
    return [text for item in items for text in (item.title, item.summary)]
