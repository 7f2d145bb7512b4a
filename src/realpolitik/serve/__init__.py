"""A local web page on a scenario: its answers, paths, what-ifs and news.

``realpolitik serve`` starts :func:`start_server` on a :class:`ServeApp`: the app maps
requests to JSON without sockets (what tests and programs call), the server only
moves bytes, on 127.0.0.1. The page's files are in ``static/``; Plotly comes from
the installed ``plotly`` package, so the page works offline.
"""

from realpolitik.serve._app import MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_RUNS, Request, Response, ServeApp, ServeSettings
from realpolitik.serve._server import DEFAULT_PORT, HOST, LocalServer, start_server

__all__ = [
    "DEFAULT_PORT",
    "HOST",
    "MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_RUNS",
    "LocalServer",
    "Request",
    "Response",
    "ServeApp",
    "ServeSettings",
    "start_server",
]
