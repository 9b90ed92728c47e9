"""How healthy the configured feeds are (`feeds check`) and how the mix stands (`feeds balance`).

`check_feeds` asks every feed now, through the same `fetch.Fetcher` and `parse.parse_feed` a
fetch run uses, but it stores nothing: it sends no validators (a full GET, so it can count items
and date the newest one), leaves the store alone and so takes no run lock; it can run while a
fetch is in progress. Only the store's Retry-After is honoured, so a check never hammers a
server that asked to be left alone.

`class_balance` is pure: configured outlets and healthy feeds per class against `[balance]`.
"""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from counterpoint.analysis.coverage import outlet_health
from counterpoint.analysis.sides import affiliation_order
from counterpoint.models import FeedResult, FeedStatus, Outlet

if TYPE_CHECKING:
    from counterpoint.config.load import Config
    from counterpoint.fetch.http import Download
    from counterpoint.store.db import FeedState

THIN_SHORTFALL = 0.5  # a class is thin below half the share of healthy outlets its weight asks


# -- check ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FeedCheck:
    """One feed asked now. `result.newest_item` is the newest dated item in the document."""

    result: FeedResult
    dated_items: int = 0
    stale: bool = False
    fix: str | None = None

    def newest_age(self, now: datetime) -> timedelta | None:
        newest = self.result.newest_item
        return None if newest is None else max(now - newest, timedelta(0))


def check_feeds(config: Config, states: Mapping[str, FeedState], now: datetime,
                on_check: Callable[[FeedCheck], None] | None = None) -> list[FeedCheck]:
    """Fetch and parse every configured feed now; results in config order. Stores nothing."""
    return asyncio.run(_check(config, states, now, on_check))


async def _check(config: Config, states: Mapping[str, FeedState], now: datetime,
                 on_check: Callable[[FeedCheck], None] | None) -> list[FeedCheck]:
    from counterpoint.fetch.http import Fetcher
    from counterpoint.update.run import deferred, limits_from

    feeds = config.feeds()
    stale_after = config.settings.stale_after
    checks: dict[str, FeedCheck] = {}
    loop = asyncio.get_running_loop()

    async def one(fetcher: Fetcher, outlet: Outlet, url: str) -> None:
        waiting = deferred(states.get(url), now, "checked")
        if waiting:
            result = FeedResult(outlet.name, outlet.affiliation, url, FeedStatus.ERROR,
                                error=waiting, checked_at=now)
            check = FeedCheck(result)
        else:
            download = await fetcher.download(url)
            check = await loop.run_in_executor(None, _assess, outlet, download, now, stale_after)
        check = replace(check, fix=fix_for(check, config))
        checks[url] = check
        if on_check:
            on_check(check)

    async with Fetcher(limits_from(config.settings)) as fetcher:
        await asyncio.gather(*(one(fetcher, outlet, url) for outlet, url in feeds))
    return [checks[url] for _, url in feeds]


def _assess(outlet: Outlet, download: Download, now: datetime,
            stale_after: timedelta) -> FeedCheck:
    from counterpoint.parse.feed import parse_feed

    error = download.error
    items: Sequence[Any] = ()
    if download.status is FeedStatus.OK and download.content is not None:
        parsed = parse_feed(download.content, download.final_url or download.url, outlet.name,
                            outlet.affiliation, now, download.content_type)
        error = error or parsed.error
        items = parsed.items
    dated = [item.published for item in items if item.dated]
    newest = max(dated, default=None)
    healthy = error is None
    result = FeedResult(
        outlet.name, outlet.affiliation, download.url,
        FeedStatus.OK if healthy else FeedStatus.ERROR, error=error,
        http_status=download.http_status, checked_at=now, last_ok=now if healthy else None,
        newest_item=newest, healthy=healthy, permanent_redirect=download.permanent_redirect,
        elapsed=download.elapsed, items_seen=len(items))
    stale = healthy and (not items or (newest is not None and newest < now - stale_after))
    return FeedCheck(result, len(dated), stale)


def fix_for(check: FeedCheck, config: Config) -> str | None:
    """One line the user can act on, for a moved or gone feed; never applied automatically."""
    result = check.result
    where = f"in {config.path}" if config.path else (
        "after `counterpoint init`, in the feeds.toml it writes")
    if result.permanent_redirect:
        return (f"{where}, outlet {result.outlet!r}: replace \"{result.url}\" with "
                f"\"{result.permanent_redirect}\" (moved permanently)")
    if result.http_status in (404, 410):
        outlet = config.outlet(result.outlet)
        if outlet is not None and len(outlet.feeds) == 1:
            return (f"counterpoint feeds remove {shlex.quote(result.outlet)}   (or find its new "
                    f"feed: counterpoint feeds add SITE_URL --name {shlex.quote(result.outlet)} "
                    "--affiliation " f"{result.affiliation} --dry-run)")
        return f"{where}, outlet {result.outlet!r}: remove \"{result.url}\" from feeds"
    return None


# -- balance --------------------------------------------------------------------------------------
OK, THIN, EMPTY, NEVER_FETCHED, UNWEIGHTED = "ok", "thin", "empty", "never fetched", "unweighted"


@dataclass(frozen=True, slots=True)
class ClassBalance:
    affiliation: str
    label: str
    weight: float
    share: float  # of the reading list that the weights ask for
    outlets: int
    feeds: int
    healthy_feeds: int
    healthy_outlets: int  # outlets with at least one healthy feed
    never_fetched: int  # feeds with no stored status
    state: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"affiliation": self.affiliation, "label": self.label, "weight": self.weight,
                "share": round(self.share, 4), "outlets": self.outlets, "feeds": self.feeds,
                "healthy_feeds": self.healthy_feeds, "healthy_outlets": self.healthy_outlets,
                "never_fetched": self.never_fetched, "state": self.state,
                "reason": self.reason}


def class_balance(config: Config, results: Sequence[FeedResult]) -> list[ClassBalance]:
    """Per class (alphabetical order): outlets, healthy feeds, and whether it is thin or empty.

    `results` are the stored results (`update.stored_results`); a feed the store knows nothing
    of counts as never fetched. A weighted class is empty with no outlet or no healthy feed,
    and thin with one healthy outlet or fewer healthy outlets than half the share its weight
    asks for.
    """
    health = outlet_health(config.outlets, results)
    classes = affiliation_order(dict.fromkeys([*config.affiliations,
                                               *(o.affiliation for o in config.outlets)]))
    total_weight = sum(config.balance.get(key, 0.0) for key in classes) or 1.0
    never = {r.url for r in results if r.never_fetched}
    rows = []
    all_healthy = sum(h.reachable for h in health.values()) or 0
    for key in classes:
        outlets = [o for o in config.outlets if o.affiliation == key]
        feeds = [url for o in outlets for url in o.feeds]
        healthy_feeds = sum(health[o.name].healthy_feeds for o in outlets)
        healthy_outlets = sum(health[o.name].reachable for o in outlets)
        unfetched = sum(url in never for url in feeds)
        weight = config.balance.get(key, 0.0)
        share = weight / total_weight
        state, reason = _state(weight, share, len(outlets), len(feeds), unfetched,
                               healthy_outlets, all_healthy)
        rows.append(ClassBalance(key, config.affiliations.get(key, key), weight, share,
                                 len(outlets), len(feeds), healthy_feeds, healthy_outlets,
                                 unfetched, state, reason))
    return rows


def _state(weight: float, share: float, outlets: int, feeds: int, unfetched: int,
           healthy_outlets: int, all_healthy: int) -> tuple[str, str]:
    if not outlets:
        return (EMPTY if weight > 0 else UNWEIGHTED), "no outlet configured"
    if feeds and unfetched == feeds:
        return NEVER_FETCHED, "never fetched: run `counterpoint fetch`"
    if weight <= 0:
        return UNWEIGHTED, "weight 0 in [balance]: left out of the reading list"
    if not healthy_outlets:
        return EMPTY, "no healthy feed (see `counterpoint feeds check`)"
    if healthy_outlets == 1:
        return THIN, "a single healthy outlet"
    actual = healthy_outlets / all_healthy if all_healthy else 0.0
    if actual < share * THIN_SHORTFALL:
        return THIN, (f"{actual:.0%} of healthy outlets, [balance] asks for {share:.0%} of the "
                      "reading list")
    return OK, ""
