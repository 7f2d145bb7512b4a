"""The ``realpolitik`` command line: thin wrappers over the library."""

from realpolitik.cli import _news  # noqa: F401  (registers ingest, update, watch)
from realpolitik.cli import _validation  # noqa: F401  (registers forecast, backtest, calibrate)
from realpolitik.cli._app import app, main

__all__ = ["app", "main"]
