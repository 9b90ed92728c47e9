"""One fetch run: download every configured feed, parse off the event loop, store as it lands.

Feeds are independent: one failing feed never stops or stalls the others. Each feed's new
items and HTTP state are written in one transaction as soon as that feed is parsed, so an
interrupted run keeps everything finished before the interruption.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime

from counterpoint.config import Config, Settings
from counterpoint.fetch import Download, Limits, Validators, download_all
from counterpoint.fetch import cpu_count as _cpu_count
from counterpoint.models import FeedResult, FeedStatus, Outlet
from counterpoint.parse import ParsedFeed, parse_feed
from counterpoint.store import FeedState, Store
from counterpoint.timeutil import utcnow

# Below this many documents a process pool costs more to start than it saves.
PROCESS_POOL_MIN_FEEDS = 8


def limits_from(settings: Settings) -> Limits:
    limits = Limits(timeout=settings.timeout, concurrency=settings.concurrency,
                    per_host=settings.per_host, max_bytes=settings.max_bytes)
    return replace(limits, user_agent=settings.user_agent) if settings.user_agent else limits


def select_feeds(config: Config, only: Iterable[str] | None = None) -> list[tuple[Outlet, str]]:
    classes = set(only) if only else None
    return [(o, url) for o, url in config.feeds() if classes is None or o.affiliation in classes]


def update_feeds(config: Config, store: Store, *, only: Iterable[str] | None = None,
                 on_result: Callable[[FeedResult], None] | None = None,
                 now: datetime | None = None) -> list[FeedResult]:
    """Fetch, parse and store every selected feed; results in config order."""
    feeds = select_feeds(config, only)
    return asyncio.run(_update(feeds, store, limits_from(config.settings), now or utcnow(),
                               on_result))


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _executor(feeds: int) -> Executor:
    if feeds >= PROCESS_POOL_MIN_FEEDS and _cpu_count() > 1:
        return ProcessPoolExecutor(max_workers=min(_cpu_count(), 4), initializer=_ignore_sigint)
    return ThreadPoolExecutor(max_workers=1)


async def _update(feeds: list[tuple[Outlet, str]], store: Store, limits: Limits, now: datetime,
                  on_result: Callable[[FeedResult], None] | None) -> list[FeedResult]:
    states = store.feed_states()
    results: dict[str, FeedResult] = {}
    by_url = {url: outlet for outlet, url in feeds}
    to_fetch: list[tuple[str, Validators]] = []
    for outlet, url in feeds:
        state = states.get(url) or FeedState(url, outlet.name)
        if state.retry_after and state.retry_after > now:
            result = FeedResult(
                outlet.name, outlet.affiliation, url, FeedStatus.ERROR,
                error=f"not fetched: server asked to wait until {state.retry_after:%Y-%m-%d %H:%M}"
                      " UTC (Retry-After)",
                checked_at=now, last_ok=state.last_ok, newest_item=state.newest_item)
            results[url] = result
            if on_result:
                on_result(result)
            continue
        to_fetch.append((url, Validators(state.etag, state.last_modified)))

    loop = asyncio.get_running_loop()
    executor = _executor(len(to_fetch))

    async def landed(download: Download) -> None:
        outlet = by_url[download.url]
        state = states.get(download.url) or FeedState(download.url, outlet.name)
        parsed: ParsedFeed | None = None
        if download.status == "ok" and download.content is not None:
            parsed = await loop.run_in_executor(
                executor, parse_feed, download.content, download.final_url or download.url,
                outlet.name, outlet.affiliation, now, download.content_type)
        result = _record(store, outlet, state, download, parsed, now)
        results[download.url] = result
        if on_result:
            on_result(result)

    try:
        await download_all(to_fetch, limits, landed)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    return [results[url] for _, url in feeds if url in results]


def _record(store: Store, outlet: Outlet, state: FeedState, download: Download,
            parsed: ParsedFeed | None, now: datetime) -> FeedResult:
    """Persist one feed's outcome and items; return its result line."""
    error = download.error or (parsed.error if parsed else None)
    status = FeedStatus.ERROR if error else FeedStatus(download.status)
    healthy = status is not FeedStatus.ERROR
    # Validators are kept only when the document was usable, so a broken feed is re-read whole.
    validators = download.validators if healthy else Validators(state.etag, state.last_modified)
    new_state = replace(
        state, outlet=outlet.name, etag=validators.etag, last_modified=validators.last_modified,
        status=status.value, error=error, http_status=download.http_status, checked_at=now,
        last_ok=now if healthy else state.last_ok, retry_after=download.retry_after,
        permanent_redirect=download.permanent_redirect)
    items = parsed.items if parsed and healthy else ()
    added = store.save_feed_and_items(new_state, items, now)
    newest = max((i.published for i in items), default=None)
    if state.newest_item and (newest is None or state.newest_item > newest):
        newest = state.newest_item
    return FeedResult(
        outlet.name, outlet.affiliation, download.url, status, error=error, new_items=added,
        http_status=download.http_status, checked_at=now, last_ok=new_state.last_ok,
        newest_item=newest, healthy=healthy, permanent_redirect=download.permanent_redirect,
        elapsed=download.elapsed, items_seen=len(items))


def stored_results(config: Config, store: Store, only: Iterable[str] | None = None
                   ) -> list[FeedResult]:
    """Each feed as of its last fetch, for runs that do not fetch (`--offline`)."""
    states = store.feed_states()
    results = []
    for outlet, url in select_feeds(config, only):
        state = states.get(url)
        if state is None:
            results.append(FeedResult(outlet.name, outlet.affiliation, url, FeedStatus.OFFLINE,
                                      error="never fetched"))
            continue
        healthy = state.status in (FeedStatus.OK.value, FeedStatus.NOT_MODIFIED.value)
        results.append(FeedResult(
            outlet.name, outlet.affiliation, url, FeedStatus.OFFLINE,
            error=None if healthy else (state.error or "never fetched successfully"),
            http_status=state.http_status, checked_at=state.checked_at, last_ok=state.last_ok,
            newest_item=state.newest_item, healthy=healthy,
            permanent_redirect=state.permanent_redirect))
    return results
