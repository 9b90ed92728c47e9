"""A local feed server for benchmarks: N synthetic RSS feeds, each with its own latency.

Runs in its own process (`python bench/feedserver_bench.py --feeds 200 …`) so its work never
competes with the client's event loop, and prints one JSON line on stdout when it is listening:
`{"port": …, "urls": […], "slowest": …}`. It stops when its stdin closes.

Each feed lives on its own loopback address (127.0.0.2, 127.0.0.3, … — all of 127.0.0.0/8 is
loopback on Linux) so per-host limits in the client see one host per outlet; `--hosts 20` deals
the feeds over 20 addresses instead (10 feeds a host for 200), as when one publisher has many.
Latencies are spread evenly from `--latency LOW HIGH` (the slowest feed takes exactly HIGH) and
shuffled across feeds. Every feed has a fixed ETag; a share of the feeds (`--not-modified`)
answers a matching If-None-Match with 304, the others always send the whole document, like
servers that ignore conditional requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

MAX_HOSTS = 250  # 127.0.0.2 … 127.0.0.251
MAX_REQUEST_BYTES = 64 * 1024
WORDS = (
    "minister", "parliament", "protest", "election", "court", "ruling", "border", "ceasefire",
    "refugees", "strike", "budget", "inflation", "sanctions", "talks", "summit", "vote",
    "opposition", "journalist", "arrest", "police", "report", "rights", "council", "army",
    "drought", "harvest", "energy", "pipeline", "trade", "union",
)


@dataclass(frozen=True)
class Feed:
    path: str
    host: str
    latency: float
    body: bytes
    etag: str
    honours_etag: bool


def feed_document(index: int, items: int, now: datetime, rng: random.Random) -> bytes:
    """An RSS 2.0 document shaped like a news outlet's: guid, link, date, HTML description."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
             f"<title>Outlet {index}</title><link>https://outlet{index}.example/</link>"
             f"<description>Synthetic feed {index}</description>"]
    for n in range(items):
        title = " ".join(rng.choice(WORDS) for _ in range(9)).capitalize()
        text = " ".join(rng.choice(WORDS) for _ in range(40))
        published = format_datetime(now - timedelta(minutes=17 * n + index), usegmt=True)
        parts.append(
            f"<item><title>{title}</title>"
            f"<link>https://outlet{index}.example/news/{n}-{title.split()[0].lower()}</link>"
            f'<guid isPermaLink="false">outlet{index}-item-{n}</guid>'
            f"<pubDate>{published}</pubDate><category>{rng.choice(WORDS)}</category>"
            f"<description><![CDATA[<p>{text[:120]} <b>{text[120:160]}</b></p>"
            f'<p><a href="/more/{n}">Read more</a> {text[160:]}</p>]]></description></item>')
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


def make_feeds(count: int, items: int, low: float, high: float, not_modified: float,
               seed: int = 8, hosts: int = MAX_HOSTS) -> list[Feed]:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    latencies = [low + (high - low) * i / max(count - 1, 1) for i in range(count)]
    rng.shuffle(latencies)
    honouring = set(rng.sample(range(count), round(count * not_modified)))
    spread = min(hosts, MAX_HOSTS)
    return [Feed(path=f"/feed/{i}.xml", host=f"127.0.0.{2 + i % spread}", latency=latencies[i],
                 body=feed_document(i, items, now, rng), etag=f'"v1-{i}"',
                 honours_etag=i in honouring)
            for i in range(count)]


def _response(status: str, headers: dict[str, str], body: bytes) -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode("latin-1") + body


async def serve(feeds: list[Feed]) -> tuple[list[asyncio.Server], int]:
    by_path = {feed.path: feed for feed in feeds}
    last_modified = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                        ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1] if lines[0].count(" ") >= 2 else ""
                headers = {k.strip().lower(): v.strip()
                           for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                feed = by_path.get(path)
                if feed is None:
                    writer.write(_response("404 Not Found", {"Content-Length": "0"}, b""))
                    await writer.drain()
                    continue
                await asyncio.sleep(feed.latency)
                common = {"ETag": feed.etag, "Last-Modified": last_modified}
                if feed.honours_etag and headers.get("if-none-match") == feed.etag:
                    writer.write(_response("304 Not Modified", common, b""))
                else:
                    writer.write(_response("200 OK", {
                        **common, "Content-Type": "application/rss+xml; charset=utf-8",
                        "Content-Length": str(len(feed.body))}, feed.body))
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    return
        except (asyncio.CancelledError, ConnectionError):
            return  # the client went away, or the server is stopping
        finally:
            writer.close()

    hosts = sorted({feed.host for feed in feeds})
    for _attempt in range(20):
        first = await asyncio.start_server(answer, hosts[0], 0, limit=MAX_REQUEST_BYTES,
                                           backlog=1024)
        port = first.sockets[0].getsockname()[1]
        servers = [first]
        try:
            for host in hosts[1:]:
                servers.append(await asyncio.start_server(answer, host, port,
                                                          limit=MAX_REQUEST_BYTES, backlog=1024))
        except OSError:  # the port is taken on another loopback address: try another
            for server in servers:
                server.close()
            continue
        return servers, port
    raise OSError("no port free on every loopback address")


async def main_async(args: argparse.Namespace) -> None:
    feeds = make_feeds(args.feeds, args.items, args.latency[0], args.latency[1],
                       args.not_modified, hosts=args.hosts)
    servers, port = await serve(feeds)
    print(json.dumps({
        "port": port,
        "urls": [f"http://{f.host}:{port}{f.path}" for f in feeds],
        "slowest": max(f.latency for f in feeds),
        "bytes": sum(len(f.body) for f in feeds),
    }), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
    for server in servers:
        server.close()


def add_feed_options(parser: argparse.ArgumentParser) -> None:
    """The shape of the served feeds; bench/fetch.py takes the same options and passes them on."""
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency", type=float, nargs=2, default=(0.1, 1.0),
                        metavar=("LOW", "HIGH"))
    parser.add_argument("--hosts", type=int, default=MAX_HOSTS,
                        help="loopback addresses the feeds are dealt over (default: one per "
                             "feed, up to 250)")
    parser.add_argument("--not-modified", type=float, default=1.0, metavar="SHARE",
                        help="share of feeds that answer 304 to a matching If-None-Match "
                             "(on the benchmark's warm run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_feed_options(parser)
    args = parser.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
