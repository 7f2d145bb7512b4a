"""What the serve tests share: a news store and a price series around an as-of date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

#: The date the as-of tests answer from (after the default scenario's start, 2026-02-28, and its own as-of date).
AS_OF = dt.date(2026, 3, 12)


@pytest.fixture(scope="session")
def news(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A news store with one report before the as-of date and one after it, and a
    Brent series with a row after it."""
    from realpolitik.ingest import Article, ArticleResult, Event, observations_of
    from realpolitik.store import Store

    pytest.importorskip("duckdb", reason="the news store needs duckdb (pip install 'realpolitik[news]')")
    folder = tmp_path_factory.mktemp("news")
    db = folder / "news.duckdb"
    with Store(db) as store:
        for i, day in enumerate((dt.date(2026, 3, 10), dt.date(2026, 3, 14))):
            text = f"On {day:%B %d}, the <b>ministry</b> condemned the strikes ({i})."
            event = Event("ACCUSE", "Russia", None, "asserted", None, day.isoformat(), "day", 0, len(text), text, 0.9, "condemn", 0, 1, ("mfa_condemnation",))
            result = ArticleResult(Article.from_text(text, id=f"a{i}", published=day), (), (event,))
            assert store.add(result, scenario="russia-iran-2026", observations=observations_of(result)) == "added"
    prices = folder / "brent.csv"
    prices.write_text("Date,Price\n2026-02-27,71.32\n2026-03-09,90.1\n2026-03-10,92.5\n2026-03-11,91.0\n2026-03-13,999\n", encoding="utf-8")
    return db, prices
