"""What happened: the EIA Brent series and the past rounds of the conflict, read from files.

Backtests and calibration take their paths as arguments (the data are not part of
the package): ``brent-daily.csv`` (``Date,Price``, trading days) and
``episodes.yaml`` (one entry per past round, see ``../shared/data/episodes``).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from realpolitik.errors import DataError, Problem

__all__ = ["DataError", "OilSeries", "Episode", "read_oil", "read_episodes", "trading_days", "OUTCOME_FIELDS"]

#: The binary outcomes an episode records, by name, and what each means.
OUTCOME_FIELDS: dict[str, str] = {
    "russia_veto": "Russia vetoes a UN Security Council resolution",
    "russia_military_help": "Russia gives Iran direct military help",
    "hormuz_closed": "the Strait of Hormuz is closed",
    "talks_hosted_by_russia": "Iran takes part in talks hosted by Russia",
    "ceasefire_30d": "a ceasefire (escalation back to calm) within 30 days of the start",
    "red_line_30d": "strikes on civilian infrastructure or nuclear sites (level 4) within 30 days of the start",
    "tit_for_tat_30d": "both sides striking (level 2 or more) within 30 days of the start",
    "patriot_diversion": "the US holds back Patriot interceptors meant for Ukraine",
}


@dataclass(frozen=True)
class OilSeries:
    """Daily closes, in date order.

    Attributes:
        dates: trading days (``datetime64[D]``).
        prices: the close on each, USD/bbl.
        source: the file it was read from.
    """

    dates: np.ndarray = field(repr=False)
    prices: np.ndarray = field(repr=False)
    source: str = ""

    def __post_init__(self) -> None:
        if len(self.dates) != len(self.prices) or len(self.dates) < 2:
            raise ValueError("an oil series needs at least two dates, each with a price")
        if np.any(np.diff(self.dates.astype("int64")) <= 0):
            raise ValueError("the dates of an oil series must increase")

    @property
    def last_date(self) -> dt.date:
        """The last trading day in the series."""
        return _date(self.dates[-1])

    def close_before(self, date: dt.date) -> tuple[dt.date, float]:
        """The last close strictly before ``date``: what was known when a round began.

        Raises:
            ValueError: the series starts on or after ``date``.
        """
        i = int(np.searchsorted(self.dates, np.datetime64(date, "D"), side="left")) - 1
        if i < 0:
            raise ValueError(f"the oil series starts after {date.isoformat()}")
        return _date(self.dates[i]), float(self.prices[i])

    def close_on_or_before(self, date: dt.date) -> tuple[dt.date, float] | None:
        """The last close on or before ``date``; ``None`` when ``date`` is after the
        series ends (the close is not known yet) or before it starts."""
        if date > self.last_date:
            return None
        i = int(np.searchsorted(self.dates, np.datetime64(date, "D"), side="right")) - 1
        return None if i < 0 else (_date(self.dates[i]), float(self.prices[i]))

    def log_return_sd(self, before: dt.date, n: int = 250) -> float:
        """The standard deviation of the last ``n`` daily log returns before ``before``.

        Raises:
            ValueError: fewer than ``n + 1`` closes before the date.
        """
        i = int(np.searchsorted(self.dates, np.datetime64(before, "D"), side="left"))
        if i < n + 1:
            raise ValueError(f"{n} trading days of returns are needed before {before.isoformat()}; the series has {max(i - 1, 0)}")
        returns = np.diff(np.log(self.prices[i - n - 1 : i]))
        return float(returns.std(ddof=1))


def trading_days(after: dt.date, until: dt.date) -> int:
    """Weekdays in ``(after, until]``: the steps of a random walk on trading days.

    Example:
        >>> trading_days(dt.date(2024, 3, 28), dt.date(2024, 4, 1))   # Fri and Mon
        2
    """
    return int(np.busday_count(after + dt.timedelta(days=1), until + dt.timedelta(days=1)))


@dataclass(frozen=True)
class Episode:
    """One past round of the conflict, as the episodes file records it.

    Attributes:
        id: the round's name (``apr-2024``).
        start, end: its first and last dates.
        escalation_path: (date, level) where the level changed; 0 calm, 1 strikes on
            military sites, 2 tit-for-tat, 3 strikes on production, energy or
            leadership, 4 civilian infrastructure or nuclear sites.
        hormuz: ``open``, ``disrupted`` or ``closed``.
        facts: the recorded true/false facts (``russia_veto``, ...).
    """

    id: str
    start: dt.date
    end: dt.date
    escalation_path: tuple[tuple[dt.date, int], ...]
    hormuz: str
    facts: dict[str, bool] = field(default_factory=dict)

    def level_on(self, date: dt.date) -> int | None:
        """The escalation level in force on ``date`` (``None`` before the first record)."""
        level = None
        for when, value in self.escalation_path:
            if when <= date:
                level = value
        return level

    @property
    def outcomes(self) -> dict[str, bool]:
        """Every true/false outcome the episode records: its boolean facts, and
        ``hormuz_closed``, ``ceasefire_30d``, ``red_line_30d`` and ``tit_for_tat_30d``
        read from its Hormuz status and its escalation path."""
        out = dict(self.facts)
        out["hormuz_closed"] = self.hormuz == "closed"
        calm = [when for when, level in self.escalation_path if level == 0 and when > self.start]
        out["ceasefire_30d"] = bool(calm) and (calm[0] - self.start).days <= 30
        out["red_line_30d"] = any(level >= 4 and (when - self.start).days <= 30 for when, level in self.escalation_path)
        out["tit_for_tat_30d"] = any(level >= 2 and (when - self.start).days <= 30 for when, level in self.escalation_path)
        return out


def _date(value: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(value.astype("datetime64[D]")))


def read_oil(path: str | Path) -> OilSeries:
    """Read a ``Date,Price`` CSV (EIA spot: trading days only), through the same
    reader as ``--prices`` (:func:`realpolitik.inference.read_prices`).

    Raises:
        DataError: the file is missing, too large, not UTF-8 text, or a row is not a
            date and a positive price (every bad row with its line and field).
    """
    from realpolitik.inference import read_prices

    if not Path(path).is_file():
        raise DataError(Problem("no such oil price file (give the EIA Brent CSV, Date,Price)", str(path)))
    series = read_prices(path, "oil")
    if len(series.dates) < 2:
        raise DataError(Problem("holds fewer than two prices", str(path)))
    return OilSeries(np.array(series.dates, dtype="datetime64[D]"), np.array(series.values), str(Path(path)))


def read_episodes(path: str | Path) -> tuple[Episode, ...]:
    """Read the past rounds from ``episodes.yaml``.

    Raises:
        DataError: the file is missing, not YAML, or an episode lacks a field or has
            one of the wrong type (every problem with its line).
    """
    from realpolitik.errors import ScenarioError
    from realpolitik.scenario import format_path, read_text_file, read_yaml

    path = Path(path)
    if not path.is_file():
        raise DataError(Problem("no such episodes file (give ../shared/data/episodes/episodes.yaml)", str(path)))
    try:
        located = read_yaml(read_text_file(path, "episodes file")[0], str(path))
    except ScenarioError as exc:
        raise DataError(exc.problems) from None
    problems: list[Problem] = list(located.problems)

    def bad(where: tuple[Any, ...], message: str) -> None:
        pos = located.position(where)
        problems.append(Problem(message, str(path), pos.line if pos else None, pos.column if pos else None, format_path(where)))

    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("episodes"), list):
        raise DataError(Problem("an episodes file is a mapping with 'episodes': a list of rounds", str(path), 1))
    out: list[Episode] = []
    for i, entry in enumerate(data["episodes"]):
        where: tuple[Any, ...] = ("episodes", i)
        if not isinstance(entry, dict):
            bad(where, "an episode is a mapping")
            continue
        missing = [k for k in ("id", "start", "end", "escalation_path", "hormuz") if k not in entry]
        if missing:
            bad(where, f"missing {', '.join(map(repr, missing))}")
            continue
        if not all(isinstance(entry[k], dt.date) for k in ("start", "end")):
            bad(where + ("start",), "start and end must be dates (YYYY-MM-DD)")
            continue
        path_ok = isinstance(entry["escalation_path"], list) and all(
            isinstance(s, dict) and isinstance(s.get("date"), dt.date) and isinstance(s.get("level"), int) and 0 <= s["level"] <= 4
            for s in entry["escalation_path"]
        )
        if not path_ok:
            bad(where + ("escalation_path",), "escalation_path is a list of {date: YYYY-MM-DD, level: 0-4}")
            continue
        if entry["hormuz"] not in ("open", "disrupted", "closed"):
            bad(where + ("hormuz",), f"hormuz is open, disrupted or closed, got {entry['hormuz']!r}")
            continue
        facts = {}
        for k, v in entry.items():
            if isinstance(v, bool):
                facts[k] = v
        steps = tuple(sorted((s["date"], int(s["level"])) for s in entry["escalation_path"]))
        out.append(Episode(str(entry["id"]), entry["start"], entry["end"], steps, entry["hormuz"], facts))
    ids = [e.id for e in out]
    for i, e in enumerate(out):
        if ids.index(e.id) != i:
            bad(("episodes", i, "id"), f"the id {e.id!r} is used twice")
    if problems:
        raise DataError(problems)
    return tuple(out)
