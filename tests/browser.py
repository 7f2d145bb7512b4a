"""Debian's Chromium for the browser tests, driven by Playwright (no browser download)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")

#: Headless, and nothing fetched but what the page asks for.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def playwright_api() -> Any:
    """Playwright's sync API, skipping the test (saying why) when Chromium or
    Playwright is missing."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests")
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")


def launch(playwright: Any) -> Any:
    """A headless Chromium from a running Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
