"""Feed health in one line, failures by kind, and mix warnings folded by reason."""

from __future__ import annotations

from counterpoint.analysis.mix import MixWarning, Shortfall
from counterpoint.models import FeedResult, FeedStatus
from counterpoint.render.words import failure_kind, feed_health, mix_warnings


def feed(n: int, error: str | None = None, status: FeedStatus = FeedStatus.OK) -> FeedResult:
    return FeedResult(f"Outlet {n}", "wire", f"https://o{n}.example/rss",
                      FeedStatus.ERROR if error else status, error=error, healthy=not error)


def test_failures_are_counted_by_kind_in_one_line() -> None:
    feeds = [feed(n) for n in range(31)]
    feeds += [feed(31 + n, "DNS lookup failed: host not found") for n in range(3)]
    feeds += [feed(40, "HTTP 500 Internal Server Error")]
    assert feed_health(feeds) == [
        "31 of 35 feeds ok; 4 failed: DNS lookup failed ×3, HTTP 500 ×1 — "
        "`counterpoint feeds check`"]


def test_most_feeds_failing_alike_says_what_to_try() -> None:
    feeds = [feed(0)] + [feed(n, "connection refused") for n in range(1, 31)]
    head, hint = feed_health(feeds)
    assert head.startswith("1 of 31 feeds ok; 30 failed: connection refused ×30")
    assert "no network?" in hint and "examples/offline.toml" in hint


def test_an_offline_run_before_any_fetch_says_to_fetch() -> None:
    feeds = [FeedResult(f"O{n}", "wire", f"https://o{n}/rss", FeedStatus.OFFLINE,
                        error="never fetched") for n in range(3)]
    (line,) = feed_health(feeds)
    assert "counterpoint fetch" in line


def test_failure_kinds_drop_the_detail() -> None:
    assert failure_kind("HTTP 404 Not Found") == "HTTP 404"
    assert failure_kind("timed out after 20s") == "timed out"
    assert failure_kind("TLS error: certificate verify failed") == "TLS error"
    assert failure_kind(None) == "unknown error"


def test_classes_without_a_healthy_feed_share_one_warning() -> None:
    warnings = [MixWarning(key, Shortfall.NO_HEALTHY_FEED, 1.0, 6)
                for key in ("government", "ngo", "opposition")]
    assert mix_warnings(warnings, {}) == [
        "no healthy feed for government, ngo, opposition: the digest cannot hear them"]
