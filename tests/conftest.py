"""Shared test settings: Hypothesis profiles and paths to the shared material."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_sources() -> Path:
    """The two source articles; skips when ../shared is not beside the project."""
    folder = SHARED / "sources"
    if not folder.is_dir():
        pytest.skip("../shared/sources is absent (a fresh clone has no shared material)")
    return folder


@pytest.fixture
def seed_inventory() -> Path:
    """The seed inventory; skips when ../shared is not beside the project."""
    path = SHARED / "spec" / "seed-inventory.md"
    if not path.is_file():
        pytest.skip("../shared/spec/seed-inventory.md is absent (a fresh clone has no shared material)")
    return path


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Write a scenario file from text and return its path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
