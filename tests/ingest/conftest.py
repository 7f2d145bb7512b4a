"""Fixtures of the ingest tests: one spaCy pipeline per session, and the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik.ingest import Article, ArticleResult, extract, load_pipeline
from tests.conftest import SHARED


@pytest.fixture(scope="session")
def nlp():
    """The ingest pipeline, loaded once for the whole session (about a second)."""
    return load_pipeline()


@pytest.fixture(scope="session")
def annotate(nlp):
    """Extract one text (with an optional publication date) and return its result."""

    def run(text: str, published: str | None = None, **kwargs) -> ArticleResult:
        [result] = extract([Article.from_text(text, id="t", published=published)], nlp, **kwargs)
        assert isinstance(result, ArticleResult)
        return result

    return run


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` with the event, temporal and news folders; skips when absent."""
    folder = SHARED / "data"
    if not (folder / "events" / "plv").is_dir() or not (folder / "temporal").is_dir():
        pytest.skip("../shared/data is absent (a fresh clone has no shared data)")
    return folder


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """``../shared/sources``, the two articles of the bundled scenario; skips when absent."""
    folder = SHARED / "sources"
    if not folder.is_dir():
        pytest.skip("../shared/sources is absent (a fresh clone has no shared material)")
    return folder
