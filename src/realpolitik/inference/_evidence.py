"""What was observed by an as-of date: reports of indicators, the days the news
covered, and price series, each cut at the date.

This is where the inference layer reads its inputs (a price file, the news store);
the filter itself (``_filter``) is a pure function of an :class:`Evidence`.

Nothing dated after the as-of date is read: a price row after it is counted and
skipped before its value is parsed, and the store is asked only for articles
published (and events dated) on or before it.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from realpolitik.errors import DataError, Problem
from realpolitik.inference._likelihood import Observation

__all__ = ["PriceSeries", "Evidence", "read_prices", "parse_prices_option", "news_evidence", "MAX_PRICE_ROWS"]

#: The most rows a price file may hold (a century of trading days is about 25,000).
MAX_PRICE_ROWS = 1_000_000

#: The largest price file read (bytes).
MAX_PRICE_BYTES = 64 * 2**20


@dataclass(frozen=True)
class PriceSeries:
    """A named series of daily values (e.g. Brent closes) up to an as-of date.

    Attributes:
        name: what the scenario's ``observed_by.series`` calls it.
        dates: the days it has a value (trading days), ascending.
        values: the value on each.
        source: the file it was read from.
        future: how many rows after the as-of date were skipped unread.
    """

    name: str
    dates: tuple[dt.date, ...]
    values: tuple[float, ...]
    source: str = ""
    future: int = 0


@dataclass(frozen=True)
class Evidence:
    """Everything observed up to an as-of date, as the filter takes it.

    Attributes:
        as_of: the date the answers are given from: nothing after it is here.
        reports: indicator reports dated on or before ``as_of``.
        covered: the days on which the news would have carried a report of any
            news indicator (a day without a report of an indicator is evidence
            about it only on such a day). Days with a report are covered too.
        prices: price series cut at ``as_of``.
        future: how many items dated after ``as_of`` were ignored (reports and
            articles from the store, price rows).
        options: the command-line options that name this evidence (``--db``,
            ``--prices``), for the reproducing command.
        silent: the indicators whose absence on a covered day is evidence (the ones
            the sources could have reported: for the news, those with event terms);
            None: every indicator.
        notes: what a user should know about the evidence (e.g. a store whose
            observations are of another scenario), passed on as warnings.
    """

    as_of: dt.date
    reports: tuple[Observation, ...] = ()
    covered: frozenset[dt.date] = field(default_factory=frozenset)
    prices: tuple[PriceSeries, ...] = ()
    future: int = 0
    options: str = ""
    silent: frozenset[str] | None = None
    notes: tuple[str, ...] = ()

    def merged(self, other: Evidence) -> Evidence:
        """This evidence and ``other``'s, as of the same date."""
        if other.as_of != self.as_of:
            raise ValueError(f"evidence as of {other.as_of} cannot join evidence as of {self.as_of}")
        names = {p.name for p in self.prices} & {p.name for p in other.prices}
        if names:
            raise DataError(Problem(f"the price series {sorted(names)[0]!r} is given twice"))
        options = " ".join(o for o in (self.options, other.options) if o)
        silent = None if self.silent is None or other.silent is None else self.silent | other.silent
        return Evidence(
            self.as_of, self.reports + other.reports, self.covered | other.covered, self.prices + other.prices, self.future + other.future,
            options, silent, self.notes + other.notes,
        )  # fmt: skip


def parse_prices_option(text: str) -> tuple[str, Path]:
    """``NAME=CSV`` as (name, path).

    Raises:
        DataError: not of that form.

    Example:
        >>> parse_prices_option("brent=data/brent-daily.csv")
        ('brent', PosixPath('data/brent-daily.csv'))
    """
    name, sep, path = text.partition("=")
    name = name.strip()
    if not sep or not name or not path.strip() or not name.replace("_", "").replace("-", "").isalnum():
        raise DataError(Problem(f"give NAME=CSV (e.g. brent=brent-daily.csv), not {text!r}", "--prices"))
    return name, Path(path.strip())


def read_prices(path: str | Path, name: str, *, as_of: dt.date | None = None) -> PriceSeries:
    """Read a ``Date,Price`` CSV (EIA's format: one row per trading day, ascending),
    up to ``as_of``.

    Rows after ``as_of`` are counted, not read: neither their values nor their
    form are looked at (the file's first row after ``as_of`` ends the reading, since
    the dates ascend).

    Raises:
        DataError: the file is missing, too large, not ``Date,Price``, or a row up to
            ``as_of`` is not an ISO date and a positive finite number, or dates do not
            ascend (every bad row with its line and field).
    """
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise DataError(Problem(f"no such price file for series {name!r} (give a Date,Price CSV)", where))
    if path.stat().st_size > MAX_PRICE_BYTES:
        raise DataError(Problem(f"is {path.stat().st_size:,} bytes; a price file may have at most {MAX_PRICE_BYTES:,}", where))
    dates: list[dt.date] = []
    values: list[float] = []
    problems: list[Problem] = []
    future = 0
    with path.open("rb") as f:  # line by line, decoded one at a time: what follows the date is never decoded
        for line, raw in enumerate(f, start=1):
            if line > MAX_PRICE_ROWS:
                raise DataError(Problem(f"holds more than {MAX_PRICE_ROWS:,} rows", where, line))
            try:
                text = raw.decode("utf-8-sig" if line == 1 else "utf-8")
                row = next(csv.reader([text]), [])
            except UnicodeDecodeError:
                raise DataError(Problem("is not UTF-8 text", where, line)) from None
            except csv.Error as e:
                raise DataError(Problem(f"is not a CSV row: {e}", where, line)) from None
            if line == 1:
                if [h.strip().lower() for h in row[:2]] != ["date", "price"]:
                    raise DataError(Problem(f"the first line must be 'Date,Price', got {','.join(row)[:80]!r}", where, 1))
                continue
            if not row or not "".join(row).strip():
                continue
            try:
                date = dt.date.fromisoformat(row[0].strip())
            except ValueError:
                problems.append(Problem(f"not an ISO date (YYYY-MM-DD): {row[0][:40]!r}", where, line, path="Date"))
                continue
            if as_of is not None and date > as_of:
                # the dates ascend (checked up to here): the rest is after as_of too; counted, not read
                future = 1 + sum(1 for rest in f if rest.strip())
                break
            if dates and date <= dates[-1]:
                problems.append(Problem(f"{date.isoformat()} is not after the row before ({dates[-1].isoformat()}); dates must ascend", where, line, path="Date"))
                continue
            try:
                value = float(row[1])
                if not math.isfinite(value) or value <= 0:
                    raise ValueError
            except (ValueError, IndexError):
                cell = row[1][:40] if len(row) > 1 else ""
                problems.append(Problem(f"not a positive number: {cell!r}", where, line, path="Price"))
                continue
            dates.append(date)
            values.append(value)
    if problems:
        raise DataError(problems[:20])
    return PriceSeries(name, tuple(dates), tuple(values), where, future)


def news_evidence(store: object, scenario: str, indicators: Iterable[str], *, as_of: dt.date) -> tuple[tuple[Observation, ...], frozenset[dt.date], int]:
    """The reports a news store holds for ``scenario`` up to ``as_of``, the days it
    covers, and how many of its reports and articles lie after ``as_of``.

    A report is used when the article that made it was published on or before
    ``as_of`` (an undated article counts by the event's date) and the event happened
    on or before it. A day is covered when an article published that day names at
    least one of the scenario's actors or parties (an article about something else
    says nothing about this crisis).

    Args:
        store: an open :class:`realpolitik.store.Store`.
        indicators: the scenario's indicator names (reports of others are an error
            the caller reports).
    """
    from realpolitik.inference._news import _labelled

    reports = tuple(_labelled(store, scenario, as_of, as_of))  # type: ignore[arg-type]
    covered = frozenset(store.covered_days(scenario, until=as_of))  # type: ignore[attr-defined]
    future = store.count_after(scenario, as_of)  # type: ignore[attr-defined]
    return reports, covered, future
