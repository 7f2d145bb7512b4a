"""The news store on a real DuckDB file: duplicates and versions, one transaction per
article, the three clocks, and what opening a missing or broken file says."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realpolitik.errors import DataError
from realpolitik.ingest import Article, ArticleResult, Event, Mention
from realpolitik.store import NewObservation, Store

SCENARIO = "toy"
NOW = dt.datetime(2026, 3, 10, 12, 30, 15)
DAY = dt.date(2026, 3, 9)
TEXT = "Russia condemned the strikes."
CHANGED = "Russia's foreign ministry condemned the strikes again."
URL = "https://example.org/a1"
EMPTY = {"articles": 0, "mentions": 0, "events": 0, "observations": 0}


def _event(text: str = TEXT, *, indicators: tuple[str, ...] = ("mfa_condemnation",), modality: str = "asserted", claimant: str | None = None, confidence: float = 0.8) -> Event:
    return Event(
        type="ACCUSE", source="Russia", target=None, modality=modality, claimant=claimant, date=DAY.isoformat(), date_precision="day",
        start=0, end=len(text), text=text, confidence=confidence, trigger="condemn", trigger_start=7, trigger_end=16, indicators=indicators,
    )  # fmt: skip


def _result(text: str = TEXT, *, id: str = "a1", url: str | None = URL, published: dt.date | None = DAY, events: tuple[Event, ...] | None = None) -> ArticleResult:
    article = Article.from_text(text, id=id, url=url, published=published)
    return ArticleResult(article, (Mention(0, 6, "Russia", "Russia"),), (_event(text),) if events is None else events)


def _observed(result: ArticleResult, happened: dt.date = DAY) -> list[NewObservation]:
    """One observation per indicator each event matches, all on ``happened``."""
    return [NewObservation(n, indicator, happened, "day") for n, e in enumerate(result.events) for indicator in e.indicators]


def _add(store: Store, result: ArticleResult, *, scenario: str | None = SCENARIO, happened: dt.date = DAY) -> str:
    return store.add(result, scenario=scenario, observations=_observed(result, happened), now=NOW)


def _rows_of(store: Store, article_id: str) -> dict[str, int]:
    """How many rows of each table belong to any version of ``article_id``."""
    like = [f"{article_id}#%"]
    return {
        "articles": store.db.execute("SELECT count(*) FROM articles WHERE id = ?", [article_id]).fetchone()[0],  # type: ignore[index]
        **{t: store.db.execute(f"SELECT count(*) FROM {t} WHERE article LIKE ?", like).fetchone()[0] for t in ("mentions", "events", "observations")},  # type: ignore[index]
    }


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "news.duckdb") as s:
        yield s


def test_an_empty_store_has_no_rows_and_no_coverage(store: Store) -> None:
    assert store.counts() == EMPTY
    assert store.coverage() is None
    assert store.observations(SCENARIO) == []


def test_add_writes_the_article_its_mentions_events_and_observations(store: Store) -> None:
    assert _add(store, _result()) == "added"
    assert store.counts() == {"articles": 1, "mentions": 1, "events": 1, "observations": 1}
    assert store.db.execute("SELECT key, id, version, url FROM articles").fetchall() == [("a1#1", "a1", 1, URL)]


@pytest.mark.parametrize(
    ("id", "url", "text", "outcome", "articles"),
    [
        ("a1", URL, TEXT, "duplicate", 1),  # the same article again
        ("a1", None, TEXT, "duplicate", 1),  # found by its id
        ("a2", URL, TEXT, "duplicate", 1),  # found by its URL, under another id
        ("a2", "https://example.org/a2", TEXT, "added", 2),  # the hash is compared within an id or URL only
        ("a1", URL, CHANGED, "new_version", 2),
        ("a1", None, CHANGED, "new_version", 2),
        ("a2", URL, CHANGED, "new_version", 2),
        ("a2", None, CHANGED, "added", 2),
    ],
    ids=["same-article", "same-id", "same-url", "same-text-elsewhere", "changed-same-id-and-url", "changed-same-id", "changed-same-url", "changed-elsewhere"],
)
def test_a_second_article_is_a_duplicate_a_new_version_or_new(store: Store, id: str, url: str | None, text: str, outcome: str, articles: int) -> None:
    _add(store, _result())
    before = store.counts()
    assert _add(store, _result(text, id=id, url=url)) == outcome
    if outcome == "duplicate":
        assert store.counts() == before  # nothing written
    else:
        assert store.counts() == {t: 2 * n for t, n in before.items()}
    assert store.counts()["articles"] == articles


def test_a_changed_text_becomes_version_2_and_only_its_observations_count(store: Store) -> None:
    _add(store, _result(events=(_event(indicators=("old_indicator",)),)))
    assert _add(store, _result(CHANGED, events=(_event(CHANGED, indicators=("new_indicator",)),))) == "new_version"
    assert store.db.execute("SELECT key, version FROM articles ORDER BY version").fetchall() == [("a1#1", 1), ("a1#2", 2)]
    assert [(o.article, o.indicator, o.text) for o in store.observations(SCENARIO)] == [("a1#2", "new_indicator", CHANGED)]


def test_a_new_version_under_the_same_url_and_another_id_supersedes_the_old(store: Store) -> None:
    _add(store, _result(events=(_event(indicators=("old_indicator",)),)))
    assert _add(store, _result(CHANGED, id="a2", events=(_event(CHANGED, indicators=("new_indicator",)),))) == "new_version"
    assert [(o.article, o.indicator) for o in store.observations(SCENARIO)] == [("a2#2", "new_indicator")]


@pytest.mark.parametrize(
    ("observation", "error"),
    [
        (NewObservation(5, "mfa_condemnation", DAY, "day"), IndexError),  # no event 5: fails in Python after three inserts
        (NewObservation(-1, "mfa_condemnation", DAY, "day"), IndexError),  # Python would take the last event; no row may join none
        (NewObservation(0, "mfa_condemnation", None, "day"), Exception),  # type: ignore[arg-type]  # NOT NULL: fails in DuckDB, the last insert
    ],
    ids=["event-out-of-range", "negative-event", "constraint"],
)
def test_a_failing_article_leaves_no_row_and_the_store_usable(store: Store, observation: NewObservation, error: type[Exception]) -> None:
    _add(store, _result())
    before = store.counts()
    broken = _result(CHANGED, id="a2", url=None)
    with pytest.raises(error):
        store.add(broken, scenario=SCENARIO, observations=[observation], now=NOW)
    assert store.counts() == before
    assert _rows_of(store, "a2") == EMPTY
    assert _add(store, broken) == "added"  # version 1: nothing of the failed attempt was kept
    assert store.db.execute("SELECT key FROM articles WHERE id = 'a2'").fetchall() == [("a2#1",)]
    assert _rows_of(store, "a2") == {"articles": 1, "mentions": 1, "events": 1, "observations": 1}


def test_observations_are_filtered_by_happened_date_and_oldest_first(store: Store) -> None:
    days = {"mid": dt.date(2026, 3, 5), "late": dt.date(2026, 3, 9), "early": dt.date(2026, 3, 1)}
    for name, day in days.items():
        _add(store, _result(f"{TEXT} ({name})", id=name, url=None), happened=day)
    assert [(o.article, o.happened) for o in store.observations(SCENARIO)] == [
        ("early#1", days["early"]),
        ("mid#1", days["mid"]),
        ("late#1", days["late"]),
    ]
    assert [o.article for o in store.observations(SCENARIO, until=days["mid"])] == ["early#1", "mid#1"]  # ``until`` is included
    assert store.observations(SCENARIO, until=dt.date(2026, 2, 28)) == []


def test_another_scenarios_observations_are_not_returned(store: Store) -> None:
    _add(store, _result(id="ours", url=None))
    _add(store, _result(CHANGED, id="theirs", url=None), scenario="other")
    assert [o.article for o in store.observations(SCENARIO)] == ["ours#1"]
    assert [o.article for o in store.observations("other")] == ["theirs#1"]
    assert store.observations("unknown") == []


def test_without_a_scenario_events_are_stored_but_no_observation(store: Store) -> None:
    _add(store, _result(), scenario=None)
    assert store.counts() == {"articles": 1, "mentions": 1, "events": 1, "observations": 0}


def test_the_three_clocks_and_the_observing_event_are_stored_as_given(store: Store) -> None:
    first, second = "Russia condemned the strikes.", "The West alleges Iran was warned."
    events = (
        _event(first, indicators=()),
        _event(second, indicators=("irgc_frustration",), modality="reported", claimant="the West", confidence=0.55),
    )
    result = _result(f"{first} {second}", published=dt.date(2026, 3, 12), events=events)
    happened = dt.date(2026, 3, 2)
    store.add(result, scenario=SCENARIO, observations=[NewObservation(1, "irgc_frustration", happened, "week")], now=NOW)
    [o] = store.observations(SCENARIO)
    assert (o.happened, o.reported, o.ingested_at) == (happened, dt.date(2026, 3, 12), NOW)
    assert (o.article, o.event, o.indicator) == ("a1#1", 1, "irgc_frustration")
    assert (o.modality, o.claimant, o.confidence, o.text) == ("reported", "the West", 0.55, second)  # from event 1, not event 0
    assert store.db.execute("SELECT happened_precision FROM observations").fetchall() == [("week",)]


def test_an_undated_article_is_stored_with_no_reported_date(store: Store) -> None:
    _add(store, _result(published=None))
    [o] = store.observations(SCENARIO)
    assert o.reported is None and o.happened == DAY


def test_coverage_spans_the_publication_dates(store: Store) -> None:
    for n, published in enumerate([dt.date(2026, 3, 9), None, dt.date(2026, 2, 27), dt.date(2026, 3, 4)]):
        _add(store, _result(f"{TEXT} {n}", id=f"a{n}", url=None, published=published))
    assert store.coverage() == (dt.date(2026, 2, 27), dt.date(2026, 3, 9))
    assert store.counts() == {"articles": 4, "mentions": 4, "events": 4, "observations": 4}


def test_opening_a_missing_store_read_only_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "news.duckdb"
    with pytest.raises(DataError) as info:
        Store(path, read_only=True)
    assert str(path) in str(info.value) and "realpolitik ingest" in str(info.value)
    assert info.value.problems[0].file == str(path)
    assert not path.parent.exists()  # reading does not create anything


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "read-write"])
def test_opening_a_file_that_is_not_a_store_says_so_in_one_line(tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "news.duckdb"
    garbage = b"this is not a DuckDB database\x00\x01\x02" * 200
    path.write_bytes(garbage)
    with pytest.raises(DataError) as info:
        Store(path, read_only=read_only)
    message = str(info.value)
    assert "\n" not in message and str(path) in message and "cannot open the news store" in message
    assert info.value.problems[0].file == str(path)
    assert path.read_bytes() == garbage  # left as it was


def test_a_written_store_reopens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        _add(store, _result())
        counts, observations = store.counts(), store.observations(SCENARIO)
    with Store(path, read_only=True) as store:
        assert store.counts() == counts
        assert store.observations(SCENARIO) == observations
        assert store.coverage() == (DAY, DAY)


_ARTICLES = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from([None, "https://example.org/1", "https://example.org/2"]), st.sampled_from(["one", "two", "three"])),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None)
@given(articles=_ARTICLES)
def test_adding_the_same_articles_again_changes_nothing(tmp_path_factory: pytest.TempPathFactory, articles: list[tuple[str, str | None, str]]) -> None:
    results = [_result(f"Russia condemned the strikes, {text}.", id=id, url=url) for id, url, text in articles]
    with Store(tmp_path_factory.mktemp("store") / "news.duckdb") as store:
        first = [_add(store, r) for r in results]
        counts = store.counts()
        assert counts["articles"] == sum(outcome != "duplicate" for outcome in first)
        assert [_add(store, r) for r in results] == ["duplicate"] * len(results)
        assert store.counts() == counts


def test_observation_rows_are_immutable() -> None:
    o = NewObservation(0, "mfa_condemnation", DAY, "day")
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.event = 1  # type: ignore[misc]


def test_items_with_ids_of_their_own_and_other_days_under_one_url_are_distinct_articles(store: Store) -> None:
    # a timeline page's daily sections share the page's URL: each is an article of its own,
    # and the observations of every day count (not only the newest section's)
    _add(store, _result())
    later = DAY + dt.timedelta(days=1)
    assert _add(store, _result(CHANGED, id="a2", url=URL, published=later), happened=later) == "added"
    assert [o.happened for o in store.observations(SCENARIO)] == [DAY, later]
    assert store.covered_days(SCENARIO) == [DAY, later]
    # without an id of its own (a derived one), a changed text under the URL is still a new version
    assert _add(store, _result(CHANGED + " More.", id=None, url=URL, published=later), happened=later) == "new_version"
