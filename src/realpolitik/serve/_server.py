"""The HTTP server of the local page: bytes in and out of :class:`ServeApp`.

It listens on 127.0.0.1 only, reads a request's body only when its
``Content-Length`` is within :data:`MAX_BODY_BYTES`, and hands everything else to the
app, which decides what to answer.
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from realpolitik.serve._app import MAX_BODY_BYTES, Request, Response, ServeApp, _json_response, _SECURITY_HEADERS

__all__ = ["HOST", "DEFAULT_PORT", "LocalServer", "start_server"]

logger = logging.getLogger(__name__)

#: The only address the server listens on.
HOST = "127.0.0.1"
#: The port ``realpolitik serve`` listens on unless told otherwise.
DEFAULT_PORT = 8765
#: Seconds a connection may stay silent before it is closed.
_IDLE_SECONDS = 60


class _Handler(BaseHTTPRequestHandler):
    """Reads one request, asks the app, writes its response."""

    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "realpolitik"
    sys_version = ""
    timeout = _IDLE_SECONDS

    def do_GET(self) -> None:  # noqa: N802 - the names http.server calls
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve()

    def do_PUT(self) -> None:  # noqa: N802
        self._serve()

    def do_PATCH(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self) -> None:
        headers = {k: v for k, v in self.headers.items()}
        if self.headers.get("Transfer-Encoding") is not None:
            self._write(_json_response({"error": "send the body with a Content-Length, not chunked"}, 411), close=True)
            return
        length_text = self.headers.get("Content-Length", "0").strip()
        if not length_text.isdigit() or len(length_text) > 12:
            self._write(_json_response({"error": f"Content-Length is not a number of bytes: {length_text[:30]!r}"}, 400), close=True)
            return
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            self._write(_json_response({"error": f"the body is larger than {MAX_BODY_BYTES:,} bytes"}, 413), close=True)
            return
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            self.close_connection = True
            return
        self._write(self.server.app.handle(Request(self.command, self.path, headers, body)))

    def _write(self, response: Response, *, close: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in _SECURITY_HEADERS + response.headers:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        logger.debug("%s %s", self.address_string(), format % args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # a port left in TIME_WAIT by a server just stopped can be taken again at once
    allow_reuse_address = True

    def __init__(self, port: int, app: ServeApp) -> None:
        self.app = app
        super().__init__((HOST, port), _Handler)


class LocalServer:
    """The page's server, listening on ``127.0.0.1``.

    Attributes:
        app: what it serves.
        port: the port it listens on (the one the system picked, for port 0).
        url: ``http://127.0.0.1:PORT/``.
    """

    def __init__(self, app: ServeApp, port: int = DEFAULT_PORT) -> None:
        self.app = app
        self._http = _HTTPServer(port, app)
        self.port: int = self._http.server_address[1]
        self.url = f"http://{HOST}:{self.port}/"
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (from another thread) or Ctrl-C."""
        self._http.serve_forever(poll_interval=0.2)

    def start(self) -> LocalServer:
        """Answer requests in a background thread (tests, notebooks); returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name="realpolitik-serve", daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop answering, cancel the running job and release the port."""
        if self._thread is not None:
            self._http.shutdown()
            self._thread.join()
            self._thread = None
        self.app.close()
        self._http.server_close()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def start_server(app: ServeApp, port: int = DEFAULT_PORT) -> LocalServer:
    """Listen on ``127.0.0.1:port`` (0: a free port) for :meth:`LocalServer.serve_forever`.

    Raises:
        OSError: the port is taken or may not be used.

    Example:
        >>> from realpolitik.scenario import load
        >>> from realpolitik.serve import ServeApp, ServeSettings
        >>> with start_server(ServeApp(load("default"), ServeSettings(runs=50)), port=0) as server:
        ...     server.url.startswith("http://127.0.0.1:")
        True
    """
    return LocalServer(app, port)
