"""The news a store holds, as update and watch take it: observations, now and the first day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from realpolitik.errors import RealpolitikError
from realpolitik.inference import Observation, StoredNews, stored_news
from realpolitik.ingest import Article, ArticleResult, Event, observations_of
from realpolitik.store import Store

MAR = {d: dt.date(2026, 3, d) for d in range(1, 32)}
TODAY = dt.date(2026, 4, 1)


def _article(id: str, published: dt.date | None, happened: dt.date, *, scenario: str = "latent", indicator: str = "leak") -> tuple[ArticleResult, str]:
    """One article (built by hand, no spaCy) with one asserted event that observes
    ``indicator`` on ``happened``, and the scenario it is read for."""
    text = f"On {happened:%B %d}, the ministry condemned the strikes ({id})."
    event = Event("ACCUSE", "Russia", None, "asserted", None, happened.isoformat(), "day", 0, len(text), text, 0.8, "condemn", 0, 1, (indicator,))
    return ArticleResult(Article.from_text(text, id=id, published=published), (), (event,)), scenario


def _store(path: Path, *articles: tuple[ArticleResult, str]) -> Path:
    """A DuckDB store holding ``articles``, as ``ingest`` stores them."""
    with Store(path) as store:
        for result, scenario in articles:
            assert store.add(result, scenario=scenario, observations=observations_of(result)) == "added"
    return path


@pytest.fixture
def news_db(tmp_path: Path) -> Path:
    """Articles of March 10 and 12 (and one for another scenario) in a real DuckDB store."""
    return _store(
        tmp_path / "news.duckdb",
        _article("a1", MAR[10], MAR[10]),
        _article("a2", MAR[12], MAR[12], indicator="chatter"),
        _article("b1", MAR[11], MAR[11], scenario="other"),
    )


def test_the_dates_come_from_the_store_without_now(news_db: Path) -> None:
    with Store(news_db, read_only=True) as store:
        news = stored_news(store, "latent")
    assert (news.now, news.covered_from) == (MAR[12], MAR[10])
    assert [(o.indicator, o.date) for o in news.observations] == [("leak", MAR[10]), ("chatter", MAR[12])]
    assert all(isinstance(o, Observation) and o.confidence == 0.8 for o in news.observations)
    assert news.observations[0].label.startswith("a1#1 #0: On March 10")  # article version and event


@pytest.mark.parametrize(
    ("now", "indicators"),
    [
        (MAR[12], ["leak", "chatter"]),
        (MAR[11], ["leak"]),  # the report of the 12th is after now: left out
        (MAR[9], []),
        (MAR[20], ["leak", "chatter"]),  # later than the newest article: the silent days count
    ],
)
def test_now_given_overrides_the_store_and_leaves_out_later_reports(news_db: Path, now: dt.date, indicators: list[str]) -> None:
    with Store(news_db, read_only=True) as store:
        news = stored_news(store, "latent", now=now, today=TODAY)
    assert (news.now, news.covered_from) == (now, MAR[10])  # today is only for no news
    assert [o.indicator for o in news.observations] == indicators


def test_another_scenarios_observations_are_not_its_news(news_db: Path) -> None:
    with Store(news_db, read_only=True) as store:
        news = stored_news(store, "other")
    assert [(o.indicator, o.date) for o in news.observations] == [("leak", MAR[11])]
    assert (news.now, news.covered_from) == (MAR[12], MAR[10])  # the store's days, all scenarios'


@pytest.mark.parametrize("now", [None, MAR[12]])
def test_no_news_is_nothing_to_update_with(tmp_path: Path, now: dt.date | None) -> None:
    empty = _store(tmp_path / "empty.duckdb")
    with Store(empty, read_only=True) as store, pytest.raises(RealpolitikError, match="^the news store holds no dated article: nothing to update with$"):
        stored_news(store, "latent", now=now)
    with pytest.raises(RealpolitikError, match="^no news store: nothing to update with$"):
        stored_news(None, "latent", now=now)


@pytest.mark.parametrize(("now", "expected"), [(None, TODAY), (MAR[12], MAR[12])])
def test_with_today_no_news_is_the_prior(tmp_path: Path, now: dt.date | None, expected: dt.date) -> None:
    empty = _store(tmp_path / "empty.duckdb")
    with Store(empty, read_only=True) as store:
        assert stored_news(store, "latent", now=now, today=TODAY) == StoredNews((), expected, None)
    assert stored_news(None, "latent", now=now, today=TODAY) == StoredNews((), expected, None)


def test_undated_articles_are_no_news_but_their_reports_count_with_today(tmp_path: Path) -> None:
    # the event names its day, the article none: a report, but no day the news covers
    undated = _store(tmp_path / "undated.duckdb", _article("u1", None, MAR[10]))
    with Store(undated, read_only=True) as store:
        with pytest.raises(RealpolitikError, match="no dated article"):
            stored_news(store, "latent")
        news = stored_news(store, "latent", today=TODAY)
    assert (news.now, news.covered_from) == (TODAY, None)
    assert [(o.indicator, o.date) for o in news.observations] == [("leak", MAR[10])]


def test_stored_news_is_frozen(news_db: Path) -> None:
    with Store(news_db, read_only=True) as store:
        news = stored_news(store, "latent")
    with pytest.raises(AttributeError):
        news.now = TODAY  # type: ignore[misc]
