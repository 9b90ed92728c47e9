"""Work on each item that grouping does not need — its figures and lexicon terms — done in a
second process while this one groups the items, on a machine with a core to spare.

Grouping is most of a big digest and runs in one process; each item's figures and terms depend
on the item alone (about 1.4 s of a 10,000-item digest). A forked child reads them and hands
back what it found through a pipe; `ReadAhead.finish` gives it to `figures` and `terms`, which
then answer from it. Nothing changes in what is found: the child runs the same functions on the
same items. When forking is not possible (another platform, threads running, one core, a small
batch) or the child fails, `finish` gives nothing and each item is read when asked, as before.
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

MIN_ITEMS = 2000
"""Below this many items a second process costs more than it saves."""

Found = tuple[dict[int, Any], dict[int, Any]]  # item -> figures, text -> terms (found only)


class ReadAhead:
    """Each item's figures and terms, read in a forked child until `finish` (or `cancel`)."""

    def __init__(self, items: Sequence[Item], lexicon: Sequence[LexiconGroup], *,
                 min_items: int = MIN_ITEMS) -> None:
        self._items = items
        self._lexicon = tuple(lexicon)
        self._pid = 0
        self._pipe = -1
        if len(items) < min_items or not _can_fork():
            return
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read, hand back, leave without running the parent's exits
            status = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    pickle.dump(_read(items, self._lexicon), pipe,
                                protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._pipe = pid, read

    @property
    def started(self) -> bool:
        return self._pid != 0

    def finish(self) -> bool:
        """Wait for the child and give what it found to `figures` and `terms`; False when there
        was no child or it failed (then everything is read when asked)."""
        if not self._pid:
            return False
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                found: Found = pickle.load(pipe)
            item_figures, text_terms = found
        except (EOFError, OSError, ValueError, TypeError, pickle.UnpicklingError):
            return False
        finally:
            self._reap()
        figures.remember_figures(self._items, [item_figures.get(n, ())
                                               for n in range(len(self._items))])
        texts = _texts(self._items)
        terms.remember_terms(self._lexicon, texts, [text_terms.get(n, ())
                                                    for n in range(len(texts))])
        return True

    def cancel(self) -> None:
        """Stop the child (the digest failed before it was needed)."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            os.close(self._pipe)
            self._reap()

    def _reap(self) -> None:
        with contextlib.suppress(OSError):
            os.waitpid(self._pid, 0)
        self._pid = 0


def _can_fork() -> bool:
    # Forking a process that runs other threads can leave a lock held forever in the child.
    return (sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1
            and threading.active_count() == 1)


def _texts(items: Sequence[Item]) -> list[str]:
    return [text for item in items for text in (item.title, item.summary)]


def _read(items: Sequence[Item], lexicon: tuple[LexiconGroup, ...]) -> Found:
    """What the child hands back: only what was found (most items state no figure and use no
    lexicon term), by position."""
    item_figures = figures.item_figures_of(items)
    text_terms = terms.terms_of(_texts(items), lexicon)
    return ({n: found for n, found in enumerate(item_figures) if found},
            {n: found for n, found in enumerate(text_terms) if found})
