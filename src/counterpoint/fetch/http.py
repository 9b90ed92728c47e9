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
Beside it: `body.py` (Content-Encoding under the cap), `responses.py` (redirects, Retry-After,
one-line failures).
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import ipaddress
import os
import ssl
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

from counterpoint import __version__
from counterpoint.fetch.body import BadEncoding, BodyDecoder, BodyTooLarge, size_text
from counterpoint.fetch.responses import (
    MAX_REDIRECTS,
    describe_error,
    permanent_redirect,
    retry_after,
)
from counterpoint.models import FeedStatus
from counterpoint.parse.clean import one_line

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"Counterpoint/{__version__} (news feed reader; +https://pypi.org/project/counterpoint/)"
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
MAX_ERROR_CHARS = 200


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Download:
    """The outcome of asking for one feed."""

    url: str
    status: FeedStatus  # OK, NOT_MODIFIED or ERROR
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
    per_host: int = 4
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = USER_AGENT


class ForeignRedirect(Exception):
    """A redirect to a host that feeds.toml does not name."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(url)


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
                result = Download(url, FeedStatus.ERROR,
                                  error=f"timed out after {self.limits.timeout:g}s")
            except BodyTooLarge:
                result = Download(url, FeedStatus.ERROR, error=(
                    f"response larger than the {size_text(self.limits.max_bytes)} cap "
                    "(settings.max_bytes)"))
            except ForeignRedirect as exc:
                result = Download(url, FeedStatus.ERROR, error=(
                    f"redirected to {one_line(exc.url, 120)}, a host not in feeds.toml: "
                    "not followed (if the feed moved, put its new URL in feeds.toml)"))
            except BadEncoding as exc:
                result = Download(url, FeedStatus.ERROR,
                                  error=f"could not decode the response body: {exc}")
            except Exception as exc:
                result = Download(url, FeedStatus.ERROR, error=describe_error(exc))
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
                return Download(url, FeedStatus.NOT_MODIFIED, http_status=code, validators=fresh,
                                permanent_redirect=redirect, final_url=final_url)
            if code >= 400:
                retry = retry_after(response.headers.get("retry-after"), datetime.now(UTC)) \
                    if code in (429, 503) else None
                cause = f"HTTP {code} {response.reason_phrase}".strip()
                if retry:
                    cause += f"; server asked to wait until {retry:%Y-%m-%d %H:%M} UTC"
                return Download(url, FeedStatus.ERROR, http_status=code, error=cause,
                                retry_after=retry, permanent_redirect=redirect,
                                final_url=final_url)
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
            return Download(url, FeedStatus.OK, bytes(body), response.headers.get("content-type"),
                            code, fresh, permanent_redirect=redirect, final_url=final_url)


def read_local(url: str, validators: Validators, max_bytes: int) -> Download:
    """A feed file on disk; its mtime plays the role of Last-Modified."""
    path = local_path(url)
    try:
        stat = path.stat()
        mtime = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if validators.last_modified == mtime:
            return Download(url, FeedStatus.NOT_MODIFIED, validators=validators)
        if stat.st_size > max_bytes:
            return Download(url, FeedStatus.ERROR,
                            error=f"file larger than the cap ({stat.st_size} bytes)")
        with open(path, "rb") as handle:
            content = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return Download(url, FeedStatus.ERROR, error=f"file not found: {path}")
    except IsADirectoryError:
        return Download(url, FeedStatus.ERROR, error=f"is a directory, not a feed file: {path}")
    except OSError as exc:
        return Download(url, FeedStatus.ERROR, error=f"cannot read {path}: {exc.strerror or exc}")
    if len(content) > max_bytes:
        return Download(url, FeedStatus.ERROR,
                        error="file larger than the cap (settings.max_bytes)")
    return Download(url, FeedStatus.OK, content, None, None, Validators(None, mtime))


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
