"""What a response says beyond its body: a permanent redirect, Retry-After, and one line a user
can act on for any transport failure."""

from __future__ import annotations

import email.utils
import socket
import ssl
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

MAX_RETRY_AFTER = timedelta(hours=24)
MAX_REDIRECTS = 5


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
