"""One fetch run: download every configured feed, parse off the event loop, store as it lands.

Feeds are independent: one failing feed never stops or stalls the others. Parsing is CPU work
(feedparser is pure Python), so documents go to a pool of processes, one per core, started only
when the first document needs parsing and reused for the whole run; they hand back plain rows
(cheap to pickle). A document identical to the one last parsed (a server that ignores
conditional GET) is not parsed again. Parsed feeds are written in batches: every feed parsed
since the last write goes in one transaction, each feed's items together with its HTTP state,
so an interrupted run keeps everything written before the interruption.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from counterpoint import __version__
from counterpoint.config.load import Config, Settings
from counterpoint.fetch.http import Download, Fetcher, Limits, Validators
from counterpoint.fetch.http import cpu_count as _cpu_count
from counterpoint.models import FeedResult, FeedStatus, Outlet
from counterpoint.parse.feed import parse_feed
from counterpoint.store.db import FeedState, FeedWrite, ItemRow, Store, from_db_time, item_row
from counterpoint.timeutil import utcnow
from counterpoint.update.stored import select_feeds as select_feeds  # (run_fetch's count)

# Below this many feeds a process pool costs more to start than it saves.
MAX_HEAD_START = 0.25  # seconds; see head_starts
PROCESS_POOL_MIN_FEEDS = 8
MAX_PARSE_PROCESSES = 8
CONNECTIONS_PER_CLIENT = 32


def limits_from(settings: Settings) -> Limits:
    limits = Limits(timeout=settings.timeout, concurrency=settings.concurrency,
                    per_host=settings.per_host, max_bytes=settings.max_bytes)
    return replace(limits, user_agent=settings.user_agent) if settings.user_agent else limits


def update_feeds(config: Config, store: Store, *, only: Iterable[str] | None = None,
                 on_result: Callable[[FeedResult], None] | None = None,
                 now: datetime | None = None) -> list[FeedResult]:
    """Fetch, parse and store every selected feed; results in config order."""
    feeds = select_feeds(config, only)
    return asyncio.run(_update(feeds, store, limits_from(config.settings), now or utcnow(),
                               on_result))


@dataclass(frozen=True, slots=True)
class ParsedRows:
    """A parsed document as it crosses back from a parser process."""

    rows: tuple[ItemRow, ...]
    error: str | None = None


def parse_rows(content: bytes, url: str, outlet: str, affiliation: str, fetched_at: datetime,
               content_type: str | None) -> ParsedRows:
    parsed = parse_feed(content, url, outlet, affiliation, fetched_at, content_type)
    return ParsedRows(tuple(map(item_row, parsed.items)), parsed.error)


def content_hash(download: Download) -> str:
    """Identifies a document and everything its items depend on, this version's parser too."""
    digest = hashlib.blake2b(download.content or b"", digest_size=20)
    for part in (__version__, download.final_url or download.url, download.content_type or ""):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def _start_parser_process() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    # Once per process, while the network is still waiting: the fast path, and feedparser
    # for the documents the fast path declines.
    import feedparser  # noqa: F401

    import counterpoint.parse.fast  # noqa: F401


def _exit_with_parent() -> None:
    """A parse worker ends when the run that started it dies, even by kill -9 (forked workers
    share the pool's pipes, so they would otherwise wait for work forever)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _executor(feeds: int) -> Executor:
    if feeds >= PROCESS_POOL_MIN_FEEDS and _cpu_count() > 1:
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when parsing

        return ProcessPoolExecutor(max_workers=min(_cpu_count(), MAX_PARSE_PROCESSES),
                                   initializer=_start_parser_process)
    return ThreadPoolExecutor(max_workers=1)


def deferred(state: FeedState | None, now: datetime, verb: str) -> str | None:
    """Why a feed is not asked now, if its server's Retry-After (kept in the store) still runs."""
    if state is None or state.retry_after is None or state.retry_after <= now:
        return None
    return (f"not {verb}: server asked to wait until {state.retry_after:%Y-%m-%d %H:%M} UTC "
            "(Retry-After)")


def head_starts(states: dict[str, FeedState], urls: list[str]) -> dict[str, float]:
    """How long to hold back each feed that answered fast last time.

    Sending hundreds of requests keeps the event loop busy for a fraction of a second; holding
    the fast feeds back a little lets the slow ones' requests go out first, so the run waits for
    the slowest answer and not for the slowest answer plus the queue before it. A feed never
    waits more than a quarter of its lead over the slowest, nor more than MAX_HEAD_START.
    """
    known: dict[str, float] = {}
    for url in urls:
        state = states.get(url)
        if state is not None and state.elapsed is not None:
            known[url] = state.elapsed
    if not known:
        return {}
    slowest = max(known.values())
    return {url: min(0.25 * (slowest - elapsed), MAX_HEAD_START)
            for url, elapsed in known.items() if elapsed < slowest}


def _last_elapsed(state: FeedState | None) -> float:
    return float("inf") if state is None or state.elapsed is None else state.elapsed


def _never_fetched(state: FeedState | None) -> bool:
    return state is None or not (state.etag or state.last_modified or state.content_hash)


async def _update(feeds: list[tuple[Outlet, str]], store: Store, limits: Limits, now: datetime,
                  on_result: Callable[[FeedResult], None] | None) -> list[FeedResult]:
    states = store.feed_states()
    results: dict[str, FeedResult] = {}
    by_url = {url: outlet for outlet, url in feeds}
    to_fetch: list[tuple[str, Validators]] = []
    for outlet, url in feeds:
        state = states.get(url) or FeedState(url, outlet.name)
        waiting = deferred(state, now, "fetched")
        if waiting:
            result = FeedResult(
                outlet.name, outlet.affiliation, url, FeedStatus.ERROR, error=waiting,
                checked_at=now, last_ok=state.last_ok, newest_item=state.newest_item)
            results[url] = result
            if on_result:
                on_result(result)
            continue
        to_fetch.append((url, Validators(state.etag, state.last_modified)))

    # Ask the feeds that answered slowest last time first, so the run waits for the slowest
    # answer only once (feeds never asked yet go first too: they may be slow).
    to_fetch.sort(key=lambda entry: -_last_elapsed(states.get(entry[0])))
    loop = asyncio.get_running_loop()
    executors: list[Executor] = []  # made when the first document needs parsing (never, warm)

    def executor() -> Executor:
        if not executors:
            executors.append(_executor(len(to_fetch)))
        return executors[0]

    if sum(_never_fetched(states.get(url)) for url, _ in to_fetch) >= PROCESS_POOL_MIN_FEEDS:
        executor().submit(int)  # documents are coming: start the parsers while the network waits
    landed: asyncio.Queue[tuple[Outlet, FeedState, Download, ParsedRows | None, str | None]]
    landed = asyncio.Queue()

    async def parse(download: Download) -> None:
        outlet = by_url[download.url]
        state = states.get(download.url) or FeedState(download.url, outlet.name)
        parsed: ParsedRows | None = None
        digest = None
        if download.status is FeedStatus.OK and download.content is not None:
            digest = content_hash(download)
            if digest != state.content_hash:
                parsed = await loop.run_in_executor(
                    executor(), parse_rows, download.content, download.final_url or download.url,
                    outlet.name, outlet.affiliation, now, download.content_type)
        landed.put_nowait((outlet, state, download, parsed, digest))

    async def write() -> None:
        while True:
            batch = [await landed.get()]
            while not landed.empty():
                batch.append(landed.get_nowait())
            outcomes = [_outcome(*entry, now) for entry in batch]
            added = store.save_feeds([write for write, _ in outcomes], now)
            for (_, result), count in zip(outcomes, added, strict=True):
                result = replace(result, new_items=count)
                results[result.url] = result
                if on_result:
                    on_result(result)
            for _ in batch:
                landed.task_done()

    writer = asyncio.create_task(write())
    delays = head_starts(states, [url for url, _ in to_fetch])
    fetching = asyncio.create_task(_download_then_drain(to_fetch, limits, parse, landed, delays))
    try:
        # A failed write (disk full, a callback's error) ends the run at once, not at the end.
        await asyncio.wait((writer, fetching), return_when=asyncio.FIRST_COMPLETED)
        if writer.done():
            writer.result()
        await fetching
    finally:
        for task in (writer, fetching):
            task.cancel()
        for pool in executors:
            pool.shutdown(wait=False, cancel_futures=True)
    return [results[url] for _, url in feeds if url in results]


async def _download_then_drain(to_fetch: list[tuple[str, Validators]], limits: Limits,
                               parse: Callable[[Download], Awaitable[None]],
                               landed: asyncio.Queue[Any],
                               delays: dict[str, float] | None = None) -> None:
    delays = delays or {}
    # Redirects may go to any configured feed's host, as with one client.
    hosts = [host for host in (urlsplit(url).hostname for url, _ in to_fetch) if host]

    async def shard(urls: list[tuple[str, Validators]], shard_limits: Limits) -> None:
        async with Fetcher(shard_limits, feed_hosts=hosts) as fetcher:
            async def one(url: str, validators: Validators) -> None:
                if delays.get(url):
                    await asyncio.sleep(delays[url])
                await parse(await fetcher.download(url, validators))

            await asyncio.gather(*(one(url, v) for url, v in urls))

    await asyncio.gather(*(shard(urls, shard_limits)
                           for urls, shard_limits in shard_by_host(to_fetch, limits)))
    await landed.join()


def shard_by_host(to_fetch: list[tuple[str, Validators]], limits: Limits
                  ) -> list[tuple[list[tuple[str, Validators]], Limits]]:
    """Split the feeds among several HTTP clients, each host in one, sharing `concurrency`.

    httpcore's connection pool scans all its connections for every request it starts or
    finishes (cubic in connections over a run), so one pool of hundreds of connections costs
    the event loop seconds of CPU; pools of a few dozen cost nothing. Each host stays in one
    shard, so `per_host` still holds; the shards' limits add up to `concurrency`.
    """
    by_host: dict[str, list[tuple[str, Validators]]] = {}
    for url, validators in to_fetch:
        by_host.setdefault((urlsplit(url).hostname or "").lower(), []).append((url, validators))
    count = min(len(by_host), -(-limits.concurrency // CONNECTIONS_PER_CLIENT))
    if count <= 1:
        return [(to_fetch, limits)]
    shards: list[list[tuple[str, Validators]]] = [[] for _ in range(count)]
    for urls in sorted(by_host.values(), key=len, reverse=True):
        min(shards, key=len).extend(urls)
    return [(urls, replace(limits, concurrency=max(1, limits.concurrency * len(urls)
                                                   // len(to_fetch))))
            for urls in shards]


def _outcome(outlet: Outlet, state: FeedState, download: Download, parsed: ParsedRows | None,
             digest: str | None, now: datetime) -> tuple[FeedWrite, FeedResult]:
    """What to store for one feed, and its result line (`new_items` is filled in once stored)."""
    error = download.error or (parsed.error if parsed else None)
    unchanged = download.status is FeedStatus.OK and parsed is None and not error
    status = FeedStatus.ERROR if error else (
        FeedStatus.NOT_MODIFIED if unchanged else download.status)
    healthy = status is not FeedStatus.ERROR
    # Validators are kept only when the document was usable, so a broken feed is re-read whole.
    validators = download.validators if healthy else Validators(state.etag, state.last_modified)
    new_state = replace(
        state, outlet=outlet.name, etag=validators.etag, last_modified=validators.last_modified,
        status=status, error=error, http_status=download.http_status, checked_at=now,
        last_ok=now if healthy else state.last_ok, retry_after=download.retry_after,
        permanent_redirect=download.permanent_redirect,
        content_hash=(digest if parsed else state.content_hash) if healthy else None,
        elapsed=download.elapsed if download.elapsed else state.elapsed)
    rows = parsed.rows if parsed and healthy else ()
    newest = from_db_time(max((row.published for row in rows), default=None))
    if state.newest_item and (newest is None or state.newest_item > newest):
        newest = state.newest_item
    result = FeedResult(
        outlet.name, outlet.affiliation, download.url, status, error=error,
        http_status=download.http_status, checked_at=now, last_ok=new_state.last_ok,
        newest_item=newest, healthy=healthy, permanent_redirect=download.permanent_redirect,
        elapsed=download.elapsed, items_seen=len(rows))
    return FeedWrite(new_state, rows), result
