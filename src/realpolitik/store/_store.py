"""The news store: one DuckDB file of articles, mentions, events and observations.

Every article goes in with one transaction, so a store is never half-written: an
ingest killed mid-batch leaves the articles it committed and nothing of the one it
was writing, and running it again adds only what is missing. An article whose
content hash is already stored (under its id or URL) adds nothing, unless it now has
a publication date the stored one lacked (an undated article read again with
``ingest --assume-date``): then, as a changed text under a stored URL (or id), it
becomes a new version (unless both carry ids of their own and different publication
days: the daily sections of one timeline page are distinct articles).

Three clocks are kept for every observation: when it happened (the event's date),
when it was reported (the article's publication date) and when it was ingested.

A store may come from another hand, or be damaged: every statement goes through one
place (:meth:`Store._run`) that turns DuckDB's errors into a :class:`DataError`
naming the store's file, and a Ctrl-C into a ``KeyboardInterrupt``; what is read is
checked before it is handed on. A Ctrl-C while an article is written is held until
its transaction has ended (rolled back, unless it was already committing), so an
interrupted ingest leaves whole articles only and knows how many it stored.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from realpolitik.errors import DataError, Problem

__all__ = ["NewObservation", "Store", "StoredObservation", "default_store_path"]

#: SQL: article ``a`` is the latest version of its article: none later under the same
#: id, or under the same URL unless both carry ids of their own and different
#: publication days (a timeline's daily sections under one page are distinct articles).
_LATEST = """NOT EXISTS (SELECT 1 FROM articles b WHERE b.version > a.version
                              AND (b.id = a.id OR (a.url IS NOT NULL AND b.url = a.url AND (a.id LIKE 'sha1:%' OR b.id LIKE 'sha1:%'
                                   OR a.published IS NULL OR b.published IS NULL OR a.published = b.published))))"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key VARCHAR PRIMARY KEY,          -- id '#' version
    id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    url VARCHAR,
    path VARCHAR,
    line INTEGER,
    title VARCHAR,
    published DATE,
    published_from VARCHAR,
    source VARCHAR,
    content_hash VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    article VARCHAR NOT NULL, n INTEGER NOT NULL, start_char INTEGER, end_char INTEGER,
    surface VARCHAR, actor VARCHAR, metonymy BOOLEAN
);
CREATE TABLE IF NOT EXISTS events (
    article VARCHAR NOT NULL, n INTEGER NOT NULL, type VARCHAR, source VARCHAR, target VARCHAR,
    modality VARCHAR, claimant VARCHAR, date VARCHAR, date_precision VARCHAR,
    start_char INTEGER, end_char INTEGER, text VARCHAR, confidence DOUBLE,
    indicators VARCHAR[], decision VARCHAR, scenario VARCHAR
);
CREATE TABLE IF NOT EXISTS observations (
    article VARCHAR NOT NULL, event INTEGER NOT NULL, scenario VARCHAR NOT NULL, indicator VARCHAR NOT NULL,
    happened DATE NOT NULL, happened_precision VARCHAR, reported DATE, ingested_at TIMESTAMP NOT NULL,
    modality VARCHAR, claimant VARCHAR, confidence DOUBLE
);
"""


#: The tables of a news store, in the order :meth:`Store.check` reads them.
_TABLES = ("articles", "mentions", "events", "observations")

#: What to do about a store DuckDB cannot read.
_DAMAGED_ADVICE = "is the file damaged? restore a copy, or ingest the articles again into a new store"


def default_store_path() -> Path:
    """``$REALPOLITIK_DB``, else ``$XDG_DATA_HOME/realpolitik/news.duckdb`` (``~/.local/share``)."""
    if os.environ.get("REALPOLITIK_DB"):
        return Path(os.environ["REALPOLITIK_DB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "realpolitik" / "news.duckdb"


@dataclass(frozen=True)
class NewObservation:
    """One indicator an article's event observes, as it goes into the store.

    The caller says which event and when it happened (``ingest.observations_of``
    builds these); the store adds the event's modality, claimant and confidence, the
    scenario, the publication date and the ingest time when it writes the row.

    Attributes:
        event: the event's position in the article's ``events``.
        indicator: the name of the indicator the event observes.
        happened: the day the event happened.
        happened_precision: how that day was found: the event's date precision
            (``"day"``, ``"week"``, ``"month"``, ...), ``"published"`` when the
            event is undated and the publication day stands in, or ``"assumed"``
            when that publication day was assumed (``ingest --assume-date``; the
            article's ``published_from`` is ``"assumed"`` too).

    Example:
        >>> import datetime as dt
        >>> NewObservation(event=0, indicator="mfa_condemnation", happened=dt.date(2026, 3, 9), happened_precision="day")
        NewObservation(event=0, indicator='mfa_condemnation', happened=datetime.date(2026, 3, 9), happened_precision='day')
    """

    event: int
    indicator: str
    happened: dt.date
    happened_precision: str


@dataclass(frozen=True)
class StoredObservation:
    """An observation as stored: which indicator, the three clocks, and its source."""

    article: str
    event: int
    indicator: str
    happened: dt.date
    reported: dt.date | None
    ingested_at: dt.datetime
    modality: str
    claimant: str | None
    confidence: float
    text: str


class Store:
    """A DuckDB news store (created on first use). Use as a context manager.

    Attributes:
        path: the store's file.
        db: the open DuckDB connection (tests read it; the library goes through
            the store's methods).
        written: how many articles this store has committed since it was opened
            (added or new versions): what an interrupted ingest reports.

    Raises:
        DataError: the file cannot be opened or made (a folder or a file in the way),
            is not a DuckDB database, is damaged, or holds tables of another shape
            than a news store's.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = Path(path)
        self.written = 0
        try:
            if self.path.is_dir():
                raise DataError(Problem("cannot open the news store: it is a folder, not a file", str(self.path)))
            if self.path.exists() and not self.path.is_file():  # (DuckDB would wait on a pipe for ever)
                raise DataError(Problem("cannot open the news store: not a regular file (a device, a pipe or a socket)", str(self.path)))
            if not read_only:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except (FileExistsError, NotADirectoryError):
                    raise DataError(Problem(f"cannot open the news store: a file is in the way of its folder {str(self.path.parent)!r}", str(self.path))) from None
            elif not self.path.exists():
                raise DataError(Problem(f"no news store at {self.path}: run `realpolitik ingest` first", str(self.path)))
        except OSError as exc:
            raise DataError(Problem(f"cannot open the news store: {exc.strerror or exc}", str(self.path))) from None
        try:
            self.db = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as e:
            raise DataError(Problem(f"cannot open the news store: {_first_line(e)}", str(self.path))) from None
        except RuntimeError as e:  # DuckDB's way of saying a Ctrl-C stopped it
            if _interrupted(e):
                raise KeyboardInterrupt from None
            raise
        try:
            self._run("SET enable_progress_bar = false")  # (DuckDB draws one on the terminal during long queries)
            self._check_shape(creating=not read_only)
            if not read_only:
                self._run(_SCHEMA)
        except BaseException:
            self.db.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        import duckdb

        try:
            self.db.close()
        except duckdb.Error as e:  # closing writes what is pending into the file
            raise self._error(e, "cannot close the news store") from None

    # -- every statement

    def _run(self, sql: str, params: Sequence[Any] | None = None, *, many: bool = False) -> list[tuple[Any, ...]]:
        """Run one statement and return its rows (none for a write).

        Raises:
            DataError: DuckDB cannot run it on this file (damaged, full disk, a table
                of another shape); names the store.
            KeyboardInterrupt: a Ctrl-C stopped the query (DuckDB says ``Query interrupted``).
        """
        import duckdb

        try:
            if many:
                self.db.executemany(sql, params or [])
                return []
            cursor = self.db.execute(sql) if params is None else self.db.execute(sql, params)
            return cursor.fetchall() if cursor.description is not None else []
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.Error as e:
            reading = sql.lstrip().upper().startswith(("SELECT", "SET"))
            raise self._error(e, "cannot read the news store" if reading else "cannot write to the news store") from None
        except RuntimeError as e:
            if _interrupted(e):
                raise KeyboardInterrupt from None
            raise

    def _error(self, exc: BaseException, what: str) -> DataError:
        message = _first_line(exc)
        full = any(w in message.lower() for w in ("disk", "no space", "permission", "read-only", "read only"))
        advice = "is the disk full, or the file read-only?" if full else _DAMAGED_ADVICE
        return DataError(Problem(f"{what}: {message} ({advice})", str(self.path)))

    def _check_shape(self, *, creating: bool) -> None:
        """A store from another hand: the tables it has must have a news store's
        columns, and a database of other tables is not made into one.

        Args:
            creating: missing tables will be made (an ingest); else all must be there.
        """
        expected = _expected_columns()
        found = _shape(self._run(_COLUMNS_SQL))
        if creating and not found:
            others = [str(r[0]) for r in self._run("SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() ORDER BY 1 LIMIT 4")]
            if others:
                raise DataError(Problem(f"not a news store: it holds other tables ({', '.join(others)}) and none of a news store's; keep the news in a file of its own", str(self.path)))
        for table, columns in expected.items():
            have = found.get(table)
            if have is None:
                if creating:
                    continue
                raise DataError(Problem(f"not a news store: it has no table {table!r} (was it written by `realpolitik ingest`?)", str(self.path)))
            if have != columns:
                wrong = next((f"column {n!r} is {t}, not {c[1]}" if n == c[0] else f"column {c[0]!r} is missing" for (n, t), c in zip(have, columns) if (n, t) != c), None)
                shown = wrong or f"it has {len(have)} columns, not {len(columns)}"
                raise DataError(Problem(f"not a news store: in table {table!r}, {shown}", str(self.path)))

    def check(self) -> None:
        """Read every value the store holds once, so that a damaged block is found now
        (with the store named), not halfway through an ingest or an update.

        DuckDB checks each block's checksum when it reads it; a scan of every column
        of every table reads them all (in time proportional to the store's size).

        Raises:
            DataError: a block is damaged or cannot be read.
        """
        for table in _TABLES:
            self._run(f"SELECT count(*), bit_xor(hash(t)) FROM {table} AS t")

    # -- writing

    def add(self, result: Any, *, scenario: str | None, observations: Sequence[NewObservation], now: dt.datetime | None = None) -> str:
        """Store one article's extraction in one transaction.

        A Ctrl-C while it writes is held until the transaction ends: before the
        commit, the article is rolled back and ``KeyboardInterrupt`` raised; once
        committing, the article is stored (and counted in :attr:`written`) and
        ``KeyboardInterrupt`` raised after.

        Args:
            result: an ``ingest.ArticleResult`` (the store does not import ingest,
                which sits beside it, so it is not typed here).
            scenario: the scenario the patterns came from (stored with events);
                without one, no observation is stored.
            observations: the article's events that observe an indicator.
            now: the ingest time stored with the article and its observations
                (default: the current UTC time).

        Returns:
            ``added``, ``duplicate`` (nothing written) or ``new_version``.

        Raises:
            IndexError: an observation names an event the article does not have;
                nothing of the article is written.
            DataError: DuckDB cannot write to the file (damaged, full disk); nothing
                of the article is written.
            KeyboardInterrupt: a Ctrl-C arrived; see above.
        """
        a = result.article
        now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        with _HeldInterrupt() as held:
            self._run("BEGIN TRANSACTION")
            try:
                outcome = self._write(result, a, scenario, observations, now)
                keep = outcome != "duplicate" and not held.arrived
                if keep:
                    self._run("COMMIT")
            except BaseException:
                self._rollback()
                raise
            if not keep:
                self._rollback()
                if held.arrived:
                    raise KeyboardInterrupt  # before the commit: nothing of this article is stored
                return outcome
            self.written += 1
        return outcome

    def _write(self, result: Any, a: Any, scenario: str | None, observations: Sequence[NewObservation], now: dt.datetime) -> str:
        """The statements of :meth:`add`, inside its transaction."""
        rows = self._run(
            # one article: the same id, or the same URL unless both have ids of their own
            # and different publication days (a timeline's daily sections under one page)
            """SELECT version, content_hash, published FROM articles WHERE id = ? OR (url IS NOT NULL AND url = ? AND (
                   ? LIKE 'sha1:%' OR id LIKE 'sha1:%' OR published IS NULL OR ? IS NULL OR published = ?)) ORDER BY version""",
            [a.id, a.url, a.id, a.published, a.published],
        )
        # the same content again adds nothing, unless it now has the date it lacked
        if any(h == a.content_hash and (day is not None or a.published is None) for _, h, day in rows):
            return "duplicate"
        version = max((int(v) for v, _, _ in rows), default=0) + 1
        key = f"{a.id}#{version}"
        self._run(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [key, a.id, version, a.url, a.path, a.line, a.title, a.published, a.published_from, a.source, a.content_hash, a.text, now],
        )
        if result.mentions:
            self._run(
                "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
                [[key, i, m.start, m.end, m.surface, m.actor, m.metonymy] for i, m in enumerate(result.mentions)],
                many=True,
            )
        if result.events:
            self._run(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [key, i, e.type, e.source, e.target, e.modality, e.claimant, e.date, e.date_precision, e.start, e.end,
                     e.text, e.confidence, list(e.indicators), e.decision, scenario]
                    for i, e in enumerate(result.events)
                ],
                many=True,
            )  # fmt: skip
        if observations and scenario:
            values = []
            for o in observations:
                # (a negative index would take an event from the end, and its row would join none)
                if not 0 <= o.event < len(result.events):
                    count = len(result.events)
                    raise IndexError(f"observation of {o.indicator!r} names event {o.event}; the article's events are 0 to {count - 1}")
                e = result.events[o.event]
                values.append([key, o.event, scenario, o.indicator, o.happened, o.happened_precision, a.published, now, e.modality, e.claimant, e.confidence])
            self._run("INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values, many=True)
        return "new_version" if version > 1 else "added"

    def _rollback(self) -> None:
        """End the open transaction, writing nothing of it."""
        import duckdb

        try:
            self.db.execute("ROLLBACK")
        except duckdb.Error:
            pass  # DuckDB already ended it on the error that brought us here: nothing was committed

    # -- reading

    def observations(self, scenario: str, *, until: dt.date | None = None, published_until: dt.date | None = None) -> list[StoredObservation]:
        """The observations of ``scenario``'s indicators (of the latest version of each
        article: the same id or the same URL), oldest first.

        Args:
            until: only events that happened on or before this day.
            published_until: only from articles published on or before this day (an
                undated article counts by the event's day).
        """
        rows = self._run(
            f"""
            SELECT o.article, o.event, o.indicator, o.happened, o.reported, o.ingested_at, o.modality, o.claimant,
                   o.confidence, e.text
            FROM observations o
            JOIN events e ON e.article = o.article AND e.n = o.event
            JOIN articles a ON a.key = o.article
            WHERE o.scenario = ?
              AND {_LATEST}
              AND (? IS NULL OR o.happened <= ?)
              AND (? IS NULL OR coalesce(a.published, o.happened) <= ?)
            ORDER BY o.happened, o.article, o.event
            """,
            [scenario, until, until, published_until, published_until],
        )
        return [self._observation(r) for r in rows]

    def _observation(self, row: tuple[Any, ...]) -> StoredObservation:
        """A row of :meth:`observations`, checked: a store from another hand may hold
        anything its columns' types allow (a NULL text, a confidence of NaN or 7, a
        date DuckDB has but Python has not)."""
        o = StoredObservation(*row)
        where = f"observation of {o.indicator!r} in article {o.article!r}, event {o.event}"
        problem = None
        if not isinstance(o.happened, dt.date) or not isinstance(o.ingested_at, dt.datetime):
            problem = f"the date {o.happened if not isinstance(o.happened, dt.date) else o.ingested_at!s} is outside the calendar (years 1 to 9999)"
        elif o.reported is not None and not isinstance(o.reported, dt.date):
            problem = f"the publication date {o.reported!s} is outside the calendar (years 1 to 9999)"
        elif not isinstance(o.confidence, float) or not (math.isfinite(o.confidence) and 0.0 <= o.confidence <= 1.0):
            problem = f"confidence {o.confidence!r} is not a number from 0 to 1"
        elif not isinstance(o.text, str) or not isinstance(o.modality, str):
            problem = "its event has no text or no modality"
        if problem:
            raise DataError(Problem(f"the news store holds a bad row: {where}: {problem} (was it written by `realpolitik ingest`?)", str(self.path)))
        return o

    def _day(self, value: Any, what: str) -> dt.date:
        """A date read from the store, which DuckDB hands over as text when Python's
        calendar has no such day."""
        if not isinstance(value, dt.date):
            raise DataError(Problem(f"the news store holds a bad row: {what} {value!s} is outside the calendar (years 1 to 9999)", str(self.path)))
        return value

    def covered_days(self, scenario: str, *, until: dt.date | None = None) -> list[dt.date]:
        """The days, up to ``until``, on which an article was published (its latest
        version) that names at least one actor or party the news resolved (a mention
        with an actor), or that made an observation of ``scenario``: the days the
        news covered the crisis."""
        rows = self._run(
            f"""
            SELECT DISTINCT a.published FROM articles a
            WHERE a.published IS NOT NULL AND (? IS NULL OR a.published <= ?)
              AND {_LATEST}
              AND (EXISTS (SELECT 1 FROM mentions m WHERE m.article = a.key AND m.actor IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM observations o WHERE o.article = a.key AND o.scenario = ?))
            ORDER BY 1
            """,
            [until, until, scenario],
        )
        return [self._day(r[0], "the publication date") for r in rows]

    def count_after(self, scenario: str, day: dt.date) -> int:
        """How many stored articles were published, and observations of ``scenario``
        happened, after ``day`` (what an answer as of ``day`` must not read)."""
        [(articles,)] = self._run("SELECT count(*) FROM articles WHERE published > ?", [day])
        [(observations,)] = self._run(
            """SELECT count(*) FROM observations o JOIN articles a ON a.key = o.article
               WHERE o.scenario = ? AND (o.happened > ? OR coalesce(a.published, o.happened) > ?)""",
            [scenario, day, day],
        )
        return int(articles) + int(observations)

    def scenarios(self) -> list[str]:
        """The scenarios the stored observations are of."""
        return [str(r[0]) for r in self._run("SELECT DISTINCT scenario FROM observations ORDER BY 1")]

    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """The first and last publication dates of the stored articles."""
        [(first, last)] = self._run("SELECT min(published), max(published) FROM articles")
        return None if first is None else (self._day(first, "the publication date"), self._day(last, "the publication date"))

    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        return {t: int(self._run(f"SELECT count(*) FROM {t}")[0][0]) for t in _TABLES}


class _HeldInterrupt:
    """Hold Ctrl-C (SIGINT) for the length of a ``with`` block, then deliver it.

    While held, a Ctrl-C only sets :attr:`arrived` (so DuckDB, which polls for it,
    does not stop a statement halfway); on leaving the block the handler that was
    in place is restored and, unless an exception is already on its way out, the
    Ctrl-C is delivered to it (``KeyboardInterrupt`` under Python's default). Only
    the main thread receives signals; elsewhere nothing is held.
    """

    def __init__(self) -> None:
        self.arrived = False
        self._previous: Any = None
        self._holding = False

    def _hold(self, signum: int, frame: FrameType | None) -> None:
        self.arrived = True

    def __enter__(self) -> _HeldInterrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._hold)
            self._holding = True
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if not self._holding:
            return
        previous = signal.SIG_DFL if self._previous is None else self._previous
        signal.signal(signal.SIGINT, previous)
        if self.arrived and kind is None:
            if previous is signal.default_int_handler:
                raise KeyboardInterrupt
            signal.raise_signal(signal.SIGINT)  # to whatever handler the program set


_COLUMNS_SQL = f"""SELECT table_name, column_name, data_type FROM information_schema.columns
WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name IN ({", ".join(f"'{t}'" for t in _TABLES)})
ORDER BY table_name, ordinal_position"""


def _shape(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[str, str]]]:
    """Each table's columns, as (name, type), from rows of :data:`_COLUMNS_SQL`."""
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        out.setdefault(str(table), []).append((str(column), str(kind)))
    return out


def _expected_columns() -> dict[str, list[tuple[str, str]]]:
    """The columns a news store's tables have: :data:`_SCHEMA`, as DuckDB makes it."""
    import duckdb

    with duckdb.connect(":memory:") as con:
        con.execute(_SCHEMA)
        return _shape(con.execute(_COLUMNS_SQL).fetchall())


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _interrupted(exc: RuntimeError) -> bool:
    """Whether DuckDB raised this because a Ctrl-C arrived while it ran a query."""
    return "interrupted" in str(exc).lower()
