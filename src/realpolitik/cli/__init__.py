"""The ``realpolitik`` command line: thin wrappers over the library."""

from realpolitik.cli import _news  # noqa: F401  (registers ingest, update, watch)
from realpolitik.cli import _validation  # noqa: F401  (registers forecast, backtest, calibrate)
from realpolitik.cli import _serve  # noqa: F401  (registers serve)
from realpolitik.cli import _workbench  # noqa: F401  (registers describe, init)
from realpolitik.cli._app import app, main

__all__ = ["app", "main"]
