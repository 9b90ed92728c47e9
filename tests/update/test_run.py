"""update_feeds against a real HTTP server on 127.0.0.1: what a run stores and reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

import counterpoint.update.run as update
from counterpoint.config.load import Config, Settings
from counterpoint.fetch.http import Limits, Validators
from counterpoint.models import FeedResult, FeedStatus, Outlet
from counterpoint.store.db import FeedState, Store
from feedserver import FeedServer

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def rss(name: str, items: int, first: int = 0) -> bytes:
    entries = "".join(
        f"<item><title>{name} story {n}</title><link>https://{name}.example/{n}</link>"
        f"<guid>{name}-{n}</guid>"
        f"<pubDate>{format_datetime(NOW - timedelta(hours=n), usegmt=True)}</pubDate>"
        f"<description>&lt;p&gt;Report {n} from {name}&lt;/p&gt;</description></item>"
        for n in range(first, first + items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
            f"{entries}</channel></rss>").encode()


def config_for(urls: list[str]) -> Config:
    outlets = tuple(Outlet(f"Outlet {n}", "wire", (url,)) for n, url in enumerate(urls))
    return Config(path=None, settings=Settings(timeout=10), affiliations={"wire": "Wire"},
                  balance={}, outlets=outlets)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db.sqlite")


def test_a_cold_run_through_the_process_pool_stores_every_item(
        feed_server: FeedServer, store: Store) -> None:
    count = update.PROCESS_POOL_MIN_FEEDS + 2
    urls = [feed_server.add(f"/f{n}.xml", rss(f"o{n}", 5)) for n in range(count)]

    results = update.update_feeds(config_for(urls), store, now=NOW)

    assert [r.url for r in results] == urls
    assert [(r.status, r.new_items, r.items_seen) for r in results] == \
        [(FeedStatus.OK, 5, 5)] * count
    assert store.count_items() == 5 * count


def test_a_304_run_adds_nothing_and_sends_the_stored_etag(
        feed_server: FeedServer, store: Store) -> None:
    url = feed_server.add("/f.xml", rss("a", 3), etag='"v1"')
    update.update_feeds(config_for([url]), store, now=NOW)

    [result] = update.update_feeds(config_for([url]), store, now=NOW + timedelta(hours=1))

    assert (result.status, result.new_items, result.healthy) == (FeedStatus.NOT_MODIFIED, 0, True)
    assert feed_server.requests_to("/f.xml")[-1].headers["if-none-match"] == '"v1"'
    assert result.newest_item == NOW


def test_a_document_sent_again_unchanged_is_not_parsed_again(
        feed_server: FeedServer, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    url = feed_server.add("/f.xml", rss("a", 3))  # no validators: always the whole document
    update.update_feeds(config_for([url]), store, now=NOW)
    parsed: list[str] = []
    real_parse = update.parse_rows

    def counting_parse(*args: Any) -> update.ParsedRows:
        parsed.append(args[1])
        return real_parse(*args)

    monkeypatch.setattr(update, "parse_rows", counting_parse)

    [result] = update.update_feeds(config_for([url]), store, now=NOW + timedelta(hours=1))

    assert parsed == []
    assert (result.status, result.http_status, result.new_items) == \
        (FeedStatus.NOT_MODIFIED, 200, 0)
    assert result.newest_item == NOW


def test_a_changed_document_is_parsed_and_only_new_items_added(
        feed_server: FeedServer, store: Store) -> None:
    url = feed_server.add("/f.xml", rss("a", 3))
    update.update_feeds(config_for([url]), store, now=NOW)
    feed_server.add("/f.xml", rss("a", 4))

    [result] = update.update_feeds(config_for([url]), store, now=NOW + timedelta(hours=1))

    assert (result.status, result.new_items, result.items_seen) == (FeedStatus.OK, 1, 4)
    assert store.count_items() == 4


def test_a_broken_document_is_parsed_again_next_run(
        feed_server: FeedServer, store: Store) -> None:
    url = feed_server.add("/f.xml", b"<html><body>maintenance</body></html>")
    [first] = update.update_feeds(config_for([url]), store, now=NOW)
    [second] = update.update_feeds(config_for([url]), store, now=NOW + timedelta(hours=1))

    assert first.status is second.status is FeedStatus.ERROR
    assert second.error == first.error
    assert store.feed_states()[url].content_hash is None


def test_one_failing_feed_does_not_stop_the_others(
        feed_server: FeedServer, store: Store) -> None:
    good = feed_server.add("/good.xml", rss("g", 2))
    bad = feed_server.add("/bad.xml", b"gone", status=500)

    results = update.update_feeds(config_for([bad, good]), store, now=NOW)

    assert [(r.url, r.healthy) for r in results] == [(bad, False), (good, True)]
    assert store.count_items() == 2


def test_an_error_while_recording_ends_the_run_with_that_error(
        feed_server: FeedServer, store: Store) -> None:
    urls = [feed_server.add(f"/f{n}.xml", rss(f"o{n}", 1)) for n in range(3)]

    def on_result(result: FeedResult) -> None:
        raise RuntimeError(f"progress bar broke on {result.outlet}")

    with pytest.raises(RuntimeError, match="progress bar broke"):
        update.update_feeds(config_for(urls), store, on_result=on_result, now=NOW)


def test_sharding_keeps_each_host_in_one_client_and_the_total_limit() -> None:
    urls = [(f"http://127.0.0.{2 + n % 40}:8000/f{n}.xml", Validators()) for n in range(200)]
    limits = Limits(concurrency=200, per_host=4)

    shards = update.shard_by_host(urls, limits)

    assert len(shards) > 1
    assert sorted(u for shard, _ in shards for u, _ in shard) == sorted(u for u, _ in urls)
    hosts = [{u.split("/")[2] for u, _ in shard} for shard, _ in shards]
    assert sum(len(h) for h in hosts) == len(set().union(*hosts)) == 40
    assert sum(shard_limits.concurrency for _, shard_limits in shards) <= 200
    assert all(shard_limits.per_host == 4 for _, shard_limits in shards)


def test_few_connections_need_one_client() -> None:
    urls = [(f"http://127.0.0.{2 + n}:8000/f.xml", Validators()) for n in range(50)]
    limits = Limits(concurrency=update.CONNECTIONS_PER_CLIENT)

    assert update.shard_by_host(urls, limits) == [(urls, limits)]


def test_feeds_that_answered_slowest_last_time_are_asked_first(
        feed_server: FeedServer, store: Store) -> None:
    fast = feed_server.add("/fast.xml", rss("fast", 1))
    slow = feed_server.add("/slow.xml", rss("slow", 1), delay=0.3)
    outlets = (Outlet("Fast", "wire", (fast,)), Outlet("Slow", "wire", (slow,)))
    config = Config(path=None, settings=Settings(timeout=10, concurrency=1),
                    affiliations={"wire": "Wire"}, balance={}, outlets=outlets)
    update.update_feeds(config, store, now=NOW)
    assert [r.path for r in feed_server.requests] == ["/fast.xml", "/slow.xml"]  # config order

    update.update_feeds(config, store, now=NOW)

    assert [r.path for r in feed_server.requests[2:]] == ["/slow.xml", "/fast.xml"]


def test_fast_feeds_are_held_back_so_slow_ones_are_sent_first(store: Store) -> None:
    states = {
        "https://slow.example/f": FeedState("https://slow.example/f", "Slow", elapsed=1.0),
        "https://fast.example/f": FeedState("https://fast.example/f", "Fast", elapsed=0.2),
        "https://mid.example/f": FeedState("https://mid.example/f", "Mid", elapsed=0.9),
    }
    urls = [*states, "https://new.example/f"]

    delays = update.head_starts(states, urls)

    assert "https://slow.example/f" not in delays  # the slowest goes at once
    assert "https://new.example/f" not in delays  # never fetched: no reason to wait
    assert delays["https://fast.example/f"] == pytest.approx(0.2)
    assert delays["https://mid.example/f"] == pytest.approx(0.025)
    assert max(delays.values()) <= update.MAX_HEAD_START
