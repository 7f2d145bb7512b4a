"""Stores from other hands (issue 19, kinds 4 and 7): a damaged or foreign file, a
path under a file, rows no ingest writes, and a Ctrl-C while an article is written.
Each is a :class:`DataError` naming the store in one line (or a clean
``KeyboardInterrupt``), never DuckDB's own exception, and never half an article."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from realpolitik.errors import DataError
from realpolitik.ingest import Article, ArticleResult, Event, Mention
from realpolitik.store import NewObservation, Store

SCENARIO = "toy"
DAY = dt.date(2026, 3, 9)
#: DuckDB's file: three 4 KiB headers, then blocks of 256 KiB.
HEADERS, BLOCK = 3 * 4096, 256 * 1024


def _result(n: int, *, mention: Any = None) -> ArticleResult:
    text = f"Russia condemned the strikes on Iran, report {n}. " + "The ministry said more. " * 40
    event = Event(
        type="ACCUSE", source="Russia", target="Iran", modality="asserted", claimant=None, date=DAY.isoformat(), date_precision="day",
        start=0, end=30, text=text[:30], confidence=0.8, trigger="condemned", trigger_start=7, trigger_end=16, indicators=("mfa_condemnation",),
    )  # fmt: skip
    article = Article.from_text(text, id=f"a{n}", url=f"https://example.org/{n}", published=DAY + dt.timedelta(days=n % 5))
    return ArticleResult(article, (mention or Mention(0, 6, "Russia", "Russia"),), (event,))


def _add(store: Store, n: int, **kwargs: Any) -> str:
    return store.add(_result(n, **kwargs), scenario=SCENARIO, observations=[NewObservation(0, "mfa_condemnation", DAY, "day")])


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 300 articles, closed (so all of it is in the file, in several blocks)."""
    path = tmp_path_factory.mktemp("store") / "news.duckdb"
    with Store(path) as store:
        for n in range(300):
            _add(store, n)
    return path


def _everything(path: Path, *, read_only: bool) -> None:
    """What ingest, update and watch do with a store: open, check, read, (write)."""
    with Store(path, read_only=read_only) as store:
        store.check()
        store.coverage()
        store.counts()
        store.scenarios()
        store.observations(SCENARIO, until=DAY + dt.timedelta(days=3), published_until=DAY + dt.timedelta(days=3))
        store.covered_days(SCENARIO)
        store.count_after(SCENARIO, DAY)
        if not read_only:
            _add(store, 10_000)


def _one_line_naming(info: pytest.ExceptionInfo[DataError], path: Path) -> None:
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}:"), message
    assert info.value.problems[0].file == str(path)


def _damaged_copies(written: Path, tmp_path: Path) -> list[tuple[str, Path]]:
    size = written.stat().st_size
    copies = []
    offsets = [100, 4096 + 100, 8192 + 100] + [HEADERS + k * BLOCK + d for k in range((size - HEADERS) // BLOCK) for d in (100, BLOCK // 2)]
    for offset in offsets:
        copy = tmp_path / f"flip-{offset}.duckdb"
        shutil.copy(written, copy)
        with copy.open("r+b") as f:
            f.seek(offset)
            chunk = f.read(64)
            f.seek(offset)
            f.write(bytes(b ^ 0xFF for b in chunk))
        copies.append((f"flip at {offset}", copy))
    for keep in (0, 1000, HEADERS + 10, size // 3, size // 2, size - BLOCK // 2):
        copy = tmp_path / f"cut-{keep}.duckdb"
        shutil.copy(written, copy)
        os.truncate(copy, keep)
        copies.append((f"cut to {keep}", copy))
    return copies


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "read-write"])
def test_a_damaged_store_is_one_data_error_naming_it(written: Path, tmp_path: Path, read_only: bool) -> None:
    found = 0
    for label, copy in _damaged_copies(written, tmp_path):
        try:
            _everything(copy, read_only=read_only)
        except DataError as exc:
            found += 1
            message = str(exc)
            assert "\n" not in message and message.startswith(f"{copy}:") and exc.problems[0].file == str(copy), (label, message)
    assert found >= 8  # the damage is found, not read past


def test_check_reads_every_block_of_every_table(written: Path, tmp_path: Path) -> None:
    with Store(written, read_only=True) as store:
        blocks = {b for t in ("articles", "mentions", "events", "observations")
                  for (b,) in store.db.execute(f"SELECT DISTINCT block_id FROM pragma_storage_info('{t}') WHERE block_id >= 0").fetchall()}  # fmt: skip
    assert len(blocks) >= 4
    for block in sorted(blocks):
        copy = tmp_path / f"block-{block}.duckdb"
        shutil.copy(written, copy)
        with copy.open("r+b") as f:
            f.seek(HEADERS + block * BLOCK + 1000)
            f.write(b"\xff" * 32)
        with pytest.raises(DataError) as info:
            with Store(copy, read_only=True) as store:
                store.check()
        _one_line_naming(info, copy)
        assert "cannot read the news store" in str(info.value)


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "read-write"])
def test_a_store_under_a_regular_file_or_a_folder_is_a_data_error(tmp_path: Path, read_only: bool) -> None:
    plain = tmp_path / "somefile.txt"
    plain.write_text("hello", encoding="utf-8")
    for path in (plain / "news.duckdb", plain / "deeper" / "news.duckdb", tmp_path):
        with pytest.raises(DataError) as info:
            Store(path, read_only=read_only)
        _one_line_naming(info, path)
    assert plain.read_text(encoding="utf-8") == "hello"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "read-write"])
def test_a_pipe_in_the_stores_place_is_refused_not_waited_on(tmp_path: Path, read_only: bool) -> None:
    pipe = tmp_path / "news.duckdb"
    os.mkfifo(pipe)
    with pytest.raises(DataError, match="not a regular file") as info:
        Store(pipe, read_only=read_only)
    _one_line_naming(info, pipe)


def test_a_database_of_other_tables_is_not_made_into_a_store(tmp_path: Path) -> None:
    path = tmp_path / "sales.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE sales (x INTEGER)")
    for read_only in (True, False):
        with pytest.raises(DataError) as info:
            Store(path, read_only=read_only)
        _one_line_naming(info, path)
        assert "not a news store" in str(info.value)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT table_name FROM information_schema.tables").fetchall() == [("sales",)]


@pytest.mark.parametrize(
    "ddl",
    [
        "CREATE TABLE articles (key VARCHAR, id INTEGER)",
        "CREATE TABLE observations (article VARCHAR, event INTEGER)",
        "CREATE TABLE events (article VARCHAR NOT NULL, n VARCHAR)",
    ],
    ids=["articles", "observations", "events"],
)
def test_a_table_of_another_shape_is_named(tmp_path: Path, ddl: str) -> None:
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(ddl)
    for read_only in (False, True):
        with pytest.raises(DataError) as info:
            _everything(path, read_only=read_only)
        _one_line_naming(info, path)
        assert "not a news store" in str(info.value)


def test_an_empty_duckdb_file_is_not_a_store_to_read(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(DataError, match="no table 'articles'"):
        Store(path, read_only=True)
    with Store(path) as store:  # ... but one to write: an ingest makes it a store
        assert store.counts()["articles"] == 0


@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("UPDATE observations SET confidence = 'nan'", "confidence nan"),
        ("UPDATE observations SET confidence = 7", "confidence 7.0"),
        ("UPDATE observations SET confidence = NULL", "confidence None"),
        ("UPDATE events SET text = NULL", "no text"),
        ("UPDATE observations SET happened = DATE '20000-01-01'", "outside the calendar"),
        ("UPDATE articles SET published = DATE '20000-01-01'", "outside the calendar"),
    ],
)
def test_rows_no_ingest_writes_are_a_data_error_naming_the_store(tmp_path: Path, sql: str, what: str) -> None:
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        _add(store, 1)
        store.db.execute(sql)
    with pytest.raises(DataError) as info:
        with Store(path, read_only=True) as store:
            store.coverage()
            store.covered_days(SCENARIO)
            store.observations(SCENARIO)
    _one_line_naming(info, path)
    assert what in str(info.value)


# -- Ctrl-C while an article is written (kind 4)


class _Interrupting:
    """A mention whose offsets are read while the article is written: a Ctrl-C arrives then."""

    def __init__(self) -> None:
        self.end, self.surface, self.actor, self.metonymy = 6, "Russia", "Russia", False

    @property
    def start(self) -> int:
        signal.raise_signal(signal.SIGINT)
        return 0


class _CommitInterrupted:
    """The store's connection, with a Ctrl-C arriving as the article commits."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT":
            signal.raise_signal(signal.SIGINT)
        return self._db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals reach the main thread only")
def test_a_ctrl_c_while_an_article_is_written_rolls_it_back(tmp_path: Path) -> None:
    with Store(tmp_path / "news.duckdb") as store:
        _add(store, 1)
        before = store.counts()
        with pytest.raises(KeyboardInterrupt):
            _add(store, 2, mention=_Interrupting())
        assert store.counts() == before and store.written == 1  # nothing of article 2
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler is back
        assert _add(store, 2) == "added"  # and the store goes on
        assert store.counts() == {"articles": 2, "mentions": 2, "events": 2, "observations": 2}


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals reach the main thread only")
def test_a_ctrl_c_while_an_article_commits_keeps_it_and_counts_it(tmp_path: Path) -> None:
    with Store(tmp_path / "news.duckdb") as store:
        real = store.db
        store.db = _CommitInterrupted(real)  # type: ignore[assignment]
        with pytest.raises(KeyboardInterrupt):
            _add(store, 1)
        store.db = real
        assert store.written == 1
        assert store.counts() == {"articles": 1, "mentions": 1, "events": 1, "observations": 1}


class _QueryInterrupted:
    """The store's connection as DuckDB leaves it when a Ctrl-C stops a query."""

    def execute(self, sql: str, *args: Any) -> Any:
        raise RuntimeError("Query interrupted")


def test_a_ctrl_c_that_stops_a_query_is_a_keyboard_interrupt(tmp_path: Path) -> None:
    # DuckDB polls for Ctrl-C while it runs a query and then says RuntimeError("Query
    # interrupted"); that is a Ctrl-C, not an error in the store
    with Store(tmp_path / "news.duckdb") as store:
        real = store.db
        store.db = _QueryInterrupted()  # type: ignore[assignment]
        with pytest.raises(KeyboardInterrupt):
            store.counts()
        store.db = real


def test_a_query_stopped_by_duckdb_is_a_keyboard_interrupt_and_the_store_goes_on(tmp_path: Path) -> None:
    with Store(tmp_path / "news.duckdb") as store:
        timer = threading.Timer(0.3, store.db.interrupt)
        timer.start()
        start = time.monotonic()
        try:
            with pytest.raises(KeyboardInterrupt):
                store._run("SELECT sum(i) FROM range(20000000000) AS t(i)")  # some 30 s if never stopped
        finally:
            timer.cancel()
        assert time.monotonic() - start < 10
        assert store.counts()["articles"] == 0


def test_no_signal_handler_is_touched_outside_the_main_thread(tmp_path: Path) -> None:
    outcome: list[object] = []

    def work() -> None:
        with Store(tmp_path / "news.duckdb") as store:
            outcome.append(_add(store, 1))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["added"]
