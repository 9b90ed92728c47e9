"""Network faults against a real local server: every one becomes a status with a one-line cause,
in bounded time, and the run goes on. Also privacy: no cookies kept, no request to a host that
feeds.toml does not name.

Big and bomb bodies are generated on the fly. `python tests/test_network_faults.py` measures
the peak memory of a fetch of each (in a fresh process) and prints it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from counterpoint.cli.main import main
from counterpoint.fetch.body import BodyDecoder
from counterpoint.fetch.http import Download, Fetcher, Limits, same_site
from counterpoint.models import FeedStatus
from counterpoint.parse.feed import parse_feed
from feedserver import FeedServer
from rss import Entry, rss
from safety import assert_one_line_error

TIMEOUT = 1.5
LIMITS = Limits(timeout=TIMEOUT, concurrency=8, per_host=8, max_bytes=256 * 1024)
FEED = rss([Entry("Ceasefire talks resume in Muscat")], "faults")
MB = 1024 * 1024


def fetch(url: str, limits: Limits = LIMITS) -> Download:
    async def go() -> Download:
        async with Fetcher(limits) as fetcher:
            return await fetcher.download(url)

    return asyncio.run(go())


def fetch_timed(url: str, limits: Limits = LIMITS) -> tuple[Download, float]:
    started = time.monotonic()
    download = fetch(url, limits)
    return download, time.monotonic() - started


def feed_error(download: Download, url: str) -> str | None:
    """The cause a user would see: the download's, else the parser's."""
    if download.error:
        return download.error
    assert download.content is not None
    return parse_feed(download.content, url, "O", "wire", datetime.now(UTC),
                      download.content_type).error


# -- handlers that misbehave -------------------------------------------------------------------

def _headers(handler: BaseHTTPRequestHandler, headers: dict[str, str], status: int = 200) -> None:
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.end_headers()


def reset_mid_body(handler: BaseHTTPRequestHandler) -> None:
    _headers(handler, {"Content-Type": "application/rss+xml", "Content-Length": "100000"})
    handler.wfile.write(FEED[:200])
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()  # RST, not FIN
    handler.close_connection = True


def endless_slow_body(handler: BaseHTTPRequestHandler) -> None:
    _headers(handler, {"Content-Type": "application/rss+xml", "Connection": "close"})
    handler.close_connection = True
    try:
        handler.wfile.write(b"<?xml version='1.0'?><rss version='2.0'><channel>")
        for _ in range(600):  # about a minute, far past any timeout used here
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def endless_body(size: int, chunk: bytes, headers: dict[str, str]
                 ) -> Callable[[BaseHTTPRequestHandler], None]:
    """`size` bytes made of `chunk`, generated as they are sent."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        _headers(h, {"Connection": "close", **headers})
        h.close_connection = True
        try:
            for _ in range(size // len(chunk)):
                h.wfile.write(chunk)
        except OSError:
            pass

    return handler


def big_body(declare_length: bool) -> Callable[[BaseHTTPRequestHandler], None]:
    headers = {"Content-Type": "application/rss+xml"}
    if declare_length:
        headers["Content-Length"] = str(100 * MB)
    return endless_body(100 * MB, b"<!-- padding padding -->" * 4096, headers)


def bomb_blocks(encoding: str) -> tuple[bytes, bytes]:
    """The first block and a repeatable block of a stream inflating to 1 MiB of zeros each
    (a full flush makes every later block byte-identical, so no compression at serve time)."""
    wbits = {"gzip": 31, "deflate": 15}[encoding]
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(MB)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first, block


def bomb(encoding: str, gigabytes: int = 10) -> Callable[[BaseHTTPRequestHandler], None]:
    first, block = bomb_blocks(encoding)

    def handler(h: BaseHTTPRequestHandler) -> None:
        _headers(h, {"Content-Type": "application/rss+xml", "Content-Encoding": encoding,
                     "Connection": "close"})
        h.close_connection = True
        try:
            h.wfile.write(first)
            for _ in range(gigabytes * 1024 // 16):
                h.wfile.write(block * 16)
        except OSError:
            pass

    return handler


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


# -- each fault --------------------------------------------------------------------------------

def test_connection_refused(feed_server: FeedServer) -> None:
    download, elapsed = fetch_timed(f"http://127.0.0.1:{closed_port()}/feed.xml")
    assert download.status is FeedStatus.ERROR and download.error == "connection refused"
    assert elapsed < 1


def test_dns_failure_on_a_name_that_resolves_nowhere() -> None:
    started = time.monotonic()
    with contextlib.suppress(socket.gaierror):
        socket.getaddrinfo("counterpoint-test.invalid", 80)
    if time.monotonic() - started > 2:
        pytest.skip("this sandbox's resolver hangs on .invalid names instead of failing")
    download, elapsed = fetch_timed("http://counterpoint-test.invalid/feed.xml")
    assert download.error == "DNS lookup failed: host not found"
    assert elapsed < TIMEOUT + 1


def test_tls_error_when_https_meets_plain_http(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", FEED).replace("http://", "https://")
    download, elapsed = fetch_timed(url)
    assert download.status is FeedStatus.ERROR
    assert download.error is not None and download.error.startswith("TLS error:")
    assert_one_line_error(download.error)
    assert elapsed < TIMEOUT + 1


def test_connection_reset_mid_body(feed_server: FeedServer) -> None:
    download, elapsed = fetch_timed(feed_server.add("/reset", handler=reset_mid_body))
    assert download.status is FeedStatus.ERROR
    assert download.error is not None
    assert download.error.startswith("connection broke during the response")
    assert_one_line_error(download.error)
    assert elapsed < TIMEOUT + 1


@pytest.mark.slow
def test_endless_slow_body_ends_at_the_timeout(feed_server: FeedServer) -> None:
    download, elapsed = fetch_timed(feed_server.add("/slow", handler=endless_slow_body))
    assert download.error == f"timed out after {TIMEOUT:g}s"
    assert TIMEOUT - 0.1 < elapsed < TIMEOUT + 1


@pytest.mark.slow
def test_a_slow_server_that_never_answers_ends_at_the_timeout(feed_server: FeedServer) -> None:
    download, elapsed = fetch_timed(feed_server.add("/mute", FEED, delay=30))
    assert download.error == f"timed out after {TIMEOUT:g}s"
    assert elapsed < TIMEOUT + 1


@pytest.mark.parametrize("declare_length", [True, False], ids=["declared", "streamed"])
def test_100_mb_body_stops_at_the_cap(feed_server: FeedServer, declare_length: bool) -> None:
    url = feed_server.add("/big", handler=big_body(declare_length))
    download, elapsed = fetch_timed(url)
    assert download.status is FeedStatus.ERROR
    assert download.error == "response larger than the 256 KB cap (settings.max_bytes)"
    assert elapsed < TIMEOUT


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compression_bomb_stops_at_the_cap_on_decompressed_bytes(feed_server: FeedServer,
                                                                 encoding: str) -> None:
    download, elapsed = fetch_timed(feed_server.add("/bomb", handler=bomb(encoding)))
    assert download.error == "response larger than the 256 KB cap (settings.max_bytes)"
    assert elapsed < TIMEOUT


def test_bomb_decoder_never_inflates_past_the_cap() -> None:
    first, block = bomb_blocks("gzip")
    decoder = BodyDecoder("gzip", 100_000)
    with pytest.raises(Exception) as raised:
        decoder.feed(first + block * 50)
    assert type(raised.value).__name__ == "BodyTooLarge"
    assert decoder.produced == 0  # nothing was handed out: the cap tripped inside one chunk


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_feeds_still_work(feed_server: FeedServer, encoding: str) -> None:
    wbits = {"gzip": 31, "deflate": 15}[encoding]
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(FEED) + compressor.flush()
    url = feed_server.add("/z", body, headers={"Content-Encoding": encoding,
                                                "Content-Type": "application/rss+xml"})
    download = fetch(url)
    assert download.status is FeedStatus.OK and download.content == FEED


def test_raw_deflate_without_zlib_header_is_accepted(feed_server: FeedServer) -> None:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = compressor.compress(FEED) + compressor.flush()
    url = feed_server.add("/raw", body, headers={"Content-Encoding": "deflate"})
    assert fetch(url).content == FEED


def test_corrupt_gzip_is_a_clear_error(feed_server: FeedServer) -> None:
    url = feed_server.add("/corrupt", b"\x1f\x8b\x08\x00garbage" * 20,
                          headers={"Content-Encoding": "gzip"})
    download = fetch(url)
    assert download.error is not None
    assert download.error.startswith("could not decode the response body: corrupt gzip data")


def test_unsupported_content_encoding_is_a_clear_error(feed_server: FeedServer) -> None:
    url = feed_server.add("/br", b"\x00" * 100, headers={"Content-Encoding": "br"})
    assert fetch(url).error == ("could not decode the response body: "
                                "unsupported Content-Encoding 'br'")


def test_429_with_retry_after_seconds(feed_server: FeedServer) -> None:
    url = feed_server.add("/busy", b"slow down", status=429, headers={"Retry-After": "120"})
    download = fetch(url)
    assert download.http_status == 429 and download.retry_after is not None
    assert download.error is not None
    assert download.error.startswith("HTTP 429 Too Many Requests; server asked to wait until")
    wait = download.retry_after - datetime.now(UTC)
    assert timedelta(seconds=100) < wait <= timedelta(seconds=120)


def test_503_with_retry_after_date(feed_server: FeedServer) -> None:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    url = feed_server.add("/down", b"", status=503, headers={"Retry-After": format_datetime(
        when, usegmt=True)})
    download = fetch(url)
    assert download.retry_after == when
    assert download.error is not None and download.error.startswith("HTTP 503 Service Unavailable")


def test_absurd_retry_after_is_capped_at_a_day(feed_server: FeedServer) -> None:
    url = feed_server.add("/forever", b"", status=503, headers={"Retry-After": "999999999"})
    download = fetch(url)
    assert download.retry_after is not None
    assert download.retry_after - datetime.now(UTC) <= timedelta(hours=24)


def test_retry_after_is_respected_by_the_next_run(tmp_path: Path, feed_server: FeedServer,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    busy = feed_server.add("/busy", b"", status=429, headers={"Retry-After": "3600"})
    fine = feed_server.add("/fine", FEED)
    config = tmp_path / "feeds.toml"
    config.write_text(_config([("Busy", busy), ("Fine", fine)]))
    args = ["--config", str(config), "--db", str(tmp_path / "db.sqlite"), "-q", "fetch", "--json"]
    assert main(args) == 3
    capsys.readouterr()
    assert main(args) == 3
    feeds = json.loads(capsys.readouterr().out)["feeds"]
    assert len(feed_server.requests_to("/busy")) == 1  # not asked again before the hour is up
    assert len(feed_server.requests_to("/fine")) == 2
    assert feeds[0]["status"] == "error"
    assert feeds[0]["error"].startswith("not fetched: server asked to wait until")
    assert feeds[1]["status"] in ("ok", "not_modified")


@pytest.mark.parametrize("code", [301, 308])
def test_redirect_loop(feed_server: FeedServer, code: int) -> None:
    feed_server.add("/a", status=code, headers={"Location": "/b"})
    url = feed_server.add("/b", status=code, headers={"Location": "/a"})
    download, elapsed = fetch_timed(url)
    assert download.error == "too many redirects (more than 5, or a redirect loop)"
    assert elapsed < TIMEOUT


def test_permanent_redirect_is_followed_and_reported(feed_server: FeedServer) -> None:
    new = feed_server.add("/new.xml", FEED)
    download = fetch(feed_server.add("/old.xml", status=301, headers={"Location": "/new.xml"}))
    assert download.status is FeedStatus.OK and download.permanent_redirect == new


def test_redirect_to_a_host_not_in_feeds_toml_is_not_followed(feed_server: FeedServer) -> None:
    feed_server.add("/feed.xml", FEED)
    elsewhere = feed_server.url("/feed.xml").replace("127.0.0.1", "localhost")
    url = feed_server.add("/moved", status=302, headers={"Location": elsewhere})
    download = fetch(url)
    assert download.status is FeedStatus.ERROR
    assert download.error == (f"redirected to {elsewhere}, a host not in feeds.toml: not "
                              "followed (if the feed moved, put its new URL in feeds.toml)")
    assert [r.path for r in feed_server.requests] == ["/moved"]


def test_same_site_hosts() -> None:
    assert same_site("www.example.org", "example.org")
    assert same_site("feeds.example.org", "www.example.org")
    assert same_site("example.org", "feeds.example.org")
    assert not same_site("example.org.evil.net", "example.org")
    assert not same_site("evil.co.uk", "bbc.co.uk")
    assert not same_site("localhost", "127.0.0.1")
    assert not same_site("10.0.0.1", "1.0.0.1")


def test_wrong_content_type_with_a_real_feed_is_still_read(feed_server: FeedServer) -> None:
    url = feed_server.add("/mislabelled", FEED, headers={"Content-Type": "text/html"})
    download = fetch(url)
    parsed = parse_feed(download.content or b"", url, "O", "wire", datetime.now(UTC),
                        download.content_type)
    assert parsed.error is None and len(parsed.items) == 1


def test_wrong_content_type_with_no_feed_names_what_was_sent(feed_server: FeedServer) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    url = feed_server.add("/logo", png, headers={"Content-Type": "image/png"})
    assert feed_error(fetch(url), url) == ("not a feed: the server sent image/png, "
                                           "not RSS, Atom or JSON Feed")


def test_html_page_instead_of_a_feed(feed_server: FeedServer) -> None:
    page = b"<!DOCTYPE html><html><head><title>News</title></head><body><p>hi</p></body></html>"
    url = feed_server.add("/home", page, headers={"Content-Type": "text/html; charset=utf-8"})
    assert feed_error(fetch(url), url) == ("not a feed: the URL returned an HTML page "
                                           "(use the site's RSS/Atom link)")


def test_empty_200(feed_server: FeedServer) -> None:
    url = feed_server.add("/empty", b"", headers={"Content-Type": "application/rss+xml"})
    assert feed_error(fetch(url), url) == "empty document (0 bytes of feed)"


def test_hostile_reason_phrase_is_one_clean_line(feed_server: FeedServer) -> None:
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(503, "Down \x9b31m\x9d0;pwned\x9c for\tmaintenance")
        h.send_header("Content-Length", "0")
        h.end_headers()

    download = fetch(feed_server.add("/reason", handler=handler))
    assert download.error is not None and download.error.startswith("HTTP 503 Down ")
    assert download.error.endswith(" for maintenance")
    assert_one_line_error(download.error)


# -- the run goes on -------------------------------------------------------------------------

def _config(feeds: list[tuple[str, str]], settings: str = f"timeout = {TIMEOUT}") -> str:
    outlets = "".join(f'\n[[outlets]]\nname = "{name}"\naffiliation = "wire"\nfeeds = ["{url}"]\n'
                      for name, url in feeds)
    return f"[settings]\n{settings}\nmax_bytes = {256 * 1024}\n{outlets}"


def test_every_fault_in_one_run(tmp_path: Path, feed_server: FeedServer,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """One CLI run over every fault plus a healthy feed: the healthy one is stored, each fault
    is a one-line error, the run ends in bounded time with exit code 3."""
    feed_server.add("/a", status=301, headers={"Location": "/b"})
    feeds = [
        ("Healthy", feed_server.add("/ok", FEED)),
        ("Refused", f"http://127.0.0.1:{closed_port()}/feed.xml"),
        ("Nowhere", "http://counterpoint-test.invalid/feed.xml"),
        ("Tls", feed_server.url("/ok").replace("http://", "https://")),
        ("Reset", feed_server.add("/reset", handler=reset_mid_body)),
        ("Slow", feed_server.add("/slow", handler=endless_slow_body)),
        ("Big", feed_server.add("/big", handler=big_body(False))),
        ("Bomb", feed_server.add("/bomb", handler=bomb("gzip"))),
        ("Busy", feed_server.add("/busy", status=429, headers={"Retry-After": "60"})),
        ("Down", feed_server.add("/down", status=503, headers={"Retry-After": "60"})),
        ("Loop", feed_server.add("/b", status=308, headers={"Location": "/a"})),
        ("Image", feed_server.add("/png", b"\x89PNG\r\n\x1a\n\x00\x00",
                                  headers={"Content-Type": "image/png"})),
        ("Page", feed_server.add("/html", b"<html><body>hello</body></html>",
                                 headers={"Content-Type": "text/html"})),
        ("Empty", feed_server.add("/empty", b"")),
    ]
    config = tmp_path / "feeds.toml"
    config.write_text(_config(feeds))
    started = time.monotonic()
    code = main(["--config", str(config), "--db", str(tmp_path / "db.sqlite"), "-q",
                 "fetch", "--json"])
    elapsed = time.monotonic() - started
    results = json.loads(capsys.readouterr().out)["feeds"]
    assert code == 3
    assert elapsed < TIMEOUT + 3
    assert [r["outlet"] for r in results] == [name for name, _ in feeds]
    assert results[0]["status"] == "ok" and results[0]["new_items"] == 1
    for result in results[1:]:
        assert result["status"] == "error", result["outlet"]
        assert_one_line_error(result["error"])


# -- privacy ----------------------------------------------------------------------------------

def test_no_cookie_is_kept_or_sent_across_outlets(tmp_path: Path, feed_server: FeedServer,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    setter = feed_server.add("/tracker.xml", FEED, headers={
        "Set-Cookie": "visitor=abc123; Path=/; Max-Age=99999"})
    other = feed_server.add("/other.xml", rss([Entry("Other outlet's story")], "other"))
    # The same server under a second name: another "outlet" host.
    other = other.replace("127.0.0.1", "localhost")
    config = tmp_path / "feeds.toml"
    config.write_text(_config([("Tracker", setter), ("Other", other)],
                              "timeout = 5\nconcurrency = 1"))
    args = ["--config", str(config), "--db", str(tmp_path / "db.sqlite"), "-q", "fetch"]
    main(args)
    main(args)
    capsys.readouterr()
    assert len(feed_server.requests) == 4
    assert all("cookie" not in r.headers for r in feed_server.requests)


def test_cookies_within_one_client_are_dropped(feed_server: FeedServer) -> None:
    url = feed_server.add("/c", FEED, headers={"Set-Cookie": "id=1; Path=/"})

    async def twice() -> None:
        async with Fetcher(LIMITS) as fetcher:
            await fetcher.download(url)
            await fetcher.download(url)

    asyncio.run(twice())
    assert all("cookie" not in r.headers for r in feed_server.requests)


def test_no_request_to_any_host_or_path_not_in_feeds_toml(tmp_path: Path,
                                                         feed_server: FeedServer,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """A feed that points everywhere (images, enclosures, stylesheets, DTDs, external entities,
    xml:base, WebSub hubs, redirects) makes the reader ask for nothing but the feed itself."""
    elsewhere = feed_server.base.replace("127.0.0.1", "localhost")
    local = feed_server.base
    doc = f"""<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="{elsewhere}/style.xsl"?>
<!DOCTYPE rss SYSTEM "{elsewhere}/rss.dtd" [
<!ENTITY remote SYSTEM "{elsewhere}/entity">
<!ENTITY % param SYSTEM "{local}/param.dtd">
%param;
]>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xml:base="{elsewhere}/base/">
<channel><title>Everywhere</title><link>{elsewhere}/</link>
<atom:link rel="hub" href="{elsewhere}/hub"/><atom:link rel="self" href="{elsewhere}/self"/>
<image><url>{elsewhere}/logo.png</url></image>
<item><title>Story &remote;</title><link>{elsewhere}/story</link>
<description>&lt;img src="{elsewhere}/pixel.gif"&gt;&lt;iframe src="{local}/frame"&gt;</description>
<enclosure url="{elsewhere}/audio.mp3" type="audio/mpeg" length="1"/>
<source url="{elsewhere}/source.xml">S</source></item></channel></rss>"""
    url = feed_server.add("/feed.xml", doc.encode())
    config = tmp_path / "feeds.toml"
    config.write_text(_config([("Everywhere", url)], "timeout = 5"))
    assert main(["--config", str(config), "--db", str(tmp_path / "db.sqlite"), "-q",
                 "fetch"]) == 0
    capsys.readouterr()
    assert [(r.path, r.headers["host"]) for r in feed_server.requests] == [
        ("/feed.xml", feed_server.base.removeprefix("http://"))]


# -- peak memory (run by hand; figures for the hardening notes) ---------------------------------

_MEASURE = """
import asyncio, json, resource, sys, time
import httpx, feedparser  # in the baseline: the run imports them anyway
from counterpoint.fetch.http import Fetcher, Limits
url, max_bytes = sys.argv[1], int(sys.argv[2])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
async def go():
    async with Fetcher(Limits(timeout=20, max_bytes=max_bytes)) as fetcher:
        return await fetcher.download(url)
started = time.monotonic()
download = asyncio.run(go())
print(json.dumps({"error": download.error, "seconds": round(time.monotonic() - started, 2),
                  "baseline_mb": round(base / 1024, 1),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def measure() -> None:
    server = FeedServer().start()
    cases = {"/big-declared": big_body(True), "/big-streamed": big_body(False),
             "/gzip-bomb": bomb("gzip"), "/deflate-bomb": bomb("deflate")}
    for path, handler in cases.items():
        server.add(path, handler=handler)
    for max_bytes in (256 * 1024, 10 * MB):
        for path in cases:
            out = subprocess.run([sys.executable, "-c", _MEASURE, server.url(path),
                                  str(max_bytes)], capture_output=True, text=True, check=True)
            print(f"max_bytes={max_bytes:>9} {path:<14} {out.stdout.strip()}")
    server.stop()


if __name__ == "__main__":
    measure()
