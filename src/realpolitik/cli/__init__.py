"""The ``realpolitik`` command line: thin wrappers over the library."""

from realpolitik.cli._app import app, main

__all__ = ["app", "main"]
