"""A real HTTP server on 127.0.0.1 for tests: serves fixture feeds and scripted faults.

Routes are registered per test: a fixed body with status and headers, or a handler function
that gets the request and writes the response itself (slow bodies, resets, redirects…).
Every request is recorded, so tests can assert on headers (conditional GET, User-Agent).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None
    etag: str | None = None  # when set, answers 304 to a matching If-None-Match


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-response (a timeout test, a cancelled fetch) is not an error
    to print: socketserver's traceback on stderr leaked into other tests' captured stderr."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(Request(self.path, {k.lower(): v for k, v in
                                                           self.headers.items()}))
                route = server.routes.get(self.path)
                if route is None:
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.handler is not None:
                    route.handler(self)
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self._send(304, b"", {"ETag": route.etag})
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                self._send(route.status, route.body, headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes = b"", **kwargs: object) -> str:
        self.routes[path] = Route(body=body, **kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
