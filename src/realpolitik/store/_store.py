"""The news store: one DuckDB file of articles, mentions, events and observations.

Every article goes in with one transaction, so a store is never half-written: an
ingest killed mid-batch leaves the articles it committed and nothing of the one it
was writing, and running it again adds only what is missing. An article whose
content hash is already stored (under its id or URL) adds nothing; a changed text
under a stored URL (or id) becomes a new version (unless both carry ids of their own
and different publication days: the daily sections of one timeline page are distinct
articles).

Three clocks are kept for every observation: when it happened (the event's date),
when it was reported (the article's publication date) and when it was ingested.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realpolitik.errors import DataError, Problem

__all__ = ["NewObservation", "Store", "StoredObservation", "default_store_path"]

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
            (``"day"``, ``"week"``, ``"month"``, ...), or ``"published"`` when the
            event is undated and the publication day stands in.

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

    Raises:
        DataError: the file is not a DuckDB database (or cannot be opened).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = Path(path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise DataError(Problem(f"no news store at {self.path}: run `realpolitik ingest` first", str(self.path)))
        try:
            self.db = duckdb.connect(str(self.path), read_only=read_only)
            if not read_only:
                self.db.execute(_SCHEMA)
        except duckdb.Error as e:
            raise DataError(Problem(f"cannot open the news store: {str(e).splitlines()[0]}", str(self.path))) from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- writing

    def add(self, result: Any, *, scenario: str | None, observations: Sequence[NewObservation], now: dt.datetime | None = None) -> str:
        """Store one article's extraction in one transaction.

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
        """
        a = result.article
        now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        db = self.db
        db.execute("BEGIN TRANSACTION")
        try:
            rows = db.execute(
                # one article: the same id, or the same URL unless both have ids of their own
                # and different publication days (a timeline's daily sections under one page)
                """SELECT version, content_hash FROM articles WHERE id = ? OR (url IS NOT NULL AND url = ? AND (
                       ? LIKE 'sha1:%' OR id LIKE 'sha1:%' OR published IS NULL OR ? IS NULL OR published = ?)) ORDER BY version""",
                [a.id, a.url, a.id, a.published, a.published],
            ).fetchall()
            if any(h == a.content_hash for _, h in rows):
                db.execute("ROLLBACK")
                return "duplicate"
            version = max((v for v, _ in rows), default=0) + 1
            key = f"{a.id}#{version}"
            db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [key, a.id, version, a.url, a.path, a.line, a.title, a.published, a.published_from, a.source, a.content_hash, a.text, now],
            )
            if result.mentions:
                db.executemany(
                    "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [[key, i, m.start, m.end, m.surface, m.actor, m.metonymy] for i, m in enumerate(result.mentions)],
                )
            if result.events:
                db.executemany(
                    "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [key, i, e.type, e.source, e.target, e.modality, e.claimant, e.date, e.date_precision, e.start, e.end,
                         e.text, e.confidence, list(e.indicators), e.decision, scenario]
                        for i, e in enumerate(result.events)
                    ],
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
                db.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return "new_version" if version > 1 else "added"

    # -- reading

    def observations(self, scenario: str, *, until: dt.date | None = None, published_until: dt.date | None = None) -> list[StoredObservation]:
        """The observations of ``scenario``'s indicators (of the latest version of each
        article: the same id or the same URL), oldest first.

        Args:
            until: only events that happened on or before this day.
            published_until: only from articles published on or before this day (an
                undated article counts by the event's day).
        """
        rows = self.db.execute(
            """
            SELECT o.article, o.event, o.indicator, o.happened, o.reported, o.ingested_at, o.modality, o.claimant,
                   o.confidence, e.text
            FROM observations o
            JOIN events e ON e.article = o.article AND e.n = o.event
            JOIN articles a ON a.key = o.article
            WHERE o.scenario = ?
              -- the latest version: none later under the same id or the same URL (a new
              -- version is numbered by either, except that two articles with ids of their
              -- own and different publication days under one URL are distinct; a text
              -- without an id takes its hash as one)
              AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.version > a.version
                              AND (b.id = a.id OR (a.url IS NOT NULL AND b.url = a.url AND (a.id LIKE 'sha1:%' OR b.id LIKE 'sha1:%' OR a.published IS NULL OR b.published IS NULL OR a.published = b.published))))
              AND (? IS NULL OR o.happened <= ?)
              AND (? IS NULL OR coalesce(a.published, o.happened) <= ?)
            ORDER BY o.happened, o.article, o.event
            """,
            [scenario, until, until, published_until, published_until],
        ).fetchall()
        return [StoredObservation(*r) for r in rows]

    def covered_days(self, scenario: str, *, until: dt.date | None = None) -> list[dt.date]:
        """The days, up to ``until``, on which an article was published (its latest
        version) that names at least one actor or party the news resolved (a mention
        with an actor), or that made an observation of ``scenario``: the days the
        news covered the crisis."""
        rows = self.db.execute(
            """
            SELECT DISTINCT a.published FROM articles a
            WHERE a.published IS NOT NULL AND (? IS NULL OR a.published <= ?)
              AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.version > a.version
                              AND (b.id = a.id OR (a.url IS NOT NULL AND b.url = a.url AND (a.id LIKE 'sha1:%' OR b.id LIKE 'sha1:%' OR a.published IS NULL OR b.published IS NULL OR a.published = b.published))))
              AND (EXISTS (SELECT 1 FROM mentions m WHERE m.article = a.key AND m.actor IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM observations o WHERE o.article = a.key AND o.scenario = ?))
            ORDER BY 1
            """,
            [until, until, scenario],
        ).fetchall()
        return [r[0] for r in rows]

    def count_after(self, scenario: str, day: dt.date) -> int:
        """How many stored articles were published, and observations of ``scenario``
        happened, after ``day`` (what an answer as of ``day`` must not read)."""
        articles = self.db.execute("SELECT count(*) FROM articles WHERE published > ?", [day]).fetchone()
        observations = self.db.execute(
            """SELECT count(*) FROM observations o JOIN articles a ON a.key = o.article
               WHERE o.scenario = ? AND (o.happened > ? OR coalesce(a.published, o.happened) > ?)""",
            [scenario, day, day],
        ).fetchone()
        return int(articles[0]) + int(observations[0])  # type: ignore[index]

    def scenarios(self) -> list[str]:
        """The scenarios the stored observations are of."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT scenario FROM observations ORDER BY 1").fetchall()]

    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """The first and last publication dates of the stored articles."""
        row = self.db.execute("SELECT min(published), max(published) FROM articles").fetchone()
        return None if row is None or row[0] is None else (row[0], row[1])

    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        return {t: int(self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in ("articles", "mentions", "events", "observations")}  # type: ignore[index]
