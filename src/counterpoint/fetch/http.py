"""Polite, bounded HTTP (and local file) retrieval of feed documents.

One `Download` per feed, never an exception: every failure becomes a one-line `error`.
Limits: `concurrency` feeds in flight, `per_host` per host, a timeout covering the whole
request (connect, redirects, body), a cap on the body both as sent and once decompressed (we
inflate gzip/deflate ourselves, at most `max_bytes` at a time, so a gzip bomb cannot expand
in memory). Conditional GET with the stored ETag / Last-Modified; Retry-After honoured (this
run and, via the store, the next).
Privacy: no cookies are kept, so no outlet can track the reader across outlets or runs, and
a redirect is followed only to a host of feeds.toml or a subdomain/parent of one, so a feed
cannot make the reader call a third party.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import ipaddress
import os
import socket
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

from counterpoint import __version__
from counterpoint.parse.clean import one_line

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"Counterpoint/{__version__} (news feed reader; +https://pypi.org/project/counterpoint/)"
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
MAX_RETRY_AFTER = timedelta(hours=24)
MAX_REDIRECTS = 5
MAX_ERROR_CHARS = 200


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Download:
    """The outcome of asking for one feed."""

    url: str
    status: str  # "ok" | "not_modified" | "error"
    content: bytes | None = None
    content_type: str | None = None
    http_status: int | None = None
    validators: Validators = Validators()
    error: str | None = None
    retry_after: datetime | None = None
    permanent_redirect: str | None = None
    final_url: str | None = None
    elapsed: float = 0.0


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = 20.0
    concurrency: int = 32
    per_host: int = 10
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = USER_AGENT


class BodyTooLarge(Exception):
    pass


class BadEncoding(Exception):
    """The body does not decode as its Content-Encoding says."""


class ForeignRedirect(Exception):
    """A redirect to a host that feeds.toml does not name."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(url)


class BodyDecoder:
    """Content-Encoding -> bytes, never producing more than `max_bytes` in total.

    zlib's `max_length` stops inflating as soon as the cap is passed, so a few kilobytes
    claiming to be gigabytes of zeros cost at most `max_bytes` of memory.
    """

    def __init__(self, encoding: str | None, max_bytes: int) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise BadEncoding(f"unsupported Content-Encoding {one_line(encoding or '', 40)!r}")
        self.coding = codings[0] if codings else None
        self.max_bytes = max_bytes
        self.produced = 0
        self._inflater = self._new_inflater()
        self._first = True

    def _new_inflater(self) -> zlib._Decompress | None:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.coding == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        return None

    def feed(self, raw: bytes) -> bytes:
        if self._inflater is None:
            return self._count(raw)
        try:
            if self._first and self.coding == "deflate":
                self._first = False
                try:
                    return self._inflate(raw)
                except zlib.error:  # "deflate" sent without its zlib header, as some servers do
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._inflate(raw)
        except zlib.error as exc:
            raise BadEncoding(f"corrupt {self.coding} data ({exc})") from None

    def _inflate(self, raw: bytes) -> bytes:
        out = bytearray()
        while raw and self._inflater is not None:
            inflater = self._inflater
            room = self.max_bytes - self.produced - len(out)
            out += inflater.decompress(raw, room + 1)
            if len(out) + self.produced > self.max_bytes:
                raise BodyTooLarge
            raw = b""
            if inflater.eof and inflater.unused_data:  # another gzip member follows
                raw = inflater.unused_data
                self._inflater = self._new_inflater()
        return self._count(bytes(out))

    def _count(self, data: bytes) -> bytes:
        self.produced += len(data)
        if self.produced > self.max_bytes:
            raise BodyTooLarge
        return data


def is_local(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return scheme == "file" or scheme not in ("http", "https")


def local_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        return Path(url2pathname(parts.path))
    return Path(url)


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def same_site(host: str, known: str) -> bool:
    """`host` is `known`, or one is a subdomain of the other (ignoring a leading www.)."""
    if host.lower() == known.lower():
        return True
    if _is_ip(host) or _is_ip(known):
        return False
    a, b = _bare_host(host), _bare_host(known)
    if "." not in a or "." not in b:
        return a == b
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def new_client(limits: Limits,
               on_request: Callable[[httpx.Request], Awaitable[None]] | None = None
               ) -> httpx.AsyncClient:
    import httpx

    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(
        verify=_tls_context(),
        event_hooks={"request": [on_request]} if on_request else None,
        headers={"User-Agent": limits.user_agent, "Accept": ACCEPT,
                 "Accept-Encoding": "gzip, deflate"},
        cookies=no_cookies,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(limits.timeout),
        limits=httpx.Limits(max_connections=max(limits.concurrency, 1),
                            max_keepalive_connections=max(limits.concurrency, 1)),
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One CA bundle load per process (~20 ms), shared by every client."""
    import httpx

    return httpx.create_ssl_context()


class Fetcher:
    """Downloads many feeds concurrently under global and per-host limits."""

    def __init__(self, limits: Limits, client: httpx.AsyncClient | None = None,
                 feed_hosts: Iterable[str] = ()) -> None:
        self.limits = limits
        self._client = client
        self._slots = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self.feed_hosts = {h.lower() for h in feed_hosts}

    async def __aenter__(self) -> Fetcher:
        if self._client is None:
            self._client = new_client(self.limits, self._check_host)
        return self

    async def _check_host(self, request: httpx.Request) -> None:
        """Every request, redirects included, goes to a feeds.toml host (or its own site)."""
        host = request.url.host.lower()
        if host in self.feed_hosts:  # the common case, without a scan of every host
            return
        if not any(same_site(host, known) for known in self.feed_hosts):
            raise ForeignRedirect(str(request.url))

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.limits.per_host)
        return self._hosts[host]

    async def download(self, url: str, validators: Validators = Validators()) -> Download:
        if is_local(url):
            return await asyncio.to_thread(read_local, url, validators, self.limits.max_bytes)
        host = urlsplit(url).hostname
        if host:
            self.feed_hosts.add(host.lower())
        async with self._host_slot(url), self._slots:
            loop = asyncio.get_running_loop()
            started = loop.time()
            try:
                async with asyncio.timeout(self.limits.timeout):
                    result = await self._get(url, validators)
            except TimeoutError:
                result = Download(url, "error",
                                  error=f"timed out after {self.limits.timeout:g}s")
            except BodyTooLarge:
                result = Download(url, "error", error=(
                    f"response larger than the {_size(self.limits.max_bytes)} cap "
                    "(settings.max_bytes)"))
            except ForeignRedirect as exc:
                result = Download(url, "error", error=(
                    f"redirected to {one_line(exc.url, 120)}, a host not in feeds.toml: "
                    "not followed (if the feed moved, put its new URL in feeds.toml)"))
            except BadEncoding as exc:
                result = Download(url, "error",
                                  error=f"could not decode the response body: {exc}")
            except Exception as exc:
                result = Download(url, "error", error=describe_error(exc))
            if result.error:
                result = replace(result, error=one_line(result.error, MAX_ERROR_CHARS))
            return replace(result, elapsed=loop.time() - started)

    async def _get(self, url: str, validators: Validators) -> Download:
        assert self._client is not None
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        async with self._client.stream("GET", url, headers=headers) as response:
            redirect = permanent_redirect(response)
            final_url = str(response.url)
            code = response.status_code
            fresh = Validators(response.headers.get("etag") or validators.etag,
                               response.headers.get("last-modified") or validators.last_modified)
            if code == 304:
                return Download(url, "not_modified", http_status=code, validators=fresh,
                                permanent_redirect=redirect, final_url=final_url)
            if code >= 400:
                retry = retry_after(response.headers.get("retry-after"), datetime.now(UTC)) \
                    if code in (429, 503) else None
                cause = f"HTTP {code} {response.reason_phrase}".strip()
                if retry:
                    cause += f"; server asked to wait until {retry:%Y-%m-%d %H:%M} UTC"
                return Download(url, "error", http_status=code, error=cause, retry_after=retry,
                                permanent_redirect=redirect, final_url=final_url)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise BodyTooLarge
            decoder = BodyDecoder(response.headers.get("content-encoding"),
                                  self.limits.max_bytes)
            received = 0
            body = bytearray()
            async for raw in response.aiter_raw():
                received += len(raw)
                if received > self.limits.max_bytes:
                    raise BodyTooLarge
                body += decoder.feed(raw)
            return Download(url, "ok", bytes(body), response.headers.get("content-type"),
                            code, fresh, permanent_redirect=redirect, final_url=final_url)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    return f"{n / 1024:.3g} KB"


def read_local(url: str, validators: Validators, max_bytes: int) -> Download:
    """A feed file on disk; its mtime plays the role of Last-Modified."""
    path = local_path(url)
    try:
        stat = path.stat()
        mtime = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if validators.last_modified == mtime:
            return Download(url, "not_modified", validators=validators)
        if stat.st_size > max_bytes:
            return Download(url, "error", error=f"file larger than the cap ({stat.st_size} bytes)")
        with open(path, "rb") as handle:
            content = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return Download(url, "error", error=f"file not found: {path}")
    except IsADirectoryError:
        return Download(url, "error", error=f"is a directory, not a feed file: {path}")
    except OSError as exc:
        return Download(url, "error", error=f"cannot read {path}: {exc.strerror or exc}")
    if len(content) > max_bytes:
        return Download(url, "error", error="file larger than the cap (settings.max_bytes)")
    return Download(url, "ok", content, None, None, Validators(None, mtime))


def permanent_redirect(response: httpx.Response) -> str | None:
    """The final URL when the first hop was a permanent redirect (301/308)."""
    if response.history and response.history[0].status_code in (301, 308):
        return str(response.url)
    return None


def retry_after(value: str | None, now: datetime) -> datetime | None:
    """Parse Retry-After (seconds or HTTP date), capped at a day."""
    if not value:
        return None
    value = value.strip()
    when: datetime | None
    if value.isdigit():
        when = now + timedelta(seconds=int(value))
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return min(when, now + MAX_RETRY_AFTER) if when > now else None


def describe_error(exc: BaseException) -> str:
    """One line a user can act on, for any transport failure."""
    import httpx

    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {MAX_REDIRECTS}, or a redirect loop)"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"refused to follow a non-http(s) URL: {text[:160]}"
    causes = _chain(exc)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused"
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "DNS lookup failed: host not found"
    if any(isinstance(c, ssl.SSLError) for c in causes):
        tls = next(c for c in causes if isinstance(c, ssl.SSLError))
        return f"TLS error: {' '.join(str(tls).split())[:160]}"
    if isinstance(exc, httpx.ConnectError):
        lowered = text.lower()
        if "name or service not known" in lowered or "nodename nor servname" in lowered \
                or "temporary failure in name resolution" in lowered \
                or "no address associated" in lowered:
            return "DNS lookup failed: host not found"
        if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
            return f"TLS error: {text[:160]}"
        if "refused" in lowered:
            return "connection refused"
        return f"connection failed: {text[:160]}"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return f"connection broke during the response: {text[:160]}"
    if isinstance(exc, httpx.DecodingError):
        return f"could not decode the response body: {text[:160]}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {text[:160]}"
    if isinstance(exc, httpx.InvalidURL | ValueError):
        return f"invalid URL: {text[:160]}"
    if isinstance(exc, OSError):
        return f"network error: {exc.strerror or text}"[:200]
    return f"{type(exc).__name__}: {text[:160]}"


def _chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
