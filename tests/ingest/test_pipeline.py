"""Ingest into a store: undated articles are said, never dropped silently, and placed only on a given day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from realpolitik.inference import evidence_as_of
from realpolitik.ingest import Article, IngestedArticle, extract, ingest, observations_of
from realpolitik.scenario import load
from realpolitik.store import Store

CONDEMNATION = "Russia's foreign ministry condemned the Israeli strikes on Iran as a violation of international law."
MAR = {d: dt.date(2026, 3, d) for d in range(1, 32)}


@pytest.fixture(scope="module")
def scenario():
    return load("default")


def _ingest(paths, db: Path, nlp, scenario, **options) -> tuple[list[IngestedArticle], object]:
    seen: list[IngestedArticle] = []
    with Store(db) as store:
        summary = ingest([str(p) for p in paths], store=store, nlp=nlp, scenario=scenario, on_article=seen.append, **options)
    return seen, summary


def _observations(db: Path) -> list[tuple]:
    with Store(db, read_only=True) as store:
        return store.db.execute(
            """SELECT o.indicator, o.happened, o.happened_precision, a.published, a.published_from
               FROM observations o JOIN articles a ON a.key = o.article ORDER BY ALL"""
        ).fetchall()


def test_an_undated_event_takes_the_articles_date(tmp_path: Path, nlp, scenario) -> None:
    news = tmp_path / "dated.txt"
    news.write_text("TEHRAN, March 12, 2026 — " + CONDEMNATION, encoding="utf-8")  # the dateline dates the article
    [seen], summary = _ingest([news], tmp_path / "news.duckdb", nlp, scenario)
    assert (seen.undated, seen.unplaced, seen.warning) == (False, 0, None)
    assert _observations(tmp_path / "news.duckdb") == [("mfa_condemnation", MAR[12], "published", MAR[12], "text")]
    assert (summary.undated, summary.unplaced) == (0, 0)


def _stored(reports):  # type: ignore[no-untyped-def]
    """The reports that came from the news store, not from the scenario's own log."""
    return [r for r in reports if r.covers_day]


def test_an_undated_article_says_what_it_could_not_place(tmp_path: Path, nlp, scenario) -> None:
    news = tmp_path / "undated.txt"
    news.write_text(CONDEMNATION, encoding="utf-8")
    db = tmp_path / "news.duckdb"
    [seen], summary = _ingest([news], db, nlp, scenario)
    assert (seen.outcome, seen.undated, seen.unplaced) == ("added", True, 1)
    assert str(news) in seen.warning and "1 observation of indicators could not be placed" in seen.warning and "--assume-date" in seen.warning
    data = seen.to_dict()
    assert (data["stored"], data["undated"], data["unplaced"]) == ("added", True, 1)
    assert (summary.undated, summary.unplaced, summary.observations) == (1, 1, {})
    assert _observations(db) == []  # not placed, so not stored as an observation: nothing reads it
    with Store(db, read_only=True) as store:
        assert store.counts()["events"] >= 1  # the event itself is kept
    evidence = evidence_as_of(scenario, MAR[20], db=db)
    assert _stored(evidence.reports) == []


def test_assume_date_places_them_on_that_day_flagged(tmp_path: Path, nlp, scenario) -> None:
    news = tmp_path / "undated.txt"
    news.write_text(CONDEMNATION + " On Monday, Russia condemned the strikes on Iran's embassy.", encoding="utf-8")
    db = tmp_path / "news.duckdb"
    [seen], summary = _ingest([news], db, nlp, scenario, assumed_date=MAR[11])
    assert (seen.undated, seen.unplaced, seen.warning) == (True, 0, None)
    assert seen.result.article.published_from == "assumed"
    assert _observations(db) == [
        ("mfa_condemnation", MAR[9], "day", MAR[11], "assumed"),  # its own date, read against the assumed day (a Wednesday)
        ("mfa_condemnation", MAR[11], "assumed", MAR[11], "assumed"),  # placed on the assumed day
    ]
    reports = _stored(evidence_as_of(scenario, MAR[20], db=db).reports)
    assert sorted(r.date for r in reports) == [MAR[9], MAR[11]]  # placed observations are used
    assert [r.date for r in _stored(evidence_as_of(scenario, MAR[10], db=db).reports)] == []  # (an article "published" on the 11th is not known on the 10th)


def test_an_article_stored_undated_is_placed_when_read_again_with_a_date(tmp_path: Path, nlp, scenario) -> None:
    news = tmp_path / "undated.txt"
    news.write_text(CONDEMNATION, encoding="utf-8")
    db = tmp_path / "news.duckdb"
    [first], _ = _ingest([news], db, nlp, scenario)
    [again], _ = _ingest([news], db, nlp, scenario)
    assert (first.outcome, again.outcome, again.unplaced) == ("added", "duplicate", 1)  # still said, still not placed
    [placed], summary = _ingest([news], db, nlp, scenario, assumed_date=MAR[11])
    assert (placed.outcome, placed.unplaced) == ("new_version", 0)
    assert _observations(db) == [("mfa_condemnation", MAR[11], "assumed", MAR[11], "assumed")]
    [last], _ = _ingest([news], db, nlp, scenario, assumed_date=MAR[12])
    assert last.outcome == "duplicate"  # dated now: the first assumption stands
    assert [r.date for r in _stored(evidence_as_of(scenario, MAR[20], db=db).reports)] == [MAR[11]]


def test_observations_of_leaves_out_what_it_cannot_place(nlp) -> None:
    from realpolitik.ingest import EventPattern

    pattern = EventPattern("mfa_condemnation", types={"ACCUSE"}, sources={"Russia"}, keywords=("strike",))
    [undated] = extract([Article.from_text(CONDEMNATION, id="a")], nlp, patterns=[pattern])
    [dated] = extract([Article.from_text(CONDEMNATION, id="b", published="2026-03-10")], nlp, patterns=[pattern])
    assert observations_of(undated) == []
    assert [(o.happened, o.happened_precision) for o in observations_of(dated)] == [(MAR[10], "published")]
