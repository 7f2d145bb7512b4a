"""Fixtures of the validation tests: the hand-written toy world and the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.validation.toy import World, write_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The toy scenario, its three variants, a synthetic oil series and its episodes."""
    return write_world(tmp_path_factory.mktemp("toy"))


@pytest.fixture(scope="module")
def shared_data() -> Path:
    """``../shared/data`` (EIA Brent and the episodes); skips when it is absent."""
    folder = SHARED / "data"
    if not (folder / "oil" / "brent-daily.csv").is_file() or not (folder / "episodes" / "episodes.yaml").is_file():
        pytest.skip("../shared/data is absent (a fresh clone has no shared data)")
    return folder
