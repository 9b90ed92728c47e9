"""Each feed as the store last saw it, for runs that do not fetch (`--offline`).

Apart from `update.run` so an offline digest does not import the fetching machinery (asyncio,
the HTTP client, the feed parser: ~0.1 s of every offline run).
"""

from __future__ import annotations

from collections.abc import Iterable

from counterpoint.config.load import Config
from counterpoint.models import FeedResult, FeedStatus, Outlet
from counterpoint.store.db import Store


def select_feeds(config: Config, only: Iterable[str] | None = None) -> list[tuple[Outlet, str]]:
    classes = set(only) if only else None
    return [(o, url) for o, url in config.feeds() if classes is None or o.affiliation in classes]


def stored_results(config: Config, store: Store, only: Iterable[str] | None = None
                   ) -> list[FeedResult]:
    """Each feed as of its last fetch, for runs that do not fetch (`--offline`)."""
    states = store.feed_states()
    results = []
    for outlet, url in select_feeds(config, only):
        state = states.get(url)
        if state is None:
            results.append(unfetched_result(outlet, url))
            continue
        healthy = state.status in (FeedStatus.OK, FeedStatus.NOT_MODIFIED)
        results.append(FeedResult(
            outlet.name, outlet.affiliation, url, FeedStatus.OFFLINE,
            error=None if healthy else (state.error or "never fetched successfully"),
            http_status=state.http_status, checked_at=state.checked_at, last_ok=state.last_ok,
            newest_item=state.newest_item, healthy=healthy,
            permanent_redirect=state.permanent_redirect))
    return results


def unfetched_result(outlet: Outlet, url: str) -> FeedResult:
    """The result shown, offline, for a feed the store knows nothing of (`never_fetched`)."""
    return FeedResult(outlet.name, outlet.affiliation, url, FeedStatus.OFFLINE,
                      error="never fetched")
