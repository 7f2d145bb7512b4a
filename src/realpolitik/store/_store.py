"""The news store: one DuckDB file of articles, mentions, events and observations.

Every article goes in with one transaction, so a store is never half-written: an
ingest killed mid-batch leaves the articles it committed and nothing of the one it
was writing, and running it again adds only what is missing. An article whose
content hash is already stored (under its id or URL) adds nothing; a changed text
under a stored URL (or id) becomes a new version.

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

__all__ = ["Store", "StoredObservation", "default_store_path"]

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

    def add(self, result: Any, *, scenario: str | None, observations: Sequence[dict[str, Any]], now: dt.datetime | None = None) -> str:
        """Store one article's extraction in one transaction.

        Args:
            result: an ``ingest.ArticleResult``.
            scenario: the scenario the patterns came from (stored with events).
            observations: ``{"event": n, "indicator", "happened", "happened_precision"}``
                for the article's events that observe an indicator.

        Returns:
            ``added``, ``duplicate`` (nothing written) or ``new_version``.
        """
        a = result.article
        now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        db = self.db
        db.execute("BEGIN TRANSACTION")
        try:
            rows = db.execute(
                "SELECT version, content_hash FROM articles WHERE id = ? OR (url IS NOT NULL AND url = ?) ORDER BY version",
                [a.id, a.url],
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
                db.executemany(
                    "INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [key, o["event"], scenario, o["indicator"], o["happened"], o["happened_precision"], a.published, now,
                         result.events[o["event"]].modality, result.events[o["event"]].claimant, result.events[o["event"]].confidence]
                        for o in observations
                    ],
                )  # fmt: skip
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return "new_version" if version > 1 else "added"

    # -- reading

    def observations(self, scenario: str, *, until: dt.date | None = None) -> list[StoredObservation]:
        """The observations of ``scenario``'s indicators (of the latest version of each
        article), oldest first."""
        rows = self.db.execute(
            """
            SELECT o.article, o.event, o.indicator, o.happened, o.reported, o.ingested_at, o.modality, o.claimant,
                   o.confidence, e.text
            FROM observations o
            JOIN events e ON e.article = o.article AND e.n = o.event
            JOIN articles a ON a.key = o.article
            WHERE o.scenario = ? AND a.version = (SELECT max(version) FROM articles b WHERE b.id = a.id)
              AND (? IS NULL OR o.happened <= ?)
            ORDER BY o.happened, o.article, o.event
            """,
            [scenario, until, until],
        ).fetchall()
        return [StoredObservation(*r) for r in rows]

    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """The first and last publication dates of the stored articles."""
        row = self.db.execute("SELECT min(published), max(published) FROM articles").fetchone()
        return None if row is None or row[0] is None else (row[0], row[1])

    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        return {t: int(self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in ("articles", "mentions", "events", "observations")}  # type: ignore[index]
